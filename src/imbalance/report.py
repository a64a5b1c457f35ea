"""Tables, PNG plots and one self-contained HTML report of a comparison.

A report is written as a whole: every file goes into a temporary folder beside the target,
which then takes the target's place, so a failed or interrupted run leaves nothing and a
report folder never mixes two runs.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
import pandas as pd

from imbalance._figures import figure_png
from imbalance._io import atomic_folder, check_output_folder
from imbalance._regression_report import (
    REGRESSION_CAPTIONS,
    REGRESSION_HEADLINE_METRICS,
    REGRESSION_NOTE,
    plot_error_by_target,
    plot_target_distribution,
    regression_findings,
)
from imbalance._validation import OutputError
from imbalance.comparison import ComparisonResult
from imbalance.metrics import LOWER_IS_BETTER
from imbalance.model_selection import CALIBRATION_METHODS
from imbalance.strategies import MULTILABEL_STRATEGIES, REGRESSION_STRATEGIES, STRATEGIES

__all__ = ["best_cells", "write_report", "check_report_folder", "HEADLINE_METRICS", "MULTILABEL_HEADLINE_METRICS",
           "REPORT_FILES", "headline_metrics", "plot_per_label"]

#: Every file a report may hold. An existing folder with nothing else in it is a report and
#: may be replaced; any other file in it stops the run before it starts.
REPORT_FILES = ("results.csv", "summary.csv", "per_label.csv", "metrics.png", "pr_curves.png", "calibration.png",
                "per_label.png", "cost_curves.png", "error_by_target.png", "target_distribution.png", "report.html",
                "answer.json")

#: Metrics shown in the terminal table, the bar chart and the report's table.
HEADLINE_METRICS = ("average_precision", "roc_auc", "balanced_accuracy", "f1", "mcc", "g_mean", "brier", "brier_corrected",
                    "ece", "ece_corrected")
#: The same for a multi-label comparison.
MULTILABEL_HEADLINE_METRICS = ("average_precision_macro", "average_precision_micro", "f1_macro", "f1_micro",
                               "hamming_loss", "brier")
_LOWER_IS_BETTER = LOWER_IS_BETTER


def headline_metrics(result: ComparisonResult) -> tuple[str, ...]:
    """The metrics a report shows for this kind of comparison (with the calibrated Brier and
    ECE of every calibration method the comparison ran)."""
    if result.task == "regression":
        return tuple(m for m in REGRESSION_HEADLINE_METRICS if f"{m}_mean" in result.summary)
    if result.multilabel:
        return MULTILABEL_HEADLINE_METRICS
    return HEADLINE_METRICS + tuple(f"{metric}_{method}" for method in CALIBRATION_METHODS
                                    for metric in ("brier", "ece") if f"{metric}_{method}_mean" in result.summary) + (
        ("cost", "cost_at_threshold") if result.costs is not None else ()) + tuple(
        c[:-5] for c in result.summary.columns if ":" in c and c.endswith("_mean"))


def best_cells(summary: pd.DataFrame, metrics=HEADLINE_METRICS) -> dict[str, int]:
    """Row of ``summary`` with the best mean for each metric."""
    best = {}
    for m in metrics:
        column = summary[f"{m}_mean"]
        if column.notna().any():
            best[m] = int(column.idxmin() if m in _LOWER_IS_BETTER else column.idxmax())
    return best


def _colors(result: ComparisonResult) -> dict:
    """One colour per strategy, the same in every plot of a report: by the strategy's place in
    the result's table (tab10, then tab20's lighter shades beyond ten)."""
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(result.summary["strategy"]))
    palette = list(plt.get_cmap("tab10").colors) + list(plt.get_cmap("tab20").colors)[1::2]
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def _legend_below(ax, *, columns: int = 2) -> None:
    """The axes' legend under it, outside the curves, at a readable size."""
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, frameon=False)


