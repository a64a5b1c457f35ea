r"""SMOTE, Borderline-SMOTE and ADASYN on a Spark DataFrame: exact neighbours, keyed draws.

For every class the plan raises from :math:`n` to :math:`t` rows:

1. the class's rows come to the driver in an order fixed by their key (or their features), and
   go out to the executors with each job that needs them (the class is the small side: the
   *broadcast bound* caps its size; above it SMOTE finds the same neighbours by the block join
   of :mod:`imbalance.spark._blocks` and collects nothing);
2. exact neighbours: within the class by tasks that each scan a range of query positions
   against the whole class (SMOTE, Borderline-1, ADASYN), and for Borderline-SMOTE's danger and
   ADASYN's hardness the class's rows against every row of the DataFrame
   (:mod:`imbalance.spark._neighbors`);
3. the :math:`G = t - n` synthetic rows are the rows of ``spark.range(G)``: synthetic row
   :math:`j` of class :math:`c` takes its base row, its neighbour and its gap from a
   counter-based generator keyed by (seed, stream, :math:`c`, :math:`j`)
   (:mod:`imbalance._keyed`), and is :math:`x_{base} + u\,(x_{nb} - x_{base})`.

So the output depends on the rows, the seed and the parameters, not on how the DataFrame is
partitioned. The rules (which rows are bases, which neighbours, the gap's range, ADASYN's
apportioning) are those of :mod:`imbalance.synth`; the random numbers come from another
generator, so the synthetic rows are not the in-memory sampler's rows.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from pyspark.ml.functions import array_to_vector
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from imbalance._keyed import keyed_integers, keyed_uniforms
from imbalance._validation import InputError, ParameterError, check_int, fmt_label
from imbalance.planner import Plan, Targets, apportion, plan_from_counts
from imbalance.spark._blocks import block_kneighbors, block_synthetic_rows, positioned_class
from imbalance.spark._columns import (
    FeatureColumns,
    check_frame,
    checked_counts,
    class_rows_with_categories,
    feature_width,
    per_class,
    resolve_features,
)
from imbalance.spark._neighbors import (
    DEFAULT_BROADCAST_BYTES,
    among_all_rows,
    check_size,
    list_column,
    tasks_for,
    within_class,
)

__all__ = ["smote", "smote_nc", "borderline_smote", "adasyn"]

# Synthetic rows per task: a task's Arrow batches stay small next to the executor's memory.
_ROWS_PER_TASK = 1 << 18
_BASE, _NEIGHBOR, _GAP = 0, 1, 2  # the generator's streams


@dataclass
class _ClassDraw:
    """What the synthesis tasks need about one class: where its synthetic rows start in
    ``range(G)``, how many, the class's rows, and the rule's pieces."""

    code: int
    offset: int
    count: int
    matrix: np.ndarray
    neighbors: np.ndarray | None = None  # (n, k) positions in the class
    bases: np.ndarray | None = None  # positions that may be a base (Borderline: the rows in danger)
    per_row_end: np.ndarray | None = None  # ADASYN: cumulative synthetic rows per class row
    around: np.ndarray | None = None  # Borderline-2: (len(bases), k, d) features of any-class neighbours
    around_codes: np.ndarray | None = None
    around_keys: list | None = None
    keys: list | None = None
    hashes: np.ndarray | None = None
    modes: np.ndarray | None = None  # SMOTE-NC: (n, c) level codes each row's synthetic rows take


def _rows_of(draw: _ClassDraw, j: np.ndarray, seed: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic rows ``j`` (indices within the class) of one class: features, and the keys'
    positions (base, neighbour) for provenance (the neighbour's -1 - index into ``around``)."""
    if draw.per_row_end is not None:
        base = np.searchsorted(draw.per_row_end, j, side="right")
        slot = base
    else:
        slot = keyed_integers(seed, _BASE, draw.code, j, len(draw.bases))
        base = draw.bases[slot]
    pick = keyed_integers(seed, _NEIGHBOR, draw.code, j, k)
    gap = keyed_uniforms(seed, _GAP, draw.code, j)
    x_base = draw.matrix[base]
    if draw.around is not None:
        x_neighbor = draw.around[slot, pick]
        gap = np.where(draw.around_codes[slot, pick] == draw.code, gap, 0.5 * gap)
        neighbor = -1 - (slot * k + pick)
    else:
        neighbor = draw.neighbors[base, pick]
        x_neighbor = draw.matrix[neighbor]
    return x_base + gap[:, None] * (x_neighbor - x_base), base, neighbor


