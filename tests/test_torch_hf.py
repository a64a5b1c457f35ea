"""Our samplers and losses in the Hugging Face Trainer: a tiny BERT built from a config (no
download), trained on CPU; every epoch the Trainer draws exactly our sampler's plan, the loss is
ours, and under torchrun (2 processes, gloo) the processes split that plan."""

import collections
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import subprocesses

pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("accelerate")

import torch  # noqa: E402

from imbalance import InputTypeError, ParameterError  # noqa: E402
from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss, StratifiedBatchSampler  # noqa: E402
from imbalance.torch.functional import softmax_focal_loss  # noqa: E402
from imbalance.torch.hf import BalancedTrainer  # noqa: E402

SCRIPT = Path(__file__).parent / "scripts" / "hf_ddp.py"
spec = importlib.util.spec_from_file_location("hf_ddp", SCRIPT)
hf_ddp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hf_ddp)


def arguments(tmp_path, **overrides):
    settings = dict(num_train_epochs=2, per_device_train_batch_size=16, per_device_eval_batch_size=64, report_to=[],
                    save_strategy="no", logging_strategy="no", use_cpu=True, disable_tqdm=True, seed=0)
    return transformers.TrainingArguments(str(tmp_path / "trainer"), **(settings | overrides))


def plan(dataset, epoch):
    sampler = ClassBalancedSampler(dataset, strategy="over", seed=5, num_replicas=1, rank=0)
    sampler.set_epoch(epoch)
    return list(sampler)


def test_every_epoch_draws_the_samplers_plan_and_trains_with_our_loss(tmp_path):
    dataset = hf_ddp.Tokens()
    trainer = BalancedTrainer(model=hf_ddp.tiny_bert(), args=arguments(tmp_path), train_dataset=dataset,
                              train_sampler=lambda ds: ClassBalancedSampler(ds, strategy="over", seed=5,
                                                                            num_replicas=1, rank=0),
                              loss=SoftmaxFocalLoss(gamma=2.0))
    trainer.train()
    first, second = plan(dataset, 0), plan(dataset, 1)
    assert dataset.seen == first + second  # epoch by epoch, in the sampler's order
    assert first != second
    assert np.bincount(dataset.targets[first]).tolist() == [int((dataset.targets == 0).sum())] * 2


def test_the_training_and_evaluation_loss_is_ours(tmp_path):
    dataset = hf_ddp.Tokens(n=64)
    loss = SoftmaxFocalLoss(gamma=2.0, alpha=torch.tensor([0.25, 0.75]))
    trainer = BalancedTrainer(model=hf_ddp.tiny_bert(), args=arguments(tmp_path), train_dataset=dataset,
                              eval_dataset=dataset, loss=loss)
    batch = trainer.data_collator([dataset[i] for i in range(16)])
    model = trainer.model.eval()
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        expected = softmax_focal_loss(logits, batch["labels"], gamma=2.0, alpha=torch.tensor([0.25, 0.75]))
        assert torch.allclose(trainer.compute_loss(model, batch), expected)
        assert "labels" in batch  # the batch is not changed
        everything = trainer.data_collator([dataset[i] for i in range(64)])
        logits = model(input_ids=everything["input_ids"], attention_mask=everything["attention_mask"]).logits
        expected = softmax_focal_loss(logits, everything["labels"], gamma=2.0, alpha=torch.tensor([0.25, 0.75]))
    assert trainer.evaluate()["eval_loss"] == pytest.approx(float(expected), rel=1e-5)


def test_without_a_sampler_or_a_loss_it_is_the_trainer(tmp_path):
    dataset = hf_ddp.Tokens(n=64)
    trainer = BalancedTrainer(model=hf_ddp.tiny_bert(), args=arguments(tmp_path), train_dataset=dataset)
    assert isinstance(trainer._get_train_sampler(), torch.utils.data.RandomSampler)  # the Trainer's own
    batch = trainer.data_collator([dataset[i] for i in range(8)])
    model = trainer.model.eval()  # no dropout: two passes agree
    with torch.no_grad():
        assert torch.allclose(trainer.compute_loss(model, batch), model(**batch).loss)  # the model's own loss


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(train_sampler=lambda ds: ClassBalancedSampler(ds, num_replicas=2, rank=0)), ParameterError, "num_replicas=1"),
    (dict(train_sampler=lambda ds: StratifiedBatchSampler(ds, batch_size=8)), InputTypeError, "not batches"),
])
def test_a_sampler_the_trainer_cannot_use_is_refused_with_the_fix(tmp_path, kwargs, error, message):
    trainer = BalancedTrainer(model=hf_ddp.tiny_bert(), args=arguments(tmp_path), train_dataset=hf_ddp.Tokens(),
                              **kwargs)
    with pytest.raises(error, match=message):
        trainer.get_train_dataloader()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(loss=SoftmaxFocalLoss(reduction="sum")), ParameterError, "reduction='mean'"),
    (dict(loss=SoftmaxFocalLoss(), compute_loss_func=lambda *a, **k: 0), ParameterError, "not both"),
    (dict(loss="focal"), InputTypeError, "loss module"),
    (dict(train_sampler=[0, 1, 2]), InputTypeError, "Sampler"),
])
def test_bad_arguments_are_refused_before_training(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        BalancedTrainer(model=hf_ddp.tiny_bert(), args=arguments(tmp_path), train_dataset=hf_ddp.Tokens(), **kwargs)


@pytest.mark.slow
def test_under_torchrun_the_processes_split_every_epochs_plan(tmp_path):
    run = subprocesses.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                            SCRIPT, tmp_path], timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(2)]
    assert all(rank["world"] == 2 for rank in ranks)
    dataset, batch = hf_ddp.Tokens(), 8
    for epoch in range(2):
        whole = plan(dataset, epoch)
        batches = [whole[i:i + batch] for i in range(0, len(whole), batch)]
        for r in range(2):  # accelerate gives process r every other batch of the one plan
            mine = [i for b in batches[r::2] for i in b]
            assert ranks[r][f"epoch {epoch}"][:len(mine)] == mine
        union = collections.Counter(ranks[0][f"epoch {epoch}"] + ranks[1][f"epoch {epoch}"])
        assert not collections.Counter(whole) - union  # every draw of the plan is seen
        assert sum(union.values()) - len(whole) < 2 * batch  # plus at most the padding of the last batches
