"""Trees on binned features (the balanced ensembles' default learner): scikit-learn's tree where
the bins are the distinct values, limits honoured, importances by their formula."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from imbalance._trees import available, boost_trees, fit_bins, grow_tree, resolve_max_features

pytestmark = pytest.mark.skipif(not available(), reason="the compiled tree builder is not built")


def problem(seed, n=250, d=5, k=3):  # continuous features: 250 distinct values each
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = ((X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 0.7, n)) > 0.5).astype(int) + (X[:, 2] > 1) * (k > 2)
    # dyadic weights add up exactly (a pure node has impurity 0 on both sides), and come in
    # enough sizes that no two splits tie in weighted impurity
    w = rng.integers(8, 64, n) / 16
    return X, y, w, rng


def grow(X, y, w, rng, **params):
    bins = fit_bins(X, rng)
    rows = np.arange(y.size)
    return grow_tree(bins.transform(X), bins, y.astype(np.int32), w, rows, n_classes=int(y.max()) + 1,
                     max_features=params.pop("max_features", X.shape[1]), **params)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("min_samples_leaf", [1, 5])
def test_same_tree_as_scikit_learn_when_every_value_is_a_bin(seed, criterion, min_samples_leaf):
    # 250 distinct values per feature: one bin each, so the candidate splits are scikit-learn's,
    # and the fully grown trees are the same.
    X, y, w, rng = problem(seed)
    ours = grow(X, y, w, rng, criterion=criterion, min_samples_leaf=min_samples_leaf, max_depth=None)
    theirs = DecisionTreeClassifier(criterion=criterion, min_samples_leaf=min_samples_leaf, max_depth=None,
                                    random_state=0).fit(X, y, sample_weight=w)
    assert ours.node_count == theirs.tree_.node_count
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)
    np.testing.assert_allclose(np.sort(ours.impurity), np.sort(theirs.tree_.impurity), atol=1e-12)


def test_limits_and_node_arrays_hold():
    X, y, w, rng = problem(0, n=2000, d=6)
    tree = grow(X, y, w, rng, max_features=2, min_samples_leaf=7, min_samples_split=20, max_depth=6, seed=3)
    leaves = tree.feature < 0
    assert tree.max_depth <= 6 and (tree.n_node_samples[leaves] >= 7).all()
    split = ~leaves
    assert (tree.n_node_samples[split] >= 20).all()
    left, right = tree.children_left[split], tree.children_right[split]
    np.testing.assert_array_equal(tree.n_node_samples[left] + tree.n_node_samples[right], tree.n_node_samples[split])
    np.testing.assert_allclose(tree.value[left] + tree.value[right], tree.value[split])
    np.testing.assert_allclose(tree.value[0], np.bincount(y, weights=w))
    # importances: weighted impurity decrease per split feature, normalised
    decrease = (tree.weighted_n_node_samples[split] * tree.impurity[split]
                - tree.weighted_n_node_samples[left] * tree.impurity[left]
                - tree.weighted_n_node_samples[right] * tree.impurity[right])
    expected = np.bincount(tree.feature[split], weights=decrease, minlength=6)
    np.testing.assert_allclose(tree.feature_importances_, expected / expected.sum())
    # the leaf of every training row holds that row: apply on float32 and float64 agree
    np.testing.assert_array_equal(tree.apply(X), tree.apply(X.astype(np.float32)))
    assert tree.tree_ is tree


def test_same_seed_same_tree_and_features_drawn_per_node():
    X, y, w, rng = problem(1, n=1500, d=8)
    a = grow(X, y, w, np.random.default_rng(0), max_features=2, seed=11)
    b = grow(X, y, w, np.random.default_rng(0), max_features=2, seed=11)
    c = grow(X, y, w, np.random.default_rng(0), max_features=2, seed=12)
    np.testing.assert_array_equal(a.feature, b.feature)
    np.testing.assert_array_equal(a.threshold, b.threshold)
    assert not np.array_equal(a.feature, c.feature) or not np.array_equal(a.threshold, c.threshold)
    assert len(set(a.feature[a.feature >= 0].tolist())) > 2  # not always the same two features


def test_bins_quantiles_for_many_values_and_exact_for_few():
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=5000), rng.integers(0, 4, 5000)]
    bins = fit_bins(X, rng, max_bins=16)
    assert bins.n_bins.tolist() == [16, 4]
    np.testing.assert_allclose(bins.edges[1], [0.5, 1.5, 2.5])
    binned = bins.transform(X)
    assert binned.dtype == np.uint8 and binned.shape == (2, 5000)
    counts = np.bincount(binned[0], minlength=16)
    assert counts.min() > 0.8 * 5000 / 16 and counts.max() < 1.2 * 5000 / 16  # quantile bins: about equal
    # bin(x) <= b exactly when x <= edges[b]
    for b in (0, 7, 14):
        np.testing.assert_array_equal(binned[0] <= b, X[:, 0] <= bins.edges[0][b])


def test_a_constant_or_pure_table_is_one_leaf():
    X = np.ones((50, 3))
    y = np.r_[np.zeros(25, int), np.ones(25, int)]
    tree = grow(X, y, np.ones(50), np.random.default_rng(0))
    assert tree.node_count == 1 and tree.predict_proba(X[:2]).tolist() == [[0.5, 0.5]] * 2
    assert tree.feature_importances_.tolist() == [0.0, 0.0, 0.0]


def test_max_features_means_what_scikit_learn_says():
    assert [resolve_max_features(m, 20) for m in ("sqrt", "log2", None, 3, 0.5, 50)] == [4, 4, 20, 3, 10, 20]


def test_boosted_stumps_follow_samme():
    X, y, w, rng = problem(3, n=800, d=5)
    bins = fit_bins(X, rng)
    rows = np.arange(0, 800, 2)  # every other row
    model = boost_trees(bins.transform(X), bins, y.astype(np.int32), X.astype(np.float32), rows, np.ones(rows.size),
                        n_classes=3, n_rounds=12, learning_rate=0.5, seed=0)
    assert len(model.estimators_) >= 3 and all(t.max_depth == 1 for t in model.estimators_)
    weight = np.full(rows.size, 1 / rows.size)
    for tree, alpha, error in zip(model.estimators_, model.estimator_weights_, model.estimator_errors_):
        miss = tree.predict(X[rows]) != y[rows]
        assert error == pytest.approx(weight[miss].sum(), rel=1e-12)
        assert alpha == pytest.approx(0.5 * (np.log((1 - error) / error) + np.log(2)), rel=1e-12)
        weight = weight * np.exp(alpha * miss)
        weight /= weight.sum()
    scores = sum(a * np.eye(3)[t.predict(X)] for t, a in zip(model.estimators_, model.estimator_weights_))
    scores /= model.estimator_weights_.sum()
    # AdaBoostClassifier's SAMME probabilities, softmax(K s / (K - 1)^2) with K = 3 (softmax(s / 2) here, the
    # squeezed form, until issue 29.19)
    expected = np.exp(3 * scores / 4) / np.exp(3 * scores / 4).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_proba(X), expected, rtol=1e-12)
