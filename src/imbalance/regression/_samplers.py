r"""Samplers for a numeric target, on the planner: the relevance bins of ``y`` play the
classes, a strategy gives every bin its row count after, and each sampler carries out that
plan exactly.

- :class:`RegressionUnderSampler` / :class:`RegressionOverSampler`: random under-sampling of
  the bins above their target, random over-sampling (copies) of the bins below (Torgo et al.
  2013, 2015), by the package's one draw rule (:mod:`imbalance._draw`).
- :class:`SMOTER` (Torgo et al. 2013), :class:`GaussianNoiseSampler` (Branco et al. 2016),
  :class:`SMOGN` (Branco et al. 2017): bins above their target are under-sampled at random,
  bins below it grow by synthetic rows.

Seeds: a bin of :math:`n` rows that needs :math:`m` new rows makes
:math:`\lfloor m/n \rfloor` from every row and one more from a random :math:`m \bmod n` of
them. Neighbours are the exact :math:`k` nearest rows *of the same bin* in HEOM distance
(:mod:`imbalance.regression._features`).
"""

from __future__ import annotations

import os
from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from imbalance import _neighbors
from imbalance._draw import even_draws
from imbalance._labels import encode_labels
from imbalance._validation import InputError, RandomStateLike, check_random_state, check_same_length
from imbalance.planner import Plan
from imbalance.regression._bins import plan_bins
from imbalance.regression._features import TableFeatures, read_features
from imbalance.regression._relevance import Relevance, check_target
from imbalance.resample import Draw, draw_rows, new_column, take_rows
from imbalance.samplers import BaseSampler, check_parameters
from imbalance.synth._base import append_new_rows

__all__ = ["BaseRegressionSampler", "RegressionUnderSampler", "RegressionOverSampler", "SMOTER",
           "GaussianNoiseSampler", "SMOGN"]

_STRATEGIES = StrOptions({"balance", "extreme", "under", "over", "power"})


@dataclass(frozen=True)
class NewTargets:
    """Rows made up for the growing bins: numeric values, nominal codes, targets, the input
    positions of each row's seed and neighbour (-1: none), and whether it is Gaussian noise."""

    numeric: np.ndarray
    codes: np.ndarray
    y: np.ndarray
    seed: np.ndarray
    neighbor: np.ndarray
    noise: np.ndarray

    @staticmethod
    def concatenate(parts: list["NewTargets"], n_numeric: int, n_nominal: int) -> "NewTargets":
        if not parts:
            return NewTargets(np.empty((0, n_numeric)), np.empty((0, n_nominal), np.int64), np.empty(0),
                              np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool))
        return NewTargets(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))

    def reordered(self, order: np.ndarray) -> "NewTargets":
        return NewTargets(*(getattr(self, f)[order] for f in _FIELDS))


_FIELDS = ("numeric", "codes", "y", "seed", "neighbor", "noise")


