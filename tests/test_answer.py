"""The answer of a comparison: the corrected resampled t-test against its formula and scipy,
and the verdicts (best, baseline, ties) against direct computations."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import imbalance
from imbalance.answer import answer, tie_marks
from imbalance.comparison import ComparisonResult
from imbalance.metrics import paired_difference

rng = np.random.default_rng(0)


def test_paired_difference_is_nadeau_and_bengio_s_corrected_t_test():
    a, b = rng.normal(0.70, 0.02, 10), rng.normal(0.68, 0.02, 10)
    d = a - b
    n_train, n_test = 800.0, 200.0
    se = np.sqrt((1 / 10 + n_test / n_train) * d.var(ddof=1))
    got = paired_difference(a, b, n_train=n_train, n_test=n_test)
    assert got.mean == pytest.approx(d.mean()) and got.df == 9
    assert got.t == pytest.approx(d.mean() / se)
    assert got.p_value == pytest.approx(2 * stats.t.sf(abs(d.mean() / se), 9))
    half = stats.t.ppf(0.975, 9) * se
    assert (got.low, got.high) == pytest.approx((d.mean() - half, d.mean() + half))
    assert got.significant == (got.p_value < 0.05)
    # without the correction term it is scipy's paired t-test
    plain = paired_difference(a, b, n_train=1e12, n_test=1e-12)
    reference = stats.ttest_rel(a, b)
    assert plain.t == pytest.approx(reference.statistic) and plain.p_value == pytest.approx(reference.pvalue)
    assert got.p_value > plain.p_value  # the correction only ever widens


def test_paired_difference_edge_cases():
    same = paired_difference([0.5, 0.6, 0.7], [0.5, 0.6, 0.7], n_train=8, n_test=2)
    assert (same.t, same.p_value, same.mean) == (0.0, 1.0, 0.0) and not same.significant
    shifted = paired_difference([1.5, 2.5, 3.5], [0.5, 1.5, 2.5], n_train=8, n_test=2)  # exactly +1
    assert shifted.p_value == 0.0 and shifted.t == np.inf and shifted.significant
    with pytest.raises(imbalance.InputError, match="paired scores"):
        paired_difference([0.5], [0.4], n_train=8, n_test=2)
    with pytest.raises(imbalance.InputError, match="paired scores"):
        paired_difference([0.5, 0.6], [0.4, 0.5, 0.6], n_train=8, n_test=2)


def fake_result(cells: dict, metric="average_precision") -> ComparisonResult:
    """A ComparisonResult of given fold scores: {(strategy, model): [score per fold]}."""
    rows = []
    for (strategy, model), scores in cells.items():
        for fold, value in enumerate(scores):
            rows.append({"strategy": strategy, "model": model, "repeat": 0, "fold": fold, "n_train": 800,
                         "n_test": 200, metric: value, "f1": value, "brier": 1 - value})
    results = pd.DataFrame(rows)
    grouped = results.groupby(["strategy", "model"], sort=False)[[metric, "f1", "brier"]]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()
    return ComparisonResult(results=results, summary=summary)


def test_verdicts_name_the_best_the_baseline_and_the_ties():
    base = np.array([0.60, 0.62, 0.58, 0.61, 0.59])
    cells = {
        ("none", "logreg"): base,
        ("over", "logreg"): base + np.array([0.05, 0.06, 0.05, 0.07, 0.06]),  # clearly better
        ("under", "logreg"): base + np.array([0.06, 0.04, 0.07, 0.05, 0.055]),  # as good as "over"
        ("smote", "logreg"): base + np.array([0.01, -0.01, 0.0, 0.01, -0.005]),  # no better than none
    }
    verdict, = answer(fake_result(cells), ("average_precision",))
    best = max(cells, key=lambda c: cells[c].mean())
    assert verdict.best == best == ("over", "logreg") and verdict.baseline == ("none", "logreg")
    direct = paired_difference(cells[best], base, n_train=800, n_test=200)
    assert verdict.difference == direct and verdict.beats_baseline
    assert [cell for cell, _, _ in verdict.ties] == [("under", "logreg")]
    assert "a real difference" in verdict.sentence() and "Tied with it" in verdict.sentence()
    assert tie_marks([verdict]) == {"average_precision": {("under", "logreg")}}
    # a loss: the smallest mean is best
    loss, = answer(fake_result(cells), ("brier",))
    assert loss.best == ("over", "logreg") and loss.difference.mean < 0


def test_when_nothing_beats_the_model_as_it_is_the_answer_says_so():
    base = np.array([0.60, 0.62, 0.58, 0.61, 0.59])
    verdict, = answer(fake_result({("none", "rf"): base, ("over", "rf"): base - 0.02}), ("average_precision",))
    assert verdict.best == verdict.baseline == ("none", "rf") and verdict.difference is None
    assert "no strategy beats doing nothing" in verdict.sentence() and not verdict.beats_baseline
    # a pinned model (a balanced ensemble) is measured against the best plain cell
    pinned, = answer(fake_result({("none", "rf"): base, ("none", "logreg"): base - 0.1,
                                  ("balanced_rf", "balanced_rf"): base + [0.02, -0.01, 0.01, -0.015, 0.0]}),
                     ("average_precision",))
    assert pinned.best == ("balanced_rf", "balanced_rf") and pinned.baseline == ("none", "rf")
    assert "within noise" in pinned.sentence()
    alone, = answer(fake_result({("over", "rf"): base, ("under", "rf"): base - 0.01}), ("average_precision",))
    assert alone.baseline is None and "no 'none' cell" in alone.sentence()
    with pytest.raises(imbalance.ParameterError, match="unknown metric"):
        answer(fake_result({("none", "rf"): base}), ("mcc",))


def test_the_answer_of_a_real_comparison_pairs_its_folds():
    X, y = imbalance.datasets.load_churn(return_X_y=True)
    result = imbalance.compare(X, y, recipes=["none", "threshold"], models=["logreg"], cv=3)
    ranking, decision = answer(result)
    assert (ranking.metric, decision.metric) == ("average_precision", "f1")
    scores = result.results.set_index(["strategy", "fold"])["f1"]
    assert decision.best == ("threshold", "logreg")
    assert decision.difference.mean == pytest.approx((scores["threshold"] - scores["none"]).mean())
    # the same model, the same probabilities: not a tie to weigh but the same scores (issue 35.12)
    assert ranking.same == [("threshold", "logreg")] and not ranking.ties
    assert "threshold / logreg scores the same: the same probabilities" in ranking.sentence()
