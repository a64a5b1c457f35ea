r"""Balanced ensembles whose members are drawn to the plan, as row counts.

Every member of a balanced ensemble trains on its own rebalanced sample of the training rows
(Chen, Liaw and Breiman 2004; Liu, Wu and Zhou 2009; Seiffert et al. 2010). Here that sample
comes from the planner, so a strategy means the same as everywhere else in the package
("under, 3:1" keeps three majority rows per minority row in every member), and it is realised
as *row counts*, never as a resampled copy of the table: a member that takes ``sample_weight``
trains on the rows it drew, each once, weighted by how often it drew them (trees, boosting);
only a learner that cannot take weights gets rows repeated.

Each member saw the plan's class prior :math:`\pi'` (balanced, for the default plan), not the
data's :math:`\pi`; with ``prior="true"`` the averaged probabilities :math:`p'` are mapped back
(Saerens et al. 2002; Dal Pozzolo et al. 2015):

.. math::

    p_c = \frac{p'_c\, \pi_c / \pi'_c}{\sum_k p'_k\, \pi_k / \pi'_k}
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import assert_all_finite, get_tags
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter, validate_data

from imbalance._labels import EncodedLabels, class_positions, encode_labels
from imbalance._trees import (
    MAX_BINS,
    BoostedTrees,
    HistTree,
    boost_trees,
    fit_bins,
    grow_tree,
    resolve_max_features,
    samme,
)
from imbalance._trees import available as trees_compiled
from imbalance._validation import (
    InputError,
    ParameterError,
    check_int,
    check_random_state,
    fmt_label,
)
from imbalance.metrics import correct_prior
from imbalance.planner import Plan, Strategy, plan_labels
from imbalance.resample import draw_rows

__all__ = [
    "BalancedRandomForestClassifier",
    "BalancedBaggingClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
    "member_counts",
]

_TREE_DTYPE = np.float32  # what scikit-learn's trees split on; X is converted once, not per member


def member_counts(
    labels: EncodedLabels,
    plan: Plan,
    rng: np.random.Generator,
    *,
    replacement: bool,
    positions: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    r"""How many times each row is in one member's sample, every class at its planned count.

    ``replacement=False`` follows the package's one rule (:func:`imbalance.resample.draw_rows`):
    a class cut to :math:`t` rows keeps a random subset of :math:`t` distinct rows, a class raised
    to :math:`t` keeps every row and draws the rest evenly. ``replacement=True`` is the
    bootstrap within each class of the balanced random forest (Chen et al. 2004): :math:`t_c`
    independent uniform draws from the :math:`n_c` rows of class :math:`c`, so a row is drawn
    :math:`\mathrm{Binomial}(t_c, 1/n_c)` times and left out of the member with probability
    :math:`(1 - 1/n_c)^{t_c}`.

    Returns
    -------
    ndarray of shape (n_samples,), int64
        ``counts[labels.codes == c].sum() == plan.target_array[c]`` for every class.
    """
    if not replacement:
        return draw_rows(labels, plan, rng).counts()
    if positions is None:
        positions = class_positions(labels.codes, labels.counts)
    drawn = [positions[c][rng.integers(0, labels.counts[c], size=t)]
             for c, t in enumerate(plan.target_array.tolist()) if t]
    return np.bincount(np.concatenate(drawn), minlength=labels.n_samples)


def _aligned_proba(member: Any, X: Any, n_classes: int, tree_input: bool) -> np.ndarray:
    """A member's class probabilities in the ensemble's class order (a member fits on class
    codes; it may have seen fewer classes than the ensemble, in which case it gives 0 to the rest)."""
    seen = member.classes_.astype(np.intp)
    if hasattr(member, "predict_proba"):
        proba = member.predict_proba(X, check_input=False) if tree_input else member.predict_proba(X)
    else:  # a learner with only predict votes for its class
        proba = (member.predict(X)[:, None] == seen[None, :]).astype(np.float64)
    if seen.size == n_classes:
        return proba
    full = np.zeros((proba.shape[0], n_classes))
    full[:, seen] = proba
    return full


def _member_rows(counts: np.ndarray, sample_weight: np.ndarray | None,
                 weighted: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The rows a member trains on and their weights: each drawn row once, weighted by its
    count (times its sample weight), for a learner that takes weights (``weighted``); rows
    repeated as often as drawn, no weights, otherwise."""
    if not weighted:
        return np.repeat(np.arange(counts.size), counts), None
    weight = counts.astype(np.float64) if sample_weight is None else counts * sample_weight
    rows = np.flatnonzero(weight)
    return rows, weight[rows]


