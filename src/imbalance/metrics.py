r"""Metrics that mean something under imbalance, and the prior correction of probabilities.

Built on scikit-learn's metrics. Binary problems score the positive class (the larger label);
multi-class problems macro-average over classes (one-vs-rest for ranking metrics);
multi-label problems score every label and report the macro average.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike
from sklearn import metrics as skm

from imbalance._imblearn_metrics import (
    ValueDifferenceMetric,
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)
from imbalance._validation import InputError, ParameterError

__all__ = [
    "Costs",
    "g_mean_score",
    # imbalanced-learn's metrics, by its names
    "sensitivity_specificity_support",
    "sensitivity_score",
    "specificity_score",
    "geometric_mean_score",
    "make_index_balanced_accuracy",
    "classification_report_imbalanced",
    "macro_averaged_mean_absolute_error",
    "ValueDifferenceMetric",
    "recall_at_precision",
    "brier_score",
    "expected_calibration_error",
    "evaluate",
    "decision_counts",
    "DECISION_SHARES",
    "correct_prior",
    "multilabel_scores",
    "per_label_scores",
    "paired_difference",
    "bayes_decisions",
    "expected_cost",
    "cost_matrices",
    "Difference",
    "LOWER_IS_BETTER",
    "METRICS",
    "MULTILABEL_METRICS",
]

#: The metrics :func:`evaluate` reports, in order.
METRICS = (
    "average_precision",
    "roc_auc",
    "balanced_accuracy",
    "f1",
    "f1_macro",
    "mcc",
    "g_mean",
    "recall_at_precision_50",
    "brier",
    "log_loss",
    "ece",
)


#: The metrics :func:`multilabel_scores` reports, in order.
MULTILABEL_METRICS = (
    "average_precision_macro",
    "average_precision_micro",
    "roc_auc_macro",
    "f1_macro",
    "f1_micro",
    "hamming_loss",
    "subset_accuracy",
    "brier",
)


def g_mean_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Geometric mean of the per-class recalls, :math:`(\prod_{c=1}^K \mathrm{recall}_c)^{1/K}`.

    Binary: :math:`\sqrt{\mathrm{TPR} \cdot \mathrm{TNR}}` (Kubat and Matwin, 1997). It is 0
    as soon as one class is never recognised, which accuracy hides under imbalance.

    Examples
    --------
    >>> from imbalance.metrics import g_mean_score
    >>> round(g_mean_score([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]), 4)  # sqrt(2/3 * 1/2)
    0.5774
    """
    recalls = skm.recall_score(y_true, y_pred, average=None, zero_division=0.0)
    return float(np.prod(recalls) ** (1.0 / len(recalls)))


def recall_at_precision(y_true: ArrayLike, scores: ArrayLike, min_precision: float = 0.5) -> float:
    """Largest recall reachable at a threshold whose precision is at least ``min_precision``.

    Binary: ``y_true`` 0/1, ``scores`` the positive class's score. 0 when no threshold reaches
    that precision.
    """
    if not 0 < min_precision <= 1:
        raise ParameterError(f"min_precision must be in (0, 1], got {min_precision!r}.")
    precision, recall, _ = skm.precision_recall_curve(y_true, scores)
    reachable = recall[precision >= min_precision]
    return float(reachable.max()) if reachable.size else 0.0


def brier_score(y_true_onehot: np.ndarray, proba: np.ndarray) -> float:
    r"""Mean over rows of :math:`\sum_c (p_c - y_c)^2` (binary: :math:`(p - y)^2`)."""
    return float(np.mean(np.sum((proba - y_true_onehot) ** 2, axis=1))) if proba.ndim == 2 else float(np.mean((proba - y_true_onehot) ** 2))


