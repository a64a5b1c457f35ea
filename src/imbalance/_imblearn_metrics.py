r"""imbalanced-learn's metrics under its names, with its values; built on scikit-learn's.

Sensitivity and specificity of every class (one-vs-rest): with :math:`TP_c, FN_c, FP_c, TN_c`
the (weighted) counts of class :math:`c`,

.. math::

    \mathrm{sen}_c = \frac{TP_c}{TP_c + FN_c}, \qquad \mathrm{spe}_c = \frac{TN_c}{TN_c + FP_c},

the geometric mean of sensitivities (or of :math:`\mathrm{sen}_c \cdot \mathrm{spe}_c`), the
index of balanced accuracy, the report, the macro-averaged MAE of ordinal classes and the
value difference metric. :mod:`imbalance.metrics` exports them.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_absolute_error, multilabel_confusion_matrix, precision_recall_fscore_support
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from imbalance._validation import InputError, InputTypeError, ParameterError

__all__ = [
    "sensitivity_specificity_support",
    "sensitivity_score",
    "specificity_score",
    "geometric_mean_score",
    "make_index_balanced_accuracy",
    "classification_report_imbalanced",
    "macro_averaged_mean_absolute_error",
    "ValueDifferenceMetric",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted", "samples")


def _ratio(numerator: np.ndarray, denominator: np.ndarray, metric: str, which: str, warn: bool) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (with scikit-learn's warning)."""
    empty = denominator == 0
    out = np.divide(numerator, np.where(empty, 1, denominator), dtype=np.float64)
    out[empty] = 0.0
    if warn and empty.any():
        warnings.warn(f"{metric.capitalize()} is ill-defined and being set to 0.0 in labels with no {which} samples.",
                      UndefinedMetricWarning, stacklevel=3)
    return out


def _labels_to_score(y_true: np.ndarray, y_pred: np.ndarray, labels: Any, pos_label: Any, average: Any) -> Any:
    """The labels scored, or None for the case imbalanced-learn answers (0, 0, 0): a binary
    average asked of data holding only one label that is not ``pos_label``."""
    if average not in _AVERAGES:
        raise ParameterError(f"average has to be one of {_AVERAGES}, got {average!r}.")
    kind = type_of_target(np.concatenate([y_true, y_pred]) if y_true.ndim == 1 else y_true)
    if kind.startswith("multilabel") or kind.startswith("multiclass-multioutput"):
        raise InputError("sensitivity and specificity are for one label column; for a label matrix score each column "
                         "(imbalance.metrics.per_label_scores).")
    if kind not in ("binary", "multiclass"):
        raise InputError(f"sensitivity and specificity need class labels; y is {kind}.")
    if average == "samples":
        raise ParameterError("average='samples' is only meaningful for a label matrix; use 'macro' or 'weighted'.")
    present = unique_labels(y_true, y_pred)
    if average == "binary":
        if kind != "binary":
            raise ParameterError(f"Target is {kind} but average='binary'. Please choose another average setting "
                                 "('macro', 'weighted', 'micro' or None).")
        if pos_label not in present:
            if present.size < 2:
                return None
            raise ParameterError(f"pos_label={pos_label!r} is not a valid label: {present!r}.")
        return [pos_label]
    if pos_label not in (None, 1):
        warnings.warn(f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got "
                      f"{average!r}). You may use labels=[pos_label] to specify a single positive class.",
                      UserWarning, stacklevel=3)
    return present if labels is None else np.asarray(labels)


