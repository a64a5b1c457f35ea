"""The answer to a comparison: the best cell per metric, whether it beats the baseline, and
which cells are within noise of it.

Every cell of :func:`imbalance.compare` is scored on the same folds, so two cells' scores pair
up fold by fold; :func:`imbalance.metrics.paired_difference` (the corrected resampled t-test
of Nadeau and Bengio 2003) says how sure a difference is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from imbalance._validation import ParameterError
from imbalance.comparison import ComparisonResult
from imbalance.metrics import LOWER_IS_BETTER, Difference, paired_difference
from imbalance.strategies import MULTILABEL_STRATEGIES, STRATEGIES

__all__ = ["Verdict", "answer", "tie_marks", "decision_summary", "DEFAULT_QUESTIONS", "REGRESSION_QUESTIONS"]

#: (ranking metric, decision metric) asked about by default, single-label and multi-label.
DEFAULT_QUESTIONS = {False: ("average_precision", "f1"), True: ("average_precision_macro", "f1_macro")}
#: What the answer asks of a numeric target: the error where it matters, and over the whole range.
REGRESSION_QUESTIONS = ("rare_rmse", "sera")
#: The cell every other is measured against, per model: the model as it is.
_BASELINE_STRATEGY = {"mlp": "mlp_bce"}  # the multi-label MLP's plain loss; single-label has no plain MLP


@dataclass(frozen=True)
class Verdict:
    """What the comparison says about one metric.

    Attributes
    ----------
    metric : str
    best : (strategy, model)
        The cell with the best mean over folds.
    best_mean : float
    baseline : (strategy, model) or None
        ``none`` with the best cell's model, or, where that model has no such cell (a balanced
        ensemble, the MLP), the best ``none`` cell; None when ``none`` did not run.
    baseline_mean : float or None
    difference : Difference or None
        Best minus baseline, fold by fold (for a loss, a negative difference is a gain).
    ties : list of ((strategy, model), mean, Difference)
        Cells whose difference from the best is within noise (not significant), best first;
        not those that score exactly as the best on every fold.
    same : list of (strategy, model)
        Cells that score exactly as the best on every fold (``threshold`` and ``none`` of one
        model, for a metric of the probabilities: they share them).
    choice : (strategy, model)
        The cell the answer recommends: the best, unless the best changes the model's
        probabilities (resampling, class weights, balanced draws) and a cell that keeps them
        (``none``, ``threshold``) is tied with it, or scores the same: then the best such cell,
        whose probabilities stay calibrated for the data as it is.
    """

    metric: str
    best: tuple
    best_mean: float
    baseline: tuple | None
    baseline_mean: float | None
    difference: Difference | None
    ties: list = field(default_factory=list)
    same: list = field(default_factory=list)
    choice: tuple | None = None

    def __post_init__(self) -> None:
        if self.choice is None:
            object.__setattr__(self, "choice", self.best)

    @property
    def beats_baseline(self) -> bool:
        return self.difference is not None and self.difference.significant and self.best != self.baseline

    def sentence(self) -> str:
        """The verdict in one plain sentence."""
        name = self.metric.replace("_", " ")
        cell = f"{self.best[0]} / {self.best[1]}"
        text = f"{name}: best {cell} {self.best_mean:.3f}"
        if self.baseline is None:
            text += " (no 'none' cell to compare with)"
        elif self.baseline == self.best:
            text += ", which is the model as it is: no strategy beats doing nothing"
        else:
            d = self.difference
            verdict = "a real difference" if d.significant else "within noise"
            text += (f"; against {self.baseline[0]} / {self.baseline[1]} {self.baseline_mean:.3f}: "
                     f"{d.mean:+.3f} [{d.low:+.3f}, {d.high:+.3f}], p = {d.p_value:.3g}, {verdict}")
        if self.same:
            text += f" ({', '.join(f'{s} / {m}' for s, m in self.same)} scores the same: the same probabilities)"
        if self.ties:
            shown = ", ".join(f"{s} / {m} {mean:.3f}" for (s, m), mean, _ in self.ties[:4])
            more = f" and {len(self.ties) - 4} more" if len(self.ties) > 4 else ""
            text += f". Tied with it (within noise): {shown}{more}"
        if self.choice != self.best:
            text += (f". Choose {self.choice[0]} / {self.choice[1]}: as good within noise, and it keeps the model's "
                     f"probabilities (no resampling or reweighting), which {self.best[0]} changes")
        return text + "."


def _scores(results: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Cells as columns, (repeat, fold) as rows."""
    return results.pivot_table(index=["repeat", "fold"], columns=["strategy", "model"], values=metric, sort=False)


