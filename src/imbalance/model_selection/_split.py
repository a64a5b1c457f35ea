"""Folds: a fold plan that can be saved and reloaded, training parts resampled inside folds
only, iterative stratification for label matrices, and folds balanced by instance hardness."""


from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator, StratifiedKFold, cross_val_predict
from sklearn.utils.multiclass import type_of_target

from imbalance._io import atomic_path
from imbalance._labels import encode_labels, label_matrix
from imbalance._validation import (
    InputError,
    ParameterError,
    n_rows,
)
from imbalance.resample import take_rows


class FoldPlan:
    """Repeated stratified k-fold, as fold numbers per row that can be saved and reloaded.

    A scikit-learn splitter (``split``, ``get_n_splits``): pass it as ``cv=``.

    Parameters
    ----------
    assignments : ndarray of shape (n_repeats, n_samples), int
        ``assignments[r, i]`` is the validation fold of row ``i`` in repeat ``r``.
    """

    def __init__(self, assignments: np.ndarray) -> None:
        assignments = np.asarray(assignments, dtype=np.int64)
        if assignments.ndim != 2 or assignments.size == 0 or assignments.min() < 0:
            raise InputError("assignments must be a non-empty (n_repeats, n_samples) array of fold numbers.")
        self.assignments = assignments
        self.n_splits = int(assignments.max()) + 1

    @classmethod
    def stratified(cls, y: ArrayLike, *, n_splits: int = 5, n_repeats: int = 1, random_state: int = 0) -> "FoldPlan":
        """Stratified folds for every repeat, each repeat shuffled with its own seed."""
        labels = encode_labels(y)
        if n_splits < 2 or labels.counts.min() < n_splits:
            raise ParameterError(
                f"n_splits={n_splits} needs at least that many rows in every class; the smallest "
                f"class has {labels.counts.min()}."
            )
        assignments = np.empty((n_repeats, labels.n_samples), dtype=np.int64)
        for r in range(n_repeats):
            cv = StratifiedKFold(n_splits, shuffle=True, random_state=random_state + r)
            for fold, (_, test) in enumerate(cv.split(np.zeros(labels.n_samples), labels.codes)):
                assignments[r, test] = fold
        return cls(assignments)

    @classmethod
    def multilabel(cls, Y: ArrayLike, *, n_splits: int = 5, n_repeats: int = 1, random_state: int = 0) -> "FoldPlan":
        """Folds of a 0/1 label matrix by :class:`MultilabelStratifiedKFold`, every repeat with
        its own seed (``random_state + repeat``)."""
        matrix = label_matrix(Y, name="Y")
        if n_splits < 2 or n_splits > matrix.shape[0]:
            raise ParameterError(f"n_splits must be in [2, {matrix.shape[0]}] (the rows), got {n_splits}.")
        assignments = np.empty((n_repeats, matrix.shape[0]), dtype=np.int64)
        for r in range(n_repeats):
            splitter = MultilabelStratifiedKFold(n_splits, random_state=random_state + r)
            for fold, (_, test) in enumerate(splitter.split(matrix, matrix)):
                assignments[r, test] = fold
        return cls(assignments)

    @property
    def n_repeats(self) -> int:
        return self.assignments.shape[0]

    def get_n_splits(self, X: ArrayLike = None, y: ArrayLike = None, groups: Any = None) -> int:
        return self.n_repeats * self.n_splits

    def split(self, X: ArrayLike = None, y: ArrayLike = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(train positions, validation positions) for every repeat and fold."""
        if X is not None and n_rows(X) != self.assignments.shape[1]:
            raise InputError(f"the fold plan covers {self.assignments.shape[1]} rows but X has {n_rows(X)}.")
        for row in self.assignments:
            for fold in range(self.n_splits):
                yield np.flatnonzero(row != fold), np.flatnonzero(row == fold)

    def save(self, path: str | Path) -> None:
        """Write the fold numbers as JSON (atomically)."""
        with atomic_path(Path(path)) as tmp:
            tmp.write_text(json.dumps({"format": "imbalance.FoldPlan/1", "assignments": self.assignments.tolist()}))

    @classmethod
    def load(cls, path: str | Path) -> "FoldPlan":
        data = json.loads(Path(path).read_text())
        if data.get("format") != "imbalance.FoldPlan/1":
            raise InputError(f"{path} is not a saved FoldPlan.")
        return cls(np.asarray(data["assignments"]))


@dataclass(frozen=True)
class Fold:
    """One fold: the training part as resampled, the validation part as it was."""

    repeat: int
    fold: int
    train_index: np.ndarray
    test_index: np.ndarray
    X_train: Any
    y_train: Any
    X_test: Any
    y_test: Any


def resampled_folds(X: ArrayLike, y: ArrayLike, cv: Any, sampler: Any = None) -> Iterator[Fold]:
    """Split, then resample only the training part of each fold.

    Parameters
    ----------
    X, y : table and labels
    cv : splitter with ``split(X, y)`` (e.g. :class:`FoldPlan`) or int (stratified k-fold)
    sampler : object with ``fit_resample``, optional
        Applied to the training part only (a clone per fold).

    Yields
    ------
    Fold
        ``X_test``/``y_test`` are exactly the rows at ``test_index``, never resampled.
    """
    if isinstance(cv, int):
        cv = FoldPlan.stratified(y, n_splits=cv)
    # folds per repeat: FoldPlan and scikit-learn's Repeated*KFold both say how many repeats
    n_folds = cv.get_n_splits(X, y) // getattr(cv, "n_repeats", 1)
    for k, (train, test) in enumerate(cv.split(X, y)):
        X_train, y_train = take_rows(X, train), take_rows(y, train)
        if sampler is not None:
            X_train, y_train = clone(sampler).fit_resample(X_train, y_train)
        yield Fold(k // n_folds, k % n_folds, train, test, X_train, y_train, take_rows(X, test), take_rows(y, test))


class MultilabelStratifiedKFold:
    """K-fold for multi-label data by iterative stratification (Sechidis, Tsoumakas and Vlahavas, 2011).

    Rows are dealt out label by label, rarest label first: each row carrying the current label
    goes to the fold that most lacks that label (ties: the fold that most lacks rows, then at
    random), so every label's positives spread over the folds as evenly as possible. Rows with
    no label go last, by fold size.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=True
        Break ties at random (else by fold number).
    random_state : int or None, default=None
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = True, random_state: int | None = None) -> None:
        if n_splits < 2:
            raise ParameterError(f"n_splits must be >= 2, got {n_splits}.")
        self.n_splits, self.shuffle, self.random_state = n_splits, shuffle, random_state

    def get_n_splits(self, X: ArrayLike = None, y: ArrayLike = None, groups: Any = None) -> int:
        return self.n_splits

    def _assign(self, Y: np.ndarray) -> np.ndarray:
        rng = np.random.default_rng(self.random_state)
        n, k = Y.shape[0], self.n_splits
        wanted_rows = np.full(k, n / k)
        wanted_labels = np.tile(Y.sum(axis=0) / k, (k, 1)).astype(float)  # (fold, label)
        fold_of = np.full(n, -1)
        left = Y.astype(bool).copy()
        remaining = np.ones(n, dtype=bool)
        while left[remaining].any():
            counts = left[remaining].sum(axis=0)
            label = int(np.flatnonzero(counts == counts[counts > 0].min())[0])
            rows = np.flatnonzero(remaining & left[:, label])
            if self.shuffle:
                rows = rng.permutation(rows)
            for i in rows:
                need = wanted_labels[:, label]
                best = np.flatnonzero(need == need.max())
                if best.size > 1:
                    best = best[wanted_rows[best] == wanted_rows[best].max()]
                fold = int(rng.choice(best)) if (self.shuffle and best.size > 1) else int(best[0])
                fold_of[i] = fold
                remaining[i] = False
                left[i] = False
                wanted_rows[fold] -= 1
                wanted_labels[fold] -= Y[i]
        for i in np.flatnonzero(remaining):  # rows with no label
            fold = int(np.argmax(wanted_rows))
            fold_of[i] = fold
            wanted_rows[fold] -= 1
        return fold_of

    def split(self, X: ArrayLike, y: ArrayLike, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        Y = np.asarray(y)
        if Y.ndim != 2:
            raise InputError("y must be a (n_samples, n_labels) 0/1 matrix for MultilabelStratifiedKFold.")
        Y = label_matrix(Y, name="y")
        if n_rows(X) != Y.shape[0]:
            raise InputError(f"X has {n_rows(X)} rows but y has {Y.shape[0]}.")
        fold_of = self._assign(Y)
        for fold in range(self.n_splits):
            yield np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)


