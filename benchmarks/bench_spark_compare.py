"""compare and balanced bagging on Spark, local[2]: the Spark compare vs toPandas() + the in-memory
compare; EasyEnsemble on executors vs Spark ML's RandomForestClassifier with weightCol.

    python benchmarks/bench_spark_compare.py [--rows 1e6] [--what compare ensemble] [--save]

Data: the table of ``bench_spark_smote.py`` (id, LABEL with 5% positives, 20 normal features,
the positives shifted by 0.5), written to Parquet once. Each job runs in its own driver process
so its peak driver memory (growth of the Python driver's peak RSS over what it held with the
table open) can be read.

- ``compare``: ``imbalance.spark.compare`` with recipes none, under_1:1, smote and models
  logreg (scikit-learn, fitted on one executor) and spark_logreg, 5 folds (30 cells), against
  ``toPandas()`` + ``imbalance.compare`` of the same recipes with logreg (15 cells; the
  in-memory compare has no Spark ML model) on both cores. Time: one run, from reading the
  table to the result.
- ``ensemble``: a held-out 20% (by id); ``BalancedBagging`` (EasyEnsemble: 10 members of
  AdaBoost with 50 stumps, each on the minority and as many majority rows) vs
  ``RandomForestClassifier(numTrees=50, maxDepth=10)`` with balanced ``weightCol``; time of
  the fit and the held-out average precision (exact, ``imbalance.spark.average_precision``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

from _timing import results
from bench_spark_smote import D, make_table, rss_mb, session

RECIPES = ["none", "under_1:1", "smote"]


def run_compare(df, engine: str) -> dict:
    features = [f"x{j}" for j in range(D)]
    start = time.perf_counter()
    if engine == "spark":
        import imbalance.spark as isp

        result = isp.compare(df.select("id", "LABEL", *features), "LABEL", RECIPES, ["logreg", "spark_logreg"],
                             key="id", metrics=["average_precision", "f1"])
    else:
        from imbalance import compare

        pdf = df.toPandas()
        result = compare(pdf[features], pdf["LABEL"], RECIPES, ["logreg"], metrics=["average_precision", "f1"],
                         n_jobs=2)
    seconds = time.perf_counter() - start
    summary = result.summary.set_index(["strategy", "model"])["average_precision_mean"]
    return {"time": seconds, "cells": len(result.results),
            "ap": {f"{s} / {m}": round(v, 4) for (s, m), v in summary.items()}}


def run_ensemble(df, method: str) -> dict:
    import imbalance.spark as isp

    features = [f"x{j}" for j in range(D)]
    test = df.filter("id % 5 = 0")
    train = df.filter("id % 5 != 0")
    start = time.perf_counter()
    if method == "easy_ensemble":
        from sklearn.ensemble import AdaBoostClassifier

        model = isp.BalancedBagging(estimator=AdaBoostClassifier(n_estimators=50), nEstimators=10, labelCol="LABEL",
                                    featureCols=features, key="id", prior="true").fit(train)
        fitted = time.perf_counter() - start
        scored = model.transform(test)
    else:
        from pyspark.ml import Pipeline
        from pyspark.ml.classification import RandomForestClassifier
        from pyspark.ml.feature import VectorAssembler

        weighted = isp.with_weights(train, "LABEL", "balanced")
        forest = RandomForestClassifier(labelCol="LABEL", weightCol="weight", numTrees=50, maxDepth=10, seed=0)
        model = Pipeline(stages=[VectorAssembler(inputCols=features, outputCol="features"), forest]).fit(weighted)
        fitted = time.perf_counter() - start
        scored = model.transform(test)
    ap = isp.average_precision(scored, "LABEL", "probability")
    return {"time": fitted, "ap": ap}


def one_job(what: str, method: str, path: str) -> dict:
    warnings.filterwarnings("ignore")
    spark = session()
    df = spark.read.parquet(path)
    df.count()
    before = rss_mb()
    out = run_compare(df, method) if what == "compare" else run_ensemble(df, method)
    out["driver_mb"] = rss_mb() - before
    spark.stop()
    return out


JOBS = {"compare": ("spark", "memory"), "ensemble": ("easy_ensemble", "spark_rf_weightcol")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--what", nargs="+", default=list(JOBS), choices=list(JOBS))
    parser.add_argument("--one", nargs=3, metavar=("WHAT", "METHOD", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_job(*args.one)))
        return
    warnings.filterwarnings("ignore")
    n, got = int(args.rows), {}
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/data.parquet"
        spark = session()
        make_table(spark, n, path)
        spark.stop()
        for what in args.what:
            for method in JOBS[what]:
                child = subprocess.run([sys.executable, __file__, "--one", what, method, path], capture_output=True,
                                       text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
                if child.returncode:
                    print(child.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"{what} / {method} failed at {n:.0e} rows")
                got[what, method] = json.loads(child.stdout.strip().splitlines()[-1])
                print(f"{n:.0e} {what} {method}: {got[what, method]}", flush=True)
            first, second = (got.get((what, m)) for m in JOBS[what])
            if first and second:
                print(f"{n:.0e} {what}: {JOBS[what][1]} / {JOBS[what][0]} time {second['time'] / first['time']:.2f}x",
                      flush=True)
    if args.save:
        with results("bench_spark_compare") as emit:
            emit(f"\n{n:.0e} rows x {D} features, 5% minority, local[2]; driver memory: growth of the Python "
                 "driver's peak RSS.\n")
            if ("compare", "spark") in got:
                emit("| compare | cells | time | driver memory |")
                emit("|---|---|---|---|")
                for method, name in (("spark", "imbalance.spark.compare (logreg + spark_logreg)"),
                                     ("memory", "toPandas() + imbalance.compare (logreg)")):
                    if ("compare", method) in got:
                        r = got["compare", method]
                        emit(f"| {name} | {r['cells']} | {r['time']:.0f} s | {r['driver_mb']:.0f} MB |")
                emit("\nAverage precision per cell (mean over 5 folds):\n")
                for method in ("spark", "memory"):
                    if ("compare", method) in got:
                        emit(f"- {method}: " + ", ".join(f"{k} {v:.4f}" for k, v in got["compare", method]["ap"].items()))
            if ("ensemble", "easy_ensemble") in got:
                emit("\n| model (held-out 20%) | fit time | average precision | driver memory |")
                emit("|---|---|---|---|")
                for method, name in (("easy_ensemble", "BalancedBagging (EasyEnsemble, 10 x AdaBoost-50)"),
                                     ("spark_rf_weightcol", "Spark ML RandomForest (50 trees, depth 10), weightCol")):
                    if ("ensemble", method) in got:
                        r = got["ensemble", method]
                        emit(f"| {name} | {r['time']:.1f} s | {r['ap']:.4f} | {r['driver_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
