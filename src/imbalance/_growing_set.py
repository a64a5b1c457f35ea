r"""A set of rows that only grows, kept packed for the float32 scan and asked for each point's
nearest member: condensing's set (Hart's CNN in :mod:`imbalance.cleaning`) and the centres
that moved in :mod:`imbalance._kmeans`.
"""

from __future__ import annotations

import numpy as np

from imbalance._neighbors.scan import (
    LANES,
    SHORTLIST_EXTRA,
    TILE,
    Rows,
    block_rows,
    blockwise_shortlist,
    centered_block,
    kneighbors_among,
)

__all__ = ["GrowingSet"]


# Rows a GrowingSet packs at a time: its float64 block is transient, but k-means packs its
# centres (as large as its output) every iteration.
_ADD_ROWS = 1024


class GrowingSet:
    """Rows of X that only ever join, kept packed for the float32 scan, asked for each
    point's nearest row among them: condensing (Hart) asks after every block of rows, and
    repacking the set for each question would cost as much as the question.

    The rows are centred on ``centre`` (any point near the data: it keeps float32's error
    small) and packed in the order they join; :meth:`nearest` shortlists in float32, ranks
    the shortlist in float64 with ties to the lower position in X, and searches exactly a
    point whose shortlist float32 cannot vouch for (see :func:`kneighbors_shortlisted`).
    """

    def __init__(self, X: np.ndarray, center: np.ndarray, *, chunk: int | None = None,
                 n_threads: int | None = None) -> None:
        if X.dtype != np.float64:
            raise TypeError("GrowingSet searches float64 rows.")
        self.X, self.center, self.n_threads = X, center, n_threads
        self.width = TILE * LANES[np.dtype(np.float32)]
        # rows per chunk, whole tiles; chunks are never copied to grow (no transient double)
        self.chunk = -(-(chunk or block_rows(len(X))) // self.width) * self.width
        self.chunks: list[tuple[np.ndarray, np.ndarray]] = []  # (packed, norms), each holding ``chunk`` rows
        self.positions = np.empty(0, dtype=np.int64)
        self.largest = 0.0
        self.usable = True  # False once a row's float32 square would overflow

    def __len__(self) -> int:
        return self.positions.size

    def add(self, positions: np.ndarray) -> None:
        """Rows of X (positions) that join the set."""
        positions = np.asarray(positions, dtype=np.int64)
        n, m = len(self), positions.size
        for start in range(0, m, _ADD_ROWS):
            block = centered_block(Rows(self.X, positions), start, self.center, size=_ADD_ROWS)
            sq = np.einsum("ij,ij->i", block, block)
            self.usable = self.usable and bool(np.isfinite(sq).all() and sq.max() <= 1e30)
            self.largest = max(self.largest, float(sq.max()))
            block32 = block.astype(np.float32)
            norms32 = np.einsum("ij,ij->i", block32, block32, dtype=np.float64).astype(np.float32)
            slots = np.arange(n + start, n + start + len(block))
            for c in np.unique(slots // self.chunk):  # the chunks these rows fall in
                if c == len(self.chunks):
                    self.chunks.append((np.full((self.chunk // self.width, block.shape[1], self.width), np.nan,
                                                dtype=np.float32), np.full(self.chunk, np.nan, dtype=np.float32)))
                packed, norms = self.chunks[c]
                mine = slots // self.chunk == c
                within = slots[mine] - c * self.chunk
                packed[within // self.width, :, within % self.width] = block32[mine]
                norms[within] = norms32[mine]
        self.positions = np.concatenate([self.positions, positions])

    def nearest(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each point's nearest row of the set: (squared distance, position in X), ties to
        the lower position, as :func:`kneighbors_of` on the rows sorted would give."""
        dist, index = self.kneighbors(points, 1)
        return dist[:, 0], index[:, 0]

    def kneighbors(self, points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each point's k nearest rows of the set: squared distances (m, k), ascending, and
        positions in X, ties to the lower position."""
        n = len(self)
        if not 1 <= k <= n:
            raise ValueError(f"k must be between 1 and the {n} rows of the set, got {k}.")
        if not self.usable:
            return self._exact(points, k)

        def chunks():
            for c, (packed, norms) in enumerate(self.chunks):
                rows = min(self.chunk, n - c * self.chunk)
                tiles = -(-rows // self.width)
                yield packed[:tiles], rows, c * self.chunk, norms[:tiles * self.width], self.largest

        # ranked by position in X, not by when a row joined
        found = blockwise_shortlist(self.X, points, self.center, chunks(), k, min(k + SHORTLIST_EXTRA, n), False,
                                     self.n_threads, rows=self.positions, order=self.positions)
        if found is None:  # float32 would overflow
            return self._exact(points, k)
        dist, index, accepted = found
        index = self.positions[index]
        unsure = ~accepted
        if unsure.any():
            dist[unsure], index[unsure] = self._exact(points[unsure], k)
        return dist, index

    def _exact(self, points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        members = np.sort(self.positions)
        dist, found = kneighbors_among(points, self.X, members, k, n_threads=self.n_threads)
        return dist, members[found]
