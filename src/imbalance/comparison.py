"""Every strategy x every model, on the same leak-free folds: one tidy results table.

Each cell (strategy, model, repeat, fold) fits on the fold's training part only: the
strategy resamples or re-weights that part, preprocessing (imputation, scaling, one-hot
encoding) is fitted inside the model pipeline on it, and the validation rows are scored as
they are. Probabilities of models trained under a changed class prior (resampling, class
weights) are also mapped back to the true prior (:func:`imbalance.metrics.correct_prior`) and
scored again (``brier_corrected``, ``log_loss_corrected``).

This module is the front door; the engine (``imbalance._engine``) runs the cells of a
*problem*: one label column (``imbalance._single_label``) or a label matrix
(``imbalance._multi_label``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from imbalance import _single_label
from imbalance._engine import ComparisonResult, check_n_jobs, run
from imbalance._multi_label import MultiLabelProblem
from imbalance._regression import RegressionProblem, is_numeric_target
from imbalance._single_label import SingleLabelProblem
from imbalance._validation import DEPRECATED, ParameterError, renamed
from imbalance.metrics import Costs
from imbalance.strategies import STRATEGIES, Recipe, default_strategies

__all__ = ["Recipe", "STRATEGIES", "MODELS", "ComparisonResult", "compare", "default_strategies"]

#: Models every strategy is crossed with, by name (``mlp`` only serves the MLP strategies):
#: ``name -> build(X, seed)``, the preprocessing for ``X``'s columns and the model, unfitted.
MODELS = _single_label.MODELS


def compare(
    X: ArrayLike,
    y: ArrayLike,
    recipes: Iterable[str] | None = None,
    models: Iterable[str] | None = None,
    cv: Any = None,
    metrics: Iterable[str] | None = None,
    n_jobs: int | None = None,
    *,
    random_state: int = 0,
    k_neighbors: int = 5,
    calibration: Iterable[str] | None = None,
    costs: Costs | None = None,
    operating_points: Iterable[str] | None = None,
    threshold_metric: str = "f1",
    progress: Callable[[int, int], None] | None = None,
    task: str = "auto",
    relevance: Any = None,
    threshold: float = 0.8,
    strategies: Iterable[str] | None = DEPRECATED,
) -> ComparisonResult:
    """Score every recipe with every model on the same leak-free folds.

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
    recipes : iterable of str, optional
        What to do to each training part, by name: keys of :data:`STRATEGIES` (each a
        :class:`~imbalance.strategies.Recipe`: resample, re-weight, tune a threshold, a
        balanced ensemble, an MLP loss). Default: every default one that can run, i.e. the
        ``mlp_*`` ones only when torch is installed and ``threshold`` only for binary labels
        (:func:`imbalance.strategies.left_out_by_default` says what was left out). An
        ``mlp_*`` recipe fits the PyTorch MLP whatever ``models`` says. The results' tables
        name it in their ``strategy`` column.
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
    task : {"auto", "classification", "regression"}, default="auto"
        ``"regression"``: ``y`` is a numeric target whose rare values matter; the recipes are
        :data:`imbalance.strategies.REGRESSION_STRATEGIES` (random under/over-sampling, SMOTER,
        Gaussian noise, SMOGN on the relevance bins of each training part, row weights), the
        models ridge, random forest and gradient boosting, the metrics those of
        :data:`imbalance.regression.REGRESSION_METRICS`, and the folds stratified on the
        relevance bins. ``"auto"`` reads a column of numbers with a value that is not whole,
        or with more than 20 distinct values, as a numeric target
        (:func:`imbalance._regression.is_numeric_target`), anything else as classes.
    relevance : Relevance or control points, optional
        A numeric target only: what is rare (default: the automatic relevance of each
        training part, :meth:`imbalance.regression.Relevance.from_target`).
    threshold : float, default=0.8
        A numeric target only: the relevance from which a value is rare.
    strategies : iterable of str, optional
        The old name of ``recipes`` (a ``FutureWarning``; it goes in imbalance 0.3): in the
        planner, ``strategy`` means how many rows each class gets.

    Returns
    -------
    ComparisonResult
    """
    recipes = renamed("strategies", strategies, "recipes", recipes, default=None)
    check_n_jobs(n_jobs)
    if task not in ("auto", "classification", "regression"):
        raise ParameterError(f"task must be 'auto', 'classification' or 'regression', got {task!r}.")
    if task == "regression" or (task == "auto" and is_numeric_target(y)):
        unused = [name for name, value in (("calibration", calibration), ("costs", costs),
                                           ("operating_points", operating_points)) if value]
        if unused:
            raise ParameterError(f"{', '.join(unused)} score class probabilities; a numeric target has none. "
                                 "Leave them out, or pass task='classification' if y holds classes.")
        problem = RegressionProblem(X, y, recipes, models, cv, metrics, random_state=random_state,
                                    k_neighbors=k_neighbors, relevance=relevance, threshold=threshold)
        return run(problem, n_jobs, progress)
    if np.ndim(y) == 2 and np.shape(y)[1] > 1:
        if calibration:
            raise ParameterError("calibration= is for one label column; a label matrix is scored as it is.")
        problem = MultiLabelProblem(X, y, recipes, models, cv, metrics, random_state=random_state,
                                    k_neighbors=k_neighbors)
    else:
        problem = SingleLabelProblem(X, y, recipes, models, cv, metrics, random_state=random_state,
                                     k_neighbors=k_neighbors, calibration=calibration, costs=costs,
                                     operating_points=operating_points, threshold_metric=threshold_metric)
    return run(problem, n_jobs, progress)
