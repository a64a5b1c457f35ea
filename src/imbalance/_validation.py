"""Input checks and the error types users see.

Validation happens once, at the public edge; inner functions trust their inputs.
Every message says what was wrong and what to do about it.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ImbalanceError",
    "LabelError",
    "StrategyError",
    "InputError",
    "InputTypeError",
    "OutputError",
    "ParameterError",
    "EncodedLabels",
    "encode_labels",
    "check_ratio",
    "fmt_label",
    "MAX_ROWS",
    "check_random_state",
    "check_same_length",
    "check_label_column",
]


class ImbalanceError(Exception):
    """Base class of every error this package raises on bad input."""


class LabelError(ImbalanceError, ValueError):
    """The class labels cannot be used (missing values, one class, continuous, ...)."""


class StrategyError(ImbalanceError, ValueError):
    """The resampling strategy, ratio or targets are not valid for these labels."""


class InputError(ImbalanceError, ValueError):
    """The data is not usable (empty, misaligned, missing column, ...)."""


class ParameterError(ImbalanceError, ValueError):
    """A parameter is outside its valid range (a negative gamma, an unknown reduction, ...)."""


class InputTypeError(ImbalanceError, TypeError):
    """An argument has a type this package cannot work with."""


class OutputError(ImbalanceError, OSError):
    """An output cannot be written (no such folder, no permission, disk full, ...)."""


@dataclass(frozen=True)
class EncodedLabels:
    """Labels read once into compact integer codes.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        The distinct labels, sorted (a pandas categorical: in its declared category order).
    codes : ndarray of shape (n_samples,)
        ``classes[codes]`` gives back the labels.
    counts : ndarray of shape (n_classes,), int64
        Rows per class, in the order of ``classes``.
    """

    classes: np.ndarray
    codes: np.ndarray
    counts: np.ndarray

    @property
    def n_samples(self) -> int:
        return int(self.codes.shape[0])


def _as_label_array(y: Any, name: str) -> np.ndarray | pd.Categorical:
    """1-D numpy view of ``y`` (Series, list, 1-D or (n, 1) array); pandas categoricals stay
    ``pd.Categorical`` so that their declared category order survives."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise LabelError(
                f"{name} is a DataFrame with {y.shape[1]} columns; pass one label column "
                f"(e.g. df['LABEL'])."
            )
        y = y.iloc[:, 0]
    if isinstance(getattr(y, "dtype", None), pd.CategoricalDtype):  # Series, Categorical, CategoricalIndex
        return pd.Categorical(y)
    if isinstance(y, pd.Series):
        return y.to_numpy()
    if y is None or isinstance(y, (str, bytes, numbers.Number)):
        raise InputTypeError(f"{name} must be an array of class labels, got {type(y).__name__}.")
    if hasattr(y, "tocsr") or hasattr(y, "todense"):
        raise InputTypeError(
            f"{name} is a sparse {type(y).__name__}; class labels must be a dense 1-D array. "
            "Convert it first, e.g. np.asarray(y.todense()).ravel()."
        )
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise LabelError(
            f"{name} has shape {arr.shape}; expected one label per row (shape (n_samples,)). "
            "Multilabel and multioutput targets are not supported here: pass a 1-D class array."
        )
    return arr


def _missing_mask(arr: np.ndarray) -> np.ndarray | None:
    if arr.dtype.kind in "biu":
        return None
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    return pd.isna(arr)


def encode_labels(y: Any, *, name: str = "y", min_classes: int = 2) -> EncodedLabels:
    """Read class labels into sorted classes, integer codes and counts.

    Classes come sorted, except for pandas categoricals, whose classes follow the declared
    category order. Integer and boolean labels with a compact range take an O(n) path through
    ``np.bincount``; other labels go through ``pandas.factorize``.

    Raises
    ------
    LabelError
        Empty, missing values, continuous floats, or fewer than ``min_classes`` classes.
    """
    arr = _as_label_array(y, name)
    n = arr.shape[0]
    if n == 0:
        raise LabelError(f"{name} is empty: there are no rows to resample or weigh.")
    if isinstance(arr, pd.Categorical):
        return _encode_categorical(arr, name, min_classes)

    missing = _missing_mask(arr)
    if missing is not None and missing.any():
        _raise_missing(np.flatnonzero(missing), name)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.array_equal(arr, np.round(arr)):
            example = arr[np.flatnonzero(arr != np.round(arr))[:1]]
            raise LabelError(
                f"Unknown label type: {name} looks continuous (non-integer float values such as "
                f"{example[0] if example.size else 'inf'}); imbalance handling needs class labels. "
                "Pass integer or string classes, or bin a continuous target first."
            )

    if arr.dtype.kind == "b":
        arr = arr.view(np.uint8)
        counts_all = np.bincount(arr, minlength=2)
        present = np.flatnonzero(counts_all)
        classes = present.astype(bool)
        codes = arr if present.size == 2 else np.zeros(n, dtype=np.uint8)
        counts = counts_all[present]
    elif arr.dtype.kind in "iu" and int(arr.max()) - int(arr.min()) <= max(4 * n, 1024):
        low, high = int(arr.min()), int(arr.max())
        # Small non-negative labels index the tables directly (no copy); others are shifted,
        # widened first so that e.g. int8 labels from -100 to 100 cannot overflow.
        offset = 0 if low >= 0 and high <= max(4 * n, 1024) else low
        shifted = arr if offset == 0 else arr.astype(np.intp) - offset
        counts_all = np.bincount(shifted, minlength=high - offset + 1)
        present = np.flatnonzero(counts_all)
        lookup = np.zeros(counts_all.size, dtype=_code_dtype(present.size))
        lookup[present] = np.arange(present.size, dtype=lookup.dtype)
        codes = lookup[shifted]
        classes = (present + offset).astype(arr.dtype)
        counts = counts_all[present]
    else:
        codes, classes = pd.factorize(arr, sort=True)
        classes = np.asarray(classes)
        counts = np.bincount(codes, minlength=classes.size)
        codes = codes.astype(_code_dtype(classes.size), copy=False)

    return _encoded(classes, codes, counts, name, min_classes)


