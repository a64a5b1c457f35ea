"""What ``imbalance compare`` can try: the strategies and the model names.

The strategies are declared with the methods they use, in the method registry
(``imbalance._registry``); this module is their public face.

Kept apart from :mod:`imbalance.comparison` (which imports scikit-learn's models) so that the
command line can list the choices without paying for those imports on every command.
"""

from __future__ import annotations

from imbalance._registry import METHODS, MULTILABEL_RECIPES, RECIPES, REGRESSION_RECIPES, Recipe

__all__ = ["Recipe", "STRATEGIES", "TORCH_STRATEGIES", "MODEL_NAMES", "default_strategies", "left_out_by_default",
           "torch_available", "MULTILABEL_STRATEGIES", "MULTILABEL_TORCH_STRATEGIES", "MULTILABEL_MODEL_NAMES",
           "SPARK_STRATEGIES", "SPARK_MODEL_NAMES", "REGRESSION_STRATEGIES", "REGRESSION_MODEL_NAMES"]

#: Models every strategy is crossed with (built in :mod:`imbalance.comparison`).
MODEL_NAMES = ("logreg", "random_forest", "hist_gb")
#: Models every multi-label strategy is crossed with: one-vs-rest logistic regression and
#: scikit-learn's native multi-output random forest.
MULTILABEL_MODEL_NAMES = ("logreg", "random_forest")

#: Regressors every strategy for a numeric target is crossed with.
REGRESSION_MODEL_NAMES = ("ridge", "random_forest", "hist_gb")

#: Spark ML models a Spark compare also crosses its strategies with (``weightCol`` for class
#: weights); the scikit-learn ones of :data:`MODEL_NAMES` are fitted on one executor.
SPARK_MODEL_NAMES = ("spark_logreg", "spark_random_forest", "spark_gbt")


def torch_available() -> bool:
    """Whether PyTorch can be imported here (looked up, not imported)."""
    import importlib.util

    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):  # a broken or blocked install counts as none
        return False


#: What ``compare`` tries on one label column, by name: each a :class:`Recipe`, in the order
#: of its tables. The method registry's table (``imbalance._registry.RECIPES``) itself: a
#: sampler registered there with a recipe is a strategy here at once.
STRATEGIES: dict[str, Recipe] = RECIPES
#: What ``compare`` tries on a 0/1 label matrix (multi-label); resampling runs on the
#: preprocessed training features of each fold, as for one label column.
MULTILABEL_STRATEGIES: dict[str, Recipe] = MULTILABEL_RECIPES
#: What ``compare`` tries on a numeric target: the regression samplers of the registry (on the
#: relevance bins of each training part) and row weights.
REGRESSION_STRATEGIES: dict[str, Recipe] = REGRESSION_RECIPES
#: The strategies of :data:`STRATEGIES` a Spark compare runs (:func:`imbalance.spark.compare`):
#: the model as is, class weights, a tuned threshold, and resampling by a method that has a
#: Spark function in the registry.
SPARK_STRATEGIES = tuple(
    name for name, recipe in STRATEGIES.items()
    if recipe.model is None and (recipe.resample is None or METHODS[recipe.resample].spark)
)
#: The strategies of :data:`STRATEGIES` that train the PyTorch MLP (they need torch).
TORCH_STRATEGIES = tuple(name for name, recipe in STRATEGIES.items() if recipe.model == "mlp")
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
