"""Probability calibration fitted on out-of-fold probabilities: sigmoid, isotonic, temperature."""


from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from imbalance._validation import (
    ParameterError,
)
from imbalance.resample import take_rows

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

    def fit(self, proba: ArrayLike, y: ArrayLike) -> "ProbabilityCalibrator":
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

    def transform(self, proba: ArrayLike) -> np.ndarray:
        p = np.asarray(proba, dtype=np.float64)
        if self.method == "temperature":
            return self._scaled(p, self.temperature_)
        if self.binary_:
            return self._apply_one(self.maps_[0], p)
        out = np.column_stack([self._apply_one(m, p[:, c]) for c, m in enumerate(self.maps_)])
        total = out.sum(axis=1, keepdims=True)
        return np.divide(out, total, out=np.full_like(out, 1.0 / out.shape[1]), where=total > 0)


def out_of_fold_proba(estimator: Any, X: ArrayLike, y: ArrayLike, *, cv: int = 3, random_state: int | None = None,
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
