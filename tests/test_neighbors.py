"""The compiled exact neighbour scan against a direct computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors

from imbalance import _enn_counting, _growing_set, _mean_distance, _neighbors
from imbalance._neighbors import kneighbors, kneighbors_of, scan


def reference(X, k, queries=None):
    """Squared distances in float64, self excluded, ties to the lower index."""
    X = np.asarray(X, dtype=np.float64)
    D = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(D, np.inf)
    rows = np.arange(len(X)) if queries is None else np.asarray(queries)
    order = np.argsort(D[rows], axis=1, kind="stable")[:, :k]
    return np.take_along_axis(D[rows], order, axis=1), order


def test_the_compiled_scan_was_built():
    # CI builds it; without it the SMOTE family silently falls back to scikit-learn.
    assert _neighbors.have_compiled_scan()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, d", [(6, 1), (37, 3), (100, 20), (211, 33)])
@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_integer_grid_matches_reference_exactly(dtype, n, d, n_threads):
    # Small integers are exact in both precisions, and the grid makes many exact ties.
    X = np.random.default_rng(n * d).integers(0, 3, size=(n, d)).astype(dtype)
    k = min(5, n - 1)
    dist, idx = kneighbors(X, k, n_threads=n_threads)
    ref_dist, ref_idx = reference(X, k)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_array_equal(dist, ref_dist)
    assert dist.dtype == dtype and idx.dtype == np.int64


@pytest.mark.parametrize("n_threads", [1, 2])
def test_queries_leave_themselves_out_but_keep_duplicates(n_threads):
    rng = np.random.default_rng(1)
    X = rng.random((300, 7))
    X[10] = X[20]  # a duplicate is a neighbour at distance 0
    queries = np.array([20, 10, 5, 299, 0])
    dist, idx = kneighbors(X, 4, queries=queries, n_threads=n_threads)
    ref_dist, ref_idx = reference(X, 4, queries)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-12)
    assert idx[0, 0] == 10 and idx[1, 0] == 20 and dist[0, 0] == 0


def test_random_floats_match_scikit_learn():
    X = np.random.default_rng(2).random((2000, 20))
    _, idx = kneighbors(X, 5)
    ref = NearestNeighbors(algorithm="brute").fit(X).kneighbors(X, 6, return_distance=False)[:, 1:]
    np.testing.assert_array_equal(idx, ref)


def test_result_does_not_depend_on_threads():
    X = np.random.default_rng(3).integers(0, 4, size=(500, 6)).astype(np.float32)
    one = kneighbors(X, 6, n_threads=1)
    for threads in (2, 4, 7):
        many = kneighbors(X, 6, n_threads=threads)
        np.testing.assert_array_equal(one[1], many[1])
        np.testing.assert_array_equal(one[0], many[0])


def test_threads_follow_omp_num_threads(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert scan.threads_to_use(None) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    assert scan.threads_to_use(None) >= 1
    assert scan.threads_to_use(3) == 3


def test_low_dimensional_large_input_uses_the_tree_and_agrees():
    X = np.random.default_rng(4).random((30000, 2))
    assert len(X) ** 2 > scan._TREE_PAIRS
    _, idx = kneighbors(X, 3)
    ref = NearestNeighbors().fit(X).kneighbors(X, 4, return_distance=False)[:, 1:]
    np.testing.assert_array_equal(idx, ref)


def test_a_users_search_object_is_cloned_and_used():
    X = np.random.default_rng(5).random((200, 4))
    search = NearestNeighbors(algorithm="ball_tree")
    dist, idx = kneighbors(X, 3, search=search)
    ref_dist, ref_idx = reference(X, 3)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10)
    assert not hasattr(search, "n_samples_fit_")  # the caller's object is left unfitted


def test_without_the_compiled_scan_scikit_learn_answers_the_same(monkeypatch):
    # What an install without a C compiler gets.
    X = np.random.default_rng(7).integers(0, 3, size=(120, 9)).astype(np.float64)
    expected = kneighbors(X, 4)
    monkeypatch.setattr(scan, "_knn", None)
    assert not _neighbors.have_compiled_scan()
    dist, idx = kneighbors(X, 4)
    np.testing.assert_allclose(dist, expected[0], atol=1e-12)
    # scikit-learn orders exact ties its own way; every listed neighbour is at the right distance
    np.testing.assert_allclose(((X[:, None, :] - X[idx]) ** 2).sum(-1), reference(X, 4)[0], atol=1e-12)
    assert not (idx == np.arange(120)[:, None]).any()


def test_integer_input_is_searched_in_float64_and_not_mutated():
    X = np.random.default_rng(6).integers(0, 10, size=(50, 3))
    before = X.copy()
    dist, idx = kneighbors(X, 2)
    np.testing.assert_array_equal(X, before)
    assert dist.dtype == np.float64
    np.testing.assert_array_equal(idx, reference(X, 2)[1])


def test_k_out_of_range_is_a_clear_error():
    with pytest.raises(ValueError, match="k must be between 1 and n - 1"):
        kneighbors(np.zeros((3, 2)), 3)


@settings(max_examples=60, deadline=None)
@given(
    X=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=40),
                 elements=st.integers(-3, 3).map(float)),
    data=st.data(),
)
def test_property_matches_reference(X, data):
    k = data.draw(st.integers(1, len(X) - 1))
    threads = data.draw(st.integers(1, 3))
    dist, idx = kneighbors(X, k, n_threads=threads)
    ref_dist, ref_idx = reference(X, k)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_array_equal(dist, ref_dist)


# ----------------------------------------------------------------------------- float64 through a float32 shortlist


def blocked_reference(X, k, queries=None):
    """Exact float64 neighbours for a few thousand rows, a block of rows at a time."""
    X = np.asarray(X, dtype=np.float64)
    rows = np.arange(len(X)) if queries is None else np.asarray(queries)
    out_d, out_i = [], []
    positions = np.arange(len(X))
    for start in range(0, rows.size, 256):
        block = rows[start:start + 256]
        D = ((X[block][:, None, :] - X[None, :, :]) ** 2).sum(-1)
        D[np.arange(block.size), block] = np.inf
        order = np.lexsort((np.broadcast_to(positions, D.shape), D), axis=-1)[:, :k]
        out_d.append(np.take_along_axis(D, order, axis=1))
        out_i.append(order)
    return np.vstack(out_d), np.vstack(out_i)


def _shortlist_data(kind):
    rng = np.random.default_rng(7)
    if kind == "gaussian":
        return rng.normal(size=(4000, 12))
    if kind == "integer grid":  # many exact ties, which the float32 pass cannot settle alone
        return rng.integers(0, 3, size=(4200, 6)).astype(np.float64)
    if kind == "large offset":  # float32 keeps ~3 digits of the spread: most rows searched again
        return rng.normal(size=(4000, 8)) + 1e5
    X = rng.normal(size=(2000, 10))  # near-duplicates closer than float32 can tell apart
    return np.vstack([X, X + rng.normal(scale=1e-10, size=X.shape)])


# Two of the four data kinds run in the slow tier only: the inner loop keeps the usual and the
# hardest case (near duplicates), and stays under its time budget.
# Near duplicates (the float32 bound's hard case) in the inner loop; the rest in the slow tier.
_SHORTLIST_KINDS = [pytest.param("gaussian", marks=pytest.mark.slow), pytest.param("integer grid", marks=pytest.mark.slow),
                    pytest.param("large offset", marks=pytest.mark.slow), "near duplicates"]


@pytest.mark.parametrize("kind", _SHORTLIST_KINDS)
@pytest.mark.parametrize("queries", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_float64_search_through_a_float32_shortlist_is_exact(kind, queries):
    X = _shortlist_data(kind)
    rows = np.random.default_rng(1).choice(len(X), size=2600, replace=False) if queries else None
    assert (len(X) if rows is None else rows.size) * len(X) >= scan.SHORTLIST_PAIRS  # the path under test
    dist, idx = kneighbors(X, 5, queries=rows, n_threads=2)
    ref_dist, ref_idx = blocked_reference(X, 5, rows)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-12, atol=0)
    assert dist.dtype == np.float64


def cross_reference(points, X, k):
    """Squared distances of every point to every row of X in float64, ties to the lower index."""
    D = ((np.asarray(points, np.float64)[:, None, :] - np.asarray(X, np.float64)[None, :, :]) ** 2).sum(-1)
    order = np.argsort(D, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(D, order, axis=1), order


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_threads", [1, 2])
def test_points_of_another_set_match_reference_with_ties(dtype, n_threads):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 3, size=(150, 4)).astype(dtype)
    points = np.vstack([rng.integers(0, 3, size=(41, 4)), X[:3]]).astype(dtype)  # some equal to rows of X
    dist, idx = kneighbors_of(points, X, 7, n_threads=n_threads)
    ref_dist, ref_idx = cross_reference(points, X, 7)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_array_equal(dist, ref_dist)
    assert dist.dtype == dtype and dist[-1, 0] == 0 and idx[-1, 0] == 2  # nothing left out


@pytest.mark.slow  # ~8 s for the exact reference it needs; the float64 search test keeps the shortlist in the inner loop
@pytest.mark.parametrize("kind", _SHORTLIST_KINDS)
def test_points_through_the_float32_shortlist_are_exact(kind):
    X = _shortlist_data(kind)  # points a hair off rows of X: closer than float32 can tell apart
    points = X[:2600] + np.random.default_rng(2).normal(scale=1e-9, size=(2600, X.shape[1]))
    assert len(points) * len(X) >= scan.SHORTLIST_PAIRS
    dist, idx = kneighbors_of(points, X, 5, n_threads=2)
    ref_dist, ref_idx = cross_reference(points, X, 5)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-12, atol=0)


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_points_at_extreme_scales_find_the_same_rows(scale):
    rng = np.random.default_rng(4)
    X, points = rng.normal(size=(300, 10)), rng.normal(size=(50, 10))
    _, idx = kneighbors_of(points * scale, X * scale, 4)
    np.testing.assert_array_equal(idx, cross_reference(points, X, 4)[1])


def test_points_k_may_be_every_row_and_a_search_object_is_used():
    rng = np.random.default_rng(5)
    X, points = rng.random((30, 3)), rng.random((8, 3))
    dist, idx = kneighbors_of(points, X, 30)
    np.testing.assert_array_equal(idx, cross_reference(points, X, 30)[1])
    _, theirs = kneighbors_of(points, X, 3, search=NearestNeighbors(algorithm="ball_tree"))
    np.testing.assert_array_equal(theirs, cross_reference(points, X, 3)[1])
    with pytest.raises(ValueError, match="between 1 and n = 30"):
        kneighbors_of(points, X, 31)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["integer grid", pytest.param("gaussian", marks=pytest.mark.slow),
                                  pytest.param("large offset", marks=pytest.mark.slow)])
def test_farthest_rows_match_reference(dtype, kind):
    rng = np.random.default_rng(8)
    if kind == "integer grid":  # many exact ties: the lower index first
        X, points = rng.integers(0, 3, size=(3000, 5)), rng.integers(0, 3, size=(3400, 5))
    else:
        X, points = rng.normal(size=(3000, 6)), rng.normal(size=(3400, 6))
        if kind == "large offset":
            X, points = X + 1e4, points + 1e4
    X, points = X.astype(dtype), points.astype(dtype)
    assert len(points) * len(X) >= scan.SHORTLIST_PAIRS  # float64 takes the shortlist
    dist, idx = kneighbors_of(points, X, 4, farthest=True, n_threads=2)
    D = ((points.astype(np.float64)[:, None, :] - X.astype(np.float64)[None, :, :]) ** 2).sum(-1)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), -D), axis=-1)[:, :4]
    if dtype == np.float64 or kind == "integer grid":
        np.testing.assert_array_equal(idx, order)
    np.testing.assert_allclose(dist, np.take_along_axis(D, order, axis=1), rtol=1e-5 if dtype == np.float32 else 1e-12)
    assert (np.diff(dist, axis=1) <= 0).all()


def test_farthest_without_the_compiled_scan_is_the_same(monkeypatch):
    rng = np.random.default_rng(9)
    X, points = rng.normal(size=(200, 4)), rng.normal(size=(50, 4))
    expected = kneighbors_of(points, X, 3, farthest=True)
    monkeypatch.setattr(scan, "_knn", None)
    got = kneighbors_of(points, X, 3, farthest=True)
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12)
    with pytest.raises(ValueError, match="nearest rows only"):
        kneighbors_of(points, X, 3, farthest=True, search=NearestNeighbors())


@pytest.fixture
def portable_scan():
    """The scan's portable build (what CPUs without AVX2 + FMA run) for the test's duration."""
    before = scan._knn.simd()
    scan._knn.simd(False)
    yield
    scan._knn.simd(before)


@pytest.mark.slow  # the portable build against the SIMD one: seconds, and the scan's other tests cover the SIMD one
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_portable_build_matches_reference_and_the_simd_build(dtype, portable_scan):
    # Exact ties on the grid, every path of the scan: symmetric, queries, another set, farthest
    # (float64 through the float32 shortlist as well as float32 directly).
    rng = np.random.default_rng(10)
    X = rng.integers(0, 3, size=(3100, 6)).astype(dtype)
    points = rng.integers(0, 3, size=(3300, 6)).astype(dtype)
    rows = np.arange(0, len(X), 3)
    ref = {"all": reference(X[:400], 5), "queries": reference(X[:400], 5, rows[rows < 400]),
           "of": cross_reference(points, X, 4)}
    D = ((points.astype(np.float64)[:, None, :] - X.astype(np.float64)[None, :, :]) ** 2).sum(-1)
    far = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), -D), axis=-1)[:, :4]
    got = {"all": kneighbors(X[:400], 5, n_threads=2), "queries": kneighbors(X[:400], 5, queries=rows[rows < 400]),
           "of": kneighbors_of(points, X, 4, n_threads=2)}
    for name, (dist, idx) in got.items():
        np.testing.assert_array_equal(idx, ref[name][1], err_msg=name)
        np.testing.assert_array_equal(dist, ref[name][0], err_msg=name)
    np.testing.assert_array_equal(kneighbors_of(points, X, 4, farthest=True)[1], far)
    assert not scan._knn.simd()


def grid_or_gaussian(kind, rng, n, values=3):
    """n rows: on a 7-D integer grid of ``values`` levels (exact ties everywhere, which only
    the index can order) or Gaussian in 9-D."""
    if kind == "integer grid":
        return rng.integers(0, values, size=(n, 7)).astype(np.float64)
    return rng.normal(size=(n, 9))


def brute_mean_distance_choice(X, rows, reference, k, t, farthest, largest):
    """Every row scored in float64 (mean of square roots of the k smallest or largest squared
    distances), best first, ties to the earlier entry of rows."""
    D = np.sort(cdist(X[rows], reference, "sqeuclidean"), axis=1)
    score = np.sqrt(D[:, ::-1][:, :k] if farthest else D[:, :k]).mean(axis=1)
    return np.argsort(-score if largest else score, kind="stable")[:t]


@pytest.mark.parametrize("parts", [2, 4, 6, 8])
def test_round_robin_pairs_every_part_once_and_no_part_twice_in_a_round(parts):
    rounds = scan._round_robin(parts)
    pairs = [tuple(sorted(pair)) for round_ in rounds for pair in round_]
    assert sorted(pairs) == [(a, b) for a in range(parts) for b in range(a, parts)]
    for round_ in rounds:
        seen = [p for pair in round_ for p in set(pair)]
        assert len(seen) == len(set(seen))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [2, 3, 4])
@pytest.mark.parametrize("farthest", [False, True])
def test_symmetric_scan_in_rounds_equals_one_thread(dtype, threads, farthest):
    # Threads share one set of lists, each call a pair of parts no other call of its round
    # touches; on a tie grid the lists must be exactly those of one thread, ties included.
    rng = np.random.default_rng(17)
    X = rng.integers(0, 3, size=(1001, 6)).astype(dtype)  # not a whole number of tiles
    packed = scan.pack_rows(X, scan.TILE * scan.LANES[np.dtype(dtype)], dtype)
    assert len(packed) >= 4 * threads  # the rounds are used
    one = scan.scan_packed(packed, len(X), 6, 5, 1, farthest=farthest)
    shared = scan.scan_packed(packed, len(X), 6, 5, threads, farthest=farthest)
    np.testing.assert_array_equal(shared[1], one[1])
    np.testing.assert_array_equal(shared[0], one[0])
    sign = -1.0 if farthest else 1.0
    D = sign * ((X.astype(np.float64)[:, None, :] - X.astype(np.float64)[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(D, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), D), axis=-1)[:, :5]
    np.testing.assert_array_equal(one[1], order)


@pytest.mark.parametrize("simd", [True, False])
@pytest.mark.parametrize("farthest", [False, True])
@pytest.mark.parametrize("k", [1, 3, 8, 9])  # 9: more than a vector's lanes, so not seeded
@pytest.mark.parametrize("removed_first", [False, True])
def test_the_scan_of_other_rows_seeded_from_its_first_tiles_is_exact(simd, farthest, k, removed_first):
    # Queries against other rows, in the dot-product form, score the first tiles before they
    # offer a pair, and offer only what may be among the k nearest (seeded() in _knn_scan.h).
    # On an integer grid float32 is exact, so the lists must be the reference's, ties to the
    # lower index, with each query's own row left out even where it lies in those tiles and
    # NaN rows (as counting marks removed rows) never listed.
    rng = np.random.default_rng(21)
    X = rng.integers(0, 4, size=(2400, 7)).astype(np.float32)
    seeded = 16 * scan.TILE * scan.LANES[np.dtype(np.float32)]
    removed = rng.choice(2400, 40, replace=False)
    if removed_first:  # every row of the first tiles but two: fewer scores than k to seed from
        removed = np.union1d(removed, np.setdiff1d(np.arange(seeded), [5, 300]))
    X[removed] = np.nan
    queries = np.union1d(rng.choice(np.setdiff1d(np.arange(2400), removed), 301, replace=False),
                         [5, 300] if removed_first else []).astype(np.int64)
    assert (queries < seeded).sum() >= (2 if removed_first else 20) and (removed < seeded).any()
    skip = queries.copy()
    skip[::3] = -1  # -1: the query leaves nothing out (as counting asks), its own row listed
    packed = scan.pack_rows(X, scan.TILE * scan.LANES[np.dtype(np.float32)], np.float32)
    points = X[queries]
    before = scan._knn.simd()
    scan._knn.simd(simd)
    try:
        dist, index = scan.scan_packed(packed, len(X), 7, k, 2, points=points, skip=skip,
                                       norms=scan.squared_norms(packed), farthest=farthest,
                                       query_norms=np.einsum("ij,ij->i", points, points))
    finally:
        scan._knn.simd(before)
    sign = -1.0 if farthest else 1.0
    D = sign * ((points.astype(np.float64)[:, None, :] - X.astype(np.float64)[None, :, :]) ** 2).sum(-1)
    D[np.isnan(D)] = np.inf
    D[np.flatnonzero(skip >= 0), skip[skip >= 0]] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), D), axis=-1)[:, :k]
    np.testing.assert_array_equal(index, order)
    np.testing.assert_array_equal(dist, np.take_along_axis(D, order, axis=1))


@pytest.mark.parametrize("kind", ["integer grid", "gaussian"])
@pytest.mark.parametrize("farthest, largest", [(False, False), (True, False), (False, True)])
@pytest.mark.parametrize("n_threads", [pytest.param(1, marks=pytest.mark.slow), 3])  # one part, or three cut apart
def test_selection_by_mean_distance_equals_scoring_every_row(kind, farthest, largest, n_threads):
    rng = np.random.default_rng(11)
    X = grid_or_gaussian(kind, rng, 21000, values=4)  # on the grid the earlier entry of rows wins ties
    reference, rows = np.arange(700), np.sort(rng.choice(np.arange(700, len(X)), 15000, replace=False))
    assert rows.size * reference.size >= scan.SHORTLIST_PAIRS  # the float32 bounds are used
    assert rows.size > 3 * _neighbors.block_rows(rows.size)  # the cut moves over several blocks, in each part
    for t in (0, 1, 700, 15000):
        chosen = _mean_distance.select_by_mean_distance(X, rows, reference, 3, t, farthest=farthest, largest=largest,
                                                    n_threads=n_threads)
        expected = brute_mean_distance_choice(X, rows, X[reference], 3, t, farthest, largest)
        np.testing.assert_array_equal(chosen, expected, err_msg=f"t={t}")


def test_selection_by_mean_distance_scores_few_rows_exactly(monkeypatch):
    # The point of the bounds: only rows near the cut are scored in float64.
    rng = np.random.default_rng(12)
    X = rng.normal(size=(30000, 10))
    reference, rows = np.arange(1000), np.arange(1000, 30000)
    scored = []
    real = _neighbors.kneighbors_among
    monkeypatch.setattr(_mean_distance, "kneighbors_among", lambda points, *a, **kw: scored.append(len(points)) or
                        real(points, *a, **kw))
    _mean_distance.select_by_mean_distance(X, rows, reference, 3, 1000)
    assert scored and sum(scored) < 1100


@pytest.mark.parametrize("kind", ["integer grid", pytest.param("gaussian", marks=pytest.mark.slow)])
@pytest.mark.parametrize("farthest", [False, True])
def test_neighbours_among_rows_a_block_at_a_time_equal_one_search(kind, farthest, monkeypatch):
    # kneighbors_among streams the rows in blocks, its float32 lists carried from block to
    # block; the lists must be those of one search of X[rows], ties to the earlier entry.
    rng = np.random.default_rng(13)
    X = grid_or_gaussian(kind, rng, 12000, values=4)
    rows = rng.permutation(np.arange(1500, len(X)))[:9000]  # not in order: ties follow rows' order
    points = X[:1500]
    monkeypatch.setattr(scan, "_BLOCK_ROWS", 1000)
    assert len(points) * rows.size >= scan.SHORTLIST_PAIRS
    dist, index = _neighbors.kneighbors_among(points, X, rows, 4, farthest=farthest)
    D = cdist(points, X[rows], "sqeuclidean")
    order = np.lexsort((np.broadcast_to(np.arange(rows.size), D.shape), -D if farthest else D), axis=-1)[:, :4]
    np.testing.assert_array_equal(index, order)
    np.testing.assert_allclose(dist, np.take_along_axis(D, order, 1), rtol=1e-12, atol=1e-12)
    # the points the float32 lists cannot settle are searched block by block and merged
    expected = scan._merged_blocks(points, X, rows, 4, farthest, None)
    np.testing.assert_array_equal(expected[1], order)


def brute_own_before_other(X, own, other, m, q, counts=False):
    """For each row of own: do m rows of own (itself left out) come before the q-th nearest
    row of other, in (squared distance, index) order? (``counts``: how many do.)"""
    is_own = np.zeros(len(X), bool)
    is_own[own] = True
    keep = []
    for x in own:
        d = ((X - X[x]) ** 2).sum(axis=1)
        d[x] = np.inf
        order = np.lexsort((np.arange(len(X)), d))[:-1]
        others_seen = np.cumsum(~is_own[order])
        before = order[others_seen < q]  # everything before the q-th other row
        keep.append(is_own[before].sum() if counts else is_own[before].sum() >= m)
    return np.array(keep)


@pytest.mark.parametrize("kind", ["integer grid", "gaussian"])
@pytest.mark.parametrize("m, q", [(3, 1), (2, 2), (1, 1), (4, 1)])
def test_counting_own_rows_before_the_other_class_equals_the_definition(kind, m, q):
    rng = np.random.default_rng(13)
    if kind == "integer grid":  # exact ties at the radius: only the index can order them
        X = rng.integers(0, 3, size=(2000, 6)).astype(np.float64)
    else:
        X = rng.normal(size=(2000, 8))
    other = np.sort(rng.choice(len(X), 100, replace=False))
    own = np.setdiff1d(np.arange(len(X)), other)
    status, witness = _enn_counting.own_before_other(X, own, own, other, m, q, witnesses=True)
    before = brute_own_before_other(X, own, other, m, q, counts=True)
    expected = before >= m
    # "possible": never fewer than come first (capped at m), so fewer than j possible rules j out
    possible = _enn_counting.OwnCounter(X, own, other).ask(own, m, q).possible
    assert (possible >= np.minimum(before, m)).all() and (possible <= m).all()
    settled = status >= 0
    np.testing.assert_array_equal(status[settled] == 1, expected[settled])
    # each witness: m distinct rows of own, not the row itself, nearer than its q-th other row
    # witnesses: m distinct rows of own for a row answered 1, fewer (then -1) for the others;
    # never the row itself, each nearer than its q-th other row
    counted = (witness >= 0).sum(axis=1)
    assert (counted[status == 1] == m).all() and (counted[status != 1] < m).all()
    assert all((w[:c] >= 0).all() and (w[c:] == -1).all() for w, c in zip(witness, counted))
    assert np.isin(witness[witness >= 0], own).all() and (witness != own[:, None]).all()
    for i in range(0, own.size, 25):
        w = witness[i][witness[i] >= 0]
        assert len(set(w.tolist())) == w.size
        d_other = np.sort(((X[other] - X[own[i]]) ** 2).sum(axis=1))[q - 1]
        assert (((X[w] - X[own[i]]) ** 2).sum(axis=1) < d_other).all()
    assert len(_enn_counting.cell_centers(X, own)) > 1  # the data is cut into cells: both stages run
    if kind == "gaussian":
        assert settled.mean() > 0.99  # few distances within float32's error of a radius


def test_a_forked_child_searches_with_threads_of_its_own():
    # The scan keeps its thread pool for the process; a child made by fork must not wait on
    # the parent's threads, which it does not have.
    import multiprocessing as mp

    X = np.random.default_rng(14).normal(size=(3000, 8))
    expected = kneighbors(X, 3, n_threads=2)[1]
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(kneighbors, (X, 3), {"n_threads": 2}).get(timeout=30)[1]
    np.testing.assert_array_equal(got, expected)


def test_a_counter_after_removals_answers_as_a_fresh_one():
    rng = np.random.default_rng(15)
    X = rng.integers(0, 3, size=(2400, 6)).astype(np.float64)
    other = np.sort(rng.choice(len(X), 120, replace=False))
    own = np.setdiff1d(np.arange(len(X)), other)
    counter = _enn_counting.OwnCounter(X, own, other)
    counter.ask(own, 3, 1)
    gone = np.concatenate([own[::7], other[::3]])
    counter.remove(gone)
    own_left, other_left = np.setdiff1d(own, gone), np.setdiff1d(other, gone)
    status = counter.ask(own_left, 3, 1).status
    left = np.sort(np.concatenate([own_left, other_left]))  # the rows that remain, renumbered in order
    expected = brute_own_before_other(X[left], np.searchsorted(left, own_left), np.searchsorted(left, other_left), 3, 1)
    settled = status >= 0
    assert settled.mean() > 0.5
    np.testing.assert_array_equal(status[settled] == 1, expected[settled])


@pytest.mark.parametrize("kind", ["integer grid", "gaussian"])
def test_a_growing_set_finds_the_nearest_rows_as_a_search_of_its_rows(kind):
    # Condensing asks a GrowingSet after each block (k-means, for the centres that moved);
    # rows join in any order and over several chunks, yet the nearest are those of the rows
    # sorted, ties to the lower position in X.
    rng = np.random.default_rng(17)
    X = grid_or_gaussian(kind, rng, 6000)
    grown = _growing_set.GrowingSet(X, X.mean(axis=0), chunk=100)
    order = rng.permutation(np.arange(1000, len(X)))
    points = X[:1000]
    for size in (1, 37, 400, 2000):
        grown.add(order[len(grown):size])
        members = np.sort(order[:size])
        dist, index = grown.nearest(points)
        D = cdist(points, X[members], "sqeuclidean")
        best = np.argmin(D, axis=1)  # the first of equals: the lower position
        np.testing.assert_array_equal(index, members[best], err_msg=f"{size} rows")
        np.testing.assert_allclose(dist, D[np.arange(len(points)), best], rtol=1e-12, atol=1e-12)
        k = min(3, size)
        dist, index = grown.kneighbors(points, k)
        best = np.argsort(D, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(index, members[best], err_msg=f"{size} rows, k={k}")
        np.testing.assert_allclose(dist, np.take_along_axis(D, best, 1), rtol=1e-12, atol=1e-12)
    assert len(grown.chunks) == -(-2000 // grown.chunk) > 10  # whole tiles per chunk: 120 rows


@pytest.mark.parametrize("kind", ["integer grid", pytest.param("gaussian", marks=pytest.mark.slow)])
def test_neighbours_among_some_rows_equal_those_of_the_rows_copied(kind):
    # kneighbors(rows=) packs X[rows] without copying it (One-Sided Selection's Tomek links
    # among the rows it keeps); the answer is that of X[rows], ties in the order of rows.
    rng = np.random.default_rng(19)
    X = grid_or_gaussian(kind, rng, 12000)
    rows = rng.permutation(len(X))[:8000]
    queries = np.sort(rng.choice(rows.size, 2000, replace=False))
    for asked in (None, queries):
        n_queries = rows.size if asked is None else asked.size
        assert n_queries * rows.size >= scan.SHORTLIST_PAIRS  # the float32 shortlist without a copy
        dist, index = kneighbors(X, 3, queries=asked, rows=rows)
        expected_dist, expected_index = kneighbors(X[rows], 3, queries=asked)
        np.testing.assert_array_equal(index, expected_index)
        np.testing.assert_array_equal(dist, expected_dist)
