"""The ``imbalance`` command line.

    imbalance inspect  [FILE] [--label-col COL]
    imbalance plan     [FILE] [--label-col COL] (--under [RATIO] | --over [RATIO] | --targets C=N,...)
    imbalance resample [FILE] [--label-col COL] (--under [RATIO] | --over [RATIO] | --targets ...) -o OUT
    imbalance weights  [FILE] [--label-col COL] [--scheme S]
    imbalance compare  [FILE] [--label-col COL] [--recipes ...] [--models ...] [--folds K] [--out DIR]

With no FILE, every command runs on the bundled churn demo (label column ``LABEL``).
Bad input, and an output that cannot be written, print one line on stderr and exit with
status 2; Ctrl-C prints "interrupted" and exits with 130, SIGTERM with 143. Outputs are written
to a temporary file or folder that replaces the target only when complete, so a failed or
interrupted run leaves no partial output.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import functools
import json
import math
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from imbalance import __version__
from imbalance._io import TABLE_SUFFIXES, printable, read_table, table_columns, table_format, write_table
from imbalance._labels import encode_labels
from imbalance._registry import method_names
from imbalance._validation import (
    ImbalanceError,
    InputError,
    OutputError,
    ParameterError,
    check_label_column,
    check_no_repeats,
    check_random_state,
    column_as_numbers,
    to_python,
)
from imbalance.planner import Plan, plan_labels
from imbalance.resample import draw_rows, take_rows
from imbalance.strategies import (
    MODEL_NAMES,
    MULTILABEL_MODEL_NAMES,
    MULTILABEL_STRATEGIES,
    STRATEGIES,
    left_out_by_default,
)
from imbalance.weights import SCHEMES, class_weights

__all__ = ["main"]

EXIT_USAGE = 2
EXIT_SIGINT = 128 + signal.SIGINT  # 130, as shells report a Ctrl-C
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143
MAX_SEED = 2**32 - 1  # scikit-learn's models take seeds up to here
DEMO = "the bundled churn demo"
# Files above this size show a progress bar while they are read (when stderr is a terminal).
PROGRESS_BYTES = 32 * 2**20


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def _ratio(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ratio must be a number >= 1, got {text!r}") from None


def _targets(text: str) -> dict[str, int]:
    targets = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"targets must look like 0=500,1=500, got {item!r}")
        if key in targets:
            raise argparse.ArgumentTypeError(f"class {key!r} is given twice in --targets; give each class once")
        try:
            targets[key] = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"target of class {key!r} must be an int, got {value!r}") from None
    if not targets:
        raise argparse.ArgumentTypeError("targets must look like 0=500,1=500")
    return targets


def _seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an int from 0 to {MAX_SEED}, got {text!r}") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be an int from 0 to {MAX_SEED} (2**32 - 1), got {seed}")
    return seed


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an int >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an int >= {low}, got {value}")
        return value

    return parse


def _n_jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be a positive int, or -1 for all cores, got {text!r}")
    return value


#: Options renamed for one meaning per word, kept for one release: old -> (new, dest, new's default).
_RENAMED_OPTIONS: dict[str, tuple[str, str, Any]] = {}


def _old_name(parser: argparse.ArgumentParser, old: str, new: str, *, dest: str, **kwargs: Any) -> None:
    """``old`` as a hidden spelling of ``new`` (added before it, same ``dest`` and type);
    :func:`main` says that it is renamed."""
    parser.add_argument(old, dest=f"{dest}__{old.strip('-')}", help=argparse.SUPPRESS, **kwargs)
    _RENAMED_OPTIONS[old] = (new, dest, parser.get_default(dest))


def _apply_old_names(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[str]:
    """Move values given under an old option name to the new one's ``dest``; the notes to print."""
    notes = []
    for old, (new, dest, default) in _RENAMED_OPTIONS.items():
        value = getattr(args, f"{dest}__{old.strip('-')}", None)
        if value is None:
            continue
        if getattr(args, dest, None) != default:
            parser.error(f"give {new} only: {old} is its old name")
        setattr(args, dest, value)
        notes.append(f"{old} is renamed {new}; {old} goes in imbalance 0.3.")
    return notes


def _add_data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE",
                        help="CSV (.csv, .csv.gz, .csv.bz2) or Parquet file; default: the churn demo")
    parser.add_argument("--label-col", "-t", dest="target", default="LABEL", metavar="COL",
                        help="label column (default: LABEL)")
    _old_name(parser, "--target", "--label-col", dest="target")
    parser.add_argument("--encoding", metavar="NAME",
                        help="text encoding of a CSV file, e.g. latin-1 (default: UTF-8)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show progress")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help="never show progress")


def _percentage(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 100], got {text!r}") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 100], got {text!r}")
    return value


