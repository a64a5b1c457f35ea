r"""Decisions on Spark: exact metrics as an ML ``Evaluator``, threshold tuning, prior correction.

Spark's ``BinaryClassificationEvaluator(metricName="areaUnderPR")`` interpolates the
precision-recall curve linearly between points, which overstates it where scores are few or
the positives rare. :func:`average_precision` is the rank-based sum that scikit-learn's
``average_precision_score`` computes,

.. math::

    \mathrm{AP} = \sum_i (R_i - R_{i-1})\, P_i,

over the distinct scores :math:`s_i` in decreasing order (:math:`P_i`, :math:`R_i`: precision
and recall of deciding positive at :math:`\ge s_i`), computed without bringing the rows to one
place: one aggregation per distinct score, a range partitioning by score, each partition's
totals to the driver (a few numbers per partition), and running sums inside each partition
from there. The same running counts give every threshold's confusion matrix, so
:class:`ThresholdTuner` sweeps every distinct score exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyspark.ml import Estimator, Model, Transformer
from pyspark.ml.evaluation import Evaluator
from pyspark.ml.functions import array_to_vector, vector_to_array
from pyspark.ml.linalg import VectorUDT
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasLabelCol, HasPredictionCol, HasProbabilityCol
from pyspark.ml.util import DefaultParamsReadable, DefaultParamsWritable
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from imbalance._validation import InputError, ParameterError
from imbalance.spark._columns import check_frame, per_class

__all__ = ["average_precision", "score_counts", "ImbalancedEvaluator", "ThresholdTuner", "ThresholdModel",
           "PriorCorrection"]

_METRICS = {"averagePrecision": True, "balancedAccuracy": True, "mcc": True, "gMean": True, "f1": True,
            "brier": False, "expectedCost": False}
_TUNED = ("f1", "balancedAccuracy", "mcc", "gMean", "expectedCost")


def positive_score(df: DataFrame, column: str) -> Column:
    """The positive class's score: entry 1 of a probability vector, or a number column as is."""
    if column not in df.columns:
        raise InputError(f"score column {column!r} is not in the DataFrame; its columns are: {', '.join(df.columns)}.")
    data_type = df.schema[column].dataType
    if isinstance(data_type, VectorUDT):
        return vector_to_array(F.col(column))[1]
    return F.col(column).cast("double")


def _is_positive(label_col: str, pos_label: float) -> Column:
    return (F.col(label_col).cast("double") == F.lit(float(pos_label))).cast("long")


def score_counts(df: DataFrame, label_col: str, score_col: str, *, pos_label: float = 1.0) -> tuple[DataFrame, int,
                                                                                                   int]:
    """Per distinct score, in decreasing order: ``tp`` and ``n`` (positives and rows at that
    score) and the running sums ``cum_tp``, ``cum_n`` (rows scored at least that); with the
    totals of positives and rows.

    Rows are counted per score (one aggregation), range-partitioned by score, each
    partition's totals brought to the driver, and the running sums taken inside partitions
    from the totals of the partitions before them, so no partition holds more than its share.
    """
    check_frame(df, label_col)
    scored = df.select(positive_score(df, score_col).alias("s"), _is_positive(label_col, pos_label).alias("y"))
    per_score = scored.groupBy("s").agg(F.sum("y").alias("tp"), F.count(F.lit(1)).alias("n"))
    # Checkpointed: the partition numbers must be the same ones in both uses below.
    ranged = per_score.repartitionByRange(F.col("s").desc()).withColumn("part", F.spark_partition_id())
    ranged = ranged.localCheckpoint(eager=True)
    totals = sorted((r["part"], int(r["tp"] or 0), int(r["n"] or 0)) for r in ranged.groupBy("part").agg(
        F.sum("tp").alias("tp"), F.sum("n").alias("n")).collect())
    if not totals:
        raise InputError("the DataFrame has no rows to score.")
    before_tp, before_n, seen_tp, seen_n = {}, {}, 0, 0
    for part, tp, n in totals:
        before_tp[part], before_n[part] = seen_tp, seen_n
        seen_tp, seen_n = seen_tp + tp, seen_n + n
    if seen_tp == 0 or seen_tp == seen_n:
        raise InputError(f"the label column {label_col!r} has {'no' if seen_tp == 0 else 'only'} positive rows "
                         f"(pos_label={pos_label}); a score needs both classes.")
    running = Window.partitionBy("part").orderBy(F.col("s").desc()).rowsBetween(Window.unboundedPreceding, 0)

    counts = (ranged.withColumn("cum_tp", F.sum("tp").over(running) + per_class("part", before_tp, 0))
              .withColumn("cum_n", F.sum("n").over(running) + per_class("part", before_n, 0)))
    return counts, seen_tp, seen_n


