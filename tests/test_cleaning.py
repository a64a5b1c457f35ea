"""Cleaning under-samplers: each rule against a direct computation, and imbalanced-learn's rows."""

import numpy as np
import pandas as pd
import pytest
from imblearn import under_sampling as peer
from imblearn.utils.estimator_checks import parametrize_with_checks
from scipy.spatial.distance import cdist
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

import imbalance
from imbalance import (
    AllKNN,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)

METHODS = [TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN]


@parametrize_with_checks([TomekLinks(), EditedNearestNeighbours(), RepeatedEditedNearestNeighbours(), AllKNN(),
                          NeighbourhoodCleaningRule(), OneSidedSelection(random_state=0),
                          CondensedNearestNeighbour(random_state=0)])
def test_imbalanced_learn_estimator_checks(estimator, check):
    check(estimator)


def continuous(n=600, classes=3, seed=0):
    """No distance ties: every method's rows must equal imbalanced-learn's."""
    weights = [0.7, 0.2, 0.1] if classes == 3 else [0.85, 0.15]
    X, y = make_classification(n_samples=n, n_features=6, n_informative=4, n_redundant=0, n_classes=classes,
                               n_clusters_per_class=1, weights=weights, class_sep=0.8, flip_y=0.05,
                               random_state=seed)
    return X, y


def direct_neighbors(X, k):
    """k nearest rows of every row by a full distance matrix, itself left out, ties to the lower index."""
    d = cdist(X, X, "sqeuclidean")
    np.fill_diagonal(d, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), d.shape), d), axis=1)
    return order[:, :k]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: TomekLinks(), lambda: peer.TomekLinks()),
        (lambda: EditedNearestNeighbours(), lambda: peer.EditedNearestNeighbours()),
        (lambda: EditedNearestNeighbours(kind_sel="mode", n_neighbors=5),
         lambda: peer.EditedNearestNeighbours(kind_sel="mode", n_neighbors=5)),
        (lambda: RepeatedEditedNearestNeighbours(), lambda: peer.RepeatedEditedNearestNeighbours()),
        (lambda: RepeatedEditedNearestNeighbours(kind_sel="mode"),
         lambda: peer.RepeatedEditedNearestNeighbours(kind_sel="mode")),
        (lambda: AllKNN(), lambda: peer.AllKNN()),
        (lambda: AllKNN(n_neighbors=5, allow_minority=True), lambda: peer.AllKNN(n_neighbors=5, allow_minority=True)),
        (lambda: NeighbourhoodCleaningRule(self_vote=True), lambda: peer.NeighbourhoodCleaningRule()),
        (lambda: NeighbourhoodCleaningRule(self_vote=True, n_neighbors=5, threshold_cleaning=2.0),
         lambda: peer.NeighbourhoodCleaningRule(n_neighbors=5, threshold_cleaning=2.0)),
    ],
)
def test_same_rows_as_imbalanced_learn_on_continuous_data(ours, theirs, seed):
    X, y = continuous(seed=seed)
    mine, peers = ours(), theirs()
    X_res, y_res = mine.fit_resample(X, y)
    peers.fit_resample(X, y)
    np.testing.assert_array_equal(mine.sample_indices_, np.sort(peers.sample_indices_))
    np.testing.assert_array_equal(X_res, X[mine.sample_indices_])
    assert mine.plan_.targets == dict(zip(*np.unique(y_res, return_counts=True)))
    assert mine.plan_.strategy == type(mine).__name__
    if hasattr(peers, "n_iter_"):
        assert mine.n_iter_ == peers.n_iter_


def tie_grid():
    """Rows on an integer grid, many at equal distances; labels in a fixed pattern."""
    g = np.array([(i, j) for i in range(9) for j in range(7)], dtype=float)
    y = ((g[:, 0] * 3 + g[:, 1] * 5) % 7 == 0).astype(int)
    return g, y


