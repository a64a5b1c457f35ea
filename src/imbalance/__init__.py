"""imbalance: classification on imbalanced data.

One planner turns class counts and a strategy into target counts; every backend carries out
that same plan. ``import imbalance`` never imports torch or pyspark.
"""

from imbalance._validation import (
    ImbalanceError,
    InputError,
    InputTypeError,
    LabelError,
    ParameterError,
    StrategyError,
)
from imbalance.planner import Plan, apportion, plan, plan_from_counts, power
from imbalance.resample import resample, resample_counts, resample_indices
from imbalance.tables import over_sample, under_sample
from imbalance.weights import class_weights, pos_weight, sample_weights, weights_from_counts

__version__ = "0.1.0"

# The estimators (and the SMOTE family) import scikit-learn (~0.7 s); load them on first use so that the command
# line and the plain functions start fast.
_LAZY = {
    "UnderSampler": "imbalance.samplers",
    "OverSampler": "imbalance.samplers",
    "SMOTE": "imbalance.synth",
    "BorderlineSMOTE": "imbalance.synth",
    "ADASYN": "imbalance.synth",
    "SMOTENC": "imbalance.synth",
    "smote": "imbalance.synth",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'imbalance' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY])

__all__ = [
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
    "UnderSampler",
    "OverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTENC",
    "smote",
    "class_weights",
    "sample_weights",
    "pos_weight",
    "weights_from_counts",
]