def _fit_member(member: Any, rows: np.ndarray, weight: np.ndarray | None, X: Any, codes: np.ndarray,
                tree_input: bool) -> Any:
    """Fit one member on ``X[rows]`` (with ``weight``, when given)."""
    if weight is None:
        return member.fit(X[rows], codes[rows])
    if tree_input:
        # A column-major copy of the drawn rows: the splitter reads one feature at a time.
        return member.fit(np.asfortranarray(X[rows]), codes[rows], sample_weight=weight, check_input=False)
    return member.fit(X[rows], codes[rows], sample_weight=weight)


def _grow_hist_tree(binned: np.ndarray, bins: Any, codes: np.ndarray, X: np.ndarray, rows: np.ndarray,
                    weight: np.ndarray, seed: int, *, min_samples_split: int | float, min_samples_leaf: int | float,
                    params: dict) -> HistTree:
    """One hist tree on a member's rows; fractional split/leaf sizes are of those rows, as in scikit-learn."""
    n = rows.size
    split = min_samples_split if isinstance(min_samples_split, numbers.Integral) else \
        max(2, math.ceil(min_samples_split * n))
    leaf = min_samples_leaf if isinstance(min_samples_leaf, numbers.Integral) else \
        max(1, math.ceil(min_samples_leaf * n))
    return grow_tree(binned, bins, codes, weight, rows, min_samples_split=int(split), min_samples_leaf=int(leaf),
                     seed=seed, **params)


def _boost_hist_trees(binned: np.ndarray, bins: Any, codes: np.ndarray, X: np.ndarray, rows: np.ndarray,
                      weight: np.ndarray, seed: int, *, n_classes: int) -> BoostedTrees:
    """EasyEnsemble's default member on binned features: SAMME over 50 stumps."""
    return boost_trees(binned, bins, codes, X, rows, weight, n_classes=n_classes, n_rounds=50, seed=seed)


_DENSE_LIMIT = 2**29  # bytes: a sparse X whose float32 copy is at most this is made dense for hist trees


def _binnable(X: Any) -> bool:
    """Numeric and finite, and dense or small enough to make dense: what hist trees take."""
    if sp.issparse(X):
        return (X.shape[0] * X.shape[1] * 4 <= _DENSE_LIMIT and X.dtype.kind in "biuf"
                and bool(np.isfinite(X.data).all()))
    values = np.asarray(X)
    return values.dtype.kind in "biuf" and bool(np.isfinite(values).all())


def _dense32(X: Any) -> np.ndarray:
    """X as the float32 C-ordered array hist trees are binned from and predict on."""
    return np.ascontiguousarray(X.toarray() if sp.issparse(X) else X, dtype=np.float32)


_HIST_INPUT = ("tree_method='hist' needs numeric, finite X (a sparse X is made dense, up to 512 MiB as float32); "
               "use tree_method='exact'.")


def _check_tree_method(tree_method: Any, max_bins: Any) -> None:
    if tree_method not in ("auto", "hist", "exact"):
        raise ParameterError(f"tree_method must be 'auto', 'hist' or 'exact', got {tree_method!r}.")
    if tree_method == "hist" and not trees_compiled():
        raise ParameterError("tree_method='hist' needs the compiled tree builder, which this install lacks "
                             "(no C compiler at install time); use tree_method='exact'.")
    check_int("max_bins", max_bins, low=2)
    if max_bins > MAX_BINS:
        raise ParameterError(f"max_bins must be at most {MAX_BINS}, got {max_bins}.")


