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
    return imbalance.compare(X, y, recipes=["none", "over", "threshold"], models=["logreg"], cv=3)


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


@pytest.mark.slow  # compare or fit end to end
def test_costs_and_calibration_are_recorded_and_shown(capsys, tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(300, 2)), columns=["a", "b"])
    df["LABEL"] = (df["a"] + rng.normal(size=300) > 1.2).astype(int)
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    code, out, err = cli(capsys, "compare", path, "--recipes", "none,threshold", "--models", "logreg",
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


@pytest.mark.slow  # compare or fit end to end
def test_the_report_states_where_the_prior_correction_is_exact(churn_result, tmp_path):
    imbalance.report.write_report(churn_result, tmp_path / "r", source="churn")
    text = " ".join((tmp_path / "r" / "report.html").read_text().split())
    assert "exactly only where the model's probabilities were calibrated" in text
    assert "can leave the Brier score worse" in text


@pytest.mark.slow  # compare or fit end to end
def test_scoring_the_training_rows_says_so_on_the_terminal_and_in_the_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # fit records the file's full path: a relative one must match too
    df = load_churn().select_dtypes("number").assign(LABEL=load_churn()["LABEL"]).head(600)
    df.to_csv("train.csv", index=False)
    df.tail(100).to_csv("new.csv", index=False)
    assert cli(capsys, "fit", "train.csv", "--recipe", "none", "-o", "m.joblib")[0] == 0
    code, _, err = cli(capsys, "predict", "m.joblib", tmp_path / "train.csv", "-o", "scored.csv")
    assert code == 0 and err.startswith("imbalance predict: note: these are the rows the model was fitted on")
    assert pd.read_csv("scored.csv")["in_sample"].all()
    code, _, err = cli(capsys, "predict", "m.joblib", "new.csv", "-o", "scored_new.csv")
    assert code == 0 and err == "" and "in_sample" not in pd.read_csv("scored_new.csv").columns
    # the demo, when no file is given to either
    assert cli(capsys, "fit", "--recipe", "none", "-o", "demo.joblib")[0] == 0
    code, _, err = cli(capsys, "predict", "demo.joblib", "-o", "demo.csv")
    assert code == 0 and "the bundled churn demo" in err and pd.read_csv("demo.csv")["in_sample"].all()


@pytest.mark.slow  # the README's compare fits 15 gradient boosting models
def test_the_readmes_python_runs_as_written():
    # issue 35.10/13: the torch snippet failed with a TensorDataset, and the printed plan did not match
    import doctest
    import re
    from pathlib import Path

    pytest.importorskip("torch")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    blocks = re.findall(r"```pycon\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 2
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    outcome = runner.summarize(verbose=False)
    assert outcome.failed == 0 and outcome.attempted >= 15


def test_a_tensor_dataset_gives_its_labels_and_the_hint_for_other_datasets_works():
    torch = pytest.importorskip("torch")
    from torch.utils.data import Dataset, TensorDataset

    import imbalance.torch as it

    X, y = torch.randn(100, 3), (torch.arange(100) % 10 == 0).long()
    sampler = it.ClassBalancedSampler(TensorDataset(X, y), strategy="over", seed=0)
    assert torch.bincount(y[list(sampler)]).tolist() == [90, 90]

    class Rows(Dataset):  # labels only by loading items
        def __len__(self):
            return 100

        def __getitem__(self, i):
            return X[i], y[i]

    with pytest.raises(imbalance.InputError, match=r"Sampler\(labels=y, dataset=ds\)"):
        it.ClassBalancedSampler(Rows())
    assert len(it.ClassBalancedSampler(labels=y, dataset=Rows(), seed=0)) == 180  # the hint, as written


def test_progress_knows_the_total_before_the_first_cell_ends():
    calls = []
    X, y = load_churn(return_X_y=True)
    imbalance.compare(X.head(600), y.head(600), recipes=["none", "threshold"], models=["logreg"], cv=3,
                      progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert [done for done, _ in calls] == list(range(7))
