"""Imbalanced regression: relevance, bins and their plan, and the samplers, each rule checked
against a direct computation written here, on the authors' tables where they exist."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from imbalance import apportion
from imbalance.regression import (
    SMOGN,
    SMOTER,
    GaussianNoiseSampler,
    RegressionOverSampler,
    RegressionUnderSampler,
    Relevance,
    bin_weights,
    boxplot_stats,
    dense_weights,
    lds_kernel,
    lds_weights,
    plan_bins,
    rare_rmse,
    relevance_bins,
    relevance_weighted_mae,
    relevance_weighted_rmse,
    safe_distances,
    sera,
    sera_curve,
    shot_mae,
    target_density,
)

DATA = Path(__file__).parent / "data" / "regression"
#: Rare cases (relevance > 0.8) per the authors of the tables (Branco, Torgo & Ribeiro 2019).
AUTHORS_RARE = {"Abalone": 679, "boston": 65, "a1": 28}
SAMPLERS = [RegressionUnderSampler, RegressionOverSampler, SMOTER, GaussianNoiseSampler, SMOGN]
SYNTHETIC = [SMOTER, GaussianNoiseSampler, SMOGN]


def load(name):
    table = pd.read_csv(DATA / f"{name}.csv.gz")
    return table.iloc[:, 1:], table.iloc[:, 0]


def heom(a_num, b_num, a_nom, b_nom, ranges):
    """HEOM written out: scaled numeric differences, 0/1 nominal mismatches."""
    return np.sqrt((((a_num - b_num) / ranges) ** 2).sum(-1) + (a_nom != b_nom).sum(-1))


# -- relevance ------------------------------------------------------------------------------

def tukey_five(y):
    """Tukey's five numbers by their definition: the hinges are the medians of the lower and
    upper halves, the median counted in both when n is odd."""
    s = np.sort(y)
    n = s.size
    lower, upper = s[:(n + 1) // 2], s[n // 2:]
    return s[0], np.median(lower), np.median(s), np.median(upper), s[-1]


@pytest.mark.parametrize("name", list(AUTHORS_RARE))
def test_automatic_relevance_finds_the_authors_rare_cases(name):
    _, y = load(name)
    phi = Relevance.from_target(y)(y)
    assert int((phi > 0.8).sum()) == AUTHORS_RARE[name]
    assert phi.min() == 0 and phi.max() == 1


@given(st.lists(st.integers(-50, 50), min_size=5, max_size=60), st.sampled_from([1.0, 1.5, 3.0]))
@settings(max_examples=60, deadline=None)
def test_boxplot_stats_are_tukeys_hinges_and_whiskers(values, coef):
    y = np.array(values, dtype=float)
    if y.min() == y.max():
        return
    stats, low_out, high_out = boxplot_stats(y, coef)
    _, h1, med, h3, _ = tukey_five(y)
    assert stats[1:4].tolist() == [h1, med, h3]
    fence_low, fence_high = h1 - coef * (h3 - h1), h3 + coef * (h3 - h1)
    assert stats[0] == y[y >= fence_low].min() and stats[4] == y[y <= fence_high].max()
    assert low_out == bool((y < fence_low).any()) and high_out == bool((y > fence_high).any())


def test_automatic_control_points_follow_the_box_plot():
    y = np.r_[np.arange(100.0), 400, 410, 420]  # high outliers only
    relevance = Relevance.from_target(y)
    stats, _, _ = boxplot_stats(y)
    assert relevance.control_points.tolist() == [[0, 0, 0], [stats[2], 0, 0], [stats[4], 1, 0]]
    assert Relevance.from_target(y, extremes="low").control_points[:, 1].tolist() == [0, 0, 0]
    both = Relevance.from_target(np.r_[-420, -400, y])
    assert both.phi.tolist() == [1, 0, 1]


def test_a_target_mostly_at_its_median_makes_every_value_beyond_it_rare():
    # rainfall: three days in four dry, so the box has no spread above the median and every
    # wet day is beyond the whisker; the relevance reaches 1 at the smallest of them
    y = np.r_[np.zeros(300), [0.2, 0.5, 3.0, 12.0, 40.0] * 20]
    relevance = Relevance.from_target(y)
    assert relevance.control_points[:, :2].tolist() == [[0, 0], [0.2, 1]]
    assert (relevance(y) == (y > 0)).all()


def hermite(x0, x1, p0, p1, m0, m1, v):
    """The cubic Hermite piece by its basis functions (an independent way to write it)."""
    h = x1 - x0
    t = (v - x0) / h
    return ((2 * t ** 3 - 3 * t ** 2 + 1) * p0 + (t ** 3 - 2 * t ** 2 + t) * h * m0
            + (-2 * t ** 3 + 3 * t ** 2) * p1 + (t ** 3 - t ** 2) * h * m1)


def test_relevance_is_the_hermite_interpolant_through_its_control_points():
    relevance = Relevance([[0, 0, 0.01], [10, 0.2, 0.05], [30, 1, 0.0]])
    v = np.linspace(0, 30, 301)
    x, p, m = relevance.x, relevance.phi, relevance.slopes
    expected = np.where(v < 10, hermite(0, 10, p[0], p[1], m[0], m[1], v), hermite(10, 30, p[1], p[2], m[1], m[2], v))
    np.testing.assert_allclose(relevance(v), expected, atol=1e-12)
    assert relevance(x).tolist() == p.tolist()
    # outside the control points: the value at the nearer end
    assert relevance([-5, 100]).tolist() == [0, 1]
    # slopes too steep for a monotone piece are scaled onto the circle alpha^2 + beta^2 = 9
    np.testing.assert_allclose(Relevance([[0, 0, 10], [1, 1, 10]]).slopes, [3 / np.sqrt(2)] * 2)
    # a slope at a peak is 0, and one against its secant is 0
    assert Relevance([[0, 0, 1], [1, 1, 1], [2, 0, 1]]).slopes.tolist() == [1, 0, 0]


def test_zero_slopes_give_the_smoothstep_between_points():
    relevance = Relevance([[2, 0], [6, 1]])
    t = np.linspace(0, 1, 41)
    np.testing.assert_allclose(relevance(2 + 4 * t), 3 * t ** 2 - 2 * t ** 3, atol=1e-15)


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(0, 1), st.floats(-5, 5)), min_size=2, max_size=6,
                unique_by=lambda p: round(p[0], 3)))
@settings(max_examples=80, deadline=None)
def test_relevance_is_monotone_between_control_points_whatever_slopes_are_given(points):
    relevance = Relevance(points)
    assert (relevance(relevance.x) == relevance.phi).all() or np.allclose(relevance(relevance.x), relevance.phi)
    for a, b, pa, pb in zip(relevance.x[:-1], relevance.x[1:], relevance.phi[:-1], relevance.phi[1:]):
        values = relevance(np.linspace(a, b, 50))
        steps = np.diff(values)
        if pb >= pa:
            assert (steps >= -1e-9).all()
        else:
            assert (steps <= 1e-9).all()
        assert values.min() >= 0 and values.max() <= 1


@pytest.mark.parametrize("points, words", [
    ([[1, 0]], "at least two rows"),
    ([[1, 0], [1, 1]], "repeat an x value"),
    ([[1, 0], [2, 1.5]], r"must lie in \[0, 1\]"),
    ([[1, 0], [np.nan, 1]], "finite"),
    ([["a", 0], [2, 1]], "must be numbers"),
])
def test_bad_control_points_get_one_clear_error(points, words):
    with pytest.raises((ValueError, TypeError), match=words):
        Relevance(points)


@pytest.mark.parametrize("y, error, words", [
    (np.ones(10), ValueError, "constant"),
    (np.r_[np.arange(9.0), np.nan], ValueError, "missing, NaN or infinite"),
    (np.array(list("abcdefgh")), TypeError, "numeric target"),
    (np.arange(12.0).reshape(3, 4), ValueError, "1-D"),
])
def test_bad_targets_get_one_clear_error(y, error, words):
    with pytest.raises(error, match=words):
        Relevance.from_target(y)
    with pytest.raises(error, match=words):
        SMOGN().fit_resample(np.zeros((len(y), 2)), y)


# -- bins and their plan --------------------------------------------------------------------

@pytest.mark.parametrize("name", list(AUTHORS_RARE))
def test_bins_are_the_runs_of_rare_and_normal_values(name):
    _, y = load(name)
    bins = relevance_bins(y)
    phi = bins.relevance(y)
    codes = bins.assign(y)
    # every row's bin is rare exactly where its relevance reaches the threshold
    assert np.array_equal(bins.rare[codes], phi >= 0.8)
    # bins are contiguous ranges in target order, alternating rare and normal
    order = np.argsort(y, kind="stable")
    assert (np.diff(codes[order]) >= 0).all()
    assert (bins.rare[1:] != bins.rare[:-1]).all()
    for b in range(bins.n_bins):
        assert y[codes == b].min() == bins.low[b] and y[codes == b].max() == bins.high[b]
    assert int(bins.rare[codes].sum()) == AUTHORS_RARE[name]


@given(st.lists(st.integers(0, 40), min_size=30, max_size=200), st.sampled_from(["balance", "extreme", "under", "over"]))
@settings(max_examples=60, deadline=None)
def test_the_plan_of_the_bins_is_the_planner_on_their_counts(values, strategy):
    y = np.array(values + [200, 210], dtype=float)  # a rare high tail
    try:
        plan, bins = plan_bins(y, strategy)
    except ValueError as exc:  # no rare or no normal value: said so
        assert "nothing to rebalance" in str(exc)
        return
    counts = np.bincount(bins.assign(y), minlength=bins.n_bins)
    assert plan.count_array.tolist() == counts.tolist()
    targets = plan.target_array
    if strategy == "balance":
        assert targets.tolist() == apportion(np.ones(bins.n_bins), y.size).tolist()
    elif strategy == "extreme":
        assert targets.tolist() == apportion(1.0 / counts, y.size).tolist()
    elif strategy == "under":
        assert targets.tolist() == np.minimum(counts, counts.min()).tolist()
    else:
        assert targets.tolist() == np.maximum(counts, counts.max()).tolist()


def test_nothing_to_rebalance_and_bad_threshold_are_refused():
    with pytest.raises(ValueError, match="every value of y is normal"):
        relevance_bins(np.arange(50.0))  # no value beyond the whiskers
    with pytest.raises(ValueError, match="threshold must be"):
        relevance_bins(np.r_[np.arange(50.0), 500], threshold=0)
    with pytest.raises(ValueError, match="q does not apply"):
        plan_bins(np.r_[np.arange(50.0), 500], "balance", q=0.5)


# -- samplers: counts, types, seeds -------------------------------------------------------

def bin_counts_of_result(sampler, y):
    """Rows per bin in the result: kept rows by their own target, synthetic rows by their
    seed's (Gaussian noise may move a target across a bin edge)."""
    codes = sampler.bins_.assign(y)
    origin = sampler.origin_
    kept = codes[origin[origin >= 0]]
    made = codes[sampler.parents_[:, 0]] if hasattr(sampler, "parents_") else np.empty(0, int)
    return np.bincount(np.r_[kept, made], minlength=sampler.bins_.n_bins)


