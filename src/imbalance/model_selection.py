"""Leak-free evaluation: folds that can be saved, resampling inside folds only, threshold tuning.

- :class:`FoldPlan`: repeated stratified k-fold whose fold assignment can be saved and reloaded,
  so every strategy (and a later run) is scored on the very same rows.
- :func:`resampled_folds`: training part resampled, validation part exactly the fold's rows.
- :class:`MultilabelStratifiedKFold`: iterative stratification (Sechidis et al., 2011).
- :func:`best_threshold` and :class:`ThresholdTunedClassifier`: the decision threshold chosen
  on inner folds of the training part.
- :class:`PriorCorrectedClassifier` and :class:`MultilabelResampledClassifier`: rebalance the
  training part inside the estimator, so that a pipeline or a cross-validation never
  resamples validation rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from imbalance._io import atomic_path
from imbalance._labels import encode_labels, label_matrix
from imbalance._validation import (
    InputError,
    ParameterError,
    fmt_label,
    n_rows,
    to_python,
)
from imbalance.metrics import correct_prior
from imbalance.resample import take_rows
from imbalance.weights import sample_weights

__all__ = [
    "FoldPlan",
    "Fold",
    "resampled_folds",
    "MultilabelStratifiedKFold",
    "best_threshold",
    "THRESHOLD_METRICS",
    "ThresholdTunedClassifier",
    "PriorCorrectedClassifier",
    "MultilabelResampledClassifier",
    "label_probabilities",
    "ProbabilityCalibrator",
    "out_of_fold_proba",
    "CALIBRATION_METHODS",
    "parse_operating_point",
    "operating_threshold",
    "precision_recall_at",
    "top_k_decisions",
]


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
    def stratified(cls, y: Any, *, n_splits: int = 5, n_repeats: int = 1, random_state: int = 0) -> "FoldPlan":
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
    def multilabel(cls, Y: Any, *, n_splits: int = 5, n_repeats: int = 1, random_state: int = 0) -> "FoldPlan":
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

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_repeats * self.n_splits

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
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


def resampled_folds(X: Any, y: Any, cv: Any, sampler: Any = None) -> Iterator[Fold]:
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

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
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

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        Y = np.asarray(y)
        if Y.ndim != 2:
            raise InputError("y must be a (n_samples, n_labels) 0/1 matrix for MultilabelStratifiedKFold.")
        Y = label_matrix(Y, name="y")
        if n_rows(X) != Y.shape[0]:
            raise InputError(f"X has {n_rows(X)} rows but y has {Y.shape[0]}.")
        fold_of = self._assign(Y)
        for fold in range(self.n_splits):
            yield np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)


# ----------------------------------------------------------------------------- thresholds

def _confusion_at(y: np.ndarray, s: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, ...]:
    """TP, FP, FN, TN of the decision ``s >= t`` for every ``t`` in ``thresholds``, by
    binary search in the sorted scores of each class (one pass, not one per threshold)."""
    positive, negative = np.sort(s[y == 1]), np.sort(s[y == 0])
    tp = positive.size - np.searchsorted(positive, thresholds, side="left")
    fp = negative.size - np.searchsorted(negative, thresholds, side="left")
    return tp, fp, positive.size - tp, negative.size - fp


def _f1(tp, fp, fn, tn):
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros(tp.shape), where=denominator > 0)


def _mcc(tp, fp, fn, tn):
    tp, fp, fn, tn = (v.astype(np.float64) for v in (tp, fp, fn, tn))
    denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return np.divide(tp * tn - fp * fn, denominator, out=np.zeros(tp.shape), where=denominator > 0)


def _balanced_accuracy(tp, fp, fn, tn):
    recalls = []  # of the classes present, as scikit-learn's balanced_accuracy_score
    if (tp + fn)[0] > 0:
        recalls.append(tp / (tp + fn))
    if (tn + fp)[0] > 0:
        recalls.append(tn / (tn + fp))
    return np.mean(recalls, axis=0)


#: Threshold criteria from the confusion counts (the formulas of scikit-learn's f1_score,
#: matthews_corrcoef and balanced_accuracy_score, 0 where those return 0 for an empty
#: denominator), vectorised over thresholds.
#: The metrics a threshold can be tuned for (from the confusion counts at each candidate).
THRESHOLD_METRICS: dict[str, Callable[..., np.ndarray]] = {
    "f1": _f1,
    "mcc": _mcc,
    "balanced_accuracy": _balanced_accuracy,
}


def best_threshold(y_true: Any, scores: Any, *, metric: str = "f1", cost_ratio: float | None = None) -> tuple[float, float]:
    r"""The threshold on ``scores`` that maximises ``metric`` (or minimises cost), and its value.

    Candidates are the distinct scores (a prediction is positive when ``score >= threshold``;
    beyond 512 distinct scores, 513 quantiles of them). With ``cost_ratio`` :math:`r` (cost of
    a false negative / cost of a false positive) the criterion is
    :math:`-(\mathrm{FP} + r \cdot \mathrm{FN})` instead of ``metric``. Ties go to the
    threshold nearest 0.5 (the lower one of two equally near).

    Returns
    -------
    (threshold, value)
    """
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=np.float64)
    if cost_ratio is None and metric not in THRESHOLD_METRICS:
        raise ParameterError(f"metric must be one of {', '.join(THRESHOLD_METRICS)}, got {metric!r}.")
    candidates = np.unique(s)
    if candidates.size > 512:  # quantiles are as good and keep this O(n log n)
        candidates = np.unique(np.quantile(s, np.linspace(0, 1, 513)))
    tp, fp, fn, tn = _confusion_at(y, s, candidates)
    if cost_ratio is not None:
        values = -(fp + cost_ratio * fn).astype(np.float64)
    else:
        values = THRESHOLD_METRICS[metric](tp, fp, fn, tn)
    ties = np.flatnonzero(values == values.max())
    best = ties[np.argmin(np.abs(candidates[ties] - 0.5))]
    return float(candidates[best]), float(values[best])


class ThresholdTunedClassifier(ClassifierMixin, BaseEstimator):
    """A binary (or per-label multi-label) classifier whose decision threshold is tuned.

    ``fit`` gets out-of-fold probabilities on ``cv`` inner folds of the training data only,
    picks the threshold maximising ``metric`` on them (see :func:`best_threshold`), then refits
    the estimator on all the training data. ``predict_proba`` is the estimator's; ``predict``
    applies ``threshold_``. Validation data never takes part in choosing the threshold.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
    metric : {"f1", "mcc", "balanced_accuracy"}, default="f1"
    cost_ratio : float, optional
        Minimise FP + cost_ratio * FN instead.
    cv : int, default=5
    random_state : int or None, default=None

    Attributes
    ----------
    threshold_ : float, or ndarray of shape (n_labels,)
    estimator_ : the refitted estimator
    """

    def __init__(self, estimator: Any, *, metric: str = "f1", cost_ratio: float | None = None, cv: int = 5,
                 random_state: int | None = None) -> None:
        self.estimator = estimator
        self.metric = metric
        self.cost_ratio = cost_ratio
        self.cv = cv
        self.random_state = random_state

    def _positive_scores(self, estimator: Any, X: Any) -> np.ndarray:
        if self.multilabel_:
            return label_probabilities(estimator, X)
        proba = estimator.predict_proba(X)
        return proba[:, 1] if proba.ndim == 2 and proba.shape[1] == 2 else proba

    def fit(self, X: Any, y: Any, **fit_params: Any) -> "ThresholdTunedClassifier":
        self.tune(X, y, **fit_params)
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        return self

    def tune(self, X: Any, y: Any, **fit_params: Any) -> float | np.ndarray:
        """Choose ``threshold_`` on the inner folds of ``X, y`` and return it, without the
        final refit: for a caller that already holds ``estimator`` fitted on ``X, y`` (the
        refit would be the same model) and wants only the threshold."""
        Y = np.asarray(y)
        multilabel = self.multilabel_ = Y.ndim == 2
        if not multilabel:
            classes, counts = np.unique(Y, return_counts=True)
            if classes.size != 2:
                raise InputError("ThresholdTunedClassifier needs binary (or multi-label 0/1) targets.")
            if counts.min() < 2:  # an inner training fold would hold one class only
                raise InputError(
                    f"ThresholdTunedClassifier chooses the threshold on cv={self.cv} inner folds, but class "
                    f"{fmt_label(classes[counts.argmin()])} has only 1 row, so an inner training fold has none of it; "
                    "give at least 2 rows of every class (better: as many as cv)."
                )
        splitter = (
            MultilabelStratifiedKFold(self.cv, random_state=self.random_state)
            if multilabel
            else StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        )
        oof = np.zeros(Y.shape, dtype=np.float64)
        for train, test in splitter.split(np.zeros(len(Y)), Y):
            inner = clone(self.estimator).fit(take_rows(X, train), take_rows(y, train), **fit_params)
            oof[test] = self._positive_scores(inner, take_rows(X, test))
        self.classes_ = np.unique(Y) if not multilabel else np.arange(Y.shape[1])
        positive = (Y == self.classes_[-1]).astype(int) if not multilabel else Y
        if multilabel:
            self.threshold_ = np.array([
                best_threshold(positive[:, j], oof[:, j], metric=self.metric, cost_ratio=self.cost_ratio)[0]
                for j in range(Y.shape[1])
            ])
        else:
            self.threshold_ = best_threshold(positive, oof, metric=self.metric, cost_ratio=self.cost_ratio)[0]
        return self.threshold_

    def predict_proba(self, X: Any) -> Any:
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        scores = self._positive_scores(self.estimator_, X)
        decided = scores >= self.threshold_
        if scores.ndim == 2:
            return decided.astype(int)
        return np.where(decided, self.classes_[-1], self.classes_[0])


class PriorCorrectedClassifier(ClassifierMixin, BaseEstimator):
    """Rebalance for training, then give probabilities for the true class prior.

    ``fit`` resamples the training data with ``sampler`` (any ``fit_resample`` object, e.g.
    :class:`imbalance.UnderSampler` or :class:`imbalance.SMOTE`) and/or weights it with
    balanced class weights, fits ``estimator``, and records both class priors: the one it
    trained under and the one of the data it was given. ``predict_proba`` maps the
    estimator's probabilities back to the latter with :func:`imbalance.metrics.correct_prior`
    (Saerens et al., 2002), so they can be read as probabilities again; ``predict`` takes the
    most probable class under the true prior.

    Put it after the preprocessing in a scikit-learn ``Pipeline`` to resample preprocessed
    features (SMOTE interpolates numbers, so it needs them encoded and imputed).

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
    sampler : object with ``fit_resample``, optional
    class_weight : {None, "balanced"}, default=None
        Passed to ``estimator.fit`` as ``sample_weight``.
    train_prior : {None, "balanced"} or array of shape (n_classes,), default=None
        The class prior the estimator effectively trains under. None: measured on the data
        it is fitted on (after ``sampler``, weighted by ``class_weight``). ``"balanced"``:
        equal, for an estimator that balances the classes itself (a class-balanced
        sampler inside a torch model, say). An array: given, in the order of ``classes_``.

    Attributes
    ----------
    train_prior_, true_prior_ : ndarray of shape (n_classes,)
        In the order of ``classes_`` (the estimator's own).
    n_samples_fit_ : int
        Rows the estimator was fitted on (after ``sampler``).
    estimator_ : the fitted estimator
    """

    def __init__(self, estimator: Any, *, sampler: Any = None, class_weight: str | None = None,
                 train_prior: Any = None) -> None:
        self.estimator = estimator
        self.sampler = sampler
        self.class_weight = class_weight
        self.train_prior = train_prior

    def fit(self, X: Any, y: Any) -> "PriorCorrectedClassifier":
        if self.class_weight not in (None, "balanced"):
            raise ParameterError(f"class_weight must be None or 'balanced', got {self.class_weight!r}.")
        labels = encode_labels(y)
        true_prior = labels.counts / labels.counts.sum()
        X_fit, y_fit = (X, y) if self.sampler is None else clone(self.sampler).fit_resample(X, y)
        fitted = encode_labels(y_fit)
        if not np.array_equal(fitted.classes, labels.classes):
            raise InputError("the sampler dropped a class; every class must stay in the training data.")
        weights = sample_weights(y_fit, "balanced") if self.class_weight == "balanced" else None
        counts = np.bincount(fitted.codes, weights=weights, minlength=labels.classes.size)
        params = {} if weights is None else {"sample_weight": weights}
        self.estimator_ = clone(self.estimator).fit(X_fit, y_fit, **params)
        self.n_samples_fit_ = fitted.n_samples
        # The priors in the estimator's own class order (sorted for scikit-learn models, while
        # a categorical y's classes come in category order).
        position = {to_python(c): i for i, c in enumerate(labels.classes)}
        self.classes_ = np.asarray(getattr(self.estimator_, "classes_", labels.classes))
        order = np.array([position[to_python(c)] for c in self.classes_])
        self.true_prior_ = true_prior[order]
        self.train_prior_ = self._train_prior((counts / counts.sum())[order])
        return self

    def _train_prior(self, measured: np.ndarray) -> np.ndarray:
        if self.train_prior is None:
            return measured
        if isinstance(self.train_prior, str):
            if self.train_prior != "balanced":
                raise ParameterError(f"train_prior must be None, 'balanced' or an array, got {self.train_prior!r}.")
            return np.full(measured.size, 1.0 / measured.size)
        prior = np.asarray(self.train_prior, dtype=np.float64)
        if prior.shape != measured.shape or not (prior > 0).all():
            raise ParameterError(f"train_prior must hold {measured.size} positive numbers, one per class.")
        return prior / prior.sum()

    def predict_proba_uncorrected(self, X: Any) -> np.ndarray:
        """The estimator's own probabilities, under the prior it was trained with."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        return correct_prior(self.predict_proba_uncorrected(X), self.train_prior_, self.true_prior_)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def label_probabilities(estimator: Any, X: Any) -> np.ndarray:
    """Every label's probability from a fitted multi-label estimator, as an (n, L) array.

    scikit-learn's estimators give them in two shapes: an (n, L) array (one-vs-rest, MLPs)
    or, for native multi-output models (forests, trees, ``MultiOutputClassifier``), a list of
    one (n, k) array per label whose column for class 1 is the positive one; a label that had
    only 0s in the training data has no such column and gets probability 0.
    """
    proba = estimator.predict_proba(X)
    if not isinstance(proba, list):
        return np.asarray(proba, dtype=np.float64)
    classes = getattr(estimator, "classes_", None)
    if classes is None or len(classes) != len(proba):
        classes = [[0, 1]] * len(proba)
    columns = []
    for p, labels in zip(proba, classes):
        positive = np.flatnonzero(np.asarray(labels) == 1)
        columns.append(p[:, positive[0]] if positive.size else np.zeros(p.shape[0]))
    return np.column_stack(columns).astype(np.float64)


class MultilabelResampledClassifier(ClassifierMixin, BaseEstimator):
    """Resample the training data with a multi-label sampler, then fit the estimator.

    The multi-label twin of :class:`PriorCorrectedClassifier`'s ``sampler``: ``fit(X, Y)``
    runs ``sampler.fit_resample(X, Y)`` (:class:`imbalance.MLROS`, :class:`imbalance.MLRUS`,
    :class:`imbalance.MLSMOTE`, or anything with that method) on the data it is given and fits
    a clone of ``estimator`` on the result. Inside a pipeline or a cross-validation only the
    training part is resampled. ``predict_proba`` gives every label's probability as one
    (n, L) array whatever the estimator's own format (:func:`label_probabilities`).

    Probabilities are not mapped back to the labels' true frequencies: a multi-label sampler
    changes every label's frequency at once, through the rows it copies, drops or makes up,
    and no per-label prior correction undoes that exactly.

    Parameters
    ----------
    estimator : multi-label classifier (one-vs-rest, a forest, an MLP)
    sampler : object with ``fit_resample(X, Y)``, optional
    class_weight : {None, "balanced"}, default=None
        Set as the estimator's own ``class_weight`` parameter (a one-vs-rest wrapper's inner
        estimator's), so that each label's positives and negatives weigh the same in total.

    Attributes
    ----------
    estimator_ : the fitted estimator
    n_samples_fit_ : int
        Rows the estimator was fitted on (after ``sampler``).
    classes_ : ndarray, ``arange(n_labels)``
    """

    def __init__(self, estimator: Any, *, sampler: Any = None, class_weight: str | None = None) -> None:
        self.estimator = estimator
        self.sampler = sampler
        self.class_weight = class_weight

    def fit(self, X: Any, Y: Any) -> "MultilabelResampledClassifier":
        if self.class_weight not in (None, "balanced"):
            raise ParameterError(f"class_weight must be None or 'balanced', got {self.class_weight!r}.")
        matrix = label_matrix(Y, name="Y")
        X_fit, Y_fit = (X, matrix) if self.sampler is None else clone(self.sampler).fit_resample(X, matrix)
        estimator = clone(self.estimator)
        if self.class_weight is not None:
            inner = "estimator__class_weight" if "estimator__class_weight" in estimator.get_params() else "class_weight"
            if inner not in estimator.get_params():
                raise ParameterError(f"{type(estimator).__name__} takes no class_weight; leave class_weight=None.")
            estimator.set_params(**{inner: self.class_weight})
        self.estimator_ = estimator.fit(X_fit, Y_fit)
        self.n_samples_fit_ = n_rows(X_fit)
        self.classes_ = np.arange(matrix.shape[1])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return label_probabilities(self.estimator_, X)

    def predict(self, X: Any) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)


