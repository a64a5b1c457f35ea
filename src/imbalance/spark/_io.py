"""A Spark session for the command line, and a table file read into it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pyspark.sql import DataFrame, SparkSession

from imbalance._validation import InputError

__all__ = ["session", "read_table", "from_pandas"]


def session(master: str | None = None) -> SparkSession:
    """The active Spark session, or a new one: on ``master`` where given, else on the master
    ``spark-submit`` configured (``local[*]`` when run as a plain program)."""
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName("imbalance")
    if master is not None:
        builder = builder.master(master)
    return builder.getOrCreate()


def read_table(spark: SparkSession, path: Path) -> DataFrame:
    """A Parquet file or folder, or a CSV file (``.csv``, ``.csv.gz``, ``.csv.bz2``; a header
    row, the column types inferred), as a DataFrame."""
    name = path.name.lower()
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if name.endswith(".parquet") or path.is_dir():
        return spark.read.parquet(str(path))
    if name.endswith((".csv", ".csv.gz", ".csv.bz2")):
        return spark.read.csv(str(path), header=True, inferSchema=True)
    raise InputError(f"{path}: the Spark engine reads Parquet (a .parquet file or folder) and CSV (.csv, .csv.gz, "
                     ".csv.bz2) files.")


def from_pandas(spark: SparkSession, df: pd.DataFrame) -> DataFrame:
    """A pandas table as a DataFrame, its categorical columns as strings (Spark has no such type)."""
    df = df.copy()
    for column in df.select_dtypes(include="category"):
        # object, not pandas' str dtype: its missing value is NaN, which Spark would read as the text "NaN"
        df[column] = df[column].astype(str).astype(object).where(df[column].notna(), None)
    return spark.createDataFrame(df)
