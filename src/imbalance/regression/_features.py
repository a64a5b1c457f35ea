r"""The features of a regression table as the samplers see them: numbers that are
interpolated or perturbed, nominal values that are picked or redrawn, and the space that
distances are measured in.

Distance is HEOM (Wilson & Martinez 1997), as UBL's and smogn's: each numeric difference
divided by the feature's range in the training data, each nominal feature 0 where the values
agree and 1 where not,

.. math:: d(a, b) = \sqrt{\sum_{j \in \text{num}} \Bigl(\frac{a_j - b_j}{r_j}\Bigr)^2
          + \sum_{j \in \text{nom}} [a_j \ne b_j]}.

It is exactly the Euclidean distance between rows written as the scaled numbers and each
nominal value one-hot encoded at height :math:`1/\sqrt 2` (two differing one-hot rows are
:math:`\sqrt{2 \cdot 1/2} = 1` apart), so the package's exact kNN scan serves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from imbalance._validation import InputError, InputTypeError, check_finite

__all__ = ["TableFeatures", "read_features"]


@dataclass(frozen=True)
class TableFeatures:
    """``numeric`` (n, d) float64 and ``codes`` (n, c) int64 with ``levels`` (the values of
    each nominal column), ``categorical`` (their column names or positions in X), ``ranges``
    (each numeric feature's max - min, 1 where constant)."""

    numeric: np.ndarray
    codes: np.ndarray
    levels: list
    categorical: list
    ranges: np.ndarray

    def space(self, rows: np.ndarray) -> np.ndarray:
        """The rows in the space where HEOM is Euclidean (see the module's docstring)."""
        scaled = self.numeric[rows] / self.ranges
        if not self.levels:
            return scaled
        hot = [np.eye(len(values))[self.codes[rows, j]] / np.sqrt(2.0) for j, values in enumerate(self.levels)]
        return np.hstack([scaled, *hot])


def _is_nominal(column: pd.Series) -> bool:
    return column.dtype == bool or not pd.api.types.is_numeric_dtype(column)


def read_features(X: ArrayLike, categorical_features: Sequence[Any] | None, method: str) -> TableFeatures:
    """Split ``X`` into :class:`TableFeatures`. A DataFrame's text, boolean and categorical
    columns are nominal without being named; an array's nominal columns are listed by
    position in ``categorical_features``."""
    if hasattr(X, "tocsr"):
        raise InputTypeError(f"{method} needs dense X; sparse matrices are not supported.")
    frame = X if isinstance(X, pd.DataFrame) else None
    if frame is None:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise InputError(f"X must be 2-D (rows x features), got shape {arr.shape}.")
        frame = pd.DataFrame(arr)
    if frame.shape[1] == 0:
        raise InputError(f"X has no columns; {method} needs at least one feature.")
    if categorical_features is None:
        categorical = [c for c in frame.columns if _is_nominal(frame[c])]
    else:
        categorical = list(categorical_features)
        unknown = [c for c in categorical if c not in frame.columns]
        if unknown:
            raise InputError(f"categorical_features {unknown} are not columns of X (its columns: {list(frame.columns)}).")
    numeric_cols = [c for c in frame.columns if c not in categorical]
    wrong = [c for c in numeric_cols if _is_nominal(frame[c])]
    if wrong and frame is X:  # pragma: no cover - nominal DataFrame columns are found above
        raise InputTypeError(f"columns {wrong} are not numeric; list them in categorical_features.")
    try:
        numeric = frame[numeric_cols].to_numpy(dtype=np.float64) if numeric_cols else np.zeros((len(frame), 0))
    except (TypeError, ValueError):
        raise InputTypeError(
            f"{method} interpolates numbers, but some of columns {numeric_cols} of X are not numeric: list every "
            "non-numeric column in categorical_features."
        ) from None
    check_finite(numeric, numeric_cols)
    codes, levels = [], []
    for c in categorical:
        col_codes, uniques = pd.factorize(frame[c], use_na_sentinel=True)
        if (col_codes < 0).any():
            raise InputError(f"column {c!r} has missing values; fill them before resampling.")
        codes.append(col_codes)
        levels.append(uniques)
    ranges = numeric.max(axis=0) - numeric.min(axis=0) if len(numeric) else np.ones(numeric.shape[1])
    ranges = np.where(ranges > 0, ranges, 1.0)
    cats = np.column_stack(codes).astype(np.int64) if codes else np.zeros((len(frame), 0), dtype=np.int64)
    return TableFeatures(numeric, cats, levels, categorical, ranges)
