r"""Relevance: how much a value of a numeric target matters, :math:`\phi(y) \in [0, 1]`.

Ribeiro (2011, *Utility-based Regression*, PhD thesis, Porto) rates each target value by a
*relevance function* given at a few control points :math:`(x_i, \phi_i, m_i)` (value,
relevance, slope) and joined by a monotone piecewise cubic Hermite interpolant; the R
packages DMwR and UBL, and Python's ``smogn``, use it to say which cases are rare.

The automatic method ("extremes") reads the control points off the target's box plot:
relevance 0 at the median, 1 at a whisker limit beyond which the sample has values (the rare
extremes), 0 at the sample's minimum or maximum where it has none, every slope 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from imbalance._validation import InputError, InputTypeError, ParameterError

__all__ = ["Relevance", "as_relevance", "boxplot_stats", "check_target"]

_EXTREMES = ("both", "high", "low")


def check_target(y: ArrayLike, what: str = "y") -> np.ndarray:
    """``y`` as a 1-D float64 array of finite numbers (a copy where it had to be converted).

    Raises a :class:`~imbalance._validation.InputTypeError` for text or categories and an
    :class:`~imbalance._validation.InputError` for missing or infinite values and a constant
    target, each naming the fix."""
    values = np.asarray(y)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise InputError(f"{what} must be one numeric target per row (1-D), got shape {values.shape}.")
    if values.dtype == bool or values.dtype.kind not in "iuf":
        raise InputTypeError(
            f"{what} must be a numeric target (a regression problem), got dtype {values.dtype}; for class labels "
            "use the classification samplers (imbalance.RandomUnderSampler, imbalance.SMOTE, ...)."
        )
    values = values.astype(np.float64, copy=False)
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{what} has {int(bad.sum())} missing, NaN or infinite value(s) (the first at row {first}); drop or "
            "fill those rows first."
        )
    if values.size < 2 or values.min() == values.max():
        raise InputError(
            f"{what} is constant ({values.size} row(s)), so no value of it is rarer than another; imbalanced "
            "regression needs a target that varies."
        )
    return values


def boxplot_stats(y: np.ndarray, coef: float = 1.5) -> tuple[np.ndarray, bool, bool]:
    r"""R's ``boxplot.stats``: ``(stats, low_out, high_out)``.

    ``stats`` is (lower whisker, lower hinge, median, upper hinge, upper whisker): Tukey's
    hinges (``fivenum``: the medians of the lower and upper halves, the median counted in
    both when :math:`n` is odd), whiskers at the most extreme values within
    :math:`\text{coef} \times` the hinge spread of the hinges. ``low_out``/``high_out``: whether
    values lie beyond the lower/upper whisker."""
    s = np.sort(y)
    n = s.size
    half = np.floor((n + 3) / 2) / 2
    depths = np.array([1.0, half, (n + 1) / 2, n + 1 - half, float(n)]) - 1  # 0-based
    five = 0.5 * (s[np.floor(depths).astype(np.intp)] + s[np.ceil(depths).astype(np.intp)])
    spread = five[3] - five[1]
    inside = s[(s >= five[1] - coef * spread) & (s <= five[3] + coef * spread)]
    stats = np.array([inside[0], five[1], five[2], five[3], inside[-1]])
    return stats, bool(s[0] < stats[0]), bool(s[-1] > stats[4])


def _monotone_slopes(x: np.ndarray, phi: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    r"""Fritsch & Carlson's (1980) fix of Hermite slopes so that each piece is monotone.

    With :math:`\delta_k` the secant of piece :math:`k`: a point where the secants change
    sign or one is 0 (a peak, a valley, a flat piece) gets slope 0, as does a slope of the
    wrong sign; then on each piece, with :math:`(\alpha, \beta) = (m_k, m_{k+1}) / \delta_k`,
    where :math:`\alpha^2 + \beta^2 > 9` both slopes are scaled by
    :math:`3 / \sqrt{\alpha^2 + \beta^2}` (their sufficient condition; scaling a slope down
    never spoils the piece before it)."""
    m = slopes.astype(np.float64).copy()
    delta = np.diff(phi) / np.diff(x)
    sign = np.sign(delta)
    left = np.r_[sign[0], sign]    # the secant's sign on each point's left (the first: its right)
    right = np.r_[sign, sign[-1]]  # and on its right
    agrees = (left == right) & (left != 0) & (np.sign(m) == left)
    m[~agrees] = 0.0
    for k, d in enumerate(delta):
        if d == 0:
            continue
        with np.errstate(over="ignore"):
            alpha, beta = m[k] / d, m[k + 1] / d
            if not (np.isfinite(alpha) and np.isfinite(beta)):  # a secant too small to scale against
                m[k] = m[k + 1] = 0.0
            elif alpha * alpha + beta * beta > 9:
                tau = 3 / np.hypot(alpha, beta)
                m[k], m[k + 1] = tau * alpha * d, tau * beta * d
    return m


@dataclass(frozen=True, repr=False)
class Relevance:
    r"""A relevance function :math:`\phi` given by control points.

    Between control points :math:`x_i < x_{i+1}`, with :math:`h = x_{i+1} - x_i`,
    :math:`s = y - x_i` and :math:`\delta = (\phi_{i+1} - \phi_i) / h`,

    .. math::

        \phi(y) = \phi_i + s\,\bigl(m_i + s\,(c_i + s\,d_i)\bigr), \quad
        c_i = \frac{3\delta - 2m_i - m_{i+1}}{h}, \quad
        d_i = \frac{m_i - 2\delta + m_{i+1}}{h^2},

    the cubic Hermite piece with values :math:`\phi_i, \phi_{i+1}` and slopes
    :math:`m_i, m_{i+1}` (made monotone by Fritsch & Carlson's rule: slopes 0 at peaks,
    valleys and flat pieces, scaled down where too steep). Outside the control
    points :math:`\phi` keeps its value at the nearer end. With every slope 0 (the automatic
    method) a piece is :math:`\phi_i + (\phi_{i+1} - \phi_i)(3t^2 - 2t^3)`, :math:`t = s/h`.

    Build one from a target with :meth:`from_target` (the automatic method), or from your own
    points: ``Relevance([[15, 1], [30, 0], [55, 1]])`` (slopes default to 0).

    Parameters
    ----------
    control_points : array-like of shape (n_points, 2) or (n_points, 3)
        Rows :math:`(x_i, \phi_i)` or :math:`(x_i, \phi_i, m_i)`: at least two, distinct
        :math:`x`, :math:`\phi \in [0, 1]`; sorted by :math:`x` here.

    Attributes
    ----------
    x, phi, slopes : ndarray of shape (n_points,)
        The control points as used (sorted; slopes after the monotone fix).
    method : str
        ``"extremes"`` (from :meth:`from_target`) or ``"manual"``.
    """

    x: np.ndarray
    phi: np.ndarray
    slopes: np.ndarray
    method: str = "manual"

    def __init__(self, control_points: ArrayLike, *, method: str = "manual") -> None:
        try:
            points = np.asarray(control_points, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputTypeError("control_points must be numbers: rows (x, relevance) or (x, relevance, slope).") from None
        if points.ndim != 2 or points.shape[1] not in (2, 3) or points.shape[0] < 2:
            raise ParameterError(
                f"control_points must be at least two rows (x, relevance) or (x, relevance, slope), got shape "
                f"{points.shape}; e.g. [[15, 1], [30, 0], [55, 1]]."
            )
        if not np.isfinite(points).all():
            raise ParameterError("control_points must be finite numbers (no NaN or infinity).")
        points = points[np.argsort(points[:, 0], kind="stable")]
        if (np.diff(points[:, 0]) == 0).any():
            raise ParameterError(f"control_points repeat an x value ({points[:, 0].tolist()}); give each x once.")
        if ((points[:, 1] < 0) | (points[:, 1] > 1)).any():
            raise ParameterError(f"relevance at the control points must lie in [0, 1], got {points[:, 1].tolist()}.")
        slopes = points[:, 2] if points.shape[1] == 3 else np.zeros(len(points))
        object.__setattr__(self, "x", points[:, 0].copy())
        object.__setattr__(self, "phi", points[:, 1].copy())
        object.__setattr__(self, "slopes", _monotone_slopes(points[:, 0], points[:, 1], slopes))
        object.__setattr__(self, "method", method)

    @classmethod
    def from_target(cls, y: ArrayLike, *, extremes: str = "both", coef: float = 1.5) -> "Relevance":
        r"""The automatic relevance of a target (Ribeiro 2011; UBL's and smogn's ``"auto"``).

        From the box plot of ``y`` (:func:`boxplot_stats`: Tukey's hinges, whiskers at
        ``coef`` times the hinge spread): the control point :math:`(\text{median}, 0, 0)`;
        on each side asked for by ``extremes`` that has values beyond its whisker,
        :math:`(\text{whisker}, 1, 0)`; on a side with none (or not asked for), the sample's
        extreme with relevance 0. Where a whisker falls on the median (more than three values
        in four equal to it, as daily rainfall's zeros), the nearest value beyond the median
        takes its place, so every value beyond the median is rare.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            The numeric target, finite, not constant.
        extremes : {"both", "high", "low"}, default="both"
            Which tail may be rare.
        coef : float, default=1.5
            The whisker length in hinge spreads (R's ``boxplot.stats``).
        """
        if extremes not in _EXTREMES:
            raise ParameterError(f"extremes must be 'both', 'high' or 'low', got {extremes!r}.")
        if isinstance(coef, bool) or not isinstance(coef, (int, float, np.integer, np.floating)) or not coef > 0:
            raise ParameterError(f"coef must be a positive number (whisker length in hinge spreads), got {coef!r}.")
        values = check_target(y)
        stats, low_out, high_out = boxplot_stats(values, float(coef))
        lowest, median, highest = values.min(), stats[2], values.max()
        # A whisker at the median (more than three values in four equal to it): every value
        # beyond the median is beyond the whisker, so relevance reaches 1 at the nearest one.
        low_whisker = stats[0] if stats[0] < median else values[values < median].max(initial=lowest)
        high_whisker = stats[4] if stats[4] > median else values[values > median].min(initial=highest)
        points = [[low_whisker, 1.0] if extremes != "high" and low_out else [lowest, 0.0]]
        if median != lowest:
            points.append([median, 0.0])
        if extremes != "low" and high_out:
            points.append([high_whisker, 1.0])
        elif median != highest:
            points.append([highest, 0.0])
        return cls(points, method="extremes")

    @property
    def control_points(self) -> np.ndarray:
        """The control points as rows (x, relevance, slope)."""
        return np.column_stack([self.x, self.phi, self.slopes])

    def __call__(self, y: ArrayLike) -> np.ndarray:
        """:math:`\\phi` of every value of ``y`` (float64, same shape)."""
        values = np.asarray(y, dtype=np.float64)
        x, phi, m = self.x, self.phi, self.slopes
        piece = np.clip(np.searchsorted(x, values, side="right") - 1, 0, x.size - 2)
        h = np.diff(x)[piece]
        delta = (phi[piece + 1] - phi[piece]) / h
        c = (3 * delta - 2 * m[piece] - m[piece + 1]) / h
        d = (m[piece] - 2 * delta + m[piece + 1]) / h ** 2
        s = np.clip(values, x[0], x[-1]) - x[piece]
        out = phi[piece] + s * (m[piece] + s * (c + s * d))
        out = np.where(values >= x[-1], phi[-1], out)  # the last point's value exactly, not by rounding
        return np.clip(out, 0.0, 1.0)

    def __repr__(self) -> str:
        points = ", ".join(f"({x:g}, {p:g})" for x, p in zip(self.x, self.phi))
        return f"Relevance({self.method}: {points})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Relevance) and np.array_equal(self.control_points, other.control_points))

    __hash__ = None  # type: ignore[assignment]


def as_relevance(relevance: "Relevance | Sequence | None", y: np.ndarray) -> Relevance:
    """A sampler's ``relevance=`` parameter as a :class:`Relevance`: None -> the automatic
    one of ``y``; a Relevance as it is; anything else -> control points."""
    if relevance is None:
        return Relevance.from_target(y)
    if isinstance(relevance, Relevance):
        return relevance
    return Relevance(relevance)
