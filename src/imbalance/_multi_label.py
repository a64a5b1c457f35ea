"""Compare on a 0/1 label matrix: the multi-label :class:`~imbalance._engine.Problem`.

Folds come from :class:`~imbalance.model_selection.MultilabelStratifiedKFold` (every label's
positives spread over the folds); each cell fits on its training part only: the
preprocessing inside the model pipeline, then the recipe (ML-ROS, ML-RUS or MLSMOTE on the
preprocessed training features, per-label balanced weights, per-label thresholds from inner
folds, or an MLP's loss and sampler), and scores the validation rows as they are. Beside the
averages over labels (macro and micro average precision and F1, Hamming loss) every label is
scored on its own, so the report can say which labels a strategy helps and which it hurts.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

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
from imbalance._labels import label_matrix
from imbalance._registry import METHODS, estimator_class
from imbalance._validation import LabelError, ParameterError, check_int, check_same_length, feature_frame
from imbalance.metrics import MULTILABEL_METRICS, multilabel_scores, per_label_scores
from imbalance.model_selection import FoldPlan, MultilabelResampledClassifier, ThresholdTunedClassifier
from imbalance.multilabel import measures
from imbalance.strategies import (
    MULTILABEL_MODEL_NAMES,
    MULTILABEL_STRATEGIES,
    Recipe,
    default_strategies,
)

__all__ = ["MultiLabelProblem", "MULTILABEL_MODELS", "BASELINES", "multilabel_cell_model"]


def _logreg(seed: int) -> Any:
    return OneVsRestClassifier(LogisticRegression(max_iter=2000))


def _random_forest(seed: int) -> Any:
    return RandomForestClassifier(n_estimators=100, min_samples_leaf=2, random_state=seed, n_jobs=1)


def _mlp(seed: int) -> Any:
    from imbalance.torch.estimator import MLPClassifier

    return MLPClassifier((64,), epochs=30, random_state=seed)


#: Models every multi-label strategy is crossed with (``mlp`` serves the MLP strategies only).
MULTILABEL_MODELS: dict[str, Callable[[int], Any]] = dict(zip(MULTILABEL_MODEL_NAMES, (_logreg, _random_forest)))
_SCALED = {"logreg", "mlp"}  # the models whose features are standardised


def _sampler(recipe: Recipe, seed: int, k_neighbors: int) -> Any:
    """The recipe's multi-label sampler (a method of the registry), seeded; ``k_neighbors``
    goes to the samplers that interpolate (MLSMOTE)."""
    if recipe.resample is None:
        return None
    cls = estimator_class(METHODS[recipe.resample].estimator)
    accepted = cls().get_params()
    params = {"random_state": seed, **({"k_neighbors": k_neighbors} if "k_neighbors" in accepted else {})}
    return cls(**dict(METHODS[recipe.resample].params), **params)


def multilabel_cell_model(X: pd.DataFrame, recipe: Recipe, model_name: str, seed: int, *,
                          k_neighbors: int = 5) -> Any:
    """The estimator one multi-label cell fits.

    ``Pipeline(preprocessing, MultilabelResampledClassifier(model, sampler, class_weight))``,
    wrapped in a :class:`~imbalance.model_selection.ThresholdTunedClassifier` (per-label F1
    thresholds from 3 inner folds) for the ``threshold`` recipe.
    """
    head = (_mlp if model_name == "mlp" else MULTILABEL_MODELS[model_name])(seed)
    if recipe.model_params:
        head.set_params(**dict(recipe.model_params))
    model = Pipeline([
        ("prep", preprocessor(X, scale=model_name in _SCALED)),
        ("model", MultilabelResampledClassifier(head, sampler=_sampler(recipe, seed, k_neighbors),
                                                class_weight="balanced" if recipe.class_weight else None)),
    ])
    if recipe.tune_threshold:
        return ThresholdTunedClassifier(model, metric="f1", cv=3, random_state=seed)
    return model


def _check_folds(Y: np.ndarray, names: list[str], splits: list, chosen: list[str], k_neighbors: int, *,
                 by_default: bool = False) -> list[str]:
    """Before any fitting: every label has positive rows in every training part (else no
    model can learn it there), and MLSMOTE has more than ``k_neighbors`` rows of every
    minority label to interpolate in each. Returns the strategies to run: where MLSMOTE cannot
    run and was not asked for by name (``by_default``), it is left out with a warning; asked
    for, it is refused with a ``k_neighbors`` that works in every training part."""
    fewest = None  # (rows, label, part): the fewest rows of a minority label in any training part
    for number, (train, _) in enumerate(splits, start=1):
        counts = Y[train].sum(axis=0)
        if (counts == 0).any():
            label = names[int(np.flatnonzero(counts == 0)[0])]
            raise LabelError(
                f"label {label!r} has no positive row in training part {number} (it has {int(Y[:, names.index(label)].sum())} "
                "in all); drop that label column, or use fewer folds."
            )
        irlbl = counts.max() / counts
        minority = np.flatnonzero(irlbl > irlbl.mean())
        if minority.size:
            j = int(minority[np.argmin(counts[minority])])
            if fewest is None or counts[j] < fewest[0]:
                fewest = (int(counts[j]), names[j], number)
    if "mlsmote" not in chosen or fewest is None or fewest[0] > k_neighbors:
        return chosen
    rows, label, number = fewest
    if by_default:
        warnings.warn(f"leaving out mlsmote: label {label!r} has {rows} rows in training part {number}, not more than "
                      f"k_neighbors = {k_neighbors}; ask for it by name with k_neighbors at most {rows - 1} to run it.",
                      UserWarning, stacklevel=3)
        return [name for name in chosen if name != "mlsmote"]
    fix = f"lower k_neighbors to at most {rows - 1} (it then runs in every part), " if rows > 1 else ""
    raise ParameterError(
        f"strategy 'mlsmote' needs more than k_neighbors = {k_neighbors} rows of every minority label "
        f"in each training part, but label {label!r} has {rows} in training part {number}; "
        f"{fix}use fewer folds, or leave 'mlsmote' out of the strategies."
    )


def _label_frame(Y: ArrayLike) -> tuple[np.ndarray, list[str]]:
    names = [str(c) for c in Y.columns] if isinstance(Y, pd.DataFrame) else None
    matrix = label_matrix(Y, name="Y").astype(np.int64)
    return matrix, names or [f"label_{j}" for j in range(matrix.shape[1])]


class MultiLabelProblem(Problem):
    """A 0/1 label matrix: the problem :func:`imbalance.compare` runs for a 2-D target (the
    parameters are :func:`imbalance.multilabel_comparison.compare_multilabel`'s). Validates
    every argument and chooses the folds on construction."""

    recipes = MULTILABEL_STRATEGIES

    def __init__(self, X: ArrayLike, Y: ArrayLike, strategies: Iterable[str] | None = None, models: Iterable[str] | None = None,
                 cv: Any = None, metrics: Iterable[str] | None = None, *, random_state: int = 0,
                 k_neighbors: int = 5) -> None:
        self.frame = feature_frame(X)
        self.matrix, self.names = _label_frame(Y)
        check_same_length(self.matrix.shape[0], X=self.frame)
        self.measures = measures(pd.DataFrame(self.matrix, columns=self.names))  # refuses an unused label, by name
        chosen = default_strategies(multilabel=True) if strategies is None else list(strategies)
        model_names = list(MULTILABEL_MODELS) if models is None else list(models)
        check_choices(MULTILABEL_STRATEGIES, chosen, MULTILABEL_MODELS, model_names, kind="multi-label ")
        wanted = list(MULTILABEL_METRICS) if metrics is None else list(metrics)
        check_metrics(wanted, MULTILABEL_METRICS, kind="multi-label ")
        check_int("k_neighbors", k_neighbors)
        if cv is None or isinstance(cv, int):
            cv = FoldPlan.multilabel(self.matrix, n_splits=cv or 5, random_state=random_state)
        self.splits = list(cv.split(self.frame, self.matrix))
        self.chosen = _check_folds(self.matrix, self.names, self.splits, chosen, k_neighbors,
                                   by_default=strategies is None)
        self.n_folds = getattr(cv, "n_splits", len(self.splits))
        self.model_names, self.metrics = model_names, wanted
        self.random_state, self.k_neighbors = random_state, k_neighbors

    def fit_cell(self, cell: Cell, tuned: Recipe | None) -> list[tuple[dict, dict, np.ndarray, np.ndarray]]:
        """Fit one cell and score it: a list of (row, per-label scores, test, proba); with
        ``tuned`` also the threshold cell of the same fit."""
        X, Y, train, test, recipe = self.frame, self.matrix, cell.train, cell.test, cell.recipe
        start = time.perf_counter()
        model = multilabel_cell_model(X, recipe, cell.model, self.seed(cell), k_neighbors=self.k_neighbors)
        model.fit(X.iloc[train], Y[train])
        thresholds = np.asarray(model.threshold_, dtype=float) if recipe.tune_threshold else np.full(Y.shape[1], 0.5)
        pipeline = model.estimator_ if recipe.tune_threshold else model
        proba = pipeline.predict_proba(X.iloc[test])

        def scored(name: str, thresholds: np.ndarray, seconds: float):
            row = {"strategy": name, "model": cell.model, "repeat": cell.repeat, "fold": cell.fold,
                   "n_train": len(train), "n_fit": pipeline[-1].n_samples_fit_, "n_test": len(test)}
            row.update(multilabel_scores(Y[test], proba, threshold=thresholds))
            row["seconds"] = seconds
            per_label = per_label_scores(Y[test], proba, threshold=thresholds)
            per_label["threshold"] = thresholds
            return row, per_label, test, proba

        fitted = time.perf_counter() - start
        out = [scored(recipe.name, thresholds, fitted)]
        if tuned is not None:
            start = time.perf_counter()
            tuner = multilabel_cell_model(X, tuned, cell.model, self.seed(cell), k_neighbors=self.k_neighbors)
            thresholds = np.asarray(tuner.tune(X.iloc[train], Y[train]), dtype=float)
            out.append(scored(tuned.name, thresholds, fitted + time.perf_counter() - start))
        return out

    def collect(self, outputs: list, left_out: dict[tuple[str, str], str]) -> ComparisonResult:
        rows, label_rows, parts = [], [], {}
        for row, per_label, test, proba in outputs:
            rows.append(row)
            label_rows.extend(
                {"strategy": row["strategy"], "model": row["model"], "repeat": row["repeat"], "fold": row["fold"],
                 "label": name, **{key: float(values[j]) for key, values in per_label.items()}}
                for j, name in enumerate(self.names)
            )
            if row["repeat"] == 0:
                parts.setdefault((row["strategy"], row["model"]), []).append((test, {"proba": proba}))
        results = pd.DataFrame(rows)
        predictions = {}
        for key, folds in parts.items():
            index, arrays = pool_folds(folds)
            predictions[key] = pd.DataFrame(
                {**{f"y_true[{n}]": self.matrix[index, j] for j, n in enumerate(self.names)},
                 **{f"proba[{n}]": arrays["proba"][:, j] for j, n in enumerate(self.names)}})
        return ComparisonResult(results=results, summary=summarise(results, self.metrics), predictions=predictions,
                                classes=np.asarray(self.names), metrics=tuple(self.metrics),
                                per_label=_per_label_summary(pd.DataFrame(label_rows), self.measures),
                                measures=self.measures, left_out=left_out)


#: The strategy every other one with the same model is measured against in ``per_label``: the
#: model as it is (for the MLP: plain binary cross entropy).
BASELINES = {"mlp": "mlp_bce"}


def _per_label_summary(folds: pd.DataFrame, label_measures: Any) -> pd.DataFrame:
    """Per strategy, model and label: mean validation AP and F1 over folds, and the change
    from the model's baseline (``none``; ``mlp_bce`` for the MLP; NaN where it did not run)."""
    table = (folds.groupby(["strategy", "model", "label"], sort=False)[["average_precision", "f1"]]
             .mean().reset_index())
    rows_of = dict(zip(label_measures.labels, label_measures.counts))
    table.insert(3, "rows", table["label"].map(rows_of).astype(np.int64))
    table.insert(4, "irlbl", table["label"].map(dict(zip(label_measures.labels, label_measures.irlbl))))
    indexed = table.set_index(["strategy", "model", "label"])
    for metric in ("average_precision", "f1"):
        reference = [indexed[metric].get((BASELINES.get(m, "none"), m, label), np.nan)
                     for m, label in zip(table["model"], table["label"])]
        table[f"{metric}_gain"] = table[metric] - np.asarray(reference, dtype=float)
    return table
