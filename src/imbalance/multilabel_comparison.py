"""``compare`` on a 0/1 label matrix: every multi-label strategy x model on the same folds.

:func:`imbalance.compare` calls this when its target is a label matrix. Folds come from
:class:`~imbalance.model_selection.MultilabelStratifiedKFold` (every label's positives
spread over the folds); each cell fits on its training part only and scores the validation
rows as they are; beside the averages over labels every label is scored on its own, so the
report can say which labels a strategy helps and which it hurts. The cells are run by the
compare engine (``imbalance._engine``) on ``imbalance._multi_label.MultiLabelProblem``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from numpy.typing import ArrayLike

from imbalance import _multi_label
from imbalance._engine import ComparisonResult, check_n_jobs, run
from imbalance._multi_label import MultiLabelProblem
from imbalance._validation import DEPRECATED, renamed

__all__ = ["compare_multilabel", "MULTILABEL_MODELS", "BASELINES"]

#: Models every multi-label strategy is crossed with, by name (``mlp`` serves the MLP
#: strategies only): ``name -> build(seed)``, unfitted.
MULTILABEL_MODELS = _multi_label.MULTILABEL_MODELS
#: The strategy every other one with the same model is measured against in ``per_label``:
#: the model as it is (for the MLP: plain binary cross entropy).
BASELINES = _multi_label.BASELINES


def compare_multilabel(
    X: ArrayLike,
    Y: ArrayLike,
    recipes: Iterable[str] | None = None,
    models: Iterable[str] | None = None,
    cv: Any = None,
    metrics: Iterable[str] | None = None,
    n_jobs: int | None = None,
    *,
    random_state: int = 0,
    k_neighbors: int = 5,
    progress: Callable[[int, int], None] | None = None,
    strategies: Iterable[str] | None = DEPRECATED,
) -> ComparisonResult:
    """Score every multi-label strategy with every model on the same leak-free folds.

    :func:`imbalance.compare` calls this when its target is a label matrix; the parameters
    are the same.

    Parameters
    ----------
    X : DataFrame or 2-D array
    Y : DataFrame of 0/1 label columns, or array of shape (n, L)
        Every label needs a positive row in every training part (checked before any fitting).
    recipes : iterable of str, optional
        Names from :data:`imbalance.strategies.MULTILABEL_STRATEGIES`; default all, the
        ``mlp_*`` ones only when torch is installed.
    models : iterable of str, optional
        ``"logreg"`` (one-vs-rest logistic regression) and ``"random_forest"`` (one
        multi-output forest); default both.
    cv : FoldPlan, int or None
        An int k means :meth:`FoldPlan.multilabel` with k folds; default 5.
    metrics : iterable of str, optional
        Columns to keep in ``summary`` (default :data:`imbalance.metrics.MULTILABEL_METRICS`).
    n_jobs, random_state, k_neighbors, progress
        As for :func:`imbalance.compare`; ``k_neighbors`` is MLSMOTE's.
    strategies : iterable of str, optional
        The old name of ``recipes`` (a ``FutureWarning``; it goes in imbalance 0.3).

    Returns
    -------
    ComparisonResult
        ``results`` and ``summary`` over the label-averaged metrics; ``per_label`` one row
        per strategy, model and label (its rows in the data, its mean validation average
        precision and F1 over folds, and the change from the model's baseline: ``none``, or
        ``mlp_bce`` for the MLP);
        ``measures`` the label matrix's imbalance measures; ``predictions`` the pooled
        out-of-fold probabilities of the first repeat; ``classes`` the label names.
    """
    recipes = renamed("strategies", strategies, "recipes", recipes, default=None)
    check_n_jobs(n_jobs)
    problem = MultiLabelProblem(X, Y, recipes, models, cv, metrics, random_state=random_state,
                                k_neighbors=k_neighbors)
    return run(problem, n_jobs, progress)