def average_precision(df: DataFrame, label_col: str = "label", score_col: str = "probability", *,
                      pos_label: float = 1.0) -> float:
    r"""Exact average precision of a score column, :math:`\sum_i (R_i - R_{i-1}) P_i` (see the
    module doc); scikit-learn's ``average_precision_score``, on a DataFrame of any size.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label_col : str, default="label"
    score_col : str, default="probability"
        A probability vector (its entry 1 is the positive class's) or a number column.
    pos_label : float, default=1.0
    """
    counts, positives, _ = score_counts(df, label_col, score_col, pos_label=pos_label)
    total = counts.agg(F.sum(F.col("tp") * F.col("cum_tp") / F.col("cum_n"))).first()[0]
    return float(total) / positives


def _confusion(df: DataFrame, label_col: str, decided: Column) -> tuple[np.ndarray, list]:
    """The confusion matrix (true class x decision) over the union of both's values."""
    rows = df.groupBy(F.col(label_col).cast("double").alias("t"), decided.cast("double").alias("d")).count().collect()
    if any(r["t"] is None or r["d"] is None for r in rows):
        raise InputError(f"the label column {label_col!r} or the decisions have missing values; drop them first.")
    classes = sorted({r["t"] for r in rows} | {r["d"] for r in rows})
    index = {c: i for i, c in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes)))
    for r in rows:
        matrix[index[r["t"]], index[r["d"]]] += r["count"]
    return matrix, classes


def scores_from_confusion(matrix: np.ndarray, metric: str, *, positive: int | None = None,
                          costs: np.ndarray | None = None) -> float:
    """Balanced accuracy, MCC (Gorodkin's K-class form), G-mean, F1 of ``positive`` or the
    mean cost of a confusion matrix (rows: true class, columns: decision)."""
    support = matrix.sum(axis=1)
    recalls = np.divide(np.diag(matrix), support, out=np.zeros(len(matrix)), where=support > 0)
    present = support > 0
    if metric == "balancedAccuracy":
        return float(recalls[present].mean())
    if metric == "gMean":
        return float(np.prod(recalls[present]) ** (1.0 / present.sum()))
    if metric == "mcc":
        n, correct = matrix.sum(), np.trace(matrix)
        predicted = matrix.sum(axis=0)
        denominator = np.sqrt((n**2 - predicted @ predicted) * (n**2 - support @ support))
        return float((correct * n - predicted @ support) / denominator) if denominator > 0 else 0.0
    if metric == "f1":
        tp = matrix[positive, positive]
        denominator = matrix[positive].sum() + matrix[:, positive].sum()
        return float(2 * tp / denominator) if denominator > 0 else 0.0
    return float((matrix * costs).sum() / matrix.sum())


class _DecisionParams(HasLabelCol, HasProbabilityCol, HasPredictionCol):
    posLabel: "Param[float]" = Param(Params._dummy(), "posLabel", "the positive class's label (binary metrics)",
                                     typeConverter=TypeConverters.toFloat)
    costMatrix: "Param[list]" = Param(Params._dummy(), "costMatrix", "costs[true][decided] for expectedCost",
                                      typeConverter=TypeConverters.toListListFloat)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(labelCol="label", probabilityCol="probability", predictionCol="prediction", posLabel=1.0)

    def _costs(self, size: int) -> np.ndarray:
        if not self.isDefined(self.costMatrix):
            raise ParameterError("expectedCost needs costMatrix=[[cost of each decision] for each true class].")
        costs = np.asarray(self.getOrDefault(self.costMatrix), dtype=np.float64)
        if costs.shape != (size, size) or (costs < 0).any() or not np.isfinite(costs).all():
            raise ParameterError(f"costMatrix must be a {size} x {size} matrix of finite costs >= 0 (true class x "
                                 f"decision, classes in sorted order), got shape {costs.shape}.")
        return costs


