"""Table-level conveniences: a DataFrame with a label column in, a DataFrame out."""

from __future__ import annotations

from typing import Any

import pandas as pd
from numpy.typing import ArrayLike
from pandas.api.types import is_numeric_dtype

from imbalance import _registry
from imbalance._labels import encode_labels
from imbalance._registry import estimator_class, method_names
from imbalance._validation import (
    InputTypeError,
    ParameterError,
    RandomStateLike,
    check_label_column,
    check_random_state,
    renamed_parameter,
)
from imbalance.planner import Strategy, plan_labels
from imbalance.resample import draw_rows, take_rows

__all__ = ["under_sample", "over_sample", "resample_with", "fit_under_rule", "fit_over_method", "make_sampler",
           "METHODS",
           "UNDER_METHODS", "CLEANING_METHODS", "PROTOTYPE_METHODS", "SYNTHESIS_METHODS"]

#: Over-sampling methods that make rows up, by short name: (module, class, parameters), as the
#: method registry (``imbalance._registry``) declares them when imbalance is imported. ``k_neighbors``
#: goes to every SMOTE variant (to the SMOTE step of the combined ones).
SYNTHESIS_METHODS = {name: (_registry.ESTIMATORS[m.estimator].module.rsplit(".", 1)[-1], m.estimator, dict(m.params))
                     for name, m in _registry.METHODS.items() if m.kind == "synthesis"}
#: Cleaning rules by short name, and the classes of :mod:`imbalance.cleaning` that carry them out.
CLEANING_METHODS = {name: m.estimator for name, m in _registry.METHODS.items() if m.kind == "cleaning"}
#: Rules that reach the plan's targets by choosing rows (:mod:`imbalance.prototypes`): short
#: name -> (class, parameters). ClusterCentroids keeps real rows here (hard voting), so that a
#: table's other columns come along.
PROTOTYPE_METHODS = {name: (m.estimator, dict(m.params))
                     for name, m in _registry.METHODS.items() if m.kind == "prototype"}


def _under_methods() -> tuple[str, ...]:
    return ("random", *method_names("cleaning", "prototype"))


def _over_methods() -> tuple[str, ...]:
    return ("random", *method_names("synthesis"))


def _check_method(method: str, known: tuple[str, ...]) -> None:
    if method not in known:
        raise ParameterError(f"method must be one of {', '.join(known)}, got {method!r}.")


#: Under-sampling methods of :func:`under_sample`: random to a ratio, a cleaning rule, or a
#: prototype rule to a ratio.
UNDER_METHODS = _under_methods()
#: Over-sampling methods of :func:`over_sample`.
METHODS = _over_methods()


def make_sampler(method: str, *, ratio: float = 1.0, random_state: RandomStateLike = None, k_neighbors: int = 5) -> Any:
    """The sampler a method's short name stands for, unfitted: ``"under"`` and ``"over"``
    (random), a cleaning rule, a prototype rule or a synthesis method (every name of the
    method registry but the multi-label ones). ``ratio`` goes to the methods that reach one,
    ``random_state`` to those that draw, ``k_neighbors`` to the SMOTE family (to the SMOTE step
    of ``smote_enn`` and ``smote_tomek``)."""
    _check_method(method, method_names("random", "cleaning", "prototype", "synthesis"))
    entry = _registry.METHODS[method]
    cls = estimator_class(entry.estimator)
    accepted = cls().get_params()
    if "smote" in accepted:  # SMOTE, then a cleaning rule: the SMOTE step takes the plan, the seed, k
        return cls(**entry.params, smote=estimator_class("SMOTE")(k_neighbors=k_neighbors, ratio=ratio,
                                                                    random_state=random_state))
    params = dict(entry.params)
    if "ratio" in accepted and entry.kind != "cleaning":  # a cleaning rule removes what it flags, whatever the ratio
        params["ratio"] = ratio
    if "k_neighbors" in accepted:
        params["k_neighbors"] = k_neighbors
    if "random_state" in accepted:
        params["random_state"] = random_state
    return cls(**params)


