"""Rebalancing a stream of labelled items of unknown length, under DataLoader workers and DDP.

A :class:`RebalancedStream` wraps any re-iterable source (a list, a generator function, an
``IterableDataset``, shards read one after another) and keeps each item with a per-class
acceptance rate that the planner sets from the class counts seen so far (or given shares), so
the output tends to the plan's shares without knowing the stream's length in advance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import torch
from torch.utils.data import IterableDataset, get_worker_info

from imbalance._validation import InputError, InputTypeError, ParameterError, check_int, fmt_label
from imbalance.planner import Strategy, plan_from_counts

__all__ = ["RebalancedStream"]

_CHUNK = 4096  # items read, labelled and decided on together
_STREAM_TAG = 0x51EA  # see __iter__


def _world() -> tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_world_size(), torch.distributed.get_rank()
    return 1, 0


def _shares(name: str, given: Any, *, zero_allowed: bool) -> dict:
    """``given`` as a dict class -> share, every share a finite number, positive (or 0 where
    ``zero_allowed``: a class to drop); refused by class otherwise."""
    if not isinstance(given, Mapping):
        raise InputTypeError(f"{name} must be a dict class -> share, got {type(given).__name__}.")
    shares = {}
    for label, share in given.items():
        ok = isinstance(share, (int, float, np.integer, np.floating)) and not isinstance(share, bool)
        if not ok or not math.isfinite(share) or share < 0 or (share == 0 and not zero_allowed):
            least = "a finite number >= 0" if zero_allowed else "a finite number > 0"
            raise ParameterError(f"{name} gives class {fmt_label(label)} the share {share!r}; each share must be "
                                 f"{least}.")
        _check_label(label)
        shares[label] = float(share)
    return shares


def _check_label(label: Any) -> None:
    """A class label must equal itself: NaN would make every item a class of its own."""
    if label != label:
        raise InputError(f"a class label is {label!r}; label_of must give every item a class (NaN is none): drop or "
                         "label such items first.")


class RebalancedStream(IterableDataset):
    r"""An ``IterableDataset`` that under-samples a labelled stream toward a plan as it goes.

    Every item of class :math:`c` is kept with probability :math:`a_c = t_c / n_c`, where
    :math:`n` are the class counts seen so far in this shard (counted chunk by chunk, the
    current chunk included) or the given ``priors``, and :math:`t` the planner's targets for
    them (``imbalance.plan``'s ``"under"`` with ``ratio``: every class down to at most
    ``ratio`` times the rarest). Kept items pass through a shuffle buffer of ``buffer_size``.

    Guarantee: on a stream whose class shares do not drift, every class's share of the output
    tends to the plan's (equal shares for ``ratio=1``); after the rarest class has been seen
    :math:`m` times its expected output count is :math:`m` up to the first chunk's estimate,
    and the tests check every share within 5% (relative) of its target for :math:`m \ge 2000`.
    A class that first appears late is planned for from then on. With ``priors`` the rates
    are fixed and the output is an exact Bernoulli thinning of the stream.

    Under ``DataLoader(num_workers=W)`` and DDP with :math:`R` ranks, worker :math:`w` of rank
    :math:`r` takes the items at positions :math:`j \equiv rW + w \pmod{RW}` of the source, so
    no item is read twice in an epoch and the shards together cover the stream.

    Parameters
    ----------
    source : iterable, or a callable returning an iterator
        Read again every epoch (a generator function is called once per epoch). Not an iterator
        such as a generator object, which would be used up after the first epoch.
    label_of : callable, optional
        Item -> its class label (hashable, not NaN). Default: the item is its own label.
    strategy : {"under"} or dict, default="under"
        ``"under"``, or a dict class -> share of the output to keep the classes' shares at
        (normalised; finite shares >= 0, not all 0); classes not named, or named with share 0,
        are dropped.
    ratio : float, default=1.0
        For ``"under"``.
    priors : dict, optional
        Class -> its share of the stream, when known (finite, > 0): fixed acceptance rates from
        the start. Every class of the stream must have one (a class without is refused when it
        first appears, rather than dropped).
    buffer_size : int, default=1024
        Items held to shuffle the output (0: none).
    seed : int, default=0
        The kept items and their order depend only on ``(seed, epoch, shard)``.

    Attributes
    ----------
    seen_, kept_ : dict
        Class -> items seen and kept by the last pass in this process (a DataLoader worker
        counts its own shard, in its own process).

    Examples
    --------
    A stream of 1,000 (item, label) pairs with 10% positives, under-sampled to 1:1 as it passes:

    >>> source = lambda: ((i, int(i % 10 == 0)) for i in range(1000))
    >>> stream = RebalancedStream(source, label_of=lambda pair: pair[1], seed=0)
    >>> kept = list(stream)
    >>> sorted(stream.seen_.items()), sorted(stream.kept_.items())
    ([(0, 900), (1, 100)], [(0, 110), (1, 100)])

    Any source works the same way (shards read by a generator function, a Hugging Face streaming
    dataset); ``DataLoader(stream, batch_size=256, num_workers=4)`` gives each worker its own
    shard.
    """

    def __init__(
        self,
        source: Iterable | Callable[[], Iterator],
        *,
        label_of: Callable[[Any], Any] | None = None,
        strategy: Strategy = "under",
        ratio: float = 1.0,
        priors: Mapping[Any, float] | None = None,
        buffer_size: int = 1024,
        seed: int = 0,
    ) -> None:
        if not (callable(source) or isinstance(source, Iterable)):
            raise InputError(f"source must be an iterable or a callable returning one, got {type(source).__name__}.")
        if isinstance(source, Iterator):  # a generator object: read once, then every later epoch is empty
            raise InputError(
                f"source is an iterator ({type(source).__name__}), which is used up after one epoch; pass something "
                "read again every epoch: the generator function itself (lambda: gen(...)), a list, or a dataset."
            )
        if not (isinstance(strategy, str) and strategy == "under" or isinstance(strategy, Mapping)):
            raise ParameterError(f"a stream can only drop items: strategy must be 'under' or a dict class -> share, "
                                 f"got {strategy!r}.")
        if isinstance(strategy, Mapping):
            shares = _shares("strategy", strategy, zero_allowed=True)
            if not any(shares.values()):
                raise ParameterError("strategy gives every class a share of 0, which keeps nothing; give the classes "
                                     "to keep a positive share.")
        self.source, self.label_of, self.strategy, self.ratio = source, label_of, strategy, ratio
        self.priors = None if priors is None else _shares("priors", priors, zero_allowed=False)
        if self.priors is not None and not self.priors:
            raise ParameterError("priors must give every class a positive share of the stream.")
        self.buffer_size = check_int("buffer_size", buffer_size, low=0)
        self.seed = check_int("seed", seed, low=0)
        self.epoch = 0
        self.seen_: dict = {}
        self.kept_: dict = {}

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def _rates(self, counts: dict) -> dict:
        """Class -> acceptance rate, for these class counts (or shares)."""
        if isinstance(self.strategy, Mapping):
            wanted = {c: float(s) for c, s in self.strategy.items() if s > 0}
            present = {c: n for c, n in counts.items() if c in wanted and n > 0}
            if not present:
                return dict.fromkeys(counts, 0.0)
            scale = min(n / wanted[c] for c, n in present.items())  # the class that binds
            return {c: (min(1.0, scale * wanted[c] / n) if c in present else 0.0) for c, n in counts.items()}
        if len(counts) < 2:
            return dict.fromkeys(counts, 1.0)
        plan = plan_from_counts({c: max(1, int(round(n))) for c, n in counts.items()}, "under", ratio=self.ratio)
        return {c: plan.targets[c] / max(1, int(round(n))) for c, n in counts.items()}

    def _items(self) -> Iterator:
        source = self.source() if callable(self.source) and not isinstance(self.source, Iterable) else self.source
        world, rank = _world()
        worker = get_worker_info()
        workers, worker_id = (1, 0) if worker is None else (worker.num_workers, worker.id)
        shards, shard = world * workers, rank * workers + worker_id
        items = iter(source)
        return items if shards == 1 else itertools.islice(items, shard, None, shards)

    def __iter__(self) -> Iterator:
        world, rank = _world()
        worker = get_worker_info()
        shard = rank * (1 if worker is None else worker.num_workers) + (0 if worker is None else worker.id)
        # A trailing tag: SeedSequence drops trailing zeros, so [seed, 0, 0] alone would draw what
        # default_rng(seed) draws, and a stream made with that generator would line up with ours.
        rng = np.random.default_rng([self.seed, self.epoch, shard, _STREAM_TAG])
        self.epoch += 1
        self.seen_, self.kept_ = {}, {}
        items = self._items()
        label_of = self.label_of
        # known shares as counts of a long stream (the planner takes whole counts)
        fixed = None if self.priors is None else self._rates({c: v * 1e9 for c, v in self.priors.items()})
        buffer: list = []
        while True:
            chunk = list(itertools.islice(items, _CHUNK))
            if not chunk:
                break
            labels = chunk if label_of is None else [label_of(item) for item in chunk]
            for label in labels:  # count first, so the rates use this chunk too
                if label not in self.seen_:  # a class met for the first time: checked once
                    _check_label(label)
                    if fixed is not None and label not in fixed:
                        raise InputError(f"the stream holds class {fmt_label(label)}, which priors gives no share; "
                                         "give every class its share, or leave priors out to count them.")
                self.seen_[label] = self.seen_.get(label, 0) + 1
            rates = fixed if fixed is not None else self._rates(self.seen_)
            keep = rng.random(len(chunk)) < np.fromiter((rates.get(label, 0.0) for label in labels), np.float64,
                                                        len(chunk))
            kept = list(itertools.compress(chunk, keep))
            for label in itertools.compress(labels, keep):
                self.kept_[label] = self.kept_.get(label, 0) + 1
            if self.buffer_size == 0:
                yield from kept
                continue
            # A chunked shuffle buffer: pool the held items with the new ones, emit all but
            # buffer_size of them in a random order, hold the rest.
            buffer.extend(kept)
            if len(buffer) > self.buffer_size:
                order = rng.permutation(len(buffer))
                out = len(buffer) - self.buffer_size
                yield from (buffer[i] for i in order[:out].tolist())
                buffer = [buffer[i] for i in order[out:].tolist()]
        if buffer:
            yield from (buffer[i] for i in rng.permutation(len(buffer)).tolist())
