r"""Row weights for a numeric target: rows of rare target values count more, for any
regressor's ``sample_weight`` or a weighted loss.

Every scheme returns one positive weight per row, scaled to mean 1 (so a weighted loss keeps
the plain loss's scale and learning rate), computed from the training target alone.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.ndimage import convolve1d

from imbalance._smoothing import lds_kernel
from imbalance._validation import ParameterError
from imbalance.regression._bins import relevance_bins
from imbalance.regression._relevance import Relevance, check_target

__all__ = ["bin_weights", "dense_weights", "lds_weights", "target_density", "bin_edges", "bin_of"]

def bin_edges(values: np.ndarray, bins: int | ArrayLike) -> np.ndarray:
    """Edges of ``bins`` equal-width bins over the range of ``values``, or ``bins`` itself as
    edges (at least two, ascending)."""
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        if bins < 1:
            raise ParameterError(f"bins must be a positive int or bin edges, got {bins!r}.")
        return np.linspace(values.min(), values.max(), int(bins) + 1)
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or (np.diff(edges) <= 0).any():
        raise ParameterError("bins as edges must be at least two ascending numbers.")
    return edges


def bin_of(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The bin of every value (values outside the edges go to the first or last bin)."""
    return np.clip(np.searchsorted(edges, values, side="right") - 1, 0, edges.size - 2)


def _mean_one(weights: np.ndarray) -> np.ndarray:
    return weights * (weights.size / weights.sum())


