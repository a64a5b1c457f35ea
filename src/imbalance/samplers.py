"""Samplers with scikit-learn / imbalanced-learn manners.

One base, :class:`BaseSampler`: its public ``fit_resample`` validates once, plans through the
planner and types the output; each sampler implements one private hook. They work as steps
of :class:`imbalance.pipeline.Pipeline` (and imbalanced-learn's), which calls ``fit_resample``
on training data only, so validation folds are never resampled. ``RandomUnderSampler`` and
``RandomOverSampler`` are the first two under imbalanced-learn's names and parameters;
:class:`FunctionSampler` makes any function a sampler step.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils import InputTags, Tags, TargetTags

# scikit-learn's parameter validation, as imbalanced-learn uses it; private in name only.
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_array, validate_data

from imbalance._docstrings import compose
from imbalance._labels import EncodedLabels, encode_labels, one_hot_to_labels
from imbalance._sampling_strategy import SAMPLING_STRATEGY_NAMES, from_sampling_strategy
from imbalance._validation import (
    LabelError,
    ParameterError,
    RandomStateLike,
    check_random_state,
    check_same_length,
    fmt_label,
    n_rows,
    numeric_matrix,
    to_python,
)
from imbalance.planner import Plan, Targets, plan_labels, realised_plan
from imbalance.resample import Draw, draw_rows, keep_rows_in_place, new_column, new_row_index, take_rows

__all__ = ["BaseSampler", "Resampled", "NewRows", "ValueRows", "UnderSampler", "OverSampler", "RandomUnderSampler",
           "RandomOverSampler", "FunctionSampler", "SamplerTags"]


# Tags in the shape imbalanced-learn's estimator checks read (``input_tags.dataframe``,
# ``sampler_tags.sample_indices``), without importing imbalanced-learn at run time.
@dataclass(slots=True)
class SamplerInputTags(InputTags):
    dataframe: bool = True


@dataclass(slots=True)
class SamplerTags:
    sample_indices: bool = True


@dataclass(slots=True)
class SamplerEstimatorTags(Tags):
    sampler_tags: SamplerTags = field(default_factory=SamplerTags)


class NewRows(Protocol):
    """Rows a sampler makes up (SMOTE's synthetic rows): appended after the input's rows.

    ``base`` holds, for every new row, the input position whose label it takes;
    ``append_to(X, rows)`` returns ``X``'s rows at ``rows`` followed by the new rows, in
    ``X``'s own type (a DataFrame keeps its columns, dtypes and index)."""

    base: np.ndarray

    def append_to(self, X: ArrayLike, rows: np.ndarray) -> Any: ...


@dataclass(frozen=True)
class ValueRows:
    """New rows given by their values (see :class:`NewRows`): centroids, smoothed-bootstrap
    copies. ``values`` fill X's columns in order (integer columns rounded, dtypes kept);
    each row is labelled as its ``base`` row."""

    values: np.ndarray
    base: np.ndarray

    def append_to(self, X: ArrayLike, rows: np.ndarray) -> Any:
        if isinstance(X, pd.DataFrame):
            # Every input row in order (MLSMOTE, ROSE keep them all): one copy, by the concatenation
            every_row = rows.size == n_rows(X) and np.array_equal(rows, np.arange(rows.size))
            new = {c: new_column(self.values[:, j], X[c].dtype) for j, c in enumerate(X.columns)}
            frame = pd.DataFrame(new, columns=X.columns, index=new_row_index(X.index, len(self.values)))
            return pd.concat([X if every_row else take_rows(X, rows), frame])
        arr = np.asarray(X)
        # Kept rows and new rows written straight into the result: no copy of the kept rows
        # on the way (ClusterCentroids' peak memory).
        out = np.empty((rows.size + len(self.values), *arr.shape[1:]), dtype=arr.dtype)
        np.take(arr, rows, axis=0, out=out[:rows.size], mode="wrap")  # valid positions: unbuffered
        out[rows.size:] = np.rint(self.values) if arr.dtype.kind in "iu" else self.values
        return out.tolist() if isinstance(X, list) else out


@dataclass(frozen=True)
class Resampled:
    """What a sampler's hook returns: the input rows of the result (a :class:`Draw`, which
    may repeat rows, or positions), and the rows it made up, if any."""

    rows: Draw | np.ndarray
    new: NewRows | None = None

    @property
    def indices(self) -> np.ndarray:
        return self.rows.indices if isinstance(self.rows, Draw) else np.asarray(self.rows)


_RANDOM_STATE = [None, Interval(Integral, 0, None, closed="left"), np.random.RandomState, np.random.Generator]


def check_parameters(estimator: BaseEstimator) -> None:
    """scikit-learn's check of ``estimator``'s ``_parameter_constraints``, raising our
    :class:`ParameterError` (a ``ValueError``) with scikit-learn's message."""
    try:
        estimator._validate_params()
    except InvalidParameterError as exc:
        raise ParameterError(str(exc)) from None


class BaseSampler(OneToOneFeatureMixin, BaseEstimator, metaclass=ABCMeta):
    """The base of every sampler here, as imbalanced-learn's ``BaseSampler`` is of theirs.

    The public ``fit`` and ``fit_resample`` do what every sampler needs and nothing else:
    check the parameters (``_parameter_constraints``, scikit-learn's machinery, our error
    types), read the labels and check the data (one label per row, aligned X), plan through
    :func:`imbalance.planner.plan_labels` (``_strategy`` when no ``targets`` are given, which
    may then only move classes in that direction), call the one hook ``_fit_resample``, and
    return the result in the input's types. A sampler implements only the hook.
    ``get_feature_names_out`` is scikit-learn's ``OneToOneFeatureMixin``: resampling keeps
    the columns.
    """

    #: Planner strategy when ``targets`` is None, and the only direction classes may move.
    _strategy: str
    #: False for samplers whose rule decides the counts (the cleaning methods): their plan_
    #: is the realised counts, known once the hook has run.
    _plans_ahead: bool = True
    _parameter_constraints: dict = {
        "ratio": [Interval(Real, 1, None, closed="left")],
        "targets": [Mapping, callable, None],
        "random_state": _RANDOM_STATE,
    }

    def __init__(
        self,
        *,
        ratio: float = 1.0,
        targets: Mapping[Any, int] | Callable[[dict], Mapping[Any, int]] | None = None,
        random_state: RandomStateLike = None,
    ) -> None:
        self.ratio = ratio
        self.targets = targets
        self.random_state = random_state

    @abstractmethod
    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        """The hook: which input rows (and which new rows) carry out :attr:`plan_`.

        ``owned``: ``X`` is an array the caller handed over and keeps no reference to (a
        chain's intermediate result, see :meth:`_fit_resample_handed_over`), so the peak
        memory already holds it: a sampler with a leaner way to the same rows takes it (ENN
        counts witnesses instead of listing neighbours). The rows must not depend on it."""

    def _check_params(self) -> None:
        check_parameters(self)

    def _fit(self, X: ArrayLike, y: ArrayLike) -> EncodedLabels:
        self._check_params()
        labels = encode_labels(one_hot_to_labels(y))
        check_same_length(labels.n_samples, X=X)
        validate_data(self, X, skip_check_array=True, reset=True)
        if self._plans_ahead:
            if self.targets is None:
                self._set_plan(plan_labels(labels, self._strategy, ratio=self.ratio))
            else:
                self._set_plan(plan_labels(labels, self.targets, direction=self._strategy))
        return labels

    def _set_plan(self, plan: Plan) -> None:
        self.plan_ = plan
        self.sampling_strategy_ = dict(plan.targets)

    def _run(self, X: ArrayLike, labels: EncodedLabels, *, owned: bool = False) -> Resampled:
        result = self._fit_resample(X, labels, check_random_state(getattr(self, "random_state", None)), owned=owned)
        n_classes = labels.classes.size
        kept = np.bincount(labels.codes[result.indices], minlength=n_classes)
        if result.new is not None:
            kept += np.bincount(labels.codes[result.new.base], minlength=n_classes)
        # A rule that decides the counts (cleaning), or one that could not reach the plan (NearMiss-3
        # runs out of candidates): plan_ is what the result holds.
        if not self._plans_ahead or not np.array_equal(kept, self.plan_.target_array):
            self._set_plan(realised_plan(labels, kept, strategy=type(self).__name__))
        return result

    def fit(self, X: ArrayLike, y: ArrayLike) -> "BaseSampler":
        """Check the data and compute :attr:`plan_` (for a cleaning method, by running its
        rule), without returning any row."""
        labels = self._fit(X, y)
        if not self._plans_ahead:
            self.sample_indices_ = self._run(X, labels).indices
        return self

    def fit_resample(self, X: ArrayLike, y: ArrayLike) -> tuple[Any, Any]:
        """Resample ``X`` and ``y`` to the plan.

        Parameters
        ----------
        X : ndarray, DataFrame, sparse matrix or list of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), or a one-hot (n_samples, n_classes) array

        Returns
        -------
        X_res, y_res : same types as X and y
            A DataFrame keeps its columns, dtypes and index; ``y`` keeps its dtype. Input
            rows come first; rows a sampler makes up (SMOTE) follow, each labelled as the
            input row it was built from.
        """
        labels = self._fit(X, y)
        return self._output(X, y, self._run(X, labels))

    def _output(self, X: ArrayLike, y: ArrayLike, result: Resampled) -> tuple[Any, Any]:
        """The resampled X and y of a result, with the provenance attributes."""
        if result.new is None:
            self._record_selection(result)
            return take_rows(X, result.rows), take_rows(y, result.rows)
        rows = result.indices
        self.origin_ = np.concatenate([rows, np.full(result.new.base.size, -1, dtype=np.int64)])
        self.is_synthetic_ = self.origin_ < 0
        X_res = result.new.append_to(X, rows)
        y_res = take_rows(y, np.concatenate([rows, result.new.base]))
        if isinstance(y_res, (pd.Series, pd.DataFrame)) and isinstance(X_res, pd.DataFrame):
            y_res.index = X_res.index  # the new rows' index labels, for both
        return X_res, y_res

    def _record_selection(self, result: Resampled) -> None:
        self.sample_indices_ = self.origin_ = result.indices
        self.is_synthetic_ = np.zeros(self.origin_.size, bool)

    def _fit_resample_handed_over(self, held: list, y: ArrayLike) -> tuple[Any, Any]:
        """:meth:`fit_resample` of an array the caller hands over in ``held`` (a one-item
        list, emptied here) and keeps no reference to: a chain's intermediate result. A
        selection of its rows in order is made from the array itself, shrunk in place (see
        :func:`~imbalance.resample.keep_rows_in_place`), not copied: SMOTE's output is most
        of SMOTEENN's memory, and a copy of what ENN keeps would come on top of it."""
        labels = self._fit(held[0], y)
        result = self._run(held[0], labels, owned=True)
        rows = result.rows
        if result.new is not None or not isinstance(rows, np.ndarray) or np.any(np.diff(rows) <= 0):
            return self._output(held.pop(), y, result)
        self._record_selection(result)
        return keep_rows_in_place(held, rows), take_rows(y, rows)

    #: Whether the sampler measures X (distances, noise): then X must be dense, numeric and finite.
    _measures_x: bool = False
    #: Whether the output is a selection of input rows (``sample_indices_``), no made-up rows.
    _selects_rows: bool = True

    def __sklearn_tags__(self) -> SamplerEstimatorTags:
        base = super().__sklearn_tags__()
        measures = self._measures_x
        return SamplerEstimatorTags(
            estimator_type="sampler",
            target_tags=TargetTags(required=True),
            input_tags=SamplerInputTags(
                two_d_array=True, sparse=not measures, string=not measures, allow_nan=not measures, dataframe=True
            ),
            sampler_tags=SamplerTags(sample_indices=self._selects_rows),
            non_deterministic=base.non_deterministic,
        )


_PARAMS_DOC = """
    Parameters
    ----------
    ratio : float, default=1.0
        Largest class count / smallest class count after resampling, >= 1.
    targets : dict or callable, default=None
        Explicit row counts after resampling, ``{class: count}`` (unlisted classes keep their
        count), or ``f(counts) -> {class: count}``. Overrides ``ratio``.
    random_state : int, numpy Generator or None, default=None
        Same seed, same rows.

    Attributes
    ----------
    plan_ : Plan
        Counts before and after, per class.
    sampling_strategy_ : dict
        Class -> row count after resampling (``plan_.targets``; named as in imbalanced-learn,
        but always meaning the count after).
    sample_indices_ : ndarray of shape (n_samples_res,)
        Positions in the input of the rows returned by the last ``fit_resample``.
    origin_ : ndarray of shape (n_samples_res,)
        The same, on every sampler: for each returned row, the input row it is (or copies), or
        -1 for a row the sampler made up (SMOTE's synthetic rows, centroids).
    is_synthetic_ : ndarray of bool, shape (n_samples_res,)
        ``origin_ == -1``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, only when X is a DataFrame with string column names
"""


class UnderSampler(BaseSampler):
    __doc__ = compose(
        """Randomly under-sample every class above ``ratio`` times the smallest one.

    Rows are drawn without replacement, so the result is a subset of the input: kept rows in
    their original order. Each class ends with exactly
    :math:`\\min(n_c, \\lfloor r \\cdot n_{min} \\rfloor)` rows.
{{params}}
    Examples
    --------
    >>> from imbalance import UnderSampler
    >>> X, y = [[0], [1], [2], [3], [4], [5]], [0, 0, 0, 0, 1, 1]
    >>> UnderSampler(random_state=0).fit_resample(X, y)[1]
    [0, 0, 1, 1]
""", params=_PARAMS_DOC)
    _strategy = "under"

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        return Resampled(draw_rows(labels, self.plan_, rng))


class OverSampler(BaseSampler):
    __doc__ = compose(
        """Randomly over-sample every class below ``largest / ratio`` rows.

    Every original row is kept (first, in order); extra rows are drawn with replacement. Each
    class ends with exactly :math:`\\max(n_c, \\lceil n_{max} / r \\rceil)` rows.

    With ``shrinkage`` the extra rows are a smoothed bootstrap (ROSE; Menardi and Torelli,
    2014): each copy of a row :math:`x` of class :math:`c` becomes
    :math:`x + s\\,h_c \\odot z`, :math:`z \\sim N(0, I)`, with Silverman's bandwidth per
    feature :math:`h_{c,j} = (4 / ((d + 2)\\,n_c))^{1/(d + 4)}\\,\\sigma_{c,j}` (the class's
    sample standard deviation, :math:`d` features, :math:`n_c` rows of the class, as the
    paper has it; imbalanced-learn puts every row of X for :math:`n_c`) and :math:`s` the
    shrinkage factor. The copies are then new rows (``is_synthetic_``, ``parents_``: the row
    each was drawn from), and X must be numeric.
{{params}}    shrinkage : float >= 0, dict {class: float} or None, default=None
        The factor :math:`s` (one for every class, or per class; classes left out get 0).
    is_synthetic_, parents_ : ndarray
        With ``shrinkage``: which output rows are smoothed copies, and the input row of each.

    Examples
    --------
    >>> from imbalance import OverSampler
    >>> X, y = [[0], [1], [2], [3], [4]], [0, 0, 0, 0, 1]
    >>> OverSampler(random_state=0).fit_resample(X, y)[1]
    [0, 0, 0, 0, 1, 1, 1, 1]
""", params=_PARAMS_DOC)
    _strategy = "over"
    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "shrinkage": [Interval(Real, 0, None, closed="left"), Mapping, None],
    }

    def __init__(self, *, ratio: float = 1.0, targets: Targets | None = None, random_state: RandomStateLike = None,
                 shrinkage: float | Mapping[Any, float] | None = None) -> None:
        super().__init__(ratio=ratio, targets=targets, random_state=random_state)
        self.shrinkage = shrinkage

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        draw = draw_rows(labels, self.plan_, rng)
        if self.shrinkage is None:
            return Resampled(draw)
        values = numeric_matrix(X, "OverSampler(shrinkage=...)")
        factors = self._factors(labels)
        extra = draw.extra
        n, d = values.shape
        noise = np.zeros((extra.size, d))
        codes = labels.codes[extra]
        for code in np.unique(codes):
            rows = labels.codes == code
            n_c = int(rows.sum())
            sigma = values[rows].std(axis=0, ddof=1) if n_c > 1 else np.zeros(d)
            bandwidth = (4 / ((d + 2) * n_c)) ** (1 / (d + 4)) * sigma
            mine = codes == code
            noise[mine] = factors[code] * bandwidth * rng.standard_normal((int(mine.sum()), d))
        self.parents_ = extra
        return Resampled(np.arange(n), ValueRows(values[extra] + noise, extra))

    def _factors(self, labels: EncodedLabels) -> np.ndarray:
        """The shrinkage factor of every class code."""
        if not isinstance(self.shrinkage, Mapping):
            return np.full(labels.classes.size, float(self.shrinkage))
        known = {to_python(c): i for i, c in enumerate(labels.classes)}
        factors = np.zeros(labels.classes.size)
        for c, s in self.shrinkage.items():
            if to_python(c) not in known:
                raise ParameterError(f"shrinkage names class {fmt_label(c)}, which is not a class of y.")
            if not (isinstance(s, Real) and s >= 0):
                raise ParameterError(f"shrinkage for class {fmt_label(c)} must be a number >= 0, got {s!r}.")
            factors[known[to_python(c)]] = float(s)
        return factors

    @property
    def _measures_x(self) -> bool:  # the smoothed bootstrap adds noise to numbers
        return self.shrinkage is not None

    @property
    def _selects_rows(self) -> bool:
        return self.shrinkage is None


