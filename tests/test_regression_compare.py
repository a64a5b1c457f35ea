"""compare on a numeric target: the regression problem of the compare engine, on the bundled
Abalone table (the authors' imbalanced-regression benchmark), against hand-built pipelines."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge

import imbalance
from imbalance._engine import preprocessor
from imbalance._regression import is_numeric_target
from imbalance.answer import answer
from imbalance.datasets import load_abalone, load_churn
from imbalance.regression import SMOGN, Relevance, dense_weights, plan_bins, regression_scores, relevance_bins


@pytest.fixture(scope="module")
def abalone():
    return load_abalone(return_X_y=True)


@pytest.fixture(scope="module")
def result(abalone):
    X, y = abalone
    return imbalance.compare(X, y, recipes=["none", "smogn", "dense_weights"], models=["ridge", "random_forest"],
                             cv=3, random_state=0)


def test_a_numeric_target_is_read_as_one_and_classes_stay_classes():
    X, y = load_abalone(return_X_y=True)
    assert is_numeric_target(y) and is_numeric_target(y.astype(float) / 10)
    assert not is_numeric_target(load_churn()["LABEL"]) and not is_numeric_target(np.arange(20) % 4)
    assert not is_numeric_target(np.array(["a", "b"] * 20))


@pytest.mark.slow  # fits every cell of a comparison
def test_folds_are_stratified_on_the_relevance_bins(result, abalone):
    X, y = abalone
    codes = relevance_bins(y).assign(y)
    folds = _folds(X, y.to_numpy())
    per_fold = np.array([np.bincount(codes[test], minlength=3) for _, test in folds])
    assert (np.ptp(per_fold, axis=0) <= 1).all()  # every validation part holds its share of each bin, to a row
    sizes = result.results.query("strategy == 'none' and model == 'ridge'").sort_values("fold")["n_test"]
    assert sizes.tolist() == [len(test) for _, test in folds]
    assert len(result.predictions[("none", "ridge")]) == len(y)  # pooled out of fold: every row once


@pytest.mark.slow  # fits every cell of a comparison
def test_a_cell_is_the_pipeline_built_by_hand_on_its_training_part(result, abalone):
    X, y = abalone
    y = y.to_numpy(dtype=float)  # compare reads a numeric target as floats: synthetic targets are not rounded
    for (train, test), fold in zip(_folds(X, y), range(3)):
        relevance = Relevance.from_target(y[train])
        # none / ridge: the preprocessing and the ridge, fitted on the training part
        prep = preprocessor(X, scale=True).fit(X.iloc[train])
        ridge = Ridge(alpha=1.0).fit(prep.transform(X.iloc[train]), y[train])
        expected = regression_scores(y[test], ridge.predict(prep.transform(X.iloc[test])), relevance=relevance)
        row = result.results.query("strategy == 'none' and model == 'ridge' and fold == @fold").iloc[0]
        for metric, value in expected.items():
            assert row[metric] == pytest.approx(value, rel=1e-9), metric
        # smogn / random_forest: SMOGN on the preprocessed training features, then the forest
        prep = preprocessor(X, scale=False).fit(X.iloc[train])
        sampler = SMOGN(random_state=fold, relevance=relevance)
        X_fit, y_fit = sampler.fit_resample(prep.transform(X.iloc[train]), y[train])
        forest = RandomForestRegressor(n_estimators=100, min_samples_leaf=2, random_state=fold, n_jobs=1)
        forest.fit(X_fit, y_fit)
        expected = regression_scores(y[test], forest.predict(prep.transform(X.iloc[test])), relevance=relevance)
        row = result.results.query("strategy == 'smogn' and model == 'random_forest' and fold == @fold").iloc[0]
        assert row["n_fit"] == len(y_fit) == plan_bins(y[train])[0].n_after
        for metric, value in expected.items():
            assert row[metric] == pytest.approx(value, rel=1e-9), metric
        # dense_weights / ridge: the weights of the training target as sample_weight
        prep = preprocessor(X, scale=True).fit(X.iloc[train])
        ridge = Ridge(alpha=1.0).fit(prep.transform(X.iloc[train]), y[train], sample_weight=dense_weights(y[train]))
        expected = regression_scores(y[test], ridge.predict(prep.transform(X.iloc[test])), relevance=relevance)
        row = result.results.query("strategy == 'dense_weights' and model == 'ridge' and fold == @fold").iloc[0]
        assert row["rare_rmse"] == pytest.approx(expected["rare_rmse"], rel=1e-9)


def _folds(X, y):
    from imbalance.model_selection import FoldPlan

    plan = FoldPlan.stratified(relevance_bins(y).assign(y), n_splits=3, random_state=0)
    return list(plan.split(X, y))


@pytest.mark.slow  # fits every cell of a comparison
def test_the_answer_reads_errors_as_lower_is_better(result):
    verdicts = answer(result)
    assert [v.metric for v in verdicts] == ["rare_rmse", "sera"]
    means = result.summary.set_index(["strategy", "model"])["rare_rmse_mean"]
    assert verdicts[0].best == means.idxmin()
    assert "rare rmse: best" in verdicts[0].sentence()
    assert "numeric target" in repr(result)
    assert set(result.predictions[("smogn", "ridge")].columns) == {"y_true", "y_pred"}


@pytest.mark.parametrize("kwargs, words", [
    (dict(recipes=["smote"]), "unknown regression recipe 'smote'"),
    (dict(models=["logreg"]), "unknown regression model 'logreg'"),
    (dict(metrics=["average_precision"]), "unknown regression metric"),
    (dict(costs={"FN": 5, "FP": 1}), "a numeric target has none"),
    (dict(task="forecast"), "task must be"),
    (dict(recipes=["smogn"], k_neighbors=400), "not more than k_neighbors = 400"),
    (dict(threshold=1.5), "threshold must be"),
    (dict(cv=200), r"has \d+ rows, fewer than the 200 folds"),
])
def test_bad_arguments_fail_before_any_cell(abalone, kwargs, words):
    X, y = abalone
    with pytest.raises(ValueError, match=words):
        imbalance.compare(X, y, **kwargs)


@pytest.mark.slow  # fits every cell of a comparison
def test_task_overrides_the_reading_of_the_target(abalone):
    X, y = abalone
    with pytest.raises(ValueError, match="nothing to rebalance"):
        imbalance.compare(X, y.clip(6, 13), task="regression")  # no rare values left
    small = pd.Series(np.r_[np.zeros(60), np.ones(40)].astype(int))
    frame = pd.DataFrame({"a": np.arange(100.0)})
    out = imbalance.compare(frame, small, recipes=["none"], models=["logreg"], task="classification", cv=2)
    assert out.task == "classification"


@pytest.mark.slow  # fits every cell of a comparison
def test_the_report_of_a_numeric_target(result, tmp_path):
    from imbalance.report import write_report

    files = {p.name for p in write_report(result, tmp_path / "report", source="abalone")}
    assert files == {"results.csv", "summary.csv", "metrics.png", "error_by_target.png", "target_distribution.png",
                     "report.html", "answer.json"}
    page = (tmp_path / "report" / "report.html").read_text()
    assert "rare rmse: best" in page and "SMOGN: SMOTER near" in page and "ridge, smogn: rare RMSE" in page
    # the first training part's targets: as they are for none and the weights, resampled for smogn
    fitted = result.fitted_targets
    assert set(fitted) == {"none", "smogn", "dense_weights"}
    assert np.array_equal(fitted["none"], fitted["dense_weights"]) and len(fitted["smogn"]) == len(fitted["none"])
    train_rare = (Relevance.from_target(fitted["none"])(fitted["none"]) >= 0.8).mean()
    assert (Relevance.from_target(fitted["none"])(fitted["smogn"]) >= 0.8).mean() > train_rare


# -- the command line ----------------------------------------------------------------------

@pytest.mark.slow  # fits every cell of a comparison
def test_the_command_line_reads_a_numeric_target_and_writes_its_report(tmp_path):
    from cli_runner import run_cli

    source = tmp_path / "abalone.csv"
    load_abalone().to_csv(source, index=False)
    done = run_cli("compare", source, "-t", "Rings", "--recipes", "none,smogn", "--models", "ridge", "--folds", "3",
                   "--out", tmp_path / "report")
    assert done.returncode == 0, done.stderr
    assert "rare rmse: best" in done.stdout and "numeric target 'Rings'" in done.stdout
    settings = __import__("json").loads((tmp_path / "report" / "answer.json").read_text())["settings"]
    assert settings["task"] == "regression" and settings["target column"] == "Rings"
    # fit refuses the numeric target's answer with one line, for now
    refused = run_cli("fit", source, "-t", "Rings", "--from", tmp_path / "report", "-o", tmp_path / "m.joblib")
    assert refused.returncode == 2 and "numeric target" in refused.stderr and len(refused.stderr.splitlines()) == 1


@pytest.mark.parametrize("args, words", [
    (["--costs", "FN=5,FP=1"], "--costs is for class probabilities"),
    (["--metrics", "average_precision"], "unknown metric 'average_precision' in --metrics for a numeric target"),
    (["--task", "regression", "--engine", "spark"], "a numeric target runs in memory"),
])
def test_the_command_line_refuses_class_options_on_a_numeric_target(tmp_path, args, words):
    from cli_runner import run_cli

    source = tmp_path / "abalone.csv"
    load_abalone().to_csv(source, index=False)
    done = run_cli("compare", source, "-t", "Rings", *args, "--out", tmp_path / "report")
    assert done.returncode == 2 and words in done.stderr and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "report").exists()
