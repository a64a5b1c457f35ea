"""ClusterCentroids' k-means (``imbalance._kmeans.lloyd``) vs scikit-learn's, in the same run.

    python benchmarks/bench_kmeans.py [--sizes 2e4 1e5] [--clusters 0.05] [--save]

The job ClusterCentroids gives it: shrink a class of n rows to k centres (k = ``--clusters``
times n: as many as the minority has rows), 20 features. Every contender starts from the same
k distinct rows drawn at random (Forgy), one initialisation, and runs to convergence:

* ours: Lloyd's iterations on the rows read in place, each row compared with the centres that
  moved (``max_iter`` 300, until no row changes cluster);
* ``KMeans(init=<the same rows>, n_init=1, tol=0, algorithm="lloyd")`` and ``"elkan"``
  (``tol=0``: also until no row changes, so the three should end on the same centres);
* ``MiniBatchKMeans(init=<the same rows>, n_init=1, batch_size=4096)``: another answer,
  cheaper; its inertia says how much worse.

Time is the best of ``--repeat`` fits, taking turns; inertia is the sum of squared distances of
the rows to their nearest centre (computed the same way for all); peak memory is tracemalloc's
peak during one fit, in MB (X itself is not counted: it exists before).
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_times_interleaved, peak_mb, results
from sklearn.cluster import KMeans, MiniBatchKMeans

from imbalance import _kmeans, _neighbors


def inertia(X: np.ndarray, centers: np.ndarray) -> float:
    dist, _ = _neighbors.kneighbors_of(X, centers.astype(X.dtype), 1)
    return float(dist.astype(np.float64).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[2e4, 1e5])
    parser.add_argument("--clusters", nargs="+", type=float, default=[0.05])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        for share in args.clusters:
            for dtype in args.dtypes:
                n, k = int(size), max(2, int(size * share))
                rng = np.random.default_rng(0)
                # a class with structure: 50 blobs of different spread
                blobs = rng.normal(size=(50, 20)) * 3
                X = (blobs[rng.integers(50, size=n)] + rng.normal(size=(n, 20)) * rng.uniform(0.3, 2, (n, 1)))
                X = X.astype(dtype)
                rows_all = np.arange(n)
                first = X[np.sort(rng.choice(n, k, replace=False))]
                fits = {
                    "ours": lambda: _kmeans.lloyd(X, rows_all, first).centers,
                    "KMeans lloyd": lambda: KMeans(k, init=first, n_init=1, tol=0, algorithm="lloyd").fit(X)
                    .cluster_centers_,
                    "KMeans elkan": lambda: KMeans(k, init=first, n_init=1, tol=0, algorithm="elkan").fit(X)
                    .cluster_centers_,
                    "MiniBatchKMeans": lambda: MiniBatchKMeans(k, init=first, n_init=1, batch_size=4096,
                                                               random_state=0).fit(X).cluster_centers_,
                }
                times = best_times_interleaved(fits, args.repeat, warmup=0)
                for name, fit in fits.items():
                    centers = fit()
                    rows.append((n, k, dtype, name, times[name], times["ours"], inertia(X, centers), peak_mb(fit)))
                    print(f"{n:.0e} rows, k={k}, {dtype}, {name}: {times[name]:.2f}s "
                          f"(ours x{times[name] / times['ours']:.2f} faster), inertia {rows[-1][6]:.6g}, "
                          f"peak {rows[-1][7]:.0f} MB", flush=True)
    with results("bench_kmeans", "20 features; every contender from the same k random rows, one initialisation, "
                                 "to convergence; 2 cores.") as emit:
        emit("| rows | k | dtype | k-means | time | ours faster by | inertia / ours | peak MB |")
        emit("|---|---|---|---|---|---|---|---|")
        ours_inertia = {}
        for n, k, dtype, name, t, t_ours, value, peak in rows:
            if name == "ours":
                ours_inertia[(n, k, dtype)] = value
            emit(f"| {n:.0e} | {k} | {dtype} | {name} | {t:.2f} s | {t / t_ours:.2f}x | "
                 f"{value / ours_inertia[(n, k, dtype)]:.6f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