# ----------------------------------------------------------------------------- calibration

#: What :class:`ProbabilityCalibrator` can fit.
CALIBRATION_METHODS = ("sigmoid", "isotonic", "temperature")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


class ProbabilityCalibrator:
    r"""A map from a model's probabilities to calibrated ones, fitted on held-out probabilities.

    Fit it on out-of-fold probabilities of the training data (:func:`out_of_fold_proba`) and
    their true labels, which carry the true class prior: the map then undoes what rebalancing
    did to the probabilities and any miscalibration of the model itself. Unlike the prior
    correction (exact only for random resampling and class weights, where the class
    conditionals are untouched), it holds after SMOTE or a cleaning rule too, at the price of
    inner fits.

    - ``"sigmoid"`` (Platt 1999): :math:`\sigma(a\,\mathrm{logit}(p) + b)`, by logistic
      regression;
    - ``"isotonic"`` (Zadrozny and Elkan 2002): the monotone step function closest to the
      labels (scikit-learn's ``IsotonicRegression``);
    - ``"temperature"`` (Guo et al. 2017): :math:`\sigma(\mathrm{logit}(p) / T)`, softmax of
      :math:`\log p / T` for several classes, :math:`T` minimising the log loss; it keeps the
      ranking and the 0.5 point, so it mends overconfidence, not a shifted prior.

    Several classes: sigmoid and isotonic one class against the rest, rows renormalised.

    Parameters
    ----------
    method : {"sigmoid", "isotonic", "temperature"}, default="sigmoid"
    """

    def __init__(self, method: str = "sigmoid") -> None:
        if method not in CALIBRATION_METHODS:
            raise ParameterError(f"method must be one of {', '.join(CALIBRATION_METHODS)}, got {method!r}.")
        self.method = method

    def fit(self, proba: Any, y: Any) -> "ProbabilityCalibrator":
        """``proba``: (n,) positive-class probabilities with ``y`` 0/1, or (n, K) with ``y`` in 0..K-1."""
        p, y = np.asarray(proba, dtype=np.float64), np.asarray(y)
        self.binary_ = p.ndim == 1
        if self.method == "temperature":
            self.temperature_ = self._fit_temperature(p, y)
        elif self.binary_:
            self.maps_ = [self._fit_one(p, y.astype(np.float64))]
        else:
            self.maps_ = [self._fit_one(p[:, c], (y == c).astype(np.float64)) for c in range(p.shape[1])]
        return self

    def _fit_one(self, p: np.ndarray, y: np.ndarray) -> Any:
        if self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
        from sklearn.linear_model import LogisticRegression

        if np.unique(y).size < 2:  # one class only: nothing to fit; predict its share
            return float(y.mean())
        return LogisticRegression(C=1e6, max_iter=1000).fit(_logit(p)[:, None], y)

    def _apply_one(self, fitted: Any, p: np.ndarray) -> np.ndarray:
        if isinstance(fitted, float):
            return np.full(p.shape, fitted)
        if self.method == "isotonic":
            return fitted.predict(p)
        return fitted.predict_proba(_logit(p)[:, None])[:, 1]

    def _scaled(self, p: np.ndarray, temperature: float) -> np.ndarray:
        if self.binary_:
            return 1 / (1 + np.exp(-_logit(p) / temperature))
        z = np.log(np.clip(p, 1e-12, 1)) / temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _fit_temperature(self, p: np.ndarray, y: np.ndarray) -> float:
        from scipy.optimize import minimize_scalar

        def log_loss(log_t: float) -> float:
            q = np.clip(self._scaled(p, float(np.exp(log_t))), 1e-15, 1 - 1e-15)
            if self.binary_:
                return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))
            return float(-np.mean(np.log(q[np.arange(len(y)), y.astype(np.int64)])))

        return float(np.exp(minimize_scalar(log_loss, bounds=(-5.0, 5.0), method="bounded").x))

    def transform(self, proba: Any) -> np.ndarray:
        p = np.asarray(proba, dtype=np.float64)
        if self.method == "temperature":
            return self._scaled(p, self.temperature_)
        if self.binary_:
            return self._apply_one(self.maps_[0], p)
        out = np.column_stack([self._apply_one(m, p[:, c]) for c, m in enumerate(self.maps_)])
        total = out.sum(axis=1, keepdims=True)
        return np.divide(out, total, out=np.full_like(out, 1.0 / out.shape[1]), where=total > 0)