def plot_metric_bars(result: ComparisonResult, metrics=HEADLINE_METRICS) -> bytes:
    import matplotlib.pyplot as plt

    summary = result.summary
    strategies = list(dict.fromkeys(summary["strategy"]))
    models = list(dict.fromkeys(summary["model"]))
    colors = _colors(result)
    cols = 4
    rows = int(np.ceil(len(metrics) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows + 0.6), squeeze=False, layout="constrained")
    width = 0.8 / len(strategies)
    for ax, metric in zip(axes.flat, metrics):
        for j, strategy in enumerate(strategies):
            part = summary[summary["strategy"] == strategy].set_index("model").reindex(models)
            ax.bar(np.arange(len(models)) + j * width, part[f"{metric}_mean"], width,
                   yerr=part[f"{metric}_sd"].fillna(0), color=colors[strategy], label=strategy, capsize=2)
        ax.set_xticks(np.arange(len(models)) + width * (len(strategies) - 1) / 2, models, fontsize=8)
        ax.set_title(metric + (" (lower is better)" if metric in _LOWER_IS_BETTER else ""), fontsize=9)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(strategies), 6), fontsize=8, frameon=False)
    fig.suptitle("Mean over folds, bars show one standard deviation", fontsize=10)
    return figure_png(fig)


def _binary_predictions(result: ComparisonResult) -> bool:
    return any("proba" in frame.columns for frame in result.predictions.values())


def plot_pr_curves(result: ComparisonResult) -> bytes:
    import matplotlib.pyplot as plt
    from sklearn.metrics import average_precision_score, precision_recall_curve

    models = list(dict.fromkeys(m for _, m in result.predictions))
    strategies = list(dict.fromkeys(s for s, _ in result.predictions))
    colors = _colors(result)
    fig, axes = plt.subplots(1, len(models), figsize=(4.6 * len(models), 5.2), squeeze=False, layout="constrained")
    for ax, model in zip(axes.flat, models):
        for strategy in strategies:
            frame = result.predictions.get((strategy, model))
            if frame is None:
                continue
            precision, recall, _ = precision_recall_curve(frame["y_true"], frame["proba"])
            ap = average_precision_score(frame["y_true"], frame["proba"])
            ax.plot(recall, precision, color=colors[strategy], lw=1.3, label=f"{strategy} (AP {ap:.3f})")
            prevalence = frame["y_true"].mean()
        ax.axhline(prevalence, color="grey", lw=0.8, ls=":")  # a model with no skill
        ax.set(xlabel="recall", ylabel="precision", title=model, xlim=(0, 1), ylim=(0, 1.02))
        _legend_below(ax)
    fig.suptitle("Precision-recall curves, out-of-fold predictions of the first repeat", fontsize=10)
    return figure_png(fig)


def plot_calibration(result: ComparisonResult) -> bytes:
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve

    models = list(dict.fromkeys(m for _, m in result.predictions))
    shifted = [s for s in dict.fromkeys(s for s, _ in result.predictions)
               if STRATEGIES[s].resample or STRATEGIES[s].class_weight or STRATEGIES[s].balanced_prior]
    colors = _colors(result)
    fig, axes = plt.subplots(1, len(models), figsize=(4.6 * len(models), 5.4), squeeze=False, layout="constrained")
    for ax, model in zip(axes.flat, models):
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":")
        for strategy in ["none", *shifted]:
            frame = result.predictions.get((strategy, model))
            if frame is None:
                continue
            raw_true, raw_pred = calibration_curve(frame["y_true"], frame["proba"], n_bins=10, strategy="quantile")
            ax.plot(raw_pred, raw_true, color=colors[strategy], lw=1, ls="--" if strategy != "none" else "-",
                    label=f"{strategy}" + (" (raw)" if strategy != "none" else ""))
            if strategy != "none":
                fixed_true, fixed_pred = calibration_curve(frame["y_true"], frame["proba_corrected"], n_bins=10,
                                                           strategy="quantile")
                ax.plot(fixed_pred, fixed_true, color=colors[strategy], lw=1.6, label=f"{strategy} (corrected)")
            for method, style in zip(CALIBRATION_METHODS, (":", "-.", (0, (1, 3)))):
                if f"proba_{method}" in frame:  # compare(calibration=...): mapped out of fold
                    cal_true, cal_pred = calibration_curve(frame["y_true"], frame[f"proba_{method}"], n_bins=10,
                                                           strategy="quantile")
                    ax.plot(cal_pred, cal_true, color=colors[strategy], lw=1.2, ls=style, label=f"{strategy} ({method})")
        ax.set(xlabel="mean predicted probability", ylabel="observed frequency", title=model, xlim=(0, 1), ylim=(0, 1))
        _legend_below(ax)
    calibrated = any(c.startswith("proba_") and c.split("_", 1)[1] in CALIBRATION_METHODS
                     for frame in result.predictions.values() for c in frame.columns)
    fig.suptitle("Calibration as trained (dashed), after prior correction (solid)"
                 + (" and after out-of-fold calibration (dotted, dash-dot)" if calibrated else ""), fontsize=10)
    return figure_png(fig)