@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(200, classes=2)])
def test_tomek_links_against_the_definition(data):
    X, y = data()
    nearest = direct_neighbors(X, 1)[:, 0]
    minority = np.argmin(np.bincount(y))
    expected = [i for i in range(len(X)) if y[i] != minority and y[nearest[i]] != y[i] and nearest[nearest[i]] == i]
    sampler = TomekLinks()
    sampler.fit_resample(X, y)
    assert sorted(set(range(len(X))) - set(sampler.sample_indices_)) == expected
    assert expected  # the data has links


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(300)])
def test_enn_against_the_definition(data, kind_sel):
    X, y = data()
    around = direct_neighbors(X, 3)
    minority = np.argmin(np.bincount(y))
    removed = []
    for i in range(len(X)):
        if y[i] == minority:
            continue
        labels = y[around[i]]
        if kind_sel == "all":
            agree = (labels == y[i]).all()
        else:
            counts = np.bincount(labels, minlength=y.max() + 1)
            agree = int(np.argmax(counts)) == y[i]
        if not agree:
            removed.append(i)
    sampler = EditedNearestNeighbours(kind_sel=kind_sel)
    sampler.fit_resample(X, y)
    assert sorted(set(range(len(X))) - set(sampler.sample_indices_)) == removed


def test_classes_chooses_who_may_lose_rows():
    X, y = continuous()
    all_classes = EditedNearestNeighbours(classes="all").fit(X, y)
    only_zero = EditedNearestNeighbours(classes=[0]).fit(X, y)
    default = EditedNearestNeighbours().fit(X, y)
    lost = {name: {c: n - s.plan_.targets[c] for c, n in s.plan_.counts.items()}
            for name, s in {"all": all_classes, "zero": only_zero, "default": default}.items()}
    assert lost["zero"][1] == lost["zero"][2] == 0 and lost["zero"][0] > 0
    assert lost["default"][2] == 0 and lost["default"][1] > 0  # class 2 is the minority
    assert lost["all"][2] > 0
    with pytest.raises(imbalance.InputError, match="classes names 7, which is not a class of y"):
        EditedNearestNeighbours(classes=[7]).fit(X, y)


def test_pandas_in_pandas_out_and_no_mutation():
    X, y = continuous()
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)], index=np.arange(len(X)) * 10)
    labels = pd.Series(np.array(["a", "b", "c"])[y], index=df.index, name="label")
    before = df.copy()
    X_res, y_res = TomekLinks().fit_resample(df, labels)
    pd.testing.assert_frame_equal(df, before)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(df.columns)
    assert (X_res.index == y_res.index).all() and X_res.index.is_monotonic_increasing
    assert y_res.dtype == labels.dtype


def test_float32_neighbours_and_a_custom_search_agree():
    X, y = continuous()
    a = EditedNearestNeighbours().fit(X.astype(np.float32), y).sample_indices_
    b = EditedNearestNeighbours(neighbors=NearestNeighbors(algorithm="brute")).fit(X, y).sample_indices_
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 3, np.nan, X), y), imbalance.InputError,
         "NaN or infinite"),
        (lambda X, y: (pd.DataFrame({"a": X[:, 0], "b": ["x"] * len(X)}), y), TypeError, "column\\(s\\) b are not"),
        (lambda X, y: (X[:3], y[:3] * 0 + np.array([0, 1, 1])), imbalance.InputError, "lower n_neighbors"),
    ],
)
def test_bad_input_is_one_clear_error(make, error, words):
    X, y = continuous()
    X_bad, y_bad = make(X, y)
    with pytest.raises(error, match=words):
        EditedNearestNeighbours().fit_resample(X_bad, y_bad)


def test_parameters_are_checked():
    with pytest.raises(imbalance.ParameterError, match="'kind_sel' parameter"):
        EditedNearestNeighbours(kind_sel="most").fit(*continuous())
    with pytest.raises(imbalance.ParameterError, match="'max_iter' parameter"):
        RepeatedEditedNearestNeighbours(max_iter=0).fit(*continuous())


@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(400)])
def test_neighbour_lists_reread_after_removals_equal_a_fresh_search(data):
    from imbalance.cleaning import _Neighborhood  # the one piece whose shortcut needs its own proof

    X, _ = data()
    rng = np.random.default_rng(0)
    sampler = EditedNearestNeighbours()
    hood = _Neighborhood(sampler, X, depth=4)
    for share in (0.95, 0.7, 0.3):  # the last leaves many lists short: searched again
        alive = rng.random(len(X)) < share
        left = np.flatnonzero(alive)
        rows = left[rng.random(left.size) < 0.5]
        fresh = direct_neighbors(X[left], 3)[np.searchsorted(left, rows)]
        np.testing.assert_array_equal(hood.nearest(rows, 3, alive), left[fresh])


