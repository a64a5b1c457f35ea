"""Compare on one label column (binary or multi-class): the single-label :class:`~imbalance._engine.Problem`.

Each cell fits ``Pipeline(preprocessing, PriorCorrectedClassifier(model, sampler,
class_weight))`` on its training part: the preprocessing (imputation, scaling, one-hot
encoding) is fitted on it as it is, the recipe resamples or re-weights the preprocessed
features, and the validation rows are scored as they are. Probabilities of models trained
under a changed class prior (resampling, class weights) are also mapped back to the true
prior (:func:`imbalance.metrics.correct_prior`) and scored again (``brier_corrected``,
``log_loss_corrected``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier

from imbalance._engine import (
    Cell,
    ComparisonResult,
    Problem,
    check_choices,
    check_metrics,
    pool_folds,
    preprocessor,
    summarise,
)
from imbalance._labels import encode_labels
from imbalance._registry import METHODS
from imbalance._validation import (
    ParameterError,
    check_int,
    check_no_repeats,
    check_same_length,
    feature_frame,
    fmt_label,
)
from imbalance.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from imbalance.metrics import (
    DECISION_SHARES,
    METRICS,
    Costs,
    bayes_decisions,
    cost_matrices,
    decision_counts,
    evaluate,
    expected_cost,
)
from imbalance.model_selection import (
    CALIBRATION_METHODS,
    THRESHOLD_METRICS,
    FoldPlan,
    PriorCorrectedClassifier,
    ProbabilityCalibrator,
    ThresholdTunedClassifier,
    operating_threshold,
    out_of_fold_proba,
    parse_operating_point,
    precision_recall_at,
    top_k_decisions,
)
from imbalance.strategies import (
    MODEL_NAMES,
    STRATEGIES,
    Recipe,
    default_strategies,
)
from imbalance.tables import make_sampler

__all__ = ["SingleLabelProblem", "MODELS", "SCALED_MODELS", "cell_model", "inner_probabilities", "score_cell",
           "single_label_result", "check_smote_can_run", "cost_array", "metric_columns"]


def _logreg(X: pd.DataFrame, seed: int) -> Pipeline:
    return Pipeline([("prep", preprocessor(X, scale=True)), ("model", LogisticRegression(max_iter=2000))])


def _random_forest(X: pd.DataFrame, seed: int) -> Pipeline:
    return Pipeline([
        ("prep", preprocessor(X, scale=False)),
        ("model", RandomForestClassifier(n_estimators=100, min_samples_leaf=2, random_state=seed, n_jobs=1)),
    ])


def _gradient_boosting(X: pd.DataFrame, seed: int) -> Pipeline:
    return Pipeline([("prep", preprocessor(X, scale=False)), ("model", HistGradientBoostingClassifier(random_state=seed))])


def _mlp(X: pd.DataFrame, seed: int) -> Pipeline:
    from imbalance.torch.estimator import MLPClassifier

    return Pipeline([("prep", preprocessor(X, scale=True)),
                     ("model", MLPClassifier((64,), epochs=20, batch_size=256, random_state=seed))])


def _balanced_ensemble(make: Callable[[int], Any]) -> Callable[[pd.DataFrame, int], Pipeline]:
    """A balanced ensemble of :mod:`imbalance.ensemble` after the tree preprocessing."""
    return lambda X, seed: Pipeline([("prep", preprocessor(X, scale=False)), ("model", make(seed))])


#: Models every strategy is crossed with (``mlp`` only serves the MLP strategies).
MODELS: dict[str, Callable[[pd.DataFrame, int], Pipeline]] = dict(
    zip(MODEL_NAMES, (_logreg, _random_forest, _gradient_boosting))
)
#: The models whose preprocessing standardises the numeric columns (the others are trees):
#: a backend that preprocesses outside the model's pipeline (Spark) scales for these only.
SCALED_MODELS = frozenset({"logreg", "mlp"})
#: Models a strategy of their own fits (each balances itself, so its strategy does nothing else).
_PINNED_MODELS = {
    "mlp": _mlp,
    "balanced_rf": _balanced_ensemble(lambda seed: BalancedRandomForestClassifier(
        100, min_samples_leaf=2, random_state=seed, n_jobs=1)),
    "easy_ensemble": _balanced_ensemble(lambda seed: EasyEnsembleClassifier(10, random_state=seed, n_jobs=1)),
    "balanced_bagging": _balanced_ensemble(lambda seed: BalancedBaggingClassifier(
        n_estimators=50, random_state=seed, n_jobs=1)),
    "rusboost": _balanced_ensemble(lambda seed: RUSBoostClassifier(
        DecisionTreeClassifier(max_depth=3), n_estimators=50, random_state=seed)),
}


def _sampler(recipe: Recipe, seed: int, k_neighbors: int) -> Any:
    """The recipe's resampling step, run on the preprocessed training features."""
    if recipe.resample is None:
        return None
    return make_sampler(recipe.resample, ratio=recipe.ratio, random_state=seed, k_neighbors=k_neighbors)