class _PlannedEnsemble(ClassifierMixin, BaseEstimator):
    """What every balanced ensemble shares: validation, the plan, per-member draws from seeds,
    probabilities under the prior asked for.

    Subclasses give ``_base()`` (the learner every member copies) and a ``fit``, and say whether
    their members are scikit-learn trees fed float32 without re-validation (``_tree_members``).
    """

    _tree_members = False

    # -- parameters ---------------------------------------------------------------------
    def _check_common_params(self) -> None:
        check_int("n_estimators", self.n_estimators)
        if not isinstance(self.replacement, (bool, np.bool_)):
            raise ParameterError(f"replacement must be True or False, got {self.replacement!r}.")
        prior = self.prior
        if isinstance(prior, str):
            if prior not in ("train", "true"):
                raise ParameterError(
                    f"prior must be 'train' (probabilities as the balanced members give them), 'true' "
                    f"(mapped back to the class shares of the data fitted) or an array of class shares, got {prior!r}."
                )

    # -- fitting -------------------------------------------------------------------------
    def _validate_fit_input(self, X: Any, y: Any, sample_weight: Any) -> tuple[Any, EncodedLabels, Any]:
        if self._tree_members:
            X = validate_data(self, X, dtype=_TREE_DTYPE, accept_sparse="csr", order="C")
        else:
            X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False)
        if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
            y = y.iloc[:, 0]
        elif not isinstance(y, (pd.Series, pd.Categorical)):
            y = column_or_1d(y, warn=True)  # a column vector is read as 1-D, with scikit-learn's warning
        labels = encode_labels(y, min_classes=1)
        if labels.n_samples != X.shape[0]:
            raise InputError(f"X has {X.shape[0]} rows but y has {labels.n_samples} labels; give one label per row.")
        if labels.classes.size < 2:
            raise InputError(
                f"y has only one class ({fmt_label(labels.classes[0])}); a classifier needs at least two.")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float64)
            if sample_weight.shape != (labels.n_samples,):
                raise InputError(f"sample_weight must hold one number per row ({labels.n_samples}), "
                                 f"got shape {sample_weight.shape}.")
            if not np.isfinite(sample_weight).all() or (sample_weight < 0).any():
                raise InputError("sample_weight must be finite and non-negative.")
            if sample_weight.sum() <= 0:
                raise InputError("sample_weight is zero for every row; give at least one row a positive weight.")
        return X, labels, sample_weight

    def _true_prior(self, labels: EncodedLabels, sample_weight: np.ndarray | None) -> np.ndarray:
        totals = np.bincount(labels.codes, weights=sample_weight, minlength=labels.classes.size)
        return totals / totals.sum()

    def _ensemble_seed(self) -> int:
        """The seed every member's draw derives from: one per ensemble, kept by ``warm_start``
        so that growing an ensemble gives the members a bigger one would have had."""
        if not (self.warm_start and hasattr(self, "seed_")):
            self.seed_ = int(check_random_state(self.random_state).integers(2**63 - 1))
        return self.seed_

    def _member_rng(self, index: int) -> np.random.Generator:
        return np.random.default_rng([self.seed_, index])

    def _draw_counts(self, rng: np.random.Generator) -> np.ndarray:
        """One member's row counts over all rows (0 for a row of weight 0: never drawn)."""
        counts = member_counts(self._drawn, self.plan_, rng, replacement=bool(self.replacement),
                               positions=getattr(self, "_positions", None))
        if self._eligible is None:
            return counts
        every_row = np.zeros(self._n_rows, dtype=counts.dtype)
        every_row[self._eligible] = counts
        return every_row

    def _counts_of(self, index: int) -> np.ndarray:
        """Member ``index``'s row counts, drawn again from its seed."""
        rng = self._member_rng(index)
        rng.integers(2**31 - 1)  # the member's own random_state comes first (see _draw_member)
        return self._draw_counts(rng)

    def _make_member(self, seed: int) -> Any:
        """A fresh copy of the learner (``_base()``), seeded when it takes a seed."""
        member = clone(self._base())
        if "random_state" in member.get_params():
            member.set_params(random_state=seed)
        return member

    def _draw_member(self, index: int) -> tuple[Any, np.ndarray]:
        """Member ``index``: an unfitted learner and its row counts, both from its own seed."""
        rng = self._member_rng(index)
        member = self._make_member(int(rng.integers(2**31 - 1)))
        return member, self._draw_counts(rng)

    def _prepare_fit(self, X: Any, y: Any, sample_weight: Any) -> tuple[Any, np.ndarray, Any]:
        self._check_params()
        X, labels, sample_weight = self._validate_fit_input(X, y, sample_weight)
        if self.warm_start and hasattr(self, "classes_") and not np.array_equal(self.classes_, labels.classes):
            raise InputError("warm_start=True needs the same classes as the first fit; fit anew with warm_start=False.")
        self.classes_ = labels.classes
        self.n_classes_ = labels.classes.size
        # Rows of weight 0 are left out before planning and drawing, as if they were not there
        # (scikit-learn's meaning of a zero weight): the members' draws are then the same.
        self._n_rows, self._eligible, self._drawn = labels.n_samples, None, labels
        if sample_weight is not None and not (sample_weight > 0).all():
            self._eligible = np.flatnonzero(sample_weight > 0)
            codes = labels.codes[self._eligible]
            counts = np.bincount(codes, minlength=labels.classes.size)
            if not counts.all():
                raise InputError(f"every row of class {fmt_label(labels.classes[np.argmin(counts)])} has sample_weight 0; "
                                 "give each class at least one row of positive weight.")
            self._drawn = EncodedLabels(classes=labels.classes, codes=codes, counts=counts)
        self.plan_ = plan_labels(self._drawn, self.strategy, ratio=self.ratio)  # every target >= 1
        self._positions = class_positions(self._drawn.codes, self._drawn.counts)
        self.true_prior_ = self._true_prior(labels, sample_weight)
        self._ensemble_seed()
        return X, labels.codes.astype(np.intp), sample_weight

    def _train_prior(self, codes: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        """Class shares the members trained under: the plan's, weighted by ``sample_weight``
        when given (averaged over the members)."""
        if sample_weight is None:
            targets = self.plan_.target_array.astype(np.float64)
            return targets / targets.sum()
        shares = []
        for i in range(len(self.estimators_)):
            totals = np.bincount(codes, weights=self._counts_of(i) * sample_weight, minlength=self.n_classes_)
            shares.append(totals / totals.sum())
        prior = np.mean(shares, axis=0)
        return np.where(prior > 0, prior, np.finfo(float).tiny)

    def _target_prior(self) -> np.ndarray | None:
        """The prior ``predict_proba`` maps to; None for the members' own."""
        if isinstance(self.prior, str):
            return None if self.prior == "train" else self.true_prior_
        prior = np.asarray(self.prior, dtype=np.float64)
        if prior.shape != (self.n_classes_,) or not np.isfinite(prior).all() or (prior <= 0).any():
            raise ParameterError(
                f"prior must hold {self.n_classes_} positive class shares, one per class in the order of "
                f"classes_ ({list(self.classes_)}), got {self.prior!r}."
            )
        return prior / prior.sum()

    def _with_prior(self, proba: np.ndarray) -> np.ndarray:
        target = self._target_prior()
        if target is None:
            return proba
        return correct_prior(proba, self.train_prior_, target)

    # -- prediction -----------------------------------------------------------------------
    def _sklearn_tree_input(self, X: Any) -> bool:
        """Whether members are scikit-learn trees that take this float32 X without checks."""
        return self._tree_members and not sp.issparse(X) and getattr(self, "tree_method_", "exact") == "exact"

    def _validate_predict_input(self, X: Any) -> Any:
        check_is_fitted(self, "estimators_")
        if self._tree_members:
            return validate_data(self, X, dtype=_TREE_DTYPE, accept_sparse="csr", order="C", reset=False)
        return validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False,
                             reset=False)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: the members' average, under the prior ``prior`` asks for.

        Returns
        -------
        ndarray of shape (n_samples, n_classes), in the order of ``classes_``
        """
        X = self._validate_predict_input(X)
        return self._with_prior(self._members_proba(X))

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class under the prior ``prior`` asks for (``"train"``: the
        balanced members' vote; ``"true"``: Bayes' rule for the data's class shares)."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base = get_tags(self._base()).input_tags
        tags.input_tags.sparse = base.sparse
        tags.input_tags.allow_nan = base.allow_nan and not self._tree_members  # trees get float32 checked once
        return tags


class _BaggedEnsemble(_PlannedEnsemble):
    """Members fitted independently (in threads), each on its own draw of the plan; out-of-bag
    rows of a member are those it drew 0 times."""

    def _fit_members(self, X: Any, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
        weighted = self._weighted()
        if sample_weight is not None and not weighted:
            raise ParameterError(
                f"{type(self._base()).__name__} does not take sample_weight, so the ensemble cannot honour "
                "the sample_weight given; leave it out or use a learner whose fit takes sample_weight."
            )
        tree_input = self._sklearn_tree_input(X)
        # Members are drawn as joblib asks for them: only a few count arrays live at once. Threads,
        # not processes: scikit-learn's trees (and AdaBoost's, mostly tree fitting) release the
        # GIL, and a process pool would copy X to every worker.
        jobs = (delayed(_fit_member)(member, *_member_rows(counts, sample_weight, weighted), X, codes, tree_input)
                for member, counts in map(self._draw_member, range(first, self.n_estimators)))
        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads", verbose=self.verbose)(jobs)
        self.estimators_ = list(getattr(self, "estimators_", [])[:first]) + list(fitted)

    def _weighted(self) -> bool:
        return has_fit_parameter(self._base(), "sample_weight")

    def _fit_binned_members(self, X: np.ndarray, codes: np.ndarray, sample_weight: np.ndarray | None, first: int,
                            learner: Callable, max_bins: int) -> None:
        """Members that learn on binned features (``tree_method="hist"``): the table is binned once,
        and ``learner(binned, bins, codes, X, rows, weight, seed)`` fits one member."""
        if first and not all(isinstance(m, (HistTree, BoostedTrees)) for m in self.estimators_):
            raise ParameterError("warm_start=True cannot add hist members to exact ones; keep tree_method.")
        X = _dense32(X)
        # One binning per fit (the same for the same X and seed, so warm starts match one fit), of
        # the rows that can be drawn (a row of weight 0 is as if absent).
        drawable = X if self._eligible is None else X[self._eligible]
        bins = fit_bins(drawable, np.random.default_rng([self.seed_, 2**32]), max_bins)
        binned, codes32 = bins.transform(X), codes.astype(np.int32)

        def member_jobs():
            for i in range(first, self.n_estimators):
                rng = self._member_rng(i)
                seed = int(rng.integers(2**31 - 1))  # first, as _draw_member does: the counts follow
                rows, weight = _member_rows(self._draw_counts(rng), sample_weight, weighted=True)
                yield delayed(learner)(binned, bins, codes32, X, rows, weight, seed)

        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads", verbose=self.verbose)(member_jobs())
        self.estimators_ = list(getattr(self, "estimators_", [])[:first]) + list(fitted)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "_BaggedEnsemble":
        """Fit every member on its own draw of the plan.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Multiplies each member's row counts (the learner must take ``sample_weight``).

        Returns
        -------
        self
        """
        X, codes, sample_weight = self._prepare_fit(X, y, sample_weight)
        first = len(self.estimators_) if self.warm_start and hasattr(self, "estimators_") else 0
        if first > self.n_estimators:
            raise ParameterError(
                f"n_estimators={self.n_estimators} is below the {first} members already fitted; with "
                "warm_start=True it can only grow."
            )
        if first == self.n_estimators and first:
            warnings.warn("warm_start=True and n_estimators did not grow: nothing new to fit.", UserWarning,
                          stacklevel=2)
        else:
            self._fit_members(X, codes, sample_weight, first)
        self.train_prior_ = self._train_prior(codes, sample_weight)
        self._target_prior()  # a bad prior array fails here, not at the first predict
        if self.oob_score:
            self._set_oob(X, codes)
        elif hasattr(self, "oob_score_"):
            del self.oob_score_, self.oob_decision_function_
        del self._positions  # n row positions: not worth keeping in a pickled model
        return self

    def _members_proba(self, X: Any) -> np.ndarray:
        if getattr(self, "tree_method_", "exact") == "hist":
            assert_all_finite(X, input_name="X")  # hist members learnt on finite values only
            X = _dense32(X)  # the values they were binned from
        tree_input = self._sklearn_tree_input(X)
        parts = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_aligned_proba)(member, X, self.n_classes_, tree_input) for member in self.estimators_
        )
        return np.sum(parts, axis=0) / len(parts)

    def _set_oob(self, X: Any, codes: np.ndarray) -> None:
        """Out-of-bag probabilities: each row averaged over the members that drew it 0 times."""
        if getattr(self, "tree_method_", "exact") == "hist":
            X = _dense32(X)  # the values the members were binned from
        tree_input = self._sklearn_tree_input(X)
        total = np.zeros((codes.size, self.n_classes_))
        votes = np.zeros(codes.size, dtype=np.int64)
        for i, member in enumerate(self.estimators_):
            out = np.flatnonzero(self._counts_of(i) == 0)
            if out.size:
                total[out] += _aligned_proba(member, X[out], self.n_classes_, tree_input)
                votes[out] += 1
        if (votes == 0).any():
            warnings.warn(
                f"{int((votes == 0).sum())} rows were drawn by every member, so have no out-of-bag "
                "estimate (NaN in oob_decision_function_); use more members.", UserWarning, stacklevel=3)
        with np.errstate(invalid="ignore", divide="ignore"):
            proba = total / votes[:, None]
        has = votes > 0
        proba[has] = self._with_prior(proba[has])
        self.oob_decision_function_ = proba
        score: Callable = self.oob_score if callable(self.oob_score) else accuracy_score
        self.oob_score_ = float(score(self.classes_[codes[has]], self.classes_[proba[has].argmax(axis=1)]))

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """Per member, the row positions it drew (sorted, repeated as often as drawn), drawn
        again from the member's seed (``np.bincount(s, minlength=n)`` gives its counts)."""
        check_is_fitted(self, "estimators_")
        return [np.repeat(np.arange(self._n_rows), self._counts_of(i)) for i in range(len(self.estimators_))]

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity-based feature importances, the members' average (members must have them)."""
        check_is_fitted(self, "estimators_")
        if not hasattr(self.estimators_[0], "feature_importances_"):
            raise AttributeError(f"{type(self.estimators_[0]).__name__} members have no feature_importances_.")
        return np.mean([m.feature_importances_ for m in self.estimators_], axis=0)


