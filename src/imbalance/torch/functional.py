r"""Losses for imbalanced classification, as functions of logits.

Every loss here takes logits (never probabilities), has ``reduction="none"|"mean"|"sum"`` and
a module twin in :mod:`imbalance.torch.losses`. As in ``torch.nn.functional``, the functions
take tensors (``weight=``, ``log_prior=``, ``margins=``), never class counts: helpers turn
counts into those tensors once (:func:`class_balanced_weights`, :func:`log_class_prior`,
:func:`ldam_margins`, :func:`drw_weights`), so no call copies anything to the device.
Half-precision inputs (float16, bfloat16) are computed in float32 and the loss is returned in
the input's dtype, as autocast does for ``binary_cross_entropy_with_logits``.

Shapes: ``N`` rows, ``C`` classes or labels, optional extra dimensions ``d1, ...`` (pixels).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from imbalance._validation import InputError, ParameterError, check_non_negative, check_reduction
from imbalance.weights import weights_from_counts

__all__ = [
    "sigmoid_focal_loss",
    "softmax_focal_loss",
    "class_balanced_loss",
    "class_balanced_weights",
    "logit_adjusted_loss",
    "log_class_prior",
    "adjust_logits",
    "ldam_loss",
    "ldam_margins",
    "drw_weights",
    "asymmetric_loss",
    "CLASS_BALANCED_KINDS",
]

Reduction = Literal["none", "mean", "sum"]
TensorLike = Union[Tensor, Sequence[float], np.ndarray]
#: Base losses of :func:`class_balanced_loss`.
CLASS_BALANCED_KINDS = ("softmax", "sigmoid", "focal")


# ----------------------------------------------------------------------------- checks


def _check_logits(input: Tensor) -> None:
    if not isinstance(input, Tensor):
        raise InputError(f"input must be a tensor of logits, got {type(input).__name__}.")
    if not input.is_floating_point():
        raise InputError(f"input must hold float logits, got dtype {input.dtype}.")


def _check_class_targets(input: Tensor, target: Tensor, ignore_index: int | None) -> None:
    """Class-index targets: shape (N, d1, ...) for input (N, C, d1, ...), values in [0, C)."""
    _check_logits(input)
    if input.dim() < 2:
        raise InputError(
            f"input must have shape (N, C) or (N, C, d1, ...), got {tuple(input.shape)}; "
            "add a batch dimension with input.unsqueeze(0)."
        )
    expected = (input.shape[0], *input.shape[2:])
    if target.dtype not in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        raise InputError(f"target must hold class indices (an integer tensor), got dtype {target.dtype}.")
    if tuple(target.shape) != expected:
        raise InputError(
            f"target has shape {tuple(target.shape)} but input {tuple(input.shape)} needs "
            f"{expected} (one class index per row)."
        )
    if target.numel():
        valid = target if ignore_index is None else target[target != ignore_index]
        if valid.numel() and (bool(valid.min() < 0) or bool(valid.max() >= input.shape[1])):
            raise InputError(
                f"target holds class indices outside [0, {input.shape[1]}): min {int(valid.min())}, "
                f"max {int(valid.max())}."
            )


def _check_same_shape(input: Tensor, target: Tensor) -> None:
    _check_logits(input)
    if input.shape != target.shape:
        raise InputError(
            f"target has shape {tuple(target.shape)} but input has {tuple(input.shape)}; "
            "binary and multi-label losses need one target per logit."
        )


def _as_tensor(value: TensorLike, like: Tensor, name: str) -> Tensor:
    tensor = torch.as_tensor(value, dtype=like.dtype, device=like.device)
    if tensor.dim() > 1:
        raise InputError(f"{name} must be a scalar or a 1-D tensor with one value per class.")
    return tensor


def _per_class(tensor: Tensor, input: Tensor, name: str) -> Tensor:
    """A (C,) tensor shaped to broadcast along dim 1 of ``input`` (N, C, d1, ...)."""
    if tensor.dim() == 0:
        return tensor
    channels = input.shape[1] if input.dim() >= 2 else 1
    if tensor.numel() != channels:
        raise InputError(f"{name} has {tensor.numel()} values but input has {channels} classes.")
    return tensor.view(channels, *([1] * (input.dim() - 2))) if input.dim() >= 2 else tensor


def _compute_dtype(input: Tensor) -> torch.dtype:
    return torch.float32 if input.dtype in (torch.float16, torch.bfloat16) else input.dtype


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _modulating(one_minus_p: Tensor, gamma: float) -> Tensor:
    """(1 - p)^gamma, with the base kept above 0 so that gamma < 1 has a finite gradient."""
    if gamma == 0:
        return torch.ones_like(one_minus_p)
    if gamma == 1:
        return one_minus_p
    if gamma == 2:
        return one_minus_p * one_minus_p
    return one_minus_p.clamp_min(torch.finfo(one_minus_p.dtype).tiny).pow(gamma)


def _class_counts(class_counts: TensorLike, name: str = "class_counts") -> np.ndarray:
    counts = class_counts.detach().cpu().numpy() if isinstance(class_counts, Tensor) else np.asarray(class_counts)
    if counts.ndim != 1 or counts.size < 2 or not np.all(counts > 0):
        raise InputError(f"{name} must be a 1-D sequence of positive counts, one per class, got {counts!r}.")
    return counts.astype(np.float64)


# ----------------------------------------------------------------------------- focal


def sigmoid_focal_loss(
    input: Tensor,
    target: Tensor,
    *,
    alpha: float | TensorLike | None = None,
    gamma: float = 2.0,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Focal loss for binary and multi-label targets (Lin et al., ICCV 2017).

    .. math::

        \mathrm{FL}(x, y) = -\alpha_t\,(1 - p_t)^\gamma \log p_t, \qquad
        p = \sigma(x),\; p_t = p\,y + (1 - p)(1 - y),\;
        \alpha_t = \alpha\,y + (1 - \alpha)(1 - y)

    computed as :math:`\alpha_t (1 - p_t)^\gamma \cdot \mathrm{BCE}(x, y)` with the cross
    entropy from logits and :math:`1 - p_t = y\,\sigma(-x) + (1 - y)\,\sigma(x)`, so that it
    stays exact and finite at logits of :math:`\pm 100` in float32. For hard targets this is
    torchvision's ``sigmoid_focal_loss``; soft targets :math:`y \in [0, 1]` use the same
    formula. :math:`\gamma = 0` and no ``alpha`` give ``binary_cross_entropy_with_logits``.

    Multi-label: ``"mean"`` averages over all :math:`N \cdot C` elements. The Human Protein
    Atlas Kaggle variant sums over the :math:`C` labels before averaging over rows, so it
    equals :math:`C` times this ``"mean"`` (use ``"sum"`` / N to get it).

    Parameters
    ----------
    input : Tensor of shape (N,), (N, C) or (N, C, d1, ...)
        Logits.
    target : Tensor of the same shape
        Targets in [0, 1] (0/1, or soft).
    alpha : float in [0, 1] or Tensor of shape (C,), optional
        Weight of the positive class, :math:`1 - \alpha` for the negative one; per label when
        a tensor (values in [0, 1]). The paper uses 0.25. None or a negative number: no
        weighting (torchvision's convention, where ``alpha=-1`` turns it off); above 1 is an
        error, since it would make the negative class's weight negative.

    Gradients reach ``input``, and also ``target`` (soft labels) and a tensor ``alpha`` that
    require them; a double backward (``create_graph=True``) gives a gradient with a graph.
    gamma : float, default=2.0
        Focusing parameter :math:`\gamma \ge 0`.
    reduction : {"none", "mean", "sum"}, default="mean"

    Returns
    -------
    Tensor
        Scalar, or the shape of ``input`` for ``"none"``; in ``input``'s dtype.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import sigmoid_focal_loss
    >>> logits, target = torch.tensor([3.0, -2.0, 0.5]), torch.tensor([1.0, 0.0, 1.0])
    >>> sigmoid_focal_loss(logits, target, gamma=2.0, reduction="none")  # easy rows count little
    tensor([0.0001, 0.0018, 0.0676])
    >>> torch.allclose(sigmoid_focal_loss(logits, target, gamma=0.0),
    ...                torch.nn.functional.binary_cross_entropy_with_logits(logits, target))
    True
    """
    _check_same_shape(input, target)
    check_non_negative("gamma", gamma)
    check_reduction(reduction)
    dtype = _compute_dtype(input)
    x = input if input.dtype == dtype else input.to(dtype)
    y = target if target.dtype == dtype else target.to(dtype)
    alpha_t = None
    if isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
        if not alpha <= 1:  # also NaN
            raise ParameterError(
                f"alpha must be in [0, 1] (the positive class's weight), or negative for no weighting, got {alpha!r}."
            )
        if alpha >= 0:  # alpha < 0: no weighting, as in torchvision.ops.sigmoid_focal_loss
            alpha_t = y.mul(2 * alpha - 1).add_(1 - alpha)  # alpha y + (1 - alpha)(1 - y)
    elif alpha is not None:
        a = _per_class(_as_tensor(alpha, x, "alpha"), x, "alpha")
        if not bool(((a >= 0) & (a <= 1)).all()):
            raise ParameterError("alpha must hold weights in [0, 1], one per label (or a scalar).")
        alpha_t = (2 * a - 1) * y + (1 - a)
    if torch.is_grad_enabled() and (y.requires_grad or (alpha_t is not None and alpha_t.requires_grad)):
        # Gradients for soft targets or a learnable alpha: autograd's graph of the same formula.
        loss = _reduce(_sigmoid_focal_terms(x, y, float(gamma), alpha_t), reduction)
    else:
        loss = _SigmoidFocal.apply(x, y, float(gamma), alpha_t, reduction)
    return loss if loss.dtype == input.dtype else loss.to(input.dtype)