@pytest.mark.parametrize("name", list(AUTHORS_RARE))
@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_every_sampler_meets_the_plan_exactly_and_keeps_the_tables_types(name, Sampler):
    X, y = load(name)
    X_before, y_before = X.copy(), y.copy()
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert bin_counts_of_result(sampler, y.to_numpy()).tolist() == sampler.plan_.target_array.tolist()
    assert list(X_res.columns) == list(X.columns) and (X_res.dtypes == X.dtypes).all()
    assert y_res.name == y.name and y_res.dtype == y.dtype and (y_res.index == X_res.index).all()
    kept = sampler.origin_ >= 0
    assert X_res.index[:kept.sum()].equals(X.index[sampler.origin_[kept]])
    assert X_res.index.is_unique or Sampler is RegressionOverSampler
    pd.testing.assert_frame_equal(X, X_before)  # inputs not mutated
    pd.testing.assert_series_equal(y, y_before)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_same_seed_same_rows_and_numpy_in_numpy_out(Sampler):
    X, y = load("boston")
    X, y = X.to_numpy(), y.to_numpy()
    a = Sampler(random_state=3).fit_resample(X, y)
    b = Sampler(random_state=3).fit_resample(X, y)
    c = Sampler(random_state=4).fit_resample(X, y)
    assert isinstance(a[0], np.ndarray) and a[0].dtype == X.dtype and a[1].dtype == y.dtype
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not (a[0].shape == c[0].shape and np.array_equal(a[0], c[0]))


