"""Balanced bagging, and EasyEnsemble: bagging of AdaBoost learners on balanced draws (Liu, Wu
and Zhou 2009)."""


from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from imbalance._docstrings import compose
from imbalance._trees import (
    MAX_BINS,
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
    boost_hist_trees,
    check_tree_method,
    grow_hist_tree,
    hist_trees_available,
)
from imbalance.planner import Strategy


class BalancedBaggingClassifier(BaggedEnsemble):
    __doc__ = compose("""Bagging whose every member trains on a class-balanced draw of the rows.

    Each member is a clone of ``estimator`` fitted on its own draw of the plan (by default,
    every class drawn with replacement to the minority class's count), passed as row counts
    when the learner takes ``sample_weight``, as repeated rows otherwise. With ``sampler``
    (any ``fit_resample`` object of this package or imbalanced-learn: SMOTE, a cleaning
    method, a chain) each member instead trains on what that sampler returns, seeded per member.

    Parameters
    ----------
    estimator : classifier, default=None
        The learner each member clones; default :class:`sklearn.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
    strategy : str, dict or callable, default="under"
        The planner's strategy for every member's draw (:func:`imbalance.plan`).
    ratio : float, default=1.0
        Largest class / smallest class in every member's sample.
    replacement : bool, default=True
        Draw every class with replacement (bootstrap within classes); False: distinct rows.
    sampler : object with ``fit_resample``, default=None
        Per-member resampling instead of the plan's draw (``strategy`` and ``replacement``
        are then unused; ``oob_score`` is not available, since a sampler may make rows).
    tree_method : {"auto", "hist", "exact"}, default="auto"
        For the default learner only (``estimator=None``, no ``sampler``): ``"hist"`` grows it on
        binned features (see :class:`BalancedRandomForestClassifier`), ``"exact"`` uses
        scikit-learn's; ``"auto"`` takes ``"hist"`` for dense, finite, numeric X. ``tree_method_``
        says which ran.
    max_bins : int, default=255
        Bins per feature for ``"hist"``.
    oob_score : bool or callable, default=False
    {{prior}}
    n_jobs, random_state, warm_start, verbose
        As in :class:`BalancedRandomForestClassifier`.

    Attributes
    ----------
    estimators_, estimators_samples_, plan_, classes_, train_prior_, true_prior_
        As in :class:`BalancedRandomForestClassifier`.
    """, prior=PRIOR_DOC)

    def __init__(self, estimator: Any = None, n_estimators: int = 10, *, strategy: Strategy = "under",
                 ratio: float = 1.0, replacement: bool = True, sampler: Any = None, tree_method: str = "auto",
                 max_bins: int = MAX_BINS, oob_score: bool | Callable = False, prior: Any = "train",
                 n_jobs: int | None = None, random_state: RandomStateLike = None, warm_start: bool = False,
                 verbose: int = 0) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.strategy = strategy
        self.ratio = ratio
        self.replacement = replacement
        self.sampler = sampler
        self.tree_method = tree_method
        self.max_bins = max_bins
        self.oob_score = oob_score
        self.prior = prior
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    def _default_estimator(self) -> Any:
        return DecisionTreeClassifier()

    def _base(self) -> Any:
        return self._default_estimator() if self.estimator is None else self.estimator

    def _check_params(self) -> None:
        self._check_common_params()
        check_tree_method(self.tree_method, self.max_bins)
        if self.tree_method == "hist" and (self.estimator is not None or self.sampler is not None):
            raise ParameterError("tree_method='hist' is the default learner's (estimator=None, sampler=None); "
                                 "with an estimator or a sampler of your own leave tree_method='auto'.")
        if not hasattr(self._base(), "fit"):
            raise ParameterError(f"estimator must be a scikit-learn classifier, got {self.estimator!r}.")
        if self.sampler is not None:
            if not hasattr(self.sampler, "fit_resample"):
                raise ParameterError(f"sampler must have a fit_resample method, got {self.sampler!r}.")
            if self.oob_score:
                raise ParameterError("oob_score needs the plan's draws (sampler=None): a sampler may make "
                                     "new rows, which have no out-of-bag meaning.")

    def _hist_learner(self, n_features: int) -> Callable:
        """The default learner on binned features: a full tree on every feature."""
        params = {"n_classes": self.n_classes_, "max_features": n_features, "max_depth": None, "criterion": "gini",
                  "min_impurity_decrease": 0.0}
        return partial(grow_hist_tree, min_samples_split=2, min_samples_leaf=1, params=params)

    def _fit_members(self, X: ArrayLike, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
        hist_possible = self.estimator is None and self.sampler is None and binnable(X)
        if self.tree_method == "hist" and not hist_possible:
            raise InputError(HIST_INPUT)
        self.tree_method_ = ("hist" if hist_possible and self.tree_method != "exact" and hist_trees_available()
                             else "exact")
        if self.tree_method_ == "hist":
            return self._fit_binned_members(X, codes, sample_weight, first, self._hist_learner(X.shape[1]),
                                            self.max_bins)
        if self.sampler is None:
            return super()._fit_members(X, codes, sample_weight, first)
        if sample_weight is not None:
            raise ParameterError("sample_weight cannot follow rows through a sampler; leave one of them out.")
        jobs = []
        for i in range(first, self.n_estimators):
            rng = self._member_rng(i)
            member = self._make_member(int(rng.integers(2**31 - 1)))
            sampler = clone(self.sampler)
            if "random_state" in sampler.get_params():
                sampler.set_params(random_state=int(rng.integers(2**31 - 1)))
            jobs.append(delayed(_fit_on_sampler)(member, sampler, X, codes, self.n_classes_))
        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads", verbose=self.verbose)(jobs)
        self.estimators_ = list(getattr(self, "estimators_", [])[:first]) + [m for m, _ in fitted]
        self._sampler_shares = list(getattr(self, "_sampler_shares", [])[:first]) + [s for _, s in fitted]

    def _train_prior(self, codes: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        if self.sampler is None:
            return super()._train_prior(codes, sample_weight)
        shares = np.mean(self._sampler_shares, axis=0)
        return np.where(shares > 0, shares, np.finfo(float).tiny)

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        if self.sampler is not None:
            raise AttributeError("estimators_samples_ is the plan's draws; with a sampler, members see its output.")
        return super().estimators_samples_


def _fit_on_sampler(member: Any, sampler: Any, X: ArrayLike, codes: np.ndarray, n_classes: int) -> tuple[Any, np.ndarray]:
    """Fit one member on a sampler's output; also return the class shares it saw (for the prior)."""
    X_res, y_res = sampler.fit_resample(X, codes)
    y_res = np.asarray(y_res).astype(np.intp)
    return member.fit(X_res, y_res), np.bincount(y_res, minlength=n_classes) / y_res.size


class EasyEnsembleClassifier(BalancedBaggingClassifier):
    __doc__ = compose("""EasyEnsemble (Liu, Wu and Zhou 2009): AdaBoost learners, each on an independent
    random subset of the majority class beside the whole minority class.

    :class:`BalancedBaggingClassifier` with the paper's defaults: members are
    :class:`sklearn.ensemble.AdaBoostClassifier` (50 stumps), and every member's draw takes
    distinct rows (``replacement=False``), so each sees the minority class whole and as many
    distinct majority rows.

    Parameters
    ----------
    n_estimators : int, default=10
        AdaBoost members.
    estimator : classifier, default=None
        Default: SAMME boosting of 50 stumps, as ``AdaBoostClassifier()``; grown on binned
        features (``tree_method="hist"``, as :func:`imbalance._trees.boost_trees`) where X allows,
        else ``AdaBoostClassifier()`` itself.
    tree_method, max_bins
        As in :class:`BalancedBaggingClassifier`.
    strategy, ratio, sampler, oob_score, n_jobs, random_state, warm_start, verbose
        As in :class:`BalancedBaggingClassifier`.
    replacement : bool, default=False
    {{prior}}
    """, prior=PRIOR_DOC)

    def __init__(self, n_estimators: int = 10, *, estimator: Any = None, strategy: Strategy = "under",
                 ratio: float = 1.0, replacement: bool = False, sampler: Any = None, tree_method: str = "auto",
                 max_bins: int = MAX_BINS, oob_score: bool | Callable = False, prior: Any = "train",
                 n_jobs: int | None = None, random_state: RandomStateLike = None, warm_start: bool = False,
                 verbose: int = 0) -> None:
        super().__init__(estimator=estimator, n_estimators=n_estimators, strategy=strategy, ratio=ratio,
                         replacement=replacement, sampler=sampler, tree_method=tree_method, max_bins=max_bins,
                         oob_score=oob_score, prior=prior, n_jobs=n_jobs, random_state=random_state,
                         warm_start=warm_start, verbose=verbose)

    def _default_estimator(self) -> Any:
        return AdaBoostClassifier()

    def _hist_learner(self, n_features: int) -> Callable:
        """The default learner on binned features: AdaBoost (SAMME) of 50 stumps, as AdaBoostClassifier()."""
        return partial(boost_hist_trees, n_classes=self.n_classes_)
