"""``compare`` on a Spark table: the in-memory compare's cells, each carried out by Spark.

The table is read once into a checkpoint with a row id, the label's class code and one fold
column per repeat (:func:`imbalance.spark.stratified_folds`, keyed by the row id, or the
user's own fold column). Every cell then works on Spark, as a cell in memory does on
pandas:

1. the preprocessing of :func:`imbalance._engine.preprocessor` (median imputation, scaling
   for linear models, one-hot encoding) is fitted on the training part
   (:mod:`imbalance.spark._prep`; once per fold and kind of model, shared by the cells);
2. the recipe resamples the preprocessed training part with the Spark samplers
   (exact counts, keyed draws) or weights its classes;
3. the model is fitted: a scikit-learn model on one executor (``applyInPandas``, the
   usual case where the rebalanced training part fits one machine), or a Spark ML model
   with ``weightCol``;
4. the validation part is scored on the executors, and only its labels and probabilities
   come to the driver, where the in-memory compare's own scoring
   (:func:`imbalance._single_label.score_cell`) and result make the same table, answer and
   report.

The ``threshold`` recipe tunes its threshold on 3 inner folds of the training part, as in
memory. Cells run one after the other by default (Spark parallelises inside each);
``n_jobs`` runs several at once from threads of the driver.
"""

from __future__ import annotations

import inspect
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pyspark.ml.functions import array_to_vector, vector_to_array
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from sklearn.base import clone

from imbalance._engine import Cell, ComparisonResult, Problem, check_choices, check_metrics, check_n_jobs, run
from imbalance._registry import METHODS
from imbalance._single_label import (
    MODELS,
    SCALED_MODELS,
    check_smote_can_run,
    cost_array,
    metric_columns,
    score_cell,
    single_label_result,
)
from imbalance._validation import InputError, ParameterError, check_int, check_no_repeats
from imbalance.metrics import METRICS, Costs, correct_prior
from imbalance.model_selection import THRESHOLD_METRICS, best_threshold
from imbalance.spark._columns import check_frame, per_class
from imbalance.spark._prep import Preprocessing, fit_preprocessing, table_columns
from imbalance.spark._sampling import over_sample, stratified_folds, under_sample
from imbalance.spark._synth import adasyn, borderline_smote, smote, smote_nc
from imbalance.spark._undersampling import near_miss, tomek_links
from imbalance.strategies import SPARK_MODEL_NAMES, SPARK_STRATEGIES, STRATEGIES, Recipe, default_strategies
from imbalance.weights import weights_from_counts

__all__ = ["compare", "SparkProblem", "SPARK_MODELS", "SPARK_RECIPES", "SPARK_FUNCTIONS"]

_ROW, _Y, _X, _W, _FOLD = "__imbalance_row", "__imbalance_y", "__imbalance_x", "__imbalance_w", "__imbalance_fold_"


def _spark_logreg(seed: int) -> Any:
    from pyspark.ml.classification import LogisticRegression

    return LogisticRegression(maxIter=100, standardization=False)  # the features are standardised already


def _spark_random_forest(seed: int) -> Any:
    from pyspark.ml.classification import RandomForestClassifier

    return RandomForestClassifier(numTrees=50, maxDepth=10, minInstancesPerNode=2, seed=seed)


def _spark_gbt(seed: int) -> Any:
    from pyspark.ml.classification import GBTClassifier

    return GBTClassifier(maxIter=50, maxDepth=4, seed=seed)


#: Spark ML models, fitted with ``weightCol`` on the executors: ``name -> build(seed)``.
_SPARK_ML = dict(zip(SPARK_MODEL_NAMES, (_spark_logreg, _spark_random_forest, _spark_gbt)))
#: Every model a Spark compare crosses its recipes with: scikit-learn's (:data:`imbalance.comparison.MODELS`,
#: each fitted on one executor) and Spark ML's.
SPARK_MODELS: tuple[str, ...] = (*MODELS, *_SPARK_ML)
_SCALED = SCALED_MODELS | {"spark_logreg"}
_DEFAULT_MODELS = ("logreg", "spark_logreg")


