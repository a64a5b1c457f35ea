"""A model to take home: a compare cell as a classifier gives that cell's numbers, survives
saving and loading, and the fit / predict commands use it."""

import json

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import imbalance
from cli_runner import run_cli
from imbalance.datasets import load_churn
from imbalance.deploy import RecipeClassifier, load, save
from imbalance.metrics import evaluate, multilabel_scores
from imbalance.model_selection import FoldPlan


@pytest.fixture(scope="module")
def churn():
    X, y = load_churn(return_X_y=True)
    named = y.map({0: "stayed", 1: "churned"})  # the minority sorts first: compare flips it to positive
    return X, named


@pytest.mark.parametrize("strategy, model", [("threshold", "logreg"), ("under_1:1", "logreg"),
                                             ("balanced_rf", "random_forest")])
def test_fitted_on_a_fold_it_gives_the_compare_cell_s_numbers(churn, strategy, model):
    X, y = churn
    result = imbalance.compare(X, y, recipes=[strategy], models=[model], cv=3, random_state=4)
    train, test = next(FoldPlan.stratified(y, n_splits=3, random_state=4).split(X, y))
    fitted = RecipeClassifier(strategy, model, random_state=4).fit(X.iloc[train], y.iloc[train])
    assert fitted.positive_class_ == "churned" and list(fitted.classes_) == ["churned", "stayed"]
    positive = (y.iloc[test] == "churned").to_numpy().astype(int)
    scores = evaluate(positive, fitted.predict_proba_uncorrected(X.iloc[test])[:, 0], threshold=fitted.threshold_)
    corrected = evaluate(positive, fitted.predict_proba(X.iloc[test])[:, 0], threshold=fitted.threshold_)
    row = result.results.query("fold == 0").iloc[0]
    for metric in ("average_precision", "f1", "balanced_accuracy", "brier"):
        assert scores[metric] == pytest.approx(row[metric], abs=1e-12), metric
    assert corrected["brier"] == pytest.approx(row["brier_corrected"], abs=1e-12)
    decisions = fitted.predict(X.iloc[test])
    np.testing.assert_array_equal(decisions == "churned",
                                  fitted.predict_proba_uncorrected(X.iloc[test])[:, 0] >= fitted.threshold_)


def test_a_label_matrix_cell_gives_its_numbers_too():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 4)), columns=list("abcd"))
    Y = pd.DataFrame((X.to_numpy()[:, :3] + rng.normal(size=(300, 3)) > [0.0, 1.0, 1.5]).astype(int),
                     columns=["p", "q", "r"])
    result = imbalance.compare(X, Y, recipes=["threshold"], models=["logreg"], cv=3)
    train, test = next(FoldPlan.multilabel(Y, n_splits=3, random_state=0).split(X, Y))
    fitted = RecipeClassifier("threshold", "logreg").fit(X.iloc[train], Y.iloc[train])
    assert fitted.multilabel_ and list(fitted.classes_) == ["p", "q", "r"] and fitted.threshold_.shape == (3,)
    scores = multilabel_scores(Y.iloc[test].to_numpy(), fitted.predict_proba(X.iloc[test]), threshold=fitted.threshold_)
    assert scores["f1_macro"] == pytest.approx(result.results.iloc[0]["f1_macro"], abs=1e-12)
    np.testing.assert_array_equal(fitted.predict(X.iloc[test]),
                                  (fitted.predict_proba(X.iloc[test]) >= fitted.threshold_).astype(int))


