"""Keras 3: batches drawn from a sampler, fresh every epoch, each holding its class quotas.

:class:`BalancedBatchGenerator` is a ``keras.utils.PyDataset``: give it to ``model.fit``.
Every epoch it resamples the table with a sampler of this package (or any object with
``fit_resample``; by default a :class:`~imbalance.RandomUnderSampler` to 1:1), seeded by
``(random_state, epoch)``, so that an under-sampler shows the model other majority rows each
epoch, and deals the rows into batches that each hold the resampled classes' proportions
(exact quotas, the rule of :class:`imbalance.torch.StratifiedBatchSampler`). Backend-agnostic:
it hands Keras numpy arrays; set ``KERAS_BACKEND`` (``"torch"``, ``"jax"``, ``"tensorflow"``)
as Keras asks. imbalanced-learn's ``imblearn.keras`` names, same parameters.

Needs the ``keras`` extra: ``pip install 'imbalance[keras]'``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import clone

from imbalance._batches import fill_batches, stratified_quotas
from imbalance._labels import class_positions, encode_labels, one_hot_to_labels
from imbalance._validation import (
    InputTypeError,
    ParameterError,
    RandomStateLike,
    check_random_state,
    check_same_length,
    n_rows,
)
from imbalance.pipeline import source_rows
from imbalance.resample import take_rows
from imbalance.samplers import RandomUnderSampler

try:
    import keras
except ModuleNotFoundError as exc:  # keras itself, or the backend it was told (or defaults) to load
    if exc.name == "keras":
        raise ImportError("imbalance.keras needs keras, which is not installed: pip install 'imbalance[keras]'.") \
            from exc
    backend = os.environ.get("KERAS_BACKEND", "tensorflow, Keras's default")
    raise ImportError(f"Keras is installed but cannot load its backend ({backend}): {exc.name} is missing. Install "
                      "it, or set KERAS_BACKEND to 'torch' or 'jax' before importing keras.") from exc

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]


def _array(batch: Any, keep_sparse: bool) -> Any:
    """What Keras takes: numpy (a DataFrame's values; a sparse matrix densified unless kept)."""
    if isinstance(batch, (pd.DataFrame, pd.Series)):
        return batch.to_numpy()
    if hasattr(batch, "toarray") and not keep_sparse:
        return batch.toarray()
    return batch if hasattr(batch, "toarray") else np.asarray(batch)


class BalancedBatchGenerator(keras.utils.PyDataset):
    r"""Batches for ``model.fit`` drawn from a sampler, anew every epoch.

    Epoch :math:`e` resamples ``(X, y)`` with a clone of ``sampler`` seeded by
    ``(random_state, e)``, then deals the resampled rows into
    :math:`\lfloor N_{res} / B \rfloor` batches of ``batch_size`` :math:`B` (the rows left over
    wait for a later epoch's draw, as in imbalanced-learn). With ``stratify=True`` every batch
    holds :math:`\lfloor B n_c / N_{res} \rfloor` or :math:`\lceil B n_c / N_{res} \rceil`
    rows of class :math:`c`: after a balancing sampler, :math:`B / K` of each class, in every
    batch, not only on average. ``sample_weight`` follows the rows (a synthetic row takes its
    base row's weight).

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), or one-hot (n_samples, n_classes)
    sample_weight : array-like of shape (n_samples,), default=None
        Then each batch is ``(X, y, sample_weight)``.
    sampler : sampler, default=None
        Any object with ``fit_resample`` (cloned every epoch; its ``random_state`` set from
        the epoch's seed). Default: ``RandomUnderSampler()``, under-sampling to 1:1.
    batch_size : int, default=32
    keep_sparse : bool, default=False
        Hand sparse batches to Keras as they are, instead of dense arrays.
    random_state : int, numpy Generator or None, default=None
        Same seed, same batches, epoch after epoch.
    stratify : bool, default=True
        Give every batch its class quotas; ``False``: a plain shuffle of the resampled rows.
    **kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size``: Keras's ``PyDataset``'s.

    Attributes
    ----------
    epoch : int
        The epoch whose batches are served (advanced by ``on_epoch_end``).
    sampler_ : sampler
        This epoch's fitted sampler (its ``plan_`` says the counts).

    Examples
    --------
    >>> import os; os.environ.setdefault("KERAS_BACKEND", "torch")  # doctest: +SKIP
    >>> from imbalance.keras import BalancedBatchGenerator
    >>> batches = BalancedBatchGenerator(X, y, batch_size=64, random_state=0)  # doctest: +SKIP
    >>> model.fit(batches, epochs=10)  # doctest: +SKIP
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, *, sample_weight: ArrayLike | None = None, sampler: Any = None,
                 batch_size: int = 32, keep_sparse: bool = False, random_state: RandomStateLike = None,
                 stratify: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not (isinstance(batch_size, Integral) and batch_size >= 1):
            raise ParameterError(f"batch_size must be an integer >= 1, got {batch_size!r}.")
        if sampler is not None and not hasattr(sampler, "fit_resample"):
            raise InputTypeError(f"sampler must have fit_resample (a sampler of imbalance or imbalanced-learn); got "
                                 f"{type(sampler).__name__}.")
        check_same_length(n_rows(y), X=X, **({} if sample_weight is None else {"sample_weight": sample_weight}))
        self.X, self.y, self.sampler = X, y, sampler
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.batch_size, self.keep_sparse, self.stratify = int(batch_size), keep_sparse, stratify
        # One integer that, with the epoch, seeds each epoch's draw.
        self._seed = int(check_random_state(random_state).integers(2**63))
        self.epoch = 0
        self._draw()

    def _draw(self) -> None:
        rng = np.random.default_rng([self._seed, self.epoch])
        sampler = clone(self.sampler) if self.sampler is not None else RandomUnderSampler()
        if "random_state" in sampler.get_params(deep=False):
            sampler.set_params(random_state=int(rng.integers(2**31)))
        X_res, y_res = sampler.fit_resample(self.X, self.y)
        n_res = n_rows(y_res)
        if n_res < self.batch_size:
            raise ParameterError(f"The sampler left {n_res} rows, fewer than batch_size={self.batch_size}: lower "
                                 "batch_size.")
        if self.stratify:
            labels = encode_labels(one_hot_to_labels(y_res), min_classes=1)
            positions = class_positions(labels.codes, labels.counts)
            quotas = stratified_quotas(labels.counts, self.batch_size, rng, shuffle=True)
            batches = fill_batches([positions[c] for c in range(labels.counts.size)], quotas, rng, shuffle=True,
                                   drop_last=True, batch_size=self.batch_size)
        else:
            order = rng.permutation(n_res)[: n_res - n_res % self.batch_size]
            batches = np.split(order, n_res // self.batch_size)
        weights = None
        if self.sample_weight is not None:
            weights = self.sample_weight[source_rows(sampler, n_rows(self.y), n_res)]
        self.sampler_, self._X, self._y, self._weights, self._batches = sampler, X_res, y_res, weights, batches

    def __len__(self) -> int:
        return len(self._batches)

    def __getitem__(self, index: int) -> tuple:
        rows = self._batches[index]
        batch = (_array(take_rows(self._X, rows), self.keep_sparse), _array(take_rows(self._y, rows), True))
        return batch if self._weights is None else (*batch, self._weights[rows])

    def on_epoch_end(self) -> None:
        """Draw the next epoch's rows and batches."""
        self.epoch += 1
        self._draw()


def balanced_batch_generator(X: ArrayLike, y: ArrayLike, *, sample_weight: ArrayLike | None = None,
                             sampler: Any = None, batch_size: int = 32, keep_sparse: bool = False,
                             random_state: RandomStateLike = None) -> tuple[Iterator[tuple], int]:
    """An endless generator of the batches of :class:`BalancedBatchGenerator`, epoch after
    epoch, and the number of batches per epoch (imbalanced-learn's ``keras`` and
    ``tensorflow`` ``balanced_batch_generator``).

    Returns
    -------
    generator : iterator of (X_batch, y_batch) or (X_batch, y_batch, weight_batch)
    steps_per_epoch : int
    """
    batches = BalancedBatchGenerator(X, y, sample_weight=sample_weight, sampler=sampler, batch_size=batch_size,
                                     keep_sparse=keep_sparse, random_state=random_state)

    def endless() -> Iterator[tuple]:
        while True:
            for index in range(len(batches)):
                yield batches[index]
            batches.on_epoch_end()

    return endless(), len(batches)
