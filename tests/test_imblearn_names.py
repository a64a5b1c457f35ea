"""imbalanced-learn's spellings here: its metrics, sampling_strategy, make_imbalance, the
Random*Samplers, FunctionSampler and InstanceHardnessCV, each checked against imbalanced-learn
itself (installed with the dev extra) or a computation by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn import FunctionSampler as TheirFunctionSampler
from imblearn import datasets as their_datasets
from imblearn import metrics as theirs
from imblearn import model_selection as their_model_selection
from imblearn import over_sampling, under_sampling
from imblearn.metrics.pairwise import ValueDifferenceMetric as TheirVDM
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, recall_score

from imbalance import FunctionSampler, ParameterError, RandomOverSampler, RandomUnderSampler, StrategyError, metrics
from imbalance.datasets import load_churn, make_imbalance
from imbalance.model_selection import InstanceHardnessCV
from imbalance.planner import from_sampling_strategy, plan


@parametrize_with_checks([RandomUnderSampler(random_state=0), RandomUnderSampler(replacement=True, random_state=0),
                          RandomOverSampler(random_state=0)])
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)


def predictions(seed, n_classes=3, n=80):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, n_classes, n))
    return y_true, y_pred, rng.uniform(0.2, 3, n)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("average", [None, "macro", "micro", "weighted"])
def test_sensitivity_specificity_equal_imblearns(seed, average):
    y_true, y_pred, _ = predictions(seed)
    ours = metrics.sensitivity_specificity_support(y_true, y_pred, average=average)
    expected = theirs.sensitivity_specificity_support(y_true, y_pred, average=average)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a if a is not None else np.nan, b if b is not None else np.nan)
    for metric in ("sensitivity_score", "specificity_score"):
        np.testing.assert_allclose(getattr(metrics, metric)(y_true, y_pred, average=average),
                                   getattr(theirs, metric)(y_true, y_pred, average=average))


def test_weighted_specificity_by_hand():
    # imbalanced-learn counts true negatives by rows and the rest by weight; here every count is weighted
    y_true, y_pred, w = [0, 1, 2, 0, 1, 2], [0, 1, 1, 0, 0, 1], np.array([1, 2, 1, 1, 2, 1])
    sen, spe, sup = metrics.sensitivity_specificity_support(y_true, y_pred, labels=[0, 1], sample_weight=w)
    # class 0: TP = 1 + 1, FN = 0, FP = 2 (row 4), TN = 2 + 1 + 1 (rows 1, 2, 5)
    # class 1: TP = 2 (row 1), FN = 2 (row 4), FP = 1 + 1 (rows 2, 5), TN = 1 + 1 (rows 0, 3)
    np.testing.assert_allclose(sen, [1.0, 0.5])
    np.testing.assert_allclose(spe, [4 / 6, 2 / 4])
    np.testing.assert_allclose(sup, [2, 4])
    gmean = metrics.geometric_mean_score(y_true, y_pred, labels=[0, 1], sample_weight=w, average="weighted")
    assert gmean == pytest.approx(np.sqrt((2 * 1.0 + 4 * 0.5) / 6 * (2 * 4 / 6 + 4 * 0.5) / 6))  # of the averages


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("average", ["multiclass", None, "macro", "weighted"])
def test_geometric_mean_equals_imblearns(seed, average):
    y_true, y_pred, _ = predictions(seed)
    for correction in (0.0, 0.01):
        np.testing.assert_allclose(
            metrics.geometric_mean_score(y_true, y_pred, average=average, correction=correction),
            theirs.geometric_mean_score(y_true, y_pred, average=average, correction=correction))
    if average == "multiclass":
        assert metrics.g_mean_score(y_true, y_pred) == pytest.approx(metrics.geometric_mean_score(y_true, y_pred))


@pytest.mark.parametrize("metric", [metrics.geometric_mean_score, accuracy_score, recall_score])
def test_index_balanced_accuracy_equals_imblearns(metric):
    y_true, y_pred, _ = predictions(0, n_classes=2)
    for alpha, squared in ((0.1, True), (0.5, False)):
        ours = metrics.make_index_balanced_accuracy(alpha=alpha, squared=squared)(metric)(y_true, y_pred)
        expected = theirs.make_index_balanced_accuracy(alpha=alpha, squared=squared)(metric)(y_true, y_pred)
        assert ours == pytest.approx(expected)


def test_classification_report_equals_imblearns_on_the_churn_table():
    X, y = load_churn(return_X_y=True)
    y_pred = LogisticRegression(max_iter=1000).fit(X.select_dtypes("number"), y).predict(X.select_dtypes("number"))
    for kwargs in ({}, {"digits": 4, "target_names": ["stayed", "churned"]}, {"alpha": 0.3}):
        assert metrics.classification_report_imbalanced(y, y_pred, **kwargs) == \
            theirs.classification_report_imbalanced(y, y_pred, **kwargs)
    ours = metrics.classification_report_imbalanced(y, y_pred, output_dict=True)
    expected = theirs.classification_report_imbalanced(y, y_pred, output_dict=True)
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, dict):
            assert ours[key] == pytest.approx(value)
        else:
            assert ours[key] == pytest.approx(value)


def test_macro_averaged_mae_by_hand_and_against_imblearn():
    y_true, y_pred = np.array([1, 1, 1, 1, 2, 3]), np.array([1, 2, 1, 1, 3, 1])
    # class 1: |1-2| over 4 rows = 0.25; class 2: 1; class 3: 2
    assert metrics.macro_averaged_mean_absolute_error(y_true, y_pred) == pytest.approx((0.25 + 1 + 2) / 3)
    assert metrics.macro_averaged_mean_absolute_error(y_true, y_pred) == pytest.approx(
        theirs.macro_averaged_mean_absolute_error(y_true, y_pred))
    w = np.arange(1.0, 7.0)
    assert metrics.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w) == pytest.approx(
        (2 / 10 + 1 + 2) / 3)


def test_value_difference_metric_equals_imblearns():
    rng = np.random.default_rng(0)
    X, y = rng.integers(0, 4, (60, 3)), rng.integers(0, 3, 60)
    for k, r in ((1, 2), (2, 1)):
        ours = metrics.ValueDifferenceMetric(k=k, r=r).fit(X, y)
        expected = TheirVDM(k=k, r=r).fit(X, y)
        np.testing.assert_allclose(ours.pairwise(X[:10], X[10:25]), expected.pairwise(X[:10], X[10:25]))


strategies = st.one_of(
    st.floats(0.05, 1.0),
    st.sampled_from(["auto", "all", "majority", "minority", "not minority", "not majority"]),
)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(1, 60), min_size=2, max_size=4), strategy=strategies,
       direction=st.sampled_from(["under", "over"]))
def test_sampling_strategy_plans_imblearns_counts(counts, strategy, direction):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.zeros((y.size, 1))
    sampler = (under_sampling.RandomUnderSampler if direction == "under" else over_sampling.RandomOverSampler)(
        sampling_strategy=strategy)
    before = {int(c): int(n) for c, n in zip(*np.unique(y, return_counts=True))}
    try:
        sampler.fit_resample(X, y)
    except ValueError:
        try:
            ours = plan(y, from_sampling_strategy(strategy, direction=direction), direction=direction)
        except ValueError:
            return
        # the one difference: imbalanced-learn refuses a float ratio that adds no row; here it is a no-op
        assert isinstance(strategy, float) and direction == "over" and ours.targets == before
        return
    # imbalanced-learn's sampling_strategy_ is the count kept (under-sampling) or added (over-sampling)
    moved = {int(c): int(n) for c, n in sampler.sampling_strategy_.items()}
    expected = before | (moved if direction == "under" else {c: before[c] + n for c, n in moved.items()})
    assert plan(y, from_sampling_strategy(strategy, direction=direction), direction=direction).targets == expected
    ours = (RandomUnderSampler if direction == "under" else RandomOverSampler)(sampling_strategy=strategy,
                                                                              random_state=0)
    assert dict(zip(*np.unique(ours.fit_resample(X, y)[1], return_counts=True))) == expected


def test_sampling_strategy_dict_and_callable():
    y = np.array([0] * 50 + [1] * 30 + [2] * 10)
    X = np.zeros((90, 1))
    assert RandomUnderSampler(sampling_strategy={0: 20}).fit(X, y).plan_.targets == {0: 20, 1: 30, 2: 10}
    assert RandomOverSampler(sampling_strategy=lambda y: {2: int((y == 2).sum()) * 3}).fit(X, y).plan_.targets == \
        {0: 50, 1: 30, 2: 30}
    with pytest.raises(StrategyError, match="two classes"):
        RandomUnderSampler(sampling_strategy=0.5).fit(X, y)
    with pytest.raises(StrategyError, match="cannot be used to under-sample"):
        RandomUnderSampler(sampling_strategy="minority").fit(X, y)
    with pytest.raises(ParameterError, match="sampling_strategy"):
        RandomUnderSampler(sampling_strategy="most").fit(X, y)


def test_under_sampling_with_replacement_keeps_the_counts():
    X, y = np.arange(90.0).reshape(-1, 1), np.array([0] * 60 + [1] * 30)
    sampler = RandomUnderSampler(replacement=True, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [30, 30]
    assert len(np.unique(X_res[y_res == 1])) < 30  # drawn with replacement: some rows twice
    np.testing.assert_array_equal(X[sampler.sample_indices_], X_res)
    assert np.array_equal(sampler.fit_resample(X, y)[0], X_res)  # same seed, same rows


def test_make_imbalance_counts_as_imblearn_and_keeps_types():
    X, y = load_churn(return_X_y=True)
    X_res, y_res = make_imbalance(X, y, sampling_strategy={1: 100}, random_state=0)
    _, y_theirs = their_datasets.make_imbalance(X, y, sampling_strategy={1: 100}, random_state=0)
    assert y_res.value_counts().to_dict() == y_theirs.value_counts().to_dict() == {0: 4293, 1: 100}
    assert X_res.dtypes.equals(X.dtypes) and X_res.index.equals(y_res.index) and X_res.index.isin(X.index).all()
    X_again, _ = make_imbalance(X, y, sampling_strategy=lambda y, share: {1: int(share * (y == 1).sum())},
                                share=0.5, random_state=0)
    assert len(X_again) == 4293 + 353
    with pytest.raises(ParameterError, match="dict"):
        make_imbalance(X, y)


def test_function_sampler_matches_imblearns():
    X, y = make_classification(n_samples=40, random_state=0)

    def first(X, y, n):
        return X[:n], y[:n]

    for sampler, their in ((FunctionSampler(), TheirFunctionSampler()),
                           (FunctionSampler(func=first, kw_args={"n": 7}),
                            TheirFunctionSampler(func=first, kw_args={"n": 7}))):
        for a, b in zip(sampler.fit_resample(X, y), their.fit_resample(X, y)):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="validate=False"):
        FunctionSampler().fit_resample(X, np.linspace(0, 1, 40))
    assert FunctionSampler(validate=False).fit_resample(X, np.linspace(0, 1, 40))[1].shape == (40,)


def test_instance_hardness_cv_makes_imblearns_folds():
    X, y = make_classification(n_samples=90, weights=[0.7], flip_y=0.05, random_state=3)
    for pos_label in (None, 0):
        ours = list(InstanceHardnessCV(LogisticRegression(), n_splits=4, pos_label=pos_label).split(X, y))
        expected = list(their_model_selection.InstanceHardnessCV(LogisticRegression(), n_splits=4,
                                                                 pos_label=pos_label).split(X, y))
        for (a_train, a_test), (b_train, b_test) in zip(ours, expected, strict=True):
            np.testing.assert_array_equal(np.sort(a_test), np.sort(b_test))
            np.testing.assert_array_equal(np.sort(a_train), np.sort(b_train))
    with pytest.raises(ParameterError, match="pos_label"):
        next(InstanceHardnessCV(LogisticRegression(), pos_label=5).split(X, y))