def sensitivity_specificity_support(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None, pos_label: Any = 1,
    average: str | None = None, warn_for: tuple = ("sensitivity", "specificity"),
    sample_weight: ArrayLike | None = None,
) -> tuple[Any, Any, Any]:
    r"""Sensitivity, specificity and support of every class, or their average.

    :math:`\mathrm{sen}_c = TP_c / (TP_c + FN_c)` (the class's recall) and
    :math:`\mathrm{spe}_c = TN_c / (TN_c + FP_c)` (the recall of everything else), counted
    one-vs-rest and weighted by ``sample_weight``. A ratio with nothing to count is 0, with
    an ``UndefinedMetricWarning`` for the metrics in ``warn_for``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        The classes to score, in this order (absent ones allowed); default: every class of
        ``y_true`` and ``y_pred``, sorted.
    pos_label : str or int, default=1
        The class scored when ``average="binary"``.
    average : {None, "binary", "micro", "macro", "weighted"}, default=None
        None: one value per class. ``binary``: ``pos_label``'s. ``micro``: of the summed
        counts. ``macro``: the mean over classes. ``weighted``: the mean weighted by support.
    warn_for : tuple of str, default=("sensitivity", "specificity")
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    sensitivity, specificity : float or ndarray of shape (n_labels,)
    support : ndarray of shape (n_labels,) or None
        The number (or weight) of true rows of each class; None when averaged.

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_specificity_support
    >>> sen, spe, sup = sensitivity_specificity_support([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    >>> sen.round(3).tolist(), spe.round(3).tolist(), sup.tolist()
    ([0.5, 0.667], [0.667, 0.5], [2, 3])
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    scored = _labels_to_score(y_true, y_pred, labels, pos_label, average)
    if scored is None:
        return 0.0, 0.0, 0
    counts = multilabel_confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=scored)
    tn, fp, fn, tp = (counts[:, i, j].astype(np.float64) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    if average == "micro":
        tn, fp, fn, tp = (np.array([v.sum()]) for v in (tn, fp, fn, tp))
    support = tp + fn
    sensitivity = _ratio(tp, support, "sensitivity", "true", "sensitivity" in warn_for)
    specificity = _ratio(tn, tn + fp, "specificity", "predicted", "specificity" in warn_for)
    if average is None:
        return sensitivity, specificity, support.astype(np.int64) if sample_weight is None else support
    weights = None
    if average == "weighted":
        if support.sum() == 0:
            return 0.0, 0.0, None
        weights = support
    return float(np.average(sensitivity, weights=weights)), float(np.average(specificity, weights=weights)), None


def sensitivity_score(y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None, pos_label: Any = 1,
                      average: str | None = "binary", sample_weight: ArrayLike | None = None) -> Any:
    """Sensitivity :math:`TP / (TP + FN)`, the recall; see :func:`sensitivity_specificity_support`
    (here ``average="binary"`` by default: ``pos_label``'s, a number to tune by).

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_score
    >>> sensitivity_score([0, 0, 1, 1], [0, 1, 1, 0])
    0.5
    """
    return sensitivity_specificity_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("sensitivity",), sample_weight=sample_weight)[0]


def specificity_score(y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None, pos_label: Any = 1,
                      average: str | None = "binary", sample_weight: ArrayLike | None = None) -> Any:
    """Specificity :math:`TN / (TN + FP)`; see :func:`sensitivity_specificity_support`.

    Examples
    --------
    >>> from imbalance.metrics import specificity_score
    >>> specificity_score([0, 0, 0, 1], [0, 0, 1, 1])  # 2 of the 3 negatives
    0.6666666666666666
    """
    return sensitivity_specificity_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("specificity",), sample_weight=sample_weight)[1]


def geometric_mean_score(y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None, pos_label: Any = 1,
                         average: str | None = "multiclass", sample_weight: ArrayLike | None = None,
                         correction: float = 0.0) -> Any:
    r"""Geometric mean of sensitivities (Kubat and Matwin, 1997), imbalanced-learn's way.

    ``average="multiclass"``: :math:`(\prod_{c=1}^K \mathrm{sen}_c)^{1/K}` over ``labels``,
    each zero sensitivity replaced by ``correction`` first (so that one missed class does not
    zero the score when ``correction > 0``); for two classes,
    :math:`\sqrt{\mathrm{TPR} \cdot \mathrm{TNR}}`. Any other ``average`` is
    :math:`\sqrt{\mathrm{sen} \cdot \mathrm{spe}}` of the sensitivity and specificity
    :func:`sensitivity_specificity_support` gives for that ``average`` (per class for
    ``None``; of the averages otherwise). :func:`g_mean_score` is the multiclass case.

    Examples
    --------
    >>> from imbalance.metrics import geometric_mean_score
    >>> round(geometric_mean_score([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]), 4)  # sqrt(2/3 * 1/2)
    0.5774
    """
    if average != "multiclass":
        sen, spe, _ = sensitivity_specificity_support(y_true, y_pred, labels=labels, pos_label=pos_label,
                                                      average=average, warn_for=("specificity",),
                                                      sample_weight=sample_weight)
        return np.sqrt(np.multiply(sen, spe))
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    scored = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    counts = multilabel_confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=scored)
    recall = _ratio(counts[:, 1, 1].astype(np.float64), counts[:, 1].sum(axis=1).astype(np.float64), "recall", "true",
                    True)
    recall[recall == 0] = correction
    if recall.size == 0 or (recall == 0).any():
        return 0.0
    return float(np.exp(np.log(recall).mean()))


def make_index_balanced_accuracy(*, alpha: float = 0.1, squared: bool = True) -> Callable[[Callable], Callable]:
    r"""Turn a metric of predicted labels into its index of balanced accuracy (García et al., 2009).

    .. math:: \mathrm{IBA}_\alpha(M) = (1 + \alpha\,(\mathrm{sen} - \mathrm{spe}))\; M^{s},
              \qquad s = 2 \text{ if squared else } 1,

    with sensitivity and specificity computed with the metric's own ``labels``, ``pos_label``,
    ``average`` and ``sample_weight`` (``geometric_mean_score``'s ``"multiclass"`` read as
    ``"macro"``; ``accuracy_score`` and ``jaccard_score`` scored ``"binary"``): the metric is
    rewarded where the positive class is recognised better than the negative one.

    Parameters
    ----------
    alpha : float, default=0.1
        Weight of the dominance :math:`\mathrm{sen} - \mathrm{spe}`.
    squared : bool, default=True
        Square the metric first.

    Returns
    -------
    decorator : callable
        ``decorator(metric)`` is the IBA of ``metric``, with ``metric``'s signature.

    Examples
    --------
    >>> from imbalance.metrics import geometric_mean_score, make_index_balanced_accuracy
    >>> iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 0, 1, 1, 0]
    >>> round(iba(y_true, y_pred, average="binary"), 4)  # (1 + 0.1 (1/2 - 2/3)) * (1/2 * 2/3)
    0.3278
    """
    if not isinstance(alpha, Real):
        raise ParameterError(f"alpha must be a number, got {alpha!r}.")
    known = set(inspect.signature(sensitivity_specificity_support).parameters)

    def decorate(metric: Callable) -> Callable:
        signature = inspect.signature(metric)
        scores = {"y_score", "y_prob", "y2"} & set(signature.parameters)

        @functools.wraps(metric)
        def iba(*args: Any, **kwargs: Any) -> Any:
            if scores:  # refused when called, as imbalanced-learn does, so decorating stays cheap
                raise InputTypeError(f"The index of balanced accuracy weighs a metric of predicted labels (y_pred); "
                                     f"{metric.__name__} takes {sorted(scores)[0]}.")
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            score = metric(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            shared = {k: v for k, v in bound.arguments.items() if k in known}
            if metric.__name__ == "geometric_mean_score" and shared.get("average") == "multiclass":
                shared["average"] = "macro"
            elif metric.__name__ in ("accuracy_score", "jaccard_score"):
                shared["average"] = "binary"
            sensitivity, specificity, _ = sensitivity_specificity_support(**shared)
            value = (1.0 + alpha * np.subtract(sensitivity, specificity)) * score
            return float(value) if np.ndim(value) == 0 else value

        return iba

    return decorate


_HEADERS = ("pre", "rec", "spe", "f1", "geo", "iba", "sup")


def classification_report_imbalanced(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None, target_names: Any = None,
    sample_weight: ArrayLike | None = None, digits: int = 2, alpha: float = 0.1, output_dict: bool = False,
    zero_division: Any = "warn",
) -> str | dict:
    """A per-class report of the metrics that matter under imbalance.

    For every class: precision, recall, specificity, F1, geometric mean
    :math:`\\sqrt{\\mathrm{sen} \\cdot \\mathrm{spe}}`, its index of balanced accuracy
    (``alpha``, squared) and support; then their support-weighted averages and the total.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        The classes reported, in order (default: every class, sorted).
    target_names : list of str, default=None
        A display name per label.
    sample_weight : array-like, default=None
    digits : int, default=2
        Decimals in the text report.
    alpha : float, default=0.1
        The IBA's weight.
    output_dict : bool, default=False
        Return ``{name: {"pre": ..., ..., "sup": ...}, "avg_pre": ..., ..., "total_support": n}``.
    zero_division : "warn", 0 or 1, default="warn"
        Precision, recall and F1 where undefined, as in scikit-learn.

    Returns
    -------
    str or dict

    Examples
    --------
    >>> from imbalance.metrics import classification_report_imbalanced
    >>> print(classification_report_imbalanced([0, 0, 0, 1], [0, 0, 1, 1]))  # doctest: +NORMALIZE_WHITESPACE
                       pre       rec       spe        f1       geo       iba       sup
    <BLANKLINE>
              0       1.00      0.67      1.00      0.80      0.82      0.64         3
              1       0.50      1.00      0.67      0.67      0.82      0.69         1
    <BLANKLINE>
    avg / total       0.88      0.75      0.92      0.77      0.82      0.66         4
    <BLANKLINE>
    """
    if not (isinstance(digits, Integral) and digits >= 0):
        raise ParameterError(f"digits must be an integer >= 0, got {digits!r}.")
    labels = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    names = [f"{label}" for label in labels] if target_names is None else list(target_names)
    scores = dict(zip(("pre", "rec", "f1", "sup"), precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight, zero_division=zero_division)))
    common = dict(labels=labels, average=None, sample_weight=sample_weight)
    scores["spe"] = specificity_score(y_true, y_pred, **common)
    scores["geo"] = geometric_mean_score(y_true, y_pred, **common)
    scores["iba"] = make_index_balanced_accuracy(alpha=alpha, squared=True)(geometric_mean_score)(
        y_true, y_pred, **common)
    support = scores["sup"]
    heading = "avg / total"
    width = max(max(len(name) for name in names), len(heading), digits)
    row = f"%{width}s  " + " ".join(["% 9s"] * len(_HEADERS)) + "\n"
    text = row % ("", *_HEADERS) + "\n"
    report: dict[str, Any] = {}
    for i, name in enumerate(names):
        values = {h: scores[h][i] for h in _HEADERS}
        text += row % (name, *(f"{values[h]:0.{digits}f}" for h in _HEADERS[:-1]), f"{support[i]}")
        report[name] = values
    averages = {h: np.average(scores[h], weights=support) for h in _HEADERS[:-1]}
    text += "\n" + row % (heading, *(f"{averages[h]:0.{digits}f}" for h in _HEADERS[:-1]), f"{np.sum(support)}")
    report.update({f"avg_{h}": value for h, value in averages.items()})
    report["total_support"] = np.sum(support)
    return report if output_dict else text


def macro_averaged_mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike, *,
                                       sample_weight: ArrayLike | None = None) -> float:
    r"""Mean absolute error of ordinal classes, averaged over the true classes
    (Baccianella, Esuli and Sebastiani, 2009): a rare class counts as much as a common one.

    .. math:: \mathrm{MA\text{-}MAE} = \frac{1}{K} \sum_{c=1}^{K}
              \frac{\sum_{i: y_i = c} w_i\,|y_i - \hat y_i|}{\sum_{i: y_i = c} w_i}

    Examples
    --------
    >>> from imbalance.metrics import macro_averaged_mean_absolute_error
    >>> macro_averaged_mean_absolute_error([1, 1, 1, 1, 3], [1, 1, 1, 1, 1])  # (0 + 2) / 2
    1.0
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise InputError(f"y_true and y_pred must be 1-D and of one length; got shapes {y_true.shape} and "
                         f"{y_pred.shape}.")
    weights = np.ones(y_true.shape) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    per_class = [mean_absolute_error(y_true[rows], y_pred[rows], sample_weight=weights[rows])
                 for rows in (y_true == c for c in np.unique(y_true))]
    return float(np.mean(per_class))


