"""What ``imbalance compare`` can try: the strategies and the model names.

Kept apart from :mod:`imbalance.compare` (which imports scikit-learn's models) so that the
command line can list the choices without paying for those imports on every command.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Strategy", "STRATEGIES", "TORCH_STRATEGIES", "MODEL_NAMES", "default_strategies"]

#: Models every strategy is crossed with (built in :mod:`imbalance.compare`).
MODEL_NAMES = ("logreg", "random_forest", "hist_gb")


@dataclass(frozen=True)
class Strategy:
    """How a cell treats its training part.

    ``model`` pins a strategy to one model (the torch MLP strategies); ``model_params`` are
    set on that model's final step; ``balanced_prior`` says the model sees the classes as
    equally frequent (a class-balanced sampler), for the prior correction.
    """

    name: str
    resample: str | None = None  # "under" or "over"
    ratio: float = 1.0
    class_weight: bool = False
    tune_threshold: bool = False
    model: str | None = None
    model_params: tuple = ()
    balanced_prior: bool = False
    description: str = ""


def _torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


STRATEGIES: dict[str, Strategy] = {
    s.name: s
    for s in (
        Strategy("none", description="the model as is, threshold 0.5"),
        Strategy("class_weight", class_weight=True, description="balanced class weights as sample_weight"),
        Strategy("under_1:1", resample="under", ratio=1.0, description="random under-sampling to 1:1"),
        Strategy("under_3:1", resample="under", ratio=3.0, description="random under-sampling to 3:1"),
        Strategy("over", resample="over", ratio=1.0, description="random over-sampling to 1:1"),
        Strategy("smote", resample="smote", ratio=1.0,
                 description="SMOTE to 1:1 on the preprocessed training features (imputed, one-hot encoded)"),
        Strategy("threshold", tune_threshold=True, description="no rebalancing; F1-best threshold from inner folds"),
        # PyTorch MLP strategies, when torch is installed; each fits the "mlp" model only
        Strategy("mlp_weighted_ce", class_weight=True, model="mlp",
                 description="PyTorch MLP, cross entropy weighted by balanced class weights"),
        Strategy("mlp_focal", model="mlp", model_params=(("loss", "focal"),),
                 description="PyTorch MLP, softmax focal loss (gamma 2)"),
        Strategy("mlp_balanced_sampler", model="mlp", model_params=(("sampler", "balanced"),), balanced_prior=True,
                 description="PyTorch MLP, cross entropy, ClassBalancedSampler (every class as often as the largest)"),
    )
}
TORCH_STRATEGIES = ("mlp_weighted_ce", "mlp_focal", "mlp_balanced_sampler")


def default_strategies() -> list[str]:
    """Every strategy, the MLP ones only when torch is installed."""
    return [name for name in STRATEGIES if name not in TORCH_STRATEGIES or _torch_available()]