def test_random_under_and_over_sampling_draw_by_the_package_rule():
    X, y = load("boston")
    under = RegressionUnderSampler(random_state=0).fit(X, y)
    assert under.plan_.targets == {0: 65, 1: 65}
    under.fit_resample(X, y)
    assert np.all(np.diff(under.sample_indices_) > 0)  # a subset in input order
    over = RegressionOverSampler(random_state=0)
    _, y_over = over.fit_resample(X, y)
    counts = np.bincount(over.sample_indices_, minlength=len(y))
    rare = over.bins_.assign(y) == 1
    # 441 rows from 65: every rare row 6 times, 51 of them a 7th time; normal rows once
    assert set(counts[~rare]) == {1} and sorted(set(counts[rare])) == [6, 7] and (counts[rare] == 7).sum() == 51
    with pytest.raises(ValueError, match="can only remove rows"):
        RegressionUnderSampler(strategy="balance").fit(X, y)


# -- SMOTER --------------------------------------------------------------------------------

def test_smoter_rows_lie_between_a_seed_and_one_of_its_nearest_rows_of_the_bin_and_take_the_weighted_target():
    X, y = load("boston")
    Xn, yn = X.to_numpy(), y.to_numpy()
    sampler = SMOTER(k_neighbors=4, random_state=1)
    X_res, y_res = sampler.fit_resample(X, y)
    new_X, new_y = X_res.to_numpy()[sampler.is_synthetic_], y_res.to_numpy()[sampler.is_synthetic_]
    seed, neighbor = sampler.parents_.T
    codes = sampler.bins_.assign(yn)
    ranges = Xn.max(0) - Xn.min(0)
    for i in range(0, len(seed), 7):
        s, nb = seed[i], neighbor[i]
        same_bin = np.flatnonzero(codes == codes[s])
        d = heom(Xn[s], Xn[same_bin], np.empty(0), np.empty(0), ranges)
        d[same_bin == s] = np.inf
        assert d[same_bin == nb][0] <= np.sort(d)[3] + 1e-12  # among the 4 nearest of its bin
        step = Xn[nb] - Xn[s]
        moving = np.abs(step) > 0
        # integer columns are rounded in the output: read the gap off a float column that moves
        float_cols = np.flatnonzero(moving & np.array([dtype == np.float64 for dtype in X.dtypes]))
        gap = (new_X[i, float_cols[0]] - Xn[s, float_cols[0]]) / step[float_cols[0]]
        assert 0 <= gap <= 1
        np.testing.assert_allclose(new_X[i, float_cols], Xn[s, float_cols] + gap * step[float_cols], rtol=1e-9)
        np.testing.assert_allclose(new_y[i], (1 - gap) * yn[s] + gap * yn[nb], rtol=1e-9)


