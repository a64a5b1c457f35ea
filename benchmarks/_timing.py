"""Timing helpers shared by the benchmark scripts (run them from the repository root)."""

from __future__ import annotations

import gc
import os
import platform
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path
from typing import Callable


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, after a garbage collection before each."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def best_times_interleaved(fns: dict[str, Callable[[], object]], repeat: int, warmup: int = 1) -> dict[str, float]:
    """Best wall time of each function over ``repeat`` rounds, the functions taking turns
    within a round (after ``warmup`` untimed rounds), so that a JIT warming up or a noisy
    neighbour does not land on one of them only."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            best[name] = min(best[name], best_time(fn, 1))
    return best


def peak_ratio(fn: Callable[[], tuple]) -> float:
    """Peak memory allocated during ``fn()`` (tracemalloc), divided by the size of the
    ``(X_res, y_res)`` it returns: 1.00 would mean no temporaries at all."""
    gc.collect()
    tracemalloc.start()
    X_res, y_res = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (X_res.nbytes + y_res.nbytes)


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak memory allocated during ``fn()`` (tracemalloc), in MB: what a call holds on top of
    what existed before it."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak / 2**20


RESULTS = Path(__file__).parent / "results"


def table_lines(columns: list[str], rows) -> list[str]:
    """A markdown table: the header, its rule, and one line per row of cells (strings)."""
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns),
            *("| " + " | ".join(row) + " |" for row in rows)]


def machine() -> str:
    """One line on where a benchmark ran: cores, processor, Python and the main libraries."""
    import numpy

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, numpy {numpy.__version__}"


@contextmanager
def results(script: str, caption: str = "", *, source: str | None = None):
    """Print a benchmark's results table and, if the run completes and was started with
    ``--save``, write it to ``benchmarks/results/<script>.md``, the one source of the figures on
    the documentation's Performance page. Saving is asked for, never implied, so that a quick
    run (one size, one method) does not replace the published table.
    Yields ``emit``, which prints a line and keeps it for the file. ``source``: the script that
    wrote it, where the file is named otherwise (default: ``script``)."""
    lines: list[str] = []

    def emit(line: str = "") -> None:
        print(line, flush=True)
        lines.extend(line.split("\n"))

    yield emit
    if "--save" not in sys.argv[1:]:
        print(f"\n(not saved: add --save to write benchmarks/results/{script}.md)")
        return
    RESULTS.mkdir(exist_ok=True)
    body = "\n".join(lines).strip("\n")
    command = " ".join(["python", f"benchmarks/{source or script.removesuffix('_quality')}.py", *sys.argv[1:]])
    text = (f"<!-- Written by `{command}`; run it again to update. -->\n\n"
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.{' ' + caption if caption else ''}\n\n{body}\n")
    target = RESULTS / f"{script}.md"
    partial = target.with_suffix(".md.part")
    partial.write_text(text)
    partial.replace(target)  # never a half-written results file
