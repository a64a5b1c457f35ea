"""imbalance: classification on imbalanced data.

One planner turns class counts and a strategy into target counts; every backend carries out
that same plan. ``import imbalance`` never imports torch or pyspark.
"""

from imbalance import _registry
from imbalance._validation import (
    CompiledPartWarning,
    ImbalanceError,
    InputError,
    InputTypeError,
    LabelError,
    OutputError,
    ParameterError,
    StrategyError,
)
from imbalance.planner import Plan, apportion, plan, plan_from_counts, power
from imbalance.resample import resample, resample_counts, resample_indices
from imbalance.tables import over_sample, resample_with, under_sample
from imbalance.weights import class_weights, pos_weight, repeat_factors, sample_weights, weights_from_counts

__version__ = "0.1.0"

# Loaded on first use (PEP 562), so that ``import imbalance`` stays as fast as pandas allows and
# never imports scikit-learn's models, torch or pyspark: the command line and the plain
# functions start fast, and ``imbalance.compare(X, y)`` or ``imbalance.metrics`` still just work.
_LAZY = {
    "smote": "imbalance.synth",
    "compare": "imbalance.comparison",
    "ComparisonResult": "imbalance.comparison",
    "write_report": "imbalance.report",
    "RecipeClassifier": "imbalance.deploy",
    "load": "imbalance.deploy",
}
_SUBMODULES = ("answer", "cleaning", "combine", "comparison", "datasets", "deploy", "ensemble", "keras", "metrics",
               "multilabel", "multilabel_comparison", "model_selection", "pipeline", "prototypes", "report", "samplers",
               "synth", "spark", "torch")


def __getattr__(name: str):
    import importlib

    estimator = _registry.ESTIMATORS.get(name)
    if estimator is not None and estimator.export:  # every sampler and ensemble, from the method registry
        value = getattr(importlib.import_module(estimator.module), name)
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"imbalance.{name}")
    else:
        raise AttributeError(f"module 'imbalance' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted({*globals(), *_LAZY, *_SUBMODULES, *(e.name for e in _registry.ESTIMATORS.values() if e.export)})


__all__ = [
    "CompiledPartWarning",
    "ImbalanceError",
    "InputError",
    "InputTypeError",
    "LabelError",
    "ParameterError",
    "StrategyError",
    "Plan",
    "plan",
    "plan_from_counts",
    "power",
    "apportion",
    "resample",
    "resample_counts",
    "resample_indices",
    "under_sample",
    "over_sample",
    "resample_with",
    "smote",
    "class_weights",
    "sample_weights",
    "pos_weight",
    "repeat_factors",
    "weights_from_counts",
    "compare",
    "ComparisonResult",
    "write_report",
    "RecipeClassifier",
    "load",
    "OutputError",
    # every sampler and ensemble the method registry exports, in the order registered
    *(e.name for e in _registry.ESTIMATORS.values() if e.export),
]
