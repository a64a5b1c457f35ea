"""What every command of the command line shares: exit codes, argument types, the data
options, loading a table with progress, output checks, printing."""


from __future__ import annotations

import argparse
import contextlib
import fnmatch
import math
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from imbalance._io import read_table, table_columns
from imbalance._validation import (
    InputError,
    OutputError,
    ParameterError,
    check_label_column,
    check_no_repeats,
)

EXIT_USAGE = 2


EXIT_SIGINT = 128 + signal.SIGINT  # 130, as shells report a Ctrl-C


EXIT_SIGTERM = 128 + signal.SIGTERM  # 143


MAX_SEED = 2**32 - 1  # scikit-learn's models take seeds up to here


DEMO = "the bundled churn demo"


# Files above this size show a progress bar while they are read (when stderr is a terminal).
PROGRESS_BYTES = 32 * 2**20


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def ratio_arg(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ratio must be a number >= 1, got {text!r}") from None


def targets_arg(text: str) -> dict[str, int]:
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


def seed_arg(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an int from 0 to {MAX_SEED}, got {text!r}") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be an int from 0 to {MAX_SEED} (2**32 - 1), got {seed}")
    return seed


def int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an int >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an int >= {low}, got {value}")
        return value

    return parse


def n_jobs_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be a positive int, or -1 for all cores, got {text!r}")
    return value


#: Options renamed for one meaning per word, kept for one release: old -> (new, dest, new's default).
_RENAMED_OPTIONS: dict[str, tuple[str, str, Any]] = {}


def old_name(parser: argparse.ArgumentParser, old: str, new: str, *, dest: str, **kwargs: Any) -> None:
    """``old`` as a hidden spelling of ``new`` (added before it, same ``dest`` and type);
    :func:`main` says that it is renamed."""
    parser.add_argument(old, dest=f"{dest}__{old.strip('-')}", help=argparse.SUPPRESS, **kwargs)
    _RENAMED_OPTIONS[old] = (new, dest, parser.get_default(dest))


def apply_old_names(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[str]:
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


def add_data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE",
                        help="CSV (.csv, .csv.gz, .csv.bz2) or Parquet file; default: the churn demo")
    parser.add_argument("--label-col", "-t", dest="target", default="LABEL", metavar="COL",
                        help="label column (default: LABEL)")
    old_name(parser, "--target", "--label-col", dest="target")
    parser.add_argument("--encoding", metavar="NAME",
                        help="text encoding of a CSV file, e.g. latin-1 (default: UTF-8)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show progress")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help="never show progress")


def names_arg(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one name, comma-separated")
    try:
        check_no_repeats("the list", names)
    except ParameterError as exc:
        raise argparse.ArgumentTypeError(str(exc).removesuffix(".")) from None
    return names


def probability_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:  # 0 or 1 (or beyond) would decide every row the same way
        raise argparse.ArgumentTypeError(f"must be a probability strictly between 0 and 1, got {text!r}")
    return value


def console_for(force: bool | None):
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


def load_table(args: argparse.Namespace, *, label_only: bool = False, columns: list[str] | None = None,
          multilabel: bool = False) -> tuple[pd.DataFrame, str]:
    """The table and a name for it; ``label_only`` reads the label column alone, ``columns``
    those columns alone; ``multilabel``: the label columns were checked by :func:`label_columns`
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
        with _progress_opener(console_for(args.progress)) as opener:
            df = read_table(args.file, columns=columns, encoding=args.encoding, opener=opener)
    else:
        df = read_table(args.file, columns=columns, encoding=args.encoding)
    if not multilabel:
        check_label_column(df, args.target, source=source, hint=" (use --label-col)")
    return df, source


def label_columns(args: argparse.Namespace) -> list[str] | None:
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


def rich_print(renderable: Any, *, width: int | None = None) -> None:
    """Print a rich table, or text wrapped, at ``width`` (default: the terminal's, or
    $COLUMNS or 80 when piped)."""
    from rich.console import Console
    from rich.text import Text

    if isinstance(renderable, str):  # plain text, e.g. a file name with [brackets] in it
        renderable = Text(renderable)
    Console(width=width or terminal_width(), highlight=False).print(renderable)


def terminal_width() -> int:
    """The terminal's columns; when piped, $COLUMNS or 80."""
    from rich.console import Console

    console = Console()
    if console.is_terminal:
        return console.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 80


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output_file(args: argparse.Namespace, what: str) -> None:
    """-o names a file that is neither a folder nor the input (which it would overwrite)."""
    if args.output.is_dir():
        raise OutputError(f"-o {args.output} is a folder; give a file name for {what}.")
    if args.file is not None and (_same_file(args.output, args.file) or args.output.resolve() == args.file.resolve()):
        raise InputError(f"-o {args.output} is the input file; write {what} to a new file.")