def test_table_level_methods_keep_the_index_and_measure_numeric_columns_only(churn):
    numeric = [c for c in churn.columns if c != "LABEL" and churn[c].dtype != bool
               and pd.api.types.is_numeric_dtype(churn[c])]
    for method, cls in [("tomek", TomekLinks), ("enn", EditedNearestNeighbours),
                        ("renn", RepeatedEditedNearestNeighbours), ("allknn", AllKNN),
                        ("ncr", NeighbourhoodCleaningRule), ("oss", lambda: OneSidedSelection(random_state=2)),
                        ("cnn", lambda: CondensedNearestNeighbour(random_state=2))]:
        out = imbalance.under_sample(churn, method=method, random_state=2)
        expected = cls().fit(churn[numeric], churn["LABEL"]).sample_indices_
        np.testing.assert_array_equal(out.index.to_numpy(), churn.index.to_numpy()[expected])
        assert list(out.columns) == list(churn.columns) and (out.dtypes == churn.dtypes).all()
        assert (out["LABEL"] == 1).sum() == 707  # the minority is never cleaned
    with pytest.raises(imbalance.ParameterError, match="method must be one of"):
        imbalance.under_sample(churn, method="nearmiss")


def test_compare_strategies_tomek_and_enn_are_opt_in(churn):
    from imbalance.strategies import default_strategies

    assert "tomek" not in default_strategies() and "enn" not in default_strategies()
    X, y = churn.drop(columns="LABEL"), churn["LABEL"]
    result = imbalance.compare(X, y, recipes=["none", "tomek", "enn"], models=["logreg"], cv=2)
    fit = result.results.groupby("strategy")["n_fit"].mean()
    assert fit["enn"] < fit["tomek"] < fit["none"]  # cleaning removed rows from the training parts only
    assert (result.results["n_test"].groupby(result.results["strategy"]).sum() == 5000).all()


# ----------------------------------------------------------------------------- NCR, OSS, CNN


def nearest_of(points, X, rows):
    """Position (in X) of the nearest of ``rows`` to each point: ties to the lower row."""
    rows = np.sort(rows)
    d = cdist(points, X[rows], "sqeuclidean")
    return rows[np.argmin(d, axis=1)]  # argmin: the first of equals


@pytest.mark.parametrize("self_vote", [False, True])
@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(300), lambda: continuous(300, classes=2)])
def test_neighbourhood_cleaning_rule_against_the_paper(data, self_vote):
    X, y = data()
    k = 3
    around = direct_neighbors(X, k)
    counts = np.bincount(y)
    minority = int(np.argmin(counts))
    a1 = [i for i in range(len(X)) if y[i] != minority and np.argmax(np.bincount(y[around[i]], minlength=y.max() + 1))
          != y[i]]
    a2 = set()
    for i in np.flatnonzero(y == minority):
        voters = np.r_[i, around[i][:k - 1]] if self_vote else around[i]
        if np.argmax(np.bincount(y[voters], minlength=y.max() + 1)) != minority:
            a2 |= {j for j in around[i] if y[j] != minority and counts[y[j]] > 0.5 * counts[minority]}
    sampler = NeighbourhoodCleaningRule(self_vote=self_vote)
    sampler.fit_resample(X, y)
    assert sorted(set(range(len(X))) - set(sampler.sample_indices_)) == sorted(set(a1) | a2)


