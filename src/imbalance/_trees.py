r"""Classification trees on binned features: the fast learner of the balanced ensembles.

Each feature is cut once per ensemble into at most 255 bins (:func:`fit_bins`: every distinct
value its own bin when there are few, quantiles otherwise), and every tree then grows on the
bins of the rows its member drew (:func:`grow_tree`, compiled in ``_hist_tree.c``): at a node,
one pass over its rows fills a histogram of class weights per bin for each candidate feature,
and every threshold's impurity follows from running sums, with no sort. A node is split where
the children's weighted impurity is lowest,

.. math::

    \min_{f, b}\; w_L\, G(L_{f,b}) + w_R\, G(R_{f,b}), \qquad
    G(S) = 1 - \sum_k p_k(S)^2 \;\text{(Gini) or}\; -\sum_k p_k(S) \log_2 p_k(S)

over ``max_features`` features drawn at random (more when a drawn one is constant in the node,
as scikit-learn does), which is CART's rule restricted to the bin edges (LightGBM's and
scikit-learn's histogram gradient boosting use the same restriction).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from imbalance._validation import InputError

try:
    from imbalance import _hist_tree as _compiled
except ImportError:  # built without a C compiler
    _compiled = None

__all__ = ["available", "Bins", "fit_bins", "HistTree", "grow_tree", "BoostedTrees", "samme", "boost_trees",
           "resolve_max_features", "MAX_BINS"]

MAX_BINS = 255
_BIN_SAMPLE = 200_000  # rows the quantiles are taken from, as scikit-learn's binning does


def available() -> bool:
    """Whether the compiled tree builder is here."""
    return _compiled is not None


@dataclass(frozen=True)
class Bins:
    """Bin edges per feature: a value ``x`` of feature ``f`` falls in bin ``#{e in edges[f]: e < x}``,
    so bins ``<= b`` are the values ``<= edges[f][b]``."""

    edges: tuple[np.ndarray, ...]

    @cached_property
    def n_bins(self) -> np.ndarray:
        return np.array([e.size + 1 for e in self.edges], dtype=np.int32)

    @cached_property
    def edge_table(self) -> np.ndarray:
        """The edges as one (n_features, most edges) array (padded with +inf), so that a tree's
        thresholds are one lookup, ``edge_table[feature, bin]``, not a loop over its nodes."""
        table = np.full((len(self.edges), max((e.size for e in self.edges), default=0) + 1), np.inf)
        for f, edges in enumerate(self.edges):
            table[f, :edges.size] = edges
        return table

    def transform(self, X: np.ndarray) -> np.ndarray:
        """``X`` as bins: uint8 of shape (n_features, n_samples), one contiguous row per feature."""
        binned = np.empty((X.shape[1], X.shape[0]), dtype=np.uint8)
        for f, edges in enumerate(self.edges):
            binned[f] = np.searchsorted(edges, X[:, f], side="left")
        return binned


def fit_bins(X: np.ndarray, rng: np.random.Generator, max_bins: int = MAX_BINS) -> Bins:
    """Edges of at most ``max_bins`` bins per feature of a finite float ``X``: midpoints between
    the distinct values when there are at most ``max_bins`` of them, else ``max_bins``-quantiles of
    up to 200,000 rows drawn at random."""
    sample = X if X.shape[0] <= _BIN_SAMPLE else X[np.sort(rng.choice(X.shape[0], _BIN_SAMPLE, replace=False))]
    edges = []
    for f in range(X.shape[1]):
        distinct = np.unique(sample[:, f])
        if distinct.size <= max_bins:
            edges.append((distinct[:-1] + distinct[1:]) / 2)
        else:
            cuts = np.quantile(sample[:, f], np.linspace(0, 1, max_bins + 1)[1:-1], method="midpoint")
            edges.append(np.unique(cuts))
    return Bins(edges=tuple(edges))


def resolve_max_features(max_features: Any, n_features: int) -> int:
    """scikit-learn's meanings: "sqrt", "log2", None (all), an int, or a fraction of the features."""
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(math.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(math.log2(n_features)))
    if isinstance(max_features, (int, np.integer)) and not isinstance(max_features, bool):
        return int(min(max(max_features, 1), n_features))
    return max(1, int(float(max_features) * n_features))