def bin_weights(y: ArrayLike, relevance: Relevance | ArrayLike | None = None, *, threshold: float = 0.8) -> np.ndarray:
    r"""Inverse relevance-bin frequency: a row of bin :math:`b` (of :math:`B` bins, see
    :func:`relevance_bins`) weighs :math:`N / (B\, n_b)`, so every bin counts as much (the
    weights of scikit-learn's ``"balanced"`` for the bins; mean 1 by construction).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    relevance, threshold
        As in :func:`relevance_bins`.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    values = check_target(y)
    bins = relevance_bins(values, relevance, threshold=threshold)
    codes = bins.assign(values)
    counts = np.bincount(codes, minlength=bins.n_bins)
    return values.size / (bins.n_bins * counts[codes])


def _bandwidth(values: np.ndarray, bandwidth: Any) -> float:
    if bandwidth in ("silverman", "scott"):
        spread = min(values.std(ddof=1), np.subtract(*np.percentile(values, [75, 25])) / 1.349)
        spread = spread if spread > 0 else values.std(ddof=1)
        factor = 0.9 if bandwidth == "silverman" else 1.059
        return factor * spread * values.size ** (-1 / 5)
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, (int, float, np.integer, np.floating)) \
            or not bandwidth > 0 or not math.isfinite(bandwidth):
        raise ParameterError(f"bandwidth must be 'silverman', 'scott' or a positive number, got {bandwidth!r}.")
    return float(bandwidth)


def target_density(y: ArrayLike, *, bandwidth: float | str = "silverman", grid_size: int = 4096) -> np.ndarray:
    r"""A Gaussian kernel density estimate of the target, at each of its values.

    :math:`\hat p(y) = \frac{1}{N h} \sum_j \varphi\bigl((y - y_j)/h\bigr)`, computed on a
    grid of ``grid_size`` points spanning the target :math:`\pm h`: the values binned
    linearly onto the grid, convolved with the kernel, and read back by linear interpolation
    (an error of order :math:`(\Delta/h)^2` for grid spacing :math:`\Delta`; :math:`O(N + G)`
    instead of the direct sum's :math:`O(N^2)`).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    bandwidth : "silverman", "scott" or float, default="silverman"
        :math:`h`; Silverman's rule :math:`0.9 \min(\hat\sigma, \text{IQR}/1.349) N^{-1/5}`
        (as DenseWeight uses), Scott's :math:`1.059\, \hat\sigma N^{-1/5}`, or a number.
    grid_size : int, default=4096

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    values = check_target(y)
    h = _bandwidth(values, bandwidth)
    if isinstance(grid_size, bool) or not isinstance(grid_size, (int, np.integer)) or grid_size < 64:
        raise ParameterError(f"grid_size must be an int of at least 64, got {grid_size!r}.")
    low, high = values.min() - h, values.max() + h
    step = (high - low) / (grid_size - 1)
    position = (values - low) / step
    left = np.minimum(np.floor(position).astype(np.intp), grid_size - 2)
    share = position - left
    mass = np.bincount(left, weights=1 - share, minlength=grid_size) + np.bincount(left + 1, weights=share,
                                                                                  minlength=grid_size)
    reach = int(np.ceil(6 * h / step))  # the kernel to 6 bandwidths: what it leaves out is below 1e-8
    offsets = np.arange(-reach, reach + 1) * step
    kernel = np.exp(-0.5 * (offsets / h) ** 2) / (h * math.sqrt(2 * math.pi))
    density = np.convolve(mass, kernel, mode="same") / values.size
    return np.interp(values, low + step * np.arange(grid_size), density)


def dense_weights(y: ArrayLike, *, alpha: float = 1.0, epsilon: float = 1e-6,
                  bandwidth: float | str = "silverman") -> np.ndarray:
    r"""DenseWeight (Steininger, Kobs, Davidson, Krause & Hotho 2021): rows weighed down where
    the target is dense.

    .. math::

        p'(y) = \frac{\hat p(y) - \min_j \hat p(y_j)}{\max_j \hat p(y_j) - \min_j \hat p(y_j)},
        \qquad
        w(y) = \frac{\max(1 - \alpha\, p'(y), \epsilon)}{\frac1N \sum_j \max(1 - \alpha\, p'(y_j), \epsilon)},

    :math:`\hat p` the kernel density of the target (:func:`target_density`). ``alpha = 0``
    gives every row weight 1; larger ``alpha`` flattens the weighted distribution more
    (at ``alpha = 1`` the densest value gets :math:`\epsilon`).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    alpha : float, default=1.0
        :math:`\alpha \ge 0`.
    epsilon : float, default=1e-6
        The smallest weight before scaling, :math:`\epsilon > 0`.
    bandwidth : "silverman", "scott" or float, default="silverman"

    Returns
    -------
    ndarray of shape (n_samples,), mean 1
    """
    for name, value, ok in (("alpha", alpha, lambda v: v >= 0), ("epsilon", epsilon, lambda v: v > 0)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value) or not ok(value):
            raise ParameterError(f"{name} must be a {'non-negative' if name == 'alpha' else 'positive'} number, "
                                 f"got {value!r}.")
    density = target_density(y, bandwidth=bandwidth)
    spread = density.max() - density.min()
    scaled = (density - density.min()) / spread if spread > 0 else np.zeros_like(density)
    return _mean_one(np.maximum(1 - alpha * scaled, epsilon))


def lds_weights(y: ArrayLike, *, bins: int | ArrayLike = 100, kernel: str = "gaussian", size: int = 5,
                sigma: float = 2.0, reweight: str = "inverse") -> np.ndarray:
    r"""Label distribution smoothing (LDS, Yang, Zha, Chen, Wang & Katabi 2021) as row weights.

    The target is counted in bins; the counts :math:`c_b` (``reweight="inverse"``) or their
    square roots (``"sqrt_inv"``) are smoothed with the kernel window :math:`k`
    (:func:`lds_kernel`; zero beyond the range), :math:`\tilde c = k * c`, and a row in bin
    :math:`b` weighs :math:`1/\tilde c_b`, scaled to mean 1. Smoothing makes a bin's effective
    count borrow from its neighbours, as a continuous target should.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    bins : int or array-like, default=100
        Equal-width bins over the target's range, or the bin edges (ascending; values outside
        go to the first or last bin).
    kernel, size, sigma
        The window (:func:`lds_kernel`; the paper's defaults).
    reweight : {"inverse", "sqrt_inv"}, default="inverse"

    Returns
    -------
    ndarray of shape (n_samples,), mean 1
    """
    values = check_target(y)
    if reweight not in ("inverse", "sqrt_inv"):
        raise ParameterError(f"reweight must be 'inverse' or 'sqrt_inv', got {reweight!r}.")
    edges = bin_edges(values, bins)
    codes = bin_of(edges, values)
    counts = np.bincount(codes, minlength=edges.size - 1).astype(np.float64)
    if reweight == "sqrt_inv":
        counts = np.sqrt(counts)
    smoothed = convolve1d(counts, lds_kernel(kernel, size, sigma), mode="constant")
    return _mean_one(1 / smoothed[codes])