def test_smoter_with_nominal_features_weights_the_target_by_heom_distance():
    X, y = load("a1")
    nominal = ["season", "size", "speed"]
    sampler = SMOTER(random_state=2)
    X_res, y_res = sampler.fit_resample(X, y)
    numeric = [c for c in X.columns if c not in nominal]
    ranges = (X[numeric].max() - X[numeric].min()).to_numpy()
    new = X_res[sampler.is_synthetic_]
    seed, neighbor = sampler.parents_.T
    a_num, b_num = X[numeric].to_numpy()[seed], X[numeric].to_numpy()[neighbor]
    a_nom, b_nom = X[nominal].to_numpy()[seed], X[nominal].to_numpy()[neighbor]
    new_num, new_nom = new[numeric].to_numpy(), new[nominal].to_numpy()
    # each nominal value is one of the two parents'
    assert ((new_nom == a_nom) | (new_nom == b_nom)).all()
    d1 = heom(new_num, a_num, new_nom, a_nom, ranges)
    d2 = heom(new_num, b_num, new_nom, b_nom, ranges)
    ya, yb = y.to_numpy()[seed], y.to_numpy()[neighbor]
    expected = np.where(d1 + d2 > 0, (d2 * ya + d1 * yb) / np.where(d1 + d2 > 0, d1 + d2, 1), (ya + yb) / 2)
    np.testing.assert_allclose(y_res.to_numpy()[sampler.is_synthetic_], expected, rtol=1e-9, atol=1e-12)