def plot_per_label(result: ComparisonResult, metrics: tuple[str, ...] = ("average_precision", "f1")) -> bytes:
    """Multi-label: every label's mean validation score against its number of rows, one
    marker per strategy, one column of panels per model and one row per metric, so that what
    a strategy does to rare labels shows apart from what it does to common ones."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    table = result.per_label
    models = list(dict.fromkeys(table["model"]))
    strategies = list(dict.fromkeys(table["strategy"]))
    colors = _colors(result)
    markers = "os^vDP*Xph<>"
    fig, axes = plt.subplots(len(metrics), len(models), figsize=(5.2 * len(models), 3.8 * len(metrics)),
                             squeeze=False, sharey="row", sharex=True)
    for row, metric in enumerate(metrics):
        for ax, model in zip(axes[row], models):
            for number, strategy in enumerate(strategies):
                part = table[(table["model"] == model) & (table["strategy"] == strategy)]
                if part.empty:
                    continue  # markers only: labels are points, not a curve
                ax.plot(part["rows"], part[metric], ls="none", marker=markers[number % len(markers)], ms=5,
                        alpha=0.8, color=colors[strategy], label=strategy)
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xticks(sorted(set(table["rows"])), minor=True)
            if row == 0:
                ax.set_title(model)
                ax.legend(fontsize=7, loc="lower right")
            if row == len(metrics) - 1:
                ax.set_xlabel("rows carrying the label (log scale)")
        axes[row, 0].set_ylabel(f"{metric.replace('_', ' ')} (validation)")
    fig.suptitle("Per label, against the label's frequency: mean over folds (F1 at each strategy's thresholds)",
                 fontsize=10)
    return figure_png(fig)


def plot_cost_curves(result: ComparisonResult) -> bytes:
    """Binary, with costs: the mean cost per row of deciding positive where the
    prior-corrected probability reaches t, for every t, one line per strategy and a panel per
    model (out-of-fold predictions of the first repeat); the dotted line is Bayes' threshold
    :math:`C_{FP} / (C_{FP} + C_{FN})` where the costs are the same for every row."""
    import matplotlib.pyplot as plt

    costs = result.costs
    models = list(dict.fromkeys(m for _, m in result.predictions))
    strategies = list(dict.fromkeys(s for s, _ in result.predictions))
    colors = _colors(result)
    grid = np.linspace(0, 1, 201)
    fig, axes = plt.subplots(1, len(models), figsize=(4.6 * len(models), 5.2), squeeze=False, sharey=True,
                             layout="constrained")
    for ax, model in zip(axes.flat, models):
        for strategy in strategies:
            frame = result.predictions.get((strategy, model))
            if frame is None:
                continue
            y, p = frame["y_true"].to_numpy(), frame["proba_corrected"].to_numpy()
            rows = np.arange(y.size)
            cost = [costs[rows, y, (p >= t).astype(np.int64)].mean() for t in grid]
            ax.plot(grid, cost, color=colors[strategy], lw=1.3, label=f"{strategy} (least {min(cost):.3f})")
        if np.ptp(costs[:, 0, 1]) == 0 and np.ptp(costs[:, 1, 0]) == 0:
            fp, fn = costs[0, 0, 1], costs[0, 1, 0]
            ax.axvline(fp / (fp + fn), color="grey", lw=0.8, ls=":")
        ax.set(xlabel="threshold on the prior-corrected probability", title=model, xlim=(0, 1))
        _legend_below(ax)
    axes.flat[0].set_ylabel("mean cost per row")
    fig.suptitle("Cost curves, out-of-fold predictions of the first repeat (dotted: Bayes' threshold)", fontsize=10)
    return figure_png(fig)


def _summary_table_html(result: ComparisonResult, metrics=HEADLINE_METRICS, ties: dict | None = None) -> str:
    summary = result.summary
    best = best_cells(summary, metrics)
    ties = ties or {}
    head = "".join(f"<th>{html.escape(m)}</th>" for m in ("strategy", "model", *metrics))
    body = []
    for i, row in summary.iterrows():
        cells = [f"<td>{html.escape(str(row['strategy']))}</td>", f"<td>{html.escape(str(row['model']))}</td>"]
        for m in metrics:
            text = f"{row[f'{m}_mean']:.3f} ± {row[f'{m}_sd']:.3f}"
            if best.get(m) == i:
                cells.append(f"<td class='best'>{text}</td>")
            elif (row["strategy"], row["model"]) in ties.get(m, ()):
                cells.append(f"<td class='tie'>{text} =</td>")
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='sortable'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _multilabel_findings(result: ComparisonResult) -> list[str]:
    """Per strategy and model against the model's baseline (``none``, ``mlp_bce``): macro AP
    and F1, and which labels gain or lose."""
    from imbalance.multilabel_comparison import BASELINES

    s = result.summary.set_index(["strategy", "model"])
    table = result.per_label
    notes = []
    for (strategy, model), part in table.groupby(["strategy", "model"], sort=False):
        baseline = BASELINES.get(model, "none")
        if strategy == baseline or (baseline, model) not in s.index:
            continue
        base, row = s.loc[(baseline, model)], s.loc[(strategy, model)]
        gains = part.dropna(subset=["f1_gain"])
        if gains.empty:
            continue
        best, worst = gains.loc[gains["f1_gain"].idxmax()], gains.loc[gains["f1_gain"].idxmin()]
        notes.append(
            f"{model}, {strategy} against {baseline}: macro average precision "
            f"{base['average_precision_macro_mean']:.3f} → "
            f"{row['average_precision_macro_mean']:.3f}, macro F1 {base['f1_macro_mean']:.3f} → "
            f"{row['f1_macro_mean']:.3f}; F1 rises on {int((gains['f1_gain'] > 0).sum())} of {len(gains)} labels, "
            f"most on {best['label']} ({best['rows']} rows, {best['f1_gain']:+.3f}), least on {worst['label']} "
            f"({worst['rows']} rows, {worst['f1_gain']:+.3f})."
        )
    if "none" not in set(result.summary["strategy"]):
        notes.append("Run the 'none' strategy too to see what each strategy changes, label by label.")
    return notes


def _findings(result: ComparisonResult) -> list[str]:
    """Plain sentences on what the table shows, for the report's readers."""
    if result.task == "regression":
        return regression_findings(result)
    if result.multilabel:
        return _multilabel_findings(result)
    s = result.summary.set_index(["strategy", "model"])
    notes = []
    for model in dict.fromkeys(result.summary["model"]):
        if ("none", model) not in s.index:
            continue
        base = s.loc[("none", model)]
        for strategy in ("under_1:1", "over", "class_weight"):
            if (strategy, model) not in s.index:
                continue
            row = s.loc[(strategy, model)]
            notes.append(
                f"{model}, {strategy}: balanced accuracy at 0.5 {base['balanced_accuracy_mean']:.3f} → "
                f"{row['balanced_accuracy_mean']:.3f}; average precision {base['average_precision_mean']:.3f} → "
                f"{row['average_precision_mean']:.3f}; Brier {base['brier_mean']:.3f} → {row['brier_mean']:.3f}, "
                f"after prior correction {row['brier_corrected_mean']:.3f}."
            )
    return notes


