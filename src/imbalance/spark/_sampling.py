"""Random under- and over-sampling to the plan's exact per-class counts without a full shuffle; MLlib weights.

One aggregation counts the classes; the foundation's planner turns the counts into targets;
then every row gets a uniform key :math:`u \\in [0, 1)` (``rand`` from a mixed seed, or a hash of a
``key`` column with the seed, which does not depend on partitioning) and:

- a class kept at ``t`` of its ``n`` rows takes the rows with the ``t`` smallest keys. One scan
  counts the keys below a band around ``t / n`` (six standard deviations either side, so the
  ``t``-th key falls outside it with probability below 1e-9) and brings the few keys inside the
  band to the driver, which reads off the ``t``-th smallest; one more scan keeps the rows at or
  below it (if the band missed, or would be too large to collect, the rows are ranked in Spark);
- a class raised to ``t`` rows repeats every row ``t // n`` times and adds the ``t mod n``
  rows with the smallest keys, chosen the same way.

That is the package's one rule for t draws from n rows (:mod:`imbalance._draw`), carried out
with keys instead of a numpy generator because the rows are never in one process.

``exact=False`` is plain Bernoulli selection at rate ``t / n``, one scan after the counts.
DataFrame API only (no RDD calls), so Spark Connect works.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from pyspark.ml import Estimator
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasLabelCol, HasSeed
from pyspark.ml.util import DefaultParamsReader, DefaultParamsWriter, MLReadable, MLReader, MLWritable, MLWriter
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from imbalance._validation import InputError, InputTypeError, ParameterError, check_int, renamed_parameter
from imbalance.planner import Plan, Strategy, plan_from_counts
from imbalance.spark._columns import check_frame, per_class
from imbalance.weights import Normalize, Scheme, weights_from_counts

__all__ = [
    "class_counts",
    "plan",
    "resample",
    "under_sample",
    "over_sample",
    "with_weights",
    "stratified_folds",
    "ResampledEstimator",
]

_KEY = "__imbalance_u"
_COPY = "__imbalance_copy"


@renamed_parameter("target", "label_col")
def class_counts(df: DataFrame, label_col: str) -> dict:
    """Rows per class, sorted by class (one aggregation). Missing labels are an error."""
    check_frame(df, label_col)
    rows = df.groupBy(label_col).count().collect()
    counts = {row[label_col]: int(row["count"]) for row in rows}
    if None in counts:
        raise InputError(f"label column {label_col!r} has {counts[None]} missing value(s); drop or fill them first.")
    if not counts:
        raise InputError("the DataFrame has no rows.")
    return dict(sorted(counts.items()))


@renamed_parameter("target", "label_col")
def plan(df: DataFrame, label_col: str = "LABEL", strategy: Strategy = "under", *, ratio: float = 1.0) -> Plan:
    """:func:`imbalance.plan` from the DataFrame's class counts."""
    return plan_from_counts(class_counts(df, label_col), strategy, ratio=ratio)


