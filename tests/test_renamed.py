"""Renamed parameters and options keep working for one release, with a FutureWarning (a note
on the command line), and refuse to be given twice: one test per old spelling."""

import warnings

import numpy as np
import pandas as pd
import pytest

import imbalance
from imbalance.cli import main
from imbalance.datasets import load_churn


@pytest.fixture(scope="module")
def churn():
    return load_churn().iloc[:600]


def test_compare_strategies_is_recipes(churn):
    X, y = churn.drop(columns="LABEL"), churn["LABEL"]
    with pytest.warns(FutureWarning, match=r"strategies= is renamed recipes="):
        old = imbalance.compare(X, y, strategies=["none"], models=["logreg"], cv=2)
    new = imbalance.compare(X, y, recipes=["none"], models=["logreg"], cv=2)
    pd.testing.assert_frame_equal(old.results.drop(columns="seconds"), new.results.drop(columns="seconds"))
    with pytest.raises(imbalance.ParameterError, match="give recipes= only"):
        imbalance.compare(X, y, recipes=["none"], strategies=["none"])


def test_compare_multilabel_strategies_is_recipes():
    from imbalance.multilabel_comparison import compare_multilabel

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(90, 3)), columns=list("abc"))
    Y = pd.DataFrame({"p": np.arange(90) % 2, "q": (np.arange(90) % 5 == 0).astype(int)})
    with pytest.warns(FutureWarning, match="strategies= is renamed recipes="):
        result = compare_multilabel(X, Y, strategies=["none"], models=["logreg"], cv=3)
    assert set(result.results["strategy"]) == {"none"}


def test_recipe_classifier_strategy_is_recipe(churn):
    X, y = churn.drop(columns="LABEL"), churn["LABEL"]
    with pytest.warns(FutureWarning, match="strategy= is renamed recipe="):
        old = imbalance.RecipeClassifier(strategy="under_1:1").fit(X, y)
    new = imbalance.RecipeClassifier(recipe="under_1:1").fit(X, y)
    np.testing.assert_array_equal(old.predict_proba(X), new.predict_proba(X))
    assert "recipe" in new.get_params() and new.get_params()["strategy"] == "deprecated"
    with pytest.raises(imbalance.ParameterError, match="give recipe= only"):
        imbalance.RecipeClassifier(recipe="over", strategy="under_1:1").fit(X, y)


@pytest.mark.parametrize("function", [imbalance.under_sample, imbalance.over_sample])
def test_table_target_is_label_col(churn, function):
    with pytest.warns(FutureWarning, match="target= is renamed label_col="):
        old = function(churn, target="LABEL", random_state=0)
    pd.testing.assert_frame_equal(old, function(churn, label_col="LABEL", random_state=0))
    with pytest.raises(imbalance.ParameterError, match="give label_col= only"):
        function(churn, label_col="LABEL", target="LABEL")


def test_new_names_warn_nothing(churn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        imbalance.under_sample(churn, "LABEL", random_state=0)
        imbalance.under_sample(churn, label_col="LABEL", random_state=0)


@pytest.mark.parametrize("old, new, argv", [
    ("--target", "--label-col", ["inspect", "--target", "LABEL", "--json"]),
    ("--strategies", "--recipes", ["compare", "--strategies", "none", "--models", "logreg", "--folds", "2",
                                   "--no-progress"]),
])
def test_cli_old_options_print_a_note(old, new, argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if argv[0] == "compare":
        load_churn().iloc[:400].to_csv("small.csv", index=False)
        argv = [argv[0], "small.csv", *argv[1:], "--out", "report"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"imbalance {argv[0]}: note: {old} is renamed {new}; {old} goes in imbalance 0.3." in err


def test_cli_fit_strategy_is_recipe(capsys, tmp_path):
    data = tmp_path / "small.csv"
    load_churn().iloc[:400].to_csv(data, index=False)
    assert main(["fit", str(data), "--strategy", "under_1:1", "--model", "logreg", "-o", str(tmp_path / "m.joblib")]) == 0
    captured = capsys.readouterr()
    assert "note: --strategy is renamed --recipe" in captured.err and "fitted under_1:1 / logreg" in captured.out


def test_cli_old_and_new_together_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["inspect", "--target", "LABEL", "--label-col", "churn"])
    assert exit_.value.code == 2
    assert "give --label-col only: --target is its old name" in capsys.readouterr().err
