"""Random under/over-sampling: imbalance vs imbalanced-learn, in the same run.

    python benchmarks/bench_resample.py                 # 1e5, 1e6, 1e7 rows
    python benchmarks/bench_resample.py --sizes 1e5 1e6 --repeat 3

Data: 20 float32 features, 5% positives (binary), plus a 10-class Zipf case. Each cell is the
best of ``--repeat`` runs of a full ``fit_resample`` / ``resample`` call, both libraries with
the same seed and the same target counts. Prints a Markdown table with times and ratios
(imbalanced-learn time / ours), and the peak extra memory of over-sampling.
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc

import numpy as np
import pandas as pd
from _timing import best_time, results

import imbalance


def make_data(n: int, classes: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, 20), dtype=np.float32)
    if classes == "binary":
        y = (rng.random(n) < 0.05).astype(np.int64)
    else:  # 10 classes with Zipf-like frequencies 1, 1/2, ..., 1/10
        p = 1.0 / np.arange(1, 11)
        y = rng.choice(10, size=n, p=p / p.sum())
    return X, y



def peak_extra_bytes(fn) -> tuple[int, int]:
    """(peak bytes allocated during fn beyond its inputs, bytes of its output)."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = sum(getattr(part, "nbytes", 0) for part in result)
    return peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()

    from imblearn.over_sampling import RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    rows = []
    for size in args.sizes:
        n = int(size)
        for classes in ("binary", "zipf10"):
            if classes == "zipf10" and n > 1_000_000:
                continue
            X, y = make_data(n, classes)
            df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
            ys = pd.Series(y, name="LABEL")
            for strategy, peer_cls in (("under", RandomUnderSampler), ("over", RandomOverSampler)):
                for kind, data, labels in (("numpy", X, y), ("pandas", df, ys)):
                    ours = lambda: imbalance.resample(data, labels, strategy, random_state=0)  # noqa: E731
                    peer = lambda: peer_cls(random_state=0).fit_resample(data, labels)  # noqa: E731
                    # same targets: both balance the classes 1:1
                    assert np.array_equal(
                        np.bincount(np.asarray(ours()[1])), np.bincount(np.asarray(peer()[1]))
                    )
                    t_ours, t_peer = best_time(ours, args.repeat), best_time(peer, args.repeat)
                    rows.append((f"{n:.0e}", classes, strategy, kind, t_peer, t_ours))
                    print(f"{n:>9.0e} {classes:7} {strategy:5} {kind:6} imblearn {t_peer:8.3f}s  "
                          f"ours {t_ours:8.3f}s  x{t_peer / t_ours:5.1f}", flush=True)
            t_counts = best_time(lambda: imbalance.resample_counts(y, "over", random_state=0), args.repeat)
            rows.append((f"{n:.0e}", classes, "over", "resample_counts", None, t_counts))
            print(f"{n:>9.0e} {classes:7} resample_counts {t_counts:.3f}s", flush=True)
            if classes == "binary" and not args.no_memory:
                peak, out = peak_extra_bytes(lambda: imbalance.resample(X, y, "over", random_state=0))
                peak_p, out_p = peak_extra_bytes(lambda: RandomOverSampler(random_state=0).fit_resample(X, y))
                print(f"{n:>9.0e} over-sampling peak extra memory / output: ours {peak / out:.2f}, "
                      f"imblearn {peak_p / out_p:.2f}", flush=True)
                rows.append((f"{n:.0e}", classes, "over", "peak memory / output", peak_p / out_p, peak / out))
            gc.collect()

    with results("bench_resample") as emit:
        emit("\n| rows | classes | strategy | input | imbalanced-learn | imbalance | speed-up |")
        emit("|---|---|---|---|---|---|---|")
        for n, classes, strategy, kind, t_peer, t_ours in rows:
            if kind == "peak memory / output":
                emit(f"| {n} | {classes} | {strategy} | {kind} | {t_peer:.2f} | {t_ours:.2f} | |")
            elif t_peer is None:
                emit(f"| {n} | {classes} | {strategy} | {kind} | | {t_ours:.3f} s | |")
            else:
                emit(f"| {n} | {classes} | {strategy} | {kind} | {t_peer:.3f} s | {t_ours:.3f} s | "
                     f"{t_peer / t_ours:.1f}x |")


if __name__ == "__main__":
    main()
