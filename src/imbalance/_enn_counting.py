r"""Edited nearest neighbours by counting: whether a row's k nearest share its class, counted
within the radius of the nearest row of another class, first inside the row's k-means cell,
without listing its neighbours.

Beside its one user, :mod:`imbalance.cleaning` (ENN, RENN, AllKNN and the neighbourhood
cleaning rule), on the scan's building blocks (:mod:`imbalance._neighbors.scan`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from imbalance._neighbors.scan import (
    LANES,
    TILE,
    U32,
    Rows,
    center_of,
    centered_float32,
    kneighbors_of,
    pack_rows,
    scan_packed,
    squared_norms,
)

__all__ = ["own_before_other", "OwnCounter", "Counted", "cell_centers"]


def own_before_other(
    X: np.ndarray,
    rows: np.ndarray,
    own: np.ndarray,
    other: np.ndarray,
    m: int,
    q: int,
    *,
    witnesses: bool = False,
    centers: np.ndarray | None = None,
    n_threads: int | None = None,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""Whether at least ``m`` rows of ``own`` come before the ``q``-th nearest row of
    ``other``, for each of ``rows``: edited nearest neighbours without every row's list.

    "Before" is the order of :func:`kneighbors`: squared distance, then index; a row is not
    its own neighbour. With :math:`k` neighbours, a row of ``own`` has all of them in its
    class (ENN's ``kind_sel="all"``) when ``m = k, q = 1``.

    How: the q nearest rows of ``other`` (the small class, searched exactly) give each row a
    radius :math:`R_x`. ``own`` is cut into cells by a k-means on a sample of it, and each
    row first counts the rows of its own cell within :math:`R_x`, in float32; it is settled
    when m of them are surely within (float32 distance below :math:`R_x - B_x`, :math:`B_x`
    the bound of :func:`kneighbors_shortlisted`). A row's nearest rows mostly share its
    cell, so on the benchmark's data 93% of rows are settled there, at 1/64 of the full
    search; the rest count over all of ``own``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    rows : ndarray of int
        Positions in X of the rows asked about; each is in ``own``.
    own, other : ndarray of int
        Positions in X of the two sets.
    m, q : int
        ``1 <= m <= len(own) - 1``, ``1 <= q <= len(other)``.
    witnesses : bool, default=False
        Also return, for each row, rows of ``own`` that surely come first: m of them for the
        rows answered 1, fewer (the rest -1) for the others. They stay witnesses when rows are
        removed from either set as long as they themselves remain (the q-th row of ``other``
        can only move away), which repeated editing uses.
    centres : ndarray of shape (c, d), optional
        The cells' centres (from :func:`cell_centres`, e.g. of an earlier, larger ``own``);
        default: fitted on ``own``.

    Returns
    -------
    status : ndarray of int8, one per row
        1: at least m rows of ``own`` come first; 0: fewer do; -1: a distance is too close
        to the radius for float32 to tell (decide from :func:`kneighbors`).
    witness : ndarray of shape (len(rows), m), int64
        With ``witnesses``: positions in X of the witnesses, nearest first, then -1.
    """
    counted = OwnCounter(X, own, other, centers=centers, n_threads=n_threads).ask(rows, m, q, witnesses=witnesses)
    return (counted.status, counted.witness) if witnesses else counted.status


class Counted(NamedTuple):
    """What :meth:`OwnCounter.ask` finds for each row asked about."""

    status: np.ndarray
    """int8: 1 where at least m rows of own surely come first, 0 where fewer do, -1 undecided."""
    witness: np.ndarray | None
    """With ``witnesses``: (rows, m) positions in X of rows of own surely first, then -1."""
    possible: np.ndarray
    """How many rows of own may come first, at most m (m where some surely do): fewer than j
    of them means fewer than j come first."""


