"""Reading and writing tables for the command line: CSV (optionally gzip/bz2) and Parquet.

Writes are atomic: the table goes to a temporary file beside the target, which replaces the
target only once complete, so an error never leaves a half-written output.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Callable

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from imbalance._validation import InputError

__all__ = ["table_format", "read_table", "write_table", "atomic_path"]

_FORMATS = {
    ".csv": ("csv", None),
    ".csv.gz": ("csv", "gzip"),
    ".csv.bz2": ("csv", "bz2"),
    ".parquet": ("parquet", None),
    ".pq": ("parquet", None),
}


def table_format(path: Path) -> tuple[str, str | None]:
    """("csv" | "parquet", compression) from the file name."""
    name = path.name.lower()
    for suffix in sorted(_FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return _FORMATS[suffix]
    raise InputError(
        f"cannot tell the format of {path.name!r} from its name; use .csv, .csv.gz, .csv.bz2 "
        "or .parquet."
    )


OpenFn = Callable[[Path], "contextlib.AbstractContextManager[IO[bytes]]"]


def _plain_open(path: Path) -> "contextlib.AbstractContextManager[IO[bytes]]":
    return open(path, "rb")


def read_table(path: Path, *, opener: OpenFn = _plain_open) -> pd.DataFrame:
    """Read a CSV or Parquet file into pandas.

    ``opener`` opens the file for reading; the CLI passes one that reports progress.
    """
    if not path.exists():
        raise InputError(f"file not found: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a data file.")
    kind, compression = table_format(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path} is empty (0 bytes).")
    try:
        with opener(path) as raw:
            if kind == "parquet":
                table = pq.read_table(raw)
            else:
                stream = pa.input_stream(raw, compression=compression)
                table = pa_csv.read_csv(stream)
    except (pa.ArrowException, OSError, EOFError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"could not read {path} as {kind.upper()}: {first}") from None
    df = table.to_pandas()
    if len(df) == 0:
        raise InputError(f"{path} has no rows.")
    return df


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block succeeds."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"output folder {folder} does not exist; create it first.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` (without its index) as CSV or Parquet, atomically."""
    kind, compression = table_format(path)
    table = pa.Table.from_pandas(df, preserve_index=False)
    with atomic_path(path) as tmp:
        if kind == "parquet":
            pq.write_table(table, tmp)
            return
        # CSV has no dictionary type: write categorical columns as their values.
        columns = [
            col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            for col in table.columns
        ]
        table = pa.Table.from_arrays(columns, names=table.column_names)
        with pa.output_stream(str(tmp), compression=compression) as sink:
            pa_csv.write_csv(table, sink)
