"""Our samplers under PyTorch Lightning: kept in place under its DDP strategy (2 CPU processes,
gloo), each rank drawing exactly its shard of the epoch's plan, every epoch a new plan."""

import collections
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import subprocesses

pytest.importorskip("torch")

import torch  # noqa: E402
from torch.utils.data import BatchSampler, RandomSampler, TensorDataset  # noqa: E402

from imbalance import InputTypeError, ParameterError  # noqa: E402
from imbalance.torch import ClassBalancedSampler, StratifiedBatchSampler, WeightedSampler  # noqa: E402

# Importing Lightning takes 7 s: these tests are in the slow tier, and it is imported only
# when they run, not when the inner loop is collected.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lightning():
    pytest.importorskip("lightning.pytorch")
    from imbalance.torch import lightning

    return lightning

SCRIPT = Path(__file__).parent / "scripts" / "lightning_ddp.py"


def script_module():
    spec = importlib.util.spec_from_file_location("lightning_ddp", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled(n=100, seed=0):
    rng = np.random.default_rng(seed)
    y = torch.from_numpy((rng.random(n) < 0.1).astype(np.int64))
    y[:2] = 1
    dataset = TensorDataset(torch.arange(n), y)
    dataset.targets = y  # where our samplers read labels without loading items
    return dataset, y


def test_sharded_sampler_is_the_sampler_it_wraps(lightning):
    ShardedSampler = lightning.ShardedSampler
    _, y = labelled()
    inner = ClassBalancedSampler(y, seed=3, num_replicas=2, rank=1)
    outer = ShardedSampler(inner)
    assert isinstance(outer, torch.utils.data.DistributedSampler)  # what Lightning leaves in place
    assert (outer.num_replicas, outer.rank, len(outer)) == (2, 1, len(inner))
    outer.set_epoch(4)
    reference = ClassBalancedSampler(y, seed=3, num_replicas=2, rank=1)
    reference.set_epoch(4)
    assert list(outer) == list(reference)
    assert outer.state_dict()["epoch"] == 4


@pytest.mark.parametrize("bad, message", [
    (lambda y: StratifiedBatchSampler(y, batch_size=8), "use_distributed_sampler=False"),
    (lambda y: BatchSampler(RandomSampler(range(10)), 4, False), "batch sampler"),
    (lambda y: RandomSampler(range(10)), "shards itself"),
])
def test_sharded_sampler_refuses_what_it_cannot_keep_in_place(bad, message, lightning):
    _, y = labelled()
    with pytest.raises(InputTypeError, match=message):
        lightning.ShardedSampler(bad(y))


def test_the_data_module_draws_the_training_rows_through_the_sampler_and_leaves_the_rest(lightning):
    BalancedDataModule, ShardedSampler = lightning.BalancedDataModule, lightning.ShardedSampler
    dataset, y = labelled()
    data = BalancedDataModule(dataset, batch_size=10, sampler=lambda ds: WeightedSampler(
        np.where(y.numpy() == 1, 5.0, 1.0), num_samples=60, exact=True, seed=0))
    loader = data.train_dataloader()
    assert isinstance(loader.sampler, ShardedSampler) and isinstance(data.train_sampler, WeightedSampler)
    assert sum(len(batch[0]) for batch in loader) == 60
    from lightning.pytorch.utilities.model_helpers import is_overridden

    assert not is_overridden("val_dataloader", data)  # no validation set: Lightning asks for none
    with_val = BalancedDataModule(dataset, val_dataset=dataset, batch_size=10)
    assert is_overridden("val_dataloader", with_val)
    val = with_val.val_dataloader()
    assert torch.equal(torch.cat([batch[0] for batch in val]), torch.arange(100))  # as it is, in order
    default = BalancedDataModule(dataset).train_dataloader()  # default: over-sampled to 1:1
    counts = torch.bincount(y[torch.tensor(list(default.sampler))])
    assert counts[0] == counts[1] == int((y == 0).sum())


def test_the_data_module_refuses_a_sampler_given_twice(lightning):
    BalancedDataModule = lightning.BalancedDataModule
    dataset, y = labelled()
    with pytest.raises(ParameterError, match="sampler"):
        BalancedDataModule(dataset, shuffle=True)
    with pytest.raises(InputTypeError, match="function"):
        BalancedDataModule(dataset, sampler=ClassBalancedSampler(y))


@pytest.mark.slow
def test_under_lightning_ddp_each_rank_draws_its_shard_of_every_epoch(tmp_path):
    run = subprocesses.run([sys.executable, SCRIPT, tmp_path], timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(2)]
    assert all(rank["wrapped"] == "ShardedSampler" and rank["world"] == 2 for rank in ranks)  # not re-wrapped
    labels = script_module().Rows().targets
    for epoch in range(2):
        whole = ClassBalancedSampler(labels, strategy="over", seed=7, num_replicas=1, rank=0)
        whole.set_epoch(epoch)
        plan = list(whole)
        for r in range(2):
            shard = ClassBalancedSampler(labels, strategy="over", seed=7, num_replicas=2, rank=r)
            shard.set_epoch(epoch)
            assert ranks[r][f"epoch {epoch}"] == list(shard)  # exactly this rank's shard, in order
        union = collections.Counter(ranks[0][f"epoch {epoch}"] + ranks[1][f"epoch {epoch}"])
        padded = collections.Counter(plan) + collections.Counter(plan[: 2 * len(list(shard)) - len(plan)])
        assert union == padded  # together the ranks draw the epoch's plan (padded as DistributedSampler pads)
        assert np.bincount(labels[plan]).tolist() == [int((labels == 0).sum())] * 2  # balanced, exactly
    assert ranks[0]["epoch 0"] != ranks[0]["epoch 1"]  # Lightning's set_epoch reached the sampler
