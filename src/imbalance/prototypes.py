r"""Prototype under-samplers: keep the rows (or make the rows) that best represent a class.

Both reach the planner's target, as the random :class:`~imbalance.UnderSampler` does
(``ratio``, ``targets``), but choose rows by a rule instead of at random:

- :class:`NearMiss` (Mani and Zhang, 2003) keeps the rows of each shrinking class whose
  distances to the minority class are smallest (versions 1 and 2) or, among the rows near the
  minority, largest (version 3).
- :class:`ClusterCentroids` replaces a shrinking class by the centroids of a k-means with as
  many clusters as the class should keep (``voting="soft"``), or by the real row nearest to
  each centroid (``voting="hard"``).
- :class:`InstanceHardnessThreshold` (Smith, Martinez and Giraud-Carrier, 2014) keeps the rows
  a cross-validated classifier finds easiest.

Neighbour searches run on the compiled exact scan (:mod:`imbalance._neighbors`), one class
against another; ties go to the lower row index.
"""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from imbalance import _kmeans, _mean_distance, _neighbors
from imbalance._labels import EncodedLabels, class_positions
from imbalance._validation import InputError, InputTypeError, RandomStateLike, fmt_label, numeric_matrix
from imbalance.planner import Targets
from imbalance.samplers import BaseSampler, Resampled, SamplerInputTags, ValueRows

__all__ = ["NearMiss", "ClusterCentroids", "InstanceHardnessThreshold"]


def _check_forest_input(X: ArrayLike) -> None:
    """What the default random forest of InstanceHardnessThreshold reads: 2-D numbers, no
    infinity (NaN is fine: scikit-learn's forests route missing values)."""
    if hasattr(X, "tocsr"):
        values = X.tocsr().data
    elif isinstance(X, pd.DataFrame):
        text = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        if text:
            raise InputTypeError(
                f"InstanceHardnessThreshold's random forest reads numbers, but column(s) {', '.join(map(str, text))} "
                "are not numeric: encode them first, or pass an estimator= pipeline that does."
            )
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.asarray(X)
        if values.ndim == 2 and values.dtype.kind not in "biuf":
            try:  # numbers held as text or objects are read as scikit-learn reads them
                values = values.astype(np.float64)
            except (ValueError, TypeError):
                raise InputTypeError(
                    f"InstanceHardnessThreshold's random forest reads numbers, but X (dtype {values.dtype}) holds "
                    "other values: encode them first, or pass an estimator= pipeline that does."
                ) from None
    if np.ndim(X) != 2:
        raise InputError(f"X must be 2-D (rows x features), got {np.ndim(X)} dimension(s).")
    if np.isinf(values).any():
        raise InputError("X has infinite values; InstanceHardnessThreshold's random forest cannot split on them: "
                         "replace them with NaN or finite numbers first.")


class _NumericUnderSampler(BaseSampler):
    """Under-samplers that measure distances: dense, numeric, finite X."""

    _strategy = "under"
    _measures_x = True