def test_a_bin_with_fewer_rows_than_k_plus_one_is_refused_by_name():
    y = np.r_[np.arange(100.0), 400, 410, 420]
    X = np.c_[y, -y]
    with pytest.raises(ValueError, match=r"bin rare \[.*\] has .* fewer than k_neighbors \+ 1 = 21"):
        SMOTER(k_neighbors=20).fit_resample(X, y)
    with pytest.raises(ValueError, match="X has 3 rows"):
        SMOGN().fit_resample(X[:3], y)


# -- Gaussian noise and SMOGN --------------------------------------------------------------

def test_gaussian_noise_is_scaled_by_the_bins_spread():
    rng = np.random.default_rng(0)
    y = np.r_[rng.normal(0, 1, 3000), rng.normal(8, 1, 100)]
    X = np.c_[rng.normal(size=y.size), 10 * rng.normal(size=y.size)]
    sampler = GaussianNoiseSampler(pert=0.1, strategy={0: 100, 1: 4000}, relevance=[[2, 0], [5, 1]], random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    seed = sampler.parents_[:, 0]
    assert (sampler.parents_[:, 1] == -1).all()
    rows = np.flatnonzero(sampler.bins_.assign(y) == 1)
    for noise, spread in [(X_res[sampler.is_synthetic_] - X[seed], X[rows].std(0)),
                          ((y_res[sampler.is_synthetic_] - y[seed])[:, None], y[rows].std())]:
        z = noise / (0.1 * spread)
        assert np.all(np.abs(z.mean(0)) < 0.1) and np.all(np.abs(z.std(0) - 1) < 0.05)


def test_gaussian_noise_redraws_nominal_values_with_probability_pert():
    X, y = load("Abalone")
    sampler = GaussianNoiseSampler(pert=0.5, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    seed = sampler.parents_[:, 0]
    changed = (X_res["Sex"].to_numpy()[sampler.is_synthetic_] != X["Sex"].to_numpy()[seed]).mean()
    # redrawn with probability 0.5 from the bin's three values, so about 0.5 * (1 - sum p^2) change
    codes = sampler.bins_.assign(y)
    per_bin = {b: 0.5 * (1 - (X["Sex"][codes == b].value_counts(normalize=True) ** 2).sum()) for b in set(codes)}
    expected = np.mean([per_bin[b] for b in codes[seed]])
    assert abs(changed - expected) < 0.03


def test_safe_distances_are_half_the_median_distance_to_the_other_rows():
    rng = np.random.default_rng(1)
    for n in (7, 8, 301):
        space = rng.normal(size=(n, 3))
        full = np.sqrt(((space[:, None] - space[None]) ** 2).sum(-1))
        expected = [np.median(np.delete(full[i], i)) / 2 for i in range(n)]
        np.testing.assert_allclose(safe_distances(space, block_bytes=800), expected, rtol=1e-9)
        assert np.array_equal(safe_distances(space, block_bytes=800, n_threads=1),
                              safe_distances(space, block_bytes=800, n_threads=3))


def test_smogn_interpolates_towards_close_neighbours_and_adds_noise_beyond_the_safe_distance():
    X, y = load("Abalone")
    sampler = SMOGN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    seed, neighbor = sampler.parents_.T
    noise = sampler.noise_
    assert noise.any() and (~noise).any()
    codes = sampler.bins_.assign(y)
    numeric = X.drop(columns="Sex").to_numpy()
    ranges = numeric.max(0) - numeric.min(0)
    sex = X[["Sex"]].to_numpy()
    for i in range(0, len(seed), 5):
        s, nb = seed[i], neighbor[i]
        bin_rows = np.flatnonzero(codes == codes[s])
        d = heom(numeric[s], numeric[bin_rows], sex[s], sex[bin_rows], ranges)
        safe = np.median(d[bin_rows != s]) / 2
        assert noise[i] == (heom(numeric[s], numeric[nb], sex[s], sex[nb], ranges) >= safe)
    sex = sex[:, 0]
    new = X_res[sampler.is_synthetic_]
    # interpolated rows take a parent's nominal value; noisy rows stay close to their seed
    assert ((new["Sex"].to_numpy()[~noise] == sex[seed[~noise]]) | (new["Sex"].to_numpy()[~noise] == sex[neighbor[~noise]])).all()
    jitter = (new.drop(columns="Sex").to_numpy()[noise] - numeric[seed[noise]]) / numeric.std(0)
    assert np.abs(jitter).max() < 0.02 * 6


# -- estimator manners ---------------------------------------------------------------------

@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_clone_and_refuse_bad_parameters(Sampler):
    sampler = Sampler(random_state=0, threshold=0.5)
    assert clone(sampler).get_params() == sampler.get_params()
    with pytest.raises(ValueError, match="threshold"):
        Sampler(threshold=1.5).fit(*load("a1"))
    with pytest.raises(ValueError, match="strategy"):
        Sampler(strategy="most").fit(*load("a1"))
    with pytest.raises(ValueError, match="inconsistent|rows"):
        Sampler().fit_resample(np.zeros((5, 2)), np.arange(6.0))


def test_a_regressor_trained_in_an_imblearn_pipeline():
    from imblearn.pipeline import make_pipeline
    from sklearn.ensemble import RandomForestRegressor

    X, y = load("boston")
    pipe = make_pipeline(SMOGN(random_state=0), RandomForestRegressor(n_estimators=20, random_state=0))
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (len(X),)


# -- weights -------------------------------------------------------------------------------

def test_bin_weights_make_every_bin_count_the_same():
    X, y = load("Abalone")
    weights = bin_weights(y)
    codes = relevance_bins(y).assign(y)
    totals = np.bincount(codes, weights=weights)
    np.testing.assert_allclose(totals, len(y) / 3)
    np.testing.assert_allclose(weights.mean(), 1)


def direct_kde(y, at, h):
    return np.exp(-0.5 * ((at[:, None] - y[None]) / h) ** 2).sum(1) / (len(y) * h * np.sqrt(2 * np.pi))


def test_target_density_is_the_gaussian_kde():
    _, y = load("boston")
    y = y.to_numpy()
    h = 0.9 * min(y.std(ddof=1), (np.percentile(y, 75) - np.percentile(y, 25)) / 1.349) * len(y) ** -0.2
    np.testing.assert_allclose(target_density(y), direct_kde(y, y, h), rtol=1e-4)
    np.testing.assert_allclose(target_density(y, bandwidth=2.5), direct_kde(y, y, 2.5), rtol=1e-5)


def test_dense_weights_follow_their_formula():
    _, y = load("a1")
    y = y.to_numpy()
    density = target_density(y, bandwidth=3.0)
    scaled = (density - density.min()) / (density.max() - density.min())
    for alpha in (0.0, 0.5, 1.0, 2.0):
        raw = np.maximum(1 - alpha * scaled, 1e-6)
        np.testing.assert_allclose(dense_weights(y, alpha=alpha, bandwidth=3.0), raw / raw.mean(), rtol=1e-12)
    assert np.allclose(dense_weights(y, alpha=0), 1)
    rare = Relevance.from_target(y)(y) >= 0.8
    assert dense_weights(y)[rare].mean() > 2 * dense_weights(y)[~rare].mean()


def test_lds_weights_smooth_the_counts_of_their_bins():
    from scipy.ndimage import gaussian_filter1d

    rng = np.random.default_rng(0)
    y = rng.gamma(2.0, 2.0, size=2000)
    edges = np.linspace(y.min(), y.max(), 31)
    codes = np.clip(np.digitize(y, edges) - 1, 0, 29)
    counts = np.bincount(codes, minlength=30).astype(float)
    impulse = np.zeros(5)
    impulse[2] = 1
    window = gaussian_filter1d(impulse, 2.0)
    window /= window.max()
    for reweight, c in (("inverse", counts), ("sqrt_inv", np.sqrt(counts))):
        padded = np.r_[0, 0, c, 0, 0]
        smoothed = np.array([padded[i:i + 5] @ window[::-1] for i in range(30)])
        expected = 1 / smoothed[codes]
        np.testing.assert_allclose(lds_weights(y, bins=30, reweight=reweight), expected / expected.mean(), rtol=1e-12)
    np.testing.assert_allclose(lds_kernel("triang", 5), [1 / 3, 2 / 3, 1, 2 / 3, 1 / 3])
    np.testing.assert_allclose(lds_kernel("laplace", 3, sigma=1.0), [np.exp(-1), 1, np.exp(-1)])
    with pytest.raises(ValueError, match="odd positive"):
        lds_kernel("gaussian", 4)
    with pytest.raises(ValueError, match="reweight"):
        lds_weights(y, reweight="log")


# -- metrics -------------------------------------------------------------------------------

def test_sera_is_the_area_under_the_ser_curve():
    X, y = load("Abalone")
    rng = np.random.default_rng(0)
    pred = y + rng.normal(0, 2, len(y))
    phi = Relevance.from_target(y)(y)
    ts = np.linspace(0, 1, 200_001)
    order = np.sort(phi)
    # brute force: SER_t for every t of a fine grid, by its definition, then the trapezoid rule
    squared_by_phi = ((pred - y) ** 2).to_numpy()[np.argsort(phi)]
    suffix = np.r_[np.cumsum(squared_by_phi[::-1])[::-1], 0]
    ser = suffix[np.searchsorted(order, ts, side="left")]
    assert abs(sera(y, pred) - np.trapezoid(ser, ts)) < 1e-4 * sera(y, pred)
    direct = [((pred - y) ** 2)[phi >= t].sum() for t in (0, 0.3, 0.8, 1)]
    _, curve = sera_curve(y, pred, thresholds=[0, 0.3, 0.8, 1])
    np.testing.assert_allclose(curve, direct)
    assert sera(y, y) == 0


def test_relevance_weighted_and_rare_errors():
    _, y = load("boston")
    y = y.to_numpy()
    pred = y * 0.9 + 2
    phi = Relevance.from_target(y)(y)
    e = pred - y
    assert relevance_weighted_rmse(y, pred) == pytest.approx(np.sqrt((phi * e ** 2).sum() / phi.sum()))
    assert relevance_weighted_mae(y, pred) == pytest.approx((phi * np.abs(e)).sum() / phi.sum())
    rare = phi >= 0.8
    assert rare_rmse(y, pred) == pytest.approx(np.sqrt((e[rare] ** 2).mean()))
    # the training relevance, passed in, is the one used
    train = Relevance([[20, 0], [30, 1]])
    assert rare_rmse(y, pred, relevance=train) == pytest.approx(np.sqrt((e[y >= 29.0] ** 2).mean()), rel=0.2)
    with pytest.warns(UserWarning, match="no rare row"):
        assert np.isnan(rare_rmse(np.arange(10.0), np.arange(10.0), relevance=[[100, 0], [200, 1]]))
    with pytest.raises(ValueError, match="y_pred has 3 values"):
        sera(y, pred[:3])


def test_shot_mae_splits_test_rows_by_their_training_bin_count():
    y_train = np.r_[np.zeros(150), np.ones(50) * 5, np.ones(5) * 9]
    y_true = np.array([0.0, 0.0, 5.0, 9.0, 9.0])
    pred = y_true + np.array([1, 3, 2, 4, 6])
    out = shot_mae(y_true, pred, y_train, bins=[0, 2, 6, 10])
    assert out == {"all": 3.2, "many": 2.0, "n_many": 2, "medium": 2.0, "n_medium": 1, "few": 5.0, "n_few": 2}


def test_regression_scores_are_the_metrics_in_their_order():
    from imbalance.regression import REGRESSION_METRICS, regression_scores

    _, y = load("boston")
    pred = y * 0.95 + 1
    scores = regression_scores(y, pred)
    assert tuple(scores) == REGRESSION_METRICS
    assert scores["sera"] == pytest.approx(sera(y, pred)) and scores["rare_rmse"] == pytest.approx(rare_rmse(y, pred))
    assert scores["rmse"] == pytest.approx(np.sqrt(((pred - y) ** 2).mean()))
    assert scores["mae"] == pytest.approx(np.abs(pred - y).mean())
    assert scores["relevance_weighted_mae"] == pytest.approx(relevance_weighted_mae(y, pred))
    assert scores["r2"] == pytest.approx(1 - ((pred - y) ** 2).sum() / ((y - y.mean()) ** 2).sum())
