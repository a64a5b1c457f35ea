"""Input checks and the error types users see.

Validation happens once, at the public edge; inner functions trust their inputs.
Every message says what was wrong and what to do about it.
"""

from __future__ import annotations

import functools
import importlib
import math
import numbers
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

import numpy as np
import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

#: A seed as the package takes it: an int, a numpy Generator or RandomState, or None (fresh entropy).
RandomStateLike = int | np.random.Generator | np.random.RandomState | None

__all__ = [
    "RandomStateLike",
    "CompiledPartWarning",
    "warn_compiled_part_missing",
    "DEPRECATED",
    "renamed",
    "renamed_parameter",
    "ImbalanceError",
    "LabelError",
    "StrategyError",
    "InputError",
    "InputTypeError",
    "OutputError",
    "ParameterError",
    "check_ratio",
    "check_reduction",
    "check_non_negative",
    "check_int",
    "numeric_matrix",
    "check_finite",
    "check_no_infinite",
    "check_no_repeats",
    "column_as_numbers",
    "feature_frame",
    "fmt_label",
    "MAX_ROWS",
    "check_random_state",
    "check_same_length",
    "check_label_column",
    "import_optional",
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


REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: Any) -> None:
    """``reduction`` is one of torch's: "none", "mean" or "sum"."""
    if reduction not in REDUCTIONS:
        raise ParameterError(f"reduction must be 'none', 'mean' or 'sum', got {reduction!r}.")


def check_non_negative(name: str, value: Any) -> None:
    """``value`` is a real number >= 0 (a focusing gamma, a temperature tau, ...)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ParameterError(f"{name} must be a number >= 0, got {value!r}.")


def check_int(name: str, value: Any, *, low: int | None = 1) -> int:
    """``value`` as an int >= ``low`` (no bound for None); bool refused, numpy integers accepted."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or (
            low is not None and value < low):
        kind = "an int" if low is None else "a positive int" if low == 1 else f"an int >= {low}"
        raise ParameterError(f"{name} must be {kind}, got {value!r}.")
    return int(value)


def numeric_matrix(X: Any, who: str) -> np.ndarray:
    """``X`` as a dense 2-D float array for a neighbour search: float32 stays float32, other
    numbers become float64. Refuses sparse input, non-numeric or bool columns (by name), no
    columns, and NaN or infinite values (by column)."""
    if hasattr(X, "tocsr"):
        raise InputTypeError(f"{who} needs dense X; sparse matrices are not supported.")
    if isinstance(X, pd.DataFrame):
        wrong = [c for c in X.columns if X[c].dtype == bool or not pd.api.types.is_numeric_dtype(X[c])]
        if wrong:
            raise InputTypeError(
                f"{who} measures distances between numbers, but column(s) {', '.join(map(str, wrong))} are not "
                "numeric: encode them first."
            )
        names = list(X.columns)
        arr = X.to_numpy(dtype=np.float32 if all(X[c].dtype == np.float32 for c in X.columns) else np.float64)
    else:
        arr = np.asarray(X)
        names = list(range(arr.shape[1])) if arr.ndim == 2 else []
        if arr.ndim == 2 and arr.dtype.kind not in "iuf":
            raise InputTypeError(f"{who} measures distances between numbers, but X has dtype {arr.dtype}.")
        if arr.ndim == 2 and arr.dtype != np.float32:
            arr = arr.astype(np.float64, copy=False)
    if arr.ndim != 2:
        raise InputError(f"X must be 2-D (rows x features), got shape {arr.shape}.")
    if arr.shape[1] == 0:
        raise InputError(f"X has no columns; {who} needs at least one feature to measure distances.")
    check_finite(arr, names)
    return arr


def check_finite(values: np.ndarray, names: Any) -> None:
    """No NaN or infinite value in the 2-D ``values``; else an InputError naming the columns
    (``names[j]`` is column j's name)."""
    bad = ~np.isfinite(values)
    if bad.any():
        columns = sorted({names[j] for j in np.flatnonzero(bad.any(axis=0))}, key=str)
        raise InputError(
            f"X has NaN or infinite values in {', '.join(map(str, columns))}; impute or drop them first "
            "(a neighbour search cannot use them)."
        )


def check_no_repeats(what: str, names: Any) -> None:
    """Each of ``names`` once: a name given twice is a typo, and its results would collide."""
    names = list(names)
    repeated = sorted({str(name) for name in names if names.count(name) > 1})
    if repeated:
        raise ParameterError(f"{', '.join(map(repr, repeated))} given twice in {what}; give each once.")