def out_of_fold_proba(estimator: Any, X: Any, y: Any, *, cv: int = 3, random_state: int | None = None,
                      proba: Callable[[Any, Any], np.ndarray] | None = None) -> np.ndarray:
    """Probabilities of every row of ``X`` from a clone of ``estimator`` fitted on the other
    folds (stratified k-fold): held-out predictions of the training data, for calibration.

    ``proba(fitted, X_part)`` reads them (default ``fitted.predict_proba``).
    """
    read = proba or (lambda fitted, part: fitted.predict_proba(part))
    codes = np.asarray(y)
    oof = None
    for train, test in StratifiedKFold(cv, shuffle=True, random_state=random_state).split(np.zeros(len(codes)), codes):
        fitted = clone(estimator).fit(take_rows(X, train), take_rows(y, train))
        part = np.asarray(read(fitted, take_rows(X, test)), dtype=np.float64)
        if oof is None:
            oof = np.zeros((len(codes), *part.shape[1:]))
        oof[test] = part
    return oof


# ----------------------------------------------------------------------------- operating points

_OPERATING_KINDS = ("precision", "recall", "top")


def parse_operating_point(text: str) -> tuple[str, float]:
    """``"precision>=0.8"``, ``"recall>=0.9"`` or ``"top=0.05"`` / ``"top=100"`` as (kind, value).

    ``top`` is the review capacity of every batch of rows (a validation fold): a share of its
    rows when below 1, else a number of rows.
    """
    spec = str(text).replace(" ", "")
    kind, sep, value = spec.partition(">=") if ">=" in spec else spec.partition("=")
    try:
        number = float(value)
    except ValueError:
        number = None
    valid = (sep == ">=" and kind in ("precision", "recall") and number is not None and 0 < number <= 1) or (
        sep == "=" and kind == "top" and number is not None and number > 0 and (number < 1 or number.is_integer()))
    if not valid:
        raise ParameterError(f"operating point {text!r} is not one of precision>=P, recall>=R (P, R in (0, 1]) or "
                             "top=K (a share of each batch below 1, or a number of rows).")
    return kind, number