def _synthesize(df: DataFrame, label_col: str, *, method: str, features: str | Sequence[str] | None,
                k_neighbors: int, m_neighbors: int, kind: str, ratio: float, targets: Targets | None, seed: int,
                key: str | None, synthetic_col: str, parents_col: str, max_broadcast_bytes: int,
                return_plan: bool, categorical: Sequence[str] = ()) -> DataFrame | tuple[DataFrame, Plan]:
    check_frame(df, label_col)
    k = check_int("k_neighbors", k_neighbors)
    m = check_int("m_neighbors", m_neighbors)
    seed = check_int("seed", seed, low=0)
    limit = check_int("max_broadcast_bytes", max_broadcast_bytes)
    if kind not in ("borderline-1", "borderline-2"):
        raise ParameterError(f"kind must be 'borderline-1' or 'borderline-2', got {kind!r}.")
    new_columns = [synthetic_col] + ([parents_col] if key is not None else [])
    for name in new_columns:
        if name in df.columns:
            raise InputError(f"column {name!r} already exists; pass another name for it "
                             f"({'synthetic_col' if name == synthetic_col else 'parents_col'}=...).")
    categorical = _check_categorical(df, label_col, categorical, key) if method == "smote_nc" else ()
    if method == "smote_nc" and features is None:
        try:
            numeric = [c for c in resolve_features(df, label_col, None, key).columns if c not in categorical]
        except InputError:  # no numeric column at all
            numeric = []
        if not numeric:
            raise InputError("smote_nc needs at least one numeric feature besides the categorical ones; with "
                             "categorical features only, sample a copy with imbalance.SMOTEN in memory.")
        features = numeric
    spec = resolve_features(df, label_col, features, key)
    if set(spec.names) & set(categorical):
        raise InputError(f"column {sorted(set(spec.names) & set(categorical))[0]!r} is in both features and "
                         "categorical; name it in one of them.")
    counts = checked_counts(df, label_col, spec)
    the_plan = plan_from_counts(counts, "over" if targets is None else targets, ratio=ratio, direction="over")
    codes = {c: i for i, c in enumerate(counts)}
    grow = [c for c in counts if the_plan.targets[c] > counts[c]]
    for c in grow:
        if counts[c] <= k:
            raise InputError(
                f"class {fmt_label(c)} has {counts[c]} row(s), fewer than k_neighbors + 1 = {k + 1}, so it has too few "
                f"neighbours to synthesise from; lower k_neighbors to at most {counts[c] - 1} or over-sample it by "
                "copies (imbalance.spark.over_sample).")
    width = feature_width(df, spec) + len(categorical)
    draws, offset, values, blocked = [], 0, [], []
    for c in grow:
        count = the_plan.targets[c] - counts[c]
        if counts[c] * width * 8 > limit and method == "smote":
            # too large to send to every task: exact neighbours by a block join, nothing collected
            positioned = positioned_class(df, label_col, c, spec, key)
            neighbors = block_kneighbors(positioned, counts[c], width, k, limit // 4)
            blocked.append(block_synthetic_rows(positioned, neighbors, code=codes[c], n=counts[c], count=count, k=k,
                                                seed=seed, with_parents=key is not None))
            continue
        check_size(f"class {fmt_label(c)}", counts[c], width, limit)
        matrix, keys, hashes, cats = class_rows_with_categories(df, label_col, c, spec, categorical, key)
        draw = _ClassDraw(codes[c], offset, count, matrix, keys=None if keys is None else keys.to_pylist(),
                          hashes=hashes)
        if categorical:
            values.append(cats)
        else:
            _prepare(draw, df, label_col, spec, codes, c, method, k, m, kind, key)
        draws.append(draw)
        offset += count
    levels = _nominal_neighbors(df.sparkSession, draws, values, categorical, k, grow) if categorical else []
    nominal = tuple(zip(categorical, levels))
    rows = _broadcast_rows(df, draws, offset, seed, k, key, nominal)
    for part in blocked:
        rows = rows.unionByName(part)
    synthetic = _in_input_columns(rows, df, label_col, spec, key, synthetic_col, parents_col,
                                  {i: c for c, i in codes.items()}, nominal)
    originals = df.withColumn(synthetic_col, F.lit(False))
    if key is not None:
        originals = originals.withColumn(parents_col, F.lit(None).cast(T.ArrayType(df.schema[key].dataType)))
    result = originals.unionByName(synthetic)
    return (result, the_plan) if return_plan else result


def _prepare(draw: _ClassDraw, df: DataFrame, label_col: str, spec: FeatureColumns, codes: dict, cls: object,
             method: str, k: int, m: int, kind: str, key: str | None) -> None:
    """The method's rule: which rows are bases (and how many synthetic rows each), which
    neighbours they are interpolated towards."""
    spark, n = df.sparkSession, len(draw.matrix)
    if method == "smote":
        draw.neighbors, draw.bases = within_class(spark, draw.matrix, k), np.arange(n)
        return
    if method == "adasyn":
        around = among_all_rows(df, label_col, spec, codes, draw.matrix, k, key=key, query_codes=np.full(n, draw.code),
                                query_hashes=draw.hashes)
        hardness = (around.codes != draw.code).mean(axis=1)
        if hardness.sum() == 0:
            warnings.warn(f"class {fmt_label(cls)} has no hard rows; ADASYN draws bases uniformly.", stacklevel=4)
            hardness = np.ones_like(hardness)
        draw.per_row_end = np.cumsum(apportion(hardness, draw.count))
        draw.neighbors = within_class(spark, draw.matrix, k)
        return
    around = among_all_rows(df, label_col, spec, codes, draw.matrix, m, key=key, query_codes=np.full(n, draw.code),
                            query_hashes=draw.hashes)
    others = (around.codes != draw.code).sum(axis=1)
    danger = (others >= m / 2) & (others < m)
    if not danger.any():
        warnings.warn(f"class {fmt_label(cls)} has no rows in danger; Borderline-SMOTE uses all its rows.",
                      stacklevel=4)
        danger[:] = True
    draw.bases = np.flatnonzero(danger)
    if kind == "borderline-1":
        draw.neighbors = within_class(spark, draw.matrix, k)
        return
    around = among_all_rows(df, label_col, spec, codes, draw.matrix[draw.bases], k, key=key,
                            query_codes=np.full(len(draw.bases), draw.code), query_hashes=draw.hashes[draw.bases],
                            with_features=True)
    # From here on the class is its rows in danger: synthetic rows index `around` by them.
    draw.around, draw.around_codes, draw.around_keys = around.features, around.codes, around.keys
    draw.matrix = draw.matrix[draw.bases]
    draw.keys = None if draw.keys is None else [draw.keys[i] for i in draw.bases]
    draw.bases = np.arange(len(draw.bases))


def _check_categorical(df: DataFrame, label_col: str, categorical: Sequence[str], key: str | None) -> tuple[str, ...]:
    """SMOTE-NC's categorical columns, named in a list, none of them the label or the key."""
    if isinstance(categorical, str) or not categorical:
        raise InputError("smote_nc needs categorical=[...], a list naming the categorical columns.")
    for c in categorical:
        if c not in df.columns:
            raise InputError(f"categorical column {c!r} is not in the DataFrame; its columns are: "
                             f"{', '.join(df.columns)}.")
        if c in (label_col, key):
            raise InputError(f"column {c!r} is the {'label' if c == label_col else 'key'}; leave it out of categorical.")
    return tuple(categorical)


def _nominal_neighbors(spark: SparkSession, draws: list, values: list, categorical: Sequence[str], k: int,
                        grow: list) -> list[list[str]]:
    """SMOTE-NC's rule for every class to grow: neighbours by the Euclidean distance on the
    numeric features plus, per categorical feature that differs, the median :math:`m` of the
    class's numeric standard deviations, squared (one-hot columns of height :math:`m/\sqrt 2`
    give exactly that), and each row's vote: per categorical feature the value most frequent
    among its ``k`` neighbours (ties: the smallest value). Returns every column's levels, in
    sorted order, which the votes index."""
    for cls, cats in zip(grow, values):
        missing = [categorical[j] for j in range(len(categorical)) if any(v is None for v in cats[:, j])]
        if missing:
            raise InputError(f"categorical column {missing[0]!r} has missing values in class {fmt_label(cls)}; fill "
                             "them (e.g. with a value of their own) first.")
    levels = [sorted({v for cats in values for v in cats[:, j]}) for j in range(len(categorical))]
    for draw, cats in zip(draws, values):
        n = len(draw.matrix)
        codes = np.column_stack([np.searchsorted(levels[j], cats[:, j].astype(str)) for j in range(len(levels))])
        scale = float(np.median(draw.matrix.std(axis=0)))
        blocks = [draw.matrix]
        for j, names in enumerate(levels):
            onehot = np.zeros((n, len(names)))
            onehot[np.arange(n), codes[:, j]] = scale / np.sqrt(2)
            blocks.append(onehot)
        draw.neighbors, draw.bases = within_class(spark, np.hstack(blocks), k), np.arange(n)
        draw.modes = np.empty((n, len(levels)), dtype=np.int32)
        for j, names in enumerate(levels):
            votes = np.zeros((n, len(names)), dtype=np.int64)
            np.add.at(votes, (np.repeat(np.arange(n), k), codes[draw.neighbors.ravel(), j]), 1)
            draw.modes[:, j] = votes.argmax(axis=1)  # the first of the most voted: the smallest value
    return levels


def _broadcast_rows(df: DataFrame, draws: list, total: int, seed: int, k: int, key: str | None,
                    nominal: tuple) -> DataFrame:
    """The synthetic rows of the classes sent to every task, as (``__code``, ``__x``[,
    ``__cats``][, ``__parents``]): the rows of ``spark.range(total)``, each made by
    :func:`_rows_of` from its class's draw."""
    spark = df.sparkSession
    starts = np.array([draw.offset for draw in draws], dtype=np.int64)
    key_type = df.schema[key].dataType if key is not None else None

    def make(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            ids = batch.column(0).to_numpy()
            which = np.searchsorted(starts, ids, side="right") - 1
            for w in np.unique(which):
                draw, chosen = draws[w], ids[which == w]
                values, base, neighbor = _rows_of(draw, chosen - draw.offset, seed, k)
                columns = {"__code": pa.array(np.full(chosen.size, draw.code, dtype=np.int32)),
                           "__x": list_column(values)}
                if nominal:
                    columns["__cats"] = list_column(draw.modes[base])
                if key is not None:
                    base_keys = [draw.keys[i] for i in base]
                    neighbor_keys = [draw.around_keys[(-1 - i) // k][(-1 - i) % k] if i < 0 else draw.keys[i]
                                     for i in neighbor]
                    columns["__parents"] = pa.array([[a, b] for a, b in zip(base_keys, neighbor_keys)])
                yield pa.RecordBatch.from_pydict(columns)

    schema = T.StructType([T.StructField("__code", T.IntegerType()), T.StructField("__x", T.ArrayType(T.DoubleType()))]
                          + ([T.StructField("__cats", T.ArrayType(T.IntegerType()))] if nominal else [])
                          + ([T.StructField("__parents", T.ArrayType(key_type))] if key is not None else []))
    return spark.range(0, total, numPartitions=tasks_for(spark, total, _ROWS_PER_TASK)).mapInArrow(make, schema)


def _in_input_columns(rows: DataFrame, df: DataFrame, label_col: str, spec: FeatureColumns, key: str | None,
                      synthetic_col: str, parents_col: str, classes: dict, nominal: tuple) -> DataFrame:
    """The synthetic ``rows`` with ``df``'s columns: the label, the interpolated features in
    their own types, the voted categorical values (``nominal``: (column, levels) pairs), every
    other column null; then ``synthetic_col`` and, with a key, ``parents_col``."""
    label_type = df.schema[label_col].dataType
    label = per_class("__code", classes, None).cast(label_type)
    columns: list[Column] = []
    for f in df.schema.fields:
        if f.name == label_col:
            columns.append(label.alias(f.name))
        elif f.name in spec.columns:
            value = F.col("__x")[spec.columns.index(f.name)]
            if isinstance(f.dataType, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
                value = F.bround(value)  # rounded like numpy's rint, as the in-memory samplers do
            columns.append(value.cast(f.dataType).alias(f.name))
        elif f.name in dict(nominal):
            position = [name for name, _ in nominal].index(f.name)
            names = F.array(*[F.lit(v) for v in nominal[position][1]])
            columns.append(F.element_at(names, F.col("__cats")[position] + 1).cast(f.dataType).alias(f.name))
        elif f.name == spec.vector:
            value = array_to_vector(F.col("__x")) if spec.vector_is_ml else F.col("__x").cast(f.dataType)
            columns.append(value.alias(f.name))
        else:
            columns.append(F.lit(None).cast(f.dataType).alias(f.name))
    columns.append(F.lit(True).alias(synthetic_col))
    if key is not None:
        columns.append(F.col("__parents").alias(parents_col))
    return rows.select(*columns)


_COMMON = """
    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label_col : str, default="LABEL"
    features : str or list of str, optional
        The feature columns: a list of numeric columns, or the name of one vector column (an
        ML ``Vector`` or an array of numbers). Default: every numeric column but the label and
        ``key``. Other columns are null in synthetic rows.
    k_neighbors : int, default=5
        Neighbours of the same class that a synthetic row may be interpolated towards; a class
        to over-sample needs at least ``k_neighbors + 1`` rows.
    ratio : float, default=1.0
        Largest class / smallest class after over-sampling (the planner's ``"over"``).
    targets : dict or callable, optional
        Explicit counts after over-sampling per class (only increases).
    seed : int, default=0
        Same seed, same rows, whatever the partitioning.
    key : str, optional
        A unique row-id column: the class's rows are ordered by it (else by their features), and
        every synthetic row records its base's and neighbour's keys in ``parents_col``.
    synthetic_col : str, default="is_synthetic"
        A boolean column added to the output, True for synthetic rows.
    parents_col : str, default="parents"
        With ``key``: an array ``[base key, neighbour key]`` per synthetic row (null for input rows).
    max_broadcast_bytes : int, default=2**30
        The broadcast bound: the most bytes of features (rows x features x 8) of a class to
        over-sample that the driver collects and every task holds. :func:`smote` handles a
        larger class by an exact block join (the same rows, more shuffle); the other methods
        refuse it.
    return_plan : bool, default=False
        Also return the :class:`~imbalance.Plan`.

    Returns
    -------
    DataFrame
        Every input row, then the synthetic rows; ``(DataFrame, Plan)`` with ``return_plan=True``.
"""


def smote(df: DataFrame, label_col: str = "LABEL", *, features: str | Sequence[str] | None = None,
          k_neighbors: int = 5, ratio: float = 1.0, targets: Targets | None = None, seed: int = 0,
          key: str | None = None, synthetic_col: str = "is_synthetic", parents_col: str = "parents",
          max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES, return_plan: bool = False,
          ) -> DataFrame | tuple[DataFrame, Plan]:
    return _synthesize(df, label_col, method="smote", features=features, k_neighbors=k_neighbors, m_neighbors=1,
                       kind="borderline-1", ratio=ratio, targets=targets, seed=seed, key=key,
                       synthetic_col=synthetic_col, parents_col=parents_col, max_broadcast_bytes=max_broadcast_bytes,
                       return_plan=return_plan)


smote.__doc__ = """SMOTE (Chawla et al., JAIR 2002) on a Spark DataFrame, with exact neighbours.

    Synthetic row :math:`j` of a class takes a base row uniformly from the class, a neighbour
    uniformly from the base's ``k_neighbors`` nearest rows of the class, and a gap
    :math:`u \\in [0, 1)`: :math:`x = x_{base} + u\\,(x_{nb} - x_{base})`.
""" + _COMMON


def smote_nc(df: DataFrame, label_col: str = "LABEL", *, categorical: Sequence[str],
             features: str | Sequence[str] | None = None, k_neighbors: int = 5, ratio: float = 1.0,
             targets: Targets | None = None, seed: int = 0, key: str | None = None, synthetic_col: str = "is_synthetic",
             parents_col: str = "parents", max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES,
             return_plan: bool = False) -> DataFrame | tuple[DataFrame, Plan]:
    return _synthesize(df, label_col, method="smote_nc", features=features, k_neighbors=k_neighbors, m_neighbors=1,
                       kind="borderline-1", ratio=ratio, targets=targets, seed=seed, key=key,
                       synthetic_col=synthetic_col, parents_col=parents_col, max_broadcast_bytes=max_broadcast_bytes,
                       return_plan=return_plan, categorical=categorical)


smote_nc.__doc__ = """SMOTE-NC (Chawla et al., JAIR 2002) on a Spark DataFrame: numeric and categorical features.

    Neighbours are exact under SMOTE-NC's distance: the Euclidean distance on the numeric
    features plus, for every categorical feature that differs, :math:`m^2`, where :math:`m`
    is the median of the class's numeric standard deviations. Synthetic row :math:`j` takes a
    base, a neighbour and a gap as :func:`smote` does and interpolates the numeric features;
    each categorical feature takes the value most frequent among the base's ``k_neighbors``
    neighbours (ties: the smallest value, compared as text), as :class:`imbalance.SMOTENC`
    votes.

    ``categorical`` names the categorical columns (strings, numbers or booleans; no missing
    values in a class to grow); ``features`` the numeric ones (default: every other numeric
    column but the label and ``key``). The broadcast bound counts one 8-byte value per numeric
    and categorical feature. A table with categorical features only: use
    :class:`imbalance.SMOTEN` on a sample in memory.
""" + _COMMON


def borderline_smote(df: DataFrame, label_col: str = "LABEL", *, features: str | Sequence[str] | None = None,
                     k_neighbors: int = 5, m_neighbors: int = 10, kind: str = "borderline-1", ratio: float = 1.0,
                     targets: Targets | None = None, seed: int = 0, key: str | None = None,
                     synthetic_col: str = "is_synthetic", parents_col: str = "parents",
                     max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES, return_plan: bool = False,
                     ) -> DataFrame | tuple[DataFrame, Plan]:
    return _synthesize(df, label_col, method="borderline", features=features, k_neighbors=k_neighbors,
                       m_neighbors=m_neighbors, kind=kind, ratio=ratio, targets=targets, seed=seed, key=key,
                       synthetic_col=synthetic_col, parents_col=parents_col, max_broadcast_bytes=max_broadcast_bytes,
                       return_plan=return_plan)


borderline_smote.__doc__ = """Borderline-SMOTE (Han, Wang and Mao, 2005) on a Spark DataFrame.

    A row of the class is *in danger* when at least half, but not all, of its ``m_neighbors``
    nearest rows of the whole DataFrame belong to other classes; only those rows are bases
    (all rows, with a warning, when none is). ``kind="borderline-1"`` interpolates towards the
    base's ``k_neighbors`` nearest rows of its class, ``"borderline-2"`` towards its
    ``k_neighbors`` nearest rows of any class, with the gap in [0, 0.5) towards another class.
    The danger search is exact: the class's rows against every partition.

    m_neighbors : int, default=10
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
""" + _COMMON


def adasyn(df: DataFrame, label_col: str = "LABEL", *, features: str | Sequence[str] | None = None,
           k_neighbors: int = 5, ratio: float = 1.0, targets: Targets | None = None, seed: int = 0,
           key: str | None = None, synthetic_col: str = "is_synthetic", parents_col: str = "parents",
           max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES, return_plan: bool = False,
           ) -> DataFrame | tuple[DataFrame, Plan]:
    return _synthesize(df, label_col, method="adasyn", features=features, k_neighbors=k_neighbors, m_neighbors=1,
                       kind="borderline-1", ratio=ratio, targets=targets, seed=seed, key=key,
                       synthetic_col=synthetic_col, parents_col=parents_col, max_broadcast_bytes=max_broadcast_bytes,
                       return_plan=return_plan)


adasyn.__doc__ = """ADASYN (He, Bai, Garcia and Li, 2008) on a Spark DataFrame.

    Row :math:`i` of the class gets a hardness :math:`r_i`, the share of other classes among its
    ``k_neighbors`` nearest rows of the whole DataFrame (exact, over every partition); the
    class's :math:`G` new rows are split in proportion to :math:`r_i` (largest remainder, so
    they sum to :math:`G`), and each is interpolated towards one of its row's ``k_neighbors``
    nearest rows of its class. A class with no hard row gets uniform bases, with a warning.
""" + _COMMON