def feature_frame(X: Any) -> pd.DataFrame:
    """``X`` as the DataFrame of features a model is fitted on or scores: a DataFrame as it is
    (index reset), a 2-D array with columns named ``x0, x1, ...``. Refuses other shapes, and
    infinite numbers (by column and first row): NaN is allowed (the models impute it), but no
    imputer or scaler can use an infinity."""
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise InputError(f"X must be 2-D (rows x features), got shape {arr.shape}.")
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    check_no_infinite(frame)
    return frame


def column_as_numbers(values: pd.Series, *, named: str, why: str) -> pd.Series:
    """A column of numbers (read as text or objects, e.g. from a CSV with one text cell) as
    numbers; refuses the first value that is not one: ``"{named} holds 'x' at row 3{why}"``.
    Missing values stay missing."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{named} holds {values.iloc[row]!r} at row {row}{why}")
    return numbers


def check_no_infinite(frame: pd.DataFrame) -> None:
    """No ``inf`` or ``-inf`` in the numeric columns of ``frame``; else an InputError naming
    the columns and the first row (by position) that has one."""
    numeric = frame.select_dtypes(include="number")
    if numeric.shape[1] == 0:
        return
    values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isinf(values)
    if bad.any():
        columns = [str(numeric.columns[j]) for j in np.flatnonzero(bad.any(axis=0))]
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise InputError(
            f"X has infinite values in column(s) {', '.join(columns[:8])}{', ...' if len(columns) > 8 else ''} "
            f"(first at row {row}); replace them with NaN (imputed) or with finite numbers first."
        )


def import_optional(name: str, *, needed_by: str, install: str) -> ModuleType:
    """Import an optional dependency, or say which extra brings it.

    ``install`` is the command that fixes it (``pip install 'imbalance[lightning]'``).
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(f"{needed_by} needs {name.split('.')[0]}, which is not installed: {install}.") from exc


class _Unset:
    """The default of a renamed parameter: tells "not given" from any value a user may pass."""

    def __repr__(self) -> str:
        return "'deprecated'"


#: Default of a parameter kept for one release under its old name (see :func:`renamed`).
DEPRECATED: Any = _Unset()


def renamed(old: str, old_value: Any, new: str, new_value: Any, *, default: Any, until: str = "0.3") -> Any:
    """The value of a renamed parameter: ``new_value``, or ``old_value`` given under the old
    name (with a ``FutureWarning`` that says the new one). Both given is an error."""
    if old_value is DEPRECATED or (isinstance(old_value, str) and old_value == "deprecated"):
        return new_value
    if new_value is not default and not (isinstance(default, str) and new_value == default):
        raise ParameterError(f"give {new}= only: {old}= is its old name (both were given).")
    warnings.warn(f"{old}= is renamed {new}= (it names the same thing, one word for one meaning); {old}= goes in "
                  f"imbalance {until}.", FutureWarning, stacklevel=3)
    return old_value


def renamed_parameter(old: str, new: str, *, until: str = "0.3") -> Callable[[F], F]:
    """Decorator: the function also takes its parameter ``new`` by the old keyword ``old``,
    for one release, with a ``FutureWarning`` (both given is an error)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if old in kwargs:
                if new in kwargs:
                    raise ParameterError(f"give {new}= only: {old}= is its old name (both were given).")
                warnings.warn(f"{old}= is renamed {new}= (it names the same thing, one word for one meaning); "
                              f"{old}= goes in imbalance {until}.", FutureWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


class CompiledPartWarning(UserWarning):
    """imbalance was installed without one of its compiled parts (no C compiler when it was
    built): it runs on a fallback that is slower and may give another result for the same seed."""


_WARNED_PARTS: set[str] = set()


def warn_compiled_part_missing(part: str, consequence: str) -> None:
    """Say once per process that the compiled ``part`` is missing and what that changes, so that
    "same seed, same result" never breaks silently between two installs."""
    if part in _WARNED_PARTS:
        return
    _WARNED_PARTS.add(part)
    warnings.warn(f"imbalance was installed without its compiled {part} (no C compiler when it was built): "
                  f"{consequence} Reinstall it where a C compiler is found (Debian: apt install gcc) to get the "
                  "compiled part and the results every other install gives.", CompiledPartWarning, stacklevel=3)
