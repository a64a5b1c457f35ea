"""Which columns are the features, checked once; the class counts and the bad-value check in one
aggregation; a class's rows brought to the driver in an order that does not depend on partitioning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyspark.ml.functions import vector_to_array
from pyspark.ml.linalg import VectorUDT
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from imbalance._validation import InputError, InputTypeError

__all__ = ["FeatureColumns", "check_frame", "resolve_features", "checked_counts", "class_rows",
           "class_rows_with_categories", "feature_width", "per_class", "row_hash"]

_NUMERIC = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType, T.DecimalType)


def check_frame(df: object, label_col: str) -> None:
    """A DataFrame with the label column, or a clear error."""
    if not isinstance(df, DataFrame):
        raise InputTypeError(f"expected a pyspark.sql.DataFrame, got {type(df).__name__}.")
    if label_col not in df.columns:
        raise InputError(f"label column {label_col!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")


def per_class(label_col: str, values: dict, default: object) -> Column:
    """A column taking ``values[v]`` where ``label_col`` holds ``v`` (a row's class, mostly), else ``default``."""
    expr = None
    for cls, value in values.items():
        condition = F.col(label_col) == F.lit(cls)
        expr = F.when(condition, F.lit(value)) if expr is None else expr.when(condition, F.lit(value))
    return F.lit(default) if expr is None else expr.otherwise(F.lit(default))


@dataclass(frozen=True)
class FeatureColumns:
    """The features: separate numeric ``columns``, or one ``vector`` column (an ML ``Vector`` or
    an array of numbers) whose entries are the features."""

    columns: tuple[str, ...] = ()
    vector: str | None = None
    vector_is_ml: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.vector,) if self.vector is not None else self.columns

    def as_array(self) -> Column:
        """The features of a row as one ``array<double>`` column."""
        if self.vector is None:
            return F.array(*[F.col(c).cast("double") for c in self.columns])
        column = vector_to_array(F.col(self.vector)) if self.vector_is_ml else F.col(self.vector)
        return column.cast("array<double>")


def feature_width(df: DataFrame, spec: FeatureColumns) -> int:
    """How many features a row has: the columns, or the length of the first row's vector."""
    if spec.vector is None:
        return len(spec.columns)
    first = df.select(F.size(spec.as_array())).first()
    return int(first[0]) if first is not None else 0


def row_hash(spec: FeatureColumns, key: str | None) -> Column:
    """A 64-bit hash that names a row by its content: of its key where there is one, else of its
    features (rows with equal features are then one row to the methods that name rows)."""
    return F.xxhash64(F.col(key)) if key is not None else F.xxhash64(spec.as_array())


def _is_vector(data_type: T.DataType) -> bool:
    return isinstance(data_type, VectorUDT) or (
        isinstance(data_type, T.ArrayType) and isinstance(data_type.elementType, _NUMERIC))


def resolve_features(df: DataFrame, label_col: str, features: str | Sequence[str] | None,
                     key: str | None = None) -> FeatureColumns:
    """The feature columns ``features`` names (default: every numeric column but the label and
    the key), with one error naming the column and the fix for anything else."""
    types = {f.name: f.dataType for f in df.schema.fields}
    if key is not None and key not in types:
        raise InputError(f"key column {key!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")
    if features is None:
        columns = tuple(c for c, t in types.items() if c not in (label_col, key) and isinstance(t, _NUMERIC))
        if not columns:
            vectors = [c for c, t in types.items() if _is_vector(t)]
            hint = f"features={vectors[0]!r} (a vector column)" if vectors else "features=[...] naming numeric columns"
            raise InputError(f"the DataFrame has no numeric column besides the label to use as features; pass {hint}.")
        return FeatureColumns(columns=columns)
    if isinstance(features, str):
        if features not in types:
            raise InputError(f"feature column {features!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")
        if _is_vector(types[features]):
            return FeatureColumns(vector=features, vector_is_ml=isinstance(types[features], VectorUDT))
        features = [features]
    columns = tuple(features)
    if not columns:
        raise InputError("features is empty; name at least one feature column.")
    for c in columns:
        if c not in types:
            raise InputError(f"feature column {c!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")
        if c in (label_col, key):
            raise InputError(f"column {c!r} is the {'label' if c == label_col else 'key'}; leave it out of features.")
        if _is_vector(types[c]):
            raise InputTypeError(f"column {c!r} is a vector column; pass features={c!r} on its own, not in a list of "
                                 "separate numeric columns.")
        if not isinstance(types[c], _NUMERIC):
            raise InputTypeError(f"feature column {c!r} has type {types[c].simpleString()}, not a number; encode it "
                                 "first or leave it out of features.")
    return FeatureColumns(columns=columns)