def resample_with(X: ArrayLike, y: ArrayLike, method: str, *, ratio: float = 1.0, random_state: RandomStateLike = None,
                  k_neighbors: int = 5, **params: Any) -> tuple[Any, Any]:
    """Any sampler by its short name, in one call: ``resample_with(X, y, "enn")`` ->
    ``(X_res, y_res)``.

    ``method`` is a name of :func:`make_sampler` (``"under"``, ``"over"``, ``"tomek"``,
    ``"nearmiss1"``, ``"smote_enn"``, ...); ``params`` set the sampler's other parameters
    (``resample_with(X, y, "enn", n_neighbors=5)``). X and y keep their types, as with the
    sampler's ``fit_resample``.

    Examples
    --------
    >>> import imbalance
    >>> X, y = [[0.0], [0.1], [0.2], [0.3], [1.0], [1.1]], [0, 0, 0, 0, 1, 1]
    >>> imbalance.resample_with(X, y, "nearmiss1", n_neighbors=1)[1]
    [0, 0, 1, 1]
    """
    sampler = make_sampler(method, ratio=ratio, random_state=random_state, k_neighbors=k_neighbors)
    unknown = sorted(set(params) - set(sampler.get_params()))
    if unknown:
        raise ParameterError(f"{type(sampler).__name__} ({method}) has no parameter {', '.join(unknown)}; "
                             f"its parameters are {', '.join(sorted(sampler.get_params(deep=False)))}.")
    return sampler.set_params(**params).fit_resample(X, y)


