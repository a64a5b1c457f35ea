"""Chains of samplers: SamplerChain, SMOTEENN, SMOTETomek: the same as their steps by hand, with provenance."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTE as PeerSMOTE
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.datasets import make_classification

import imbalance.cleaning as cleaning_module
from imbalance import (
    SMOTE,
    SMOTEENN,
    ClusterCentroids,
    EditedNearestNeighbours,
    ParameterError,
    SamplerChain,
    SMOTETomek,
    TomekLinks,
    UnderSampler,
)
from imbalance.resample import keep_rows_in_place
from imbalance.samplers import BaseSampler, Resampled


@parametrize_with_checks([SamplerChain([SMOTE(), TomekLinks()], random_state=0), SMOTEENN(random_state=0),
                          SMOTETomek(random_state=0)])
def test_imbalanced_learn_estimator_checks(estimator, check):
    check(estimator)


def data(n=1500, seed=0, classes=2):
    weights = [0.9] if classes == 2 else [0.7, 0.2]
    return make_classification(n_samples=n, n_features=6, n_informative=4, n_classes=classes, weights=weights,
                               n_clusters_per_class=1, random_state=seed)


@pytest.mark.parametrize("chain, cleaning", [(SMOTEENN, EditedNearestNeighbours), (SMOTETomek, TomekLinks)])
@pytest.mark.parametrize("classes", [2, 3])
def test_smote_then_cleaning_is_the_two_steps_by_hand(chain, cleaning, classes):
    X, y = data(classes=classes)
    sampler = chain(ratio=1.5, random_state=4)
    X_res, y_res = sampler.fit_resample(X, y)
    X1, y1 = SMOTE(ratio=1.5, random_state=4).fit_resample(X, y)
    X2, y2 = cleaning(classes="all").fit_resample(X1, y1)
    np.testing.assert_array_equal(X_res, X2)
    np.testing.assert_array_equal(y_res, y2)
    assert sampler.plan_.targets == dict(enumerate(np.bincount(y_res).tolist()))
    assert sampler.plan_.counts == dict(enumerate(np.bincount(y).tolist()))
    assert sampler.plan_.strategy == chain.__name__
    assert_provenance(sampler, X, y, X_res, y_res)


@pytest.mark.parametrize("classes", [2, 3])
def test_smoteenn_counts_on_smotes_array_and_keeps_the_rows_the_lists_keep(classes, monkeypatch):
    # On the array a chain hands over, ENN counts (one class's packing at a time) even on
    # SMOTE's balanced classes, where on its own it would list every row's neighbours: the
    # rows kept must be the same. Large enough that counting applies (a class of 10,000+).
    counters = []

    class Recorded(cleaning_module._enn_counting.OwnCounter):
        def __init__(self, *args, **kwargs):
            counters.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(cleaning_module._enn_counting, "OwnCounter", Recorded)
    X, y = data(n=16000, classes=classes)
    X_res, y_res = SMOTEENN(random_state=2).fit_resample(X, y)
    assert len(counters) == classes  # every class counted
    X1, y1 = SMOTE(random_state=2).fit_resample(X, y)
    assert np.bincount(y1).min() ** 2 >= cleaning_module._COUNTING_PAIRS
    enn = EditedNearestNeighbours(classes="all")
    X2, y2 = enn.fit_resample(X1, y1)
    assert len(counters) == classes  # on its own, on balanced classes: the lists
    np.testing.assert_array_equal(X_res, X2)
    np.testing.assert_array_equal(y_res, y2)
    assert not any(name.startswith("_memory") for name in vars(enn))  # no state left behind: owned= is a keyword


def test_the_cleaning_step_shrinks_smotes_array_in_place_and_leaves_the_input_alone():
    # SMOTE's output is the chain's own: the cleaning rule keeps its rows by moving them up
    # and shrinking that array, so the result owns exactly its rows and no copy was made.
    X, y = data()
    X_before = X.copy()
    X_res, y_res = SMOTEENN(random_state=1).fit_resample(X, y)
    X1, y1 = SMOTE(random_state=1).fit_resample(X, y)
    X2, _ = EditedNearestNeighbours(classes="all").fit_resample(X1, y1)
    np.testing.assert_array_equal(X_res, X2)
    assert X_res.flags.owndata and X_res.base is None and X_res.shape == X2.shape
    np.testing.assert_array_equal(X, X_before)
    held, handed = [X1], id(X1)
    del X1
    X3, _ = EditedNearestNeighbours(classes="all")._fit_resample_handed_over(held, y1)
    assert id(X3) == handed  # the very array SMOTE made, shrunk
    np.testing.assert_array_equal(X3, X2)


def test_rows_kept_in_place_are_the_rows_taken():
    rng = np.random.default_rng(3)
    data_ = rng.normal(size=(10_000, 3))
    rows = np.sort(rng.choice(10_000, 6_000, replace=False))
    expected = data_[rows]
    held = [data_.copy()]
    kept = keep_rows_in_place(held, rows)
    np.testing.assert_array_equal(kept, expected)
    assert held == [] and kept.flags.owndata and kept.shape == (6_000, 3)
    shared = data_.copy()
    view = shared[:10]  # something else refers to it: the kept rows are copied instead
    kept = keep_rows_in_place([shared], rows)
    np.testing.assert_array_equal(kept, expected)
    assert view.base is shared and kept.base is None


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 9000), d=st.integers(1, 3), data=st.data())
def test_property_rows_kept_in_place_are_the_rows_taken(n, d, data):
    # Any ascending subset, across the blocks rows are moved in, is data[rows].
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    values = rng.normal(size=(n, d))
    rows = np.flatnonzero(rng.random(n) < data.draw(st.floats(0, 1), label="share kept"))
    kept = keep_rows_in_place([values.copy()], rows)
    np.testing.assert_array_equal(kept, values[rows])


def assert_provenance(sampler, X, y, X_res, y_res):
    """Real rows are their input rows; each synthetic row lies between its two parents, of its class."""
    real = ~sampler.is_synthetic_
    np.testing.assert_array_equal(X_res[real], X[sampler.origin_[real]])
    np.testing.assert_array_equal(y_res[real], y[sampler.origin_[real]])
    base, neighbor = sampler.parents_.T
    assert (base >= 0).all() and (y[base] == y_res[~real]).all()
    step, offset = X[neighbor] - X[base], X_res[~real] - X[base]
    gap = np.einsum("ij,ij->i", offset, step) / np.maximum(np.einsum("ij,ij->i", step, step), 1e-300)
    np.testing.assert_allclose(offset, gap[:, None] * step, atol=1e-9)
    assert ((gap >= -1e-12) & (gap < 1 + 1e-12)).all()


def test_a_general_chain_maps_provenance_through_every_step():
    X, y = data(classes=3)
    chain = SamplerChain([UnderSampler(ratio=3), SMOTE(), TomekLinks(classes="all")], random_state=7)
    X_res, y_res = chain.fit_resample(X, y)
    assert_provenance(chain, X, y, X_res, y_res)
    u, s, t = chain.steps_
    assert u.random_state != s.random_state  # each step its own seed, drawn from the chain's
    X_again, _ = SamplerChain([UnderSampler(ratio=3), SMOTE(), TomekLinks(classes="all")], random_state=7).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_again)
    assert not hasattr(chain, "sample_indices_")
    selection = SamplerChain([UnderSampler(ratio=2), TomekLinks()], random_state=0)
    X_sel, _ = selection.fit_resample(X, y)
    np.testing.assert_array_equal(X_sel, X[selection.sample_indices_])
    assert selection.plan_.direction == "under"


def test_parents_made_up_by_an_earlier_step_are_minus_one():
    X, y = data()
    chain = SamplerChain([ClusterCentroids(ratio=2), SMOTE()], random_state=0)
    X_res, y_res = chain.fit_resample(X, y)
    centroids = chain.is_synthetic_ & (y_res == 0)  # class 0 was shrunk to centroids, class 1 grown by SMOTE
    assert centroids.sum() == 2 * np.bincount(y)[1]
    first, second = chain.parents_[centroids[chain.is_synthetic_]].T
    assert (first >= 0).all() and (second == -1).all()  # a centroid's nearest row, no second parent


def test_provenance_through_two_smote_steps_and_a_cleaning_equals_following_each_step():
    # The chain composes provenance from the last step back; following every step forward by
    # hand must give the same origin and parents (a parent made up by the first SMOTE: -1).
    X, y = data()
    chain = SamplerChain([SMOTE(ratio=3), SMOTE(), TomekLinks(classes="all")], random_state=3)
    chain.fit_resample(X, y)
    origin = np.arange(len(X))
    parents = np.full((len(X), 2), -1)
    for step in chain.steps_:
        own = step.origin_
        made = own < 0
        new_origin = np.where(made, -1, origin[np.maximum(own, 0)])
        new_parents = np.where(made[:, None], -1, parents[np.maximum(own, 0)])
        if made.any():
            step_parents = step.parents_
            new_parents[made] = np.where(step_parents >= 0, origin[np.maximum(step_parents, 0)], -1)
        origin, parents = new_origin, new_parents
    np.testing.assert_array_equal(chain.origin_, origin)
    np.testing.assert_array_equal(chain.parents_, parents[origin < 0])
    assert (chain.parents_ == -1).any() and (chain.parents_ >= 0).any()  # parents of both kinds


def test_pandas_in_pandas_out():
    X, y = data()
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)], index=np.arange(len(X)) + 100)
    X_res, y_res = SMOTEENN(random_state=0).fit_resample(df, pd.Series(y, index=df.index, name="t"))
    assert list(X_res.columns) == list(df.columns) and X_res.index.equals(y_res.index)
    assert y_res.name == "t"


def test_steps_must_say_where_rows_come_from():
    X, y = data()
    with pytest.raises(ParameterError, match="PeerSMOTE|SMOTE does not say which input row"):
        SamplerChain([PeerSMOTE(random_state=0)]).fit_resample(X, y)
    with pytest.raises(ParameterError, match="at least one step"):
        SamplerChain([]).fit_resample(X, y)


def test_compare_runs_the_neighbourhood_strategies_on_training_parts_only(churn):
    import imbalance
    from imbalance.strategies import STRATEGIES, default_strategies

    names = ["nearmiss1", "cluster_centroids", "smote_enn", "smote_tomek", "svm_smote", "ros_shrinkage", "ncr"]
    assert not set(names) & set(default_strategies())  # opt-in: the default set stays fast
    assert all(STRATEGIES[n].description for n in names)
    X, y = churn.drop(columns="LABEL").iloc[:1500], churn["LABEL"].iloc[:1500]
    result = imbalance.compare(X, y, recipes=["none", *names], models=["logreg"], cv=3, random_state=0)
    fit = result.results.pivot(index="fold", columns="strategy", values="n_fit")
    train = result.results.pivot(index="fold", columns="strategy", values="n_train")["none"]
    minority = train - fit["ros_shrinkage"] / 2  # ros_shrinkage fits 2 x the majority of the training part
    assert ((fit["ros_shrinkage"] % 2) == 0).all() and (minority > 0).all()
    assert (fit["nearmiss1"] == 2 * minority).all()  # 1:1 by NearMiss, exactly
    assert (fit["cluster_centroids"] <= 2 * minority).all() and (fit["cluster_centroids"] > 1.8 * minority).all()
    assert (fit["smote_enn"] < fit["smote_tomek"]).all() and (fit["smote_tomek"] <= fit["ros_shrinkage"]).all()
    assert (result.results.groupby("strategy")["n_test"].sum() == 1500).all()
    assert result.results["average_precision"].between(0, 1).all()


# ----------------------------------------------------------------------------- every method: one call, bad input

ALL_METHODS = ["tomek", "enn", "renn", "allknn", "ncr", "oss", "cnn", "nearmiss1", "nearmiss2", "nearmiss3",
               "cluster_centroids", "iht", "smote", "borderline", "adasyn", "svm_smote", "kmeans_smote",
               "smote_enn", "smote_tomek", "ros_shrinkage"]


@pytest.mark.filterwarnings("ignore:NearMiss-3 found:UserWarning", "ignore:class 1 has no rows in danger:UserWarning")
@pytest.mark.parametrize("method", [pytest.param(m, marks=pytest.mark.slow) if m == "iht" else m for m in ALL_METHODS])
def test_every_method_in_one_call_is_its_sampler(method):  # iht trains a forest per fold: slow tier
    import imbalance
    from imbalance.tables import make_sampler

    X, y = data(600)
    X_res, y_res = imbalance.resample_with(X, y, method, ratio=2, random_state=3)
    X_ref, y_ref = make_sampler(method, ratio=2, random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("method", [m for m in ALL_METHODS if m != "iht"])  # iht takes what its classifier takes
def test_bad_input_is_one_clear_error_for_every_method(method):
    import imbalance

    X, y = data(600)
    with_nan = X.copy()
    with_nan[7, 2] = np.nan
    with pytest.raises(imbalance.ImbalanceError, match="NaN"):
        imbalance.resample_with(with_nan, y, method, random_state=0)
    text = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(colour="red")
    with pytest.raises(imbalance.ImbalanceError, match="colour"):
        imbalance.resample_with(text, y, method, random_state=0)
    with pytest.raises(imbalance.ParameterError, match="has no parameter n_neigbors"):
        imbalance.resample_with(X, y, method, n_neigbors=3)


def test_a_class_too_small_for_k_is_one_clear_error():
    import imbalance

    X, y = data(600)
    y = y.copy()
    y[np.flatnonzero(y == 1)[3:]] = 0  # three minority rows
    for method, words in [("smote", "fewer than k_neighbors"), ("nearmiss1", "lower n_neighbors"),
                          ("smote_enn", "fewer than k_neighbors")]:
        with pytest.raises(imbalance.ImbalanceError, match=words):
            imbalance.resample_with(X, y, method, k_neighbors=5, n_neighbors=5) if method == "nearmiss1" else \
                imbalance.resample_with(X, y, method, k_neighbors=5)


class _Recording(BaseSampler):
    """Keeps every row; records whether it was handed an array no one else holds."""

    _strategy = "under"
    seen: list = []

    def _fit_resample(self, X, labels, rng, *, owned=False):
        type(self).seen.append(owned)
        return Resampled(np.arange(len(X)))


def test_the_chain_says_when_it_hands_over_an_array_of_its_own():
    X, y = make_classification(300, weights=[0.8], random_state=0)
    _Recording.seen = []
    SamplerChain([_Recording(), _Recording()]).fit_resample(X, y)
    assert _Recording.seen == [False, True]  # the caller's X is never handed over; the first step's output is
    _Recording.seen = []
    SamplerChain([SMOTE(random_state=0), _Recording()]).fit_resample(X, y)  # SMOTE made a new array
    assert _Recording.seen == [True]
    _Recording.seen = []
    _Recording().fit_resample(X, y)
    assert _Recording.seen == [False]


def test_a_sampler_without_its_hook_cannot_be_made():
    class NoHook(BaseSampler):
        _strategy = "under"

    with pytest.raises(TypeError, match="abstract"):
        NoHook()
