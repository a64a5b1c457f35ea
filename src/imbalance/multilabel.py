r"""Multi-label imbalance: how imbalanced a 0/1 label matrix is, label by label and as a whole.

The measures of Charte, Rivera, del Jesus and Herrera (2015, *Neurocomputing* 163,
"Addressing imbalance in multilabel classification: measures and random resampling
algorithms") and of Charte et al. (2019, SCUMBLE: the concurrence of rare and common labels in
the same rows). For a label matrix :math:`Y \in \{0, 1\}^{n \times q}` with label counts
:math:`n_l = \sum_i Y_{il}`:

.. math::

    \mathrm{IRLbl}(l) = \frac{\max_{l'} n_{l'}}{n_l}, \qquad
    \mathrm{MeanIR} = \frac{1}{q} \sum_l \mathrm{IRLbl}(l), \qquad
    \mathrm{MaxIR} = \max_l \mathrm{IRLbl}(l),

    \mathrm{CVIR} = \frac{1}{\mathrm{MeanIR}}
        \sqrt{\frac{\sum_l (\mathrm{IRLbl}(l) - \mathrm{MeanIR})^2}{q - 1}}, \qquad
    \mathrm{SCUMBLE} = \frac{1}{n} \sum_i \left(1 - \frac{\left(\prod_{l \in Y_i}
        \mathrm{IRLbl}(l)\right)^{1/|Y_i|}}{\frac{1}{|Y_i|}\sum_{l \in Y_i} \mathrm{IRLbl}(l)}\right)

(a row with no label adds 0 to SCUMBLE), label cardinality :math:`\frac{1}{n}\sum_i |Y_i|` and
density (cardinality / :math:`q`).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator

# scikit-learn's parameter validation, as imbalanced-learn uses it; private in name only.
from sklearn.utils._param_validation import Interval, StrOptions

from imbalance._labels import label_matrix
from imbalance._neighbors import kneighbors
from imbalance._validation import (
    InputError,
    LabelError,
    ParameterError,
    RandomStateLike,
    check_random_state,
    check_same_length,
    numeric_matrix,
)
from imbalance.planner import LabelPlan, plan_label_counts
from imbalance.resample import take_rows
from imbalance.samplers import ValueRows, check_parameters

__all__ = ["LabelMeasures", "measures", "label_plan", "MLROS", "MLRUS", "MLSMOTE", "ml_ros", "ml_rus", "mlsmote"]


@dataclass(frozen=True)
class LabelMeasures:
    """What :func:`measures` returns.

    Attributes
    ----------
    labels : list of str
        The label names (a DataFrame's columns; ``"0"``, ``"1"``, ... for an array).
    counts : ndarray of shape (n_labels,)
        Rows carrying each label.
    irlbl : ndarray of shape (n_labels,)
        Imbalance ratio per label: the commonest label's count over this label's.
    mean_ir, max_ir, cvir, scumble, cardinality, density : float
    n_samples, n_labelsets, n_unlabelled : int
        Rows; distinct label combinations (the empty one included when present); rows with
        no label.
    """

    labels: list
    counts: np.ndarray
    irlbl: np.ndarray
    mean_ir: float
    max_ir: float
    cvir: float
    scumble: float
    cardinality: float
    density: float
    n_samples: int
    n_labelsets: int
    n_unlabelled: int

    def per_label(self) -> pd.DataFrame:
        """One row per label: count, share of rows and IRLbl, commonest label first."""
        frame = pd.DataFrame({"count": self.counts, "share": self.counts / self.n_samples, "irlbl": self.irlbl},
                             index=pd.Index(self.labels, name="label"))
        return frame.sort_values("count", ascending=False, kind="stable")

    def summary(self) -> dict:
        """The whole-matrix measures as a dict of plain numbers (for JSON)."""
        return {"n_samples": self.n_samples, "n_labels": len(self.labels), "cardinality": self.cardinality,
                "density": self.density, "n_labelsets": self.n_labelsets, "n_unlabelled": self.n_unlabelled,
                "mean_ir": self.mean_ir, "max_ir": self.max_ir, "cvir": self.cvir, "scumble": self.scumble}


def measures(Y: ArrayLike) -> LabelMeasures:
    """Imbalance measures of a multi-label target (Charte et al. 2015, 2019).

    Parameters
    ----------
    Y : array-like or DataFrame of shape (n_samples, n_labels)
        0/1 (or bool) values, one column per label.

    Returns
    -------
    LabelMeasures

    Raises
    ------
    LabelError
        When ``Y`` is not 0/1, or a label is carried by no row (its IRLbl would be infinite).

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import measures
    >>> Y = np.array([[1, 0], [1, 1], [1, 0], [1, 0]])
    >>> m = measures(Y)
    >>> m.irlbl.tolist(), m.mean_ir, m.cardinality
    ([1.0, 4.0], 2.5, 1.25)
    """
    names = [str(c) for c in Y.columns] if isinstance(Y, pd.DataFrame) else None
    matrix = label_matrix(Y).astype(bool)
    n, q = matrix.shape
    names = names or [str(i) for i in range(q)]
    counts = matrix.sum(axis=0)
    if (counts == 0).any():
        missing = [names[i] for i in np.flatnonzero(counts == 0)]
        raise LabelError(f"label(s) {missing} are carried by no row, so their imbalance ratio is infinite; "
                         "drop those columns first.")
    irlbl = counts.max() / counts
    mean_ir = float(irlbl.mean())
    cvir = float(irlbl.std(ddof=1) / mean_ir) if q > 1 else 0.0
    per_row = matrix.sum(axis=1)
    # Per row, over its labels: 1 - geometric mean / arithmetic mean of their IRLbl.
    log_ir = np.log(irlbl)
    with np.errstate(invalid="ignore", divide="ignore"):
        geometric = np.exp((matrix @ log_ir) / per_row)
        arithmetic = (matrix @ irlbl) / per_row
        row_scumble = np.where(per_row > 0, 1.0 - geometric / arithmetic, 0.0)
    labelsets = np.unique(np.packbits(matrix, axis=1), axis=0).shape[0]
    return LabelMeasures(
        labels=names, counts=counts.astype(np.int64), irlbl=irlbl, mean_ir=mean_ir, max_ir=float(irlbl.max()),
        cvir=cvir, scumble=float(row_scumble.mean()), cardinality=float(per_row.mean()),
        density=float(per_row.mean() / q), n_samples=n, n_labelsets=int(labelsets),
        n_unlabelled=int((per_row == 0).sum()),
    )


def label_plan(Y: ArrayLike, strategy: Any = "mean_ir", *, ratio: float = 1.0) -> LabelPlan:
    """How many rows every label of ``Y`` should carry after over-sampling
    (:func:`imbalance.planner.plan_label_counts`; :class:`MLROS` with ``strategy=`` carries
    it out).

    Parameters
    ----------
    Y : array-like or DataFrame of shape (n_samples, n_labels), 0/1
    strategy : {"mean_ir", "over"} or dict label -> rows, default="mean_ir"
        ``"mean_ir"``: no label more imbalanced than the mean (IRLbl <= MeanIR);
        ``"over"``: every label within ``ratio``:1 of the most frequent; a dict: those
        labels' targets (DataFrame column names, or column positions for an array).
    ratio : float, default=1.0

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import label_plan
    >>> Y = np.array([[1, 0]] * 8 + [[1, 1]] * 2)
    >>> label_plan(Y, "over", ratio=2).targets
    {'0': 10, '1': 5}
    """
    m = measures(Y)
    return plan_label_counts(dict(zip(m.labels, m.counts.tolist())), strategy, ratio=ratio)


_RANDOM_STATE = [None, Interval(Integral, 0, None, closed="left"), np.random.RandomState, np.random.Generator]


class _MultilabelSampler(BaseEstimator, metaclass=ABCMeta):
    """The base of the multi-label samplers, as :class:`~imbalance.samplers.BaseSampler` is of
    the single-label ones: one public ``fit_resample(X, Y)`` checks the parameters
    (``_parameter_constraints``, scikit-learn's machinery, our error types) and the data (a 0/1
    label matrix, aligned X, no label carried by no row), and records the imbalance before and
    after; each sampler writes one hook, ``_fit_resample(X, Y, labels, before, rng)``."""

    _parameter_constraints: dict = {"random_state": _RANDOM_STATE}

    def fit_resample(self, X: ArrayLike, Y: ArrayLike) -> tuple[Any, Any]:
        """Resample the rows of ``X`` and of the 0/1 label matrix ``Y`` together.

        Returns
        -------
        X_res, Y_res : the types of X and Y (a DataFrame keeps its index, so rows trace back)
        """
        check_parameters(self)
        before = measures(Y)  # refuses a label carried by no row, by its name
        labels = label_matrix(Y).astype(bool)
        check_same_length(labels.shape[0], X=X)
        self.label_names_ = before.labels
        self.mean_ir_before_ = before.mean_ir
        X_res, Y_res, kept = self._fit_resample(X, Y, labels, before, check_random_state(self.random_state))
        self.label_counts_after_ = dict(zip(before.labels, kept.tolist()))
        # infinite when a label lost every row
        self.mean_ir_after_ = float(np.mean(kept.max() / kept)) if kept.all() else float("inf")
        return X_res, Y_res

    @abstractmethod
    def _fit_resample(self, X: ArrayLike, Y: ArrayLike, labels: np.ndarray, before: LabelMeasures,
                      rng: np.random.Generator) -> tuple[Any, Any, np.ndarray]:
        """The hook: ``(X_res, Y_res, label counts after)``."""


class _MultilabelResampler(_MultilabelSampler):
    """ML-ROS and ML-RUS: the rows of the result are input rows, chosen by one hook per method,
    ``_positions(labels, irlbl, mean_ir, rng) -> row positions``; both take the paper's two
    parameters."""

    _parameter_constraints: dict = {**_MultilabelSampler._parameter_constraints,
                                    "percentage": [Interval(Real, 0, 100, closed="right")]}

    def __init__(self, *, percentage: float = 25.0, random_state: RandomStateLike = None) -> None:
        self.percentage = percentage
        self.random_state = random_state

    def _fit_resample(self, X: ArrayLike, Y: ArrayLike, labels: np.ndarray, before: LabelMeasures,
                      rng: np.random.Generator) -> tuple[Any, Any, np.ndarray]:
        if isinstance(self.percentage, bool):  # scikit-learn's constraints take True for 1
            raise ParameterError(f"percentage must be a number in (0, 100], the share of rows to resample, got "
                                 f"{self.percentage!r}.")
        self.sample_indices_ = self._positions(labels, before.irlbl, before.mean_ir, rng)
        kept = labels[self.sample_indices_].sum(axis=0)
        return take_rows(X, self.sample_indices_), take_rows(Y, self.sample_indices_), kept

    @abstractmethod
    def _positions(self, labels: np.ndarray, irlbl: np.ndarray, mean_ir: float,
                   rng: np.random.Generator) -> np.ndarray:
        """The rows of the result, as positions in the input."""

    def _budget(self, n: int) -> int:
        return int(round(n * self.percentage / 100))


class MLROS(_MultilabelResampler):
    r"""ML-ROS: random over-sampling of the rows that carry minority labels (Charte et al. 2015).

    A label is a minority label when its imbalance ratio exceeds the mean,
    :math:`\mathrm{IRLbl}(l) > \mathrm{MeanIR}` (see :func:`measures`). Each of these labels
    has a bag of the rows that carry it. Round after round, one random row of every bag still
    open is cloned, until ``percentage`` % of the original row count has been cloned; a bag
    closes once its label's IRLbl, counted again after every clone (a clone raises the count of
    every label it carries), is no longer above the MeanIR of the original data.

    With ``strategy`` the budget gives way to a plan (:func:`label_plan`): the same rounds of
    one clone per open bag, a bag for every label below its target, each closing when its
    label carries at least its target, however many rows that takes.

    Parameters
    ----------
    percentage : float, default=25
        Rows to add, as a percentage of the rows given (the paper's P).
    strategy : {None, "mean_ir", "over"} or dict label -> rows, default=None
        None: the paper's rule and budget. Otherwise the targets of
        ``label_plan(Y, strategy, ratio=ratio)`` are met instead and ``percentage`` is not used.
    ratio : float, default=1.0
        For ``strategy="over"``: every label within ``ratio``:1 of the most frequent one.
    random_state : int, numpy Generator or None, default=None

    Attributes
    ----------
    sample_indices_ : ndarray
        Positions of the result's rows in the input: every row once, in order, then the clones.
    mean_ir_before_, mean_ir_after_ : float
        MeanIR of the label matrix before and after.
    label_names_ : list of str
        The labels (column names of a DataFrame ``Y``, else positions).
    label_counts_after_ : dict
        Label -> rows carrying it after.
    plan_ : LabelPlan or None
        The plan met, with ``strategy``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import MLROS, measures
    >>> Y = np.array([[1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 1]])
    >>> X_res, Y_res = MLROS(percentage=50, random_state=0).fit_resample(np.arange(6)[:, None], Y)
    >>> Y_res.sum(axis=0).tolist()  # one clone brings label 1's IRLbl (7/2) down to the MeanIR (3.5)
    [7, 2]
    """

    _parameter_constraints: dict = {**_MultilabelResampler._parameter_constraints,
                                    "strategy": [StrOptions({"mean_ir", "over"}), Mapping, None],
                                    "ratio": [Interval(Real, 1, None, closed="left")]}

    def __init__(self, *, percentage: float = 25.0, strategy: Any = None, ratio: float = 1.0,
                 random_state: RandomStateLike = None) -> None:
        super().__init__(percentage=percentage, random_state=random_state)
        self.strategy = strategy
        self.ratio = ratio

    def _positions(self, labels: np.ndarray, irlbl: np.ndarray, mean_ir: float, rng: np.random.Generator) -> np.ndarray:
        self.plan_ = None
        if self.strategy is not None:
            return self._planned_positions(labels, rng)
        counts = labels.sum(axis=0).astype(np.int64)
        bags = {int(l): np.flatnonzero(labels[:, l]) for l in np.flatnonzero(irlbl > mean_ir)}
        budget = self._budget(labels.shape[0])
        clones = []
        while budget > 0 and bags:
            for label in list(bags):
                if budget == 0:
                    break
                row = int(bags[label][rng.integers(bags[label].size)])
                clones.append(row)
                counts += labels[row]
                budget -= 1
                if counts.max() / counts[label] <= mean_ir:
                    del bags[label]
        return np.concatenate([np.arange(labels.shape[0]), np.asarray(clones, dtype=np.intp)])


    def _planned_positions(self, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        counts = labels.sum(axis=0).astype(np.int64)
        self.plan_ = plan_label_counts(dict(zip(self.label_names_, counts.tolist())), self.strategy, ratio=self.ratio)
        targets = self.plan_.target_array
        bags = {int(l): np.flatnonzero(labels[:, l]) for l in np.flatnonzero(counts < targets)}
        clones = []
        while bags:  # each clone raises its bag's label by one, so every bag closes
            for label in list(bags):
                if counts[label] >= targets[label]:  # reached through another label's clones
                    del bags[label]
                    continue
                row = int(bags[label][rng.integers(bags[label].size)])
                clones.append(row)
                counts += labels[row]
                if counts[label] >= targets[label]:
                    del bags[label]
        return np.concatenate([np.arange(labels.shape[0]), np.asarray(clones, dtype=np.intp)])


class MLRUS(_MultilabelResampler):
    r"""ML-RUS: random under-sampling of the rows that carry majority labels (Charte et al. 2015).

    A label is a majority label when :math:`\mathrm{IRLbl}(l) < \mathrm{MeanIR}`. Round after
    round, one random row still present is deleted from the bag of every majority label still
    open, until ``percentage`` % of the rows are deleted; a bag closes once its label's IRLbl,
    counted again after every deletion (a deletion lowers the count of every label the row
    carries), reaches the MeanIR of the original data, or its rows are gone.

    Two guards the paper's rule lacks: a row is never deleted if that would take a label's last
    row, or raise the MeanIR of the rows left (it carries a minority label, or its majority label
    has already come down to the others); such a row stays, and its bag draws another. Without
    them a label can vanish (label counts ``[10, 2]``: every row of the first label goes, and the
    MeanIR becomes infinite) and the imbalance can end worse than it began; with them the MeanIR
    never rises, so ``mean_ir_after_ <= mean_ir_before_``, and fewer than ``percentage`` % of the
    rows may go.

    Parameters
    ----------
    percentage : float, default=25
        Rows to delete, as a percentage of the rows given (the paper's P).
    random_state : int, numpy Generator or None, default=None

    Attributes
    ----------
    sample_indices_ : ndarray
        Positions of the kept rows, in order.
    mean_ir_before_, mean_ir_after_ : float
    """

    def _positions(self, labels: np.ndarray, irlbl: np.ndarray, mean_ir: float, rng: np.random.Generator) -> np.ndarray:
        counts = labels.sum(axis=0).astype(np.int64)
        alive = np.ones(labels.shape[0], dtype=bool)
        bags = {int(l): list(np.flatnonzero(labels[:, l])) for l in np.flatnonzero(irlbl < mean_ir)}
        budget = self._budget(labels.shape[0])
        while budget > 0 and bags:
            for label in list(bags):
                if budget == 0:
                    break
                bag = bags[label]
                while bag:  # a row deleted through another bag, or guarded, is dropped from this one here
                    pick = int(rng.integers(len(bag)))
                    row = bag[pick]
                    bag[pick] = bag[-1]
                    bag.pop()
                    if alive[row]:
                        after = counts - labels[row]
                        if after.min() > 0 and _mean_ir(after) <= _mean_ir(counts):
                            break
                else:
                    del bags[label]
                    continue
                alive[row] = False
                counts = after
                budget -= 1
                if counts[label] == 0 or counts.max() / counts[label] >= mean_ir or not bag:
                    del bags[label]
        return np.flatnonzero(alive)


def _mean_ir(counts: np.ndarray) -> float:
    """MeanIR of positive label counts (see :func:`measures`)."""
    return float(np.mean(counts.max() / counts))


def ml_ros(X: ArrayLike, Y: ArrayLike, *, percentage: float = 25.0, random_state: RandomStateLike = None) -> tuple[Any, Any]:
    """:class:`MLROS` in one call: ``X_res, Y_res``."""
    return MLROS(percentage=percentage, random_state=random_state).fit_resample(X, Y)


def ml_rus(X: ArrayLike, Y: ArrayLike, *, percentage: float = 25.0, random_state: RandomStateLike = None) -> tuple[Any, Any]:
    """:class:`MLRUS` in one call: ``X_res, Y_res``."""
    return MLRUS(percentage=percentage, random_state=random_state).fit_resample(X, Y)


_LABEL_RULES = ("ranking", "intersection", "union")


class MLSMOTE(_MultilabelSampler):
    r"""MLSMOTE: synthetic rows for the minority labels of a multi-label table (Charte, Rivera,
    del Jesus and Herrera 2015, *Knowledge-Based Systems* 89).

    For every label :math:`l` below its target in the planner's label plan
    (:func:`label_plan` with ``"mean_ir"``: :math:`t_l = \lceil M / \mathrm{MeanIR} \rceil`, the
    rows it needs for its IRLbl to come down to the MeanIR of the original table), counted on
    the table as it grows, every row :math:`x` carrying :math:`l` gets one synthetic sibling: with :math:`N` the ``k_neighbors`` nearest rows that also carry :math:`l`
    (Euclidean, our exact scan) and :math:`r` one of them drawn at random,

    .. math::

        x' = x + u \odot (r - x), \qquad u_j \sim U(0, 1) \text{ per feature},

    and its labels come from :math:`\{x\} \cup N` by ``label_rule``: ``"ranking"`` (the
    paper's default) keeps a label carried by more than half of those :math:`k + 1` rows,
    ``"intersection"`` the labels all of them carry, ``"union"`` those any carries.

    Parameters
    ----------
    k_neighbors : int, default=5
    label_rule : {"ranking", "intersection", "union"}, default="ranking"
    random_state : int, numpy Generator or None, default=None

    Attributes
    ----------
    origin_ : ndarray
        Per output row, its input position, -1 for a synthetic row.
    parents_ : ndarray of shape (n_synthetic, 2)
        The row :math:`x` and the neighbour :math:`r` each synthetic row lies between.
    is_synthetic_ : ndarray of bool
    mean_ir_before_, mean_ir_after_ : float
    plan_ : LabelPlan
        The label plan whose targets say which labels get synthetic rows.
    """

    _parameter_constraints: dict = {**_MultilabelSampler._parameter_constraints,
                                    "k_neighbors": [Interval(Integral, 1, None, closed="left")],
                                    "label_rule": [StrOptions(set(_LABEL_RULES))]}

    def __init__(self, *, k_neighbors: int = 5, label_rule: str = "ranking", random_state: RandomStateLike = None) -> None:
        self.k_neighbors = k_neighbors
        self.label_rule = label_rule
        self.random_state = random_state

    def _fit_resample(self, X: ArrayLike, Y: ArrayLike, labels: np.ndarray, before: LabelMeasures,
                      rng: np.random.Generator) -> tuple[Any, Any, np.ndarray]:
        """The input rows, then the synthetic ones, in X's and Y's types."""
        k = self.k_neighbors
        features = numeric_matrix(X, "MLSMOTE")
        self.plan_ = plan_label_counts(dict(zip(before.labels, before.counts.tolist())), "mean_ir")
        targets = self.plan_.target_array
        counts = labels.sum(axis=0).astype(np.int64)
        new_values, new_labels, parents = [], [], []
        for label in range(labels.shape[1]):
            if counts[label] >= targets[label]:  # at its target, counted on the table as it grows
                continue
            bag = np.flatnonzero(labels[:, label])
            if bag.size <= k:
                raise InputError(
                    f"label {before.labels[label]!r} is carried by {bag.size} rows, MLSMOTE needs more than "
                    f"k_neighbors = {k} of them; lower k_neighbors to at most {bag.size - 1}."
                    if bag.size > 1 else
                    f"label {before.labels[label]!r} is carried by one row only; MLSMOTE cannot interpolate it.")
            _, near = kneighbors(features[bag], k)
            reference = near[np.arange(bag.size), rng.integers(k, size=bag.size)]
            gap = rng.random((bag.size, features.shape[1]))
            new_values.append(features[bag] + gap * (features[bag[reference]] - features[bag]))
            group = np.concatenate([labels[bag][:, None, :], labels[bag[near]]], axis=1)  # x and its k neighbours
            votes = group.sum(axis=1)
            rule = {"ranking": votes > (k + 1) / 2, "intersection": votes == k + 1, "union": votes > 0}
            made = rule[self.label_rule]
            new_labels.append(made)
            parents.append(np.column_stack([bag, bag[reference]]))
            counts += made.sum(axis=0)
        n = labels.shape[0]
        values = np.concatenate(new_values) if new_values else np.empty((0, features.shape[1]))
        made = np.concatenate(new_labels) if new_labels else np.empty((0, labels.shape[1]), dtype=bool)
        self.parents_ = np.concatenate(parents) if parents else np.empty((0, 2), dtype=np.int64)
        self.origin_ = np.concatenate([np.arange(n), np.full(len(values), -1)])
        self.is_synthetic_ = self.origin_ < 0
        rows = np.arange(n)
        X_res = ValueRows(values, self.parents_[:, 0]).append_to(X, rows)
        Y_res = ValueRows(made.astype(np.float64), self.parents_[:, 0]).append_to(Y, rows)
        return X_res, Y_res, counts


def mlsmote(X: ArrayLike, Y: ArrayLike, *, k_neighbors: int = 5, label_rule: str = "ranking",
            random_state: RandomStateLike = None) -> tuple[Any, Any]:
    """:class:`MLSMOTE` in one call: ``X_res, Y_res``."""
    return MLSMOTE(k_neighbors=k_neighbors, label_rule=label_rule, random_state=random_state).fit_resample(X, Y)