class NearMiss(_NumericUnderSampler):
    __doc__ = r"""Keep the rows of each shrinking class by their distances to the minority class.

    Mani and Zhang (2003). Let :math:`M` be the minority class (the smallest; of classes tied
    for it, the first in sorted order, the planner's rule everywhere, where imbalanced-learn's
    NearMiss takes the first to appear in ``y``) and :math:`d_k^{near}(x)`, :math:`d_k^{far}(x)` the mean Euclidean distance from
    :math:`x` to its ``n_neighbors`` nearest, or farthest, rows of :math:`M`. For each class
    the plan shrinks to :math:`t` rows:

    - ``version=1``: keep the :math:`t` rows with the smallest :math:`d_k^{near}`;
    - ``version=2``: keep the :math:`t` rows with the smallest :math:`d_k^{far}`;
    - ``version=3``: take, for every minority row, its ``n_neighbors_ver3`` nearest rows of
      the class (Mani and Zhang's first step, which keeps every minority row surrounded),
      then keep the :math:`t` of them with the *largest* :math:`d_k^{near}` (imbalanced-learn's
      second step; we follow it so that both libraries keep the same rows). When fewer than
      :math:`t` rows are candidates, all are kept, a warning says so and :attr:`plan_` holds
      the counts reached.

    Ties go to the lower row index. Every version runs on the exact neighbour scan of one
    class against another (version 2 keeps the farthest rows instead of the nearest, with the
    same pruning). On large classes a float32 pass bounds every row's score and only the rows
    near the cut are scored in float64, so the rows kept are those of scoring every row
    exactly.

    Parameters
    ----------
    version : {1, 2, 3}, default=1
    n_neighbors : int, default=3
        Minority rows averaged over.
    n_neighbors_ver3 : int, default=3
        Candidates per minority row (version 3).
    neighbors : estimator with the NearestNeighbors interface, optional
        Searches instead of the compiled exact scan (versions 1 and 3).
    ratio : float, default=1.0
        Largest class count / smallest class count after, >= 1.
    targets : dict or callable, default=None
        Explicit counts after, as for :class:`~imbalance.UnderSampler`; overrides ``ratio``.

    Attributes
    ----------
    plan_ : Plan
        Counts before and after, per class (after: the counts reached).
    sampling_strategy_ : dict
        Class -> row count after.
    sample_indices_ : ndarray
        Positions of the kept rows, in their original order.
    n_features_in_ : int

    Examples
    --------
    >>> from imbalance import NearMiss
    >>> X = [[0.0], [0.2], [1.0], [5.0], [9.0], [0.1]]
    >>> y = [0, 0, 0, 0, 0, 1]
    >>> NearMiss(n_neighbors=1).fit_resample(X, y)[0]
    [[0.0], [0.1]]
"""

    _parameter_constraints: dict = {
        "ratio": BaseSampler._parameter_constraints["ratio"],
        "targets": BaseSampler._parameter_constraints["targets"],
        "version": [StrOptions({"1", "2", "3"}), Interval(Integral, 1, 3, closed="both")],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_neighbors_ver3": [Interval(Integral, 1, None, closed="left")],
        "neighbors": [HasMethods(["fit", "kneighbors"]), None],
    }

    def __init__(self, *, version: int = 1, n_neighbors: int = 3, n_neighbors_ver3: int = 3,
                 neighbors: Any = None, ratio: float = 1.0, targets: Targets | None = None) -> None:
        self.ratio = ratio
        self.targets = targets
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.neighbors = neighbors

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        values = numeric_matrix(X, "NearMiss")
        if self.neighbors is None:  # squared distances of |X| beyond 1e154 would overflow (1e-154: underflow)
            values = _neighbors.in_safe_range(values)
        version = int(self.version)
        counts, targets = self.plan_.count_array, self.plan_.target_array
        minority_code = int(np.argmin(counts))
        minority = np.flatnonzero(labels.codes == minority_code)
        k = self.n_neighbors
        if k > len(minority):
            raise InputError(
                f"NearMiss averages over n_neighbors={k} minority rows, but the minority class "
                f"{fmt_label(labels.classes[minority_code])} has {len(minority)}; lower n_neighbors."
            )
        keep = []
        for code in range(counts.size):
            rows = np.flatnonzero(labels.codes == code)  # one class's positions at a time
            if targets[code] >= counts[code]:
                keep.append(rows)
                continue
            if version == 3:
                rows = self._surrounding(values, minority, rows, int(targets[code]), labels.classes[code])
            search = None if version == 2 else self.neighbors  # a search object finds nearest rows only
            # smallest first (largest for version 3), ties to the lower row
            chosen = _mean_distance.select_by_mean_distance(values, rows, minority, k, int(targets[code]),
                                                        farthest=version == 2, largest=version == 3, search=search)
            keep.append(np.sort(rows[chosen]))
        return Resampled(np.sort(np.concatenate(keep)))

    def _surrounding(self, X: np.ndarray, minority: np.ndarray, rows: np.ndarray, target: int,
                     label: Any) -> np.ndarray:
        """Version 3's candidates: the rows of the class among some minority row's nearest."""
        k3 = min(self.n_neighbors_ver3, len(rows))
        near = _neighbors.kneighbors_among(X[minority], X, rows, k3, search=self.neighbors)[1]
        candidates = rows[np.unique(near)]
        if candidates.size < target:
            warnings.warn(
                f"NearMiss-3 found {candidates.size} rows of class {fmt_label(label)} near the minority, fewer "
                f"than the {target} planned; all are kept (raise n_neighbors_ver3 for more).",
                UserWarning, stacklevel=5)
        return candidates


#: Rows x centres from which our k-means (rows read in place, only moved centres compared) is at
#: least 1.5 times as fast as scikit-learn's Lloyd from the same start (benchmarks/bench_kmeans.py).
_OWN_KMEANS_WORK = {np.dtype(np.float64): 1e8, np.dtype(np.float32): 3e8}


