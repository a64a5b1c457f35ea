"""imbalance.compare and `imbalance compare`: leak-free, deterministic, complete outputs."""

import base64
import html.parser

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score
from sklearn.model_selection import cross_val_predict

import imbalance
from cli_runner import run_cli
from imbalance.comparison import compare
from imbalance.datasets import load_churn
from imbalance.model_selection import FoldPlan
from imbalance.report import write_report


@pytest.fixture(scope="module")
def small_result():
    X, y = load_churn(return_X_y=True)
    return compare(X, y, recipes=["none", "under_1:1", "threshold"], models=["logreg"], cv=3, random_state=0)


def test_leakage_would_change_the_numbers_and_ours_does_not():
    # Pure noise: nothing can be learnt. Over-sampling before splitting puts copies of the
    # same minority rows in training and validation, and a forest "finds" them.
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 5)), columns=list("abcde"))
    y = (rng.random(600) < 0.1).astype(int)
    folds = FoldPlan.stratified(y, n_splits=3, random_state=0)
    X_leaky, y_leaky = imbalance.resample(X, y, "over", random_state=0)
    leaky_proba = cross_val_predict(RandomForestClassifier(random_state=0), X_leaky, y_leaky, cv=3, method="predict_proba")[:, 1]
    leaky_ap = average_precision_score(y_leaky, leaky_proba)
    ours = compare(X, y, recipes=["over"], models=["random_forest"], cv=folds)
    assert leaky_ap > 0.8
    assert ours.results["average_precision"].mean() < 0.3  # about the prevalence, as it should be
    assert ours.results["n_test"].sum() == 600  # every validation row is an original row, once
    assert (ours.results["n_fit"] > ours.results["n_train"]).all()  # the training part was over-sampled


def test_same_seed_same_table(small_result):
    X, y = load_churn(return_X_y=True)
    again = compare(X, y, recipes=["none", "under_1:1", "threshold"], models=["logreg"], cv=3, random_state=0)
    pd.testing.assert_frame_equal(small_result.results.drop(columns="seconds"), again.results.drop(columns="seconds"))


def test_literature_effects_on_churn(small_result):
    s = small_result.summary.set_index("strategy")
    # rebalancing raises balanced accuracy at 0.5 ...
    assert s.loc["under_1:1", "balanced_accuracy_mean"] > s.loc["none", "balanced_accuracy_mean"] + 0.05
    # ... distorts probabilities, and the prior correction brings Brier back near the plain model's
    assert s.loc["under_1:1", "brier_mean"] > 1.4 * s.loc["none", "brier_mean"]
    assert abs(s.loc["under_1:1", "brier_corrected_mean"] - s.loc["none", "brier_mean"]) < 0.01
    assert s.loc["threshold", "f1_mean"] > s.loc["none", "f1_mean"]


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


