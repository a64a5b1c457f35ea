r"""Losses and a feature layer for deep imbalanced regression: each loss a function and a
module that delegates to it, as in :mod:`torch.nn.functional` and :mod:`torch.nn`.

- **Balanced MSE** (Ren, Zhang, Yi, Liu & Kankanhalli, CVPR 2022): the MSE is the negative log
  likelihood of a Gaussian around the prediction, which carries the training target's
  distribution with it; dividing that likelihood by its integral over the training
  distribution removes it,

  .. math:: \mathcal L = -\log \mathcal N(y;\ \hat y, \sigma^2 I)
            + \log \int \mathcal N(y';\ \hat y, \sigma^2 I)\, p_{\text{train}}(y')\, dy',

  scaled by :math:`2\sigma^2` (detached) so that it reads like an MSE. The integral is
  estimated over the batch's targets (BMC), in closed form for a Gaussian mixture fitted to
  the training targets (GAI), or over a histogram of them (BNI). :math:`\sigma` is fixed or
  learned (the module's ``noise_sigma`` parameter).
- **Weighted MSE / L1** with per-row weights (LDS or DenseWeight, :mod:`imbalance.regression`).
- **Focal-R** (Yang, Zha, Chen, Wang & Katabi, ICML 2021): the error scaled by
  :math:`\tanh(\beta |e|)^\gamma` (or :math:`(2\sigma(\beta |e|) - 1)^\gamma`), so that the rows
  already fitted weigh less.
- **FDS**, feature distribution smoothing (Yang et al. 2021): features calibrated, per target
  bin, from their own bin's running mean and variance to the kernel-smoothed ones of the
  neighbouring bins.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike
from torch import Tensor, nn

from imbalance._smoothing import lds_kernel
from imbalance._validation import InputError, ParameterError, check_non_negative, check_reduction

__all__ = [
    "weighted_mse_loss",
    "weighted_l1_loss",
    "focal_mse_loss",
    "focal_l1_loss",
    "balanced_mse_loss",
    "WeightedMSELoss",
    "WeightedL1Loss",
    "FocalMSELoss",
    "FocalL1Loss",
    "BalancedMSELoss",
    "FeatureDistributionSmoothing",
]

Reduction = Literal["none", "mean", "sum"]
_KINDS = ("bmc", "gai", "bni")


# ----------------------------------------------------------------------------- checks


def _check_pair(input: Tensor, target: Tensor) -> None:
    if not isinstance(input, Tensor) or not input.is_floating_point():
        raise InputError("input must be a float tensor of predictions.")
    if not isinstance(target, Tensor) or input.shape != target.shape:
        raise InputError(f"target must be a tensor of input's shape {tuple(input.shape)}, got "
                         f"{tuple(target.shape) if isinstance(target, Tensor) else type(target).__name__}.")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    check_reduction(reduction)
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _weighted(loss: Tensor, weight: Tensor | None) -> Tensor:
    if weight is None:
        return loss
    weight = torch.as_tensor(weight, dtype=loss.dtype, device=loss.device)
    if weight.shape != loss.shape[:weight.dim()]:
        raise InputError(f"weight must have one value per row (shape {tuple(loss.shape[:1])}), got "
                         f"{tuple(weight.shape)}.")
    return loss * weight.view(*weight.shape, *([1] * (loss.dim() - weight.dim())))


# ----------------------------------------------------------------------------- functional


def weighted_mse_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *,
                      reduction: Reduction = "mean") -> Tensor:
    r""":math:`w_i (\hat y_i - y_i)^2`, reduced; ``weight`` one value per row (or None)."""
    _check_pair(input, target)
    return _reduce(_weighted((input - target) ** 2, weight), reduction)


def weighted_l1_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *,
                     reduction: Reduction = "mean") -> Tensor:
    r""":math:`w_i |\hat y_i - y_i|`, reduced; ``weight`` one value per row (or None)."""
    _check_pair(input, target)
    return _reduce(_weighted((input - target).abs(), weight), reduction)


def _focal_factor(error: Tensor, beta: float, gamma: float, activate: str) -> Tensor:
    check_non_negative("beta", beta)
    check_non_negative("gamma", gamma)
    scaled = beta * error.abs()
    if activate == "tanh":
        base = torch.tanh(scaled)
    elif activate == "sigmoid":
        base = 2 * torch.sigmoid(scaled) - 1
    else:
        raise ParameterError(f"activate must be 'sigmoid' or 'tanh', got {activate!r}.")
    return base.pow(gamma) if gamma != 1 else base


def focal_mse_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *, beta: float = 0.2,
                   gamma: float = 1.0, activate: str = "sigmoid", reduction: Reduction = "mean") -> Tensor:
    r"""Focal-R on the squared error (Yang et al. 2021):
    :math:`w_i\, e_i^2\, a(\beta |e_i|)^\gamma`, :math:`e_i = \hat y_i - y_i`,
    :math:`a(z) = 2\sigma(z) - 1` (``"sigmoid"``) or :math:`\tanh z` (``"tanh"``; the two
    are equal: :math:`2\sigma(z) - 1 = \tanh(z/2)`, so ``"sigmoid"`` with :math:`\beta` is
    ``"tanh"`` with :math:`\beta/2`)."""
    _check_pair(input, target)
    error = input - target
    return _reduce(_weighted(error ** 2 * _focal_factor(error, beta, gamma, activate), weight), reduction)


def focal_l1_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *, beta: float = 0.2,
                  gamma: float = 1.0, activate: str = "sigmoid", reduction: Reduction = "mean") -> Tensor:
    r"""Focal-R on the absolute error: :math:`w_i\, |e_i|\, a(\beta |e_i|)^\gamma` (see
    :func:`focal_mse_loss`)."""
    _check_pair(input, target)
    error = input - target
    return _reduce(_weighted(error.abs() * _focal_factor(error, beta, gamma, activate), weight), reduction)


def balanced_mse_loss(input: Tensor, target: Tensor, noise_var: Tensor | float, *, kind: str = "bmc",
                      means: Tensor | None = None, variances: Tensor | None = None, weights: Tensor | None = None,
                      reduction: Reduction = "mean") -> Tensor:
    r"""Balanced MSE (Ren et al. 2022) for a 1-D target, input and target of shape (N,) or (N, 1).

    With :math:`\sigma^2` = ``noise_var`` and :math:`e_i = \hat y_i - y_i`, row :math:`i`'s
    loss is :math:`2\sigma^2 \bigl(\frac{e_i^2}{2\sigma^2} + \tfrac12 \log\sigma^2 + B_i\bigr)`
    (:math:`2\sigma^2` detached), :math:`B_i` the log of the likelihood's integral over the
    training targets:

    - ``"bmc"`` (batch Monte Carlo): the batch's targets stand for the training distribution,
      and the loss is the cross-entropy of the logits :math:`-(\hat y_i - y_j)^2 / 2\sigma^2`
      with row :math:`i`'s own target as the class (``"mean"``: over rows), times
      :math:`2\sigma^2`;
    - ``"gai"`` (Gaussian mixture, analytical): ``weights`` :math:`\pi_k`, ``means``
      :math:`\mu_k`, ``variances`` :math:`v_k` of a mixture fitted to the training targets,
      :math:`B_i = \log \sum_k \pi_k (v_k + \sigma^2)^{-1/2}
      \exp\bigl(-(\hat y_i - \mu_k)^2 / 2(v_k + \sigma^2)\bigr)`;
    - ``"bni"`` (bins, numerical): ``means`` the bin centres :math:`c_b`, ``weights`` their
      shares :math:`\pi_b`, :math:`B_i = \log \sum_b \pi_b \exp\bigl(-(\hat y_i - c_b)^2 /
      2\sigma^2\bigr)`.

    :class:`BalancedMSELoss` fits the mixture or the bins from the training targets.
    """
    _check_pair(input, target)
    if kind not in _KINDS:
        raise ParameterError(f"kind must be 'bmc', 'gai' or 'bni', got {kind!r}.")
    if input.dim() == 2 and input.shape[1] != 1 or input.dim() > 2:
        raise InputError(f"Balanced MSE here is for a 1-D target: input of shape (N,) or (N, 1), got "
                         f"{tuple(input.shape)}.")
    pred, truth = input.reshape(-1, 1), target.reshape(-1, 1).to(input.dtype)
    noise_var = torch.as_tensor(noise_var, dtype=input.dtype, device=input.device)
    if kind == "bmc":
        logits = -(pred - truth.T) ** 2 / (2 * noise_var)
        rows = F.cross_entropy(logits, torch.arange(pred.shape[0], device=input.device), reduction="none")
        return _reduce((rows * (2 * noise_var).detach()).reshape(input.shape), reduction)
    if means is None or weights is None or (kind == "gai" and variances is None):
        need = "means, variances and weights" if kind == "gai" else "means (bin centres) and weights"
        raise ParameterError(f"kind={kind!r} needs the training targets' {need}; BalancedMSELoss.from_targets "
                             "fits them.")
    means = torch.as_tensor(means, dtype=input.dtype, device=input.device).reshape(1, -1)
    log_weights = torch.as_tensor(weights, dtype=input.dtype, device=input.device).reshape(1, -1).log()
    fit = (pred - truth) ** 2 / (2 * noise_var) + 0.5 * noise_var.log()
    if kind == "gai":
        spread = torch.as_tensor(variances, dtype=input.dtype, device=input.device).reshape(1, -1) + noise_var
        terms = -0.5 * spread.log() - (pred - means) ** 2 / (2 * spread) + log_weights
    else:
        terms = -(pred - means) ** 2 / (2 * noise_var) + log_weights
    rows = (fit + torch.logsumexp(terms, dim=1, keepdim=True)) * (2 * noise_var).detach()
    return _reduce(rows.reshape(input.shape), reduction)


# ----------------------------------------------------------------------------- modules


class _RegressionLoss(nn.Module):
    def __init__(self, reduction: Reduction = "mean") -> None:
        super().__init__()
        check_reduction(reduction)
        self.reduction = reduction


class WeightedMSELoss(_RegressionLoss):
    """:func:`weighted_mse_loss` as a module; ``forward(input, target, weight=None)``."""

    def forward(self, input: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        return weighted_mse_loss(input, target, weight, reduction=self.reduction)


class WeightedL1Loss(_RegressionLoss):
    """:func:`weighted_l1_loss` as a module; ``forward(input, target, weight=None)``."""

    def forward(self, input: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        return weighted_l1_loss(input, target, weight, reduction=self.reduction)


class FocalMSELoss(_RegressionLoss):
    """:func:`focal_mse_loss` as a module."""

    def __init__(self, *, beta: float = 0.2, gamma: float = 1.0, activate: str = "sigmoid",
                 reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        _focal_factor(torch.zeros(1), beta, gamma, activate)  # the parameters checked once, here
        self.beta, self.gamma, self.activate = beta, gamma, activate

    def forward(self, input: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        return focal_mse_loss(input, target, weight, beta=self.beta, gamma=self.gamma, activate=self.activate,
                              reduction=self.reduction)


class FocalL1Loss(FocalMSELoss):
    """:func:`focal_l1_loss` as a module."""

    def forward(self, input: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        return focal_l1_loss(input, target, weight, beta=self.beta, gamma=self.gamma, activate=self.activate,
                             reduction=self.reduction)


class BalancedMSELoss(_RegressionLoss):
    r"""Balanced MSE (Ren et al. 2022) as a module: see :func:`balanced_mse_loss`.

    Parameters
    ----------
    kind : {"bmc", "gai", "bni"}, default="bmc"
    noise_sigma : float, default=1.0
        The initial :math:`\sigma`; held as the parameter ``noise_sigma`` (add it to the
        optimiser, as the paper does, with its own learning rate) or as a buffer with
        ``learnable=False``.
    learnable : bool, default=True
    means, variances, weights : array-like, optional
        The training targets' mixture (``"gai"``) or bins (``"bni"``); use
        :meth:`from_targets` to fit them.
    reduction : {"none", "mean", "sum"}, default="mean"
    """

    def __init__(self, kind: str = "bmc", *, noise_sigma: float = 1.0, learnable: bool = True,
                 means: ArrayLike | None = None, variances: ArrayLike | None = None, weights: ArrayLike | None = None,
                 reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        if kind not in _KINDS:
            raise ParameterError(f"kind must be 'bmc', 'gai' or 'bni', got {kind!r}.")
        if isinstance(noise_sigma, bool) or not isinstance(noise_sigma, (int, float)) or not noise_sigma > 0:
            raise ParameterError(f"noise_sigma must be a positive number, got {noise_sigma!r}.")
        self.kind = kind
        sigma = torch.tensor(float(noise_sigma))
        if learnable:
            self.noise_sigma = nn.Parameter(sigma)
        else:
            self.register_buffer("noise_sigma", sigma)
        for name, value in (("means", means), ("variances", variances), ("weights", weights)):
            self.register_buffer(name, None if value is None else torch.as_tensor(value, dtype=torch.float32).clone())
        if kind != "bmc":
            balanced_mse_loss(torch.zeros(1), torch.zeros(1), 1.0, kind=kind, means=self.means,
                              variances=self.variances, weights=self.weights)  # needs its mixture or bins

    @classmethod
    def from_targets(cls, y: ArrayLike, kind: str = "gai", *, n_components: int = 8, bins: int = 100,
                     random_state: int | None = 0, **kwargs: object) -> "BalancedMSELoss":
        """The loss with its training distribution fitted on the training targets ``y``: a
        Gaussian mixture of ``n_components`` (scikit-learn's, ``"gai"``) or a histogram of
        ``bins`` equal-width bins (``"bni"``, empty bins left out)."""
        values = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        if kind == "gai":
            from sklearn.mixture import GaussianMixture

            gmm = GaussianMixture(n_components, random_state=random_state).fit(values)
            return cls("gai", means=gmm.means_[:, 0], variances=gmm.covariances_.reshape(-1),
                       weights=gmm.weights_, **kwargs)
        if kind == "bni":
            counts, edges = np.histogram(values, bins=bins)
            keep = counts > 0
            return cls("bni", means=((edges[:-1] + edges[1:]) / 2)[keep], weights=(counts / counts.sum())[keep],
                       **kwargs)
        raise ParameterError(f"from_targets fits 'gai' or 'bni', got kind={kind!r} ('bmc' needs nothing fitted).")

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return balanced_mse_loss(input, target, self.noise_sigma ** 2, kind=self.kind, means=self.means,
                                 variances=self.variances, weights=self.weights, reduction=self.reduction)


class FeatureDistributionSmoothing(nn.Module):
    r"""Feature distribution smoothing (FDS, Yang et al. 2021).

    The target range is cut into bins (``edges``). Through an epoch, :meth:`update` gathers
    every bin's feature mean and variance; :meth:`end_epoch` folds them into running
    statistics (``momentum``) and smooths those across neighbouring bins with the LDS window
    :math:`k` (:func:`imbalance.regression.lds_kernel`): a bin's smoothed statistics are the
    window-weighted mean of those of the bins around it that have had rows (so the ends of the
    range renormalise the window rather than reflect it, as the paper's code does). In
    training, from epoch ``start_smooth`` on, :meth:`forward` calibrates each row's features
    :math:`z` of bin :math:`b`,

    .. math:: z' = (z - \mu_b)\, \sqrt{\tilde\sigma^2_b / \sigma^2_b} + \tilde\mu_b,

    :math:`\mu, \sigma^2` the bin's running statistics and :math:`\tilde\mu, \tilde\sigma^2`
    the smoothed ones; in evaluation it returns the features unchanged.

    Parameters
    ----------
    num_features : int
    edges : array-like
        Ascending bin edges of the target (values outside go to the first or last bin).
    kernel, size, sigma
        The smoothing window (the paper's defaults: gaussian, 5, 2).
    momentum : float, default=0.9
        Weight of the previous running statistics in :meth:`end_epoch` (the first epoch's
        statistics are taken as they are).
    start_smooth : int, default=1
        The first epoch whose :meth:`forward` calibrates.
    eps : float, default=1e-6
    """

    def __init__(self, num_features: int, edges: ArrayLike, *, kernel: str = "gaussian", size: int = 5,
                 sigma: float = 2.0, momentum: float = 0.9, start_smooth: int = 1, eps: float = 1e-6) -> None:
        super().__init__()
        edges_np = np.asarray(edges, dtype=np.float64)
        if edges_np.ndim != 1 or edges_np.size < 2 or (np.diff(edges_np) <= 0).any():
            raise ParameterError("edges must be at least two ascending numbers.")
        if not 0 <= momentum < 1:
            raise ParameterError(f"momentum must be in [0, 1), got {momentum!r}.")
        n_bins = edges_np.size - 1
        self.momentum, self.start_smooth, self.eps, self.epoch = momentum, start_smooth, eps, 0
        self.register_buffer("edges", torch.as_tensor(edges_np, dtype=torch.float64))
        self.register_buffer("window", torch.as_tensor(lds_kernel(kernel, size, sigma), dtype=torch.float32))
        for name in ("running_mean", "smoothed_mean"):
            self.register_buffer(name, torch.zeros(n_bins, num_features))
        for name in ("running_var", "smoothed_var"):
            self.register_buffer(name, torch.ones(n_bins, num_features))
        self.register_buffer("seen", torch.zeros(n_bins, dtype=torch.bool))
        self._sum = torch.zeros(n_bins, num_features, dtype=torch.float64)
        self._squares = torch.zeros(n_bins, num_features, dtype=torch.float64)
        self._count = torch.zeros(n_bins, dtype=torch.float64)

    def bins(self, target: Tensor) -> Tensor:
        """The bin of every target value."""
        inner = self.edges[1:-1].to(target.device)
        return torch.bucketize(target.detach().reshape(-1).to(torch.float64), inner, right=True)

    @torch.no_grad()
    def update(self, features: Tensor, target: Tensor) -> None:
        """Add a batch's features to this epoch's per-bin statistics."""
        b = self.bins(target).cpu()
        z = features.detach().to(torch.float64).cpu()
        self._sum.index_add_(0, b, z)
        self._squares.index_add_(0, b, z * z)
        self._count.index_add_(0, b, torch.ones_like(b, dtype=torch.float64))

    @torch.no_grad()
    def end_epoch(self) -> None:
        """Fold the epoch's statistics into the running ones and smooth them across bins."""
        have = self._count > 0
        count = self._count.clamp_min(1).unsqueeze(1)
        mean = self._sum / count
        var = (self._squares / count - mean ** 2).clamp_min(0)
        keep = torch.where(self.seen, torch.tensor(self.momentum, dtype=torch.float64),
                           torch.tensor(0.0, dtype=torch.float64)).unsqueeze(1)
        new_mean = keep * self.running_mean.double() + (1 - keep) * mean
        new_var = keep * self.running_var.double() + (1 - keep) * var
        self.running_mean[have] = new_mean[have].to(self.running_mean.dtype)
        self.running_var[have] = new_var[have].to(self.running_var.dtype)
        self.seen |= have.to(self.seen.device)
        self.smoothed_mean.copy_(self._smooth(self.running_mean))
        self.smoothed_var.copy_(self._smooth(self.running_var))
        self._sum.zero_(), self._squares.zero_(), self._count.zero_()
        self.epoch += 1

    def _smooth(self, stats: Tensor) -> Tensor:
        """Each bin's statistics as the window-weighted mean of its seen neighbours'."""
        half = self.window.numel() // 2
        mask = self.seen.to(stats.dtype).unsqueeze(1)
        kernel = self.window.to(stats.dtype).view(1, 1, -1)
        spread = torch.cat([stats * mask, mask], dim=1).T.unsqueeze(1)  # (features + 1, 1, bins)
        smoothed = F.conv1d(spread, kernel, padding=half).squeeze(1).T  # (bins, features + 1)
        weight = smoothed[:, -1:]
        return torch.where(weight > 0, smoothed[:, :-1] / weight.clamp_min(1e-12), stats)

    def forward(self, features: Tensor, target: Tensor) -> Tensor:
        if not self.training or self.epoch < self.start_smooth:
            return features
        b = self.bins(target)
        scale = ((self.smoothed_var[b] + self.eps) / (self.running_var[b] + self.eps)).sqrt()
        return (features - self.running_mean[b]) * scale + self.smoothed_mean[b]
