"""The compare engine's preprocessing, fitted on a Spark training part.

In memory every cell fits :func:`imbalance._engine.preprocessor` on its training part:
median imputation and (for linear models) standardisation of the numeric columns, the most
frequent value and one-hot encoding of the others. :func:`fit_preprocessing` learns the same
numbers from a DataFrame in two or three aggregations, and :meth:`Preprocessing.features`
applies them as one ``array<double>`` column expression, so that the recipes (SMOTE's
neighbours above all) see the features the in-memory compare gives them.

The exact median is computed only for the columns that have missing values (``percentile``
keeps a column's values per task); the mean and variance after imputation follow from those
of the values present:

.. math::

    \\bar x = \\frac{n_p \\bar x_p + m\\,\\tilde x}{n},\\qquad
    \\sigma^2 = \\frac{n_p \\sigma_p^2 + n_p(\\bar x_p - \\bar x)^2 + m(\\tilde x - \\bar x)^2}{n}

for :math:`n_p` values present with mean :math:`\\bar x_p` and population variance
:math:`\\sigma_p^2`, and :math:`m` missing ones set to the median :math:`\\tilde x`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.ml.functions import vector_to_array
from pyspark.ml.linalg import VectorUDT
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from imbalance._validation import InputError, InputTypeError

__all__ = ["TableColumns", "Preprocessing", "table_columns", "fit_preprocessing"]

_NUMBERS = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType, T.DecimalType,
            T.BooleanType)


@dataclass(frozen=True)
class TableColumns:
    """The features of a table: numeric ones (a name and the expression of its value; the
    entries of a vector column are numeric features too) and categorical (string) ones, read
    from the table's columns ``sources``."""

    numeric: tuple[tuple[str, Column], ...]
    categorical: tuple[str, ...]
    sources: tuple[str, ...]


def _present(value: Column) -> Column:
    """``value`` where it is a number, null where it is missing or NaN (both are missing to the
    imputer, as NaN is to scikit-learn's)."""
    return F.when(~F.isnan(value), value)


def table_columns(df: DataFrame, label_col: str, features: str | Sequence[str] | None, *,
                  exclude: Sequence[str] = ()) -> TableColumns:
    """The feature columns ``features`` names (default: every column but the label and
    ``exclude``): numbers and booleans are numeric, strings categorical; a vector or array
    column given alone is that many numeric features."""
    types = {f.name: f.dataType for f in df.schema.fields}
    if isinstance(features, str) and features in types and isinstance(types[features], (T.ArrayType, VectorUDT)):
        size = df.select(F.size(_as_array(features, types[features])).alias("d")).agg(
            F.min("d"), F.max("d")).first()
        if size[0] is None or size[0] != size[1]:
            raise InputError(f"the vectors in column {features!r} have different lengths ({size[0]} to {size[1]}); "
                             "every row needs the same number of features.")
        array = _as_array(features, types[features])
        return TableColumns(numeric=tuple((f"{features}[{i}]", array[i]) for i in range(size[0])), categorical=(),
                            sources=(features,))
    names = [c for c in types if c != label_col and c not in exclude] if features is None else (
        [features] if isinstance(features, str) else list(features))
    if not names:
        raise InputError("there are no feature columns; name them with features=[...].")
    numeric, categorical = [], []
    for c in names:
        if c not in types:
            raise InputError(f"feature column {c!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")
        if c == label_col:
            raise InputError(f"column {c!r} is the label; leave it out of features.")
        if isinstance(types[c], _NUMBERS):
            numeric.append((c, F.col(c).cast("double")))
        elif isinstance(types[c], T.StringType):
            categorical.append(c)
        else:
            raise InputTypeError(f"feature column {c!r} has type {types[c].simpleString()}; compare takes numbers, "
                                 "booleans and strings (one-hot encoded): cast it, or leave it out of features.")
    return TableColumns(numeric=tuple(numeric), categorical=tuple(categorical), sources=tuple(names))


def _as_array(name: str, data_type: T.DataType) -> Column:
    return vector_to_array(F.col(name)) if not isinstance(data_type, T.ArrayType) else F.col(name).cast(
        "array<double>")


