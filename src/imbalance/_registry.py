"""The one registry of methods: every sampler and ensemble declares itself here, once.

An entry names the estimator class and the module that defines it, the short names it
answers to (``method="nearmiss1"`` is ``NearMiss(version=1)``) with their kind, and the
recipes of ``imbalance.compare`` that use it. Everything that lists methods reads this
registry, at the time it is asked: ``imbalance.__all__`` and its lazy attributes, the
``method=`` of :func:`imbalance.under_sample`, :func:`imbalance.over_sample` and
:func:`imbalance.resample_with`, the command line's ``--method`` choices, the strategies of
``compare`` (:data:`imbalance.strategies.STRATEGIES` is :data:`RECIPES`), and the API
reference (a test checks that every exported estimator is documented).

Adding a sampler is writing its class and one :func:`register` call below. This module
imports nothing of the package's but the error types (classes are looked up by module and
name when first used), so ``import imbalance`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from imbalance._validation import ParameterError

__all__ = ["Recipe", "Method", "Estimator", "ESTIMATORS", "METHODS", "RECIPES", "MULTILABEL_RECIPES", "REGRESSION_RECIPES", "KINDS",
           "RegistryError", "register", "add_recipes", "unregister", "method_names", "estimator_class"]

#: What a short name does to a table: ``random`` draws to the plan (``under``, ``over``),
#: ``cleaning`` removes the rows a rule flags, ``prototype`` chooses rows to reach a ratio,
#: ``synthesis`` makes rows up (SMOTE and kin, the SMOTE-then-clean chains, smoothed
#: bootstrap), ``multilabel`` resamples a label matrix.
KINDS = ("random", "cleaning", "prototype", "synthesis", "multilabel", "regression")


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
    resample: str | None = None  # a short name of the registry's METHODS: "under", "over", "smote", "tomek", ...
    ratio: float = 1.0
    class_weight: bool = False
    tune_threshold: bool = False
    model: str | None = None
    model_params: tuple = ()
    balanced_prior: bool = False
    row_weights: str = ""  # a numeric target's row weights: "dense", "lds" or "bins" (imbalance.regression)
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


@dataclass(frozen=True)
class Estimator:
    """A class the registry knows: ``name`` in ``module`` (a dotted path, looked up when first
    used); ``export``: reachable as ``imbalance.<name>`` and listed in ``imbalance.__all__``."""

    name: str
    module: str
    export: bool = True


@dataclass(frozen=True)
class Method:
    """A short name for an estimator with some parameters fixed: ``method="nearmiss2"`` is
    ``NearMiss(version=2)``.

    ``kind`` is one of :data:`KINDS`; ``interpolates``: it makes rows between a row and its
    ``k_neighbors`` nearest of its class, so every class it grows needs ``k_neighbors + 1``
    rows (``compare`` checks this in every training part before fitting); ``spark``: the
    function of :mod:`imbalance.spark` that carries it out on a DataFrame (called with
    ``params`` and those of its own parameters the caller sets), empty where none does.
    """

    name: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    interpolates: bool = False
    spark: str = ""
    estimator: str = ""  # set by register()


#: Every registered class by name, in the order registered.
ESTIMATORS: dict[str, Estimator] = {}
#: Every short name (``method=``, ``--method``, a recipe's ``resample``) and what it stands for.
METHODS: dict[str, Method] = {}
#: The recipes ``compare`` tries on one label column, in the order of its tables.
RECIPES: dict[str, Recipe] = {}
#: The recipes ``compare`` tries on a label matrix.
MULTILABEL_RECIPES: dict[str, Recipe] = {}
#: The recipes ``compare`` tries on a numeric target.
REGRESSION_RECIPES: dict[str, Recipe] = {}
_RECIPES_OF: dict[str, list[tuple[dict[str, Recipe], str]]] = {}  # estimator -> (table, recipe name) it added


class RegistryError(ParameterError):
    """A registration that would shadow or contradict an entry (a ``ValueError``)."""


def register(estimator: Estimator, *methods: Method, recipes: Iterable[Recipe] = (),
             multilabel_recipes: Iterable[Recipe] = (), regression_recipes: Iterable[Recipe] = ()) -> None:
    """Declare a class, its short names and the compare recipes that use it, all at once.

    Raises :class:`RegistryError` (a ``ParameterError``) when a name is taken or a recipe
    resamples with a short name that is not registered, before changing anything.
    """
    recipes, multilabel_recipes, regression_recipes = list(recipes), list(multilabel_recipes), list(regression_recipes)
    if estimator.name in ESTIMATORS:
        raise RegistryError(f"an estimator named {estimator.name!r} is registered already.")
    for method in methods:
        if method.name in METHODS or [m.name for m in methods].count(method.name) > 1:
            raise RegistryError(f"the method name {method.name!r} is taken.")
        if method.kind not in KINDS:
            raise RegistryError(f"method {method.name!r}: kind must be one of {', '.join(KINDS)}, got {method.kind!r}.")
    known = {*METHODS, *(m.name for m in methods)}
    for table, new in ((RECIPES, recipes), (MULTILABEL_RECIPES, multilabel_recipes),
                       (REGRESSION_RECIPES, regression_recipes)):
        for recipe in new:
            if recipe.name in table:
                raise RegistryError(f"the recipe name {recipe.name!r} is taken.")
            if recipe.resample is not None and recipe.resample not in known:
                raise RegistryError(f"recipe {recipe.name!r} resamples with {recipe.resample!r}, which is not a "
                                    "registered method.")
    ESTIMATORS[estimator.name] = estimator
    for method in methods:
        METHODS[method.name] = replace(method, params=dict(method.params), estimator=estimator.name)
    add_recipes(recipes)
    add_recipes(multilabel_recipes, multilabel=True)
    add_recipes(regression_recipes, regression=True)
    _RECIPES_OF[estimator.name] = [(RECIPES, r.name) for r in recipes] + [
        (MULTILABEL_RECIPES, r.name) for r in multilabel_recipes] + [(REGRESSION_RECIPES, r.name)
                                                                    for r in regression_recipes]
    front = sys.modules.get("imbalance")
    exported = getattr(front, "__all__", None)
    if estimator.export and isinstance(exported, list) and estimator.name not in exported:
        exported.append(estimator.name)  # the front door's list, read by `from imbalance import *`


def add_recipes(recipes: Iterable[Recipe], *, multilabel: bool = False, regression: bool = False) -> None:
    """Recipes of ``compare`` that no estimator of the registry carries (``none``,
    ``class_weight``, ``threshold``, the MLP's losses and samplers, row weights)."""
    table = MULTILABEL_RECIPES if multilabel else REGRESSION_RECIPES if regression else RECIPES
    for recipe in recipes:
        if recipe.name in table:
            raise RegistryError(f"the recipe name {recipe.name!r} is taken.")
        table[recipe.name] = recipe


def unregister(name: str) -> None:
    """Remove an estimator with its short names and the recipes registered with it (for tests
    and for code that registers a class of its own for a while)."""
    estimator = ESTIMATORS.pop(name)
    gone = [m for m, method in METHODS.items() if method.estimator == name]
    for m in gone:
        del METHODS[m]
    for table, recipe in _RECIPES_OF.pop(name, []):
        table.pop(recipe, None)
    front = sys.modules.get("imbalance")
    if estimator.export and name in getattr(front, "__all__", ()):
        front.__all__.remove(name)
        vars(front).pop(name, None)  # a cached lazy attribute


def method_names(*kinds: str) -> tuple[str, ...]:
    """The short names of the given kinds (every kind when none is given), in registry order."""
    return tuple(name for name, method in METHODS.items() if not kinds or method.kind in kinds)


def estimator_class(name: str) -> type:
    """The registered class ``name``, imported from its module."""
    return getattr(importlib.import_module(ESTIMATORS[name].module), name)


# ---------------------------------------------------------------------------------------------
# The entries. Recipes appear in compare's tables in the order declared here.

add_recipes([
    Recipe("none", description="the model as is, threshold 0.5"),
    Recipe("class_weight", class_weight=True, description="balanced class weights as sample_weight"),
])
add_recipes([
    Recipe("none", description="the model as is, every label at 0.5"),
    Recipe("class_weight", class_weight=True,
           description="balanced weights per label: one-vs-rest, each label's positives and negatives weigh "
                       "the same; the multi-output forest multiplies a row's per-label weights"),
], multilabel=True)

register(Estimator("UnderSampler", "imbalance.samplers"), Method("under", "random", spark="under_sample"),
         recipes=[
    Recipe("under_1:1", resample="under", ratio=1.0, description="random under-sampling to 1:1"),
    Recipe("under_3:1", resample="under", ratio=3.0, description="random under-sampling to 3:1"),
])
register(Estimator("OverSampler", "imbalance.samplers"),
         Method("over", "random", spark="over_sample"), Method("ros_shrinkage", "synthesis", {"shrinkage": 1.0}),
         recipes=[
    Recipe("over", resample="over", ratio=1.0, description="random over-sampling to 1:1"),
    Recipe("ros_shrinkage", resample="ros_shrinkage", ratio=1.0, default=False,
           description="random over-sampling to 1:1 with Gaussian noise (smoothed bootstrap, ROSE)"),
])
# imbalanced-learn's names and parameters (sampling_strategy) for the two above, and its
# FunctionSampler: no short names of their own (``under``/``over`` are the classes above).
register(Estimator("RandomUnderSampler", "imbalance.samplers"))
register(Estimator("RandomOverSampler", "imbalance.samplers"))
register(Estimator("FunctionSampler", "imbalance.samplers"))
register(Estimator("SMOTE", "imbalance.synth"), Method("smote", "synthesis", interpolates=True, spark="smote"),
         recipes=[
    Recipe("smote", resample="smote", ratio=1.0,
           description="SMOTE to 1:1 on the preprocessed training features (imputed, one-hot encoded)"),
])
register(Estimator("SMOTENC", "imbalance.synth"), Method("smotenc", "synthesis", interpolates=True, spark="smote_nc"))
register(Estimator("SMOTEN", "imbalance.synth"), Method("smoten", "synthesis", interpolates=True))
register(Estimator("BorderlineSMOTE", "imbalance.synth"),
         Method("borderline", "synthesis", interpolates=True, spark="borderline_smote"))
register(Estimator("ADASYN", "imbalance.synth"), Method("adasyn", "synthesis", interpolates=True, spark="adasyn"))
register(Estimator("SVMSMOTE", "imbalance.synth"), Method("svm_smote", "synthesis", interpolates=True), recipes=[
    Recipe("svm_smote", resample="svm_smote", ratio=1.0, default=False,
           description="SVM-SMOTE to 1:1 (synthesis from the SVM's minority support vectors)"),
])
register(Estimator("KMeansSMOTE", "imbalance.synth"), Method("kmeans_smote", "synthesis"))
register(Estimator("TomekLinks", "imbalance.cleaning"), Method("tomek", "cleaning", spark="tomek_links"), recipes=[
    Recipe("tomek", resample="tomek", default=False,
           description="Tomek links' majority members removed (TomekLinks), on the preprocessed features"),
])
register(Estimator("EditedNearestNeighbours", "imbalance.cleaning"), Method("enn", "cleaning"), recipes=[
    Recipe("enn", resample="enn", default=False,
           description="edited nearest neighbours (3, all agree) removed from the majority, on the "
                       "preprocessed features"),
])
register(Estimator("RepeatedEditedNearestNeighbours", "imbalance.cleaning"), Method("renn", "cleaning"))
register(Estimator("AllKNN", "imbalance.cleaning"), Method("allknn", "cleaning"))
register(Estimator("NeighbourhoodCleaningRule", "imbalance.cleaning"), Method("ncr", "cleaning"), recipes=[
    Recipe("ncr", resample="ncr", default=False,
           description="neighbourhood cleaning rule (Laurikkala) on the majority, on the preprocessed features"),
])
register(Estimator("OneSidedSelection", "imbalance.cleaning"), Method("oss", "cleaning"))
register(Estimator("CondensedNearestNeighbour", "imbalance.cleaning"), Method("cnn", "cleaning"))
register(Estimator("NearMiss", "imbalance.prototypes"),
         Method("nearmiss1", "prototype", {"version": 1}, spark="near_miss"),
         Method("nearmiss2", "prototype", {"version": 2}, spark="near_miss"),
         Method("nearmiss3", "prototype", {"version": 3}, spark="near_miss"), recipes=[
    Recipe("nearmiss1", resample="nearmiss1", ratio=1.0, default=False,
           description="NearMiss-1 to 1:1: the majority rows nearest the minority"),
])
# ClusterCentroids keeps real rows here (hard voting), so that a table's other columns come along
register(Estimator("ClusterCentroids", "imbalance.prototypes"),
         Method("cluster_centroids", "prototype", {"voting": "hard"}), recipes=[
    Recipe("cluster_centroids", resample="cluster_centroids", ratio=1.0, default=False,
           description="majority shrunk to 1:1 by k-means, the real row nearest each centroid kept"),
])
register(Estimator("InstanceHardnessThreshold", "imbalance.prototypes"), Method("iht", "prototype"))
register(Estimator("SamplerChain", "imbalance.combine"))
register(Estimator("SMOTEENN", "imbalance.combine"), Method("smote_enn", "synthesis", interpolates=True), recipes=[
    Recipe("smote_enn", resample="smote_enn", ratio=1.0, default=False,
           description="SMOTE to 1:1, then edited nearest neighbours over every class"),
])
register(Estimator("SMOTETomek", "imbalance.combine"), Method("smote_tomek", "synthesis", interpolates=True),
         recipes=[
    Recipe("smote_tomek", resample="smote_tomek", ratio=1.0, default=False,
           description="SMOTE to 1:1, then both members of every Tomek link removed"),
])
# Balanced ensembles: each member trains on a 1:1 draw of the plan; the forest is in the default
# set (cheap and strong on tables), the others when named. A recipe pins the ensemble as its model.
register(Estimator("BalancedRandomForestClassifier", "imbalance.ensemble"), recipes=[
    Recipe("balanced_rf", model="balanced_rf", balanced_prior=True,
           description="balanced random forest: 100 trees, each on a 1:1 bootstrap within classes"),
])
register(Estimator("BalancedBaggingClassifier", "imbalance.ensemble"), recipes=[
    Recipe("balanced_bagging", model="balanced_bagging", balanced_prior=True, default=False,
           description="balanced bagging: 50 full trees, each on a 1:1 bootstrap within classes"),
])
register(Estimator("EasyEnsembleClassifier", "imbalance.ensemble"), recipes=[
    Recipe("easy_ensemble", model="easy_ensemble", balanced_prior=True, default=False,
           description="EasyEnsemble: 10 AdaBoost learners, each on the minority and as many majority rows"),
])
register(Estimator("RUSBoostClassifier", "imbalance.ensemble"), recipes=[
    Recipe("rusboost", model="rusboost", balanced_prior=True, default=False,
           description="RUSBoost: 50 rounds of depth-3 trees, each round on a fresh 1:1 under-sample"),
])
register(Estimator("MLROS", "imbalance.multilabel", export=False), Method("ml_ros", "multilabel"),
         multilabel_recipes=[
    Recipe("ml_ros", resample="ml_ros", description="ML-ROS: 25% more rows, clones of rows with minority labels"),
])
register(Estimator("MLRUS", "imbalance.multilabel", export=False), Method("ml_rus", "multilabel"),
         multilabel_recipes=[
    Recipe("ml_rus", resample="ml_rus",
           description="ML-RUS: 25% fewer rows, deleting rows of majority labels that carry no minority one"),
])
register(Estimator("MLSMOTE", "imbalance.multilabel", export=False), Method("mlsmote", "multilabel"),
         multilabel_recipes=[
    Recipe("mlsmote", resample="mlsmote",
           description="MLSMOTE: synthetic rows for every minority label, labelsets by the ranking rule"),
])

# A numeric target: the relevance bins play the classes (imbalance.regression).
add_recipes([Recipe("none", description="the regressor as is")], regression=True)
register(Estimator("RegressionUnderSampler", "imbalance.regression", export=False),
         Method("random_under", "regression"), regression_recipes=[
    Recipe("random_under", resample="random_under",
           description="random under-sampling of the relevance bins, every bin cut to the smallest"),
])
register(Estimator("RegressionOverSampler", "imbalance.regression", export=False),
         Method("random_over", "regression"), regression_recipes=[
    Recipe("random_over", resample="random_over",
           description="random over-sampling (copies) of the relevance bins, every bin raised to the largest"),
])
register(Estimator("SMOTER", "imbalance.regression", export=False), Method("smoter", "regression", interpolates=True),
         regression_recipes=[
    Recipe("smoter", resample="smoter", description="SMOTER: bins balanced, rare bins grown by interpolation"),
])
register(Estimator("GaussianNoiseSampler", "imbalance.regression", export=False),
         Method("gaussian_noise", "regression"), regression_recipes=[
    Recipe("gaussian_noise", resample="gaussian_noise",
           description="bins balanced, rare bins grown by Gaussian noise (pert 0.1)"),
])
register(Estimator("SMOGN", "imbalance.regression", export=False), Method("smogn", "regression", interpolates=True),
         regression_recipes=[
    Recipe("smogn", resample="smogn", description="SMOGN: SMOTER near, Gaussian noise far; bins balanced"),
])
add_recipes([
    Recipe("dense_weights", row_weights="dense", description="DenseWeight row weights (alpha 1) as sample_weight"),
    Recipe("lds_weights", row_weights="lds", default=False,
           description="label distribution smoothing row weights (Gaussian window) as sample_weight"),
], regression=True)

add_recipes([
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
])
add_recipes([
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
], multilabel=True)
