"""Arbitrary per-row weights: WeightedSampler vs torch's WeightedRandomSampler, in the same run;
and a rebalanced stream's throughput against a hand-written filter.

    python benchmarks/bench_weighted.py [--sizes 1e6 1e7 5e7] [--repeat 2] [--stream 2e6]

Weights uniform in [0, 1) (every row its own weight: no class structure to exploit); an epoch
of N draws with replacement, consumed as a DataLoader consumes a sampler (iterating Python
ints). Ours also with ``exact=True`` (systematic sampling). Past 2**24 rows
``WeightedRandomSampler`` (``torch.multinomial``) refuses; the table says so.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from _timing import best_time, results
from torch.utils.data import WeightedRandomSampler

from imbalance.torch import RebalancedStream, WeightedSampler


def consume(sampler) -> None:
    for _ in sampler:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 5e7])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--stream", type=float, default=2e6, help="items of the stream test (0: skip it)")
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        n = int(size)
        weights = np.random.default_rng(0).random(n)
        ours = WeightedSampler(weights, seed=0)
        exact = WeightedSampler(weights, exact=True, seed=0)
        t_ours = best_time(lambda: consume(ours), args.repeat)  # noqa: B023
        t_exact = best_time(lambda: consume(exact), args.repeat)  # noqa: B023
        peer = WeightedRandomSampler(torch.as_tensor(weights), num_samples=n, replacement=True)
        try:
            t_peer = best_time(lambda: consume(peer), args.repeat)  # noqa: B023
        except RuntimeError as exc:  # more than 2**24 categories
            t_peer, note = None, str(exc).splitlines()[0][:60]
        rows.append((n, t_peer, t_ours, t_exact))
        shown = f"{t_peer:.2f}s (x{t_peer / t_ours:.1f})" if t_peer is not None else f"refused: {note}"
        print(f"{n:.0e}: WeightedRandomSampler {shown}; ours {t_ours:.2f}s, exact {t_exact:.2f}s", flush=True)
    with results("bench_weighted") as emit:
        emit("\n| rows | WeightedRandomSampler | WeightedSampler | speed-up | exact=True |")
        emit("|---|---|---|---|---|")
        for n, peer, ours, exact in rows:
            peer_text = f"{peer:.2f} s" if peer is not None else "refuses (> 2^24 rows)"
            ratio = f"{peer / ours:.1f}x" if peer is not None else "-"
            emit(f"| {n:,} | {peer_text} | {ours:.2f} s | {ratio} | {exact:.2f} s |")
        if args.stream:
            stream_throughput(int(args.stream), args.repeat, emit)


def stream_throughput(n: int, repeat: int, emit=print) -> None:
    """Integer items, 90/8/2% classes, balanced to 1:1:1 as they pass (a 1,024-item shuffle
    buffer), against the filter a user writes: known rates, one random draw per item."""
    data = np.random.default_rng(0).choice(3, n, p=[0.9, 0.08, 0.02]).tolist()
    rates = {0: 0.02 / 0.9, 1: 0.02 / 0.08, 2: 1.0}

    def hand_written():
        rng = np.random.default_rng(0)
        return [item for item in data if rng.random() < rates[item]]

    t_ours = best_time(lambda: consume(RebalancedStream(data, seed=0)), repeat)
    t_hand = best_time(hand_written, repeat)
    emit(f"\nstream of {n:,} int items: RebalancedStream {n / t_ours / 1e6:.2f} M items/s; "
         f"a Python filter with one draw per item {n / t_hand / 1e6:.2f} M items/s (x{t_hand / t_ours:.1f})")


if __name__ == "__main__":
    main()