def cell_model(X: pd.DataFrame, recipe: Recipe, model_name: str, seed: int, *, k_neighbors: int = 5,
               threshold_metric: str = "f1") -> Any:
    """The estimator one cell fits, built from :mod:`imbalance.model_selection`'s pieces.

    ``Pipeline(preprocessing, PriorCorrectedClassifier(model, sampler, class_weight))``: the
    preprocessing is fitted on the training part as it is, the recipe's sampler (or class
    weights) rebalances the preprocessed features, and probabilities come back for the true
    prior. The ``threshold`` recipe wraps it all in a :class:`ThresholdTunedClassifier` that
    tunes for ``threshold_metric`` (``"f1"``, ``"mcc"`` or ``"balanced_accuracy"``).
    """
    prep, head = {**MODELS, **_PINNED_MODELS}[model_name](X, seed).steps
    if recipe.model_params:
        head[1].set_params(**dict(recipe.model_params))
    corrected = PriorCorrectedClassifier(
        head[1], sampler=_sampler(recipe, seed, k_neighbors), class_weight="balanced" if recipe.class_weight else None,
        train_prior="balanced" if recipe.balanced_prior else None,
    )
    model = Pipeline([prep, ("model", corrected)])
    if recipe.tune_threshold:
        return ThresholdTunedClassifier(model, metric=threshold_metric, cv=3, random_state=seed)
    return model


def inner_probabilities(X: pd.DataFrame, y: np.ndarray, recipe: Recipe, model_name: str, seed: int, *,
                        k_neighbors: int = 5, template: pd.DataFrame | None = None) -> np.ndarray:
    """Out-of-fold probabilities of the training data ``X, y`` (class codes), from 3 inner
    folds of the same recipe (rebalanced inside, the threshold left untuned), as the model
    gives them: what calibration maps and operating points are fitted on, never a validation
    part. The positive class's column alone for two classes. ``template``: the table the
    preprocessing is built from (default ``X``)."""
    base = cell_model(X if template is None else template, replace(recipe, tune_threshold=False), model_name, seed,
                      k_neighbors=k_neighbors)
    oof = out_of_fold_proba(base, X, y, cv=3, random_state=seed,
                            proba=lambda fitted, part: fitted[-1].predict_proba_uncorrected(fitted[:-1].transform(part)))
    return oof[:, 1] if oof.shape[1] == 2 else oof


def _calibrated_scores(oof, y_train, test_proba, y_test, methods: tuple, threshold: float) -> tuple[dict, dict]:
    """Brier, log loss and ECE of the validation probabilities after each calibration map,
    and those probabilities (method -> array)."""
    out, mapped = {}, {}
    for method in methods:
        calibrated = mapped[method] = ProbabilityCalibrator(method).fit(oof, y_train).transform(test_proba)
        scored = evaluate(y_test, calibrated, threshold=threshold)
        out.update({f"brier_{method}": scored["brier"], f"log_loss_{method}": scored["log_loss"],
                    f"ece_{method}": scored["ece"]})
    return out, mapped


def _operating_scores(oof, y_train, test_proba, y_test, points: tuple) -> dict:
    """Precision and recall on the validation part at each operating point: thresholds chosen
    on the training part's out-of-fold probabilities; ``top`` flags the batch's highest."""
    out = {}
    for spec in points:
        kind, value = parse_operating_point(spec)
        if kind == "top":
            decided = top_k_decisions(test_proba, value)
        else:
            decided = test_proba >= operating_threshold(y_train, oof, kind, value)
        out[f"{spec}:precision"], out[f"{spec}:recall"] = precision_recall_at(y_test, decided)
    return out


