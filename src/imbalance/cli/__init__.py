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
import functools
import signal
import sys
import threading
import warnings
from typing import Any, Sequence

from imbalance import __version__
from imbalance._io import printable
from imbalance._registry import method_names
from imbalance._validation import ImbalanceError
from imbalance.cli import _compare, _data, _deploy
from imbalance.cli._common import EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE, Parser, apply_old_names

__all__ = ["main", "build_parser"]

#: Every command, by name: each family module says its own.
_COMMANDS = {**_data.COMMANDS, **_compare.COMMANDS, **_deploy.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command: the families' own, under one ``imbalance``."""
    parser = Parser(prog="imbalance", description="Inspect, plan, resample and weigh imbalanced tables.")
    parser.add_argument("--version", action="version", version=f"imbalance {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=Parser)
    for family in (_data, _compare, _deploy):
        family.add_parsers(commands)
    return parser


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
    renamed_notes = apply_old_names(args, parser)
    if getattr(args, "ratio", None) is not None and args.method not in method_names("prototype", "synthesis"):
        parser.error("--ratio goes with a --method that reaches a ratio (nearmiss1, smote, ...); "
                     "for random resampling give the ratio to --under or --over")
    prefix = f"imbalance {args.command}"
    for note in renamed_notes:
        _show_note(note, FutureWarning, __file__, 0, prefix=prefix)
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
