"""Our samplers in PyTorch Lightning, under its DDP strategies as they are.

Lightning replaces the sampler of a training ``DataLoader`` under DDP (``use_distributed_sampler``,
on by default): a ``RandomSampler`` becomes a ``DistributedSampler``, any other sampler is
wrapped in ``DistributedSamplerWrapper``, which shards the wrapped sampler's whole output again.
It leaves a ``DistributedSampler`` alone. Our samplers already draw each rank's own shard from
``(seed, epoch)`` (the same plan on every rank, disjoint shards), so :class:`ShardedSampler`
presents one of them to Lightning as the distributed sampler it is, and Lightning's own
``set_epoch`` calls reach it. :class:`BalancedDataModule` builds the training loader that way,
with the sampler made inside ``train_dataloader`` (where the process group exists, so the rank
and the number of ranks are known) and leaves the validation and test loaders to Lightning.

Needs the ``lightning`` extra; ``import imbalance.torch`` never imports this module.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

from torch.utils.data import BatchSampler, DataLoader, Dataset, DistributedSampler, Sampler

from imbalance._validation import InputTypeError, ParameterError, import_optional
from imbalance.torch.samplers import ClassBalancedSampler, StratifiedBatchSampler

pl = import_optional("lightning.pytorch", needed_by="imbalance.torch.lightning",
                     install="`pip install 'imbalance[lightning]'`")

__all__ = ["ShardedSampler", "BalancedDataModule"]


class ShardedSampler(DistributedSampler):
    """Present a sampler that draws its own rank's shard to Lightning as a ``DistributedSampler``.

    Lightning then keeps it under DDP instead of wrapping it (which would shard the shard
    again) and calls its ``set_epoch`` every epoch; ``state_dict`` / ``load_state_dict`` pass
    through to the wrapped sampler's (its place in the pass, for a mid-epoch resume).

    Parameters
    ----------
    sampler : Sampler
        One of our index samplers (:class:`~imbalance.torch.ClassBalancedSampler`,
        :class:`~imbalance.torch.WeightedSampler`, :class:`~imbalance.torch.RepeatFactorSampler`,
        :class:`~imbalance.torch.MultilabelBalancedSampler`), or any sampler with
        ``num_replicas``, ``rank``, ``set_epoch`` and a shard of its own per rank.

    Examples
    --------
    In a ``LightningModule`` or ``LightningDataModule``::

        def train_dataloader(self):
            sampler = ClassBalancedSampler(self.train_set, strategy="over", seed=0)
            return DataLoader(self.train_set, batch_size=64, sampler=ShardedSampler(sampler))
    """

    # DistributedSampler's own __init__ reads a dataset and the process group; this class only
    # delegates, so it sets the attributes Lightning and torch read instead.
    def __init__(self, sampler: Sampler) -> None:
        if isinstance(sampler, (BatchSampler, StratifiedBatchSampler)):
            raise InputTypeError(
                "ShardedSampler takes a sampler of indices; a batch sampler goes to DataLoader(batch_sampler=...) "
                "with Trainer(use_distributed_sampler=False), since Lightning cannot re-shard it."
            )
        missing = [name for name in ("num_replicas", "rank", "set_epoch") if not hasattr(sampler, name)]
        if missing:
            raise InputTypeError(
                f"ShardedSampler needs a sampler that shards itself across ranks; {type(sampler).__name__} has no "
                f"{', '.join(missing)}. Give it to DataLoader directly and let Lightning shard it."
            )
        self.sampler = sampler
        self.num_replicas, self.rank = sampler.num_replicas, sampler.rank
        self.seed = getattr(sampler, "seed", 0)
        self.shuffle = getattr(sampler, "shuffle", True)
        self.drop_last = getattr(sampler, "drop_last", False)
        self.epoch = getattr(sampler, "epoch", 0)
        self.dataset = None

    def __iter__(self) -> Iterator[int]:
        return iter(self.sampler)

    def __len__(self) -> int:
        return len(self.sampler)

    def set_epoch(self, epoch: int) -> None:
        """Pass the epoch on: every rank then draws its shard of that epoch's plan."""
        self.epoch = int(epoch)
        self.sampler.set_epoch(epoch)

    def state_dict(self) -> dict:
        """The wrapped sampler's place in its pass (for a mid-epoch resume)."""
        return self.sampler.state_dict() if hasattr(self.sampler, "state_dict") else {}

    def load_state_dict(self, state: dict) -> None:
        if hasattr(self.sampler, "load_state_dict"):
            self.sampler.load_state_dict(state)