def checked_counts(df: DataFrame, label_col: str, spec: FeatureColumns) -> dict:
    """Rows per class (sorted by class) from one aggregation that also counts, per feature, the
    rows whose value is missing, NaN or infinite; any such row is an error naming the column."""
    def bad(value: Column) -> Column:
        return value.isNull() | F.isnan(value) | (F.abs(value) == float("inf"))

    if spec.vector is None:
        checks = [F.count_if(bad(F.col(c).cast("double"))).alias(c) for c in spec.columns]
    else:
        array = spec.as_array()
        checks = [F.count_if(array.isNull() | F.exists(array, bad)).alias(spec.vector)]
    rows = df.groupBy(label_col).agg(F.count(F.lit(1)).alias("__rows"), *checks).collect()
    counts = {row[label_col]: int(row["__rows"]) for row in rows}
    if None in counts:
        raise InputError(f"label column {label_col!r} has {counts[None]} missing value(s); drop or fill them first.")
    if not counts:
        raise InputError("the DataFrame has no rows.")
    for name in spec.names:
        found = sum(int(row[name]) for row in rows)
        if found:
            raise InputError(f"feature column {name!r} has {found} missing, NaN or infinite value(s); fill or drop "
                             "those rows first.")
    return dict(sorted(counts.items()))


def class_rows(df: DataFrame, label_col: str, cls: object, spec: FeatureColumns,
               key: str | None = None) -> tuple[np.ndarray, pa.Array | None, np.ndarray]:
    """The features of every row of class ``cls`` as a float64 matrix, their keys and their
    :func:`row_hash`, in an order that depends on the rows alone: by key when there is one,
    else by the feature values.

    That order is what makes every later draw independent of how the DataFrame is partitioned.
    """
    matrix, keys, hashes, _ = class_rows_with_categories(df, label_col, cls, spec, (), key)
    return matrix, keys, hashes


def class_rows_with_categories(df: DataFrame, label_col: str, cls: object, spec: FeatureColumns,
                               categorical: Sequence[str], key: str | None = None,
                               ) -> tuple[np.ndarray, pa.Array | None, np.ndarray, np.ndarray]:
    """:func:`class_rows` with the ``categorical`` columns' values of the same rows, as text in
    an (n, c) object array (the order without a key: by features, then by these values)."""
    columns = [spec.as_array().alias("__x"), row_hash(spec, key).alias("__h")] + (
        [F.col(key).alias("__key")] if key is not None else []) + (
        [F.array(*[F.col(c).cast("string") for c in categorical]).alias("__c")] if categorical else [])
    # Sorted by Spark, so the driver holds the class once (the Arrow buffers; the matrix is a
    # view of them) instead of once more for a reordered copy: by key, else by the features'
    # values (arrays compare element by element), then by the categorical values.
    order = ["__key"] if key is not None else ["__x"] + (["__c"] if categorical else [])
    table = df.filter(F.col(label_col) == F.lit(cls)).select(*columns).orderBy(*order).toArrow()
    hashes = table.column("__h").to_numpy()
    lists = table.column("__x").combine_chunks()
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    if lengths.size and (lengths != lengths[0]).any():
        raise InputError(f"the vectors in column {spec.vector!r} have different lengths ({lengths.min()} to "
                         f"{lengths.max()}); every row needs the same number of features.")
    d = int(lengths[0]) if lengths.size else len(spec.columns)
    matrix = lists.flatten().to_numpy(zero_copy_only=False).astype(np.float64, copy=False).reshape(-1, d)
    values = np.empty((len(matrix), len(categorical)), dtype=object)
    if categorical:
        values[:] = np.asarray(table.column("__c").combine_chunks().flatten().to_pylist(),
                               dtype=object).reshape(-1, len(categorical))
    keys = table.column("__key").combine_chunks() if key is not None else None
    return matrix, keys, hashes, values
