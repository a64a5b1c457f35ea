"""imbalance: classification on imbalanced data.

One planner turns class counts and a strategy into target counts; every backend carries out
that same plan. ``import imbalance`` never imports torch or pyspark.
"""

from imbalance._validation import (
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
# never imports scikit-learn's models (~0.7 s), torch or pyspark: the command line and the plain
# functions start fast, and ``imbalance.compare(X, y)`` or ``imbalance.metrics`` still just work.
_LAZY = {
    "UnderSampler": "imbalance.samplers",
    "OverSampler": "imbalance.samplers",
    "SMOTE": "imbalance.synth",
    "BorderlineSMOTE": "imbalance.synth",
    "ADASYN": "imbalance.synth",
    "SMOTENC": "imbalance.synth",
    "SMOTEN": "imbalance.synth",
    "SVMSMOTE": "imbalance.synth",
    "KMeansSMOTE": "imbalance.synth",
    "smote": "imbalance.synth",
    "TomekLinks": "imbalance.cleaning",
    "EditedNearestNeighbours": "imbalance.cleaning",
    "RepeatedEditedNearestNeighbours": "imbalance.cleaning",
    "AllKNN": "imbalance.cleaning",
    "NeighbourhoodCleaningRule": "imbalance.cleaning",
    "OneSidedSelection": "imbalance.cleaning",
    "CondensedNearestNeighbour": "imbalance.cleaning",
    "NearMiss": "imbalance.prototypes",
    "ClusterCentroids": "imbalance.prototypes",
    "InstanceHardnessThreshold": "imbalance.prototypes",
    "SamplerChain": "imbalance.combine",
    "SMOTEENN": "imbalance.combine",
    "SMOTETomek": "imbalance.combine",
    "BalancedRandomForestClassifier": "imbalance.ensemble",
    "BalancedBaggingClassifier": "imbalance.ensemble",
    "EasyEnsembleClassifier": "imbalance.ensemble",
    "RUSBoostClassifier": "imbalance.ensemble",
    "compare": "imbalance.comparison",
    "ComparisonResult": "imbalance.comparison",
    "write_report": "imbalance.report",
    "RecipeClassifier": "imbalance.deploy",
    "load": "imbalance.deploy",
}
_SUBMODULES = ("answer", "cleaning", "combine", "comparison", "datasets", "deploy", "ensemble", "metrics", "multilabel",
               "multilabel_comparison", "model_selection", "prototypes", "report", "samplers", "synth", "spark",
               "torch")


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"imbalance.{name}")
    else:
        raise AttributeError(f"module 'imbalance' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


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
    "resample_with",
    "UnderSampler",
    "OverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTENC",
    "SMOTEN",
    "SVMSMOTE",
    "KMeansSMOTE",
    "smote",
    "TomekLinks",
    "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours",
    "AllKNN",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "CondensedNearestNeighbour",
    "NearMiss",
    "ClusterCentroids",
    "InstanceHardnessThreshold",
    "SamplerChain",
    "SMOTEENN",
    "SMOTETomek",
    "BalancedRandomForestClassifier",
    "BalancedBaggingClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
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
]
