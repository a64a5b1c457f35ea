"""Loss modules: each delegates to its functional twin in :mod:`imbalance.torch.functional`.

Tensors that configure a loss (class weights, margins, log-priors) are registered as buffers,
so ``.to(device)``, ``.half()`` and ``state_dict()`` carry them along.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn

from imbalance._validation import ParameterError
from imbalance.torch import functional as F_imb
from imbalance.torch.functional import Reduction, TensorLike

__all__ = [
    "SigmoidFocalLoss",
    "SoftmaxFocalLoss",
    "ClassBalancedLoss",
    "LogitAdjustedLoss",
    "LDAMLoss",
    "AsymmetricLoss",
]


def _optional_buffer(module: nn.Module, name: str, value: TensorLike | float | None) -> None:
    if value is None or isinstance(value, (int, float)):
        module.register_buffer(name, None if value is None else torch.tensor(float(value)))
    else:
        module.register_buffer(name, torch.as_tensor(value, dtype=torch.float32).clone())


class SigmoidFocalLoss(nn.Module):
    """Focal loss for binary and multi-label targets; see :func:`~imbalance.torch.functional.sigmoid_focal_loss`.

    ``alpha`` (scalar or per label) is a buffer.
    """

    def __init__(self, *, alpha: float | TensorLike | None = None, gamma: float = 2.0,
                 reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_non_negative("gamma", gamma)
        F_imb._check_reduction(reduction)
        if isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
            if not alpha <= 1:
                raise ParameterError(f"alpha must be in [0, 1], or negative for no weighting, got {alpha!r}.")
            alpha = None if alpha < 0 else alpha  # torchvision's "alpha < 0: no weighting"
        _optional_buffer(self, "alpha", alpha)
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.sigmoid_focal_loss(input, target, alpha=self.alpha, gamma=self.gamma, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"gamma={self.gamma}, reduction={self.reduction!r}"


class SoftmaxFocalLoss(nn.Module):
    """Multi-class focal loss; see :func:`~imbalance.torch.functional.softmax_focal_loss`.

    ``alpha`` (per-class weights) is a buffer.
    """

    def __init__(self, *, alpha: TensorLike | None = None, gamma: float = 2.0, ignore_index: int = -100,
                 label_smoothing: float = 0.0, reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_non_negative("gamma", gamma)
        F_imb._check_reduction(reduction)
        _optional_buffer(self, "alpha", alpha)
        self.gamma = gamma
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.softmax_focal_loss(
            input, target, alpha=self.alpha, gamma=self.gamma, ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing, reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return f"gamma={self.gamma}, ignore_index={self.ignore_index}, reduction={self.reduction!r}"


class ClassBalancedLoss(nn.Module):
    """Class-balanced loss (Cui et al., 2019); see :func:`~imbalance.torch.functional.class_balanced_loss`.

    The effective-number class weights are computed once from ``class_counts`` and kept in
    the ``weight`` buffer.
    """

    def __init__(self, class_counts: TensorLike, *, beta: float = 0.9999,
                 loss: Literal["softmax", "sigmoid", "focal"] = "softmax", gamma: float = 2.0,
                 reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_reduction(reduction)
        F_imb._check_non_negative("gamma", gamma)
        if loss not in F_imb._CB_KINDS:
            raise F_imb.ParameterError(f"loss must be one of {', '.join(F_imb._CB_KINDS)}, got {loss!r}.")
        counts = F_imb._class_counts(class_counts)
        weight = F_imb.weights_from_counts(counts, "effective", beta=beta, normalize="classes")
        self.register_buffer("weight", torch.as_tensor(weight, dtype=torch.float32))
        self.beta, self.loss, self.gamma, self.reduction = beta, loss, gamma, reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb._class_balanced(input, target, self.weight, self.loss, self.gamma, self.reduction)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, loss={self.loss!r}, reduction={self.reduction!r}"


class LogitAdjustedLoss(nn.Module):
    """Logit-adjusted cross entropy (Menon et al., 2021); ``tau=1`` is Balanced Softmax.

    See :func:`~imbalance.torch.functional.logit_adjusted_loss`. ``log_prior`` and ``weight``
    are buffers.
    """

    def __init__(self, class_prior: TensorLike, *, tau: float = 1.0, weight: TensorLike | None = None,
                 ignore_index: int = -100, reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_non_negative("tau", tau)
        F_imb._check_reduction(reduction)
        self.register_buffer("log_prior", F_imb._log_prior(class_prior, torch.empty(0)))
        _optional_buffer(self, "weight", weight)
        self.tau, self.ignore_index, self.reduction = tau, ignore_index, reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb._logit_adjusted(input, target, self.log_prior, self.tau, self.weight, self.ignore_index,
                                     self.reduction)

    def extra_repr(self) -> str:
        return f"tau={self.tau}, reduction={self.reduction!r}"


class LDAMLoss(nn.Module):
    """Label-distribution-aware margin loss (Cao et al., 2019); see :func:`~imbalance.torch.functional.ldam_loss`.

    ``margins`` and ``weight`` are buffers. For deferred re-weighting, set the weights each
    epoch: ``criterion.weight = drw_weights(counts, epoch, start_epoch=160).to(device)``.
    """

    def __init__(self, class_counts: TensorLike, *, max_margin: float = 0.5, s: float = 30.0,
                 weight: TensorLike | None = None, ignore_index: int = -100,
                 reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_reduction(reduction)
        self.register_buffer("margins", F_imb.ldam_margins(class_counts, max_margin=max_margin))
        _optional_buffer(self, "weight", weight)
        self.s, self.ignore_index, self.reduction = s, ignore_index, reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb._ldam(input, target, self.margins, self.s, self.weight, self.ignore_index, self.reduction)

    def extra_repr(self) -> str:
        return f"s={self.s}, reduction={self.reduction!r}"


class AsymmetricLoss(nn.Module):
    """Asymmetric loss for multi-label data (Ridnik et al., 2021); see :func:`~imbalance.torch.functional.asymmetric_loss`."""

    def __init__(self, *, gamma_neg: float = 4.0, gamma_pos: float = 1.0, clip: float = 0.05,
                 reduction: Reduction = "mean") -> None:
        super().__init__()
        F_imb._check_non_negative("gamma_neg", gamma_neg)
        F_imb._check_non_negative("gamma_pos", gamma_pos)
        F_imb._check_reduction(reduction)
        self.gamma_neg, self.gamma_pos, self.clip, self.reduction = gamma_neg, gamma_pos, clip, reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.asymmetric_loss(input, target, gamma_neg=self.gamma_neg, gamma_pos=self.gamma_pos,
                                     clip=self.clip, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"gamma_neg={self.gamma_neg}, gamma_pos={self.gamma_pos}, clip={self.clip}"
