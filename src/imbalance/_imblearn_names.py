"""Every public name of imbalanced-learn and where its counterpart lives here.

One table, read by the test that checks each counterpart exists (and that imbalanced-learn
has no public name missing from it), by the suite that runs imbalanced-learn's own tests
against this library (it rewrites their imports with it), and by the guide "Coming from
imbalanced-learn" (a test checks that the guide names every row).
"""

from __future__ import annotations

__all__ = ["COUNTERPARTS", "LEFT_OUT", "DEVELOPER_MODULES"]

_TOP = "imbalance"

#: imbalanced-learn's dotted name -> ours (module.attribute).
COUNTERPARTS: dict[str, str] = {
    "imblearn.FunctionSampler": "imbalance.samplers.FunctionSampler",
    **{f"imblearn.over_sampling.{name}": f"{_TOP}.{name}" for name in (
        "RandomOverSampler", "SMOTE", "SMOTENC", "SMOTEN", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE")},
    **{f"imblearn.under_sampling.{name}": f"{_TOP}.{name}" for name in (
        "RandomUnderSampler", "ClusterCentroids", "InstanceHardnessThreshold", "NearMiss", "TomekLinks",
        "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN", "OneSidedSelection",
        "CondensedNearestNeighbour", "NeighbourhoodCleaningRule")},
    **{f"imblearn.combine.{name}": f"{_TOP}.{name}" for name in ("SMOTEENN", "SMOTETomek")},
    **{f"imblearn.ensemble.{name}": f"{_TOP}.{name}" for name in (
        "BalancedBaggingClassifier", "BalancedRandomForestClassifier", "EasyEnsembleClassifier",
        "RUSBoostClassifier")},
    **{f"imblearn.metrics.{name}": f"imbalance.metrics.{name}" for name in (
        "sensitivity_specificity_support", "sensitivity_score", "specificity_score", "geometric_mean_score",
        "make_index_balanced_accuracy", "classification_report_imbalanced", "macro_averaged_mean_absolute_error")},
    "imblearn.metrics.pairwise.ValueDifferenceMetric": "imbalance.metrics.ValueDifferenceMetric",
    "imblearn.pipeline.Pipeline": "imbalance.pipeline.Pipeline",
    "imblearn.pipeline.make_pipeline": "imbalance.pipeline.make_pipeline",
    "imblearn.datasets.make_imbalance": "imbalance.datasets.make_imbalance",
    "imblearn.model_selection.InstanceHardnessCV": "imbalance.model_selection.InstanceHardnessCV",
    "imblearn.keras.BalancedBatchGenerator": "imbalance.keras.BalancedBatchGenerator",
    "imblearn.keras.balanced_batch_generator": "imbalance.keras.balanced_batch_generator",
    "imblearn.tensorflow.balanced_batch_generator": "imbalance.keras.balanced_batch_generator",
    # a sampler's base, for code that subclasses it (the hook differs: see the guide)
    "imblearn.base.BaseSampler": "imbalance.samplers.BaseSampler",
}

#: Public names with no counterpart here, and why.
LEFT_OUT: dict[str, str] = {
    "imblearn.datasets.fetch_datasets": "downloads 27 benchmark tables from Zenodo; this library downloads nothing "
                                        "and bundles its demo data (imbalance.datasets.load_churn)",
}

#: imbalanced-learn's modules for writing imbalanced-learn itself (checks, docstring helpers,
#: exceptions, the base classes of its samplers), not for its users: no counterpart is looked
#: for, though a sampler of one's own subclasses ``imbalance.samplers.BaseSampler`` (above).
DEVELOPER_MODULES = ("imblearn.utils", "imblearn.exceptions", "imblearn.base", "imblearn.over_sampling.base",
                     "imblearn.under_sampling.base")
