"""Balanced ensembles: imbalance vs imbalanced-learn, in the same run.

    python benchmarks/bench_ensembles.py                          # fit time at 1e5, churn quality
    python benchmarks/bench_ensembles.py --sizes 1e5 1e6 --repeat 1
    python benchmarks/bench_ensembles.py --no-quality --models BalancedRandomForest

Speed: ``make_classification``, 20 features, 5% minority; both sides with the same member
count and ``n_jobs=2`` (RUSBoost is sequential on both, with trees of depth 3), each side in a fresh interpreter
that makes the same data;
the time is the best of ``--repeat`` fits, peak memory is the child's peak resident memory
(VmHWM, reset once the data is loaded) above what it held then: it includes the trees, which
tracemalloc cannot see.

Quality: the churn demo, 5-fold stratified (the same folds for both), one-hot encoded
categorical columns; average precision, balanced accuracy and the Brier score of each side's
own probabilities (for the balanced prior the members were trained on) per fold, mean and sd.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from _timing import results, table_lines
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, balanced_accuracy_score, brier_score_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.tree import DecisionTreeClassifier

from imbalance import ensemble as ours_module
from imbalance.datasets import load_churn


def _depth3():
    # Stumps trained on balanced draws are so biased to the minority that SAMME stops both
    # RUSBoosts after a round or two on this data; trees of depth 3 boost for all 50 rounds.
    return DecisionTreeClassifier(max_depth=3)


def _theirs(name: str, seed: int):
    from imblearn import ensemble as peer

    return {
        "BalancedRandomForest": lambda: peer.BalancedRandomForestClassifier(
            n_estimators=100, n_jobs=2, random_state=seed, sampling_strategy="all", replacement=True,
            bootstrap=False),
        "BalancedBagging": lambda: peer.BalancedBaggingClassifier(n_estimators=10, n_jobs=2, random_state=seed),
        "EasyEnsemble": lambda: peer.EasyEnsembleClassifier(n_estimators=10, n_jobs=2, random_state=seed),
        "RUSBoost": lambda: peer.RUSBoostClassifier(_depth3(), n_estimators=50, random_state=seed),
    }[name]()


def _ours(name: str, seed: int):
    return {
        "BalancedRandomForest": lambda: ours_module.BalancedRandomForestClassifier(
            n_estimators=100, n_jobs=2, random_state=seed),
        "BalancedBagging": lambda: ours_module.BalancedBaggingClassifier(n_estimators=10, n_jobs=2,
                                                                         random_state=seed),
        "EasyEnsemble": lambda: ours_module.EasyEnsembleClassifier(n_estimators=10, n_jobs=2, random_state=seed),
        "RUSBoost": lambda: ours_module.RUSBoostClassifier(_depth3(), n_estimators=50, random_state=seed),
    }[name]()


MODELS = ("BalancedRandomForest", "BalancedBagging", "EasyEnsemble", "RUSBoost")


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _reset_peak() -> None:
    """Start the peak resident memory (VmHWM) afresh, from what is resident now (Linux)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _data_file(size: float) -> str:
    """The data of one size, made once and saved, so that a child's peak memory is the fit's
    (making the data has a higher peak than loading it)."""
    path = os.path.join(tempfile.gettempdir(), f"imbalance_bench_ensembles_{int(size)}.npz")
    if not os.path.exists(path):
        X, y = make_classification(n_samples=int(size), n_features=20, n_informative=10, weights=[0.95],
                                   random_state=0)
        np.savez(path, X=X, y=y)
    return path


def _child(side: str, name: str, size: float, repeat: int) -> None:
    """Fit one side ``repeat`` times; print (best seconds, peak MiB above the start, members) as JSON."""
    warnings.filterwarnings("ignore")
    with np.load(_data_file(size)) as data:
        X, y = data["X"], data["y"]
    make = _ours if side == "ours" else _theirs
    gc.collect()
    _reset_peak()
    before = _status_kib("VmRSS")
    best = float("inf")
    for _ in range(repeat):
        model = make(name, 0)
        start = time.perf_counter()
        model.fit(X, y)
        best = min(best, time.perf_counter() - start)
    peak = _status_kib("VmHWM") - before
    print(json.dumps([best, peak / 1024, len(model.estimators_)]))


def run(side, name, size, repeat):
    """One side in a fresh interpreter (joblib's process pools do not survive a forked child)."""
    done = subprocess.run([sys.executable, __file__, "--child", side, name, str(size), str(repeat)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed(sizes, models, repeat):
    table = []
    for size in sizes:
        _data_file(size)
        for name in models:
            theirs = run("peer", name, size, repeat)
            ours = run("ours", name, size, repeat)
            row = (f"{size:.0e}", name, f"{theirs[0]:.2f} s", f"{ours[0]:.2f} s", f"{theirs[0] / ours[0]:.2f}x",
                   f"{theirs[1]:.0f} / {ours[1]:.0f} MiB", f"{theirs[2]} / {ours[2]}")
            print(" ".join(row), flush=True)
            table.append(row)
    with results("bench_ensembles") as emit:
        emit()
        for line in table_lines(["rows", "ensemble", "imbalanced-learn", "imbalance", "speed-up",
                                 "peak memory (peer / ours)", "members (peer / ours)"], table):
            emit(line)


def quality(models, seed: int = 0):
    X, y = load_churn(return_X_y=True)
    categorical = list(X.select_dtypes(exclude="number").columns)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y))
    with results("bench_ensembles_quality") as emit:
        emit("\n| ensemble (churn, 5 folds) | AP imbalanced-learn | AP imbalance | balanced accuracy imbalanced-learn "
             "| balanced accuracy imbalance | Brier imbalanced-learn | Brier imbalance |")
        emit("|---|---|---|---|---|---|---|")
        warnings.filterwarnings("ignore")
        for name in models:
            scores = {"peer": ([], [], []), "ours": ([], [], [])}
            for fold, (train, test) in enumerate(folds):
                for side, make in (("peer", _theirs), ("ours", _ours)):
                    encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), categorical),
                                                     remainder="passthrough")
                    model = make_pipeline(encode, make(name, seed + fold)).fit(X.iloc[train], y.iloc[train])
                    proba = model.predict_proba(X.iloc[test])[:, 1]
                    scores[side][0].append(average_precision_score(y.iloc[test], proba))
                    scores[side][1].append(balanced_accuracy_score(y.iloc[test], model.predict(X.iloc[test])))
                    scores[side][2].append(brier_score_loss(y.iloc[test], proba))  # both sides' raw probabilities
            cells = [f"{np.mean(v):.3f} ± {np.std(v, ddof=1):.3f}" for metric in (0, 1, 2) for v in
                     (scores["peer"][metric], scores["ours"][metric])]
            emit(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    if not args.no_speed:
        speed(args.sizes, args.models, args.repeat)
    if not args.no_quality:
        quality(args.models)


if __name__ == "__main__":
    main()
