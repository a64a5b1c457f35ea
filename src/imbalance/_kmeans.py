r"""Lloyd's k-means on rows of X read in place, each row compared with the centres that moved:
ClusterCentroids' default.

scikit-learn's ``KMeans`` fits on a copy of the class in float64 and seeds with greedy
k-means++, whose :math:`k` sequential rounds each score several candidates against every
row. ClusterCentroids asks for as many clusters as the class should keep (thousands), so the
copy is most of its memory and the seeding most of its time. Here the rows are read a block
at a time through their positions, the initial centres are distinct rows drawn at random
(Forgy), and each iteration is

.. math::

    a_i \leftarrow \arg\min_c \lVert x_i - \mu_c \rVert, \qquad
    \mu_c \leftarrow \frac{1}{|\{i : a_i = c\}|} \sum_{i : a_i = c} x_i ,

until no row changes cluster (or ``max_iter``). Each mean is summed anew from its rows, in
row order, and only for the clusters whose rows changed: the others keep their centre.

Most centres stop moving after a few iterations, and a centre that did not move cannot
have come nearer to any row. So each row keeps :math:`l_i`, a lower bound on its squared
distance to every centre but its own, and an iteration compares it only with its own centre
and the centres that moved: if the nearest of those is nearer than :math:`l_i`, it is the
row's nearest centre, and :math:`l_i` becomes the smaller of itself and the next nearest of
them. Only a row for which an unmoved centre might be as near is searched among every centre
(its two nearest, on the compiled scan); so is every row in the first iteration. The
assignments are those of plain Lloyd iterations, ties to the lower centre: the bound only
decides which centres need looking at. A row within half its centre's distance to the
nearest centre that moved is nearer its own than any of those, with no search (the triangle
inequality). :math:`l_i`
is stored in float32 rounded down, so a row costs 8 bytes (with its cluster), and the means
are summed into the centres in place, so the centres are the only array of their size.

A cluster left empty takes the row farthest from its centre (of a cluster with other rows),
as scikit-learn does.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from imbalance import _growing_set, _neighbors

__all__ = ["KMeansFit", "lloyd"]

# Rows read at a time; rows to search are gathered into batches of this many.
_BLOCK_ROWS = 1024
# A bound is trusted only below this fraction of itself: float64's rounding in the
# distances compared with it is far smaller.
_SAFETY = 1.0 - 1e-12


class KMeansFit(NamedTuple):
    """Centres (k, d) in float64, and the iterations run."""

    centers: np.ndarray
    n_iter: int


def lloyd(X: np.ndarray, rows: np.ndarray, centers: np.ndarray, *, max_iter: int = 300, block: int = _BLOCK_ROWS,
          n_threads: int | None = None) -> KMeansFit:
    """Lloyd's k-means on ``X[rows]`` from the initial ``centres``, comparing rows with the
    centres that moved only.

    Parameters
    ----------
    X : ndarray of shape (n, d), float32 or float64
        Read in place, ``block`` rows at a time.
    rows : ndarray of int
        The rows to cluster (positions in X).
    centres : ndarray of shape (k, d)
        Initial centres, ``1 <= k <= len(rows)``; not modified.
    max_iter : int, default=300
        Iterations at most; fewer when no row changes cluster.
    block : int
        Rows read, and searched, at a time.
    n_threads : int, optional
        Threads for the scan.

    Returns
    -------
    KMeansFit
        The centres (the means of their clusters; a cluster that stays empty keeps its
        centre) and the number of iterations.
    """
    rows = np.asarray(rows)  # int32 or int64: the largest array kept but the centres
    centers = np.array(centers, dtype=np.float64)
    k = len(centers)
    if not 1 <= k <= rows.size:
        raise ValueError(f"k-means needs between 1 and {rows.size} clusters, got {k}.")
    if k == 1:
        return KMeansFit(_neighbors.center_of(X, rows)[None, :], 1)
    labels = np.full(rows.size, -1, dtype=np.int32)  # none yet
    lower = np.zeros(rows.size, dtype=np.float32)
    moved = None  # the first iteration searches every row among every centre
    for n_iter in range(1, max_iter + 1):
        touched = _assign(X, rows, centers, moved, labels, lower, block, n_threads)
        if not touched.any():
            break
        counts = np.bincount(labels, minlength=k)
        _sum_means(X, rows, centers, labels, counts, touched & (counts > 0), block)
        if not counts.all():
            touched[_fill_empty(X, rows, centers, counts, labels, lower, block)] = True
        moved = np.flatnonzero(touched)
    return KMeansFit(centers, n_iter)


def _assign(X: np.ndarray, rows: np.ndarray, centers: np.ndarray, moved: np.ndarray | None, labels: np.ndarray,
            lower: np.ndarray, block: int, n_threads: int | None) -> np.ndarray:
    """One assignment, in place (``labels``, ``lower``): each row compared with its centre
    and the centres that ``moved`` (None: the first iteration), then searched among every
    centre where that does not settle it. Returns which clusters gained or lost a row."""
    k = len(centers)
    mean = centers.mean(axis=0)
    touched = np.zeros(k, dtype=bool)

    def relabel(positions: np.ndarray, found: np.ndarray) -> None:
        change = found != labels[positions]
        left = labels[positions[change]]
        touched[left[left >= 0]] = True  # -1: no cluster yet
        touched[found[change]] = True
        labels[positions] = found

    if moved is None:
        unsettled = [np.arange(rows.size, dtype=np.int32)]
    else:
        moving = _packed(centers, moved, mean, n_threads)
        gap = _gap_to_moved(centers, moving, moved, block)
        unsettled = []
        for start in range(0, rows.size, block):
            positions = np.arange(start, min(start + block, rows.size), dtype=np.int32)
            best, best_dist, next_dist = _nearest_of_own_and_moved(X[rows[positions]], labels[positions], centers,
                                                                   gap, moving, moved)
            sure = best_dist < lower[positions] * _SAFETY  # no centre that stood still is as near
            relabel(positions[sure], best[sure])
            lower[positions[sure]] = np.minimum(lower[positions[sure]], _down32(next_dist[sure]))
            unsettled.append(positions[~sure])
        del moving  # before every centre is packed
    unsettled = np.concatenate(unsettled)
    if unsettled.size:
        every = _packed(centers, np.arange(k), mean, n_threads)
        for start in range(0, unsettled.size, block):
            positions = unsettled[start:start + block]
            dist, found = every.kneighbors(X[rows[positions]], 2)
            relabel(positions, found[:, 0])
            lower[positions] = _down32(dist[:, 1])
    return touched


def _sum_means(X: np.ndarray, rows: np.ndarray, centers: np.ndarray, labels: np.ndarray, counts: np.ndarray,
               which: np.ndarray, block: int) -> None:
    """The centres ``which`` (a mask) set to the means of their rows, in place."""
    centers[which] = 0.0
    for start in range(0, rows.size, block):
        own = labels[start:start + block]
        mine = which[own]
        np.add.at(centers, own[mine], X[rows[start:start + block][mine]])
    centers[which] /= counts[which, None]


def _packed(centers: np.ndarray, which: np.ndarray, mean: np.ndarray,
            n_threads: int | None) -> _growing_set.GrowingSet:
    """The centres ``which``, packed once for the iteration's searches."""
    packed = _growing_set.GrowingSet(centers, mean, chunk=max(which.size, 1), n_threads=n_threads)
    packed.add(which)
    return packed