_SAMPLING_STRATEGY = [Interval(Real, 0, 1, closed="right"), StrOptions(set(SAMPLING_STRATEGY_NAMES)), Mapping, callable]
_SAMPLING_STRATEGY_DOC = """sampling_strategy : float, str, dict or callable, default="auto"
        imbalanced-learn's: a float minority/majority ratio after resampling (two classes),
        which classes to resample (``"auto"``, ``"majority"``, ``"not minority"``, ...), a
        dict of counts after, or a function of ``y`` giving one; read by
        :func:`imbalance.planner.from_sampling_strategy`."""


class _SamplingStrategy:
    """imbalanced-learn's ``sampling_strategy`` in place of ``ratio`` and ``targets``: the
    base class plans by the targets it translates to (:func:`from_sampling_strategy`)."""

    ratio = 1.0
    sampling_strategy: Any
    _strategy: str

    @property
    def targets(self) -> Targets:
        return from_sampling_strategy(self.sampling_strategy, direction=self._strategy)


class RandomUnderSampler(_SamplingStrategy, UnderSampler):
    __doc__ = compose(
        """:class:`UnderSampler` under imbalanced-learn's name and parameters.

    For code written for ``imblearn.under_sampling.RandomUnderSampler``: the same parameters,
    the same counts. The rows drawn are this library's (same seed, same rows here; not
    imbalanced-learn's draw).

    Parameters
    ----------
    {{sampling_strategy}}
    random_state : int, numpy Generator or None, default=None
    replacement : bool, default=False
        Draw each class's kept rows with replacement (a row may come more than once).

    Attributes
    ----------
    plan_, sampling_strategy_, sample_indices_, origin_, is_synthetic_
        As :class:`UnderSampler`'s.

    Examples
    --------
    >>> from imbalance import RandomUnderSampler
    >>> X, y = [[0], [1], [2], [3], [4], [5]], [0, 0, 0, 0, 1, 1]
    >>> RandomUnderSampler(sampling_strategy=0.5, random_state=0).fit(X, y).plan_.targets
    {0: 4, 1: 2}
""", sampling_strategy=_SAMPLING_STRATEGY_DOC)
    _parameter_constraints: dict = {
        "sampling_strategy": _SAMPLING_STRATEGY, "random_state": _RANDOM_STATE, "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy: Any = "auto", random_state: RandomStateLike = None,
                 replacement: bool = False) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        if not self.replacement:
            return super()._fit_resample(X, labels, rng, owned=owned)
        rows = [rng.choice(np.flatnonzero(labels.codes == code), size=int(target), replace=True)
                for code, target in enumerate(self.plan_.target_array)]
        return Resampled(np.sort(np.concatenate(rows)))


