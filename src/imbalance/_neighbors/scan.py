r"""The exact neighbour scan: the compiled brute-force search (``_knn.c``) and its drivers.

Everything here is the machinery behind :mod:`imbalance._neighbors`' face (``kneighbors``,
``kneighbors_of``, ``kneighbors_among``): packing rows for the scan, threads, the float32
shortlist with its float64 re-ranking, the symmetric scan of a set with itself, and the
fall-backs (scikit-learn's search, a brute force in numpy). The names without an underscore
are the building blocks the methods' own accelerations use (NearMiss's selection by mean
distance, ENN's counting, condensing's growing set).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from imbalance._validation import warn_compiled_part_missing

try:
    from imbalance import _knn
except ImportError:  # pragma: no cover - built by setup.py wherever a C compiler is found
    _knn = None

__all__ = ["kneighbors", "kneighbors_of", "kneighbors_among", "kneighbors_shortlisted", "block_rows", "center_of",
           "have_compiled_scan", "in_safe_range", "threads_to_use", "thread_pool", "pack_rows", "scan_packed",
           "squared_norms", "centered_float32", "centered_block", "empty_lists", "reranked", "blockwise_shortlist",
           "Rows", "LANES", "TILE", "U32", "SHORTLIST_PAIRS", "SHORTLIST_EXTRA"]

# Above this many query x candidate pairs in <= 5 dimensions, a k-d tree beats the scan.
_TREE_PAIRS = 5e8
# ... provided the queries are at least a hundredth of the rows: fewer do not pay for the tree's build.
_TREE_BUILDS = 100
LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}
TILE = 3  # vectors of candidates per tile (KNN_WIDTH in _knn_scan.h)


def _say_scan_missing() -> None:
    warn_compiled_part_missing(
        "neighbour scan", "neighbours come from scikit-learn or numpy instead, slower, and rows at exactly "
        "the same distance may come in another order, so a method that draws among neighbours (SMOTE) may draw "
        "other rows for the same seed.")


def have_compiled_scan() -> bool:
    """Whether the compiled scan was built at install time."""
    return _knn is not None


def threads_to_use(n_threads: int | None) -> int:
    """The threads to use: as asked, else the CPUs this process may use, capped by
    ``OMP_NUM_THREADS`` (which joblib's workers set, so parallel folds do not oversubscribe)."""
    if n_threads is not None:
        return max(1, int(n_threads))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    cap = os.environ.get("OMP_NUM_THREADS", "")
    return max(1, min(cpus, int(cap)) if cap.isdigit() and int(cap) > 0 else cpus)


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _forget_pools() -> None:  # a forked child has none of its parent's threads
    global _POOLS_LOCK
    _POOLS.clear()
    _POOLS_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def thread_pool(threads: int) -> ThreadPoolExecutor:
    """A pool of ``threads`` workers kept for the process: the scans run many short calls
    (ENN by counting: one per cell and block of rows), each would otherwise start its threads."""
    with _POOLS_LOCK:
        if threads not in _POOLS:
            _POOLS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="imbalance-knn")
        return _POOLS[threads]


