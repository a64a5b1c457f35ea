"""SMOTE, Borderline-SMOTE and ADASYN: interpolation between a row and a same-class neighbour."""


from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import Interval, StrOptions

from imbalance._docstrings import compose
from imbalance._validation import (
    RandomStateLike,
    fmt_label,
)
from imbalance.planner import Targets, apportion
from imbalance.synth._base import (
    COMMON_DOC,
    BaseSMOTE,
    Synthesis,
    class_neighbors,
)


class SMOTE(BaseSMOTE):
    __doc__ = compose("""SMOTE (Chawla et al., JAIR 2002): synthetic rows between same-class neighbours.

    Base rows are drawn uniformly from the class, a neighbour uniformly from the base's
    ``k_neighbors`` nearest, and the gap uniformly from [0, 1).

    Parameters
    ----------{{common}}
    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.synth import SMOTE
    >>> X, y = make_classification(200, weights=[0.9], random_state=0)
    >>> smote = SMOTE(random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> smote.plan_.targets, int(smote.is_synthetic_.sum()), smote.parents_.shape
    ({0: 180, 1: 180}, 160, (160, 2))
    """, common=compose(COMMON_DOC, k_default="5"))


class BorderlineSMOTE(BaseSMOTE):
    __doc__ = compose("""Borderline-SMOTE (Han, Wang and Mao, 2005): synthesise only from rows in danger.

    A row of the class is *in danger* when at least half, but not all, of its ``m_neighbors``
    nearest neighbours (in the whole data) belong to other classes; only those rows are bases
    (if a class has none, all its rows are used, with a warning). ``kind="borderline-1"``
    interpolates towards the base's ``k_neighbors`` nearest rows of its own class;
    ``kind="borderline-2"`` towards its ``k_neighbors`` nearest rows of any class, with the gap
    drawn from [0, 0.5) when that neighbour belongs to another class.

    Parameters
    ----------
    m_neighbors : int, default=10
    kind : {"borderline-1", "borderline-2"}, default="borderline-1\"{{common}}""", common=compose(COMMON_DOC, k_default="5"))

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": [Interval(Integral, 1, None, closed="left")],
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(self, *, k_neighbors: int = 5, m_neighbors: int = 10, kind: str = "borderline-1",
                 neighbors: Any = None, ratio: float = 1.0, targets: Targets | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.m_neighbors = m_neighbors
        self.kind = kind


    def danger_rows(self, X: np.ndarray, codes: np.ndarray, rows: np.ndarray, code: int) -> np.ndarray:
        """Which of ``rows`` (positions of one class) are in danger; a boolean mask."""
        m = self.m_neighbors
        around = class_neighbors(X, m, self.neighbors, rows, param="m_neighbors")
        others = (codes[around] != code).sum(axis=1)
        return (others >= m / 2) & (others < m)

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        danger = self.danger_rows(X, labels.codes, rows, code)
        if not danger.any():
            warnings.warn(
                f"class {fmt_label(labels.classes[code])} has no rows in danger; Borderline-SMOTE uses all its rows.",
                stacklevel=3,
            )
            danger[:] = True
        bases = np.flatnonzero(danger)
        base = bases[rng.integers(0, bases.size, size=n_new)]
        k = self.k_neighbors
        if self.kind == "borderline-1":
            neighbors = self._class_neighbors(X, rows, labels, code)
            picks = rows[neighbors[base, rng.integers(0, k, size=n_new)]]
            gap = rng.random(n_new)
        else:
            neighbors = class_neighbors(X, k, self.neighbors, rows)
            picks = neighbors[base, rng.integers(0, k, size=n_new)]
            gap = rng.random(n_new) * np.where(labels.codes[picks] == code, 1.0, 0.5)
        return Synthesis(rows[base], picks, gap)


class ADASYN(BaseSMOTE):
    __doc__ = compose("""ADASYN (He, Bai, Garcia and Li, 2008): more synthetic rows where the class is hard.

    Row :math:`i` of the class gets a hardness :math:`r_i`, the share of other classes among
    its ``k_neighbors`` nearest neighbours in the whole data; the class's :math:`G` new rows
    are split in proportion to :math:`r_i` (largest remainder, so they sum to :math:`G`
    exactly), and each is interpolated towards one of the row's ``k_neighbors`` nearest rows of
    its own class. A class with no hard row falls back to uniform bases, with a warning.

    Parameters
    ----------{{common}}""", common=compose(COMMON_DOC, k_default="5"))

    def hardness(self, X: np.ndarray, codes: np.ndarray, rows: np.ndarray, code: int) -> np.ndarray:
        """:math:`r_i` for every row of the class."""
        around = class_neighbors(X, self.k_neighbors, self.neighbors, rows)
        return (codes[around] != code).mean(axis=1)

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        r = self.hardness(X, labels.codes, rows, code)
        if r.sum() == 0:
            warnings.warn(f"class {fmt_label(labels.classes[code])} has no hard rows; ADASYN draws bases uniformly.",
                          stacklevel=3)
            r = np.ones_like(r)
        per_row = apportion(r, n_new)
        base = np.repeat(np.arange(rows.size), per_row)
        neighbors = self._class_neighbors(X, rows, labels, code)
        picks = neighbors[base, rng.integers(0, neighbors.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new))


def smote(X: ArrayLike, y: ArrayLike, *, ratio: float = 1.0, targets: Targets | None = None, k_neighbors: int = 5,
          random_state: RandomStateLike = None, return_parents: bool = False) -> tuple:
    """SMOTE in one call: ``imbalance.smote(X, y)`` -> ``(X_res, y_res)``.

    With ``return_parents=True`` also returns the (n_synthetic, 2) array of the input
    positions that made every synthetic row. See :class:`SMOTE`.
    """
    sampler = SMOTE(k_neighbors=k_neighbors, ratio=ratio, targets=targets, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    return (X_res, y_res, sampler.parents_) if return_parents else (X_res, y_res)