def _add_strategy_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--under", nargs="?", const=1.0, type=_ratio, metavar="RATIO",
                       help="under-sample to at most RATIO:1 (default 1)")
    group.add_argument("--over", nargs="?", const=1.0, type=_ratio, metavar="RATIO",
                       help="over-sample to at most RATIO:1 (default 1)")
    group.add_argument("--targets", type=_targets, metavar="C=N,...",
                       help="explicit row counts after resampling, e.g. 0=1000,1=1000")
    # every method of the registry but random draws (--under, --over say those)
    group.add_argument("--method", choices=method_names("cleaning", "prototype", "synthesis", "multilabel"),
                       metavar="METHOD",
                       help="a method instead of random draws: cleaning rules "
                            f"({', '.join(method_names('cleaning'))}) remove the rows they flag from every class but "
                            f"the minority; {', '.join(method_names('prototype'))} under-sample to --ratio by choosing "
                            "rows (both measure distances over the numeric columns); "
                            f"{', '.join(method_names('synthesis'))} over-sample to --ratio with made-up rows; "
                            f"{', '.join(method_names('multilabel'))} resample a multi-label target (--labels; "
                            "ml_ros and ml_rus by --percentage)")
    parser.add_argument("--ratio", type=_ratio, metavar="RATIO",
                        help="with a --method that reaches a ratio: at most RATIO:1 (default 1)")
    parser.add_argument("--k-neighbors", type=int, default=5, metavar="K",
                        help="with a SMOTE --method: neighbours to interpolate towards (default 5)")


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
                "precision": "precision", "recall": "recall", "flagged": "flagged"}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="imbalance", description="Inspect, plan, resample and weigh imbalanced tables.")
    parser.add_argument("--version", action="version", version=f"imbalance {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)

    inspect = commands.add_parser("inspect", help="class counts, shares and imbalance ratio")
    _add_data_args(inspect)
    inspect.add_argument("--labels", metavar="PATTERN",
                         help="a multi-label target: the 0/1 columns matching PATTERN, e.g. 'label_*' "
                              "(or name them: --label-col a,b,c); shows IRLbl, MeanIR, SCUMBLE, ...")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")

    plan = commands.add_parser("plan", help="show the rows per class before and after resampling")
    _add_data_args(plan)
    _add_strategy_args(plan)
    plan.add_argument("--labels", metavar="PATTERN",
                      help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c); the plan "
                           "is rows per label: --over RATIO (every label within RATIO:1 of the commonest), "
                           "--targets label=N,..., or --method ml_ros (no label above the mean imbalance)")
    plan.add_argument("--json", action="store_true", help="print JSON instead of a table")

    resample = commands.add_parser("resample", help="write a resampled copy of the table")
    _add_data_args(resample)
    _add_strategy_args(resample)
    resample.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                          help="output file, CSV or Parquet by extension")
    resample.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    resample.add_argument("--source-column", metavar="NAME",
                          help="add a column NAME with each row's position in the input (-1: a made-up row)")
    resample.add_argument("--labels", metavar="PATTERN",
                          help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c); "
                               "resampled with --method ml_ros, ml_rus or mlsmote, or to a label plan "
                               "(--over RATIO, --targets label=N,...) by ML-ROS's cloning")
    resample.add_argument("--percentage", type=_percentage, default=25.0, metavar="P",
                          help="ml_ros / ml_rus: rows to add / delete, as a percentage of the rows (default 25)")

    weights = commands.add_parser("weights", help="class weights as JSON")
    _add_data_args(weights)
    weights.add_argument("--scheme", choices=SCHEMES, default="balanced",
                         help="weighting scheme (default: balanced)")
    weights.add_argument("--beta", type=float, default=0.999, help="beta of the effective scheme")
    weights.add_argument("--normalize", choices=("none", "rows", "classes"), default="none",
                         help="rescale so the row weights average 1 (rows) or the class weights sum to K")
    compare = commands.add_parser(
        "compare", help="every strategy x model on the same leak-free folds; table, plots, HTML report"
    )
    _add_data_args(compare)
    compare.add_argument("--labels", metavar="PATTERN",
                         help="a multi-label target: the 0/1 columns matching PATTERN, e.g. 'label_*' (or name them: "
                              "--label-col a,b,c); compares the multi-label strategies on multi-label stratified folds")
    compare.add_argument("--recipes", type=_names, metavar="R,...",
                         help="comma-separated, from: " + ", ".join(STRATEGIES) + "; multi-label: "
                              + ", ".join(MULTILABEL_STRATEGIES) + " (default: every default one that can run)")
    _old_name(compare, "--strategies", "--recipes", dest="recipes", type=_names)
    compare.add_argument("--models", type=_names, metavar="M,...",
                         help="comma-separated, from: " + ", ".join(MODEL_NAMES) + "; multi-label: "
                              + ", ".join(MULTILABEL_MODEL_NAMES) + " (default: all)")
    compare.add_argument("--metrics", type=_names, metavar="M,...",
                         help="metrics shown in the terminal, comma-separated (default: " + ", ".join(TERMINAL_METRICS)
                              + "); the files hold every metric")
    compare.add_argument("--calibrate", type=_names, metavar="M,...",
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
    compare.add_argument("--operating-points", type=_names, metavar="P,...",
                         help="binary: precision>=0.8 (most recall at that precision), recall>=0.9, top=0.05 or "
                              "top=100 (review capacity per batch); thresholds chosen on inner folds, precision and "
                              "recall reached on the validation folds")
    compare.add_argument("--rank-by", metavar="METRIC",
                         help="the ranking metric the answer is about (default: average_precision; "
                              "multi-label: average_precision_macro)")
    compare.add_argument("--decide-by", metavar="METRIC",
                         help="the decision metric the answer is about (default: f1; multi-label: f1_macro)")
    compare.add_argument("--folds", type=_int_at_least(2), default=5,
                         help="k of stratified k-fold (default 5)")
    compare.add_argument("--repeats", type=_int_at_least(1),
                         help=f"repeats of the k folds (default: 2 up to {SMALL_TABLE_ROWS:,} rows, where they are "
                              "cheap and make the answer's test sharper; 1 above)")
    compare.add_argument("--seed", type=_seed, default=0, help="seed of folds, resampling and models (default 0)")
    compare.add_argument("--k-neighbors", type=_int_at_least(1), default=5,
                         help="neighbours of the smote strategy (default 5)")
    compare.add_argument("--n-jobs", type=_n_jobs,
                         help=f"parallel cells (default: all cores above {SMALL_TABLE_ROWS:,} rows; one up to that, "
                              "where starting worker processes takes longer than the fits)")
    compare.add_argument("--out", type=Path, default=Path("imbalance-report"), metavar="DIR",
                         help="folder for results.csv, summary.csv, PNG plots and report.html, replaced as a "
                              "whole (default: imbalance-report)")
    fit = commands.add_parser(
        "fit", help="fit one strategy x model on all the data and save it (default: the answer of the last compare)")
    _add_data_args(fit)
    fit.add_argument("--labels", metavar="PATTERN",
                     help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c)")
    fit.add_argument("--recipe", metavar="R", help="a compare recipe (default: the one --from's answer names)")
    _old_name(fit, "--strategy", "--recipe", dest="recipe")
    fit.add_argument("--model", metavar="M", help="a compare model (default: the one --from's answer names)")
    fit.add_argument("--from", dest="from_report", type=Path, default=Path("imbalance-report"), metavar="DIR",
                     help="a compare report whose answer (the best cell by its decision metric) is fitted when "
                          "--recipe is not given (default: imbalance-report)")
    fit.add_argument("--calibrate", choices=("sigmoid", "isotonic", "temperature"), metavar="M",
                     help="give probabilities mapped by M (sigmoid, isotonic, temperature), fitted out of fold, "
                          "instead of the prior correction")
    fit.add_argument("--costs", metavar="FN=A,FP=B",
                     help="binary: decide by least expected cost (Bayes' rule on the model's probabilities for "
                          "the true class prior) instead of a threshold")
    fit.add_argument("--threshold", type=_probability_threshold, metavar="T",
                     help="binary: decide positive where the model's probability is >= T, instead of the recipe's")
    fit.add_argument("--seed", type=_seed, help="seed of resampling and model (default: the report's, or 0)")
    fit.add_argument("--k-neighbors", type=_int_at_least(1), metavar="K",
                     help="of the SMOTE-family strategies (default: the report's, or 5)")
    fit.add_argument("-o", "--output", type=Path, required=True, metavar="MODEL",
                     help="the model file to write (joblib; load it with imbalance.load)")

    predict = commands.add_parser("predict", help="score a table with a saved model: probabilities and decisions",
                                  description="Score a table with a model file written by imbalance fit. Loading a "
                                              "model file runs the code pickled in it: load only model files you "
                                              "made or trust.")
    predict.add_argument("model_file", type=Path, metavar="MODEL",
                         help="a file written by imbalance fit (loading runs pickled code: only files you trust)")
    _add_data_args(predict)
    predict.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                         help="the scored table: the input's columns, then probabilities and decisions")
    return parser


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one name, comma-separated")
    try:
        check_no_repeats("the list", names)
    except ParameterError as exc:
        raise argparse.ArgumentTypeError(str(exc).removesuffix(".")) from None
    return names


