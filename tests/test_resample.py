import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

import imbalance
from imbalance import InputError, InputTypeError, LabelError, plan
from imbalance.datasets import load_churn

counts_st = st.dictionaries(st.integers(0, 30), st.integers(1, 200), min_size=2, max_size=6)
strategy_st = st.sampled_from(["under", "over"])
ratio_st = st.one_of(st.just(1.0), st.integers(1, 5), st.floats(1.0, 5.0))


@st.composite
def labelled_rows(draw):
    counts = draw(counts_st)
    y = np.repeat(list(counts), list(counts.values()))
    y = np.random.default_rng(draw(st.integers(0, 2**16))).permutation(y)
    return y


def bincount_dict(y):
    values, counts = np.unique(y, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist()))


@given(y=labelled_rows(), strategy=strategy_st, ratio=ratio_st, seed=st.integers(0, 2**32 - 1))
def test_realized_counts_equal_the_plan(y, strategy, ratio, seed):
    X = np.arange(y.size)  # each row is its own position
    y_before, X_before = y.copy(), X.copy()
    X_res, y_res = imbalance.resample(X, y, strategy, ratio=ratio, random_state=seed)
    np.testing.assert_array_equal(y, y_before)  # inputs never mutated
    np.testing.assert_array_equal(X, X_before)
    assert bincount_dict(y_res) == plan(y, strategy, ratio=ratio).targets
    np.testing.assert_array_equal(y[X_res], y_res)  # labels travel with their rows
    if strategy == "under":
        assert np.unique(X_res).size == X_res.size  # without replacement: a subset
        assert np.all(np.diff(X_res) > 0)  # kept rows keep their order
    else:
        np.testing.assert_array_equal(X_res[: y.size], X)  # every original kept, first
    again = imbalance.resample(X, y, strategy, ratio=ratio, random_state=seed)
    np.testing.assert_array_equal(again[0], X_res)


@given(y=labelled_rows(), strategy=strategy_st, seed=st.integers(0, 2**16))
def test_counts_and_indices_agree_with_resample(y, strategy, seed):
    X = np.arange(y.size)
    X_res, _ = imbalance.resample(X, y, strategy, random_state=seed)
    idx = imbalance.resample_indices(y, strategy, random_state=seed)
    counts = imbalance.resample_counts(y, strategy, random_state=seed)
    np.testing.assert_array_equal(idx, X_res)
    np.testing.assert_array_equal(counts, np.bincount(X_res, minlength=y.size))
    assert counts.dtype == np.int64


@given(y=labelled_rows(), seed=st.integers(0, 2**16))
def test_mixed_dict_moves_classes_both_ways(y, seed):
    classes = np.unique(y)
    targets = {classes[0].item(): 3, classes[-1].item(): 250}
    X_res, y_res = imbalance.resample(np.arange(y.size), y, targets, random_state=seed)
    assert bincount_dict(y_res) == plan(y, targets).targets


def test_many_classes_take_the_sorting_path():
    rng = np.random.default_rng(0)
    y = rng.zipf(1.6, 20_000) % 40
    X_res, y_res = imbalance.resample(np.arange(y.size), y, "under", ratio=2, random_state=1)
    assert bincount_dict(y_res) == plan(y, "under", ratio=2).targets
    assert np.unique(X_res).size == X_res.size
    X_res, y_res = imbalance.resample(np.arange(y.size), y, "over", random_state=1)
    assert bincount_dict(y_res) == plan(y, "over").targets


def test_pandas_in_pandas_out_on_churn():
    df = load_churn()
    df.index = pd.RangeIndex(1000, 1000 + len(df))
    before = df.copy()
    X, y = df.drop(columns="LABEL"), df["LABEL"]
    X_res, y_res = imbalance.resample(X, y, "under", ratio=3, random_state=0)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert list(X_res.columns) == list(X.columns)
    assert (X_res.dtypes == X.dtypes).all()
    assert y_res.value_counts().to_dict() == {0: 2121, 1: 707}
    pd.testing.assert_index_equal(X_res.index, y_res.index)
    pd.testing.assert_frame_equal(X_res, X.loc[X_res.index])  # every row traces to its source


