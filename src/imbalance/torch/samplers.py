"""Samplers that carry out the plan at load time: exact per-class counts every epoch, under DDP too.

Every sampler reads labels through :func:`imbalance.torch.labels.read_labels`, builds one epoch
plan from ``(seed, epoch)`` (the same on every rank), then hands each rank its shard, padded
as ``DistributedSampler`` does (or trimmed with ``drop_last``). Epoch plans are built with
numpy in O(N) and handed out through an ``array.array`` (batches: lists), never one tensor
element at a time.
"""

from __future__ import annotations

import array
import math
from typing import Any, Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import Sampler

from imbalance._batches import balanced_quotas, fill_batches, stratified_quotas
from imbalance._draw import even_draws
from imbalance._labels import class_positions, encode_labels
from imbalance._labels import label_matrix as as_label_matrix
from imbalance._validation import InputError, InputTypeError, ParameterError, check_int
from imbalance.planner import Plan, Strategy, apportion, plan_labels
from imbalance.torch.labels import read_labels
from imbalance.weights import repeat_factors

__all__ = ["ClassBalancedSampler", "StratifiedBatchSampler", "MultilabelBalancedSampler", "WeightedSampler",
           "RepeatFactorSampler"]


def _world(num_replicas: int | None, rank: int | None) -> tuple[int, int]:
    """num_replicas and rank, defaulting to torch.distributed's when it is initialised."""
    initialised = torch.distributed.is_available() and torch.distributed.is_initialized()
    if num_replicas is None:
        num_replicas = torch.distributed.get_world_size() if initialised else 1
    if rank is None:
        rank = torch.distributed.get_rank() if initialised else 0
    if num_replicas < 1 or not 0 <= rank < num_replicas:
        raise ParameterError(f"rank must be in [0, num_replicas); got rank={rank}, num_replicas={num_replicas}.")
    return int(num_replicas), int(rank)


