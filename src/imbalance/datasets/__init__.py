"""Small real datasets bundled with the package, for examples, tests and the demo."""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["load_churn", "CHURN_PATH"]

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
