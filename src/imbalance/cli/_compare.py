"""``imbalance compare``: every recipe with every model on the same folds, the terminal tables,
the report folder."""


from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from imbalance._labels import encode_labels
from imbalance._validation import (
    InputError,
    ParameterError,
    column_as_numbers,
    to_python,
)
from imbalance.cli._common import (
    DEMO,
    add_data_args,
    console_for,
    int_at_least,
    label_columns,
    load_table,
    n_jobs_arg,
    names_arg,
    old_name,
    rich_print,
    seed_arg,
    terminal_width,
)
from imbalance.regression import REGRESSION_METRICS
from imbalance.strategies import (
    MODEL_NAMES,
    MULTILABEL_MODEL_NAMES,
    MULTILABEL_STRATEGIES,
    REGRESSION_MODEL_NAMES,
    REGRESSION_STRATEGIES,
    SPARK_MODEL_NAMES,
    SPARK_STRATEGIES,
    STRATEGIES,
    left_out_by_default,
)

#: Tables up to this many rows get 2 repeats of the folds by default in ``compare`` (the
#: 5,000-row demo takes about a minute with one; two would double it).
SMALL_TABLE_ROWS = 2_000


#: Metrics in the terminal table of ``compare`` unless ``--metrics`` says otherwise: ranking,
#: decisions at the threshold, and probabilities after the prior correction.
TERMINAL_METRICS = ("average_precision", "balanced_accuracy", "f1", "mcc", "brier", "brier_corrected")


_SHORT_NAMES = {"average_precision": "AP", "roc_auc": "ROC AUC", "balanced_accuracy": "bal. acc.", "f1": "F1",
                "f1_macro": "F1 macro", "mcc": "MCC", "g_mean": "G-mean", "recall_at_precision_50": "R@P50",
                "brier": "Brier", "brier_corrected": "Brier corr.", "log_loss": "log loss",
                "log_loss_corrected": "log loss corr.", "average_precision_macro": "AP macro",
                "average_precision_micro": "AP micro", "roc_auc_macro": "ROC AUC macro", "f1_micro": "F1 micro",
                "hamming_loss": "Hamming", "subset_accuracy": "subset acc.", "ece": "ECE",
                "ece_corrected": "ECE corr.", "brier_sigmoid": "Brier sigm.", "brier_isotonic": "Brier iso.",
                "brier_temperature": "Brier temp.", "cost": "cost", "cost_at_threshold": "cost at thr.",
                "precision": "precision", "recall": "recall", "flagged": "flagged", "rare_rmse": "rare RMSE",
                "sera": "SERA", "rmse": "RMSE", "mae": "MAE", "relevance_weighted_rmse": "rel. RMSE",
                "relevance_weighted_mae": "rel. MAE", "r2": "R2"}


def _metric_tables(summary: pd.DataFrame, metrics: Sequence[str], best: dict, title: str, width: int,
                   ties: dict | None = None) -> list:
    """The summary as (title, rich table) pairs of strategy, model and as many metric columns
    as fit in ``width``: one table when it fits, else one per group of metrics, so that no
    cell is cut. The best cell per metric is marked ``*``, cells tied with it ``=``."""
    from rich import box
    from rich.table import Table

    ties = ties or {}

    def cell(i: int, m: str) -> str:
        text = f"{summary.at[i, f'{m}_mean']:.3f}±{summary.at[i, f'{m}_sd']:.3f}"
        if best.get(m) == i:
            return f"[bold]{text}*[/bold]"
        return f"{text}=" if (summary.at[i, "strategy"], summary.at[i, "model"]) in ties.get(m, ()) else text

    def column_width(m: str) -> int:
        plain = [len(f"{summary.at[i, f'{m}_mean']:.3f}±{summary.at[i, f'{m}_sd']:.3f}*") for i in summary.index]
        return max([len(_SHORT_NAMES.get(m, m)), *plain])

    # Column gap 2 (collapsed padding): strategy, model, then the metrics.
    fixed = max(len("strategy"), *summary["strategy"].str.len()) + max(len("model"), *summary["model"].str.len()) + 2
    groups, current, used = [], [], fixed
    for m in metrics:
        w = column_width(m) + 2
        if current and used + w > width:
            groups.append(current)
            current, used = [], fixed
        current.append(m)
        used += w
    groups.append(current)

    tables = []
    for number, group in enumerate(groups, start=1):
        part = f" ({number}/{len(groups)})" if len(groups) > 1 else ""
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
        table.add_column("strategy", no_wrap=True)
        table.add_column("model", no_wrap=True)
        for m in group:
            table.add_column(_SHORT_NAMES.get(m, m), justify="right", no_wrap=True)
        for i, row in summary.iterrows():
            table.add_row(str(row["strategy"]), str(row["model"]), *(cell(i, m) for m in group))
        tables.append((title + part, table))
    return tables


