"""Which lever helps on the churn demo?
=====================================

:func:`imbalance.compare` scores every strategy with every model on the same leak-free folds:
resampling, class weights and preprocessing are fitted on each training part only, and every
validation row is scored once, as it is. Here five strategies (nothing, class weights, 1:1
under-sampling, SMOTE and a tuned threshold) meet a logistic regression and gradient boosting
on 5 folds of the bundled churn table, and :func:`imbalance.answer.answer` says which cell is
best for ranking (average precision) and for decisions (F1), and whether it beats the model as
it is by more than the noise between folds.

``imbalance compare`` on the command line runs the same with every default strategy and writes
a report with these plots and more (``imbalance-report/report.html``).

Run it with ``python examples/plot_churn_compare.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

import imbalance
from imbalance.answer import answer
from imbalance.datasets import load_churn

X, y = load_churn(return_X_y=True)
result = imbalance.compare(X, y, recipes=["none", "class_weight", "under_1:1", "smote", "threshold"],
                           models=["logreg", "hist_gb"], random_state=0)

for verdict in answer(result):
    print("-", verdict.sentence(), end="\n\n")

summary = result.summary.set_index(["strategy", "model"])
print(summary[["average_precision_mean", "f1_mean", "balanced_accuracy_mean", "brier_mean"]].round(3).to_string())

metrics = [("average_precision", "average precision"), ("f1", "F1 at the cell's threshold"),
           ("brier", "Brier score (lower is better)")]
strategies = list(dict.fromkeys(result.summary["strategy"]))
models = list(dict.fromkeys(result.summary["model"]))
fig, axes = plt.subplots(1, len(metrics), figsize=(13, 4))
width = 0.8 / len(models)
for ax, (metric, title) in zip(axes, metrics):
    for i, model in enumerate(models):
        rows = summary.xs(model, level="model").reindex(strategies)
        ax.bar(np.arange(len(strategies)) + i * width, rows[f"{metric}_mean"], width,
               yerr=rows[f"{metric}_sd"], capsize=2, label=model)
    ax.set_xticks(np.arange(len(strategies)) + width * (len(models) - 1) / 2, strategies, rotation=30)
    ax.set_title(title)
axes[0].legend()
fig.suptitle("Churn demo, 5 folds: mean and standard deviation over folds")
fig.tight_layout()
plt.show()