class ImbalancedEvaluator(Evaluator, _DecisionParams, DefaultParamsReadable, DefaultParamsWritable):
    """A Spark ML ``Evaluator`` for the metrics that mean something under imbalance.

    ``metricName``:

    - ``"averagePrecision"``: exact, rank-based (:func:`average_precision`), from
      ``probabilityCol``;
    - ``"brier"``: mean :math:`(p - y)^2` of the positive class's probability;
    - ``"balancedAccuracy"``, ``"mcc"``, ``"gMean"``, ``"f1"`` (of ``posLabel``),
      ``"expectedCost"`` (mean of ``costMatrix[true][decided]``, classes in sorted order):
      from the decisions in ``predictionCol``, or with ``threshold`` set, from deciding
      ``posLabel`` where the positive probability is at least ``threshold`` (binary).

    It sits in a ``CrossValidator`` or ``TrainValidationSplit`` like Spark's evaluators
    (``isLargerBetter`` is False for ``brier`` and ``expectedCost``), and saves and loads.
    """

    metricName: "Param[str]" = Param(Params._dummy(), "metricName", "one of " + ", ".join(_METRICS),
                                     typeConverter=TypeConverters.toString)
    threshold: "Param[float]" = Param(Params._dummy(), "threshold", "decide posLabel where the positive "
                                      "probability is >= threshold (binary), instead of reading predictionCol",
                                      typeConverter=TypeConverters.toFloat)

    def __init__(self, *, metricName: str = "averagePrecision", labelCol: str = "label",
                 probabilityCol: str = "probability", predictionCol: str = "prediction", posLabel: float = 1.0,
                 threshold: float | None = None, costMatrix: list | None = None) -> None:
        super().__init__()
        self._setDefault(metricName="averagePrecision")
        given = dict(metricName=metricName, labelCol=labelCol, probabilityCol=probabilityCol,
                     predictionCol=predictionCol, posLabel=posLabel, threshold=threshold, costMatrix=costMatrix)
        self._set(**{name: value for name, value in given.items() if value is not None})

    def isLargerBetter(self) -> bool:
        return _METRICS[self.getOrDefault(self.metricName)]

    def _evaluate(self, dataset: DataFrame) -> float:
        metric = self.getOrDefault(self.metricName)
        if metric not in _METRICS:
            raise ParameterError(f"metricName must be one of {', '.join(_METRICS)}, got {metric!r}.")
        label, pos = self.getOrDefault(self.labelCol), self.getOrDefault(self.posLabel)
        check_frame(dataset, label)
        probability = self.getOrDefault(self.probabilityCol)
        if metric == "averagePrecision":
            return average_precision(dataset, label, probability, pos_label=pos)
        if metric == "brier":
            error = positive_score(dataset, probability) - _is_positive(label, pos)
            return float(dataset.agg(F.avg(error * error)).first()[0])
        if self.isDefined(self.threshold):
            at_least = positive_score(dataset, probability) >= F.lit(self.getOrDefault(self.threshold))
            negative = dataset.agg(F.min(F.when(F.col(label).cast("double") != pos, F.col(label)))).first()[0]
            decided = F.when(at_least, F.lit(pos)).otherwise(F.lit(0.0 if negative is None else float(negative)))
        else:
            decided = F.col(self.getOrDefault(self.predictionCol))
        matrix, classes = _confusion(dataset, label, decided)
        costs = self._costs(len(classes)) if metric == "expectedCost" else None
        positive = classes.index(float(pos)) if float(pos) in classes else None
        if metric == "f1" and positive is None:
            raise InputError(f"posLabel={pos} is neither a label nor a decision in the DataFrame.")
        return scores_from_confusion(matrix, metric, positive=positive, costs=costs)


