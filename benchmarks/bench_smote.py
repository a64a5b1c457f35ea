"""SMOTE and ADASYN: imbalance vs imbalanced-learn, in the same run.

    python benchmarks/bench_smote.py [--sizes 1e5 1e6] [--minority 0.01 0.05] [--methods SMOTE ADASYN]

20 float32 features, binary labels; both libraries balance to 1:1 with k=5 and the same
seed. Each cell is the best of ``--repeat`` full ``fit_resample`` calls; peak memory is what
tracemalloc sees allocated during one call, divided by the size of the output.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_time, peak_ratio, results

import imbalance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--minority", nargs="+", type=float, default=[0.01, 0.05])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--methods", nargs="+", default=["SMOTE", "ADASYN"], choices=["SMOTE", "ADASYN"])
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    from imblearn.over_sampling import ADASYN as PeerADASYN
    from imblearn.over_sampling import SMOTE as PeerSMOTE

    rows = []
    for size in args.sizes:
        for share in args.minority:
            n = int(size)
            rng = np.random.default_rng(0)
            X = rng.random((n, 20), dtype=np.float32)
            y = (rng.random(n) < share).astype(np.int64)
            X[y == 1] += 0.1
            methods = {"SMOTE": (imbalance.SMOTE, PeerSMOTE), "ADASYN": (imbalance.ADASYN, PeerADASYN)}
            for name in args.methods:
                ours_cls, peer_cls = methods[name]
                ours = lambda: ours_cls(random_state=0).fit_resample(X, y)  # noqa: E731
                peer = lambda: peer_cls(random_state=0).fit_resample(X, y)  # noqa: E731
                t_ours, t_peer = best_time(ours, args.repeat), best_time(peer, args.repeat)
                m_ours, m_peer = peak_ratio(ours), peak_ratio(peer)
                rows.append((n, share, name, t_peer, t_ours, m_peer, m_ours))
                print(f"{n:.0e} {share:.0%} {name}: imblearn {t_peer:.2f}s, ours {t_ours:.2f}s "
                      f"(x{t_peer / t_ours:.2f}); peak memory / output: imblearn {m_peer:.2f}, ours {m_ours:.2f}",
                      flush=True)
    with results("bench_smote") as emit:
        emit("\n| rows | minority | method | imbalanced-learn | imbalance | speed-up | peak memory / output (peer / ours) |")
        emit("|---|---|---|---|---|---|---|")
        for n, share, name, t_peer, t_ours, m_peer, m_ours in rows:
            emit(f"| {n:.0e} | {share:.0%} | {name} | {t_peer:.2f} s | {t_ours:.2f} s | {t_peer / t_ours:.2f}x | "
                 f"{m_peer:.2f} / {m_ours:.2f} |")


if __name__ == "__main__":
    main()
