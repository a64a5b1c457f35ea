"""The command line run in this process: ``imbalance.cli.main(argv)`` with its own stdout,
stderr, working folder and terminal width, returning what ``subprocess.run`` would.

For the tests that check what a command does (its files, its tables, its errors), not how the
process behaves (signals, exit codes of the interpreter, an environment without torch: those
keep a real child, see ``tests/subprocesses.py``): a child process pays the package's imports
again, about two seconds a command.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path

from imbalance.cli import main


def run_cli(*args: object, cwd: str | Path | None = None, columns: int = 100) -> subprocess.CompletedProcess:
    """``imbalance ARGS`` in this process: a CompletedProcess with returncode, stdout, stderr."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    before, width = os.getcwd(), os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    finally:
        os.chdir(before)
        if width is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = width
    return subprocess.CompletedProcess(["imbalance", *argv], code, out.getvalue(), err.getvalue())