@pytest.mark.slow
def test_multiclass_and_a_threshold_of_one_s_own(churn):
    X, y = churn
    three = np.where(X["total_day_minutes"] > 250, "high", y)
    fitted = RecipeClassifier("class_weight", "logreg").fit(X, three)
    proba = fitted.predict_proba(X)
    assert fitted.threshold_ is None and fitted.positive_class_ is None and proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(fitted.predict(X), fitted.classes_[fitted.predict_proba_uncorrected(X).argmax(1)])
    strict = RecipeClassifier("none", "logreg", threshold=0.9).fit(X, y)
    assert strict.threshold_ == 0.9 and (strict.predict(X) == "churned").mean() < 0.02
    with pytest.raises(imbalance.ParameterError, match="threshold= is for binary labels"):
        RecipeClassifier(threshold=0.3).fit(X, three)
    with pytest.raises(imbalance.ParameterError, match="unknown recipe 'x'"):
        RecipeClassifier("x").fit(X, y)
    with pytest.raises(imbalance.ParameterError, match="unknown model 'svm'"):
        RecipeClassifier("none", "svm").fit(X, y)
    with pytest.raises(imbalance.InputError, match="lacks the column"):
        strict.predict(X.drop(columns="state"))
    assert clone(strict).get_params() == strict.get_params()


def test_saved_and_loaded_it_predicts_the_same(churn, tmp_path):
    X, y = churn
    fitted = RecipeClassifier("threshold", "logreg").fit(X, y)
    path = save(fitted, tmp_path / "m.joblib", info={"strategy": "threshold"})
    again = imbalance.load(path)
    np.testing.assert_array_equal(again.predict(X), fitted.predict(X))
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))
    assert again.info_["strategy"] == "threshold" and again.info_["imbalance"] == imbalance.__version__
    assert [p.name for p in tmp_path.iterdir()] == ["m.joblib"]  # no temporary file left
    joblib.dump({"something": "else"}, tmp_path / "other.joblib")
    (tmp_path / "text.joblib").write_text("not a model")
    for name in ("other.joblib", "text.joblib", "missing.joblib"):
        with pytest.raises(imbalance.InputError, match="not a model saved by imbalance|is not a file"):
            load(tmp_path / name)


def run(*args, cwd):
    return run_cli(*args, cwd=cwd, columns=200)


@pytest.mark.slow
def test_compare_then_fit_the_answer_then_predict(tmp_path):
    done = run("compare", "--recipes", "none,threshold", "--models", "logreg", "--folds", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    answer = json.loads((tmp_path / "imbalance-report" / "answer.json").read_text())
    best = answer["verdicts"][-1]["choice"]  # the cell the answer recommends (the best, or one tied that keeps
    # the model's probabilities)
    fit = run("fit", "-o", "model.joblib", cwd=tmp_path)
    assert fit.returncode == 0, fit.stderr
    assert f"fitted {best[0]} / {best[1]} on 5,000 rows (the answer of imbalance-report/" in fit.stdout
    model = load(tmp_path / "model.joblib")
    assert [model.info_["strategy"], model.info_["model"]] == best and model.info_["answer"]["metric"] == "f1"
    scored = run("predict", "model.joblib", "-o", "scored.csv", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    table = pd.read_csv(tmp_path / "scored.csv")
    X, y = load_churn(return_X_y=True)
    # the demo is what the model was fitted on: in-sample scores, said on the terminal and in the file
    assert list(table.columns[-3:]) == ["proba", "decision", "in_sample"] and (table["LABEL"] == y).all()
    assert table["in_sample"].all() and "in-sample" in scored.stderr
    np.testing.assert_array_equal(table["decision"], model.predict(X))
    np.testing.assert_allclose(table["proba"], model.predict_proba(X)[:, 1], rtol=1e-12)
    given = run("fit", "--recipe", "under_1:1", "--model", "logreg", "--seed", "3", "-o", "u.joblib", cwd=tmp_path)
    assert given.returncode == 0 and "fitted under_1:1 / logreg on 5,000 rows (as asked)" in given.stdout
    X.drop(columns="state").to_csv(tmp_path / "short.csv", index=False)
    for args, words in [(["fit", "--from", "nowhere", "-o", "x.joblib"], "no compare answer in nowhere"),
                        (["fit", "--model", "logreg", "-o", "x.joblib"], "--model needs --recipe"),
                        (["predict", "scored.csv", "-o", "x.csv"], "is not a model saved by imbalance"),
                        (["predict", "model.joblib", "short.csv", "-o", "x.csv"], "lacks the column(s) ['state']")]:
        bad = run(*args, cwd=tmp_path)
        assert bad.returncode == 2 and words in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
        assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.joblib").exists()