def test_table_helpers_on_churn():
    df = load_churn()
    before = df.copy()
    small = imbalance.under_sample(df, label_col="LABEL", ratio=3, random_state=0)
    assert small["LABEL"].value_counts().to_dict() == {0: 2121, 1: 707}
    assert small.index.is_unique and small.index.isin(df.index).all()
    big = imbalance.over_sample(df, label_col="LABEL", random_state=0)
    assert big["LABEL"].value_counts().to_dict() == {0: 4293, 1: 4293}
    pd.testing.assert_frame_equal(big.iloc[: len(df)], df)
    extra = big.iloc[len(df):]
    pd.testing.assert_frame_equal(extra, df.loc[extra.index])  # repeated index points to the source
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(small, imbalance.under_sample(df, label_col="LABEL", ratio=3, random_state=0))
    assert not small.equals(imbalance.under_sample(df, label_col="LABEL", ratio=3, random_state=1))


def test_aligned_arrays_follow_the_rows():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 300)
    X = rng.normal(size=(300, 4)).astype(np.float32)
    w, g = np.arange(300.0), pd.Series(np.arange(300) // 10)
    X_res, y_res, extra = imbalance.resample(X, y, "over", random_state=5, aligned={"sample_weight": w, "groups": g})
    idx = imbalance.resample_indices(y, "over", random_state=5)
    np.testing.assert_array_equal(extra["sample_weight"], w[idx])
    pd.testing.assert_series_equal(extra["groups"], g.take(idx))
    assert X_res.dtype == np.float32
    _, _, as_list = imbalance.resample(X, y, "over", random_state=5, aligned=[w])
    assert isinstance(as_list, list)
    np.testing.assert_array_equal(as_list[0], w[idx])


def test_sparse_and_list_inputs_keep_their_type():
    y = np.array([0] * 8 + [1] * 2)
    X = np.arange(20.0).reshape(10, 2)
    dense, _ = imbalance.resample(X, y, "over", random_state=0)
    for fmt in ("csr", "csc", "coo"):
        X_sp, _ = imbalance.resample(sp.csr_matrix(X).asformat(fmt), y, "over", random_state=0)
        assert X_sp.format == fmt
        np.testing.assert_array_equal(X_sp.toarray(), dense)
    X_list, y_list = imbalance.resample(X.tolist(), y.tolist(), "over", random_state=0)
    assert isinstance(X_list, list) and isinstance(y_list, list)
    np.testing.assert_array_equal(X_list, dense)


def test_over_sampling_fast_path_matches_general_take():
    y = np.array([0] * 50 + [1] * 5)
    X = np.random.default_rng(0).normal(size=(55, 3, 2))  # any trailing shape
    X_res, _ = imbalance.resample(X, y, "over", random_state=2)
    np.testing.assert_array_equal(X_res, X[imbalance.resample_indices(y, "over", random_state=2)])


def test_generator_and_randomstate_seeds():
    y = np.array([0] * 80 + [1] * 20)
    a = imbalance.resample_indices(y, random_state=np.random.default_rng(7))
    b = imbalance.resample_indices(y, random_state=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    c = imbalance.resample_indices(y, random_state=np.random.RandomState(7))
    assert c.size == 40


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: imbalance.resample(np.zeros((3, 2)), [0, 1], "under"), InputError, "X has 3 rows but the labels have 2"),
        (lambda: imbalance.resample(np.zeros((2, 2)), [0, 1], aligned={"w": [1]}), InputError, "w has 1 rows"),
        (lambda: imbalance.resample(np.zeros((2, 2)), [0, 1], aligned="w"), InputTypeError, "aligned must be"),
        (lambda: imbalance.under_sample(np.zeros((2, 2))), InputTypeError, "expected a pandas DataFrame"),
        (lambda: imbalance.under_sample(pd.DataFrame({"a": [0, 1]})), InputError, "label column 'LABEL' is not"),
        (lambda: imbalance.under_sample(pd.DataFrame({"LABEL": [1, 1]})), LabelError, "only one class"),
        (lambda: imbalance.resample_indices([0, 1], random_state=-1), InputError, "non-negative"),
        (lambda: imbalance.resample_indices([0, 1], random_state="seed"), InputTypeError, "random_state must be"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()
