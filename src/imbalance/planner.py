"""The planner: class counts + a strategy -> the target count of every class.

Pure: no data beyond the counts, no randomness. Every backend (numpy and pandas
resampling, row counts, torch samplers, Spark) carries out the plan it returns.

One meaning everywhere: a class's *target* is its row count **after** resampling.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike

from imbalance._labels import EncodedLabels, encode_labels
from imbalance._sampling_strategy import from_sampling_strategy
from imbalance._validation import (
    MAX_ROWS,
    InputTypeError,
    StrategyError,
    check_ratio,
    fmt_label,
    to_python,
)

__all__ = ["Targets", "Plan", "plan", "plan_labels", "realised_plan", "plan_from_counts", "power", "apportion", "Strategy", "LabelPlan",
           "plan_label_counts", "from_sampling_strategy"]

#: What a plan may be asked for: a strategy name (``"under"``, ``"over"``, ``"power"``), explicit
#: ``{class: count}`` targets, or a callable from class counts to targets.
Strategy = Union[str, Mapping[Any, int], Callable[[dict], Mapping[Any, int]]]
#: Explicit counts after resampling: class -> rows, or a function of the counts before that gives them.
Targets = Union[Mapping[Any, int], Callable[[dict], Mapping[Any, int]]]

_NAMED = ("under", "over", "power")


class _CountsAndTargets:
    """What a class plan and a label plan share: ``counts`` and ``targets`` (dicts in order),
    as arrays, and equality by both."""

    counts: dict
    targets: dict

    @property
    def count_array(self) -> np.ndarray:
        """Counts before, as an int64 array in order."""
        return np.fromiter(self.counts.values(), dtype=np.int64, count=len(self.counts))

    @property
    def target_array(self) -> np.ndarray:
        """Counts after, as an int64 array in order."""
        return np.fromiter(self.targets.values(), dtype=np.int64, count=len(self.targets))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.targets == other.targets and self.counts == other.counts

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, repr=False, eq=False)
class Plan(_CountsAndTargets):
    """The target row count of every class, before anything is resampled.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        The classes, sorted (pandas categorical labels: in category order).
    counts : dict
        Class -> row count before resampling, in class order.
    targets : dict
        Class -> row count after resampling, in class order.
    strategy : str
        ``"under"``, ``"over"``, ``"power"``, ``"dict"`` or ``"callable"``.
    ratio : float or None
        The ratio used by ``"under"``/``"over"``; None otherwise.
    q : float or None
        The exponent of ``"power"``; None otherwise.
    total : int or None
        The row count the targets were scaled to, when one was asked for.
    direction : {"under", "over"} or None
        Which way classes were allowed to move (a sampler that only removes or only adds rows).
    """

    classes: np.ndarray
    counts: dict
    targets: dict
    strategy: str
    ratio: float | None = None
    q: float | None = None
    total: int | None = None
    direction: str | None = None

    @property
    def n_before(self) -> int:
        return sum(self.counts.values())

    @property
    def n_after(self) -> int:
        return sum(self.targets.values())

    @property
    def imbalance_ratio(self) -> float:
        """Largest / smallest class count after resampling (``inf`` where a cleaning rule
        emptied a class: see :func:`realised_plan`)."""
        smallest = min(self.targets.values())
        return max(self.targets.values()) / smallest if smallest else math.inf

    @property
    def description(self) -> str:
        """How the plan was made, e.g. ``"strategy='power', q=0.5, total=1000"``."""
        parts = [f"strategy={self.strategy!r}"]
        parts += [f"{name}={value:g}" for name, value in (("ratio", self.ratio), ("q", self.q)) if value is not None]
        if self.total is not None:
            parts.append(f"total={self.total}")
        if self.direction is not None:
            parts.append(f"direction={self.direction!r}")
        return ", ".join(parts)

    def __repr__(self) -> str:
        names = [str(c) for c in self.counts] + ["total"]
        before = [*self.counts.values(), self.n_before]
        after = [*self.targets.values(), self.n_after]
        width = max(5, *(len(s) for s in names))
        num = max(6, *(len(str(v)) for v in before + after))
        lines = [f"Plan({self.description})",
                 f"  {'class':<{width}}  {'before':>{num}}  {'after':>{num}}  {'change':>{num + 1}}"]
        for name, b, a in zip(names, before, after):
            lines.append(f"  {name:<{width}}  {b:>{num}}  {a:>{num}}  {a - b:>+{num + 1}}")
        return "\n".join(lines)


def plan(
    y: ArrayLike,
    strategy: Strategy = "under",
    *,
    ratio: float = 1.0,
    q: float | None = None,
    total: int | None = None,
    direction: str | None = None,
) -> Plan:
    r"""Plan how many rows each class should have after resampling.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels (numpy, pandas Series, list). Two or more classes, no missing values.
    strategy : {"under", "over", "power"}, dict or callable, default="under"
        - ``"under"``: keep the smallest class; cap every other class at
          :math:`\lfloor r \cdot n_{min} \rfloor` rows.
        - ``"over"``: keep the largest class; raise every other class to at least
          :math:`\lceil n_{max} / r \rceil` rows.
        - ``"power"``: class :math:`c` gets a share :math:`\propto n_c^q` of ``total`` rows
          (default: as many as there are); ``q=1`` keeps the proportions, ``q=0.5`` is
          square-root sampling, ``q=0`` balances the classes.
        - dict ``{class: target}``: the row count after resampling of each listed class;
          classes not listed keep their count.
        - callable ``f(counts) -> {class: target}``, given ``{class: count}`` in class order.
    ratio : float, default=1.0
        :math:`r \ge 1`, the largest class count divided by the smallest class count after
        resampling (``ratio=3``: three majority rows per minority row). Only for
        ``"under"``/``"over"``.
    q : float, optional
        The exponent of ``"power"`` (and only there, where it is required).
    total : int, optional
        The row count after resampling. Any strategy's targets are scaled to it in
        proportion (largest remainder, so they sum to it exactly); every class keeps at
        least one row.
    direction : {"under", "over"}, optional
        Refuse a plan that would add rows to a class (``"under"``) or remove rows from one
        (``"over"``), as a sampler that only does one of the two must.

    Returns
    -------
    Plan

    Notes
    -----
    Rounding: ``under`` rounds the cap down and ``over`` rounds the floor up, so the realized
    ratio never exceeds ``ratio``. The ratio is read as the decimal number it prints as
    (``1.1`` is exactly 11/10), so ``ratio * n`` suffers no binary rounding.

    Examples
    --------
    >>> import imbalance
    >>> imbalance.plan([0] * 90 + [1] * 10, "under", ratio=3).targets
    {0: 30, 1: 10}
    >>> imbalance.plan([0] * 90 + [1] * 10, "power", q=0.5).targets
    {0: 75, 1: 25}
    """
    return plan_labels(encode_labels(y), strategy, ratio=ratio, q=q, total=total, direction=direction)


def plan_labels(
    labels: EncodedLabels,
    strategy: Strategy = "under",
    *,
    ratio: float = 1.0,
    q: float | None = None,
    total: int | None = None,
    direction: str | None = None,
) -> Plan:
    """:func:`plan` for labels already read by :func:`imbalance._labels.encode_labels`: the
    entry every backend that holds encoded labels (numpy, the samplers, torch) plans through."""
    counts = {to_python(c): int(n) for c, n in zip(labels.classes, labels.counts)}
    return _build(labels.classes, counts, strategy, ratio, q, total, direction)


def realised_plan(labels: EncodedLabels, kept: np.ndarray, *, strategy: str) -> Plan:
    """The plan a rule carried out, read off the counts it left: what a cleaning method (which
    decides the counts itself) or a sampler that could not reach its plan records as ``plan_``.

    Unlike a requested target, a realised count may be 0: a cleaning rule can empty a class, as
    imbalanced-learn's do (ENN with ``kind_sel="all"``, Tomek links on two rows, ...), and the
    plan says so rather than refusing what already happened. ``direction`` is ``"under"`` where
    no class grew, ``"over"`` where none shrank, None otherwise.

    Parameters
    ----------
    labels : EncodedLabels
        The labels the rule was given.
    kept : ndarray of shape (n_classes,)
        Each class's row count in the result, in class order.
    strategy : str
        What made the counts (the sampler's name).
    """
    before = labels.counts
    direction = "under" if (kept <= before).all() else "over" if (kept >= before).all() else None
    return Plan(
        classes=labels.classes,
        counts={to_python(c): int(n) for c, n in zip(labels.classes, before)},
        targets={to_python(c): int(n) for c, n in zip(labels.classes, kept)},
        strategy=strategy,
        direction=direction,
    )


def plan_from_counts(
    counts: Mapping[Any, int],
    strategy: Strategy = "under",
    *,
    ratio: float = 1.0,
    q: float | None = None,
    total: int | None = None,
    direction: str | None = None,
) -> Plan:
    """Plan from class counts alone (e.g. from a Spark aggregation).

    Parameters
    ----------
    counts : mapping
        Class -> row count (positive ints). Classes are sorted.
    strategy, ratio, q, total, direction
        As in :func:`plan`.
    """
    if not isinstance(counts, Mapping):
        raise InputTypeError(f"counts must be a mapping class -> count, got {type(counts).__name__}.")
    if len(counts) < 2:
        raise StrategyError(
            f"counts has {len(counts)} class(es); imbalance handling needs at least 2 classes."
        )
    try:
        keys = sorted(counts)
    except TypeError as exc:
        raise InputTypeError(f"class labels must be mutually comparable to sort them: {exc}") from None
    checked = {}
    for key in keys:
        value = counts[key]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise StrategyError(f"count of class {fmt_label(key)} must be a positive int, got {value!r}.")
        checked[to_python(key)] = int(value)
    return _build(np.array(list(checked)), checked, strategy, ratio, q, total, direction)


def _build(classes: np.ndarray, counts: dict, strategy: Strategy, ratio: float, q: float | None,
           total: int | None, direction: str | None) -> Plan:
    count_array = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, np.integer))
                              or not 1 <= total <= MAX_ROWS):
        raise StrategyError(f"total must be a positive int (rows after resampling, at most 2**53), got {total!r}.")
    if direction not in (None, "under", "over"):
        raise StrategyError(f"direction must be 'under', 'over' or None, got {direction!r}.")
    if q is not None and strategy != "power":
        raise StrategyError("q only applies to strategy='power'.")
    used_ratio = used_q = None
    if isinstance(strategy, str):
        if strategy not in _NAMED:
            raise StrategyError(
                f"unknown strategy {strategy!r}; use 'under', 'over', 'power', a dict {{class: count after}} "
                "or a callable."
            )
        if strategy == "power":
            if q is None:
                raise StrategyError("strategy='power' needs q (1: as is, 0.5: square root, 0: balanced).")
            _check_no_ratio(ratio, "'power'")
            target_array = _power_targets(count_array, q, int(count_array.sum()) if total is None else int(total))
            used_q = float(q)
        else:
            used_ratio = check_ratio(ratio)
            target_array = _named_targets(strategy, count_array, used_ratio)
        name = strategy
    elif isinstance(strategy, Mapping) or callable(strategy):
        _check_no_ratio(ratio, "explicit targets")
        if isinstance(strategy, Mapping):
            explicit, name = strategy, "dict"
        else:
            explicit, name = strategy(dict(counts)), "callable"
            if not isinstance(explicit, Mapping):
                raise StrategyError(
                    f"the strategy callable must return a dict {{class: count after}}, "
                    f"got {type(explicit).__name__}."
                )
        target_array = _explicit_targets(explicit, counts)
    else:
        raise InputTypeError(
            f"strategy must be 'under', 'over', 'power', a dict or a callable, got {type(strategy).__name__}."
        )
    if total is not None and int(target_array.sum()) != total:
        target_array = apportion(target_array, int(total))
        if (target_array < 1).any():
            raise StrategyError(
                f"total={total} rows are too few to keep at least one row of each of {len(counts)} classes "
                "in the plan's proportions; raise total."
            )
    if direction is not None:
        _check_direction(direction, counts, target_array)
    return Plan(
        classes=classes,
        counts=dict(counts),
        targets={c: int(t) for c, t in zip(counts, target_array)},
        strategy=name,
        ratio=used_ratio,
        q=used_q,
        total=None if total is None else int(total),
        direction=direction,
    )


def _check_no_ratio(ratio: float, what: str) -> None:
    if ratio != 1.0:
        raise StrategyError(
            f"ratio only applies to 'under' and 'over'; {what} already fix every class's count. "
            "Drop ratio or use a named strategy."
        )


def _check_direction(direction: str, counts: dict, targets: np.ndarray) -> None:
    for (c, n), t in zip(counts.items(), targets.tolist()):
        if (t > n) if direction == "under" else (t < n):
            verb, other = ("remove", "adds") if direction == "under" else ("add", "removes")
            raise StrategyError(
                f"this plan can only {verb} rows (direction={direction!r}), but the target for class "
                f"{fmt_label(c)} is {t} and it has {n}. Use a sampler that {other} rows, or "
                "imbalance.resample(X, y, targets) to move classes both ways."
            )


def _power_targets(counts: np.ndarray, q: Any, total: int) -> np.ndarray:
    if isinstance(q, bool) or not isinstance(q, (int, float, np.integer, np.floating)) or not math.isfinite(q):
        raise StrategyError(f"q must be a finite number (1: as is, 0.5: square root, 0: balanced), got {q!r}.")
    shares = apportion(counts.astype(np.float64) ** float(q), total)
    if (shares < 1).any():
        raise StrategyError(
            f"{total} rows are too few to give each of {counts.size} classes at least one row "
            f"with q={q}; raise the number of samples."
        )
    return shares


def _named_targets(strategy: str, counts: np.ndarray, ratio: float) -> np.ndarray:
    # The ratio as the decimal it prints as, so that 1.1 * 10 is 11, not 11.000000000000002.
    exact = Fraction(repr(ratio))
    if strategy == "under":
        # capped at the largest count first: a huge ratio must not overflow int64
        cap = min(math.floor(exact * int(counts.min())), int(counts.max()))
        return np.minimum(counts, cap)
    floor = math.ceil(int(counts.max()) / exact)
    return np.maximum(counts, floor)


def _explicit_targets(explicit: Mapping, counts: dict) -> np.ndarray:
    lookup = {}
    for key in counts:
        lookup[key] = key
        lookup.setdefault(str(key), key)  # lets a CLI or JSON pass classes as strings
    targets = dict(counts)
    for key, value in explicit.items():
        known = lookup.get(to_python(key))
        if known is None:
            shown = ", ".join(fmt_label(c) for c in counts)
            raise StrategyError(f"unknown class {fmt_label(key)} in the targets; the classes are {shown}.")
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise StrategyError(
                f"target for class {fmt_label(key)} must be an int (rows after resampling), got {value!r}."
            )
        if value < 1:
            raise StrategyError(
                f"target for class {fmt_label(key)} must be >= 1 row, got {value}; to drop a class, "
                "filter its rows out before resampling."
            )
        if value > MAX_ROWS:
            raise StrategyError(
                f"target for class {fmt_label(key)} is {value} rows, more than any table can hold "
                f"(at most 2**53 = {MAX_ROWS:.3g}); check the number."
            )
        targets[known] = int(value)
    return np.fromiter(targets.values(), dtype=np.int64, count=len(targets))


def apportion(weights: ArrayLike, total: int) -> np.ndarray:
    """Split ``total`` rows among classes in proportion to ``weights``, exactly.

    Largest-remainder (Hamilton) rounding: every class gets the floor of its exact share,
    and the rows left go to the largest fractional parts (ties to the lower class index), so
    the counts sum to ``total`` and each is within one row of its exact share.
    """
    w = np.asarray(weights, dtype=np.float64)
    exact = w / w.sum() * total
    counts = np.floor(exact).astype(np.int64)
    left = int(total - counts.sum())
    if left:
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:left]] += 1
    return counts


def power(q: float, total: int | None = None) -> Callable[[dict], dict]:
    r"""Strategy callable giving class :math:`c` a share :math:`\propto n_c^q` of ``total`` rows.

    The same as ``strategy="power", q=q, total=total``, as a callable for APIs that take one.
    ``q=1`` keeps the class proportions (instance-balanced), ``q=0.5`` is square-root
    sampling, ``q=0`` gives every class the same count (class-balanced). ``total`` defaults to
    the number of rows. Rounded with :func:`apportion`, so the targets sum to ``total`` exactly.

    Examples
    --------
    >>> import imbalance
    >>> imbalance.plan([0] * 90 + [1] * 10, imbalance.power(0.0)).targets
    {0: 50, 1: 50}
    """
    if isinstance(q, bool) or not isinstance(q, (int, float)) or not math.isfinite(q):
        raise StrategyError(f"q must be a finite number (1: as is, 0.5: square root, 0: balanced), got {q!r}.")
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, np.integer)) or total < 1):
        raise StrategyError(f"total must be a positive int, got {total!r}.")

    def targets(counts: dict) -> dict:
        n = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
        size = int(n.sum()) if total is None else int(total)
        return dict(zip(counts, _power_targets(n, q, size).tolist()))

    targets.__name__ = f"power(q={q})"
    return targets


# ----------------------------------------------------------------------------- multi-label

_LABEL_STRATEGIES = ("mean_ir", "over")


@dataclass(frozen=True, repr=False, eq=False)
class LabelPlan(_CountsAndTargets):
    """The least number of rows every label of a multi-label table should carry after
    over-sampling.

    A label plan only adds rows: a copied row raises the count of every label it carries, so
    labels that share rows with the ones being raised end up above their target, and no plan
    of exact counts could be met. Targets are lower bounds; what a sampler reached is in its
    ``label_counts_after_``.

    Attributes
    ----------
    labels : tuple of str
    counts, targets : dict
        Label -> rows carrying it, before and (at least) after.
    strategy : {"mean_ir", "over", "dict"}
    ratio : float or None
        The largest IRLbl allowed after, for ``"over"``; the MeanIR before for ``"mean_ir"``.
    """

    labels: tuple
    counts: dict
    targets: dict
    strategy: str
    ratio: float | None = None

    def __repr__(self) -> str:
        top = max(self.counts.values())
        described = f"strategy={self.strategy!r}" + (f", ratio={self.ratio:g}" if self.ratio is not None else "")
        width = max(5, *(len(str(label)) for label in self.labels))
        num = max(8, *(len(str(v)) for v in (*self.counts.values(), *self.targets.values())))
        # IRLbl at the target: against the most frequent label's count before (copies raise it too)
        lines = [f"LabelPlan({described})",
                 f"  {'label':<{width}}  {'before':>{num}}  {'at least':>{num}}  {'change':>{num + 1}}  "
                 f"{'IRLbl before':>12}  {'at target':>9}"]
        for label in self.labels:
            before, after = self.counts[label], self.targets[label]
            lines.append(f"  {label!s:<{width}}  {before:>{num}}  {after:>{num}}  {after - before:>+{num + 1}}  "
                         f"{top / before:>12.2f}  {top / after:>9.2f}")
        return "\n".join(lines)


def plan_label_counts(counts: Mapping[Any, int], strategy: Any = "mean_ir", *, ratio: float = 1.0) -> LabelPlan:
    r"""Plan the over-sampling of a multi-label table from its label counts.

    With :math:`n_l` the rows carrying label :math:`l`, :math:`M = \max_l n_l` and the
    imbalance ratio per label :math:`\mathrm{IRLbl}(l) = M / n_l` (Charte et al. 2015):

    - ``"mean_ir"``: every label at most as imbalanced as the mean,
      :math:`t_l = \max(n_l, \lceil M / \mathrm{MeanIR} \rceil)` with
      :math:`\mathrm{MeanIR} = \frac1q \sum_l \mathrm{IRLbl}(l)`: the goal ML-ROS works
      towards;
    - ``"over"``: every label within ``ratio``:1 of the most frequent one,
      :math:`t_l = \max(n_l, \lceil M / r \rceil)` (``ratio=1``: all as frequent as it);
    - a dict label -> rows: those labels' targets (not below their counts), the others kept.

    :math:`M` is the count before: copies of rows that carry the most frequent label raise it
    too, and a plan fixed up front is what makes the targets reachable.

    Parameters
    ----------
    counts : mapping
        Label -> rows carrying it (positive ints), in the table's label order.
    strategy : {"mean_ir", "over"} or dict, default="mean_ir"
    ratio : float, default=1.0
        For ``"over"``.

    Returns
    -------
    LabelPlan
    """
    if not isinstance(counts, Mapping) or not counts:
        raise InputTypeError("counts must be a non-empty mapping label -> rows carrying it.")
    labels = tuple(counts)
    values = np.array([counts[label] for label in labels])
    if values.dtype.kind not in "iu" or (values < 1).any():
        raise StrategyError(f"every label count must be a positive int, got {dict(counts)}; a label carried by no "
                            "row cannot be planned for: drop its column.")
    before = dict(zip(labels, values.tolist()))
    top = int(values.max())
    if isinstance(strategy, Mapping):
        targets = _explicit_label_targets(strategy, before)
        return LabelPlan(labels, before, targets, "dict")
    if strategy not in _LABEL_STRATEGIES:
        raise StrategyError(f"a label plan's strategy must be one of {', '.join(_LABEL_STRATEGIES)} or a dict "
                            f"label -> rows, got {strategy!r}.")
    if strategy == "mean_ir":
        limit = float(np.mean(top / values))
    else:
        limit = check_ratio(ratio)
    # ceil(M / limit) with a tolerance, so that a label already at the limit is not raised by
    # a rounding error (M / (M / n) can come out as n + 1e-13)
    floor = math.ceil(top / limit - 1e-9)
    targets = {label: max(n, floor) for label, n in before.items()}
    return LabelPlan(labels, before, targets, strategy, limit)


def _explicit_label_targets(explicit: Mapping, counts: dict) -> dict:
    lookup = {str(label): label for label in counts}
    targets = dict(counts)
    for key, value in explicit.items():
        label = key if key in counts else lookup.get(str(key))
        if label is None:
            raise StrategyError(f"unknown label {key!r} in the targets; the labels are {', '.join(map(str, counts))}.")
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise StrategyError(f"target for label {key!r} must be an int (rows carrying it after), got {value!r}.")
        if value < counts[label]:
            raise StrategyError(
                f"target for label {key!r} is {value} rows but {counts[label]} already carry it; a label plan only "
                "adds rows (removing rows of one label removes others' too): use ML-RUS to under-sample."
            )
        if value > MAX_ROWS:
            raise StrategyError(f"target for label {key!r} is {value} rows, more than any table can hold.")
        targets[label] = int(value)
    return targets
