r"""SMOTE for a class too large to send to every task: exact neighbours by a block join.

Below the broadcast bound the class to grow goes to the driver and to every task
(:mod:`imbalance.spark._synth`). Above it nothing of the class is collected:

1. **positions**: the class's rows are range-partitioned and sorted by their key (or their
   features), each partition's count comes to the driver, and a row's position is its
   partition's offset plus its rank inside it: the same positions, in the same order, as the
   broadcast path's (so the same seed draws the same synthetic rows on either path);
2. **neighbours**: the positions are cut into :math:`B` blocks of about a quarter of the bound;
   every (query block, candidate block) pair is one task, which scans the query block against
   the candidate block with the compiled kNN scan and keeps each query's :math:`k` best; one
   aggregation merges each query's :math:`B k` candidates by (distance, position). Exact; it
   moves every block :math:`B` times (:math:`B \cdot n d \cdot 8` bytes of shuffle) and does the
   :math:`n^2 d` work of the broadcast scan;
3. **synthetic rows**: ``spark.range(G)`` draws base, neighbour slot and gap from the
   counter-based generator as the broadcast path does, and two joins on position bring the
   base's and the neighbour's features: :math:`x = x_{base} + u\,(x_{nb} - x_{base})`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from imbalance import _neighbors
from imbalance._keyed import keyed_integers, keyed_uniforms
from imbalance.spark._columns import FeatureColumns, per_class
from imbalance.spark._neighbors import list_column, tasks_for

__all__ = ["positioned_class", "block_kneighbors", "block_synthetic_rows"]

_POS, _X, _KEY = "__imbalance_pos", "__imbalance_x", "__imbalance_key"


def positioned_class(df: DataFrame, label_col: str, cls: object, spec: FeatureColumns, key: str | None) -> DataFrame:
    """The rows of class ``cls`` as (position, features[, key]), checkpointed: positions
    0..n-1 in the order of the key, or of the features without one."""
    columns = [spec.as_array().alias(_X)] + ([F.col(key).alias(_KEY)] if key is not None else [])
    order = _KEY if key is not None else _X
    rows = df.filter(F.col(label_col) == F.lit(cls)).select(*columns)
    # Checkpointed: the partition numbers must be the same ones when counted and when ranked.
    ranged = rows.repartitionByRange(order).withColumn("__part", F.spark_partition_id()).localCheckpoint()
    offsets, seen = {}, 0
    for part, count in sorted((r[0], int(r[1])) for r in ranged.groupBy("__part").count().collect()):
        offsets[part], seen = seen, seen + count
    rank = F.row_number().over(Window.partitionBy("__part").orderBy(order)) - 1
    positioned = ranged.withColumn(_POS, (rank + per_class("__part", offsets, 0)).cast("long")).drop("__part")
    out = positioned.localCheckpoint()
    ranged.unpersist()
    return out


def block_kneighbors(positioned: DataFrame, n: int, d: int, k: int, block_bytes: int) -> DataFrame:
    """Every row's ``k`` nearest other rows of ``positioned``, exactly: (position, neighbours'
    positions, nearest first; ties to the lower position), by the block join of the module's
    step 2 with blocks of at most ``block_bytes`` of features."""
    per_block = max(k + 1, block_bytes // max(8 * d, 1))
    blocks = positioned.withColumn("__b", F.floor(F.col(_POS) / per_block)).groupBy("__b").agg(
        F.collect_list(F.struct(_POS, _X)).alias("rows"))
    n_blocks = -(-n // per_block)
    pairs = (blocks.select(F.col("__b").alias("qb"), F.col("rows").alias("q"))
             .crossJoin(blocks.select(F.col("__b").alias("cb"), F.col("rows").alias("c")))
             .repartition(max(1, n_blocks * n_blocks)))

    def unpack(rows: pa.ListArray) -> tuple[np.ndarray, np.ndarray]:
        flat = rows.flatten()
        positions = flat.field(0).to_numpy()
        values = flat.field(1).flatten().to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
        return positions, values.reshape(len(positions), d)

    def scan(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for i in range(batch.num_rows):
                # in position order, so that ties inside a block go to the lower position
                q_pos, q_x = unpack(batch.column("q").slice(i, 1))
                c_pos, c_x = unpack(batch.column("c").slice(i, 1))
                order = np.argsort(c_pos)
                c_pos, c_x = c_pos[order], np.ascontiguousarray(c_x[order])
                same = batch.column("qb")[i].as_py() == batch.column("cb")[i].as_py()
                m = min(k, len(c_pos) - 1 if same else len(c_pos))
                if m < 1:
                    continue
                if same:  # a row is not its own neighbour
                    q_pos, q_x = c_pos, c_x
                    dist, found = _neighbors.kneighbors(q_x, m)
                    found_pos = q_pos[found]
                else:
                    dist, found = _neighbors.kneighbors_of(q_x, c_x, m)
                    found_pos = c_pos[found]
                yield pa.RecordBatch.from_arrays([pa.array(q_pos), list_column(dist), list_column(found_pos)],
                                                 ["pos", "d", "i"])

    partial = pairs.mapInArrow(scan, "pos long, d array<double>, i array<long>")
    best = F.slice(F.array_sort(F.flatten(F.collect_list(F.arrays_zip("d", "i")))), 1, k)
    return partial.groupBy("pos").agg(best.alias("best")).select(
        F.col("pos").alias(_POS), F.transform("best", lambda s: s["i"]).alias("neighbors"))


def block_synthetic_rows(positioned: DataFrame, neighbors: DataFrame, *, code: int, n: int, count: int, k: int,
                         seed: int, with_parents: bool) -> DataFrame:
    """The class's ``count`` synthetic rows as (``__code``, ``__x``[, ``__parents``]): row
    :math:`j` of class ``code`` takes its base, neighbour slot and gap from the same keyed
    draws as the broadcast path (:mod:`imbalance.spark._synth`)."""
    spark = positioned.sparkSession

    def draw(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            j = batch.column(0).to_numpy()
            yield pa.RecordBatch.from_arrays([
                pa.array(j), pa.array(keyed_integers(seed, 0, code, j, n)),
                pa.array(keyed_integers(seed, 1, code, j, k).astype(np.int32)),
                pa.array(keyed_uniforms(seed, 2, code, j))], ["j", "base", "pick", "u"])

    draws = spark.range(0, count, numPartitions=tasks_for(spark, count, 1 << 18)).mapInArrow(
        draw, "j long, base long, pick int, u double")
    with_neighbor = draws.join(neighbors.withColumnRenamed(_POS, "base"), "base").withColumn(
        "nb", F.element_at("neighbors", F.col("pick") + 1))
    side = [F.col(_POS), F.col(_X)] + ([F.col(_KEY)] if with_parents else [])
    base = positioned.select(*[c.alias(f"b{i}") for i, c in enumerate(side)])
    other = positioned.select(*[c.alias(f"n{i}") for i, c in enumerate(side)])
    rows = with_neighbor.join(base, F.col("base") == F.col("b0")).join(other, F.col("nb") == F.col("n0"))
    x: Column = F.zip_with("b1", "n1", lambda a, b: a + F.col("u") * (b - a))
    columns = [F.lit(code).cast("int").alias("__code"), x.alias("__x")]
    if with_parents:
        columns.append(F.array(F.col("b2"), F.col("n2")).alias("__parents"))
    return rows.select(*columns)
