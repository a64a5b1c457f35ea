r"""The one rule by which every backend realises a plan: t draws from a class of n rows.

Every row is taken :math:`\lfloor t / n \rfloor` times, and a uniformly random subset of
:math:`t \bmod n` distinct rows once more. So

* under-sampling (:math:`t < n`) is a random subset without replacement;
* over-sampling keeps every row and repeats rows as evenly as the counts allow: each row
  appears :math:`\lfloor t/n \rfloor` or :math:`\lceil t/n \rceil` times. Drawing the extra
  rows i.i.d. with replacement (imbalanced-learn's way) meets the same count, but leaves some
  rows drawn many times and others never, which only adds variance.

numpy and pandas (:mod:`imbalance.resample`), the SMOTE family's row counts and the torch
samplers (:mod:`imbalance.torch.samplers`) call :func:`even_draws`; Spark
(:mod:`imbalance.spark`) applies the same rule with a random key per row (every row
:math:`\lfloor t/n \rfloor` times, plus the :math:`t \bmod n` rows with the smallest keys),
since its rows are never in one process. The torch samplers' ``replacement=True`` is the one
stated exception: i.i.d. draws, for users who ask for them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["even_draws", "random_subset"]


def random_subset(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` distinct positions in ``range(n)``, uniformly at random, in ascending order.

    Sparse subsets come from ``Generator.choice`` without replacement. Dense ones (more than
    an eighth of the rows): keep each position with probability size/n, then add or drop the
    few positions that the count is off by, at random. Every subset of that size stays equally
    likely, and this is about twice as fast as ``choice(replace=False)``.
    """
    if size * 8 < n:
        return np.sort(rng.choice(n, size=size, replace=False, shuffle=False))
    mask = rng.random(n, dtype=np.float32) < np.float32(size / n)
    off = int(np.count_nonzero(mask)) - size
    if off:
        candidates = np.flatnonzero(mask if off > 0 else ~mask)
        mask[candidates[rng.choice(candidates.size, size=abs(off), replace=False)]] = off < 0
    return np.flatnonzero(mask)


def even_draws(n: int, t: int, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """``t`` draws from ``n`` rows by the rule above: ``(whole, subset)``, meaning every row
    ``whole`` times plus the rows at positions ``subset`` (ascending) once more."""
    whole, rest = divmod(int(t), int(n))
    subset = random_subset(n, rest, rng) if rest else np.empty(0, dtype=np.intp)
    return whole, subset