def expected_calibration_error(y_true: ArrayLike, proba: ArrayLike, *, n_bins: int = 10) -> float:
    r"""Expected calibration error over ``n_bins`` equal-width bins of predicted probability.

    .. math::

        \mathrm{ECE} = \sum_b \frac{n_b}{n} \left| \bar y_b - \bar p_b \right|

    Binary: ``proba`` is the positive class's probability and :math:`\bar y_b` the positive
    share of the bin's rows. Multi-class (``proba`` of shape (n, K)): the top-label ECE, with
    the largest probability of each row as :math:`p` and whether its class is the true one as
    :math:`y` (Guo et al. 2017). 0 is perfectly calibrated.
    """
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim == 2:
        y, p = (p.argmax(axis=1) == y).astype(np.float64), p.max(axis=1)
    bins = np.minimum((p * n_bins).astype(np.int64), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    gap = np.abs(np.bincount(bins, weights=y, minlength=n_bins) - np.bincount(bins, weights=p, minlength=n_bins))
    return float(gap.sum() / count.sum())


def _binary(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "average_precision": skm.average_precision_score(y, p) if both else np.nan,
        "roc_auc": skm.roc_auc_score(y, p) if both else np.nan,
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred),
        "f1": skm.f1_score(y, pred, zero_division=0.0),
        "f1_macro": skm.f1_score(y, pred, average="macro", zero_division=0.0),
        "mcc": skm.matthews_corrcoef(y, pred),
        "g_mean": g_mean_score(y, pred),
        "recall_at_precision_50": recall_at_precision(y, p, 0.5) if both else np.nan,
        "brier": float(np.mean((p - y) ** 2)),
        "log_loss": skm.log_loss(y, np.clip(p, 1e-15, 1 - 1e-15), labels=[0, 1]),
        "ece": expected_calibration_error(y, p),
    }


#: What :func:`decision_counts` gives besides the counts: shares a decision maker reads.
DECISION_SHARES = ("precision", "recall", "flagged")


def decision_counts(y_true: ArrayLike, decided: ArrayLike) -> dict:
    r"""Binary decisions as a decision maker reads them: the confusion counts ``tp``, ``fp``,
    ``fn``, ``tn``, and

    .. math::

        \mathrm{precision} = \frac{TP}{TP + FP}, \quad \mathrm{recall} = \frac{TP}{TP + FN}, \quad
        \mathrm{flagged} = \frac{TP + FP}{n}

    (the share of rows decided positive: the review load). Precision is NaN where nothing is
    flagged, recall where there is no positive.

    Parameters
    ----------
    y_true : array-like of shape (n,), 0/1
    decided : array-like of shape (n,), bool or 0/1: the positive decisions
    """
    y = np.asarray(y_true).astype(bool)
    d = np.asarray(decided).astype(bool)
    if y.shape != d.shape:
        raise InputError(f"y_true has shape {y.shape} but the decisions {d.shape}.")
    tp, fp = int((y & d).sum()), int((~y & d).sum())
    fn, tn = int((y & ~d).sum()), int((~y & ~d).sum())
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "flagged": (tp + fp) / y.size if y.size else float("nan")}


def evaluate(y_true: ArrayLike, proba: ArrayLike, *, threshold: float | np.ndarray = 0.5) -> dict:
    """Every metric of :data:`METRICS` for predicted probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, L)
        Binary 0/1, class indices 0..K-1, or a 0/1 label matrix (multi-label).
    proba : array-like of shape (n,), (n, K) or (n, L)
        Positive-class probabilities (binary), class probabilities (multi-class, rows sum to
        1), or per-label probabilities (multi-label).
    threshold : float or array of shape (L,), default=0.5
        Decision threshold for the threshold-based metrics (binary and multi-label).

    Returns
    -------
    dict
        Metric -> value. Multi-class: macro averages (one-vs-rest for ranking metrics) and
        argmax decisions; ``f1`` is then the macro F1. Multi-label: macro over labels, plus
        ``"<metric>[label]"`` per label.
    """
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=np.float64)
    if y.shape[0] != p.shape[0]:
        raise InputError(f"y_true has {y.shape[0]} rows but proba has {p.shape[0]}.")
    if y.ndim == 2:  # multi-label
        if p.shape != y.shape:
            raise InputError(f"multi-label proba must have shape {y.shape}, got {p.shape}.")
        thresholds = np.broadcast_to(np.asarray(threshold, dtype=float), (y.shape[1],))
        per_label = [_binary(y[:, j], p[:, j], thresholds[j]) for j in range(y.shape[1])]
        out = {m: float(np.nanmean([d[m] for d in per_label])) for m in METRICS}
        for j, d in enumerate(per_label):
            out.update({f"{m}[{j}]": float(v) for m, v in d.items()})
        return out
    if p.ndim == 1 or p.shape[1] == 1:
        return {m: float(v) for m, v in _binary(y.astype(int), p.reshape(-1), float(threshold)).items()}
    # multi-class: classes 0..K-1 along the columns
    k = p.shape[1]
    pred = p.argmax(axis=1)
    onehot = np.eye(k)[y]
    present = onehot.sum(axis=0) > 0
    return {
        "average_precision": float(np.mean([skm.average_precision_score(onehot[:, c], p[:, c]) for c in range(k) if present[c]])),
        "roc_auc": float(skm.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=np.arange(k))),
        "balanced_accuracy": float(skm.balanced_accuracy_score(y, pred)),
        "f1": float(skm.f1_score(y, pred, average="macro", zero_division=0.0)),
        "f1_macro": float(skm.f1_score(y, pred, average="macro", zero_division=0.0)),
        "mcc": float(skm.matthews_corrcoef(y, pred)),
        "g_mean": g_mean_score(y, pred),
        "recall_at_precision_50": float(np.mean([recall_at_precision(onehot[:, c], p[:, c]) for c in range(k) if present[c]])),
        "brier": brier_score(onehot, p),
        "log_loss": float(skm.log_loss(y, np.clip(p, 1e-15, 1), labels=np.arange(k))),
        "ece": expected_calibration_error(y, p),
    }


