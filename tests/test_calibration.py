"""Calibration after rebalancing: the calibrators against their definitions, ECE against a
direct computation, and compare's calibrated columns."""

import numpy as np
import pytest
from scipy.special import expit, logit
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

import imbalance
from imbalance.datasets import load_churn
from imbalance.metrics import expected_calibration_error
from imbalance.model_selection import ProbabilityCalibrator, out_of_fold_proba

rng = np.random.default_rng(0)


def shifted_scores(n=4000, a=0.6, b=-1.2):
    """Scores whose true probability is sigmoid(a * logit(s) + b): overconfident and shifted."""
    s = rng.uniform(0.01, 0.99, n)
    y = (rng.random(n) < expit(a * logit(s) + b)).astype(int)
    return s, y


def test_sigmoid_is_a_logistic_map_of_the_logit_and_recovers_it():
    s, y = shifted_scores()
    cal = ProbabilityCalibrator("sigmoid").fit(s, y)
    lr = cal.maps_[0]
    np.testing.assert_allclose(cal.transform(s), expit(lr.coef_[0, 0] * logit(s) + lr.intercept_[0]))
    assert lr.coef_[0, 0] == pytest.approx(0.6, abs=0.1) and lr.intercept_[0] == pytest.approx(-1.2, abs=0.15)


def test_isotonic_is_scikit_learn_s_isotonic_regression():
    s, y = shifted_scores()
    direct = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(s, y)
    grid = np.linspace(0, 1, 101)
    np.testing.assert_allclose(ProbabilityCalibrator("isotonic").fit(s, y).transform(grid), direct.predict(grid))


def test_temperature_minimises_the_log_loss_and_recovers_a_known_temperature():
    s = rng.uniform(0.01, 0.99, 20000)
    y = (rng.random(s.size) < expit(logit(s) / 2.5)).astype(int)
    cal = ProbabilityCalibrator("temperature").fit(s, y)
    assert cal.temperature_ == pytest.approx(2.5, rel=0.1)

    def loss(t):
        q = expit(logit(s) / t)
        return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))

    assert loss(cal.temperature_) <= min(loss(cal.temperature_ * 0.98), loss(cal.temperature_ * 1.02))
    np.testing.assert_allclose(cal.transform(s), expit(logit(s) / cal.temperature_))


@pytest.mark.parametrize("method", ["sigmoid", "isotonic", "temperature"])
def test_several_classes_give_rows_that_sum_to_one(method):
    p = rng.dirichlet([1, 1, 1], 600)
    y = np.array([rng.choice(3, p=row ** 2 / (row ** 2).sum()) for row in p])
    out = ProbabilityCalibrator(method).fit(p, y).transform(p)
    assert out.shape == p.shape and np.allclose(out.sum(axis=1), 1) and (out >= 0).all()
    if method == "temperature":  # a temperature keeps every row's order
        np.testing.assert_array_equal(out.argmax(axis=1), p.argmax(axis=1))


def test_calibration_mends_what_rebalancing_did():
    s, y = shifted_scores()
    before = expected_calibration_error(y, s)
    for method in ("sigmoid", "isotonic"):
        assert expected_calibration_error(y, ProbabilityCalibrator(method).fit(s, y).transform(s)) < before / 4
    with pytest.raises(imbalance.ParameterError, match="method must be one of sigmoid, isotonic, temperature"):
        ProbabilityCalibrator("beta")


def test_ece_is_the_weighted_gap_per_bin():
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.15, 0.95, 0.85, 0.55])
    # bins of 0.1: [0.0,0.1): y 0 p .05 | [0.1,0.2): y .5 p .15 | [0.5,0.6): y 0 p .55 | [0.8,0.9): 1, .85 | [0.9,1]: 1, .95
    direct = (1 * 0.05 + 2 * abs(0.5 - 0.15) + 1 * 0.55 + 1 * 0.15 + 1 * 0.05) / 6
    assert expected_calibration_error(y, p) == pytest.approx(direct)
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.4, 0.35, 0.25]])
    top = np.array([0, 2, 0])  # right, wrong, right
    assert expected_calibration_error(top, P) == pytest.approx((abs(1 - 0.7) + abs(0 - 0.6) + abs(1 - 0.4)) / 3)


def test_out_of_fold_proba_is_a_stratified_cross_validation():
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] + rng.normal(size=300) > 1).astype(int)
    oof = out_of_fold_proba(LogisticRegression(), X, y, cv=3, random_state=2)
    direct = np.zeros((300, 2))
    for train, test in StratifiedKFold(3, shuffle=True, random_state=2).split(X, y):
        direct[test] = LogisticRegression().fit(X[train], y[train]).predict_proba(X[test])
    np.testing.assert_allclose(oof, direct)


@pytest.mark.slow  # inner loop under 2 minutes; the twin or the rest of the file covers the path
def test_compare_scores_each_calibration_method():
    X, y = load_churn(return_X_y=True)
    result = imbalance.compare(X, y, recipes=["none", "under_1:1", "threshold"], models=["logreg"], cv=3,
                               calibration=["sigmoid", "isotonic"])
    s = result.summary.set_index("strategy")
    for method in ("sigmoid", "isotonic"):
        assert {f"brier_{method}_mean", f"ece_{method}_mean"} <= set(s.columns)
        # under-sampling's distorted probabilities, mapped back: as good as the plain model's
        assert s.loc["under_1:1", f"brier_{method}_mean"] < s.loc["none", "brier_mean"] + 0.005
        assert s.loc["under_1:1", f"brier_{method}_mean"] < s.loc["under_1:1", "brier_mean"] - 0.05
    rows = result.results.set_index(["strategy", "fold"])
    np.testing.assert_allclose(rows.loc["threshold", "brier_isotonic"], rows.loc["none", "brier_isotonic"])
    frame = result.predictions[("under_1:1", "logreg")]  # the calibrated probabilities, for the report's plot
    assert np.mean((frame["proba_isotonic"] - frame["y_true"]) ** 2) == pytest.approx(
        s.loc["under_1:1", "brier_isotonic_mean"], abs=0.003)
    with pytest.raises(imbalance.ParameterError, match="unknown calibration method"):
        imbalance.compare(X, y, recipes=["none"], calibration=["platt"])


def test_a_take_home_model_can_give_calibrated_probabilities():
    X, y = load_churn(return_X_y=True)
    plain = imbalance.RecipeClassifier("under_1:1", "logreg").fit(X, y)
    calibrated = imbalance.RecipeClassifier("under_1:1", "logreg", calibration="isotonic").fit(X, y)
    own = calibrated.predict_proba_uncorrected(X)[:, 1]
    np.testing.assert_allclose(calibrated.predict_proba(X)[:, 1], calibrated.calibrator_.transform(own))
    np.testing.assert_array_equal(calibrated.predict(X), plain.predict(X))  # decisions do not change
    assert calibrated.calibrator_.method == "isotonic" and plain.calibrator_ is None
    from imbalance.report import headline_metrics

    result = imbalance.compare(X, y, recipes=["none"], models=["logreg"], cv=3, calibration=["temperature"])
    assert headline_metrics(result)[-2:] == ("brier_temperature", "ece_temperature")
