"""Cleaning under-samplers: imbalance vs imbalanced-learn, in the same run.

    python benchmarks/bench_neighbourhood.py                       # 1e5 rows
    python benchmarks/bench_neighbourhood.py --sizes 1e5 1e6 --methods TomekLinks EditedNearestNeighbours

Data: ``make_classification``, 20 features (float64), 5% minority. Each cell is the best of
``--repeat`` full ``fit_resample`` calls with default parameters on both sides (same rows kept:
checked on every cell); peak memory is what tracemalloc sees allocated during one call,
divided by the size of the output.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_time, peak_ratio
from sklearn.datasets import make_classification

import imbalance

METHODS = ("TomekLinks", "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from imblearn import under_sampling as peer

    rows = []
    for size in args.sizes:
        n = int(size)
        X, y = make_classification(n_samples=n, n_features=20, n_informative=10, weights=[0.95], flip_y=0.02,
                                   random_state=0)
        for name in args.methods:
            ours = lambda: getattr(imbalance, name)().fit_resample(X, y)  # noqa: E731
            theirs = lambda: getattr(peer, name)().fit_resample(X, y)  # noqa: E731
            mine, theirs_fitted = getattr(imbalance, name)(), getattr(peer, name)()
            mine.fit_resample(X, y)
            theirs_fitted.fit_resample(X, y)  # imbalanced-learn sets sample_indices_ here only
            same = np.array_equal(mine.sample_indices_, np.sort(theirs_fitted.sample_indices_))
            t_ours, t_peer = best_time(ours, args.repeat), best_time(theirs, args.repeat)
            m_ours, m_peer = peak_ratio(ours), peak_ratio(theirs)
            print(f"{size:.0e} {name}: imblearn {t_peer:.2f}s, ours {t_ours:.2f}s (x{t_peer / t_ours:.2f}); "
                  f"peak memory / output {m_peer:.2f} / {m_ours:.2f}; same rows: {same}", flush=True)
            rows.append((f"{size:.0e}", name, t_peer, t_ours, m_peer, m_ours, same))

    print("\n| rows | method | imbalanced-learn | imbalance | speed-up | peak memory / output (peer / ours) | same rows |")
    print("|---|---|---|---|---|---|---|")
    for size, name, t_peer, t_ours, m_peer, m_ours, same in rows:
        print(f"| {size} | {name} | {t_peer:.2f} s | {t_ours:.2f} s | {t_peer / t_ours:.1f}x | "
              f"{m_peer:.2f} / {m_ours:.2f} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