class BaseRegressionSampler(OneToOneFeatureMixin, BaseEstimator, metaclass=ABCMeta):
    """What every sampler of a numeric target does: check the parameters and data, cut
    ``y`` into relevance bins, plan their counts (:func:`plan_bins`), run the one hook, and
    return X and y in their own types, with the provenance attributes."""

    #: The only direction bins may move (None: both).
    _direction: str | None = None
    #: Whether synthetic rows are of two kinds (``noise_``).
    _reports_noise = False
    _parameter_constraints: dict = {
        "strategy": [_STRATEGIES, Mapping, callable],
        "ratio": [Interval(Real, 1, None, closed="left")],
        "relevance": [Relevance, "array-like", None],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "random_state": BaseSampler._parameter_constraints["random_state"],
    }

    def __init__(self, *, strategy: str | Mapping | Callable = "balance", ratio: float = 1.0,
                 relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 random_state: RandomStateLike = None) -> None:
        self.strategy = strategy
        self.ratio = ratio
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state

    @abstractmethod
    def _resample(self, X: ArrayLike, y: np.ndarray, bins: np.ndarray,
                  rng: np.random.Generator) -> tuple[Draw, NewTargets | None, TableFeatures | None]:
        """The hook: the input rows kept (a :class:`Draw`) and the rows made up, if any."""

    def _fit(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        check_parameters(self)
        target = check_target(y)
        check_same_length(target.size, X=X)
        validate_data(self, X, skip_check_array=True, reset=True)
        self.plan_, self.bins_ = plan_bins(target, self.strategy, relevance=self.relevance,
                                           threshold=self.threshold, ratio=self.ratio, direction=self._direction)
        self.relevance_ = self.bins_.relevance
        return target

    def fit(self, X: ArrayLike, y: ArrayLike) -> "BaseRegressionSampler":
        """Check the data and compute :attr:`plan_` and :attr:`bins_`, without resampling."""
        self._fit(X, y)
        return self

    def fit_resample(self, X: ArrayLike, y: ArrayLike) -> tuple[Any, Any]:
        """Resample ``X`` and ``y`` to the plan of ``y``'s relevance bins.

        Parameters
        ----------
        X : ndarray, DataFrame or list of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            The numeric target: finite, not constant.

        Returns
        -------
        X_res, y_res : same types as X and y
            Kept input rows first (in input order), then the rows made up. A DataFrame keeps
            its columns, dtypes and index (new rows get labels after the largest); integer
            columns and an integer ``y`` are rounded.
        """
        target = self._fit(X, y)
        draw, new, features = self._resample(X, target, self.bins_.assign(target),
                                             check_random_state(self.random_state))
        kept = draw.indices
        if new is None:
            self.sample_indices_ = self.origin_ = kept
            self.is_synthetic_ = np.zeros(kept.size, dtype=bool)
            return take_rows(X, draw), take_rows(y, draw)
        self.origin_ = np.concatenate([kept, np.full(new.y.size, -1, dtype=np.int64)])
        self.is_synthetic_ = self.origin_ < 0
        self.parents_ = np.column_stack([new.seed, new.neighbor])
        if self._reports_noise:
            self.noise_ = new.noise
        X_res = append_new_rows(take_rows(X, draw), features.categorical, features.levels, new.numeric, new.codes,
                                new.y.size)
        return X_res, _append_targets(y, take_rows(y, draw), new.y, X_res)


def _append_targets(y: ArrayLike, kept: Any, values: np.ndarray, X_res: Any) -> Any:
    """The kept targets followed by the new ones, in y's type (an integer y rounded)."""
    if isinstance(y, pd.Series):
        new = pd.Series(new_column(values, y.dtype), name=y.name)
        out = pd.concat([kept, new])
        out.index = X_res.index if isinstance(X_res, pd.DataFrame) else pd.RangeIndex(len(out))
        return out
    arr = np.asarray(y)
    flat = arr.reshape(-1) if arr.ndim == 2 else arr
    dtype = flat.dtype if flat.dtype.kind in "iuf" else np.float64
    made = np.rint(values) if dtype.kind in "iu" else values
    out = np.concatenate([np.asarray(kept).reshape(-1), made.astype(dtype)])
    if arr.ndim == 2:
        out = out.reshape(-1, 1)
    return out.tolist() if isinstance(y, list) else out


def _selection(bins: np.ndarray, plan: Plan, rng: np.random.Generator, cap_at_count: bool) -> Draw:
    """The package's draw of the plan's counts per bin; ``cap_at_count``: bins that grow
    keep their rows once (the synthetic rows make up the rest)."""
    if cap_at_count:
        plan = replace(plan, targets={b: min(t, plan.counts[b]) for b, t in plan.targets.items()})
    return draw_rows(encode_labels(bins), plan, rng)


class _SelectingSampler(BaseRegressionSampler):
    """Rows drawn to the plan, none made up."""

    def _resample(self, X, y, bins, rng):
        return _selection(bins, self.plan_, rng, cap_at_count=False), None, None


class RegressionUnderSampler(_SelectingSampler):
    """Random under-sampling of a numeric target's relevance bins (Torgo et al. 2013, 2015).

    Bins above their planned count keep a random subset of that size; no row is added.

    Parameters
    ----------
    strategy : {"under", "balance", "extreme", "power"}, dict or callable, default="under"
        The planner's strategy for the bins (see :func:`plan_bins`); it may only remove rows.
        ``"under"`` cuts every bin to ``ratio`` times the smallest bin.
    ratio : float, default=1.0
        Largest bin / smallest bin after (``"under"``).
    relevance : Relevance or control points, optional
        :math:`\\phi`; default the automatic one of ``y`` (:meth:`Relevance.from_target`).
    threshold : float, default=0.8
        A target value is rare where :math:`\\phi(y) \\ge` threshold.
    random_state : int, numpy Generator or None
        Same seed, same rows.

    Attributes
    ----------
    plan_ : Plan
        Row count per bin (classes 0 to n_bins - 1, low target to high) before and after.
    bins_ : RelevanceBins
    relevance_ : Relevance
    sample_indices_ : ndarray of int
        The input rows kept, ascending.
    origin_, is_synthetic_ : ndarray
        The input row of every output row; all False.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import RegressionUnderSampler
    >>> y = np.r_[np.arange(100.0), 400, 410, 420]
    >>> sampler = RegressionUnderSampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(y[:, None], y)
    >>> sampler.bins_
    RelevanceBins(threshold=0.8: normal [0, 85], rare [86, 420])
    >>> sampler.plan_.targets
    {0: 17, 1: 17}
    """

    _direction = "under"

    def __init__(self, *, strategy: str | Mapping | Callable = "under", ratio: float = 1.0,
                 relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 random_state: RandomStateLike = None) -> None:
        super().__init__(strategy=strategy, ratio=ratio, relevance=relevance, threshold=threshold,
                         random_state=random_state)



class RegressionOverSampler(_SelectingSampler):
    """Random over-sampling (copies) of a numeric target's relevance bins (Torgo et al. 2013).

    A bin raised from :math:`n` to :math:`t` rows keeps every row and takes each
    :math:`\\lfloor t/n \\rfloor - 1` more times, plus a random :math:`t \\bmod n` once more.

    Parameters
    ----------
    strategy : {"over", "balance", "extreme", "power"}, dict or callable, default="over"
        It may only add rows; ``"over"`` raises every bin to the largest / ``ratio``.
    ratio, relevance, threshold, random_state
        As in :class:`RegressionUnderSampler`.

    Attributes
    ----------
    plan_, bins_, relevance_, sample_indices_, origin_, is_synthetic_
        As in :class:`RegressionUnderSampler` (``sample_indices_`` repeats rows).
    """

    _direction = "over"

    def __init__(self, *, strategy: str | Mapping | Callable = "over", ratio: float = 1.0,
                 relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 random_state: RandomStateLike = None) -> None:
        super().__init__(strategy=strategy, ratio=ratio, relevance=relevance, threshold=threshold,
                         random_state=random_state)


class _SyntheticSampler(BaseRegressionSampler):
    """Bins above their count under-sampled at random; bins below grow by
    :meth:`_synthesize_bin`."""

    _parameter_constraints: dict = {
        **BaseRegressionSampler._parameter_constraints,
        "categorical_features": ["array-like", None],
    }

    @abstractmethod
    def _synthesize_bin(self, features: TableFeatures, y: np.ndarray, rows: np.ndarray, seeds: np.ndarray,
                        name: str, rng: np.random.Generator) -> NewTargets:
        """New rows from the bin's ``rows`` (input positions): one from each of ``seeds``
        (positions into ``rows``, a seed repeated once per row it makes)."""

    def _resample(self, X, y, bins, rng):
        features = read_features(X, self.categorical_features, type(self).__name__)
        counts, targets = self.plan_.count_array, self.plan_.target_array
        draw = _selection(bins, self.plan_, rng, cap_at_count=True)
        names = self.bins_.names()
        parts = []
        for b in np.flatnonzero(targets > counts):
            rows = np.flatnonzero(bins == b)
            whole, subset = even_draws(rows.size, int(targets[b] - counts[b]), rng)
            seeds = np.sort(np.concatenate([np.repeat(np.arange(rows.size), whole), subset]))
            parts.append(self._synthesize_bin(features, y, rows, seeds, names[b], rng))
        return draw, NewTargets.concatenate(parts, features.numeric.shape[1], features.codes.shape[1]), features


_COMMON_PARAMS = """
    strategy : {"balance", "extreme", "under", "over", "power"}, dict or callable, default="balance"
        The planner's strategy for the bins (see :func:`plan_bins`): bins above their target
        are under-sampled at random, bins below it grow by synthetic rows.
    ratio : float, default=1.0
        Largest bin / smallest bin after (``"under"``/``"over"`` only).
    relevance : Relevance or control points, optional
        :math:`\\phi`; default the automatic one of ``y`` (:meth:`Relevance.from_target`).
    threshold : float, default=0.8
        A target value is rare where :math:`\\phi(y) \\ge` threshold.
    categorical_features : list, optional
        Nominal columns (names, or positions for arrays). Default: a DataFrame's text,
        boolean and categorical columns; none for arrays.
    random_state : int, numpy Generator or None
        Same seed, same rows."""

_COMMON_ATTRIBUTES = """
    Attributes
    ----------
    plan_ : Plan
        Row count per bin (classes 0 to n_bins - 1, low target to high) before and after.
    bins_ : RelevanceBins
    relevance_ : Relevance
    parents_ : ndarray of shape (n_synthetic, 2)
        Input positions of every synthetic row's seed and neighbour (-1: Gaussian noise).
    origin_ : ndarray of shape (n_output,)
        The input row of every output row, -1 for synthetic ones.
    is_synthetic_ : ndarray of bool, shape (n_output,)"""


def _too_few(name: str, n: int, k: int) -> InputError:
    return InputError(
        f"bin {name} has {n} row{'s' * (n != 1)}, fewer than k_neighbors + 1 = {k + 1}, so it has too few neighbours "
        f"to interpolate towards; lower k_neighbors to at most {max(n - 1, 1)}, or grow it by "
        "GaussianNoiseSampler or RegressionOverSampler."
    )


def _interpolate(features: TableFeatures, y: np.ndarray, seed: np.ndarray, neighbor: np.ndarray,
                 rng: np.random.Generator) -> NewTargets:
    r"""SMOTER's rows (Torgo et al. 2013) from input positions ``seed`` and ``neighbor``:
    numbers at a uniform gap :math:`g` along the segment, each nominal value the seed's or the
    neighbour's with probability 1/2, and the target the distance-weighted mean
    :math:`(d_2 y_s + d_1 y_n) / (d_1 + d_2)` with :math:`d_1, d_2` the HEOM distances of the
    new row to the seed and to the neighbour (the mean where both are 0)."""
    m = seed.size
    gap = rng.random(m)
    start, step = features.numeric[seed], features.numeric[neighbor] - features.numeric[seed]
    numeric = start + gap[:, None] * step
    take_neighbor = rng.random((m, features.codes.shape[1])) < 0.5
    codes = np.where(take_neighbor, features.codes[neighbor], features.codes[seed])
    apart = ((step / features.ranges) ** 2).sum(axis=1)
    d1 = np.sqrt(gap ** 2 * apart + (codes != features.codes[seed]).sum(axis=1))
    d2 = np.sqrt((1 - gap) ** 2 * apart + (codes != features.codes[neighbor]).sum(axis=1))
    total = d1 + d2
    with np.errstate(invalid="ignore", divide="ignore"):
        target = np.where(total > 0, (d2 * y[seed] + d1 * y[neighbor]) / total, (y[seed] + y[neighbor]) / 2)
    return NewTargets(numeric, codes, target, seed, neighbor, np.zeros(m, dtype=bool))


def _perturb(features: TableFeatures, y: np.ndarray, rows: np.ndarray, seed: np.ndarray, pert: np.ndarray,
             rng: np.random.Generator, neighbor: np.ndarray | None = None) -> NewTargets:
    r"""Gaussian-noise rows (Branco et al. 2016) from input positions ``seed``: every number
    and the target plus :math:`\mathcal N(0, (\text{pert}\cdot s_j)^2)`, :math:`s_j` the
    feature's (target's) standard deviation in the bin ``rows``; each nominal value, with
    probability ``pert``, redrawn from its frequencies in the bin. ``pert`` is per row;
    ``neighbor``, the neighbour SMOGN found too far (recorded, not used)."""
    m = seed.size
    scale = pert[:, None] * features.numeric[rows].std(axis=0)
    numeric = features.numeric[seed] + rng.standard_normal((m, features.numeric.shape[1])) * scale
    target = y[seed] + rng.standard_normal(m) * pert * y[rows].std()
    codes = features.codes[seed].copy()
    for j, values in enumerate(features.levels):
        redraw = rng.random(m) < pert
        frequency = np.bincount(features.codes[rows, j], minlength=len(values)) / rows.size
        codes[redraw, j] = rng.choice(len(values), size=int(redraw.sum()), p=frequency)
    neighbor = np.full(m, -1, dtype=np.int64) if neighbor is None else neighbor
    return NewTargets(numeric, codes, target, seed, neighbor, np.ones(m, dtype=bool))


class SMOTER(_SyntheticSampler):
    __doc__ = f"""SMOTE for regression (Torgo, Ribeiro, Pfahringer & Branco 2013).

    A new row lies at a uniform gap between a seed of a rare bin and one of the seed's
    ``k_neighbors`` nearest rows of that bin (HEOM distance); each nominal value is the
    seed's or the neighbour's at random; its target is the mean of the two targets weighted
    by the new row's distance to the other parent,

    .. math:: y = \\frac{{d_2\\, y_{{\\text{{seed}}}} + d_1\\, y_{{\\text{{nb}}}}}}{{d_1 + d_2}},

    :math:`d_1, d_2` its distances to the seed and the neighbour (on numbers alone this is
    :math:`(1 - g)\\, y_{{\\text{{seed}}}} + g\\, y_{{\\text{{nb}}}}`).

    Parameters
    ----------
    k_neighbors : int, default=5
        Neighbours within the bin; a bin to grow needs ``k_neighbors + 1`` rows.{_COMMON_PARAMS}
{_COMMON_ATTRIBUTES}
    """

    _parameter_constraints: dict = {
        **_SyntheticSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, k_neighbors: int = 5, strategy: str | Mapping | Callable = "balance", ratio: float = 1.0,
                 relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 categorical_features: Sequence[Any] | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(strategy=strategy, ratio=ratio, relevance=relevance, threshold=threshold,
                         random_state=random_state)
        self.k_neighbors = k_neighbors
        self.categorical_features = categorical_features

    def _synthesize_bin(self, features, y, rows, seeds, name, rng):
        k = self.k_neighbors
        if rows.size <= k:
            raise _too_few(name, rows.size, k)
        _, near = _neighbors.kneighbors(features.space(rows), k)
        picks = near[seeds, rng.integers(0, k, size=seeds.size)]
        return _interpolate(features, y, rows[seeds], rows[picks], rng)


class GaussianNoiseSampler(_SyntheticSampler):
    __doc__ = f"""Over-sampling a numeric target by Gaussian noise (Branco, Ribeiro & Torgo 2016).

    A new row is a seed of a rare bin with every number and the target perturbed by
    :math:`\\mathcal N(0, (\\text{{pert}} \\cdot s_j)^2)`, :math:`s_j` the standard deviation of
    that column in the bin, and each nominal value redrawn, with probability ``pert``, from
    its frequencies in the bin.

    Parameters
    ----------
    pert : float, default=0.1
        The noise as a share of each column's standard deviation (UBL's default).{_COMMON_PARAMS}
{_COMMON_ATTRIBUTES}
    """

    _parameter_constraints: dict = {
        **_SyntheticSampler._parameter_constraints,
        "pert": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, *, pert: float = 0.1, strategy: str | Mapping | Callable = "balance", ratio: float = 1.0,
                 relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 categorical_features: Sequence[Any] | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(strategy=strategy, ratio=ratio, relevance=relevance, threshold=threshold,
                         random_state=random_state)
        self.pert = pert
        self.categorical_features = categorical_features

    def _synthesize_bin(self, features, y, rows, seeds, name, rng):
        return _perturb(features, y, rows, rows[seeds], np.full(seeds.size, float(self.pert)), rng)


def safe_distances(space: np.ndarray, *, block_bytes: int = 2 ** 26, n_threads: int | None = None) -> np.ndarray:
    """SMOGN's safe distance of every row: half the median of its distances to the other
    rows of the set, exactly. Blocks of rows (about ``block_bytes`` each) go to ``n_threads``
    threads (default: the CPUs this process may use); each block's squared distances come from
    one matrix product, and the median is selected (not sorted) from them."""
    n = len(space)
    norms = np.einsum("ij,ij->i", space, space)
    lo, hi = (n - 2) // 2, (n - 1) // 2  # the middle of n - 1 distances, self left out (put last)
    kth = lo if lo == hi else (lo, hi)
    out = np.empty(n)
    step = max(1, block_bytes // (8 * n))

    def block(start: int) -> None:
        stop = min(start + step, n)
        squared = space[start:stop] @ space.T  # then |a|^2 + |b|^2 - 2 a.b in place
        squared *= -2
        squared += norms[None, :]
        squared += norms[start:stop, None]
        np.maximum(squared, 0, out=squared)
        squared[np.arange(stop - start), np.arange(start, stop)] = np.inf
        squared.partition(kth, axis=1)
        out[start:stop] = (np.sqrt(squared[:, lo]) + np.sqrt(squared[:, hi])) / 4

    starts = range(0, n, step)
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = n_threads or available
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(min(workers, len(starts))) as pool:  # numpy's selection releases the GIL
            list(pool.map(block, starts))
    else:
        for start in starts:
            block(start)
    return out


class SMOGN(_SyntheticSampler):
    __doc__ = f"""SMOTER and Gaussian noise, chosen by distance (Branco, Torgo & Ribeiro 2017).

    For a seed of a rare bin and a random one of its ``k_neighbors`` nearest rows of the bin
    (HEOM distance): where the neighbour is closer than the seed's *safe distance*, half the
    median of the seed's distances to the other rows of its bin, the new row is SMOTER's
    interpolation (see :class:`SMOTER`); where it is not, the seed perturbed by Gaussian noise
    (see :class:`GaussianNoiseSampler`) with :math:`\\min(\\text{{pert}}, \\text{{safe distance}})`
    as the noise share, so rows in sparse places are not drawn towards far neighbours.

    Parameters
    ----------
    k_neighbors : int, default=5
        Neighbours within the bin; a bin to grow needs ``k_neighbors + 1`` rows.
    pert : float, default=0.02
        The Gaussian noise's share of each column's standard deviation (smogn's default).{_COMMON_PARAMS}
{_COMMON_ATTRIBUTES}
    noise_ : ndarray of bool, shape (n_synthetic,)
        Which synthetic rows are Gaussian noise (their ``parents_`` neighbour was found
        beyond the seed's safe distance and not used).
    """

    _reports_noise = True
    _parameter_constraints: dict = {
        **SMOTER._parameter_constraints,
        "pert": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, *, k_neighbors: int = 5, pert: float = 0.02, strategy: str | Mapping | Callable = "balance",
                 ratio: float = 1.0, relevance: Relevance | ArrayLike | None = None, threshold: float = 0.8,
                 categorical_features: Sequence[Any] | None = None, random_state: RandomStateLike = None) -> None:
        super().__init__(strategy=strategy, ratio=ratio, relevance=relevance, threshold=threshold,
                         random_state=random_state)
        self.k_neighbors = k_neighbors
        self.pert = pert
        self.categorical_features = categorical_features

    def _synthesize_bin(self, features, y, rows, seeds, name, rng):
        k = self.k_neighbors
        if rows.size <= k:
            raise _too_few(name, rows.size, k)
        space = features.space(rows)
        squared, near = _neighbors.kneighbors(space, k)
        safe = safe_distances(space)
        which = rng.integers(0, k, size=seeds.size)
        picks = near[seeds, which]
        close = np.sqrt(squared[seeds, which]) < safe[seeds]
        smoter = _interpolate(features, y, rows[seeds[close]], rows[picks[close]], rng)
        noise = _perturb(features, y, rows, rows[seeds[~close]], np.minimum(float(self.pert), safe[seeds[~close]]),
                         rng, neighbor=rows[picks[~close]])
        order = np.argsort(np.concatenate([np.flatnonzero(close), np.flatnonzero(~close)]), kind="stable")
        both = NewTargets.concatenate([smoter, noise], features.numeric.shape[1], features.codes.shape[1])
        return both.reordered(order)