def _probability_threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:  # 0 or 1 (or beyond) would decide every row the same way
        raise argparse.ArgumentTypeError(f"must be a probability strictly between 0 and 1, got {text!r}")
    return value


# --------------------------------------------------------------------------- progress


def _console(force: bool | None):
    from rich.console import Console

    return Console(stderr=True, force_terminal=True if force else None)


def _show_progress(path: Path | None, force: bool | None) -> bool:
    if force is not None or path is None:
        return bool(force)
    try:
        return sys.stderr.isatty() and path.stat().st_size >= PROGRESS_BYTES
    except OSError:
        return False


@contextlib.contextmanager
def _progress_opener(console):
    import rich.progress

    columns = (
        rich.progress.TextColumn("[progress.description]{task.description}"),
        rich.progress.BarColumn(),
        rich.progress.DownloadColumn(),
        rich.progress.TransferSpeedColumn(),
        rich.progress.TimeRemainingColumn(),
    )
    with rich.progress.Progress(*columns, console=console, transient=False) as progress:
        yield lambda path: progress.open(path, "rb", description=f"reading {path.name}")


# --------------------------------------------------------------------------- commands


def _load(args: argparse.Namespace, *, label_only: bool = False, columns: list[str] | None = None,
          multilabel: bool = False) -> tuple[pd.DataFrame, str]:
    """The table and a name for it; ``label_only`` reads the label column alone, ``columns``
    those columns alone; ``multilabel``: the label columns were checked by :func:`_label_columns`
    (``--label-col`` is not one column)."""
    if label_only:
        columns = [args.target]
    if args.file is None:
        from imbalance.datasets import load_churn

        df, source = load_churn(), DEMO
        if not multilabel:
            check_label_column(df, args.target, source=source, hint=" (use --label-col)")
        return (df[columns] if columns else df), source
    source = str(args.file)
    if label_only:  # only the label column is read (Parquet: from disk; CSV: converted)
        check_label_column(table_columns(args.file, encoding=args.encoding), args.target, source=source,
                           hint=" (use --label-col)")
    if _show_progress(args.file, args.progress):
        with _progress_opener(_console(args.progress)) as opener:
            df = read_table(args.file, columns=columns, encoding=args.encoding, opener=opener)
    else:
        df = read_table(args.file, columns=columns, encoding=args.encoding)
    if not multilabel:
        check_label_column(df, args.target, source=source, hint=" (use --label-col)")
    return df, source