def _encoded(classes: np.ndarray, codes: np.ndarray, counts: np.ndarray, name: str, min_classes: int) -> EncodedLabels:
    if classes.size < min_classes:
        raise LabelError(
            f"{name} has only one class ({fmt_label(classes[0])}); imbalance handling needs at least "
            f"{min_classes} classes. Check that the label column is the right one."
        )
    return EncodedLabels(classes=classes, codes=codes, counts=counts.astype(np.int64, copy=False))


def _encode_categorical(cat: pd.Categorical, name: str, min_classes: int) -> EncodedLabels:
    """Classes in the declared category order (an ordered ``"low" < "high"`` stays so, not
    alphabetical); categories no row uses drop out."""
    raw = cat.codes
    missing = raw < 0
    if missing.any():
        _raise_missing(np.flatnonzero(missing), name)
    counts_all = np.bincount(raw, minlength=len(cat.categories))
    present = np.flatnonzero(counts_all)
    lookup = np.zeros(counts_all.size, dtype=_code_dtype(present.size))
    lookup[present] = np.arange(present.size, dtype=lookup.dtype)
    classes = np.asarray(cat.categories[present])
    return _encoded(classes, lookup[raw], counts_all[present], name, min_classes)


def _raise_missing(where: np.ndarray, name: str) -> None:
    shown = ", ".join(str(i) for i in where[:5]) + (", ..." if where.size > 5 else "")
    raise LabelError(
        f"{name} has {where.size} missing label(s) (at row positions {shown}); "
        "drop or fill those rows before resampling."
    )


def _code_dtype(n_classes: int) -> np.dtype:
    return np.dtype(np.uint8 if n_classes <= 256 else np.int32 if n_classes < 2**31 else np.int64)


def fmt_label(label: Any) -> str:
    """A label as the user wrote it, for messages: ``1`` or ``'yes'``, never ``np.int64(1)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)


def to_python(label: Any) -> Any:
    """A numpy scalar as the matching Python scalar (for dict keys, JSON, repr)."""
    return label.item() if isinstance(label, np.generic) else label


#: The largest row count a plan may ask for, and the largest ratio: 2**53, beyond which
#: float64 (numpy, pandas, Spark) no longer counts rows exactly.
MAX_ROWS = 2**53


def check_ratio(ratio: Any) -> float:
    """``ratio`` as a float in [1, 2**53] (largest class / smallest class after resampling)."""
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real):
        raise InputTypeError(
            f"ratio must be a number >= 1 (largest class / smallest class after resampling), "
            f"got {type(ratio).__name__}."
        )
    ratio = float(ratio)
    if not math.isfinite(ratio) or ratio < 1:
        raise StrategyError(
            f"ratio must be >= 1 (largest class count / smallest class count after resampling), "
            f"got {ratio:g}. For 3 majority rows per minority row use ratio=3; ratio=1 balances "
            "the classes."
        )
    if ratio > MAX_ROWS:
        raise StrategyError(
            f"ratio {ratio:g} is larger than any row count can be (at most 2**53 = {MAX_ROWS:.3g}); "
            "a ratio above the data's own imbalance ratio leaves every class as it is."
        )
    return ratio


def check_random_state(random_state: Any) -> np.random.Generator:
    """A numpy Generator from None, an int seed, a Generator or a legacy RandomState."""
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(random_state, bool):
            raise InputTypeError("random_state must be None, an int or a numpy Generator, got bool.")
        if isinstance(random_state, numbers.Integral) and random_state < 0:
            raise InputError(f"random_state must be a non-negative int, got {random_state}.")
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        # Draw a seed from the legacy stream so that the caller's RandomState advances, as in sklearn.
        return np.random.default_rng(random_state.randint(0, 2**32 - 1, dtype=np.uint64))
    raise InputTypeError(
        f"random_state must be None, an int, a numpy Generator or RandomState, "
        f"got {type(random_state).__name__}."
    )


def n_rows(data: Any) -> int:
    """Row count of an array, DataFrame, sparse matrix or list."""
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    return len(data)


def check_label_column(df: Any, column: Any, *, source: str = "the DataFrame", hint: str = "") -> None:
    """``column`` is one of the columns of ``df`` (a DataFrame, or a list of column names);
    else an InputError listing them."""
    columns = list(df.columns) if hasattr(df, "columns") else list(df)
    if column not in columns:
        shown = ", ".join(map(str, columns[:20])) + (", ..." if len(columns) > 20 else "")
        raise InputError(f"label column {column!r} is not in {source}; its columns are: {shown}{hint}.")


def check_same_length(n: int, **arrays: Any) -> None:
    """Every array in ``arrays`` has ``n`` rows."""
    for name, data in arrays.items():
        if data is None:
            continue
        m = n_rows(data)
        if m != n:
            raise InputError(
                f"{name} has {m} rows but the labels have {n}; pass arrays aligned row by row."
            )