def cost_array(costs: Costs, sorted_classes: np.ndarray, classes: np.ndarray, n: int) -> np.ndarray:
    """``compare``'s ``costs`` as (n, K, K), rows and columns in the order of ``classes``
    (for binary labels the minority, positive class last); ``sorted_classes``: the labels in
    sorted order, the order of a (K, K) matrix given."""
    k = classes.size
    if isinstance(costs, dict):
        if k != 2 or set(costs) != {"FN", "FP"}:
            raise ParameterError("costs as a dict take two classes and exactly the keys 'FN' and 'FP', e.g. "
                                 "{'FN': 20, 'FP': 1}; for more classes give a (K, K) matrix.")
        fn = np.broadcast_to(np.asarray(costs["FN"], dtype=np.float64), (n,))
        matrix = np.zeros((n, 2, 2))
        matrix[:, 0, 1] = float(costs["FP"])
        matrix[:, 1, 0] = fn
        return cost_matrices(matrix, n, 2)
    matrix = np.asarray(costs, dtype=np.float64)
    if matrix.shape != (k, k):
        raise ParameterError(f"costs must be a ({k}, {k}) matrix, true class by decision, in the order of the "
                             f"sorted labels {list(sorted_classes)}; got shape {matrix.shape}.")
    order = [int(np.flatnonzero(sorted_classes == c)[0]) for c in classes]
    return cost_matrices(matrix[np.ix_(order, order)], n, k)


def check_smote_can_run(train_counts: list[np.ndarray], classes: np.ndarray, ratio: float, k_neighbors: int,
                        name: str = "smote") -> None:
    """Before any fitting: every class SMOTE over-samples has more than ``k_neighbors`` rows
    in every training part (``train_counts``: rows per class code of each training part),
    else it would fail in the middle of the run."""
    from imbalance.planner import plan_from_counts

    worst = None  # (rows, class code, fold number)
    for number, counts in enumerate(train_counts, start=1):
        if (counts == 0).any():
            continue  # a class missing from a training part is reported by the folds themselves
        grown = plan_from_counts(dict(enumerate(counts.tolist())), "over", ratio=ratio).target_array > counts
        for code in np.flatnonzero(grown & (counts <= k_neighbors)):
            if worst is None or counts[code] < worst[0]:
                worst = (int(counts[code]), int(code), number)
    if worst is not None:
        rows, code, number = worst
        fix = (f"lower k_neighbors (--k-neighbors on the command line) to at most {rows - 1}, "
               if rows > 1 else "")
        raise ParameterError(
            f"strategy {name!r} needs at least k_neighbors + 1 = {k_neighbors + 1} rows of every class it "
            f"over-samples in each training part, but class {fmt_label(classes[code])} has only {rows} in "
            f"training part {number}; {fix}use fewer folds, or leave {name!r} out of the strategies."
        )


