"""imbalance.pipeline: samplers resample the training rows only, and metadata follows the rows."""

import numpy as np
import pandas as pd
import pytest
from joblib import Memory
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, TunedThresholdClassifierCV, cross_validate
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler

from imbalance import SMOTE, FunctionSampler, InputError, OverSampler, UnderSampler
from imbalance.datasets import load_churn
from imbalance.pipeline import Pipeline, make_pipeline, source_rows


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=400, weights=[0.85], n_features=6, random_state=0)
    weights = np.random.default_rng(0).uniform(0.1, 3.0, size=y.size)
    return X, y, weights


def by_hand(sampler, X, y, weights):
    """The final model fitted on the sampler's rows, each with its own row's weight."""
    scaled = StandardScaler().fit_transform(X)
    X_res, y_res = sampler.fit_resample(scaled, y)
    rows = source_rows(sampler, len(y), len(y_res))
    return LogisticRegression().fit(X_res, y_res, sample_weight=weights[rows])


@pytest.mark.parametrize("make_sampler", [lambda: UnderSampler(random_state=0), lambda: OverSampler(random_state=0),
                                          lambda: SMOTE(random_state=0)], ids=["under", "over", "smote"])
def test_sample_weight_reaches_the_final_step_with_its_rows(data, make_sampler):
    X, y, weights = data
    expected = by_hand(make_sampler(), X, y, weights)
    model = make_pipeline(StandardScaler(), make_sampler(), LogisticRegression())
    model.fit(X, y, logisticregression__sample_weight=weights)
    np.testing.assert_allclose(model[-1].coef_, expected.coef_, rtol=1e-10)
    with config_context(enable_metadata_routing=True):  # the same through scikit-learn's routing
        routed = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), make_sampler(),
                               LogisticRegression().set_fit_request(sample_weight=True))
        routed.fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(routed[-1].coef_, expected.coef_, rtol=1e-10)


def test_provenance_is_each_rows_own_or_its_base_rows():
    X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 7 + [1] * 3)
    over = OverSampler(random_state=0)
    X_res, _ = over.fit_resample(X, y)
    rows = source_rows(over, 10, len(X_res))
    np.testing.assert_array_equal(X[rows], X_res)  # a repeated row is its own row
    smote = SMOTE(k_neighbors=2, random_state=0)
    X_res, y_res = smote.fit_resample(X, y)
    rows = source_rows(smote, 10, len(X_res))
    np.testing.assert_array_equal(rows[:10], np.arange(10))
    np.testing.assert_array_equal(rows[10:], smote.parents_[:, 0])  # a made-up row: its base row
    np.testing.assert_array_equal(y[rows], y_res)


def test_predict_score_and_validation_folds_never_resample(data):
    X, y, _ = data
    seen = []

    def record(X, y):
        seen.append(len(y))
        return X, y

    model = make_pipeline(FunctionSampler(func=record), UnderSampler(random_state=0), LogisticRegression())
    result = cross_validate(model, X, y, cv=StratifiedKFold(4))
    assert seen == [300] * 4  # only the training parts reached the samplers
    assert result["test_score"].shape == (4,)
    model.fit(X, y)
    assert model.predict(X).shape == (400,) and 0 < model.score(X, y) <= 1


def test_grid_search_tunes_a_samplers_parameters(data):
    X, y, _ = data
    model = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    search = GridSearchCV(model, {"smote__k_neighbors": [3, 5], "smote__ratio": [1.0, 2.0]}, cv=3,
                          scoring="average_precision").fit(X, y)
    assert set(search.best_params_) == {"smote__k_neighbors", "smote__ratio"}
    assert search.cv_results_["mean_test_score"].shape == (4,)


def test_tuned_threshold_classifier_wraps_a_pipeline(data):
    X, y, _ = data
    model = make_pipeline(StandardScaler(), UnderSampler(random_state=0), LogisticRegression())
    tuned = TunedThresholdClassifierCV(model, scoring="balanced_accuracy", cv=3).fit(X, y)
    assert 0 < tuned.best_threshold_ < 1


def test_a_samplers_fit_requests_reach_its_fit_resample():
    X, y = make_classification(n_samples=60, random_state=0)
    costs = np.arange(60.0)

    class CostSampler(BaseEstimator):
        def fit(self, X, y, costs=None):
            return self

        def fit_resample(self, X, y, costs=None):
            self.costs_ = costs
            keep = np.argsort(costs)[:40]
            self.sample_indices_ = keep
            return X[keep], y[keep]

    with config_context(enable_metadata_routing=True):
        model = Pipeline([("sampler", CostSampler().set_fit_request(costs=True)),
                          ("model", LogisticRegression().set_fit_request(sample_weight=True))])
        model.fit(X, y, costs=costs, sample_weight=costs + 1)
    np.testing.assert_array_equal(model[0].costs_, costs)
    expected = LogisticRegression().fit(X[:40], y[:40], sample_weight=costs[:40] + 1)
    np.testing.assert_allclose(model[-1].coef_, expected.coef_)


