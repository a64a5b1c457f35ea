"""Imbalanced regression: our SMOGN, SMOTER and Gaussian noise against smogn 0.1.2 and
ImbalancedLearningRegression 0.0.2 in the same run, and what a random forest learns from each.

    python benchmarks/bench_regression.py [--sizes 1e4 1e5] [--quality] [--save]

The peers need numpy < 2, so they run in an environment of their own, made once by

    python -m venv benchmarks/peers/.venv
    benchmarks/peers/.venv/bin/pip install -r benchmarks/peers/requirements-regression.txt

(or name its Python with ``--peer-python``). Every method runs in a fresh process
(``benchmarks/peers/regression_peer.py``) on the same CSV: wall time of the resampling alone,
and the growth of the process's peak resident memory. Settings shared by all: rare where the
automatic relevance is at least 0.8, k = 5, noise 0.02, strategy "balance".

Speed: ``make_regression`` with 20 features (10 informative), the target made skewed
(:math:`e^{z}` of the standardised target: a long right tail of rare large values), at each of
``--sizes`` rows. A peer that has not finished after ``--timeout`` seconds is stopped and
reported so; a peer that computes a bin's pairwise distances in Python loops (``QUADRATIC``)
is not run where its time at the size before, scaled by the square of the rows, exceeds the
timeout, and its expected time is reported instead.

Quality (``--quality``): on the authors' tables (Abalone, Boston, a1), 5 folds; each training
part resampled by our SMOGN and by smogn (and left as it is), a random forest (200 trees) fitted
on each, scored on the validation part by the rare cases' RMSE and SERA, with the relevance of
the training part. The paired difference ours - smogn per fold says whether they differ beyond
the folds' noise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import machine, results, table_lines

HERE = Path(__file__).parent
RUNNER = HERE / "peers" / "regression_peer.py"
TABLES = HERE.parent / "tests" / "data" / "regression"
FAMILIES = {"ours_smogn": "smogn", "ours_smoter": "iblr_smoter", "ours_gn": "iblr_gn"}
#: The peers that compute every pair of a bin's rows' distances in Python loops: their time
#: grows with the square of the rows.
QUADRATIC = {"smogn", "iblr_smoter"}


def peer_python(args: argparse.Namespace) -> str:
    path = args.peer_python or os.environ.get("IMBALANCE_PEER_PYTHON") or HERE / "peers" / ".venv" / "bin" / "python"
    if not Path(path).exists():
        sys.exit(f"no peer environment at {path}: make it as the docstring says, or pass --peer-python")
    return str(path)


def resample(method: str, source: Path, target: str, out: Path, python: str, timeout: float) -> dict:
    """Run one method in a fresh process; its JSON line, or {"timeout": True}."""
    try:
        done = subprocess.run([python, str(RUNNER), method, str(source), target, str(out)], capture_output=True,
                              text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    except subprocess.CalledProcessError as exc:
        return {"error": exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else f"exit {exc.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def skewed_table(n: int) -> pd.DataFrame:
    from sklearn.datasets import make_regression

    X, y = make_regression(n_samples=n, n_features=20, n_informative=10, noise=1.0, random_state=0)
    table = pd.DataFrame(X, columns=[f"x{j}" for j in range(20)])
    table.insert(0, "y", np.exp((y - y.mean()) / y.std()))
    return table


def _expected_seconds(earlier: tuple[int, float] | None, n: int) -> float | None:
    """A peer's time at ``n`` rows from its time at a smaller size, as the square of the rows
    (their neighbour search compares every pair of a bin's rows, in Python loops)."""
    if earlier is None:
        return None
    size, seconds = earlier
    return seconds * (n / size) ** 2


def speed(args: argparse.Namespace, emit) -> None:
    python = peer_python(args)
    rows, earlier = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            n = int(size)
            source = Path(tmp) / f"skewed_{n}.csv"
            skewed_table(n).to_csv(source, index=False)
            timed = {}
            for ours, peer in FAMILIES.items():
                for method in (ours, peer):
                    interpreter = sys.executable if method.startswith("ours_") else python
                    expected = _expected_seconds(earlier.get(method), n) if method in QUADRATIC else None
                    if expected is not None and expected > args.timeout:
                        timed[method] = {"skipped": expected}
                    else:
                        timed[method] = resample(method, source, "y", Path(tmp) / "out.csv", interpreter,
                                                 args.timeout)
                    if "seconds" in timed[method]:
                        earlier[method] = (n, timed[method]["seconds"])
                    elif timed[method].get("timeout"):
                        earlier[method] = (n, args.timeout)  # at least
                    print(f"  {n:.0e} {method}: {timed[method]}", file=sys.stderr, flush=True)
                ours_s = timed[ours].get("seconds")
                for method in (ours, peer):
                    r = timed[method]
                    if "seconds" in r:
                        ratio = "1.0x" if method == ours else f"{r['seconds'] / ours_s:.0f}x slower" if ours_s else ""
                        rows.append([f"{n:.0e}", method, f"{r['seconds']:.2f} s", ratio,
                                     f"{r['rss_after_mb'] - r['rss_before_mb']:.0f} MB", f"{r['rows']:,}"])
                    elif "skipped" in r:
                        rows.append([f"{n:.0e}", method, f"not run: about {r['skipped'] / 3600:.1f} h expected "
                                     "(quadratic in the rows, from the size before)",
                                     f"about {r['skipped'] / ours_s:,.0f}x" if ours_s else "", "", ""])
                    else:
                        why = (f"not finished in {args.timeout:.0f} s" if r.get("timeout") else r.get("error", "?"))
                        bound = f"> {args.timeout / ours_s:.0f}x slower" if r.get("timeout") and ours_s else ""
                        rows.append([f"{n:.0e}", method, why, bound, "", ""])
    emit("Resampling a skewed target (20 features, rare: relevance >= 0.8, strategy balance):\n")
    emit("\n".join(table_lines(["rows", "method", "time", "vs ours", "peak memory growth", "rows out"], rows)))


def _forest_scores(train: pd.DataFrame, valid: pd.DataFrame, target: str, relevance) -> tuple[float, float]:
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    from imbalance.regression import rare_rmse, sera

    X, y = train.drop(columns=target), train[target].astype(float)
    nominal = [c for c in X.columns if not pd.api.types.is_numeric_dtype(valid[c])]
    X = X.astype({c: str for c in nominal})  # one type per nominal column for the encoder
    model = make_pipeline(
        make_column_transformer((OneHotEncoder(handle_unknown="ignore"), nominal), remainder="passthrough"),
        RandomForestRegressor(n_estimators=200, random_state=0, n_jobs=2))
    model.fit(X, y)
    pred = model.predict(valid.drop(columns=target).astype({c: str for c in nominal}))
    truth = valid[target].to_numpy(float)
    return rare_rmse(truth, pred, relevance=relevance), sera(truth, pred, relevance=relevance)


def quality(args: argparse.Namespace, emit) -> None:
    from sklearn.model_selection import KFold

    from imbalance.regression import Relevance

    python = peer_python(args)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("Abalone", "boston", "a1"):
            table = pd.read_csv(TABLES / f"{name}.csv.gz")
            target = table.columns[0]
            scores = {m: [] for m in ("none", "ours_smogn", "smogn")}
            for fold, (fit, held) in enumerate(KFold(5, shuffle=True, random_state=0).split(table)):
                train, valid = table.iloc[fit], table.iloc[held]
                relevance = Relevance.from_target(train[target])
                source = Path(tmp) / "train.csv"
                train.to_csv(source, index=False)
                for method in scores:
                    if method == "none":
                        out = train
                    else:
                        interpreter = sys.executable if method.startswith("ours_") else python
                        r = resample(method, source, target, Path(tmp) / "out.csv", interpreter, args.timeout)
                        if "seconds" not in r:
                            sys.exit(f"{method} failed on {name} fold {fold}: {r}")
                        out = pd.read_csv(Path(tmp) / "out.csv")
                    scores[method].append(_forest_scores(out, valid, target, relevance))
                print(f"  {name} fold {fold}: " + ", ".join(f"{m} {s[-1][0]:.3f}" for m, s in scores.items()),
                      file=sys.stderr, flush=True)
            arr = {m: np.array(s) for m, s in scores.items()}
            for j, metric in enumerate(("rare RMSE", "SERA")):
                diff = arr["ours_smogn"][:, j] - arr["smogn"][:, j]
                lines.append([name, metric, *(f"{arr[m][:, j].mean():.4g}" for m in scores),
                              f"{diff.mean():+.4g} ± {diff.std(ddof=1) / np.sqrt(diff.size):.2g}"])
    emit("\nRandom forest (200 trees) on each output, 5 folds, relevance of the training part; lower is better:\n")
    emit("\n".join(table_lines(["table", "metric", "no resampling", "ours SMOGN", "smogn", "ours - smogn (± s.e.)"],
                               lines)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5])
    parser.add_argument("--timeout", type=float, default=1200.0)
    parser.add_argument("--peer-python", help="the Python of the peers' environment")
    parser.add_argument("--quality", action="store_true", help="also the random forest on the authors' tables")
    parser.add_argument("--no-speed", action="store_true", help="only the quality part")
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/bench_regression.md")
    args = parser.parse_args()
    with results("bench_regression", "Each method in a fresh process; the peers in an environment with "
                 "numpy 1.26 (they do not run on numpy 2).") as emit:
        if not args.no_speed:
            speed(args, emit)
        if args.quality:
            quality(args, emit)
    print(machine(), file=sys.stderr)


if __name__ == "__main__":
    main()
