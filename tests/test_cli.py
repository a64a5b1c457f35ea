"""The command line, run as a user runs it: a real subprocess."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cli_runner import run_cli
from imbalance.datasets import load_churn

# Real subprocesses of the command line: the slow tier (`pytest -m "not slow"` skips it).
pytestmark = pytest.mark.slow


def run(*args, cwd=None):
    return run_cli(*args, cwd=cwd, columns=100)


def test_the_installed_command_runs_as_a_process():
    # every other test here runs main() in-process (cli_runner); this one runs the real thing
    result = subprocess.run([sys.executable, "-m", "imbalance", "inspect", "--json"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "100"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["classes"] == {"0": 4293, "1": 707}


def test_inspect_demo_needs_no_arguments():
    result = run("inspect")
    assert result.returncode == 0, result.stderr
    assert "4,293" in result.stdout and "707" in result.stdout
    assert "6.07:1" in result.stdout


def test_inspect_json_on_a_file(churn_csv):
    result = run("inspect", churn_csv, "--label-col", "LABEL", "--json")
    data = json.loads(result.stdout)
    assert data["rows"] == 5000 and data["classes"] == {"0": 4293, "1": 707}
    assert data["imbalance_ratio"] == pytest.approx(4293 / 707)


def test_plan_under_over_and_targets(churn_csv):
    under = json.loads(run("plan", churn_csv, "--under", "3", "--json").stdout)
    assert under["after"] == {"0": 2121, "1": 707}
    over = json.loads(run("plan", "--over", "--json").stdout)
    assert over["after"] == {"0": 4293, "1": 4293}
    explicit = json.loads(run("plan", "--targets", "0=1000,1=900", "--json").stdout)
    assert explicit["after"] == {"0": 1000, "1": 900}
    text = run("plan", "--under", "2").stdout
    assert text.startswith("Plan(strategy='under', ratio=2)")


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_resample_writes_exact_counts_and_is_reproducible(churn_csv, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    result = run("resample", churn_csv, "--under", "3", "-o", out, "--seed", "4", "--source-column", "source_row")
    assert result.returncode == 0, result.stderr
    df = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert df["LABEL"].value_counts().to_dict() == {0: 2121, 1: 707}
    source = load_churn()
    # every written row is its source row, column for column
    np.testing.assert_allclose(
        df["total_day_minutes"].to_numpy(), source["total_day_minutes"].to_numpy()[df["source_row"]]
    )
    assert list(df.columns) == ["source_row", *source.columns]
    again = tmp_path / f"again{suffix}"
    run("resample", churn_csv, "--under", "3", "-o", again, "--seed", "4", "--source-column", "source_row")
    read = pd.read_parquet if suffix == ".parquet" else pd.read_csv
    pd.testing.assert_frame_equal(read(out), read(again))


def test_resample_parquet_in_keeps_categories(tmp_path):
    src = tmp_path / "in.parquet"
    load_churn().to_parquet(src)
    out = tmp_path / "out.parquet"
    assert run("resample", src, "--over", "-o", out).returncode == 0
    df = pd.read_parquet(out)
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert df["LABEL"].value_counts().to_dict() == {0: 4293, 1: 4293}


def test_weights_json():
    data = json.loads(run("weights", "--scheme", "balanced").stdout)
    assert data == pytest.approx({"0": 5000 / (2 * 4293), "1": 5000 / (2 * 707)})
    data = json.loads(run("weights", "--scheme", "effective", "--beta", "0.99", "--normalize", "classes").stdout)
    assert sum(data.values()) == pytest.approx(2)


def test_progress_is_shown_when_asked(churn_csv):
    result = run("inspect", churn_csv, "--progress")
    assert result.returncode == 0
    assert "reading churn.csv" in result.stderr


def write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "make_args, words",
    [
        (lambda d: ["inspect", d / "missing.csv"], "file not found"),
        (lambda d: ["inspect", write(d / "data.xlsx", "x")], "cannot tell the format"),
        (lambda d: ["inspect", write(d / "bad.parquet", "not parquet")], "could not read"),
        (lambda d: ["inspect", write(d / "t.csv", "a,b\n1,2\n")], "label column 'LABEL' is not in"),
        (lambda d: ["inspect", write(d / "t.csv", "LABEL,b\n1,2\n1,3\n")], "only one class"),
        (lambda d: ["inspect", write(d / "t.csv", "LABEL,b\n1,2\n,3\n0,4\n")], "missing label"),
        (lambda d: ["inspect", write(d / "t.csv", "LABEL,b\n")], "has no rows"),
        (lambda d: ["inspect", write(d / "t.csv", "")], "is empty"),
        (lambda d: ["plan", "--targets", "5=10"], "unknown class '5'"),
        (lambda d: ["plan", "--under", "0.5"], "ratio must be >= 1"),
        (lambda d: ["plan", "--under", "abc"], "ratio must be a number"),
        (lambda d: ["plan"], "one of the arguments --under --over --targets --method is required"),
        (lambda d: ["resample", "--under", "-o", d / "out.xlsx"], "cannot tell the format"),
        (lambda d: ["resample", "--under", "-o", d / "nowhere" / "out.csv"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, make_args, words):
    result = run(*make_args(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_failed_resample_leaves_no_file(tmp_path):
    bad = write(tmp_path / "t.csv", "LABEL,b\n1,2\n1,3\n")
    out = tmp_path / "out.csv"
    assert run("resample", bad, "--under", "-o", out).returncode == 2
    assert list(tmp_path.iterdir()) == [bad]


def test_existing_output_survives_a_failed_run(tmp_path):
    out = write(tmp_path / "out.csv", "keep me\n")
    assert run("resample", "--targets", "9=1", "-o", out).returncode == 2
    assert out.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_cleaning_methods_from_the_command_line(churn_csv, tmp_path):
    out = tmp_path / "clean.csv"
    result = run("resample", churn_csv, "--method", "enn", "-o", out, "--source-column", "source_row")
    assert result.returncode == 0, result.stderr
    assert "not measured: state, area_code, international_plan, voice_mail_plan" in result.stderr
    df = pd.read_csv(out)
    assert df["LABEL"].value_counts().to_dict() == {0: 3138, 1: 707}
    assert df["source_row"].is_monotonic_increasing  # kept rows in their original order
    plan = json.loads(run("plan", churn_csv, "--method", "tomek", "--json").stdout)
    assert plan["strategy"] == "TomekLinks" and plan["after"]["1"] == 707 and plan["after"]["0"] < 4293


def test_prototype_methods_reach_the_ratio_from_the_command_line(churn_csv, tmp_path):
    out = tmp_path / "near.csv"
    result = run("resample", churn_csv, "--method", "nearmiss2", "--ratio", "2", "-o", out, "--source-column", "src")
    assert result.returncode == 0, result.stderr
    df = pd.read_csv(out)
    assert df["LABEL"].value_counts().to_dict() == {0: 1414, 1: 707} and df["src"].is_monotonic_increasing
    wrong = run("plan", churn_csv, "--under", "3", "--ratio", "2")
    assert wrong.returncode == 2 and "--ratio goes with a --method that reaches a ratio" in wrong.stderr


def test_synthesis_methods_mark_made_up_rows_from_the_command_line(churn_csv, tmp_path):
    out = tmp_path / "nc.csv"
    result = run("resample", churn_csv, "--method", "smotenc", "--ratio", "2", "--k-neighbors", "3", "-o", out,
                 "--source-column", "src", "--seed", "1")
    assert result.returncode == 0, result.stderr
    df = pd.read_csv(out)
    assert df["LABEL"].value_counts().to_dict() == {0: 4293, 1: 2147}
    assert (df["src"].iloc[:5000] == np.arange(5000)).all() and (df["src"].iloc[5000:] == -1).all()
    numeric_only = run("resample", churn_csv, "--method", "smote", "-o", tmp_path / "s.csv")
    assert numeric_only.returncode == 2 and "--method smotenc" in numeric_only.stderr  # the command line's own fix


MULTILABEL_DATA = os.path.join(os.path.dirname(__file__), "data", "multilabel")  # real tables (SOURCE.md)


def test_inspect_a_multilabel_target_by_pattern_or_by_names():
    yeast = os.path.join(MULTILABEL_DATA, "yeast.csv.gz")
    result = run("inspect", yeast, "--labels", "label_*")
    assert result.returncode == 0, result.stderr
    assert "14 labels" in result.stdout and "53.41" in result.stdout and "MeanIR 7.197" in result.stdout
    data = json.loads(run("inspect", yeast, "--label-col", "label_Class1,label_Class14", "--json").stdout)
    assert data["labels"] == {"label_Class1": 762, "label_Class14": 34}
    assert data["irlbl"]["label_Class14"] == pytest.approx(762 / 34)
    bad = run("inspect", yeast, "--labels", "nothing_*")
    assert bad.returncode == 2 and "no column of" in bad.stderr and "matches --labels 'nothing_*'" in bad.stderr
    missing = run("inspect", yeast, "--label-col", "label_Class1,label_X")
    assert missing.returncode == 2 and "['label_X'] not in" in missing.stderr


def test_resample_a_multilabel_target_with_ml_ros_and_ml_rus(tmp_path):
    from imbalance.multilabel import MLROS, measures

    yeast = os.path.join(MULTILABEL_DATA, "yeast.csv.gz")
    out = tmp_path / "ros.csv"
    result = run("resample", yeast, "--labels", "label_*", "--method", "ml_ros", "--seed", "3", "-o", out,
                 "--source-column", "source")
    assert result.returncode == 0, result.stderr
    assert "MeanIR 7.197 ->" in result.stdout
    written = pd.read_csv(out)
    table = pd.read_csv(yeast)
    labels = [c for c in table.columns if c.startswith("label_")]
    sampler = MLROS(random_state=3)
    sampler.fit_resample(table, table[labels])
    assert written["source"].tolist() == sampler.sample_indices_.tolist()  # the library's rows, traced back
    assert measures(written[labels]).mean_ir == pytest.approx(sampler.mean_ir_after_)
    rus = run("resample", yeast, "--label-col", "label_Class1,label_Class2", "--method", "ml_rus", "--percentage", "10",
              "-o", tmp_path / "rus.parquet")
    assert rus.returncode == 0, rus.stderr
    assert len(pd.read_parquet(tmp_path / "rus.parquet")) == 2417 - round(241.7)
    wrong = run("resample", yeast, "--method", "ml_ros", "-o", tmp_path / "x.csv")
    assert wrong.returncode == 2 and "is for a multi-label target" in wrong.stderr
    assert not (tmp_path / "x.csv").exists()
    mixed = run("resample", yeast, "--labels", "label_*", "--under", "2", "-o", tmp_path / "x.csv")
    assert mixed.returncode == 2 and "no per-label under-sampling plan" in mixed.stderr and "ml_rus" in mixed.stderr
    smote = run("resample", yeast, "--labels", "label_*", "--method", "mlsmote", "--k-neighbors", "3", "-o",
                tmp_path / "s.csv", "--source-column", "src")
    assert smote.returncode == 0, smote.stderr
    made = pd.read_csv(tmp_path / "s.csv")
    assert list(made.columns) == ["src", *table.columns] and (made["src"] == -1).sum() == len(made) - len(table)


def test_plan_and_resample_a_multilabel_table_to_a_label_plan(tmp_path):
    from imbalance.multilabel import label_plan

    rng = np.random.default_rng(0)
    Y = (rng.random((300, 3)) < [0.6, 0.2, 0.05]).astype(int)
    table = pd.DataFrame({"x": rng.normal(size=300), "tag_a": Y[:, 0], "tag_b": Y[:, 1], "tag_c": Y[:, 2]})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    shown = run("plan", path, "--labels", "tag_*", "--over", "2")
    assert shown.returncode == 0, shown.stderr
    expected = label_plan(table[["tag_a", "tag_b", "tag_c"]], "over", ratio=2)
    assert shown.stdout.strip() == repr(expected)
    data = json.loads(run("plan", path, "--labels", "tag_*", "--method", "ml_ros", "--json").stdout)
    assert data["at_least"] == label_plan(table[["tag_a", "tag_b", "tag_c"]]).targets and data["strategy"] == "mean_ir"
    out = tmp_path / "o.csv"
    done = run("resample", path, "--labels", "tag_*", "--targets", "tag_c=40", "-o", out, "--seed", "1")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out)
    assert written["tag_c"].sum() >= 40 and written["tag_c"].sum() - table["tag_c"].sum() <= 40
    assert written.iloc[:300].equals(table)  # every row once, then the clones
    for args, words in [(["--under"], "no per-label under-sampling plan"),
                        (["--method", "mlsmote"], "--method mlsmote has no label plan"),
                        (["--targets", "tag_a=1"], "a label plan only adds rows"),
                        (["--targets", "tag_z=50"], "unknown label 'tag_z'")]:
        bad = run("plan", path, "--labels", "tag_*", *args)
        assert bad.returncode == 2 and words in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
