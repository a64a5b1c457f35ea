"""The ``imbalance`` command line.

    imbalance inspect  [FILE] [--target COL]
    imbalance plan     [FILE] [--target COL] (--under [RATIO] | --over [RATIO] | --targets C=N,...)
    imbalance resample [FILE] [--target COL] (--under [RATIO] | --over [RATIO] | --targets ...) -o OUT
    imbalance weights  [FILE] [--target COL] [--scheme S]
    imbalance compare  [FILE] [--target COL] [--strategies ...] [--models ...] [--folds K] [--out DIR]

With no FILE, every command runs on the bundled churn demo (label column ``LABEL``).
Bad input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from imbalance import __version__
from imbalance._io import read_table, table_format, write_table
from imbalance._validation import (
    ImbalanceError,
    InputError,
    ParameterError,
    check_label_column,
    check_random_state,
    encode_labels,
    to_python,
)
from imbalance.planner import Plan, _plan
from imbalance.resample import draw_rows, take_rows
from imbalance.strategies import MODEL_NAMES, STRATEGIES
from imbalance.weights import SCHEMES, class_weights

__all__ = ["main"]

EXIT_USAGE = 2
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
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"targets must look like 0=500,1=500, got {item!r}")
        try:
            targets[key.strip()] = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"target of class {key!r} must be an int, got {value!r}") from None
    if not targets:
        raise argparse.ArgumentTypeError("targets must look like 0=500,1=500")
    return targets


def _add_data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE",
                        help="CSV (.csv, .csv.gz, .csv.bz2) or Parquet file; default: the churn demo")
    parser.add_argument("--target", "-t", default="LABEL", metavar="COL",
                        help="label column (default: LABEL)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show progress")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help="never show progress")


def _add_strategy_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--under", nargs="?", const=1.0, type=_ratio, metavar="RATIO",
                       help="under-sample to at most RATIO:1 (default 1)")
    group.add_argument("--over", nargs="?", const=1.0, type=_ratio, metavar="RATIO",
                       help="over-sample to at most RATIO:1 (default 1)")
    group.add_argument("--targets", type=_targets, metavar="C=N,...",
                       help="explicit row counts after resampling, e.g. 0=1000,1=1000")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="imbalance", description="Inspect, plan, resample and weigh imbalanced tables.")
    parser.add_argument("--version", action="version", version=f"imbalance {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)

    inspect = commands.add_parser("inspect", help="class counts, shares and imbalance ratio")
    _add_data_args(inspect)
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")

    plan = commands.add_parser("plan", help="show the rows per class before and after resampling")
    _add_data_args(plan)
    _add_strategy_args(plan)
    plan.add_argument("--json", action="store_true", help="print JSON instead of a table")

    resample = commands.add_parser("resample", help="write a resampled copy of the table")
    _add_data_args(resample)
    _add_strategy_args(resample)
    resample.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                          help="output file, CSV or Parquet by extension")
    resample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    resample.add_argument("--source-column", metavar="NAME",
                          help="add a column NAME with each row's position in the input")

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
    compare.add_argument("--strategies", type=_names, metavar="S,...",
                         help="comma-separated, from: " + ", ".join(STRATEGIES) + " (default: all)")
    compare.add_argument("--models", type=_names, metavar="M,...",
                         help="comma-separated, from: " + ", ".join(MODEL_NAMES) + " (default: all)")
    compare.add_argument("--folds", type=int, default=5, help="k of stratified k-fold (default 5)")
    compare.add_argument("--repeats", type=int, default=1, help="repeats of the k folds (default 1)")
    compare.add_argument("--seed", type=int, default=0, help="seed of folds, resampling and models (default 0)")
    compare.add_argument("--n-jobs", type=int, default=-1, help="parallel cells (default: all cores)")
    compare.add_argument("--out", type=Path, default=Path("imbalance-report"), metavar="DIR",
                         help="folder for results.csv, summary.csv, PNG plots and report.html "
                              "(default: imbalance-report)")
    return parser


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one name, comma-separated")
    return names


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


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    if args.file is None:
        from imbalance.datasets import load_churn

        df, source = load_churn(), DEMO
    elif _show_progress(args.file, args.progress):
        with _progress_opener(_console(args.progress)) as opener:
            df = read_table(args.file, opener=opener)
        source = str(args.file)
    else:
        df, source = read_table(args.file), str(args.file)
    check_label_column(df, args.target, source=source, hint=" (use --target)")
    return df, source


def _strategy(args: argparse.Namespace) -> tuple[Any, float]:
    if args.targets is not None:
        return args.targets, 1.0
    if args.under is not None:
        return "under", args.under
    return "over", args.over


def _plan_for(df: pd.DataFrame, args: argparse.Namespace):
    labels = encode_labels(df[args.target], name=f"label column {args.target!r}")
    counts = {to_python(c): int(n) for c, n in zip(labels.classes, labels.counts)}
    strategy, ratio = _strategy(args)
    return labels, _plan(labels.classes, counts, strategy, ratio)


def _rich_print(renderable: Any, *, min_width: int = 80) -> None:
    from rich.console import Console

    console = Console(soft_wrap=True)
    if not console.is_terminal:  # piped: no terminal width to respect, keep wide tables whole
        console = Console(soft_wrap=True, width=max(min_width, 80))
    console.print(renderable)


def _cmd_inspect(args: argparse.Namespace) -> int:
    df, source = _load(args)
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

    table = Table(title=f"{source}: {n:,} rows, label column {args.target!r}", title_justify="left")
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


def _cmd_plan(args: argparse.Namespace) -> int:
    df, source = _load(args)
    _, plan = _plan_for(df, args)
    print(_plan_json(plan, source) if args.json else plan)
    return 0


def _cmd_resample(args: argparse.Namespace) -> int:
    table_format(args.output)  # refuse an unknown output format before doing any work
    if args.file is not None and args.output.resolve() == args.file.resolve():
        raise InputError("the output file is the input file; write to a new file.")
    df, source = _load(args)
    labels, plan = _plan_for(df, args)
    draw = draw_rows(labels, plan, check_random_state(args.seed))
    out = take_rows(df, draw)
    if args.source_column:
        if args.source_column in out.columns:
            raise InputError(f"column {args.source_column!r} already exists; choose another --source-column.")
        out.insert(0, args.source_column, draw.indices)
    write_table(out, args.output)
    print(plan)
    print(f"wrote {len(out):,} rows to {args.output}")
    return 0


def _cmd_weights(args: argparse.Namespace) -> int:
    df, _ = _load(args)
    encode_labels(df[args.target], name=f"label column {args.target!r}")  # two classes, no gaps
    normalize = False if args.normalize == "none" else args.normalize
    weights = class_weights(df[args.target], args.scheme, beta=args.beta, normalize=normalize)
    print(json.dumps({str(c): w for c, w in weights.items()}, indent=2))
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from rich.table import Table

    from imbalance.compare import compare
    from imbalance.model_selection import FoldPlan
    from imbalance.report import HEADLINE_METRICS, best_cells, write_report

    if args.folds < 2 or args.repeats < 1:
        raise ParameterError(f"--folds must be >= 2 and --repeats >= 1, got {args.folds} and {args.repeats}.")
    if args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out} exists and is not a folder.")
    df, source = _load(args)
    X, y = df.drop(columns=args.target), df[args.target]
    folds = FoldPlan.stratified(y, n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
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
        result = compare(X, y, strategies=args.strategies, models=args.models, cv=folds,
                         n_jobs=args.n_jobs, random_state=args.seed, progress=update)
    summary = result.summary
    best = best_cells(summary)
    table = Table(title=f"{source}: mean ± sd over {args.folds} folds x {args.repeats} repeat(s); * best",
                  title_justify="left")
    short = {"average_precision": "AP", "roc_auc": "ROC AUC", "balanced_accuracy": "bal. acc.", "f1": "F1",
             "mcc": "MCC", "g_mean": "G-mean", "brier": "Brier", "brier_corrected": "Brier corr."}
    for name in ("strategy", "model", *HEADLINE_METRICS):
        table.add_column(short.get(name, name), justify="left" if name in ("strategy", "model") else "right",
                         no_wrap=True)
    for i, row in summary.iterrows():
        cells = [str(row["strategy"]), str(row["model"])]
        for m in HEADLINE_METRICS:
            text = f"{row[f'{m}_mean']:.3f}±{row[f'{m}_sd']:.3f}"
            cells.append(f"[bold]{text}*[/bold]" if best.get(m) == i else text)
        table.add_row(*cells)
    _rich_print(table, min_width=200)
    settings = {"folds": args.folds, "repeats": args.repeats, "seed": args.seed,
                "rows": len(df), "label column": args.target}
    written = write_report(result, args.out, source=source, settings=settings)
    print(f"wrote {', '.join(p.name for p in written)} to {args.out}/")
    return 0


_COMMANDS = {
    "inspect": _cmd_inspect,
    "plan": _cmd_plan,
    "resample": _cmd_resample,
    "weights": _cmd_weights,
    "compare": _cmd_compare,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ImbalanceError as exc:
        message = " ".join(str(exc).split())
        sys.stderr.write(f"imbalance {args.command}: error: {message}\n")
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `imbalance weights | head -1`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
