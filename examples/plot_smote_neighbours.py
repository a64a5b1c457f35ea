"""SMOTE and its neighbours on a 2-D toy
======================================

Where do the SMOTE family put their synthetic rows, and which rows do the cleaning rules
remove? A two-feature problem with 5% minority rows (and 2% of the labels flipped, so that some
minority rows sit inside the majority, as in real data), resampled by SMOTE, Borderline-SMOTE,
ADASYN, SMOTE followed by ENN, Tomek links and NearMiss-1: synthetic rows are drawn as
crosses, removed rows as grey rings. Every sampler reports its realised ``plan_`` and where each
row came from (``origin_``: the input row of every output row, -1 for a synthetic one, whose two
parents are in ``parents_``). Watch SMOTE draw lines of synthetic rows from the stray minority
rows across the majority, Borderline-SMOTE and ADASYN concentrate them near the border, and ENN
then clean both classes around it.

Run it with ``python examples/plot_smote_neighbours.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification

import imbalance

X, y = make_classification(n_samples=600, n_features=2, n_informative=2, n_redundant=0, n_clusters_per_class=1,
                           weights=[0.95], class_sep=0.8, flip_y=0.02, random_state=3)
print("class counts:", {int(c): int(n) for c, n in zip(*np.unique(y, return_counts=True))})

samplers = {
    "SMOTE": imbalance.SMOTE(random_state=0),
    "Borderline-SMOTE": imbalance.BorderlineSMOTE(random_state=0),
    "ADASYN": imbalance.ADASYN(random_state=0),
    "SMOTE + ENN": imbalance.SMOTEENN(random_state=0),
    "Tomek links": imbalance.TomekLinks(),
    "NearMiss-1 (3:1)": imbalance.NearMiss(version=1, ratio=3),
}

fig, axes = plt.subplots(2, 3, figsize=(12, 7.5), sharex=True, sharey=True)
for ax, (name, sampler) in zip(axes.ravel(), samplers.items()):
    X_res, y_res = sampler.fit_resample(X, y)
    synthetic = getattr(sampler, "is_synthetic_", np.zeros(len(y_res), dtype=bool))
    original = X_res[~synthetic]
    y_original = y_res[~synthetic]
    removed = np.ones(len(y), dtype=bool)
    removed[sampler.origin_[sampler.origin_ >= 0]] = False
    ax.scatter(*X[removed].T, s=28, facecolors="none", edgecolors="0.6", linewidths=0.8, label="removed")
    ax.scatter(*original[y_original == 0].T, s=6, c="tab:blue", label="majority")
    ax.scatter(*original[y_original == 1].T, s=14, c="tab:red", label="minority")
    ax.scatter(*X_res[synthetic].T, s=14, marker="x", c="tab:orange", linewidths=0.8, label="synthetic")
    counts = ", ".join(f"{c}: {n}" for c, n in sampler.plan_.targets.items())
    ax.set_title(f"{name}\n{counts}", fontsize=10)
    print(f"{name:18} -> {counts}; synthetic {int(synthetic.sum())}, removed {int(removed.sum())}")
axes[0, 0].legend(loc="lower left", fontsize=8)
fig.suptitle("Synthetic rows (x) and removed rows (grey rings), 5% minority")
fig.tight_layout()
plt.show()
