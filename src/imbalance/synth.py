r"""Synthetic over-sampling on the plan: SMOTE, Borderline-SMOTE, ADASYN and SMOTE-NC.

Every class whose planned count is above its count gets ``target - count`` synthetic rows.
A synthetic row lies on the segment between a *base* row of the class and one of the base's
``k`` nearest neighbours of the same class (Chawla et al., 2002):

.. math::

    x_{new} = x_{base} + g\,(x_{neighbour} - x_{base}), \qquad g \sim U[0, 1)

The variants only change which base rows are used, how often, and (Borderline-SMOTE kind 2)
which neighbours. Originals are kept unchanged and first; synthetic rows follow, class by
class. ``parents_`` tells which two input rows made every synthetic row.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from imbalance import _neighbors
from imbalance._labels import EncodedLabels, class_positions
from imbalance._validation import (
    InputError,
    InputTypeError,
    check_finite,
    fmt_label,
    n_rows,
)
from imbalance.planner import apportion
from imbalance.resample import new_row_index, take_rows
from imbalance.samplers import BaseSampler, Resampled, SamplerInputTags, SamplerTags

__all__ = ["SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTENC", "smote"]


@dataclass(frozen=True)
class Synthesis:
    """Positions (in the input) of every synthetic row's base and neighbour, and its gap.

    ``around`` (SMOTE-NC only) holds the positions of each base row's k neighbours, whose
    categorical values are voted on.
    """

    base: np.ndarray
    neighbour: np.ndarray
    gap: np.ndarray
    around: np.ndarray | None = None

    @staticmethod
    def concatenate(parts: list["Synthesis"]) -> "Synthesis":
        if not parts:
            return Synthesis(np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0))
        around = [p.around for p in parts]
        return Synthesis(
            np.concatenate([p.base for p in parts]),
            np.concatenate([p.neighbour for p in parts]),
            np.concatenate([p.gap for p in parts]),
            None if any(a is None for a in around) else np.concatenate(around),
        )


# ----------------------------------------------------------------------------- neighbours


def _kneighbors(X: np.ndarray, k: int, neighbors: Any, rows: np.ndarray | None = None, *,
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


# ----------------------------------------------------------------------------- features


@dataclass
class _Features:
    """The table split into what is interpolated and what is voted on."""

    numeric: np.ndarray  # (n, d) float
    categorical: np.ndarray  # (n, c) int codes
    levels: list  # per categorical feature: the values its codes stand for


def _numeric_frame(X: pd.DataFrame, method: str, categorical: Sequence[Any]) -> _Features:
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
    return _Features(numeric, cats, levels)


# ----------------------------------------------------------------------------- the base


class _BaseSMOTE(BaseSampler):
    """The SMOTE family's hook: plan "over", synthesise, and hand the synthetic rows to the
    base, which appends them in X's type."""

    _strategy = "over"
    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "neighbors": [HasMethods(["fit", "kneighbors"]), None],
    }

    def __init__(self, *, k_neighbors: int = 5, neighbors: Any = None, ratio: float = 1.0,
                 targets: Any = None, random_state: Any = None) -> None:
        super().__init__(ratio=ratio, targets=targets, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors

    # subclasses: which rows are bases, how many rows each, which neighbours
    def _synthesize_class(self, X: np.ndarray, labels: EncodedLabels, rows: np.ndarray, n_new: int,
                          code: int, rng: np.random.Generator) -> Synthesis:
        neighbours = self._class_neighbours(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        picks = neighbours[base, rng.integers(0, neighbours.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new))

    def _class_neighbours(self, X: np.ndarray, rows: np.ndarray, labels: EncodedLabels, code: int) -> np.ndarray:
        k = self.k_neighbors
        if rows.size <= k:
            raise InputError(
                f"class {fmt_label(labels.classes[code])} has {rows.size} rows, fewer than k_neighbors + 1 = {k + 1}, "
                f"so it has too few neighbours to synthesise from; lower k_neighbors to at most {rows.size - 1}."
            )
        return _kneighbors(X[rows], k, self.neighbors)

    def _features(self, X: Any) -> tuple[_Features, list]:
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
                features = _Features(numeric, np.zeros((len(arr), 0), dtype=np.int64), [])
            names = [c for c in range(arr.shape[1]) if c not in categorical]
        check_finite(features.numeric, names)
        return features, list(categorical)

    def _categorical_columns(self, X: Any) -> list:
        return []

    def _space(self, features: _Features, rows: np.ndarray) -> np.ndarray:
        """The space neighbours are searched in (SMOTE-NC adds scaled one-hot columns)."""
        return features.numeric

    def _fit_resample(self, X: Any, labels: EncodedLabels, rng: np.random.Generator) -> Resampled:
        """Every input row once, then ``target - count`` synthetic rows for every class that
        grows (see :attr:`parents_`)."""
        features, categorical = self._features(X)
        counts, targets = self.plan_.count_array, self.plan_.target_array
        grow = np.flatnonzero(targets > counts)
        positions = class_positions(labels.codes, labels.counts, grow)
        parts = []
        for code in grow:
            rows = positions[int(code)]
            space = self._space(features, rows)
            parts.append(self._synthesize_class(space, labels, rows, int(targets[code] - counts[code]), int(code), rng))
        synthesis = Synthesis.concatenate(parts)
        self.parents_ = np.column_stack([synthesis.base, synthesis.neighbour])
        n = labels.n_samples
        self.is_synthetic_ = np.r_[np.zeros(n, bool), np.ones(synthesis.base.size, bool)]
        voted = _vote(features, synthesis) if categorical else None
        return Resampled(np.arange(n), SyntheticRows(features, categorical, synthesis, voted))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = SamplerInputTags(two_d_array=True, sparse=False, string=False, allow_nan=False,
                                           dataframe=True)
        tags.sampler_tags = SamplerTags(sample_indices=False)
        return tags


@dataclass(frozen=True)
class SyntheticRows:
    """The synthetic rows of one ``fit_resample``, to be appended in X's type (see
    :class:`imbalance.samplers.NewRows`): interpolated numeric columns, voted categories."""

    features: _Features
    categorical: list
    synthesis: Synthesis
    voted: np.ndarray | None

    @property
    def base(self) -> np.ndarray:
        """A synthetic row's label is its base row's label."""
        return self.synthesis.base

    def append_to(self, X: Any, rows: np.ndarray) -> Any:
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
        step = values.take(synthesis.neighbour[part], axis=0)
        np.subtract(step, base, out=step)
        np.multiply(step, gap[part], out=step)
        np.add(base, step, out=out[part])
    return out


def _assemble(X: Any, features: _Features, categorical: list, synthesis: Synthesis,
              new_categorical: np.ndarray | None) -> Any:
    if isinstance(X, pd.DataFrame):
        new = {}
        numeric_cols = [c for c in X.columns if c not in categorical]
        values = _interpolate(features.numeric, synthesis) if numeric_cols else None
        for j, c in enumerate(numeric_cols):
            column = values[:, j]
            dtype = X[c].dtype
            if pd.api.types.is_integer_dtype(dtype):
                column = np.rint(column)  # rounded, not truncated
            # an array, not a Series: a Series would be aligned on its own index below
            new[c] = column.astype(dtype) if isinstance(dtype, np.dtype) else pd.array(column, dtype=dtype)
        for j, c in enumerate(categorical):
            levels = features.levels[j]
            codes = new_categorical[:, j]
            dtype = X[c].dtype
            if isinstance(dtype, pd.CategoricalDtype):
                new[c] = pd.Categorical.from_codes(pd.Index(dtype.categories).get_indexer(levels[codes]), dtype=dtype)
            else:
                new[c] = pd.array(np.asarray(levels)[codes]).astype(dtype)
        synthetic = pd.DataFrame(new, columns=X.columns, index=new_row_index(X.index, synthesis.base.size))
        return pd.concat([X, synthetic])
    arr = np.asarray(X)
    if categorical:
        synthetic = np.empty((synthesis.base.size, arr.shape[1]), dtype=arr.dtype)
        numeric_cols = [c for c in range(arr.shape[1]) if c not in categorical]
        values = _interpolate(features.numeric, synthesis)
        # an integer array would truncate on assignment (35.88 -> 35): round, as for DataFrames
        synthetic[:, numeric_cols] = np.rint(values) if arr.dtype.kind in "iu" else values
        for j, c in enumerate(categorical):
            synthetic[:, c] = np.asarray(features.levels[j])[new_categorical[:, j]]
    elif arr.dtype.kind == "f":  # in X's own float dtype, straight into the result
        out = np.empty((len(arr) + synthesis.base.size, arr.shape[1]), dtype=arr.dtype)
        out[:len(arr)] = arr
        _interpolate(arr, synthesis, out=out[len(arr):])
        return out.tolist() if isinstance(X, list) else out
    else:
        synthetic = np.rint(_interpolate(arr.astype(np.float64), synthesis)).astype(arr.dtype)
    out = np.concatenate([arr, synthetic.astype(arr.dtype, copy=False)])
    return out.tolist() if isinstance(X, list) else out


def _vote(features: _Features, synthesis: Synthesis) -> np.ndarray:
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


# ----------------------------------------------------------------------------- the methods

_COMMON_DOC = """
    k_neighbors : int, default=5
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


class SMOTE(_BaseSMOTE):
    __doc__ = """SMOTE (Chawla et al., JAIR 2002): synthetic rows between same-class neighbours.

    Base rows are drawn uniformly from the class, a neighbour uniformly from the base's
    ``k_neighbors`` nearest, and the gap uniformly from [0, 1).

    Parameters
    ----------""" + _COMMON_DOC


class BorderlineSMOTE(_BaseSMOTE):
    __doc__ = """Borderline-SMOTE (Han, Wang and Mao, 2005): synthesise only from rows in danger.

    A row of the class is *in danger* when at least half, but not all, of its ``m_neighbors``
    nearest neighbours (in the whole data) belong to other classes; only those rows are bases
    (if a class has none, all its rows are used, with a warning). ``kind="borderline-1"``
    interpolates towards the base's ``k_neighbors`` nearest rows of its own class;
    ``kind="borderline-2"`` towards its ``k_neighbors`` nearest rows of any class, with the gap
    drawn from [0, 0.5) when that neighbour belongs to another class.

    Parameters
    ----------
    m_neighbors : int, default=10
    kind : {"borderline-1", "borderline-2"}, default="borderline-1\"""" + _COMMON_DOC

    _parameter_constraints: dict = {
        **_BaseSMOTE._parameter_constraints,
        "m_neighbors": [Interval(Integral, 1, None, closed="left")],
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(self, *, k_neighbors: int = 5, m_neighbors: int = 10, kind: str = "borderline-1",
                 neighbors: Any = None, ratio: float = 1.0, targets: Any = None, random_state: Any = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.m_neighbors = m_neighbors
        self.kind = kind


    def danger_rows(self, X: np.ndarray, codes: np.ndarray, rows: np.ndarray, code: int) -> np.ndarray:
        """Which of ``rows`` (positions of one class) are in danger; a boolean mask."""
        m = self.m_neighbors
        around = _kneighbors(X, m, self.neighbors, rows, param="m_neighbors")
        others = (codes[around] != code).sum(axis=1)
        return (others >= m / 2) & (others < m)

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        danger = self.danger_rows(X, labels.codes, rows, code)
        if not danger.any():
            warnings.warn(
                f"class {fmt_label(labels.classes[code])} has no rows in danger; Borderline-SMOTE uses all its rows.",
                stacklevel=3,
            )
            danger[:] = True
        bases = np.flatnonzero(danger)
        base = bases[rng.integers(0, bases.size, size=n_new)]
        k = self.k_neighbors
        if self.kind == "borderline-1":
            neighbours = self._class_neighbours(X, rows, labels, code)
            picks = rows[neighbours[base, rng.integers(0, k, size=n_new)]]
            gap = rng.random(n_new)
        else:
            neighbours = _kneighbors(X, k, self.neighbors, rows)
            picks = neighbours[base, rng.integers(0, k, size=n_new)]
            gap = rng.random(n_new) * np.where(labels.codes[picks] == code, 1.0, 0.5)
        return Synthesis(rows[base], picks, gap)


class ADASYN(_BaseSMOTE):
    __doc__ = """ADASYN (He, Bai, Garcia and Li, 2008): more synthetic rows where the class is hard.

    Row :math:`i` of the class gets a hardness :math:`r_i`, the share of other classes among
    its ``k_neighbors`` nearest neighbours in the whole data; the class's :math:`G` new rows
    are split in proportion to :math:`r_i` (largest remainder, so they sum to :math:`G`
    exactly), and each is interpolated towards one of the row's ``k_neighbors`` nearest rows of
    its own class. A class with no hard row falls back to uniform bases, with a warning.

    Parameters
    ----------""" + _COMMON_DOC

    def hardness(self, X: np.ndarray, codes: np.ndarray, rows: np.ndarray, code: int) -> np.ndarray:
        """:math:`r_i` for every row of the class."""
        around = _kneighbors(X, self.k_neighbors, self.neighbors, rows)
        return (codes[around] != code).mean(axis=1)

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        r = self.hardness(X, labels.codes, rows, code)
        if r.sum() == 0:
            warnings.warn(f"class {fmt_label(labels.classes[code])} has no hard rows; ADASYN draws bases uniformly.",
                          stacklevel=3)
            r = np.ones_like(r)
        per_row = apportion(r, n_new)
        base = np.repeat(np.arange(rows.size), per_row)
        neighbours = self._class_neighbours(X, rows, labels, code)
        picks = neighbours[base, rng.integers(0, neighbours.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new))


class SMOTENC(_BaseSMOTE):
    __doc__ = """SMOTE-NC (Chawla et al., 2002) for mixed numeric and categorical features.

    Neighbours are found with the Euclidean distance on the numeric features plus, for every
    categorical feature that differs, the median of the class's numeric standard deviations
    (squared), as the paper prescribes. Numeric features are interpolated; each categorical
    feature of a synthetic row takes the value most frequent among the base row's
    ``k_neighbors`` neighbours (ties: the value seen first in the data). Bool, categorical,
    string and object columns all work here.

    Parameters
    ----------
    categorical_features : "auto" or list, default="auto"
        Column names (DataFrame) or positions; "auto": every non-numeric or bool column of a
        DataFrame.""" + _COMMON_DOC

    _parameter_constraints: dict = {
        **_BaseSMOTE._parameter_constraints,
        "categorical_features": [StrOptions({"auto"}), "array-like"],
    }

    def __init__(self, *, categorical_features: Any = "auto", k_neighbors: int = 5, neighbors: Any = None,
                 ratio: float = 1.0, targets: Any = None, random_state: Any = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.categorical_features = categorical_features

    def _categorical_columns(self, X: Any) -> list:
        columns = list(X.columns) if isinstance(X, pd.DataFrame) else list(range(np.shape(X)[1]))
        found = _resolve_columns(self.categorical_features, X)
        if not found:
            raise InputError("SMOTENC found no categorical feature; use SMOTE for numeric data.")
        if len(found) == len(columns):
            # Every distance in the SMOTE-NC metric would be a multiple of the numeric spread,
            # which is then 0: the "nearest" rows would be the first k, whatever their values.
            raise InputError(
                "SMOTENC needs at least one numeric feature to measure distances, but every column of X is "
                "categorical; use OverSampler (random over-sampling) for all-categorical data, or encode "
                "some columns as numbers."
            )
        return found

    def _space(self, features: _Features, rows: np.ndarray) -> np.ndarray:
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
        neighbours = self._class_neighbours(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        picks = neighbours[base, rng.integers(0, neighbours.shape[1], size=n_new)]
        return Synthesis(rows[base], rows[picks], rng.random(n_new), around=rows[neighbours[base]])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags


def _resolve_columns(spec: Any, X: Any) -> list:
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


def smote(X: Any, y: Any, *, ratio: float = 1.0, targets: Any = None, k_neighbors: int = 5,
          random_state: Any = None, return_parents: bool = False) -> tuple:
    """SMOTE in one call: ``imbalance.smote(X, y)`` -> ``(X_res, y_res)``.

    With ``return_parents=True`` also returns the (n_synthetic, 2) array of the input
    positions that made every synthetic row. See :class:`SMOTE`.
    """
    sampler = SMOTE(k_neighbors=k_neighbors, ratio=ratio, targets=targets, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    return (X_res, y_res, sampler.parents_) if return_parents else (X_res, y_res)

