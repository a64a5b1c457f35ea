"""Labels read once into compact integer codes, rows grouped by class, and 0/1 label matrices.

Everything inside the package works on the codes and maps back to the user's labels at the
edge. This module is the one place labels are read: class labels (:func:`encode_labels`),
where each class's rows are (:func:`class_positions`) and multi-label 0/1 matrices
(:func:`label_matrix`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from imbalance._validation import InputError, InputTypeError, LabelError, fmt_label

__all__ = ["EncodedLabels", "encode_labels", "class_positions", "label_matrix", "one_hot_to_labels"]

# Above this many classes to group, one stable sort of the codes beats a scan per class.
_SCAN_PER_CLASS_LIMIT = 4


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


def class_positions(codes: np.ndarray, counts: np.ndarray, wanted: np.ndarray | None = None) -> dict[int, np.ndarray]:
    """Row positions of each class code in ``wanted`` (default: every class), each sorted.

    Parameters
    ----------
    codes : ndarray of shape (n_samples,)
        Class codes, as :attr:`EncodedLabels.codes`.
    counts : ndarray of shape (n_classes,)
        Rows per class, as :attr:`EncodedLabels.counts`.
    wanted : ndarray of int, optional
        The class codes to group.
    """
    wanted = np.arange(counts.size) if wanted is None else np.asarray(wanted)
    if wanted.size <= _SCAN_PER_CLASS_LIMIT:
        return {int(c): np.flatnonzero(codes == c) for c in wanted}
    # Stable sort of small-int codes is a radix sort: one O(n) pass for every class at once.
    order = np.argsort(codes, kind="stable")
    ends = np.cumsum(counts)
    return {int(c): order[ends[c] - counts[c] : ends[c]] for c in wanted}


def label_matrix(Y: Any, *, name: str = "Y") -> np.ndarray:
    """``Y`` as an (n_samples, n_labels) array of 0/1 (or bool) values, one column per label.

    A 1-D binary array is read as one label. Raises a LabelError naming ``name`` otherwise.
    """
    arr = np.asarray(Y.to_numpy() if isinstance(Y, (pd.DataFrame, pd.Series)) else Y)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"{name} must be a non-empty (n_samples, n_labels) 0/1 array, got shape {arr.shape}.")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise LabelError(f"{name} has missing values; fill or drop them first.")
    if arr.dtype.kind not in "biuf" or not np.isin(arr, (0, 1)).all():
        raise LabelError(f"{name} must hold binary targets, 0/1 (or bool) values, one column per label.")
    return arr


def one_hot_to_labels(y: Any) -> Any:
    """``y`` as one label per row: a one-hot (n, K) target becomes class codes, anything 1-D
    (or (n, 1)) is returned as it is; a multilabel target is refused."""
    arr = np.asarray(y)
    if arr.ndim != 2 or arr.shape[1] < 2:
        return y
    if arr.dtype.kind in "biuf" and np.isin(arr, (0, 1)).all() and (arr.sum(axis=1) == 1).all():
        return arr.argmax(axis=1)
    raise LabelError(
        "Multilabel and multioutput targets are not supported: y has several columns that are "
        "not a one-hot encoding of one class per row. Pass a 1-D class array."
    )
