"""Edges of the library's promises: degenerate data, extreme values, labels of every kind.

Each test here failed before it was fixed (issue 11); the CLI's share is in test_cli_edges.py.
"""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.class_weight import compute_class_weight

import imbalance
from imbalance import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE, ImbalanceError, InputError, StrategyError
from imbalance._neighbors import kneighbors

rng = np.random.default_rng(11)


def mixed(n=120, share=0.2):
    """One numeric column of non-integers, one categorical column (codes 0..2) as numbers."""
    y = (rng.random(n) < share).astype(int)
    numeric = rng.normal(50, 10, size=n).round(2)
    category = rng.integers(0, 3, size=n)
    return numeric, category, y


# ----------------------------------------------------------------------------- SMOTE-NC


def test_smotenc_on_all_categorical_data_measures_by_value_difference():
    # Once refused (the SMOTE-NC metric is empty without numeric features); now the value
    # difference metric of SMOTE-N finds the neighbours, and SMOTE-NC's vote makes the rows.
    X = pd.DataFrame({"a": list("xyzxyz") * 10, "b": list("ppqqrr") * 10})
    y = np.r_[np.zeros(50, int), np.ones(10, int)]
    X_res, y_res = SMOTENC(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [50, 50] and set(X_res["a"]) <= {"x", "y", "z"}
    X_arr, _ = SMOTENC(categorical_features=[0, 1], random_state=0).fit_resample(X.to_numpy(), y)
    np.testing.assert_array_equal(X_arr, X_res.to_numpy())


def test_smotenc_rounds_integer_arrays_instead_of_truncating():
    numeric, category, y = mixed()
    X_int = np.column_stack([np.rint(numeric * 100).astype(np.int64), category])  # e.g. 3588 for 35.88
    X_res, _ = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X_int, y)
    sampler = SMOTENC(categorical_features=[1], random_state=0)
    sampler.fit_resample(X_int, y)
    base, neighbor = sampler.parents_.T
    assert X_res.dtype == np.int64
    # the same rows as a float interpolation, rounded: the nearest integer, not the floor
    gap_rows = X_res[len(y):, 0]
    lo = np.minimum(X_int[base, 0], X_int[neighbor, 0])
    hi = np.maximum(X_int[base, 0], X_int[neighbor, 0])
    assert ((gap_rows >= lo) & (gap_rows <= hi)).all()
    floats, _ = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X_int.astype(float), y)
    np.testing.assert_array_equal(gap_rows, np.rint(floats[len(y):, 0]).astype(np.int64))
    assert (np.rint(floats[len(y):, 0]) != np.floor(floats[len(y):, 0])).any()  # truncation would differ


@pytest.mark.parametrize("spec", [[1], [-1], [False, True], np.array([False, True]), np.array([1])])
def test_smotenc_reads_categorical_features_as_scikit_learn_does(spec):
    numeric, category, y = mixed()
    X = np.column_stack([numeric, category])
    expected, _ = SMOTENC(categorical_features=[1], random_state=3).fit_resample(X, y)
    got, _ = SMOTENC(categorical_features=spec, random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(got, expected)


def test_smotenc_takes_column_names_and_positions_of_a_dataframe():
    numeric, category, y = mixed()
    X = pd.DataFrame({"amount": numeric, "kind": pd.Series(category).map({0: "a", 1: "b", 2: "c"})})
    by_name, _ = SMOTENC(categorical_features=["kind"], random_state=0).fit_resample(X, y)
    by_position, _ = SMOTENC(categorical_features=[-1], random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(by_name, by_position)


@pytest.mark.parametrize(
    "spec, words",
    [
        ([2], "position 2 is out of range for X with 2 columns"),
        ([-3], "position -3 is out of range"),
        (["kind"], "positions \\(X is an array, so no names\\)"),
        ([True], "boolean mask of 1 values but X has 2 columns"),
        ("all", "must be a str among {'auto'} or an array-like"),
        ("auto", "needs a DataFrame"),
        ([1.5], "must hold positions"),
    ],
)
def test_smotenc_bad_categorical_features_are_imbalance_errors(spec, words):
    numeric, category, y = mixed()
    with pytest.raises(ImbalanceError, match=words):
        SMOTENC(categorical_features=spec).fit_resample(np.column_stack([numeric, category]), y)


def test_smotenc_unknown_column_name_is_an_imbalance_error():
    numeric, category, y = mixed()
    X = pd.DataFrame({"amount": numeric, "kind": category.astype(str)})
    with pytest.raises(InputError, match="'nope', which is not a column"):
        SMOTENC(categorical_features=["nope"]).fit_resample(X, y)


# ----------------------------------------------------------------------------- neighbours at extreme scales


@pytest.mark.parametrize("dtype, scale", [(np.float64, 1e200), (np.float64, 1e-200), (np.float32, 1e30),
                                          (np.float32, 1e-30)])
def test_neighbours_are_the_same_at_extreme_scales(dtype, scale):
    X = rng.normal(size=(300, 7)).astype(dtype)
    _, expected = kneighbors(X, 4)
    _, got = kneighbors((X * dtype(scale)).astype(dtype), 4)
    np.testing.assert_array_equal(got, expected)
    # and against an independent search on the unscaled rows
    reference = NearestNeighbors(n_neighbors=5).fit(X.astype(np.float64)).kneighbors()[1]
    np.testing.assert_array_equal(np.sort(got, axis=1), np.sort(reference[:, :4], axis=1))


def test_smote_picks_true_neighbours_for_values_above_1e154():
    X = rng.normal(size=(200, 4))
    y = np.r_[np.zeros(170, int), np.ones(30, int)]
    small = SMOTE(random_state=0)
    small.fit_resample(X, y)
    huge = SMOTE(random_state=0)
    X_huge, _ = huge.fit_resample(X * 1e200, y)
    np.testing.assert_array_equal(huge.parents_, small.parents_)
    assert np.isfinite(X_huge).all()


# ----------------------------------------------------------------------------- raw exceptions -> ImbalanceError


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: imbalance.plan([0, 0, 1], "under", ratio=1e19), StrategyError, "ratio 1e\\+19 is larger"),
        (lambda: imbalance.plan([0, 0, 1], "over", ratio=1e308), StrategyError, "larger than any row count"),
        (lambda: imbalance.plan([0, 0, 1], {0: 10**30}), StrategyError, "target for class 0 is 10{30} rows"),
        (lambda: imbalance.plan(np.array([0, 0, 1]), {np.int64(7): 3}), StrategyError, "unknown class 7 in"),
        (lambda: imbalance.class_weights(sp.csr_matrix([[0, 1, 1]]), "balanced"), TypeError, "sparse csr_matrix"),
        (lambda: SMOTE().fit_resample(np.zeros((10, 0)), [0] * 5 + [1] * 5), InputError, "X has no columns"),
        (lambda: SMOTE().fit_resample(pd.DataFrame(index=range(10)), [0] * 5 + [1] * 5), InputError,
         "X has no columns"),
        (lambda: BorderlineSMOTE(m_neighbors=20).fit_resample(rng.normal(size=(12, 2)), [0] * 8 + [1] * 4),
         InputError, "m_neighbors=20 asks for 20 neighbours of every row, but X has only 12 rows"),
        (lambda: BorderlineSMOTE(k_neighbors=6, m_neighbors=2, kind="borderline-2").fit_resample(
            rng.normal(size=(6, 2)), [0, 0, 0, 0, 1, 1]), InputError, "lower k_neighbors to at most 5"),
        (lambda: ADASYN(k_neighbors=15).fit_resample(rng.normal(size=(12, 2)), [0] * 8 + [1] * 4),
         InputError, "k_neighbors=15 asks for 15 neighbours"),
    ],
)
def test_raw_exceptions_became_clear_errors(call, error, words):
    with pytest.raises(error, match=words) as info:
        call()
    assert isinstance(info.value, ImbalanceError)
    assert "np.int64" not in str(info.value)


