"""Neighbourhood samplers: imbalance vs imbalanced-learn, in the same run.

    python benchmarks/bench_neighbourhood.py                                  # every method at 1e5 rows
    python benchmarks/bench_neighbourhood.py --sizes 1e6 --methods TomekLinks NearMiss-1 --cap 600
    python benchmarks/bench_neighbourhood.py --sizes 1e6 --peer-methods NearMiss-1 --table bench_neighbourhood_1e6
    python benchmarks/bench_neighbourhood.py --sizes 1e4 1e5 --methods CondensedNearestNeighbour

Data: ``make_classification``, 20 features (float64), 5% minority, 2% of labels flipped.
Both sides run with their defaults but for what makes them comparable (NCR: ours with
``self_vote=True``, imbalanced-learn's rule; the SMOTE chains: each library's own SMOTE draw).
Each call runs in a child process (fork) capped at ``--cap`` seconds, so a peer that would run
for hours is reported as "> cap" instead of stalling the run; the time is the best of
``--repeat`` calls (3) for calls under ``--repeat-under`` seconds (10; a short time is the
noisiest, and the first call pays the cold start), of one call for the others, the same rule
for both sides; peak memory (tracemalloc, in the child) is divided by the size of the
output and of the input (an under-sampler's output can be a tenth of its input). "same rows" compares the kept rows where the method is deterministic.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import time
import tracemalloc

import numpy as np
from _timing import RESULTS, results, table_lines
from sklearn.datasets import make_classification

import imbalance

# name -> (ours, theirs (imblearn module, class, params), deterministic: same rows expected)
METHODS = {
    "TomekLinks": (lambda: imbalance.TomekLinks(), ("under_sampling", "TomekLinks", {}), True),
    "EditedNearestNeighbours": (lambda: imbalance.EditedNearestNeighbours(),
                                ("under_sampling", "EditedNearestNeighbours", {}), True),
    "RepeatedEditedNearestNeighbours": (lambda: imbalance.RepeatedEditedNearestNeighbours(),
                                        ("under_sampling", "RepeatedEditedNearestNeighbours", {}), True),
    "AllKNN": (lambda: imbalance.AllKNN(), ("under_sampling", "AllKNN", {}), True),
    "NeighbourhoodCleaningRule": (lambda: imbalance.NeighbourhoodCleaningRule(self_vote=True),
                                  ("under_sampling", "NeighbourhoodCleaningRule", {}), True),
    "OneSidedSelection": (lambda: imbalance.OneSidedSelection(random_state=0),
                          ("under_sampling", "OneSidedSelection", {"random_state": 0}), False),
    "CondensedNearestNeighbour": (lambda: imbalance.CondensedNearestNeighbour(random_state=0),
                                  ("under_sampling", "CondensedNearestNeighbour", {"random_state": 0}), False),
    "NearMiss-1": (lambda: imbalance.NearMiss(version=1), ("under_sampling", "NearMiss", {"version": 1}), True),
    "NearMiss-2": (lambda: imbalance.NearMiss(version=2), ("under_sampling", "NearMiss", {"version": 2}), True),
    "NearMiss-3": (lambda: imbalance.NearMiss(version=3), ("under_sampling", "NearMiss", {"version": 3}), True),
    "ClusterCentroids": (lambda: imbalance.ClusterCentroids(random_state=0),
                         ("under_sampling", "ClusterCentroids", {"random_state": 0}), False),
    # the cluster sparsity's pairwise distances (its memory once grew with the square of a cluster's rows);
    # 4 clusters and a low balance threshold on both sides: with its defaults imbalanced-learn finds no
    # cluster on this data; both cluster with scikit-learn's MiniBatchKMeans, most of the time at 1e5 rows
    "KMeansSMOTE": (lambda: imbalance.KMeansSMOTE(kmeans_estimator=4, cluster_balance_threshold=0.01, random_state=0),
                    ("over_sampling", "KMeansSMOTE",
                     {"kmeans_estimator": 4, "cluster_balance_threshold": 0.01, "random_state": 0}), False),
    "SMOTEENN": (lambda: imbalance.SMOTEENN(random_state=0), ("combine", "SMOTEENN", {"random_state": 0}), False),
    "SMOTETomek": (lambda: imbalance.SMOTETomek(random_state=0), ("combine", "SMOTETomek", {"random_state": 0}),
                   False),
}


def _peer(name):
    import importlib
    import warnings

    module, cls, params = METHODS[name][1]
    warnings.filterwarnings("ignore")
    return getattr(importlib.import_module(f"imblearn.{module}"), cls)(**params)


def _child(conn, side, name, X, y, repeat, repeat_under):
    """Run one side (``repeat`` times if the first call takes under ``repeat_under``
    seconds), once more under tracemalloc, and send back the figures."""
    try:
        best = float("inf")
        for call in range(max(1, repeat)):
            if call and best >= repeat_under:  # a long call is timed once
                break
            sampler = METHODS[name][0]() if side == "ours" else _peer(name)
            gc.collect()
            start = time.perf_counter()
            sampler.fit_resample(X, y)
            best = min(best, time.perf_counter() - start)
        sampler = METHODS[name][0]() if side == "ours" else _peer(name)
        gc.collect()
        tracemalloc.start()
        X_res, y_res = sampler.fit_resample(X, y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows = getattr(sampler, "sample_indices_", None)
        conn.send((best, peak / (X_res.nbytes + y_res.nbytes), peak / (X.nbytes + y.nbytes),
                   None if rows is None else np.sort(rows)))
    except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
        conn.send(exc)


def run_capped(side, name, X, y, repeat, repeat_under, cap):
    """(seconds, peak ratio, rows) of one side, or None when it ran past ``cap`` seconds."""
    parent, child = mp.get_context("fork").Pipe(duplex=False)
    process = mp.get_context("fork").Process(target=_child, args=(child, side, name, X, y, repeat, repeat_under))
    process.start()
    child.close()
    if not parent.poll(2 * cap + repeat * min(cap, repeat_under)):  # the timed calls, then the traced one
        process.kill()
        process.join()
        return None
    try:
        result = parent.recv()
    except EOFError:  # the child died without a word: killed for memory
        result = MemoryError("killed")
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--repeat", type=int, default=3, help="calls timed, best kept (default 3)")
    parser.add_argument("--repeat-under", type=float, default=10,
                        help="repeat only calls whose first run takes under this many seconds (default 10)")
    parser.add_argument("--cap", type=float, default=600, help="seconds a call may take (default 600)")
    parser.add_argument("--no-peer", action="store_true", help="time ours only")
    parser.add_argument("--peer-methods", nargs="+", choices=list(METHODS),
                        help="run imbalanced-learn for these methods only (default: every method run)")
    parser.add_argument("--table", default="bench_neighbourhood",
                        help="name of the saved table, benchmarks/results/<table>.md (default: %(default)s)")
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    parser.add_argument("--update", action="store_true",
                        help="with --save: replace only the rows measured now in the saved table, keep the others")
    args = parser.parse_args()

    table = []
    for size in args.sizes:
        n = int(size)
        X, y = make_classification(n_samples=n, n_features=20, n_informative=10, weights=[0.95], flip_y=0.02,
                                   random_state=0)
        for name in args.methods:
            ours = run_capped("ours", name, X, y, args.repeat, args.repeat_under, args.cap)
            skip_peer = args.no_peer or (args.peer_methods is not None and name not in args.peer_methods)
            theirs = None if skip_peer else run_capped("peer", name, X, y, args.repeat, args.repeat_under, args.cap)
            if isinstance(ours, Exception):
                raise ours
            failed = isinstance(theirs, Exception)
            if failed:
                print(f"{size:.0e} {name}: imbalanced-learn failed: {type(theirs).__name__}: {theirs}", flush=True)
                theirs = None
            same = "-"
            if ours and theirs and METHODS[name][2] and ours[3] is not None and theirs[3] is not None:
                same = "yes" if np.array_equal(ours[3], theirs[3]) else "NO"
            t_ours = f"{ours[0]:.2f} s" if ours else f"> {args.cap:.0f} s"
            t_peer = ("not run" if skip_peer else "fails" if failed else
                      f"{theirs[0]:.2f} s" if theirs else f"> {args.cap:.0f} s")
            ratio = (f"{theirs[0] / ours[0]:.1f}x" if ours and theirs else
                     f"> {args.cap / ours[0]:.0f}x" if ours and not skip_peer and not failed else "-")
            memory = " / ".join(f"{side[1]:.2f}" if side else "-" for side in (theirs, ours))
            of_input = " / ".join(f"{side[2]:.2f}" if side else "-" for side in (theirs, ours))
            print(f"{size:.0e} {name}: imblearn {t_peer}, ours {t_ours} ({ratio}); peak memory / output "
                  f"{memory}, / input {of_input}; same rows: {same}", flush=True)
            table.append((f"{size:.0e}", name, t_peer, t_ours, ratio, memory, of_input, same))

    caption = ""
    if args.update:
        table, caption = _merged_with_saved(args.table, table)
    with results(args.table, caption, source="bench_neighbourhood") as emit:
        emit()
        for line in table_lines(["rows", "method", "imbalanced-learn", "imbalance", "speed-up",
                                 "peak memory / output (peer / ours)", "peak memory / input (peer / ours)",
                                 "same rows"], table):
            emit(line)


def _merged_with_saved(name, table):
    """The saved table's rows with those measured now put in their place (same size and
    method), and a caption that says which rows are new and where the others come from."""
    saved = RESULTS / f"{name}.md"
    if not saved.exists():
        return table, ""
    text = saved.read_text().splitlines()
    earlier = next((line for line in text if line.startswith("Measured")), "Measured earlier").rstrip(".")
    command = next((line for line in text if line.startswith("<!--")), "").removeprefix("<!-- Written by ").split(";")[0]
    new = {(row[0], row[1]): row for row in table}
    rows = []
    for line in text:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| 1e") and len(cells) == len(table[0]):
            rows.append(new.pop((cells[0], cells[1]), tuple(cells)))
    rows.extend(new.values())
    measured = ", ".join(f"{size} {method}" for size, method, *_ in table)
    return rows, (f"Rows re-measured in this run: {measured}; the others: {earlier[0].lower()}{earlier[1:]} "
                  f"(written by {command}).")


if __name__ == "__main__":
    main()
