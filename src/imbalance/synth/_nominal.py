"""SMOTE-NC and SMOTEN: categorical columns by vote among the neighbours (SMOTEN measures with
the value difference metric)."""


from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import StrOptions

from imbalance._docstrings import compose
from imbalance._labels import EncodedLabels
from imbalance._validation import (
    InputError,
    RandomStateLike,
)
from imbalance.planner import Targets
from imbalance.synth._base import (
    COMMON_DOC,
    BaseSMOTE,
    Features,
    Synthesis,
)


class SMOTENC(BaseSMOTE):
    __doc__ = compose("""SMOTE-NC (Chawla et al., 2002) for mixed numeric and categorical features.

    Neighbours are found with the Euclidean distance on the numeric features plus, for every
    categorical feature that differs, the median of the class's numeric standard deviations
    (squared), as the paper prescribes. When every feature is categorical that metric is
    empty, and SMOTE-N's value difference metric finds the neighbours instead (see
    :class:`SMOTEN`, which also lets the base row vote, as Chawla et al.'s SMOTE-N does). Numeric features are interpolated; each categorical
    feature of a synthetic row takes the value most frequent among the base row's
    ``k_neighbors`` neighbours (ties: the value seen first in the data). Bool, categorical,
    string and object columns all work here.

    Parameters
    ----------
    categorical_features : "auto" or list, default="auto"
        Column names (DataFrame) or positions; "auto": every non-numeric or bool column of a
        DataFrame.{{common}}""", common=compose(COMMON_DOC, k_default="5"))

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "categorical_features": [StrOptions({"auto"}), "array-like"],
    }

    def __init__(self, *, categorical_features: Any = "auto", k_neighbors: int = 5, neighbors: Any = None,
                 ratio: float = 1.0, targets: Targets | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.categorical_features = categorical_features

    def _categorical_columns(self, X: ArrayLike) -> list:
        found = _resolve_columns(self.categorical_features, X)
        if not found:
            raise InputError("SMOTENC found no categorical feature; use SMOTE for numeric data.")
        return found

    def _space(self, features: Features, rows: np.ndarray, labels: EncodedLabels) -> np.ndarray:
        if features.numeric.shape[1] == 0:  # every feature categorical: SMOTE-N's value difference metric
            return _value_difference_space(features, labels)
        numeric = features.numeric
        stds = numeric[rows].std(axis=0) if numeric.shape[1] else np.zeros(1)
        scale = float(np.median(stds)) if stds.size else 1.0
        blocks = [numeric]
        for j in range(features.categorical.shape[1]):
            onehot = np.zeros((numeric.shape[0], len(features.levels[j])))
            onehot[np.arange(numeric.shape[0]), features.categorical[:, j]] = scale / np.sqrt(2)
            blocks.append(onehot)
        return np.hstack(blocks)

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        neighbors = self._class_neighbors(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        picks = neighbors[base, rng.integers(0, neighbors.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new), around=rows[neighbors[base]])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags


def _resolve_columns(spec: Any, X: ArrayLike) -> list:
    """``categorical_features`` as column labels (DataFrame) or positions (array), as
    scikit-learn reads a column selection: ints are positions (negative ones count from the
    end), strings are DataFrame column names, a boolean array is a mask; "auto" (DataFrame
    only) means every bool or non-numeric column."""
    is_frame = isinstance(X, pd.DataFrame)
    columns = list(X.columns) if is_frame else list(range(np.shape(X)[1]))
    n = len(columns)
    if isinstance(spec, str):
        if spec != "auto":
            raise InputError(f"categorical_features must be 'auto', column positions, names or a boolean mask, "
                             f"got {spec!r}.")
        if not is_frame:
            raise InputError("categorical_features='auto' needs a DataFrame; with an array X, give column "
                             "positions or a boolean mask.")
        return [c for c in columns if X[c].dtype == bool or not pd.api.types.is_numeric_dtype(X[c])]
    try:
        items = np.asarray(spec) if not isinstance(spec, (list, tuple)) else np.asarray(spec, dtype=object)
    except Exception:  # noqa: BLE001 - anything numpy cannot read is reported the same way
        items = None
    if items is None or items.ndim != 1:
        raise InputError(f"categorical_features must be a list of column positions, names or a boolean mask, "
                         f"got {spec!r}.")
    values = items.tolist()
    if values and all(isinstance(v, (bool, np.bool_)) for v in values):
        if len(values) != n:
            raise InputError(f"categorical_features is a boolean mask of {len(values)} values but X has {n} "
                             "columns; give one value per column.")
        return [c for c, keep in zip(columns, values) if keep]
    found = []
    for v in values:
        if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
            if not -n <= v < n:
                raise InputError(f"categorical_features position {int(v)} is out of range for X with {n} "
                                 f"columns (valid: {-n} to {n - 1}).")
            c = columns[int(v)]
        elif isinstance(v, str) and is_frame:
            if v not in X.columns:
                raise InputError(f"categorical_features names {v!r}, which is not a column of X.")
            c = v
        else:
            kind = "positions or column names" if is_frame else "positions (X is an array, so no names)"
            raise InputError(f"categorical_features must hold {kind} or be a boolean mask, got {v!r}.")
        if c not in found:
            found.append(c)
    return found


def _value_difference_space(features: Features, labels: EncodedLabels) -> np.ndarray:
    r"""Rows embedded so that squared Euclidean distance is the value difference metric.

    Every value :math:`v` of categorical feature :math:`f` maps to the vector of class
    frequencies among the rows holding it, :math:`P(c \mid x_f = v)`, and a row to the
    concatenation over features, so that
    :math:`\lVert e(x) - e(y) \rVert^2 = \sum_f \sum_c (P(c \mid x_f) - P(c \mid y_f))^2`.
    """
    n_classes = labels.classes.size
    blocks = []
    for j in range(features.categorical.shape[1]):
        codes = features.categorical[:, j]
        table = np.zeros((len(features.levels[j]), n_classes))
        np.add.at(table, (codes, labels.codes), 1.0)
        table /= table.sum(axis=1, keepdims=True)
        blocks.append(table[codes])
    return np.hstack(blocks)


class SMOTEN(SMOTENC):
    __doc__ = compose(r"""SMOTE-N (Chawla et al., 2002) for data whose every feature is categorical.

    Rows are compared by the value difference metric (Stanfill and Waltz, 1986; Cost and
    Salzberg, 1993): two values of a feature are close when the classes are distributed alike
    among the rows that hold them. We use its squared form,
    :math:`\Delta(x, y) = \sum_f \sum_c (P(c \mid x_f) - P(c \mid y_f))^2` with the
    frequencies of the whole data, which is a squared Euclidean distance after embedding each
    value as its class frequencies, so the compiled scan finds the neighbours exactly; with two
    classes it orders neighbours as the paper's metric (:math:`k = 1, r = 2`) does. A synthetic
    row takes, feature by feature, the value most common among its base row and the base's
    ``k_neighbors`` nearest rows of its class (Chawla et al.'s vote; ties: the value seen first
    in the data). ``parents_[:, 1]`` repeats the base: nothing is interpolated.

    Parameters
    ----------{{common}}""", common=compose(COMMON_DOC, k_default="5"))

    _parameter_constraints: dict = dict(BaseSMOTE._parameter_constraints)

    def __init__(self, *, k_neighbors: int = 5, neighbors: Any = None, ratio: float = 1.0, targets: Targets | None = None,
                 random_state: RandomStateLike = None) -> None:
        BaseSMOTE.__init__(self, k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                            random_state=random_state)

    def _categorical_columns(self, X: ArrayLike) -> list:
        return list(X.columns) if isinstance(X, pd.DataFrame) else list(range(np.shape(X)[1]))

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        neighbors = self._class_neighbors(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        around = np.column_stack([rows[base], rows[neighbors[base]]])
        return Synthesis(rows[base], rows[base], np.zeros(n_new), around=around)