def answer(result: ComparisonResult, metrics: tuple[str, ...] | None = None, *,
           confidence: float = 0.95) -> list[Verdict]:
    """A :class:`Verdict` per metric: the best cell, the baseline, the difference, the ties.

    Parameters
    ----------
    result : ComparisonResult
    metrics : tuple of str, optional
        Default: average precision (ranking) and F1 (the decision at each cell's threshold);
        their macro averages for a label matrix.
    confidence : float, default=0.95
        Of the intervals; a difference is significant when its interval leaves out 0.
    """
    if metrics is None:
        metrics = REGRESSION_QUESTIONS if result.task == "regression" else DEFAULT_QUESTIONS[result.multilabel]
    metrics = tuple(metrics)
    unknown = [m for m in metrics if m not in result.results.columns]
    if unknown:
        raise ParameterError(f"unknown metric(s) {unknown} for this comparison; choose from {', '.join(result.metrics)}.")
    n_train, n_test = float(result.results["n_train"].mean()), float(result.results["n_test"].mean())
    verdicts = []
    for metric in metrics:
        scores = _scores(result.results, metric)
        means = scores.mean()
        lower = metric in LOWER_IS_BETTER
        valid = means.dropna()
        if valid.empty:
            continue
        best = valid.idxmin() if lower else valid.idxmax()

        def versus(other, scores=scores, best=best):
            pair = scores[[best, other]].dropna()
            if len(pair) < 2:
                return None
            return paired_difference(pair[best], pair[other], n_train=n_train, n_test=n_test, confidence=confidence)

        model = best[1]
        candidates = [(_BASELINE_STRATEGY.get(model, "none"), model)]
        plain = [c for c in valid.index if c[0] == "none"]
        if plain:
            candidates.append(min(plain, key=valid.get) if lower else max(plain, key=valid.get))
        baseline = next((c for c in candidates if c in valid.index), None)
        ties, same = [], []
        for other in valid.index:
            if other == best:
                continue
            pair = scores[[best, other]].dropna()
            if len(pair) and pair[best].equals(pair[other]):
                same.append(other)
                continue
            d = versus(other)
            if d is not None and not d.significant:
                ties.append((other, float(valid[other]), d))
        ties.sort(key=lambda item: item[1], reverse=not lower)
        choice = best
        if not _keeps_probabilities(result, best):
            keeping = [cell for cell in same if _keeps_probabilities(result, cell)]
            keeping += [cell for cell, _, _ in ties if _keeps_probabilities(result, cell)]  # best first
            if keeping:
                choice = keeping[0]
        verdicts.append(Verdict(
            metric, best, float(valid[best]), baseline,
            None if baseline is None else float(valid[baseline]),
            None if baseline is None or baseline == best else versus(baseline), ties, same, choice,
        ))
    return verdicts


def _keeps_probabilities(result: ComparisonResult, cell: tuple) -> bool:
    """Whether a cell's strategy leaves the model's probabilities as they are (a regressor
    has none to keep: the best cell is the choice)."""
    if result.task == "regression":
        return False
    recipes = MULTILABEL_STRATEGIES if result.multilabel else STRATEGIES
    recipe = recipes.get(cell[0])
    return recipe is not None and recipe.keeps_probabilities


def tie_marks(verdicts: list[Verdict]) -> dict[str, set]:
    """Metric -> the cells tied with that metric's best, for marking tables."""
    return {v.metric: {cell for cell, _, _ in v.ties} for v in verdicts}


def decision_summary(result: ComparisonResult, cell: tuple) -> str | None:
    """What deploying ``cell`` (strategy, model) would do, in the words a team acting on it
    reads: over the first repeat's validation folds (every row scored once, out of fold), at
    the cell's own threshold, the share of rows flagged, the positives caught (recall), the
    flagged that are positive (precision), false alarms and misses. None for more than two
    classes or a label matrix."""
    counts = ("tp", "fp", "fn", "tn")
    if result.multilabel or not set(counts) <= set(result.results.columns):
        return None
    rows = result.results.query("strategy == @cell[0] and model == @cell[1] and repeat == 0")
    if rows.empty:
        return None
    tp, fp, fn, tn = (int(rows[c].sum()) for c in counts)
    n = tp + fp + fn + tn
    positive = "positive" if result.classes is None else f"class {result.classes[1]}"
    thresholds = rows["threshold"].to_numpy()
    at = (f"threshold {thresholds[0]:.2f}" if (thresholds == thresholds[0]).all() else
          f"its tuned thresholds ({thresholds.min():.2f} to {thresholds.max():.2f} over folds)")
    caught = f"{tp / (tp + fn):.0%}" if tp + fn else "none"
    right = f"{tp / (tp + fp):.0%}" if tp + fp else "none"
    return (f"Deciding with {cell[0]} / {cell[1]} at {at}: of {n:,} rows, each scored once out of fold, it flags "
            f"{(tp + fp) / n:.1%} ({tp + fp:,}); it catches {caught} of the {tp + fn:,} rows of {positive} "
            f"(recall; {fn:,} missed), and {right} of the flagged rows are of it (precision; {fp:,} false alarms).")
