"""Imbalanced regression: when the rare values of a numeric target are what matters.

The relevance :math:`\\phi(y)` says which target values are rare (:class:`Relevance`); the
values where it is at least a threshold form *rare* bins, the others *normal* ones
(:func:`relevance_bins`). The planner plans the bins' row counts as it plans classes'
(:func:`plan_bins`), and the samplers carry the plan out: random under- and over-sampling,
SMOTER, Gaussian noise and SMOGN. Row weights (inverse bin frequency, DenseWeight, label
distribution smoothing) serve any regressor's ``sample_weight``, and the metrics (SERA,
relevance-weighted and rare-case errors, errors per many/medium/few-shot region) look at the
rare range.
"""

from imbalance._smoothing import lds_kernel
from imbalance.regression._bins import RelevanceBins, plan_bins, relevance_bins
from imbalance.regression._metrics import (
    rare_rmse,
    regression_scores,
    relevance_weighted_mae,
    relevance_weighted_rmse,
    sera,
    sera_curve,
    shot_mae,
)
from imbalance.regression._relevance import Relevance, boxplot_stats
from imbalance.regression._samplers import (
    SMOGN,
    SMOTER,
    BaseRegressionSampler,
    GaussianNoiseSampler,
    RegressionOverSampler,
    RegressionUnderSampler,
    safe_distances,
)
from imbalance.regression._weights import bin_weights, dense_weights, lds_weights, target_density

#: What :func:`regression_scores` reports (and ``compare`` on a numeric target), in that order;
#: all but ``r2`` are errors (lower is better).
REGRESSION_METRICS = ("rare_rmse", "sera", "rmse", "mae", "relevance_weighted_rmse", "relevance_weighted_mae", "r2")

__all__ = [
    "Relevance",
    "boxplot_stats",
    "RelevanceBins",
    "relevance_bins",
    "plan_bins",
    "BaseRegressionSampler",
    "RegressionUnderSampler",
    "RegressionOverSampler",
    "SMOTER",
    "GaussianNoiseSampler",
    "SMOGN",
    "safe_distances",
    "bin_weights",
    "dense_weights",
    "lds_weights",
    "lds_kernel",
    "target_density",
    "sera",
    "sera_curve",
    "relevance_weighted_rmse",
    "relevance_weighted_mae",
    "rare_rmse",
    "shot_mae",
    "regression_scores",
    "REGRESSION_METRICS",
]
