"""The compare engine: cells on shared folds, scheduled, run, pooled into one result.

What every comparison has in common lives here, once: the cells (every recipe with every
model, or the model it pins, on every fold), their scheduling over a pool of workers
(costliest first, a ``none`` cell scoring its ``threshold`` partner from the same fit),
guarding (a cell the data defeats is left out on all folds, with a warning), the summary
over folds, pooling of out-of-fold predictions and the result type.

What differs between kinds of target is a :class:`Problem`: its recipes, how one cell is
fitted and scored, and how the scored cells become a :class:`ComparisonResult`. Single-label
(:mod:`imbalance._single_label`) and multi-label (:mod:`imbalance._multi_label`) targets are
the two problems today; a new kind of target (numeric targets, a Spark table) is a new
subclass, not a new copy of this module.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from imbalance._validation import ImbalanceError, InputError, ParameterError
from imbalance.metrics import METRICS
from imbalance.strategies import Recipe, torch_available

__all__ = ["ComparisonResult", "Cell", "CellFailed", "Problem", "run", "preprocessor", "check_n_jobs",
           "summarise", "pool_folds", "check_choices", "check_metrics", "make_cells", "threshold_partners", "longest_first", "drop_failed"]


@dataclass
class ComparisonResult:
    """What :func:`imbalance.compare` returns.

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
    task : {"classification", "regression"}
        What the target was: classes (one column or a label matrix) or numbers. For a
        numeric target ``predictions`` hold ``y_true`` and ``y_pred``, and ``classes`` is None.
    fitted_targets : dict
        A numeric target only: strategy -> the targets its model was fitted on in the first
        fold (after resampling; the training part's own for the others), for the report's
        plot of the target's distribution before and after.
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
    task: str = "classification"
    fitted_targets: dict = field(default_factory=dict)

    @property
    def multilabel(self) -> bool:
        """Whether the target was a label matrix."""
        return self.per_label is not None

    def __repr__(self) -> str:
        # a few lines, not the three frames of out-of-fold predictions a dataclass repr prints
        headline = (("rare_rmse", "sera", "rmse") if self.task == "regression" else
                    ("average_precision_macro", "f1_macro", "brier") if self.multilabel else
                    ("average_precision", "f1", "brier"))
        shown = [m for m in headline if f"{m}_mean" in self.summary]
        table = self.summary[["strategy", "model"]].copy()
        for m in shown:
            table[m] = [f"{mean:.3f} ± {sd:.3f}" for mean, sd in zip(self.summary[f"{m}_mean"],
                                                                  self.summary[f"{m}_sd"].fillna(0.0))]
        folds = self.results.groupby("repeat")["fold"].nunique()
        kind = ("numeric target" if self.task == "regression" else "label matrix" if self.multilabel else
                f"{len(self.classes)} classes" if self.classes is not None else "")
        head = (f"ComparisonResult: {len(self.summary)} strategy x model cells, {int(folds.iloc[0]) if len(folds) else 0} "
                f"folds x {len(folds)} repeat(s), {kind}; mean ± sd over folds (every metric: .summary, per fold: "
                ".results)")
        left = f"\nleft out: {', '.join(f'{s} / {m}' for s, m in self.left_out)}" if self.left_out else ""
        return f"{head}\n{table.to_string(index=False)}{left}"


class Cell(NamedTuple):
    """One recipe with one model on one fold: what a worker fits and scores."""

    recipe: Recipe
    model: str
    repeat: int
    fold: int
    train: np.ndarray
    test: np.ndarray

    @property
    def key(self) -> tuple[str, str]:
        """(strategy, model): the row of the summary this cell belongs to."""
        return self.recipe.name, self.model


@dataclass(frozen=True)
class CellFailed:
    """What a cell that could not be fitted returns instead of its outputs: why, in the words
    of the error it raised (one fold's training part may defeat a recipe that runs on the
    others: a cleaning rule empties a class, a boosting's first round is no better than chance)."""

    reason: str


class Problem(ABC):
    """What one kind of target brings to the engine.

    A subclass validates its inputs and chooses its folds in ``__init__`` (before any fit,
    so that a bad argument fails at once), then the engine asks it for one fit per cell, in
    worker processes (a problem is pickled to them: keep it to arrays, frames and settings),
    and hands the outputs of the cells that ran back to :meth:`collect`.

    Attributes a subclass sets
    --------------------------
    recipes : mapping of str to Recipe
        Every recipe of this kind of target, by name.
    chosen : list of str
        The recipes to run, in the table's order.
    model_names : list of str
        The models every recipe is crossed with (a recipe that pins a model gets that one).
    splits : list of (train, test)
        The folds, every repeat after the other.
    n_folds : int
        Folds per repeat.
    prefer : {None, "threads"}
        How joblib runs the cells: ``None``, in worker processes; ``"threads"``, in threads
        of this process, for a problem whose cells drive something that cannot be pickled
        (a Spark session: each cell submits Spark jobs from the driver).
    """

    recipes: Mapping[str, Recipe]
    chosen: list[str]
    model_names: list[str]
    splits: list[tuple[np.ndarray, np.ndarray]]
    n_folds: int
    random_state: int = 0
    prefer: str | None = None

    def seed(self, cell: Cell) -> int:
        """The seed of a cell's resampling and model: one per repeat and fold, the same for
        every recipe, so that recipes differ by what they do, not by their draws."""
        return self.random_state + 1000 * cell.repeat + cell.fold

    @abstractmethod
    def fit_cell(self, cell: Cell, tuned: Recipe | None) -> list[Any]:
        """Fit ``cell`` on its training part and score its validation part: a list of one
        output, or two where ``tuned`` (the ``threshold`` recipe of the same model and fold)
        is scored from the same fit. Runs in a worker."""

    @abstractmethod
    def collect(self, outputs: list[Any], left_out: dict[tuple[str, str], str]) -> ComparisonResult:
        """The result, from the outputs of the cells kept (in the order of the cells)."""


def run(problem: Problem, n_jobs: int | None = None,
        progress: Callable[[int, int], None] | None = None) -> ComparisonResult:
    """Run every cell of ``problem`` and collect its result.

    Cells run in parallel with joblib (``n_jobs``), costliest first; ``progress(done,
    total)`` is called once with 0 before the first cell ends and after each. A cell the data
    defeats leaves its strategy and model out of every table, on all folds, with a warning.
    """
    cells = make_cells(problem.recipes, problem.chosen, problem.model_names, problem.splits, problem.n_folds)
    outputs: list[Any] = [None] * len(cells)
    for at, output in _run_cells(cells, problem.fit_cell, n_jobs, progress, prefer=problem.prefer):
        outputs[at] = output
    keep, left_out = drop_failed(cells, outputs)
    for (strategy, model), why in left_out.items():
        warnings.warn(f"left out {strategy} / {model}, which could not be fitted on {why}", UserWarning, stacklevel=3)
    return problem.collect([outputs[i] for i in keep], left_out)


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


def check_choices(recipes: Mapping[str, Recipe], chosen: list[str], models: Mapping[str, Any], model_names: list[str],
                  *, kind: str = "") -> None:
    """Refuse, by name, a recipe or model this kind of target does not know (``kind``: how the
    messages call it, e.g. ``"multi-label "``), an MLP recipe without PyTorch, and an empty
    choice of recipes or models."""
    for name in chosen:
        if name not in recipes:
            raise ParameterError(f"unknown {kind}recipe {name!r}; choose from {', '.join(recipes)}.")
        if recipes[name].model == "mlp" and not torch_available():
            raise ParameterError(f"strategy {name!r} needs PyTorch: install torch, then imbalance[torch].")
    for name in model_names:
        if name not in models:
            raise ParameterError(f"unknown {kind}model {name!r}; choose from {', '.join(models)}.")
    if not chosen or not model_names:
        raise ParameterError("give at least one recipe and one model.")


def check_metrics(wanted: list[str], metrics: Iterable[str], *, kind: str = "") -> None:
    """Refuse, by name, metrics this kind of target does not score."""
    unknown = [m for m in wanted if m not in metrics]
    if unknown:
        raise ParameterError(f"unknown {kind}metric(s) {unknown}; choose from {', '.join(metrics)}.")


def check_n_jobs(n_jobs: Any) -> None:
    """Refuse an ``n_jobs`` that joblib would misread: 0, a bool, a float or a string."""
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ParameterError(f"n_jobs must be a positive int, or -1 for all cores (-2: all but one), got {n_jobs!r}.")


def summarise(results: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per strategy and model (in the order of ``results``): ``<column>_mean`` and
    ``<column>_sd`` (sample standard deviation) over folds and repeats."""
    grouped = results.groupby(["strategy", "model"], sort=False)[columns]
    return grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()


def pool_folds(parts: Iterable[tuple[np.ndarray, Mapping[str, np.ndarray]]]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Out-of-fold outputs of one strategy and model, put back in row order.

    ``parts``: per fold, its validation rows and named arrays of one entry (or row) per
    validation row. Returns the rows covered, sorted, and every named array concatenated
    over folds in that order.
    """
    parts = list(parts)
    index = np.concatenate([rows for rows, _ in parts])
    order = np.argsort(index, kind="stable")
    pooled = {name: np.concatenate([arrays[name] for _, arrays in parts])[order] for name in parts[0][1]}
    return index[order], pooled


#: Rough cost of a cell, relative to a logistic regression: what ``longest_first`` sorts by.
_MODEL_COST = {"logreg": 1, "mlp": 12, "easy_ensemble": 6, "balanced_bagging": 8, "rusboost": 6, "balanced_rf": 3}


def make_cells(recipes: Mapping[str, Recipe], chosen: list[str], model_names: list[str], splits: list,
               n_folds: int) -> list[Cell]:
    """Every cell to fit: each chosen recipe with each model (or the one it pins), on every fold."""
    return [
        Cell(recipes[s], m, i // n_folds, i % n_folds, train, test)
        for s in chosen
        for m in ([recipes[s].model] if recipes[s].model else model_names)
        for i, (train, test) in enumerate(splits)
    ]


def threshold_partners(cells: list[Cell]) -> dict[int, int]:
    """Position of a ``none`` cell -> position of the ``threshold`` cell of the same model,
    repeat and fold: a threshold cell is its none cell with a tuned threshold, so where both
    run the none cell tunes it too and the model is fitted once."""
    position_of = {(cell.recipe.name, cell.model, cell.repeat, cell.fold): i for i, cell in enumerate(cells)}
    partners = {}
    for i, cell in enumerate(cells):
        plain = position_of.get(("none", cell.model, cell.repeat, cell.fold))
        if cell.recipe.tune_threshold and cell.recipe.model is None and plain is not None:
            partners[plain] = i
    return partners


def longest_first(cells: list[Cell], tuned_by: dict[int, int] | None = None) -> list[int]:
    """Positions of ``cells``, the costliest first: with a pool of workers, starting the long
    cells (tuned thresholds, MLPs, forests) early keeps the last worker from finishing alone
    long after the others (longest-processing-time scheduling). ``tuned_by``: cells that also
    tune a threshold (costing about twice as much again)."""
    tuned_by = tuned_by or {}

    def cost(i: int) -> float:
        recipe, model = cells[i].recipe, cells[i].model
        return _MODEL_COST.get(model, 8) * (4 if recipe.tune_threshold else 3 if i in tuned_by else 1)

    return sorted(range(len(cells)), key=lambda i: -cost(i))


def _guarded(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``, or a :class:`CellFailed` where the data defeated it (an
    ImbalanceError, or a ValueError from scikit-learn, such as a training part left with one
    class), so that one cell cannot abort the whole comparison."""
    try:
        return function(*args)
    except (ImbalanceError, ValueError) as exc:
        return CellFailed(f"{type(exc).__name__}: {' '.join(str(exc).split())}")


def _run_cells(cells: list[Cell], fit_cell: Callable[[Cell, Recipe | None], list[Any]], n_jobs: int | None,
               progress: Callable[[int, int], None] | None, *, prefer: str | None = None) -> Iterator[tuple[int, Any]]:
    """Run every cell in parallel, costliest first, and yield (position in ``cells``, output):
    a cell with a threshold partner yields the partner's output too; a failed cell yields a
    :class:`CellFailed` (for its partner as well)."""
    tuned_by = threshold_partners(cells)
    merged = set(tuned_by.values())
    order = [i for i in longest_first(cells, tuned_by) if i not in merged]
    jobs = (delayed(_guarded)(fit_cell, cells[i], cells[tuned_by[i]].recipe if i in tuned_by else None)
            for i in order)
    done = 0
    if progress is not None:
        progress(0, len(cells))  # the total from the start: a bar reads 0/N, not 0/?
    for position, outputs in zip(order, Parallel(n_jobs=n_jobs, prefer=prefer, return_as="generator")(jobs)):
        if isinstance(outputs, CellFailed):
            outputs = [outputs, outputs]
        for at, output in zip((position, tuned_by.get(position)), outputs):
            if at is None:
                continue
            done += 1
            if progress is not None:
                progress(done, len(cells))
            yield at, output


def drop_failed(cells: list[Cell], outputs: list[Any]) -> tuple[list[int], dict[tuple[str, str], str]]:
    """Positions of the cells to keep, and (strategy, model) -> why it was left out, for every
    strategy and model one of whose cells failed: all its folds go, so that every strategy
    left is scored on the same folds. Refuses where every cell failed."""
    left_out: dict[tuple[str, str], str] = {}
    for cell, output in zip(cells, outputs):
        if isinstance(output, CellFailed) and cell.key not in left_out:
            left_out[cell.key] = f"repeat {cell.repeat}, fold {cell.fold}: {output.reason}"
    if len(left_out) == len({cell.key for cell in cells}):
        reasons = "; ".join(f"{s} / {m}: {why}" for (s, m), why in left_out.items())
        raise InputError(f"no strategy and model could be fitted on every fold ({reasons[:1500]}).")
    keep = [i for i, cell in enumerate(cells) if cell.key not in left_out]
    return keep, left_out
