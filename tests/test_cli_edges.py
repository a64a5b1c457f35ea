"""The command line's promises on bad input, failed outputs and interruptions (issue 11).

Each test reads what a command printed and what it left on disk. Commands run in this process
(``cli_runner``: a child would pay the package's imports again) except where the process is the
subject: signals, a file-size limit, an interpreter without torch; those start the real command
as a child.
"""

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import subprocesses
from cli_runner import run_cli
from imbalance.datasets import load_churn

# Real subprocesses of the command line: the slow tier (`pytest -m "not slow"` skips it).
pytestmark = pytest.mark.slow


def command(*args, cwd=None, columns=100, **kwargs):
    return [sys.executable, "-m", "imbalance", *map(str, args)], dict(
        cwd=cwd, env={**os.environ, "COLUMNS": str(columns)}, **kwargs)


def run(*args, cwd=None, columns=100, preexec_fn=None, code=None):
    if preexec_fn is None and code is None:
        return run_cli(*args, cwd=cwd, columns=columns)
    argv, options = command(*args, cwd=cwd, columns=columns)
    if code is not None:  # run main() after some setup code, in a fresh interpreter
        argv = [sys.executable, "-c", code + "\nfrom imbalance.cli import main\nraise SystemExit(main(sys.argv[1:]))",
                *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, preexec_fn=preexec_fn, **options)


def one_line_exit_2(result, *words):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files or folders an interrupted write could leave."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ----------------------------------------------------------------------------- 8, 9: compare's report folder


