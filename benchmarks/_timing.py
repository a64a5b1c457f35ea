"""Timing helpers shared by the benchmark scripts (run them from the repository root)."""

from __future__ import annotations

import gc
import time
import tracemalloc
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