class ValueDifferenceMetric(BaseEstimator):
    r"""The value difference metric between rows of categories (Stanfill and Waltz, 1986).

    Two values of feature :math:`f` are as far apart as the class distributions they carry:

    .. math:: \delta_f(x, y) = \Big(\sum_{c=1}^{C} |p(c \mid x_f) - p(c \mid y_f)|^{k}\Big)^{1/k},
              \qquad \Delta(x, y) = \sum_{f=1}^{F} \delta_f(x, y)^{r}:

    the Minkowski-:math:`k` distance between the class distributions of the two values, as
    imbalanced-learn computes it (Stanfill and Waltz's :math:`\sum_c |\cdot|^k` without the
    root is the same for the default :math:`k = 1`). SMOTEN measures with it. X holds
    ordinal codes (an ``OrdinalEncoder``'s output), >= 0.

    Parameters
    ----------
    n_categories : "auto" or array-like of shape (n_features,), default="auto"
        The number of codes per feature (``"auto"``: the largest code seen + 1).
    k : int, default=1
    r : int, default=2

    Attributes
    ----------
    n_categories_ : ndarray of shape (n_features,)
    proba_per_class_ : list of ndarray of shape (n_categories, n_classes)
        :math:`p(c \mid \text{value})` for every feature.
    classes_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.metrics import ValueDifferenceMetric
    >>> X = np.array([[0]] * 10 + [[1]] * 10 + [[2]] * 10)
    >>> y = [1] * 8 + [0] * 5 + [1] * 7 + [0] * 9 + [1]
    >>> ValueDifferenceMetric().fit(X, y).pairwise(np.array([[0], [1], [2]])).round(2)
    array([[0.  , 0.04, 1.96],
           [0.04, 0.  , 1.44],
           [1.96, 1.44, 0.  ]])
    """

    def __init__(self, *, n_categories: Any = "auto", k: int = 1, r: int = 2) -> None:
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X: ArrayLike, y: ArrayLike) -> ValueDifferenceMetric:
        """Learn :math:`p(c \\mid \\text{value})` for every feature and value."""
        codes = validate_data(self, X, dtype=np.int32, reset=True, ensure_non_negative=True)
        self.classes_, y_codes = np.unique(np.asarray(y), return_inverse=True)
        if isinstance(self.n_categories, str) and self.n_categories == "auto":
            self.n_categories_ = codes.max(axis=0) + 1
        else:
            self.n_categories_ = np.asarray(self.n_categories, dtype=np.int64)
            if self.n_categories_.shape != (codes.shape[1],):
                raise ParameterError(f"The length of n_categories is not consistent with the number of features "
                                     f"in X: give one count per feature ({codes.shape[1]}), got {self.n_categories!r}.")
        n_classes = self.classes_.size
        self.proba_per_class_ = []
        for f, n in enumerate(self.n_categories_):
            counts = np.zeros((int(n), n_classes))
            np.add.at(counts, (codes[:, f], y_codes), 1)
            totals = counts.sum(axis=1, keepdims=True)
            self.proba_per_class_.append(np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0))
        return self

    def pairwise(self, X: ArrayLike, Y: ArrayLike | None = None) -> np.ndarray:
        """:math:`\\Delta` between every row of X and every row of Y (default: X).

        Returns
        -------
        ndarray of shape (n_samples_X, n_samples_Y)
        """
        check_is_fitted(self)
        x = check_array(X, dtype=np.int32, ensure_non_negative=True)
        y = x if Y is None else check_array(Y, dtype=np.int32, ensure_non_negative=True)
        distance = np.zeros((x.shape[0], y.shape[0]))
        for f, proba in enumerate(self.proba_per_class_):
            px, py = proba[x[:, f]], proba[y[:, f]]
            gap = (np.abs(px[:, None, :] - py[None, :, :]) ** self.k).sum(axis=2) ** (1 / self.k)
            distance += gap ** self.r
        return distance
