"""Random under- and over-sampling of numpy arrays and pandas tables, to the planner's plan.

The backend is thin: draw row positions that meet the plan exactly from a seeded generator,
then touch the table once with a single ``take``.

Every class is drawn by the package's one rule (:mod:`imbalance._draw`): t rows from a
class of n take every row floor(t/n) times and a random subset of t mod n rows once more.

Row order of every result: the kept original rows in their original order, then (when a
class is over-sampled) the extra rows, class by class in class order: first the class's rows
floor(t/n) - 1 more times, then the random subset, each in original order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from imbalance._draw import even_draws
from imbalance._labels import EncodedLabels, class_positions, encode_labels
from imbalance._validation import (
    InputTypeError,
    RandomStateLike,
    check_random_state,
    check_same_length,
)
from imbalance.planner import Plan, Strategy, plan_labels

__all__ = [
    "resample",
    "resample_indices",
    "resample_counts",
    "take_rows",
    "new_row_index",
    "new_column",
]

@dataclass(frozen=True)
class Draw:
    """Row positions that carry out a plan.

    ``kept`` is None when every original row is kept (no class was under-sampled), otherwise
    the sorted positions of the kept rows. Each over-sampled class contributes a triple
    ``(positions, copies, subset)``: its rows' positions, how many more times every one of them
    is taken, and the positions (into ``positions``) of the rows taken once more still.
    """

    n_samples: int
    kept: np.ndarray | None
    over: tuple[tuple[np.ndarray, int, np.ndarray], ...] = ()

    @cached_property
    def extra(self) -> np.ndarray:
        """Positions drawn again for over-sampled classes, class by class."""
        if not self.over:
            return np.empty(0, dtype=np.intp)
        return np.concatenate([part for positions, copies, subset in self.over
                               for part in (*[positions] * copies, positions[subset])])

    @cached_property
    def indices(self) -> np.ndarray:
        kept = np.arange(self.n_samples) if self.kept is None else self.kept
        return np.concatenate([kept, self.extra]) if self.over else kept

    def counts(self) -> np.ndarray:
        """How many times each original row appears in the result."""
        if self.kept is None:
            counts = np.ones(self.n_samples, dtype=np.int64)
        else:
            counts = np.zeros(self.n_samples, dtype=np.int64)
            counts[self.kept] = 1
        for positions, copies, subset in self.over:
            counts[positions] += copies
            counts[positions[subset]] += 1
        return counts


def draw_rows(labels: EncodedLabels, plan: Plan, rng: np.random.Generator) -> Draw:
    """Draw the row positions that give every class exactly its planned count, by the rule of
    :mod:`imbalance._draw`: a class cut to t rows keeps a random subset of t; a class raised to
    t keeps every row and takes each again floor(t/n) - 1 times, plus a random t mod n once more.
    """
    counts = labels.counts
    targets = plan.target_array
    under = np.flatnonzero(targets < counts)
    over = np.flatnonzero(targets > counts)
    positions = class_positions(labels.codes, counts, np.concatenate([under, over]))

    kept = None
    if under.size:
        keep_whole_class = targets >= counts
        mask = keep_whole_class[labels.codes]
        for c in under:
            _, chosen = even_draws(counts[c], targets[c], rng)
            mask[positions[int(c)][chosen]] = True
        kept = np.flatnonzero(mask)

    drawn_again = []
    for c in over:
        whole, subset = even_draws(counts[c], targets[c], rng)
        drawn_again.append((positions[int(c)], whole - 1, subset))  # every row is kept once already
    return Draw(n_samples=labels.n_samples, kept=kept, over=tuple(drawn_again))


def _labels_and_plan(y: ArrayLike, strategy: Strategy, ratio: float) -> tuple[EncodedLabels, Plan]:
    labels = encode_labels(y)
    return labels, plan_labels(labels, strategy, ratio=ratio)


def new_row_index(index: pd.Index, size: int) -> pd.Index:
    """Index labels for rows a sampler makes up (synthetic rows, centroids): integers after
    the largest, or ``"synthetic-i"`` when the index is not integer."""
    if pd.api.types.is_integer_dtype(index.dtype):
        start = int(index.max()) + 1 if len(index) else 0
        return pd.RangeIndex(start, start + size)
    return pd.Index([f"synthetic-{i}" for i in range(size)])


def new_column(values: np.ndarray, dtype: Any) -> Any:
    """Made-up values for a DataFrame column of ``dtype``: integer columns rounded (not
    truncated), numpy dtypes as an array, pandas extension dtypes as a pandas array. An array,
    not a Series, so that it is not aligned on an index of its own."""
    if pd.api.types.is_integer_dtype(dtype):
        values = np.rint(values)
    return values.astype(dtype) if isinstance(dtype, np.dtype) else pd.array(values, dtype=dtype)


def keep_rows_in_place(held: list, rows: np.ndarray) -> np.ndarray:
    """``array[rows]`` made of the array itself: the kept rows moved up over the others and
    the array shrunk in place, so no second array of that size is ever made.

    For an array no one else holds, handed over in ``held`` (a one-item list, emptied here,
    so that this function holds the only reference): a chain's intermediate result (SMOTE's,
    before a cleaning rule keeps most of it). ``rows`` must be strictly ascending, so each
    row moves only upwards and is read before it is overwritten. Where numpy cannot shrink it
    in place (something else refers to it: a view), the kept rows are copied instead.
    """
    data = held.pop()
    rows = np.asarray(rows)
    for start in range(0, rows.size, _MOVE_ROWS):
        part = rows[start:start + _MOVE_ROWS]
        data[start:start + part.size] = data[part]  # sources at or below their destination: unread rows intact
    try:
        data.resize((rows.size, *data.shape[1:]))  # refuses if anything else refers to the array
    except ValueError:
        data = data[:rows.size].copy()
    return data


# Rows moved at a time: the gather's temporary stays small.
_MOVE_ROWS = 4096


def owns_rows(data: Any) -> bool:
    """Whether ``data`` is an array that owns its rows, contiguous: one that
    :func:`keep_rows_in_place` can shrink."""
    return isinstance(data, np.ndarray) and data.ndim >= 1 and data.flags.owndata and data.flags.c_contiguous


def take_rows(data: Any, draw_or_indices: Draw | np.ndarray) -> Any:
    """Rows of ``data`` at the given positions, keeping its type.

    numpy stays numpy (dtype kept), pandas stays pandas (index, dtypes, column order kept, so
    every row traces back to its source), scipy sparse stays sparse, a list stays a list.
    """
    draw = draw_or_indices if isinstance(draw_or_indices, Draw) else None
    indices = draw.indices if draw is not None else np.asarray(draw_or_indices)
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.take(indices)
    if isinstance(data, np.ndarray):
        if draw is not None and draw.kept is None and draw.over:
            # Every original row is kept: copy the array once, then gather only the extra rows.
            extra = draw.extra
            n = data.shape[0]
            out = np.empty((n + extra.size, *data.shape[1:]), dtype=data.dtype)
            out[:n] = data
            # mode="wrap" skips np.take's buffered bounds check; the positions are valid.
            np.take(data, extra, axis=0, out=out[n:], mode="wrap")
            return out
        return data.take(indices, axis=0)
    if hasattr(data, "tocsr") and hasattr(data, "format"):  # scipy.sparse, not imported here
        fmt = data.format
        rows = (data if fmt in ("csr", "csc", "lil") else data.tocsr())[indices]
        return rows.asformat(fmt)
    if isinstance(data, list):
        return [data[i] for i in indices.tolist()]
    if isinstance(data, tuple):
        return tuple(data[i] for i in indices.tolist())
    return np.asarray(data).take(indices, axis=0)


def resample_indices(
    y: ArrayLike, strategy: Strategy = "under", *, ratio: float = 1.0, random_state: RandomStateLike = None
) -> np.ndarray:
    """Positions of the rows that carry out the plan, as an int array.

    ``X[resample_indices(y, ...)]`` is :func:`resample`'s result. Order: kept original rows
    in original order, then extra draws (class by class, random order within a class).

    Parameters are as in :func:`resample`.
    """
    labels, plan = _labels_and_plan(y, strategy, ratio)
    return draw_rows(labels, plan, check_random_state(random_state)).indices


def resample_counts(
    y: ArrayLike, strategy: Strategy = "under", *, ratio: float = 1.0, random_state: RandomStateLike = None
) -> np.ndarray:
    """How many times each row counts after resampling, without copying any table.

    ``counts[i]`` is how often row ``i`` appears in :func:`resample`'s result with the same
    arguments and seed (0 for a dropped row, 1 + its extra draws for an over-sampled one).
    Pass it as ``sample_weight`` to train on the resampled data without building it.

    Returns
    -------
    ndarray of shape (n_samples,), int64
    """
    labels, plan = _labels_and_plan(y, strategy, ratio)
    return draw_rows(labels, plan, check_random_state(random_state)).counts()


def resample(
    X: ArrayLike,
    y: ArrayLike,
    strategy: Strategy = "under",
    *,
    ratio: float = 1.0,
    random_state: RandomStateLike = None,
    aligned: Mapping[str, Any] | Sequence[Any] | None = None,
) -> tuple:
    r"""Randomly under- or over-sample rows so every class meets the plan exactly.

    Under-sampled classes are drawn without replacement; over-sampled classes keep every
    original row and add draws with replacement. Resample only the training part of a split:
    see :class:`imbalance.UnderSampler` for use inside a pipeline.

    Parameters
    ----------
    X : ndarray, DataFrame, sparse matrix or list, of n_samples rows
        Features. The type is kept (a DataFrame keeps its index, so rows trace back).
    y : array-like of shape (n_samples,)
        Class labels.
    strategy : {"under", "over"}, dict or callable, default="under"
        See :func:`imbalance.plan`: a class's target is its row count after resampling.
    ratio : float, default=1.0
        Largest class / smallest class after resampling, for ``"under"`` and ``"over"``.
    random_state : int, numpy Generator or None, default=None
        Same seed, same rows.
    aligned : dict or sequence of arrays, optional
        Other per-row arrays (``sample_weight``, ``groups``, ...) to resample the same way;
        returned in the same container.

    Returns
    -------
    X_res, y_res : same types as X and y
    aligned_res : same container as ``aligned``, only when ``aligned`` is given

    Examples
    --------
    >>> import numpy as np, imbalance
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = imbalance.resample(X, y, "under", ratio=2, random_state=0)
    >>> np.bincount(y_res).tolist()
    [4, 2]
    """
    labels, plan = _labels_and_plan(y, strategy, ratio)
    n = labels.n_samples
    check_same_length(n, X=X)
    if isinstance(aligned, Mapping):
        check_same_length(n, **{str(k): v for k, v in aligned.items()})
    elif aligned is not None:
        if isinstance(aligned, (str, bytes)) or not isinstance(aligned, Sequence):
            raise InputTypeError(
                "aligned must be a dict or a list of per-row arrays, e.g. "
                "aligned={'sample_weight': w}."
            )
        check_same_length(n, **{f"aligned[{i}]": v for i, v in enumerate(aligned)})

    draw = draw_rows(labels, plan, check_random_state(random_state))
    X_res, y_res = take_rows(X, draw), take_rows(y, draw)
    if aligned is None:
        return X_res, y_res
    if isinstance(aligned, Mapping):
        return X_res, y_res, {k: take_rows(v, draw) for k, v in aligned.items()}
    return X_res, y_res, type(aligned)(take_rows(v, draw) for v in aligned)