def correct_prior(proba: ArrayLike, train_prior: ArrayLike, true_prior: ArrayLike) -> np.ndarray:
    r"""Map probabilities learnt under one class prior to another (Saerens et al., 2002).

    A model trained where class :math:`c` has prior :math:`\pi'_c` (after resampling or class
    weighting) predicts :math:`p'_c`; under the true priors :math:`\pi_c` the posterior is

    .. math::

        p_c = \frac{p'_c\, \pi_c / \pi'_c}{\sum_k p'_k\, \pi_k / \pi'_k}

    For binary under-sampling that keeps a share :math:`\beta` of the negatives this is Dal
    Pozzolo et al. (2015)'s :math:`p = \beta p' / (\beta p' - p' + 1)`.

    Parameters
    ----------
    proba : array of shape (n,) or (n, K)
        Positive-class probabilities (binary) or class probabilities.
    train_prior, true_prior : array-like of shape (K,)
        Class shares (or counts) during training and in the population.

    Returns
    -------
    ndarray of the shape of ``proba``

    Examples
    --------
    A model trained on 1:1 data, used where 10% of rows are positive:

    >>> from imbalance.metrics import correct_prior
    >>> correct_prior([[0.5, 0.5], [0.2, 0.8]], train_prior=[0.5, 0.5], true_prior=[0.9, 0.1]).round(3)
    array([[0.9  , 0.1  ],
           [0.692, 0.308]])
    """
    p = np.asarray(proba, dtype=np.float64)
    train = np.asarray(train_prior, dtype=np.float64)
    true = np.asarray(true_prior, dtype=np.float64)
    if train.shape != true.shape or train.ndim != 1 or (train <= 0).any() or (true <= 0).any():
        raise InputError("train_prior and true_prior must be positive arrays of the same length, one value per class.")
    ratio = (true / true.sum()) / (train / train.sum())
    if p.ndim == 1:
        if ratio.size != 2:
            raise InputError("binary probabilities need priors of 2 classes.")
        pos, neg = p * ratio[1], (1 - p) * ratio[0]
        return pos / (pos + neg)
    if p.shape[1] != ratio.size:
        raise InputError(f"proba has {p.shape[1]} classes but the priors have {ratio.size}.")
    weighted = p * ratio
    return weighted / weighted.sum(axis=1, keepdims=True)


def _label_problem(Y: ArrayLike, P: Any, threshold: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray(Y)
    p = np.asarray(P, dtype=np.float64)
    if y.ndim != 2 or p.shape != y.shape:
        raise InputError(f"a label matrix and per-label probabilities of the same 2-D shape are needed, got "
                         f"{y.shape} and {p.shape}.")
    thresholds = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (y.shape[1],))
    return y.astype(bool), p, p >= thresholds


def per_label_scores(Y: ArrayLike, P: Any, *, threshold: float | np.ndarray = 0.5) -> dict[str, np.ndarray]:
    r"""Average precision, ROC AUC and F1 of every label of a multi-label problem.

    A label with no positive row in ``Y`` has no precision-recall curve and no F1 (there is
    nothing to recall): its scores are NaN, and the macro averages of
    :func:`multilabel_scores` leave it out.

    Parameters
    ----------
    Y : array of shape (n, L)
        0/1 label matrix.
    P : array of shape (n, L)
        Every label's probability (or score).
    threshold : float or array of shape (L,), default=0.5
        A label is predicted where :math:`P_{il} \ge t_l`.

    Returns
    -------
    dict
        ``"positives"``, ``"average_precision"``, ``"roc_auc"``, ``"f1"``: arrays of shape (L,).
    """
    y, p, pred = _label_problem(Y, P, threshold)
    positives = y.sum(axis=0)
    n = y.shape[0]
    ap, auc, f1 = (np.full(y.shape[1], np.nan) for _ in range(3))
    for j in np.flatnonzero(positives > 0):
        ap[j] = skm.average_precision_score(y[:, j], p[:, j])
        auc[j] = skm.roc_auc_score(y[:, j], p[:, j]) if positives[j] < n else np.nan
        tp = np.sum(pred[:, j] & y[:, j])
        f1[j] = 2 * tp / (pred[:, j].sum() + positives[j])
    return {"positives": positives, "average_precision": ap, "roc_auc": auc, "f1": f1}


