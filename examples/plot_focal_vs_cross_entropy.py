"""Focal loss against cross entropy on a small imbalanced problem
================================================================

One small network, three losses: plain binary cross entropy, cross entropy with
``pos_weight = n_neg / n_pos`` (:func:`imbalance.torch.torch_pos_weight`), and the sigmoid focal
loss of Lin et al. (2017), :math:`-\\alpha_t (1 - p_t)^\\gamma \\log p_t` with
:math:`\\gamma = 2, \\alpha = 0.25` (:class:`imbalance.torch.SigmoidFocalLoss`). The data has
3% positives; the test part is never resampled or re-weighted.

In this run (one seed, deterministic on CPU) plain cross entropy and the focal loss rank the
test rows about equally well (average precision); ``pos_weight`` buys balanced accuracy at the
0.5 threshold and pays for it in calibration (Brier score) and here in ranking too; the focal
loss, which down-weights the many easy negatives, leaves its probabilities less sharp. Neither
re-weighting is needed to rank: to decide, a threshold tuned on the plain model's probabilities
is the cheaper lever (see the user guide's "Which lever when"). The left panel shows
precision-recall curves, the right one reliability curves.

Run it with ``python examples/plot_focal_vs_cross_entropy.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, balanced_accuracy_score, brier_score_loss, precision_recall_curve
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

from imbalance.torch import SigmoidFocalLoss, torch_pos_weight

X, y = make_classification(n_samples=20_000, n_features=20, n_informative=6, weights=[0.97], class_sep=0.7,
                           random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train = torch.from_numpy(scaler.transform(X_train).astype(np.float32))
X_test = torch.from_numpy(scaler.transform(X_test).astype(np.float32))
target = torch.from_numpy(y_train.astype(np.float32))


def train(loss_fn: nn.Module, steps: int = 300, seed: int = 0) -> np.ndarray:
    """Full-batch Adam on a one-hidden-layer network; returns test probabilities."""
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(X_train.shape[1], 32), nn.ReLU(), nn.Linear(32, 1))
    optimiser = torch.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(steps):
        optimiser.zero_grad()
        loss_fn(net(X_train).squeeze(1), target).backward()
        optimiser.step()
    with torch.no_grad():
        return torch.sigmoid(net(X_test).squeeze(1)).numpy()


losses = {
    "cross entropy": nn.BCEWithLogitsLoss(),
    "cross entropy, pos_weight": nn.BCEWithLogitsLoss(pos_weight=torch_pos_weight(y_train)),
    "focal, gamma=2, alpha=0.25": SigmoidFocalLoss(gamma=2.0, alpha=0.25),
}
fig, (pr_ax, cal_ax) = plt.subplots(1, 2, figsize=(11, 4.5))
print(f"{'loss':28} {'AP':>6} {'bal. acc.':>9} {'Brier':>7}")
for name, loss_fn in losses.items():
    proba = train(loss_fn)
    ap = average_precision_score(y_test, proba)
    print(f"{name:28} {ap:6.3f} {balanced_accuracy_score(y_test, proba > 0.5):9.3f} "
          f"{brier_score_loss(y_test, proba):7.4f}")
    precision, recall, _ = precision_recall_curve(y_test, proba)
    pr_ax.plot(recall, precision, label=f"{name} (AP {ap:.2f})")
    observed, predicted = calibration_curve(y_test, proba, n_bins=10, strategy="quantile")
    cal_ax.plot(predicted, observed, marker="o", label=name)
pr_ax.set(xlabel="recall", ylabel="precision", title="Precision-recall, test part")
pr_ax.legend(fontsize=8)
cal_ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1)
cal_ax.set(xlabel="mean predicted probability", ylabel="share of positives", title="Reliability, test part",
           xscale="log", yscale="log")
cal_ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