def test_compare_refuses_to_write_over_its_input(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = data / "results.csv"
    load_churn().head(300).to_csv(source, index=False)
    before = source.read_bytes()
    one_line_exit_2(run("compare", source, "--out", data, cwd=tmp_path), "is inside --out")
    assert source.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["results.csv"]


def test_compare_refuses_a_folder_with_other_files_before_fitting(tmp_path, multiclass_csv):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    started = time.perf_counter()
    one_line_exit_2(run("compare", multiclass_csv, "--out", out, cwd=tmp_path),
                    "not part of an imbalance report (notes.txt)")
    assert time.perf_counter() - started < 60  # (refused up front; a fitted run would take longer)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_report_folder_never_mixes_two_runs(tmp_path, churn_csv, multiclass_csv):
    out = tmp_path / "report"
    first = run("compare", churn_csv, "--recipes", "none", "--models", "logreg", "--folds", "2", "--out", out,
                cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (out / "pr_curves.png").exists()  # binary data: precision-recall curves
    second = run("compare", multiclass_csv, "--recipes", "none", "--models", "logreg", "--folds", "2",
                 "--out", out, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    # multi-class data has no precision-recall plot: the first run's plot must be gone
    assert sorted(p.name for p in out.iterdir()) == ["answer.json", "metrics.png", "report.html", "results.csv",
                                                     "summary.csv"]
    assert "three.csv" in (out / "report.html").read_text()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_interrupted_compare_leaves_nothing(tmp_path, sig, code, word):
    argv, options = command("compare", "--folds", "3", "--progress", "--out", tmp_path / "report", cwd=tmp_path)
    with subprocesses.started(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options) as process:
        stderr = subprocesses.StreamWatch(process.stderr)
        stderr.wait_for("fitting strategy", timeout=120)  # the progress bar: folds are being fitted
        process.send_signal(sig)
        process.wait(timeout=60)
        printed = stderr.close()
    assert process.returncode == code
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", printed)  # the progress bar's terminal codes
    assert plain.strip().splitlines()[-1] == f"imbalance compare: {word}"
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- 10: signals during a write


@pytest.mark.parametrize("sig, code, word", [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")])
def test_signal_during_a_write_removes_the_partial_file(tmp_path, sig, code, word):
    out = tmp_path / "big.csv"
    argv, options = command("resample", "--targets", "0=1500000,1=1500000", "-o", out, cwd=tmp_path)
    with subprocesses.started(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options) as process:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the temporary file holds some of the table
            parts = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
            if parts and parts[0].stat().st_size > 0:
                break
            time.sleep(0.005)
        else:
            pytest.fail("the write never started")
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.strip() == f"imbalance resample: {word}"
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- 11: outputs that cannot be written


def test_output_that_is_a_folder(tmp_path):
    (tmp_path / "out.csv").mkdir()
    one_line_exit_2(run("resample", "--under", "-o", tmp_path / "out.csv"), "is a folder")
    out = tmp_path / "report.csv"
    out.write_text("x")
    one_line_exit_2(run("compare", "--out", out), "exists and is not a folder")


def test_read_only_locations(tmp_path):
    # /proc refuses new files even to root, for whom permission bits mean nothing
    one_line_exit_2(run("resample", "--under", "-o", "/proc/out.csv"), "could not write /proc/out.csv")
    started = time.perf_counter()
    one_line_exit_2(run("compare", "--out", "/proc/report"), "could not write /proc/report")
    assert time.perf_counter() - started < 60  # checked before any fitting


def _small_file_limit():
    # what a full disk looks like to a writer: the write fails with an OS error
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_disk_full_during_a_write(tmp_path):
    out = tmp_path / "out.csv"
    line = one_line_exit_2(run("resample", "--over", "-o", out, preexec_fn=_small_file_limit), "could not write")
    assert "too large" in line.lower()
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- 12: inputs


def test_duplicate_column_names(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a,a,LABEL\n1,2,0\n3,4,1\n")
    one_line_exit_2(run("resample", path, "--under", "-o", tmp_path / "o.csv"), "more than one column named 'a'")


def test_non_utf8_csv_names_the_problem_and_the_option(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("city,LABEL\n".encode() + "".join(f"Orl\xe9ans{i},{i % 3 == 0:d}\n" for i in range(30))
                     .encode("latin-1"))
    one_line_exit_2(run("resample", path, "--under", "-o", tmp_path / "o.csv"),
                    "column 'city'", "not valid UTF-8", "--encoding")
    ok = run("resample", path, "--under", "-o", tmp_path / "o.csv", "--encoding", "latin-1")
    assert ok.returncode == 0, ok.stderr
    assert pd.read_csv(tmp_path / "o.csv")["city"].str.startswith("Orléans").all()
    one_line_exit_2(run("inspect", path, "--encoding", "klingon"), "unknown encoding 'klingon'")


def test_binary_garbage_is_not_echoed(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, size=4000, dtype=np.uint8).tobytes())
    for cmd in ("inspect", "resample"):
        args = [cmd, path] + (["--under", "-o", tmp_path / "o.csv"] if cmd == "resample" else [])
        argv, options = command(*args)
        raw = subprocess.run(argv, capture_output=True, timeout=120, **options)
        assert raw.returncode == 2
        line = raw.stderr.decode("utf-8")
        assert line.count("\n") == 1 and len(line) < 400
        assert re.fullmatch(r"[ -~]*\n", line), line  # printable ASCII only: no raw bytes reach the terminal


@pytest.mark.parametrize(
    "args, words",
    [
        (["plan", "--under", "1e308"], "ratio 1e+308 is larger than any row count"),
        (["plan", "--targets", "0=99999999999999999999"], "more than any table can hold"),
        (["plan", "--targets", "0=5,0=7"], "class '0' is given twice"),
        (["resample", "--targets", "0=4000000000000,1=707", "-o", "o.csv"], "about"),
        (["compare", "--n-jobs", "0"], "--n-jobs: must be a positive int"),
        (["compare", "--seed", "-1"], "--seed: must be an int from 0 to 4294967295"),
        (["resample", "--under", "-o", "o.csv", "--seed", str(2**40)], "--seed: must be an int from 0 to"),
        (["compare", "--metrics", "accuracy"], "unknown metric 'accuracy'"),
        (["compare", "--k-neighbors", "0"], "--k-neighbors: must be an int >= 1"),
    ],
)
def test_bad_numbers_are_one_line(tmp_path, args, words):
    line = one_line_exit_2(run(*args, cwd=tmp_path), words)
    if args[0] == "resample" and "targets" in args[1]:
        assert "4,000,000,000,707 rows" in line and "GiB" in line
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- 13, 16: what compare runs


def test_compare_runs_by_default_on_multiclass_data(tmp_path, multiclass_csv):
    result = run("compare", multiclass_csv, "--models", "logreg", "--folds", "2", "--out", tmp_path / "r",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "leaving out threshold: they need two classes and the labels have 3" in result.stderr
    summary = pd.read_csv(tmp_path / "r" / "summary.csv")
    assert "threshold" not in set(summary["strategy"]) and "smote" in set(summary["strategy"])


def test_smote_that_cannot_run_is_found_before_fitting(tmp_path):
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(205, 2)), columns=["a", "b"])
    df["LABEL"] = ["common"] * 200 + ["tiny"] * 5
    path = tmp_path / "tiny.csv"
    df.to_csv(path, index=False)
    line = one_line_exit_2(run("compare", path, "--recipes", "none,smote", "--out", tmp_path / "r", cwd=tmp_path),
                           "class 'tiny' has only 4", "--k-neighbors", "to at most 3")
    assert "k_neighbors + 1 = 6" in line
    ok = run("compare", path, "--recipes", "smote", "--models", "logreg", "--k-neighbors", "3", "--out",
             tmp_path / "r", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


# As if torch were not installed: importing it, or looking for it, fails as it does then.
NO_TORCH = """
import sys
class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoTorch())
"""


def test_compare_without_torch_says_what_it_leaves_out(tmp_path, multiclass_csv):
    result = run("compare", multiclass_csv, "--models", "logreg", "--folds", "2", "--out", tmp_path / "r",
                 cwd=tmp_path, code=NO_TORCH)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "leaving out" in line]
    assert notes[0] == ("imbalance compare: note: leaving out mlp_weighted_ce, mlp_focal, mlp_balanced_sampler: "
                        "PyTorch is not installed (pip install torch, then imbalance[torch]).")


def test_report_folder_is_ignored_by_git():
    ignored = (Path(__file__).parents[1] / ".gitignore").read_text().splitlines()
    assert "imbalance-report/" in ignored


# ----------------------------------------------------------------------------- 14: the terminal table


@pytest.mark.parametrize("columns", [80, 120])
def test_compare_table_reads_whole_at_80_and_120_columns(tmp_path, churn_csv, columns):
    result = run("compare", churn_csv, "--recipes", "none,under_1:1,threshold", "--models",
                 "logreg,random_forest", "--folds", "2", "--out", tmp_path / "r", cwd=tmp_path, columns=columns)
    assert result.returncode == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if not line.startswith("wrote ")]
    assert max(len(line) for line in table) <= columns
    assert "…" not in result.stdout
    # every shown metric's best cell is marked, each cell whole: mean±sd with 3 decimals
    cells = re.findall(r"\d\.\d{3}±\d\.\d{3}\*?", result.stdout)
    assert len(cells) == 6 * 6  # 3 strategies x 2 models x 6 default metrics
    assert sum(cell.endswith("*") for cell in cells) >= 6
    titles = [line for line in table if line.startswith(str(churn_csv))]
    assert len(titles) == (1 if columns >= 120 else 2)


# ----------------------------------------------------------------------------- 15: inspect reads the label only


def test_inspect_reads_only_the_label_column(tmp_path):
    # A column that is not valid UTF-8 breaks any command that reads it; inspect never does.
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,LABEL\n" + b"".join(b"caf\xe9,%d\n" % (i % 4 == 0) for i in range(40)))
    result = run("inspect", path, "--json")
    assert result.returncode == 0, result.stderr
    assert '"classes": {"0": 30, "1": 10}' in result.stdout
    one_line_exit_2(run("resample", path, "--under", "-o", tmp_path / "o.csv"), "column 'name'")


def test_read_table_projection_on_parquet_and_csv(tmp_path):
    from imbalance._io import read_table

    df = load_churn()
    for name in ("t.parquet", "t.csv.gz"):
        path = tmp_path / name
        df.to_parquet(path) if name.endswith("parquet") else df.to_csv(path, index=False)
        only = read_table(path, columns=["LABEL"])
        assert list(only.columns) == ["LABEL"] and only["LABEL"].sum() == 707
