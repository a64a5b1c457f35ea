"""The SMOTE family: exact counts, the segment property, variants against direct computations."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.neighbors import NearestNeighbors

import imbalance
from imbalance import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    InputError,
    InputTypeError,
    KMeansSMOTE,
)
from imbalance.datasets import load_churn

rng = np.random.default_rng(0)


def blobs(n=400, share=0.1, dims=3, dtype=np.float64):
    X = rng.normal(size=(n, dims)).astype(dtype)
    y = (rng.random(n) < share).astype(int)
    X[y == 1] += 1.0
    return X, y


@parametrize_with_checks([
    SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0),
    SMOTENC(categorical_features=[0], random_state=0), SMOTEN(random_state=0), SVMSMOTE(random_state=0),
    KMeansSMOTE(random_state=0, cluster_balance_threshold=0.0),
])
def test_imbalanced_learn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "no rows in danger" on check data
        check(estimator)


@pytest.mark.parametrize("sampler", [SMOTE, BorderlineSMOTE, ADASYN])
@pytest.mark.parametrize("ratio", [1.0, 2.5])
def test_counts_follow_the_plan_and_originals_stay(sampler, ratio):
    X, y = blobs()
    s = sampler(ratio=ratio, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X_res, y_res = s.fit_resample(X, y)
    assert dict(zip(*np.unique(y_res, return_counts=True))) == imbalance.plan(y, "over", ratio=ratio).targets
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert s.is_synthetic_.sum() == len(X_res) - len(X) == len(s.parents_)
    np.testing.assert_array_equal(y_res[len(X):], y[s.parents_[:, 0]])


@pytest.mark.parametrize("sampler", [SMOTE(random_state=2), ADASYN(random_state=2),
                                     BorderlineSMOTE(kind="borderline-1", random_state=2)])
def test_every_synthetic_row_lies_on_the_segment_between_its_parents(sampler):
    X, y = blobs(dims=4)
    X_res, _ = sampler.fit_resample(X, y)
    a, b = X[sampler.parents_[:, 0]], X[sampler.parents_[:, 1]]
    new = X_res[len(X):]
    assert (sampler.parents_[:, 0] != sampler.parents_[:, 1]).all()
    d = b - a
    g = np.sum((new - a) * d, axis=1) / np.sum(d * d, axis=1)  # the gap, by projection
    assert ((g >= -1e-12) & (g < 1 + 1e-12)).all()
    np.testing.assert_allclose(new, a + g[:, None] * d, atol=1e-12)  # exactly on the segment
    assert (y[sampler.parents_[:, 1]] == y[sampler.parents_[:, 0]]).all()  # same-class neighbours


def test_neighbours_are_the_k_nearest_of_the_same_class():
    X, y = blobs(dims=2)
    s = SMOTE(k_neighbors=3, random_state=0)
    s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    nn = NearestNeighbors(n_neighbors=4).fit(X[minority])
    allowed = {i: set(minority[nn.kneighbors(X[[i]], return_distance=False)[0][1:]]) for i in minority}
    assert all(b in allowed[a] for a, b in s.parents_)


def test_same_seed_same_rows_and_float32_stays_float32():
    X, y = blobs(dtype=np.float32)
    a, _ = imbalance.smote(X, y, random_state=5)
    b, _ = imbalance.smote(X, y, random_state=5)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32
    c, _ = imbalance.smote(X, y, random_state=6)
    assert not np.array_equal(a, c)
    _, _, parents = imbalance.smote(X, y, random_state=5, return_parents=True)
    assert parents.shape == (len(a) - len(X), 2)


def test_pandas_round_trip_on_churn():
    df = load_churn()
    numeric = df.select_dtypes("number").drop(columns="LABEL")
    numeric.index = numeric.index + 100
    y = df["LABEL"].set_axis(numeric.index)
    before = numeric.copy()
    X_res, y_res = SMOTE(random_state=0).fit_resample(numeric, y)
    pd.testing.assert_frame_equal(numeric, before)  # input untouched
    assert list(X_res.columns) == list(numeric.columns) and (X_res.dtypes == numeric.dtypes).all()
    pd.testing.assert_frame_equal(X_res.iloc[: len(numeric)], numeric)  # originals, index kept
    new_index = X_res.index[len(numeric):]
    assert new_index[0] == numeric.index.max() + 1 and X_res.index.is_unique
    pd.testing.assert_index_equal(y_res.index, X_res.index)
    # integer columns are rounded, not truncated
    s = SMOTE(random_state=0)
    X_res, _ = s.fit_resample(numeric, y)
    calls = numeric["total_day_calls"].to_numpy(float)
    a, b = calls[s.parents_[:, 0]], calls[s.parents_[:, 1]]
    minutes = numeric["total_day_minutes"].to_numpy()
    ma, mb = minutes[s.parents_[:, 0]], minutes[s.parents_[:, 1]]
    new_minutes = X_res["total_day_minutes"].to_numpy()[len(numeric):]
    g = np.divide(new_minutes - ma, mb - ma, out=np.full(len(ma), np.nan), where=mb != ma)
    ok = ~np.isnan(g)
    np.testing.assert_array_equal(X_res["total_day_calls"].to_numpy()[len(numeric):][ok], np.rint(a + g * (b - a))[ok])


def test_borderline_synthesises_only_from_danger_rows():
    X, y = blobs(n=500, share=0.2, dims=2)
    s = BorderlineSMOTE(m_neighbors=8, random_state=0)
    s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    around = NearestNeighbors(n_neighbors=9).fit(X).kneighbors(X[minority], return_distance=False)[:, 1:]
    others = (y[around] != 1).sum(axis=1)
    danger = set(minority[(others >= 4) & (others < 8)])
    assert danger and set(s.parents_[:, 0]) <= danger


def test_borderline_2_halves_the_gap_towards_other_classes():
    X, y = blobs(n=500, share=0.2, dims=2)
    s = BorderlineSMOTE(kind="borderline-2", random_state=0)
    X_res, _ = s.fit_resample(X, y)
    other = y[s.parents_[:, 1]] != 1
    a, b = X[s.parents_[:, 0]], X[s.parents_[:, 1]]
    g = np.sum((X_res[len(X):] - a) * (b - a), axis=1) / np.sum((b - a) ** 2, axis=1)
    assert other.any() and (g[other] < 0.5).all() and (g[~other] < 1).all()


def test_adasyn_allocates_by_hardness():
    X, y = blobs(n=500, share=0.2, dims=2)
    s = ADASYN(k_neighbors=5, random_state=0)
    s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    around = NearestNeighbors(n_neighbors=6).fit(X).kneighbors(X[minority], return_distance=False)[:, 1:]
    hardness = (y[around] != 1).mean(axis=1)
    expected = imbalance.apportion(hardness, len(s.parents_))
    got = np.array([np.sum(s.parents_[:, 0] == i) for i in minority])
    np.testing.assert_array_equal(got, expected)


def test_smotenc_keeps_categories_and_dtypes_on_churn():
    df = load_churn()
    X, y = df.drop(columns="LABEL"), df["LABEL"]
    X = X.assign(is_long=X["account_length"] > 100)  # a bool column too
    s = SMOTENC(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert y_res.value_counts().to_dict() == {0: 4293, 1: 4293}
    assert (X_res.dtypes == X.dtypes).all() and list(X_res.columns) == list(X.columns)
    new = X_res.iloc[len(X):]
    assert set(new["state"]) <= set(X["state"]) and new["is_long"].dtype == bool
    # a synthetic row's category is one its base row's class has
    minority_states = set(X.loc[y == 1, "state"])
    assert set(new["state"]) <= minority_states


def test_table_level_over_sample_methods():
    df = load_churn()
    out = imbalance.over_sample(df, label_col="LABEL", method="smotenc", random_state=0)
    assert list(out.columns) == list(df.columns) and out["LABEL"].value_counts().to_dict() == {0: 4293, 1: 4293}
    numeric = df.select_dtypes("number")
    out = imbalance.over_sample(numeric, label_col="LABEL", method="adasyn", ratio=2, random_state=0)
    assert out["LABEL"].value_counts().to_dict() == {0: 4293, 1: 2147}
    with pytest.raises(imbalance.ParameterError, match="method"):
        imbalance.over_sample(df, method="gan")


def test_custom_neighbour_search_gives_the_same_rows():
    X, y = blobs()
    a, _ = SMOTE(random_state=0).fit_resample(X, y)
    b, _ = SMOTE(neighbors=NearestNeighbors(algorithm="brute"), random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(a, b)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y), InputError, "NaN or infinite"),
        (lambda X, y: (X[:205], np.r_[np.zeros(200, int), np.ones(5, int)]), InputError, "fewer than k_neighbors"),
        (lambda X, y: (sp.csr_matrix(X), y), InputTypeError, "sparse"),
        (lambda X, y: (pd.DataFrame({"a": X[:, 0], "b": ["x"] * len(X)}), y), InputTypeError, "column\\(s\\) b are not numeric"),
    ],
)
def test_bad_input(make, error, words):
    X, y = blobs()
    X_bad, y_bad = make(X, y)
    with pytest.raises(error, match=words):
        SMOTE().fit_resample(X_bad, y_bad)


def test_same_average_precision_as_imbalanced_learn_on_churn():
    from imblearn.over_sampling import SMOTE as PeerSMOTE
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.preprocessing import StandardScaler

    df = load_churn()
    X, y = df.select_dtypes("number").drop(columns="LABEL"), df["LABEL"]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = {}
    for name, sampler in {"ours": SMOTE(random_state=0), "imblearn": PeerSMOTE(random_state=0)}.items():
        pipe = make_pipeline(StandardScaler(), sampler, LogisticRegression(max_iter=1000))
        scores[name] = cross_val_score(pipe, X, y, cv=cv, scoring="average_precision")
    noise = np.std(scores["ours"] - scores["imblearn"], ddof=1) + 1e-9
    assert abs(scores["ours"].mean() - scores["imblearn"].mean()) < 2 * noise + 0.01
