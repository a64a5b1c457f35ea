r"""Balanced bagging and EasyEnsemble on Spark: members drawn by the planner, fitted on executors.

Every member trains on its own draw of the plan: class :math:`c` at :math:`t_c` rows (by
default every class at the minority's count). Member :math:`m` takes, in each class, the
:math:`t_c` rows with the smallest keys :math:`u_m(r)`, a 53-bit hash of the row's key (or of its
features) with the seed and :math:`m`, so the draws do not depend on partitioning and each is
exact. A row becomes a (row, member) pair only where its key falls below a band a little above
:math:`t_c / n_c` (eight standard deviations), so the draws cost about :math:`M \sum_c t_c` rows,
not :math:`M n`. A window per (member, class) keeps the :math:`t_c` smallest, and
``groupBy(member).applyInPandas`` fits each member on one executor (a member's rows must fit
there: the usual case, twice the minority). The fitted members come back to the driver; the
model scores with a pandas UDF that averages their probabilities, optionally mapped from the
members' training prior to the data's (Saerens et al. 2002).
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pyspark.ml import Estimator, Model
from pyspark.ml.functions import array_to_vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasLabelCol, HasPredictionCol, HasProbabilityCol, HasSeed
from pyspark.ml.util import DefaultParamsReader, DefaultParamsWriter, MLReadable, MLReader, MLWritable, MLWriter
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from sklearn.base import clone, is_classifier

from imbalance._validation import InputTypeError, ParameterError
from imbalance.metrics import correct_prior
from imbalance.planner import plan_from_counts
from imbalance.spark._columns import FeatureColumns, checked_counts, per_class, resolve_features, row_hash

__all__ = ["BalancedBagging", "BalancedBaggingModel", "member_draws"]

_MEMBER, _U = "__imbalance_member", "__imbalance_u"


def _member_key(seed: int, spec: FeatureColumns, key: str | None, member: Any) -> Any:
    """A uniform [0, 1) key per row for ``member`` (a column): 53 bits of a hash of the row's
    key (or features), the seed and the member."""
    hashed = F.xxhash64(row_hash(spec, key), F.lit(int(seed)), member)
    return hashed.bitwiseAND(F.lit((1 << 53) - 1)).cast("double") / float(1 << 53)


def member_draws(df: DataFrame, label_col: str, spec: FeatureColumns, counts: dict, targets: dict,
                 n_members: int, seed: int, key: str | None = None) -> DataFrame:
    """Every member's exact draw: ``df``'s rows with a ``__imbalance_member`` column, class
    ``c`` at ``targets[c]`` rows in every member (the rows with the smallest member keys)."""
    high = {}
    for c, t in targets.items():
        n = counts[c]
        high[c] = 2.0 if t >= n else min(1.0, (t + 8 * math.sqrt(t) + 10) / n)
    members = F.array(*[F.lit(m) for m in range(n_members)])
    limit = per_class(label_col, high, 0.0)
    paired = (df.withColumn(_MEMBER, F.explode(F.filter(members, lambda m: _member_key(seed, spec, key, m) < limit)))
              .withColumn(_U, _member_key(seed, spec, key, F.col(_MEMBER))))
    order = Window.partitionBy(_MEMBER, label_col).orderBy(_U, row_hash(spec, key))
    return (paired.withColumn("__rank", F.row_number().over(order))
            .filter(F.col("__rank") <= per_class(label_col, targets, 0)).drop("__rank", _U))


class _BaggingParams(HasLabelCol, HasProbabilityCol, HasPredictionCol, HasSeed):
    estimator: "Param[Any]" = Param(Params._dummy(), "estimator", "the scikit-learn classifier each member clones")
    nEstimators: "Param[int]" = Param(Params._dummy(), "nEstimators", "members", typeConverter=TypeConverters.toInt)
    ratio: "Param[float]" = Param(Params._dummy(), "ratio", "largest / smallest class in each member's draw",
                                  typeConverter=TypeConverters.toFloat)
    featureCols: "Param[list]" = Param(Params._dummy(), "featureCols", "numeric feature columns",
                                       typeConverter=TypeConverters.toListString)
    featuresCol: "Param[str]" = Param(Params._dummy(), "featuresCol", "one vector column of features",
                                      typeConverter=TypeConverters.toString)
    key: "Param[str]" = Param(Params._dummy(), "key", "a unique row-id column", typeConverter=TypeConverters.toString)
    prior: "Param[str]" = Param(Params._dummy(), "prior", "'train' (the members' balanced prior) or 'true' (the "
                                "data's class shares)", typeConverter=TypeConverters.toString)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(labelCol="label", probabilityCol="probability", predictionCol="prediction", seed=0,
                         nEstimators=10, ratio=1.0, prior="train")

    def _spec(self, df: DataFrame) -> FeatureColumns:
        label = self.getOrDefault(self.labelCol)
        key = self.getOrDefault(self.key) if self.isDefined(self.key) else None
        if self.isDefined(self.featuresCol):
            return resolve_features(df, label, self.getOrDefault(self.featuresCol), key)
        columns = self.getOrDefault(self.featureCols) if self.isDefined(self.featureCols) else None
        return resolve_features(df, label, columns, key)


class BalancedBagging(Estimator, _BaggingParams, MLReadable, MLWritable):
    """Balanced bagging on Spark: ``nEstimators`` clones of a scikit-learn classifier, each
    fitted on an executor on its own exact, class-balanced draw (see the module doc).

    With ``estimator=AdaBoostClassifier(...)`` this is EasyEnsemble (Liu, Wu and Zhou 2009);
    with a decision tree, balanced bagging. Members draw distinct rows (a class kept at its
    count is kept whole). The model's probabilities are the members' mean, for the members'
    prior (``prior="train"``) or mapped to the data's class shares (``prior="true"``).

    Parameters
    ----------
    estimator : scikit-learn classifier, default=DecisionTreeClassifier()
    nEstimators : int, default=10
    ratio : float, default=1.0
        Largest class / smallest class in every member's draw (the planner's ``"under"``).
    labelCol : str, default="label"
    featureCols : list of str, optional
        Numeric feature columns (default: every numeric column but the label and key).
    featuresCol : str, optional
        Or one vector (or array) column of features.
    key : str, optional
        A unique row-id column; the draws then depend on it and the seed only.
    seed : int, default=0
    prior : {"train", "true"}, default="train"
    probabilityCol, predictionCol : str
        The model's output columns (a probability vector in class order, the most probable
        class's label as a double).
    """

    def __init__(self, *, estimator: Any = None, nEstimators: int = 10, ratio: float = 1.0, labelCol: str = "label",
                 featureCols: Sequence[str] | None = None, featuresCol: str | None = None, key: str | None = None,
                 seed: int = 0, prior: str = "train", probabilityCol: str = "probability",
                 predictionCol: str = "prediction") -> None:
        super().__init__()
        given = dict(estimator=estimator, nEstimators=nEstimators, ratio=ratio, labelCol=labelCol,
                     featureCols=None if featureCols is None else list(featureCols), featuresCol=featuresCol,
                     key=key, seed=seed, prior=prior, probabilityCol=probabilityCol, predictionCol=predictionCol)
        self._set(**{name: value for name, value in given.items() if value is not None})

    def _fit(self, dataset: DataFrame) -> "BalancedBaggingModel":
        from sklearn.tree import DecisionTreeClassifier

        estimator = self.getOrDefault(self.estimator) if self.isDefined(self.estimator) else DecisionTreeClassifier()
        if not (hasattr(estimator, "get_params") and hasattr(estimator, "__sklearn_tags__")
                and is_classifier(estimator)):
            raise InputTypeError(f"estimator must be a scikit-learn classifier, got {type(estimator).__name__}.")
        n_members = self.getOrDefault(self.nEstimators)
        if n_members < 1:
            raise ParameterError(f"nEstimators must be a positive int, got {n_members}.")
        prior = self.getOrDefault(self.prior)
        if prior not in ("train", "true"):
            raise ParameterError(f"prior must be 'train' or 'true', got {prior!r}.")
        label, seed = self.getOrDefault(self.labelCol), self.getOrDefault(self.seed)
        key = self.getOrDefault(self.key) if self.isDefined(self.key) else None
        spec = self._spec(dataset)
        counts = checked_counts(dataset, label, spec)
        plan = plan_from_counts(counts, "under", ratio=self.getOrDefault(self.ratio))
        classes = list(counts)
        drawn = member_draws(dataset, label, spec, counts, plan.targets, n_members, seed, key)
        data = drawn.select(F.col(_MEMBER), F.col(label).alias("__y"), spec.as_array().alias("__x"))
        targets = {c: plan.targets[c] for c in classes}

        def fit_member(rows: pd.DataFrame) -> pd.DataFrame:
            member = int(rows[_MEMBER].iloc[0])
            y = rows["__y"].to_numpy()
            got = dict(zip(*np.unique(y, return_counts=True)))
            if any(got.get(c, 0) != t for c, t in targets.items()):  # the band missed (probability < 1e-15)
                raise RuntimeError(f"member {member} drew {got} rows instead of {targets}; fit again with another seed.")
            model = clone(estimator)
            if "random_state" in model.get_params():
                model.set_params(random_state=seed * 1000003 + member)
            model.fit(np.stack(rows["__x"].to_numpy()), y)
            return pd.DataFrame({"member": [member], "model": [pickle.dumps(model)]})

        fitted = data.groupBy(_MEMBER).applyInPandas(fit_member, "member int, model binary").collect()
        members = [pickle.loads(bytes(r["model"])) for r in sorted(fitted, key=lambda r: r["member"])]
        total = sum(counts.values())
        model = BalancedBaggingModel(members=members, classes=classes,
                                     trainPrior=[plan.targets[c] for c in classes],
                                     truePrior=[counts[c] / total for c in classes])
        model = self._copyValues(model)
        # The features read at fit time, not re-guessed from what the scored table holds.
        if spec.vector is not None:
            model._set(featuresCol=spec.vector)
        else:
            model._set(featureCols=list(spec.columns))
        return model

    def write(self) -> MLWriter:
        return _PickledWriter(self, ["estimator"])

    @classmethod
    def read(cls) -> MLReader:
        return _PickledReader(cls)


class BalancedBaggingModel(Model, _BaggingParams, MLReadable, MLWritable):
    """The fitted members; ``transform`` adds ``probabilityCol`` (a vector in class order) and
    ``predictionCol`` (the most probable class, as a double), scoring with a pandas UDF."""

    def __init__(self, *, members: list | None = None, classes: list | None = None,
                 trainPrior: list | None = None, truePrior: list | None = None) -> None:
        super().__init__()
        self.members = members or []
        self.classes = classes or []
        self.trainPrior = trainPrior or []
        self.truePrior = truePrior or []

    def _transform(self, dataset: DataFrame) -> DataFrame:
        members, n_classes = self.members, len(self.classes)
        positions = [[list(self.classes).index(c) for c in m.classes_] for m in members]
        correct = self.getOrDefault(self.prior) == "true"
        train, true = np.asarray(self.trainPrior, float), np.asarray(self.truePrior, float)

        @F.pandas_udf("array<double>")
        def score(x: pd.Series) -> pd.Series:
            if len(x) == 0:
                return pd.Series([], dtype=object)
            X = np.stack(x.to_numpy())
            proba = np.zeros((len(X), n_classes))
            for member, where in zip(members, positions):
                proba[:, where] += member.predict_proba(X)
            proba /= len(members)
            if correct:
                proba = correct_prior(proba, train, true)
            return pd.Series(list(proba))

        spec = self._spec(dataset)
        probability = score(spec.as_array())
        labels = F.array(*[F.lit(float(c)) for c in self.classes])
        scored = dataset.withColumn(self.getOrDefault(self.probabilityCol), array_to_vector(probability))
        best = F.array_position(probability, F.array_max(probability))
        return scored.withColumn(self.getOrDefault(self.predictionCol), F.element_at(labels, best.cast("int")))

    def write(self) -> MLWriter:
        return _PickledWriter(self, ["estimator"], extra=("members", "classes", "trainPrior", "truePrior"))

    @classmethod
    def read(cls) -> MLReader:
        return _PickledReader(cls, extra=("members", "classes", "trainPrior", "truePrior"))


class _PickledWriter(MLWriter):
    """Params as Spark ML metadata; the scikit-learn objects (the estimator, the members) as one
    row of pickled bytes written with the DataFrame writer, so any Spark file system serves."""

    def __init__(self, instance: Any, pickled_params: list, extra: tuple = ()) -> None:
        super().__init__()
        self.instance, self.pickled_params, self.extra = instance, pickled_params, extra

    def saveImpl(self, path: str) -> None:
        params = {p.name: v for p, v in self.instance._paramMap.items() if p.name not in self.pickled_params}
        DefaultParamsWriter.saveMetadata(self.instance, path, self.sparkSession, paramMap=params)
        objects = {name: self.instance.getOrDefault(getattr(self.instance, name)) for name in self.pickled_params
                   if self.instance.isDefined(getattr(self.instance, name))}
        objects.update({name: getattr(self.instance, name) for name in self.extra})
        self.sparkSession.createDataFrame([(pickle.dumps(objects),)], "objects binary").write.parquet(
            f"{path}/objects")


class _PickledReader(MLReader):
    def __init__(self, cls: type, extra: tuple = ()) -> None:
        super().__init__()
        self.cls, self.extra = cls, extra

    def load(self, path: str) -> Any:
        metadata = DefaultParamsReader.loadMetadata(path, self.sparkSession)
        objects = pickle.loads(bytes(self.sparkSession.read.parquet(f"{path}/objects").first()[0]))
        instance = self.cls(**{name: objects[name] for name in self.extra if name in objects})
        instance._resetUid(metadata["uid"])
        DefaultParamsReader.getAndSetParams(instance, metadata)
        if "estimator" in objects:
            instance._set(estimator=objects["estimator"])
        return instance
