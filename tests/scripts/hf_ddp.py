"""Train a tiny randomly initialised BERT with BalancedTrainer under torchrun (2 CPU processes,
gloo) and record which rows each process saw in each epoch.

    python -m torch.distributed.run --standalone --nproc_per_node=2 hf_ddp.py OUT_FOLDER

Each process writes OUT_FOLDER/rank<r>.json: {"epoch <e>": [row indices in the order seen]}.
"""

import json
import os
import sys
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset
from transformers import BertConfig, BertForSequenceClassification, TrainerCallback, TrainingArguments

from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss
from imbalance.torch.hf import BalancedTrainer


class Tokens(Dataset):
    """Rows of 12 token ids; 10% positive, and a positive row starts with token 3."""

    def __init__(self, n: int = 203, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.targets = (rng.random(n) < 0.1).astype(np.int64)
        self.ids = rng.integers(5, 50, size=(n, 12))
        self.ids[self.targets == 1, 0] = 3
        self.seen: list[int] = []

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        self.seen.append(int(i))
        return {"input_ids": torch.tensor(self.ids[i]), "attention_mask": torch.ones(12, dtype=torch.long),
                "labels": int(self.targets[i])}


def tiny_bert(seed: int = 0) -> BertForSequenceClassification:
    """Built from a config, randomly initialised: nothing is downloaded."""
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=16, num_labels=2)
    return BertForSequenceClassification(config)


class EpochEnd(TrainerCallback):
    def __init__(self, dataset, record):
        self.dataset, self.record = dataset, record

    def on_epoch_end(self, args, state, control, **kwargs):
        self.record[f"epoch {round(state.epoch) - 1}"] = list(self.dataset.seen)
        self.dataset.seen.clear()


def main(out: Path) -> None:
    dataset, record = Tokens(), {}
    args = TrainingArguments(str(out / "trainer"), num_train_epochs=2, per_device_train_batch_size=8, report_to=[],
                             save_strategy="no", logging_strategy="no", use_cpu=True, disable_tqdm=True,
                             ddp_backend="gloo", ddp_find_unused_parameters=False, seed=0)
    trainer = BalancedTrainer(
        model=tiny_bert(), args=args, train_dataset=dataset, callbacks=[EpochEnd(dataset, record)],
        train_sampler=ClassBalancedSampler(dataset, strategy="over", seed=5, num_replicas=1, rank=0),
        loss=SoftmaxFocalLoss(gamma=2.0),
    )
    trainer.train()
    record["world"] = trainer.args.world_size
    (out / f"rank{os.environ.get('RANK', '0')}.json").write_text(json.dumps(record))
    # Leave without tearing anything down: at exit the DDP reducer's destructor joins gloo's
    # threads, and one of them can wait for the GIL the exiting interpreter holds (a rank once
    # hung there for good; another aborted with "terminate called without an active exception").
    # Both records are on disk once the barrier passes, so there is nothing left to close.
    if torch.distributed.is_initialized():
        torch.distributed.barrier()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)

if __name__ == "__main__":
    main(Path(sys.argv[1]))
