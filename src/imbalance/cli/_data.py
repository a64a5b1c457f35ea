"""``imbalance inspect``, ``plan``, ``resample`` and ``weights``: a table's classes, its plan, a
resampled copy, its class weights."""


from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from imbalance._io import table_format, write_table
from imbalance._labels import encode_labels
from imbalance._registry import method_names
from imbalance._validation import (
    InputError,
    check_random_state,
    to_python,
)
from imbalance.cli._common import (
    add_data_args,
    check_output_file,
    label_columns,
    load_table,
    ratio_arg,
    rich_print,
    seed_arg,
    targets_arg,
)
from imbalance.planner import Plan, plan_labels
from imbalance.resample import draw_rows, take_rows
from imbalance.weights import SCHEMES, class_weights


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
    group.add_argument("--under", nargs="?", const=1.0, type=ratio_arg, metavar="RATIO",
                       help="under-sample to at most RATIO:1 (default 1)")
    group.add_argument("--over", nargs="?", const=1.0, type=ratio_arg, metavar="RATIO",
                       help="over-sample to at most RATIO:1 (default 1)")
    group.add_argument("--targets", type=targets_arg, metavar="C=N,...",
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
    parser.add_argument("--ratio", type=ratio_arg, metavar="RATIO",
                        help="with a --method that reaches a ratio: at most RATIO:1 (default 1)")
    parser.add_argument("--k-neighbors", type=int, default=5, metavar="K",
                        help="with a SMOTE --method: neighbours to interpolate towards (default 5)")


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


def _inspect_multilabel(args: argparse.Namespace, columns: list[str]) -> int:
    from imbalance.multilabel import measures

    df, source = load_table(args, columns=columns, multilabel=True)
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
    rich_print(table)
    print(f"MeanIR {result.mean_ir:.3f}, MaxIR {result.max_ir:.3f}, CVIR {result.cvir:.3f}, "
          f"SCUMBLE {result.scumble:.3f}; labels per row {result.cardinality:.3f} (density {result.density:.3f}); "
          f"{result.n_labelsets:,} distinct labelsets; {result.n_unlabelled:,} rows with no label")
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    columns = label_columns(args)
    if columns is not None:
        return _inspect_multilabel(args, columns)
    df, source = load_table(args, label_only=True)
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
    rich_print(table)
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
    df, source = load_table(args, columns=columns, multilabel=True)
    plan = label_plan(df[columns], strategy, ratio=ratio)
    print(_label_plan_json(plan, source) if args.json else plan)
    if args.method == "ml_ros" and not args.json:
        print("ML-ROS (resample --method ml_ros) stops at these targets or at its budget of --percentage more rows "
              "(default 25%), whichever comes first; resample --over or --targets meets a plan whatever it takes.")
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    columns = label_columns(args)
    if columns is not None:
        return _plan_multilabel(args, columns)
    if args.method in method_names("multilabel"):
        raise InputError(f"--method {args.method} is for a multi-label target: give its 0/1 columns with "
                         "--labels PATTERN or --label-col a,b,c.")
    if args.method is not None:  # a cleaning rule's counts are known only by running it
        df, source = load_table(args)
        plan = _by_method(df, args)[0].plan_
        print(_plan_json(plan, source) if args.json else plan)
        return 0
    df, source = load_table(args, label_only=True)
    _, plan = _plan_for(df, args)
    print(_plan_json(plan, source) if args.json else plan)
    return 0


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


def _cmd_resample(args: argparse.Namespace) -> int:
    table_format(args.output)  # refuse an unknown output format before doing any work
    check_output_file(args, "the output")
    columns = label_columns(args) if hasattr(args, "labels") else None
    if columns is not None or args.method in method_names("multilabel"):
        return _resample_multilabel(args, columns)
    df, source = load_table(args)
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
    df, _ = load_table(args, multilabel=True)
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
    df, _ = load_table(args, label_only=True)
    encode_labels(df[args.target], name=f"label column {args.target!r}")  # two classes, no gaps
    normalize = False if args.normalize == "none" else args.normalize
    weights = class_weights(df[args.target], args.scheme, beta=args.beta, normalize=normalize)
    print(json.dumps({str(c): w for c, w in weights.items()}, indent=2))
    return 0


def add_parsers(commands: Any) -> None:
    """The data commands' parsers, added to ``commands`` (the subparsers of ``imbalance``)."""
    inspect = commands.add_parser("inspect", help="class counts, shares and imbalance ratio")
    add_data_args(inspect)
    inspect.add_argument("--labels", metavar="PATTERN",
                         help="a multi-label target: the 0/1 columns matching PATTERN, e.g. 'label_*' "
                              "(or name them: --label-col a,b,c); shows IRLbl, MeanIR, SCUMBLE, ...")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")

    plan = commands.add_parser("plan", help="show the rows per class before and after resampling")
    add_data_args(plan)
    _add_strategy_args(plan)
    plan.add_argument("--labels", metavar="PATTERN",
                      help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c); the plan "
                           "is rows per label: --over RATIO (every label within RATIO:1 of the commonest), "
                           "--targets label=N,..., or --method ml_ros (no label above the mean imbalance)")
    plan.add_argument("--json", action="store_true", help="print JSON instead of a table")

    resample = commands.add_parser("resample", help="write a resampled copy of the table")
    add_data_args(resample)
    _add_strategy_args(resample)
    resample.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                          help="output file, CSV or Parquet by extension")
    resample.add_argument("--seed", type=seed_arg, default=0, help="random seed (default 0)")
    resample.add_argument("--source-column", metavar="NAME",
                          help="add a column NAME with each row's position in the input (-1: a made-up row)")
    resample.add_argument("--labels", metavar="PATTERN",
                          help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c); "
                               "resampled with --method ml_ros, ml_rus or mlsmote, or to a label plan "
                               "(--over RATIO, --targets label=N,...) by ML-ROS's cloning")
    resample.add_argument("--percentage", type=_percentage, default=25.0, metavar="P",
                          help="ml_ros / ml_rus: rows to add / delete, as a percentage of the rows (default 25)")

    weights = commands.add_parser("weights", help="class weights as JSON")
    add_data_args(weights)
    weights.add_argument("--scheme", choices=SCHEMES, default="balanced",
                         help="weighting scheme (default: balanced)")
    weights.add_argument("--beta", type=float, default=0.999, help="beta of the effective scheme")
    weights.add_argument("--normalize", choices=("none", "rows", "classes"), default="none",
                         help="rescale so the row weights average 1 (rows) or the class weights sum to K")


#: The commands of this family, by name.
COMMANDS = {"inspect": _cmd_inspect, "plan": _cmd_plan, "resample": _cmd_resample, "weights": _cmd_weights}
