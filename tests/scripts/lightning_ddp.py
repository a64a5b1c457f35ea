"""Train a tiny model with Lightning's DDP strategy on 2 CPU processes (gloo), the training
loader from BalancedDataModule, and record which rows each rank saw in each epoch.

    python lightning_ddp.py OUT_FOLDER

Lightning's "ddp" strategy starts the second process by running this script again; each rank
writes OUT_FOLDER/rank<r>.json: {"epoch <e>": [row indices in the order seen], "wrapped": the
type of the training loader's sampler as Lightning left it}.
"""

import json
import os
import sys
from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
from torch.utils.data import Dataset

from imbalance.torch import ClassBalancedSampler
from imbalance.torch.lightning import BalancedDataModule


class Rows(Dataset):
    """Row i is (i, features, label); 10% of the 301 rows are positive."""

    def __init__(self, n: int = 301):
        rng = np.random.default_rng(0)
        self.targets = (rng.random(n) < 0.1).astype(np.int64)
        self.features = torch.from_numpy(rng.normal(size=(n, 4)).astype(np.float32))

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        return i, self.features[i], int(self.targets[i])


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 2)
        self.seen: dict[str, list[int]] = {}

    def training_step(self, batch, batch_idx):
        index, x, y = batch
        self.seen.setdefault(f"epoch {self.current_epoch}", []).extend(index.tolist())
        return torch.nn.functional.cross_entropy(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def main(out: Path) -> None:
    data = BalancedDataModule(Rows(), batch_size=16,
                              sampler=lambda ds: ClassBalancedSampler(ds, strategy="over", seed=7))
    model = Model()
    trainer = pl.Trainer(accelerator="cpu", devices=2, strategy="ddp", max_epochs=2, logger=False,
                         enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(model, datamodule=data)
    record = dict(model.seen, wrapped=type(trainer.train_dataloader.sampler).__name__,
                  world=trainer.world_size)
    (out / f"rank{trainer.global_rank}.json").write_text(json.dumps(record))
    # Leave without tearing down DDP: its reducer's destructor can deadlock with gloo's threads
    # at interpreter exit. Every rank's record is on disk once the barrier passes.
    trainer.strategy.barrier()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