_SINGLE_LABEL_NOTE = """Rebalancing moves the decision threshold: it usually raises balanced accuracy at 0.5 while leaving
ranking metrics (average precision, ROC AUC) about where they were, and it distorts predicted
probabilities (higher Brier score and ECE). The prior correction ("corrected" columns) is Bayes'
rule for the class shares the model saw: it undoes that distortion exactly only where the model's
probabilities were calibrated for the rebalanced data and the strategy changed nothing but the
class shares (random resampling, class weights, a class-balanced sampler, with a model such as a
logistic regression). A model that memorises repeated rows (a random forest fitted to over-sampled
copies, or to class weights, which act as copies) is overconfident on them, and there the
correction can leave the Brier score worse than the model as it is; so can SMOTE, a cleaning rule
or a balanced ensemble's changed trees. Out-of-fold calibration (compare --calibrate
sigmoid,isotonic) is the fix there; temperature scaling mends overconfidence, not a shifted prior."""

#: What each plot shows, under it in the report.
_CAPTIONS = {
    "metrics.png": "Every strategy and model, mean and standard deviation over folds, per headline metric.",
    "pr_curves.png": "Precision against recall over every threshold, out of fold (the first repeat): the higher "
                     "curve ranks the positives better.",
    "calibration.png": "Predicted probability against the observed share of positives, per bin (on the diagonal: "
                       "calibrated): as the model was trained dashed, after the prior correction solid.",
    "cost_curves.png": "Expected cost per row over every threshold (the costs given), out of fold: the lowest point "
                       "is the cheapest decision.",
    "per_label.png": "Per label, the change from the model as it is: which labels a strategy helps, rarest first.",
}
_MULTILABEL_NOTE = """Macro averages weigh every label the same, so they follow the rare labels; micro averages pool
every (row, label) entry and follow the common ones. Rebalancing mostly moves each label's decision
threshold: it tends to raise macro F1 at 0.5 and leave average precision about where it was. The
per-label plot shows which labels a strategy helps."""