#: The Spark samplers by name: what a registry method's ``spark`` names.
SPARK_FUNCTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (under_sample, over_sample, smote, smote_nc, borderline_smote, adasyn, near_miss,
                            tomek_links)}


def _resampled(recipe: Recipe, train: DataFrame, seed: int, k_neighbors: int) -> tuple[DataFrame, dict]:
    """``train`` (row id, class code, features) after the recipe's Spark sampler (the
    registry's ``spark`` function of its method), and the class counts of the result."""
    method = METHODS[recipe.resample]
    function = SPARK_FUNCTIONS[method.spark]
    offered = {"ratio": recipe.ratio, "seed": seed, "key": _ROW, "features": _X, "k_neighbors": k_neighbors,
               "synthetic_col": "__imbalance_synthetic", "parents_col": "__imbalance_parents"}
    accepted = inspect.signature(function).parameters
    kwargs = {name: value for name, value in offered.items() if name in accepted}
    out, plan = function(train, _Y, **kwargs, **dict(method.params), return_plan=True)
    return out.select(_ROW, _Y, _X), dict(plan.targets)


#: The recipes of :data:`imbalance.strategies.STRATEGIES` a Spark compare runs (see
#: :data:`imbalance.strategies.SPARK_STRATEGIES`).
SPARK_RECIPES: dict[str, Recipe] = {name: STRATEGIES[name] for name in SPARK_STRATEGIES}


class _Fitted:
    """A fitted model that scores a DataFrame of (row id, class code, features) on the
    executors: a column of class probabilities, ``array<double>`` in class-code order."""

    def __init__(self, name: str, model: Any, n_classes: int) -> None:
        self.name, self.model, self.n_classes = name, model, n_classes

    def probabilities(self, df: DataFrame) -> DataFrame:
        if self.name in _SPARK_ML:
            scored = self.model.transform(df.withColumn("__features", array_to_vector(_X)))
            return scored.select(_ROW, _Y, vector_to_array("probability").alias("__p"))
        model, n_classes = self.model, self.n_classes
        positions = np.asarray(model.classes_, dtype=np.int64)

        @F.pandas_udf("array<double>")
        def score(x: pd.Series) -> pd.Series:
            if len(x) == 0:
                return pd.Series([], dtype=object)
            proba = np.zeros((len(x), n_classes))
            proba[:, positions] = model.predict_proba(np.stack(x.to_numpy()))
            return pd.Series(list(proba))

        return df.select(_ROW, _Y, score(F.col(_X)).alias("__p"))


def _fit(name: str, fit: DataFrame, weights: dict | None, seed: int, n_classes: int) -> _Fitted:
    """Fit model ``name`` on ``fit`` (rows weighted by class with ``weights``)."""
    if weights is not None:
        fit = fit.withColumn(_W, per_class(_Y, weights, 1.0).cast("double"))
    if name in _SPARK_ML:
        estimator = _SPARK_ML[name](seed).setFeaturesCol("__features").setLabelCol("__label")
        if weights is not None:
            estimator = estimator.setWeightCol(_W)
        data = fit.withColumn("__features", array_to_vector(_X)).withColumn("__label", F.col(_Y).cast("double"))
        return _Fitted(name, estimator.fit(data), n_classes)
    model = MODELS[name](pd.DataFrame({"x": [0.0]}), seed).steps[-1][1]  # the model; preprocessing is done
    weighted = weights is not None

    def fit_here(rows: pd.DataFrame) -> pd.DataFrame:
        X = np.stack(rows[_X].to_numpy())
        # The rows in an order of their own (row id, then features: synthetic rows have no id),
        # not the order they arrived in: a solver's result depends on it in its last digits.
        ids = rows[_ROW].to_numpy(np.float64, na_value=np.inf)
        order = np.lexsort((*X.T[::-1], ids))
        extra = {"sample_weight": rows[_W].to_numpy()[order]} if weighted else {}
        fitted = clone(model).fit(X[order], rows[_Y].to_numpy()[order], **extra)
        return pd.DataFrame({"model": [pickle.dumps(fitted)]})

    columns = [_ROW, _X, _Y] + ([_W] if weighted else [])
    row = fit.select(*columns).groupBy(F.lit(0).alias("__one")).applyInPandas(fit_here, "model binary").first()
    return _Fitted(name, pickle.loads(bytes(row["model"])), n_classes)


