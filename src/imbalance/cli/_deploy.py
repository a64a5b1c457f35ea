"""``imbalance fit`` and ``predict``: one recipe and model fitted on all the data and saved, and a
table scored with it."""


from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from imbalance._io import TABLE_SUFFIXES, write_table
from imbalance._validation import (
    InputError,
    OutputError,
    to_python,
)
from imbalance.cli._common import (
    DEMO,
    MAX_SEED,
    add_data_args,
    check_output_file,
    int_at_least,
    label_columns,
    load_table,
    old_name,
    probability_arg,
    seed_arg,
)
from imbalance.cli._compare import compare_costs
from imbalance.strategies import (
    MULTILABEL_STRATEGIES,
    SPARK_MODEL_NAMES,
    STRATEGIES,
)


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
    if settings.get("task") == "regression":
        return ("it is a comparison on a numeric target, whose model imbalance fit does not build yet (fit the "
                "cell's pipeline in Python: imbalance._regression.regression_cell_model)")
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

    check_output_file(args, "the model")
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
    if model in SPARK_MODEL_NAMES:
        raise InputError(f"{model} is a Spark ML model of compare --engine spark, and fit fits in memory: give --recipe "
                         f"{strategy} --model logreg (or hist_gb, random_forest) to fit the recipe with a scikit-learn "
                         "model, or fit it on Spark with imbalance.spark (with_weights, ResampledEstimator).")
    seed = args.seed if args.seed is not None else int(settings.get("seed", 0))
    threshold_metric = settings.get("threshold tuned for", "f1")
    k_neighbors = args.k_neighbors or int(settings.get("k_neighbors", 5))
    columns = label_columns(args)
    df, source = load_table(args, multilabel=columns is not None)
    target = columns if columns is not None else args.target
    X, y = df.drop(columns=target), df[target]
    costs = None
    if args.costs is not None:
        args.cost_column = None
        costs = compare_costs(args, df)
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
    check_output_file(args, "the scored table")
    df, source = load_table(args, multilabel=True)  # the label column may be there or not
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


def add_parsers(commands: Any) -> None:
    """The fit and predict commands' parsers, added to ``commands`` (the subparsers of ``imbalance``)."""
    fit = commands.add_parser(
        "fit", help="fit one strategy x model on all the data and save it (default: the answer of the last compare)")
    add_data_args(fit)
    fit.add_argument("--labels", metavar="PATTERN",
                     help="a multi-label target: the 0/1 columns matching PATTERN (or --label-col a,b,c)")
    fit.add_argument("--recipe", metavar="R", help="a compare recipe (default: the one --from's answer names)")
    old_name(fit, "--strategy", "--recipe", dest="recipe")
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
    fit.add_argument("--threshold", type=probability_arg, metavar="T",
                     help="binary: decide positive where the model's probability is >= T, instead of the recipe's")
    fit.add_argument("--seed", type=seed_arg, help="seed of resampling and model (default: the report's, or 0)")
    fit.add_argument("--k-neighbors", type=int_at_least(1), metavar="K",
                     help="of the SMOTE-family strategies (default: the report's, or 5)")
    fit.add_argument("-o", "--output", type=Path, required=True, metavar="MODEL",
                     help="the model file to write (joblib; load it with imbalance.load)")

    predict = commands.add_parser("predict", help="score a table with a saved model: probabilities and decisions",
                                  description="Score a table with a model file written by imbalance fit. Loading a "
                                              "model file runs the code pickled in it: load only model files you "
                                              "made or trust.")
    predict.add_argument("model_file", type=Path, metavar="MODEL",
                         help="a file written by imbalance fit (loading runs pickled code: only files you trust)")
    add_data_args(predict)
    predict.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                         help="the scored table: the input's columns, then probabilities and decisions")


#: The commands of this family, by name.
COMMANDS = {"fit": _cmd_fit, "predict": _cmd_predict}
