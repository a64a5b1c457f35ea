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
from numbers import Integral, Real
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
    to_python,
)
from imbalance.planner import apportion
from imbalance.resample import new_column, new_row_index, take_rows
from imbalance.samplers import BaseSampler, Resampled

__all__ = ["SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTENC", "SMOTEN", "SVMSMOTE", "KMeansSMOTE", "smote"]


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
    _measures_x = True
    _selects_rows = False
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
            fix = (f"lower k_neighbors to at most {rows.size - 1}" if rows.size > 1 else
                   "a single row has no neighbour to interpolate towards: add rows of that class, or over-sample it "
                   "by copies (RandomOverSampler)")
            raise InputError(
                f"class {fmt_label(labels.classes[code])} has {rows.size} row{'s' * (rows.size != 1)}, fewer than "
                f"k_neighbors + 1 = {k + 1}, so it has too few neighbours to synthesise from; {fix}."
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

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        """What a method fits once on the whole data before synthesising (SVM-SMOTE's SVM,
        k-means SMOTE's clusters)."""

    def _space(self, features: _Features, rows: np.ndarray, labels: EncodedLabels) -> np.ndarray:
        """The space neighbours are searched in (SMOTE-NC adds scaled one-hot columns)."""
        return features.numeric

    def _fit_resample(self, X: Any, labels: EncodedLabels, rng: np.random.Generator, *,
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
        self.parents_ = np.column_stack([synthesis.base, synthesis.neighbour])
        n = labels.n_samples
        voted = _vote(features, synthesis) if categorical else None
        return Resampled(np.arange(n), SyntheticRows(features, categorical, synthesis, voted))


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
            new[c] = new_column(values[:, j], X[c].dtype)
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
    ----------""" + _COMMON_DOC + """
    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.synth import SMOTE
    >>> X, y = make_classification(200, weights=[0.9], random_state=0)
    >>> smote = SMOTE(random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> smote.plan_.targets, int(smote.is_synthetic_.sum()), smote.parents_.shape
    ({0: 180, 1: 180}, 160, (160, 2))
    """


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
        found = _resolve_columns(self.categorical_features, X)
        if not found:
            raise InputError("SMOTENC found no categorical feature; use SMOTE for numeric data.")
        return found

    def _space(self, features: _Features, rows: np.ndarray, labels: EncodedLabels) -> np.ndarray:
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


def _value_difference_space(features: _Features, labels: EncodedLabels) -> np.ndarray:
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
    __doc__ = r"""SMOTE-N (Chawla et al., 2002) for data whose every feature is categorical.

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
    ----------""" + _COMMON_DOC

    _parameter_constraints: dict = dict(_BaseSMOTE._parameter_constraints)

    def __init__(self, *, k_neighbors: int = 5, neighbors: Any = None, ratio: float = 1.0, targets: Any = None,
                 random_state: Any = None) -> None:
        _BaseSMOTE.__init__(self, k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                            random_state=random_state)

    def _categorical_columns(self, X: Any) -> list:
        return list(X.columns) if isinstance(X, pd.DataFrame) else list(range(np.shape(X)[1]))

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        neighbours = self._class_neighbours(X, rows, labels, code)
        base = rng.integers(0, rows.size, size=n_new)
        around = np.column_stack([rows[base], rows[neighbours[base]]])
        return Synthesis(rows[base], rows[base], np.zeros(n_new), around=around)


class SVMSMOTE(_BaseSMOTE):
    __doc__ = r"""SVM-SMOTE (Nguyen, Cooper and Kamei, 2011): synthesise from the support vectors.

    An SVM (``svm_estimator``, default scikit-learn's ``SVC()``) is fitted on the whole data;
    the bases of a class are its support vectors. Of those, a vector whose ``m_neighbors``
    nearest rows all belong to other classes is noise and dropped; one with at least half is
    *in danger*, the rest are *safe*. From a danger vector :math:`s` a new row is interpolated
    towards one of its ``k_neighbors`` nearest rows :math:`n` of its class,
    :math:`s + u (n - s)`; from a safe one it is extrapolated away from it,
    :math:`s - \text{out\_step}\, u\, (n - s)`, with :math:`u \sim U[0, 1)`. The
    class's new rows are split between the two kinds by a :math:`\text{Beta}(10, 10)` draw, as
    in imbalanced-learn, but always sum to the plan (imbalanced-learn falls short when one kind
    is missing).

    Parameters
    ----------
    m_neighbors : int, default=10
    svm_estimator : estimator with ``support_`` after ``fit``, optional
    out_step : float, default=0.5""" + _COMMON_DOC + """    svm_estimator_ : estimator
        The fitted SVM.
"""

    _parameter_constraints: dict = {
        **_BaseSMOTE._parameter_constraints,
        "m_neighbors": [Interval(Integral, 1, None, closed="left")],
        "svm_estimator": [HasMethods(["fit"]), None],
        "out_step": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, k_neighbors: int = 5, m_neighbors: int = 10, svm_estimator: Any = None,
                 out_step: float = 0.5, neighbors: Any = None, ratio: float = 1.0, targets: Any = None,
                 random_state: Any = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        from sklearn.base import clone
        from sklearn.svm import SVC

        svm = SVC() if self.svm_estimator is None else clone(self.svm_estimator)
        self.svm_estimator_ = svm.fit(X, labels.codes)
        if not hasattr(svm, "support_"):
            raise InputError(f"svm_estimator {type(svm).__name__} has no support_ after fit; give an SVM "
                             "(e.g. sklearn.svm.SVC).")

    def support_rows(self, X: np.ndarray, codes: np.ndarray, code: int) -> tuple[np.ndarray, np.ndarray]:
        """The class's support vectors that are not noise (positions in X), and which of them
        are in danger."""
        support = np.asarray(self.svm_estimator_.support_)
        support = np.sort(support[codes[support] == code])
        if support.size == 0:
            return support, np.zeros(0, bool)
        m = self.m_neighbors
        others = (codes[_kneighbors(X, m, self.neighbors, support, param="m_neighbors")] != code).sum(axis=1)
        return support[others < m], (others >= m / 2)[others < m]

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        support, danger = self.support_rows(X, labels.codes, code)
        if support.size == 0:
            raise InputError(
                f"SVM-SMOTE found no support vector of class {fmt_label(labels.classes[code])} that is not noise "
                "(every one is surrounded by other classes); SVM-SMOTE does not suit this data: try SMOTE or "
                "BorderlineSMOTE."
            )
        neighbours = self._class_neighbours(X, rows, labels, code)[np.searchsorted(rows, support)]
        if danger.all() or not danger.any():
            n_danger = n_new if danger.all() else 0
        else:
            n_danger = int(round(rng.beta(10, 10) * n_new))
        parts = []
        for kind, count, scale in ((danger, n_danger, 1.0), (~danger, n_new - n_danger, -self.out_step)):
            bases = np.flatnonzero(kind)
            if count == 0:
                continue
            base = bases[rng.integers(0, bases.size, size=count)]
            picks = rows[neighbours[base, rng.integers(0, neighbours.shape[1], size=count)]]
            parts.append(Synthesis(support[base], picks, scale * rng.random(count)))
        return Synthesis.concatenate(parts)


class KMeansSMOTE(_BaseSMOTE):
    __doc__ = r"""k-means SMOTE (Douzas, Bacao and Last, 2018): SMOTE inside the sparse, safe clusters.

    A k-means (``kmeans_estimator``: a number of clusters, or an estimator; default
    scikit-learn's ``MiniBatchKMeans`` with 8 clusters, seeded from ``random_state``) is fitted
    on the whole data. A cluster is kept for a class when the class's share of its rows is at
    least ``cluster_balance_threshold`` (``"auto"``: the class's share of all rows, i.e. the
    cluster is no more imbalanced than the data) and it holds at least two rows of the class.
    Kept cluster :math:`j` with :math:`m_j` class rows at mean pairwise Euclidean distance
    :math:`\bar d_j` has sparsity :math:`\bar d_j^{\,e} / m_j` (``density_exponent``
    :math:`e`; ``"auto"``: the number of features, as the paper suggests) and gets its share of
    the class's new rows by sparsity (largest remainders: they sum to the plan exactly, where
    imbalanced-learn rounds each cluster up). Inside a cluster, plain SMOTE with
    ``min(k_neighbors, m_j - 1)`` neighbours.

    When no cluster qualifies the method has nothing to work with: a clear error says so, and
    how to loosen it (a lower threshold, more clusters); nothing falls back silently.

    Parameters
    ----------
    kmeans_estimator : int or clustering estimator, optional
    cluster_balance_threshold : "auto" or float in [0, 1], default="auto"
    density_exponent : "auto" or float, default="auto\"""" + _COMMON_DOC.replace(
        "k_neighbors : int, default=5", "k_neighbors : int, default=2") + """    kmeans_estimator_ : estimator
        The fitted clustering.
    cluster_weights_ : dict
        Class -> {cluster: share of the class's new rows}.
"""

    _parameter_constraints: dict = {
        **_BaseSMOTE._parameter_constraints,
        "kmeans_estimator": [Interval(Integral, 1, None, closed="left"), HasMethods(["fit_predict"]), None],
        "cluster_balance_threshold": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "density_exponent": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, k_neighbors: int = 2, kmeans_estimator: Any = None,
                 cluster_balance_threshold: float | str = "auto", density_exponent: float | str = "auto",
                 neighbors: Any = None, ratio: float = 1.0, targets: Any = None, random_state: Any = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        from sklearn.base import clone
        from sklearn.cluster import MiniBatchKMeans

        if self.kmeans_estimator is None or isinstance(self.kmeans_estimator, Integral):
            n_clusters = 8 if self.kmeans_estimator is None else int(self.kmeans_estimator)
            model = MiniBatchKMeans(n_clusters=min(n_clusters, len(X)), n_init=1,
                                    random_state=int(rng.integers(2**31 - 1)))
        else:
            model = clone(self.kmeans_estimator)
        self.cluster_labels_ = np.asarray(model.fit_predict(X))
        self.kmeans_estimator_ = model
        self.cluster_weights_ = {}

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        clusters = self.cluster_labels_
        threshold = (rows.size / labels.n_samples if self.cluster_balance_threshold == "auto"
                     else float(self.cluster_balance_threshold))
        exponent = X.shape[1] if self.density_exponent == "auto" else float(self.density_exponent)
        ids, sizes = np.unique(clusters, return_counts=True)
        members, sparsity = [], []
        for cluster, size in zip(ids, sizes):
            mine = rows[clusters[rows] == cluster]
            if mine.size < 2 or mine.size / size < threshold:
                continue
            members.append(mine)
            sparsity.append(_mean_distance(X[mine]) ** exponent / mine.size)
        if not members:
            name = fmt_label(labels.classes[code])
            if rows.size < 2:  # no threshold or clustering makes a pair of one row
                raise InputError(
                    f"class {name} has {rows.size} row; k-means SMOTE interpolates between two rows of a cluster: add "
                    "rows of that class, or over-sample it by copies (RandomOverSampler)."
                )
            raise InputError(
                f"k-means SMOTE found no cluster where class {name} has at least two rows "
                f"and a share of at least {threshold:.3g}; lower cluster_balance_threshold or use more clusters "
                "(kmeans_estimator=...)."
            )
        weights = np.asarray(sparsity, dtype=float)
        weights = weights / weights.sum() if weights.sum() > 0 and np.isfinite(weights).all() else np.ones(len(members))
        shares = apportion(weights, n_new)
        self.cluster_weights_[to_python(labels.classes[code])] = {
            to_python(clusters[mine[0]]): float(w) for mine, w in zip(members, weights / weights.sum())}
        parts = []
        for mine, count in zip(members, shares):
            if count == 0:
                continue
            k = min(self.k_neighbors, mine.size - 1)
            neighbours = _kneighbors(X[mine], k, self.neighbors)
            base = rng.integers(0, mine.size, size=count)
            picks = neighbours[base, rng.integers(0, k, size=count)]
            parts.append(Synthesis(mine[base], mine[picks], rng.random(count)))
        return Synthesis.concatenate(parts)


# Rows on a side of the square tiles in which a cluster's pairwise distances are summed (two tiles
# of float64 in memory: 64 MiB, whatever the size of the cluster).
_DISTANCE_BLOCK = 2048


def _mean_distance(X: np.ndarray, block: int | None = None) -> float:
    r"""Mean Euclidean distance over all pairs of distinct rows, exactly, in square tiles of
    ``block`` rows (default ``_DISTANCE_BLOCK``): memory stays at two tiles whatever the number
    of rows (a strip of ``block`` x all rows took 512x the input at 12,000 rows), and each
    unordered pair is measured once (tiles on and above the diagonal)."""
    block = block or _DISTANCE_BLOCK
    n = len(X)
    X = X.astype(np.float64, copy=False)
    sq = np.einsum("ij,ij->i", X, X)
    total = 0.0
    for a in range(0, n, block):
        rows = slice(a, a + block)
        for b in range(a, n, block):
            d2 = X[rows] @ X[b:b + block].T
            d2 *= -2
            d2 += sq[rows, None]
            d2 += sq[None, b:b + block]
            np.maximum(d2, 0, out=d2)
            if a == b:  # the diagonal tile holds each pair twice, and each row's distance to itself
                inside = np.arange(d2.shape[0])
                d2[inside, inside] = 0.0  # which rounding leaves above 0
                total += float(np.sqrt(d2, out=d2).sum()) / 2
            else:
                total += float(np.sqrt(d2, out=d2).sum())
    return 2 * total / (n * (n - 1))


def smote(X: Any, y: Any, *, ratio: float = 1.0, targets: Any = None, k_neighbors: int = 5,
          random_state: Any = None, return_parents: bool = False) -> tuple:
    """SMOTE in one call: ``imbalance.smote(X, y)`` -> ``(X_res, y_res)``.

    With ``return_parents=True`` also returns the (n_synthetic, 2) array of the input
    positions that made every synthetic row. See :class:`SMOTE`.
    """
    sampler = SMOTE(k_neighbors=k_neighbors, ratio=ratio, targets=targets, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    return (X_res, y_res, sampler.parents_) if return_parents else (X_res, y_res)

