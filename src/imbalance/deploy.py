"""A model to take home: one compare cell (strategy x model) fitted on all the data, saved,
loaded, and used to score new rows.

:class:`RecipeClassifier` is the estimator a cell of :func:`imbalance.compare` fits, as a
scikit-learn classifier: the preprocessing, the rebalancing inside, the model, the prior
correction of its probabilities and the cell's decision rule (its tuned threshold, if any).
Fitted on a fold's training part with the cell's seed it gives exactly that cell's scores;
:func:`save` and :func:`load` keep it on disk.

Saved with joblib (pickle), not skops: skops loads only types it is told to trust, which
would have to list every estimator a recipe can hold (our samplers, the balanced ensembles,
the PyTorch MLP's network), and it has no support for torch modules. Pickle runs code when it
loads, so load only files you made or trust, as with any scikit-learn model saved by joblib.
"""

from __future__ import annotations

import datetime
import itertools
import warnings
from numbers import Real
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pandas.api.types import is_numeric_dtype
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from imbalance import __version__
from imbalance._io import atomic_path
from imbalance._labels import encode_labels, label_matrix
from imbalance._multi_label import MULTILABEL_MODELS, multilabel_cell_model
from imbalance._single_label import MODELS, cell_model, inner_probabilities
from imbalance._validation import InputError, ParameterError, column_as_numbers, feature_frame, renamed
from imbalance.metrics import Costs, bayes_decisions, cost_matrices
from imbalance.model_selection import THRESHOLD_METRICS, ProbabilityCalibrator
from imbalance.strategies import MULTILABEL_STRATEGIES, STRATEGIES

__all__ = ["RecipeClassifier", "save", "load", "FORMAT", "ModelVersionWarning", "RECORDED_LIBRARIES"]

#: What a saved model file says it is (checked on load).
FORMAT = "imbalance.model/1"


