"""Decision thresholds: the best threshold for a metric or a cost ratio, a classifier that tunes
it on inner folds, and operating points (a precision, a recall, a review capacity)."""


from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from imbalance._validation import (
    InputError,
    ParameterError,
    fmt_label,
)
from imbalance.model_selection._rebalanced import (
    label_probabilities,
)
from imbalance.model_selection._split import (
    MultilabelStratifiedKFold,
)
from imbalance.resample import take_rows


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


def best_threshold(y_true: ArrayLike, scores: ArrayLike, *, metric: str = "f1", cost_ratio: float | None = None) -> tuple[float, float]:
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

    def _positive_scores(self, estimator: Any, X: ArrayLike) -> np.ndarray:
        if self.multilabel_:
            return label_probabilities(estimator, X)
        proba = estimator.predict_proba(X)
        return proba[:, 1] if proba.ndim == 2 and proba.shape[1] == 2 else proba

    def fit(self, X: ArrayLike, y: ArrayLike, **fit_params: Any) -> "ThresholdTunedClassifier":
        self.tune(X, y, **fit_params)
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        return self

    def tune(self, X: ArrayLike, y: ArrayLike, **fit_params: Any) -> float | np.ndarray:
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

    def predict_proba(self, X: ArrayLike) -> Any:
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict(self, X: ArrayLike) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        scores = self._positive_scores(self.estimator_, X)
        decided = scores >= self.threshold_
        if scores.ndim == 2:
            return decided.astype(int)
        return np.where(decided, self.classes_[-1], self.classes_[0])


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


def operating_threshold(y_true: ArrayLike, scores: ArrayLike, kind: str, value: float) -> float:
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


def precision_recall_at(y_true: ArrayLike, decided: ArrayLike) -> tuple[float, float]:
    """Precision and recall of 0/1 decisions (0 where undefined)."""
    y, d = np.asarray(y_true).astype(bool), np.asarray(decided).astype(bool)
    tp = np.sum(y & d)
    return (float(tp / d.sum()) if d.any() else 0.0, float(tp / y.sum()) if y.any() else 0.0)


def top_k_decisions(scores: ArrayLike, capacity: float) -> np.ndarray:
    """0/1: the ``capacity`` highest scores of the batch flagged (a share of it below 1, else a
    number of rows), ties broken by position."""
    s = np.asarray(scores, dtype=np.float64)
    k = min(s.size, int(np.ceil(capacity * s.size)) if capacity < 1 else int(capacity))
    decided = np.zeros(s.size, dtype=int)
    decided[np.argsort(-s, kind="stable")[:k]] = 1
    return decided