def _input_inside(path: Path | None, folder: Path) -> bool:
    if path is None:
        return False
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _cmd_compare(args: argparse.Namespace) -> int:
    from imbalance.answer import DEFAULT_QUESTIONS, answer, decision_summary, tie_marks
    from imbalance.metrics import DECISION_SHARES, METRICS, MULTILABEL_METRICS
    from imbalance.model_selection import THRESHOLD_METRICS
    from imbalance.report import MULTILABEL_HEADLINE_METRICS, best_cells, check_report_folder, write_report

    columns = label_columns(args)
    with_costs = args.costs is not None or args.cost_column is not None
    if _numeric_target(args, columns):
        return _cmd_compare_numeric(args)
    if columns is None:
        shown = list(TERMINAL_METRICS if args.metrics is None else args.metrics)
        if args.metrics is None:  # what the user asked for is shown: the costs, the calibrations
            shown += ["cost"] * with_costs + [f"brier_{method}" for method in args.calibrate or ()]
        known = (*METRICS, *DECISION_SHARES, "brier_corrected", "log_loss_corrected", "ece_corrected",
                 *(f"{m}_{c}" for c in args.calibrate or () for m in ("brier", "log_loss", "ece")),
                 *(f"{p}:{m}" for p in args.operating_points or () for m in ("precision", "recall")),
                 *(("cost", "cost_at_threshold") if with_costs else ()))
    else:
        shown = list(MULTILABEL_HEADLINE_METRICS if args.metrics is None else args.metrics)
        known = MULTILABEL_METRICS
    unknown = [m for m in shown if m not in known]
    if unknown:
        raise ParameterError(f"unknown metric {unknown[0]!r} in --metrics; choose from {', '.join(known)}.")
    default_rank, default_decide = DEFAULT_QUESTIONS[columns is not None]
    questions = (args.rank_by or default_rank, args.decide_by or default_decide)
    if with_costs:
        if columns is not None:
            raise InputError("--costs and --cost-column are for one label column, not a label matrix.")
        questions = (*questions, "cost")
    for option, metric in zip(("--rank-by", "--decide-by"), questions):
        if metric not in known:
            raise ParameterError(f"unknown metric {metric!r} in {option}; choose from {', '.join(known)}.")
    if _input_inside(args.file, args.out):
        raise InputError(f"the input {args.file} is inside --out {args.out}, which the report replaces as a whole; "
                         "choose another --out.")
    check_report_folder(args.out)  # before any fitting: a run must not fail at its very end
    # the threshold strategy tunes for the decision metric where it can (else for F1, which the answer names)
    threshold_metric = questions[1] if questions[1] in THRESHOLD_METRICS else "f1"
    if args.master is not None and args.engine != "spark":
        raise InputError("--master is for --engine spark; add --engine spark, or leave --master out.")
    if args.engine == "spark":
        result, n_rows, source = _compare_on_spark(args, columns, threshold_metric, with_costs)
    else:
        result, n_rows, source = _compare_in_memory(args, columns, threshold_metric)
    summary = result.summary
    verdicts = answer(result, questions)
    width = terminal_width()
    rich_print(f"The answer ({args.folds} folds x {args.repeats} repeat(s), corrected resampled t-test, 95%):",
                width=width)
    for verdict in verdicts:
        rich_print("- " + verdict.sentence(), width=width)
    decision = decision_summary(result, verdicts[1].choice) if len(verdicts) > 1 else None
    if decision:
        rich_print("- " + decision, width=width)
    print()
    title = f"{source}: mean ± sd over {args.folds} folds x {args.repeats} repeat(s); * best, = tied with it"
    for heading, table in _metric_tables(summary, shown, best_cells(summary, shown), title, width,
                                         tie_marks(verdicts)):
        rich_print(heading, width=width)
        rich_print(table, width=width)
    settings = {"folds": args.folds, "repeats": args.repeats, "seed": args.seed, "k_neighbors": args.k_neighbors,
                "rows": n_rows}
    if args.engine == "spark":
        settings["engine"] = f"spark ({args.master})"
    settings["rank by"], settings["decide by"] = questions[0], questions[1]
    if columns is None:
        settings["label column"] = args.target
        settings["threshold tuned for"] = threshold_metric
        if with_costs:
            settings["costs"] = args.costs or "FP=1"
            if args.cost_column is not None:
                settings["cost column (FN per row)"] = args.cost_column
        if args.calibrate:
            settings["calibration"] = list(args.calibrate)
        if args.operating_points:
            settings["operating points"] = list(args.operating_points)
    else:
        settings["label columns"] = list(map(str, columns))
    written = write_report(result, args.out, source=source, settings=settings, verdicts=verdicts)
    print(f"wrote {', '.join(p.name for p in written)} to {args.out}/")
    return 0


