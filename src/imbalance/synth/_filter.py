"""SVM-SMOTE and k-means SMOTE: where to synthesise is chosen first (the SVM's minority
support vectors; the k-means clusters dense in the minority)."""


from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from imbalance._docstrings import compose
from imbalance._labels import EncodedLabels
from imbalance._validation import (
    InputError,
    RandomStateLike,
    fmt_label,
    to_python,
)
from imbalance.planner import Targets, apportion
from imbalance.synth._base import (
    COMMON_DOC,
    BaseSMOTE,
    Synthesis,
    class_neighbors,
)


class SVMSMOTE(BaseSMOTE):
    __doc__ = compose(r"""SVM-SMOTE (Nguyen, Cooper and Kamei, 2011): synthesise from the support vectors.

    An SVM (``svm_estimator``, default scikit-learn's ``SVC()``) is fitted on the whole data;
    the bases of a class are its support vectors. Of those, a vector whose ``m_neighbors``
    nearest rows all belong to other classes is noise and dropped; one with at least half is
    *in danger*, the rest are *safe*. From a danger vector :math:`s` a new row is interpolated
    towards one of its ``k_neighbors`` nearest rows :math:`n` of its class,
    :math:`s + u (n - s)`; from a safe one it is extrapolated away from it,
    :math:`s - \text{out\_step}\, u\, (n - s)`, with :math:`u \sim U[0, 1)`. The
    class's new rows are split between the two kinds by a :math:`\text{Beta}(10, 10)` draw, as
    in imbalanced-learn, but always sum to the plan (imbalanced-learn falls short when one kind
    is missing).

    Parameters
    ----------
    m_neighbors : int, default=10
    svm_estimator : estimator with ``support_`` after ``fit``, optional
    out_step : float, default=0.5{{common}}    svm_estimator_ : estimator
        The fitted SVM.
""", common=compose(COMMON_DOC, k_default="5"))

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": [Interval(Integral, 1, None, closed="left")],
        "svm_estimator": [HasMethods(["fit"]), None],
        "out_step": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, k_neighbors: int = 5, m_neighbors: int = 10, svm_estimator: Any = None,
                 out_step: float = 0.5, neighbors: Any = None, ratio: float = 1.0, targets: Targets | None = None,
                 random_state: RandomStateLike = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        from sklearn.base import clone
        from sklearn.svm import SVC

        svm = SVC() if self.svm_estimator is None else clone(self.svm_estimator)
        self.svm_estimator_ = svm.fit(X, labels.codes)
        if not hasattr(svm, "support_"):
            raise InputError(f"svm_estimator {type(svm).__name__} has no support_ after fit; give an SVM "
                             "(e.g. sklearn.svm.SVC).")

    def support_rows(self, X: np.ndarray, codes: np.ndarray, code: int) -> tuple[np.ndarray, np.ndarray]:
        """The class's support vectors that are not noise (positions in X), and which of them
        are in danger."""
        support = np.asarray(self.svm_estimator_.support_)
        support = np.sort(support[codes[support] == code])
        if support.size == 0:
            return support, np.zeros(0, bool)
        m = self.m_neighbors
        others = (codes[class_neighbors(X, m, self.neighbors, support, param="m_neighbors")] != code).sum(axis=1)
        return support[others < m], (others >= m / 2)[others < m]

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        support, danger = self.support_rows(X, labels.codes, code)
        if support.size == 0:
            raise InputError(
                f"SVM-SMOTE found no support vector of class {fmt_label(labels.classes[code])} that is not noise "
                "(every one is surrounded by other classes); SVM-SMOTE does not suit this data: try SMOTE or "
                "BorderlineSMOTE."
            )
        neighbors = self._class_neighbors(X, rows, labels, code)[np.searchsorted(rows, support)]
        if danger.all() or not danger.any():
            n_danger = n_new if danger.all() else 0
        else:
            n_danger = int(round(rng.beta(10, 10) * n_new))
        parts = []
        for kind, count, scale in ((danger, n_danger, 1.0), (~danger, n_new - n_danger, -self.out_step)):
            bases = np.flatnonzero(kind)
            if count == 0:
                continue
            base = bases[rng.integers(0, bases.size, size=count)]
            picks = rows[neighbors[base, rng.integers(0, neighbors.shape[1], size=count)]]
            parts.append(Synthesis(support[base], picks, scale * rng.random(count)))
        return Synthesis.concatenate(parts)