class ThresholdTuner(Estimator, _DecisionParams, DefaultParamsReadable, DefaultParamsWritable):
    """Choose the decision threshold on the positive probability that maximises a metric
    (minimises ``expectedCost``), over every distinct score of the data it is fitted on.

    Fit it on out-of-fold or validation predictions (a probability column and the labels),
    not on the rows the model was trained on. Exact: the running counts of
    :func:`score_counts` give the confusion matrix of every threshold in one pass; ties go to
    the highest threshold. Binary labels (``posLabel`` and one other class).

    Parameters
    ----------
    metricName : {"f1", "balancedAccuracy", "mcc", "gMean", "expectedCost"}, default="f1"
    labelCol, probabilityCol, predictionCol, posLabel
    costMatrix : list of lists, optional
        ``[[TN cost, FP cost], [FN cost, TP cost]]`` (true class x decision) for ``expectedCost``.
    """

    metricName: "Param[str]" = Param(Params._dummy(), "metricName", "the metric to optimise: one of "
                                     + ", ".join(_TUNED), typeConverter=TypeConverters.toString)

    def __init__(self, *, metricName: str = "f1", labelCol: str = "label", probabilityCol: str = "probability",
                 predictionCol: str = "prediction", posLabel: float = 1.0, costMatrix: list | None = None) -> None:
        super().__init__()
        self._setDefault(metricName="f1")
        given = dict(metricName=metricName, labelCol=labelCol, probabilityCol=probabilityCol,
                     predictionCol=predictionCol, posLabel=posLabel, costMatrix=costMatrix)
        self._set(**{name: value for name, value in given.items() if value is not None})

    def _fit(self, dataset: DataFrame) -> "ThresholdModel":
        metric = self.getOrDefault(self.metricName)
        if metric not in _TUNED:
            raise ParameterError(f"metricName must be one of {', '.join(_TUNED)}, got {metric!r}.")
        label, pos = self.getOrDefault(self.labelCol), self.getOrDefault(self.posLabel)
        classes = sorted(r[0] for r in dataset.select(F.col(label).cast("double")).distinct().collect())
        if len(classes) != 2 or float(pos) not in classes:
            raise InputError(f"threshold tuning needs binary labels including posLabel={pos}; the label column "
                             f"{label!r} has {classes[:10]}.")
        negative = classes[1 - classes.index(float(pos))]
        counts, positives, rows = score_counts(dataset, label, self.getOrDefault(self.probabilityCol), pos_label=pos)
        tp = F.col("cum_tp").cast("double")
        fp = F.col("cum_n") - F.col("cum_tp")
        fn, tn = F.lit(float(positives)) - tp, F.lit(float(rows - positives)) - fp
        value = {
            "f1": 2 * tp / (2 * tp + fp + fn),
            "balancedAccuracy": (tp / positives + tn / (rows - positives)) / 2,
            "gMean": F.sqrt(tp / positives * tn / (rows - positives)),
            # 0 where a margin of the matrix is empty (ANSI mode refuses x / 0: try_divide gives null)
            "mcc": F.coalesce(F.try_divide(tp * tn - fp * fn, F.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))),
                              F.lit(0.0)),
        }
        if metric == "expectedCost":
            costs = self._costs(2)
            p, q = classes.index(float(pos)), 1 - classes.index(float(pos))
            value["expectedCost"] = -(tn * costs[q, q] + fp * costs[q, p] + fn * costs[p, q] + tp * costs[p, p]) / rows
        best = counts.orderBy(value[metric].desc(), F.col("s").desc()).select("s", value[metric].alias("v")).first()
        score = abs(best["v"]) if metric == "expectedCost" else best["v"]
        model = ThresholdModel(threshold=float(best["s"]), labelCol=label, probabilityCol=self.getOrDefault(
            self.probabilityCol), predictionCol=self.getOrDefault(self.predictionCol), posLabel=pos,
            negLabel=negative)
        model.score_ = float(score)
        return self._copyValues(model)


class ThresholdModel(Model, _DecisionParams, DefaultParamsReadable, DefaultParamsWritable):
    """Decide ``posLabel`` where the positive probability is at least ``threshold``, else
    ``negLabel``, into ``predictionCol`` (a double, like Spark's classifiers)."""

    threshold: "Param[float]" = Param(Params._dummy(), "threshold", "decide posLabel at >= threshold",
                                      typeConverter=TypeConverters.toFloat)
    negLabel: "Param[float]" = Param(Params._dummy(), "negLabel", "the other class's label",
                                     typeConverter=TypeConverters.toFloat)

    def __init__(self, *, threshold: float = 0.5, labelCol: str = "label", probabilityCol: str = "probability",
                 predictionCol: str = "prediction", posLabel: float = 1.0, negLabel: float = 0.0) -> None:
        super().__init__()
        self._set(threshold=threshold, labelCol=labelCol, probabilityCol=probabilityCol, predictionCol=predictionCol,
                  posLabel=posLabel, negLabel=negLabel)

    def _transform(self, dataset: DataFrame) -> DataFrame:
        at_least = positive_score(dataset, self.getOrDefault(self.probabilityCol)) >= F.lit(
            self.getOrDefault(self.threshold))
        decided = F.when(at_least, F.lit(self.getOrDefault(self.posLabel))).otherwise(
            F.lit(self.getOrDefault(self.negLabel)))
        return dataset.withColumn(self.getOrDefault(self.predictionCol), decided.cast("double"))