def _label_columns(args: argparse.Namespace) -> list[str] | None:
    """The label columns of a multi-label target (``--labels 'label_*'`` or ``--label-col a,b,c``),
    or None for one label column."""
    pattern = getattr(args, "labels", None)
    if pattern is None and "," not in args.target:
        return None
    if args.file is None:
        from imbalance.datasets import load_churn

        available, source = list(load_churn().columns), DEMO
    else:
        available, source = table_columns(args.file, encoding=args.encoding), str(args.file)
    if pattern is not None:
        chosen = [c for c in available if fnmatch.fnmatchcase(str(c), pattern)]
        if not chosen:
            more = " and more" if len(available) > 12 else ""
            raise InputError(f"no column of {source} matches --labels {pattern!r}; its columns: "
                             f"{', '.join(map(str, available[:12]))}{more}.")
        return chosen
    chosen = [c.strip() for c in args.target.split(",") if c.strip()]
    missing = [c for c in chosen if c not in available]
    if missing:
        raise InputError(f"label column(s) {missing} not in {source} (use --label-col a,b,c or --labels 'label_*').")
    return chosen


def _strategy(args: argparse.Namespace) -> tuple[Any, float]:
    if args.targets is not None:
        return args.targets, 1.0
    if args.under is not None:
        return "under", args.under
    return "over", args.over


def _plan_for(df: pd.DataFrame, args: argparse.Namespace):
    labels = encode_labels(df[args.target], name=f"label column {args.target!r}")
    strategy, ratio = _strategy(args)
    return labels, plan_labels(labels, strategy, ratio=ratio)


def _by_method(df: pd.DataFrame, args: argparse.Namespace) -> tuple[Any, pd.DataFrame]:
    """``--method`` run on the table: its fitted sampler (``plan_``, ``origin_``) and the
    output table. Says which columns a distance-based rule could not measure."""
    from imbalance.tables import fit_over_method, fit_under_rule

    encode_labels(df[args.target], name=f"label column {args.target!r}")
    seed = getattr(args, "seed", 0)
    if args.method in method_names("synthesis"):
        sampler, X_res, y_res = fit_over_method(df, args.target, args.method, ratio=args.ratio or 1.0,
                                                random_state=seed, k_neighbors=args.k_neighbors)
        X_res.insert(df.columns.get_loc(args.target), args.target, y_res)
        return sampler, X_res
    sampler = fit_under_rule(df, args.target, args.method, ratio=args.ratio or 1.0, random_state=seed)
    left_out = [c for c in df.columns if c != args.target and c not in sampler.feature_names_in_]
    if left_out:
        shown = ", ".join(map(str, left_out[:8])) + (", ..." if len(left_out) > 8 else "")
        sys.stderr.write(f"imbalance {args.command}: note: distances use the numeric columns only; "
                         f"not measured: {shown}.\n")
    return sampler, take_rows(df, sampler.sample_indices_)


def _rich_print(renderable: Any, *, width: int | None = None) -> None:
    """Print a rich table, or text wrapped, at ``width`` (default: the terminal's, or
    $COLUMNS or 80 when piped)."""
    from rich.console import Console
    from rich.text import Text

    if isinstance(renderable, str):  # plain text, e.g. a file name with [brackets] in it
        renderable = Text(renderable)
    Console(width=width or _terminal_width(), highlight=False).print(renderable)


def _inspect_multilabel(args: argparse.Namespace, columns: list[str]) -> int:
    from imbalance.multilabel import measures

    df, source = _load(args, columns=columns, multilabel=True)
    result = measures(df[columns])
    if args.json:
        print(json.dumps({"source": source, "labels": {name: int(k) for name, k in zip(result.labels, result.counts)},
                          "irlbl": dict(zip(result.labels, result.irlbl.tolist())), **result.summary()}))
        return 0
    from rich.table import Table

    print(f"{source}: {result.n_samples:,} rows, {len(columns)} labels")
    table = Table()
    for name, justify in (("label", "left"), ("rows", "right"), ("share", "right"), ("IRLbl", "right")):
        table.add_column(name, justify=justify)
    for name, row in result.per_label().iterrows():
        table.add_row(str(name), f"{int(row['count']):,}", f"{row['share']:.2%}", f"{row['irlbl']:.2f}")
    _rich_print(table)
    print(f"MeanIR {result.mean_ir:.3f}, MaxIR {result.max_ir:.3f}, CVIR {result.cvir:.3f}, "
          f"SCUMBLE {result.scumble:.3f}; labels per row {result.cardinality:.3f} (density {result.density:.3f}); "
          f"{result.n_labelsets:,} distinct labelsets; {result.n_unlabelled:,} rows with no label")
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    columns = _label_columns(args)
    if columns is not None:
        return _inspect_multilabel(args, columns)
    df, source = _load(args, label_only=True)
    labels = encode_labels(df[args.target], name=f"label column {args.target!r}")
    n = labels.n_samples
    counts = labels.counts
    ratio = float(counts.max() / counts.min())
    if args.json:
        print(json.dumps({
            "source": source,
            "target": args.target,
            "rows": n,
            "classes": {str(to_python(c)): int(k) for c, k in zip(labels.classes, counts)},
            "imbalance_ratio": ratio,
        }))
        return 0
    from rich.table import Table

    print(f"{source}: {n:,} rows, label column {args.target!r}")
    table = Table()
    table.add_column("class")
    table.add_column("rows", justify="right")
    table.add_column("share", justify="right")
    for c, k in zip(labels.classes, counts):
        table.add_row(str(to_python(c)), f"{k:,}", f"{k / n:.2%}")
    _rich_print(table)
    minority = to_python(labels.classes[int(np.argmin(counts))])
    print(f"imbalance ratio (largest / smallest class): {ratio:.2f}:1; minority class: {minority}")
    return 0