def operating_threshold(y_true: Any, scores: Any, kind: str, value: float) -> float:
    """The threshold on ``scores`` that meets ``kind >= value`` best: for ``precision``, the
    lowest one whose precision reaches ``value`` (the most recall that precision allows); for
    ``recall``, the highest one whose recall reaches ``value`` (the most precision). Where no
    threshold reaches it: the one that comes closest."""
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=np.float64)
    candidates = np.unique(s)
    tp, fp, fn, _ = _confusion_at(y, s, candidates)
    if kind == "precision":
        achieved = np.divide(tp, tp + fp, out=np.zeros(tp.shape), where=(tp + fp) > 0)
        meets = np.flatnonzero(achieved >= value)
        return float(candidates[meets[0]] if meets.size else candidates[np.argmax(achieved)])
    achieved = np.divide(tp, tp + fn, out=np.zeros(tp.shape), where=(tp + fn) > 0)
    meets = np.flatnonzero(achieved >= value)
    return float(candidates[meets[-1]] if meets.size else candidates[0])


def precision_recall_at(y_true: Any, decided: Any) -> tuple[float, float]:
    """Precision and recall of 0/1 decisions (0 where undefined)."""
    y, d = np.asarray(y_true).astype(bool), np.asarray(decided).astype(bool)
    tp = np.sum(y & d)
    return (float(tp / d.sum()) if d.any() else 0.0, float(tp / y.sum()) if y.any() else 0.0)


def top_k_decisions(scores: Any, capacity: float) -> np.ndarray:
    """0/1: the ``capacity`` highest scores of the batch flagged (a share of it below 1, else a
    number of rows), ties broken by position."""
    s = np.asarray(scores, dtype=np.float64)
    k = min(s.size, int(np.ceil(capacity * s.size)) if capacity < 1 else int(capacity))
    decided = np.zeros(s.size, dtype=int)
    decided[np.argsort(-s, kind="stable")[:k]] = 1
    return decided
