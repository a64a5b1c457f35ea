"""Loss modules: each delegates to its public functional twin in :mod:`imbalance.torch.functional`.

As in ``torch.nn``, two small bases own what every module shares: :class:`_Loss` the
``reduction`` (checked once, at construction), :class:`_WeightedLoss` also a ``weight``
buffer. Tensors that configure a loss (class weights, margins, log-priors) are buffers, made
once from the counts at construction, so ``.to(device)``, ``.half()`` and ``state_dict()``
carry them along and no call copies anything to the device.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn

from imbalance._validation import ParameterError, check_non_negative, check_reduction
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


def _as_buffer(value: TensorLike | float | None) -> Tensor | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return torch.tensor(float(value))
    return torch.as_tensor(value, dtype=torch.float32).clone()


class _Loss(nn.Module):
    """Owns ``reduction``, checked once here rather than in every constructor."""

    def __init__(self, reduction: Reduction = "mean") -> None:
        super().__init__()
        check_reduction(reduction)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """Owns a per-class ``weight`` buffer (None for no weighting)."""

    weight: Tensor | None

    def __init__(self, weight: TensorLike | None = None, reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", _as_buffer(weight))


class SigmoidFocalLoss(_Loss):
    """Focal loss for binary and multi-label targets; see :func:`~imbalance.torch.functional.sigmoid_focal_loss`.

    ``alpha`` (scalar or per label) is a buffer; a negative scalar means no weighting.
    """

    def __init__(self, *, alpha: float | TensorLike | None = None, gamma: float = 2.0,
                 reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        check_non_negative("gamma", gamma)
        if isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
            if not alpha <= 1:
                raise ParameterError(f"alpha must be in [0, 1], or negative for no weighting, got {alpha!r}.")
            alpha = None if alpha < 0 else alpha  # torchvision's "alpha < 0: no weighting"
        self.register_buffer("alpha", _as_buffer(alpha))
        self.gamma = gamma

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.sigmoid_focal_loss(input, target, alpha=self.alpha, gamma=self.gamma, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"gamma={self.gamma}, reduction={self.reduction!r}"


class SoftmaxFocalLoss(_Loss):
    """Multi-class focal loss; see :func:`~imbalance.torch.functional.softmax_focal_loss`.

    ``alpha`` (per-class weights) is a buffer (named as the function's argument, so saved
    state dicts keep their keys).
    """

    def __init__(self, *, alpha: TensorLike | None = None, gamma: float = 2.0, ignore_index: int = -100,
                 label_smoothing: float = 0.0, reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        check_non_negative("gamma", gamma)
        self.register_buffer("alpha", _as_buffer(alpha))
        self.gamma = gamma
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.softmax_focal_loss(
            input, target, alpha=self.alpha, gamma=self.gamma, ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing, reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return f"gamma={self.gamma}, ignore_index={self.ignore_index}, reduction={self.reduction!r}"


class ClassBalancedLoss(_WeightedLoss):
    """Class-balanced loss (Cui et al., 2019); see :func:`~imbalance.torch.functional.class_balanced_loss`.

    The effective-number class weights are computed once from ``class_counts``
    (:func:`~imbalance.torch.functional.class_balanced_weights`) into the ``weight`` buffer.
    """

    weight: Tensor

    def __init__(self, class_counts: TensorLike, *, beta: float = 0.9999,
                 loss: Literal["softmax", "sigmoid", "focal"] = "softmax", gamma: float = 2.0,
                 reduction: Reduction = "mean") -> None:
        super().__init__(F_imb.class_balanced_weights(class_counts, beta=beta), reduction)
        check_non_negative("gamma", gamma)
        if loss not in F_imb.CLASS_BALANCED_KINDS:
            raise ParameterError(f"loss must be one of {', '.join(F_imb.CLASS_BALANCED_KINDS)}, got {loss!r}.")
        self.beta, self.loss, self.gamma = beta, loss, gamma

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.class_balanced_loss(input, target, self.weight, loss=self.loss, gamma=self.gamma,
                                         reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, loss={self.loss!r}, reduction={self.reduction!r}"


class LogitAdjustedLoss(_WeightedLoss):
    """Logit-adjusted cross entropy (Menon et al., 2021); ``tau=1`` is Balanced Softmax.

    See :func:`~imbalance.torch.functional.logit_adjusted_loss`. ``log_prior`` (made once from
    ``class_prior`` by :func:`~imbalance.torch.functional.log_class_prior`) and ``weight`` are
    buffers.
    """

    log_prior: Tensor

    def __init__(self, class_prior: TensorLike, *, tau: float = 1.0, weight: TensorLike | None = None,
                 ignore_index: int = -100, reduction: Reduction = "mean") -> None:
        super().__init__(weight, reduction)
        check_non_negative("tau", tau)
        self.register_buffer("log_prior", F_imb.log_class_prior(class_prior))
        self.tau, self.ignore_index = tau, ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.logit_adjusted_loss(input, target, self.log_prior, tau=self.tau, weight=self.weight,
                                         ignore_index=self.ignore_index, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"tau={self.tau}, reduction={self.reduction!r}"


class LDAMLoss(_WeightedLoss):
    """Label-distribution-aware margin loss (Cao et al., 2019); see :func:`~imbalance.torch.functional.ldam_loss`.

    ``margins`` (made once by :func:`~imbalance.torch.functional.ldam_margins`) and ``weight``
    are buffers. For deferred re-weighting, set the weights each epoch:
    ``criterion.weight = drw_weights(counts, epoch, start_epoch=160).to(device)``.
    """

    margins: Tensor

    def __init__(self, class_counts: TensorLike, *, max_margin: float = 0.5, s: float = 30.0,
                 weight: TensorLike | None = None, ignore_index: int = -100,
                 reduction: Reduction = "mean") -> None:
        super().__init__(weight, reduction)
        self.register_buffer("margins", F_imb.ldam_margins(class_counts, max_margin=max_margin))
        self.s, self.ignore_index = s, ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.ldam_loss(input, target, self.margins, s=self.s, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"s={self.s}, reduction={self.reduction!r}"


class AsymmetricLoss(_Loss):
    """Asymmetric loss for multi-label data (Ridnik et al., 2021); see :func:`~imbalance.torch.functional.asymmetric_loss`."""

    def __init__(self, *, gamma_neg: float = 4.0, gamma_pos: float = 1.0, clip: float = 0.05,
                 reduction: Reduction = "mean") -> None:
        super().__init__(reduction)
        check_non_negative("gamma_neg", gamma_neg)
        check_non_negative("gamma_pos", gamma_pos)
        self.gamma_neg, self.gamma_pos, self.clip = gamma_neg, gamma_pos, clip

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F_imb.asymmetric_loss(input, target, gamma_neg=self.gamma_neg, gamma_pos=self.gamma_pos,
                                     clip=self.clip, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"gamma_neg={self.gamma_neg}, gamma_pos={self.gamma_pos}, clip={self.clip}"
