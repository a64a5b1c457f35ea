import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

import imbalance
from imbalance import InputError, ParameterError
from imbalance.datasets import load_churn
from imbalance.model_selection import (
    FoldPlan,
    MultilabelStratifiedKFold,
    PriorCorrectedClassifier,
    ThresholdTunedClassifier,
    best_threshold,
    resampled_folds,
)

rng = np.random.default_rng(1)


def test_fold_plan_is_stratified_and_round_trips(tmp_path):
    y = np.array([0] * 83 + [1] * 17)
    plan = FoldPlan.stratified(y, n_splits=5, n_repeats=2, random_state=3)
    splits = list(plan.split(np.zeros((100, 1)), y))
    assert len(splits) == plan.get_n_splits() == 10
    for train, test in splits:
        assert np.intersect1d(train, test).size == 0 and train.size + test.size == 100
        assert abs(y[test].sum() - 17 / 5) < 1
    path = tmp_path / "folds.json"
    plan.save(path)
    assert json.loads(path.read_text())["format"] == "imbalance.FoldPlan/1"
    again = FoldPlan.load(path)
    for (a, b), (c, d) in zip(splits, again.split()):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    with pytest.raises(ParameterError, match="n_splits"):
        FoldPlan.stratified([0, 0, 0, 1], n_splits=2)


def test_resampled_folds_only_touch_the_training_part():
    X, y = load_churn(return_X_y=True)
    plan = FoldPlan.stratified(y, n_splits=4)
    for fold, (train, test) in zip(resampled_folds(X, y, plan, imbalance.UnderSampler(random_state=0)), plan.split(X, y)):
        np.testing.assert_array_equal(fold.test_index, test)
        assert fold.X_test.equals(X.iloc[test]) and fold.y_test.equals(y.iloc[test])  # as they were
        assert fold.y_train.value_counts().nunique() == 1  # the training part is balanced
        assert set(fold.X_train.index) <= set(X.index[train])  # and drawn from the training rows only


def test_multilabel_stratified_kfold_spreads_every_label():
    Y = (rng.random((600, 6)) < [0.5, 0.2, 0.1, 0.05, 0.02, 0.01]).astype(int)
    cv = MultilabelStratifiedKFold(5, random_state=0)
    seen = np.zeros(600, dtype=int)
    per_fold = []
    for train, test in cv.split(np.zeros((600, 1)), Y):
        assert np.intersect1d(train, test).size == 0
        seen[test] += 1
        per_fold.append(Y[test].sum(axis=0))
    assert (seen == 1).all()
    per_fold = np.array(per_fold)
    assert (per_fold.max(axis=0) - per_fold.min(axis=0) <= 2).all(), per_fold
    sizes = [len(t) for _, t in cv.split(np.zeros((600, 1)), Y)]
    assert max(sizes) - min(sizes) <= 3


@pytest.mark.parametrize("metric", ["f1", "mcc", "balanced_accuracy"])
@pytest.mark.parametrize("decimals", [None, 1])  # distinct scores, and many ties
def test_best_threshold_by_brute_force(metric, decimals):
    from sklearn.metrics import balanced_accuracy_score, f1_score, matthews_corrcoef

    y = rng.integers(0, 2, 300)
    s = rng.random(300) * 0.7 + 0.3 * y
    if decimals is not None:
        s = s.round(decimals)
    reference = {"f1": f1_score, "mcc": matthews_corrcoef, "balanced_accuracy": balanced_accuracy_score}[metric]
    values = {t: reference(y, (s >= t).astype(int)) for t in np.unique(s)}
    best = max(values.values())
    tied = [t for t, v in values.items() if v == pytest.approx(best, abs=1e-12)]
    t, v = best_threshold(y, s, metric=metric)
    assert v == pytest.approx(best, abs=1e-12) and values[t] == pytest.approx(v, abs=1e-12)
    assert t == min(tied, key=lambda c: abs(c - 0.5))  # ties: the one nearest 0.5
    costs = {t: -(((s >= t) & (y == 0)).sum() + 5 * ((s < t) & (y == 1)).sum()) for t in np.unique(s)}
    t, v = best_threshold(y, s, cost_ratio=5)
    assert v == max(costs.values()) and costs[t] == v
    with pytest.raises(ParameterError, match="metric"):
        best_threshold(y, s, metric="accuracy")


def test_best_threshold_on_one_class_and_constant_scores():
    from sklearn.metrics import balanced_accuracy_score

    y = np.zeros(20, dtype=int)
    s = rng.random(20)
    t, v = best_threshold(y, s, metric="balanced_accuracy")
    assert v == pytest.approx(balanced_accuracy_score(y, (s >= t).astype(int))) == 19 / 20  # one row above t
    assert best_threshold(y, s, metric="f1")[1] == 0.0
    t, v = best_threshold(np.r_[y, 1], np.full(21, 0.3), metric="mcc")
    assert (t, v) == (0.3, 0.0)


