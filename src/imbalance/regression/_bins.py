r"""Relevance bins: a numeric target cut where its relevance crosses a threshold, so that the
planner can treat bins as it treats classes.

Sorted by the target, rows are *rare* where :math:`\phi(y) \ge t` and *normal* elsewhere;
each maximal run of rows of one kind is a bin (Torgo et al. 2013, 2015: "bumps"). With both
tails rare a target has three bins (rare low, normal, rare high). Rows with equal targets
share a relevance, hence a bin.

Strategies mean what they mean for classes (a bin's count *after*), through
:func:`imbalance.plan_from_counts`, plus the two names of the imbalanced-regression
literature: ``"balance"``, every bin the same count with the total kept (the planner's
``"power"`` with :math:`q = 0`), and ``"extreme"``, counts inversely proportional to the
bins' counts with the total kept (:math:`q = -1`: the rare become the frequent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from imbalance._validation import InputError, ParameterError
from imbalance.planner import Plan, plan_from_counts
from imbalance.regression._relevance import Relevance, as_relevance, check_target

__all__ = ["RelevanceBins", "relevance_bins", "plan_bins", "check_threshold"]

#: The literature's names for numeric targets -> the planner's power exponent (total kept).
_POWER_NAMES = {"balance": 0.0, "extreme": -1.0}


def check_threshold(threshold: Any) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) \
            or not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be a relevance in (0, 1] above which a target value is rare, "
                             f"got {threshold!r}.")
    return float(threshold)


@dataclass(frozen=True, repr=False)
class RelevanceBins:
    """The bins of a target: contiguous ranges, each rare or normal.

    Attributes
    ----------
    edges : ndarray of shape (n_bins - 1,)
        Cut points between bins, half way between the last target value of a bin and the
        first of the next; :meth:`assign` puts a value equal to an edge in the upper bin.
    rare : ndarray of bool, shape (n_bins,)
        Whether each bin is rare (relevance at least ``threshold``).
    low, high : ndarray of shape (n_bins,)
        The smallest and largest target value of each bin in the data it was cut from.
    relevance : Relevance
    threshold : float
    """

    edges: np.ndarray
    rare: np.ndarray
    low: np.ndarray
    high: np.ndarray
    relevance: Relevance
    threshold: float

    @property
    def n_bins(self) -> int:
        return int(self.rare.size)

    def assign(self, y: ArrayLike) -> np.ndarray:
        """The bin (0 to ``n_bins - 1``) of every value of ``y``."""
        return np.searchsorted(self.edges, np.asarray(y, dtype=np.float64), side="right")

    def names(self) -> list[str]:
        """A readable name per bin: ``"rare [15, 29]"``."""
        return [f"{'rare' if r else 'normal'} [{lo:g}, {hi:g}]" for r, lo, hi in zip(self.rare, self.low, self.high)]

    def __repr__(self) -> str:
        return f"RelevanceBins(threshold={self.threshold:g}: {', '.join(self.names())})"


def relevance_bins(y: ArrayLike, relevance: "Relevance | ArrayLike | None" = None, *,
                   threshold: float = 0.8) -> RelevanceBins:
    r"""Cut a numeric target into rare and normal bins.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target: finite numbers, not constant.
    relevance : Relevance or control points, optional
        :math:`\phi`; default :meth:`Relevance.from_target` of ``y`` (both tails).
    threshold : float, default=0.8
        A value is rare where :math:`\phi(y) \ge` ``threshold`` (0.8 as in Branco, Torgo &
        Ribeiro 2019; UBL's default is 0.5).

    Returns
    -------
    RelevanceBins

    Raises
    ------
    InputError
        When no value, or every value, is rare: there is nothing to rebalance.
    """
    values = check_target(y)
    t = check_threshold(threshold)
    phi = as_relevance(relevance, values)
    unique = np.unique(values)
    rare = phi(unique) >= t
    if rare.all() or not rare.any():
        kind = "rare" if rare.all() else "normal"
        raise InputError(
            f"every value of y is {kind} at threshold={t:g} (relevance {phi!r}), so there is nothing to rebalance; "
            f"{'raise' if rare.all() else 'lower'} the threshold or give control points that mark the rare range."
        )
    change = np.flatnonzero(rare[1:] != rare[:-1]) + 1
    starts, ends = np.concatenate([[0], change]), np.concatenate([change, [unique.size]]) - 1
    edges = (unique[change - 1] + unique[change]) / 2
    return RelevanceBins(edges=edges, rare=rare[starts], low=unique[starts], high=unique[ends], relevance=phi,
                         threshold=t)


def plan_bins(y: ArrayLike, strategy: Any = "balance", *, relevance: "Relevance | ArrayLike | None" = None,
              threshold: float = 0.8, ratio: float = 1.0, q: float | None = None, total: int | None = None,
              direction: str | None = None) -> tuple[Plan, RelevanceBins]:
    r"""Plan the row count of every relevance bin of a numeric target.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The numeric target.
    strategy : {"balance", "extreme", "under", "over", "power"}, dict or callable, default="balance"
        - ``"balance"``: every bin the same count, the total kept (:math:`q = 0`).
        - ``"extreme"``: bin :math:`b` gets a share :math:`\propto 1/n_b`, the total kept
          (:math:`q = -1`): frequencies inverted, as UBL's and smogn's ``"extreme"``.
        - the planner's own: ``"under"``/``"over"`` with ``ratio``, ``"power"`` with ``q``, a
          dict ``{bin: count after}``, a callable (see :func:`imbalance.plan`).
    relevance, threshold
        As in :func:`relevance_bins`.
    ratio, q, total, direction
        As in :func:`imbalance.plan`.

    Returns
    -------
    plan : Plan
        Its classes are the bins 0 to ``n_bins - 1`` (low target to high).
    bins : RelevanceBins
    """
    values = check_target(y)
    bins = relevance_bins(values, relevance, threshold=threshold)
    counts = np.bincount(bins.assign(values), minlength=bins.n_bins)
    if (counts == 0).any():  # pragma: no cover - every bin is cut from values of y
        raise InputError("a relevance bin holds no row of y.")
    by_bin = dict(enumerate(counts.tolist()))
    if isinstance(strategy, str) and strategy in _POWER_NAMES:
        if q is not None:
            raise ParameterError(f"q does not apply to strategy={strategy!r} (it fixes q={_POWER_NAMES[strategy]:g}).")
        plan = plan_from_counts(by_bin, "power", q=_POWER_NAMES[strategy], ratio=ratio,
                                total=values.size if total is None else total, direction=direction)
        plan = Plan(classes=plan.classes, counts=plan.counts, targets=plan.targets, strategy=strategy,
                    ratio=plan.ratio, q=plan.q, total=plan.total, direction=direction)
    else:
        plan = plan_from_counts(by_bin, strategy, ratio=ratio, q=q, total=total, direction=direction)
    return plan, bins