@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(300), lambda: continuous(300, classes=2)])
@pytest.mark.parametrize("n_seeds", [1, 4])
def test_one_sided_selection_against_the_paper(data, n_seeds):
    X, y = data()
    sampler = OneSidedSelection(n_seeds_S=n_seeds, random_state=3)
    sampler.fit_resample(X, y)
    counts = np.bincount(y)
    minority = int(np.argmin(counts))
    seeds = sampler.seed_indices_
    assert len(seeds) == n_seeds * (len(counts) - 1)
    keep = set(np.flatnonzero(y == minority))
    for c in set(range(len(counts))) - {minority}:
        own_seeds = seeds[y[seeds] == c]
        reference = np.r_[np.flatnonzero(y == minority), own_seeds]
        others = np.setdiff1d(np.flatnonzero(y == c), own_seeds)
        nearest = nearest_of(X[others], X, reference)
        keep |= set(own_seeds) | set(others[y[nearest] != c])
    kept = np.array(sorted(keep))
    nearest = direct_neighbors(X[kept], 1)[:, 0]
    linked = [kept[i] for i in range(len(kept)) if y[kept[i]] != minority and y[kept[nearest[i]]] != y[kept[i]]
              and nearest[nearest[i]] == i]
    assert list(sampler.sample_indices_) == sorted(keep - set(linked))


def hart(X, y, seeds, minority):
    """Hart's condensed nearest neighbour, written as the paper says: pass until stable."""
    store = set(np.flatnonzero(y == minority)) | set(seeds)
    rows = [i for i in range(len(X)) if y[i] == y[seeds[0]]]
    while True:
        grew = False
        for i in rows:
            if i in store:
                continue
            if y[nearest_of(X[[i]], X, np.array(sorted(store)))[0]] != y[i]:
                store.add(i)
                grew = True
        if not grew:
            return sorted(j for j in store if y[j] == y[seeds[0]])


@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(300, classes=2), lambda: continuous(3000, classes=2),
                                  lambda: grid_6d(1500, [0.8, 0.2], seed=3)])
def test_condensed_nearest_neighbour_against_hart(data, monkeypatch):
    import imbalance.cleaning as cleaning

    monkeypatch.setattr(cleaning, "_CONDENSE_BLOCK", 64)  # many blocks: the incremental bookkeeping at work
    X, y = data()
    minority = int(np.argmin(np.bincount(y)))
    sampler = CondensedNearestNeighbour(random_state=1)
    sampler.fit_resample(X, y)
    expected = hart(X, y, sampler.seed_indices_, minority)
    kept = sampler.sample_indices_
    assert list(kept[y[kept] != minority]) == expected
    # Hart's property: 1-NN on the condensed set classifies every row of the class left out
    # correctly (a kept row may tie with a minority duplicate of itself on a grid)
    others = np.setdiff1d(np.flatnonzero(y != minority), kept)
    assert (y[nearest_of(X[others], X, kept)] == y[others]).all()


def test_condensed_and_one_sided_follow_the_seed_and_handle_several_classes():
    X, y = continuous(600)
    for cls in (CondensedNearestNeighbour, OneSidedSelection):
        a = cls(random_state=5).fit(X, y)
        b = cls(random_state=5).fit(X, y)
        c = cls(random_state=6).fit(X, y)
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
        assert not np.array_equal(a.seed_indices_, c.seed_indices_)
        assert a.plan_.targets[2] == np.bincount(y)[2]  # the minority stays whole
        assert sorted(np.unique(y[a.seed_indices_])) == [0, 1]