class SingleLabelProblem(Problem):
    """One label column, binary or multi-class: the problem :func:`imbalance.compare` runs
    for a 1-D target. Validates every argument and chooses the folds on construction (the
    parameters are :func:`imbalance.compare`'s); the engine then fits its cells."""

    recipes = STRATEGIES

    def __init__(self, X: ArrayLike, y: ArrayLike, strategies: Iterable[str] | None = None, models: Iterable[str] | None = None,
                 cv: Any = None, metrics: Iterable[str] | None = None, *, random_state: int = 0,
                 k_neighbors: int = 5, calibration: Iterable[str] | None = None, costs: Costs | None = None,
                 operating_points: Iterable[str] | None = None, threshold_metric: str = "f1") -> None:
        self.frame = feature_frame(X)
        labels = encode_labels(y)
        check_same_length(labels.n_samples, X=self.frame)
        codes = labels.codes.astype(np.int64)
        k = labels.classes.size
        classes = labels.classes
        if k == 2 and labels.counts[1] > labels.counts[0]:
            # Binary metrics score the positive class: make it the minority, whatever its label.
            codes, classes = 1 - codes, classes[::-1]
        self.codes, self.classes, self.k = codes, classes, k
        chosen = default_strategies(k) if strategies is None else list(strategies)
        model_names = list(MODELS) if models is None else list(models)
        check_choices(STRATEGIES, chosen, MODELS, model_names)
        calibration, operating_points = tuple(calibration or ()), tuple(operating_points or ())
        for what, names in (("strategies", chosen), ("models", model_names), ("metrics", metrics or ()),
                            ("calibration", calibration), ("operating_points", operating_points)):
            check_no_repeats(what, names)
        binary_only = [name for name in chosen if STRATEGIES[name].binary_only]
        if k > 2 and binary_only:
            raise ParameterError(
                f"the {binary_only[0]!r} strategy is for binary labels and these have {k} classes; leave it out "
                "(the default set does so by itself)."
            )
        wanted = list(METRICS) if metrics is None else list(metrics)
        check_metrics(wanted, METRICS)
        check_int("k_neighbors", k_neighbors)
        unknown = [m for m in calibration if m not in CALIBRATION_METHODS]
        if unknown:
            raise ParameterError(f"unknown calibration method(s) {unknown}; choose from "
                                 f"{', '.join(CALIBRATION_METHODS)}.")
        for spec in operating_points:
            parse_operating_point(spec)
        if threshold_metric not in THRESHOLD_METRICS:
            raise ParameterError(f"threshold_metric must be one of {', '.join(THRESHOLD_METRICS)}, got "
                                 f"{threshold_metric!r}.")
        if operating_points and k != 2:
            raise ParameterError(f"operating points are for binary labels; these have {k} classes.")
        self.costs = None if costs is None else cost_array(costs, labels.classes, classes, codes.size)
        if cv is None or isinstance(cv, int):
            cv = FoldPlan.stratified(codes, n_splits=cv or 5, random_state=random_state)
        self.splits = list(cv.split(self.frame, codes))
        for name in chosen:
            method = METHODS.get(STRATEGIES[name].resample)
            if method is not None and method.interpolates:
                check_smote_can_run([np.bincount(codes[train], minlength=k) for train, _ in self.splits], classes,
                                    STRATEGIES[name].ratio, k_neighbors, name)
        self.n_folds = getattr(cv, "n_splits", len(self.splits))
        self.chosen, self.model_names, self.metrics = chosen, model_names, wanted
        self.random_state, self.k_neighbors, self.threshold_metric = random_state, k_neighbors, threshold_metric
        self.calibration, self.operating_points = calibration, operating_points

    def _model(self, recipe: Recipe, cell: Cell) -> Any:
        return cell_model(self.frame, recipe, cell.model, self.seed(cell), k_neighbors=self.k_neighbors,
                          threshold_metric=self.threshold_metric)

    def fit_cell(self, cell: Cell, tuned: Recipe | None) -> list[tuple[dict, np.ndarray, np.ndarray, dict]]:
        """Fit one cell on its training part and score its validation part: a list of (row,
        test, proba, probability maps). With ``tuned`` (the ``threshold`` recipe, given to
        the ``none`` cell of the same model and fold) the fitted model is scored a second
        time at the threshold tuned on inner folds of the training part: the ``threshold``
        cell, without fitting its final model again (it would be this one)."""
        X, codes, k, costs, recipe = self.frame, self.codes, self.k, self.costs, cell.recipe
        train, test, seed = cell.train, cell.test, self.seed(cell)
        start = time.perf_counter()
        model = self._model(recipe, cell)
        model.fit(X.iloc[train], codes[train])
        threshold = float(model.threshold_) if recipe.tune_threshold else 0.5
        pipeline = model.estimator_ if recipe.tune_threshold else model
        features, corrector = pipeline[:-1].transform(X.iloc[test]), pipeline[-1]
        proba, corrected = corrector.predict_proba_uncorrected(features), corrector.predict_proba(features)
        if k == 2:
            proba, corrected = proba[:, 1], corrected[:, 1]
        y_test = codes[test]

        def scored(name: str, threshold: float, seconds: float) -> dict:
            return score_cell(cell, name, y_test, proba, corrected, threshold, n_train=len(train),
                              n_fit=corrector.n_samples_fit_, seconds=seconds,
                              costs=None if costs is None else costs[test])

        calibrated, mapped = {}, {}
        if self.calibration or self.operating_points:
            oof = inner_probabilities(X.iloc[train], codes[train], recipe, cell.model, seed,
                                      k_neighbors=self.k_neighbors, template=X)
            calibrated, mapped = _calibrated_scores(oof, codes[train], proba, y_test, self.calibration, threshold)
            calibrated.update(_operating_scores(oof, codes[train], proba, y_test, self.operating_points))
        # every probability map of the validation part, for the plots, and its labels
        mapped = {"y_true": y_test, "corrected": corrected, **mapped}
        fitted = time.perf_counter() - start
        out = [({**scored(recipe.name, threshold, fitted), **calibrated}, test, proba, mapped)]
        if tuned is not None:
            start = time.perf_counter()
            threshold = float(self._model(tuned, cell).tune(X.iloc[train], codes[train]))
            row = scored(tuned.name, threshold, fitted + time.perf_counter() - start)
            out.append(({**row, **calibrated}, test, proba, mapped))  # the same model, the same probabilities
        return out

    def metric_columns(self) -> list[str]:
        """The columns of ``summary``: the metrics asked for, then what the options added."""
        return metric_columns(self.metrics, self.k, calibration=self.calibration, with_costs=self.costs is not None,
                              operating_points=self.operating_points)

    def collect(self, outputs: list, left_out: dict[tuple[str, str], str]) -> ComparisonResult:
        return single_label_result(outputs, left_out, classes=self.classes, metrics=self.metrics,
                                   columns=self.metric_columns(), costs=self.costs)