def test_threshold_tuned_classifier_uses_inner_folds_only():
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + rng.normal(size=400) > 1.2).astype(int)
    clf = ThresholdTunedClassifier(LogisticRegression(), metric="f1", cv=4, random_state=0).fit(X, y)
    oof = np.zeros(400)
    for train, test in StratifiedKFold(4, shuffle=True, random_state=0).split(X, y):
        oof[test] = LogisticRegression().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
    assert clf.threshold_ == pytest.approx(best_threshold(y, oof, metric="f1")[0])
    np.testing.assert_array_equal(clf.predict(X), (clf.predict_proba(X)[:, 1] >= clf.threshold_).astype(int))
    with pytest.raises(InputError, match="binary"):
        ThresholdTunedClassifier(LogisticRegression()).fit(X, rng.integers(0, 3, 400))


def test_threshold_tuning_per_label_for_multilabel():
    from sklearn.multioutput import MultiOutputClassifier

    X = rng.normal(size=(500, 3))
    Y = np.column_stack([(X[:, 0] + rng.normal(size=500) > 1.0), (X[:, 1] + rng.normal(size=500) > 1.5)]).astype(int)
    clf = ThresholdTunedClassifier(MultiOutputClassifier(LogisticRegression()), cv=3, random_state=0).fit(X, Y)
    assert clf.threshold_.shape == (2,)
    pred = clf.predict(X)
    scores = np.column_stack([p[:, 1] for p in clf.predict_proba(X)])
    np.testing.assert_array_equal(pred, (scores >= clf.threshold_).astype(int))


def test_prior_corrected_classifier_gives_back_calibrated_probabilities():
    from sklearn.metrics import brier_score_loss

    from imbalance.metrics import correct_prior
    from imbalance.model_selection import PriorCorrectedClassifier

    X = rng.normal(size=(4000, 2))
    y = (X[:, 0] + rng.normal(size=4000) > 1.8).astype(int)
    X_test = rng.normal(size=(4000, 2))
    y_test = (X_test[:, 0] + rng.normal(size=4000) > 1.8).astype(int)
    sampler = imbalance.UnderSampler(random_state=0)
    wrapped = PriorCorrectedClassifier(LogisticRegression(), sampler=sampler).fit(X, y)
    X_r, y_r = sampler.fit_resample(X, y)
    raw = LogisticRegression().fit(X_r, y_r).predict_proba(X_test)
    np.testing.assert_allclose(wrapped.train_prior_, [0.5, 0.5])
    np.testing.assert_allclose(wrapped.true_prior_, np.bincount(y) / len(y))
    np.testing.assert_allclose(wrapped.predict_proba(X_test), correct_prior(raw, [0.5, 0.5], np.bincount(y)))
    plain = LogisticRegression().fit(X, y).predict_proba(X_test)[:, 1]
    # the corrected Brier score is back near the unresampled model's, far below the raw one
    corrected, uncorrected = brier_score_loss(y_test, wrapped.predict_proba(X_test)[:, 1]), brier_score_loss(y_test, raw[:, 1])
    assert corrected < 0.8 * uncorrected and abs(corrected - brier_score_loss(y_test, plain)) < 0.01
    weighted = PriorCorrectedClassifier(LogisticRegression(), class_weight="balanced").fit(X, y)
    np.testing.assert_allclose(weighted.train_prior_, [0.5, 0.5])


def test_resampled_folds_number_repeats_of_scikit_learn_splitters():
    from sklearn.model_selection import RepeatedStratifiedKFold

    X, y = load_churn(return_X_y=True)
    folds = list(resampled_folds(X, y, RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)))
    assert [(f.repeat, f.fold) for f in folds] == [(r, k) for r in range(2) for k in range(3)]


def test_prior_corrected_train_prior_options_and_uncorrected_probabilities():
    from sklearn.linear_model import LogisticRegression

    from imbalance.metrics import correct_prior

    X, y = load_churn(return_X_y=True)
    X = X.select_dtypes("number").to_numpy()[:1500]
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # scaled, so that lbfgs converges
    y = y.to_numpy()[:1500]
    true = np.bincount(y) / len(y)
    model = PriorCorrectedClassifier(LogisticRegression(max_iter=500), train_prior="balanced").fit(X, y)
    np.testing.assert_allclose(model.train_prior_, [0.5, 0.5])
    np.testing.assert_allclose(model.true_prior_, true)
    raw = model.predict_proba_uncorrected(X[:50])
    np.testing.assert_allclose(raw, model.estimator_.predict_proba(X[:50]))
    np.testing.assert_allclose(model.predict_proba(X[:50]), correct_prior(raw, [0.5, 0.5], true))
    assert model.n_samples_fit_ == 1500
    given = PriorCorrectedClassifier(LogisticRegression(max_iter=500), train_prior=[3, 1]).fit(X, y)
    np.testing.assert_allclose(given.train_prior_, [0.75, 0.25])
    with pytest.raises(imbalance.ParameterError, match="one per class"):
        PriorCorrectedClassifier(LogisticRegression(max_iter=500), train_prior=[1, 2, 3]).fit(X, y)
    under = PriorCorrectedClassifier(LogisticRegression(max_iter=500),
                                     sampler=imbalance.UnderSampler(random_state=0)).fit(X, y)
    assert under.n_samples_fit_ == 2 * np.bincount(y).min()