class HistTree:
    """A fitted tree: node arrays, as scikit-learn's ``tree_`` keeps them.

    Attributes
    ----------
    feature, threshold, children_left, children_right : ndarray of shape (node_count,)
        Split feature and threshold (go left when ``x[feature] <= threshold``); -1 for leaves.
    value : ndarray of shape (node_count, n_classes)
        Class weight totals of each node's rows.
    impurity, weighted_n_node_samples, n_node_samples : ndarray of shape (node_count,)
    classes_ : ndarray
        Class codes ``0 .. n_classes - 1``.
    """

    def __init__(self, feature, threshold, left, right, value, impurity, weight, count, n_features):
        self.feature = feature
        self.threshold = threshold
        self.children_left = left
        self.children_right = right
        self.value = value
        self.impurity = impurity
        self.weighted_n_node_samples = weight
        self.n_node_samples = count
        self.n_features_in_ = n_features
        self.classes_ = np.arange(value.shape[1])

    @property
    def node_count(self) -> int:
        return int(self.feature.size)

    @property
    def tree_(self) -> "HistTree":
        """The node arrays under scikit-learn's names (``tree_.feature``, ``tree_.value``, ...)."""
        return self

    @property
    def max_depth(self) -> int:
        """Edges on the longest path from the root to a leaf."""
        depth = np.zeros(self.node_count, dtype=np.int64)
        for node in range(self.node_count):  # children come after their parent
            if self.feature[node] >= 0:
                depth[self.children_left[node]] = depth[self.children_right[node]] = depth[node] + 1
        return int(depth.max())

    def apply(self, X: np.ndarray) -> np.ndarray:
        """The leaf each row of ``X`` (float32 or float64; other types are converted) falls in."""
        X = np.ascontiguousarray(X, dtype=X.dtype if X.dtype in (np.float32, np.float64) else np.float64)
        leaves = np.empty(X.shape[0], dtype=np.int64)
        _compiled.apply(X, X.shape[0], X.shape[1], X.itemsize, self.feature, self.threshold, self.children_left,
                        self.children_right, leaves)
        return leaves

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class shares of the leaf's rows (by weight)."""
        totals = self.value[self.apply(X)]
        return totals / totals.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.predict_proba(X).argmax(axis=1)

    @property
    def feature_importances_(self) -> np.ndarray:
        """Weighted impurity decrease per feature, summing to 1 (0 everywhere for a stump-less tree)."""
        split = np.flatnonzero(self.feature >= 0)
        left, right = self.children_left[split], self.children_right[split]
        w, imp = self.weighted_n_node_samples, self.impurity
        decrease = w[split] * imp[split] - w[left] * imp[left] - w[right] * imp[right]
        importances = np.bincount(self.feature[split], weights=decrease, minlength=self.n_features_in_)
        total = importances.sum()
        return importances / total if total > 0 else importances


def grow_tree(binned: np.ndarray, bins: Bins, codes: np.ndarray, weights: np.ndarray, rows: np.ndarray, *,
              n_classes: int, max_features: int, min_samples_split: int = 2, min_samples_leaf: int = 1,
              max_depth: int | None = None, criterion: str = "gini", min_impurity_decrease: float = 0.0,
              seed: int = 0) -> HistTree:
    """Grow one tree on ``rows`` of the binned table, row ``rows[j]`` with weight ``weights[j]``.

    ``binned`` (uint8, (n_features, n_samples)) and ``bins`` come from :func:`fit_bins`;
    ``codes`` holds the class code of every row of the table. ``seed`` draws the candidate
    features of every node: same seed, same tree.
    """
    # The tree's rows gathered into a compact block first: the builder's passes over a node's
    # rows then stay in cache instead of striding through the whole table.
    local = np.ascontiguousarray(binned[:, rows])
    local_codes = np.ascontiguousarray(codes[rows], dtype=np.int32)
    local_weights = np.ascontiguousarray(weights, dtype=np.float64)
    order = np.arange(rows.size, dtype=np.int64)  # permuted in place by the builder
    n_features = binned.shape[0]
    out = _compiled.grow(
        local, rows.size, n_features, bins.n_bins, local_codes, local_weights, order, rows.size, n_classes,
        max_features,
        min_samples_split, min_samples_leaf, -1 if max_depth is None else max_depth, criterion == "entropy",
        min_impurity_decrease, float(local_weights.sum()), seed,
    )
    feature, split_bin, left, right = (np.frombuffer(b, dtype=np.int32) for b in out[:4])
    value = np.frombuffer(out[4], dtype=np.float64).reshape(-1, n_classes)
    impurity, weight = np.frombuffer(out[5], dtype=np.float64), np.frombuffer(out[6], dtype=np.float64)
    count = np.frombuffer(out[7], dtype=np.int64)
    threshold = np.full(feature.size, -2.0)
    split = feature >= 0
    threshold[split] = bins.edge_table[feature[split], split_bin[split]]
    return HistTree(feature, threshold, left, right, value, impurity, weight, count, n_features)


