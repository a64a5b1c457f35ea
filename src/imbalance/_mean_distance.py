r"""NearMiss's selection: the rows whose mean distance to their k nearest (or farthest)
reference rows is smallest (or largest), without every row's exact list.

Every row gets float32 bounds on its score from one pass of the scan; only the rows whose
bounds straddle the cut are scored exactly (float64 lists). Beside its one user,
:mod:`imbalance.prototypes`, on the scan's building blocks (:mod:`imbalance._neighbors.scan`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from imbalance._neighbors import scan as _scan
from imbalance._neighbors.scan import (
    LANES,
    SHORTLIST_PAIRS,
    TILE,
    U32,
    Rows,
    block_rows,
    center_of,
    centered_float32,
    kneighbors_among,
    pack_rows,
    scan_packed,
    squared_norms,
    thread_pool,
    threads_to_use,
)

__all__ = ["select_by_mean_distance"]


def select_by_mean_distance(
    X: np.ndarray,
    rows: np.ndarray,
    reference: np.ndarray,
    k: int,
    t: int,
    *,
    farthest: bool = False,
    largest: bool = False,
    search: Any = None,
    n_threads: int | None = None,
) -> np.ndarray:
    r"""The ``t`` of ``rows`` whose mean distance to their k nearest (or farthest) rows of
    ``reference`` is smallest (or largest): NearMiss's selection.

    The score of row :math:`x` is :math:`\frac1k \sum_{j \le k} \lVert x - r_{(j)} \rVert`
    over its k nearest (``farthest``: farthest) reference rows :math:`r_{(j)}`, computed in
    float64 exactly as :func:`kneighbors_of` gives the distances; ties go to the earlier
    entry of ``rows``. The result is that of scoring every row, but only the rows that may
    be selected are scored in float64.

    How: a float32 pass over the rows, a block at a time, finds each row's k approximate
    squared distances :math:`\tilde a_j`, each within :math:`B_x` of the exact
    :math:`j`-th (order statistics move no more than the values they are taken from; for
    :math:`B_x` see :func:`kneighbors_shortlisted`), so the score lies in
    :math:`[L_x, U_x] = [\frac1k \sum_j \sqrt{\max(\tilde a_j - B_x, 0)},\ \frac1k \sum_j
    \sqrt{\tilde a_j + B_x}]`. With :math:`T` the t-th smallest :math:`U`, at least t
    rows score at most :math:`T`, so a row with :math:`L_x > T` cannot be chosen; the
    others (about t of them) are scored exactly. Memory: the intervals of the rows that may
    still be chosen (about t) and one block, never a value per row.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Holds the rows to choose from.
    rows : ndarray of int
        Positions in X of the candidates, in the order that breaks ties.
    reference : ndarray of int
        Positions in X of the rows distances are measured to (NearMiss: the minority).
    k : int
        Reference rows averaged over, ``1 <= k <= m``.
    t : int
        Rows to choose, ``0 <= t <= len(rows)``.
    farthest : bool, default=False
        Average over the k farthest reference rows (NearMiss-2).
    largest : bool, default=False
        Choose the largest scores (NearMiss-3's second step).
    search, n_threads
        As for :func:`kneighbors_of`.

    Returns
    -------
    chosen : ndarray of int
        Indices into ``rows`` of the chosen rows, best first (ties: the earlier entry).
    """
    rows = np.asarray(rows, dtype=np.int64)
    reference = np.asarray(reference, dtype=np.int64)
    t = min(int(t), rows.size)
    if t == 0:
        return np.empty(0, dtype=np.int64)
    if (search is not None or not _scan.have_compiled_scan() or X.dtype != np.float64
            or rows.size * reference.size < SHORTLIST_PAIRS or X.shape[1] <= 5):
        candidates = np.arange(rows.size)  # every row scored exactly
    else:
        candidates = _shortlist_by_mean_distance(X, rows, reference, k, t, farthest, largest, n_threads)
    block = block_rows(rows.size)
    score = np.empty(candidates.size)
    for start in range(0, candidates.size, block):  # a block at a time: no float64 copy of every candidate
        part = candidates[start:start + block]
        squared = kneighbors_among(X[rows[part]], X, reference, k, farthest=farthest, search=search,
                                   n_threads=n_threads)[0]
        score[start:start + part.size] = np.sqrt(squared).mean(axis=1)
    order = np.argsort(-score if largest else score, kind="stable")[:t]
    return candidates[order]


# Relative slack between the float64 scores and the real numbers the bounds hold for (a
# square root and a mean add a few units of 1e-16), so that no row is left out by rounding.
_SCORE_MARGIN = 1e-12


def _shortlist_by_mean_distance(X: np.ndarray, rows: np.ndarray, reference: np.ndarray, k: int, t: int,
                                farthest: bool, largest: bool, n_threads: int | None) -> np.ndarray:
    """Indices into ``rows``, in order, of the rows whose score may be among the t chosen
    (see :func:`select_by_mean_distance`): each row's score bounded from a float32 pass, a
    block of rows at a time, and only the rows that may still pass the cut kept.

    The cut moves one way as blocks come: the t-th smallest upper bound seen so far can only
    fall (``largest``: the t-th largest lower bound can only rise). A row dropped because its
    lower bound lies above the cut has its upper bound there too, so it is never one of the
    t smallest upper bounds later: the kept rows always hold them, and the cut computed from
    the kept rows alone is the cut over every row seen. So does a cut over part of the rows:
    with enough rows, each thread bounds a contiguous part of them on its own (no wait for
    the other between blocks) and cuts it by its own cut, and the parts are cut once more
    together. Memory: O(t) per thread, and one block's rows split between the threads."""
    d = X.shape[1]
    mean = center_of(X, reference)
    packed, sq_ref = pack_rows(Rows(X, reference), TILE * LANES[np.dtype(np.float32)], np.float32, mean)
    if not np.isfinite(sq_ref).all() or sq_ref.max() > 1e30:
        return np.arange(rows.size)  # float32 would overflow: every row scored exactly
    norms = squared_norms(packed)
    largest_ref = sq_ref.max()
    sign = -1.0 if farthest else 1.0
    block = block_rows(rows.size)
    threads = threads_to_use(n_threads)
    parts = min(threads, rows.size // block)  # a thread per part only when each has a block or more
    block = -(-block // max(parts, 1))  # the blocks in flight together hold one block's rows

    def cut_down(kept: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, ...]:
        if kept.size <= t:
            return kept, low, high
        if largest:  # t rows score at least the t-th largest lower bound
            cut = np.partition(low, kept.size - t)[kept.size - t]
            may = high >= cut * (1 - _SCORE_MARGIN)
        else:
            cut = np.partition(high, t - 1)[t - 1]
            may = low <= cut * (1 + _SCORE_MARGIN)
        return kept[may], low[may], high[may]

    def bounded(begin: int, end: int, scan_threads: int | None) -> tuple[np.ndarray, ...] | None:
        kept = np.empty(0, dtype=np.int64)
        low = high = np.empty(0)
        for start in range(begin, end, block):
            part = rows[start:min(start + block, end)]
            query32, sq = centered_float32(Rows(X, part), mean)
            if not np.isfinite(sq).all() or sq.max() > 1e30:
                return None
            query_norms = np.einsum("ij,ij->i", query32, query32, dtype=np.float64).astype(np.float32)
            approx, _ = scan_packed(packed, reference.size, d, k, scan_threads, points=query32, n_points=sq.size,
                              norms=norms, query_norms=query_norms, farthest=farthest)
            del query32
            approx = sign * approx.astype(np.float64)
            bound = (4 * (d + 8) * U32 * (sq + largest_ref))[:, None]
            kept = np.concatenate([kept, np.arange(start, start + part.size)])
            low = np.concatenate([low, np.sqrt(np.maximum(approx - bound, 0)).mean(axis=1)])
            high = np.concatenate([high, np.sqrt(np.maximum(approx + bound, 0)).mean(axis=1)])
            kept, low, high = cut_down(kept, low, high)
        return kept, low, high

    if parts <= 1:
        found = [bounded(0, rows.size, n_threads)]
    else:
        edges = np.linspace(0, rows.size, parts + 1).astype(np.int64)
        found = list(thread_pool(parts).map(lambda p: bounded(edges[p], edges[p + 1], 1), range(parts)))
    if any(f is None for f in found):
        return np.arange(rows.size)  # float32 would overflow: every row scored exactly
    return cut_down(*(np.concatenate(column) for column in zip(*found)))[0]
