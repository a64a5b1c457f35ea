"""The newcomer's path (issue 35): what the report, the answer and the terminal say about the
options given, what deploying the answer would do, and the README's own snippets."""

import json

import numpy as np
import pandas as pd
import pytest

import imbalance
from imbalance.answer import decision_summary
from imbalance.cli import main
from imbalance.datasets import load_churn


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def churn_result():
    X, y = load_churn(return_X_y=True)
    return imbalance.compare(X, y, strategies=["none", "over", "threshold"], models=["logreg"], cv=3)


def test_each_fold_records_its_decisions_counts(churn_result):
    results = churn_result.results
    assert (results[["tp", "fp", "fn", "tn"]].sum(axis=1) == results["n_test"]).all()
    for _, row in results.iterrows():
        assert row["precision"] == pytest.approx(row["tp"] / (row["tp"] + row["fp"]))
        assert row["recall"] == pytest.approx(row["tp"] / (row["tp"] + row["fn"]))
        assert row["flagged"] == pytest.approx((row["tp"] + row["fp"]) / row["n_test"])
    y = load_churn()["LABEL"].to_numpy()
    assert results.query("strategy == 'none'")[["tp", "fn"]].to_numpy().sum() == (y == 1).sum()


def test_the_decision_summary_adds_up_every_row_once(churn_result):
    cell = ("threshold", "logreg")
    text = decision_summary(churn_result, cell)
    rows = churn_result.results.query("strategy == 'threshold'")
    tp, fp, fn = (int(rows[c].sum()) for c in ("tp", "fp", "fn"))
    assert "of 5,000 rows" in text and f"flags {(tp + fp) / 5000:.1%} ({tp + fp:,})" in text
    assert f"catches {tp / (tp + fn):.0%} of the 707 rows of class 1" in text and f"{fn:,} missed)" in text
    assert f"{tp / (tp + fp):.0%} of the flagged rows" in text and f"{fp:,} false alarms" in text
    assert decision_summary(churn_result, ("smote", "logreg")) is None  # not run


def test_costs_and_calibration_are_recorded_and_shown(capsys, tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(300, 2)), columns=["a", "b"])
    df["LABEL"] = (df["a"] + rng.normal(size=300) > 1.2).astype(int)
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    code, out, err = cli(capsys, "compare", path, "--strategies", "none,threshold", "--models", "logreg",
                         "--folds", "2", "--costs", "FN=10,FP=1", "--calibrate", "sigmoid", "--out", tmp_path / "r")
    assert code == 0, err
    settings = json.loads((tmp_path / "r" / "answer.json").read_text())["settings"]
    assert settings["costs"] == "FN=10,FP=1" and settings["calibration"] == ["sigmoid"]
    assert settings["decide by"] == "f1" and settings["threshold tuned for"] == "f1"
    header_lines = [line for line in out.splitlines() if line.startswith("strategy")]
    shown = " ".join(header_lines)
    assert "cost" in shown and "Brier sigm." in shown  # the columns the options asked for
    report = (tmp_path / "r" / "report.html").read_text()
    assert "costs: FN=10,FP=1" in report and "calibration: sigmoid" in report
    assert "Deciding with" in out


def test_the_report_states_where_the_prior_correction_is_exact(churn_result, tmp_path):
    imbalance.report.write_report(churn_result, tmp_path / "r", source="churn")
    text = " ".join((tmp_path / "r" / "report.html").read_text().split())
    assert "exactly only where the model's probabilities were calibrated" in text
    assert "can leave the Brier score worse" in text
