"""SVM-SMOTE, k-means SMOTE, SMOTE-N and the smoothed bootstrap, each against a direct computation."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks
from scipy.spatial.distance import cdist, pdist
from sklearn.datasets import make_classification

from imbalance import SMOTEN, SVMSMOTE, InputError, KMeansSMOTE, OverSampler, ParameterError
from imbalance.planner import apportion


def data(n=1200, seed=0, sep=1.0, weights=(0.9,)):
    return make_classification(n_samples=n, n_features=5, n_informative=4, n_redundant=0, weights=list(weights),
                               class_sep=sep, n_clusters_per_class=2, random_state=seed)


def nearest_of_class(X, rows, k):
    """Each of ``rows``' k nearest among ``rows`` (positions in X), itself left out, ties to the lower row."""
    d = cdist(X[rows], X[rows], "sqeuclidean")
    np.fill_diagonal(d, np.inf)
    return rows[np.argsort(d, axis=1, kind="stable")[:, :k]]


def gaps(X_new, base, neighbor, X):
    step = X[neighbor] - X[base]
    g = np.einsum("ij,ij->i", X_new - X[base], step) / np.einsum("ij,ij->i", step, step)
    np.testing.assert_allclose(X_new, X[base] + g[:, None] * step, atol=1e-9)
    return g


# ----------------------------------------------------------------------------- SVM-SMOTE