def _sigmoid_focal_terms(x: Tensor, y: Tensor, gamma: float, alpha_t: Tensor | None) -> Tensor:
    """The element-wise sigmoid focal loss in plain differentiable operations: what autograd
    differentiates (any order, any input) where the hand-written gradient does not reach."""
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    u = y * torch.sigmoid(-x) + (1 - y) * torch.sigmoid(x)  # 1 - p_t
    loss = _modulating(u, gamma) * ce
    return loss if alpha_t is None else loss * alpha_t


class _SigmoidFocal(torch.autograd.Function):
    r"""Element-wise sigmoid focal loss with a hand-written gradient.

    One pass of a few element-wise kernels each way instead of autograd's graph of about
    twenty: this is what keeps it within 2x of ``BCEWithLogitsLoss`` (see
    ``benchmarks/bench_losses.py``). Writing :math:`s = \sigma(x)`, :math:`\bar s = \sigma(-x)`:

    .. math::

        u &= 1 - p_t = y \bar s + (1 - y) s, \qquad
        \mathrm{ce} = \max(x, 0) - x y + \log(1 + e^{-|x|}) \\
        \frac{\partial \mathrm{ce}}{\partial x} &= s - y, \qquad
        \frac{\partial u}{\partial x} = (1 - 2y)\, s \bar s, \qquad
        \frac{\partial \ell}{\partial x} = \alpha_t \left(\gamma u^{\gamma - 1}
        \frac{\partial u}{\partial x} \mathrm{ce} + u^\gamma (s - y)\right)

    ``lerp`` picks :math:`\bar s` or :math:`s` (and :math:`-\bar s` or :math:`s` for
    :math:`s - y`) exactly when targets are 0/1, so nothing cancels at confident logits.
    """

    # The gradient is computed in the forward pass, in five buffers updated in place: at these
    # sizes each fresh tensor costs more than the arithmetic done in it, and the backward pass
    # is then one multiplication.

    @staticmethod
    def forward(ctx, x: Tensor, y: Tensor, gamma: float, alpha_t: Tensor | None, reduction: str) -> Tensor:
        s = torch.sigmoid(x)
        s_bar = torch.neg(x).sigmoid_()
        u = torch.lerp(s, s_bar, y)  # 1 - p_t
        # ce = max(x, 0) - x y + log(1 + exp(-|x|)), in this order so that nothing cancels;
        # log(1 + exp(-|x|)) = -log(1 - sigma(-|x|)), and sigma(-|x|) = min(s, s_bar) <= 1/2.
        ce = x.clamp_min(0).addcmul_(x, y, value=-1)
        out = torch.minimum(s, s_bar).neg_().log1p_()
        ce.sub_(out)
        # out <- (1 - p_t)^gamma; u <- u^(gamma - 1), needed for the gradient only
        need_grad = ctx.needs_input_grad[0]
        if gamma == 0:
            out.fill_(1)
        elif gamma == 1:
            out.copy_(u)
            if need_grad:
                u.fill_(1)
        elif gamma == 2:
            torch.mul(u, u, out=out)
        else:
            # the base kept above 0 so that gamma < 1 has a finite gradient
            torch.clamp_min(u, torch.finfo(u.dtype).tiny, out=out).pow_(gamma)
            if need_grad:
                torch.div(out, u.clamp_min_(torch.finfo(u.dtype).tiny), out=u)

        ctx.set_materialize_grads(False)
        ctx.gamma, ctx.reduction = gamma, reduction
        grad = None
        if need_grad:
            # d/dx [(1 - p_t)^gamma ce] = (1 - p_t)^gamma (s - y) + gamma u^(gamma-1) du/dx ce,
            # du/dx = (1 - 2y) s s_bar; s - y = lerp(s, -s_bar, y) is exact for 0/1 targets.
            u.mul_(s).mul_(s_bar).addcmul_(u, y, value=-2)
            grad = s.lerp_(s_bar.neg_(), y).mul_(out).addcmul_(u, ce, value=gamma)
            if alpha_t is not None:
                grad.mul_(alpha_t)
            if reduction == "mean":
                # reduced here, so autograd never materialises the mean's expanded gradient
                grad.div_(max(x.numel(), 1))
        # x, y and alpha_t only serve a double backward (create_graph=True)
        ctx.save_for_backward(grad, x, y, alpha_t)
        loss = out.mul_(ce)
        if alpha_t is not None:
            loss.mul_(alpha_t)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad_output: Tensor | None):
        if grad_output is None:
            return None, None, None, None, None
        if torch.is_grad_enabled():
            # create_graph=True (gradient penalties, MAML): the gradient must itself have a
            # graph, so take it through autograd's formula instead of the saved values.
            _, x, y, alpha_t = ctx.saved_tensors
            grad = _grad_with_graph(_reduce(_sigmoid_focal_terms(x, y, ctx.gamma, alpha_t), ctx.reduction), x,
                                    grad_output)
            return grad, None, None, None, None
        grad = ctx.saved_tensors[0]
        return grad * grad_output, None, None, None, None


