"""SMOTE on Spark, local[2]: ours (exact neighbours, broadcast class) vs toPandas() + our in-memory
SMOTE vs the usual PySpark recipe on BucketedRandomProjectionLSH, in the same run.

    python benchmarks/bench_spark_smote.py [--sizes 1e6] [--save]

Data: N rows (id, LABEL with 5% positives, 20 normal features, the positives shifted by 0.5)
written to Parquet once and read back. Each method runs in its own driver process (a fresh
Python with the same local[2] session settings) so its peak driver memory can be read: the
growth of the driver's peak resident memory over what it held with the table open and the
library imported. Time: the
second of two runs (the first warms the Python workers), the whole result written to Spark's
``noop`` sink (``toPandas`` + SMOTE: until the resampled arrays exist in the driver).

``ours_blocks``: ours with ``max_broadcast_bytes`` a quarter of the minority's bytes, so the class
goes through the exact block join (16 blocks, 256 block pairs) instead of being sent to every task.

The LSH recipe: ``VectorAssembler``, ``BucketedRandomProjectionLSH(bucketLength, numHashTables=3)``
fitted on the minority, ``approxSimilarityJoin`` of the minority with itself below a distance
threshold, the k nearest found per row by a window, bases repeated to the plan and joined to a
random one of their found neighbours. Its threshold is the 95th percentile of the exact k-th
neighbour distance (read from our exact lists, which favours it) and ``bucketLength`` that
threshold (Spark's guidance: of the order of the distances that matter). Its neighbour recall
is the share of the exact k-NN pairs among those it found; rows whose bucket held fewer than k
neighbours lose synthetic rows, so its counts are short of the plan.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings

from _timing import results

K = 5
D = 20


def session():
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "8").config("spark.driver.memory", "6g")
             .config("spark.driver.maxResultSize", "4g")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def make_table(spark, n: int, path: str) -> None:
    from pyspark.sql import functions as F

    df = spark.range(n).withColumn("LABEL", (F.rand(1) < 0.05).cast("int"))
    for j in range(D):
        df = df.withColumn(f"x{j}", F.randn(10 + j) + F.col("LABEL") * 0.5)
    df.write.parquet(path)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lsh_smote(df, features, seed=0, bucket_scale=1.0):
    """The usual PySpark SMOTE: approximate neighbours from LSH, bases joined to one of them."""
    import numpy as np
    from pyspark.ml.feature import BucketedRandomProjectionLSH, VectorAssembler
    from pyspark.ml.functions import array_to_vector, vector_to_array
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from imbalance._neighbors import kneighbors

    minority = VectorAssembler(inputCols=features, outputCol="v").transform(df.filter("LABEL = 1")).select("id", "v")
    minority = minority.cache()
    counts = {r["LABEL"]: r["count"] for r in df.groupBy("LABEL").count().collect()}
    n_min, extra = counts[1], counts[0] - counts[1]
    # The threshold from the exact lists (favouring the recipe: a user would have to guess it).
    rows = minority.orderBy("id").collect()
    ids, exact = np.array([r["id"] for r in rows]), np.array([r["v"].toArray() for r in rows])
    kth = np.sqrt(kneighbors(exact, K)[0][:, -1])
    threshold = float(np.quantile(kth, 0.95))
    model = BucketedRandomProjectionLSH(inputCol="v", outputCol="h", bucketLength=threshold * bucket_scale,
                                        numHashTables=3,
                                        seed=seed).fit(minority)
    pairs = (model.approxSimilarityJoin(minority, minority, threshold, distCol="dist")
             .select(F.col("datasetA.id").alias("a"), F.col("datasetB.id").alias("b"), "dist")
             .filter(F.col("a") != F.col("b")))
    found = pairs.withColumn("r", F.row_number().over(Window.partitionBy("a").orderBy("dist"))).filter(F.col("r") <= K)
    per_row = -(-extra // n_min)
    bases = (minority.withColumn("copy", F.explode(F.sequence(F.lit(1), F.lit(per_row))))
             .withColumn("r", (F.floor(F.rand(seed) * K) + 1).cast("int"))
             .withColumn("u", F.rand(seed + 1)).limit(extra))
    neighbours = minority.select(F.col("id").alias("b"), F.col("v").alias("nb"))
    joined = bases.join(found, (bases["id"] == found["a"]) & (bases["r"] == found["r"])).join(neighbours, "b")
    x, nb = vector_to_array("v"), vector_to_array("nb")
    synthetic = joined.select(F.lit(1).alias("LABEL"), array_to_vector(
        F.zip_with(x, nb, lambda a, b: a + F.col("u") * (b - a))).alias("v"))
    assembled = VectorAssembler(inputCols=features, outputCol="v").transform(df).select("LABEL", "v")
    return assembled.unionByName(synthetic), found, ids, exact


def recall(found, ids, exact) -> float:
    """The share of the exact k-NN pairs (minority row, neighbour) that the LSH lists hold."""
    from imbalance._neighbors import kneighbors

    truth = kneighbors(exact, K)[1]
    pairs = found.select("a", "b").toPandas()
    got = set(zip(pairs["a"].tolist(), pairs["b"].tolist()))
    wanted = zip(ids.repeat(K).tolist(), ids[truth.ravel()].tolist())
    return sum(pair in got for pair in wanted) / truth.size


def one_method(method: str, path: str, bucket_scale: float) -> dict:
    """Run one method twice in this driver; time the second run, report peak driver memory."""
    warnings.filterwarnings("ignore")
    spark = session()
    df = spark.read.parquet(path)
    features = [f"x{j}" for j in range(D)]
    df.count()
    import imbalance  # noqa: F401  (imported before the baseline: its modules are not what a method holds)
    import imbalance.spark  # noqa: F401
    before = rss_mb()
    out = {}
    for attempt in range(2):
        start = time.perf_counter()
        if method in ("ours", "ours_blocks"):
            import imbalance.spark as isp

            # ours_blocks: a bound of a quarter of the minority's bytes, so its exact block join runs (16 blocks)
            bound = {} if method == "ours" else {"max_broadcast_bytes": max(1, df.filter("LABEL = 1").count() * D * 2)}
            isp.smote(df, "LABEL", features=features, key="id", seed=0, **bound).write.format("noop").mode(
                "overwrite").save()
        elif method == "topandas":
            from imbalance import smote

            pdf = df.toPandas()
            X, y = smote(pdf[features].to_numpy(), pdf["LABEL"].to_numpy(), random_state=0)
            del pdf, X, y
        else:
            result, found, ids, exact = lsh_smote(df, features, bucket_scale=bucket_scale)
            result.write.format("noop").mode("overwrite").save()
            if attempt == 1:
                out["recall"] = recall(found, ids, exact)
                out["synthetic_rows"] = result.count() - df.count()
        out["time"] = time.perf_counter() - start
    out["driver_mb"] = rss_mb() - before
    spark.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6])
    parser.add_argument("--methods", nargs="+", default=["ours", "topandas", "lsh"])
    parser.add_argument("--lsh-bucket-scale", type=float, default=1.0,
                        help="the LSH recipe's bucketLength as a multiple of its threshold (smaller: faster, lower recall)")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_method(*args.one, args.lsh_bucket_scale)))
        return
    warnings.filterwarnings("ignore")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        spark = session()
        for size in args.sizes:
            make_table(spark, int(size), f"{folder}/data_{int(size)}.parquet")
        spark.stop()
        for size in args.sizes:
            n = int(size)
            got = {}
            for method in args.methods:
                child = subprocess.run([sys.executable, __file__, "--one", method, f"{folder}/data_{n}.parquet",
                                        "--lsh-bucket-scale", str(args.lsh_bucket_scale)],
                                       capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
                if child.returncode:
                    print(child.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"{method} failed at {n:.0e} rows")
                got[method] = json.loads(child.stdout.strip().splitlines()[-1])
                print(f"{n:.0e} {method}: {got[method]}", flush=True)
            rows.append((n, got))
            if "ours" in got:
                for other in set(got) - {"ours"}:
                    print(f"{n:.0e} {other} / ours: {got[other]['time'] / got['ours']['time']:.2f}x", flush=True)
    if args.save:
        with results("bench_spark_smote") as emit:
            emit(f"\n{D} features, 5% minority, k = {K}, local[2]; time of the second run in a fresh driver; driver "
                 f"memory: growth of the driver's peak RSS; LSH bucketLength = {args.lsh_bucket_scale} x threshold.\n")
            emit("| rows | method | time | vs ours | driver memory | neighbour recall |")
            emit("|---|---|---|---|---|---|")
            names = {"ours": "imbalance.spark.smote (exact)", "topandas": "toPandas() + imbalance.smote",
                     "ours_blocks": "imbalance.spark.smote, block join (bound: a quarter of the minority)",
                     "lsh": "LSH recipe (BucketedRandomProjectionLSH)"}
            for n, got in rows:
                for method, r in got.items():
                    ratio = r["time"] / got["ours"]["time"] if "ours" in got else float("nan")
                    emit(f"| {n:.0e} | {names[method]} | {r['time']:.1f} s | {ratio:.1f}x | {r['driver_mb']:.0f} MB | "
                         f"{r.get('recall', 1.0):.3f} |")


if __name__ == "__main__":
    main()
