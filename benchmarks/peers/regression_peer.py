"""One resampling of a numeric target, timed, in whatever environment runs this file: ours
(imbalance.regression) in the project's, smogn and ImbalancedLearningRegression in the peers'
(``benchmarks/peers/requirements-regression.txt``: they need numpy < 2).

    python regression_peer.py METHOD IN.csv TARGET OUT.csv

Reads IN.csv, resamples it with METHOD (rare: relevance >= 0.8, k = 5, "balance"), writes the
result to OUT.csv and prints one JSON line: seconds, the process's resident memory before (MB,
the table read and the library imported) and its peak after, and the output's rows. Called by ``benchmarks/bench_regression.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

import pandas as pd


def memory_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, in MB: read from
    /proc, because ``getrusage``'s peak carries the parent's over a fork and exec."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def load(method: str) -> None:
    """Import what ``method`` needs before the clock starts."""
    if method.startswith("ours_"):
        import imbalance.regression  # noqa: F401
    elif method == "smogn":
        import smogn  # noqa: F401
    else:
        import ImbalancedLearningRegression  # noqa: F401


def run(method: str, table: pd.DataFrame, target: str) -> pd.DataFrame:
    if method.startswith("ours_"):
        from imbalance import regression

        sampler = {"ours_smogn": regression.SMOGN, "ours_smoter": regression.SMOTER,
                   "ours_gn": regression.GaussianNoiseSampler}[method](random_state=0)
        if method == "ours_gn":
            sampler.set_params(pert=0.02)
        X_res, y_res = sampler.fit_resample(table.drop(columns=target), table[target])
        return X_res.assign(**{target: y_res})
    if method == "smogn":
        import smogn

        return smogn.smoter(data=table, y=target, k=5, pert=0.02, samp_method="balance", rel_thres=0.8)
    import ImbalancedLearningRegression as iblr

    fn = {"iblr_smoter": iblr.smote, "iblr_gn": iblr.gn}[method]
    return fn(data=table, y=target, samp_method="balance", rel_thres=0.8)


def main() -> None:
    method, source, target, out = sys.argv[1:5]
    table = pd.read_csv(source)
    load(method)
    before = memory_mb("VmRSS")
    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):  # the peers' tqdm bars
        result = run(method, table, target)
    seconds = time.perf_counter() - start
    after = memory_mb("VmHWM")
    result.to_csv(out, index=False)
    print(json.dumps({"seconds": seconds, "rss_before_mb": before, "rss_after_mb": after, "rows": len(result)}))


if __name__ == "__main__":
    main()