def _plan_json(plan: Plan, source: str) -> str:
    return json.dumps({
        "source": source,
        "strategy": plan.strategy,
        "ratio": plan.ratio,
        "before": {str(c): n for c, n in plan.counts.items()},
        "after": {str(c): n for c, n in plan.targets.items()},
    })


def _label_strategy(args: argparse.Namespace) -> tuple[Any, float]:
    """The label plan that --over, --targets or --method ml_ros asks for: (strategy, ratio)."""
    if args.under is not None:
        raise InputError("a multi-label table has no per-label under-sampling plan (a removed row takes all its "
                         "labels with it); use --method ml_rus.")
    if args.method == "ml_ros":
        return "mean_ir", 1.0
    if args.method is not None:
        raise InputError(f"--method {args.method} has no label plan; imbalance resample ... --method {args.method} "
                         "prints the MeanIR before and after. Plans: --over RATIO, --targets label=N,..., "
                         "--method ml_ros.")
    if args.targets is not None:
        return args.targets, 1.0
    return "over", args.over


def _label_plan_json(plan: Any, source: str) -> str:
    return json.dumps({"source": source, "strategy": plan.strategy, "ratio": plan.ratio,
                       "before": {str(k): v for k, v in plan.counts.items()},
                       "at_least": {str(k): v for k, v in plan.targets.items()}})