def test_every_output_file_is_produced_and_valid(small_result, tmp_path):
    import matplotlib.image

    written = write_report(small_result, tmp_path, source="churn")
    names = sorted(p.name for p in written)
    assert names == ["answer.json", "calibration.png", "metrics.png", "pr_curves.png", "report.html", "results.csv",
                     "summary.csv"]
    assert "<section id='answer'>" in (tmp_path / "report.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary files left
    results = pd.read_csv(tmp_path / "results.csv")
    assert len(results) == 3 * 3 and {"average_precision", "brier_corrected"} <= set(results.columns)
    for png in ("calibration.png", "metrics.png", "pr_curves.png"):
        assert matplotlib.image.imread(tmp_path / png).ndim == 3
    parser = _Images()
    page = (tmp_path / "report.html").read_text()
    parser.feed(page)
    assert len(parser.sources) == 3
    for src in parser.sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "class='best'" in page


def test_bad_arguments():
    X, y = load_churn(return_X_y=True)
    with pytest.raises(imbalance.ParameterError, match="unknown recipe"):
        compare(X, y, recipes=["smote-ish"])
    with pytest.raises(imbalance.ParameterError, match="unknown model"):
        compare(X, y, models=["svm"])


def run_compare(*args, cwd):
    return run_cli("compare", *args, cwd=cwd, columns=200)


@pytest.mark.slow
def test_cli_compare_on_the_demo(tmp_path):
    out = tmp_path / "report"
    result = run_compare("--models", "logreg", "--recipes", "none,under_3:1", "--folds", "3", "--out", out,
                     "--progress", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "under_3:1" in result.stdout and "*" in result.stdout
    assert result.stdout.startswith("The answer (3 folds x 1 repeat(s), corrected resampled t-test, 95%):")
    assert "- average precision: best" in result.stdout and "- f1: best" in result.stdout
    assert "fitting strategy x model x fold" in result.stderr  # the progress bar
    assert (out / "report.html").exists() and (out / "summary.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, words",
    [
        (["--recipes", "nope"], "unknown recipe 'nope'"),
        (["--folds", "1"], "--folds: must be an int >= 2, got 1"),
        (["--models", "svm"], "unknown model 'svm'"),
        (["--decide-by", "accuracy"], "unknown metric 'accuracy' in --decide-by"),
    ],
)
def test_cli_compare_bad_input(tmp_path, args, words):
    result = run_compare(*args, "--out", tmp_path / "r", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert not (tmp_path / "r").exists()


def test_missing_values_and_categoricals_are_handled_inside_the_folds():
    X, y = load_churn(return_X_y=True)
    X = X.copy()
    X.loc[X.index[::7], "total_day_minutes"] = np.nan
    X.loc[X.index[::11], "state"] = np.nan
    result = compare(X, y, recipes=["none"], models=["logreg", "hist_gb"], cv=3)
    assert result.results["average_precision"].notna().all()
    assert (result.results["average_precision"] > 0.3).all()


def test_multiclass_labels(tmp_path):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 4)), columns=list("abcd"))
    y = np.where(X["a"] > 1.2, "rare", np.where(X["b"] > 0, "mid", "common"))
    result = compare(X, y, recipes=["none", "under_1:1"], models=["logreg"], cv=3)
    assert result.results["balanced_accuracy"].between(0, 1).all() and len(result.classes) == 3
    written = write_report(result, tmp_path)
    assert {p.name for p in written} == {"results.csv", "summary.csv", "metrics.png", "report.html", "answer.json"}


def test_smote_strategy_synthesises_on_the_training_part_only():
    X, y = load_churn(return_X_y=True)
    result = compare(X, y, recipes=["smote"], models=["logreg"], cv=3)
    rows = result.results
    assert (rows["n_fit"] > rows["n_train"]).all()  # the training part grew ...
    assert rows["n_test"].sum() == 5000  # ... and every validation row is scored once, as it is
    s = result.summary.iloc[0]
    assert s["brier_corrected_mean"] < s["brier_mean"]  # trained at 1:1, corrected back


def test_binary_positive_class_is_the_minority_whatever_its_label():
    X, y = load_churn(return_X_y=True)
    named = np.where(y == 1, "churned", "stayed")  # alphabetically the minority comes first
    flipped = 1 - y  # the majority is now labelled 1
    reference = compare(X, y, recipes=["none"], models=["logreg"], cv=3)
    for labels in (named, flipped):
        result = compare(X, labels, recipes=["none"], models=["logreg"], cv=3)
        assert result.classes[1] in ("churned", 0)
        np.testing.assert_allclose(result.results["average_precision"], reference.results["average_precision"])


def test_a_threshold_cell_scored_from_its_none_cell_s_fit_equals_one_fitted_alone(small_result):
    X, y = load_churn(return_X_y=True)
    alone = compare(X, y, recipes=["threshold"], models=["logreg"], cv=3, random_state=0)
    merged = small_result.results.query("strategy == 'threshold'").reset_index(drop=True)
    pd.testing.assert_frame_equal(merged.drop(columns="seconds"), alone.results.drop(columns="seconds"))
    pooled = small_result.predictions[("threshold", "logreg")]
    pd.testing.assert_frame_equal(pooled, alone.predictions[("threshold", "logreg")])
