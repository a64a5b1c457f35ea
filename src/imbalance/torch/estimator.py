"""A small PyTorch MLP with scikit-learn manners, to compare imbalance losses and samplers.

Used by ``imbalance compare`` (when torch is installed) for the MLP strategies: plain or
weighted cross entropy, focal loss, and the class-balanced sampler; on a 0/1 label matrix
(multi-label) binary cross entropy per label, with ``pos_weight``, sigmoid focal or
asymmetric loss, and the multi-label balanced sampler.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn

from imbalance._labels import encode_labels, label_matrix
from imbalance._validation import ParameterError
from imbalance.torch.functional import asymmetric_loss, sigmoid_focal_loss, softmax_focal_loss
from imbalance.torch.samplers import ClassBalancedSampler, MultilabelBalancedSampler
from imbalance.weights import pos_weight as balanced_pos_weight

__all__ = ["MLPClassifier"]

_LOSSES = ("cross_entropy", "focal", "asymmetric")


class MLPClassifier(ClassifierMixin, BaseEstimator):
    r"""A multi-layer perceptron trained with Adam, with imbalance-aware losses and sampling.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64,)
    loss : {"cross_entropy", "focal", "asymmetric"}, default="cross_entropy"
        Softmax cross entropy, or softmax focal loss with ``gamma``
        (:func:`imbalance.torch.softmax_focal_loss`). Multi-label: binary cross entropy of
        every label, sigmoid focal loss with ``gamma``
        (:func:`imbalance.torch.sigmoid_focal_loss`), or the asymmetric loss with its
        defaults (:func:`imbalance.torch.asymmetric_loss`, multi-label only).
    gamma : float, default=2.0
    sampler : {None, "balanced"}, default=None
        ``"balanced"`` draws every epoch with :class:`imbalance.torch.ClassBalancedSampler`
        (every class as often as the largest), or for multi-label targets with
        :class:`imbalance.torch.MultilabelBalancedSampler`, instead of shuffling.
    pos_weight : {None, "balanced"}, default=None
        Multi-label cross entropy only: ``"balanced"`` weighs label :math:`l`'s positives by
        :math:`n^-_l / n^+_l` (:func:`imbalance.pos_weight`), as
        ``BCEWithLogitsLoss(pos_weight=...)``.
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

    ``y`` of shape (n, L) with 0/1 values is multi-label: one sigmoid output per label, a
    row's loss is the mean of its labels' losses, ``classes_`` is ``arange(L)``,
    ``predict_proba`` gives every label's probability (n, L) and ``predict`` the 0/1 matrix
    at 0.5.
    """

    def __init__(self, hidden_layer_sizes: tuple = (64,), *, loss: str = "cross_entropy", gamma: float = 2.0,
                 sampler: str | None = None, epochs: int = 30, batch_size: int = 128, learning_rate: float = 3e-3,
                 weight_decay: float = 1e-4, pos_weight: str | None = None,
                 random_state: int | None = None) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.loss = loss
        self.gamma = gamma
        self.sampler = sampler
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.pos_weight = pos_weight
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
        if self.pos_weight not in (None, "balanced"):
            raise ParameterError(f"pos_weight must be None or 'balanced', got {self.pos_weight!r}.")
        X = validate_data(self, X, reset=True, dtype=np.float32)
        self.multilabel_ = np.ndim(y) == 2 and np.shape(y)[1] > 1
        if self.multilabel_:
            Y = label_matrix(y, name="y")
            self.classes_ = np.arange(Y.shape[1])
            targets = torch.from_numpy(Y.astype(np.float32))
            n_outputs = Y.shape[1]
        else:
            if self.loss == "asymmetric" or self.pos_weight is not None:
                what = "loss='asymmetric'" if self.loss == "asymmetric" else "pos_weight"
                raise ParameterError(f"{what} is for multi-label targets (a 0/1 matrix); use loss='focal' or "
                                     "class weights (sample_weight) for one label column.")
            labels = encode_labels(y)
            self.classes_ = labels.classes
            targets = torch.from_numpy(labels.codes.astype(np.int64))
            n_outputs = labels.classes.size
        seed = 0 if self.random_state is None else int(self.random_state)
        generator = torch.Generator().manual_seed(seed)
        torch_state = torch.random.get_rng_state()
        torch.manual_seed(seed)  # nn.Linear's initialisation draws from the global generator
        self.network_ = self._network(X.shape[1], n_outputs)
        torch.random.set_rng_state(torch_state)

        weights = np.ones(len(X), np.float32) if sample_weight is None else np.asarray(sample_weight, np.float32)
        features, row_weights = torch.from_numpy(X), torch.from_numpy(weights)
        if self.sampler == "balanced":
            sampler = (MultilabelBalancedSampler(Y, seed=seed) if self.multilabel_
                       else ClassBalancedSampler(labels.codes, strategy="over", seed=seed))
        else:
            sampler = None
        row_loss = self._row_loss(Y if self.multilabel_ else None)
        optimizer = torch.optim.Adam(self.network_.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay)
        self.network_.train()
        for epoch in range(self.epochs):
            # An epoch's row order, cut into batches and gathered by index: what a DataLoader over
            # these tensors gives (shuffled by ``generator``, or drawn by the sampler), without its
            # per-row collation, which costs more than the network on a table this small.
            if sampler is not None:
                sampler.set_epoch(epoch)
                order = torch.as_tensor(list(sampler), dtype=torch.int64)
            else:
                order = torch.randperm(len(X), generator=generator)
            for batch in order.split(self.batch_size):
                xb, yb, wb = features[batch], targets[batch], row_weights[batch]
                optimizer.zero_grad()
                (row_loss(self.network_(xb), yb) * wb).sum().div(wb.sum()).backward()
                optimizer.step()
        self.network_.eval()
        return self

    def _row_loss(self, Y: np.ndarray | None):
        """(logits, targets) -> every row's loss, for this loss and task."""
        if Y is None:
            if self.loss == "focal":
                return lambda logits, yb: softmax_focal_loss(logits, yb, gamma=self.gamma, reduction="none")
            return lambda logits, yb: nn.functional.cross_entropy(logits, yb, reduction="none")
        if self.loss == "focal":
            return lambda logits, yb: sigmoid_focal_loss(logits, yb, gamma=self.gamma, reduction="none").mean(dim=1)
        if self.loss == "asymmetric":
            return lambda logits, yb: asymmetric_loss(logits, yb, reduction="none").mean(dim=1)
        weight = None
        if self.pos_weight == "balanced":
            weight = torch.as_tensor(balanced_pos_weight(Y), dtype=torch.float32)
        return lambda logits, yb: nn.functional.binary_cross_entropy_with_logits(
            logits, yb, pos_weight=weight, reduction="none").mean(dim=1)

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float32)
        with torch.no_grad():
            logits = self.network_(torch.from_numpy(X))
            proba = torch.sigmoid(logits) if self.multilabel_ else torch.softmax(logits, dim=1)
            return proba.double().numpy()

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)
        if self.multilabel_:
            return (proba >= 0.5).astype(int)
        return self.classes_[proba.argmax(axis=1)]
