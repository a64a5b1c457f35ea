"""Class weights as tensors, in class-index order, for torch's own losses."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from imbalance._labels import encode_labels
from imbalance._validation import InputError
from imbalance.weights import Normalize, Scheme, pos_weight, weights_from_counts

__all__ = ["torch_class_weights", "torch_pos_weight"]


def torch_class_weights(
    y: Any,
    scheme: Scheme = "balanced",
    *,
    beta: float = 0.999,
    normalize: Normalize = False,
    num_classes: int | None = None,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """:func:`imbalance.class_weights` as a tensor for ``nn.CrossEntropyLoss(weight=...)``.

    Entry ``c`` is the weight of class index ``c``. With ``num_classes`` the labels must be the
    integers ``0 .. num_classes - 1`` and every one must occur (a class without rows has no
    defined weight); without it, the sorted distinct labels define the order.

    Parameters
    ----------
    y : array-like or Tensor of shape (n_samples,)
        Training labels.
    scheme, beta, normalize
        As in :func:`imbalance.class_weights`.
    num_classes : int, optional
        The model's number of outputs, checked against the labels.
    dtype, device
        Of the returned tensor.

    Returns
    -------
    Tensor of shape (n_classes,)
    """
    if isinstance(y, torch.Tensor):
        y = y.detach().cpu().numpy()
    labels = encode_labels(y, min_classes=1)
    if num_classes is not None:
        expected = np.arange(num_classes)
        if labels.classes.dtype.kind not in "iu" or not np.array_equal(labels.classes, expected):
            missing = sorted(set(expected.tolist()) - set(labels.classes.tolist()))
            raise InputError(
                f"labels must be the class indices 0..{num_classes - 1}, each present; "
                + (f"classes {missing} have no rows, so their weight is undefined." if missing
                   else f"got classes {labels.classes.tolist()[:10]}.")
            )
    w = weights_from_counts(labels.counts, scheme, beta=beta, normalize=normalize)
    return torch.as_tensor(w, dtype=dtype, device=device)


def torch_pos_weight(
    Y: Any, *, dtype: torch.dtype = torch.float32, device: torch.device | str | None = None
) -> torch.Tensor:
    """:func:`imbalance.pos_weight` as a tensor for ``nn.BCEWithLogitsLoss(pos_weight=...)``.

    Shape (1,) for binary targets, (n_labels,) for multi-label ones.
    """
    if isinstance(Y, torch.Tensor):
        Y = Y.detach().cpu().numpy()
    return torch.as_tensor(np.asarray(pos_weight(Y)), dtype=dtype, device=device)