@dataclass(frozen=True)
class Preprocessing:
    """Numbers learnt from a training part: per numeric column its fill value (the median, or
    ``None`` where nothing was missing) and, when scaling, its mean and scale; per categorical
    column its fill value (the most frequent) and its categories in sorted order."""

    columns: TableColumns
    fills: tuple[float | None, ...]
    centers: tuple[float, ...] | None
    scales: tuple[float, ...] | None
    modes: tuple[str | None, ...]
    categories: tuple[tuple[str, ...], ...]

    @property
    def width(self) -> int:
        """How many features :meth:`features` makes."""
        return len(self.fills) + sum(len(c) for c in self.categories)

    def features(self) -> Column:
        """The preprocessed features of a row, as ``array<double>``: the numeric columns
        (imputed, scaled), then every categorical column's one-hot indicators (a category not
        seen in training: all zeros, as scikit-learn's ``handle_unknown="ignore"``)."""
        parts = []
        for i, ((_, value), fill) in enumerate(zip(self.columns.numeric, self.fills)):
            x = _present(value) if fill is None else F.coalesce(_present(value), F.lit(fill))
            if self.centers is not None:
                x = (x - F.lit(self.centers[i])) / F.lit(self.scales[i])
            parts.append(x)
        for name, mode, categories in zip(self.columns.categorical, self.modes, self.categories):
            value = F.coalesce(F.col(name), F.lit(mode))
            parts.extend(F.when(value == F.lit(c), 1.0).otherwise(0.0) for c in categories)
        return F.array(*parts)


def fit_preprocessing(df: DataFrame, columns: TableColumns, *, scale: bool) -> Preprocessing:
    """Learn the imputation, scaling and categories of ``columns`` from ``df`` (a training
    part): one aggregation for the numeric columns, one more for the medians of the columns
    with missing values, one for the categories."""
    numeric = columns.numeric
    stats = []
    for i, (_, value) in enumerate(numeric):
        present = _present(value)
        stats += [F.count(present).alias(f"n{i}"), F.avg(present).alias(f"m{i}"),
                  F.var_pop(present).alias(f"v{i}")]
    row = df.agg(F.count(F.lit(1)).alias("rows"), *stats).first()
    n = int(row["rows"])
    if n == 0:
        raise InputError("a training part has no rows.")
    missing = [i for i in range(len(numeric)) if row[f"n{i}"] < n]
    empty = [numeric[i][0] for i in missing if row[f"n{i}"] == 0]
    if empty:
        raise InputError(f"feature column {empty[0]!r} has no value in a training part; fill it or leave it out.")
    medians = {}
    if missing:
        # exact, as scikit-learn's median (the mean of the two middle values of an even count)
        found = df.agg(*[F.percentile(_present(numeric[i][1]), 0.5).alias(f"p{i}") for i in missing]).first()
        medians = {i: float(found[f"p{i}"]) for i in missing}
    fills = tuple(medians.get(i) for i in range(len(numeric)))
    centers = scales = None
    if scale:
        centers_, scales_ = [], []
        for i in range(len(numeric)):
            present, mean, var = int(row[f"n{i}"]), float(row[f"m{i}"]), float(row[f"v{i}"])
            if i in medians:
                m, median = n - present, medians[i]
                whole = (present * mean + m * median) / n
                var = (present * var + present * (mean - whole) ** 2 + m * (median - whole) ** 2) / n
                mean = whole
            centers_.append(mean)
            std = math.sqrt(max(var, 0.0))
            scales_.append(std if std > 0 else 1.0)  # a constant column stays as it is, as scikit-learn does
        centers, scales = tuple(centers_), tuple(scales_)
    modes, categories = [], []
    if columns.categorical:
        pairs = F.explode(F.array(*[F.struct(F.lit(j).alias("j"), F.col(c).alias("v"))
                                    for j, c in enumerate(columns.categorical)]))
        counted = df.select(pairs.alias("p")).select("p.j", "p.v").groupBy("j", "v").count().collect()
        for j, name in enumerate(columns.categorical):
            seen = {r["v"]: int(r["count"]) for r in counted if r["j"] == j and r["v"] is not None}
            if not seen:
                raise InputError(f"feature column {name!r} has no value in a training part; fill it or leave it out.")
            # the most frequent value, the smallest among ties (scikit-learn's most_frequent)
            modes.append(min(seen, key=lambda v: (-seen[v], v)))
            categories.append(tuple(sorted(seen)))
    return Preprocessing(columns, fills, centers, scales, tuple(modes), tuple(categories))