class ClusterCentroids(_NumericUnderSampler):
    __doc__ = r"""Shrink a class to the centroids of a k-means on its rows.

    For each class the plan shrinks to :math:`t` rows, a k-means with :math:`t` clusters is
    fitted on the class's rows, and the class is replaced by

    - ``voting="soft"``: the :math:`t` centroids, new rows appended after the kept input rows
      (integer columns rounded; ``is_synthetic_`` marks them, ``parents_`` names the real row
      nearest to each);
    - ``voting="hard"``: the real row nearest to each centroid (a row nearest to two centroids
      is kept once, so the class may end with fewer than :math:`t` rows; :attr:`plan_` holds
      the counts reached). The result is then a subset of the input, in its order.

    The default k-means is Lloyd's, from :math:`t` distinct rows drawn at random, run until no
    row changes cluster (at most 300 iterations). Where a class has many rows and many
    centres it is our own (:mod:`imbalance._kmeans`: the class's rows read in place, each
    iteration comparing a row only with the centres that moved; 2-3.6x faster than
    scikit-learn's Lloyd at 100,000 rows and 5,000 centres, see the performance page), below
    that scikit-learn's ``KMeans(init=<those rows>, n_init=1, tol=0, algorithm="lloyd")``:
    the same iterations either way. imbalanced-learn's default (``KMeans`` seeded by greedy
    k-means++) ends a little lower, at the cost of :math:`t` sequential seeding rounds. Pass
    ``estimator`` for it, or any other.

    Parameters
    ----------
    estimator : KMeans-like estimator, optional
        Anything with an ``n_clusters`` parameter and ``cluster_centers_`` after ``fit``
        (the same ``KMeans`` given to imbalanced-learn's ClusterCentroids gives the same centroids); it
        is fitted on a copy of the class's rows and keeps its own ``random_state``. Default:
        our k-means above, seeded from ``random_state``.
    voting : {"soft", "hard"}, default="soft"
    ratio, targets, random_state
        The plan and the seed, as for :class:`~imbalance.UnderSampler`.

    Attributes
    ----------
    plan_, sampling_strategy_, n_features_in_
        As for :class:`~imbalance.UnderSampler`.
    sample_indices_ : ndarray
        Positions of the input rows in the result (``voting="hard"``, or classes left whole).
    parents_ : ndarray of shape (n_centroids,)
        For every centroid row, the position of the real row nearest to it (``voting="soft"``).
    is_synthetic_ : ndarray of bool
        Which rows of the result are centroids.
    origin_ : ndarray
        The input row of every output row, -1 for centroids.

    Examples
    --------
    >>> from imbalance import ClusterCentroids
    >>> X = [[0.0], [0.2], [1.0], [1.2], [5.0], [9.0]]
    >>> y = [0, 0, 0, 0, 1, 1]
    >>> ClusterCentroids(voting="hard", random_state=0).fit_resample(X, y)[1]
    [0, 0, 1, 1]
"""

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "estimator": [HasMethods(["fit"]), None],
        "voting": [StrOptions({"soft", "hard"})],
    }

    def __init__(self, *, estimator: Any = None, voting: str = "soft", ratio: float = 1.0, targets: Targets | None = None,
                 random_state: RandomStateLike = None) -> None:
        super().__init__(ratio=ratio, targets=targets, random_state=random_state)
        self.estimator = estimator
        self.voting = voting

    def _centroids(self, X: np.ndarray, rows: np.ndarray, n_clusters: int, rng: np.random.Generator) -> np.ndarray:
        """The k-means centres of ``X[rows]``: our own k-means (rows read in place, distinct
        random rows as initial centres), or a clone of the user's estimator fitted on a copy
        of the rows, which keeps its own ``random_state`` (as imbalanced-learn does)."""
        if self.estimator is None:
            first = np.sort(rng.choice(rows.size, n_clusters, replace=False))
            if rows.size * n_clusters >= _OWN_KMEANS_WORK[X.dtype]:
                return _kmeans.lloyd(X, rows, X[rows[first]]).centers.astype(X.dtype, copy=False)
            # below that scikit-learn's Lloyd is the faster: the same iterations from the same rows
            model = KMeans(n_clusters, init=X[rows[first]], n_init=1, tol=0, algorithm="lloyd").fit(X[rows])
            return np.asarray(model.cluster_centers_, dtype=X.dtype)
        model = clone(self.estimator).set_params(n_clusters=n_clusters).fit(X[rows])
        return np.asarray(model.cluster_centers_, dtype=X.dtype)

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        values = numeric_matrix(X, "ClusterCentroids")
        counts, targets = self.plan_.count_array, self.plan_.target_array
        positions = class_positions(labels.codes, labels.counts, np.arange(counts.size))
        kept, centroids, nearest = [], [], []
        for code in range(counts.size):
            rows = positions[code]
            if targets[code] >= counts[code]:
                kept.append(rows)
                continue
            if targets[code] == 0:
                continue
            if rows.size < 2**31:  # k-means keeps the positions throughout: half the memory
                rows = positions[code] = rows.astype(np.int32)
            centers = self._centroids(values, rows, int(targets[code]), rng)
            closest = rows[_neighbors.kneighbors_among(centers, values, rows, 1)[1][:, 0]].astype(np.int64)
            if self.voting == "hard":
                kept.append(np.unique(closest))
            else:
                centroids.append(centers)
                nearest.append(closest)
        rows = np.sort(np.concatenate(kept)) if kept else np.empty(0, np.int64)
        n_new = sum(len(c) for c in centroids)
        if self.voting == "hard":
            self.parents_ = np.empty(0, np.int64)
            return Resampled(rows)
        self.parents_ = np.concatenate(nearest) if nearest else np.empty(0, np.int64)
        if not n_new:
            return Resampled(rows)
        return Resampled(rows, ValueRows(np.concatenate(centroids), self.parents_))

    @property
    def _selects_rows(self) -> bool:  # hard voting keeps real rows; soft makes centroids up
        return self.voting == "hard"


