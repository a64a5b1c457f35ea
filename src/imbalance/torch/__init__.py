"""PyTorch parts of imbalance: losses built for imbalance, weight tensors, and samplers.

Needs the ``torch`` extra (``pip install torch`` first, then ``pip install imbalance[torch]``).
"""

from imbalance._validation import import_optional

import_optional("torch", needed_by="imbalance.torch",
                install="install torch (the build you want), then `pip install 'imbalance[torch]'`")

from imbalance.torch.functional import (
    adjust_logits,
    asymmetric_loss,
    class_balanced_loss,
    class_balanced_weights,
    drw_weights,
    ldam_loss,
    ldam_margins,
    log_class_prior,
    logit_adjusted_loss,
    sigmoid_focal_loss,
    softmax_focal_loss,
)
from imbalance.torch.labels import read_labels
from imbalance.torch.losses import (
    AsymmetricLoss,
    ClassBalancedLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    SigmoidFocalLoss,
    SoftmaxFocalLoss,
)
from imbalance.torch.regression import (
    BalancedMSELoss,
    FeatureDistributionSmoothing,
    FocalL1Loss,
    FocalMSELoss,
    WeightedL1Loss,
    WeightedMSELoss,
    balanced_mse_loss,
    focal_l1_loss,
    focal_mse_loss,
    weighted_l1_loss,
    weighted_mse_loss,
)
from imbalance.torch.samplers import (
    ClassBalancedSampler,
    MultilabelBalancedSampler,
    RepeatFactorSampler,
    StratifiedBatchSampler,
    WeightedSampler,
)
from imbalance.torch.streams import RebalancedStream
from imbalance.torch.weights import torch_class_weights, torch_pos_weight

__all__ = [
    "sigmoid_focal_loss",
    "SigmoidFocalLoss",
    "softmax_focal_loss",
    "SoftmaxFocalLoss",
    "class_balanced_loss",
    "class_balanced_weights",
    "ClassBalancedLoss",
    "logit_adjusted_loss",
    "LogitAdjustedLoss",
    "log_class_prior",
    "adjust_logits",
    "ldam_loss",
    "LDAMLoss",
    "ldam_margins",
    "drw_weights",
    "asymmetric_loss",
    "AsymmetricLoss",
    "weighted_mse_loss",
    "WeightedMSELoss",
    "weighted_l1_loss",
    "WeightedL1Loss",
    "focal_mse_loss",
    "FocalMSELoss",
    "focal_l1_loss",
    "FocalL1Loss",
    "balanced_mse_loss",
    "BalancedMSELoss",
    "FeatureDistributionSmoothing",
    "torch_class_weights",
    "torch_pos_weight",
    "read_labels",
    "ClassBalancedSampler",
    "StratifiedBatchSampler",
    "MultilabelBalancedSampler",
    "WeightedSampler",
    "RepeatFactorSampler",
    "RebalancedStream",
]