def _numeric_target(args: argparse.Namespace, columns: list[str] | None) -> bool:
    """Whether this run compares on a numeric target: ``--task regression``, or ``auto`` and
    the target column reads as numbers (the table is read once here and kept for the run)."""
    if args.task == "classification" or columns is not None:
        if args.task == "regression":
            raise InputError("--task regression is for one target column, not --labels.")
        return False
    if args.engine == "spark":
        if args.task == "regression":
            raise InputError("--engine spark compares classes; a numeric target runs in memory (leave --engine out).")
        return False
    from imbalance._regression import is_numeric_target

    args.table = load_table(args)
    return args.task == "regression" or is_numeric_target(args.table[0][args.target])


def _cmd_compare_numeric(args: argparse.Namespace) -> int:
    """``imbalance compare`` on a numeric target: the regression recipes and models on folds
    stratified by relevance bins, the answer about the rare rows' error, the report."""
    from imbalance.answer import REGRESSION_QUESTIONS, answer, tie_marks
    from imbalance.comparison import compare
    from imbalance.model_selection import FoldPlan
    from imbalance.regression import relevance_bins
    from imbalance.report import best_cells, check_report_folder, write_report

    for option, value in (("--calibrate", args.calibrate), ("--costs", args.costs), ("--cost-column", args.cost_column),
                          ("--operating-points", args.operating_points)):
        if value is not None:
            raise InputError(f"{option} is for class probabilities; the target {args.target!r} is numeric (add --task "
                             "classification if it holds classes).")
    shown = list(("rare_rmse", "sera", "rmse", "mae", "r2") if args.metrics is None else args.metrics)
    questions = (args.rank_by or REGRESSION_QUESTIONS[0], args.decide_by or REGRESSION_QUESTIONS[1])
    for option, names in (("--metrics", shown), ("--rank-by", questions[:1]), ("--decide-by", questions[1:])):
        unknown = [m for m in names if m not in REGRESSION_METRICS]
        if unknown:
            raise ParameterError(f"unknown metric {unknown[0]!r} in {option} for a numeric target; choose from "
                                 f"{', '.join(REGRESSION_METRICS)}.")
    if _input_inside(args.file, args.out):
        raise InputError(f"the input {args.file} is inside --out {args.out}, which the report replaces as a whole; "
                         "choose another --out.")
    check_report_folder(args.out)
    df, source = args.table
    if args.repeats is None:
        args.repeats = 2 if len(df) <= SMALL_TABLE_ROWS else 1
    X, y = df.drop(columns=[args.target]), column_as_numbers(df[args.target], named=f"target column {args.target!r}",
                                                                    why="; a numeric target holds numbers only")
    bins = relevance_bins(y)
    folds = FoldPlan.stratified(bins.assign(y), n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    with contextlib.ExitStack() as stack:
        n_jobs = args.n_jobs if args.n_jobs is not None else -1 if len(df) > SMALL_TABLE_ROWS else 1
        result = compare(X, y, recipes=args.recipes, models=args.models, cv=folds, n_jobs=n_jobs,
                         random_state=args.seed, k_neighbors=args.k_neighbors, progress=_progress_bar(args, stack),
                         task="regression")
    verdicts = answer(result, questions)
    width = terminal_width()
    rich_print(f"The answer ({args.folds} folds x {args.repeats} repeat(s), corrected resampled t-test, 95%; errors: "
               "lower is better):", width=width)
    for verdict in verdicts:
        rich_print("- " + verdict.sentence(), width=width)
    print()
    summary = result.summary
    title = (f"{source}, numeric target {args.target!r} ({bins!r}): mean ± sd over {args.folds} folds x "
             f"{args.repeats} repeat(s); * best, = tied with it")
    for heading, table in _metric_tables(summary, shown, best_cells(summary, shown), title, width,
                                         tie_marks(verdicts)):
        rich_print(heading, width=width)
        rich_print(table, width=width)
    settings = {"task": "regression", "target column": args.target, "folds": args.folds, "repeats": args.repeats,
                "seed": args.seed, "k_neighbors": args.k_neighbors, "rows": len(df), "rank by": questions[0],
                "decide by": questions[1], "rare": f"relevance >= {bins.threshold:g} (automatic, per training part)"}
    written = write_report(result, args.out, source=source, settings=settings, verdicts=verdicts)
    print(f"wrote {', '.join(p.name for p in written)} to {args.out}/")
    return 0


def _progress_bar(args: argparse.Namespace, stack: contextlib.ExitStack) -> Any:
    """A rich progress bar's update function (done, total), or None where progress is off."""
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    if not show:
        return None
    import rich.progress

    bar = stack.enter_context(rich.progress.Progress(
        rich.progress.TextColumn("{task.description}"), rich.progress.BarColumn(),
        rich.progress.MofNCompleteColumn(), rich.progress.TimeElapsedColumn(),
        console=console_for(args.progress),
    ))
    task = bar.add_task("fitting strategy x model x fold", total=None)
    return lambda done, total: bar.update(task, completed=done, total=total)


def _compare_in_memory(args: argparse.Namespace, columns: list[str] | None, threshold_metric: str) -> tuple:
    """The in-memory compare of the file (or the demo): (result, rows, source)."""
    from imbalance.comparison import compare
    from imbalance.model_selection import FoldPlan

    if columns is None:
        df, source = getattr(args, "table", None) or load_table(args)  # read once where --task auto looked at it
        if args.repeats is None:
            args.repeats = 2 if len(df) <= SMALL_TABLE_ROWS else 1
        costs = compare_costs(args, df)
        X, y = df.drop(columns=[args.target, *([args.cost_column] if args.cost_column else [])]), df[args.target]
        n_classes = encode_labels(y, name=f"label column {args.target!r}").classes.size if args.recipes is None else 2
        folds = FoldPlan.stratified(y, n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    else:
        costs = None
        df, source = load_table(args, multilabel=True)
        if args.repeats is None:
            args.repeats = 2 if len(df) <= SMALL_TABLE_ROWS else 1
        X, y = df.drop(columns=columns), df[columns]
        n_classes = 2
        folds = FoldPlan.multilabel(y, n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    if args.recipes is None:
        for names, reason in left_out_by_default(n_classes, multilabel=columns is not None):
            sys.stderr.write(f"imbalance compare: note: leaving out {', '.join(names)}: {reason}.\n")
    with contextlib.ExitStack() as stack:
        extra = {} if columns is not None else {"threshold_metric": threshold_metric}
        n_jobs = args.n_jobs if args.n_jobs is not None else -1 if len(df) > SMALL_TABLE_ROWS else 1
        result = compare(X, y, recipes=args.recipes, models=args.models, cv=folds, n_jobs=n_jobs,
                         random_state=args.seed, k_neighbors=args.k_neighbors, calibration=args.calibrate,
                         costs=costs, operating_points=args.operating_points, progress=_progress_bar(args, stack),
                         **extra)
    return result, len(df), source


def _compare_on_spark(args: argparse.Namespace, columns: list[str] | None, threshold_metric: str,
                      with_costs: bool) -> tuple:
    """The Spark compare of the file (or the demo): (result, rows, source). The options it
    does not take are refused before Spark starts."""
    if columns is not None:
        raise InputError("--engine spark compares one label column; a label matrix (--labels) runs in memory.")
    for option, value in (("--calibrate", args.calibrate), ("--operating-points", args.operating_points),
                          ("--cost-column", args.cost_column)):
        if value:
            raise InputError(f"{option} is not available with --engine spark; leave it out, or compare in memory.")
    try:
        from imbalance.spark import compare
        from imbalance.spark._io import from_pandas, read_table, session
    except ImportError as exc:
        raise InputError(f"--engine spark: {exc}") from None

    spark = session(args.master)
    args.master = spark.conf.get("spark.master", "?")  # what the report names: the master it ran on
    if args.file is None:
        from imbalance.datasets import load_churn

        df, source = from_pandas(spark, load_churn()), DEMO
    else:
        df, source = read_table(spark, args.file), str(args.file)
    if args.target not in df.columns:
        raise InputError(f"{source} has no column {args.target!r} (use --label-col); its columns are: "
                         f"{', '.join(df.columns)}.")
    n_rows = df.count()
    if args.repeats is None:
        args.repeats = 2 if n_rows <= SMALL_TABLE_ROWS else 1
    if args.recipes is None:
        off = [name for name, recipe in STRATEGIES.items() if recipe.default and name not in SPARK_STRATEGIES]
        sys.stderr.write(f"imbalance compare: note: leaving out {', '.join(off)}: they do not run on Spark.\n")
    costs = None
    if with_costs:
        labels = pd.DataFrame({args.target: [r[0] for r in df.select(args.target).distinct().collect()]})
        costs = compare_costs(args, labels)
    with contextlib.ExitStack() as stack:
        result = compare(
            df, args.target, recipes=args.recipes, models=args.models, n_folds=args.folds, n_repeats=args.repeats,
            random_state=args.seed, k_neighbors=args.k_neighbors, costs=costs, threshold_metric=threshold_metric,
            n_jobs=args.n_jobs, progress=_progress_bar(args, stack))
    return result, n_rows, source


def compare_costs(args: argparse.Namespace, df: pd.DataFrame) -> Any:
    """``compare``'s costs from --costs (FN=A,FP=B or a CSV matrix) and --cost-column."""
    if args.costs is None and args.cost_column is None:
        return None
    text = args.costs or "FP=1"
    if "=" in text:
        pairs = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, value = item.partition("=")
            key = key.strip().upper()
            if key in pairs:
                raise InputError(f"--costs gives {key} twice; give each of FN and FP once, e.g. FN=20,FP=1.")
            try:
                pairs[key] = float(value)
            except ValueError:
                raise InputError(f"--costs: {item!r} is not NAME=NUMBER; write e.g. FN=20,FP=1.") from None
        if not set(pairs) <= {"FN", "FP"} or (args.cost_column is None and set(pairs) != {"FN", "FP"}):
            raise InputError("--costs takes FN=A,FP=B for binary labels (with --cost-column: FP=B), or a CSV file "
                             "with the cost matrix.")
        if args.cost_column is not None:
            if args.cost_column not in df.columns:
                raise InputError(f"--cost-column {args.cost_column!r} is not a column of the table.")
            if args.cost_column == args.target:
                raise InputError(f"--cost-column {args.cost_column!r} is the label column; name the column that holds "
                                 "each row's cost of a missed positive.")
            pairs["FN"] = column_as_numbers(df[args.cost_column], named=f"--cost-column {args.cost_column!r}",
                                            why="; it must hold numbers (a cost per row).").to_numpy(np.float64)
            pairs.setdefault("FP", 1.0)
        return pairs
    path = Path(text)
    if not path.is_file():
        raise InputError(f"--costs {text!r} is neither FN=A,FP=B nor a CSV file of costs.")
    if args.cost_column is not None:
        raise InputError("--cost-column takes --costs FP=B, not a cost matrix file.")
    try:
        matrix = pd.read_csv(path, index_col=0, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"--costs {path} is empty; write the cost matrix: labels as header and first column, true "
                         "class per row, decision per column.") from None
    labels = encode_labels(df[args.target], name=f"label column {args.target!r}").classes
    names = [str(to_python(c)) for c in labels]
    matrix.index, matrix.columns = matrix.index.map(str), matrix.columns.map(str)
    if sorted(matrix.index) != sorted(names) or sorted(matrix.columns) != sorted(names):
        raise InputError(f"{path}: the cost matrix must have one row and one column per class {names}, true class "
                         "per row, decision per column.")
    matrix = matrix.loc[names, names]
    for true in names:
        for decided in names:
            cell = matrix.at[true, decided].strip()
            if cell == "":
                raise InputError(f"{path}: the cost of deciding {decided} for class {true} is missing (the row is "
                                 "shorter than the header); give every cell a number.")
            try:
                float(cell)
            except ValueError:
                raise InputError(f"{path}: the cost of deciding {decided} for class {true} is {cell!r}, not a "
                                 "number.") from None
    return matrix.to_numpy().astype(np.float64)


def add_parsers(commands: Any) -> None:
    """The compare commands' parsers, added to ``commands`` (the subparsers of ``imbalance``)."""
    compare = commands.add_parser(
        "compare", help="every strategy x model on the same leak-free folds; table, plots, HTML report"
    )
    add_data_args(compare)
    compare.add_argument("--labels", metavar="PATTERN",
                         help="a multi-label target: the 0/1 columns matching PATTERN, e.g. 'label_*' (or name them: "
                              "--label-col a,b,c); compares the multi-label strategies on multi-label stratified folds")
    compare.add_argument("--recipes", type=names_arg, metavar="R,...",
                         help="comma-separated, from: " + ", ".join(STRATEGIES) + "; multi-label: "
                              + ", ".join(MULTILABEL_STRATEGIES) + " (default: every default one that can run)")
    old_name(compare, "--strategies", "--recipes", dest="recipes", type=names_arg)
    compare.add_argument("--models", type=names_arg, metavar="M,...",
                         help="comma-separated, from: " + ", ".join(MODEL_NAMES) + "; multi-label: "
                              + ", ".join(MULTILABEL_MODEL_NAMES) + " (default: all)")
    compare.add_argument("--metrics", type=names_arg, metavar="M,...",
                         help="metrics shown in the terminal, comma-separated (default: " + ", ".join(TERMINAL_METRICS)
                              + "); the files hold every metric")
    compare.add_argument("--calibrate", type=names_arg, metavar="M,...",
                         help="also map every cell's probabilities by these methods (sigmoid, isotonic, temperature), "
                              "fitted out of fold on its training part, and score them (about 3 more fits per cell)")
    compare.add_argument("--costs", metavar="FN=A,FP=B|FILE",
                         help="what decisions cost: binary FN=20,FP=1 (a missed positive, a false alarm), or a CSV "
                              "matrix, true class per row, decision per column, labels as header and first column; "
                              "adds the cost of the least-cost decision (Bayes' rule) per row, and asks the answer "
                              "about it")
    compare.add_argument("--cost-column", metavar="COL",
                         help="binary: a column with each row's cost of a missed positive (e.g. the amount of a "
                              "fraud), used for FN and left out of the features; FP from --costs (default 1)")
    compare.add_argument("--operating-points", type=names_arg, metavar="P,...",
                         help="binary: precision>=0.8 (most recall at that precision), recall>=0.9, top=0.05 or "
                              "top=100 (review capacity per batch); thresholds chosen on inner folds, precision and "
                              "recall reached on the validation folds")
    compare.add_argument("--rank-by", metavar="METRIC",
                         help="the ranking metric the answer is about (default: average_precision; "
                              "multi-label: average_precision_macro)")
    compare.add_argument("--decide-by", metavar="METRIC",
                         help="the decision metric the answer is about (default: f1; multi-label: f1_macro)")
    compare.add_argument("--folds", type=int_at_least(2), default=5,
                         help="k of stratified k-fold (default 5)")
    compare.add_argument("--repeats", type=int_at_least(1),
                         help=f"repeats of the k folds (default: 2 up to {SMALL_TABLE_ROWS:,} rows, where they are "
                              "cheap and make the answer's test sharper; 1 above)")
    compare.add_argument("--seed", type=seed_arg, default=0, help="seed of folds, resampling and models (default 0)")
    compare.add_argument("--k-neighbors", type=int_at_least(1), default=5,
                         help="neighbours of the smote strategy (default 5)")
    compare.add_argument("--n-jobs", type=n_jobs_arg,
                         help=f"parallel cells (default: all cores above {SMALL_TABLE_ROWS:,} rows; one up to that, "
                              "where starting worker processes takes longer than the fits)")
    compare.add_argument("--engine", choices=("memory", "spark"), default="memory",
                         help="memory (default): pandas and scikit-learn in this process; spark: the file is read by "
                              "Spark, and folds, preprocessing, resampling and fitting run there (imbalance[spark]; "
                              "recipes from: " + ", ".join(SPARK_STRATEGIES) + "; models also "
                              + ", ".join(SPARK_MODEL_NAMES) + "; default models logreg, spark_logreg)")
    compare.add_argument("--master", metavar="URL",
                         help="with --engine spark: the Spark master (default: the session spark-submit made, else "
                              "local[*]), e.g. local[4], spark://host:7077, yarn")
    compare.add_argument("--task", choices=("auto", "classification", "regression"), default="auto",
                         help="auto (default): a target column of numbers with a value that is not whole, or more "
                              "than 20 distinct values, is a numeric target (imbalanced regression: recipes "
                              + ", ".join(REGRESSION_STRATEGIES) + "; models " + ", ".join(REGRESSION_MODEL_NAMES)
                              + "; metrics " + ", ".join(REGRESSION_METRICS) + "); anything else holds classes")
    compare.add_argument("--out", type=Path, default=Path("imbalance-report"), metavar="DIR",
                         help="folder for results.csv, summary.csv, PNG plots and report.html, replaced as a "
                              "whole (default: imbalance-report)")


#: The commands of this family, by name.
COMMANDS = {"compare": _cmd_compare}
