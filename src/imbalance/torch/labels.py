"""Reading a dataset's labels without loading its items: the one protocol every sampler uses.

In order: an explicit ``labels=`` array; a ``torch.utils.data.Subset`` (its parent's labels at
its indices) or ``ConcatDataset`` (its parts' labels, concatenated); the dataset's ``targets``
or ``labels`` attribute; its ``get_labels()`` method. Items are never loaded: reading labels
through ``dataset[i]`` would decode every image, and gets ``Subset`` wrong in tools that try it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import ConcatDataset, Subset, TensorDataset

from imbalance._validation import InputError, InputTypeError

__all__ = ["read_labels"]


def _to_numpy(values: Any) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    if hasattr(values, "to_numpy"):  # pandas Series / DataFrame
        return values.to_numpy()
    return np.asarray(values)


def _from_dataset(dataset: Any) -> np.ndarray | None:
    if isinstance(dataset, Subset):
        parent = _from_dataset(dataset.dataset)
        return None if parent is None else parent[np.asarray(dataset.indices)]
    if isinstance(dataset, ConcatDataset):
        parts = [_from_dataset(part) for part in dataset.datasets]
        return None if any(p is None for p in parts) else np.concatenate(parts)
    for name in ("targets", "labels"):
        values = getattr(dataset, name, None)
        if values is not None and not callable(values):
            return _to_numpy(values)
    get_labels = getattr(dataset, "get_labels", None)
    if callable(get_labels):
        return _to_numpy(get_labels())
    if isinstance(dataset, TensorDataset) and len(dataset.tensors) >= 2:
        return _to_numpy(dataset.tensors[-1])  # TensorDataset(X, y): the labels are the last tensor
    return None


def read_labels(dataset: Any = None, labels: Any = None, *, multilabel: bool = False) -> np.ndarray:
    """The labels of every item, as a numpy array, without loading any item.

    Parameters
    ----------
    dataset : Dataset, optional
        Read through ``Subset``/``ConcatDataset``, then ``targets``/``labels``/``get_labels()``;
        a ``TensorDataset`` of two tensors or more by its last tensor (``TensorDataset(X, y)``).
    labels : array-like, Tensor, Series or Dataset, optional
        Takes precedence; checked against ``len(dataset)`` when both are given. A Dataset
        here is read as ``dataset``.
    multilabel : bool, default=False
        Expect an (n_items, n_labels) 0/1 matrix instead of one class per item.

    Returns
    -------
    ndarray of shape (n_items,) or (n_items, n_labels)
    """
    if isinstance(labels, torch.utils.data.Dataset):  # a dataset passed where labels go
        labels, dataset = None, labels
    if labels is None and dataset is None:
        raise InputTypeError("pass labels=... or a dataset whose labels can be read.")
    if labels is not None:
        values = _to_numpy(labels)
    else:
        values = _from_dataset(dataset)
        if values is None:
            raise InputError(
                f"cannot read the labels of {type(dataset).__name__} without loading its items: pass the labels "
                "in its place (Sampler(y), or Sampler(labels=y, dataset=ds) to check their length), or give the "
                "dataset a `targets` attribute or a get_labels() method."
            )
    expected_ndim = 2 if multilabel else 1
    if values.ndim == 2 and values.shape[1] == 1 and not multilabel:
        values = values[:, 0]
    if values.ndim != expected_ndim:
        shape = "(n_items, n_labels)" if multilabel else "(n_items,)"
        raise InputError(f"labels must have shape {shape}, got {values.shape}.")
    if dataset is not None and hasattr(dataset, "__len__") and len(dataset) != values.shape[0]:
        raise InputError(
            f"the dataset has {len(dataset)} items but {values.shape[0]} labels; pass labels "
            "aligned with the dataset."
        )
    return values
