import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler

import imbalance
from imbalance import LabelError, OverSampler, StrategyError, UnderSampler
from imbalance.datasets import load_churn


@parametrize_with_checks([UnderSampler(random_state=0), OverSampler(random_state=0)])
def test_imbalanced_learn_estimator_checks(estimator, check):
    check(estimator)


def test_params_are_keyword_only_and_cloneable():
    with pytest.raises(TypeError):
        UnderSampler(3)  # type: ignore[misc]
    s = UnderSampler(ratio=3, random_state=1)
    assert s.get_params() == {"ratio": 3, "targets": None, "random_state": 1}
    assert clone(s).set_params(ratio=2).ratio == 2


def test_fit_resample_matches_the_function_and_exposes_plan():
    X, y = load_churn(return_X_y=True)
    s = UnderSampler(ratio=3, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    X_ref, y_ref = imbalance.resample(X, y, "under", ratio=3, random_state=0)
    pd.testing.assert_frame_equal(X_res, X_ref)
    assert s.plan_.targets == {0: 2121, 1: 707} == s.sampling_strategy_
    np.testing.assert_array_equal(s.sample_indices_, imbalance.resample_indices(y, "under", ratio=3, random_state=0))
    assert list(s.feature_names_in_) == list(X.columns)
    assert list(s.get_feature_names_out()) == list(X.columns)
    # fit alone plans without drawing
    fitted = OverSampler(ratio=2).fit(X, y)
    assert fitted.plan_.targets == {0: 4293, 1: 2147}
    assert not hasattr(fitted, "sample_indices_")


def test_targets_parameter_and_its_direction():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.zeros((100, 1))
    _, y_res = UnderSampler(targets={0: 20, 1: 15}, random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [20, 15, 10]
    _, y_res = OverSampler(targets=lambda c: {k: 70 for k in c}, random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [70, 70, 70]
    with pytest.raises(StrategyError, match="can only remove rows \\(direction='under'\\).*sampler that adds rows"):
        UnderSampler(targets={2: 50}).fit_resample(X, y)
    with pytest.raises(StrategyError, match="can only add rows"):
        OverSampler(targets={0: 5}).fit_resample(X, y)


def test_one_hot_target_round_trips_and_multilabel_is_refused():
    y = np.array([0] * 6 + [1] * 2)
    Y = np.eye(2, dtype=int)[y]
    X = np.arange(8.0)[:, None]
    _, Y_res = OverSampler(random_state=0).fit_resample(X, Y)
    assert Y_res.shape == (12, 2) and Y_res.sum(axis=0).tolist() == [6, 6]
    with pytest.raises(LabelError, match="Multilabel"):
        OverSampler().fit_resample(X, np.ones((8, 2), dtype=int))


class FoldRecorder:
    """A scorer that records what the validation folds look like."""

    def __init__(self):
        self.seen = []

    def __call__(self, estimator, X, y):
        self.seen.append((X.index.to_numpy().copy(), np.bincount(y, minlength=2)))
        return 0.0


@pytest.mark.parametrize("sampler", [UnderSampler(ratio=1, random_state=0), OverSampler(random_state=0)])
def test_pipeline_cross_validate_scores_folds_that_were_not_resampled(sampler):
    X, y = load_churn(return_X_y=True)
    X = X.select_dtypes("number")
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    recorder = FoldRecorder()
    pipe = Pipeline([("scale", StandardScaler()), ("resample", sampler), ("model", LogisticRegression(max_iter=500))])
    cross_validate(pipe, X, y, cv=cv, scoring=recorder)
    expected = [test for _, test in cv.split(X, y)]
    assert len(recorder.seen) == 5
    for (index, counts), test in zip(recorder.seen, expected):
        np.testing.assert_array_equal(index, X.index[test])  # exactly the fold's own rows
        assert counts.tolist() == np.bincount(y.to_numpy()[test], minlength=2).tolist()
    # and training did see resampled data: the fitted model's classes were balanced
    pipe.fit(X, y)
    assert pipe.named_steps["resample"].plan_.imbalance_ratio == 1.0


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: UnderSampler(ratio=0.5), "'ratio' parameter of UnderSampler must be a float in the range \\[1.0, inf\\). Got 0.5"),
        (lambda: OverSampler(targets=[1, 2]), "'targets' parameter of OverSampler must be an instance of"),
        (lambda: UnderSampler(random_state=-1), "'random_state' parameter"),
        (lambda: imbalance.SMOTE(k_neighbors=0), "'k_neighbors' parameter of SMOTE must be an int in the range"),
        (lambda: imbalance.BorderlineSMOTE(kind="borderline-3"), "'kind' parameter of BorderlineSMOTE must be a str"),
        (lambda: imbalance.SMOTE(neighbors="kd_tree"), "'neighbors' parameter of SMOTE must be an object"),
    ],
)
def test_parameters_are_checked_by_scikit_learns_machinery_with_our_error_type(make, words):
    X, y = np.zeros((10, 2)), np.array([0] * 7 + [1] * 3)
    for call in ("fit", "fit_resample"):
        with pytest.raises(imbalance.ParameterError, match=words):
            getattr(make(), call)(X, y)


def test_one_base_and_one_hook():
    from imbalance.samplers import BaseSampler

    for cls in (UnderSampler, OverSampler, imbalance.SMOTE, imbalance.BorderlineSMOTE, imbalance.ADASYN,
                imbalance.SMOTENC):
        assert issubclass(cls, BaseSampler)
        # the public methods are the base's; a sampler brings only its hook
        assert cls.fit_resample is BaseSampler.fit_resample and cls.fit is BaseSampler.fit
        assert cls._fit_resample is not BaseSampler._fit_resample