def _pad_rows(X: np.ndarray, multiple: int) -> np.ndarray:
    n = len(X)
    padded = np.full((-(-n // multiple) * multiple, X.shape[1]), np.nan, dtype=X.dtype)
    padded[:n] = X
    return padded


def empty_lists(rows: int, k: int, dtype: np.dtype, threshold_rows: int):
    dist = np.full((rows, k), np.inf, dtype=dtype)
    index = np.full((rows, k), np.iinfo(np.int64).max, dtype=np.int64)
    threshold = np.full(threshold_rows, np.inf, dtype=dtype)
    return dist, index, threshold


def kneighbors(
    X: np.ndarray,
    k: int,
    *,
    queries: np.ndarray | None = None,
    rows: np.ndarray | None = None,
    search: Any = None,
    n_threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours (Euclidean) of each row of X among X's rows, itself excluded.

    Parameters
    ----------
    X : ndarray of shape (n, d), float32 or float64
        The candidate rows; searched in their own precision.
    k : int
        Neighbours per row, ``1 <= k < n``.
    queries : ndarray of int, optional
        Positions in X of the rows to find neighbours for (default: every row). Each query
        row is left out of its own list, duplicates of it are not.
    rows : ndarray of int, optional
        Search among these rows of X only, as if X were ``X[rows]`` (``queries`` and the
        indices returned then count in ``rows``), without copying them where the float32
        shortlist serves: One-Sided Selection's Tomek links among the rows it keeps.
    search : object with scikit-learn's ``NearestNeighbors`` interface, optional
        Search with a clone of it (``fit`` on X, then ``kneighbors``) instead of the scan.
    n_threads : int, optional
        Threads for the scan (default: the CPUs this process may use, at most
        ``OMP_NUM_THREADS`` where that is set).

    Returns
    -------
    distances : ndarray of shape (m, k)
        Squared Euclidean distances, ascending; ties ordered by index (from ``search``: the
        squares of its distances, in its order).
    indices : ndarray of shape (m, k), int64
        Positions in X of the neighbours.
    """
    X = np.ascontiguousarray(X)
    if X.dtype not in LANES:
        X = X.astype(np.float64)
    if rows is not None:
        rows = np.asarray(rows, dtype=np.int64)
        n_queries = rows.size if queries is None else len(queries)
        if (search is None and _knn is not None and X.dtype == np.float64 and X.shape[1] > 5
                and rows.size > k + 1 and n_queries * rows.size >= SHORTLIST_PAIRS
                and _in_safe_range(X)[1] == 0):
            if not 1 <= k < rows.size:
                raise ValueError(f"k must be between 1 and n - 1 = {rows.size - 1}, got {k}.")
            return kneighbors_shortlisted(Rows(X, rows), k, queries, n_threads)
        X = X[rows]
    n, d = X.shape
    if not 1 <= k < n:
        raise ValueError(f"k must be between 1 and n - 1 = {n - 1}, got {k}.")
    if search is not None:  # the caller's own metric: searched as given
        return _kneighbors_sklearn(X, k, queries, search)
    (X,), exponent = _in_safe_range(X)
    dist, index = _kneighbors_euclidean(X, k, queries, n_threads)
    if exponent:
        with np.errstate(over="ignore", under="ignore"):  # inf or 0 is then the true squared distance
            dist = np.ldexp(dist, 2 * exponent)
    return dist, index


def kneighbors_of(
    points: np.ndarray,
    X: np.ndarray,
    k: int,
    *,
    farthest: bool = False,
    search: Any = None,
    n_threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest (or farthest) rows of X (Euclidean) to each of ``points``, a set of its own.

    Nothing is left out: a point equal to a row of X finds that row at distance 0. This is
    the query of one class against another (NearMiss, One-Sided Selection, condensing), on
    the same compiled scan, precisions and tie rule as :func:`kneighbors`.

    Parameters
    ----------
    points : ndarray of shape (m, d)
    X : ndarray of shape (n, d), float32 or float64
        The candidates; both are searched in X's precision.
    k : int
        Neighbours per point, ``1 <= k <= n``.
    farthest : bool, default=False
        The k farthest rows instead (NearMiss-2): the scan keeps the k smallest negated
        distances, with the same pruning; ties still to the lower index.
    search, n_threads
        As for :func:`kneighbors` (``search`` finds nearest rows only).

    Returns
    -------
    distances : ndarray of shape (m, k)
        Squared Euclidean distances, ascending (descending with ``farthest``); ties ordered
        by index.
    indices : ndarray of shape (m, k), int64
        Positions in X.
    """
    X = np.ascontiguousarray(X)
    if X.dtype not in LANES:
        X = X.astype(np.float64)
    points = np.ascontiguousarray(points, dtype=X.dtype)
    n = len(X)
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and n = {n}, got {k}.")
    if len(points) == 0:
        return np.empty((0, k), X.dtype), np.empty((0, k), np.int64)
    if search is not None:
        if farthest:
            raise ValueError("a NearestNeighbors search object finds nearest rows only; leave it out for farthest.")
        from sklearn.base import clone

        dist, found = clone(search).fit(X).kneighbors(points, n_neighbors=k)
        return np.asarray(dist) ** 2, np.asarray(found).astype(np.int64)
    (X, points), exponent = _in_safe_range(X, points)
    if _knn is None:
        _say_scan_missing()
        dist, index = _brute_force(points, X, k, farthest)
    elif not farthest and X.shape[1] <= 5 and len(points) * n > _TREE_PAIRS and len(points) * _TREE_BUILDS >= n:
        from sklearn.neighbors import NearestNeighbors

        dist, found = NearestNeighbors().fit(X).kneighbors(points, n_neighbors=k)
        dist, index = dist**2, found.astype(np.int64)
    elif X.dtype == np.float64 and n > k and len(points) * n >= SHORTLIST_PAIRS:
        dist, index = kneighbors_shortlisted(X, k, None, n_threads, points=points, farthest=farthest)
    else:
        dist, index = _scan_rows(X, k, None, n_threads, points=points, farthest=farthest)
    if exponent:
        with np.errstate(over="ignore", under="ignore"):
            dist = np.ldexp(dist, 2 * exponent)
    return dist, index


def kneighbors_among(
    points: np.ndarray,
    X: np.ndarray,
    rows: np.ndarray,
    k: int,
    *,
    farthest: bool = False,
    search: Any = None,
    n_threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kneighbors_of` ``(points, X[rows], k)`` without copying ``X[rows]`` whole: the
    rows are searched a block at a time and each point's lists merged (squared distance, then
    position in ``rows``), which gives the same lists as one search. NearMiss-3 asks which
    rows of a large class lie near the minority, where a copy of the class would be most of
    the memory used. ``farthest``, ``search`` and ``n_threads`` as for :func:`kneighbors_of`.

    Returns
    -------
    distances : ndarray of shape (len(points), k)
    indices : ndarray of shape (len(points), k), int64
        Indices into ``rows``.
    """
    rows = np.asarray(rows)
    if rows.dtype.kind not in "iu":  # int32 positions are searched as they are, not copied
        rows = rows.astype(np.int64)
    if not 1 <= k <= rows.size:
        raise ValueError(f"k must be between 1 and the number of rows {rows.size}, got {k}.")
    points = np.ascontiguousarray(points)
    if search is not None:  # the caller's object is fitted on the rows themselves
        return kneighbors_of(points, X[rows], k, farthest=farthest, search=search)
    if (_knn is None or X.dtype != np.float64 or X.shape[1] <= 5 or len(points) * rows.size < SHORTLIST_PAIRS
            or rows.size <= k + SHORTLIST_EXTRA):
        return _merged_blocks(points, X, rows, k, farthest, n_threads)
    found = _streamed_shortlist(points, X, rows, k, farthest, n_threads)
    if found is None:  # float32 would overflow
        return _merged_blocks(points, X, rows, k, farthest, n_threads)
    dist, index, accepted = found
    if not accepted.all():
        dist[~accepted], index[~accepted] = _merged_blocks(points[~accepted], X, rows, k, farthest, n_threads)
    return dist, index


def _streamed_shortlist(points: np.ndarray, X: np.ndarray, rows: np.ndarray, k: int, farthest: bool,
                        n_threads: int | None):
    """:func:`kneighbors_shortlisted` of ``points`` against ``X[rows]``, the rows packed a
    block at a time (see :func:`blockwise_shortlist`). Returns (dist, index into rows,
    accepted), or None where float32 would overflow."""
    width = TILE * LANES[np.dtype(np.float32)]
    mean = center_of(X, rows)  # one centre for every block

    def blocks():
        step = block_rows(rows.size)
        for start in range(0, rows.size, step):
            part = rows[start:start + step]
            packed, sq = pack_rows(Rows(X, part), width, np.float32, mean)
            if not np.isfinite(sq).all() or sq.max() > 1e30:
                yield None
                return
            yield packed, part.size, start, squared_norms(packed), sq.max()
            del packed  # before the next block's is made

    return blockwise_shortlist(X, points, mean, blocks(), k, min(k + SHORTLIST_EXTRA, rows.size), farthest,
                                n_threads, rows=rows)


def blockwise_shortlist(X: np.ndarray, points: np.ndarray, mean: np.ndarray, blocks: Any, k: int, depth: int,
                         farthest: bool, n_threads: int | None, *, rows: np.ndarray,
                         order: np.ndarray | None = None):
    """The float32 shortlist of ``points`` over candidate rows ``X[rows]`` packed in blocks
    (``blocks`` yields (packed, rows in it, index of its first row, norms, largest squared
    norm), or None where float32 would overflow), then the float64 re-rank (ties to the
    lower index, or the lower ``order[index]``) and which points float32 vouches for.

    The float32 lists carry over from block to block, so each block's scan starts from
    thresholds already tight, and a point's lists are those of one scan over every row.
    Returns (dist, index into rows, accepted) or None."""
    query32, sq_points = centered_float32(points, mean)
    if not np.isfinite(sq_points).all() or sq_points.max() > 1e30:
        return None
    query_norms = np.einsum("ij,ij->i", query32, query32, dtype=np.float64).astype(np.float32)
    lists = empty_lists(len(points), depth, np.dtype(np.float32), 0)[:2]
    largest = 0.0
    for block in blocks:
        if block is None:
            return None
        packed, n, offset, norms, block_largest = block
        largest = max(largest, block_largest)
        lists = _scan_onwards(packed, n, offset, lists, query32, len(points), norms, query_norms, farthest, n_threads)
        del block, packed, norms  # before the next block is made
    del query32
    dist32, shortlist = lists
    sign = -1.0 if farthest else 1.0  # the scan's scores: negated distances for the farthest
    dist, index = reranked(X, points, shortlist, k, sign, rows=rows, order=order)
    bound = 4 * (X.shape[1] + 8) * U32 * (sq_points + largest)
    return dist, index, _vouched(sign * dist[:, -1], dist32[:, -1], bound, depth == rows.size)


def _vouched(kth: np.ndarray, last_listed: np.ndarray, bound: np.ndarray, whole: bool) -> np.ndarray:
    """Whether a point's re-ranked k-th (its float64 score) is surely its k-th over every
    row: below the float32 score of the last row shortlisted less the bound, so that no row
    left off the shortlist can come as near; or the shortlist holds every row (``whole``)."""
    return (kth < last_listed.astype(np.float64) - bound) | whole


def _scan_onwards(packed: np.ndarray, n: int, offset: int, lists: tuple[np.ndarray, np.ndarray], query32: np.ndarray,
                  n_points: int, norms: np.ndarray, query_norms: np.ndarray, farthest: bool,
                  n_threads: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Float32 lists (dist, index) of the points, carried on over one more block of n packed
    rows numbered from ``offset``. The scan numbers the block's rows from 0, so the indices
    listed already are shifted down for it (earlier rows become negative and still come
    first among equal distances) and everything back up after."""
    dist, index = lists
    sentinel = np.iinfo(np.int64).max
    index[index != sentinel] -= offset
    dist, index = scan_packed(packed, n, packed.shape[1], dist.shape[1], n_threads, points=query32, n_points=n_points,
                        norms=norms, query_norms=query_norms, farthest=farthest, start=(dist, index))
    index[index != sentinel] += offset
    return dist, index


def _merged_blocks(points: np.ndarray, X: np.ndarray, rows: np.ndarray, k: int, farthest: bool,
                   n_threads: int | None, *, search: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact lists of ``points`` against ``X[rows]`` from each block's own exact search
    (``search(points, block, k)``, default :func:`kneighbors_of`), merged: slower than one
    shortlist (every block starts from empty lists), for the points the shortlist could not
    settle."""
    if search is None:
        def search(points, block, k):
            return kneighbors_of(points, block, k, farthest=farthest, n_threads=n_threads)
    step = block_rows(rows.size)
    dist = index = None
    for start in range(0, rows.size, step):
        part = rows[start:start + step]
        found_dist, found = search(points, X[part], min(k, part.size))
        found += start
        if dist is not None:  # rows of earlier blocks come first among equal distances
            found_dist, found = np.hstack([dist, found_dist]), np.hstack([index, found])
            order = np.lexsort((found, -found_dist if farthest else found_dist), axis=-1)[:, :k]
            found_dist, found = np.take_along_axis(found_dist, order, 1), np.take_along_axis(found, order, 1)
        dist, index = found_dist, found
    return dist, index


# Rows of a large set read at a time (at least; 1/32 of the set when that is more): the
# block's float64 and float32 copies and its lists stay small beside the rows kept.
_BLOCK_ROWS = 4096


def block_rows(n: int) -> int:
    """Rows of a set of n read at a time where a copy of the whole set is to be avoided."""
    return max(_BLOCK_ROWS, -(-n // 32))


def center_of(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A point near the rows ``X[rows]`` to centre them on for float32 (which keeps its
    error small; any point is exact): the mean of at most a few thousand of them, evenly
    spread, so no copy of them all is made."""
    return X[rows[::max(1, rows.size // _PACK_ROWS)]].mean(axis=0)


class Rows:
    """Rows of X at ``positions``, read a block at a time (``pack_rows`` slices it): packs a
    subset without copying it whole in float64. Indexing (a slice or positions in the
    subset) gives a fresh array of those rows."""

    def __init__(self, X: np.ndarray, positions: np.ndarray) -> None:
        self.X, self.positions = X, positions
        self.shape = (positions.size, X.shape[1])
        self.dtype = X.dtype

    def __len__(self) -> int:
        return self.positions.size

    def __getitem__(self, part: slice | np.ndarray) -> np.ndarray:
        return self.X[self.positions[part]]

    def mean(self, axis: int = 0) -> np.ndarray:
        """The mean row (``axis=0``, as for an array), summed a block at a time."""
        if axis != 0:
            raise ValueError("Rows gives the mean row only (axis=0).")
        total = np.zeros(self.shape[1])
        for start in range(0, len(self), _PACK_ROWS):
            total += self[start:start + _PACK_ROWS].sum(axis=0)
        return total / max(len(self), 1)


def _brute_force(points: np.ndarray, X: np.ndarray, k: int, farthest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Without the compiled scan: full distance rows a block at a time (ties to the lower index)."""
    dist = np.empty((len(points), k), dtype=X.dtype)
    index = np.empty((len(points), k), dtype=np.int64)
    step = max(1, _PACK_ROWS * 64 // max(len(X), 1))
    positions = np.arange(len(X))
    for start in range(0, len(points), step):
        part = points[start:start + step]
        d2 = ((part[:, None, :] - X[None, :, :]) ** 2).sum(-1)
        order = np.lexsort((np.broadcast_to(positions, d2.shape), -d2 if farthest else d2), axis=-1)[:, :k]
        dist[start:start + step] = np.take_along_axis(d2, order, axis=1)
        index[start:start + step] = order
    return dist, index


def in_safe_range(X: np.ndarray) -> np.ndarray:
    """X times the power of two that keeps its squared distances from overflowing or
    underflowing (X itself where none is needed): the same neighbours, ties included, for a
    caller that searches X by positions many times (NearMiss, condensing), so that X is scaled
    once rather than copied by every search."""
    return _in_safe_range(X)[0][0]


def _in_safe_range(X: np.ndarray, *others: np.ndarray) -> tuple[tuple[np.ndarray, ...], int]:
    """X (and ``others``, searched with it) times a power of two that brings the largest
    magnitude near 1, when that magnitude is so large that squared distances would overflow
    (above ~1e154 in float64, ~1e19 in float32) or so small that they would underflow; and the
    exponent to undo it. Nothing is copied when no scaling is needed.

    A power of two changes no mantissa, so every distance is scaled by the same exact factor
    and the neighbours are the same as in exact arithmetic."""
    arrays = (X, *others)
    info = np.finfo(X.dtype)
    # no |X| temporary: the largest magnitude from max and min
    largest = max((max(float(a.max()), -float(a.min())) for a in arrays if a.size), default=0.0)
    # squared distances reach 4 d largest**2; keep that far from the ends of the range
    bound = (info.maxexp - 8 - int(np.log2(max(X.shape[1], 1)))) // 2
    if largest == 0.0 or -bound <= np.frexp(largest)[1] <= bound:
        return arrays, 0
    exponent = int(np.frexp(largest)[1])
    return tuple(np.ldexp(a, -exponent).astype(a.dtype, copy=False) for a in arrays), exponent


def _kneighbors_euclidean(X: np.ndarray, k: int, queries: np.ndarray | None,
                          n_threads: int | None) -> tuple[np.ndarray, np.ndarray]:
    n, d = X.shape
    n_queries = n if queries is None else len(queries)
    if _knn is None:
        _say_scan_missing()
    if _knn is None or (d <= 5 and n_queries * n > _TREE_PAIRS):
        return _kneighbors_sklearn(X, k, queries, None)
    if X.dtype == np.float64 and n > k + 1 and n_queries * n >= SHORTLIST_PAIRS:
        return kneighbors_shortlisted(X, k, queries, n_threads)
    return _scan_rows(X, k, queries, n_threads)


# Below this many query x candidate pairs a float64 scan is quick anyway.
SHORTLIST_PAIRS = 1e7
# Candidates the float32 scan keeps beyond k, and rows re-ranked in float64 at a time.
SHORTLIST_EXTRA = 2  # more costs scan time; fewer leaves more rows to search again exactly
_RERANK_ROWS = 1024
U32 = float(np.finfo(np.float32).eps) / 2  # unit roundoff of float32


def kneighbors_shortlisted(X: np.ndarray, k: int, queries: np.ndarray | None, n_threads: int | None, *,
                            points: np.ndarray | None = None, farthest: bool = False) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact float64 neighbours at float32 speed: a float32 scan shortlists k + 2 candidates
    per row, float64 re-ranks them (ties to the lower index), and a row is accepted only when
    its k-th float64 distance is below the float32 distance of its last candidate minus a
    bound on float32's error; the rest are searched again in float64.

    The bound: with the rows centred, :math:`u` float32's unit roundoff and :math:`S_i =
    \lVert x_i \rVert^2`, a float32 squared distance is within :math:`4 (d + 8)\, u\, (S_i +
    \max_c S_c)` of the exact one, so no row outside the shortlist can be nearer, or as near,
    as an accepted k-th neighbour. The float32 pass uses the dot-product form
    :math:`\lVert q \rVert^2 + \lVert c \rVert^2 - 2\, q \cdot c` (one multiply-add per
    feature and pair, half the work of summing squared differences); its error, from rounding
    the coordinates (:math:`4u(S_q + S_c)`), the norms (:math:`u` each), the dot product
    (:math:`d\,u\,(S_q + S_c)` to first order) and the two final additions
    (:math:`4u(S_q + S_c)`), is about :math:`(d + 9)\, u\, (S_q + S_c)`: within the bound.
    """
    n, d = X.shape
    # Centred (a translation changes no distance, and keeps float32's error small) and packed
    # straight into the scan's float32 tiles, a block at a time: no float64 or row-major copy of X.
    mean = X.mean(axis=0)
    packed, sq = pack_rows(X, TILE * LANES[np.dtype(np.float32)], np.float32, mean)
    if points is None:  # every row (no copy of a value per row: SMOTE chains search as much as they hold)
        rows = None if queries is None else np.asarray(queries, dtype=np.int64)
        targets, sq_targets = (X, sq) if rows is None else (X[rows], sq[rows])
        largest = n - 1
    else:  # another set's points: nothing left out, every row of X a candidate
        rows = np.arange(len(points))
        targets, largest = points, n
    query32 = None
    if points is not None or queries is not None:
        query32, sq_targets = centered_float32(targets, mean)
    if not (np.isfinite(sq).all() and np.isfinite(sq_targets).all()) or max(sq.max(), sq_targets.max()) > 1e30:
        # float32 would overflow: search in float64
        return _scan_rows(X, k, queries, n_threads, points=points, farthest=farthest)
    depth = min(k + SHORTLIST_EXTRA, largest)
    norms = squared_norms(packed)
    if query32 is None:
        dist32, shortlist = scan_packed(packed, n, d, depth, n_threads, norms=norms, farthest=farthest)
    else:
        dist32, shortlist = scan_packed(packed, n, d, depth, n_threads, points=query32, n_points=rows.size,
                                  skip=None if points is not None else rows, norms=norms,
                                  query_norms=np.einsum("ij,ij->i", query32, query32, dtype=np.float64)
                                  .astype(np.float32), farthest=farthest)
        del query32
    sign = -1.0 if farthest else 1.0  # the scan's scores: negated distances for the farthest
    del packed
    bound = 4 * (d + 8) * U32 * (sq_targets + sq.max())
    dist, index = reranked(X, targets, shortlist, k, sign)
    accepted = _vouched(sign * dist[:, -1], dist32[:, -1], bound, depth == largest)
    if not accepted.all():
        if points is None:
            again = np.flatnonzero(~accepted) if rows is None else rows[~accepted]
            dist[~accepted], index[~accepted] = _searched_again(X, k, n_threads, queries=again,
                                                                farthest=farthest)
        else:
            dist[~accepted], index[~accepted] = _searched_again(X, k, n_threads, points=points[~accepted],
                                                                farthest=farthest)
    return dist, index


def _searched_again(X: np.ndarray, k: int, n_threads: int | None, *, queries: np.ndarray | None = None,
                    points: np.ndarray | None = None, farthest: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The exact float64 lists of the few rows (``queries``, each left out of its own list)
    or ``points`` the float32 shortlist could not vouch for, X read a block at a time: a
    float64 copy of X packed whole for them would double the memory of a search (SMOTETomek's
    peak)."""
    def in_float64(targets, block, k):  # never the shortlist again: it could not vouch for these
        return _scan_rows(block, k, None, n_threads, points=targets, farthest=farthest)

    every = np.arange(len(X))
    if points is not None:
        return _merged_blocks(points, X, every, k, farthest, n_threads, search=in_float64)
    dist, index = _merged_blocks(X[queries], X, every, k + 1, farthest, n_threads, search=in_float64)
    # Each query left out of its own list: its own entry where listed, else the last (the
    # k + 1 listed are then duplicates of it before it, or farther than it for the farthest).
    own = index == queries[:, None]
    drop = np.where(own.any(axis=1), own.argmax(axis=1), k)
    keep = np.ones(index.shape, dtype=bool)
    keep[np.arange(len(index)), drop] = False
    return dist[keep].reshape(len(index), k), index[keep].reshape(len(index), k)


def reranked(X: np.ndarray, targets: np.ndarray, shortlist: np.ndarray, k: int, sign: float, *,
              rows: np.ndarray | None = None, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each target's shortlist scored in float64 and cut to its k best (``sign`` -1: the
    farthest), ties to the lower index; the shortlist indexes X, or ``rows`` of X when given
    (ties then to the lower ``order[index]`` if given, else the lower index). A block of
    targets at a time and one candidate of each at a time, the difference computed in
    place: the only temporary is a block of rows."""
    dist = np.empty((len(shortlist), k))
    index = np.empty((len(shortlist), k), dtype=np.int64)
    for start in range(0, len(shortlist), _RERANK_ROWS):
        part = slice(start, start + _RERANK_ROWS)
        cand = shortlist[part]
        exact = np.empty(cand.shape)
        for j in range(cand.shape[1]):
            diff = X[cand[:, j] if rows is None else rows[cand[:, j]]]
            diff -= targets[part]
            exact[:, j] = np.einsum("md,md->m", diff, diff)
            del diff  # before the next one is made
        best = np.lexsort((cand if order is None else order[cand], sign * exact), axis=-1)[:, :k]
        dist[part] = np.take_along_axis(exact, best, axis=1)
        index[part] = np.take_along_axis(cand, best, axis=1)
    return dist, index


def squared_norms(packed: np.ndarray) -> np.ndarray:
    """Each packed row's squared norm (summed in float64, stored in the packed dtype), in row
    order (NaN for padding rows): the scan's dot-product form needs them."""
    out = np.empty(packed.shape[0] * packed.shape[2], dtype=packed.dtype)
    step = max(1, _PACK_ROWS // packed.shape[2])
    for start in range(0, packed.shape[0], step):
        tiles = packed[start:start + step]
        out[start * packed.shape[2]:(start + len(tiles)) * packed.shape[2]] = np.einsum(
            "tfl,tfl->tl", tiles, tiles, dtype=np.float64).ravel()
    return out


def centered_float32(X: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X - mean in float32, padded with NaN rows to a multiple of 4 (the scan's query groups),
    and each centred row's squared norm (float64); a block at a time, no float64 copy of X."""
    out = np.full((-(-len(X) // 4) * 4, X.shape[1]), np.nan, dtype=np.float32)
    sq = np.empty(len(X))
    for start in range(0, len(X), _PACK_ROWS):
        block = centered_block(X, start, mean)
        sq[start:start + len(block)] = np.einsum("ij,ij->i", block, block)
        out[start:start + len(block)] = block
        del block  # before the next one is made
    return out, sq


# Rows packed at a time (a multiple of every tile width).
_PACK_ROWS = 4608


def centered_block(X: np.ndarray | Rows, start: int, mean: np.ndarray, *, size: int = _PACK_ROWS) -> np.ndarray:
    """Rows [start, start + size) of X less ``mean``, in float64; rows gathered by
    :class:`Rows` are a fresh copy already, centred in place (one block copy, not two)."""
    block = X[start:start + size]
    if isinstance(X, Rows) and block.dtype == np.float64:
        block -= mean
        return block
    return block - mean


def pack_rows(X: np.ndarray, width: int, dtype: Any, mean: np.ndarray | None = None):
    """X's rows in the scan's tiles of ``width`` rows, each transposed (packed[tile, feature,
    lane]), in ``dtype``, less ``mean`` if given, NaN rows padding the last tile (every
    comparison with NaN is false, so padding never enters a result); built a block at a time.
    With ``mean``, also each centred row's squared norm (float64)."""
    n, d = X.shape
    n_tiles = -(-n // width)
    packed = np.empty((n_tiles, d, width), dtype=dtype)
    sq = np.empty(n) if mean is not None else None
    for start in range(0, n, _PACK_ROWS):
        block = X[start:start + _PACK_ROWS] if mean is None else centered_block(X, start, mean)
        if mean is not None:
            sq[start:start + len(block)] = np.einsum("ij,ij->i", block, block)
        full, rest = divmod(len(block), width)
        first = start // width
        packed[first:first + full] = block[:full * width].reshape(full, width, d).transpose(0, 2, 1)
        if rest:  # the last tile, padded with NaN rows
            packed[first + full, :, rest:] = np.nan
            packed[first + full, :, :rest] = block[full * width:].T
        del block  # before the next one is made
    return (packed, sq) if mean is not None else packed


def _scan_rows(X: np.ndarray, k: int, queries: np.ndarray | None, n_threads: int | None, *,
               points: np.ndarray | None = None, farthest: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The compiled scan in X's own precision (float32 or float64): X against itself, rows
    ``queries`` of X against X (each leaving itself out), or ``points`` against X; the k
    nearest, or the k farthest (distances returned positive either way)."""
    n, d = X.shape
    packed = pack_rows(X, TILE * LANES[X.dtype], X.dtype)
    if queries is None and points is None:
        dist, index = scan_packed(packed, n, d, k, n_threads, farthest=farthest)
    elif points is None:
        queries = np.ascontiguousarray(queries, dtype=np.int64)
        dist, index = scan_packed(packed, n, d, k, n_threads, points=X[queries], skip=queries, farthest=farthest)
    else:
        dist, index = scan_packed(packed, n, d, k, n_threads, points=np.ascontiguousarray(points, dtype=X.dtype),
                            farthest=farthest)
    if farthest:
        np.negative(dist, out=dist)
    return dist, index


def scan_packed(packed: np.ndarray, n: int, d: int, k: int, n_threads: int | None, *, points: np.ndarray | None = None,
          n_points: int | None = None, skip: np.ndarray | None = None, norms: np.ndarray | None = None,
          query_norms: np.ndarray | None = None, farthest: bool = False,
          start: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The compiled scan over packed candidates: symmetric (the candidates against
    themselves, each pair scored once) when ``points`` is None, else the first ``n_points``
    (default: all) rows of ``points`` (row-major; NaN rows may pad it to a multiple of 4)
    against them, point i leaving candidate ``skip[i]`` out. With ``norms`` (the candidates'
    squared norms, see :func:`squared_norms`, and ``query_norms`` for ``points``) distances
    are computed in the faster dot-product form, for the float32 shortlist only. With
    ``farthest`` the lists hold the k smallest negated squared distances. ``start``: lists
    (dist, index, sorted, k pairs per point) already begun, which the scan goes on from, each
    point's k-th as its threshold (counting's slices and sentinels)."""
    dtype = packed.dtype
    threads = threads_to_use(n_threads)
    n_tiles = len(packed)
    if points is None:
        return _scan_symmetric_in_rounds(packed, n, d, k, threads, norms, farthest)
    m = len(points) if n_points is None else n_points
    padded = points if len(points) % 4 == 0 else _pad_rows(points, 4)
    if query_norms is not None and len(query_norms) < len(padded):
        query_norms = np.concatenate([query_norms, np.full(len(padded) - len(query_norms), np.nan, padded.dtype)])
    threads = max(1, min(threads, -(-m // 4)))
    dist, index, threshold = empty_lists(m, k, dtype, len(padded))
    if start is not None:
        dist[:], index[:] = start
        threshold[:m] = dist[:, k - 1]

    def run(t: int) -> None:  # threads own disjoint query groups, so share the lists
        _knn.scan(padded, m, packed, n, n_tiles, d, k, dist, index, threshold, t, threads, False, skip,
                  dtype.itemsize, query_norms, norms, farthest)

    if threads == 1:
        run(0)
    else:
        list(thread_pool(threads).map(run, range(threads)))
    return dist, index


def _scan_symmetric_in_rounds(packed: np.ndarray, n: int, d: int, k: int, threads: int, norms: np.ndarray | None,
                              farthest: bool) -> tuple[np.ndarray, np.ndarray]:
    """The symmetric scan on ``threads`` threads that share one set of lists. The rows are
    cut into 2 x threads parts of whole tiles; each pair of parts (a part with itself too) is
    one call, rows of the lower part against tiles of the higher, which offers each pair to
    both rows' lists. Calls run in rounds in which no part appears twice (the circle method
    of a round-robin tournament, then the parts with themselves), so no two threads ever
    touch the same row's list at once, and nothing is merged: a thread's own copy of every
    list, the earlier way, took as much memory as the lists again per thread. One thread (or
    too few tiles to give each part two): a single call."""
    width = packed.shape[2]
    n_tiles = len(packed)
    threads = max(1, min(threads, n_tiles // 4))
    parts = 2 * threads if threads > 1 else 1
    edges = np.linspace(0, n_tiles, parts + 1).astype(np.int64)
    dist, index, threshold = empty_lists(n, k, packed.dtype, n_tiles * width)

    def run(pair: tuple[int, int]) -> None:
        low, high = min(pair), max(pair)  # every pair of rows (i, j) with j > i
        _knn.scan(packed, n, packed, n, n_tiles, d, k, dist, index, threshold, edges[low] * width // 4, 1, True,
                  None, packed.dtype.itemsize, norms, norms, farthest, edges[low + 1] * width // 4, edges[high],
                  edges[high + 1])

    if parts == 1:
        run((0, 0))
        return dist, index
    pool = thread_pool(threads)
    for round_ in _round_robin(parts):
        list(pool.map(run, round_))
    return dist, index


def _round_robin(parts: int) -> list[list[tuple[int, int]]]:
    """Every pair of an even number of parts, each part with itself too, in rounds of
    ``parts // 2`` pairs where no part appears twice."""
    players = list(range(parts))
    rounds = []
    for _ in range(parts - 1):  # the circle method: part 0 stays, the others turn
        rounds.append([(players[i], players[parts - 1 - i]) for i in range(parts // 2)])
        players = [players[0], players[-1], *players[1:-1]]
    half = parts // 2
    rounds += [[(p, p) for p in range(half)], [(p, p) for p in range(half, parts)]]
    return rounds


def _kneighbors_sklearn(X: np.ndarray, k: int, queries: np.ndarray | None,
                        search: Any) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.base import clone
    from sklearn.neighbors import NearestNeighbors

    search = clone(search) if search is not None else NearestNeighbors()
    rows = np.arange(len(X)) if queries is None else np.asarray(queries)
    search.fit(X)
    dist, found = search.kneighbors(X[rows], n_neighbors=k + 1)
    dist, found = np.asarray(dist), np.asarray(found)
    # Leave each row out of its own list; with duplicate rows it may not come first.
    order = np.argsort(found == rows[:, None], axis=1, kind="stable")[:, :k]
    found = np.take_along_axis(found, order, axis=1).astype(np.int64)
    return np.take_along_axis(dist, order, axis=1) ** 2, found
