"""The window of label distribution smoothing (Yang et al. 2021), shared by the row weights
of :mod:`imbalance.regression` and the feature smoothing of :mod:`imbalance.torch.regression`."""

from __future__ import annotations

import numpy as np

from imbalance._validation import ParameterError

__all__ = ["lds_kernel"]

_KERNELS = ("gaussian", "triang", "laplace")


def lds_kernel(kernel: str = "gaussian", size: int = 5, sigma: float = 2.0) -> np.ndarray:
    r"""The window of label distribution smoothing (Yang et al. 2021), peak 1, ``size`` taps:
    ``"gaussian"``, a unit impulse smoothed by scipy's ``gaussian_filter1d`` with std
    ``sigma`` (in bins; its default reflecting edges, as the paper's code); ``"triang"``, the
    triangle :math:`1 - |i|/(h + 1)` for offsets :math:`|i| \le h = (\text{size}-1)/2`;
    ``"laplace"``, :math:`e^{-|i|/\sigma}`."""
    if kernel not in _KERNELS:
        raise ParameterError(f"kernel must be one of {', '.join(map(repr, _KERNELS))}, got {kernel!r}.")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0:
        raise ParameterError(f"size must be an odd positive int (taps of the window), got {size!r}.")
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)) or not sigma > 0:
        raise ParameterError(f"sigma must be a positive number, got {sigma!r}.")
    half = (size - 1) // 2
    offsets = np.arange(-half, half + 1, dtype=np.float64)
    if kernel == "gaussian":
        from scipy.ndimage import gaussian_filter1d

        window = gaussian_filter1d((offsets == 0).astype(np.float64), sigma=sigma)  # scipy's "reflect", as the paper's code
    elif kernel == "triang":
        window = 1 - np.abs(offsets) / (half + 1)
    else:
        window = np.exp(-np.abs(offsets) / sigma)
    return window / window.max()