def _gap_to_moved(centers: np.ndarray, moving: _growing_set.GrowingSet, moved: np.ndarray, block: int) -> np.ndarray:
    """Each centre's distance to the nearest centre that moved, other than itself (inf if
    none); asked ``block`` centres at a time, so no temporary is as large as the centres."""
    gap = np.empty(len(centers))
    for start in range(0, len(centers), block):
        part = centers[start:start + block]
        dist, found = moving.kneighbors(part, min(2, moved.size))
        itself = found[:, 0] == np.arange(start, start + len(part))
        gap[start:start + len(part)] = np.where(itself, dist[:, -1] if dist.shape[1] > 1 else np.inf, dist[:, 0])
    return np.sqrt(gap)


def _nearest_of_own_and_moved(points: np.ndarray, own: np.ndarray, centers: np.ndarray, gap: np.ndarray,
                              moving: _growing_set.GrowingSet,
                              moved: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Among each point's own centre and the centres that moved: the nearest (ties to the
    lower centre), its squared distance, and a lower bound on the squared distance to every
    other of them.

    A point within half its own centre's ``gap`` of it is nearer its own centre than any
    moved one (the triangle inequality), and at least :math:`(g - u)^2` from each of them;
    the others are compared with the three nearest centres that moved (so at least two not
    their own), and the next of these bounds every other."""
    diff = points - centers[own]
    own_dist = np.einsum("ij,ij->i", diff, diff)
    del diff
    upper, g = np.sqrt(own_dist), gap[own]
    best, best_dist = own.astype(np.int64), own_dist
    next_dist = np.where(2 * upper < g * _SAFETY, (g - upper) ** 2 * _SAFETY, 0.0)
    near = np.flatnonzero(next_dist == 0.0)
    if near.size:
        near_dist, near_ids = moving.kneighbors(points[near], min(3, moved.size))
        ids = best[near][:, None]
        near_dist = np.where(near_ids == ids, np.inf, near_dist)  # its own centre is counted once
        dist = np.hstack([own_dist[near][:, None], near_dist])
        ids = np.hstack([ids, near_ids])
        order = np.lexsort((ids, dist), axis=-1)
        dist, ids = np.take_along_axis(dist, order, 1), np.take_along_axis(ids, order, 1)
        best[near], best_dist[near] = ids[:, 0], dist[:, 0]
        next_dist[near] = dist[:, 1] if dist.shape[1] > 1 else np.inf
    return best, best_dist, next_dist


def _fill_empty(X: np.ndarray, rows: np.ndarray, centers: np.ndarray, counts: np.ndarray, labels: np.ndarray,
                lower: np.ndarray, block: int) -> list[int]:
    """Give each empty cluster the row farthest from its centre among clusters of two or
    more rows (farthest first, ties to the lower row), and take it out of its old cluster.
    Rows on their centre are never taken (duplicates of it: the empty cluster would tie with
    it and stay empty). Returns the clusters changed."""
    empty = np.flatnonzero(counts == 0)
    far_dist, far_pos = np.empty(0), np.empty(0, dtype=np.int64)
    for start in range(0, rows.size, block):
        own = labels[start:start + block]
        diff = X[rows[start:start + block]] - centers[own]
        dist = np.einsum("ij,ij->i", diff, diff)
        off = dist > 0
        dist, positions = dist[off], start + np.flatnonzero(off)
        far_dist = np.concatenate([far_dist, dist])
        far_pos = np.concatenate([far_pos, positions])
        keep = np.lexsort((far_pos, -far_dist))[:empty.size + block]  # enough to skip small clusters
        far_dist, far_pos = far_dist[keep], far_pos[keep]
    changed = []
    for cluster, position in zip(empty, _takeable(far_pos, labels, counts, empty.size)):
        old = labels[position]
        point = X[rows[position]]
        centers[old] = (centers[old] * counts[old] - point) / (counts[old] - 1)
        counts[old] -= 1
        centers[cluster], counts[cluster], labels[position] = point, 1, cluster
        lower[position] = 0.0  # search it again next time
        changed += [int(cluster), int(old)]
    return changed


def _takeable(candidates: np.ndarray, labels: np.ndarray, counts: np.ndarray, wanted: int) -> list[int]:
    """The first ``wanted`` candidates whose cluster keeps a row after giving them up."""
    left = counts.copy()
    taken = []
    for position in candidates:
        if len(taken) == wanted:
            break
        if left[labels[position]] > 1:
            left[labels[position]] -= 1
            taken.append(int(position))
    return taken


def _down32(values: np.ndarray) -> np.ndarray:
    """float64 values in float32, rounded down: a lower bound stays one."""
    out = values.astype(np.float32)
    low = out > values
    out[low] = np.nextafter(out[low], np.float32(-np.inf))
    return out