def _class_rows(codes: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    """Row positions of every class, in class order (the foundation's one grouping pass)."""
    positions = class_positions(codes, counts)
    # int64 (intp) on purpose: numpy shuffles 8-byte items faster than 4-byte ones, and the
    # epoch's shuffle is the largest cost of a pass.
    return [positions[c].astype(np.int64, copy=False) for c in range(counts.size)]


def _draw_class(rows: np.ndarray, target: int, replacement: bool, rng: np.random.Generator) -> np.ndarray:
    """``target`` positions from one class's rows (in no particular order)."""
    n = rows.size
    if replacement:  # asked for: i.i.d. draws, the one exception to the package's rule
        return rows[rng.integers(0, n, size=target)]
    whole, subset = even_draws(n, target, rng)  # every row `whole` times, then a random subset
    parts = [rows] * whole + ([rows[subset]] if subset.size else [])
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


class _EpochSampler:
    """Seed, epoch, DDP sharding and resumable iteration, shared by every sampler here."""

    _epoch_size: int  # rows per epoch, for index samplers

    def _init_epochs(self, num_replicas, rank, seed, generator, shuffle, drop_last) -> None:
        self.num_replicas, self.rank = _world(num_replicas, rank)
        if generator is not None:
            seed = generator.initial_seed()
        self.seed = check_int("seed", seed, low=0)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.epoch = 0
        self._resume_at = 0
        self._iterator: Iterator | None = None
        self._iterator_size = 0

    def set_epoch(self, epoch: int) -> None:
        """Use this epoch's plan for the next pass (call it every epoch under DDP).

        Without calls to ``set_epoch``, each pass moves on to the next epoch by itself, so
        passes differ and the sequence is still fixed by ``seed``.
        """
        self.epoch = int(epoch)
        self._resume_at = 0

    def _rng(self) -> np.random.Generator:
        return np.random.default_rng([self.seed, self.epoch])

    def _epoch_from(self, parts: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
        """The epoch's indices from per-class (or per-label) draws, shuffled unless asked not to."""
        indices = np.concatenate(parts)
        if self.shuffle:
            rng.shuffle(indices)
        return indices

    def _shard_size(self, total: int) -> int:
        if self.drop_last:
            return total // self.num_replicas
        return math.ceil(total / self.num_replicas)

    def _shard(self, items: np.ndarray) -> np.ndarray:
        """This rank's part: every num_replicas-th item, after padding or trimming."""
        per_rank = self._shard_size(len(items))
        total = per_rank * self.num_replicas
        if total > len(items):  # pad with the plan's first items, as DistributedSampler does
            items = np.concatenate([items, np.resize(items, (total - len(items), *items.shape[1:]))])
        return items[:total][self.rank :: self.num_replicas]

    def _start(self, items: Sequence) -> Iterator:
        """Iterate over this pass, resuming mid-epoch after load_state_dict."""
        start, self._resume_at = self._resume_at, 0
        self._pass_epoch, self._pass_start = self.epoch, start
        self._iterator = iter(items[start:] if start else items)
        self._iterator_size = len(items) - start
        self.epoch += 1  # the next pass uses the next epoch unless set_epoch says otherwise
        return self._iterator

    def state_dict(self) -> dict:
        """Where the current pass stands: ``load_state_dict`` on a fresh sampler continues it."""
        if self._iterator is None:
            return {"seed": self.seed, "epoch": self.epoch, "num_yielded": self._resume_at}
        # A list's or an array's iterator keeps its position in its pickle state (none once done).
        position = self._iterator.__reduce__()
        yielded = self._pass_start + (position[2] if len(position) > 2 else self._iterator_size)
        return {"seed": self.seed, "epoch": self._pass_epoch, "num_yielded": int(yielded)}

    def load_state_dict(self, state: dict) -> None:
        if state.get("seed", self.seed) != self.seed:
            raise ParameterError(
                f"the state was saved with seed {state['seed']} but this sampler has seed {self.seed}."
            )
        self.epoch = int(state["epoch"])
        self._resume_at = int(state.get("num_yielded", 0))
        self._iterator = None


class _IndexSampler(_EpochSampler, Sampler[int]):
    """A sampler of single indices: subclasses give ``epoch_indices()`` and ``_epoch_size``."""

    def epoch_indices(self) -> np.ndarray:
        raise NotImplementedError

    def __iter__(self) -> Iterator[int]:
        # The indices as an array.array: its iterator makes each Python int as the loader asks
        # for it, about three times faster over an epoch than a list of them all made up front.
        shard = np.ascontiguousarray(self._shard(self.epoch_indices()), dtype=np.int64)
        return self._start(array.array("q", shard.tobytes()))

    def __len__(self) -> int:
        return self._shard_size(self._epoch_size)


class ClassBalancedSampler(_IndexSampler):
    r"""Draw every epoch exactly the plan's number of rows per class, shuffled.

    Parameters
    ----------
    labels : array-like, Tensor, Series or Dataset
        Class labels of the dataset's items, or the dataset itself (its labels are read from
        ``Subset``/``ConcatDataset``, ``targets``, ``labels`` or ``get_labels()``; items are
        never loaded).
    strategy : {"over", "under", "power"}, dict or callable, default="over"
        As in :func:`imbalance.plan` (a class's target is its count per epoch). ``"power"``
        gives class :math:`c` a share :math:`\propto n_c^q` of ``num_samples``.
    ratio : float, default=1.0
        Largest / smallest class per epoch, for ``"over"``/``"under"``.
    q : float, optional
        Exponent of ``"power"``: 1 instance-balanced, 0.5 square-root, 0 class-balanced.
    num_samples : int, optional
        Rows per epoch. Default: the plan's total (the dataset's size for ``"power"``).
        With another strategy the plan is rescaled to this size (largest remainder).
    replacement : bool, default=False
        False: a class drawn ``t`` times from ``n`` rows repeats every row ``t // n`` times and
        adds a random subset of ``t % n`` (an under-sampled class is a random subset). True:
        ``t`` independent draws with replacement.
    num_replicas, rank : int, optional
        For DDP; default from ``torch.distributed`` when it is initialised.
    seed : int, default=0
        The epoch plan depends only on ``(seed, epoch)``, the same on every rank.
    generator : torch.Generator, optional
        Its ``initial_seed()`` replaces ``seed``.
    shuffle : bool, default=True
        Shuffle the epoch; when False, rows come class by class.
    drop_last : bool, default=False
        Trim the epoch to a multiple of ``num_replicas`` instead of padding it.

    Attributes
    ----------
    plan_ : Plan
        Per-class counts before and per epoch.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> labels = torch.tensor([0] * 8 + [1] * 2)
    >>> train_set = TensorDataset(torch.randn(10, 3), labels)
    >>> sampler = ClassBalancedSampler(labels, strategy="over", seed=0)
    >>> len(sampler), torch.bincount(labels[list(sampler)]).tolist()
    (16, [8, 8])
    >>> loader = DataLoader(train_set, batch_size=4, sampler=sampler)
    >>> for epoch in range(2):
    ...     sampler.set_epoch(epoch)  # a new draw every epoch, the same on every rank
    ...     for x, y in loader:
    ...         pass
    """

    def __init__(
        self,
        labels: Any = None,
        *,
        dataset: Any = None,
        strategy: Strategy = "over",
        ratio: float = 1.0,
        q: float | None = None,
        num_samples: int | None = None,
        replacement: bool = False,
        num_replicas: int | None = None,
        rank: int | None = None,
        seed: int = 0,
        generator: torch.Generator | None = None,
        shuffle: bool = True,
        drop_last: bool = False,
    ) -> None:
        values = read_labels(dataset, labels)
        encoded = encode_labels(values, name="labels")
        if num_samples is not None:
            num_samples = check_int("num_samples", num_samples)
        plan = plan_labels(encoded, strategy, ratio=ratio, q=q, total=num_samples)
        self.plan_: Plan = plan
        self.replacement = bool(replacement)
        self._rows = _class_rows(encoded.codes, encoded.counts)
        self._targets = plan.target_array.tolist()
        self._epoch_size = plan.n_after
        self._init_epochs(num_replicas, rank, seed, generator, shuffle, drop_last)

    def epoch_indices(self) -> np.ndarray:
        """The whole epoch plan (all ranks) for the current epoch, as an int array."""
        rng = self._rng()
        return self._epoch_from([_draw_class(rows, t, self.replacement, rng)
                                 for rows, t in zip(self._rows, self._targets)], rng)


class StratifiedBatchSampler(_EpochSampler, Sampler[list[int]]):
    r"""Batches that each hold the dataset's class proportions, or equal per-class quotas.

    ``balanced=False``: every row appears exactly once per epoch (with ``drop_last=False``),
    and every batch of size :math:`B` holds :math:`\lfloor B n_c / N \rfloor` or
    :math:`\lceil B n_c / N \rceil` rows of class :math:`c` (the last, smaller batch likewise
    for its size). The per-batch quotas are rounded so that column totals are exact: each
    batch takes the floors, and the remaining rows are dealt out by McNaughton's wrap-around
    rule, which never gives one class two extras in a batch.

    ``balanced=True``: each batch holds :math:`B / K` rows of every class (:math:`\lfloor B/K
    \rfloor` or :math:`\lceil B/K \rceil`, rotating), drawn without replacement within a class
    until it runs out, then from a fresh shuffle of it; ``num_batches`` per epoch (default
    :math:`\lceil N / B \rceil`).

    Parameters
    ----------
    labels : array-like, Tensor, Series or Dataset
    batch_size : int
    balanced : bool, default=False
    num_batches : int, optional
        Only with ``balanced=True``.
    drop_last : bool, default=False
        Drop the last, smaller batch; under DDP, also trim the batches to a multiple of
        ``num_replicas`` instead of padding.
    num_replicas, rank, seed, generator, shuffle
        As in :class:`ClassBalancedSampler`; ranks get whole batches.
    """

    def __init__(
        self,
        labels: Any = None,
        *,
        dataset: Any = None,
        batch_size: int,
        balanced: bool = False,
        num_batches: int | None = None,
        drop_last: bool = False,
        num_replicas: int | None = None,
        rank: int | None = None,
        seed: int = 0,
        generator: torch.Generator | None = None,
        shuffle: bool = True,
    ) -> None:
        encoded = encode_labels(read_labels(dataset, labels), name="labels")
        batch_size = check_int("batch_size", batch_size)
        n_classes = encoded.classes.size
        if balanced and batch_size < n_classes:
            raise ParameterError(
                f"batch_size={batch_size} is smaller than the {n_classes} classes, so a balanced batch "
                "cannot hold every class; raise batch_size or use balanced=False."
            )
        if num_batches is not None and not balanced:
            raise ParameterError("num_batches only applies with balanced=True; an unbalanced epoch covers every row once.")
        n = encoded.n_samples
        self.batch_size = batch_size
        self.balanced = bool(balanced)
        self.num_batches = check_int("num_batches", num_batches) if num_batches is not None else math.ceil(n / batch_size)
        self.classes = encoded.classes
        self._counts = encoded.counts
        self._rows = _class_rows(encoded.codes, encoded.counts)
        self._n = n
        self._init_epochs(num_replicas, rank, seed, generator, shuffle, drop_last)

    def epoch_batches(self) -> list[np.ndarray]:
        """Every batch of the current epoch (all ranks), as arrays of row positions."""
        rng = self._rng()
        if self.balanced:
            quotas = balanced_quotas(self._counts.size, self.batch_size, self.num_batches, rng, shuffle=self.shuffle)
        else:
            quotas = stratified_quotas(self._counts, self.batch_size, rng, shuffle=self.shuffle)
        return fill_batches(self._rows, quotas, rng, shuffle=self.shuffle, drop_last=self.drop_last,
                            batch_size=self.batch_size)

    def __iter__(self) -> Iterator[list[int]]:
        batches = self.epoch_batches()
        mine = self._shard(np.arange(len(batches)))
        return self._start([batches[i].tolist() for i in mine])

    def __len__(self) -> int:
        if self.balanced:
            total = self.num_batches
        else:
            total = self._n // self.batch_size + (0 if self.drop_last or self._n % self.batch_size == 0 else 1)
        return self._shard_size(total)


class MultilabelBalancedSampler(_IndexSampler):
    r"""Rows carrying rare labels drawn more, so every label's share is as even as co-occurrence allows.

    The rule: an epoch of :math:`S` draws gives every label :math:`l` exactly :math:`S / L`
    draws (largest remainder), and each draw of label :math:`l` picks a row carrying :math:`l`
    uniformly (with replacement). A row carrying several labels also counts for the others, so
    frequent labels that co-occur with rare ones still come out above :math:`S / L`; their
    excess is what co-occurrence forces. Rows with no positive label are drawn for a share
    ``background`` of the epoch (default: their share of the dataset, capped at ``1 / (L+1)``).

    Parameters
    ----------
    label_matrix : (n_items, n_labels) 0/1 array, Tensor or DataFrame, or a Dataset
    num_samples : int, optional
        Draws per epoch; default the number of rows.
    background : float in [0, 1), optional
        Share of draws from rows without any positive label.
    num_replicas, rank, seed, generator, shuffle, drop_last
        As in :class:`ClassBalancedSampler`.
    """

    def __init__(
        self,
        label_matrix: Any = None,
        *,
        dataset: Any = None,
        num_samples: int | None = None,
        background: float | None = None,
        num_replicas: int | None = None,
        rank: int | None = None,
        seed: int = 0,
        generator: torch.Generator | None = None,
        shuffle: bool = True,
        drop_last: bool = False,
    ) -> None:
        Y = as_label_matrix(read_labels(dataset, label_matrix, multilabel=True), name="label_matrix")
        Y = Y.astype(bool, copy=False)
        per_label = Y.sum(axis=0)
        if (per_label == 0).any():
            raise InputError(
                f"labels {np.flatnonzero(per_label == 0).tolist()} have no positive rows, so they "
                "cannot be drawn; drop those columns."
            )
        unlabeled = np.flatnonzero(~Y.any(axis=1))
        if background is None:
            background = min(unlabeled.size / Y.shape[0], 1 / (Y.shape[1] + 1))
        if not 0 <= background < 1 or (background > 0 and unlabeled.size == 0):
            raise ParameterError(
                f"background must be in [0, 1) and needs rows without labels; got {background!r} "
                f"with {unlabeled.size} such rows."
            )
        self.num_samples = check_int("num_samples", num_samples) if num_samples is not None else Y.shape[0]
        _, carriers = np.nonzero(Y.T)  # label-major: rows carrying label 0, then label 1, ...
        carriers = carriers.astype(np.int32) if Y.shape[0] < 2**31 else carriers
        self._label_rows = np.split(carriers, np.cumsum(per_label)[:-1])
        self._unlabeled = unlabeled
        n_background = int(round(self.num_samples * background))
        self._draws = apportion(np.ones(Y.shape[1]), self.num_samples - n_background).tolist()
        self._n_background = n_background
        self.label_counts_ = per_label
        self._epoch_size = self.num_samples
        self._init_epochs(num_replicas, rank, seed, generator, shuffle, drop_last)

    def epoch_indices(self) -> np.ndarray:
        """The whole epoch plan (all ranks) for the current epoch."""
        rng = self._rng()
        parts = [rows[rng.integers(0, rows.size, size=k)] for rows, k in zip(self._label_rows, self._draws)]
        if self._n_background:
            parts.append(self._unlabeled[rng.integers(0, self._unlabeled.size, size=self._n_background)])
        return self._epoch_from(parts, rng)


def _row_weights(weights: Any) -> np.ndarray:
    """``weights`` as a float64 array of one non-negative finite weight per row, some positive:
    a copy (a later change to the caller's array changes nothing here), rescaled by the largest
    weight where their sum would overflow or the largest is sub-normal (only their ratios matter,
    and the cumulative sums must be finite normal numbers for the draws to find a row)."""
    if isinstance(weights, torch.Tensor):
        weights = weights.detach().cpu().numpy()
    try:
        w = np.array(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputTypeError("weights must be numbers, one per row.") from None
    if w.ndim != 1 or w.size == 0:
        raise InputError(f"weights must be a non-empty 1-D sequence, one weight per row, got shape {w.shape}.")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("weights must be finite and >= 0 (a row of weight 0 is never drawn).")
    largest = w.max()
    if largest == 0:
        raise InputError("every weight is 0, so no row can be drawn; give some rows a positive weight.")
    with np.errstate(over="ignore"):
        total = w.sum()
    if not np.isfinite(total) or largest < np.finfo(np.float64).tiny:
        w /= largest
    return w


class WeightedSampler(_IndexSampler):
    r"""Rows drawn in proportion to per-row weights, any number of rows, under DDP too.

    Like ``WeightedRandomSampler`` but without its limits: no cap on the number of rows
    (``torch.multinomial`` takes at most :math:`2^{24}` categories), the same epoch on every
    rank from ``(seed, epoch)`` with disjoint shards (``DistributedSampler``'s manners), and
    resumable. Row :math:`i` of weight :math:`w_i` is expected
    :math:`e_i = S\,w_i / \sum_j w_j` times in an epoch of :math:`S` draws.

    - ``replacement=True`` (default): :math:`S` independent draws, by inverse transform
      sampling on the cumulative weights :math:`W_i = \sum_{j \le i} w_j`: a uniform
      :math:`x \in [0, W_n)` draws the first row with :math:`W_i > x`. A guide table (Chen
      and Asau 1974: for each of :math:`n` equal cells of :math:`[0, W_n)`, the first row that
      can hold a point of it) finds that row in about two steps whatever the weights, so the
      draws come in random order with no sort and no shuffle.
    - ``exact=True``: systematic sampling, one uniform offset :math:`u` and the points
      :math:`u, u + 1, \dots, u + S - 1` on the scale of the cumulative expected counts, so
      every row comes exactly :math:`\lfloor e_i \rfloor` or :math:`\lceil e_i \rceil` times
      (repeat factors realised exactly, no sampling noise in the counts).
    - ``replacement=False``: :math:`S` distinct rows by successive weighted draws without
      replacement (Efraimidis and Spirakis 2006: the :math:`S` largest
      :math:`\log(u_i) / w_i`); needs :math:`S` rows of positive weight.

    Parameters
    ----------
    weights : 1-D array-like or Tensor of non-negative floats
        One per row (instance weights, dataset mixing, repeat factors); 0 never draws the row.
    num_samples : int, optional
        Draws per epoch (all ranks together); default the number of rows.
    replacement : bool, default=True
    exact : bool, default=False
        Systematic sampling (with replacement only).
    num_replicas, rank, seed, generator, shuffle, drop_last
        As in :class:`ClassBalancedSampler`.

    Examples
    --------
    >>> import numpy as np
    >>> sampler = WeightedSampler([1.0, 1.0, 2.0, 0.0], num_samples=8, exact=True, seed=0)
    >>> np.bincount(list(sampler), minlength=4).tolist()  # exactly 8 w / sum(w) draws per row
    [2, 2, 4, 0]

    In a ``DataLoader``: ``DataLoader(dataset, batch_size=256, sampler=sampler)``.
    """

    def __init__(
        self,
        weights: Any,
        num_samples: int | None = None,
        *,
        replacement: bool = True,
        exact: bool = False,
        num_replicas: int | None = None,
        rank: int | None = None,
        seed: int = 0,
        generator: torch.Generator | None = None,
        shuffle: bool = True,
        drop_last: bool = False,
    ) -> None:
        self.weights = _row_weights(weights)
        self.num_samples = self.weights.size if num_samples is None else check_int("num_samples", num_samples)
        self.replacement, self.exact = bool(replacement), bool(exact)
        if self.exact and not self.replacement:
            raise ParameterError("exact=True is systematic sampling, which repeats rows; it needs replacement=True.")
        positive = int(np.count_nonzero(self.weights))
        if not self.replacement and self.num_samples > positive:
            raise ParameterError(f"num_samples={self.num_samples} distinct rows without replacement, but only "
                                 f"{positive} rows have a positive weight; lower num_samples or set replacement=True.")
        self._cumulative = np.cumsum(self.weights)
        self._last = int(np.flatnonzero(self.weights)[-1])  # the last row that can be drawn
        self._guide: np.ndarray | None = None  # made on the first epoch that needs it
        self._epoch_size = self.num_samples
        self._init_epochs(num_replicas, rank, seed, generator, shuffle, drop_last)

    def expected_counts(self) -> np.ndarray:
        """:math:`e_i`, every row's expected number of draws per epoch."""
        return self.num_samples * self.weights / self._cumulative[-1]

    def epoch_indices(self) -> np.ndarray:
        """The whole epoch (all ranks) for the current epoch, as an int64 array."""
        rng, size, total = self._rng(), self.num_samples, self._cumulative[-1]
        if not self.replacement:
            keys = np.full(self.weights.size, -np.inf)
            positive = self.weights > 0
            with np.errstate(over="ignore"):  # a tiny weight's key is -inf: drawn after every other row
                keys[positive] = np.log(rng.random(int(positive.sum()))) / self.weights[positive]
            chosen = np.argpartition(keys, -size)[-size:] if size < keys.size else np.arange(keys.size)
            chosen = chosen.astype(np.int64)
            if self.shuffle:
                rng.shuffle(chosen)
            else:
                chosen.sort()
            return chosen
        if self.exact:
            points = (rng.random() + np.arange(size)) * (total / size)  # sorted: shuffled below
        else:
            points = rng.random(size) * total  # i.i.d. and already in random order
        indices = self._inverse_cdf(points)
        np.minimum(indices, self._last, out=indices)  # a point rounded onto the very top
        if self.exact and self.shuffle:
            rng.shuffle(indices)
        elif not self.exact and not self.shuffle:
            indices.sort()
        return indices

    def _inverse_cdf(self, points: np.ndarray) -> np.ndarray:
        """``np.searchsorted(self._cumulative, points, side="right")``, in expected O(1) per point.

        Cell :math:`k` of the guide table covers :math:`[kW_n/G, (k+1)W_n/G)` and holds the first
        row whose cumulative weight exceeds the cell's left edge: a lower bound of the answer for
        every point in the cell. From there the answer is a few steps forward (on average at
        most :math:`(n + G) / G = 2` rows for :math:`G = n` cells, since every cell is equally
        likely); points still unresolved after a few steps take the binary search, so the result
        equals searchsorted's always.
        """
        cumulative = self._cumulative
        if self._guide is None:
            cells = cumulative.size
            # Each cell's left edge, lowered by a few units in the last place: rounding in the
            # cell of a point (below) can put it at most ~4 ulp before its cell's exact edge, and
            # the guide must stay a lower bound of the answer for every point it is asked for.
            edges = np.arange(cells) * (cumulative[-1] / cells) * (1 - 16 * np.finfo(np.float64).eps)
            self._guide = np.searchsorted(cumulative, edges, side="right")
        guide = self._guide
        cell = (points * (guide.size / cumulative[-1])).astype(np.intp)
        np.minimum(cell, guide.size - 1, out=cell)
        index = guide[cell]
        top = cumulative.size - 1
        np.minimum(index, top, out=index)
        behind = np.flatnonzero((cumulative[index] <= points) & (index < top))
        for _ in range(4):  # walk forward: one step settles most of the points that are left
            if behind.size == 0:
                break
            index[behind] += 1
            still = (cumulative[index[behind]] <= points[behind]) & (index[behind] < top)
            behind = behind[still]
        if behind.size:
            index[behind] = np.searchsorted(cumulative, points[behind], side="right")
        return index


class RepeatFactorSampler(WeightedSampler):
    r"""Repeat-factor sampling for multi-label or detection data (Gupta et al. 2019, LVIS).

    Every row is repeated by its repeat factor :math:`r_i` (:func:`imbalance.repeat_factors`:
    that of its rarest label, :math:`\max(1, \sqrt{t / f_c})`), realised exactly each epoch:
    the epoch has :math:`S = \mathrm{round}(\sum_i r_i)` draws by systematic sampling, so row
    :math:`i` comes :math:`\lfloor e_i \rfloor` or :math:`\lceil e_i \rceil` times with
    :math:`e_i = r_i\,S / \sum_j r_j` (within half a draw of :math:`r_i` in total), where
    the paper's stochastic rounding lets the epoch's size and each row's count vary.

    Parameters
    ----------
    label_matrix : (n_rows, n_labels) 0/1 array, Tensor or DataFrame, or a Dataset
    threshold : float, default=0.001
        :math:`t`: labels carried by a larger share of rows are not repeated.
    num_replicas, rank, seed, generator, shuffle, drop_last
        As in :class:`ClassBalancedSampler`.

    Attributes
    ----------
    repeat_factors_ : ndarray of shape (n_rows,)
    """

    def __init__(
        self,
        label_matrix: Any = None,
        *,
        dataset: Any = None,
        threshold: float = 0.001,
        num_replicas: int | None = None,
        rank: int | None = None,
        seed: int = 0,
        generator: torch.Generator | None = None,
        shuffle: bool = True,
        drop_last: bool = False,
    ) -> None:
        Y = as_label_matrix(read_labels(dataset, label_matrix, multilabel=True), name="label_matrix")
        self.threshold = threshold
        self.repeat_factors_ = repeat_factors(Y, threshold)
        super().__init__(self.repeat_factors_, num_samples=int(round(self.repeat_factors_.sum())), exact=True,
                         num_replicas=num_replicas, rank=rank, seed=seed, generator=generator, shuffle=shuffle,
                         drop_last=drop_last)
