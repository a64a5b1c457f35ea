"""NearMiss and ClusterCentroids: direct computations, imbalanced-learn's rows, plans, types."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn import under_sampling as peer
from imblearn.utils.estimator_checks import parametrize_with_checks
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

from imbalance import ClusterCentroids, ImbalanceError, InstanceHardnessThreshold, NearMiss


@parametrize_with_checks([NearMiss(), NearMiss(version=2), NearMiss(version=3), ClusterCentroids(random_state=0),
                          InstanceHardnessThreshold(estimator=RandomForestClassifier(10, random_state=0), random_state=0),
                          ClusterCentroids(voting="hard", random_state=0)])
def test_imbalanced_learn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # NearMiss-3 may fall short on the checks' tiny data
        check(estimator)


def continuous(seed=0, n=600):
    X, y = make_classification(n_samples=n, n_features=6, n_informative=4, n_redundant=0, n_classes=3,
                               n_clusters_per_class=1, weights=[0.7, 0.2, 0.1], class_sep=0.8, flip_y=0.05,
                               random_state=seed)
    return X, y


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_nearmiss_keeps_the_rows_imbalanced_learn_keeps(seed, version, ratio):
    X, y = continuous(seed)
    counts = np.bincount(y)
    # ours leaves a class the plan does not shrink alone; imbalanced-learn runs NearMiss-3 on any class named
    targets = {c: int(ratio * counts.min()) for c, n in enumerate(counts) if ratio * counts.min() < n}
    ours = NearMiss(version=version, ratio=ratio)
    theirs = peer.NearMiss(version=version, sampling_strategy=targets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X_res, y_res = ours.fit_resample(X, y)
        theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    assert ours.plan_.targets == dict(enumerate(np.bincount(y_res).tolist()))


def tie_grid():
    """Rows on an integer grid: many equal distances, which must go to the lower row."""
    g = np.array([(i, j) for i in range(8) for j in range(6)], dtype=float)
    y = ((g[:, 0] * 3 + g[:, 1] * 5) % 7 == 0).astype(int)
    return g, y


@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("data", [tie_grid, lambda: continuous(3, 300)])
def test_nearmiss_against_a_direct_computation(version, data):
    X, y = data()
    k, k3 = 3, 3
    counts = np.bincount(y)
    minority = int(np.argmin(counts))
    M = np.flatnonzero(y == minority)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = NearMiss(version=version, n_neighbors=k, n_neighbors_ver3=k3)
        ours.fit_resample(X, y)
    expected = [M]
    for c in np.unique(y):
        if c == minority:
            continue
        rows = np.flatnonzero(y == c)
        if version == 3:  # every minority row's k3 nearest of the class, ties to the lower row
            D = cdist(X[M], X[rows])
            near = np.argsort(D, axis=1, kind="stable")[:, :k3]
            rows = rows[np.unique(near)]
        D = np.sort(cdist(X[rows], X[M]), axis=1)
        score = (D[:, -k:] if version == 2 else D[:, :k]).mean(axis=1)
        if version == 3:
            order = sorted(range(rows.size), key=lambda i: (-score[i], rows[i]))
        else:
            order = sorted(range(rows.size), key=lambda i: (score[i], rows[i]))
        expected.append(rows[order[:counts[minority]]])
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(np.concatenate(expected)))


def test_nearmiss3_falls_short_with_a_warning_and_a_realised_plan():
    X, y = continuous(0)
    with pytest.warns(UserWarning, match="NearMiss-3 found 51 rows of class 1"):
        sampler = NearMiss(version=3)
        sampler.fit_resample(X, y)
    assert sampler.plan_.targets == {0: 65, 1: 51, 2: 65}
    assert sampler.plan_.strategy == "NearMiss"


def test_nearmiss_pandas_float32_and_bad_input():
    X, y = continuous(1)
    df = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(6)], index=np.arange(600) * 3)
    X_res, y_res = NearMiss(targets={0: 100}).fit_resample(df, pd.Series(y, index=df.index, name="y"))
    assert list(X_res.columns) == list(df.columns) and (X_res.dtypes == np.float32).all()
    assert X_res.index.equals(y_res.index) and np.bincount(y_res).tolist() == [100, *np.bincount(y)[1:]]
    with pytest.raises(ImbalanceError, match="n_neighbors=70 minority rows, but the minority class 2 has"):
        NearMiss(n_neighbors=70).fit_resample(X, y)
    bad = X.copy()
    bad[5, 2] = np.nan
    with pytest.raises(ImbalanceError, match="NaN"):
        NearMiss().fit_resample(bad, y)
    with pytest.raises(ImbalanceError, match="version"):
        NearMiss(version=4).fit_resample(X, y)


def test_cluster_centroids_are_imbalanced_learns_centroids():
    X, y = continuous(0)
    ours = ClusterCentroids(estimator=KMeans(n_init=1, random_state=3))
    X_res, y_res = ours.fit_resample(X, y)
    X_peer, y_peer = peer.ClusterCentroids(estimator=KMeans(n_init=1, random_state=3)).fit_resample(X, y)
    for c in range(3):
        np.testing.assert_allclose(np.sort(X_res[y_res == c], axis=0), np.sort(X_peer[y_peer == c], axis=0))
    # the minority's rows come first, as they were; then one centroid per cluster, nearest real row as parent
    minority = np.flatnonzero(y == 2)
    np.testing.assert_array_equal(X_res[:minority.size], X[minority])
    assert ours.is_synthetic_.sum() == 130 and not ours.is_synthetic_[:minority.size].any()
    assert (y[ours.parents_] == y_res[ours.is_synthetic_]).all()
    assert_nearest_of_their_class(X_res[ours.is_synthetic_], ours.parents_, X, y)


def assert_nearest_of_their_class(centroids, chosen, X, y):
    """Each chosen row is (to rounding: a centroid of two rows is a tie) the nearest row of its class."""
    for center, row in zip(centroids, chosen):
        same = np.flatnonzero(y == y[row])
        np.testing.assert_allclose(cdist([center], X[[row]])[0, 0], cdist([center], X[same]).min(), rtol=1e-12)


def test_cluster_centroids_hard_voting_keeps_each_nearest_row_once():
    X, y = continuous(0)
    ours = ClusterCentroids(estimator=KMeans(n_init=1, random_state=3), voting="hard")
    X_res, y_res = ours.fit_resample(X, y)
    X_peer, y_peer = peer.ClusterCentroids(estimator=KMeans(n_init=1, random_state=3), voting="hard").fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    assert np.all(np.diff(ours.sample_indices_) > 0)
    # the same rows as imbalanced-learn's but where a centroid sits halfway between two rows (a tie to rounding)
    for c in range(3):
        mine, theirs = set(map(tuple, X_res[y_res == c])), set(map(tuple, X_peer[y_peer == c]))
        assert len(mine) == len(theirs) and len(mine - theirs) <= 2
    centroids = KMeans(n_init=1, random_state=3, n_clusters=65).fit(X[y == 1]).cluster_centers_
    kept = ours.sample_indices_[y[ours.sample_indices_] == 1]
    np.testing.assert_allclose(cdist(centroids, X[kept]).min(axis=1), cdist(centroids, X[y == 1]).min(axis=1),
                               rtol=1e-12)
    assert ours.plan_.targets == dict(enumerate(np.bincount(y_res).tolist()))


def test_cluster_centroids_shrinking_every_class_gives_int64_positions():
    # k-means reads a shrinking class through int32 positions; what it returns is int64.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 4)), np.repeat([0, 1, 2], 100)
    sampler = ClusterCentroids(voting="hard", targets={0: 20, 1: 30, 2: 40}, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert sampler.sample_indices_.dtype == sampler.origin_.dtype == np.int64
    assert np.bincount(y_res).tolist() == [20, 30, 40]


def test_cluster_centroids_seed_pandas_and_other_estimators():
    X, y = continuous(2)
    df = pd.DataFrame(X, columns=list("abcdef"), index=[f"r{i}" for i in range(600)])
    df["a"] = (df["a"] * 10).round().astype("int32")
    first = ClusterCentroids(random_state=4).fit_resample(df, y)
    again = ClusterCentroids(random_state=4).fit_resample(df, y)
    pd.testing.assert_frame_equal(first[0], again[0])
    X_res = first[0]
    assert list(X_res.columns) == list(df.columns) and X_res["a"].dtype == np.int32
    assert X_res.index[-1] == "synthetic-129" and X_res.index[0] == df.index[y == 2][0]
    X_mb, y_mb = ClusterCentroids(estimator=MiniBatchKMeans(n_init=1, random_state=0), ratio=2).fit_resample(X, y)
    assert np.bincount(y_mb).tolist() == [min(n, 2 * np.bincount(y).min()) for n in np.bincount(y)]


def test_table_level_prototype_methods_keep_real_rows_and_the_index(churn):
    import imbalance

    numeric = [c for c in churn.columns if c != "LABEL" and churn[c].dtype != bool
               and pd.api.types.is_numeric_dtype(churn[c])]
    for method, sampler in [("nearmiss1", NearMiss(ratio=2)), ("nearmiss2", NearMiss(version=2, ratio=2)),
                            ("cluster_centroids", ClusterCentroids(voting="hard", ratio=2, random_state=5))]:
        out = imbalance.under_sample(churn, method=method, ratio=2, random_state=5)
        sampler.fit_resample(churn[numeric], churn["LABEL"])
        np.testing.assert_array_equal(out.index.to_numpy(), churn.index.to_numpy()[sampler.sample_indices_])
        assert list(out.columns) == list(churn.columns) and (out.dtypes == churn.dtypes).all()
        assert (out["LABEL"] == 1).sum() == 707 and (out["LABEL"] == 0).sum() <= 1414
    assert (imbalance.under_sample(churn, method="nearmiss1", ratio=2)["LABEL"] == 0).sum() == 1414


# ----------------------------------------------------------------------------- InstanceHardnessThreshold


def test_instance_hardness_keeps_the_easiest_rows_exactly():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from imbalance import InstanceHardnessThreshold

    X, y = continuous(0)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    sampler = InstanceHardnessThreshold(estimator=LogisticRegression(), cv=folds, ratio=1.5)
    X_res, y_res = sampler.fit_resample(X, y)
    proba = cross_val_predict(LogisticRegression(), X, y, cv=folds, method="predict_proba")
    hardness = 1 - proba[np.arange(len(y)), y]
    np.testing.assert_allclose(sampler.hardness_, hardness)
    target = int(1.5 * np.bincount(y).min())
    expected = [np.flatnonzero(y == 2)]
    for c in (0, 1):
        rows = np.flatnonzero(y == c)
        expected.append(rows[np.argsort(hardness[rows], kind="stable")[:target]])
    np.testing.assert_array_equal(sampler.sample_indices_, np.sort(np.concatenate(expected)))
    assert np.bincount(y_res).tolist() == [target, target, np.bincount(y)[2]]


@pytest.mark.slow  # inner loop under 2 minutes; the twin or the rest of the file covers the path
def test_instance_hardness_default_forest_is_seeded_and_takes_a_pipeline():
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    from imbalance import InstanceHardnessThreshold

    X, y = continuous(1, n=300)
    a = InstanceHardnessThreshold(random_state=3).fit_resample(X, y)[0]
    b = InstanceHardnessThreshold(random_state=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    df = pd.DataFrame(X, columns=list("abcdef")).assign(colour=np.where(X[:, 0] > 0, "red", "blue"))
    model = make_pipeline(make_column_transformer((OneHotEncoder(), ["colour"]), remainder="passthrough"),
                          LogisticRegression())
    X_res, y_res = InstanceHardnessThreshold(estimator=model, random_state=0).fit_resample(df, y)
    assert list(X_res.columns) == list(df.columns) and (X_res.dtypes == df.dtypes).all()
    with pytest.raises(ImbalanceError, match="lower cv"):
        InstanceHardnessThreshold(cv=10).fit_resample(X[:60], np.r_[np.zeros(55, int), np.ones(5, int)])


@pytest.mark.parametrize("version", [1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)])
def test_nearmiss_through_the_float32_bounds_keeps_imbalanced_learns_rows(version):
    # Large enough that the float32 pass bounds every score and only rows near the cut are
    # scored in float64 (see imbalance._mean_distance.select_by_mean_distance).
    X, y = make_classification(n_samples=16000, n_features=12, n_informative=6, weights=[0.95], flip_y=0.02,
                               random_state=5)
    assert np.bincount(y).prod() >= 1e7
    ours, theirs = NearMiss(version=version), peer.NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours.fit_resample(X, y)
        theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))
