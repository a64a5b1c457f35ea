import numpy as np
import pytest

torch = pytest.importorskip("torch")
from sklearn.base import clone  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402

from imbalance import ParameterError  # noqa: E402
from imbalance.comparison import compare, default_strategies  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402
from imbalance.torch.estimator import MLPClassifier  # noqa: E402

rng = np.random.default_rng(0)
X = rng.normal(size=(600, 4)).astype(np.float32)
y = (X[:, 0] + 0.5 * rng.normal(size=600) > 1.3).astype(int)  # about 10% positives


def test_sklearn_manners_and_determinism():
    clf = MLPClassifier((16,), epochs=5, random_state=3)
    assert clone(clf).get_params()["hidden_layer_sizes"] == (16,)
    a = clf.fit(X, y).predict_proba(X)
    b = clone(clf).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (600, 2) and np.allclose(a.sum(1), 1)
    assert set(clf.predict(X)) <= {0, 1} and list(clf.classes_) == [0, 1]


@pytest.mark.parametrize("params", [{"loss": "focal"}, {"sampler": "balanced"}, {}])
def test_imbalance_options_raise_balanced_accuracy(params):
    plain = MLPClassifier((16,), epochs=15, random_state=0).fit(X, y)
    if not params:  # weighted cross entropy through sample_weight
        w = np.where(y == 1, (y == 0).sum() / (y == 1).sum(), 1.0)
        tuned = MLPClassifier((16,), epochs=15, random_state=0).fit(X, y, sample_weight=w)
    else:
        tuned = MLPClassifier((16,), epochs=15, random_state=0, **params).fit(X, y)
    assert balanced_accuracy_score(y, tuned.predict(X)) > balanced_accuracy_score(y, plain.predict(X)) + 0.05


def test_bad_parameters():
    with pytest.raises(ParameterError, match="loss"):
        MLPClassifier(loss="hinge").fit(X, y)
    with pytest.raises(ParameterError, match="sampler"):
        MLPClassifier(sampler="random").fit(X, y)


@pytest.mark.slow
def test_compare_runs_the_mlp_strategies_on_the_mlp_only():
    assert {"mlp_focal", "mlp_weighted_ce", "mlp_balanced_sampler"} <= set(default_strategies())
    Xc, yc = load_churn(return_X_y=True)
    result = compare(Xc, yc, recipes=["mlp_focal", "mlp_balanced_sampler"], models=["logreg", "hist_gb"], cv=3)
    assert set(result.results["model"]) == {"mlp"}
    assert len(result.results) == 2 * 3
    s = result.summary.set_index("strategy")
    # the sampler trains under a balanced prior: correcting for it lowers the Brier score
    assert s.loc["mlp_balanced_sampler", "brier_corrected_mean"] < s.loc["mlp_balanced_sampler", "brier_mean"]


# ----------------------------------------------------------------------------- multi-label

Y = (X[:, :3] + 0.5 * rng.normal(size=(600, 3)) > np.array([0.0, 0.8, 1.4])).astype(int)  # ~50%, 22%, 8%


def test_multilabel_targets_give_one_probability_per_label():
    clf = MLPClassifier((16,), epochs=5, random_state=1).fit(X, Y)
    P = clf.predict_proba(X)
    assert clf.multilabel_ and P.shape == (600, 3) and ((P > 0) & (P < 1)).all()
    assert not np.allclose(P.sum(axis=1), 1)  # independent sigmoids, not a softmax
    np.testing.assert_array_equal(clf.predict(X), (P >= 0.5).astype(int))
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    np.testing.assert_array_equal(P, clone(clf).fit(X, Y).predict_proba(X))


@pytest.mark.parametrize("params", [{"pos_weight": "balanced"}, {"loss": "asymmetric"}, {"sampler": "balanced"}])
def test_multilabel_imbalance_options_raise_the_rare_label_s_recall(params):
    plain = MLPClassifier((16,), epochs=15, random_state=0).fit(X, Y)
    tuned = MLPClassifier((16,), epochs=15, random_state=0, **params).fit(X, Y)
    recall = lambda model: (model.predict(X)[:, 2] & Y[:, 2]).sum() / Y[:, 2].sum()  # noqa: E731
    assert recall(tuned) > recall(plain) + 0.1


def test_multilabel_focal_loss_trains_a_different_model():
    plain = MLPClassifier((16,), epochs=5, random_state=0).fit(X, Y).predict_proba(X)
    focal = MLPClassifier((16,), epochs=5, random_state=0, loss="focal").fit(X, Y).predict_proba(X)
    assert not np.allclose(plain, focal)


def test_multilabel_only_options_are_refused_for_one_label_column():
    with pytest.raises(ParameterError, match="loss='asymmetric' is for multi-label targets"):
        MLPClassifier(loss="asymmetric").fit(X, y)
    with pytest.raises(ParameterError, match="pos_weight is for multi-label targets"):
        MLPClassifier(pos_weight="balanced").fit(X, y)
    with pytest.raises(ParameterError, match="pos_weight must be None or 'balanced'"):
        MLPClassifier(pos_weight=3.0).fit(X, Y)


def test_compare_on_a_label_matrix_runs_the_mlp_strategies_on_the_mlp_only():
    assert {"mlp_bce", "mlp_pos_weight", "mlp_focal", "mlp_asymmetric", "mlp_balanced_sampler"} <= set(
        default_strategies(multilabel=True))
    result = compare(X, Y, recipes=["mlp_bce", "mlp_pos_weight"], models=["logreg"], cv=3)
    assert set(result.results["model"]) == {"mlp"} and len(result.results) == 2 * 3
    table = result.per_label.set_index(["strategy", "label"])  # the MLP's baseline is plain cross entropy
    assert (table.loc["mlp_bce", "f1_gain"] == 0).all()
    np.testing.assert_allclose(table.loc["mlp_pos_weight", "f1_gain"],
                               table.loc["mlp_pos_weight", "f1"] - table.loc["mlp_bce", "f1"])