def _plan_multilabel(args: argparse.Namespace, columns: list[str]) -> int:
    from imbalance.multilabel import label_plan

    strategy, ratio = _label_strategy(args)
    df, source = _load(args, columns=columns, multilabel=True)
    plan = label_plan(df[columns], strategy, ratio=ratio)
    print(_label_plan_json(plan, source) if args.json else plan)
    if args.method == "ml_ros" and not args.json:
        print("ML-ROS (resample --method ml_ros) stops at these targets or at its budget of --percentage more rows "
              "(default 25%), whichever comes first; resample --over or --targets meets a plan whatever it takes.")
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    columns = _label_columns(args)
    if columns is not None:
        return _plan_multilabel(args, columns)
    if args.method in method_names("multilabel"):
        raise InputError(f"--method {args.method} is for a multi-label target: give its 0/1 columns with "
                         "--labels PATTERN or --label-col a,b,c.")
    if args.method is not None:  # a cleaning rule's counts are known only by running it
        df, source = _load(args)
        plan = _by_method(df, args)[0].plan_
        print(_plan_json(plan, source) if args.json else plan)
        return 0
    df, source = _load(args, label_only=True)
    _, plan = _plan_for(df, args)
    print(_plan_json(plan, source) if args.json else plan)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _available_memory() -> int | None:
    """Bytes of memory available to new allocations (Linux: MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _check_fits_in_memory(df: pd.DataFrame, plan: Plan) -> None:
    """Refuse, before drawing a row, a plan whose output would not fit in memory."""
    per_row = df.memory_usage(index=False, deep=False).sum() / max(len(df), 1)
    needed = int(per_row * plan.n_after)
    available = _available_memory()
    if available is not None and needed > available:
        raise InputError(
            f"the plan asks for {plan.n_after:,} rows, about {needed / 2**30:,.1f} GiB in memory, more than the "
            f"{available / 2**30:,.1f} GiB available here; lower the targets or the ratio."
        )


def _check_output_file(args: argparse.Namespace, what: str) -> None:
    """-o names a file that is neither a folder nor the input (which it would overwrite)."""
    if args.output.is_dir():
        raise OutputError(f"-o {args.output} is a folder; give a file name for {what}.")
    if args.file is not None and (_same_file(args.output, args.file) or args.output.resolve() == args.file.resolve()):
        raise InputError(f"-o {args.output} is the input file; write {what} to a new file.")


def _cmd_resample(args: argparse.Namespace) -> int:
    table_format(args.output)  # refuse an unknown output format before doing any work
    _check_output_file(args, "the output")
    columns = _label_columns(args) if hasattr(args, "labels") else None
    if columns is not None or args.method in method_names("multilabel"):
        return _resample_multilabel(args, columns)
    df, source = _load(args)
    if args.method is not None:
        sampler, out = _by_method(df, args)
        plan, rows = sampler.plan_, sampler.origin_  # -1 for a made-up row
    else:
        labels, plan = _plan_for(df, args)
        _check_fits_in_memory(df, plan)
        rows = draw_rows(labels, plan, check_random_state(args.seed)).indices
        out = take_rows(df, rows)
    if args.source_column:
        if args.source_column in out.columns:
            raise InputError(f"column {args.source_column!r} already exists; choose another --source-column.")
        out.insert(0, args.source_column, rows)
    write_table(out, args.output)
    print(plan)
    print(f"wrote {len(out):,} rows to {args.output}")
    return 0


def _resample_multilabel(args: argparse.Namespace, columns: list[str] | None) -> int:
    if columns is None:
        raise InputError(f"--method {args.method} is for a multi-label target: give its 0/1 columns with "
                         "--labels PATTERN or --label-col a,b,c.")
    if args.method is not None and args.method not in method_names("multilabel"):
        raise InputError("a multi-label target is resampled with --method ml_ros, ml_rus or mlsmote, or to a label "
                         "plan with --over RATIO or --targets label=N,....")
    from imbalance.multilabel import MLROS, MLRUS, MLSMOTE

    planned = args.method is None
    strategy, ratio = _label_strategy(args) if planned else (None, 1.0)
    df, _ = _load(args, multilabel=True)
    if planned:
        sampler = MLROS(strategy=strategy, ratio=ratio, random_state=args.seed)
        out, _ = sampler.fit_resample(df, df[columns])
        rows = sampler.sample_indices_
    elif args.method == "mlsmote":
        features = df.drop(columns=columns)
        sampler = MLSMOTE(k_neighbors=args.k_neighbors, random_state=args.seed)
        X_res, Y_res = sampler.fit_resample(features, df[columns])
        out, rows = pd.concat([X_res, Y_res], axis=1)[list(df.columns)], sampler.origin_
    else:
        sampler = (MLROS if args.method == "ml_ros" else MLRUS)(percentage=args.percentage, random_state=args.seed)
        out, _ = sampler.fit_resample(df, df[columns])
        rows = sampler.sample_indices_
    if args.source_column:
        if args.source_column in out.columns:
            raise InputError(f"column {args.source_column!r} already exists; choose another --source-column.")
        out.insert(0, args.source_column, rows)
    write_table(out, args.output)
    if planned:
        print(sampler.plan_)
    print(f"{args.method or 'ml_ros to the plan'}: {len(df):,} -> {len(out):,} rows; MeanIR "
          f"{sampler.mean_ir_before_:.3f} -> {sampler.mean_ir_after_:.3f}")
    print(f"wrote {len(out):,} rows to {args.output}")
    return 0


def _cmd_weights(args: argparse.Namespace) -> int:
    df, _ = _load(args, label_only=True)
    encode_labels(df[args.target], name=f"label column {args.target!r}")  # two classes, no gaps
    normalize = False if args.normalize == "none" else args.normalize
    weights = class_weights(df[args.target], args.scheme, beta=args.beta, normalize=normalize)
    print(json.dumps({str(c): w for c, w in weights.items()}, indent=2))
    return 0


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


def _terminal_width() -> int:
    """The terminal's columns; when piped, $COLUMNS or 80."""
    from rich.console import Console

    console = Console()
    if console.is_terminal:
        return console.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 80


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
    from imbalance.comparison import compare
    from imbalance.metrics import DECISION_SHARES, METRICS, MULTILABEL_METRICS
    from imbalance.model_selection import THRESHOLD_METRICS, FoldPlan
    from imbalance.report import MULTILABEL_HEADLINE_METRICS, best_cells, check_report_folder, write_report

    columns = _label_columns(args)
    with_costs = args.costs is not None or args.cost_column is not None
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
    if columns is None:
        df, source = _load(args)
        if args.repeats is None:
            args.repeats = 2 if len(df) <= SMALL_TABLE_ROWS else 1
        costs = _compare_costs(args, df)
        X, y = df.drop(columns=[args.target, *([args.cost_column] if args.cost_column else [])]), df[args.target]
        n_classes = encode_labels(y, name=f"label column {args.target!r}").classes.size if args.recipes is None else 2
        folds = FoldPlan.stratified(y, n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    else:
        costs = None
        df, source = _load(args, multilabel=True)
        if args.repeats is None:
            args.repeats = 2 if len(df) <= SMALL_TABLE_ROWS else 1
        X, y = df.drop(columns=columns), df[columns]
        n_classes = 2
        folds = FoldPlan.multilabel(y, n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    if args.recipes is None:
        for names, reason in left_out_by_default(n_classes, multilabel=columns is not None):
            sys.stderr.write(f"imbalance compare: note: leaving out {', '.join(names)}: {reason}.\n")
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        update = None
        if show:
            import rich.progress

            bar = stack.enter_context(rich.progress.Progress(
                rich.progress.TextColumn("{task.description}"), rich.progress.BarColumn(),
                rich.progress.MofNCompleteColumn(), rich.progress.TimeElapsedColumn(),
                console=_console(args.progress),
            ))
            task = bar.add_task("fitting strategy x model x fold", total=None)
            update = lambda done, total: bar.update(task, completed=done, total=total)  # noqa: E731
        extra = {} if columns is not None else {"threshold_metric": threshold_metric}
        n_jobs = args.n_jobs if args.n_jobs is not None else -1 if len(df) > SMALL_TABLE_ROWS else 1
        result = compare(X, y, recipes=args.recipes, models=args.models, cv=folds, n_jobs=n_jobs,
                         random_state=args.seed, k_neighbors=args.k_neighbors, calibration=args.calibrate,
                         costs=costs, operating_points=args.operating_points, progress=update, **extra)
    summary = result.summary
    verdicts = answer(result, questions)
    width = _terminal_width()
    _rich_print(f"The answer ({args.folds} folds x {args.repeats} repeat(s), corrected resampled t-test, 95%):",
                width=width)
    for verdict in verdicts:
        _rich_print("- " + verdict.sentence(), width=width)
    decision = decision_summary(result, verdicts[1].choice) if len(verdicts) > 1 else None
    if decision:
        _rich_print("- " + decision, width=width)
    print()
    title = f"{source}: mean ± sd over {args.folds} folds x {args.repeats} repeat(s); * best, = tied with it"
    for heading, table in _metric_tables(summary, shown, best_cells(summary, shown), title, width,
                                         tie_marks(verdicts)):
        _rich_print(heading, width=width)
        _rich_print(table, width=width)
    settings = {"folds": args.folds, "repeats": args.repeats, "seed": args.seed, "k_neighbors": args.k_neighbors,
                "rows": len(df)}
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


def _compare_costs(args: argparse.Namespace, df: pd.DataFrame) -> Any:
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


def _recipe_from_report(folder: Path) -> tuple[dict, dict]:
    """The decision verdict and the settings of the compare report in ``folder``."""
    path = folder / "answer.json"
    if not path.is_file():
        raise InputError(f"no compare answer in {folder} ({path.name} is missing); run imbalance compare first "
                         "(--out DIR), or give --recipe and --model.")
    try:
        record = json.loads(path.read_text())
        verdict, settings = record["verdicts"][-1], record["settings"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise InputError(f"{path} is not a compare answer; run imbalance compare again.") from None
    problem = _answer_problem(verdict, settings)
    if problem:
        raise InputError(f"{path} is not a compare answer fit can use: {problem}; run imbalance compare again, or "
                         "give --recipe and --model.")
    return verdict, settings


def _answer_problem(verdict: Any, settings: Any) -> str | None:
    """What is wrong with an answer.json's decision verdict and settings, or None: everything
    ``fit`` reads from them is checked before anything is fitted or written."""
    def is_int(value: Any, low: int, high: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    if not isinstance(verdict, dict) or not isinstance(settings, dict):
        return "its verdict and settings must be JSON objects"
    best = verdict.get("best")
    if not (isinstance(best, list) and len(best) == 2 and all(isinstance(name, str) for name in best)):
        return f"'best' must be [strategy, model], got {best!r}"
    if best[0] not in STRATEGIES and best[0] not in MULTILABEL_STRATEGIES:
        return f"unknown strategy {best[0]!r}"
    choice = verdict.get("choice", best)
    if not (isinstance(choice, list) and len(choice) == 2 and all(isinstance(name, str) for name in choice)
            and (choice[0] in STRATEGIES or choice[0] in MULTILABEL_STRATEGIES)):
        return f"'choice' must be [strategy, model] of a known strategy, got {choice!r}"
    if not isinstance(verdict.get("metric"), str):
        return f"'metric' must be a metric's name, got {verdict.get('metric')!r}"
    mean = verdict.get("best_mean")
    if isinstance(mean, bool) or not isinstance(mean, (int, float)) or not math.isfinite(mean):
        return f"'best_mean' must be a number, got {mean!r}"
    if "seed" in settings and not is_int(settings["seed"], 0, MAX_SEED):
        return f"the seed must be an int from 0 to {MAX_SEED}, got {settings['seed']!r}"
    from imbalance.model_selection import THRESHOLD_METRICS

    if settings.get("threshold tuned for", "f1") not in THRESHOLD_METRICS:
        return f"'threshold tuned for' must be one of {', '.join(THRESHOLD_METRICS)}, got {settings['threshold tuned for']!r}"
    if "k_neighbors" in settings and not is_int(settings["k_neighbors"], 1, 10**6):
        return f"k_neighbors must be a positive int, got {settings['k_neighbors']!r}"
    if "label column" in settings and not isinstance(settings["label column"], str):
        return f"'label column' must be a column's name, got {settings['label column']!r}"
    columns = settings.get("label columns", [])
    if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
        return f"'label columns' must be a list of column names, got {columns!r}"
    return None


def _cmd_fit(args: argparse.Namespace) -> int:
    from imbalance.deploy import RecipeClassifier, save

    _check_output_file(args, "the model")
    if args.output.name.lower().endswith(TABLE_SUFFIXES):
        raise OutputError(f"-o {args.output}: a model file is a joblib file, not a table; name it e.g. "
                          f"{args.output.name.split('.')[0] or 'model'}.joblib.")
    settings, verdict = {}, None
    if args.recipe is None:
        if args.model is not None:
            raise InputError("--model needs --recipe; or give neither, to fit the answer of --from.")
        verdict, settings = _recipe_from_report(args.from_report)
        strategy, model = verdict.get("choice", verdict["best"])  # the recommended cell (older answers: the best)
        if args.labels is None and "label columns" in settings and args.target == "LABEL":
            args.target = ",".join(settings["label columns"])
        elif args.target == "LABEL" and "label column" in settings:
            args.target = settings["label column"]
    else:
        strategy, model = args.recipe, args.model or "logreg"
    seed = args.seed if args.seed is not None else int(settings.get("seed", 0))
    threshold_metric = settings.get("threshold tuned for", "f1")
    k_neighbors = args.k_neighbors or int(settings.get("k_neighbors", 5))
    columns = _label_columns(args)
    df, source = _load(args, multilabel=columns is not None)
    target = columns if columns is not None else args.target
    X, y = df.drop(columns=target), df[target]
    costs = None
    if args.costs is not None:
        args.cost_column = None
        costs = _compare_costs(args, df)
    fitted = RecipeClassifier(strategy, model, threshold=args.threshold, calibration=args.calibrate, costs=costs,
                              random_state=seed, k_neighbors=k_neighbors, threshold_metric=threshold_metric).fit(X, y)
    model = fitted.model_name_
    info = {"strategy": strategy, "model": model, "source": source, "rows": len(df), "seed": seed,
            "target": target, "source_path": None if args.file is None else str(args.file.resolve())}
    if verdict is not None:
        info["answer"] = {"report": str(args.from_report), **verdict}
    save(fitted, args.output, info=info)
    how = ("as asked" if verdict is None else
           f"the answer of {args.from_report}/: best {verdict['metric']} {verdict['best_mean']:.3f}"
           if list(verdict.get("choice", verdict["best"])) == list(verdict["best"]) else
           f"the answer of {args.from_report}/: tied within noise with the best {verdict['metric']} "
           f"{verdict['best_mean']:.3f} ({' / '.join(verdict['best'])}), and keeps the model's probabilities")
    threshold = fitted.threshold_
    shown = ("; decisions by least expected cost" if costs is not None else "" if threshold is None else
             f"; threshold {threshold:.4g}" if np.ndim(threshold) == 0 else
             f"; thresholds {', '.join(f'{t:.3g}' for t in threshold)}")
    print(f"fitted {strategy} / {model} on {len(df):,} rows ({how}){shown}")
    print(f"wrote {args.output}")
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    from imbalance.deploy import load

    model = load(args.model_file)
    _check_output_file(args, "the scored table")
    df, source = _load(args, multilabel=True)  # the label column may be there or not
    in_sample = _is_training_data(model.info_, args.file, source)
    proba, decisions = model.predict_proba(df), model.predict(df)
    if model.multilabel_:
        added = {**{f"proba_{c}": proba[:, j] for j, c in enumerate(model.classes_)},
                 **{f"decision_{c}": decisions[:, j] for j, c in enumerate(model.classes_)}}
    elif model.positive_class_ is not None:
        positive = int(np.flatnonzero(model.classes_ == model.positive_class_)[0])
        added = {"proba": proba[:, positive], "decision": decisions}
    else:
        added = {**{f"proba_{c}": proba[:, j] for j, c in enumerate(model.classes_)}, "decision": decisions}
    if in_sample:  # said in the file too, so that the scores are not read later as a test
        added["in_sample"] = np.ones(len(df), dtype=bool)
    taken = [c for c in added if c in df.columns]
    if taken:
        raise InputError(f"the table already has column(s) {taken}; rename them before scoring.")
    out = df.assign(**added)
    write_table(out, args.output)
    if in_sample:
        sys.stderr.write(f"imbalance predict: note: these are the rows the model was fitted on ({source}): their "
                         "scores are in-sample and overstate it (the compare report's cross-validated numbers do "
                         "not); the file marks them in_sample. Score new rows to use it.\n")
    what = (f"{len(model.classes_)} labels" if model.multilabel_ else
            f"positive class {to_python(model.positive_class_)}" if model.positive_class_ is not None else
            f"{len(model.classes_)} classes")
    print(f"scored {len(out):,} rows with {model.info_.get('strategy')} / {model.info_.get('model')} ({what})")
    print(f"wrote {args.output}")
    return 0


def _is_training_data(info: dict, file: Path | None, source: str) -> bool:
    """Whether the table being scored is the one the model was fitted on (the demo, or the
    same file), by what ``fit`` recorded."""
    if file is None:
        return info.get("source") == DEMO
    fitted_on = info.get("source_path")
    return fitted_on is not None and Path(fitted_on) == file.resolve()


_COMMANDS = {
    "inspect": _cmd_inspect,
    "plan": _cmd_plan,
    "resample": _cmd_resample,
    "weights": _cmd_weights,
    "compare": _cmd_compare,
    "fit": _cmd_fit,
    "predict": _cmd_predict,
}


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C, so that every ``finally`` and every
    temporary output's clean-up runs before the process ends."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated()


def _show_note(message: Any, category: type, filename: str, lineno: int, file: Any = None, line: Any = None, *,
               prefix: str) -> None:
    """``warnings.showwarning`` for the command line: ``imbalance CMD: note: ...`` on one line."""
    sys.stderr.write(f"{prefix}: note: {printable(' '.join(str(message).split()), limit=2000)}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    renamed_notes = _apply_old_names(args, parser)
    if getattr(args, "ratio", None) is not None and args.method not in method_names("prototype", "synthesis"):
        parser.error("--ratio goes with a --method that reaches a ratio (nearmiss1, smote, ...); "
                     "for random resampling give the ratio to --under or --over")
    prefix = f"imbalance {args.command}"
    for note in renamed_notes:
        sys.stderr.write(f"{prefix}: note: {note}\n")
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    try:
        with warnings.catch_warnings():  # a warning is a note of one line, not a source path and a line of code
            warnings.showwarning = functools.partial(_show_note, prefix=prefix)
            return _COMMANDS[args.command](args)
    except ImbalanceError as exc:
        sys.stderr.write(f"{prefix}: error: {printable(' '.join(str(exc).split()), limit=2000)}\n")
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `imbalance weights | head -1`
        return 0
    except OSError as exc:  # an output or input the OS refused: disk full, permissions, ...
        where = f" ({exc.filename})" if exc.filename else ""
        sys.stderr.write(f"{prefix}: error: {exc.strerror or exc}{where}.\n")
        return EXIT_USAGE
    except MemoryError:
        sys.stderr.write(f"{prefix}: error: out of memory; use a smaller table or plan.\n")
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, _Terminated)
        sys.stderr.write(f"{prefix}: {'terminated' if terminated else 'interrupted'}\n")
        return EXIT_SIGTERM if terminated else EXIT_SIGINT
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    raise SystemExit(main())
