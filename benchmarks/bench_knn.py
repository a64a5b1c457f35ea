"""The compiled neighbour scan vs scikit-learn's brute-force NearestNeighbors, in the same run.

    python benchmarks/bench_knn.py [--self-sizes 1e4 1e5] [--dims 5 20 100] [--save]

Exact k = 5 nearest neighbours (Euclidean), two ways:

* self-search: every row of X among X's rows, itself left out (what SMOTE and the cleaning
  rules ask), ``imbalance._neighbors.kneighbors(X, 5)`` against
  ``NearestNeighbors(n_neighbors=6, algorithm="brute", n_jobs=2).fit(X).kneighbors(X)``;
* query-vs-other: 1,000 rows against X (``kneighbors_of``) against ``kneighbors(Q, 5)``.

float32 and float64 rows, uniform in [0, 1) (ties are then rare, so both return the same
neighbours; the table counts the rows whose lists differ). Both use the machine's 2 cores.
Each cell is the best of ``--repeat`` calls, the two taking turns; peak memory is tracemalloc's
peak during one call, in MB. In 5 dimensions and below, with many rows, our ``kneighbors``
itself hands the search to scikit-learn's k-d tree: that row compares a tree with brute force.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_times_interleaved, peak_mb, results
from sklearn.neighbors import NearestNeighbors

from imbalance import _neighbors

K = 5


def differing(ours: np.ndarray, theirs: np.ndarray) -> int:
    """Rows whose neighbour sets differ (order inside a list may differ where distances tie)."""
    return int(sum(set(a) != set(b) for a, b in zip(ours.tolist(), theirs.tolist())))


def searches(kind: str, X: np.ndarray, rng: np.random.Generator):
    """(ours, scikit-learn's): the two searches of one cell, each returning neighbour positions."""
    if kind == "self":
        peer = NearestNeighbors(n_neighbors=K + 1, algorithm="brute", n_jobs=2)
        # scikit-learn lists the row itself first (uniform data has no exact duplicates)
        return (lambda: _neighbors.kneighbors(X, K)[1],
                lambda: peer.fit(X).kneighbors(X, return_distance=False)[:, 1:])
    Q = rng.random((1000, X.shape[1]), dtype=np.float64).astype(X.dtype)
    peer = NearestNeighbors(n_neighbors=K, algorithm="brute", n_jobs=2)
    return (lambda: _neighbors.kneighbors_of(Q, X, K)[1],
            lambda: peer.fit(X).kneighbors(Q, return_distance=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--self-sizes", nargs="+", type=float, default=[1e4, 1e5])
    parser.add_argument("--query-size", type=float, default=1e6)
    parser.add_argument("--dims", nargs="+", type=int, default=[5, 20, 100])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()

    cells = [("self", int(n), d, dtype) for n in args.self_sizes for d in args.dims for dtype in args.dtypes]
    cells += [("query", int(args.query_size), d, dtype) for d in args.dims for dtype in args.dtypes]
    rows = []
    for kind, n, d, dtype in cells:
        rng = np.random.default_rng(0)
        X = rng.random((n, d), dtype=np.float64).astype(dtype)
        ours, theirs = searches(kind, X, rng)
        times = best_times_interleaved({"ours": ours, "theirs": theirs}, args.repeat, warmup=0)
        differ = differing(ours(), theirs())
        memory = (peak_mb(ours), peak_mb(theirs))
        rows.append((kind, n, d, dtype, times["theirs"], times["ours"], differ, *memory))
        print(f"{kind} {n:.0e} x {d} {dtype}: scikit-learn {times['theirs']:.2f}s, ours {times['ours']:.2f}s "
              f"(x{times['theirs'] / times['ours']:.2f}); lists differing: {differ}; "
              f"peak MB sklearn {memory[1]:.0f}, ours {memory[0]:.0f}", flush=True)
    with results("bench_knn", "k = 5, 2 threads each; self: every row among all rows, query: 1,000 rows "
                              "against X.") as emit:
        emit("| search | rows | features | dtype | scikit-learn brute | imbalance | speed-up | lists that differ "
             "| peak MB (sklearn / ours) |")
        emit("|---|---|---|---|---|---|---|---|---|")
        for kind, n, d, dtype, t_peer, t_ours, differ, m_ours, m_peer in rows:
            emit(f"| {kind} | {n:.0e} | {d} | {dtype} | {t_peer:.3f} s | {t_ours:.3f} s | {t_peer / t_ours:.2f}x | "
                 f"{differ} | {m_peer:.0f} / {m_ours:.0f} |")


if __name__ == "__main__":
    main()
