"""imbalanced-learn's ``sampling_strategy``, read as the planner's targets.

imbalanced-learn gives its samplers one parameter for what the planner takes as a strategy:
a float ratio (two classes), a string naming which classes to resample, a dict of counts
after, or a function of ``y``. :func:`from_sampling_strategy` turns any of them into targets
``f(counts) -> {class: count}``, so that code written for imbalanced-learn plans here the
same counts; the planner then checks them as it checks any targets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any

import numpy as np

from imbalance._validation import ParameterError, StrategyError

__all__ = ["from_sampling_strategy", "SAMPLING_STRATEGY_NAMES"]

#: The strings imbalanced-learn's ``sampling_strategy`` takes: which classes are resampled.
SAMPLING_STRATEGY_NAMES = ("auto", "all", "majority", "minority", "not minority", "not majority")


def _chosen(name: str, counts: dict, direction: str) -> list:
    """The classes a named ``sampling_strategy`` resamples (imbalanced-learn's reading:
    ``auto`` is ``not minority`` when under-sampling, ``not majority`` when over-sampling;
    the first class of the largest / smallest count is the majority / minority)."""
    if name == "auto":
        name = "not minority" if direction == "under" else "not majority"
    if (name, direction) in (("minority", "under"), ("majority", "over")):
        raise StrategyError(f"sampling_strategy={name!r} cannot be used to {direction}-sample: it would move the "
                            f"{name} class the wrong way. Use 'auto' or name the classes in a dict.")
    majority, minority = max(counts, key=counts.get), min(counts, key=counts.get)
    return {
        "all": list(counts),
        "majority": [majority],
        "minority": [minority],
        "not minority": [c for c in counts if c != minority],
        "not majority": [c for c in counts if c != majority],
    }[name]


def from_sampling_strategy(sampling_strategy: Any, *, direction: str) -> Callable[[dict], dict]:
    r"""imbalanced-learn's ``sampling_strategy`` as targets for any sampler here.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        As imbalanced-learn reads it:

        - float :math:`\alpha \in (0, 1]`, two classes only: the minority count over the
          majority count after resampling. Under-sampling keeps the minority's
          :math:`n_m` rows and cuts the majority to :math:`\lfloor n_m / \alpha \rfloor`;
          over-sampling keeps the majority's :math:`n_M` and raises the minority to
          :math:`\lfloor \alpha\, n_M \rfloor`.
        - ``"majority"``, ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"``,
          ``"auto"``: which classes are resampled, each to the minority's count
          (under-sampling) or the majority's (over-sampling).
        - dict ``{class: count}``: the count after, for the classes listed.
        - callable ``f(y) -> {class: count}``: called with the labels, as a sorted array
          with the same counts (imbalanced-learn passes ``y`` itself; only the counts reach
          a plan).
    direction : {"under", "over"}
        Which way the sampler moves classes.

    Returns
    -------
    callable
        ``f(counts) -> {class: count}``: a ``targets=`` for every sampler and for
        :func:`imbalance.plan`.

    Examples
    --------
    >>> import imbalance
    >>> from imbalance.planner import from_sampling_strategy
    >>> y = [0] * 90 + [1] * 10
    >>> imbalance.plan(y, from_sampling_strategy(0.5, direction="under")).targets
    {0: 20, 1: 10}
    >>> imbalance.plan(y, from_sampling_strategy("minority", direction="over")).targets
    {0: 90, 1: 90}
    """
    if direction not in ("under", "over"):
        raise ParameterError(f"direction must be 'under' or 'over', got {direction!r}.")
    ss = sampling_strategy
    if isinstance(ss, Real) and not isinstance(ss, bool):
        if not 0 < ss <= 1:
            raise ParameterError(f"A float sampling_strategy is the minority/majority ratio after resampling, in "
                                 f"(0, 1]; got {ss!r}.")
    elif isinstance(ss, str):
        if ss not in SAMPLING_STRATEGY_NAMES:
            raise ParameterError(f"sampling_strategy must be a float, a dict, a callable or one of "
                                 f"{', '.join(map(repr, SAMPLING_STRATEGY_NAMES))}; got {ss!r}.")
    elif not (isinstance(ss, Mapping) or callable(ss)):
        raise ParameterError(f"sampling_strategy must be a float, a str, a dict or a callable; got "
                             f"{type(ss).__name__}.")

    def targets(counts: dict) -> dict:
        if isinstance(ss, Mapping):
            return dict(ss)
        if callable(ss):
            y = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
            return dict(ss(np.array(y.tolist())))
        if isinstance(ss, str):
            to = min(counts.values()) if direction == "under" else max(counts.values())
            return {c: to for c in _chosen(ss, counts, direction)}
        if len(counts) != 2:
            raise StrategyError(f"A float sampling_strategy applies to two classes and y has {len(counts)}: give a "
                                "dict {class: count}, or a string such as 'auto'.")
        majority, minority = max(counts, key=counts.get), min(counts, key=counts.get)
        if direction == "under":
            return {majority: int(counts[minority] / ss)}
        return {minority: int(counts[majority] * ss)}

    return targets