def _balanced_over(dataset: Dataset) -> Sampler:
    return ClassBalancedSampler(dataset, strategy="over", seed=0)


class BalancedDataModule(pl.LightningDataModule):
    """A ``LightningDataModule`` whose training loader draws through one of our samplers.

    Parameters
    ----------
    train_dataset : Dataset
        Map-style, with labels our samplers can read (a ``targets`` or ``labels`` attribute,
        ``get_labels()``, a ``Subset`` or ``ConcatDataset`` of such; or give the sampler labels
        through ``sampler``).
    sampler : callable, optional
        ``sampler(train_dataset) -> Sampler``, called in every process when Lightning asks for
        the training loader, so the sampler reads the rank from the process group. Default:
        ``ClassBalancedSampler(train_dataset, strategy="over", seed=0)``. Use a seed of its
        own, not a random one: every rank must build the same plan.
    val_dataset, test_dataset : Dataset, optional
        Loaded as they are (Lightning shards them under DDP); never rebalanced.
    batch_size : int, default=32
    **loader_kwargs
        Passed to every ``DataLoader`` (``num_workers``, ``collate_fn``, ``pin_memory``, ...).

    Examples
    --------
    ::

        data = BalancedDataModule(train_set, val_dataset=val_set, batch_size=64,
                                  sampler=lambda ds: ClassBalancedSampler(ds, strategy="under", ratio=3, seed=0))
        Trainer(accelerator="cpu", devices=2, strategy="ddp", max_epochs=5).fit(model, datamodule=data)
    """

    def __init__(
        self,
        train_dataset: Dataset,
        *,
        sampler: Callable[[Dataset], Sampler] | None = None,
        val_dataset: Dataset | None = None,
        test_dataset: Dataset | None = None,
        batch_size: int = 32,
        **loader_kwargs: Any,
    ) -> None:
        super().__init__()
        if sampler is not None and not callable(sampler):
            raise InputTypeError("sampler must be a function of the training dataset that returns a sampler.")
        for name in ("sampler", "batch_sampler", "shuffle"):
            if name in loader_kwargs:
                raise ParameterError(f"{name}= is BalancedDataModule's to set; pass sampler=<function> instead.")
        self.train_dataset, self.val_dataset, self.test_dataset = train_dataset, val_dataset, test_dataset
        self.sampler_factory = sampler or _balanced_over
        self.batch_size = batch_size
        self.loader_kwargs = loader_kwargs
        self.train_sampler: Sampler | None = None
        # Lightning asks for a validation or test loader wherever the hook is overridden; set the
        # hooks only for the datasets given, so a module without them gets no warning or error.
        if val_dataset is not None:
            self.val_dataloader = functools.partial(self._plain, val_dataset)
        if test_dataset is not None:
            self.test_dataloader = functools.partial(self._plain, test_dataset)

    def train_dataloader(self) -> DataLoader:
        """The training rows, drawn through ``sampler(train_dataset)`` made in this process (so
        that it reads this process's rank)."""
        self.train_sampler = self.sampler_factory(self.train_dataset)
        return DataLoader(self.train_dataset, batch_size=self.batch_size, sampler=ShardedSampler(self.train_sampler),
                          **self.loader_kwargs)

    def _plain(self, dataset: Dataset) -> DataLoader:
        """A validation or test loader: the rows as they are (Lightning shards them under DDP)."""
        return DataLoader(dataset, batch_size=self.batch_size, shuffle=False, **self.loader_kwargs)