def metric_columns(metrics: list[str], n_classes: int, *, calibration: tuple = (), with_costs: bool = False,
                   operating_points: tuple = ()) -> list[str]:
    """The columns of a single-label ``summary``: ``metrics``, the decision shares (binary), the
    prior-corrected scores, then what calibration, costs and operating points add."""
    return metrics + (list(DECISION_SHARES) if n_classes == 2 else []) + [
        "brier_corrected", "log_loss_corrected", "ece_corrected"] + [
        f"{metric}_{method}" for method in calibration for metric in ("brier", "log_loss", "ece")] + (
        ["cost", "cost_at_threshold"] if with_costs else []) + [
        f"{spec}:{metric}" for spec in operating_points for metric in ("precision", "recall")]


def score_cell(cell: Cell, name: str, y_test: np.ndarray, proba: np.ndarray, corrected: np.ndarray,
               threshold: float, *, n_train: int, n_fit: int, seconds: float,
               costs: np.ndarray | None = None) -> dict:
    """One row of the results table: the cell's validation part scored.

    ``y_test``: class codes (binary: the positive class 1); ``proba``: the model's own
    probabilities (binary: the positive class's column), ``corrected``: the same mapped to the
    true prior; ``threshold``: the decision threshold (binary); ``costs``: the validation
    rows' (n, K, K) cost matrices. Every metric of :data:`imbalance.metrics.METRICS`, the
    decision shares (binary), the prior-corrected Brier score, log loss and ECE, the costs.
    """
    binary = proba.ndim == 1
    row = {"strategy": name, "model": cell.model, "repeat": cell.repeat, "fold": cell.fold,
           "n_train": n_train, "n_fit": n_fit, "n_test": len(y_test), "threshold": threshold}
    row.update(evaluate(y_test, proba, threshold=threshold))
    if binary:
        row.update(decision_counts(y_test, proba >= threshold))
    on_true_prior = evaluate(y_test, corrected, threshold=threshold)
    row["brier_corrected"] = on_true_prior["brier"]
    row["log_loss_corrected"] = on_true_prior["log_loss"]
    row["ece_corrected"] = on_true_prior["ece"]
    if costs is not None:
        # the Bayes decision from the true-prior probabilities, and the cell's own decisions
        row["cost"] = expected_cost(y_test, bayes_decisions(corrected, costs), costs)
        own = (proba >= threshold).astype(np.int64) if binary else proba.argmax(axis=1)
        row["cost_at_threshold"] = expected_cost(y_test, own, costs)
    row["seconds"] = seconds
    return row


def single_label_result(outputs: list, left_out: dict[tuple[str, str], str], *, classes: np.ndarray,
                        metrics: list[str], columns: list[str], costs: np.ndarray | None) -> ComparisonResult:
    """The :class:`ComparisonResult` of one label column from its cells' outputs: (row of
    :func:`score_cell`, validation rows, probabilities, named maps holding ``y_true``,
    ``corrected`` and any calibrated probabilities). The first repeat's out-of-fold
    probabilities are pooled in row order for the curves."""
    rows, predictions = [], {}
    for row, test, proba, mapped in outputs:
        rows.append(row)
        if row["repeat"] == 0:
            predictions.setdefault((row["strategy"], row["model"]), []).append((test, {"proba": proba, **mapped}))
    results = pd.DataFrame(rows)
    pooled = {}
    for key, parts in predictions.items():
        _, arrays = pool_folds(parts)
        proba, corrected = arrays.pop("proba"), arrays.pop("corrected")
        frame = pd.DataFrame({"y_true": arrays.pop("y_true")})
        if proba.ndim == 1:
            frame["proba"], frame["proba_corrected"] = proba, corrected
            for method, values in arrays.items():  # calibrated
                frame[f"proba_{method}"] = values
        else:
            for c in range(proba.shape[1]):
                frame[f"proba_{c}"] = proba[:, c]
                frame[f"proba_corrected_{c}"] = corrected[:, c]
        pooled[key] = frame
    return ComparisonResult(results=results, summary=summarise(results, columns), predictions=pooled,
                            classes=classes, metrics=tuple(metrics), costs=costs, left_out=left_out)