def _note(result: ComparisonResult) -> str:
    """The paragraph under the findings: what to expect of rebalancing, for this kind of target."""
    if result.task == "regression":
        return REGRESSION_NOTE
    return _MULTILABEL_NOTE if result.multilabel else _SINGLE_LABEL_NOTE


def _labels_html(result: ComparisonResult) -> str:
    """Multi-label: the label matrix's imbalance measures and every label's frequency."""
    if not result.multilabel or result.measures is None:
        return ""
    m = result.measures
    facts = (f"{m.n_samples} rows, {len(m.labels)} labels, {m.cardinality:.2f} labels per row, "
             f"MeanIR {m.mean_ir:.2f}, MaxIR {m.max_ir:.2f}, CVIR {m.cvir:.2f}, SCUMBLE {m.scumble:.3f}, "
             f"{m.n_labelsets} distinct labelsets, {m.n_unlabelled} rows without a label")
    cells = "".join(f"<tr><td>{html.escape(str(label))}</td><td>{count}</td><td>{ir:.2f}</td></tr>"
                    for label, count, ir in zip(m.labels, m.counts, m.irlbl))
    return (f"<h2>Labels</h2><p>{html.escape(facts)}.</p><table class='sortable'><thead><tr><th>label</th><th>rows</th>"
            f"<th>IRLbl</th></tr></thead><tbody>{cells}</tbody></table>")


