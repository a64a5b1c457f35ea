"""Class and row weights: the algorithm-level answer to imbalance.

All schemes start from the class counts that the planner reads; weights come back in sorted
class order (never in ``value_counts()`` frequency order).
"""

from __future__ import annotations

from typing import Any, Literal, Union

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from imbalance._labels import encode_labels, label_matrix
from imbalance._validation import (
    InputError,
    LabelError,
    ParameterError,
    StrategyError,
    to_python,
)

__all__ = ["class_weights", "sample_weights", "pos_weight", "weights_from_counts", "repeat_factors", "SCHEMES"]

Scheme = Literal["inverse", "balanced", "sqrt", "effective"]
Normalize = Union[bool, Literal["rows", "classes"]]
#: The weighting schemes of :func:`class_weights` (formulas in its docstring).
SCHEMES = ("inverse", "balanced", "sqrt", "effective")


def weights_from_counts(
    counts: Any, scheme: Scheme = "inverse", *, beta: float = 0.999, normalize: Normalize = False
) -> np.ndarray:
    """Class weights from class counts alone, in the order given (see :func:`class_weights`).

    For backends that count classes themselves (torch losses from ``class_counts``, Spark).

    Parameters
    ----------
    counts : array-like of shape (n_classes,)
        Positive row counts.
    scheme, beta, normalize
        As in :func:`class_weights`.

    Returns
    -------
    ndarray of shape (n_classes,), float64
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0 or counts.dtype.kind not in "iuf" or not (counts > 0).all():
        raise InputError(f"class counts must be a non-empty 1-D array of positive numbers, got {counts!r}.")
    if scheme not in SCHEMES:
        raise StrategyError(f"unknown weight scheme {scheme!r}; use one of {', '.join(SCHEMES)}.")
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.floating)) or not 0 <= beta < 1:
        raise StrategyError(f"beta must be a number in [0, 1) (Cui et al. use 0.9 to 0.9999), got {beta!r}.")
    if normalize not in (False, True, "rows", "classes"):
        raise StrategyError(f"normalize must be False, True/'rows' or 'classes', got {normalize!r}.")

    n = counts.astype(np.float64)
    total, k = n.sum(), n.size
    if scheme == "inverse":
        w = total / n
    elif scheme == "balanced":
        w = total / (k * n)
    elif scheme == "sqrt":
        w = np.sqrt(total / n)
    else:
        # (1 - beta) / (1 - beta^n), with 1 - beta^n = -expm1(n log beta) to keep precision
        # when beta is close to 1; beta = 0 gives weight 1 for every class.
        if beta == 0:
            w = np.ones_like(n)
        else:
            w = (1.0 - beta) / -np.expm1(n * np.log(beta))

    if normalize is True or normalize == "rows":
        w = w * (total / np.dot(n, w))
    elif normalize == "classes":
        w = w * (k / w.sum())
    return w


def class_weights(
    y: ArrayLike,
    scheme: Scheme = "inverse",
    *,
    beta: float = 0.999,
    normalize: Normalize = False,
) -> dict:
    r"""Weight of every class, in sorted class order.

    With :math:`N` rows, :math:`K` classes and :math:`n_c` rows in class :math:`c`:

    - ``"inverse"``: :math:`w_c = N / n_c`
    - ``"balanced"``: :math:`w_c = N / (K n_c)`, equal to scikit-learn's
      ``compute_class_weight("balanced")``; every class then carries :math:`N/K` in total.
    - ``"sqrt"``: :math:`w_c = \sqrt{N / n_c}`, a milder re-weighting.
    - ``"effective"``: :math:`w_c = (1 - \beta) / (1 - \beta^{n_c})`, the inverse effective
      number of samples (Cui et al., "Class-Balanced Loss Based on Effective Number of
      Samples", CVPR 2019). :math:`\beta = 0` gives no re-weighting and :math:`\beta \to 1`
      tends to ``"inverse"`` up to scale.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    scheme : {"inverse", "balanced", "sqrt", "effective"}, default="inverse"
    beta : float in [0, 1), default=0.999
        Only for ``"effective"``.
    normalize : bool or {"rows", "classes"}, default=False
        ``False`` returns the formula as is. ``True`` or ``"rows"`` rescales so that the
        weighted row count equals :math:`N` (:math:`\sum_c n_c w_c = N`, mean row weight 1,
        which leaves a model's regularisation strength unchanged). ``"classes"`` rescales so
        that :math:`\sum_c w_c = K`, as Cui et al. do.

    Returns
    -------
    dict
        Class -> weight (float), classes sorted.

    Examples
    --------
    >>> import imbalance
    >>> imbalance.class_weights([0, 0, 0, 1], "balanced")
    {0: 0.6666666666666666, 1: 2.0}
    """
    labels = encode_labels(y, min_classes=1)
    w = weights_from_counts(labels.counts, scheme, beta=beta, normalize=normalize)
    return {to_python(c): float(v) for c, v in zip(labels.classes, w)}


def sample_weights(
    y: ArrayLike,
    scheme: Scheme = "inverse",
    *,
    beta: float = 0.999,
    normalize: Normalize = False,
) -> np.ndarray | pd.Series:
    """Per-row weights: the weight of each row's class (see :func:`class_weights`).

    Use as ``sample_weight=`` in scikit-learn or as a per-row loss weight.

    Returns
    -------
    ndarray of shape (n_samples,), float64
        A pandas Series with ``y``'s index when ``y`` is a Series.
    """
    labels = encode_labels(y, min_classes=1)
    w = weights_from_counts(labels.counts, scheme, beta=beta, normalize=normalize)[labels.codes]
    if isinstance(y, pd.Series):
        return pd.Series(w, index=y.index, name="weight")
    return w


def pos_weight(Y: ArrayLike) -> np.ndarray | pd.Series:
    r"""Negative-to-positive ratio of every label, for ``BCEWithLogitsLoss(pos_weight=...)``.

    :math:`p_l = n^{-}_l / n^{+}_l`, the number of rows where label :math:`l` is 0 divided by
    the number where it is 1, so positives and negatives of each label weigh the same in total.

    Parameters
    ----------
    Y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Binary targets: 0/1 or bool; one column per label for multi-label data.

    Returns
    -------
    ndarray of shape (1,) or (n_labels,), float64
        A Series indexed by the columns when ``Y`` is a DataFrame.
    """
    columns = Y.columns if isinstance(Y, pd.DataFrame) else None
    arr = label_matrix(Y)
    positives = arr.sum(axis=0, dtype=np.float64)
    if (positives == 0).any():
        missing = np.flatnonzero(positives == 0)
        names = list(columns[missing]) if columns is not None else missing.tolist()
        raise LabelError(
            f"label(s) {names} have no positive rows, so their pos_weight is undefined; "
            "drop those labels or gather positives for them."
        )
    result = (arr.shape[0] - positives) / positives
    if columns is not None:
        return pd.Series(result, index=columns, name="pos_weight")
    return result


def repeat_factors(Y: ArrayLike, threshold: float = 0.001) -> np.ndarray:
    r"""Repeat factor of every row of a multi-label (or detection) table, as in LVIS.

    Gupta, Dollar and Girshick (2019): with :math:`f_c` the share of rows that carry label
    :math:`c` and :math:`t` the ``threshold``, label :math:`c`'s factor is
    :math:`r_c = \max(1, \sqrt{t / f_c})` and a row's is that of its rarest label,
    :math:`r_i = \max_{c \in Y_i} r_c` (1 for a row with no label). Labels more frequent than
    :math:`t` are not repeated; a label carried by a share :math:`t / 4` of the rows is
    repeated twice.

    Parameters
    ----------
    Y : array-like or DataFrame of shape (n_rows, n_labels), 0/1
    threshold : float in (0, 1], default=0.001

    Returns
    -------
    ndarray of shape (n_rows,), float64, every value >= 1
    """
    if not isinstance(threshold, (int, float, np.floating)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be a share of rows in (0, 1], got {threshold!r}.")
    matrix = label_matrix(Y).astype(bool)
    share = matrix.mean(axis=0)
    with np.errstate(divide="ignore"):
        per_label = np.maximum(1.0, np.sqrt(threshold / share))  # a label no row carries never counts
    return np.where(matrix, per_label, 1.0).max(axis=1)
