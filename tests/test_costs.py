"""Decisions by cost: Bayes' rule and expected cost against direct computations, and compare's
cost columns (dict, matrix and per-row costs agreeing with each other)."""


import numpy as np
import pandas as pd
import pytest

import imbalance
from cli_runner import run_cli
from imbalance.datasets import load_churn
from imbalance.metrics import bayes_decisions, expected_cost
from imbalance.model_selection import FoldPlan

rng = np.random.default_rng(0)


def test_binary_bayes_rule_is_a_threshold_at_fp_over_fp_plus_fn():
    p = rng.random(1000)
    fn, fp = 20.0, 1.0
    decided = bayes_decisions(p, [[0, fp], [fn, 0]])
    np.testing.assert_array_equal(decided, (p > fp / (fp + fn)).astype(int))
    y = (rng.random(1000) < p).astype(int)
    direct = np.mean(np.where((decided == 1) & (y == 0), fp, 0) + np.where((decided == 0) & (y == 1), fn, 0))
    assert expected_cost(y, decided, [[0, fp], [fn, 0]]) == pytest.approx(direct)


def test_several_classes_and_per_row_costs():
    P = rng.dirichlet([1, 1, 1], 500)
    C = rng.uniform(0, 5, (3, 3))
    np.testing.assert_array_equal(bayes_decisions(P, C), np.argmin(P @ C, axis=1))
    per_row = rng.uniform(0, 5, (500, 3, 3))
    expected = np.array([np.argmin(P[i] @ per_row[i]) for i in range(500)])
    np.testing.assert_array_equal(bayes_decisions(P, per_row), expected)
    y, d = rng.integers(0, 3, 500), rng.integers(0, 3, 500)
    assert expected_cost(y, d, per_row) == pytest.approx(np.mean([per_row[i, y[i], d[i]] for i in range(500)]))
    with pytest.raises(imbalance.InputError, match=r"\(3, 3\) matrix"):
        bayes_decisions(P, np.ones((2, 2)))
    with pytest.raises(imbalance.InputError, match=">= 0"):
        bayes_decisions(P, -C)


@pytest.fixture(scope="module")
def churn():
    X, y = load_churn(return_X_y=True)
    return X, y.map({0: "stayed", 1: "churned"})


def test_compare_scores_the_least_cost_decision_of_every_cell(churn):
    X, y = churn
    kw = dict(recipes=["none", "under_1:1"], models=["logreg"], cv=3)
    by_dict = imbalance.compare(X, y, costs={"FN": 20, "FP": 1}, **kw)
    # the same costs as a matrix in the sorted labels' order: churned, stayed
    by_matrix = imbalance.compare(X, y, costs=[[0, 20], [1, 0]], **kw)
    pd.testing.assert_series_equal(by_dict.results["cost"], by_matrix.results["cost"])
    frame = by_dict.predictions[("under_1:1", "logreg")]
    _, test = next(FoldPlan.stratified(y, n_splits=3, random_state=0).split(X, y))
    yt, p = frame["y_true"].to_numpy()[test], frame["proba_corrected"].to_numpy()[test]
    direct = np.mean(np.where((p > 1 / 21) & (yt == 0), 1, 0) + np.where((p <= 1 / 21) & (yt == 1), 20, 0))
    row = by_dict.results.query("strategy == 'under_1:1' and fold == 0").iloc[0]
    assert row["cost"] == pytest.approx(direct)
    own = frame["proba"].to_numpy()[test] >= 0.5
    assert row["cost_at_threshold"] == pytest.approx(np.mean(np.where(own & (yt == 0), 1, 0) +
                                                             np.where(~own & (yt == 1), 20, 0)))
    # the same FN cost given row by row
    per_row = imbalance.compare(X, y, costs={"FN": np.full(len(y), 20.0), "FP": 1}, **kw)
    pd.testing.assert_series_equal(per_row.results["cost"], by_dict.results["cost"])
    with pytest.raises(imbalance.ParameterError, match="exactly the keys 'FN' and 'FP'"):
        imbalance.compare(X, y, costs={"FN": 20}, **kw)
    with pytest.raises(imbalance.ParameterError, match=r"\(2, 2\) matrix"):
        imbalance.compare(X, y, costs=np.ones((3, 3)), **kw)