def _check_table(df: Any, label_col: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputTypeError(
            f"expected a pandas DataFrame with a label column, got {type(df).__name__}; "
            "for arrays use imbalance.resample(X, y, ...)."
        )
    check_label_column(df, label_col)


def _table_resample(df: Any, label_col: str, strategy: Strategy, ratio: float, random_state: RandomStateLike) -> pd.DataFrame:
    _check_table(df, label_col)
    labels = encode_labels(df[label_col])
    plan = plan_labels(labels, strategy, ratio=ratio)
    return take_rows(df, draw_rows(labels, plan, check_random_state(random_state)))


@renamed_parameter("target", "label_col")
def under_sample(
    df: pd.DataFrame, label_col: str = "LABEL", *, ratio: float = 1.0, random_state: RandomStateLike = None,
    method: str = "random",
) -> pd.DataFrame:
    """Under-sample a table: keep the smallest class, cap the others at ``ratio`` times it.

    Rows are drawn without replacement; the index is kept and the input is not modified.
    ``method="tomek"``, ``"enn"``, ``"renn"``, ``"allknn"``, ``"ncr"``, ``"oss"`` or ``"cnn"``
    instead removes the rows a cleaning rule flags (:mod:`imbalance.cleaning`, default
    parameters) from every class but the minority (``ratio`` does not apply); ``"nearmiss1"``,
    ``"nearmiss2"``, ``"nearmiss3"``, ``"cluster_centroids"`` and ``"iht"`` (instance hardness)
    reach ``ratio`` by choosing rows (:mod:`imbalance.prototypes`). Distances are measured over the
    numeric columns (see :func:`fit_under_rule`).

    Parameters
    ----------
    df : DataFrame
        The table, with a label column.
    label_col : str, default="LABEL"
        The label column (``target=`` is its old name: a ``FutureWarning``, gone in 0.3).
    ratio : float, default=1.0
        Rows of each larger class per row of the smallest (``ratio=3``: at most 3:1).
    random_state : int, numpy Generator or None
        Same seed, same rows.

    Examples
    --------
    >>> from imbalance.datasets import load_churn
    >>> import imbalance
    >>> small = imbalance.under_sample(load_churn(), label_col="LABEL", ratio=3, random_state=0)
    >>> small["LABEL"].value_counts().sort_index().tolist()
    [2121, 707]
    """
    _check_method(method, _under_methods())
    if method == "random":
        return _table_resample(df, label_col, "under", ratio, random_state)
    return df.take(fit_under_rule(df, label_col, method, ratio=ratio, random_state=random_state).sample_indices_)


@renamed_parameter("target", "label_col")
def fit_under_rule(df: pd.DataFrame, label_col: str, method: str, *, ratio: float = 1.0,
                   random_state: RandomStateLike = None) -> Any:
    """The sampler of an under-sampling rule (``method`` as in :func:`under_sample`, not
    ``"random"``) fitted on a table: its ``sample_indices_`` are the rows to keep and its
    ``plan_`` the counts after. ``ratio`` and ``random_state`` apply to the prototype rules.

    Distances are measured over the numeric columns (bool and non-numeric ones are carried
    along, not measured); a table without any numeric feature is refused.
    """
    _check_method(method, method_names("cleaning", "prototype"))
    _check_table(df, label_col)
    features = df.drop(columns=label_col)
    numeric = [c for c in features.columns
               if features[c].dtype != bool and pd.api.types.is_numeric_dtype(features[c])]
    if not numeric:
        raise InputTypeError(f"{method} measures distances between numeric columns, and the table has none; "
                             "encode some columns as numbers first.")
    sampler = make_sampler(method, ratio=ratio, random_state=random_state)
    sampler.fit_resample(features[numeric], df[label_col])  # sets sample_indices_ for every rule
    return sampler


@renamed_parameter("target", "label_col")
def over_sample(
    df: pd.DataFrame,
    label_col: str = "LABEL",
    *,
    ratio: float = 1.0,
    random_state: RandomStateLike = None,
    method: str = "random",
    k_neighbors: int = 5,
) -> pd.DataFrame:
    """Over-sample a table: keep the largest class, raise the others to ``largest / ratio``.

    Every original row is kept (first, in order, index unchanged). ``method="random"`` adds
    copies of rows drawn with replacement (their index labels repeat the source rows'); the
    other methods (:data:`SYNTHESIS_METHODS`) add made-up rows, with new index labels:
    ``"smote"``, ``"borderline"``, ``"adasyn"``, ``"svm_smote"`` and ``"kmeans_smote"`` from
    numeric features, ``"smotenc"`` also with categorical, bool and string columns,
    ``"smoten"`` from categorical ones only, ``"smote_enn"`` and ``"smote_tomek"`` SMOTE then
    cleaning (these remove rows too), ``"ros_shrinkage"`` random copies with Gaussian noise
    (:class:`imbalance.OverSampler` with ``shrinkage=1``). The input is not modified.

    Parameters are as in :func:`under_sample`, plus ``method`` and ``k_neighbors`` (SMOTE family).
    """
    _check_method(method, _over_methods())
    if method == "random":
        return _table_resample(df, label_col, "over", ratio, random_state)
    X_res, y_res = fit_over_method(df, label_col, method, ratio=ratio, random_state=random_state,
                                   k_neighbors=k_neighbors)[1:]
    X_res.insert(df.columns.get_loc(label_col), label_col, y_res)
    return X_res


@renamed_parameter("target", "label_col")
def fit_over_method(df: pd.DataFrame, label_col: str, method: str, *, ratio: float = 1.0, random_state: RandomStateLike = None,
                    k_neighbors: int = 5) -> tuple[Any, pd.DataFrame, pd.Series]:
    """The sampler of a method of :data:`SYNTHESIS_METHODS` run on a table's features:
    ``(sampler, X_res, y_res)``; ``sampler.origin_`` says which input row each output row is
    (-1: made up) and ``sampler.plan_`` the counts after."""
    _check_method(method, method_names("synthesis"))
    _check_table(df, label_col)
    if method not in ("smotenc", "smoten"):
        text = [c for c in df.columns if c != label_col and (df[c].dtype == bool or not is_numeric_dtype(df[c]))]
        if text:
            raise InputTypeError(
                f"method {method!r} interpolates numbers, but column(s) {', '.join(map(str, text[:8]))} are not "
                "numeric: use method 'smotenc' (command line: --method smotenc), which votes on them, or encode "
                "them first."
            )
    sampler = make_sampler(method, ratio=ratio, random_state=random_state, k_neighbors=k_neighbors)
    X_res, y_res = sampler.fit_resample(df.drop(columns=label_col), df[label_col])
    return sampler, X_res, y_res