class PriorCorrection(Transformer, HasProbabilityCol, DefaultParamsReadable, DefaultParamsWritable):
    r"""Map probabilities learnt under one class prior to another (Saerens et al., 2002):

    .. math::

        p_c = \frac{p'_c\, \pi_c / \pi'_c}{\sum_k p'_k\, \pi_k / \pi'_k},

    for a model trained on resampled or weighted rows (prior :math:`\pi'`) and used where the
    classes have prior :math:`\pi` (:func:`imbalance.metrics.correct_prior` on a column). A
    probability vector stays a vector; a number column is the positive class's probability of
    two classes. Writes ``outputCol`` (default: ``probabilityCol`` itself, so the evaluators
    after it read the corrected probabilities).

    Parameters
    ----------
    trainPrior, truePrior : list of float
        Class shares (or counts) in training and in the population, classes in sorted order.
    probabilityCol : str, default="probability"
    outputCol : str, optional
    """

    trainPrior: "Param[list]" = Param(Params._dummy(), "trainPrior", "class shares in training",
                                      typeConverter=TypeConverters.toListFloat)
    truePrior: "Param[list]" = Param(Params._dummy(), "truePrior", "class shares in the population",
                                     typeConverter=TypeConverters.toListFloat)
    outputCol: "Param[str]" = Param(Params._dummy(), "outputCol", "where the corrected probabilities go",
                                    typeConverter=TypeConverters.toString)

    def __init__(self, *, trainPrior: list | None = None, truePrior: list | None = None,
                 probabilityCol: str = "probability", outputCol: str | None = None) -> None:
        super().__init__()
        self._setDefault(probabilityCol="probability")
        given = dict(trainPrior=trainPrior, truePrior=truePrior, probabilityCol=probabilityCol, outputCol=outputCol)
        self._set(**{name: value for name, value in given.items() if value is not None})

    def _ratios(self) -> np.ndarray:
        if not (self.isDefined(self.trainPrior) and self.isDefined(self.truePrior)):
            raise ParameterError("PriorCorrection needs trainPrior=[...] and truePrior=[...] (class shares or counts).")
        train = np.asarray(self.getOrDefault(self.trainPrior), dtype=np.float64)
        true = np.asarray(self.getOrDefault(self.truePrior), dtype=np.float64)
        if train.shape != true.shape or train.size < 2 or (train <= 0).any() or (true <= 0).any():
            raise ParameterError("trainPrior and truePrior must list the same classes (2 or more), each share > 0.")
        return (true / true.sum()) / (train / train.sum())

    def _transform(self, dataset: DataFrame) -> DataFrame:
        ratios = self._ratios()
        source = self.getOrDefault(self.probabilityCol)
        output = self.getOrDefault(self.outputCol) if self.isDefined(self.outputCol) else source
        if source not in dataset.columns:
            raise InputError(f"probability column {source!r} is not in the DataFrame.")
        if isinstance(dataset.schema[source].dataType, VectorUDT):
            weights = F.array(*[F.lit(float(r)) for r in ratios])
            scaled = F.zip_with(vector_to_array(F.col(source)), weights, lambda p, w: p * w)
            total = F.aggregate(scaled, F.lit(0.0), lambda acc, x: acc + x)
            return dataset.withColumn(output, array_to_vector(F.transform(scaled, lambda x: x / total)))
        if ratios.size != 2:
            raise ParameterError("a number column holds two classes' probabilities; give two shares per prior.")
        p = F.col(source).cast("double")
        positive = p * float(ratios[1])
        return dataset.withColumn(output, positive / (positive + (1 - p) * float(ratios[0])))