class OwnCounter:
    """:func:`own_before_other` for one pair of sets, packed once, asked as often as needed
    while rows leave either set (:meth:`remove`): repeated editing asks every pass."""

    def __init__(self, X: np.ndarray, own: np.ndarray, other: np.ndarray, *, centers: np.ndarray | None = None,
                 n_threads: int | None = None) -> None:
        own = np.asarray(own, dtype=np.int64)
        other = np.asarray(other, dtype=np.int64)
        self.X, self.n_threads, self.n_other = X, n_threads, other.size
        self.width = width = TILE * LANES[np.dtype(np.float32)]
        cell = _cells(X, own, cell_centers(X, own) if centers is None else centers, n_threads)
        order = np.argsort(cell, kind="stable")
        self.grouped = own[order]  # own, cell by cell
        self.bounds = np.searchsorted(cell[order], np.arange(cell.max() + 2))
        del cell, order  # a value per row each, not to be held while the rows are packed
        # each row's place in ``grouped`` (and in ``other``), -1 where none: int32 where it holds
        # them, for these are two values for every row of X, SMOTEENN's peak memory among them
        places = np.int32 if X.shape[0] < 2**31 else np.int64
        self.slot = np.full(X.shape[0], -1, dtype=places)
        self.slot[self.grouped] = np.arange(own.size)
        self.other_slot = np.full(X.shape[0], -1, dtype=places)
        self.other_slot[other] = np.arange(other.size)
        # a centre near the data keeps the bound small
        self.mean = center_of(X, self.grouped)
        self.packed, sq = pack_rows(Rows(X, self.grouped), width, np.float32, self.mean)
        largest = sq.max()  # NaN if any is
        del sq
        self.packed_other, sq = pack_rows(Rows(X, other), width, np.float32, self.mean)
        largest = np.max([largest, sq.max(initial=0)])  # NaN if either is
        del sq
        self.usable = bool(np.isfinite(largest) and largest <= 1e30)  # else float32 would overflow
        self.largest = largest if self.usable else np.inf
        self.norms = squared_norms(self.packed)
        self.norms_other = squared_norms(self.packed_other)

    def remove(self, positions: np.ndarray) -> None:
        """Rows of X that leave either set: NaN in their lanes, so no distance to them counts
        (every comparison with NaN is false). The bound, from the largest norm, stays valid."""
        for slot, packed, norms in ((self.slot, self.packed, self.norms),
                                    (self.other_slot, self.packed_other, self.norms_other)):
            places = slot[positions]
            places = places[places >= 0]
            packed[places // self.width, :, places % self.width] = np.nan
            norms[places] = np.nan
            slot[positions] = -1

    def ask(self, rows: np.ndarray, m: int, q: int, *, witnesses: bool = False) -> Counted:
        """:func:`own_before_other` for ``rows`` (rows of own not removed), with how many rows
        of own may come first; the witnesses (an int64 per row and m) only when asked for."""
        rows = np.asarray(rows, dtype=np.int64)
        status = np.full(rows.size, -1, dtype=np.int8)
        witness = np.full((rows.size, m), -1, dtype=np.int64) if witnesses else None
        may = np.full(rows.size, m, dtype=np.int32)  # at most m
        answer = Counted(status, witness, may)
        if not self.usable or rows.size == 0:
            return answer
        X, width, grouped, packed = self.X, self.width, self.grouped, self.packed
        d = X.shape[1]
        sentinel = np.iinfo(np.int64).max

        def settle(part: np.ndarray, first_tile: int, last_tile: int) -> np.ndarray:
            """Count part's rows (indices into ``rows``) over tiles [first, last); set their
            status where settled and their witnesses; the rows still open."""
            targets = rows[part]
            query32, sq = centered_float32(Rows(X, targets), self.mean)
            if not np.isfinite(sq).all() or sq.max() > 1e30:
                return np.empty(0, dtype=np.int64)  # float32 would overflow: left undecided
            query_norms = np.einsum("ij,ij->i", query32, query32, dtype=np.float64).astype(np.float32)
            # The radius R, the q-th nearest squared distance to other, in float32: within B of
            # the exact one, as every distance here (an order statistic moves no more than its values).
            bound = 4 * (d + 8) * U32 * (sq + self.largest)
            radius = scan_packed(self.packed_other, self.n_other, d, q, self.n_threads, points=query32, n_points=part.size,
                           norms=self.norms_other, query_norms=query_norms)[0][:, q - 1].astype(np.float64)
            # The lists start full of sentinels at R + 2B (no row within the exact R lies beyond),
            # so only rows that may lie within R enter; a row surely within has distance < R - 2B.
            dist = np.repeat(np.nextafter((radius + 2 * bound).astype(np.float32), np.float32(np.inf))[:, None], m,
                             axis=1)
            index = np.full((part.size, m), sentinel, dtype=np.int64)
            n_cand = min(last_tile * width, grouped.size) - first_tile * width
            skip = self.slot[targets].astype(np.int64) - first_tile * width
            skip[(skip < 0) | (skip >= n_cand)] = -1
            dist, index = scan_packed(packed[first_tile:last_tile], n_cand, d, m, self.n_threads, points=query32,
                                n_points=part.size, skip=skip, norms=self.norms[first_tile * width:last_tile * width],
                                query_norms=query_norms, start=(dist, index))
            sure = np.nextafter((radius - 2 * bound).astype(np.float32), np.float32(-np.inf))
            surely = dist < sure[:, None]  # a prefix of each sorted list
            done = surely[:, m - 1]
            status[part[done]] = 1
            if witness is not None:
                witness[part] = np.where(surely, grouped[first_tile * width + np.minimum(index, n_cand - 1)], -1)
            if last_tile - first_tile == len(packed):  # every row of own read
                real = (index != sentinel).sum(axis=1)
                status[part[~done & (real < m)]] = 0
                may[part] = real
            return part[~done]

        places = self.slot[rows]
        where = np.argsort(places, kind="stable").astype(places.dtype)  # the rows asked about, cell by cell
        places = places[where]
        cell_starts = np.searchsorted(places, self.bounds)  # the first asked about in each cell
        del places
        still_open = []
        n_cells = self.bounds.size - 1
        for c in range(n_cells):
            part = where[cell_starts[c]:cell_starts[c + 1]]
            if part.size == 0:
                continue
            if n_cells == 1:
                still_open.append(part)
                continue
            # the cell's tiles (a tile shared with a neighbour cell brings a few more rows of own: no harm)
            first_tile, last_tile = self.bounds[c] // width, -(-self.bounds[c + 1] // width)
            for start in range(0, part.size, _ENN_ROWS):
                still_open.append(settle(part[start:start + _ENN_ROWS], first_tile, last_tile))
        left = np.sort(np.concatenate(still_open)) if still_open else np.empty(0, dtype=np.int64)
        for start in range(0, left.size, _ENN_ROWS):
            settle(left[start:start + _ENN_ROWS], 0, len(packed))
        return answer


# Rows of an ENN question answered at a time; cells of the own class (k-means) and the rows
# per cell the k-means is fitted on.
_ENN_ROWS = 4096


_CELLS = 64


_CELL_SAMPLE = 200


def cell_centers(X: np.ndarray, own: np.ndarray) -> np.ndarray | None:
    """Up to 64 k-means centres fitted on a sample of X's rows ``own`` (None when too few rows
    for two cells), with a fixed seed: the cells only decide the speed, never the answer."""
    n_cells = int(min(_CELLS, own.size // (4 * _CELL_SAMPLE)))
    if n_cells <= 1:
        return None
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(0)
    sample = X[own[rng.choice(own.size, n_cells * _CELL_SAMPLE, replace=False)]]
    return KMeans(n_cells, n_init=1, max_iter=20, random_state=0).fit(sample).cluster_centers_


def _cells(X: np.ndarray, own: np.ndarray, centers: np.ndarray | None, n_threads: int | None) -> np.ndarray:
    """The cell of each row of ``own``: its nearest centre."""
    cell = np.zeros(own.size, dtype=np.int64)
    if centers is None or len(centers) <= 1:
        return cell
    for start in range(0, own.size, _ENN_ROWS):
        part = own[start:start + _ENN_ROWS]
        cell[start:start + part.size] = kneighbors_of(X[part], centers, 1, n_threads=n_threads)[1][:, 0]
    return cell
