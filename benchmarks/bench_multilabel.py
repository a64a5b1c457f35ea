"""Multi-label: MLSMOTE, ML-ROS and ML-RUS on yeast, and ``compare`` on it, timed.

    python benchmarks/bench_multilabel.py [--data ../shared/data/multilabel/yeast.csv.gz] [--tile 1 10]
                                          [--no-compare]

imbalanced-learn has no multi-label sampler, so the peer of MLSMOTE is the recipe users copy
from the unmerged pull requests: the same definition (k nearest rows that share the minority
label, found with scikit-learn's NearestNeighbors per label; the ranking rule for labelsets),
one synthetic row per Python loop iteration. ``--tile`` repeats yeast's rows (with a little
noise) to see how both scale. ``compare`` runs the default strategies and models, 5 folds,
``n_jobs=2``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import best_time, results
from sklearn.neighbors import NearestNeighbors

import imbalance
from imbalance.multilabel import MLROS, MLRUS, MLSMOTE, measures

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "multilabel" / "yeast.csv.gz"


def recipe_mlsmote(X: np.ndarray, Y: np.ndarray, k: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MLSMOTE as the published recipes write it: NearestNeighbors per label, a row at a time."""
    rng = np.random.default_rng(seed)
    counts = Y.sum(axis=0).astype(np.int64)
    mean_ir = float(np.mean(counts.max() / counts))
    new_X, new_Y = [], []
    for label in range(Y.shape[1]):
        if counts.max() / counts[label] <= mean_ir:
            continue
        bag = np.flatnonzero(Y[:, label])
        _, near = NearestNeighbors(n_neighbors=k + 1).fit(X[bag]).kneighbors(X[bag])
        for i, row in enumerate(bag):
            neighbors = bag[near[i, 1:]]
            reference = neighbors[rng.integers(k)]
            new_X.append(X[row] + rng.random(X.shape[1]) * (X[reference] - X[row]))
            votes = Y[row] + Y[neighbors].sum(axis=0)
            new_Y.append((votes > (k + 1) / 2).astype(Y.dtype))
            counts += new_Y[-1]
    return np.vstack([X, *new_X]), np.vstack([Y, *new_Y])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tile", nargs="+", type=int, default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} is not here; pass --data PATH to yeast.csv.gz")
    df = pd.read_csv(args.data)
    labels = [c for c in df.columns if c.startswith("label_")]
    X0, Y0 = df.drop(columns=labels).to_numpy(), df[labels].to_numpy()
    print(f"{args.data.name}: {X0.shape[0]} rows, {X0.shape[1]} features, {len(labels)} labels, "
          f"MeanIR {measures(Y0).mean_ir:.3f}")

    table = []
    for tile in args.tile:
        rng = np.random.default_rng(0)
        X = np.vstack([X0] * tile) + (0 if tile == 1 else rng.normal(scale=1e-3, size=(X0.shape[0] * tile, X0.shape[1])))
        Y = np.vstack([Y0] * tile)
        t_ours = best_time(lambda: MLSMOTE(random_state=0).fit_resample(X, Y), args.repeat)  # noqa: B023
        t_peer = best_time(lambda: recipe_mlsmote(X, Y), args.repeat)  # noqa: B023
        t_ros = best_time(lambda: MLROS(random_state=0).fit_resample(X, Y), args.repeat)  # noqa: B023
        t_rus = best_time(lambda: MLRUS(random_state=0).fit_resample(X, Y), args.repeat)  # noqa: B023
        table.append((len(X), t_peer, t_ours, t_ros, t_rus))
        print(f"{len(X)} rows: MLSMOTE recipe {t_peer:.3f}s, ours {t_ours:.3f}s (x{t_peer / t_ours:.1f}); "
              f"ML-ROS {t_ros:.3f}s, ML-RUS {t_rus:.3f}s", flush=True)
    with results("bench_multilabel") as emit:
        emit("\n| rows | MLSMOTE recipe (sklearn kNN, row loop) | MLSMOTE ours | speed-up | ML-ROS | ML-RUS |")
        emit("|---|---|---|---|---|---|")
        for n, peer, ours, ros, rus in table:
            emit(f"| {n:,} | {peer:.3f} s | {ours:.3f} s | {peer / ours:.1f}x | {ros:.3f} s | {rus:.3f} s |")

        if not args.no_compare:
            start = time.perf_counter()
            result = imbalance.compare(df.drop(columns=labels), df[labels], n_jobs=2)
            seconds = time.perf_counter() - start
            cells = result.results.groupby(["strategy", "model"], sort=False)["seconds"].sum()
            emit(f"\ncompare on {args.data.name}, default strategies and models, 5 folds, n_jobs=2: {seconds:.0f} s "
                 f"({len(result.results)} cells; slowest: " + ", ".join(
                      f"{s}/{m} {v:.0f} s" for (s, m), v in cells.sort_values(ascending=False).head(3).items()) + ")")


if __name__ == "__main__":
    main()