def multilabel_scores(Y: ArrayLike, P: Any, *, threshold: float | np.ndarray = 0.5) -> dict[str, float]:
    r"""Every metric of :data:`MULTILABEL_METRICS` for per-label probabilities.

    With :math:`\hat Y_{il} = [P_{il} \ge t_l]`:

    - ``average_precision_macro``, ``roc_auc_macro``, ``f1_macro``: the mean over labels of
      each label's score (labels without a positive row left out, see
      :func:`per_label_scores`), so a rare label counts as much as a common one;
    - ``average_precision_micro``: the average precision of all :math:`n \times L` entries
      ranked together; ``f1_micro`` :math:`= 2\,TP / (2\,TP + FP + FN)` over all entries;
      both are dominated by common labels;
    - ``hamming_loss`` :math:`= \frac{1}{nL}\sum_{il} [\hat Y_{il} \ne Y_{il}]`;
      ``subset_accuracy``: share of rows whose every label is right;
    - ``brier`` :math:`= \frac{1}{nL}\sum_{il} (P_{il} - Y_{il})^2`.
    """
    y, p, pred = _label_problem(Y, P, threshold)
    per_label = per_label_scores(y, p, threshold=threshold)
    tp = np.sum(pred & y)
    wrong = np.sum(pred != y)
    any_positive = y.any()

    def macro(values: np.ndarray) -> float:
        return float(np.nanmean(values)) if np.isfinite(values).any() else np.nan

    return {
        "average_precision_macro": macro(per_label["average_precision"]),
        "average_precision_micro": float(skm.average_precision_score(y.ravel(), p.ravel())) if any_positive else np.nan,
        "roc_auc_macro": macro(per_label["roc_auc"]),
        "f1_macro": macro(per_label["f1"]),
        "f1_micro": float(2 * tp / (2 * tp + wrong)) if any_positive or wrong else np.nan,
        "hamming_loss": float(wrong / y.size),
        "subset_accuracy": float(np.mean((pred == y).all(axis=1))),
        "brier": float(np.mean((p - y) ** 2)),
    }


#: Metrics where a smaller value is the better one (losses, error rates).
LOWER_IS_BETTER = frozenset({"brier", "brier_corrected", "log_loss", "log_loss_corrected", "hamming_loss", "ece",
                             "cost", "cost_at_threshold",
                             # a numeric target's errors (imbalance.regression.REGRESSION_METRICS)
                             "rare_rmse", "sera", "rmse", "mae", "relevance_weighted_rmse", "relevance_weighted_mae",
                             "ece_corrected", *(f"{metric}_{method}" for method in ("sigmoid", "isotonic", "temperature")
                                                for metric in ("brier", "log_loss", "ece"))})


@dataclass(frozen=True)
class Difference:
    """The paired difference ``a - b`` of two cells' scores over the same folds, and how sure
    it is (see :func:`paired_difference`)."""

    mean: float
    low: float
    high: float
    t: float
    p_value: float
    df: int
    confidence: float

    @property
    def significant(self) -> bool:
        """Whether the interval leaves out 0 (``p_value < 1 - confidence``)."""
        return self.p_value < 1 - self.confidence


