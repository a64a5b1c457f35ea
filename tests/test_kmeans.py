"""Our k-means (ClusterCentroids' default): Lloyd's iterations computed directly here, the
fixed point on tie grids and duplicates, empty clusters, and the quality of scikit-learn's."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs, make_classification

from imbalance import ClusterCentroids, _kmeans


def direct_lloyd(points, centers, max_iter=300):
    """Plain Lloyd: every row against every centre (ties to the lower centre), means anew."""
    centers = centers.copy()
    labels = None
    for n_iter in range(1, max_iter + 1):
        new = cdist(points, centers, "sqeuclidean").argmin(axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        assert np.bincount(labels, minlength=len(centers)).all(), "the direct version keeps no cluster empty"
        centers = np.array([points[labels == c].mean(axis=0) for c in range(len(centers))])
    return centers, labels, n_iter


def assert_fixed_point(points, centers):
    """Lloyd's fixed point: each centre with rows is the mean of the rows nearest it."""
    labels = cdist(points, centers, "sqeuclidean").argmin(axis=1)
    for c in np.unique(labels):
        np.testing.assert_allclose(centers[c], points[labels == c].mean(axis=0), rtol=1e-9, atol=1e-12)
    return labels


@pytest.mark.parametrize("k", [2, 3, 40, 300])
def test_lloyd_runs_the_iterations_of_plain_lloyd(k):
    # The bounds only skip work: labels, centres and the number of iterations are those of
    # every row compared with every centre, here over several blocks and rows in any order.
    X, _ = make_blobs(n_samples=3000, n_features=7, centers=12, cluster_std=2.5, random_state=k)
    rng = np.random.default_rng(k)
    rows = rng.permutation(len(X))[:2500]
    start = X[rows[rng.choice(rows.size, k, replace=False)]]
    expected, labels, n_iter = direct_lloyd(X[rows], start)
    fit = _kmeans.lloyd(X, rows, start, block=256)
    assert fit.n_iter == n_iter > 2
    np.testing.assert_allclose(fit.centers, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(cdist(X[rows], fit.centers, "sqeuclidean").argmin(axis=1), labels)


def test_lloyd_stops_at_max_iter_and_leaves_its_input_alone():
    X, _ = make_blobs(n_samples=800, n_features=4, centers=5, cluster_std=3.0, random_state=1)
    start = X[:30].copy()
    before, X_before = start.copy(), X.copy()
    expected, _, _ = direct_lloyd(X, start, max_iter=2)
    fit = _kmeans.lloyd(X, np.arange(len(X)), start, max_iter=2)
    assert fit.n_iter == 2
    np.testing.assert_allclose(fit.centers, expected, rtol=1e-10)
    np.testing.assert_array_equal(start, before)
    np.testing.assert_array_equal(X, X_before)


def test_an_empty_cluster_takes_the_row_farthest_from_its_centre():
    # A centre far from every row gets none in the first iteration; it takes the row
    # farthest from its own centre, and the iterations go on to a fixed point.
    X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [9.0]])
    fit = _kmeans.lloyd(X, np.arange(6), np.array([[0.1], [5.0], [1000.0]]))
    np.testing.assert_allclose(np.sort(fit.centers[:, 0]), [0.1, 5.05, 9.0])
    labels = assert_fixed_point(X, fit.centers)
    assert np.bincount(labels, minlength=3).all()


def test_duplicates_and_tie_grids_end_at_a_fixed_point():
    # On an integer grid with every row three times over, distances tie everywhere and
    # centres can coincide; the result is still a fixed point, ties to the lower centre.
    rng = np.random.default_rng(5)
    grid = rng.integers(0, 3, size=(150, 3)).astype(float)
    X = np.repeat(grid, 3, axis=0)
    rows = rng.permutation(len(X))
    for k in (5, 27, 60):  # 60 > the 27 distinct points: some clusters must stay empty
        start = X[rows[rng.choice(rows.size, k, replace=False)]]
        fit = _kmeans.lloyd(X, rows, start, block=64)
        assert fit.n_iter < 300 and np.isfinite(fit.centers).all()
        labels = assert_fixed_point(X[rows], fit.centers)
        assert np.unique(labels).size == min(k, np.unique(grid, axis=0).shape[0])


@settings(max_examples=60, deadline=None)
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(2, 60), st.integers(1, 4)), elements=st.integers(-3, 3).map(float)),
       data=st.data())
def test_property_any_start_on_a_tie_grid_ends_at_a_fixed_point(X, data):
    # Small grids: ties everywhere, duplicate rows, clusters left empty; any start, any block.
    k = data.draw(st.integers(1, min(len(X), 8)), label="k")
    first = data.draw(st.permutations(range(len(X))), label="start")[:k]
    block = data.draw(st.integers(1, 16), label="block")
    fit = _kmeans.lloyd(X, np.arange(len(X)), X[first], block=block)
    assert fit.n_iter < 300 and fit.centers.shape == (k, X.shape[1])
    assert_fixed_point(X, fit.centers)


def test_one_cluster_is_the_mean_and_float32_rows_are_read_as_they_are():
    X, _ = make_blobs(n_samples=500, n_features=5, random_state=2)
    rows = np.arange(100, 400, dtype=np.int32)
    np.testing.assert_allclose(_kmeans.lloyd(X, rows, X[:1]).centers[0], X[rows].mean(axis=0), rtol=1e-12)
    X32 = X.astype(np.float32)
    fit = _kmeans.lloyd(X32, rows, X32[rows[:8]].astype(float))
    assert fit.centers.dtype == np.float64
    assert_fixed_point(X32[rows].astype(float), fit.centers)
    with pytest.raises(ValueError, match="between 1 and 300 clusters"):
        _kmeans.lloyd(X, rows, X[:301])


def test_cluster_centroids_clusters_as_well_as_scikit_learns_kmeans():
    # Random rows as the start (not k-means++) cost little: the within-cluster sum of squares
    # of our centroids is 3.3% above scikit-learn's KMeans (k-means++, n_init=1) here, with
    # nine rows a cluster; 0.7% at 20,000 rows and 0.6% at 100,000 (the benchmark's data).
    X, y = make_classification(n_samples=6000, n_features=12, n_informative=8, weights=[0.9], random_state=0)
    X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    majority = X[y == 0]
    ours = cdist(majority, X_res[y_res == 0], "sqeuclidean").min(axis=1).sum()
    theirs = KMeans(n_clusters=int((y_res == 0).sum()), n_init=1, random_state=0).fit(majority).inertia_
    assert ours <= 1.05 * theirs


def test_cluster_centroids_gets_the_same_centres_from_either_k_means(monkeypatch):
    # Below the size where ours is the faster, ClusterCentroids calls scikit-learn's Lloyd from the
    # same rows: forcing either path gives the same centres.
    import imbalance.prototypes as prototypes

    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(size=(600, 4)), rng.normal(size=(60, 4)) + 2]
    y = np.r_[np.zeros(600, int), np.ones(60, int)]
    library = ClusterCentroids(random_state=0).fit_resample(X, y)[0]
    monkeypatch.setattr(prototypes, "_OWN_KMEANS_WORK", {np.dtype(np.float64): 0, np.dtype(np.float32): 0})
    ours = ClusterCentroids(random_state=0).fit_resample(X, y)[0]
    np.testing.assert_allclose(np.sort(ours, axis=0), np.sort(library, axis=0), rtol=1e-9, atol=1e-12)
