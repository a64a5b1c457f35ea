"""Leak-free evaluation: folds that can be saved, resampling inside folds only, threshold tuning.

- :class:`FoldPlan`: repeated stratified k-fold whose fold assignment can be saved and reloaded,
  so every strategy (and a later run) is scored on the very same rows.
- :func:`resampled_folds`: training part resampled, validation part exactly the fold's rows.
- :class:`MultilabelStratifiedKFold`: iterative stratification (Sechidis et al., 2011).
- :class:`InstanceHardnessCV`: folds that share out the hard rows evenly.
- :func:`best_threshold` and :class:`ThresholdTunedClassifier`: the decision threshold chosen
  on inner folds of the training part.
- :class:`PriorCorrectedClassifier` and :class:`MultilabelResampledClassifier`: rebalance the
  training part inside the estimator, so that a pipeline or a cross-validation never
  resamples validation rows.
"""

from imbalance.model_selection import _calibration, _threshold
from imbalance.model_selection._calibration import (
    ProbabilityCalibrator,
    out_of_fold_proba,
)
from imbalance.model_selection._rebalanced import (
    MultilabelResampledClassifier,
    PriorCorrectedClassifier,
    label_probabilities,
)
from imbalance.model_selection._split import (
    Fold,
    FoldPlan,
    InstanceHardnessCV,
    MultilabelStratifiedKFold,
    resampled_folds,
)
from imbalance.model_selection._threshold import (
    ThresholdTunedClassifier,
    best_threshold,
    operating_threshold,
    parse_operating_point,
    precision_recall_at,
    top_k_decisions,
)

__all__ = [
    "FoldPlan",
    "Fold",
    "resampled_folds",
    "MultilabelStratifiedKFold",
    "InstanceHardnessCV",
    "best_threshold",
    "THRESHOLD_METRICS",
    "ThresholdTunedClassifier",
    "PriorCorrectedClassifier",
    "MultilabelResampledClassifier",
    "label_probabilities",
    "ProbabilityCalibrator",
    "out_of_fold_proba",
    "CALIBRATION_METHODS",
    "parse_operating_point",
    "operating_threshold",
    "precision_recall_at",
    "top_k_decisions",
]

#: The metrics a threshold can be tuned for, by name: each computed from the confusion counts at
#: every candidate threshold (``"f1"``, ``"mcc"``, ``"balanced_accuracy"``).
THRESHOLD_METRICS = _threshold.THRESHOLD_METRICS
#: What :class:`ProbabilityCalibrator` can fit.
CALIBRATION_METHODS = _calibration.CALIBRATION_METHODS