_PRIOR_DOC = """prior : {"train", "true"} or array-like of shape (n_classes,), default="train"
        Which class prior ``predict_proba`` (and ``predict``) is for. ``"train"``: the one the
        members trained under (the plan's; balanced by default), probabilities as they come.
        ``"true"``: mapped back to the class shares of the data fitted (Saerens et al. 2002),
        so they read as probabilities again. An array: mapped to these class shares (a
        deployment prior), in the order of ``classes_``."""


class BalancedRandomForestClassifier(_BaggedEnsemble):
    __doc__ = f"""A random forest whose every tree grows on a class-balanced draw of the rows.

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
    {_PRIOR_DOC}
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
    {{0: 102, 1: 102}}
    """

    _tree_members = True

    def __init__(self, n_estimators: int = 100, *, strategy: Strategy = "under", ratio: float = 1.0,
                 replacement: bool = True, criterion: str = "gini", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 max_features: Any = "sqrt", max_leaf_nodes: int | None = None, min_impurity_decrease: float = 0.0,
                 tree_method: str = "auto", max_bins: int = MAX_BINS, oob_score: bool | Callable = False,
                 prior: Any = "train", n_jobs: int | None = None, random_state: Any = None, warm_start: bool = False,
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
        _check_tree_method(self.tree_method, self.max_bins)
        if self.tree_method == "hist" and self.max_leaf_nodes is not None:
            raise ParameterError("max_leaf_nodes needs tree_method='exact' (hist trees grow depth-first).")

    def _resolve_tree_method(self, X: Any) -> str:
        if self.tree_method == "exact" or (self.tree_method == "auto" and (
                not trees_compiled() or self.max_leaf_nodes is not None or not _binnable(X))):
            return "exact"
        if not _binnable(X):
            raise InputError(_HIST_INPUT)
        return "hist"

    def _fit_members(self, X: Any, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
        self.tree_method_ = self._resolve_tree_method(X)
        if self.tree_method_ == "exact":
            return super()._fit_members(X, codes, sample_weight, first)
        params = {
            "n_classes": self.n_classes_, "max_features": resolve_max_features(self.max_features, X.shape[1]),
            "max_depth": self.max_depth, "criterion": "entropy" if self.criterion in ("entropy", "log_loss") else "gini",
            "min_impurity_decrease": self.min_impurity_decrease,
        }
        learner = partial(_grow_hist_tree, min_samples_split=self.min_samples_split,
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


class BalancedBaggingClassifier(_BaggedEnsemble):
    __doc__ = f"""Bagging whose every member trains on a class-balanced draw of the rows.

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
    {_PRIOR_DOC}
    n_jobs, random_state, warm_start, verbose
        As in :class:`BalancedRandomForestClassifier`.

    Attributes
    ----------
    estimators_, estimators_samples_, plan_, classes_, train_prior_, true_prior_
        As in :class:`BalancedRandomForestClassifier`.
    """

    def __init__(self, estimator: Any = None, n_estimators: int = 10, *, strategy: Strategy = "under",
                 ratio: float = 1.0, replacement: bool = True, sampler: Any = None, tree_method: str = "auto",
                 max_bins: int = MAX_BINS, oob_score: bool | Callable = False, prior: Any = "train",
                 n_jobs: int | None = None, random_state: Any = None, warm_start: bool = False,
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
        _check_tree_method(self.tree_method, self.max_bins)
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
        return partial(_grow_hist_tree, min_samples_split=2, min_samples_leaf=1, params=params)

    def _fit_members(self, X: Any, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
        hist_possible = self.estimator is None and self.sampler is None and _binnable(X)
        if self.tree_method == "hist" and not hist_possible:
            raise InputError(_HIST_INPUT)
        self.tree_method_ = "hist" if hist_possible and self.tree_method != "exact" and trees_compiled() else "exact"
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


def _fit_on_sampler(member: Any, sampler: Any, X: Any, codes: np.ndarray, n_classes: int) -> tuple[Any, np.ndarray]:
    """Fit one member on a sampler's output; also return the class shares it saw (for the prior)."""
    X_res, y_res = sampler.fit_resample(X, codes)
    y_res = np.asarray(y_res).astype(np.intp)
    return member.fit(X_res, y_res), np.bincount(y_res, minlength=n_classes) / y_res.size


class EasyEnsembleClassifier(BalancedBaggingClassifier):
    __doc__ = f"""EasyEnsemble (Liu, Wu and Zhou 2009): AdaBoost learners, each on an independent
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
    {_PRIOR_DOC}
    """

    def __init__(self, n_estimators: int = 10, *, estimator: Any = None, strategy: Strategy = "under",
                 ratio: float = 1.0, replacement: bool = False, sampler: Any = None, tree_method: str = "auto",
                 max_bins: int = MAX_BINS, oob_score: bool | Callable = False, prior: Any = "train",
                 n_jobs: int | None = None, random_state: Any = None, warm_start: bool = False,
                 verbose: int = 0) -> None:
        super().__init__(estimator=estimator, n_estimators=n_estimators, strategy=strategy, ratio=ratio,
                         replacement=replacement, sampler=sampler, tree_method=tree_method, max_bins=max_bins,
                         oob_score=oob_score, prior=prior, n_jobs=n_jobs, random_state=random_state,
                         warm_start=warm_start, verbose=verbose)

    def _default_estimator(self) -> Any:
        return AdaBoostClassifier()

    def _hist_learner(self, n_features: int) -> Callable:
        """The default learner on binned features: AdaBoost (SAMME) of 50 stumps, as AdaBoostClassifier()."""
        return partial(_boost_hist_trees, n_classes=self.n_classes_)


class RUSBoostClassifier(_PlannedEnsemble):
    r"""RUSBoost (Seiffert et al. 2010): boosting where every round's learner trains on a
    random under-sample of the rows.

    Round :math:`m` draws row counts :math:`c^{(m)}` to the plan (distinct rows by default),
    fits the learner on those rows with weights :math:`c^{(m)}_i w_i`, and then, as SAMME
    (Zhu et al. 2009) does, scores it on *all* rows, under the weights its draw was made for:
    row :math:`i` of class :math:`c` counts :math:`r_i w_i`, with :math:`r_i = t_c / n_c` its
    class's draw rate (target over count in the plan):

    .. math::

        \varepsilon_m = \frac{\sum_i r_i w_i [h_m(x_i) \ne y_i]}{\sum_i r_i w_i}, \qquad
        \alpha_m = \eta \left(\log\frac{1 - \varepsilon_m}{\varepsilon_m} + \log(K - 1)\right), \qquad
        w_i \leftarrow w_i \, e^{\alpha_m [h_m(x_i) \ne y_i]}

    and predicts with the class scores :math:`s_k(x) = \sum_m \alpha_m [h_m(x) = k] / \sum_m \alpha_m`,
    probabilities :math:`\mathrm{softmax}(K s / (K - 1)^2)` (scikit-learn's ``AdaBoostClassifier``:
    :math:`\sigma(2 (s_1 - s_0))` for two classes). The paper boosts with AdaBoost.M2; we
    follow imbalanced-learn and scikit-learn in using SAMME, which needs no per-class
    pseudo-loss and is multi-class by construction. A round whose learner is perfect on all rows
    ends the boosting (its :math:`\alpha` is set to 1); one no better than chance is dropped.
    Why :math:`r`: a learner fitted to a balanced draw and judged on the imbalanced rows as they
    are (imbalanced-learn's rule, :math:`r_i = 1`) counts every majority row it gives up for the
    minority at the majority's full weight, so it often looks no better than chance, and the first
    round fails the whole fit; judged under the balance it was trained for, it does not.

    Parameters
    ----------
    estimator : classifier, default=None
        Default: a decision stump, ``DecisionTreeClassifier(max_depth=1)``. Must take
        ``sample_weight``.
    n_estimators : int, default=50
        Most boosting rounds.
    learning_rate : float, default=1.0
        :math:`\eta`.
    strategy : str, dict or callable, default="under"
    ratio : float, default=1.0
    replacement : bool, default=False
    {prior}
    random_state : int, numpy Generator or None, default=None

    Attributes
    ----------
    estimators_ : list of fitted learners
    estimator_weights_, estimator_errors_ : ndarray of shape (n_rounds,)
        :math:`\alpha_m` and :math:`\varepsilon_m`.
    estimators_samples_ : list of ndarray
        The rows each round drew.
    plan_, classes_, train_prior_, true_prior_ : as in :class:`BalancedRandomForestClassifier`
    feature_importances_ : ndarray, the :math:`\alpha`-weighted mean of the learners'.
    """

    __doc__ = __doc__.replace("{prior}", _PRIOR_DOC)
    warm_start = False  # boosting rounds depend on every round before; no warm start

    def __init__(self, estimator: Any = None, n_estimators: int = 50, *, learning_rate: float = 1.0,
                 strategy: Strategy = "under", ratio: float = 1.0, replacement: bool = False,
                 prior: Any = "train", random_state: Any = None) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.strategy = strategy
        self.ratio = ratio
        self.replacement = replacement
        self.prior = prior
        self.random_state = random_state

    def _base(self) -> Any:
        return DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator

    def _check_params(self) -> None:
        self._check_common_params()
        if not isinstance(self.learning_rate, numbers.Real) or not self.learning_rate > 0:
            raise ParameterError(f"learning_rate must be a positive number, got {self.learning_rate!r}.")
        if not has_fit_parameter(self._base(), "sample_weight"):
            raise ParameterError(f"RUSBoost re-weights rows every round, so its estimator must take sample_weight; "
                                 f"{type(self._base()).__name__} does not.")

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "RUSBoostClassifier":
        """Boost for up to ``n_estimators`` rounds, each on a fresh draw of the plan.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Initial row weights (default equal).

        Returns
        -------
        self
        """
        X, codes, sample_weight = self._prepare_fit(X, y, sample_weight)
        n = codes.size
        initial = np.full(n, 1.0 / n) if sample_weight is None else sample_weight

        def fit_round(m: int, weight: np.ndarray) -> tuple[Any, np.ndarray]:
            member, counts = self._draw_member(m)
            _fit_member(member, *_member_rows(counts, weight, weighted=True), X, codes, tree_input=False)
            return member, np.asarray(member.predict(X), dtype=np.intp)

        # a round is judged under the weights its draw was made for: each class's at its draw rate t_c / n_c
        rates = self.plan_.target_array / self.plan_.count_array
        boosted = samme(fit_round, codes, initial, n_rounds=self.n_estimators, n_classes=self.n_classes_,
                        n_features=X.shape[1], learning_rate=self.learning_rate, first_at_chance="raise",
                        judged_by=rates[codes])
        self.estimators_ = boosted.estimators_
        self.estimator_weights_ = boosted.estimator_weights_
        self.estimator_errors_ = boosted.estimator_errors_
        self.train_prior_ = self._boost_train_prior()
        self._target_prior()  # a bad prior array fails here, not at the first predict
        del self._positions
        return self

    def _boost_train_prior(self) -> np.ndarray:
        targets = self.plan_.target_array.astype(np.float64)
        return targets / targets.sum()

    def _boosted(self) -> BoostedTrees:
        return BoostedTrees(self.estimators_, self.estimator_weights_, self.estimator_errors_, self.n_classes_,
                            self.n_features_in_)

    def decision_function(self, X: Any) -> np.ndarray:
        r"""SAMME's class scores :math:`s_k(x)`; for two classes :math:`s_1 - s_0` (positive
        means ``classes_[1]``)."""
        X = self._validate_predict_input(X)
        scores = self._boosted().decision_scores(X)
        return scores[:, 1] - scores[:, 0] if self.n_classes_ == 2 else scores

    def _members_proba(self, X: Any) -> np.ndarray:
        return self._boosted().predict_proba(X)

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """The rows each kept round drew (sorted, repeated as often as drawn)."""
        check_is_fitted(self, "estimators_")
        # the rounds kept are always the first ones (a dropped round ends the boosting)
        return [np.repeat(np.arange(self._n_rows), self._counts_of(m)) for m in range(len(self.estimators_))]

    @property
    def feature_importances_(self) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        if not hasattr(self.estimators_[0], "feature_importances_"):
            raise AttributeError(f"{type(self.estimators_[0]).__name__} learners have no feature_importances_.")
        return self._boosted().feature_importances_
