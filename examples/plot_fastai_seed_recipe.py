"""The seed recipe in fastai: weighted cross entropy, focal loss, an over-sampled loader
=======================================================================================

This library grew from a fastai recipe for imbalanced tables: N/count class weights in a
weighted cross entropy, a stable focal loss, and a DataLoader that over-samples the rare class.
Here are the three on one ``tabular_learner``, with the parts of :mod:`imbalance.torch.fastai`:

- ``weighted_cross_entropy(y)``: fastai's ``CrossEntropyLossFlat`` with
  :math:`w_c = N / n_c`;
- ``LossFlat(SoftmaxFocalLoss(gamma=2))``: the focal loss of Lin et al. (2017),
  :math:`-(1 - p_t)^\\gamma \\log p_t`, with the softmax and argmax fastai's ``get_preds`` and
  ``predict`` apply;
- ``EpochSampler(ClassBalancedSampler(...))``: every training epoch drawn anew, over-sampled to
  1:1 with exact counts; the validation rows are never resampled;

against plain cross entropy. The table is made here (no download): 8,000 rows, 5% positives, a
few numeric columns and two categorical ones. Average precision ranks the validation rows;
balanced accuracy reads the decoded classes (argmax, i.e. a 0.5 threshold).

In this run (one seed, on CPU; the same numbers every run) the four rank the validation rows
about equally (average precision 0.84 to 0.86); the N/count weights and the over-sampled loader
raise the balanced accuracy of the decoded classes from 0.88 to 0.92, the focal loss does not
(0.86): it reshapes the loss around the hard rows, not around the classes' prior. A threshold
tuned on the plain model's probabilities is the other way to those decisions.

Run it with ``python examples/plot_fastai_seed_recipe.py`` (needs fastai, see the README).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from fastai.losses import CrossEntropyLossFlat
from fastai.tabular.all import Categorify, Normalize, TabularDataLoaders, tabular_learner
from fastai.torch_core import set_seed
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, balanced_accuracy_score

from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss
from imbalance.torch.fastai import EpochSampler, LossFlat, weighted_cross_entropy


def make_table(seed: int = 0) -> pd.DataFrame:
    """8,000 rows, 5% positives, six numeric and two categorical columns (binned informative ones)."""
    X, y = make_classification(n_samples=8_000, n_features=8, n_informative=5, weights=[0.95], class_sep=0.8,
                               random_state=seed)
    df = pd.DataFrame(X[:, :6], columns=[f"x{i}" for i in range(6)])
    df["region"] = pd.cut(X[:, 6], 4, labels=["north", "east", "south", "west"]).astype(str)
    df["plan"] = np.where(X[:, 7] > 0, "premium", "basic")
    df["label"] = np.where(y == 1, "rare", "common")
    return df


def main(epochs: int = 4) -> dict[str, tuple[float, float]]:
    """(average precision, balanced accuracy) on the validation rows, per recipe."""
    df = make_table()
    valid = list(range(0, len(df), 4))  # every fourth row, never resampled

    def loaders() -> TabularDataLoaders:
        return TabularDataLoaders.from_df(df, y_names="label", cat_names=["region", "plan"],
                                          cont_names=[f"x{i}" for i in range(6)], procs=[Categorify, Normalize],
                                          valid_idx=valid, bs=128, num_workers=0)

    dls = loaders()
    train_labels = np.asarray(dls.train_ds.ys).ravel()  # Categorify's codes: common 0, rare 1
    rare = list(dls.vocab).index("rare")
    recipes = {
        "cross entropy": dict(loss_func=CrossEntropyLossFlat()),
        "weighted cross entropy, N/count": dict(loss_func=weighted_cross_entropy(train_labels)),
        "focal loss, gamma=2": dict(loss_func=LossFlat(SoftmaxFocalLoss(gamma=2.0))),
        "over-sampled loader, 1:1": dict(loss_func=CrossEntropyLossFlat(), cbs=EpochSampler(
            lambda labels: ClassBalancedSampler(labels, strategy="over", seed=0))),
    }
    results = {}
    for name, parts in recipes.items():
        set_seed(0, reproducible=True)  # python, numpy and torch; the loaders' shuffles draw from them
        learn = tabular_learner(loaders(), layers=[64, 32], **parts)
        with learn.no_bar(), learn.no_logging():
            learn.fit_one_cycle(epochs, lr_max=3e-3)
            probs, targets = learn.get_preds()
        truth = targets.numpy().ravel() == rare
        results[name] = (average_precision_score(truth, probs[:, rare].numpy()),
                         balanced_accuracy_score(truth, probs.argmax(dim=1).numpy() == rare))
    return results


if __name__ == "__main__":
    results = main()
    print(f"{'recipe':34} {'AP':>6} {'bal. acc.':>9}")
    for name, (ap, bacc) in results.items():
        print(f"{name:34} {ap:6.3f} {bacc:9.3f}")
    fig, ax = plt.subplots(figsize=(8, 3.5))
    names = list(results)
    positions = np.arange(len(names))
    ax.barh(positions - 0.2, [results[n][0] for n in names], height=0.4, label="average precision")
    ax.barh(positions + 0.2, [results[n][1] for n in names], height=0.4, label="balanced accuracy (argmax)")
    ax.set(yticks=positions, yticklabels=names, xlim=(0, 1), title="fastai tabular learner, validation rows (5% rare)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    plt.show()