def _mixed_seed(seed: int) -> int:
    """A 63-bit seed far from the small integers people pass to ``rand``.

    Spark's ``rand(s)`` restarts in every partition from ``s + partition index``; labels made
    with ``rand(1)`` would be perfectly correlated with a key made with ``rand(0)`` one
    partition over, and a quota would fall short.
    """
    return (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % (1 << 63)


def _uniform_key(seed: int, key: str | None) -> Column:
    """A uniform [0, 1) number per row: ``rand`` (depends on partitioning), or 53 bits of a
    64-bit hash of ``key`` and the seed (the same for a row wherever it lives)."""
    if key is None:
        return F.rand(_mixed_seed(seed))
    return F.xxhash64(F.col(key), F.lit(seed)).bitwiseAND(F.lit((1 << 53) - 1)).cast("double") / float(1 << 53)


def _band(t: int, n: int) -> tuple[float, float]:
    """Key rates between which a class's ``t``-th smallest of ``n`` keys lies, but with
    probability below 1e-9: six standard deviations (plus ten rows) either side of ``t / n``."""
    spread = 6 * math.sqrt(t) + 10
    return max(0.0, (t - spread) / n), min(1.0, (t + spread) / n)


# Keys collected to the driver at most (expected); above it, classes are ranked in Spark.
_COLLECT_LIMIT = 5_000_000


def _key_thresholds(keyed: DataFrame, label_col: str, wanted: dict, counts: dict) -> dict | None:
    """The ``wanted[c]``-th smallest key of every class, read off the keys in its band.

    One scan and an aggregation of the rows below the band's top: per class, how many keys lie
    below the band, and the keys inside it, about ``12 sqrt(t)`` of them (8,500 for t = 500,000),
    so the driver needs neither Arrow nor much memory. ``None`` when the band
    missed the threshold (probability below 1e-9) or would hold too many keys: the caller then
    ranks the rows in Spark instead.
    """
    bands = {c: _band(t, counts[c]) for c, t in wanted.items()}
    if sum((high - low) * counts[c] for c, (low, high) in bands.items()) > _COLLECT_LIMIT:
        return None
    key, label = F.col(_KEY), F.col(label_col)
    low = per_class(label_col, {c: b[0] for c, b in bands.items()}, 2.0)
    high = per_class(label_col, {c: b[1] for c, b in bands.items()}, 0.0)
    # Rows below the band only count; rows inside it bring their key (the aggregation's nulls).
    in_band = F.when(key >= low, key)
    summary = (keyed.filter(label.isin(list(wanted)) & (key < high)).groupBy(label_col)
               .agg((F.count(F.lit(1)) - F.count(in_band)).alias("below"), F.collect_list(in_band).alias("keys"))
               .collect())
    n_below = {row[0]: int(row["below"]) for row in summary}
    keys = {row[0]: row["keys"] for row in summary}
    thresholds = {}
    for c, t in wanted.items():
        position = t - n_below.get(c, 0) - 1  # of the t-th smallest key among the band's keys
        if not 0 <= position < len(keys.get(c, ())):
            return None
        thresholds[c] = float(np.partition(np.asarray(keys[c]), position)[position])
    return thresholds


def _smallest_keys(df: DataFrame, label_col: str, wanted: dict) -> DataFrame:
    """For each class in ``wanted``, its ``wanted[c]`` rows with the smallest keys (by ranking
    all of them: the fallback when the thresholds could not be read off candidates)."""
    rank = F.row_number().over(Window.partitionBy(label_col).orderBy(_KEY))
    limit = per_class(label_col, wanted, 0)
    return df.withColumn("__imbalance_rank", rank).filter(F.col("__imbalance_rank") <= limit).drop(
        "__imbalance_rank")


@renamed_parameter("target", "label_col")
def resample(
    df: DataFrame,
    label_col: str = "LABEL",
    strategy: Strategy = "under",
    *,
    ratio: float = 1.0,
    seed: int = 0,
    key: str | None = None,
    exact: bool = True,
    return_plan: bool = False,
) -> DataFrame | tuple[DataFrame, Plan]:
    """Resample ``df`` so every class has its planned row count.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label_col : str, default="LABEL"
        The label column (``target=`` is its old name: a ``FutureWarning``, gone in 0.3).
    strategy, ratio
        As in :func:`imbalance.plan` (a target is the class's count after resampling).
    seed : int, default=0
        Same seed and same partitioning, same rows.
    key : str, optional
        A column identifying rows (unique); its hash with the seed replaces ``rand``, so the
        selection depends only on the key's values and the seed, not on partitioning.
    exact : bool, default=True
        Exact per-class counts (see the module doc). False: Bernoulli selection, counts right
        on average, one pass.
    return_plan : bool, default=False
        Also return the :class:`~imbalance.Plan` (from the class counts this call already
        made). With ``exact=True`` its ``targets`` are the realized per-class counts; with
        ``exact=False`` they are what each class gets on average. To read realized counts of
        a Bernoulli result without another scan, observe them during your own action::

            out, plan = resample(df, "LABEL", exact=False, return_plan=True)
            seen = Observation()
            out = out.observe(seen, *[F.count_if(F.col("LABEL") == c).alias(str(c)) for c in plan.targets])
            out.write.parquet(path)   # seen.get == {"0": ..., "1": ...}

    Returns
    -------
    DataFrame with the same columns; ``(DataFrame, Plan)`` with ``return_plan=True``.
    """
    check_int("seed", seed, low=None)
    if key is not None and key not in df.columns:
        raise InputError(f"key column {key!r} is not in the DataFrame.")
    counts = class_counts(df, label_col)
    the_plan = plan_from_counts(counts, strategy, ratio=ratio)
    keyed = df.withColumn(_KEY, _uniform_key(seed, key))
    # Per class with n rows and target t: t >= n keeps every row t // n times; the rest
    # (t rows when t < n, t mod n extra rows when t > n) are the rows with the smallest keys.
    whole, partial = {}, {}
    for c, n in counts.items():
        t = the_plan.targets[c]
        if t >= n:
            whole[c] = t // n
        if t % n if t > n else t < n:
            partial[c] = t if t < n else t % n
    thresholds = _key_thresholds(keyed, label_col, partial, counts) if (exact and partial) else {}
    if thresholds is not None:
        # One scan: every row its whole copies, plus one if its key is among its class's t
        # smallest (exact), or below t / n (Bernoulli).
        if exact:
            in_subset = F.col(_KEY) <= per_class(label_col, thresholds, -1.0)
        else:
            in_subset = F.col(_KEY) < per_class(label_col, {c: t / counts[c] for c, t in partial.items()}, 0.0)
        copies = per_class(label_col, whole, 0) + F.when(in_subset, 1).otherwise(0)
        result = keyed.withColumn(_COPY, copies).filter(F.col(_COPY) > 0)
        if any(the_plan.targets[c] > n for c, n in counts.items()):
            result = result.withColumn(_COPY, F.explode(F.sequence(F.lit(1), F.col(_COPY))))
        result = result.drop(_COPY, _KEY)
    else:
        parts = []
        if whole:
            repeated = keyed.filter(F.col(label_col).isin(list(whole)))
            if any(k > 1 for k in whole.values()):
                copies = F.explode(F.sequence(F.lit(1), per_class(label_col, whole, 1)))
                repeated = repeated.withColumn(_COPY, copies).drop(_COPY)
            parts.append(repeated)
        if partial:
            parts.append(_smallest_keys(keyed.filter(F.col(label_col).isin(list(partial))), label_col, partial))
        result = parts[0]
        for part in parts[1:]:
            result = result.unionByName(part)
        result = result.drop(_KEY)
    return (result, the_plan) if return_plan else result


@renamed_parameter("target", "label_col")
def under_sample(df: DataFrame, label_col: str = "LABEL", *, ratio: float = 1.0, seed: int = 0, key: str | None = None,
                 exact: bool = True, return_plan: bool = False) -> DataFrame | tuple[DataFrame, Plan]:
    """Keep the smallest class; cap every other at ``ratio`` times it (see :func:`resample`)."""
    return resample(df, label_col, "under", ratio=ratio, seed=seed, key=key, exact=exact, return_plan=return_plan)


@renamed_parameter("target", "label_col")
def over_sample(df: DataFrame, label_col: str = "LABEL", *, ratio: float = 1.0, seed: int = 0, key: str | None = None,
                exact: bool = True, return_plan: bool = False) -> DataFrame | tuple[DataFrame, Plan]:
    """Keep the largest class; raise every other to ``largest / ratio`` rows (see :func:`resample`)."""
    return resample(df, label_col, "over", ratio=ratio, seed=seed, key=key, exact=exact, return_plan=return_plan)


@renamed_parameter("target", "label_col")
def with_weights(df: DataFrame, label_col: str = "LABEL", scheme: Scheme = "balanced", *, output_col: str = "weight",
                 beta: float = 0.999, normalize: Normalize = False) -> DataFrame:
    """Add the foundation's class weights as a column, for MLlib's ``weightCol``.

    The weights are :func:`imbalance.class_weights` computed from the DataFrame's class
    counts (one aggregation).
    """
    counts = class_counts(df, label_col)
    if output_col in df.columns:
        raise InputError(f"column {output_col!r} already exists; pass another output_col.")
    weights = weights_from_counts(np.array(list(counts.values())), scheme, beta=beta, normalize=normalize)
    return df.withColumn(output_col, per_class(label_col, dict(zip(counts, weights.tolist())), None).cast("double"))


@renamed_parameter("target", "label_col")
def stratified_folds(df: DataFrame, label_col: str = "LABEL", *, k: int = 5, seed: int = 0, output_col: str = "fold",
                     key: str | None = None) -> DataFrame:
    """Add a fold number 0..k-1 such that every class is spread evenly (within one row per fold).

    For ``CrossValidator(foldCol=output_col)``. Rows are ranked by a seeded key within their
    class and dealt out in turn, so this needs one shuffle.
    """
    check_frame(df, label_col)
    check_int("k", k, low=2)
    order = Window.partitionBy(label_col).orderBy(_uniform_key(seed, key))
    return df.withColumn(output_col, ((F.row_number().over(order) - 1) % k).cast("int"))


class _ResampledParams(HasLabelCol, HasSeed):
    """The resampling settings, as Spark ML params (so ``ParamGridBuilder`` can tune them)."""

    estimator: "Param[Estimator]" = Param(Params._dummy(), "estimator", "the estimator fitted on the resampled rows")
    strategy: "Param[str]" = Param(Params._dummy(), "strategy", "the planner's strategy: 'under' or 'over'",
                                   typeConverter=TypeConverters.toString)
    ratio: "Param[float]" = Param(Params._dummy(), "ratio", "the planner's ratio (largest to smallest class, >= 1)",
                                  typeConverter=TypeConverters.toFloat)
    key: "Param[str]" = Param(Params._dummy(), "key", "a unique row-id column; makes the selection independent "
                              "of partitioning", typeConverter=TypeConverters.toString)
    exact: "Param[bool]" = Param(Params._dummy(), "exact", "exact per-class counts (True) or Bernoulli (False)",
                                 typeConverter=TypeConverters.toBoolean)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(labelCol="label", strategy="under", ratio=1.0, seed=0, exact=True)


class ResampledEstimator(Estimator, _ResampledParams, MLReadable, MLWritable):
    """A Spark ML estimator that resamples its training data, then fits ``estimator``.

    In a ``Pipeline`` or under ``CrossValidator`` only ``fit`` sees data, so evaluation rows
    are never resampled; ``fit`` returns the inner estimator's model as is. ``strategy``,
    ``ratio``, ``seed`` and ``exact`` are Spark ML params: a ``ParamGridBuilder`` can tune the
    ratio like any other param, and the estimator saves and loads with the inner estimator
    (which must be ``MLWritable``) in a sub-folder.

    Parameters
    ----------
    estimator : pyspark.ml.Estimator
    labelCol : str, default="label"
    strategy, ratio, seed, key, exact
        As in :func:`resample`; ``strategy`` is ``"under"`` or ``"over"``.
    """

    def __init__(self, estimator: Estimator | None = None, *, labelCol: str = "label", strategy: str = "under",
                 ratio: float = 1.0, seed: int = 0, key: str | None = None, exact: bool = True) -> None:
        super().__init__()
        given = dict(estimator=estimator, labelCol=labelCol, strategy=strategy, ratio=ratio, seed=seed, key=key,
                     exact=exact)
        self._set(**{name: value for name, value in given.items() if value is not None})

    def _fit(self, dataset: DataFrame):
        if not self.isDefined(self.estimator):
            raise ParameterError("ResampledEstimator needs an estimator to fit: ResampledEstimator(estimator=...).")
        strategy = self.getOrDefault(self.strategy)
        if strategy not in ("under", "over"):
            raise ParameterError(f"strategy must be 'under' or 'over', got {strategy!r}.")
        key = self.getOrDefault(self.key) if self.isDefined(self.key) else None
        resampled = resample(dataset, self.getOrDefault(self.labelCol), strategy, ratio=self.getOrDefault(self.ratio),
                             seed=self.getOrDefault(self.seed), key=key, exact=self.getOrDefault(self.exact))
        return self.getOrDefault(self.estimator).fit(resampled)

    def copy(self, extra: dict | None = None) -> "ResampledEstimator":
        """A copy with ``extra`` applied to it and to the inner estimator (CrossValidator's grids
        may name either's params)."""
        that = super().copy(extra)
        if self.isDefined(self.estimator):
            that._set(estimator=self.getOrDefault(self.estimator).copy(extra))
        return that

    def write(self) -> MLWriter:
        return _ResampledWriter(self)

    @classmethod
    def read(cls) -> MLReader:
        return _ResampledReader(cls)


class _ResampledWriter(MLWriter):
    """Params as Spark ML metadata JSON; the inner estimator saved by its own writer under
    ``estimator/``."""

    def __init__(self, instance: ResampledEstimator) -> None:
        super().__init__()
        self.instance = instance

    def saveImpl(self, path: str) -> None:
        inner = self.instance.getOrDefault(self.instance.estimator) if self.instance.isDefined(
            self.instance.estimator) else None
        if not isinstance(inner, MLWritable):
            raise InputTypeError(f"the inner estimator ({type(inner).__name__}) cannot be saved: it is not MLWritable.")
        params = {p.name: v for p, v in self.instance._paramMap.items() if p.name != "estimator"}
        DefaultParamsWriter.saveMetadata(self.instance, path, self.sparkSession, paramMap=params)
        inner.save(os.path.join(path, "estimator"))


class _ResampledReader(MLReader):
    def __init__(self, cls: type) -> None:
        super().__init__()
        self.cls = cls

    def load(self, path: str) -> ResampledEstimator:
        metadata = DefaultParamsReader.loadMetadata(path, self.sparkSession)
        inner = DefaultParamsReader.loadParamsInstance(os.path.join(path, "estimator"), self.sparkSession)
        instance = self.cls(estimator=inner)._resetUid(metadata["uid"])
        DefaultParamsReader.getAndSetParams(instance, metadata, skipParams=["estimator"])
        return instance