@pytest.mark.parametrize("seed", [0, 1])
def test_svm_smote_bases_neighbours_and_directions(seed):
    X, y = data(seed=seed)
    sampler = SVMSMOTE(random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2  # exactly the plan
    support = np.sort(sampler.svm_estimator_.support_[y[sampler.svm_estimator_.support_] == 1])
    d = cdist(X[support], X, "sqeuclidean")
    d[np.arange(support.size), support] = np.inf
    around = np.argsort(d, axis=1, kind="stable")[:, :10]
    others = (y[around] != 1).sum(axis=1)
    kept = support[others < 10]
    danger = set(kept[others[others < 10] >= 5])
    base, neighbor = sampler.parents_.T
    assert set(base) <= set(kept)  # noise never a base
    minority = np.flatnonzero(y == 1)
    near = dict(zip(minority, nearest_of_class(X, minority, 5)))
    assert all(n in near[b] for b, n in zip(base, neighbor))
    g = gaps(X_res[len(y):], base, neighbor, X)
    in_danger = np.array([b in danger for b in base])
    assert ((g >= 0) & (g < 1))[in_danger].all() and ((g <= 0) & (g > -0.5))[~in_danger].all()
    assert in_danger.any() and (~in_danger).any()


def test_svm_smote_meets_the_plan_with_one_kind_only_and_refuses_all_noise():
    X, y = data(sep=3.0)  # well separated: no minority support vector is in danger
    sampler = SVMSMOTE(random_state=0, ratio=2)
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res)[1] == -(-np.bincount(y)[0] // 2)
    rng = np.random.default_rng(0)
    X_noise = rng.normal(size=(3000, 3))
    y_noise = np.zeros(3000, int)
    y_noise[::300] = 1  # isolated minority rows inside the majority: every neighbour of another class
    with pytest.raises(InputError, match="no support vector of class 1 that is not noise"):
        SVMSMOTE(m_neighbors=5, random_state=0).fit_resample(X_noise, y_noise)


# ----------------------------------------------------------------------------- k-means SMOTE


def test_kmeans_smote_clusters_weights_and_exact_counts():
    X, y = data(n=2000, seed=3)
    sampler = KMeansSMOTE(random_state=0, kmeans_estimator=6, cluster_balance_threshold=0.05)
    X_res, y_res = sampler.fit_resample(X, y)
    clusters = sampler.cluster_labels_
    minority = np.flatnonzero(y == 1)
    valid, sparsity = [], []
    for c in np.unique(clusters):
        mine = minority[clusters[minority] == c]
        if mine.size >= 2 and mine.size / (clusters == c).sum() >= 0.05:
            valid.append(c)
            sparsity.append(pdist(X[mine]).mean() ** X.shape[1] / mine.size)
    weights = np.array(sparsity) / np.sum(sparsity)
    assert sampler.cluster_weights_[1] == pytest.approx(dict(zip(valid, weights)))
    n_new = np.bincount(y)[0] - minority.size
    base, neighbor = sampler.parents_.T
    made = np.array([np.sum(clusters[base] == c) for c in valid])
    np.testing.assert_array_equal(made, apportion(weights, n_new))
    assert (clusters[base] == clusters[neighbor]).all() and (y[neighbor] == 1).all()
    for c in valid:
        mine = minority[clusters[minority] == c]
        near = dict(zip(mine, nearest_of_class(X, mine, min(2, mine.size - 1))))
        here = clusters[base] == c
        assert all(n in near[b] for b, n in zip(base[here], neighbor[here]))
    g = gaps(X_res[len(y):], base, neighbor, X)
    assert ((g >= 0) & (g < 1)).all()


def test_kmeans_smote_without_a_cluster_is_a_clear_error():
    X, y = data()
    with pytest.raises(InputError, match="no cluster where class 1.*lower cluster_balance_threshold"):
        KMeansSMOTE(cluster_balance_threshold=0.99, random_state=0).fit_resample(X, y)


def test_mean_pairwise_distance_is_exact_over_blocks(monkeypatch):
    import imbalance.synth._filter as synth_filter

    monkeypatch.setattr(synth_filter, "_DISTANCE_BLOCK", 7)
    X = np.random.default_rng(1).normal(size=(50, 4)) * 1e3 + 5e3
    assert synth_filter._mean_distance(X) == pytest.approx(pdist(X).mean(), rel=1e-9)


# ----------------------------------------------------------------------------- SMOTE-N


def categorical(n=400, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    a = np.where(y == 1, rng.choice(list("abc"), n, p=[0.6, 0.3, 0.1]), rng.choice(list("abc"), n, p=[0.2, 0.3, 0.5]))
    b = rng.choice(list("pq"), n)
    c = np.where(rng.random(n) < 0.5, a, rng.choice(list("xyz"), n))
    return pd.DataFrame({"a": a, "b": b, "c": c}), y


def vdm_embedding(X, y):
    """Every value as its class frequencies P(c | value), features side by side (written out)."""
    columns = []
    for name in X.columns:
        frame = pd.crosstab(X[name], y, normalize="index")
        columns.append(frame.loc[X[name]].to_numpy())
    return np.hstack(columns)


def test_smoten_votes_over_the_base_and_its_vdm_neighbours():
    X, y = categorical()
    sampler = SMOTEN(k_neighbors=4, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2
    minority = np.flatnonzero(y == 1)
    near = dict(zip(minority, nearest_of_class(vdm_embedding(X, y), minority, 4)))
    first_seen = {c: list(pd.unique(X[c])) for c in X.columns}
    base = sampler.parents_[:, 0]
    assert (sampler.parents_[:, 1] == base).all()
    for i, b in enumerate(base):
        voters = X.iloc[np.r_[b, near[b]]]
        for c in X.columns:
            counts = voters[c].value_counts()
            best = [v for v in first_seen[c] if counts.get(v, 0) == counts.max()][0]  # ties: first seen in X
            assert X_res[c].iloc[len(y) + i] == best


def test_smoten_with_two_classes_orders_neighbours_as_the_papers_metric():
    X, y = categorical(seed=1)
    embedded = vdm_embedding(X, y)
    minority = np.flatnonzero(y == 1)
    ours = cdist(embedded[minority], embedded[minority], "sqeuclidean")
    paper = sum((np.abs(embedded[minority][:, None, 2 * j:2 * j + 2] - embedded[minority][None, :, 2 * j:2 * j + 2])
                 .sum(-1)) ** 2 for j in range(3))  # k = 1 per value, r = 2 over features
    np.testing.assert_allclose(paper, 2 * ours, atol=1e-12)


def test_smoten_keeps_categorical_dtypes_and_numpy_strings():
    X, y = categorical()
    X = X.astype({"a": pd.CategoricalDtype(list("cba"))})
    X_res, _ = SMOTEN(random_state=0).fit_resample(X, y)
    assert X_res["a"].dtype == X["a"].dtype and list(X_res.columns) == list(X.columns)
    X_arr, y_arr = SMOTEN(random_state=0).fit_resample(X.to_numpy(dtype=str), y)
    assert X_arr.dtype.kind == "U" and len(y_arr) == len(X_res)


# ----------------------------------------------------------------------------- smoothed bootstrap


@parametrize_with_checks([OverSampler(shrinkage=1.0, random_state=0), OverSampler(shrinkage={1: 0.5}, random_state=0)])
def test_imbalanced_learn_estimator_checks_with_shrinkage(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_shrinkage_noise_has_silverman_bandwidth():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(20_000, 3)) * [1, 2, 3], rng.normal(size=(2_000, 3)) * [0.5, 1, 4]]
    y = np.r_[np.zeros(20_000, int), np.ones(2_000, int)]
    sampler = OverSampler(shrinkage=1.5, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [20_000, 20_000]
    np.testing.assert_array_equal(X_res[:len(X)], X)
    base = sampler.parents_
    assert (y[base] == 1).all() and sampler.is_synthetic_.sum() == 18_000
    n_c, d = 2_000, 3
    h = (4 / ((d + 2) * n_c)) ** (1 / (d + 4)) * X[y == 1].std(axis=0, ddof=1)
    z = (X_res[len(X):] - X[base]) / (1.5 * h)
    np.testing.assert_allclose(z.std(axis=0), 1, atol=0.03)
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=0.03)


def test_shrinkage_zero_and_per_class_factors():
    X, y = data(n=600)
    plain = OverSampler(random_state=0).fit_resample(X, y)[0]
    zero = OverSampler(shrinkage=0.0, random_state=0).fit_resample(X, y)[0]
    np.testing.assert_array_equal(plain, zero)  # the same draw, no noise
    df = pd.DataFrame(X, columns=list("abcde")).assign(a=lambda f: (f["a"] * 100).round().astype("int64"))
    X_res, _ = OverSampler(shrinkage={0: 1.0}, random_state=0).fit_resample(df, y)  # class 1 (grown) gets 0
    assert X_res["a"].dtype == np.int64 and X_res.index[-1] == len(df) + (len(X_res) - len(df)) - 1
    sampler = OverSampler(shrinkage={0: 1.0}, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[len(X):], X[sampler.parents_])
    with pytest.raises(ParameterError, match="shrinkage names class 7"):
        OverSampler(shrinkage={7: 1.0}).fit_resample(X, y)
    with pytest.raises(ParameterError, match="shrinkage"):
        OverSampler(shrinkage=-1.0).fit_resample(X, y)
    with pytest.raises(TypeError, match="not numeric"):
        OverSampler(shrinkage=1.0).fit_resample(df.assign(s="x"), y)


# ----------------------------------------------------------------------------- table forms


@pytest.mark.parametrize("method", ["smote", "smoten", "borderline", "adasyn", "svm_smote", "kmeans_smote",
                                    "smote_enn", "smote_tomek", "ros_shrinkage"])
def test_every_synthesis_method_on_a_table(churn, method):
    import imbalance
    from imbalance.tables import fit_over_method

    table = churn.select_dtypes("number") if method != "smoten" else churn[["state", "area_code", "LABEL"]]
    before = table.copy()
    out = imbalance.over_sample(table, method=method, ratio=2, random_state=0, k_neighbors=3)
    pd.testing.assert_frame_equal(table, before)  # the input is not modified
    assert list(out.columns) == list(table.columns) and (out.dtypes == table.dtypes).all()
    sampler, X_res, y_res = fit_over_method(table, "LABEL", method, ratio=2, random_state=0, k_neighbors=3)
    pd.testing.assert_frame_equal(out.drop(columns="LABEL"), X_res)
    real = sampler.origin_ >= 0
    pd.testing.assert_frame_equal(out[real], table.iloc[sampler.origin_[real]])  # real rows are their rows, index too
    assert sampler.plan_.targets == out["LABEL"].value_counts().sort_index().to_dict()
    if method not in ("smote_enn", "smote_tomek"):  # the combined ones clean after reaching it
        assert sampler.plan_.targets == {0: 4293, 1: 2147}