def grid_6d(n, weights, seed=0):
    """Rows on a small 6-D integer grid (exact ties everywhere), classes drawn by weights."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, 6)).astype(float)
    return X, rng.choice(len(weights), size=n, p=weights)


@pytest.mark.parametrize("kind_sel, k", [("all", 3), ("mode", 3), ("mode", 4), ("all", 1)])
@pytest.mark.parametrize("weights, classes", [([0.95, 0.05], None), ([0.05, 0.95], None), ([0.85, 0.1, 0.05], [0]),
                                              ([0.85, 0.15], "all")])
def test_enn_by_counting_equals_enn_by_neighbour_lists(kind_sel, k, weights, classes, monkeypatch):
    # Large classes are settled by counting their own rows before the other class's nearest
    # (cleaning._settled_by_counting); the answer must be the neighbour lists' answer, ties included.
    from imbalance import cleaning

    X, y = grid_6d(4000, weights)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", float("inf"))
    by_lists = EditedNearestNeighbours(kind_sel=kind_sel, n_neighbors=k, classes=classes).fit_resample(X, y)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", 0)
    counted = []
    real = cleaning._enn_counting.OwnCounter.ask
    monkeypatch.setattr(cleaning._enn_counting.OwnCounter, "ask",
                        lambda self, *a, **kw: counted.append(1) or real(self, *a, **kw))
    sampler = EditedNearestNeighbours(kind_sel=kind_sel, n_neighbors=k, classes=classes)
    by_counting = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(by_counting[0], by_lists[0])
    np.testing.assert_array_equal(by_counting[1], by_lists[1])
    assert counted or (kind_sel == "mode" and len(weights) > 2)  # mode counts with two classes only


def test_enn_by_counting_keeps_imbalanced_learns_rows():
    X, y = make_classification(n_samples=12000, n_features=10, n_informative=6, weights=[0.95], flip_y=0.02,
                               random_state=3)
    assert np.bincount(y).max() ** 2 >= 1e8  # large enough to be counted
    for kind_sel in ("all", "mode"):
        ours = EditedNearestNeighbours(kind_sel=kind_sel)
        ours.fit_resample(X, y)
        theirs = peer.EditedNearestNeighbours(kind_sel=kind_sel)
        theirs.fit_resample(X, y)
        np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))


@pytest.mark.parametrize("self_vote", [False, True])
@pytest.mark.parametrize("weights", [[0.95, 0.05], [0.05, 0.95], [0.85, 0.1, 0.05]])
def test_neighbourhood_cleaning_by_counting_equals_by_neighbour_lists(weights, self_vote, monkeypatch):
    from imbalance import cleaning

    X, y = grid_6d(4000, weights, seed=1)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", float("inf"))
    by_lists = NeighbourhoodCleaningRule(self_vote=self_vote).fit_resample(X, y)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", 0)
    by_counting = NeighbourhoodCleaningRule(self_vote=self_vote).fit_resample(X, y)
    np.testing.assert_array_equal(by_counting[0], by_lists[0])
    np.testing.assert_array_equal(by_counting[1], by_lists[1])


@pytest.mark.parametrize("make", [lambda: RepeatedEditedNearestNeighbours(),
                                  lambda: RepeatedEditedNearestNeighbours(kind_sel="mode", n_neighbors=4),
                                  lambda: AllKNN(), lambda: AllKNN(n_neighbors=4, allow_minority=True),
                                  lambda: AllKNN(kind_sel="mode")])
@pytest.mark.parametrize("weights, classes", [([0.95, 0.05], None), ([0.85, 0.1, 0.05], [0])])
def test_repeated_editing_by_counting_equals_by_neighbour_lists(make, weights, classes, monkeypatch):
    # Passes after the first recount only rows that lost a witness (cleaning._Witnesses).
    from imbalance import cleaning

    X, y = grid_6d(5000, weights, seed=2)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", float("inf"))
    listed = make().set_params(classes=classes)
    by_lists = listed.fit_resample(X, y)
    monkeypatch.setattr(cleaning, "_COUNTING_PAIRS", 0)
    counted = make().set_params(classes=classes)
    by_counting = counted.fit_resample(X, y)
    np.testing.assert_array_equal(by_counting[0], by_lists[0])
    np.testing.assert_array_equal(by_counting[1], by_lists[1])
    assert counted.n_iter_ == listed.n_iter_


@pytest.mark.parametrize("ours, theirs", [(RepeatedEditedNearestNeighbours, peer.RepeatedEditedNearestNeighbours),
                                          pytest.param(AllKNN, peer.AllKNN, marks=pytest.mark.slow)])
def test_repeated_editing_by_counting_keeps_imbalanced_learns_rows(ours, theirs):
    X, y = make_classification(n_samples=12000, n_features=10, n_informative=6, weights=[0.95], flip_y=0.02,
                               random_state=4)
    mine, peers = ours(), theirs()
    mine.fit_resample(X, y)
    peers.fit_resample(X, y)
    np.testing.assert_array_equal(mine.sample_indices_, np.sort(peers.sample_indices_))
    assert mine.n_iter_ == getattr(peers, "n_iter_", mine.n_iter_)
