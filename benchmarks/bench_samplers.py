"""One balanced epoch of indices: ClassBalancedSampler vs torch's WeightedRandomSampler.

    python benchmarks/bench_samplers.py [--sizes 1e6 1e7] [--repeat 3]

Labels with 5% positives; both samplers draw an epoch of N indices, half from each class
(ours exactly, WeightedRandomSampler with per-row weights 1/n_c, so only on average). Timed
as a DataLoader consumes a sampler (iterating Python ints) and, separately, the epoch's index
array alone (ours: ``epoch_indices()``; torch: ``torch.multinomial`` on the same weights).
Best of ``--repeat``; ratios are torch time / ours.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from _timing import best_time, results
from torch.utils.data import WeightedRandomSampler

from imbalance.torch import ClassBalancedSampler, StratifiedBatchSampler


def consume(sampler):
    for _ in sampler:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        n = int(size)
        y = (np.random.default_rng(0).random(n) < 0.05).astype(np.int64)
        counts = np.bincount(y)
        weights = torch.as_tensor(1.0 / counts[y], dtype=torch.double)

        t_build = best_time(lambda: ClassBalancedSampler(y, strategy="power", q=0.0, num_samples=n), args.repeat)
        ours = ClassBalancedSampler(y, strategy="power", q=0.0, num_samples=n, seed=0)
        theirs = WeightedRandomSampler(weights, num_samples=n, replacement=True, generator=torch.Generator().manual_seed(0))
        t_ours = best_time(lambda: consume(ours), args.repeat)
        t_theirs = best_time(lambda: consume(theirs), args.repeat)
        t_ours_arr = best_time(ours.epoch_indices, args.repeat)
        t_multinomial = best_time(lambda: torch.multinomial(weights, n, replacement=True), args.repeat)
        batches = StratifiedBatchSampler(y, batch_size=256, seed=0)
        t_batches = best_time(lambda: consume(batches), args.repeat)

        got_ours = np.bincount(y[ours.epoch_indices()]).tolist()
        got_theirs = np.bincount(y[np.fromiter(iter(theirs), dtype=np.int64, count=n)]).tolist()
        print(f"N={n:.0e}: construction {t_build:.3f}s; epoch consumed as ints: WeightedRandomSampler "
              f"{t_theirs:.3f}s, ours {t_ours:.3f}s (x{t_theirs / t_ours:.1f}); index array: multinomial "
              f"{t_multinomial:.3f}s, ours {t_ours_arr:.3f}s (x{t_multinomial / t_ours_arr:.1f}); "
              f"StratifiedBatchSampler epoch (B=256) {t_batches:.3f}s; class counts ours {got_ours}, "
              f"WeightedRandomSampler {got_theirs}", flush=True)
        rows.append((n, t_theirs, t_ours, t_multinomial, t_ours_arr, t_build, t_batches, got_ours, got_theirs))

    with results("bench_samplers") as emit:
        emit("\n| rows | WeightedRandomSampler, ints | ClassBalancedSampler, ints | speed-up | multinomial | "
             "epoch_indices | speed-up | construction | StratifiedBatchSampler epoch | class counts (ours / torch) |")
        emit("|---|---|---|---|---|---|---|---|---|---|")
        for n, t_w, t_o, t_m, t_a, t_b, t_s, c_o, c_w in rows:
            emit(f"| {n:.0e} | {t_w:.3f} s | {t_o:.3f} s | {t_w / t_o:.1f}x | {t_m:.3f} s | {t_a:.3f} s | "
                 f"{t_m / t_a:.1f}x | {t_b:.3f} s | {t_s:.3f} s | {c_o} / {c_w} |")


if __name__ == "__main__":
    main()