class BoostedTrees:
    r"""Learners boosted by SAMME (Zhu et al. 2009; :func:`samme`), predicting as scikit-learn's
    ``AdaBoostClassifier``: scores :math:`s_k(x) = \sum_m \alpha_m [h_m(x) = k] / \sum_m \alpha_m`,
    and probabilities from SAMME's symmetric coding, in which a vote for class :math:`k` counts
    1 for it and :math:`-1/(K-1)` for every other class, so that class :math:`k` scores
    :math:`f_k = (K s_k - 1)/(K - 1)`:

    .. math::

        p_k(x) = \mathrm{softmax}_k\!\left(\frac{f(x)}{K - 1}\right)
               = \mathrm{softmax}_k\!\left(\frac{K\, s(x)}{(K - 1)^2}\right),

    for two classes :math:`p_1 = \sigma(2 (s_1 - s_0))`, as scikit-learn's AdaBoost gives them.
    The learners predict class codes."""

    def __init__(self, learners: list, alphas: np.ndarray, errors: np.ndarray, n_classes: int, n_features: int):
        self.estimators_ = learners
        self.estimator_weights_ = alphas
        self.estimator_errors_ = errors
        self.classes_ = np.arange(n_classes)
        self.n_features_in_ = n_features

    def decision_scores(self, X: ArrayLike) -> np.ndarray:
        scores = np.zeros((X.shape[0], self.classes_.size))
        rows = np.arange(X.shape[0])
        for learner, alpha in zip(self.estimators_, self.estimator_weights_):
            scores[rows, np.asarray(learner.predict(X), dtype=np.intp)] += alpha
        return scores / self.estimator_weights_.sum()

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        k = self.classes_.size
        scores = self.decision_scores(X) * (k / (k - 1) ** 2)
        scores -= scores.max(axis=1, keepdims=True)
        proba = np.exp(scores)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X: ArrayLike) -> np.ndarray:
        return self.decision_scores(X).argmax(axis=1)

    @property
    def feature_importances_(self) -> np.ndarray:
        importances = np.array([learner.feature_importances_ for learner in self.estimators_])
        return self.estimator_weights_ @ importances / self.estimator_weights_.sum()


def samme(fit_round: Callable[[int, np.ndarray], tuple[Any, np.ndarray]], codes: np.ndarray, weights: np.ndarray, *,
          n_rounds: int, n_classes: int, n_features: int, learning_rate: float = 1.0,
          first_at_chance: str = "keep", judged_by: np.ndarray | None = None) -> BoostedTrees:
    r"""SAMME boosting. Round :math:`m` calls ``fit_round(m, w)`` for a learner fitted under the
    current weights :math:`w` (normalised; ``weights`` to begin) and its predictions on the rows
    of ``codes``; then

    .. math::

        \varepsilon_m = \frac{\sum_i w_i [h_m(x_i) \ne y_i]}{\sum_i w_i}, \quad
        \alpha_m = \eta \left(\log\frac{1 - \varepsilon_m}{\varepsilon_m} + \log(K - 1)\right), \quad
        w_i \leftarrow w_i e^{\alpha_m [h_m(x_i) \ne y_i]}.

    With ``judged_by`` (a factor :math:`r_i` per row) the error is measured under the weights
    :math:`r_i w_i` the learner was trained for, :math:`\varepsilon_m = \sum_i r_i w_i [h_m(x_i) \ne
    y_i] / \sum_i r_i w_i`, while the update stays on :math:`w` (RUSBoost: :math:`r_i` is the draw
    rate of row :math:`i`'s class, see :class:`imbalance.RUSBoostClassifier`).

    A perfect round ends the boosting with :math:`\alpha = 1`; one no better than chance
    (:math:`\varepsilon_m \ge 1 - 1/K`) is dropped and ends it, as scikit-learn's AdaBoost does.
    A *first* round no better than chance is kept alone with :math:`\alpha = 1`
    (``first_at_chance="keep"``) or raises an InputError (``"raise"``). The rounds kept are
    always the first ones, in order.
    """
    weight = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    learners, alphas, errors = [], [], []
    for m in range(n_rounds):
        learner, predicted = fit_round(m, weight)
        miss = predicted != codes
        judged = weight if judged_by is None else weight * judged_by
        error = float(judged[miss].sum() / judged.sum())
        if error <= 0.0:
            learners.append(learner), alphas.append(1.0), errors.append(0.0)
            break
        if error >= 1.0 - 1.0 / n_classes:
            if not learners:
                if first_at_chance == "raise":
                    raise InputError(f"the first boosting round's learner is no better than chance (weighted error "
                                     f"{error:.3f}); use a stronger estimator or check the features.")
                learners.append(learner), alphas.append(1.0), errors.append(error)
            break
        alpha = learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))
        learners.append(learner), alphas.append(alpha), errors.append(error)
        weight = weight * np.exp(alpha * miss)
        weight /= weight.sum()
    return BoostedTrees(learners, np.asarray(alphas), np.asarray(errors), n_classes, n_features)


def boost_trees(binned: np.ndarray, bins: Bins, codes: np.ndarray, X: np.ndarray, rows: np.ndarray,
                weights: np.ndarray, *, n_classes: int, n_rounds: int = 50, learning_rate: float = 1.0,
                max_depth: int = 1, seed: int = 0) -> BoostedTrees:
    """:func:`samme` of hist trees of ``max_depth`` (stumps by default) on ``rows``, with initial
    weights ``weights`` (aligned with ``rows``): AdaBoostClassifier() on binned features."""
    local_X = X[rows]

    def fit_round(m: int, weight: np.ndarray) -> tuple[HistTree, np.ndarray]:
        tree = grow_tree(binned, bins, codes, weight, rows, n_classes=n_classes, max_features=binned.shape[0],
                         max_depth=max_depth, seed=seed + m)
        return tree, tree.predict(local_X)

    return samme(fit_round, codes[rows], weights, n_rounds=n_rounds, n_classes=n_classes,
                 n_features=binned.shape[0], learning_rate=learning_rate)