def paired_difference(a: Any, b: Any, *, n_train: float, n_test: float, confidence: float = 0.95) -> Difference:
    r"""Corrected resampled t-test of the difference between two models scored on the same folds.

    Nadeau and Bengio (2003): with :math:`d_j = a_j - b_j` over the :math:`J` folds (repeats x
    folds), :math:`\bar d` their mean and :math:`\hat\sigma^2` their sample variance,

    .. math::

        t = \frac{\bar d}{\sqrt{\left(\frac{1}{J} + \frac{n_2}{n_1}\right)\hat\sigma^2}}

    with :math:`J - 1` degrees of freedom, where :math:`n_1` and :math:`n_2` are the rows of a
    training and a validation part. The plain paired t-test (:math:`1/J` alone) treats the folds
    as independent, but their training parts overlap, so it finds differences that are not
    there; the :math:`n_2 / n_1` term widens the interval for that (Bouckaert and Frank 2004
    recommend it with 10 repeats of 10 folds; with fewer folds the test is conservative).

    Parameters
    ----------
    a, b : array-like of shape (J,)
        Scores of the two cells on the same folds, in the same order.
    n_train, n_test : float
        Rows of a training part and of a validation part (means over folds).
    confidence : float, default=0.95

    Returns
    -------
    Difference
        The mean difference, its two-sided interval, ``t``, the two-sided p-value and the
        degrees of freedom. Identical scores give ``t = 0``, ``p = 1``; a constant nonzero
        difference ``p = 0``.
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size < 2:
        raise InputError(f"a and b must be paired scores of the same >= 2 folds, got shapes {a.shape} and {b.shape}.")
    if not (0 < confidence < 1) or n_train <= 0 or n_test <= 0:
        raise ParameterError("confidence must be in (0, 1) and n_train, n_test positive.")
    d = a - b
    J = d.size
    mean = float(d.mean())
    scale = float(np.sqrt((1 / J + n_test / n_train) * d.var(ddof=1)))
    quantile = float(stats.t.ppf(0.5 + confidence / 2, J - 1))
    if scale == 0:
        t, p = (0.0, 1.0) if mean == 0 else (float(np.copysign(np.inf, mean)), 0.0)
    else:
        t = mean / scale
        p = float(2 * stats.t.sf(abs(t), J - 1))
    return Difference(mean, mean - quantile * scale, mean + quantile * scale, t, p, J - 1, confidence)


# ----------------------------------------------------------------------------- costs


#: What decisions cost: binary ``{"FN": cost, "FP": cost}`` (FN may be one cost per row), or a
#: (K, K) matrix, or (n, K, K) one per row, true class by decision.
Costs = Union[Mapping[str, Union[ArrayLike, float]], ArrayLike]


def cost_matrices(costs: Costs, n_rows: int, n_classes: int) -> np.ndarray:
    """``costs`` as an (n_rows, K, K) array: ``C[i, t, d]``, the cost of deciding class ``d``
    for row ``i`` whose class is ``t``. A (K, K) matrix is the same for every row."""
    c = np.asarray(costs, dtype=np.float64)
    if c.shape == (n_classes, n_classes):
        c = np.broadcast_to(c, (n_rows, n_classes, n_classes))
    if c.shape != (n_rows, n_classes, n_classes):
        raise InputError(f"costs must be a ({n_classes}, {n_classes}) matrix (true class x decision), or one per "
                         f"row, got shape {np.shape(costs)}.")
    if not np.isfinite(c).all() or (c < 0).any():
        raise InputError("costs must be finite and >= 0.")
    if not c.any():
        raise InputError("every cost is 0, so every decision costs nothing and none is better; give the costs of "
                         "the errors (e.g. FN=20,FP=1).")
    return c


def bayes_decisions(proba: ArrayLike, costs: Costs) -> np.ndarray:
    r"""The decision of least expected cost for each row (Bayes' rule).

    .. math::

        d_i = \arg\min_d \sum_t p_{it}\, C_{i,t,d}

    For two classes with :math:`C_{FP}` the cost of a false positive and :math:`C_{FN}` of a
    false negative (correct decisions free): positive when :math:`p > C_{FP} / (C_{FP} + C_{FN})`.
    The probabilities must be calibrated for the population decided on (after rebalancing:
    prior-corrected or calibrated), or the rule decides for another population.

    Parameters
    ----------
    proba : array of shape (n,) (positive class) or (n, K)
    costs : array of shape (K, K) or (n, K, K)
        ``costs[t, d]``: the cost of deciding ``d`` when the class is ``t``.

    Returns
    -------
    ndarray of shape (n,): class indices (0/1 for two classes); ties go to the lower index.

    Examples
    --------
    A missed positive costs 20, a false alarm 1: positive above p = 1 / 21.

    >>> from imbalance.metrics import bayes_decisions
    >>> bayes_decisions([0.02, 0.1, 0.6], [[0, 1], [20, 0]])
    array([0, 1, 1])
    """
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim == 1:
        p = np.column_stack([1 - p, p])
    c = cost_matrices(costs, p.shape[0], p.shape[1])
    return np.einsum("nt,ntd->nd", p, c).argmin(axis=1)


def expected_cost(y_true: ArrayLike, decisions: ArrayLike, costs: Costs) -> float:
    """Mean cost per row of ``decisions`` (class indices) for classes ``y_true`` (0..K-1)."""
    y, d = np.asarray(y_true, dtype=np.int64), np.asarray(decisions, dtype=np.int64)
    k = int(max(y.max(), d.max())) + 1 if np.ndim(costs) < 2 else np.shape(costs)[-1]
    c = cost_matrices(costs, y.size, k)
    return float(c[np.arange(y.size), y, d].mean())
