"""What a report shows of a comparison on a numeric target: its plots, findings and note
(the page itself is :func:`imbalance.report.write_report`'s, as for classes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from imbalance._figures import figure_png
from imbalance.comparison import ComparisonResult
from imbalance.regression import Relevance

__all__ = ["REGRESSION_HEADLINE_METRICS", "REGRESSION_NOTE", "REGRESSION_CAPTIONS", "plot_error_by_target",
           "plot_target_distribution", "regression_findings"]

#: Metrics a report of a numeric target shows (all of :data:`imbalance.regression.REGRESSION_METRICS`).
REGRESSION_HEADLINE_METRICS = ("rare_rmse", "sera", "rmse", "mae", "relevance_weighted_rmse", "relevance_weighted_mae",
                               "r2")

REGRESSION_NOTE = """A regressor trained on the data as it is regresses to the mean: it does best where the target is
common and worst at the rare extremes. Rebalancing (resampling the relevance bins, or weighing the rare rows
more) usually lowers the error on the rare rows (rare RMSE, SERA, the relevance-weighted errors) at the cost of
some error on the common ones (RMSE, MAE and R^2 over all rows): which trade is worth it is the question the
answer above settles on these folds. Relevance, and so what counts as rare, comes from each training part's
target (the automatic box-plot method unless control points were given)."""

REGRESSION_CAPTIONS = {
    "error_by_target.png": "RMSE of out-of-fold predictions (the first repeat) per tenth of the target's range of "
                           "values, for the model as it is and the best cell by rare RMSE: where along the target "
                           "each one errs.",
    "target_distribution.png": "The target's distribution in the first training part, as it is and as each recipe "
                               "left it for the model (resampled rows, synthetic targets), with its relevance.",
}


def _best_cell(result: ComparisonResult, metric: str = "rare_rmse") -> tuple[str, str] | None:
    column = f"{metric}_mean"
    if column not in result.summary or result.summary[column].isna().all():
        return None
    row = result.summary.loc[result.summary[column].idxmin()]
    return str(row["strategy"]), str(row["model"])


def plot_error_by_target(result: ComparisonResult, colors: dict) -> bytes:
    """RMSE per decile of the target for ``none`` of every model and the best cell."""
    import matplotlib.pyplot as plt

    cells = [key for key in result.predictions if key[0] == "none"]
    best = _best_cell(result)
    if best is not None and best not in cells:
        cells.append(best)
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    any_frame = next(iter(result.predictions.values()))
    edges = np.unique(np.quantile(any_frame["y_true"], np.linspace(0, 1, 11)))
    centers = (edges[:-1] + edges[1:]) / 2
    markers = dict(zip(dict.fromkeys(result.summary["model"]), "osD^vP"))
    for strategy, model in cells:
        frame = result.predictions[(strategy, model)]
        which = np.clip(np.searchsorted(edges, frame["y_true"], side="right") - 1, 0, len(edges) - 2)
        squared = (frame["y_pred"] - frame["y_true"]) ** 2
        rmse = np.sqrt(pd.Series(squared.to_numpy()).groupby(which).mean()).reindex(range(len(edges) - 1))
        ax.plot(centers, rmse.to_numpy(), marker=markers.get(model, "o"), color=colors.get(strategy),
                label=f"{strategy} / {model}",
                linestyle="-" if (strategy, model) == best else "--")
    ax.set_xlabel("target value (centre of its tenth of the rows)")
    ax.set_ylabel("RMSE")
    ax.legend(fontsize=8, frameon=False)
    return figure_png(fig)


def plot_target_distribution(result: ComparisonResult, colors: dict) -> bytes:
    """Histograms of the first training part's target before and after each recipe, and the
    relevance of that target."""
    import matplotlib.pyplot as plt

    fitted = result.fitted_targets
    before = fitted.get("none", next(iter(fitted.values())))
    everything = np.concatenate(list(fitted.values()))
    whole = np.all(before == np.round(before))  # a count (rings, days): one bar per value
    bins = (np.arange(np.floor(everything.min()), np.ceil(everything.max()) + 2) - 0.5 if whole
            and everything.max() - everything.min() <= 80 else np.linspace(everything.min(), everything.max(), 41))
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.hist(before, bins=bins, color="#bbbbbb", label="as it is", density=True)
    for strategy, values in fitted.items():
        if strategy != "none" and not np.array_equal(values, before):
            ax.hist(values, bins=bins, histtype="step", linewidth=1.5, density=True, color=colors.get(strategy),
                    label=strategy)
    twin = ax.twinx()
    grid = np.linspace(bins[0], bins[-1], 400)
    twin.plot(grid, Relevance.from_target(before)(grid), color="black", linewidth=1, label="relevance")
    twin.set_ylim(0, 1.05)
    twin.set_ylabel("relevance")
    ax.set_xlabel("target")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    return figure_png(fig)


def regression_findings(result: ComparisonResult) -> list[str]:
    """Per model: what each recipe did to the rare rows' error and to the error over all rows."""
    s = result.summary.set_index(["strategy", "model"])
    notes = []
    for model in dict.fromkeys(result.summary["model"]):
        if ("none", model) not in s.index or "rare_rmse_mean" not in s or "rmse_mean" not in s:
            continue
        base = s.loc[("none", model)]
        for strategy in dict.fromkeys(result.summary["strategy"]):
            if strategy == "none" or (strategy, model) not in s.index:
                continue
            row = s.loc[(strategy, model)]
            notes.append(f"{model}, {strategy}: rare RMSE {base['rare_rmse_mean']:.3f} → {row['rare_rmse_mean']:.3f}; "
                         f"RMSE over all rows {base['rmse_mean']:.3f} → {row['rmse_mean']:.3f}.")
    return notes
