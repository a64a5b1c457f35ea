"""Small real datasets bundled with the package, for examples, tests and the demo."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pandas as pd
from numpy.typing import ArrayLike

from imbalance._validation import ParameterError, RandomStateLike

__all__ = ["load_churn", "CHURN_PATH", "load_abalone", "ABALONE_PATH", "make_imbalance"]

_CATEGORICAL = ("state", "area_code", "international_plan", "voice_mail_plan")


def _churn_path():
    return resources.files(__name__).joinpath("data", "churn.csv.gz")


#: Where the bundled churn table (gzipped CSV) lies inside the installed package.
CHURN_PATH = _churn_path()


def load_churn(*, return_X_y: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.Series]:
    """Telecom customer churn: 5,000 rows, 19 predictors, 14.1% churners.

    From the ``mlc_churn`` table of R's modeldata package (MIT licence); see
    ``data/SOURCE.md`` beside this module for the source and how it was prepared.

    Columns: ``state``, ``area_code``, ``international_plan``, ``voice_mail_plan``
    (categorical), 15 numeric usage columns (minutes, calls and charges by time of day,
    ``account_length``, ``number_vmail_messages``, ``number_customer_service_calls``), and the
    label ``LABEL`` (int8: 1 = the customer churned, 707 rows; 0 = stayed, 4,293 rows).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` with ``y = df["LABEL"]`` instead of the whole table.

    Returns
    -------
    DataFrame, or (DataFrame, Series)

    Examples
    --------
    >>> from imbalance.datasets import load_churn
    >>> df = load_churn()
    >>> df.shape, df["LABEL"].value_counts().to_dict()
    ((5000, 20), {0: 4293, 1: 707})
    """
    with resources.as_file(_churn_path()) as path:
        df = pd.read_csv(path, dtype={name: "category" for name in _CATEGORICAL} | {"LABEL": "int8"})
    if return_X_y:
        return df.drop(columns="LABEL"), df["LABEL"]
    return df


def _abalone_path():
    return resources.files(__name__).joinpath("data", "abalone.csv.gz")


#: Where the bundled Abalone table (gzipped CSV) lies inside the installed package.
ABALONE_PATH = _abalone_path()


def load_abalone(*, return_X_y: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.Series]:
    """Abalone: 4,177 sea snails, 8 predictors, the number of shell rings as a numeric target.

    The demo of imbalanced regression: most animals have 6 to 13 rings, and the young and the
    old (1 to 5 rings, 14 to 29) are the rare cases, 679 of them by the automatic relevance
    (:meth:`imbalance.regression.Relevance.from_target`). From the UCI Machine Learning
    Repository (CC BY 4.0), as Branco, Torgo & Ribeiro's imbalanced-regression collection
    gives it; see ``data/SOURCE.md`` beside this module.

    Columns: ``Rings`` (int64, the target), ``Sex`` (categorical: F, I for infant, M), and
    ``Length``, ``Diameter``, ``Height``, ``WholeWeight``, ``ShuckedWeight``,
    ``VisceraWeight``, ``ShellWeight`` (float64).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` with ``y = df["Rings"]`` instead of the whole table.

    Returns
    -------
    DataFrame, or (DataFrame, Series)

    Examples
    --------
    >>> from imbalance.datasets import load_abalone
    >>> X, y = load_abalone(return_X_y=True)
    >>> X.shape, int(y.min()), int(y.max())
    ((4177, 8), 1, 29)
    """
    with resources.as_file(_abalone_path()) as path:
        df = pd.read_csv(path, dtype={"Sex": "category", "Rings": "int64"})
    if return_X_y:
        return df.drop(columns="Rings"), df["Rings"]
    return df


def make_imbalance(X: ArrayLike, y: ArrayLike, *, sampling_strategy: Any = None, random_state: RandomStateLike = None,
                   verbose: bool = False, **kw_args: Any) -> tuple[Any, Any]:
    """Make a dataset imbalanced by randomly under-sampling classes to the counts asked for.

    imbalanced-learn's ``make_imbalance``, planned by the planner: each class keeps exactly
    the count ``sampling_strategy`` gives it, rows drawn without replacement (a subset of the
    input, in its order, in its types: a DataFrame keeps its index and dtypes).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sampling_strategy : dict or callable
        ``{class: count}`` for the classes to cut (the others keep their rows), or
        ``f(y, **kw_args) -> {class: count}``. Required; a count may not exceed the class's.
    random_state : int, numpy Generator or None, default=None
        Same seed, same rows.
    verbose : bool, default=False
        Print the class counts before and after.
    **kw_args
        Passed to a callable ``sampling_strategy``.

    Returns
    -------
    X_res, y_res : the kept rows of X and y, same types

    Examples
    --------
    >>> from imbalance.datasets import make_imbalance
    >>> X, y = [[i] for i in range(8)], [0, 0, 0, 0, 1, 1, 1, 1]
    >>> make_imbalance(X, y, sampling_strategy={1: 1}, random_state=0)[1]
    [0, 0, 0, 0, 1]
    """
    from imbalance.samplers import RandomUnderSampler  # here: the command line reads the demo data without it

    if isinstance(sampling_strategy, dict):
        strategy = sampling_strategy
    elif callable(sampling_strategy):
        def strategy(labels: Any) -> dict:
            return sampling_strategy(labels, **kw_args)
    else:
        raise ParameterError(f"make_imbalance needs sampling_strategy as a dict {{class: count}} or a callable "
                             f"giving one; got {sampling_strategy!r}.")
    sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    if verbose:
        print(f"The original target distribution in the dataset is: {sampler.plan_.counts}")
        print(f"Make the dataset imbalanced based on the sampling strategy: {sampler.plan_.targets}")
    return X_res, y_res