class KMeansSMOTE(BaseSMOTE):
    __doc__ = compose(r"""k-means SMOTE (Douzas, Bacao and Last, 2018): SMOTE inside the sparse, safe clusters.

    A k-means (``kmeans_estimator``: a number of clusters, or an estimator; default
    scikit-learn's ``MiniBatchKMeans`` with 8 clusters, seeded from ``random_state``) is fitted
    on the whole data. A cluster is kept for a class when the class's share of its rows is at
    least ``cluster_balance_threshold`` (``"auto"``: the class's share of all rows, i.e. the
    cluster is no more imbalanced than the data) and it holds at least two rows of the class.
    Kept cluster :math:`j` with :math:`m_j` class rows at mean pairwise Euclidean distance
    :math:`\bar d_j` has sparsity :math:`\bar d_j^{\,e} / m_j` (``density_exponent``
    :math:`e`; ``"auto"``: the number of features, as the paper suggests) and gets its share of
    the class's new rows by sparsity (largest remainders: they sum to the plan exactly, where
    imbalanced-learn rounds each cluster up). Inside a cluster, plain SMOTE with
    ``min(k_neighbors, m_j - 1)`` neighbours.

    When no cluster qualifies the method has nothing to work with: a clear error says so, and
    how to loosen it (a lower threshold, more clusters); nothing falls back silently.

    Parameters
    ----------
    kmeans_estimator : int or clustering estimator, optional
    cluster_balance_threshold : "auto" or float in [0, 1], default="auto"
    density_exponent : "auto" or float, default="auto\"{{common}}    kmeans_estimator_ : estimator
        The fitted clustering.
    cluster_weights_ : dict
        Class -> {cluster: share of the class's new rows}.
""", common=compose(COMMON_DOC, k_default="2"))

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "kmeans_estimator": [Interval(Integral, 1, None, closed="left"), HasMethods(["fit_predict"]), None],
        "cluster_balance_threshold": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "density_exponent": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, k_neighbors: int = 2, kmeans_estimator: Any = None,
                 cluster_balance_threshold: float | str = "auto", density_exponent: float | str = "auto",
                 neighbors: Any = None, ratio: float = 1.0, targets: Targets | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(k_neighbors=k_neighbors, neighbors=neighbors, ratio=ratio, targets=targets,
                         random_state=random_state)
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _prepare(self, X: np.ndarray, labels: EncodedLabels, rng: np.random.Generator) -> None:
        from sklearn.base import clone
        from sklearn.cluster import MiniBatchKMeans

        if self.kmeans_estimator is None or isinstance(self.kmeans_estimator, Integral):
            n_clusters = 8 if self.kmeans_estimator is None else int(self.kmeans_estimator)
            model = MiniBatchKMeans(n_clusters=min(n_clusters, len(X)), n_init=1,
                                    random_state=int(rng.integers(2**31 - 1)))
        else:
            model = clone(self.kmeans_estimator)
        self.cluster_labels_ = np.asarray(model.fit_predict(X))
        self.kmeans_estimator_ = model
        self.cluster_weights_ = {}

    def _synthesize_class(self, X, labels, rows, n_new, code, rng) -> Synthesis:
        clusters = self.cluster_labels_
        threshold = (rows.size / labels.n_samples if self.cluster_balance_threshold == "auto"
                     else float(self.cluster_balance_threshold))
        exponent = X.shape[1] if self.density_exponent == "auto" else float(self.density_exponent)
        ids, sizes = np.unique(clusters, return_counts=True)
        members, sparsity = [], []
        for cluster, size in zip(ids, sizes):
            mine = rows[clusters[rows] == cluster]
            if mine.size < 2 or mine.size / size < threshold:
                continue
            members.append(mine)
            sparsity.append(_mean_distance(X[mine]) ** exponent / mine.size)
        if not members:
            name = fmt_label(labels.classes[code])
            if rows.size < 2:  # no threshold or clustering makes a pair of one row
                raise InputError(
                    f"class {name} has {rows.size} row; k-means SMOTE interpolates between two rows of a cluster: add "
                    "rows of that class, or over-sample it by copies (RandomOverSampler)."
                )
            raise InputError(
                f"k-means SMOTE found no cluster where class {name} has at least two rows "
                f"and a share of at least {threshold:.3g}; lower cluster_balance_threshold or use more clusters "
                "(kmeans_estimator=...)."
            )
        weights = np.asarray(sparsity, dtype=float)
        weights = weights / weights.sum() if weights.sum() > 0 and np.isfinite(weights).all() else np.ones(len(members))
        shares = apportion(weights, n_new)
        self.cluster_weights_[to_python(labels.classes[code])] = {
            to_python(clusters[mine[0]]): float(w) for mine, w in zip(members, weights / weights.sum())}
        parts = []
        for mine, count in zip(members, shares):
            if count == 0:
                continue
            k = min(self.k_neighbors, mine.size - 1)
            neighbors = class_neighbors(X[mine], k, self.neighbors)
            base = rng.integers(0, mine.size, size=count)
            picks = neighbors[base, rng.integers(0, k, size=count)]
            parts.append(Synthesis(mine[base], mine[picks], rng.random(count)))
        return Synthesis.concatenate(parts)


# Rows on a side of the square tiles in which a cluster's pairwise distances are summed (two tiles
# of float64 in memory: 64 MiB, whatever the size of the cluster).
_DISTANCE_BLOCK = 2048


def _mean_distance(X: np.ndarray, block: int | None = None) -> float:
    r"""Mean Euclidean distance over all pairs of distinct rows, exactly, in square tiles of
    ``block`` rows (default ``_DISTANCE_BLOCK``): memory stays at two tiles whatever the number
    of rows (a strip of ``block`` x all rows took 512x the input at 12,000 rows), and each
    unordered pair is measured once (tiles on and above the diagonal)."""
    block = block or _DISTANCE_BLOCK
    n = len(X)
    X = X.astype(np.float64, copy=False)
    sq = np.einsum("ij,ij->i", X, X)
    total = 0.0
    for a in range(0, n, block):
        rows = slice(a, a + block)
        for b in range(a, n, block):
            d2 = X[rows] @ X[b:b + block].T
            d2 *= -2
            d2 += sq[rows, None]
            d2 += sq[None, b:b + block]
            np.maximum(d2, 0, out=d2)
            if a == b:  # the diagonal tile holds each pair twice, and each row's distance to itself
                inside = np.arange(d2.shape[0])
                d2[inside, inside] = 0.0  # which rounding leaves above 0
                total += float(np.sqrt(d2, out=d2).sum()) / 2
            else:
                total += float(np.sqrt(d2, out=d2).sum())
    return 2 * total / (n * (n - 1))
