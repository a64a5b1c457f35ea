"""The balanced random forest (Chen, Liaw and Breiman 2004)."""


from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.tree import DecisionTreeClassifier

from imbalance._docstrings import compose
from imbalance._trees import (
    MAX_BINS,
    resolve_max_features,
)
from imbalance._validation import (
    InputError,
    ParameterError,
    RandomStateLike,
)
from imbalance.ensemble._base import (
    HIST_INPUT,
    PRIOR_DOC,
    BaggedEnsemble,
    binnable,
    check_tree_method,
    grow_hist_tree,
    hist_trees_available,
)
from imbalance.planner import Strategy


class BalancedRandomForestClassifier(BaggedEnsemble):
    __doc__ = compose("""A random forest whose every tree grows on a class-balanced draw of the rows.

    Chen, Liaw and Breiman (2004): for each tree, draw with replacement from every class as
    many rows as the plan says (by default, the minority class's count from each class), then
    grow a tree choosing among ``max_features`` features at each split. The draw reaches the
    tree as row counts on the drawn rows (weights), so no table is resampled.

    Trees grow on binned features by default (``tree_method="hist"``: every feature cut once
    into at most ``max_bins`` bins, each split found from per-bin class histograms of the
    node's rows instead of a sort, as LightGBM and scikit-learn's histogram gradient boosting
    do: the same tree where a feature has no more distinct values than bins;
    ``benchmarks/bench_ensembles.py`` times both). ``tree_method="exact"`` grows
    :class:`~sklearn.tree.DecisionTreeClassifier`.

    Parameters
    ----------
    n_estimators : int, default=100
        Trees in the forest.
    strategy : str, dict or callable, default="under"
        The planner's strategy (:func:`imbalance.plan`): every tree's sample has each class at
        its target count.
    ratio : float, default=1.0
        Largest class / smallest class in every tree's sample, for ``"under"``/``"over"``.
    replacement : bool, default=True
        Draw each class with replacement (the paper's bootstrap within classes); False: a
        random subset of distinct rows for every class that is cut.
    criterion, max_depth, min_samples_split, min_samples_leaf, max_features, max_leaf_nodes, min_impurity_decrease
        As in :class:`sklearn.tree.DecisionTreeClassifier` (``max_leaf_nodes`` needs
        ``tree_method="exact"``; ``"auto"`` switches to it).
    tree_method : {"auto", "hist", "exact"}, default="auto"
        ``"hist"``: trees on binned features (needs the compiled builder, built with the
        package, and numeric, finite X; a sparse X is made dense up to 512 MiB as float32);
        ``"exact"``: scikit-learn's trees; ``"auto"``: ``"hist"`` where it can run, else
        ``"exact"``. ``tree_method_`` says which ran.
    max_bins : int, default=255
        Bins per feature for ``"hist"`` (2 to 255); a feature with fewer distinct values gets
        one bin per value, so its splits are the exact ones.
    oob_score : bool or callable, default=False
        Score the rows each tree did not draw (``oob_score_``; accuracy, or the callable
        ``metric(y_true, y_pred)`` on the labels); ``oob_decision_function_`` holds their
        probabilities (under ``prior``; NaN for a row every tree drew).
    {{prior}}
    n_jobs : int, default=None
        Trees fitted and evaluated in this many threads (scikit-learn's trees release the GIL).
    random_state : int, numpy Generator or None, default=None
        Same seed, same forest.
    warm_start : bool, default=False
        Keep the trees of the last fit and add ``n_estimators - len(estimators_)`` more; the
        result equals one fit of the larger forest with the same seed.
    verbose : int, default=0
        joblib's verbosity.

    Attributes
    ----------
    estimators_ : list of trees
        Fitted on class codes 0..K-1: :class:`imbalance._trees.HistTree` (``"hist"``, with
        scikit-learn's ``tree_`` arrays as attributes) or DecisionTreeClassifier (``"exact"``).
    estimators_samples_ : list of ndarray
        The rows each tree drew, with repeats.
    plan_ : imbalance.planner.Plan
        Every tree's class counts.
    classes_ : ndarray
    train_prior_, true_prior_ : ndarray of shape (n_classes,)
        Class shares the trees saw, and those of the data fitted.
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_, oob_decision_function_ : only with ``oob_score``

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(1000, weights=[0.9], random_state=0)
    >>> forest = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> forest.plan_.targets
    {0: 102, 1: 102}
    """, prior=PRIOR_DOC)

    _tree_members = True

    def __init__(self, n_estimators: int = 100, *, strategy: Strategy = "under", ratio: float = 1.0,
                 replacement: bool = True, criterion: str = "gini", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 max_features: Any = "sqrt", max_leaf_nodes: int | None = None, min_impurity_decrease: float = 0.0,
                 tree_method: str = "auto", max_bins: int = MAX_BINS, oob_score: bool | Callable = False,
                 prior: Any = "train", n_jobs: int | None = None, random_state: RandomStateLike = None, warm_start: bool = False,
                 verbose: int = 0) -> None:
        self.n_estimators = n_estimators
        self.strategy = strategy
        self.ratio = ratio
        self.replacement = replacement
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.tree_method = tree_method
        self.max_bins = max_bins
        self.oob_score = oob_score
        self.prior = prior
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    def _check_params(self) -> None:
        self._check_common_params()
        check_tree_method(self.tree_method, self.max_bins)
        if self.tree_method == "hist" and self.max_leaf_nodes is not None:
            raise ParameterError("max_leaf_nodes needs tree_method='exact' (hist trees grow depth-first).")

    def _resolve_tree_method(self, X: ArrayLike) -> str:
        if self.tree_method == "exact" or (self.tree_method == "auto" and (
                self.max_leaf_nodes is not None or not binnable(X) or not hist_trees_available())):
            return "exact"
        if not binnable(X):
            raise InputError(HIST_INPUT)
        return "hist"

    def _fit_members(self, X: ArrayLike, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
        self.tree_method_ = self._resolve_tree_method(X)
        if self.tree_method_ == "exact":
            return super()._fit_members(X, codes, sample_weight, first)
        params = {
            "n_classes": self.n_classes_, "max_features": resolve_max_features(self.max_features, X.shape[1]),
            "max_depth": self.max_depth, "criterion": "entropy" if self.criterion in ("entropy", "log_loss") else "gini",
            "min_impurity_decrease": self.min_impurity_decrease,
        }
        learner = partial(grow_hist_tree, min_samples_split=self.min_samples_split,
                          min_samples_leaf=self.min_samples_leaf, params=params)
        self._fit_binned_members(X, codes, sample_weight, first, learner, self.max_bins)

    def _base(self) -> DecisionTreeClassifier:
        return DecisionTreeClassifier(
            criterion=self.criterion, max_depth=self.max_depth, min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf, max_features=self.max_features,
            max_leaf_nodes=self.max_leaf_nodes, min_impurity_decrease=self.min_impurity_decrease,
        )

    def _weighted(self) -> bool:
        return True