class RandomOverSampler(_SamplingStrategy, OverSampler):
    __doc__ = compose(
        """:class:`OverSampler` under imbalanced-learn's name and parameters.

    For code written for ``imblearn.over_sampling.RandomOverSampler``: the same parameters,
    the same counts, the same smoothed bootstrap with ``shrinkage``. The rows drawn are this
    library's (same seed, same rows here; not imbalanced-learn's draw).

    Parameters
    ----------
    {{sampling_strategy}}
    random_state : int, numpy Generator or None, default=None
    shrinkage : float >= 0, dict {class: float} or None, default=None
        As :class:`OverSampler`'s.

    Attributes
    ----------
    plan_, sampling_strategy_, sample_indices_, origin_, is_synthetic_, parents_
        As :class:`OverSampler`'s.

    Examples
    --------
    >>> from imbalance import RandomOverSampler
    >>> X, y = [[0], [1], [2], [3], [4], [5]], [0, 0, 0, 0, 1, 1]
    >>> RandomOverSampler(sampling_strategy=0.75, random_state=0).fit(X, y).plan_.targets
    {0: 4, 1: 3}
""", sampling_strategy=_SAMPLING_STRATEGY_DOC)
    _parameter_constraints: dict = {
        "sampling_strategy": _SAMPLING_STRATEGY, "random_state": _RANDOM_STATE,
        "shrinkage": OverSampler._parameter_constraints["shrinkage"],
    }

    def __init__(self, *, sampling_strategy: Any = "auto", random_state: RandomStateLike = None,
                 shrinkage: float | Mapping[Any, float] | None = None) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage


class FunctionSampler(BaseEstimator):
    """Any function ``func(X, y, **kw_args) -> (X_res, y_res)`` as a sampler step.

    For a resampling rule of your own in a :class:`imbalance.pipeline.Pipeline`: an outlier
    filter, a sampler of another library, a rule that needs data the pipeline does not
    carry. Without ``func`` it returns X and y unchanged. The function receives X and y as
    they were given (a DataFrame stays a DataFrame) and must not change them in place.

    Parameters
    ----------
    func : callable, default=None
        ``func(X, y, **kw_args)`` returning ``(X_res, y_res)``, or ``(X_res, y_res, rows)``
        where ``rows[i]`` is the input position of output row ``i`` (then
        :attr:`sample_indices_` says so, and a pipeline's metadata such as ``sample_weight``
        follows the rows). ``None``: the identity.
    accept_sparse : bool, default=True
        Whether a sparse X is accepted (checked only when ``validate``).
    kw_args : dict, default=None
        Keyword arguments for ``func``.
    validate : bool, default=True
        Check that X is a matrix (finite or not) and y holds class labels, aligned with X.
        ``False`` lets anything through (a numeric target, say).

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_res,)
        The input position of every returned row, when known: ``func`` is ``None`` or
        returned ``rows``.
    n_features_in_ : int
        Only when ``validate``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import FunctionSampler
    >>> def keep_first(X, y, n):
    ...     return X[:n], y[:n], np.arange(n)
    >>> sampler = FunctionSampler(func=keep_first, kw_args={"n": 2})
    >>> sampler.fit_resample(np.eye(3), np.array([0, 1, 1]))[1], sampler.sample_indices_
    (array([0, 1]), array([0, 1]))
    """

    _parameter_constraints: dict = {
        "func": [callable, None], "accept_sparse": ["boolean"], "kw_args": [dict, None], "validate": ["boolean"],
    }

    def __init__(self, *, func: Callable | None = None, accept_sparse: bool = True, kw_args: dict | None = None,
                 validate: bool = True) -> None:
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    def _check(self, X: ArrayLike, y: ArrayLike) -> None:
        check_parameters(self)
        if not self.validate:
            return
        check_array(X, accept_sparse=self.accept_sparse, dtype=None, ensure_all_finite=False)
        kind = type_of_target(y)
        one_hot = kind == "multilabel-indicator" and bool((np.asarray(y).sum(axis=1) == 1).all())
        if kind == "multilabel-indicator" and not one_hot:
            raise LabelError("FunctionSampler checks that y holds one class per row, and y is a label matrix: pass "
                             "validate=False to resample it (or see imbalance.multilabel's samplers).")
        if kind not in ("binary", "multiclass", "multilabel-indicator"):
            raise LabelError(f"FunctionSampler checks that y holds class labels, and y is {kind}: pass "
                             "validate=False to resample another kind of target.")
        check_same_length(n_rows(y), X=X)
        validate_data(self, X, skip_check_array=True, reset=True)

    def fit(self, X: ArrayLike, y: ArrayLike) -> FunctionSampler:
        """Check X and y (when ``validate``); ``func`` runs only in :meth:`fit_resample`."""
        self._check(X, y)
        return self

    def fit_resample(self, X: ArrayLike, y: ArrayLike) -> tuple[Any, Any]:
        """``func(X, y, **kw_args)``, after the checks.

        Returns
        -------
        X_res, y_res : what ``func`` returned (its ``rows``, if any, go to :attr:`sample_indices_`)
        """
        self._check(X, y)
        if self.func is None:
            self.sample_indices_ = np.arange(n_rows(X))
            return X, y
        result = self.func(X, y, **(self.kw_args or {}))
        if not isinstance(result, tuple) or len(result) not in (2, 3):
            raise ParameterError(f"FunctionSampler's func must return (X_res, y_res) or (X_res, y_res, rows); it "
                                 f"returned {type(result).__name__}.")
        if len(result) == 3:
            self.sample_indices_ = np.asarray(result[2], dtype=np.int64)
            check_same_length(self.sample_indices_.size, X_res=result[0])
        elif hasattr(self, "sample_indices_"):
            del self.sample_indices_  # from an earlier call: no longer true
        return result[0], result[1]

    def __sklearn_tags__(self) -> SamplerEstimatorTags:
        base = super().__sklearn_tags__()
        return SamplerEstimatorTags(
            estimator_type="sampler",
            target_tags=TargetTags(required=True),
            input_tags=SamplerInputTags(two_d_array=True, sparse=self.accept_sparse, string=True, allow_nan=True,
                                        dataframe=True),
            sampler_tags=SamplerTags(sample_indices=False),
            non_deterministic=base.non_deterministic,
        )