def test_a_sampler_without_provenance_refuses_metadata_it_cannot_align():
    X, y = make_classification(n_samples=50, random_state=0)
    model = make_pipeline(FunctionSampler(func=lambda X, y: (X[:30], y[:30])), LogisticRegression())
    model.fit(X, y)  # no metadata: nothing to align
    with pytest.raises(InputError, match="does not say which input row"):
        model.fit(X, y, logisticregression__sample_weight=np.ones(50))
    # a func that says which rows it kept lets the weights follow
    kept = make_pipeline(FunctionSampler(func=lambda X, y: (X[20:], y[20:], np.arange(20, 50))), LogisticRegression())
    weights = np.linspace(1, 2, 50)
    kept.fit(X, y, logisticregression__sample_weight=weights)
    expected = LogisticRegression().fit(X[20:], y[20:], sample_weight=weights[20:])
    np.testing.assert_allclose(kept[-1].coef_, expected.coef_)


def test_transform_input_is_transformed_not_resampled():
    X, y = make_classification(n_samples=100, random_state=0)
    X_val = np.ones((100, X.shape[1]))  # as many rows as X: it must still not follow the sampler's rows

    class Shift(TransformerMixin, BaseEstimator):
        def fit(self, X, y=None):
            return self

        def transform(self, X):
            return X + 1

    class Model(ClassifierMixin, BaseEstimator):
        def fit(self, X, y, X_val=None):
            self.X_val_, self.n_ = X_val, len(X)
            return self

    with config_context(enable_metadata_routing=True):
        model = Pipeline([("shift", Shift()), ("under", UnderSampler(random_state=0)),
                          ("model", Model().set_fit_request(X_val=True))], transform_input=["X_val"])
        model.fit(X, y, X_val=X_val)
    np.testing.assert_array_equal(model[-1].X_val_, X_val + 1)
    assert model[-1].n_ == 2 * np.bincount(y).min()


def test_memory_caches_samplers_too(data, tmp_path):
    X, y, _ = data
    model = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression(), memory=Memory(tmp_path,
                                                                                                      verbose=0))
    model.fit(X, y)
    first = model.named_steps["smote"]
    again = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression(),
                          memory=Memory(tmp_path, verbose=0)).fit(X, y)
    cached = again.named_steps["smote"]
    assert cached is not first and np.array_equal(cached.parents_, first.parents_)
    np.testing.assert_allclose(again[-1].coef_, model[-1].coef_)
    assert len(list(tmp_path.rglob("output.pkl"))) == 2  # one scaler, one sampler


def test_pandas_in_pandas_through_set_output_and_feature_names():
    X, y = load_churn(return_X_y=True)
    X = X.select_dtypes("number")
    model = make_pipeline(StandardScaler(), UnderSampler(random_state=0), LogisticRegression(max_iter=500))
    model.set_output(transform="pandas").fit(X, y)
    X_res, y_res = model[:-1].fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X.columns) and X_res.index.equals(y_res.index)
    assert list(model[:-1].get_feature_names_out()) == list(X.columns)
    assert "UnderSampler" in model._repr_html_()


def test_bad_steps_are_refused_with_the_fix():
    X, y = make_classification(n_samples=50, random_state=0)
    nested = SkPipeline([("under", UnderSampler()), ("scale", StandardScaler())])
    with pytest.raises(TypeError, match="Put its steps in this pipeline"):
        Pipeline([("inner", Pipeline(nested.steps)), ("model", LogisticRegression())]).fit(X, y)

    class Both(BaseEstimator):
        def fit(self, X, y):
            return self

        def transform(self, X):
            return X

        def fit_resample(self, X, y):
            return X, y

    with pytest.raises(TypeError, match="both transform and fit_resample"):
        make_pipeline(Both(), LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="empty"):
        Pipeline([]).fit(X, y)


def test_make_pipeline_names_steps_as_scikit_learn_does():
    model = make_pipeline(UnderSampler(), StandardScaler(), StandardScaler(), "passthrough", LogisticRegression())
    assert list(model.named_steps) == ["undersampler", "standardscaler-1", "standardscaler-2", "passthrough",
                                       "logisticregression"]
