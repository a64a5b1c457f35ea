"""Compare on a numeric target: the regression :class:`~imbalance._engine.Problem`.

Folds are stratified on the relevance bins of the whole target (:func:`imbalance.regression.
relevance_bins`), so every validation part holds its share of rare values. Each cell fits on
its training part only: the preprocessing (imputation, one-hot encoding, scaling for ridge),
then the recipe (a regression sampler of the registry on the preprocessed features, with the
relevance of *that training part*; or row weights from its target as ``sample_weight``), then
the regressor; it scores the validation rows as they are, with the training part's relevance:
RMSE and MAE overall, RMSE on the rare rows, SERA, relevance-weighted errors and R^2.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge

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
from imbalance._registry import METHODS, estimator_class
from imbalance._validation import InputError, ParameterError, check_int, check_same_length, feature_frame
from imbalance.model_selection import FoldPlan
from imbalance.pipeline import Pipeline
from imbalance.regression import (
    REGRESSION_METRICS,
    Relevance,
    bin_weights,
    dense_weights,
    lds_weights,
    plan_bins,
    regression_scores,
    relevance_bins,
)
from imbalance.regression._relevance import check_target
from imbalance.strategies import REGRESSION_MODEL_NAMES, REGRESSION_STRATEGIES, Recipe

__all__ = ["RegressionProblem", "REGRESSION_MODELS", "regression_cell_model", "is_numeric_target"]


def _ridge(seed: int) -> Any:
    return Ridge(alpha=1.0)


def _random_forest(seed: int) -> Any:
    return RandomForestRegressor(n_estimators=100, min_samples_leaf=2, random_state=seed, n_jobs=1)


def _hist_gb(seed: int) -> Any:
    return HistGradientBoostingRegressor(random_state=seed)


#: Regressors every recipe is crossed with: ``name -> build(seed)``.
REGRESSION_MODELS: dict[str, Callable[[int], Any]] = dict(zip(REGRESSION_MODEL_NAMES, (_ridge, _random_forest,
                                                                                       _hist_gb)))
_ROW_WEIGHTS = {"dense": dense_weights, "lds": lds_weights, "bins": bin_weights}


def is_numeric_target(y: ArrayLike) -> bool:
    """Whether ``compare`` reads ``y`` as a numeric target (``task="auto"``): one column of
    numbers (not booleans) with a value that is not a whole number, or more than 20 distinct
    values. Class labels coded as small whole numbers stay classes."""
    values = np.asarray(y)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1 or values.dtype == bool or values.dtype.kind not in "iuf":
        return False
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    if finite.size and values.dtype.kind == "f" and not np.all(finite == np.round(finite)):
        return True
    return np.unique(finite).size > 20


def _sampler(recipe: Recipe, seed: int, k_neighbors: int, relevance: Any, threshold: float) -> Any:
    if recipe.resample is None:
        return None
    method = METHODS[recipe.resample]
    cls = estimator_class(method.estimator)
    params = {"random_state": seed, "relevance": relevance, "threshold": threshold, **dict(method.params)}
    if "k_neighbors" in cls().get_params():
        params["k_neighbors"] = k_neighbors
    return cls(**params)


def regression_cell_model(X: pd.DataFrame, recipe: Recipe, model_name: str, seed: int, *, k_neighbors: int = 5,
                          relevance: Any = None, threshold: float = 0.8) -> Pipeline:
    """The estimator one regression cell fits: ``Pipeline(prep, [resample,] model)``, the
    sampler (if the recipe has one) between the preprocessing and the regressor, so that it
    resamples the preprocessed training features only (the package's Pipeline resamples in
    ``fit`` and passes ``predict`` through)."""
    steps = [("prep", preprocessor(X, scale=model_name == "ridge"))]
    sampler = _sampler(recipe, seed, k_neighbors, relevance, threshold)
    if sampler is not None:
        steps.append(("resample", sampler))
    steps.append(("model", REGRESSION_MODELS[model_name](seed)))
    return Pipeline(steps)


class RegressionProblem(Problem):
    """A numeric target: the problem :func:`imbalance.compare` runs for ``task="regression"``
    (the parameters are :func:`imbalance.compare`'s, with ``relevance`` and ``threshold``
    those of :func:`imbalance.regression.relevance_bins`). Validates every argument and
    chooses the folds on construction."""

    recipes = REGRESSION_STRATEGIES

    def __init__(self, X: ArrayLike, y: ArrayLike, strategies: Iterable[str] | None = None,
                 models: Iterable[str] | None = None, cv: Any = None, metrics: Iterable[str] | None = None, *,
                 random_state: int = 0, k_neighbors: int = 5, relevance: Any = None, threshold: float = 0.8) -> None:
        self.frame = feature_frame(X)
        self.target = check_target(y)
        check_same_length(self.target.size, X=self.frame)
        chosen = [n for n, r in REGRESSION_STRATEGIES.items() if r.default] if strategies is None else list(strategies)
        model_names = list(REGRESSION_MODELS) if models is None else list(models)
        check_choices(REGRESSION_STRATEGIES, chosen, REGRESSION_MODELS, model_names, kind="regression ")
        wanted = list(REGRESSION_METRICS) if metrics is None else list(metrics)
        check_metrics(wanted, REGRESSION_METRICS, kind="regression ")
        check_int("k_neighbors", k_neighbors)
        whole = relevance_bins(self.target, relevance, threshold=threshold)  # refuses a target with nothing rare
        if cv is None or isinstance(cv, int):
            counts = np.bincount(whole.assign(self.target), minlength=whole.n_bins)
            if counts.min() < (cv or 5):
                b = int(np.argmin(counts))
                raise ParameterError(f"the relevance bin {whole.names()[b]} has {counts[b]} rows, fewer than the "
                                     f"{cv or 5} folds that each need some; use fewer folds (cv=) or a lower threshold.")
            cv = FoldPlan.stratified(whole.assign(self.target), n_splits=cv or 5, random_state=random_state)
        self.splits = list(cv.split(self.frame, whole.assign(self.target)))
        self.n_folds = getattr(cv, "n_splits", len(self.splits))
        self.chosen, self.model_names, self.metrics = chosen, model_names, wanted
        self.random_state, self.k_neighbors = random_state, k_neighbors
        self.relevance, self.threshold = relevance, whole.threshold
        self._check_training_parts()

    def _check_training_parts(self) -> None:
        """Before any fitting: every training part has rare and normal values, and the
        interpolating recipes have more than ``k_neighbors`` rows in every bin they grow."""
        interpolating = [n for n in self.chosen if self.recipes[n].resample is not None
                         and METHODS[self.recipes[n].resample].interpolates]
        for number, (train, _) in enumerate(self.splits, start=1):
            try:
                plan, bins = plan_bins(self.target[train], "balance", relevance=self.relevance, threshold=self.threshold)
            except InputError as exc:
                raise InputError(f"training part {number}: {exc}") from None
            grow = [b for b in plan.classes if plan.targets[b] > plan.counts[b]]
            small = [b for b in grow if plan.counts[b] <= self.k_neighbors]
            if interpolating and small:
                b = small[0]
                raise ParameterError(
                    f"recipe {interpolating[0]!r} interpolates within relevance bins, but bin {bins.names()[b]} of "
                    f"training part {number} has {plan.counts[b]} rows, not more than k_neighbors = {self.k_neighbors}; "
                    "lower k_neighbors, use fewer folds, or leave the interpolating recipes out.")

    def _relevance_of(self, train: np.ndarray) -> Relevance:
        if self.relevance is None:
            return Relevance.from_target(self.target[train])
        return self.relevance if isinstance(self.relevance, Relevance) else Relevance(self.relevance)

    def fit_cell(self, cell: Cell, tuned: Recipe | None) -> list[tuple[dict, np.ndarray, np.ndarray, Any]]:
        """Fit one cell on its training part and score its validation part: [(row, test,
        predictions, fitted targets)], the last only for the first fold's first model (else None)."""
        recipe, train, test, seed = cell.recipe, cell.train, cell.test, self.seed(cell)
        start = time.perf_counter()
        relevance = self._relevance_of(train)
        model = regression_cell_model(self.frame, recipe, cell.model, seed, k_neighbors=self.k_neighbors,
                                      relevance=relevance, threshold=self.threshold)
        fit_params = {}
        if recipe.row_weights:
            fit_params["model__sample_weight"] = _ROW_WEIGHTS[recipe.row_weights](self.target[train])
        model.fit(self.frame.iloc[train], self.target[train], **fit_params)
        predictions = model.predict(self.frame.iloc[test])
        sampler = model.named_steps.get("resample")
        fitted = None
        if cell.repeat == 0 and cell.fold == 0 and cell.model == self.model_names[0]:
            # the targets the model learned from, for the report: the sampler again on the same
            # features with the same seed gives the same rows
            fitted = self.target[train] if sampler is None else clone(sampler).fit_resample(
                model[:1].transform(self.frame.iloc[train]), self.target[train])[1]
        row = {"strategy": recipe.name, "model": cell.model, "repeat": cell.repeat, "fold": cell.fold,
               "n_train": len(train), "n_fit": len(train) if sampler is None else int(sampler.origin_.size),
               "n_test": len(test)}
        row.update(regression_scores(self.target[test], predictions, relevance=relevance, threshold=self.threshold))
        row["seconds"] = time.perf_counter() - start
        return [(row, test, predictions, fitted)]

    def collect(self, outputs: list, left_out: dict[tuple[str, str], str]) -> ComparisonResult:
        rows, parts, fitted_targets = [], {}, {}
        for row, test, predictions, fitted in outputs:
            rows.append(row)
            if fitted is not None:
                fitted_targets[row["strategy"]] = np.asarray(fitted, dtype=np.float64)
            if row["repeat"] == 0:
                parts.setdefault((row["strategy"], row["model"]), []).append(
                    (test, {"y_true": self.target[test], "y_pred": predictions}))
        results = pd.DataFrame(rows)
        pooled = {key: pd.DataFrame(pool_folds(p)[1]) for key, p in parts.items()}
        return ComparisonResult(results=results, summary=summarise(results, self.metrics), predictions=pooled,
                                metrics=tuple(self.metrics), left_out=left_out, task="regression",
                                fitted_targets=fitted_targets)
