"""fastai: the imbalance losses as fastai loss functions, N/count class weights in one call,
and a callback that draws every training epoch from a sampler of :mod:`imbalance.torch`.

- :class:`LossFlat` wraps any loss of :mod:`imbalance.torch` as fastai wraps its own
  (``BaseLoss``: inputs and targets flattened, and the ``activation`` and ``decodes`` that
  ``Learner.get_preds`` and ``Learner.predict`` call);
- :func:`weighted_cross_entropy`: ``CrossEntropyLossFlat(weight=...)`` with the class weights of
  :func:`imbalance.class_weights` (``"inverse"``: :math:`N / n_c`);
- :class:`EpochSampler`: the training ``DataLoader`` of a ``Learner`` takes each epoch's rows
  from a sampler (:class:`~imbalance.torch.ClassBalancedSampler`,
  :class:`~imbalance.torch.StratifiedBatchSampler`, :class:`~imbalance.torch.RepeatFactorSampler`,
  ...), advanced with ``set_epoch``; validation is never resampled.

Needs the ``fastai`` extra and fastai itself, installed without its dependencies (its learner
and tabular parts need no torchvision, whose wheels pin another torch build); see the README.
``import imbalance.torch`` never imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn
from torch.nn import functional as F

from imbalance._validation import InputTypeError, ParameterError, import_optional
from imbalance.torch.losses import (
    AsymmetricLoss,
    ClassBalancedLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    SigmoidFocalLoss,
    SoftmaxFocalLoss,
)
from imbalance.torch.weights import torch_class_weights
from imbalance.weights import Normalize, Scheme

_install = "pip install --no-deps fastai && pip install 'imbalance[fastai]'"
fastai_losses = import_optional("fastai.losses", needed_by="imbalance.torch.fastai", install=_install)
fastai_callback = import_optional("fastai.callback.core", needed_by="imbalance.torch.fastai", install=_install)

__all__ = ["LossFlat", "weighted_cross_entropy", "EpochSampler"]

#: How a loss reads its logits: one class per row (softmax over classes), or each output on
#: its own (sigmoid: binary or multi-label targets).
_SOFTMAX = (SoftmaxFocalLoss, LogitAdjustedLoss, LDAMLoss)
_SIGMOID = (SigmoidFocalLoss, AsymmetricLoss)


class LossFlat(fastai_losses.BaseLoss):
    r"""A loss of :mod:`imbalance.torch` as a fastai loss function.

    fastai's ``BaseLoss`` around ``loss``: class axis moved last and inputs flattened, and the
    activation and decoding that match how the loss reads its logits:

    - :class:`~imbalance.torch.SoftmaxFocalLoss`, :class:`~imbalance.torch.LogitAdjustedLoss`,
      :class:`~imbalance.torch.LDAMLoss` and :class:`~imbalance.torch.ClassBalancedLoss`
      (``loss="softmax"``): one class per row; activation :math:`\mathrm{softmax}`, decoded
      by :math:`\arg\max`.
    - :class:`~imbalance.torch.SigmoidFocalLoss`, :class:`~imbalance.torch.AsymmetricLoss`:
      every output on its own (binary or multi-label, float targets); activation
      :math:`\sigma`, decoded by ``> thresh``.
    - :class:`~imbalance.torch.ClassBalancedLoss` with ``loss="sigmoid"`` or ``"focal"``: class
      index targets, one sigmoid per class; decoded by :math:`\arg\max`.

    Parameters
    ----------
    loss : nn.Module
        One of the losses above, constructed (its ``reduction`` is what fastai switches to
        ``"none"`` in ``get_preds(with_loss=True)``).
    axis : int, default=-1
        The class axis.
    thresh : float, default=0.5
        The decision threshold of a sigmoid loss.

    Examples
    --------
    >>> from imbalance.torch.fastai import LossFlat  # doctest: +SKIP
    >>> from imbalance.torch import SoftmaxFocalLoss  # doctest: +SKIP
    >>> learn = tabular_learner(dls, loss_func=LossFlat(SoftmaxFocalLoss(gamma=2.0)))  # doctest: +SKIP
    """

    def __init__(self, loss: nn.Module, *, axis: int = -1, thresh: float = 0.5) -> None:
        if isinstance(loss, _SIGMOID):
            self.kind = "sigmoid"
        elif isinstance(loss, _SOFTMAX) or (isinstance(loss, ClassBalancedLoss) and loss.loss == "softmax"):
            self.kind = "softmax"
        elif isinstance(loss, ClassBalancedLoss):
            self.kind = "sigmoid_per_class"
        else:
            raise InputTypeError(f"LossFlat wraps a loss of imbalance.torch; got {type(loss).__name__}. For a loss of "
                                 "torch or fastai, use fastai's own BaseLoss.")
        sigmoid = self.kind == "sigmoid"
        super().__init__(lambda: loss, axis=axis, flatten=True, floatify=sigmoid, is_2d=not sigmoid)
        self.thresh = thresh
        self.y_int = not sigmoid  # fastai reads it: integer class targets (MixUp and kin)

    def activation(self, x: torch.Tensor) -> torch.Tensor:
        """What the model's output means: class probabilities (softmax) or per-output ones (sigmoid)."""
        return F.softmax(x, dim=self.axis) if self.kind == "softmax" else torch.sigmoid(x)

    def decodes(self, x: torch.Tensor) -> torch.Tensor:
        """Activated outputs -> targets: the likeliest class, or the outputs above ``thresh``."""
        return x > self.thresh if self.kind == "sigmoid" else x.argmax(dim=self.axis)