class InstanceHardnessThreshold(BaseSampler):
    __doc__ = r"""Keep the rows a classifier finds easiest (Smith, Martinez and Giraud-Carrier, 2014).

    The instance hardness of row :math:`i` with label :math:`y_i` is
    :math:`h_i = 1 - \hat p(y_i \mid x_i)`, with :math:`\hat p` predicted out of fold
    (``cross_val_predict`` over ``cv`` stratified folds), so that no row is scored by a model
    that saw it. Each class the plan shrinks to :math:`t` rows keeps its :math:`t` rows of
    lowest hardness (ties to the lower row): exactly :math:`t`, where imbalanced-learn keeps the
    rows above a percentile, which can be more. Any X the classifier takes will do (a
    ``Pipeline`` with its own encoding, too).

    Parameters
    ----------
    estimator : classifier with ``predict_proba``, optional
        Default: scikit-learn's ``RandomForestClassifier(n_estimators=100)``, seeded from
        ``random_state``. A given one keeps its own ``random_state``.
    cv : int or cross-validation splitter, default=5
        Folds (an int: ``StratifiedKFold`` shuffled with ``random_state``).
    n_jobs : int, optional
        Folds fitted in parallel (joblib).
    ratio, targets, random_state
        The plan and the seed, as for :class:`~imbalance.UnderSampler`.

    Attributes
    ----------
    plan_, sampling_strategy_, n_features_in_
        As for :class:`~imbalance.UnderSampler`.
    hardness_ : ndarray of shape (n_samples,)
        :math:`h_i` of every input row.
    sample_indices_ : ndarray
        Positions of the kept rows, in their original order.
"""

    _strategy = "under"
    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "cv": [Interval(Integral, 2, None, closed="left"), "cv_object"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, estimator: Any = None, cv: Any = 5, n_jobs: int | None = None, ratio: float = 1.0,
                 targets: Targets | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(ratio=ratio, targets=targets, random_state=random_state)
        self.estimator = estimator
        self.cv = cv
        self.n_jobs = n_jobs

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        seed = int(rng.integers(2**31 - 1))
        if self.estimator is None:
            from sklearn.ensemble import RandomForestClassifier

            estimator = RandomForestClassifier(n_estimators=100, random_state=seed)
        else:
            estimator = clone(self.estimator)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=seed) if isinstance(self.cv, Integral) else self.cv
        if np.min(labels.counts) < getattr(folds, "n_splits", 0):
            raise InputError(
                f"InstanceHardnessThreshold scores rows over cv={folds.n_splits} stratified folds, but a class has "
                f"only {int(np.min(labels.counts))} rows; lower cv."
            )
        if self.estimator is None:
            _check_forest_input(X)
        elif np.ndim(X) != 2:
            raise InputError(f"X must be 2-D (rows x features), got {np.ndim(X)} dimension(s).")
        try:
            proba = cross_val_predict(estimator, X, labels.codes, cv=folds, n_jobs=self.n_jobs,
                                      method="predict_proba")
        except (ValueError, TypeError) as exc:  # the estimator's own refusal, named as such
            raise InputError(
                f"InstanceHardnessThreshold's estimator {type(estimator).__name__} could not fit X: "
                f"{' '.join(str(exc).split())}"
            ) from exc
        self.hardness_ = 1.0 - proba[np.arange(labels.n_samples), labels.codes]
        counts, targets = self.plan_.count_array, self.plan_.target_array
        positions = class_positions(labels.codes, labels.counts, np.arange(counts.size))
        keep = []
        for code in range(counts.size):
            rows = positions[code]
            if targets[code] < counts[code]:  # easiest first, ties to the lower row
                rows = np.sort(rows[np.argsort(self.hardness_[rows], kind="stable")[:targets[code]]])
            keep.append(rows)
        return Resampled(np.sort(np.concatenate(keep)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()  # sparse or not is the classifier's business
        tags.input_tags = SamplerInputTags(two_d_array=True, sparse=True, string=False, allow_nan=False,
                                           dataframe=True)
        return tags
