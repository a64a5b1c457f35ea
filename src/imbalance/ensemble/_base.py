"""What every balanced ensemble shares: members drawn to the plan as row counts, fitted in
threads, their probabilities averaged and, with ``prior="true"``, mapped to the data's prior."""


from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import accuracy_score
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
)
from imbalance._trees import available as trees_compiled
from imbalance._validation import (
    InputError,
    ParameterError,
    check_int,
    check_random_state,
    fmt_label,
    warn_compiled_part_missing,
)
from imbalance.metrics import correct_prior
from imbalance.planner import Plan, plan_labels
from imbalance.resample import draw_rows

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


def _aligned_proba(member: Any, X: ArrayLike, n_classes: int, tree_input: bool) -> np.ndarray:
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


def member_rows(counts: np.ndarray, sample_weight: np.ndarray | None,
                 weighted: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The rows a member trains on and their weights: each drawn row once, weighted by its
    count (times its sample weight), for a learner that takes weights (``weighted``); rows
    repeated as often as drawn, no weights, otherwise."""
    if not weighted:
        return np.repeat(np.arange(counts.size), counts), None
    weight = counts.astype(np.float64) if sample_weight is None else counts * sample_weight
    rows = np.flatnonzero(weight)
    return rows, weight[rows]


def fit_member(member: Any, rows: np.ndarray, weight: np.ndarray | None, X: ArrayLike, codes: np.ndarray,
                tree_input: bool) -> Any:
    """Fit one member on ``X[rows]`` (with ``weight``, when given)."""
    if weight is None:
        return member.fit(X[rows], codes[rows])
    if tree_input:
        # A column-major copy of the drawn rows: the splitter reads one feature at a time.
        return member.fit(np.asfortranarray(X[rows]), codes[rows], sample_weight=weight, check_input=False)
    return member.fit(X[rows], codes[rows], sample_weight=weight)


def grow_hist_tree(binned: np.ndarray, bins: Any, codes: np.ndarray, X: np.ndarray, rows: np.ndarray,
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


def boost_hist_trees(binned: np.ndarray, bins: Any, codes: np.ndarray, X: np.ndarray, rows: np.ndarray,
                      weight: np.ndarray, seed: int, *, n_classes: int) -> BoostedTrees:
    """EasyEnsemble's default member on binned features: SAMME over 50 stumps."""
    return boost_trees(binned, bins, codes, X, rows, weight, n_classes=n_classes, n_rounds=50, seed=seed)


_DENSE_LIMIT = 2**29  # bytes: a sparse X whose float32 copy is at most this is made dense for hist trees


def binnable(X: ArrayLike) -> bool:
    """Numeric and finite, and dense or small enough to make dense: what hist trees take."""
    if sp.issparse(X):
        return (X.shape[0] * X.shape[1] * 4 <= _DENSE_LIMIT and X.dtype.kind in "biuf"
                and bool(np.isfinite(X.data).all()))
    values = np.asarray(X)
    return values.dtype.kind in "biuf" and bool(np.isfinite(values).all())


def _dense32(X: ArrayLike) -> np.ndarray:
    """X as the float32 C-ordered array hist trees are binned from and predict on."""
    return np.ascontiguousarray(X.toarray() if sp.issparse(X) else X, dtype=np.float32)


HIST_INPUT = ("tree_method='hist' needs numeric, finite X (a sparse X is made dense, up to 512 MiB as float32); "
               "use tree_method='exact'.")


def check_tree_method(tree_method: Any, max_bins: Any) -> None:
    if tree_method not in ("auto", "hist", "exact"):
        raise ParameterError(f"tree_method must be 'auto', 'hist' or 'exact', got {tree_method!r}.")
    if tree_method == "hist" and not trees_compiled():
        raise ParameterError("tree_method='hist' needs the compiled tree builder, which this install lacks "
                             "(no C compiler at install time); use tree_method='exact'.")
    check_int("max_bins", max_bins, low=2)
    if max_bins > MAX_BINS:
        raise ParameterError(f"max_bins must be at most {MAX_BINS}, got {max_bins}.")


class PlannedEnsemble(ClassifierMixin, BaseEstimator):
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
    def _validate_fit_input(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None) -> tuple[Any, EncodedLabels, Any]:
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

    def _prepare_fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None) -> tuple[Any, np.ndarray, Any]:
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
    def _sklearn_tree_input(self, X: ArrayLike) -> bool:
        """Whether members are scikit-learn trees that take this float32 X without checks."""
        return self._tree_members and not sp.issparse(X) and getattr(self, "tree_method_", "exact") == "exact"

    def _validate_predict_input(self, X: ArrayLike) -> Any:
        check_is_fitted(self, "estimators_")
        if self._tree_members:
            return validate_data(self, X, dtype=_TREE_DTYPE, accept_sparse="csr", order="C", reset=False)
        return validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False,
                             reset=False)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities: the members' average, under the prior ``prior`` asks for.

        Returns
        -------
        ndarray of shape (n_samples, n_classes), in the order of ``classes_``
        """
        X = self._validate_predict_input(X)
        return self._with_prior(self._members_proba(X))

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X: ArrayLike) -> np.ndarray:
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


class BaggedEnsemble(PlannedEnsemble):
    """Members fitted independently (in threads), each on its own draw of the plan; out-of-bag
    rows of a member are those it drew 0 times."""

    def _fit_members(self, X: ArrayLike, codes: np.ndarray, sample_weight: np.ndarray | None, first: int) -> None:
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
        jobs = (delayed(fit_member)(member, *member_rows(counts, sample_weight, weighted), X, codes, tree_input)
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
                rows, weight = member_rows(self._draw_counts(rng), sample_weight, weighted=True)
                yield delayed(learner)(binned, bins, codes32, X, rows, weight, seed)

        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads", verbose=self.verbose)(member_jobs())
        self.estimators_ = list(getattr(self, "estimators_", [])[:first]) + list(fitted)

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> "BaggedEnsemble":
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

    def _members_proba(self, X: ArrayLike) -> np.ndarray:
        if getattr(self, "tree_method_", "exact") == "hist":
            assert_all_finite(X, input_name="X")  # hist members learnt on finite values only
            X = _dense32(X)  # the values they were binned from
        tree_input = self._sklearn_tree_input(X)
        parts = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_aligned_proba)(member, X, self.n_classes_, tree_input) for member in self.estimators_
        )
        return np.sum(parts, axis=0) / len(parts)

    def _set_oob(self, X: ArrayLike, codes: np.ndarray) -> None:
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


PRIOR_DOC = """prior : {"train", "true"} or array-like of shape (n_classes,), default="train"
        Which class prior ``predict_proba`` (and ``predict``) is for. ``"train"``: the one the
        members trained under (the plan's; balanced by default), probabilities as they come.
        ``"true"``: mapped back to the class shares of the data fitted (Saerens et al. 2002),
        so they read as probabilities again. An array: mapped to these class shares (a
        deployment prior), in the order of ``classes_``."""


def hist_trees_available() -> bool:
    """Whether the compiled histogram-tree builder is there; where ``tree_method="auto"`` asks and
    it is not, says once that the trees grown instead differ."""
    if trees_compiled():
        return True
    warn_compiled_part_missing(
        "tree builder", "tree_method='auto' grows scikit-learn's exact trees instead of histogram trees: slower, "
        "and other trees (other probabilities) for the same seed.")
    return False