def _grad_with_graph(loss_of_x: Tensor, x: Tensor, grad_output: Tensor) -> Tensor:
    """d loss / d x times ``grad_output``, differentiable again (for double backward)."""
    with torch.enable_grad():
        return torch.autograd.grad(loss_of_x, x, grad_output, create_graph=True)[0]


def softmax_focal_loss(
    input: Tensor,
    target: Tensor,
    *,
    alpha: TensorLike | None = None,
    gamma: float = 2.0,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Focal loss for multi-class targets, with per-class weights.

    With :math:`p = \mathrm{softmax}(x)`, class weights :math:`\alpha_c` and the target
    distribution :math:`q = (1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C`:

    .. math::

        \ell(x, y) = -\sum_c \alpha_c\, q_c\, (1 - p_c)^\gamma \log p_c
        \;\overset{\varepsilon = 0}{=}\; -\alpha_y (1 - p_y)^\gamma \log p_y

    :math:`p_y` is always the softmax probability of the true class: the weights scale the
    loss, they never enter :math:`p_t`. ``"mean"`` divides by :math:`\sum_i \alpha_{y_i}` over
    the rows not ignored, as ``cross_entropy(weight=...)`` does, so :math:`\gamma = 0` gives
    exactly ``F.cross_entropy(input, target, weight=alpha, ignore_index=...,
    label_smoothing=...)``.

    Parameters
    ----------
    input : Tensor of shape (N, C) or (N, C, d1, ...)
        Logits.
    target : Tensor of shape (N,) or (N, d1, ...)
        Class indices in [0, C), or ``ignore_index``.
    alpha : Tensor of shape (C,), optional
        Class weights (e.g. :func:`imbalance.torch.torch_class_weights`).
    gamma : float, default=2.0
    ignore_index : int, default=-100
        Rows with this target add nothing to the loss nor to the mean's denominator.
    label_smoothing : float in [0, 1], default=0.0
    reduction : {"none", "mean", "sum"}, default="mean"
    """
    _check_class_targets(input, target, ignore_index)
    check_non_negative("gamma", gamma)
    check_reduction(reduction)
    if not 0 <= label_smoothing <= 1:
        raise ParameterError(f"label_smoothing must be in [0, 1], got {label_smoothing!r}.")
    x = input.to(_compute_dtype(input))
    num_classes = x.shape[1]
    valid = target != ignore_index
    safe_target = torch.where(valid, target, torch.zeros_like(target)).long().unsqueeze(1)
    weight = None
    if alpha is not None:
        weight = _as_tensor(alpha, x, "alpha")
        if weight.dim() != 1 or weight.numel() != num_classes:
            raise InputError(f"alpha must have one weight per class ({num_classes}), got shape {tuple(weight.shape)}.")

    row_weight = weight[safe_target.squeeze(1)] if weight is not None else None
    if label_smoothing == 0:
        scale = row_weight * valid if row_weight is not None else valid.to(x.dtype)
        if reduction == "mean":
            scale = scale / scale.sum()
        if torch.is_grad_enabled() and scale.requires_grad:  # a learnable alpha: autograd's graph
            loss = _softmax_focal_rows(x, safe_target, scale, float(gamma))
        else:
            loss = _SoftmaxFocal.apply(x, safe_target, scale, float(gamma))
        return _reduce(loss, "sum" if reduction == "mean" else reduction).to(input.dtype)
    else:
        log_p = F.log_softmax(x, dim=1)
        term = _modulating(-torch.expm1(log_p), gamma) * log_p
        if weight is not None:
            term = term * _per_class(weight, x, "alpha")
        true = term.gather(1, safe_target).squeeze(1)
        loss = -((1 - label_smoothing) * true + (label_smoothing / num_classes) * term.sum(1))
    loss = loss * valid
    if reduction == "mean":
        # As cross_entropy(weight=...): divide by the total weight of the rows not ignored.
        denominator = (row_weight * valid).sum() if row_weight is not None else valid.sum()
        return (loss.sum() / denominator).to(input.dtype)
    return _reduce(loss, reduction).to(input.dtype)


def _softmax_focal_rows(x: Tensor, target: Tensor, scale: Tensor, gamma: float) -> Tensor:
    r"""Per-row :math:`-c_i (1 - p_y)^\gamma \log p_y` in plain differentiable operations (for
    autograd, where the hand-written gradient does not reach)."""
    log_p_y = F.log_softmax(x, dim=1).gather(1, target).squeeze(1)
    return -scale * _modulating(-torch.expm1(log_p_y), gamma) * log_p_y


class _SoftmaxFocal(torch.autograd.Function):
    r"""Per-row softmax focal loss :math:`-c_i (1 - p_y)^\gamma \log p_y` with a hand-written gradient.

    ``scale`` :math:`c_i` carries the class weight, the ignore mask and the mean's
    denominator. With :math:`\ell = \log p_y` and :math:`u = 1 - p_y`, the gradient flows only
    through :math:`\ell`, and :math:`\partial \ell / \partial x = \mathrm{onehot}(y) - p`:

    .. math::

        \frac{\partial L}{\partial \ell} = -c \left(u^\gamma - \gamma\, p_y\, u^{\gamma}
        \frac{\ell}{u}\right), \qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial \ell}
        \left(\mathrm{onehot}(y) - p\right)

    The backward pass is one exp, one multiply and one scatter over (N, C): cheaper than
    autograd's gather + log-softmax backward, and than cross entropy's own backward.
    """

    @staticmethod
    def forward(ctx, x: Tensor, target: Tensor, scale: Tensor, gamma: float) -> Tensor:
        log_p = F.log_softmax(x, dim=1)
        log_p_y = log_p.gather(1, target).squeeze(1)
        # 1 - p_y = -expm1(log p_y): exact even when p_y is within float epsilon of 1.
        u = -torch.expm1(log_p_y)
        modulating = _modulating(u, gamma)
        loss = -scale * modulating * log_p_y
        if ctx.needs_input_grad[0]:
            d_loss = modulating
            if gamma != 0:
                # l / u -> -1 as u -> 0; u is clamped so that u = 0 (p_y = 1 exactly) gives 0.
                ratio = log_p_y / u.clamp_min(torch.finfo(u.dtype).tiny)
                d_loss = modulating - gamma * (1 - u) * modulating * ratio
            ctx.save_for_backward(log_p, target, -scale * d_loss, x, scale)
            ctx.gamma = gamma
        return loss

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        log_p, target, d_loss, x, scale = ctx.saved_tensors  # d_loss = dL/d log p_y per row
        if torch.is_grad_enabled():  # create_graph=True: a gradient that has a graph itself
            grad = _grad_with_graph(_softmax_focal_rows(x, target, scale, ctx.gamma), x, grad_output)
            return grad, None, None, None
        coef = (d_loss * grad_output).unsqueeze(1)
        grad = torch.exp(log_p).mul_(-coef)
        grad.scatter_add_(1, target, coef)
        return grad, None, None, None


# ----------------------------------------------------------------------------- class-balanced


def class_balanced_weights(class_counts: TensorLike, *, beta: float = 0.9999, dtype: torch.dtype = torch.float32,
                           device: torch.device | str | None = None) -> Tensor:
    r"""Class-balanced weights (Cui et al., CVPR 2019) from class counts, for :func:`class_balanced_loss`.

    .. math::

        w_c = \frac{1 - \beta}{1 - \beta^{n_c}} \cdot \frac{C}{\sum_k \frac{1 - \beta}{1 - \beta^{n_k}}}

    the inverse effective number of samples, normalised to sum to :math:`C` as in the paper
    (:func:`imbalance.class_weights` with ``scheme="effective", normalize="classes"``).

    Returns
    -------
    Tensor of shape (C,), of ``dtype`` on ``device`` (default float32, CPU): make it once
    (a module's buffer moves with the module).
    """
    counts = _class_counts(class_counts)
    return torch.as_tensor(weights_from_counts(counts, "effective", beta=beta, normalize="classes"),
                           dtype=dtype, device=device)


def class_balanced_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor,
    *,
    loss: Literal["softmax", "sigmoid", "focal"] = "softmax",
    gamma: float = 2.0,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Class-balanced loss (Cui et al., CVPR 2019): each row's loss weighted by its class's weight.

    .. math::

        \mathrm{CB}(x, y) = w_y\, \ell(x, y)

    with :math:`w` from :func:`class_balanced_weights` (the inverse effective number of
    samples, summing to :math:`C`). The base loss :math:`\ell` is softmax cross entropy
    (``"softmax"``), or binary cross entropy (``"sigmoid"``) or sigmoid focal loss
    (``"focal"``) on the one-hot targets, summed over the :math:`C` classes. All terms are
    computed from logits, so the loss stays finite for logits far below -88 in float32, where
    the reference implementation overflows. ``"mean"`` averages the weighted row losses over
    the :math:`N` rows.

    Parameters
    ----------
    input : Tensor of shape (N, C)
        Logits.
    target : Tensor of shape (N,)
        Class indices.
    weight : Tensor of shape (C,)
        Class weights, e.g. ``class_balanced_weights(class_counts, beta=0.9999)``, on
        ``input``'s device.
    loss : {"softmax", "sigmoid", "focal"}, default="softmax"
    gamma : float, default=2.0
        Only for ``"focal"``.
    reduction : {"none", "mean", "sum"}, default="mean"
        ``"none"`` returns shape (N,).
    """
    _check_class_targets(input, target, None)
    check_reduction(reduction)
    check_non_negative("gamma", gamma)
    if input.dim() != 2 or weight.dim() != 1 or weight.numel() != input.shape[1]:
        raise InputError(
            f"input must have shape (N, C) and weight shape (C,), got {tuple(input.shape)} and "
            f"{tuple(weight.shape)}."
        )
    if loss not in CLASS_BALANCED_KINDS:
        raise ParameterError(f"loss must be one of {', '.join(CLASS_BALANCED_KINDS)}, got {loss!r}.")
    x = input.to(_compute_dtype(input))
    target = target.long()
    if loss == "softmax":
        per_row = F.cross_entropy(x, target, reduction="none")
    else:
        onehot = F.one_hot(target, x.shape[1]).to(x.dtype)
        focus = gamma if loss == "focal" else 0.0
        per_row = sigmoid_focal_loss(x, onehot, gamma=focus, reduction="none").sum(1)
    return _reduce(per_row * weight.to(x.dtype)[target], reduction).to(input.dtype)


# ----------------------------------------------------------------------------- logit adjustment


def log_class_prior(class_counts: TensorLike, *, dtype: torch.dtype = torch.float32,
                    device: torch.device | str | None = None) -> Tensor:
    r""":math:`\log \pi_c = \log(n_c / \sum_k n_k)` from class counts (or frequencies), for
    :func:`logit_adjusted_loss` and :func:`adjust_logits`.

    Returns
    -------
    Tensor of shape (C,), of ``dtype`` on ``device`` (default float32, CPU).
    """
    prior = _class_counts(class_counts, "class_prior")
    return torch.as_tensor(np.log(prior / prior.sum()), dtype=dtype, device=device)


def logit_adjusted_loss(
    input: Tensor,
    target: Tensor,
    log_prior: Tensor,
    *,
    tau: float = 1.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Logit-adjusted softmax cross entropy (Menon et al., ICLR 2021).

    .. math::

        \ell(x, y) = -\log \frac{e^{x_y + \tau \log \pi_y}}{\sum_c e^{x_c + \tau \log \pi_c}}

    with class priors :math:`\pi` (training class frequencies). With :math:`\tau = 1` this is
    Balanced Softmax (Ren et al., NeurIPS 2020), :math:`-\log(n_y e^{x_y} / \sum_c n_c
    e^{x_c})`. At test time use the raw logits: the adjustment is only in the loss. For a
    model trained with plain cross entropy, :func:`adjust_logits` applies the post-hoc
    correction instead.

    Parameters
    ----------
    input : Tensor of shape (N, C) or (N, C, d1, ...)
    target : Tensor of shape (N,) or (N, d1, ...)
    log_prior : Tensor of shape (C,)
        :math:`\log \pi`, e.g. ``log_class_prior(class_counts)``, on ``input``'s device.
    tau : float, default=1.0
    weight, ignore_index, reduction
        As in ``torch.nn.functional.cross_entropy``.
    """
    check_non_negative("tau", tau)
    _check_class_targets(input, target, ignore_index)
    check_reduction(reduction)
    x = input.to(_compute_dtype(input))
    shift = _per_class(log_prior.to(x.dtype), x, "log_prior")
    loss = F.cross_entropy(x + tau * shift, target.long(), weight=None if weight is None else weight.to(x.dtype),
                           ignore_index=ignore_index, reduction=reduction)
    return loss.to(input.dtype)


def adjust_logits(logits: Tensor, log_prior: Tensor, *, tau: float = 1.0) -> Tensor:
    r"""Post-hoc logit adjustment (Menon et al., ICLR 2021): :math:`x_c - \tau \log \pi_c`.

    Turns the logits of a model trained on imbalanced data (plain cross entropy) into logits
    whose argmax targets the balanced error. ``log_prior`` is :math:`\log \pi` of the
    training classes (``log_class_prior(class_counts)``); classes are along dim 1 (or the
    only dim for a (C,) tensor).
    """
    _check_logits(logits)
    check_non_negative("tau", tau)
    log_prior = log_prior.to(logits.dtype)
    if logits.dim() == 1:
        return logits - tau * log_prior
    return logits - tau * _per_class(log_prior, logits, "log_prior")


# ----------------------------------------------------------------------------- LDAM


def ldam_margins(class_counts: TensorLike, *, max_margin: float = 0.5, dtype: torch.dtype = torch.float32,
                 device: torch.device | str | None = None) -> Tensor:
    r"""LDAM margins :math:`\Delta_c \propto n_c^{-1/4}`, scaled so the largest is ``max_margin``,
    for :func:`ldam_loss`; of ``dtype`` on ``device`` (default float32, CPU)."""
    counts = _class_counts(class_counts)
    if not max_margin > 0:
        raise ParameterError(f"max_margin must be > 0, got {max_margin!r}.")
    margins = counts ** -0.25
    return torch.as_tensor(margins * (max_margin / margins.max()), dtype=dtype, device=device)


def ldam_loss(
    input: Tensor,
    target: Tensor,
    margins: Tensor,
    *,
    s: float = 30.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Label-distribution-aware margin loss (Cao et al., NeurIPS 2019).

    .. math::

        \ell(x, y) = -\log \frac{e^{s (x_y - \Delta_y)}}{e^{s (x_y - \Delta_y)} + \sum_{c \ne y} e^{s x_c}},
        \qquad \Delta_c = \frac{K}{n_c^{1/4}}

    with margins :math:`\Delta` from :func:`ldam_margins` (:math:`K` chosen so that the
    largest is ``max_margin``). The paper feeds normalised (cosine) logits in [-1, 1] and
    scales them by :math:`s`. Pair it with deferred re-weighting: pass
    ``weight=drw_weights(class_counts, epoch, start_epoch=...)``.

    Parameters
    ----------
    input : Tensor of shape (N, C)
    target : Tensor of shape (N,)
    margins : Tensor of shape (C,)
        :math:`\Delta`, e.g. ``ldam_margins(class_counts, max_margin=0.5)``, on ``input``'s device.
    s : float, default=30.0
    weight, ignore_index, reduction
        As in ``torch.nn.functional.cross_entropy``.
    """
    _check_class_targets(input, target, ignore_index)
    check_reduction(reduction)
    if margins.dim() != 1 or margins.numel() != input.shape[1]:
        raise InputError(f"margins has {margins.numel()} classes but input has {input.shape[1]}.")
    x = input.to(_compute_dtype(input))
    valid = target != ignore_index
    safe = torch.where(valid, target, torch.zeros_like(target)).long()
    margin_y = (margins.to(x.dtype)[safe] * valid).unsqueeze(1)
    shifted = x.scatter_add(1, safe.unsqueeze(1), -margin_y)
    loss = F.cross_entropy(s * shifted, target.long(), weight=None if weight is None else weight.to(x.dtype),
                           ignore_index=ignore_index, reduction=reduction)
    return loss.to(input.dtype)


def drw_weights(
    class_counts: TensorLike, epoch: int, *, start_epoch: int, beta: float = 0.9999
) -> Tensor:
    r"""Deferred re-weighting (Cao et al., NeurIPS 2019): class weights for an epoch.

    Ones before ``start_epoch`` (learn features on the natural distribution), then the
    class-balanced weights :math:`(1 - \beta)/(1 - \beta^{n_c})`, normalised to sum to
    :math:`C`. Pass the result as ``weight=`` to :func:`ldam_loss` or ``cross_entropy``.

    Returns
    -------
    Tensor of shape (C,), float32
    """
    if epoch < start_epoch:
        return torch.ones(_class_counts(class_counts).size, dtype=torch.float32)
    return class_balanced_weights(class_counts, beta=beta)


# ----------------------------------------------------------------------------- asymmetric


def asymmetric_loss(
    input: Tensor,
    target: Tensor,
    *,
    gamma_neg: float = 4.0,
    gamma_pos: float = 1.0,
    clip: float = 0.05,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Asymmetric loss for multi-label classification (Ridnik et al., ICCV 2021).

    .. math::

        \ell = -y\,(1 - p)^{\gamma_+} \log p - (1 - y)\, p_m^{\gamma_-} \log(1 - p_m),
        \qquad p = \sigma(x),\; p_m = \max(p - m, 0)

    The probability margin :math:`m` (``clip``) discards easy negatives entirely. Logs come
    from logits (:math:`\log p = \log\sigma(x)`, :math:`1 - p_m = \min(\sigma(-x) + m, 1)`),
    so no epsilon clamp is needed. The reference implementation sums over all elements: that
    is ``reduction="sum"``.

    Parameters
    ----------
    input : Tensor of shape (N, C) (or any shape)
        Logits.
    target : Tensor of the same shape
        Targets in [0, 1].
    gamma_neg, gamma_pos : float, default=4.0 and 1.0
    clip : float in [0, 1), default=0.05
    reduction : {"none", "mean", "sum"}, default="mean"
    """
    _check_same_shape(input, target)
    check_non_negative("gamma_neg", gamma_neg)
    check_non_negative("gamma_pos", gamma_pos)
    if not 0 <= clip < 1:
        raise ParameterError(f"clip must be in [0, 1), got {clip!r}.")
    check_reduction(reduction)
    x = input.to(_compute_dtype(input))
    y = target.to(x.dtype)
    p, q = torch.sigmoid(x), torch.sigmoid(-x)  # q = 1 - p, exact for large x
    positive = _modulating(q, gamma_pos) * F.logsigmoid(x)
    if clip > 0:
        one_minus_pm = (q + clip).clamp_max(1.0)
        negative = _modulating(1 - one_minus_pm, gamma_neg) * torch.log(one_minus_pm)
    else:
        negative = _modulating(p, gamma_neg) * F.logsigmoid(-x)
    loss = -(y * positive + (1 - y) * negative)
    return _reduce(loss, reduction).to(input.dtype)
