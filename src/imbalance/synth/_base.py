"""What the SMOTE family shares: the base sampler (validation, the plan, neighbours within a
class), the synthesis (which row, towards which neighbour, how far) and the assembly of the
new rows in the input's types."""


from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import HasMethods, Interval

from imbalance import _neighbors
from imbalance._labels import EncodedLabels, class_positions
from imbalance._validation import (
    InputError,
    InputTypeError,
    RandomStateLike,
    check_finite,
    fmt_label,
    n_rows,
)
from imbalance.planner import Targets
from imbalance.resample import new_column, new_row_index, take_rows
from imbalance.samplers import BaseSampler, Resampled


@dataclass(frozen=True)
class Synthesis:
    """Positions (in the input) of every synthetic row's base and neighbour, and its gap.

    ``around`` (SMOTE-NC only) holds the positions of each base row's k neighbours, whose
    categorical values are voted on.
    """

    base: np.ndarray
    neighbor: np.ndarray
    gap: np.ndarray
    around: np.ndarray | None = None

    @staticmethod
    def concatenate(parts: list["Synthesis"]) -> "Synthesis":
        if not parts:
            return Synthesis(np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0))
        around = [p.around for p in parts]
        return Synthesis(
            np.concatenate([p.base for p in parts]),
            np.concatenate([p.neighbor for p in parts]),
            np.concatenate([p.gap for p in parts]),
            None if any(a is None for a in around) else np.concatenate(around),
        )


def class_neighbors(X: np.ndarray, k: int, neighbors: Any, rows: np.ndarray | None = None, *,
                param: str = "k_neighbors") -> np.ndarray:
    """Indices (into X) of the k nearest neighbours in X of each of ``rows`` (default: every
    row), the row itself left out; searched by ``neighbors`` if given (see :mod:`imbalance._neighbors`).
    ``param`` names the parameter that set ``k``, for the message when X has too few rows."""
    if k >= len(X):
        raise InputError(
            f"{param}={k} asks for {k} neighbours of every row, but X has only {len(X)} rows; "
            f"lower {param} to at most {len(X) - 1}."
        )
    return _neighbors.kneighbors(X, k, queries=rows, search=neighbors)[1]


@dataclass
class Features:
    """The table split into what is interpolated and what is voted on."""

    numeric: np.ndarray  # (n, d) float
    categorical: np.ndarray  # (n, c) int codes
    levels: list  # per categorical feature: the values its codes stand for


def _numeric_frame(X: pd.DataFrame, method: str, categorical: Sequence[Any]) -> Features:
    wrong = [c for c in X.columns if c not in categorical and (
        X[c].dtype == bool or not pd.api.types.is_numeric_dtype(X[c]))]
    if wrong:
        raise InputTypeError(
            f"{method} interpolates numbers, but column(s) {', '.join(map(str, wrong))} are not numeric: "
            "use SMOTENC(categorical_features=[...]) for them, or encode them first."
        )
    numeric_cols = [c for c in X.columns if c not in categorical]
    numeric = X[numeric_cols].to_numpy(dtype=np.float64) if numeric_cols else np.zeros((len(X), 0))
    codes, levels = [], []
    for c in categorical:
        col_codes, uniques = pd.factorize(X[c], use_na_sentinel=True)
        if (col_codes < 0).any():
            raise InputError(f"column {c!r} has missing values; fill them before synthesising rows.")
        codes.append(col_codes)
        levels.append(uniques)
    cats = np.column_stack(codes) if codes else np.zeros((len(X), 0), dtype=np.int64)
    return Features(numeric, cats, levels)