def check_report_folder(out: Path) -> None:
    """Raise an OutputError unless a report can be written at ``out``: a new folder, or an
    existing one that holds nothing but a report's files, in a writable parent folder.

    Cheap: call it before the work whose result will be written there.
    """
    out = Path(out)
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in REPORT_FILES)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise OutputError(
                f"{out} holds files that are not part of an imbalance report ({shown}); a report replaces the "
                "whole folder, so choose a new or empty folder."
            )
    check_output_folder(out)


#: Click a column's header to sort the table by it (numbers by value, the rest by text; a
#: second click reverses). Inline, so the page needs nothing from the network.
_SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach((th, column) => {
  th.style.cursor = "pointer";
  th.title = "sort by this column";
  th.addEventListener("click", () => {
    const body = th.closest("table").tBodies[0];
    const rows = Array.from(body.rows);
    const key = r => { const t = r.cells[column].textContent; const v = parseFloat(t); return isNaN(v) ? t : v; };
    const up = th.dataset.order !== "up";
    rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
    th.dataset.order = up ? "up" : "down";
    rows.forEach(r => body.appendChild(r));
  });
});
"""


def _answer_html(verdicts: list, decision: str | None = None) -> str:
    """The answer section: one sentence per question, what deploying the decision's choice
    would do, then how it was decided."""
    if not verdicts:
        return ""
    items = "".join(f"<li>{html.escape(v.sentence())}</li>" for v in verdicts)
    if decision:
        items += f"<li class='decision'>{html.escape(decision)}</li>"
    confidence = verdicts[0].difference.confidence if verdicts[0].difference else 0.95
    return (f"<section id='answer'><h2>The answer</h2><ul>{items}</ul>"
            f"<p class='how'>Best mean over folds per metric; the baseline is the same model as it is "
            f"(strategy 'none'). Differences are paired fold by fold and tested with the corrected resampled "
            f"t-test of Nadeau and Bengio (2003), which allows for the overlap of training parts; intervals are "
            f"{confidence:.0%}. A cell is tied with the best when its difference from it is within noise "
            f"(marked = in the table).</p></section>")


def _answer_json(verdicts: list, source: str, settings: dict | None, left_out: dict | None = None) -> str:
    """The answer as data, for ``imbalance fit --from`` (which fits the decision metric's best
    cell) and for scripts."""
    import json

    def difference(d):
        return None if d is None else {"mean": d.mean, "low": d.low, "high": d.high, "t": d.t,
                                       "p_value": d.p_value, "df": d.df, "confidence": d.confidence}

    return json.dumps({
        "format": "imbalance.answer/1",
        "source": source,
        "settings": {str(k): v for k, v in (settings or {}).items()},
        "verdicts": [{"metric": v.metric, "best": list(v.best), "best_mean": v.best_mean, "choice": list(v.choice),
                      "same": [list(cell) for cell in v.same],
                      "baseline": None if v.baseline is None else list(v.baseline), "baseline_mean": v.baseline_mean,
                      "difference": difference(v.difference), "beats_baseline": v.beats_baseline,
                      "ties": [{"cell": list(cell), "mean": mean} for cell, mean, _ in v.ties]} for v in verdicts],
        "left_out": [{"cell": list(cell), "why": why} for cell, why in (left_out or {}).items()],
    }, indent=2, default=float)


def write_report(result: ComparisonResult, out: Path, *, title: str = "imbalance compare", source: str = "",
                 settings: dict | None = None, verdicts: list | None = None) -> list[Path]:
    """Write results.csv, summary.csv, PNG plots and report.html as the folder ``out``.

    All or nothing: the files are written into a temporary folder beside ``out``, which then
    replaces ``out`` (a folder holding an earlier report, or nothing; see
    :func:`check_report_folder`). ``verdicts``: the answer to show first (default:
    :func:`imbalance.answer.answer` of ``result``). Returns the paths of the files written.
    """
    from imbalance.answer import answer, decision_summary, tie_marks

    verdicts = answer(result) if verdicts is None else verdicts
    import matplotlib

    matplotlib.use("Agg", force=True)
    out = Path(out)
    check_report_folder(out)
    files: dict[str, bytes] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = data

    put("results.csv", result.results.to_csv(index=False).encode())
    put("summary.csv", result.summary.to_csv(index=False).encode())
    headline = headline_metrics(result)
    images = {"metrics.png": plot_metric_bars(result, headline)}
    if result.task == "regression":
        images["error_by_target.png"] = plot_error_by_target(result, _colors(result))
        if result.fitted_targets:
            images["target_distribution.png"] = plot_target_distribution(result, _colors(result))
    elif result.multilabel:
        put("per_label.csv", result.per_label.to_csv(index=False).encode())
        images["per_label.png"] = plot_per_label(result)
    elif _binary_predictions(result):
        images["pr_curves.png"] = plot_pr_curves(result)
        images["calibration.png"] = plot_calibration(result)
        if result.costs is not None:
            images["cost_curves.png"] = plot_cost_curves(result)
    for name, data in images.items():
        put(name, data)

    figures = "".join(
        f"<figure><img alt='{name}' src='data:image/png;base64,{base64.b64encode(data).decode()}'>"
        f"<figcaption>{html.escape({**_CAPTIONS, **REGRESSION_CAPTIONS}.get(name, ''))} "
        f"<span class='file'>({name})</span></figcaption></figure>"
        for name, data in images.items()
    )
    recipes = (REGRESSION_STRATEGIES if result.task == "regression" else MULTILABEL_STRATEGIES if result.multilabel
               else STRATEGIES)
    strategies = "".join(
        f"<li><b>{html.escape(s)}</b>: {html.escape(recipes[s].description)}</li>"
        for s in dict.fromkeys(result.summary["strategy"])
    )
    settings_html = "".join(
        f"<li>{html.escape(str(k))}: {html.escape(', '.join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))}</li>"
        for k, v in (settings or {}).items())
    findings = "".join(f"<li>{html.escape(n)}</li>" for n in _findings(result))
    deciding = next((v for v in verdicts[1:2]), None)  # the decision question (the ranking one comes first)
    decision = None if deciding is None else decision_summary(result, deciding.choice)
    left_out = "".join(f"<li><b>{html.escape(s)} / {html.escape(m)}</b> could not be fitted on {html.escape(why)}</li>"
                       for (s, m), why in result.left_out.items())
    if left_out:
        left_out = ("<h2>Left out</h2><p>These cells failed on a fold, so they are left out of every table and plot "
                    f"(the rest are compared on the same folds):</p><ul>{left_out}</ul>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; white-space: nowrap; }}
th {{ background: #f3f3f3; }} td.best {{ font-weight: bold; background: #e6f4e6; }}
td.tie {{ background: #f2f8f2; }} #answer {{ background: #f7f7fb; border: 1px solid #dde; padding: 0.2em 1em; }}
.scroll {{ overflow-x: auto; max-width: 100%; }} li.decision {{ margin-top: 0.5em; }}
figcaption .file {{ color: #999; }}
.how {{ color: #555; font-size: 0.85em; }}
img {{ max-width: 100%; }} figure {{ margin: 1.5em 0; }} figcaption {{ color: #666; font-size: 0.8em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{_answer_html(verdicts, decision)}
<p>Data: {html.escape(source)}. Every strategy and model was scored on the same folds; resampling and
preprocessing were fitted on each fold's training part only, and validation rows were scored as they are.
Values are means ± standard deviations over folds; the best per metric is highlighted.</p>
<h2>Settings</h2><ul>{settings_html}</ul>
<h2>Strategies</h2><ul>{strategies}</ul>
{left_out}{_labels_html(result)}<h2>Results</h2>
<div class='scroll'>{_summary_table_html(result, headline, tie_marks(verdicts))}</div>
<h2>What it shows</h2><ul>{findings}</ul>
<p>{_note(result)}</p>
<h2>Plots</h2>{figures}
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
    put("report.html", page.encode())
    put("answer.json", _answer_json(verdicts, source, settings, result.left_out).encode())
    with atomic_folder(out) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
    return [out / name for name in files]
