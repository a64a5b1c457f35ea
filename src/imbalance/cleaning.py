r"""Cleaning under-samplers: remove the rows a neighbourhood rule flags, on our kNN scan.

Unlike the random samplers, these do not reach a target: each removes what its rule says, from
the classes in ``classes`` (default: every class but the minority, as imbalanced-learn's
``sampling_strategy="auto"``), and :attr:`plan_` holds the realised counts. The rows kept come
in their original order (``sample_indices_``).

Every neighbour search is the exact compiled scan of :mod:`imbalance._neighbors` (ties to the
lower row index, so results do not depend on the thread count); a row is never its own
neighbour, its duplicates are. ``neighbors=`` takes any ``NearestNeighbors``-like object instead.

- :class:`TomekLinks` (Tomek 1976): a pair of rows of different classes that are each other's
  nearest neighbour is a Tomek link; the member in a cleaned class is removed.
- :class:`EditedNearestNeighbours` (Wilson 1972): a row of a cleaned class is removed when its
  ``n_neighbors`` nearest neighbours disagree with it.
- :class:`RepeatedEditedNearestNeighbours` (Tomek 1976): ENN until nothing changes.
- :class:`AllKNN` (Tomek 1976): ENN with 1, 2, ..., ``n_neighbors`` neighbours in turn.
- :class:`NeighbourhoodCleaningRule` (Laurikkala 2001): ENN, plus the neighbours of every
  minority row that its neighbours misclassify.
- :class:`OneSidedSelection` (Kubat and Matwin 1997): keep the rows a 1-NN rule on the minority
  and a few seeds misclassifies, then remove Tomek links.
- :class:`CondensedNearestNeighbour` (Hart 1968): the rows needed for 1-NN to classify every
  row of a class correctly.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from imbalance import _enn_counting, _growing_set, _neighbors
from imbalance._docstrings import compose
from imbalance._draw import random_subset
from imbalance._labels import EncodedLabels, class_positions
from imbalance._validation import InputError, RandomStateLike, fmt_label, numeric_matrix, to_python
from imbalance.samplers import BaseSampler, Resampled

__all__ = ["TomekLinks", "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN",
           "NeighbourhoodCleaningRule", "OneSidedSelection", "CondensedNearestNeighbour"]


class _CleaningSampler(BaseSampler):
    """What the cleaning methods share: ``classes``, ``neighbors``, the numeric matrix and the
    neighbour search; each method implements ``_keep`` (a mask over the rows)."""

    _strategy = "under"
    _plans_ahead = False
    _measures_x = True
    _parameter_constraints: dict = {
        "classes": [StrOptions({"all"}), "array-like", None],
        "neighbors": [HasMethods(["fit", "kneighbors"]), None],
    }

    def __init__(self, *, classes: Sequence[Any] | str | None = None, neighbors: Any = None) -> None:
        self.classes = classes
        self.neighbors = neighbors

    def _cleaned(self, labels: EncodedLabels) -> np.ndarray:
        """Which class codes may lose rows (a boolean mask over the classes)."""
        if self.classes is None:  # every class but the minority (the first smallest)
            return _all_but_smallest(labels.counts)
        if isinstance(self.classes, str):  # "all"
            return np.ones(labels.classes.size, bool)
        known = {to_python(c): i for i, c in enumerate(labels.classes)}
        mask = np.zeros(labels.classes.size, bool)
        for c in self.classes:
            if to_python(c) not in known:
                shown = ", ".join(fmt_label(k) for k in known)
                raise InputError(f"classes names {fmt_label(c)}, which is not a class of y; the classes are {shown}.")
            mask[known[to_python(c)]] = True
        return mask

    def _neighbor_lists(self, X: np.ndarray, k: int, rows: np.ndarray | None = None, *,
                    among: np.ndarray | None = None) -> np.ndarray:
        """Positions of the k nearest rows of each of ``rows`` (default: all), itself left out;
        with ``among`` (positions in X), in the rows ``X[among]``, everything counted there."""
        n = len(X) if among is None else among.size
        if k >= n:
            raise InputError(
                f"{type(self).__name__} needs {k} neighbours of every row, but X has only {n} rows; "
                f"lower n_neighbors to at most {n - 1}."
            )
        return _neighbors.kneighbors(X, k, queries=rows, rows=among, search=self.neighbors)[1]

    @abstractmethod
    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        """Which rows stay (a boolean mask over X's rows); ``lean``: take the leaner way to the
        same rows where there is one (see ``BaseSampler._fit_resample``'s ``owned``)."""

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        values = numeric_matrix(X, type(self).__name__)
        if self.neighbors is None:  # a search object of the user's measures X as given
            values = _neighbors.in_safe_range(values)
        return Resampled(np.flatnonzero(self._keep(values, labels.codes, self._cleaned(labels), rng, lean=owned)))


_CLEANING_DOC = """
    classes : "all", list of labels or None, default=None
        Classes that may lose rows; None: every class but the minority (of classes tied for
        the fewest rows, the first in sorted order, as in imbalanced-learn).
    neighbors : estimator with the NearestNeighbors interface, optional
        Searches instead of the compiled exact scan (``fit``, then ``kneighbors``).

    Attributes
    ----------
    plan_ : Plan
        The counts before and after (``strategy`` is the method's name).
    sample_indices_ : ndarray
        Positions of the kept rows, in their original order.
"""


class TomekLinks(_CleaningSampler):
    __doc__ = compose("""Remove the cleaned-class member of every Tomek link (Tomek, 1976).

    Rows :math:`i` and :math:`j` of different classes form a Tomek link when each is the
    other's nearest neighbour: no row is closer to either of them. Such pairs sit on the class
    boundary or are noise; removing the member of a cleaned class (the majority, by default)
    clears the boundary. The other member stays.

    One member of a link is outside the largest class, so when that class holds most rows only
    the others are searched from (then the rows of the largest class they point to): on 5%
    minority data, a tenth of the full search.

    Parameters
    ----------{{cleaning}}
    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.cleaning import TomekLinks
    >>> X, y = make_classification(200, weights=[0.9], random_state=0)
    >>> tomek = TomekLinks()
    >>> X_res, y_res = tomek.fit_resample(X, y)
    >>> tomek.plan_.targets  # three majority rows were in a Tomek link
    {0: 177, 1: 20}
    """, cleaning=_CLEANING_DOC)

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        return self._unlinked(X, codes, cleaned)

    def _unlinked(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray,
                  among: np.ndarray | None = None) -> np.ndarray:
        """The keep mask of the rows ``X[among]`` (default: all; ``codes`` are theirs) once the
        cleaned-class member of every Tomek link among them is removed."""
        n = codes.size
        largest = int(np.argmax(np.bincount(codes)))
        others = np.flatnonzero(codes != largest)
        if others.size * 2 >= n:  # the symmetric scan of every row scores each pair once
            nearest = self._neighbor_lists(X, 1, among=among)[:, 0]
        else:
            # A link joins two classes, so one member is outside the largest class: search from
            # those rows only, then from the rows of the largest class that one of them points to.
            nearest = np.full(n, -1, dtype=np.int64)
            nearest[others] = self._neighbor_lists(X, 1, others, among=among)[:, 0]
            pointed = np.unique(nearest[others])
            pointed = pointed[codes[pointed] == largest]
            if pointed.size:
                nearest[pointed] = self._neighbor_lists(X, 1, pointed, among=among)[:, 0]
        known = nearest >= 0
        partner = np.where(known, nearest, 0)
        linked = known & known[partner] & (codes[partner] != codes) & (nearest[partner] == np.arange(n))
        return ~(linked & cleaned[codes])


class EditedNearestNeighbours(_CleaningSampler):
    __doc__ = compose("""Remove rows of cleaned classes that their nearest neighbours disagree with (Wilson, 1972).

    For every row of a cleaned class, look at its ``n_neighbors`` nearest rows (of any class).
    ``kind_sel="all"``: keep it only if all of them are of its class. ``kind_sel="mode"``:
    keep it if its class is the most common among them (ties: the class that comes first).
    Wilson's rule is ``"mode"``; the default is ``"all"``, the stricter rule imbalanced-learn
    uses by default, so that both libraries remove the same rows unless told otherwise.

    Parameters
    ----------
    n_neighbors : int, default=3
    kind_sel : {"all", "mode"}, default="all\"{{cleaning}}""", cleaning=_CLEANING_DOC)

    _parameter_constraints: dict = {
        **_CleaningSampler._parameter_constraints,
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "kind_sel": [StrOptions({"all", "mode"})],
    }

    def __init__(self, *, n_neighbors: int = 3, kind_sel: str = "all", classes: Sequence[Any] | str | None = None,
                 neighbors: Any = None) -> None:
        super().__init__(classes=classes, neighbors=neighbors)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        keep, rows = _settled_by_counting(self, X, codes, cleaned, self.n_neighbors, self.kind_sel, lean=lean)
        if rows.size * 2 >= len(X):  # most rows: the symmetric scan scores each pair once
            lists = self._neighbor_lists(X, self.n_neighbors)
            return keep & _edited(codes, rows, lists[rows], self.kind_sel, len(X))
        return keep & _edited(codes, rows, self._neighbor_lists(X, self.n_neighbors, rows), self.kind_sel, len(X))


# Below this many pairs of a class's rows, its neighbour lists are quick to find anyway.
_COUNTING_PAIRS = 1e8


def _settled_by_counting(sampler: _CleaningSampler, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, k: int,
                         kind_sel: str, *, lean: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """ENN's answer for the rows of large cleaned classes without their neighbour lists, where
    it can be counted (one pass of :class:`_Witnesses`); the keep mask so far and the rows of
    cleaned classes still to decide from their lists."""
    if not _Witnesses.applies(sampler, X, codes, kind_sel, [k]):
        return np.ones(len(X), bool), np.flatnonzero(cleaned[codes])
    return _Witnesses(X, codes, kind_sel, [k], remember=False, lean=lean).settle(
        cleaned, k, np.ones(len(X), bool), np.empty(0, dtype=np.int64))


def _edited(codes: np.ndarray, rows: np.ndarray, neighbors: np.ndarray, kind_sel: str, n: int) -> np.ndarray:
    """One ENN pass over ``rows`` (positions) given their neighbours: which of the n rows stay."""
    keep = np.ones(n, bool)
    if rows.size == 0:
        return keep
    around = codes[neighbors]
    own = codes[rows][:, None]
    if kind_sel == "all":
        agree = (around == own).all(axis=1)
    else:  # the most common class among the neighbours, ties to the lower class code
        agree = _mode(codes, around) == own[:, 0]
    keep[rows] = agree
    return keep


class RepeatedEditedNearestNeighbours(EditedNearestNeighbours):
    __doc__ = compose("""Edited nearest neighbours, repeated on what is left (Tomek, 1976).

    Each pass runs :class:`EditedNearestNeighbours` on the rows kept so far. It stops when a
    pass removes nothing, after ``max_iter`` passes, or after a pass that leaves a cleaned
    class with fewer rows than the minority or removes a class entirely (that pass is kept,
    as in imbalanced-learn).

    Parameters
    ----------
    n_neighbors : int, default=3
    kind_sel : {"all", "mode"}, default="all"
    max_iter : int, default=100{{cleaning}}    n_iter_ : int
        Passes run.
""", cleaning=_CLEANING_DOC)

    _parameter_constraints: dict = {
        **EditedNearestNeighbours._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, n_neighbors: int = 3, kind_sel: str = "all", max_iter: int = 100,
                 classes: Sequence[Any] | str | None = None, neighbors: Any = None) -> None:
        super().__init__(n_neighbors=n_neighbors, kind_sel=kind_sel, classes=classes, neighbors=neighbors)
        self.max_iter = max_iter

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        return _repeated(self, X, codes, cleaned, [self.n_neighbors] * self.max_iter, stop_when_stable=True)


class AllKNN(EditedNearestNeighbours):
    __doc__ = compose("""Edited nearest neighbours with 1, 2, ..., ``n_neighbors`` neighbours in turn (Tomek, 1976).

    Each pass runs :class:`EditedNearestNeighbours` with one more neighbour on the rows kept
    so far, and stops early after a pass that leaves a cleaned class with fewer rows than the
    minority (unless ``allow_minority``) or removes a class entirely (that pass is kept, as in
    imbalanced-learn).

    Parameters
    ----------
    n_neighbors : int, default=3
    kind_sel : {"all", "mode"}, default="all"
    allow_minority : bool, default=False{{cleaning}}""", cleaning=_CLEANING_DOC)

    _parameter_constraints: dict = {
        **EditedNearestNeighbours._parameter_constraints,
        "allow_minority": ["boolean"],
    }

    def __init__(self, *, n_neighbors: int = 3, kind_sel: str = "all", allow_minority: bool = False,
                 classes: Sequence[Any] | str | None = None, neighbors: Any = None) -> None:
        super().__init__(n_neighbors=n_neighbors, kind_sel=kind_sel, classes=classes, neighbors=neighbors)
        self.allow_minority = allow_minority

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        return _repeated(self, X, codes, cleaned, list(range(1, self.n_neighbors + 1)), stop_when_stable=False,
                         allow_minority=self.allow_minority)


def _all_but_smallest(counts: np.ndarray) -> np.ndarray:
    mask = np.ones(counts.size, bool)
    mask[int(np.argmin(counts))] = False
    return mask


class _Neighborhood:
    """The nearest rows of every row, found once, then re-read as rows are removed.

    Removing rows only removes candidates, so a row's k nearest among the rows left are the
    first k of its list that are still there, in the same order (ties included), as long as
    its list holds k of them; rows whose list runs short are searched again among the rows
    left. Repeated ENN passes thus cost about one search instead of one per pass. With
    ``lazy``, lists are found only for the rows asked about (when counting settles most rows).
    """

    def __init__(self, sampler: _CleaningSampler, X: np.ndarray, depth: int, *, lazy: bool = False) -> None:
        self.sampler, self.X = sampler, X
        self.depth = min(depth, len(X) - 1)
        self.known = np.empty(0, dtype=np.int64) if lazy else np.arange(len(X))
        self.lists = np.empty((0, self.depth), dtype=np.int64) if lazy else sampler._neighbor_lists(X, self.depth)

    def _lists(self, rows: np.ndarray) -> np.ndarray:
        missing = np.setdiff1d(rows, self.known)
        if missing.size:
            found = self.sampler._neighbor_lists(self.X, self.depth, missing)
            known = np.concatenate([self.known, missing])
            order = np.argsort(known, kind="stable")
            self.known, self.lists = known[order], np.concatenate([self.lists, found])[order]
        return self.lists[np.searchsorted(self.known, rows)]

    def nearest(self, rows: np.ndarray, k: int, alive: np.ndarray) -> np.ndarray:
        """The k nearest rows still ``alive`` of each of ``rows`` (positions in X)."""
        lists = self._lists(rows)
        present = alive[lists]
        enough = present.sum(axis=1) >= k
        out = np.empty((rows.size, k), dtype=np.int64)
        first = np.argsort(~present[enough], axis=1, kind="stable")[:, :k]  # first k still there
        out[enough] = np.take_along_axis(lists[enough], first, axis=1)
        if not enough.all():
            left = np.flatnonzero(alive)
            queries = np.searchsorted(left, rows[~enough])
            out[~enough] = left[self.sampler._neighbor_lists(self.X[left], k, queries)]
        return out


class _Witnesses:
    """Edited nearest neighbours by counting (``imbalance._enn_counting.own_before_other``),
    pass after pass.

    A row of class c keeps all k neighbours in c ("all") when k rows of c come before the
    nearest row of another class; with two classes, c is the most common among them ("mode",
    ties to the lower class) when m rows of c come before the (k - m + 1)-th row of the other,
    m = k // 2 + 1, or k / 2 for even k when c is the lower class. Counting pays off when the
    other classes are few (below a quarter of c): their nearest rows are quick to find, and
    most rows of c find m of their own kind much nearer.

    A row of a large cleaned class that counting keeps comes with m rows of its class that
    lie nearer than its q-th nearest row of another class. Later passes only remove rows,
    which moves that other row away, so the row stays kept while its m witnesses remain;
    only rows that lost a witness are counted again. With ``kind_sel="all"`` the witnesses
    are for the largest k of the passes (m = max k, q = 1) and serve every smaller k. A
    single pass (``remember=False``) keeps none: they would cost m int64 per row, and it
    drops each class's counter once asked.

    ``lean``: count whatever the classes' sizes, for the memory: a class's counter holds one
    packed copy of the rows at a time, where the lists of every row (the other way) come on
    top of it. SMOTEENN's ENN runs so on SMOTE's balanced output, where counting is about as
    fast as the lists; on balanced data of no such structure it is slower than the lists,
    which is why a sampler counts every class only when it is handed its array."""

    def __init__(self, X: np.ndarray, codes: np.ndarray, kind_sel: str, ks: list[int], *, remember: bool,
                 lean: bool = False) -> None:
        self.X, self.codes, self.kind_sel, self.largest_k, self.lean = X, codes, kind_sel, max(ks), lean
        self.witness = np.full((len(X), self.largest_k if kind_sel == "all" else self.largest_k // 2 + 1), -1,
                               dtype=np.int64) if remember else None
        self.counters: dict[int, _enn_counting.OwnCounter] = {}  # per class, packed once: rows only leave
        self.present = np.ones(len(X), bool)  # the rows the counters still hold

    @staticmethod
    def applies(sampler: _CleaningSampler, X: np.ndarray, codes: np.ndarray, kind_sel: str, ks: list[int]) -> bool:
        if sampler.neighbors is not None or not _neighbors.have_compiled_scan() or X.dtype != np.float64 \
                or X.shape[1] <= 5:
            return False
        # "mode" counts a fixed (m, q) between two classes
        return kind_sel == "all" or (len(set(ks)) == 1 and np.unique(codes).size == 2)

    def settle(self, cleaned: np.ndarray, k: int, alive: np.ndarray,
               listed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One pass with k neighbours over the rows alive of the ``cleaned`` classes (a mask
        over the classes): the keep mask of the rows settled, and the rows to decide from
        neighbour lists (among them every row in ``listed``, whose lists are known already)."""
        codes = self.codes
        keep = np.ones(len(codes), bool)
        still_open = []
        gone = np.flatnonzero(self.present & ~alive)
        if gone.size:
            for counter in self.counters.values():
                counter.remove(gone)
            self.present &= alive
        for c in np.flatnonzero(cleaned):
            own = np.flatnonzero(alive & (codes == c))  # every row of the class is asked about
            if own.size == 0:
                continue
            other = np.flatnonzero(alive & (codes != c))
            if self.kind_sel == "all":
                m, q = self.largest_k, 1
            else:
                lower = c < np.unique(codes[other])[0] if other.size else True
                m = k // 2 if k % 2 == 0 and lower else k // 2 + 1
                q = k - m + 1
            if (own.size * float(own.size) < _COUNTING_PAIRS or (other.size * 4 > own.size and not self.lean)
                    or other.size < q or m >= own.size):
                still_open.append(own)
                continue
            if self.witness is None:
                held = np.zeros(own.size, bool)
            else:
                witness = self.witness[own][:, :k if self.kind_sel == "all" else m]
                held = (witness >= 0).all(axis=1) & alive[np.maximum(witness, 0)].all(axis=1)
            has_list = np.isin(own, listed, assume_unique=True)
            still_open.append(own[~held & has_list])  # re-reading a list is cheaper than counting
            need = own if not (held.any() or has_list.any()) else own[~held & ~has_list]
            if need.size:
                if c not in self.counters:
                    self.counters[c] = _enn_counting.OwnCounter(self.X, own, other)
                counted = self.counters[c].ask(need, m, q, witnesses=self.witness is not None)
                if self.witness is None:  # a single pass: never asked again
                    del self.counters[c]
                # k witnesses keep a row for this pass (AllKNN: k may be below m); fewer than k
                # rows that may come before the other one remove it
                wanted = k if self.kind_sel == "all" else m
                if counted.witness is None:  # one pass: wanted is m
                    now_held = counted.status == 1
                else:
                    self.witness[need, :m] = counted.witness
                    now_held = (counted.witness[:, :wanted] >= 0).all(axis=1)
                settled_out = counted.possible < wanted
                keep[need[settled_out]] = False
                still_open.append(need[~now_held & ~settled_out])
                del counted, now_held, settled_out  # before the next class's counter is made
        open_rows = np.sort(np.concatenate(still_open)) if still_open else np.empty(0, dtype=np.int64)
        return keep, open_rows


def _repeated(sampler: EditedNearestNeighbours, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray,
              ks: list[int], *, stop_when_stable: bool, allow_minority: bool = False) -> np.ndarray:
    """ENN passes with ``ks[i]`` neighbours on the rows left by the pass before. With the
    default ``classes`` (None), each pass cleans every class but the minority of the rows
    left then, as imbalanced-learn does (it only differs from the first pass's choice once a
    cleaned class has fallen below the minority, which ``allow_minority`` permits)."""
    n_classes = cleaned.size
    counts = np.bincount(codes, minlength=n_classes)
    minority = int(np.argmin(counts))
    witnesses = _Witnesses(X, codes, sampler.kind_sel, ks, remember=True) if _Witnesses.applies(
        sampler, X, codes, sampler.kind_sel, ks) else None
    neighborhood = _Neighborhood(sampler, X, depth=2 * max(ks) + 2, lazy=witnesses is not None)
    alive = np.ones(len(X), bool)
    passes = 0
    for k in ks:
        passes += 1
        now = np.bincount(codes[alive], minlength=n_classes)
        if sampler.classes is None:
            cleaned = _all_but_smallest(now)
        if k >= int(alive.sum()):
            raise InputError(f"{type(sampler).__name__} needs {k} neighbours of every row, but only "
                             f"{int(alive.sum())} rows are left; lower n_neighbors.")
        rows = np.flatnonzero(alive & cleaned[codes])
        keep, open_rows = (witnesses.settle(cleaned, k, alive, neighborhood.known) if witnesses is not None
                           else (True, rows))
        stay = keep & _edited(codes, open_rows, neighborhood.nearest(open_rows, k, alive), sampler.kind_sel, len(X))
        removed = not stay[rows].all()
        alive &= stay
        now = np.bincount(codes[alive], minlength=n_classes)
        others = np.delete(now, minority)
        if (stop_when_stable and not removed) or (now == 0).any() or (
                not allow_minority and (others < counts[minority]).any()):
            break
    sampler.n_iter_ = passes
    return alive


def _mode(codes: np.ndarray, around: np.ndarray) -> np.ndarray:
    """The most common class code in each row of ``around`` (ties to the lower code)."""
    votes = np.zeros((around.shape[0], int(codes.max()) + 1), dtype=np.int64)
    np.add.at(votes, (np.repeat(np.arange(around.shape[0]), around.shape[1]), around.ravel()), 1)
    return votes.argmax(axis=1)


class NeighbourhoodCleaningRule(_CleaningSampler):
    __doc__ = compose(r"""Clean the neighbourhood of the minority class (Laurikkala, 2001).

    With :math:`C` the minority class (the smallest) and :math:`k` = ``n_neighbors``, remove
    from the cleaned classes the union of

    - :math:`A_1`: the rows :class:`EditedNearestNeighbours` (``kind_sel="mode"``) removes;
    - :math:`A_2`: for every row of :math:`C` that the majority vote of its :math:`k` nearest
      rows misclassifies, those neighbours, if their class is cleaned and holds more than
      ``threshold_cleaning`` :math:`\cdot |C|` rows.

    Laurikkala classifies a minority row by its :math:`k` nearest *other* rows, and so do we.
    imbalanced-learn 0.14 lets the row vote for itself (its k-NN classifier is fitted on the
    rows it predicts), so that a row is misclassified only when :math:`k - 1` of the others
    outvote it; ``self_vote=True`` reproduces that.

    Parameters
    ----------
    n_neighbors : int, default=3
    threshold_cleaning : float, default=0.5
    self_vote : bool, default=False{{cleaning}}""", cleaning=_CLEANING_DOC)

    _parameter_constraints: dict = {
        **_CleaningSampler._parameter_constraints,
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "threshold_cleaning": [Interval(Real, 0, None, closed="left")],
        "self_vote": ["boolean"],
    }

    def __init__(self, *, n_neighbors: int = 3, threshold_cleaning: float = 0.5, self_vote: bool = False,
                 classes: Sequence[Any] | str | None = None, neighbors: Any = None) -> None:
        super().__init__(classes=classes, neighbors=neighbors)
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.self_vote = self_vote

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        k = self.n_neighbors
        counts = np.bincount(codes, minlength=cleaned.size)
        minority = int(np.argmin(counts))
        # A1 is ENN's "mode" rule: large classes settled by counting where it applies, the rest
        # from neighbour lists, which A2 needs for the minority rows too.
        keep, open_rows = _settled_by_counting(self, X, codes, cleaned, k, "mode", lean=lean)
        rows = np.flatnonzero(codes == minority)
        need = np.union1d(open_rows, rows)
        if need.size * 2 >= len(X):  # most rows: the symmetric scan scores each pair once
            lists = self._neighbor_lists(X, k)[need]
        else:
            lists = self._neighbor_lists(X, k, need)
        keep &= _edited(codes, open_rows, lists[np.searchsorted(need, open_rows)], "mode", len(X))  # A1
        around = lists[np.searchsorted(need, rows)]
        if self.self_vote:  # the row itself and its k - 1 nearest
            around = np.column_stack([rows, around[:, :k - 1]])
        wrong = _mode(codes, codes[around]) != minority
        suspects = np.unique(lists[np.searchsorted(need, rows[wrong])])
        large = cleaned & (counts > self.threshold_cleaning * counts[minority])
        keep[suspects[large[codes[suspects]]]] = False  # A2
        return keep


class _SeededCleaning(_CleaningSampler):
    """One-sided selection and condensing: per cleaned class, the minority plus a few seed
    rows drawn at random, grown by a 1-NN rule (``_select``); the minority stays whole."""

    _parameter_constraints: dict = {
        **_CleaningSampler._parameter_constraints,
        "n_seeds_S": [Interval(Integral, 1, None, closed="left")],
        "random_state": BaseSampler._parameter_constraints["random_state"],
    }

    def __init__(self, *, n_seeds_S: int = 1, random_state: RandomStateLike = None, classes: Sequence[Any] | str | None = None,
                 neighbors: Any = None) -> None:
        super().__init__(classes=classes, neighbors=neighbors)
        self.n_seeds_S = n_seeds_S
        self.random_state = random_state

    def _select(self, X: np.ndarray, codes: np.ndarray, code: int, rows: np.ndarray, seeds: np.ndarray,
                minority: np.ndarray) -> np.ndarray:
        """The rows of class ``code`` (positions ``rows``) to keep, given its ``seeds``."""
        raise NotImplementedError

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        counts = np.bincount(codes, minlength=cleaned.size)
        minority = int(np.argmin(counts))
        positions = class_positions(codes, counts, np.arange(cleaned.size))
        keep = ~cleaned[codes]
        keep[positions[minority]] = True
        drawn = []
        for code in np.flatnonzero(cleaned):
            rows = positions[code]
            if code == minority or rows.size == 0:
                continue
            seeds = rows[random_subset(rows.size, min(self.n_seeds_S, rows.size), rng)]
            drawn.append(seeds)
            keep[self._select(X, codes, int(code), rows, seeds, positions[minority])] = True
        self.seed_indices_ = np.sort(np.concatenate(drawn)) if drawn else np.empty(0, np.int64)
        return keep


_SEEDED_DOC = """
    n_seeds_S : int, default=1
        Seed rows per cleaned class{{note}}.
    random_state : int, numpy Generator or None, default=None
        Same seed, same rows.{{cleaning}}    seed_indices_ : ndarray
        Positions of the seed rows drawn.
"""


class OneSidedSelection(_SeededCleaning):
    __doc__ = compose(r"""One-sided selection (Kubat and Matwin, 1997).

    For each cleaned class :math:`c`, start from :math:`C` = the minority class plus
    ``n_seeds_S`` rows of :math:`c` drawn at random (without replacement), classify every
    other row of :math:`c` by its nearest row in :math:`C` (1-NN, ties to the lower row) and
    keep the seeds and the rows it misclassifies: the rest are redundant, far from the
    boundary. Then remove the cleaned-class member of every Tomek link among the rows kept.

    Parameters
    ----------{{seeded}}""", seeded=compose(_SEEDED_DOC, note=" (Kubat and Matwin: one)", cleaning=_CLEANING_DOC))

    def _select(self, X, codes, code, rows, seeds, minority):
        reference = np.sort(np.concatenate([minority, seeds]))  # ties to the lower row
        others = np.setdiff1d(rows, seeds, assume_unique=True)
        misclassified = []
        X_reference = X[reference]  # the minority and the seeds: small beside the class
        span = _neighbors.block_rows(others.size)
        for start in range(0, others.size, span):  # the class a block at a time: no copy of it whole
            part = others[start:start + span]
            nearest = reference[_neighbors.kneighbors_of(X[part], X_reference, 1, search=self.neighbors)[1][:, 0]]
            misclassified.append(part[codes[nearest] != code])
        return np.concatenate([seeds, *misclassified])

    def _keep(self, X: np.ndarray, codes: np.ndarray, cleaned: np.ndarray, rng: np.random.Generator, *,
              lean: bool = False) -> np.ndarray:
        keep = super()._keep(X, codes, cleaned, rng)
        kept = np.flatnonzero(keep)
        links = TomekLinks(neighbors=self.neighbors)._unlinked(X, codes[kept], cleaned, among=kept)
        keep[kept[~links]] = False
        return keep


class CondensedNearestNeighbour(_SeededCleaning):
    __doc__ = compose(r"""Condensed nearest neighbour (Hart, 1968): the rows 1-NN needs, no more.

    For each cleaned class :math:`c`, start from :math:`C` = the minority class plus
    ``n_seeds_S`` rows of :math:`c` drawn at random, and pass over the rows of :math:`c` in
    order: a row that its nearest row in :math:`C` misclassifies (1-NN, ties to the lower
    row) joins :math:`C`. Hart repeats the passes until one adds nothing, so that 1-NN on
    :math:`C` classifies every row of :math:`c` correctly; here one pass gets there, since
    only rows of :math:`c` ever join: they can only bring a row's nearest row of :math:`c`
    nearer, never its nearest minority row, so a row classified correctly once stays so,
    and after one pass every row left out is. imbalanced-learn also makes one pass, but
    skips rows by comparing positions in the class with positions in X, so its result can
    leave rows misclassified.

    Each block of rows is checked against :math:`C` as it stands by the compiled scan, then
    row by row against the rows the block itself added, instead of refitting a classifier
    after every addition. Memory: a few blocks besides the rows kept.

    Parameters
    ----------{{seeded}}""", seeded=compose(_SEEDED_DOC, note="", cleaning=_CLEANING_DOC))

    def _select(self, X, codes, code, rows, seeds, minority):
        return _condense(X, rows, np.searchsorted(rows, seeds), minority, self.neighbors)


# Rows of a class checked together against the condensed set as it stands before them.
_CONDENSE_BLOCK = 1024


def _comes_before(dist_a: Any, index_a: Any, dist_b: Any, index_b: Any) -> Any:
    """Whether row a comes before row b in the neighbour order (squared distance, then
    position in X); element-wise on arrays."""
    return (dist_a < dist_b) | ((dist_a == dist_b) & (index_a < index_b))


def _condense(X: np.ndarray, rows: np.ndarray, seeds: np.ndarray, minority: np.ndarray, search: Any) -> np.ndarray:
    """Hart's condensing of one class: ``rows`` (its positions in X, ascending), ``seeds``
    (positions in ``rows``) and the minority rows. Returns the class's rows in the condensed
    set.

    A row is misclassified when its nearest minority row comes before its nearest row of the
    class in C in (squared distance, row index) order."""
    n = rows.size
    in_c = np.zeros(n, bool)
    in_c[seeds] = True
    growing = None  # the class's rows in C, kept packed: asked after every block
    if search is None and _neighbors.have_compiled_scan() and X.dtype == np.float64 and X.shape[1] > 5:
        growing = _growing_set.GrowingSet(X, _neighbors.center_of(X, rows))
        growing.add(rows[np.sort(seeds)])
    span = _neighbors.block_rows(n)
    for span_start in range(0, n, span):  # the nearest minority rows, a span of the class at a time
        near_m = _neighbors.kneighbors_among(X[rows[span_start:span_start + span]], X, minority, 1, search=search)
        dist_m, index_m = near_m[0][:, 0], minority[near_m[1][:, 0]]
        for start in range(0, dist_m.size, _CONDENSE_BLOCK):
            local = np.arange(start, min(start + _CONDENSE_BLOCK, dist_m.size))
            local = local[~in_c[span_start + local]]
            if local.size == 0:
                continue
            block = span_start + local
            if growing is not None:
                dist_c, index_c = growing.nearest(X[rows[block]])
            else:
                members = np.flatnonzero(in_c)  # by row: ties to the lower row
                near_c = _neighbors.kneighbors_among(X[rows[block]], X, rows[members], 1, search=search)
                dist_c, index_c = near_c[0][:, 0], rows[members[near_c[1][:, 0]]]
            wrong = _comes_before(dist_m[local], index_m[local], dist_c, index_c)
            joined: list[int] = []  # rows of this block that joined, in order
            for w in np.flatnonzero(wrong):  # in order: rows that join may fix later ones
                i = block[w]
                if joined:
                    new = rows[joined]
                    diff = X[new] - X[rows[i]]
                    d = np.einsum("ij,ij->i", diff, diff)
                    j = int(np.argmin(d))  # the first of equals: the lower row
                    if _comes_before(d[j], new[j], dist_c[w], index_c[w]):
                        dist_c[w], index_c[w] = d[j], new[j]
                if _comes_before(dist_m[local[w]], index_m[local[w]], dist_c[w], index_c[w]):
                    joined.append(int(i))
                    in_c[i] = True
            if growing is not None:
                growing.add(rows[joined])
    return rows[in_c]