class BaseSMOTE(BaseSampler):
    """The SMOTE family's hook: plan "over", synthesise, and hand the synthetic rows to the
    base, which appends them in X's type."""

    _strategy = "over"
    _measures_x = True
    _selects_rows = False
    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "neighbors": [HasMethods(["fit", "kneighbors"]), None],
    }

    def __init__(self, *, k_neighbors: int = 5, neighbors: Any = None, ratio: float = 1.0,
                 targets: Targets | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(ratio=ratio, targets=targets, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors

    # subclasses: which rows are bases, how many rows each, which neighbours
    def _synthesize_class(self, X: np.ndarray, labels: EncodedLabels, rows: np.ndarray, n_new: int,
                          code: int, rng: np.random.Generator) -> Synthesis:
        neighbors = self._class_neighbors(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        picks = neighbors[base, rng.integers(0, neighbors.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new))

    def _class_neighbors(self, X: np.ndarray, rows: np.ndarray, labels: EncodedLabels, code: int) -> np.ndarray:
        k = self.k_neighbors
        if rows.size <= k:
            fix = (f"lower k_neighbors to at most {rows.size - 1}" if rows.size > 1 else
                   "a single row has no neighbour to interpolate towards: add rows of that class, or over-sample it "
                   "by copies (RandomOverSampler)")
            raise InputError(
                f"class {fmt_label(labels.classes[code])} has {rows.size} row{'s' * (rows.size != 1)}, fewer than "
                f"k_neighbors + 1 = {k + 1}, so it has too few neighbours to synthesise from; {fix}."
            )
        return class_neighbors(X[rows], k, self.neighbors)

    def _features(self, X: ArrayLike) -> tuple[Features, list]:
        if hasattr(X, "tocsr"):
            raise InputTypeError(f"{type(self).__name__} needs dense X; sparse matrices are not supported.")
        if isinstance(X, pd.DataFrame):
            if X.shape[1] == 0:
                raise InputError("X has no columns; SMOTE needs at least one feature to interpolate.")
            categorical = self._categorical_columns(X)
            features = _numeric_frame(X, type(self).__name__, categorical)
            names = [c for c in X.columns if c not in categorical]
        else:
            arr = np.asarray(X)
            if arr.ndim != 2:
                raise InputError(f"X must be 2-D (rows x features), got shape {arr.shape}.")
            if arr.shape[1] == 0:
                raise InputError("X has no columns; SMOTE needs at least one feature to interpolate.")
            categorical = self._categorical_columns(arr)
            if categorical:
                frame = pd.DataFrame(arr)
                numeric_cols = [c for c in frame.columns if c not in categorical]
                try:
                    frame = frame.astype({c: float for c in numeric_cols})
                except (TypeError, ValueError):
                    raise InputTypeError(
                        f"{type(self).__name__} interpolates numbers, but some of columns {numeric_cols} of X are "
                        "not numeric: list every non-numeric column in categorical_features."
                    ) from None
                features = _numeric_frame(frame, type(self).__name__, categorical)
            elif arr.dtype.kind not in "iuf":
                raise InputTypeError(
                    f"{type(self).__name__} interpolates numbers, but X has dtype {arr.dtype}: use SMOTENC with "
                    "categorical_features=[...] for non-numeric columns."
                )
            else:  # float X keeps its dtype, so float32 data is searched and interpolated in float32
                numeric = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
                features = Features(numeric, np.zeros((len(arr), 0), dtype=np.int64), [])
            names = [c for c in range(arr.shape[1]) if c not in categorical]
        check_finite(features.numeric, names)
        return features, list(categorical)

    def _categorical_columns(self, X: ArrayLike) -> list:
        return []

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        """What a method fits once on the whole data before synthesising (SVM-SMOTE's SVM,
        k-means SMOTE's clusters)."""

    def _space(self, features: Features, rows: np.ndarray, labels: EncodedLabels) -> np.ndarray:
        """The space neighbours are searched in (SMOTE-NC adds scaled one-hot columns)."""
        return features.numeric

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        """Every input row once, then ``target - count`` synthetic rows for every class that
        grows (see :attr:`parents_`)."""
        features, categorical = self._features(X)
        counts, targets = self.plan_.count_array, self.plan_.target_array
        grow = np.flatnonzero(targets > counts)
        if grow.size:
            self._prepare(features.numeric, labels, rng)
        positions = class_positions(labels.codes, labels.counts, grow)
        parts = []
        for code in grow:
            rows = positions[int(code)]
            space = self._space(features, rows, labels)
            parts.append(self._synthesize_class(space, labels, rows, int(targets[code] - counts[code]), int(code), rng))
        synthesis = Synthesis.concatenate(parts)
        self.parents_ = np.column_stack([synthesis.base, synthesis.neighbor])
        n = labels.n_samples
        voted = _vote(features, synthesis) if categorical else None
        return Resampled(np.arange(n), SyntheticRows(features, categorical, synthesis, voted))


@dataclass(frozen=True)
class SyntheticRows:
    """The synthetic rows of one ``fit_resample``, to be appended in X's type (see
    :class:`imbalance.samplers.NewRows`): interpolated numeric columns, voted categories."""

    features: Features
    categorical: list
    synthesis: Synthesis
    voted: np.ndarray | None

    @property
    def base(self) -> np.ndarray:
        """A synthetic row's label is its base row's label."""
        return self.synthesis.base

    def append_to(self, X: ArrayLike, rows: np.ndarray) -> Any:
        every_row = rows.size == n_rows(X) and np.array_equal(rows, np.arange(rows.size))
        kept = X if every_row else take_rows(X, rows)
        return _assemble(kept, self.features, self.categorical, self.synthesis, self.voted)


# Rows interpolated per step: the step's temporaries stay in cache and memory stays bounded.
_CHUNK_ROWS = 8192


def _interpolate(values: np.ndarray, synthesis: Synthesis, out: np.ndarray | None = None) -> np.ndarray:
    """``base + gap * (neighbour - base)`` for every synthetic row, written into ``out``."""
    dtype = values.dtype if values.dtype.kind == "f" else np.float64
    size = synthesis.base.size
    if out is None:
        out = np.empty((size, values.shape[1]), dtype=dtype)
    gap = synthesis.gap.astype(dtype)[:, None]
    for start in range(0, size, _CHUNK_ROWS):
        part = slice(start, min(start + _CHUNK_ROWS, size))
        base = values.take(synthesis.base[part], axis=0)
        step = values.take(synthesis.neighbor[part], axis=0)
        np.subtract(step, base, out=step)
        np.multiply(step, gap[part], out=step)
        np.add(base, step, out=out[part])
    return out


def _assemble(X: ArrayLike, features: Features, categorical: list, synthesis: Synthesis,
              new_categorical: np.ndarray | None) -> Any:
    if not isinstance(X, pd.DataFrame) and not categorical and np.asarray(X).dtype.kind == "f":
        arr = np.asarray(X)  # in X's own float dtype, straight into the result
        out = np.empty((len(arr) + synthesis.base.size, arr.shape[1]), dtype=arr.dtype)
        out[:len(arr)] = arr
        _interpolate(arr, synthesis, out=out[len(arr):])
        return out.tolist() if isinstance(X, list) else out
    has_numeric = features.numeric.shape[1] > 0
    values = _interpolate(features.numeric, synthesis) if has_numeric else None
    return append_new_rows(X, categorical, features.levels, values, new_categorical, synthesis.base.size)


def append_new_rows(X: ArrayLike, categorical: list, levels: list, numeric: np.ndarray | None,
                    codes: np.ndarray | None, size: int) -> Any:
    """``X`` followed by ``size`` new rows, in X's type: ``numeric`` fills X's columns that
    are not in ``categorical``, in order (integer columns rounded, dtypes kept), ``codes``
    the categorical ones (codes into ``levels``, one list of values per categorical column).
    A DataFrame's new rows get index labels after its own (:func:`new_row_index`)."""
    if isinstance(X, pd.DataFrame):
        new = {}
        numeric_cols = [c for c in X.columns if c not in categorical]
        for j, c in enumerate(numeric_cols):
            new[c] = new_column(numeric[:, j], X[c].dtype)
        for j, c in enumerate(categorical):
            values, dtype = levels[j], X[c].dtype
            if isinstance(dtype, pd.CategoricalDtype):
                new[c] = pd.Categorical.from_codes(pd.Index(dtype.categories).get_indexer(values[codes[:, j]]),
                                                   dtype=dtype)
            else:
                new[c] = pd.array(np.asarray(values)[codes[:, j]]).astype(dtype)
        synthetic = pd.DataFrame(new, columns=X.columns, index=new_row_index(X.index, size))
        return pd.concat([X, synthetic])
    arr = np.asarray(X)
    if categorical:
        synthetic = np.empty((size, arr.shape[1]), dtype=arr.dtype)
        numeric_cols = [c for c in range(arr.shape[1]) if c not in categorical]
        if numeric_cols:
            # an integer array would truncate on assignment (35.88 -> 35): round, as for DataFrames
            synthetic[:, numeric_cols] = np.rint(numeric) if arr.dtype.kind in "iu" else numeric
        for j, c in enumerate(categorical):
            synthetic[:, c] = np.asarray(levels[j])[codes[:, j]]
    elif arr.dtype.kind == "f":
        synthetic = numeric
    else:
        synthetic = np.rint(numeric)
    out = np.concatenate([arr, synthetic.astype(arr.dtype, copy=False)])
    return out.tolist() if isinstance(X, list) else out


def _vote(features: Features, synthesis: Synthesis) -> np.ndarray:
    """Each categorical feature of every synthetic row: the most frequent value among the
    base row's neighbours (ties: the lowest code, i.e. the value seen first in the data)."""
    around = synthesis.around
    if around is None:  # nothing was synthesised
        return np.empty((0, features.categorical.shape[1]), dtype=np.int64)
    votes = np.empty((around.shape[0], features.categorical.shape[1]), dtype=np.int64)
    rows = np.repeat(np.arange(around.shape[0]), around.shape[1])
    for j in range(features.categorical.shape[1]):
        counts = np.zeros((around.shape[0], len(features.levels[j])), dtype=np.int64)
        np.add.at(counts, (rows, features.categorical[around, j].ravel()), 1)
        votes[:, j] = counts.argmax(axis=1)
    return votes


COMMON_DOC = """
    k_neighbors : int, default={{k_default}}
        Neighbours of the same class that a synthetic row may be interpolated towards. A class
        to over-sample needs at least ``k_neighbors + 1`` rows (else a clear error).
    neighbors : estimator with the NearestNeighbors interface, optional
        Used for every neighbour search (``fit``, then ``kneighbors(X, n_neighbors)``); default
        ``sklearn.neighbors.NearestNeighbors()``, exact.
    ratio : float, default=1.0
        Largest class / smallest class after over-sampling (the planner's ``"over"``).
    targets : dict or callable, optional
        Explicit counts after over-sampling per class (only increases).
    random_state : int, numpy Generator or None
        Same seed, same rows.

    Attributes
    ----------
    plan_ : Plan
    parents_ : ndarray of shape (n_synthetic, 2)
        Positions in the input of the base row and the neighbour of every synthetic row (in
        output order: synthetic row ``i`` is output row ``n_samples + i``).
    is_synthetic_ : ndarray of bool, shape (n_samples + n_synthetic,)
    origin_ : ndarray of shape (n_samples + n_synthetic,)
        The input row of every output row, -1 for synthetic ones.
"""
