"""Classifiers that rebalance their training part inside ``fit`` (a sampler or class weights)
and give probabilities for the true class prior."""


from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from imbalance._labels import encode_labels, label_matrix
from imbalance._validation import (
    InputError,
    ParameterError,
    n_rows,
    to_python,
)
from imbalance.metrics import correct_prior
from imbalance.weights import sample_weights


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

    def fit(self, X: ArrayLike, y: ArrayLike) -> "PriorCorrectedClassifier":
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

    def predict_proba_uncorrected(self, X: ArrayLike) -> np.ndarray:
        """The estimator's own probabilities, under the prior it was trained with."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        return correct_prior(self.predict_proba_uncorrected(X), self.train_prior_, self.true_prior_)

    def predict(self, X: ArrayLike) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def label_probabilities(estimator: Any, X: ArrayLike) -> np.ndarray:
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

    def fit(self, X: ArrayLike, Y: ArrayLike) -> "MultilabelResampledClassifier":
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

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return label_probabilities(self.estimator_, X)

    def predict(self, X: ArrayLike) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)