def _collected(df: DataFrame, n_classes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row ids, class codes and probabilities (n, K) of a scored part, in row-id order."""
    table = df.toPandas().sort_values(_ROW, kind="stable")
    proba = np.stack(table["__p"].to_numpy()) if len(table) else np.zeros((0, n_classes))
    return table[_ROW].to_numpy(np.int64), table[_Y].to_numpy(np.int64), proba


class SparkProblem(Problem):
    """One label column of a Spark DataFrame: the problem :func:`imbalance.spark.compare`
    runs. Validates its arguments, checkpoints the table with its folds and counts every
    training part's classes on construction; the engine then runs the cells from threads of
    the driver (a DataFrame cannot be sent to worker processes)."""

    recipes = SPARK_RECIPES
    prefer = "threads"

    def __init__(self, df: DataFrame, label_col: str, recipes: Iterable[str] | None, models: Iterable[str] | None, *,
                 features: str | Sequence[str] | None, n_folds: int, n_repeats: int, fold_col: str | None,
                 metrics: Iterable[str] | None, random_state: int, k_neighbors: int, costs: Costs | None,
                 threshold_metric: str, key: str | None = None) -> None:
        # Every check of the arguments alone comes first: a wrong name costs no Spark job.
        check_frame(df, label_col)
        check_int("n_folds", n_folds, low=2)
        check_int("n_repeats", n_repeats)
        check_int("k_neighbors", k_neighbors)
        check_int("random_state", random_state, low=0)
        for what, column in (("fold", fold_col), ("key", key)):
            if column is not None and column not in df.columns:
                raise InputError(f"{what} column {column!r} is not in the DataFrame; its columns are: "
                                 f"{', '.join(df.columns)}.")
        if threshold_metric not in THRESHOLD_METRICS:
            raise ParameterError(f"threshold_metric must be one of {', '.join(THRESHOLD_METRICS)}, got "
                                 f"{threshold_metric!r}.")
        model_names = list(_DEFAULT_MODELS if models is None else models)
        for name in [] if recipes is None else recipes:
            if name in STRATEGIES and name not in SPARK_RECIPES:
                raise ParameterError(f"recipe {name!r} does not run on Spark; choose from {', '.join(SPARK_RECIPES)} "
                                     "(or compare a sample in memory).")
        self.metrics = list(METRICS) if metrics is None else list(metrics)
        check_metrics(self.metrics, METRICS)
        self.columns = table_columns(df, label_col, features, exclude=[c for c in (fold_col, key) if c is not None])

        counts = {r[0]: int(r[1]) for r in df.groupBy(label_col).count().collect()}
        if None in counts:
            raise InputError(f"label column {label_col!r} has {counts[None]} missing value(s); drop or fill them first.")
        if len(counts) < 2:
            raise InputError(f"label column {label_col!r} has {len(counts)} class(es); compare needs at least two.")
        classes = sorted(counts)
        if len(classes) == 2 and counts[classes[1]] > counts[classes[0]]:
            classes = classes[::-1]  # binary metrics score the positive class: make it the minority
        self.classes, self.k = np.asarray(classes), len(classes)
        chosen = [n for n in default_strategies(self.k) if n in SPARK_RECIPES] if recipes is None else list(recipes)
        check_choices(SPARK_RECIPES, chosen, dict.fromkeys(SPARK_MODELS), model_names)
        for what, names in (("recipes", chosen), ("models", model_names), ("metrics", self.metrics)):
            check_no_repeats(what, names)
        if self.k > 2 and [n for n in chosen if SPARK_RECIPES[n].binary_only]:
            raise ParameterError(f"the 'threshold' recipe is for binary labels and these have {self.k} classes; "
                                 "leave it out.")
        if self.k > 2 and "spark_gbt" in model_names:
            raise ParameterError(f"spark_gbt is Spark ML's binary GBTClassifier and the labels have {self.k} classes; "
                                 "choose spark_random_forest or spark_logreg.")
        self.chosen, self.model_names = chosen, model_names
        self.random_state, self.k_neighbors, self.threshold_metric = random_state, k_neighbors, threshold_metric
        if isinstance(costs, dict) and any(np.ndim(value) for value in costs.values()):
            raise ParameterError("costs per row are not available on Spark; give one number for FN and one for FP, "
                                 "or a (K, K) matrix.")
        self.costs = None if costs is None else cost_array(costs, np.asarray(sorted(counts)), self.classes, 1)[0]
        self.n_rows = sum(counts.values())

        self.table, self.fold_values = self._checkpoint(df, label_col, fold_col, key, n_folds, n_repeats)
        self.n_repeats = 1 if fold_col is not None else n_repeats
        self.n_folds = len(self.fold_values)
        self.splits = [(None, None)] * (self.n_folds * self.n_repeats)
        self.train_counts = self._train_counts(np.array([counts[c] for c in classes], np.int64))
        for name in chosen:
            if SPARK_RECIPES[name].resample is not None and METHODS[SPARK_RECIPES[name].resample].interpolates:
                check_smote_can_run([c for rows in self.train_counts for c in rows], self.classes,
                                    SPARK_RECIPES[name].ratio, k_neighbors, name)
        self._lock = threading.Lock()
        self._prepared: dict[tuple[int, int, bool], Preprocessing] = {}

    def _checkpoint(self, df: DataFrame, label_col: str, fold_col: str | None, key: str | None, n_folds: int,
                    n_repeats: int) -> tuple[DataFrame, list]:
        """The table the cells read, checkpointed: a row id, the class code, the feature
        columns and a fold column per repeat; and the fold values.

        The row id is a 64-bit hash of ``key`` where there is one, so that folds, draws and
        the order rows are fitted in depend on the rows alone, not on the partitioning; else
        the row's position (``monotonically_increasing_id``: the same table, partitioned the
        same, gets the same ids)."""
        codes = {c: i for i, c in enumerate(self.classes.tolist())}
        folds = [F.col(fold_col).alias(f"{_FOLD}0")] if fold_col is not None else []
        row_id = F.xxhash64(F.col(key)) if key is not None else F.monotonically_increasing_id()
        base = df.select(row_id.alias(_ROW), per_class(label_col, codes, None).alias(_Y),
                         *self.columns.sources, *folds)
        if fold_col is not None:
            values = [r[0] for r in df.select(fold_col).distinct().collect()]
            if None in values or len(values) < 2:
                raise InputError(f"fold column {fold_col!r} must name at least two folds and have no missing value.")
            return base.localCheckpoint(), sorted(values)
        for r in range(n_repeats):
            # keyed by the row id, so a fold does not move when Spark evaluates the table again
            base = stratified_folds(base, _Y, k=n_folds, seed=self.random_state + r, key=_ROW,
                                    output_col=f"{_FOLD}{r}")
        return base.localCheckpoint(), list(range(n_folds))

    def _train_counts(self, totals: np.ndarray) -> list[list[np.ndarray]]:
        """Rows per class code of every training part, ``[repeat][fold]``, from one aggregation."""
        fold_columns = [f"{_FOLD}{r}" for r in range(self.n_repeats)]
        per_fold = self.table.groupBy(*fold_columns, _Y).count().collect()
        out = []
        for column in fold_columns:
            rows = []
            for value in self.fold_values:
                held = np.zeros(self.k, np.int64)
                for row in per_fold:
                    if row[column] == value:
                        held[row[_Y]] += row["count"]
                rows.append(totals - held)
            out.append(rows)
        return out

    def close(self) -> None:
        """Let go of the checkpointed table."""
        self.table.unpersist()

    def _parts(self, cell: Cell, model: str) -> tuple[DataFrame, DataFrame]:
        """The cell's training and validation parts, preprocessed as ``model`` needs:
        (row id, class code, features)."""
        fold = F.col(f"{_FOLD}{cell.repeat}")
        value = F.lit(self.fold_values[cell.fold])
        key = (cell.repeat, cell.fold, model in _SCALED)
        with self._lock:
            prep = self._prepared.get(key)
        if prep is None:
            prep = fit_preprocessing(self.table.filter(fold != value), self.columns, scale=key[2])
            with self._lock:
                self._prepared[key] = prep
        features = prep.features().alias(_X)
        return (self.table.filter(fold != value).select(_ROW, _Y, features),
                self.table.filter(fold == value).select(_ROW, _Y, features))

    def _tuned_threshold(self, cell: Cell, train: DataFrame) -> float:
        """The threshold best for ``threshold_metric`` on 3 inner folds of the training part
        (the model as is, without rebalancing), as :class:`ThresholdTunedClassifier` does."""
        seed = self.seed(cell)
        inner = stratified_folds(train, _Y, k=3, seed=seed, key=_ROW, output_col="__inner").localCheckpoint()
        ys, scores = [], []
        for i in range(3):
            fitted = _fit(cell.model, inner.filter(F.col("__inner") != i).drop("__inner"), None, seed, self.k)
            _, y, proba = _collected(fitted.probabilities(inner.filter(F.col("__inner") == i)), self.k)
            ys.append(y)
            scores.append(proba[:, 1])
        inner.unpersist()
        return float(best_threshold(np.concatenate(ys), np.concatenate(scores), metric=self.threshold_metric)[0])

    def fit_cell(self, cell: Cell, tuned: Recipe | None) -> list[tuple[dict, np.ndarray, np.ndarray, dict]]:
        """Fit one cell on Spark and score its validation part on the driver (see
        :meth:`imbalance._single_label.SingleLabelProblem.fit_cell`; ``tuned``: the
        ``threshold`` recipe scored from the same fit)."""
        recipe, seed, k = cell.recipe, self.seed(cell), self.k
        start = time.perf_counter()
        train, test = self._parts(cell, cell.model)
        train_counts = self.train_counts[cell.repeat][cell.fold]
        if recipe.resample is None:
            fit, fit_counts = train, train_counts.astype(np.float64)
        else:
            fit, targets = _resampled(recipe, train, seed, self.k_neighbors)
            fit_counts = np.array([targets.get(c, 0) for c in range(k)], np.float64)
            if (fit_counts == 0).any():
                raise InputError(f"recipe {recipe.name!r} left a class without rows.")
        weights = None
        if recipe.class_weight:
            weights = dict(enumerate(weights_from_counts(fit_counts, "balanced").tolist()))
        fitted = _fit(cell.model, fit, weights, seed, k)
        rows, y_test, proba = _collected(fitted.probabilities(test), k)
        prior = fit_counts * (np.array([weights[c] for c in range(k)]) if weights else 1.0)
        corrected = correct_prior(proba, prior / prior.sum(), train_counts / train_counts.sum())
        threshold = self._tuned_threshold(cell, train) if recipe.tune_threshold else 0.5
        fitted_in = time.perf_counter() - start
        if k == 2:
            proba, corrected = proba[:, 1], corrected[:, 1]
        costs = None if self.costs is None else np.broadcast_to(self.costs, (len(rows), k, k))
        n_train, n_fit = int(train_counts.sum()), int(fit_counts.sum())

        def scored(name: str, threshold: float, seconds: float) -> dict:
            return score_cell(cell, name, y_test, proba, corrected, threshold, n_train=n_train, n_fit=n_fit,
                              seconds=seconds, costs=costs)

        mapped = {"y_true": y_test, "corrected": corrected}
        out = [(scored(recipe.name, threshold, fitted_in), rows, proba, mapped)]
        if tuned is not None:
            start = time.perf_counter()
            threshold = self._tuned_threshold(cell, train)
            out.append((scored(tuned.name, threshold, fitted_in + time.perf_counter() - start), rows, proba, mapped))
        return out

    def collect(self, outputs: list, left_out: dict[tuple[str, str], str]) -> ComparisonResult:
        costs = None if self.costs is None else np.broadcast_to(self.costs, (self.n_rows, self.k, self.k))
        columns = metric_columns(self.metrics, self.k, with_costs=self.costs is not None)
        return single_label_result(outputs, left_out, classes=self.classes, metrics=self.metrics, columns=columns,
                                   costs=costs)


def compare(df: DataFrame, label_col: str = "label", recipes: Iterable[str] | None = None,
            models: Iterable[str] | None = None, *, features: str | Sequence[str] | None = None, n_folds: int = 5,
            n_repeats: int = 1, fold_col: str | None = None, key: str | None = None,
            metrics: Iterable[str] | None = None,
            random_state: int = 0, k_neighbors: int = 5, costs: Costs | None = None, threshold_metric: str = "f1",
            n_jobs: int | None = None, progress: Callable[[int, int], None] | None = None) -> ComparisonResult:
    """Score every recipe with every model on the same leak-free folds of a Spark DataFrame.

    The Spark twin of :func:`imbalance.compare`: the same cells, the same
    :class:`~imbalance.comparison.ComparisonResult` (so :func:`imbalance.answer.answer`, the
    terminal tables and :func:`imbalance.report.write_report` take it as they are), with the
    preprocessing, the resampling and the fitting done by Spark (see the module's
    documentation). Only each validation part's labels and probabilities reach the driver.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The table: a label column and features (numbers, booleans, strings; or one vector
        column named by ``features``).
    label_col : str, default="label"
        The label column (binary or multi-class; for binary labels the minority class is the
        positive one).
    recipes : iterable of str, optional
        Names from :data:`imbalance.strategies.SPARK_STRATEGIES`: ``none``, ``class_weight``, ``under_1:1``,
        ``under_3:1``, ``over``, ``smote``, ``nearmiss1``, ``tomek``, ``threshold``. Default:
        the default ones among them.
    models : iterable of str, optional
        Names from :data:`imbalance.strategies.MODEL_NAMES` and
        :data:`imbalance.strategies.SPARK_MODEL_NAMES`: scikit-learn's ``logreg``, ``random_forest``,
        ``hist_gb`` (each fitted on one executor, with the rebalanced training part in its
        memory) and Spark ML's ``spark_logreg``, ``spark_random_forest``, ``spark_gbt``
        (binary), fitted with ``weightCol``. Default: ``logreg`` and ``spark_logreg``.
    features : str or list of str, optional
        The feature columns (default: every column but the label and ``fold_col``).
    n_folds, n_repeats : int, default=5, 1
        Stratified folds (exact per class, keyed by row), repeated with seeds
        ``random_state + repeat``.
    fold_col : str, optional
        A column of fold numbers to use instead (one repeat): e.g. the folds of another
        comparison, or groups that must not be split.
    key : str, optional
        A column that identifies rows (unique): folds, draws and the order rows are fitted in
        then follow its hash, so the table is the same however the DataFrame is partitioned.
        Without it they follow the rows' positions: the same DataFrame, the same table.
    metrics : iterable of str, optional
        Columns of ``summary`` (default: every metric of :data:`imbalance.metrics.METRICS`).
    random_state : int, default=0
        Seeds the folds, the resampling and the models: same seed, same table.
    k_neighbors : int, default=5
        Neighbours of the ``smote`` recipe, checked against every training part before any
        fitting.
    costs : dict or array, optional
        ``{"FN": a, "FP": b}`` (binary) or a (K, K) matrix in the order of the sorted labels:
        adds ``cost`` and ``cost_at_threshold`` as in :func:`imbalance.compare` (the same
        costs for every row).
    threshold_metric : {"f1", "mcc", "balanced_accuracy"}, default="f1"
        What the ``threshold`` recipe tunes for.
    n_jobs : int, optional
        Cells run at once, from threads of the driver (default 1: Spark parallelises each).
    progress : callable(done, total), optional
        Called after each finished cell.

    Returns
    -------
    ComparisonResult
    """
    check_n_jobs(n_jobs)
    problem = SparkProblem(df, label_col, recipes, models, features=features, n_folds=n_folds, n_repeats=n_repeats,
                           fold_col=fold_col, metrics=metrics, random_state=random_state, k_neighbors=k_neighbors,
                           costs=costs, threshold_metric=threshold_metric, key=key)
    try:
        return run(problem, n_jobs or 1, progress)
    finally:
        problem.close()