def test_messages_show_labels_as_written():
    y = np.array([0] * 50 + [1] * 3)
    with pytest.raises(InputError) as info:
        SMOTE().fit_resample(rng.normal(size=(53, 2)), y)
    assert "class 1 has 3 rows" in str(info.value)


# ----------------------------------------------------------------------------- categorical labels


def test_categorical_labels_follow_the_declared_order():
    y = pd.Series(pd.Categorical(["high"] * 2 + ["low"] * 6 + ["mid"] * 4,
                                 categories=["low", "mid", "high", "unused"], ordered=True))
    plan = imbalance.plan(y, "over")
    assert list(plan.counts) == ["low", "mid", "high"]
    assert list(plan.targets.items()) == [("low", 6), ("mid", 6), ("high", 6)]
    weights = imbalance.class_weights(y, "balanced")
    assert list(weights) == ["low", "mid", "high"]
    expected = compute_class_weight("balanced", classes=np.array(["low", "mid", "high"]), y=y.astype(str))
    np.testing.assert_allclose(list(weights.values()), expected)
    assert list(imbalance.class_weights(pd.Categorical(y), "balanced")) == ["low", "mid", "high"]


def test_categorical_labels_resample_and_keep_their_dtype():
    y = pd.Series(pd.Categorical(["b"] * 9 + ["a"] * 3, categories=["b", "a"]))
    X = pd.DataFrame({"v": np.arange(12)})
    X_res, y_res = imbalance.resample(X, y, "under", random_state=0)
    assert y_res.dtype == y.dtype
    assert y_res.value_counts().to_dict() == {"b": 3, "a": 3}


def test_categorical_labels_with_missing_values_are_refused():
    y = pd.Series(pd.Categorical(["a", None, "b", "a"]))
    with pytest.raises(imbalance.LabelError, match="1 missing label"):
        imbalance.plan(y)


def test_prior_correction_with_categorical_labels_matches_plain_labels():
    from sklearn.linear_model import LogisticRegression

    from imbalance.model_selection import PriorCorrectedClassifier

    X = rng.normal(size=(300, 2))
    y = np.where(rng.random(300) < 0.2, "z_rare", "a_common")
    X[y == "z_rare"] += 1
    y_cat = pd.Series(pd.Categorical(y, categories=["z_rare", "a_common"]))
    plain = PriorCorrectedClassifier(LogisticRegression(), sampler=imbalance.UnderSampler(random_state=0)).fit(X, y)
    categorical = PriorCorrectedClassifier(LogisticRegression(),
                                           sampler=imbalance.UnderSampler(random_state=0)).fit(X, y_cat)
    np.testing.assert_array_equal(categorical.classes_, plain.classes_)
    np.testing.assert_allclose(categorical.predict_proba(X), plain.predict_proba(X))
