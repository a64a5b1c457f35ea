r"""Batches with exact per-class quotas, for every backend that feeds batches (torch, Keras).

A batch plan is a matrix of quotas, ``quotas[b, c]`` rows of class :math:`c` in batch
:math:`b`; :func:`fill_batches` then deals every class's rows into the batches that call for
them. Pure numpy: the torch samplers and the Keras generator build the same batches from the
same generator.
"""

from __future__ import annotations

import math

import numpy as np

from imbalance.planner import apportion

__all__ = ["stratified_quotas", "balanced_quotas", "fill_batches"]


def stratified_quotas(counts: np.ndarray, batch_size: int, rng: np.random.Generator, *, shuffle: bool) -> np.ndarray:
    r"""Quotas that give every batch the classes' proportions and use every row once.

    A batch of size :math:`B` holds :math:`\lfloor B n_c / N \rfloor` or
    :math:`\lceil B n_c / N \rceil` rows of class :math:`c` (the last, smaller batch likewise
    for its size); column totals are exact: each batch takes the floors, and the remaining rows
    are dealt out by McNaughton's wrap-around rule, which never gives one class two extras in
    a batch.
    """
    n = int(counts.sum())
    full, last = divmod(n, batch_size)
    last_quota = apportion(counts, last) if last else np.zeros_like(counts)
    base = (batch_size * counts) // n  # floor(B n_c / N)
    quotas = np.tile(base, (full, 1))
    extras = counts - last_quota - full * base  # 0 <= extras_c <= full
    if extras.sum():
        # McNaughton's wrap-around: list each class's extras in a row and deal them to
        # batches 0, 1, ..., full - 1, 0, 1, ...: a class's extras land in distinct batches.
        classes = rng.permutation(counts.size) if shuffle else np.arange(counts.size)
        owners = np.repeat(classes, extras[classes])
        start = int(rng.integers(full)) if shuffle else 0
        batches = (np.arange(owners.size) + start) % full
        np.add.at(quotas, (batches, owners), 1)
    if last:
        quotas = np.vstack([quotas, last_quota])
    return quotas


def balanced_quotas(n_classes: int, batch_size: int, num_batches: int, rng: np.random.Generator, *,
                    shuffle: bool) -> np.ndarray:
    r"""Quotas of :math:`B / K` rows of every class per batch (:math:`\lfloor B/K \rfloor` or
    :math:`\lceil B/K \rceil`, the extras rotating over the classes batch after batch)."""
    quotas = np.tile(np.full(n_classes, batch_size // n_classes), (num_batches, 1))
    rest = batch_size % n_classes
    if rest:
        start = int(rng.integers(n_classes)) if shuffle else 0
        owners = (start + np.arange(num_batches * rest)) % n_classes
        np.add.at(quotas, (np.repeat(np.arange(num_batches), rest), owners), 1)
    return quotas


def fill_batches(class_rows: list[np.ndarray], quotas: np.ndarray, rng: np.random.Generator, *, shuffle: bool,
                 drop_last: bool, batch_size: int) -> list[np.ndarray]:
    """The batches of a quota matrix, as arrays of row positions.

    Each class's rows are taken in shuffled order, reshuffled each time they run out (so a
    class asked for more rows than it has repeats them evenly); with ``shuffle`` the classes
    are mixed inside every batch and the batch order is shuffled, a smaller last batch kept
    last (or dropped with ``drop_last``).
    """
    need = quotas.sum(axis=0)
    streams = []
    for rows, total in zip(class_rows, need):
        rounds = max(1, math.ceil(total / rows.size))
        laps = [rng.permutation(rows) if shuffle else rows for _ in range(rounds)]
        streams.append(np.concatenate(laps)[:total] if rounds > 1 else laps[0][:total])
    # Row j of class c goes to the batch that holds its place in c's quota sequence.
    batch_of = [np.repeat(np.arange(len(quotas)), quotas[:, c]) for c in range(quotas.shape[1])]
    flat_rows = np.concatenate(streams)
    flat_batch = np.concatenate(batch_of)
    order = np.argsort(flat_batch, kind="stable")
    grouped = flat_rows[order]
    sizes = quotas.sum(axis=1)
    if shuffle:  # mix the classes inside every batch
        keys = flat_batch[order] + rng.random(grouped.size)
        grouped = grouped[np.argsort(keys, kind="stable")]
    batches = np.split(grouped, np.cumsum(sizes)[:-1])
    if drop_last and sizes[-1] < batch_size:
        batches = batches[:-1]
    if shuffle:
        full = len(batches) - (1 if sizes[-1] < batch_size and not drop_last else 0)
        perm = rng.permutation(full)
        batches = [batches[i] for i in perm] + batches[full:]
    return batches
