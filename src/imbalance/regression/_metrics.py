r"""Metrics that look at the rare range of a numeric target.

A plain RMSE is dominated by the frequent values; these weigh or select the rows whose true
target is relevant (:class:`Relevance`), or report the error per region of the training
distribution. The relevance should be the *training* target's (pass ``relevance=``, as
``compare`` does); by default it is read off ``y_true``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from imbalance._validation import InputError, ParameterError
from imbalance.regression._bins import check_threshold
from imbalance.regression._relevance import Relevance, as_relevance, check_target
from imbalance.regression._weights import bin_edges, bin_of

__all__ = ["sera", "sera_curve", "relevance_weighted_rmse", "relevance_weighted_mae", "rare_rmse", "shot_mae",
           "regression_scores"]


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    truth = check_target(y_true, "y_true")
    pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if pred.size != truth.size:
        raise InputError(f"y_pred has {pred.size} values but y_true has {truth.size}; give one prediction per row.")
    if not np.isfinite(pred).all():
        raise InputError("y_pred has missing, NaN or infinite values; a regressor's predictions must be finite.")
    return truth, pred


def _phi(truth: np.ndarray, relevance: Relevance | ArrayLike | None) -> np.ndarray:
    return as_relevance(relevance, truth)(truth)


def sera(y_true: ArrayLike, y_pred: ArrayLike, *, relevance: Relevance | ArrayLike | None = None) -> float:
    r"""Squared error-relevance area (SERA, Ribeiro & Moniz 2020).

    With :math:`SER_t = \sum_{i:\ \phi(y_i) \ge t} (\hat y_i - y_i)^2`, the squared error of the
    rows at least :math:`t` relevant,

    .. math:: \text{SERA} = \int_0^1 SER_t \, dt = \sum_i \phi(y_i)\,(\hat y_i - y_i)^2,

    since row :math:`i` counts for every :math:`t \le \phi(y_i)`: the exact area, where the
    authors' code sums a grid of :math:`t`. Lower is better; a row of relevance 0 does not
    count.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    relevance : Relevance or control points, optional
        :math:`\phi`; default the automatic one of ``y_true`` (pass the training target's).

    Returns
    -------
    float
    """
    truth, pred = _pair(y_true, y_pred)
    return float(np.dot(_phi(truth, relevance), (pred - truth) ** 2))


def sera_curve(y_true: ArrayLike, y_pred: ArrayLike, *, relevance: Relevance | ArrayLike | None = None,
               thresholds: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`SER_t` at each of ``thresholds`` (default 101 points from 0 to 1): the curve whose
    area is :func:`sera`. Returns ``(thresholds, ser)``."""
    truth, pred = _pair(y_true, y_pred)
    ts = np.linspace(0, 1, 101) if thresholds is None else np.asarray(thresholds, dtype=np.float64)
    phi, squared = _phi(truth, relevance), (pred - truth) ** 2
    order = np.argsort(phi)
    # SER_t = the squared errors of rows with phi >= t: a suffix sum in phi order
    suffix = np.r_[np.cumsum(squared[order][::-1])[::-1], 0.0]
    return ts, suffix[np.searchsorted(phi[order], ts, side="left")]


def relevance_weighted_rmse(y_true: ArrayLike, y_pred: ArrayLike, *,
                            relevance: Relevance | ArrayLike | None = None) -> float:
    r"""RMSE with each row weighed by its relevance:
    :math:`\sqrt{\sum_i \phi(y_i) e_i^2 / \sum_i \phi(y_i)}` (NaN where no row is relevant)."""
    truth, pred = _pair(y_true, y_pred)
    phi = _phi(truth, relevance)
    return float(np.sqrt(np.dot(phi, (pred - truth) ** 2) / phi.sum())) if phi.sum() > 0 else float("nan")


def relevance_weighted_mae(y_true: ArrayLike, y_pred: ArrayLike, *,
                           relevance: Relevance | ArrayLike | None = None) -> float:
    r"""MAE with each row weighed by its relevance:
    :math:`\sum_i \phi(y_i) |e_i| / \sum_i \phi(y_i)` (NaN where no row is relevant)."""
    truth, pred = _pair(y_true, y_pred)
    phi = _phi(truth, relevance)
    return float(np.dot(phi, np.abs(pred - truth)) / phi.sum()) if phi.sum() > 0 else float("nan")


def rare_rmse(y_true: ArrayLike, y_pred: ArrayLike, *, relevance: Relevance | ArrayLike | None = None,
              threshold: float = 0.8) -> float:
    r"""RMSE on the rare rows only, those with :math:`\phi(y_i) \ge` ``threshold``: how far
    off the model is where it matters. NaN, with a warning, where ``y_true`` has no rare row."""
    truth, pred = _pair(y_true, y_pred)
    rare = _phi(truth, relevance) >= check_threshold(threshold)
    if not rare.any():
        warnings.warn("y_true has no rare row at this threshold; rare_rmse is NaN.", stacklevel=2)
        return float("nan")
    return float(np.sqrt(np.mean((pred[rare] - truth[rare]) ** 2)))


def shot_mae(y_true: ArrayLike, y_pred: ArrayLike, y_train: ArrayLike, *, bins: int | ArrayLike = 100,
             many: int = 100, few: int = 20) -> dict[str, Any]:
    r"""MAE per region of the training distribution, as Yang et al. (2021) report deep
    imbalanced regression: the training target is counted in ``bins`` (equal width over its
    range, or edges); a test row is *many-shot* where its bin held more than ``many`` training
    rows, *few-shot* where fewer than ``few``, *medium-shot* otherwise.

    Returns
    -------
    dict
        ``{"all": mae, "many": mae, "medium": mae, "few": mae, "n_many": rows, ...}``; a
        region without test rows has MAE NaN.
    """
    truth, pred = _pair(y_true, y_pred)
    train = check_target(y_train, "y_train")
    if not (isinstance(many, (int, np.integer)) and isinstance(few, (int, np.integer)) and 0 <= few <= many):
        raise ParameterError(f"few and many must be ints with 0 <= few <= many, got few={few!r}, many={many!r}.")
    edges = bin_edges(train, bins)
    shots = np.bincount(bin_of(edges, train), minlength=edges.size - 1)[bin_of(edges, truth)]
    errors = np.abs(pred - truth)
    regions = {"many": shots > many, "medium": (shots <= many) & (shots >= few), "few": shots < few}
    out: dict[str, Any] = {"all": float(errors.mean())}
    for name, mask in regions.items():
        out[name] = float(errors[mask].mean()) if mask.any() else float("nan")
        out[f"n_{name}"] = int(mask.sum())
    return out


def regression_scores(y_true: ArrayLike, y_pred: ArrayLike, *, relevance: Relevance | ArrayLike | None = None,
                      threshold: float = 0.8) -> dict[str, float]:
    """Every metric of :data:`imbalance.regression.REGRESSION_METRICS`, in its order, for one
    set of predictions with one relevance (pass the training target's): the rare rows' RMSE
    (NaN where there are none),
    SERA, RMSE, MAE, the relevance-weighted RMSE and MAE, and R^2 (scikit-learn's)."""
    from sklearn.metrics import r2_score

    truth, pred = _pair(y_true, y_pred)
    phi = _phi(truth, relevance)
    errors = pred - truth
    squared = errors ** 2
    rare = phi >= check_threshold(threshold)
    weight = phi.sum()
    return {
        "rare_rmse": float(np.sqrt(squared[rare].mean())) if rare.any() else float("nan"),
        "sera": float(np.dot(phi, squared)),
        "rmse": float(np.sqrt(squared.mean())),
        "mae": float(np.abs(errors).mean()),
        "relevance_weighted_rmse": float(np.sqrt(np.dot(phi, squared) / weight)) if weight > 0 else float("nan"),
        "relevance_weighted_mae": float(np.dot(phi, np.abs(errors)) / weight) if weight > 0 else float("nan"),
        "r2": float(r2_score(truth, pred)),
    }
