"""Spark: exact under/over-sampling vs sampleBy / sample, local[2], in the same run.

    python benchmarks/bench_spark.py [--sizes 1e6 1e7]

Data: N rows (id, LABEL with 5% positives, 3 double features) written to Parquet once and
read back, as a real table would be. Each timing writes the whole result to Spark's ``noop``
sink (every column computed, nothing stored; a ``count()`` would let Spark read the label column
only), best of ``--repeat`` rounds after one untimed round, the methods taking turns within a
round; ours includes the class-count aggregation it starts with. Realized class counts are printed: ours are exact,
sampleBy's and sample's are right only on average.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings

from _timing import best_times_interleaved, results
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import imbalance.spark as isp


def realized(df):
    return dict(sorted((r["LABEL"], r["count"]) for r in df.groupBy("LABEL").count().collect()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "8").config("spark.driver.memory", "4g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            n = int(size)
            path = f"{folder}/data_{n}.parquet"
            (spark.range(n).withColumn("LABEL", (F.rand(1) < 0.05).cast("int"))
             .withColumn("x1", F.rand(2)).withColumn("x2", F.rand(3)).withColumn("x3", F.rand(4))
             .write.parquet(path))
            df = spark.read.parquet(path)
            counts = isp.class_counts(df, "LABEL")
            q = counts[1] / counts[0]
            cases = {
                "under, exact (ours)": lambda: isp.under_sample(df, "LABEL", seed=0),
                "under, Bernoulli (ours, exact=False)": lambda: isp.under_sample(df, "LABEL", seed=0, exact=False),
                "under, sampleBy": lambda: df.sampleBy("LABEL", {0: q, 1: 1.0}, seed=0),
                "over, exact (ours)": lambda: isp.over_sample(df, "LABEL", seed=0),
                "over, sample(withReplacement)": lambda: df.filter("LABEL = 0").unionByName(
                    df.filter("LABEL = 1").sample(True, 1 / q, seed=0)),
            }
            times = best_times_interleaved(
                {name: lambda make=make: make().write.format("noop").mode("overwrite").save()
                 for name, make in cases.items()}, args.repeat)
            for name, make in cases.items():
                got = realized(make())
                rows.append((n, name, times[name], got))
                print(f"{n:.0e} {name}: {times[name]:.2f} s, counts {got}", flush=True)
            print(f"{n:.0e} exact under-sampling / sampleBy: "
                  f"{times['under, exact (ours)'] / times['under, sampleBy']:.2f}x; exact over-sampling / sample: "
                  f"{times['over, exact (ours)'] / times['over, sample(withReplacement)']:.2f}x", flush=True)
    spark.stop()
    with results("bench_spark") as emit:
        emit("\n| rows | method | time | class counts |")
        emit("|---|---|---|---|")
        for n, name, t, got in rows:
            emit(f"| {n:.0e} | {name} | {t:.2f} s | {got} |")


if __name__ == "__main__":
    main()
