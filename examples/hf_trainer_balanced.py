"""The Hugging Face Trainer with a balanced sampler and focal loss
===================================================================

A text classifier for a rare class: 4% of 3,000 "sentences" (rows of token ids) are positive,
and a positive row carries one of three signal tokens somewhere among its 16 tokens (a few
negatives carry one too). A tiny BERT, built from a config and randomly initialised (nothing is
downloaded), is trained twice for the same number of steps: by the plain ``Trainer``, and by
:class:`imbalance.torch.hf.BalancedTrainer` with a
:class:`~imbalance.torch.ClassBalancedSampler` (every epoch draws as many positive rows as
negative ones) and :class:`~imbalance.torch.SoftmaxFocalLoss`. A held-out part, never
rebalanced, scores both: average precision for the ranking, balanced accuracy at the most
probable class for the decisions.

In this short run the plain ``Trainer`` has not left the majority class yet (its average
precision is about the 4% prevalence, and it never predicts the rare class), while the balanced
run, which sees the positive rows about 12 times as often, has found the signal tokens. Its
probabilities are for a balanced world: read them after :func:`imbalance.metrics.correct_prior`
if you need them as probabilities.
The same ``BalancedTrainer`` runs under ``torchrun`` on several processes: every process
draws the same epoch from the sampler's seed and the Trainer gives each its own batches.

Needs the ``hf`` extra. Run it with ``python examples/hf_trainer_balanced.py``.
"""

from __future__ import annotations

import tempfile

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.metrics import average_precision_score, balanced_accuracy_score
from torch.utils.data import Dataset
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss
from imbalance.torch.hf import BalancedTrainer

SIGNAL = (3, 4, 5)


class Sentences(Dataset):
    """Rows of 16 token ids; ``targets`` is what our samplers read, without loading a row."""

    def __init__(self, n: int, seed: int):
        rng = np.random.default_rng(seed)
        self.targets = (rng.random(n) < 0.04).astype(np.int64)
        self.ids = rng.integers(10, 200, size=(n, 16))
        carriers = np.flatnonzero((self.targets == 1) | (rng.random(n) < 0.01))
        self.ids[carriers, rng.integers(0, 16, carriers.size)] = rng.choice(SIGNAL, carriers.size)

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, i: int) -> dict:
        return {"input_ids": torch.from_numpy(self.ids[i]), "attention_mask": torch.ones(16, dtype=torch.long),
                "labels": int(self.targets[i])}


def tiny_bert() -> BertForSequenceClassification:
    torch.manual_seed(0)
    return BertForSequenceClassification(BertConfig(vocab_size=200, hidden_size=32, num_hidden_layers=2,
                                                    num_attention_heads=2, intermediate_size=64,
                                                    max_position_embeddings=16, num_labels=2))


def score(trainer: Trainer, test: Sentences) -> tuple[float, float]:
    logits = torch.from_numpy(trainer.predict(test).predictions)
    proba = torch.softmax(logits, dim=1)[:, 1].numpy()
    return average_precision_score(test.targets, proba), balanced_accuracy_score(test.targets, proba > 0.5)


def main() -> dict:
    train, test = Sentences(3000, seed=0), Sentences(2000, seed=1)
    results = {}
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(out, num_train_epochs=3, per_device_train_batch_size=32, learning_rate=2e-3,
                                 report_to=[], save_strategy="no", logging_strategy="no", use_cpu=True,
                                 disable_tqdm=True, seed=0)
        plain = Trainer(model=tiny_bert(), args=args, train_dataset=train)
        plain.train()
        results["Trainer"] = score(plain, test)
        balanced = BalancedTrainer(
            model=tiny_bert(), args=args, train_dataset=train,
            # num_samples keeps the epoch as long as the plain one: the same number of steps
            train_sampler=ClassBalancedSampler(train, strategy="over", num_samples=len(train), seed=0,
                                               num_replicas=1, rank=0),
            loss=SoftmaxFocalLoss(gamma=2.0),
        )
        balanced.train()
        results["BalancedTrainer"] = score(balanced, test)
    print(f"{'':16} {'average precision':>17} {'balanced accuracy':>17}")
    for name, (ap, bacc) in results.items():
        print(f"{name:16} {ap:17.3f} {bacc:17.3f}")
    return results


if __name__ == "__main__":
    results = main()
    fig, axes = plt.subplots(1, 2, figsize=(8, 2.8), layout="constrained")
    for ax, column, title in zip(axes, (0, 1), ("average precision", "balanced accuracy")):
        ax.barh(list(results), [values[column] for values in results.values()], color=["#999", "#1f77b4"])
        ax.set(xlim=(0, 1), title=title)
    axes[1].set_yticks([])
    plt.show()