@pytest.mark.slow
def test_cli_costs(tmp_path):
    def run(*args):
        return run_cli("compare", "--recipes", "none,under_1:1", "--models", "logreg", "--folds", "3", *args,
                       cwd=tmp_path, columns=200)

    X, y = load_churn(return_X_y=True)
    X.assign(LABEL=y).head(1500).to_csv(tmp_path / "churn.csv", index=False)  # the options, not the size, are tested
    done = run("churn.csv", "--costs", "FN=20,FP=1", "--operating-points", "top=0.1,recall>=0.8", "--out", "r")
    assert done.returncode == 0, done.stderr
    assert "- cost: best" in done.stdout and (tmp_path / "r" / "cost_curves.png").exists()
    summary = pd.read_csv(tmp_path / "r" / "summary.csv")
    assert {"cost_mean", "cost_at_threshold_mean", "top=0.1:precision_mean", "recall>=0.8:recall_mean"} <= set(
        summary.columns)
    X.assign(LABEL=y, amount=50.0).head(1500).to_csv(tmp_path / "fraud.csv", index=False)
    column = run("fraud.csv", "--cost-column", "amount", "--costs", "FP=2", "--out", "f")
    assert column.returncode == 0, column.stderr
    assert pd.read_csv(tmp_path / "f" / "summary.csv")["cost_mean"].notna().all()
    for args, words in [(["--costs", "FN=x"], "not NAME=NUMBER"), (["--costs", "nope.csv"], "neither FN=A,FP=B"),
                        (["--cost-column", "missing"], "not a column")]:
        bad = run(*args, "--out", "bad")
        assert bad.returncode == 2 and words in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "bad").exists()


# ----------------------------------------------------------------------------- operating points
from imbalance.model_selection import (  # noqa: E402
    operating_threshold,
    parse_operating_point,
    precision_recall_at,
    top_k_decisions,
)


@pytest.mark.parametrize("kind, value", [("precision", 0.7), ("recall", 0.8), ("precision", 0.99)])
def test_operating_thresholds_by_brute_force(kind, value):
    y = rng.integers(0, 2, 400)
    s = (rng.random(400) * 0.8 + 0.25 * y).round(2)
    reach = {t: precision_recall_at(y, s >= t) for t in np.unique(s)}
    meets = [t for t, (p, r) in reach.items() if (p if kind == "precision" else r) >= value]
    t = operating_threshold(y, s, kind, value)
    if meets:
        assert t == (min(meets) if kind == "precision" else max(meets))
    else:  # not reachable: the closest
        assert reach[t][0] == max(p for p, _ in reach.values())


def test_top_k_and_parsing():
    s = np.array([0.1, 0.9, 0.5, 0.9, 0.3])
    np.testing.assert_array_equal(top_k_decisions(s, 2), [0, 1, 0, 1, 0])
    np.testing.assert_array_equal(top_k_decisions(s, 0.5), [0, 1, 1, 1, 0])  # ceil(2.5) = 3 rows
    assert parse_operating_point("precision >= 0.8") == ("precision", 0.8)
    assert parse_operating_point("top=100") == ("top", 100.0)
    for bad in ("precision>=1.5", "top=2.5", "f1>=0.3", "recall=0.5"):
        with pytest.raises(imbalance.ParameterError, match="operating point"):
            parse_operating_point(bad)


def test_compare_reports_each_operating_point_on_the_validation_folds(churn):
    X, y = churn
    result = imbalance.compare(X, y, recipes=["none"], models=["logreg"], cv=3,
                               operating_points=["top=0.1", "precision>=0.6"])
    frame = result.predictions[("none", "logreg")]
    for fold, (_, test) in enumerate(FoldPlan.stratified(y, n_splits=3, random_state=0).split(X, y)):
        decided = top_k_decisions(frame["proba"].to_numpy()[test], 0.1)
        precision, recall = precision_recall_at(frame["y_true"].to_numpy()[test], decided)
        row = result.results.query("fold == @fold").iloc[0]
        assert (row["top=0.1:precision"], row["top=0.1:recall"]) == pytest.approx((precision, recall))
    assert result.results["precision>=0.6:precision"].between(0.4, 1).all()
    with pytest.raises(imbalance.ParameterError, match="binary labels"):
        imbalance.compare(X, np.where(X["total_day_minutes"] > 250, "high", y), recipes=["none"],
                          operating_points=["top=10"])


def test_a_take_home_model_can_decide_by_cost(churn):
    X, y = churn
    model = imbalance.RecipeClassifier("under_1:1", "logreg", costs={"FN": 20, "FP": 1}).fit(X, y)
    p = model.predict_proba(X)[:, list(model.classes_).index("churned")]
    np.testing.assert_array_equal(model.predict(X) == "churned", p > 1 / 21)
    matrix = imbalance.RecipeClassifier("under_1:1", "logreg", costs=[[0, 20], [1, 0]]).fit(X, y)  # churned, stayed
    np.testing.assert_array_equal(matrix.predict(X), model.predict(X))
    with pytest.raises(imbalance.ParameterError, match="one or the other"):
        imbalance.RecipeClassifier(costs={"FN": 1, "FP": 1}, threshold=0.3).fit(X, y)
