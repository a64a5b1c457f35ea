"""A small PyTorch MLP with scikit-learn manners, to compare imbalance losses and samplers.

Used by ``imbalance compare`` (when torch is installed) for the MLP strategies: plain or
weighted cross entropy, focal loss, and the class-balanced sampler.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from imbalance._labels import encode_labels
from imbalance._validation import ParameterError
from imbalance.torch.functional import softmax_focal_loss
from imbalance.torch.samplers import ClassBalancedSampler

__all__ = ["MLPClassifier"]

_LOSSES = ("cross_entropy", "focal")


class MLPClassifier(ClassifierMixin, BaseEstimator):
    r"""A multi-layer perceptron trained with Adam, with imbalance-aware losses and sampling.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64,)
    loss : {"cross_entropy", "focal"}, default="cross_entropy"
        Softmax cross entropy, or softmax focal loss with ``gamma``
        (:func:`imbalance.torch.softmax_focal_loss`).
    gamma : float, default=2.0
    sampler : {None, "balanced"}, default=None
        ``"balanced"`` draws every epoch with :class:`imbalance.torch.ClassBalancedSampler`
        (every class as often as the largest), instead of shuffling.
    epochs : int, default=30
    batch_size : int, default=128
    learning_rate : float, default=3e-3
    weight_decay : float, default=1e-4
    random_state : int or None, default=None
        Seeds the initial weights and the batches: same seed, same model.

    Notes
    -----
    ``fit(X, y, sample_weight=...)`` weights each row's loss (e.g. balanced class weights make
    it weighted cross entropy), normalised by the batch's total weight. ``X`` must be numeric;
    put a scaler in front of it in a pipeline.
    """

    def __init__(self, hidden_layer_sizes: tuple = (64,), *, loss: str = "cross_entropy", gamma: float = 2.0,
                 sampler: str | None = None, epochs: int = 30, batch_size: int = 128, learning_rate: float = 3e-3,
                 weight_decay: float = 1e-4, random_state: int | None = None) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.loss = loss
        self.gamma = gamma
        self.sampler = sampler
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.random_state = random_state

    def _network(self, n_features: int, n_classes: int) -> nn.Module:
        layers, width = [], n_features
        for size in self.hidden_layer_sizes:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        layers.append(nn.Linear(width, n_classes))
        return nn.Sequential(*layers)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "MLPClassifier":
        if self.loss not in _LOSSES:
            raise ParameterError(f"loss must be one of {', '.join(_LOSSES)}, got {self.loss!r}.")
        if self.sampler not in (None, "balanced"):
            raise ParameterError(f"sampler must be None or 'balanced', got {self.sampler!r}.")
        X = validate_data(self, X, reset=True, dtype=np.float32)
        labels = encode_labels(y)
        self.classes_ = labels.classes
        seed = 0 if self.random_state is None else int(self.random_state)
        generator = torch.Generator().manual_seed(seed)
        torch_state = torch.random.get_rng_state()
        torch.manual_seed(seed)  # nn.Linear's initialisation draws from the global generator
        self.network_ = self._network(X.shape[1], labels.classes.size)
        torch.random.set_rng_state(torch_state)

        weights = np.ones(len(X), np.float32) if sample_weight is None else np.asarray(sample_weight, np.float32)
        data = TensorDataset(torch.from_numpy(X), torch.from_numpy(labels.codes.astype(np.int64)),
                             torch.from_numpy(weights))
        if self.sampler == "balanced":
            sampler = ClassBalancedSampler(labels.codes, strategy="over", seed=seed)
            loader = DataLoader(data, batch_size=self.batch_size, sampler=sampler)
        else:
            sampler = None
            loader = DataLoader(data, batch_size=self.batch_size, shuffle=True, generator=generator)
        optimizer = torch.optim.Adam(self.network_.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay)
        self.network_.train()
        for epoch in range(self.epochs):
            if sampler is not None:
                sampler.set_epoch(epoch)
            for xb, yb, wb in loader:
                optimizer.zero_grad()
                logits = self.network_(xb)
                if self.loss == "focal":
                    per_row = softmax_focal_loss(logits, yb, gamma=self.gamma, reduction="none")
                else:
                    per_row = nn.functional.cross_entropy(logits, yb, reduction="none")
                (per_row * wb).sum().div(wb.sum()).backward()
                optimizer.step()
        self.network_.eval()
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float32)
        with torch.no_grad():
            return torch.softmax(self.network_(torch.from_numpy(X)), dim=1).double().numpy()

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
