"""Reading and writing tables for the command line: CSV (optionally gzip/bz2) and Parquet.

Writes are atomic: a table goes to a temporary file beside the target, a folder of files to a
temporary folder beside it, which replaces the target only once complete, so an error or an
interruption never leaves a half-written output. Every failure is an :class:`InputError` (the
input) or an :class:`OutputError` (the output) whose message fits on one line.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Callable

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from imbalance._validation import InputError, OutputError

__all__ = ["TABLE_SUFFIXES", "table_format", "read_table", "table_columns", "write_table", "atomic_path", "atomic_folder",
           "check_output_folder", "printable"]

_FORMATS = {
    ".csv": ("csv", None),
    ".csv.gz": ("csv", "gzip"),
    ".csv.bz2": ("csv", "bz2"),
    ".parquet": ("parquet", None),
    ".pq": ("parquet", None),
}

#: File name endings of the tables this module reads and writes.
TABLE_SUFFIXES = tuple(_FORMATS)


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


def printable(text: str, limit: int = 160) -> str:
    """``text`` safe to print on a terminal: control characters and undecodable bytes become
    '?', and it is cut to ``limit`` characters (a parser's message may quote raw file bytes)."""
    clean = "".join(ch if ch.isprintable() and ch != "\ufffd" else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


def _check_readable(path: Path) -> tuple[str, str | None]:
    if not path.exists():
        raise InputError(f"file not found: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a data file.")
    kind, compression = table_format(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path} is empty (0 bytes).")
    return kind, compression


def _read_error(path: Path, kind: str, exc: BaseException) -> InputError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(f"could not read {path} as {kind.upper()}: {printable(first)}")


def _csv_read_options(encoding: str | None) -> pa_csv.ReadOptions:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use a name Python knows, e.g. utf-8, latin-1, "
                             "cp1252.") from None
    return pa_csv.ReadOptions(encoding=encoding or "utf8")


def table_columns(path: Path, *, encoding: str | None = None) -> list[str]:
    """The column names of a CSV or Parquet file, read from its header or schema alone."""
    kind, compression = _check_readable(path)
    try:
        if kind == "parquet":
            return list(pq.read_schema(path).names)
        stream = pa.input_stream(str(path), compression=compression)
        with pa_csv.open_csv(stream, read_options=_csv_read_options(encoding)) as reader:
            return list(reader.schema.names)
    except (pa.ArrowException, OSError, EOFError, ValueError) as exc:
        raise _read_error(path, kind, exc) from None


def read_table(path: Path, *, columns: Sequence[str] | None = None, encoding: str | None = None,
               opener: OpenFn = _plain_open) -> pd.DataFrame:
    """Read a CSV or Parquet file into pandas.

    Parameters
    ----------
    columns : sequence of str, optional
        Read only these columns (Parquet reads nothing else from disk; CSV converts nothing
        else). Each must exist.
    encoding : str, optional
        The CSV file's text encoding (default UTF-8). A column that is not valid text in it is
        refused with a message naming the column and this option.
    opener : callable
        Opens the file for reading; the CLI passes one that reports progress.
    """
    kind, compression = _check_readable(path)
    if columns is not None:
        names = table_columns(path, encoding=encoding)
        missing = [c for c in columns if c not in names]
        if missing:
            shown = ", ".join(map(str, names[:20])) + (", ..." if len(names) > 20 else "")
            raise InputError(f"column {missing[0]!r} is not in {path}; its columns are: {shown}.")
    try:
        with opener(path) as raw:
            if kind == "parquet":
                table = pq.read_table(raw, columns=None if columns is None else list(columns))
            else:
                stream = pa.input_stream(raw, compression=compression)
                convert = pa_csv.ConvertOptions(include_columns=None if columns is None else list(columns))
                table = pa_csv.read_csv(stream, read_options=_csv_read_options(encoding), convert_options=convert)
    except (pa.ArrowException, OSError, EOFError, ValueError) as exc:
        raise _read_error(path, kind, exc) from None
    _check_columns(table, path, kind, encoding)
    df = table.to_pandas()
    if len(df) == 0:
        raise InputError(f"{path} has no rows.")
    return df


def _check_columns(table: pa.Table, path: Path, kind: str, encoding: str | None) -> None:
    twice = [name for name, n in Counter(table.column_names).items() if n > 1]
    if twice:
        raise InputError(
            f"{path} has more than one column named {', '.join(map(repr, twice))}; give every column its own name."
        )
    if kind == "csv":
        # Arrow reads text that is not valid in the encoding as raw bytes instead of failing.
        raw = [f.name for f in table.schema if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
        if raw:
            raise InputError(
                f"column {raw[0]!r} of {path} is not valid {encoding or 'UTF-8'} text; if the file has another "
                "encoding, pass it with --encoding (e.g. --encoding latin-1)."
            )


def _writable_folder(path: Path, what: str) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"output folder {folder} does not exist; create it first.")
    if path.is_dir() and what == "file":
        raise OutputError(f"{path} is a folder; give a file name for the output.")
    if path.exists() and not path.is_dir() and what == "folder":
        raise OutputError(f"{path} exists and is not a folder; give a folder for the output.")
    return folder


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _output_error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"could not write {path}: {reason}.")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block succeeds.

    Anything that stops the block (an error, Ctrl-C, a SIGTERM turned into an exception)
    removes the temporary file; an OS error (no permission, disk full) becomes an OutputError.
    """
    folder = _writable_folder(path, "file")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _output_error(path, exc) from None
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _output_error(path, exc) from None
        raise


def check_output_folder(path: Path) -> Path:
    """Raise an OutputError now if a folder of outputs could not be written at ``path``:
    its parent is missing or not writable, or ``path`` is a file. Returns the parent."""
    folder = _writable_folder(path, "folder")
    try:
        Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}.", suffix=".check")).rmdir()
    except OSError as exc:
        raise _output_error(path, exc) from None
    return folder


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A new, empty temporary folder beside ``path``; if the block succeeds it takes the place
    of ``path`` (whose old files go, all of them), else it is removed with all it holds.

    Readers never see a mix of two runs: the swap is two renames, the old folder's files are
    deleted only after the new folder is in place.
    """
    folder = check_output_folder(path)
    try:
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}.", suffix=".part"))
    except OSError as exc:
        raise _output_error(path, exc) from None
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700; give the folder the usual permissions
    try:
        yield staging
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}.", suffix=".old"))
            os.replace(path, old)  # a rename onto the empty folder just made
        os.replace(staging, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _output_error(path, exc) from None
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
