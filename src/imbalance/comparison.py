"""Every strategy x every model, on the same leak-free folds: one tidy results table.

Each cell (strategy, model, repeat, fold) fits on the fold's training part only: the
strategy resamples or re-weights that part, preprocessing (imputation, scaling, one-hot
encoding) is fitted inside the model pipeline on it, and the validation rows are scored as
they are. Probabilities of models trained under a changed class prior (resampling, class
weights) are also mapped back to the true prior (:func:`imbalance.metrics.correct_prior`) and
scored again (``brier_corrected``, ``log_loss_corrected``).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from imbalance._labels import encode_labels
from imbalance._validation import (
    ImbalanceError,
    InputError,
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
    TORCH_STRATEGIES,
    Recipe,
    default_strategies,
    torch_available,
)
from imbalance.tables import make_sampler

__all__ = ["Recipe", "STRATEGIES", "MODELS", "ComparisonResult", "compare", "cell_model", "default_strategies",
           "preprocessor", "longest_first", "threshold_partners", "make_cells", "run_cells", "check_n_jobs",
           "inner_probabilities"]


def preprocessor(X: pd.DataFrame, scale: bool) -> ColumnTransformer:
    """Imputation (median / most frequent), one-hot encoding of the non-numeric columns of
    ``X`` and, with ``scale``, standardisation: the preprocessing every cell fits on its
    training part."""
    numeric = list(X.select_dtypes(include=["number", "bool"]).columns)
    categorical = [c for c in X.columns if c not in numeric]
    numeric_steps = [("impute", SimpleImputer(strategy="median"))] + ([("scale", StandardScaler())] if scale else [])
    return ColumnTransformer(
        [
            ("numeric", Pipeline(numeric_steps), numeric),
            ("categorical", Pipeline([
                ("impute", SimpleImputer(strategy="most_frequent")),
                ("encode", OneHotEncoder(handle_unknown="ignore")),
            ]), categorical),
        ],
        sparse_threshold=0.0,
    )


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


@dataclass
class ComparisonResult:
    """What :func:`compare` returns.

    Attributes
    ----------
    results : DataFrame
        One row per strategy, model, repeat and fold; one column per metric.
    summary : DataFrame
        Per strategy and model: ``<metric>_mean`` and ``<metric>_sd`` over folds.
    predictions : dict
        ``(strategy, model) -> DataFrame`` of out-of-fold ``y_true``, ``proba`` and
        ``proba_corrected`` from the first repeat (for curves).
    classes : ndarray
        The labels; for binary data ``classes[1]`` is the positive class, the minority one
        (the class that average precision, F1 and recall are about); for a label matrix the
        label names.
    metrics : tuple of str
        The metrics of ``summary``.
    per_label : DataFrame or None
        Multi-label only: per strategy, model and label, the mean validation average
        precision and F1 and their change from ``none`` (see
        :func:`imbalance.multilabel_comparison.compare_multilabel`).
    measures : LabelMeasures or None
        Multi-label only: the label matrix's imbalance measures.
    costs : ndarray of shape (n, K, K) or None
        The costs compare was given, per row, in the order of ``classes``.
    left_out : dict
        ``(strategy, model) -> why``: the cells that could not be fitted on some fold (the
        data defeated the recipe there), left out of every table on all folds, so that what
        remains is compared on the same folds; empty when every cell ran.
    """

    results: pd.DataFrame
    summary: pd.DataFrame
    predictions: dict = field(default_factory=dict)
    classes: np.ndarray | None = None
    metrics: tuple = METRICS
    per_label: pd.DataFrame | None = None
    measures: Any = None
    costs: np.ndarray | None = None
    left_out: dict = field(default_factory=dict)

    @property
    def multilabel(self) -> bool:
        """Whether the target was a label matrix."""
        return self.per_label is not None

    def __repr__(self) -> str:
        # a few lines, not the three frames of out-of-fold predictions a dataclass repr prints
        shown = [m for m in (("average_precision_macro", "f1_macro", "brier") if self.multilabel else
                             ("average_precision", "f1", "brier")) if f"{m}_mean" in self.summary]
        table = self.summary[["strategy", "model"]].copy()
        for m in shown:
            table[m] = [f"{mean:.3f} ± {sd:.3f}" for mean, sd in zip(self.summary[f"{m}_mean"],
                                                                  self.summary[f"{m}_sd"].fillna(0.0))]
        folds = self.results.groupby("repeat")["fold"].nunique()
        kind = "label matrix" if self.multilabel else f"{len(self.classes)} classes" if self.classes is not None else ""
        head = (f"ComparisonResult: {len(self.summary)} strategy x model cells, {int(folds.iloc[0]) if len(folds) else 0} "
                f"folds x {len(folds)} repeat(s), {kind}; mean ± sd over folds (every metric: .summary, per fold: "
                ".results)")
        left = f"\nleft out: {', '.join(f'{s} / {m}' for s, m in self.left_out)}" if self.left_out else ""
        return f"{head}\n{table.to_string(index=False)}{left}"


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


def _run_cell(X, codes, train, test, recipe: Recipe, model_name: str, repeat: int, fold: int, seed: int, k: int,
              k_neighbors: int, tuned: Recipe | None = None, calibration: tuple = (), costs: np.ndarray | None = None,
              operating_points: tuple = (), threshold_metric: str = "f1"):
    """Fit one cell on its training part and score its validation part: a list of (row, test,
    proba, corrected). With ``tuned`` (the ``threshold`` recipe, given to the ``none`` cell of
    the same model and fold) the fitted model is scored a second time at the threshold tuned on
    inner folds of the training part: the ``threshold`` cell, without fitting its final model
    again (it would be this one)."""
    start = time.perf_counter()
    model = cell_model(X, recipe, model_name, seed, k_neighbors=k_neighbors, threshold_metric=threshold_metric)
    model.fit(X.iloc[train], codes[train])
    threshold = float(model.threshold_) if recipe.tune_threshold else 0.5
    pipeline = model.estimator_ if recipe.tune_threshold else model
    features, corrector = pipeline[:-1].transform(X.iloc[test]), pipeline[-1]
    proba, corrected = corrector.predict_proba_uncorrected(features), corrector.predict_proba(features)
    if k == 2:
        proba, corrected = proba[:, 1], corrected[:, 1]
    y_test = codes[test]

    def scored(name: str, threshold: float, seconds: float) -> dict:
        row = {"strategy": name, "model": model_name, "repeat": repeat, "fold": fold, "n_train": len(train),
               "n_fit": corrector.n_samples_fit_, "n_test": len(test), "threshold": threshold}
        row.update(evaluate(y_test, proba, threshold=threshold))
        if k == 2:
            row.update(decision_counts(y_test, proba >= threshold))
        on_true_prior = evaluate(y_test, corrected, threshold=threshold)
        row["brier_corrected"] = on_true_prior["brier"]
        row["log_loss_corrected"] = on_true_prior["log_loss"]
        row["ece_corrected"] = on_true_prior["ece"]
        if costs is not None:
            # the Bayes decision from the true-prior probabilities, and the cell's own decisions
            row["cost"] = expected_cost(y_test, bayes_decisions(corrected, costs[test]), costs[test])
            own = (proba >= threshold).astype(np.int64) if k == 2 else proba.argmax(axis=1)
            row["cost_at_threshold"] = expected_cost(y_test, own, costs[test])
        row["seconds"] = seconds
        return row

    calibrated, mapped = {}, {}
    if calibration or operating_points:
        oof = inner_probabilities(X.iloc[train], codes[train], recipe, model_name, seed, k_neighbors=k_neighbors,
                                  template=X)
        calibrated, mapped = _calibrated_scores(oof, codes[train], proba, y_test, calibration, threshold)
        calibrated.update(_operating_scores(oof, codes[train], proba, y_test, operating_points))
    mapped = {"corrected": corrected, **mapped}  # every probability map of the validation part, for the plots
    fitted = time.perf_counter() - start
    out = [({**scored(recipe.name, threshold, fitted), **calibrated}, test, proba, mapped)]
    if tuned is not None:
        start = time.perf_counter()
        tuner = cell_model(X, tuned, model_name, seed, k_neighbors=k_neighbors, threshold_metric=threshold_metric)
        threshold = float(tuner.tune(X.iloc[train], codes[train]))
        row = scored(tuned.name, threshold, fitted + time.perf_counter() - start)
        out.append(({**row, **calibrated}, test, proba, mapped))  # the same model, the same probabilities
    return out


def _cost_array(costs: Any, sorted_classes: np.ndarray, classes: np.ndarray, n: int) -> np.ndarray:
    """``compare``'s ``costs`` as (n, K, K), rows and columns in the order of ``classes``
    (for binary labels the minority, positive class last)."""
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


#: Strategies' methods that interpolate between a row and its k_neighbors nearest of its class.
_SMOTE_METHODS = ("smote", "borderline", "adasyn", "svm_smote", "smote_enn", "smote_tomek")


def _check_smote_can_run(codes: np.ndarray, classes: np.ndarray, splits: list, ratio: float, k_neighbors: int,
                         name: str = "smote") -> None:
    """Before any fitting: every class SMOTE over-samples has more than ``k_neighbors`` rows
    in every training part (else it would fail in the middle of the run)."""
    from imbalance.planner import plan_from_counts

    n_classes = classes.size
    worst = None  # (rows, class code, fold number)
    for number, (train, _) in enumerate(splits, start=1):
        counts = np.bincount(codes[train], minlength=n_classes)
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


#: Rough cost of a cell, relative to a logistic regression: what ``longest_first`` sorts by.
_MODEL_COST = {"logreg": 1, "mlp": 12, "easy_ensemble": 6, "balanced_bagging": 8, "rusboost": 6, "balanced_rf": 3}


def make_cells(recipes: dict, chosen: list, model_names: list, splits: list, n_folds: int) -> list:
    """Every (recipe, model, repeat, fold, train, test) to fit: each strategy with each model
    (or its own), on every fold."""
    return [
        (recipes[s], m, i // n_folds, i % n_folds, train, test)
        for s in chosen
        for m in ([recipes[s].model] if recipes[s].model else model_names)
        for i, (train, test) in enumerate(splits)
    ]


@dataclass(frozen=True)
class CellFailed:
    """What a cell that could not be fitted returns instead of its outputs: why, in the words
    of the error it raised (one fold's training part may defeat a recipe that runs on the
    others: a cleaning rule empties a class, a boosting's first round is no better than chance)."""

    reason: str


def _guarded(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, or a :class:`CellFailed` where the data defeated it (an
    ImbalanceError, or a ValueError from scikit-learn, such as a training part left with one
    class), so that one cell cannot abort the whole comparison."""
    try:
        return function(*args, **kwargs)
    except (ImbalanceError, ValueError) as exc:
        return CellFailed(f"{type(exc).__name__}: {' '.join(str(exc).split())}")


def run_cells(cells: list, job: Callable[[tuple, Any], Any], n_jobs: int | None,
              progress: Callable[[int, int], None] | None = None) -> Iterable[tuple[int, Any]]:
    """Run every cell in parallel, costliest first, and yield (position in ``cells``, output).

    ``job(cell, tuned)`` makes the joblib job of one cell; it returns a list of outputs: one,
    or two where ``tuned`` (the threshold recipe of the same model and fold, see
    :func:`threshold_partners`) is scored from the same fit. A cell the data defeats yields a
    :class:`CellFailed` (for its threshold partner too); :func:`drop_failed` leaves its
    strategy and model out of the comparison.
    """
    tuned_by = threshold_partners(cells)
    merged = set(tuned_by.values())
    order = [i for i in longest_first(cells, tuned_by) if i not in merged]

    def guarded(i: int) -> Any:
        function, args, kwargs = job(cells[i], cells[tuned_by[i]][0] if i in tuned_by else None)
        return delayed(_guarded)(function, *args, **kwargs)

    jobs = (guarded(i) for i in order)
    done = 0
    if progress is not None:
        progress(0, len(cells))  # the total from the start: a bar reads 0/N, not 0/?
    for position, outputs in zip(order, Parallel(n_jobs=n_jobs, return_as="generator")(jobs)):
        if isinstance(outputs, CellFailed):
            outputs = [outputs, outputs]
        for at, output in zip((position, tuned_by.get(position)), outputs):
            if at is None:
                continue
            done += 1
            if progress is not None:
                progress(done, len(cells))
            yield at, output


def run_kept_cells(cells: list, job: Callable[[tuple, Any], Any], n_jobs: int | None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[list, dict[tuple[str, str], str]]:
    """:func:`run_cells`, then :func:`drop_failed`: the outputs of the cells kept, in the order
    of ``cells``, and (strategy, model) -> why for those left out, each said in a warning (the
    command line prints it as a one-line note)."""
    outputs = [None] * len(cells)
    for at, output in run_cells(cells, job, n_jobs, progress):
        outputs[at] = output
    keep, left_out = drop_failed(cells, outputs)
    for (strategy, model), why in left_out.items():
        warnings.warn(f"left out {strategy} / {model}, which could not be fitted on {why}", UserWarning, stacklevel=3)
    return [outputs[i] for i in keep], left_out


def cell_key(cell: tuple) -> tuple[str, str]:
    """(strategy, model) of a cell (recipe, model, ...)."""
    return cell[0].name, cell[1]


def drop_failed(cells: list, outputs: list) -> tuple[list[int], dict[tuple[str, str], str]]:
    """Positions of the cells to keep, and (strategy, model) -> why it was left out, for every
    strategy and model one of whose cells failed: all its folds go, so that every strategy
    left is scored on the same folds. Refuses where every cell failed."""
    left_out: dict[tuple[str, str], str] = {}
    for cell, output in zip(cells, outputs):
        if isinstance(output, CellFailed) and cell_key(cell) not in left_out:
            left_out[cell_key(cell)] = f"repeat {cell[2]}, fold {cell[3]}: {output.reason}"
    if len(left_out) == len({cell_key(cell) for cell in cells}):
        reasons = "; ".join(f"{s} / {m}: {why}" for (s, m), why in left_out.items())
        raise InputError(f"no strategy and model could be fitted on every fold ({reasons[:1500]}).")
    keep = [i for i, cell in enumerate(cells) if cell_key(cell) not in left_out]
    return keep, left_out


def check_n_jobs(n_jobs: Any) -> None:
    """Refuse an ``n_jobs`` that joblib would misread: 0, a bool, a float or a string."""
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ParameterError(f"n_jobs must be a positive int, or -1 for all cores (-2: all but one), got {n_jobs!r}.")


def threshold_partners(cells: list) -> dict[int, int]:
    """Position of a ``none`` cell -> position of the ``threshold`` cell of the same model,
    repeat and fold: a threshold cell is its none cell with a tuned threshold, so where both
    run the none cell tunes it too and the model is fitted once."""
    position_of = {(recipe.name, model, repeat, fold): i for i, (recipe, model, repeat, fold, *_) in enumerate(cells)}
    partners = {}
    for i, (recipe, model, repeat, fold, *_) in enumerate(cells):
        plain = position_of.get(("none", model, repeat, fold))
        if recipe.tune_threshold and recipe.model is None and plain is not None:
            partners[plain] = i
    return partners


def longest_first(cells: list, tuned_by: dict | None = None) -> list[int]:
    """Positions of ``cells`` (recipe, model, ...), the costliest first: with a pool of
    workers, starting the long cells (tuned thresholds, MLPs, forests) early keeps the last
    worker from finishing alone long after the others (longest-processing-time scheduling).
    ``tuned_by``: cells that also tune a threshold (costing about twice as much again)."""
    tuned_by = tuned_by or {}

    def cost(i: int) -> float:
        recipe, model = cells[i][0], cells[i][1]
        return _MODEL_COST.get(model, 8) * (4 if recipe.tune_threshold else 3 if i in tuned_by else 1)

    return sorted(range(len(cells)), key=lambda i: -cost(i))


def compare(
    X: Any,
    y: Any,
    strategies: Iterable[str] | None = None,
    models: Iterable[str] | None = None,
    cv: Any = None,
    metrics: Iterable[str] | None = None,
    n_jobs: int | None = None,
    *,
    random_state: int = 0,
    k_neighbors: int = 5,
    calibration: Iterable[str] | None = None,
    costs: Any = None,
    operating_points: Iterable[str] | None = None,
    threshold_metric: str = "f1",
    progress: Callable[[int, int], None] | None = None,
) -> ComparisonResult:
    """Score every strategy with every model on the same leak-free folds.

    Parameters
    ----------
    X : DataFrame or 2-D array
        Features; categorical (non-numeric) columns are one-hot encoded and missing values
        imputed, both fitted inside each training fold.
    y : array-like of shape (n,), or a label matrix
        Class labels (binary or multi-class). For binary labels the minority class is the
        positive one, whatever its label ("yes"/"no", 0/1 or "stayed"/"churned"). A 0/1
        matrix of shape (n, L) or a DataFrame of several 0/1 columns is a multi-label target:
        then the strategies, models and metrics are the multi-label ones
        (:func:`imbalance.multilabel_comparison.compare_multilabel`).
    strategies : iterable of str, optional
        Names from :data:`STRATEGIES`. Default: every one that can run, i.e. the ``mlp_*``
        ones only when torch is installed and ``threshold`` only for binary labels
        (:func:`imbalance.strategies.left_out_by_default` says what was left out). An
        ``mlp_*`` strategy fits the PyTorch MLP whatever ``models`` says.
    models : iterable of str, optional
        Names from :data:`MODELS` (default: all).
    cv : FoldPlan, int or None
        The folds every cell uses; an int k means stratified k-fold; default 5-fold.
    metrics : iterable of str, optional
        Columns to keep in ``summary`` (default: all of :data:`imbalance.metrics.METRICS`).
    n_jobs : int, optional
        Cells run in parallel with joblib.
    random_state : int, default=0
        Seeds the folds (when ``cv`` is not a FoldPlan), the resampling and the models: same
        seed, same table.
    k_neighbors : int, default=5
        Neighbours of the ``smote`` strategy. Every class it over-samples needs at least
        ``k_neighbors + 1`` rows in every training part; this is checked before any fitting.
    calibration : iterable of str, optional
        Methods of :class:`imbalance.model_selection.ProbabilityCalibrator` (``"sigmoid"``,
        ``"isotonic"``, ``"temperature"``): each cell also maps its validation probabilities
        by each, fitted on out-of-fold probabilities of 3 inner folds of its training part
        (rebalanced inside, as the cell), and scores them: ``brier_<method>``,
        ``log_loss_<method>``, ``ece_<method>``. It costs about three more fits per cell.
        Binary and multi-class labels.
    costs : dict, array or None
        What decisions cost, to score the decision of least expected cost (Bayes' rule, from
        the prior-corrected probabilities) of every cell: ``cost`` (mean cost per validation
        row) and ``cost_at_threshold`` (of the cell's own decisions). Binary:
        ``{"FN": 20, "FP": 1}`` (a missed positive, a false alarm; the positive class is the
        minority one), where ``"FN"`` may be an array of one cost per row (a fraud's amount);
        any labels: a (K, K) matrix, ``costs[t][d]`` the cost of deciding class ``d`` when it
        is ``t``, in the order of the sorted labels.
    operating_points : iterable of str, optional
        Binary: ``"precision>=0.8"`` (the most recall at that precision), ``"recall>=0.9"``
        (the most precision at that recall), ``"top=0.05"`` or ``"top=100"`` (review
        capacity: the highest-scored share, or number, of each validation fold). The
        thresholds are chosen on out-of-fold probabilities of 3 inner folds of each training
        part and applied to its validation part, which reports ``<point>:precision`` and
        ``<point>:recall`` as reached there.
    threshold_metric : {"f1", "mcc", "balanced_accuracy"}, default="f1"
        What the ``threshold`` strategy tunes its threshold for, on inner folds: the metric
        the decision is judged by (``imbalance compare --decide-by`` passes it on), so that a
        tuned threshold is not judged by a metric it was not tuned for.
    progress : callable(done, total), optional
        Called after each finished cell.

    Returns
    -------
    ComparisonResult
    """
    if np.ndim(y) == 2 and np.shape(y)[1] > 1:
        from imbalance.multilabel_comparison import compare_multilabel

        if calibration:
            raise ParameterError("calibration= is for one label column; a label matrix is scored as it is.")
        return compare_multilabel(X, y, strategies, models, cv, metrics, n_jobs, random_state=random_state,
                                  k_neighbors=k_neighbors, progress=progress)
    frame = feature_frame(X)
    labels = encode_labels(y)
    check_same_length(labels.n_samples, X=frame)
    codes = labels.codes.astype(np.int64)
    k = labels.classes.size
    classes = labels.classes
    if k == 2 and labels.counts[1] > labels.counts[0]:
        # Binary metrics score the positive class: make it the minority, whatever its label.
        codes, classes = 1 - codes, classes[::-1]
    chosen = default_strategies(k) if strategies is None else list(strategies)
    model_names = list(MODELS) if models is None else list(models)
    for name in chosen:
        if name not in STRATEGIES:
            raise ParameterError(f"unknown strategy {name!r}; choose from {', '.join(STRATEGIES)}.")
        if name in TORCH_STRATEGIES and not torch_available():
            raise ParameterError(f"strategy {name!r} needs PyTorch: install torch, then imbalance[torch].")
    for name in model_names:
        if name not in MODELS:
            raise ParameterError(f"unknown model {name!r}; choose from {', '.join(MODELS)}.")
    if not chosen or not model_names:
        raise ParameterError("give at least one strategy and one model.")
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
    unknown = [m for m in wanted if m not in METRICS]
    if unknown:
        raise ParameterError(f"unknown metric(s) {unknown}; choose from {', '.join(METRICS)}.")

    check_n_jobs(n_jobs)
    check_int("k_neighbors", k_neighbors)
    unknown = [m for m in calibration if m not in CALIBRATION_METHODS]
    if unknown:
        raise ParameterError(f"unknown calibration method(s) {unknown}; choose from {', '.join(CALIBRATION_METHODS)}.")
    for spec in operating_points:
        parse_operating_point(spec)
    if threshold_metric not in THRESHOLD_METRICS:
        raise ParameterError(f"threshold_metric must be one of {', '.join(THRESHOLD_METRICS)}, got "
                             f"{threshold_metric!r}.")
    if operating_points and k != 2:
        raise ParameterError(f"operating points are for binary labels; these have {k} classes.")

    cost_array = None if costs is None else _cost_array(costs, labels.classes, classes, codes.size)

    if cv is None or isinstance(cv, int):
        cv = FoldPlan.stratified(codes, n_splits=cv or 5, random_state=random_state)
    splits = list(cv.split(frame, codes))
    for name in chosen:
        if STRATEGIES[name].resample in _SMOTE_METHODS:
            _check_smote_can_run(codes, classes, splits, STRATEGIES[name].ratio, k_neighbors, name)
    n_folds = getattr(cv, "n_splits", len(splits))
    cells = make_cells(STRATEGIES, chosen, model_names, splits, n_folds)

    def job(cell: tuple, tuned: Recipe | None):
        recipe, model, repeat, fold, train, test = cell
        return delayed(_run_cell)(frame, codes, train, test, recipe, model, repeat, fold,
                                  random_state + 1000 * repeat + fold, k, k_neighbors, tuned, calibration, cost_array,
                                  operating_points, threshold_metric)

    kept, left_out = run_kept_cells(cells, job, n_jobs, progress)
    rows, predictions = [], {}
    for row, test, proba, mapped in kept:
        rows.append(row)
        if row["repeat"] == 0:
            predictions.setdefault((row["strategy"], row["model"]), []).append((row["fold"], test, proba, mapped))

    results = pd.DataFrame(rows)
    metric_columns = wanted + (list(DECISION_SHARES) if k == 2 else []) + [
        "brier_corrected", "log_loss_corrected", "ece_corrected"] + [
        f"{metric}_{method}" for method in calibration for metric in ("brier", "log_loss", "ece")] + (
        ["cost", "cost_at_threshold"] if cost_array is not None else []) + [
        f"{spec}:{metric}" for spec in operating_points for metric in ("precision", "recall")]
    grouped = results.groupby(["strategy", "model"], sort=False)[metric_columns]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()
    pooled = {}
    for key in dict.fromkeys((row["strategy"], row["model"]) for row in rows):  # in the table's order
        parts = sorted(predictions[key], key=lambda part: part[0])
        index = np.concatenate([t for _, t, _, _ in parts])
        proba = np.concatenate([p for _, _, p, _ in parts])
        mapped = {name: np.concatenate([c[name] for _, _, _, c in parts]) for name in parts[0][3]}
        corrected = mapped.pop("corrected")
        order = np.argsort(index)
        frame_pred = pd.DataFrame({"y_true": codes[index[order]]})
        if proba.ndim == 1:
            frame_pred["proba"], frame_pred["proba_corrected"] = proba[order], corrected[order]
            for method, values in mapped.items():  # calibrated
                frame_pred[f"proba_{method}"] = values[order]
        else:
            for c in range(k):
                frame_pred[f"proba_{c}"] = proba[order, c]
                frame_pred[f"proba_corrected_{c}"] = corrected[order, c]
        pooled[key] = frame_pred
    return ComparisonResult(results=results, summary=summary, predictions=pooled, classes=classes,
                            metrics=tuple(wanted), costs=cost_array, left_out=left_out)