def weighted_cross_entropy(y: ArrayLike, scheme: Scheme = "inverse", *, beta: float = 0.999,
                           normalize: Normalize = False, axis: int = -1, **kwargs: Any) -> Any:
    r"""fastai's ``CrossEntropyLossFlat`` weighted by the class weights of ``y``, in one call.

    ``scheme="inverse"``: :math:`w_c = N / n_c` (the seed recipe), or any scheme of
    :func:`imbalance.class_weights`. Entry :math:`c` weighs class index :math:`c`: the classes
    sorted, as fastai's ``Categorize`` numbers them.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The training labels.
    scheme, beta, normalize
        As :func:`imbalance.class_weights`.
    axis : int, default=-1
    **kwargs
        ``reduction``, ``ignore_index``, ``label_smoothing`` for ``nn.CrossEntropyLoss``.

    Returns
    -------
    fastai.losses.CrossEntropyLossFlat
    """
    weight = torch_class_weights(np.asarray(y), scheme, beta=beta, normalize=normalize)
    return fastai_losses.CrossEntropyLossFlat(weight=weight, axis=axis, **kwargs)


def _training_labels(dataset: Any) -> np.ndarray:
    """The labels of a fastai training set: a tabular set's encoded ``ys``, or each item's last part."""
    ys = getattr(dataset, "ys", None)
    if ys is not None:
        values = np.asarray(ys)
        return values.ravel() if values.ndim == 2 and values.shape[1] == 1 else values
    return np.asarray([np.asarray(item[-1]) for item in dataset])


class EpochSampler(fastai_callback.Callback):
    """Draw each training epoch of a ``Learner`` from a sampler of :mod:`imbalance.torch`.

    Before every epoch the sampler is advanced (``set_epoch``) and the training
    ``DataLoader`` serves its rows in its order (over-sampled, under-sampled, balanced per
    batch, repeat factors): the epoch's length is the sampler's. fastai batches them by its
    ``bs``, so a batch sampler's batches stay whole when its ``batch_size`` is the
    ``DataLoader``'s (checked). The validation ``DataLoader`` is untouched. After ``fit`` the
    training ``DataLoader`` is as it was.

    Parameters
    ----------
    sampler : Sampler or callable
        A sampler over the training set's positions, or ``f(labels) -> sampler`` given the
        training labels (a tabular set's encoded targets), built when ``fit`` starts.

    Examples
    --------
    >>> from imbalance.torch.fastai import EpochSampler  # doctest: +SKIP
    >>> from imbalance.torch import ClassBalancedSampler  # doctest: +SKIP
    >>> learn = tabular_learner(dls, cbs=EpochSampler(lambda y: ClassBalancedSampler(y, seed=0)))  # doctest: +SKIP
    """

    order = 0

    def __init__(self, sampler: Any | Callable[[np.ndarray], Any]) -> None:
        if not (hasattr(sampler, "__iter__") or callable(sampler)):
            raise InputTypeError(f"EpochSampler takes a sampler or a function of the labels giving one; got "
                                 f"{type(sampler).__name__}.")
        self.sampler = sampler

    def before_fit(self) -> None:
        train = self.dls.train
        self._sampler = self.sampler if hasattr(self.sampler, "__iter__") else self.sampler(
            _training_labels(train.dataset))
        size = getattr(self._sampler, "batch_size", None)
        if size is not None and size != train.bs:
            raise ParameterError(f"The sampler's batch_size ({size}) is not the DataLoader's bs ({train.bs}): make them "
                                 "equal, so that its batches reach the model whole.")
        self._restore = (train.n, train.__dict__.get("get_idxs"))

    def before_epoch(self) -> None:
        sampler = self._sampler
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(self.epoch)
        rows = [i for item in sampler for i in (item if isinstance(item, (list, tuple, np.ndarray)) else (item,))]
        train = self.dls.train
        train.n = len(rows)
        train.get_idxs = lambda: list(rows)

    def after_fit(self) -> None:
        train = self.dls.train
        n, get_idxs = self._restore
        train.n = n
        if get_idxs is None:
            train.__dict__.pop("get_idxs", None)
        else:
            train.get_idxs = get_idxs
