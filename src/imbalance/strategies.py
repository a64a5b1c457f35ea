"""What ``imbalance compare`` can try: the strategies and the model names.

Kept apart from :mod:`imbalance.comparison` (which imports scikit-learn's models) so that the
command line can list the choices without paying for those imports on every command.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Recipe", "STRATEGIES", "TORCH_STRATEGIES", "MODEL_NAMES", "default_strategies", "left_out_by_default",
           "torch_available", "MULTILABEL_STRATEGIES", "MULTILABEL_TORCH_STRATEGIES", "MULTILABEL_MODEL_NAMES"]

#: Models every strategy is crossed with (built in :mod:`imbalance.comparison`).
MODEL_NAMES = ("logreg", "random_forest", "hist_gb")
#: Models every multi-label strategy is crossed with: one-vs-rest logistic regression and
#: scikit-learn's native multi-output random forest.
MULTILABEL_MODEL_NAMES = ("logreg", "random_forest")


@dataclass(frozen=True)
class Recipe:
    """What a strategy of ``compare`` does to a cell's training part (named apart from the
    planner's :data:`imbalance.planner.Strategy`, which is a resampling target).

    ``model`` pins a strategy to one model (the torch MLP strategies, the balanced ensembles);
    ``model_params`` are set on that model's final step; ``balanced_prior`` says the model
    sees the classes as equally frequent (a class-balanced sampler, a balanced ensemble), for
    the prior correction; ``binary_only`` strategies need two classes; a strategy that is not
    ``default`` runs only when named.
    """

    name: str
    resample: str | None = None  # a method of imbalance.tables.make_sampler: "under", "over", "smote", "tomek", ...
    ratio: float = 1.0
    class_weight: bool = False
    tune_threshold: bool = False
    model: str | None = None
    model_params: tuple = ()
    balanced_prior: bool = False
    binary_only: bool = False
    default: bool = True  # in the default set (opt-in otherwise: name it in strategies)
    description: str = ""

    @property
    def keeps_probabilities(self) -> bool:
        """Whether the model's probabilities are its own, for the data as it is: no resampling,
        no class weights, no balanced draws or sampler, no loss of another shape (a tuned
        threshold moves the decision only)."""
        return (self.resample is None and not self.class_weight and not self.balanced_prior
                and not self.model_params and self.model in (None, "mlp"))


def torch_available() -> bool:
    """Whether PyTorch can be imported here (looked up, not imported)."""
    import importlib.util

    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):  # a broken or blocked install counts as none
        return False


#: What ``compare`` tries on one label column, by name: each a :class:`Recipe`.
STRATEGIES: dict[str, Recipe] = {
    s.name: s
    for s in (
        Recipe("none", description="the model as is, threshold 0.5"),
        Recipe("class_weight", class_weight=True, description="balanced class weights as sample_weight"),
        Recipe("under_1:1", resample="under", ratio=1.0, description="random under-sampling to 1:1"),
        Recipe("under_3:1", resample="under", ratio=3.0, description="random under-sampling to 3:1"),
        Recipe("over", resample="over", ratio=1.0, description="random over-sampling to 1:1"),
        Recipe("smote", resample="smote", ratio=1.0,
                 description="SMOTE to 1:1 on the preprocessed training features (imputed, one-hot encoded)"),
        Recipe("tomek", resample="tomek", default=False,
               description="Tomek links' majority members removed (TomekLinks), on the preprocessed features"),
        Recipe("enn", resample="enn", default=False,
               description="edited nearest neighbours (3, all agree) removed from the majority, on the "
                           "preprocessed features"),
        Recipe("ncr", resample="ncr", default=False,
               description="neighbourhood cleaning rule (Laurikkala) on the majority, on the preprocessed features"),
        Recipe("nearmiss1", resample="nearmiss1", ratio=1.0, default=False,
               description="NearMiss-1 to 1:1: the majority rows nearest the minority"),
        Recipe("cluster_centroids", resample="cluster_centroids", ratio=1.0, default=False,
               description="majority shrunk to 1:1 by k-means, the real row nearest each centroid kept"),
        Recipe("smote_enn", resample="smote_enn", ratio=1.0, default=False,
               description="SMOTE to 1:1, then edited nearest neighbours over every class"),
        Recipe("smote_tomek", resample="smote_tomek", ratio=1.0, default=False,
               description="SMOTE to 1:1, then both members of every Tomek link removed"),
        Recipe("svm_smote", resample="svm_smote", ratio=1.0, default=False,
               description="SVM-SMOTE to 1:1 (synthesis from the SVM's minority support vectors)"),
        Recipe("ros_shrinkage", resample="ros_shrinkage", ratio=1.0, default=False,
               description="random over-sampling to 1:1 with Gaussian noise (smoothed bootstrap, ROSE)"),
        # Balanced ensembles (imbalance.ensemble): each member trains on a 1:1 draw of the plan;
        # the forest is in the default set (cheap and strong on tables), the others when named
        Recipe("balanced_rf", model="balanced_rf", balanced_prior=True,
               description="balanced random forest: 100 trees, each on a 1:1 bootstrap within classes"),
        Recipe("easy_ensemble", model="easy_ensemble", balanced_prior=True, default=False,
               description="EasyEnsemble: 10 AdaBoost learners, each on the minority and as many majority rows"),
        Recipe("balanced_bagging", model="balanced_bagging", balanced_prior=True, default=False,
               description="balanced bagging: 50 full trees, each on a 1:1 bootstrap within classes"),
        Recipe("rusboost", model="rusboost", balanced_prior=True, default=False,
               description="RUSBoost: 50 rounds of depth-3 trees, each round on a fresh 1:1 under-sample"),
        Recipe("threshold", tune_threshold=True, binary_only=True,
                 description="no rebalancing; the threshold best for the decision metric (F1 unless --decide-by "
                             "says MCC or balanced accuracy) on inner folds"),
        # PyTorch MLP strategies, when torch is installed; each fits the "mlp" model only
        Recipe("mlp_weighted_ce", class_weight=True, model="mlp",
                 description="PyTorch MLP, cross entropy weighted by balanced class weights"),
        Recipe("mlp_focal", model="mlp", model_params=(("loss", "focal"),),
                 description="PyTorch MLP, softmax focal loss (gamma 2)"),
        Recipe("mlp_balanced_sampler", model="mlp", model_params=(("sampler", "balanced"),), balanced_prior=True,
                 description="PyTorch MLP, cross entropy, ClassBalancedSampler (every class as often as the largest)"),
    )
}
#: The strategies of :data:`STRATEGIES` that train the PyTorch MLP (they need torch).
TORCH_STRATEGIES = ("mlp_weighted_ce", "mlp_focal", "mlp_balanced_sampler")

#: What ``compare`` tries on a 0/1 label matrix (multi-label); resampling runs on the
#: preprocessed training features of each fold, as for one label column.
MULTILABEL_STRATEGIES: dict[str, Recipe] = {
    s.name: s
    for s in (
        Recipe("none", description="the model as is, every label at 0.5"),
        Recipe("class_weight", class_weight=True,
               description="balanced weights per label: one-vs-rest, each label's positives and negatives weigh "
                           "the same; the multi-output forest multiplies a row's per-label weights"),
        Recipe("ml_ros", resample="ml_ros", description="ML-ROS: 25% more rows, clones of rows with minority labels"),
        Recipe("ml_rus", resample="ml_rus",
               description="ML-RUS: 25% fewer rows, deleting rows of majority labels that carry no minority one"),
        Recipe("mlsmote", resample="mlsmote",
               description="MLSMOTE: synthetic rows for every minority label, labelsets by the ranking rule"),
        Recipe("threshold", tune_threshold=True, description="no rebalancing; every label's F1-best threshold from "
                                                            "inner folds"),
        Recipe("mlp_bce", model="mlp", description="PyTorch MLP, binary cross entropy of every label"),
        Recipe("mlp_pos_weight", model="mlp", model_params=(("pos_weight", "balanced"),),
               description="PyTorch MLP, binary cross entropy with pos_weight = negatives / positives per label"),
        Recipe("mlp_focal", model="mlp", model_params=(("loss", "focal"),),
               description="PyTorch MLP, sigmoid focal loss (gamma 2)"),
        Recipe("mlp_asymmetric", model="mlp", model_params=(("loss", "asymmetric"),),
               description="PyTorch MLP, asymmetric loss (gamma- 4, gamma+ 1, margin 0.05)"),
        Recipe("mlp_balanced_sampler", model="mlp", model_params=(("sampler", "balanced"),),
               description="PyTorch MLP, binary cross entropy, MultilabelBalancedSampler (every label drawn "
                           "equally often)"),
    )
}
#: The strategies of :data:`MULTILABEL_STRATEGIES` that train the PyTorch MLP.
MULTILABEL_TORCH_STRATEGIES = tuple(name for name, recipe in MULTILABEL_STRATEGIES.items() if recipe.model == "mlp")


def default_strategies(n_classes: int = 2, *, multilabel: bool = False) -> list[str]:
    """Every default strategy that can run: the MLP ones only when torch is installed, the
    binary-only ones only for two classes (see :func:`left_out_by_default` for what is left out
    and why); opt-in ones (the neighbourhood methods: ``tomek``, ``smote_enn``, ...) only when
    named. ``multilabel``: those of :data:`MULTILABEL_STRATEGIES`."""
    left_out = {name for names, _ in left_out_by_default(n_classes, multilabel=multilabel) for name in names}
    recipes = MULTILABEL_STRATEGIES if multilabel else STRATEGIES
    return [name for name, recipe in recipes.items() if recipe.default and name not in left_out]


def left_out_by_default(n_classes: int = 2, *, multilabel: bool = False) -> list[tuple[tuple[str, ...], str]]:
    """The strategies the default set leaves out on this machine and data: ``(names, reason)``."""
    notes = []
    if not torch_available():
        needing = MULTILABEL_TORCH_STRATEGIES if multilabel else TORCH_STRATEGIES
        notes.append((needing, "PyTorch is not installed (pip install torch, then imbalance[torch])"))
    if multilabel:
        return notes
    binary = tuple(name for name, s in STRATEGIES.items() if s.binary_only)
    if n_classes > 2 and binary:
        notes.append((binary, f"they need two classes and the labels have {n_classes}"))
    return notes