class InstanceHardnessCV(BaseCrossValidator):
    r"""K folds that share out the hard rows evenly (imbalanced-learn's ``InstanceHardnessCV``).

    A row's instance hardness (Smith, Martinez and Giraud-Carrier, 2014) is how badly a model
    predicts it: :math:`1 - \hat p(y_i \mid x_i)`, from ``estimator``'s out-of-fold
    probabilities (``n_splits`` stratified folds). Rows are sorted by class, then by the
    probability of ``pos_label``, and dealt to the folds in turn, so every fold gets its share
    of each class's hard and easy rows, and a fold's score does not hinge on where the hard
    minority rows fell. Binary labels only.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        Cloned; fitted ``n_splits`` times to measure hardness.
    n_splits : int, default=5
        Folds, >= 2.
    pos_label : label, default=None
        The class whose probability orders the rows (default: the larger label).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbalance.model_selection import InstanceHardnessCV
    >>> X, y = make_classification(n_samples=60, weights=[0.8], random_state=0)
    >>> cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    >>> [len(test) for _, test in cv.split(X, y)]
    [20, 20, 20]
    """

    def __init__(self, estimator: Any, *, n_splits: int = 5, pos_label: Any = None) -> None:
        self.estimator = estimator
        self.n_splits = n_splits
        self.pos_label = pos_label

    def split(self, X: ArrayLike, y: ArrayLike, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (train, test) positions of each fold."""
        if groups is not None:
            warnings.warn(f"The groups parameter is ignored by {type(self).__name__}.", UserWarning, stacklevel=2)
        if not (isinstance(self.n_splits, Integral) and self.n_splits >= 2):
            raise ParameterError(f"n_splits must be an integer >= 2, got {self.n_splits!r}.")
        y = np.asarray(y)
        classes = np.unique(y)
        if type_of_target(y) != "binary" or classes.size != 2:
            raise InputError("InstanceHardnessCV only supports binary classification: y has "
                             f"{classes.size} classes. Use StratifiedKFold or FoldPlan for more.")
        if self.pos_label is None:
            positive = 1
        elif self.pos_label in classes:
            positive = int(np.flatnonzero(classes == self.pos_label)[0])
        else:
            raise ParameterError(f"pos_label={self.pos_label!r} is not a class of y ({classes.tolist()}).")
        proba = cross_val_predict(clone(self.estimator), X, y, cv=self.n_splits, method="predict_proba")
        order = np.lexsort((proba[:, positive], y))
        folds = np.empty(y.size, dtype=np.int64)
        folds[order] = np.arange(y.size) % self.n_splits
        for k in range(self.n_splits):
            yield np.flatnonzero(folds != k), np.flatnonzero(folds == k)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """``n_splits``."""
        return self.n_splits
