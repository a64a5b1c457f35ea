"""Exact k nearest neighbours on Spark, by broadcasting the small side and scanning the other.

Two patterns cover the SMOTE family and the neighbour methods that fit a cluster:

* **within a class** (SMOTE's neighbours): the class's rows, held by the driver in their
  canonical order, travel to the executors once (PySpark broadcasts a Python function's
  closure above 1 MB) and each task scans the queries of its range of positions against all
  of them with the compiled exact scan (:func:`imbalance._neighbors.kneighbors`);
* **a few rows against every row** (Borderline-SMOTE's danger, ADASYN's hardness, Tomek
  links): the few rows are the broadcast queries; each partition of the DataFrame is scanned
  a record batch at a time, keeping every query's best ``m`` candidates so far; one
  aggregation merges the partitions' lists.

Both are exact. Candidates are ordered by squared distance, then class, then a 64-bit hash of
the row (its key where there is one, else its features), a total order on the rows' contents,
so the merged lists do not depend on partitioning (except where rows tie in distance at a
batch's cut, which continuous features make vanishingly rare).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from imbalance import _neighbors
from imbalance._validation import InputError
from imbalance.spark._columns import FeatureColumns, per_class, row_hash

__all__ = ["DEFAULT_BROADCAST_BYTES", "check_size", "tasks_for", "list_column", "within_class", "AllRowsNeighbors", "among_all_rows"]

#: The broadcast bound: the most bytes of features (rows x features x 8) sent to every task by default.
DEFAULT_BROADCAST_BYTES = 1 << 30
# Queries per task for the within-class scan: enough to keep the compiled scan busy, few enough
# that a class spreads over every core.
_QUERIES_PER_TASK = 4096


def tasks_for(spark: SparkSession, rows: int, per_task: int = _QUERIES_PER_TASK) -> int:
    """Tasks for ``rows`` rows of work: at least one per core, at most one per ``per_task`` rows."""
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # Spark Connect has no SparkContext  # pragma: no cover
        cores = int(spark.conf.get("spark.default.parallelism", "2"))
    return int(max(1, min(max(cores, -(-rows // per_task)), rows)))


def check_size(what: str, n: int, d: int, limit: int) -> None:
    """Refuse rows (``what``: "class 1", say) above the broadcast bound."""
    size = n * d * 8
    if size > limit:
        raise InputError(
            f"{what} has {n} rows x {d} features = {size / 2**20:.0f} MiB, above the broadcast bound "
            f"max_broadcast_bytes={limit} ({limit / 2**20:.0f} MiB) for the class sent to every task; raise it if the "
            "driver and each executor have the memory (spark.driver.maxResultSize must allow it too)."
        )


def list_column(matrix: np.ndarray) -> pa.ListArray:
    """The rows of a 2-D array as an Arrow list column (Spark reads variable-size lists only)."""
    rows, width = matrix.shape
    return pa.ListArray.from_arrays(pa.array(np.arange(0, (rows + 1) * width, width, dtype=np.int32)),
                                    pa.array(np.ascontiguousarray(matrix).ravel()))


def _matrix(batch: pa.RecordBatch, name: str, d: int) -> np.ndarray:
    values = batch.column(name).flatten().to_numpy(zero_copy_only=False)
    return np.ascontiguousarray(values, dtype=np.float64).reshape(-1, d)


def within_class(spark: SparkSession, matrix: np.ndarray, k: int) -> np.ndarray:
    """The positions of every row's ``k`` nearest other rows of ``matrix`` (n, k), computed by
    tasks that each take a range of query positions and the whole matrix."""
    n = len(matrix)

    def scan(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            queries = batch.column(0).to_numpy()
            _, found = _neighbors.kneighbors(matrix, k, queries=queries)
            neighbors = list_column(found.astype(np.int32))
            yield pa.RecordBatch.from_arrays([pa.array(queries), neighbors], ["position", "neighbors"])

    table = (spark.range(0, n, numPartitions=tasks_for(spark, n)).mapInArrow(scan, "position long, "
             "neighbors array<int>").toArrow())
    out = np.empty((n, k), dtype=np.int64)
    positions = table.column("position").to_numpy()
    out[positions] = table.column("neighbors").combine_chunks().flatten().to_numpy().reshape(-1, k)
    return out


@dataclass(frozen=True)
class AllRowsNeighbors:
    """Every query's ``m`` nearest rows of the whole DataFrame: squared distances, class codes,
    row hashes (:func:`~imbalance.spark._columns.row_hash`), and (when asked for) their
    features and keys; each (n_queries, m[, d])."""

    distances: np.ndarray
    codes: np.ndarray
    hashes: np.ndarray
    features: np.ndarray | None = None
    keys: list | None = None


def among_all_rows(df: DataFrame, label_col: str, spec: FeatureColumns, classes: dict, queries: np.ndarray, m: int,
                   *, query_codes: np.ndarray | None = None, query_hashes: np.ndarray | None = None, key: str | None = None,
                   with_features: bool = False) -> AllRowsNeighbors:
    """The ``m`` nearest rows of ``df`` to each query row (exact), over every partition.

    ``classes`` maps each class to its code. With ``query_codes`` and ``query_hashes`` (their
    class codes and :func:`~imbalance.spark._columns.row_hash`), the queries are rows of ``df``,
    each left out of its own list: one more candidate is kept, and the first zero-distance
    candidate with the query's class and hash is dropped (with a key, the row itself; without,
    the row or an identical copy of it, which has the same class and features).
    """
    d = queries.shape[1]
    keep = m + (query_codes is not None)
    columns = [per_class(label_col, classes, -1).cast("int").alias("__c"), spec.as_array().alias("__x"),
               row_hash(spec, key).alias("__h")]
    rows = df.select(*columns, *([F.col(key).alias("__k")] if key is not None else []))
    n_queries = len(queries)

    def best_in_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        best = None  # (dist, code, hash, features, key) of each query's best `keep` so far, (n_queries, <=keep)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            x = _matrix(batch, "__x", d)
            take = min(keep, len(x))
            dist, found = _neighbors.kneighbors_of(queries, x, take)
            codes = batch.column("__c").to_numpy()[found]
            hashes = batch.column("__h").to_numpy()[found]
            part = [dist, codes, hashes, x[found] if with_features else None,
                    np.asarray(batch.column("__k").to_pylist(), dtype=object)[found] if key is not None else None]
            best = part if best is None else _merge(best, part, keep)
        if best is None:
            return
        size = best[0].shape[1]
        columns = {"__q": pa.array(np.repeat(np.arange(n_queries), size)), "dist": pa.array(best[0].ravel()),
                   "__c": pa.array(best[1].ravel().astype(np.int32)), "__h": pa.array(best[2].ravel())}
        if with_features:
            columns["__x"] = list_column(best[3].reshape(-1, d))
        if key is not None:
            columns["__k"] = pa.array(best[4].ravel().tolist())
        yield pa.RecordBatch.from_pydict(columns)

    key_type = df.schema[key].dataType.simpleString() if key is not None else None
    schema = ("__q long, dist double, __c int, __h long" + (", __x array<double>" if with_features else "")
              + (f", __k {key_type}" if key is not None else ""))
    fields = ["dist", "__c", "__h"] + (["__x"] if with_features else []) + (["__k"] if key is not None else [])
    merged = (rows.mapInArrow(best_in_partition, schema).groupBy("__q")
              .agg(F.slice(F.array_sort(F.collect_list(F.struct(*fields))), 1, keep).alias("best")))
    table = merged.select("__q", *[F.col("best")[f].alias(f) for f in fields]).toArrow()
    order = np.argsort(table.column("__q").to_numpy())

    def column(name: str, depth: int = 1) -> np.ndarray:
        values = table.column(name).combine_chunks().take(pa.array(order))
        for _ in range(depth):
            values = values.flatten()
        return values.to_numpy(zero_copy_only=False).reshape(n_queries, -1)

    distances, codes, hashes = column("dist"), column("__c"), column("__h")
    features = column("__x", depth=2).reshape(n_queries, -1, d) if with_features else None
    keys = None
    if key is not None:
        keys = np.asarray(table.column("__k").combine_chunks().take(pa.array(order)).flatten().to_pylist(),
                          dtype=object).reshape(n_queries, -1)
    if query_codes is not None:  # drop the query itself from its list
        own = (distances == 0) & (codes == np.asarray(query_codes)[:, None]) & (hashes == np.asarray(query_hashes)[:, None])
        drop = np.where(own.any(axis=1), own.argmax(axis=1), keep - 1)
        kept = np.ones_like(own)
        kept[np.arange(n_queries), drop] = False
        distances, codes = distances[kept].reshape(n_queries, m), codes[kept].reshape(n_queries, m)
        hashes = hashes[kept].reshape(n_queries, m)
        features = features[kept].reshape(n_queries, m, d) if with_features else None
        keys = keys[kept].reshape(n_queries, m) if key is not None else None
    return AllRowsNeighbors(distances, codes, hashes, features, None if keys is None else keys.tolist())


def _merge(best: list, part: list, keep: int) -> list:
    """Each query's ``keep`` best of two candidate lists, by (distance, code, hash)."""
    joined = [None if a is None else np.concatenate([a, b], axis=1) for a, b in zip(best, part)]
    dist, codes, hashes = joined[:3]
    rows = np.arange(dist.shape[0])[:, None]
    order = np.lexsort((hashes, codes, dist), axis=1)[:, :keep]
    return [None if a is None else a[rows, order] for a in joined]
