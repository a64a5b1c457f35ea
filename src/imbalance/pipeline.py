"""A scikit-learn ``Pipeline`` whose sampler steps resample the training rows, and only them.

:class:`Pipeline` is scikit-learn's, with one more kind of step: a *sampler*, anything with a
``fit_resample`` (every sampler here, imbalanced-learn's, a :class:`FunctionSampler`). While
the pipeline is fitted, a sampler step takes the rows that reach it and hands on the rows it
returns; in ``predict``, ``transform``, ``score`` and every other method that is not fitting,
it is skipped, so validation and test rows are never resampled. That is imbalanced-learn's
``Pipeline``; what it adds:

- **Metadata follows the rows.** A row-aligned parameter given to ``fit`` (``sample_weight``,
  or any metadata scikit-learn's routing sends) reaches every step after a sampler taken
  through the sampler's provenance, so each weight stays with its row: a kept or repeated row
  carries its own, a made-up row (SMOTE) its base row's. imbalanced-learn's pipeline hands the
  step the unresampled array and the step refuses it.
- scikit-learn's metadata routing, ``memory=`` caching (sampler steps are cached too),
  ``transform_input``, ``set_output``, ``get_feature_names_out``, ``verbose`` and the HTML
  repr all work as they do in scikit-learn's ``Pipeline``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn import pipeline as sk_pipeline
from sklearn.base import _fit_context, clone
from sklearn.utils import Bunch
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _num_samples, check_is_fitted, check_memory

from imbalance._validation import InputError, InputTypeError, ParameterError
from imbalance.resample import take_rows

__all__ = ["Pipeline", "make_pipeline", "source_rows"]


def _is_sampler(step: Any) -> bool:
    return not isinstance(step, str) and step is not None and hasattr(step, "fit_resample")


def _final_has(method: str):
    """For ``available_if``: the final step has ``method`` (scikit-learn's rule, own copy: the
    final step is looked up when asked, so that a pipeline built empty still answers)."""
    def check(pipeline: Pipeline) -> bool:
        getattr(pipeline._final_estimator, method)  # AttributeError says which step lacks it
        return True
    return check


def source_rows(sampler: Any, n_in: int, n_out: int) -> np.ndarray:
    """For every row a fitted sampler returned, the input row its metadata comes from.

    A kept or repeated row is its own input row; a made-up row (SMOTE's, a centroid) takes
    its base row's, the row whose label it has (the first of its ``parents_``). Read from the
    sampler's provenance: ``origin_`` and ``parents_`` (every sampler here), else
    ``sample_indices_`` (imbalanced-learn's samplers); a sampler that returns its input's
    rows unchanged in number is taken as keeping them in order.

    Raises
    ------
    InputError
        When the sampler changed the number of rows and says nothing of where they came from.
    """
    origin = getattr(sampler, "origin_", None)
    if origin is not None and len(origin) == n_out:
        rows = np.array(origin, dtype=np.int64)
        made_up = rows < 0
        if made_up.any():
            parents = np.asarray(getattr(sampler, "parents_", ()), dtype=np.int64)
            if parents.shape[0] != int(made_up.sum()):
                raise InputError(f"{type(sampler).__name__} made up {int(made_up.sum())} rows but its parents_ names "
                                 f"{parents.shape[0]}; metadata cannot follow its rows.")
            rows[made_up] = parents[:, 0] if parents.ndim == 2 else parents
        return rows
    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None and len(indices) == n_out:
        return np.asarray(indices, dtype=np.int64)
    if n_out == n_in:
        return np.arange(n_in)
    raise InputError(
        f"{type(sampler).__name__} turned {n_in} rows into {n_out} and does not say which input row each came from "
        "(no sample_indices_ or origin_), so the metadata given to fit (sample_weight, ...) cannot follow the rows: "
        "give the sampler a sample_indices_ attribute (a FunctionSampler's func may return (X, y, rows)), or pass "
        "the metadata only to steps before it."
    )


def _follow_rows(step_params: Bunch, rows: np.ndarray, n_in: int, untouched: frozenset) -> Bunch:
    """``step_params`` (method -> parameter -> value) with every row-aligned value (an array
    of ``n_in`` rows, as scikit-learn's cross-validation decides which metadata to split)
    taken at ``rows``; values named in ``untouched`` (``transform_input``: other data) stay."""
    followed = Bunch()
    for method, params in step_params.items():
        followed[method] = Bunch(**{
            key: value if key in untouched or not _row_aligned(value, n_in) else take_rows(value, rows)
            for key, value in params.items()
        })
    return followed


def _row_aligned(value: Any, n_rows: int) -> bool:
    if value is None or isinstance(value, (str, bytes, dict)) or np.isscalar(value):
        return False
    try:
        return _num_samples(value) == n_rows
    except TypeError:
        return False


# Module-level, so that joblib's Memory can cache them: the fitted step comes back with its
# output, loaded from the cache when the same step has seen the same data.
def _fit_transform_one(transformer: Any, X: Any, y: Any, params: Bunch) -> tuple[Any, Any]:
    if hasattr(transformer, "fit_transform"):
        return transformer.fit_transform(X, y, **params.get("fit_transform", {})), transformer
    fitted = transformer.fit(X, y, **params.get("fit", {}))
    return fitted.transform(X, **params.get("transform", {})), fitted


def _fit_resample_one(sampler: Any, X: Any, y: Any, params: Bunch) -> tuple[Any, Any, Any]:
    X_res, y_res = sampler.fit_resample(X, y, **params.get("fit", {}))
    return X_res, y_res, sampler


@contextmanager
def _timed(message: str | None) -> Iterator[None]:
    """scikit-learn's ``verbose`` line for a step: ``[Pipeline] ..... message, total=  0.1s``."""
    start = time.perf_counter()
    yield
    if message is not None:
        elapsed = time.perf_counter() - start
        total = f"{elapsed / 60:4.1f}min" if elapsed > 60 else f" {elapsed:5.1f}s"
        head, tail = "[Pipeline] ", f" {message}, total={total}"
        print(head + "." * (70 - len(head) - len(tail)) + tail)


class Pipeline(sk_pipeline.Pipeline):
    r"""scikit-learn's ``Pipeline``, with steps that resample the training rows.

    Every step but the last is a transformer (``fit`` and ``transform``), a sampler
    (``fit_resample``; not both) or ``"passthrough"``/``None``; the last is any estimator,
    a sampler, or ``"passthrough"``. Fitting runs the steps in order: a transformer is
    fitted and transforms the rows that reach it, a sampler replaces them (and ``y``) by the
    rows it returns. Every other method skips the samplers, so ``predict``, ``score`` and
    cross-validation's validation folds see every row as it is.

    Metadata passed to ``fit`` (``clf__sample_weight=w``, or with scikit-learn's metadata
    routing, ``sample_weight=w``) reaches a step after a sampler *with the rows*: if the
    sampler returned input rows :math:`r_1, \dots, r_m` (a made-up row counts as its base
    row), the step receives :math:`w_{r_1}, \dots, w_{r_m}`. A value is row-aligned when it
    has as many rows as the data reaching the sampler, the rule scikit-learn's
    cross-validation uses to split metadata.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        The steps in order, by name.
    transform_input : list of str, default=None
        Metadata that the steps before a step transform before it receives them (validation
        data for early stopping), as in scikit-learn; needs metadata routing. Samplers leave
        them as they are.
    memory : str, joblib.Memory or None, default=None
        Caches fitted transformers *and* samplers (with their output) across fits, as
        scikit-learn caches transformers; steps are cloned first when it is set.
    verbose : bool, default=False
        Print each step's time as it is fitted.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name.
    classes_ : ndarray
        The final classifier's classes.
    n_features_in_, feature_names_in_
        The first step's.

    See Also
    --------
    make_pipeline : names the steps itself.
    imbalance.samplers.FunctionSampler : any function as a sampler step.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from imbalance import SMOTE
    >>> from imbalance.pipeline import make_pipeline
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> model = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    >>> model.fit(X, y).predict(X[:5]).shape  # predict never resamples
    (5,)
    >>> [int(n) for n in model.named_steps["smote"].plan_.target_array]
    [269, 269]
    """

    # -- which steps do what --------------------------------------------------------------------

    def _iter(self, with_final: bool = True, filter_passthrough: bool = True, filter_resample: bool = True):
        """scikit-learn's step iterator, leaving samplers out unless asked: every inherited
        method that is not fitting (predict, transform, score, inverse_transform, set_output,
        get_feature_names_out) then skips them."""
        for idx, name, step in super()._iter(with_final=with_final, filter_passthrough=filter_passthrough):
            if not (filter_resample and _is_sampler(step)):
                yield idx, name, step

    def _validate_steps(self) -> None:
        if not self.steps:
            raise ParameterError("The pipeline is empty: give it steps, e.g. Pipeline([('model', LogisticRegression())]).")
        names, estimators = zip(*self.steps)
        self._validate_names(names)
        self._check_estimators_are_instances(estimators)
        for name, step in self.steps[:-1]:
            if step is None or step == "passthrough":
                continue
            transforms = hasattr(step, "transform") and (hasattr(step, "fit") or hasattr(step, "fit_transform"))
            resamples = hasattr(step, "fit_resample")
            if transforms and resamples:
                raise InputTypeError(
                    f"Step {name!r} ({type(step).__name__}) implements both transform and fit_resample; an intermediate "
                    "step either transforms every row or resamples the training rows: wrap it so it does one.")
            if transforms and isinstance(step, sk_pipeline.Pipeline) and not resamples:
                inner = [n for n, t in step.steps if _is_sampler(t)]
                if inner:
                    raise InputTypeError(
                        f"Step {name!r} is a Pipeline with a sampler ({inner[0]!r}) inside: as a transformer it would "
                        "resample X and not y. Put its steps in this pipeline instead of nesting it.")
            if not (transforms or resamples):
                raise InputTypeError(
                    f"All intermediate steps should implement fit and transform or fit_resample (not both), or be "
                    f"'passthrough'; step {name!r} ({type(step).__name__}) does neither.")
        last = estimators[-1]
        if last is not None and last != "passthrough" and not hasattr(last, "fit"):
            raise InputTypeError(f"Last step of Pipeline should implement fit or be the string 'passthrough'; "
                                 f"step {names[-1]!r} ({type(last).__name__}) doesn't.")

    # -- fitting ----------------------------------------------------------------------------------

    def _route(self, method: str, params: dict) -> Bunch:
        if not _routing_enabled() and self.transform_input is not None:
            raise ParameterError(
                "The `transform_input` parameter can only be set if metadata routing is enabled: call "
                "sklearn.set_config(enable_metadata_routing=True) first.")
        return self._check_method_params(method=method, props=params)

    def _fit_steps(self, X: Any, y: Any, routed: Bunch, raw_params: dict) -> tuple[Any, Any, Bunch]:
        """Fit every step but the last; return what reaches the last step: X, y and its
        parameters, all with the rows the samplers left."""
        self.steps = list(self.steps)  # scikit-learn's shallow copy: fitted steps replace these
        self._validate_steps()
        memory = check_memory(self.memory)
        fit_transform, fit_resample = memory.cache(_fit_transform_one), memory.cache(_fit_resample_one)
        cloning = getattr(memory, "location", None) is not None
        params = {name: routed.get(name, Bunch()) if step is not None else Bunch() for name, step in self.steps}
        untouched = frozenset(self.transform_input or ())
        for idx, name, step in self._iter(with_final=False, filter_passthrough=False, filter_resample=False):
            with _timed(self._log_message(idx)):
                if step is None or step == "passthrough":
                    continue
                step_params = self._get_metadata_for_step(step_idx=idx, step_params=params[name], all_params=raw_params)
                step = clone(step) if cloning else step
                if _is_sampler(step):
                    n_in = _num_samples(X)
                    X, y, fitted = fit_resample(step, X, y, step_params)
                    later = [n for n, _ in self.steps[idx + 1:] if any(params[n].get(m) for m in params[n])]
                    if later:
                        rows = source_rows(fitted, n_in, _num_samples(X))
                        for n in later:
                            params[n] = _follow_rows(params[n], rows, n_in, untouched)
                else:
                    X, fitted = fit_transform(step, X, y, step_params)
                self.steps[idx] = (name, fitted)
        last = len(self.steps) - 1
        last_params = self._get_metadata_for_step(step_idx=last, step_params=params[self.steps[last][0]],
                                                  all_params=raw_params)
        return X, y, last_params

    @_fit_context(prefer_skip_nested_validation=False)  # the steps validate their own parameters
    def fit(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> Pipeline:
        """Fit every step in order, resampling where a sampler stands; then the final step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        **params : dict of str -> object
            Without metadata routing, ``step__param=value`` for a step's ``fit`` (or a
            sampler's ``fit_resample``); with it, the metadata the steps requested.
            Row-aligned values follow the resampled rows to the steps after a sampler.

        Returns
        -------
        self : Pipeline
        """
        routed = self._route("fit", params)
        Xt, yt, last = self._fit_steps(X, y, routed, params)
        with _timed(self._log_message(len(self.steps) - 1)):
            if self._final_estimator != "passthrough":
                self._final_estimator.fit(Xt, yt, **last.get("fit", {}))
        return self

    def _can_transform(self) -> bool:
        # A final sampler is skipped outside fitting like any other, so ``pipeline[:i]`` of a
        # pipeline with samplers transforms (``transform_input`` relies on it).
        final = self._final_estimator
        return final == "passthrough" or hasattr(final, "transform") or _is_sampler(final)

    @available_if(_can_transform)
    def transform(self, X: ArrayLike, **params: Any) -> Any:
        """Transform X by every transformer in turn, samplers skipped: one output row per row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict of str -> object
            With metadata routing, the metadata the steps' ``transform`` requested.

        Returns
        -------
        Xt : the last transformer's output
        """
        check_is_fitted(self)
        _raise_for_params(params, self, "transform")
        routed = process_routing(self, "transform", **params)
        for _, name, step in self._iter():
            X = step.transform(X, **routed[name].transform)
        return X

    def _can_fit_transform(self) -> bool:
        final = self._final_estimator
        return final == "passthrough" or hasattr(final, "transform") or hasattr(final, "fit_transform")

    @available_if(_can_fit_transform)
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_transform(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> Any:
        """Fit the steps as :meth:`fit` does and return the final step's transform of the
        rows that reach it (after resampling: not one row per input row)."""
        routed = self._route("fit_transform", params)
        Xt, yt, last = self._fit_steps(X, y, routed, params)
        final = self._final_estimator
        with _timed(self._log_message(len(self.steps) - 1)):
            if final == "passthrough":
                return Xt
            if hasattr(final, "fit_transform"):
                return final.fit_transform(Xt, yt, **last.get("fit_transform", {}))
            return final.fit(Xt, yt, **last.get("fit", {})).transform(Xt, **last.get("transform", {}))

    @available_if(_final_has("fit_predict"))
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_predict(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> Any:
        """Fit the steps as :meth:`fit` does and return the final step's ``fit_predict`` of
        the rows that reach it (after resampling: not one prediction per input row)."""
        routed = self._route("fit_predict", params)
        Xt, yt, last = self._fit_steps(X, y, routed, params)
        with _timed(self._log_message(len(self.steps) - 1)):
            return self._final_estimator.fit_predict(Xt, yt, **last.get("fit_predict", {}))

    def _can_fit_resample(self) -> bool:
        final = self._final_estimator
        return final == "passthrough" or hasattr(final, "fit_resample")

    @available_if(_can_fit_resample)
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> tuple[Any, Any]:
        """Fit the steps as :meth:`fit` does and return the final sampler's output (or what
        reaches a final ``"passthrough"``): a pipeline ending in a sampler is a sampler
        (``pipeline[:-1]`` of a model pipeline)."""
        routed = self._route("fit", params)  # scikit-learn's routing knows no fit_resample: it is fitting
        Xt, yt, last = self._fit_steps(X, y, routed, params)
        with _timed(self._log_message(len(self.steps) - 1)):
            if self._final_estimator == "passthrough":
                return Xt, yt
            return self._final_estimator.fit_resample(Xt, yt, **last.get("fit", {}))

    # -- metadata routing ------------------------------------------------------------------------

    def get_metadata_routing(self) -> MetadataRouter:
        """scikit-learn's routing of a ``Pipeline``, where a sampler step receives, in its
        ``fit_resample``, the metadata its ``fit`` requests (``set_fit_request``) while the
        pipeline is fitted, and nothing otherwise.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=self)
        fitting = ("fit", "fit_transform", "fit_predict")
        for _, name, step in self._iter(with_final=False, filter_resample=False):
            mapping = MethodMapping()
            if _is_sampler(step):
                for caller in fitting:
                    mapping.add(caller=caller, callee="fit")
            else:
                callees = ("fit_transform",) if hasattr(step, "fit_transform") else ("fit", "transform")
                for caller in fitting:
                    for callee in callees:
                        mapping.add(caller=caller, callee=callee)
                for caller in ("predict", "predict_proba", "decision_function", "predict_log_proba", "transform",
                               "score"):
                    mapping.add(caller=caller, callee="transform")
                mapping.add(caller="inverse_transform", callee="inverse_transform")
            router.add(method_mapping=mapping, **{name: step})
        name, final = self.steps[-1]
        if final is None or final == "passthrough":
            return router
        mapping = MethodMapping()
        if hasattr(final, "fit_transform"):
            mapping.add(caller="fit_transform", callee="fit_transform")
        else:
            mapping.add(caller="fit_transform", callee="fit").add(caller="fit_transform", callee="transform")
        mapping.add(caller="fit", callee="fit")
        for method in ("predict", "fit_predict", "predict_proba", "decision_function", "predict_log_proba",
                       "transform", "inverse_transform", "score"):
            mapping.add(caller=method, callee=method)
        router.add(method_mapping=mapping, **{name: final})
        return router


def _step_names(steps: tuple) -> list[str]:
    """scikit-learn's naming rule: the lower-cased class name, numbered when it repeats."""
    names = [step if isinstance(step, str) else type(step).__name__.lower() for step in steps]
    repeated = {name for name, n in Counter(names).items() if n > 1}
    seen: Counter = Counter()
    for i, name in enumerate(names):
        if name in repeated:
            seen[name] += 1
            names[i] = f"{name}-{seen[name]}"
    return names


def make_pipeline(*steps: Any, memory: Any = None, transform_input: list[str] | None = None,
                  verbose: bool = False) -> Pipeline:
    """A :class:`Pipeline` of ``steps``, each named by its lower-cased class name.

    Parameters
    ----------
    *steps : estimators, samplers or ``"passthrough"``
    memory, transform_input, verbose
        As :class:`Pipeline`'s.

    Returns
    -------
    Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbalance import UnderSampler
    >>> from imbalance.pipeline import make_pipeline
    >>> make_pipeline(UnderSampler(), LogisticRegression()).named_steps.keys()
    dict_keys(['undersampler', 'logisticregression'])
    """
    return Pipeline(list(zip(_step_names(steps), steps)), memory=memory, transform_input=transform_input,
                    verbose=verbose)