class RecipeClassifier(ClassifierMixin, BaseEstimator):
    """One recipe x model of :func:`imbalance.compare` as a classifier.

    Parameters
    ----------
    recipe : str, default="none"
        A name of :data:`imbalance.strategies.STRATEGIES` (or, for a label matrix,
        :data:`imbalance.strategies.MULTILABEL_STRATEGIES`): what ``compare`` calls it.
    model : str, default="logreg"
        A model of the comparison (ignored by strategies that fit a model of their own).
    threshold : float, optional
        Binary only: the decision threshold on the model's own positive-class probability,
        instead of the recipe's (0.5, or the one tuned on inner folds by ``threshold``).
    random_state : int, default=0
        The seed of the resampling and the model (a compare cell uses
        ``random_state + 1000 * repeat + fold``).
    k_neighbors : int, default=5
        Of the SMOTE-family and MLSMOTE strategies.
    threshold_metric : {"f1", "mcc", "balanced_accuracy"}, default="f1"
        What the ``threshold`` strategy tunes its threshold for (``compare``'s
        ``threshold_metric``; ``imbalance fit --from`` takes the report's).
    costs : dict or array, optional
        Decide by least expected cost instead (Bayes' rule on ``predict_proba``, see
        :func:`imbalance.metrics.bayes_decisions`): binary ``{"FN": 20, "FP": 1}`` (the
        positive class is the minority one), or a (K, K) matrix in the order of ``classes_``,
        ``costs[t][d]`` the cost of deciding ``d`` when the class is ``t``.
    calibration : {None, "sigmoid", "isotonic", "temperature"}, default=None
        One label column: ``predict_proba`` maps the model's probabilities by this
        :class:`~imbalance.model_selection.ProbabilityCalibrator`, fitted on out-of-fold
        probabilities of 3 inner folds of the training data, instead of the prior correction
        (which is exact only for random resampling and class weights). Decisions do not change.
    strategy : str, optional
        The old name of ``recipe`` (a ``FutureWarning`` on ``fit``; it goes in imbalance 0.3).

    Attributes
    ----------
    classes_ : ndarray
        The labels, sorted (label names for a label matrix).
    positive_class_ : label or None
        Binary: the class the threshold is about, the minority one (as in ``compare``).
    threshold_ : float, ndarray of shape (n_labels,), or None
        The decision threshold(s) on the uncorrected probabilities; None for multi-class
        (the most probable class).
    pipeline_ : the fitted estimator of the cell
    model_name_ : str
        The model fitted (the strategy's own, for one that fits a model of its own).
    multilabel_ : bool

    Notes
    -----
    ``predict_proba`` gives probabilities for the class frequencies of the data it was fitted
    on (the prior correction of :class:`~imbalance.model_selection.PriorCorrectedClassifier`;
    for a label matrix, every label's probability as the model gives it). ``predict`` applies
    the cell's decision rule to the model's own probabilities, as ``compare`` scored it.
    """

    def __init__(self, recipe: str = "none", model: str = "logreg", *, threshold: float | None = None,
                 random_state: int = 0, k_neighbors: int = 5, calibration: str | None = None,
                 costs: Costs | None = None, threshold_metric: str = "f1", strategy: str = "deprecated") -> None:
        self.recipe = recipe
        self.strategy = strategy
        self.model = model
        self.threshold = threshold
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.calibration = calibration
        self.costs = costs
        self.threshold_metric = threshold_metric

    def fit(self, X: ArrayLike, y: ArrayLike) -> "RecipeClassifier":
        if self.threshold is not None and (isinstance(self.threshold, bool) or not isinstance(self.threshold, Real)
                                           or not 0 < self.threshold < 1):
            raise ParameterError(f"threshold must be a probability strictly between 0 and 1, got {self.threshold!r}; "
                                 "at 0 or 1 (or beyond) every row would be decided the same way.")
        if self.threshold_metric not in THRESHOLD_METRICS:
            raise ParameterError(f"threshold_metric must be one of {', '.join(THRESHOLD_METRICS)}, got "
                                 f"{self.threshold_metric!r}.")
        frame = feature_frame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        # checked when scoring: a CSV cell of text turns a numeric column into text
        self.numeric_features_ = np.asarray([c for c in frame.columns if is_numeric_dtype(frame[c])], dtype=object)
        self.multilabel_ = np.ndim(y) == 2 and np.shape(y)[1] > 1
        recipes, models = (MULTILABEL_STRATEGIES, MULTILABEL_MODELS) if self.multilabel_ else (STRATEGIES, MODELS)
        name = renamed("strategy", self.strategy, "recipe", self.recipe, default="none")
        if name not in recipes:
            raise ParameterError(f"unknown recipe {name!r}; choose from {', '.join(recipes)}.")
        recipe = recipes[name]
        if recipe.model is None and self.model not in models:
            raise ParameterError(f"unknown model {self.model!r}; choose from {', '.join(models)}.")
        model_name = self.model_name_ = recipe.model or self.model
        if self.multilabel_:
            self.classes_ = np.asarray([str(c) for c in y.columns] if isinstance(y, pd.DataFrame)
                                       else [f"label_{j}" for j in range(np.shape(y)[1])])
            targets, self.positive_class_ = label_matrix(y, name="y").astype(np.int64), None
            self.pipeline_ = multilabel_cell_model(frame, recipe, model_name, self.random_state,
                                                   k_neighbors=self.k_neighbors)
        else:
            labels = encode_labels(y)
            self.classes_ = labels.classes
            targets = labels.codes.astype(np.int64)
            binary = labels.classes.size == 2
            # compare's coding: for binary labels the minority class is code 1, the positive one
            self._flipped = binary and labels.counts[1] > labels.counts[0]
            if self._flipped:
                targets = 1 - targets
            self.positive_class_ = labels.classes[0 if self._flipped else 1] if binary else None
            self.pipeline_ = cell_model(frame, recipe, model_name, self.random_state, k_neighbors=self.k_neighbors,
                                        threshold_metric=self.threshold_metric)
        self.pipeline_.fit(frame, targets)
        self._tuned = recipe.tune_threshold
        self.calibrator_ = None
        if self.calibration is not None:
            if self.multilabel_:
                raise ParameterError("calibration= is for one label column; a label matrix's probabilities are "
                                     "the model's own.")
            oof = inner_probabilities(frame, targets, recipe, model_name, self.random_state,
                                      k_neighbors=self.k_neighbors)
            self.calibrator_ = ProbabilityCalibrator(self.calibration).fit(oof, targets)
        if self.threshold is not None:
            if self.multilabel_ or self.classes_.size != 2:
                raise ParameterError("threshold= is for binary labels; a label matrix takes the recipe's thresholds.")
            self.threshold_ = float(self.threshold)
        elif self._tuned:
            self.threshold_ = self.pipeline_.threshold_
        else:
            self.threshold_ = None if (not self.multilabel_ and self.classes_.size > 2) else 0.5
        self.costs_ = None
        if self.costs is not None:
            if self.multilabel_ or self.threshold is not None:
                raise ParameterError("costs= decides for one label column, instead of a threshold; give one or the "
                                     "other.")
            self.costs_ = self._cost_matrix()
        self.n_samples_fit_ = len(frame)
        return self

    def _cost_matrix(self) -> np.ndarray:
        """The costs as a (K, K) matrix in the order of ``classes_``."""
        if isinstance(self.costs, dict):
            if self.classes_.size != 2 or set(self.costs) != {"FN", "FP"}:
                raise ParameterError("costs as a dict take two classes and the keys 'FN' and 'FP'; for more classes "
                                     "give a (K, K) matrix.")
            positive = int(np.flatnonzero(self.classes_ == self.positive_class_)[0])
            matrix = np.zeros((2, 2))
            matrix[positive, 1 - positive] = float(self.costs["FN"])  # a positive decided negative
            matrix[1 - positive, positive] = float(self.costs["FP"])
            return cost_matrices(matrix, 1, 2)[0]  # finite, >= 0, not all 0
        matrix = np.asarray(self.costs, dtype=np.float64)
        k = self.classes_.size
        if matrix.shape != (k, k) or (matrix < 0).any():
            raise ParameterError(f"costs must be a ({k}, {k}) matrix of costs >= 0 in the order of classes_ "
                                 f"{list(self.classes_)}.")
        return cost_matrices(matrix, 1, k)[0]

    def _fitted(self) -> Any:
        """The pipeline that holds the model (inside the threshold tuner, for ``threshold``)."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.estimator_ if self._tuned else self.pipeline_

    def _frame(self, X: ArrayLike) -> pd.DataFrame:
        frame = feature_frame(X)
        missing = [c for c in self.feature_names_in_ if c not in frame.columns]
        if missing:
            raise InputError(f"X lacks the column(s) {missing[:8]} the model was fitted on; give the same columns.")
        frame = frame[list(self.feature_names_in_)]
        for column in getattr(self, "numeric_features_", ()):
            if not is_numeric_dtype(frame[column]):
                # a CSV with one text cell reads the whole column as text: read as numbers again
                frame = frame.assign(**{column: column_as_numbers(
                    frame[column], named=f"column {column!r}",
                    why=", but the model was fitted on numbers in that column; correct the value, or leave the cell "
                        "empty (imputed).")})
        return frame

    def _in_label_order(self, proba: np.ndarray) -> np.ndarray:
        """Columns in code order -> in the order of ``classes_``."""
        return proba[:, ::-1] if getattr(self, "_flipped", False) else proba

    def predict_proba_uncorrected(self, X: ArrayLike) -> np.ndarray:
        """The model's own probabilities (the ones the decision threshold applies to)."""
        pipeline, frame = self._fitted(), self._frame(X)
        if self.multilabel_:
            return pipeline.predict_proba(frame)
        return self._in_label_order(pipeline[-1].predict_proba_uncorrected(pipeline[:-1].transform(frame)))

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities for the class frequencies of the training data (columns in the
        order of ``classes_``); every label's probability for a label matrix."""
        pipeline, frame = self._fitted(), self._frame(X)
        if self.multilabel_:
            return pipeline.predict_proba(frame)
        if self.calibrator_ is not None:
            own = pipeline[-1].predict_proba_uncorrected(pipeline[:-1].transform(frame))
            if own.shape[1] == 2:
                positive = self.calibrator_.transform(own[:, 1])
                return self._in_label_order(np.column_stack([1 - positive, positive]))
            return self._in_label_order(self.calibrator_.transform(own))
        return self._in_label_order(pipeline.predict_proba(frame))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The cell's decisions: the positive class where its uncorrected probability reaches
        ``threshold_``; the most probable class (multi-class); a 0/1 matrix (label matrix).
        With ``costs``: the decision of least expected cost under ``predict_proba``."""
        if self.costs_ is not None:
            return self.classes_[bayes_decisions(self.predict_proba(X), self.costs_)]
        proba = self.predict_proba_uncorrected(X)
        if self.multilabel_:
            return (proba >= self.threshold_).astype(int)
        if self.threshold_ is None:
            return self.classes_[proba.argmax(axis=1)]
        positive = int(np.flatnonzero(self.classes_ == self.positive_class_)[0])
        return np.where(proba[:, positive] >= self.threshold_, self.classes_[positive], self.classes_[1 - positive])


#: Libraries whose version a model file records (besides imbalance's own); a model pickled by one version of them may
#: predict differently, or not load, under another.
RECORDED_LIBRARIES = ("numpy", "pandas", "scikit-learn", "torch")


class ModelVersionWarning(UserWarning):
    """A model file was written under other versions of the libraries it is made of."""


def _versions() -> dict[str, str]:
    """This interpreter's versions of imbalance and of the libraries a model is made of (torch
    only where it is imported: a model that holds a torch module imported it)."""
    import sys
    from importlib.metadata import PackageNotFoundError, version

    found = {"imbalance": __version__}
    for name in RECORDED_LIBRARIES:
        if name == "torch" and "torch" not in sys.modules:
            continue
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def _release(text: str) -> tuple[int, ...]:
    """The leading numbers of a version, ``"1.7.2rc1"`` -> ``(1, 7, 2)``."""
    numbers = []
    for part in str(text).split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) < len(part):
            break
    return tuple(numbers)


def save(model: RecipeClassifier, path: str | Path, *, info: dict | None = None) -> Path:
    """Write a fitted model and what it is to ``path`` (joblib; all or nothing), with the
    versions of imbalance and of the libraries it is made of, which :func:`load` compares."""
    check_is_fitted(model, "pipeline_")
    path = Path(path)
    record = {"format": FORMAT, "imbalance": __version__, "versions": _versions(),
              "created": datetime.datetime.now().isoformat(timespec="seconds"), "info": dict(info or {}),
              "model": model}
    with atomic_path(path) as tmp:
        joblib.dump(record, tmp)
    return path


def load(path: str | Path) -> RecipeClassifier:
    """A model written by :func:`save` (or ``imbalance fit``); its ``info_`` says how it was made.

    Loading runs pickle, which can run any code the file holds: **load only model files you made
    or trust.** A file written by a newer imbalance is refused; one written under other versions
    of numpy, pandas, scikit-learn or torch loads with one :class:`ModelVersionWarning` that names
    them (the model may predict differently: fit it again to be sure).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} is not a file; give the path `imbalance fit -o` wrote.")
    with warnings.catch_warnings(record=True) as caught:  # scikit-learn warns once per estimator, at length
        warnings.simplefilter("always")
        try:
            record = joblib.load(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same plain answer
            raise InputError(f"{path} is not a model saved by imbalance ({type(exc).__name__}).") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise InputError(f"{path} is not a model saved by imbalance (format {FORMAT}).")
    problem = _record_problem(record)
    if problem:
        raise InputError(f"{path} is an imbalance model file, but {problem}; write it again with imbalance fit.")
    written = {**record.get("versions", {}), "imbalance": record["imbalance"]}
    if _release(written["imbalance"]) > _release(__version__):
        raise InputError(f"{path} was written by imbalance {written['imbalance']}, newer than this one "
                         f"({__version__}); upgrade imbalance to load it.")
    here = _versions()
    differ = [f"{name} {written[name]} (here {here[name]})" for name in ("imbalance", *RECORDED_LIBRARIES)
              if name in written and name in here and written[name] != here[name]]
    if not differ and any(issubclass(w.category, UserWarning) and "version" in str(w.message) for w in caught):
        differ = ["scikit-learn (an older file records no versions)"]
    for other in caught:  # what is not about versions is passed on as it was
        if not (issubclass(other.category, UserWarning) and "version" in str(other.message)):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    if differ:
        warnings.warn(f"{path} was written under other versions: {', '.join(differ)}; it may predict differently, "
                      "so fit it again with imbalance fit to be sure.", ModelVersionWarning, stacklevel=2)
    model = record["model"]
    model.info_ = {"imbalance": record["imbalance"], "created": record["created"], **record["info"]}
    return model


def _record_problem(record: dict) -> str | None:
    """What is missing or wrong in a model file's record, or None."""
    for key, kind in (("imbalance", str), ("created", str), ("info", dict), ("model", RecipeClassifier)):
        if key not in record:
            return f"its record has no {key!r}"
        if not isinstance(record[key], kind):
            return f"its {key!r} is a {type(record[key]).__name__}, not a {kind.__name__}"
    if not isinstance(record.get("versions", {}), dict):
        return "its 'versions' is not a mapping"
    if not hasattr(record["model"], "pipeline_"):
        return "its model was never fitted"
    return None
