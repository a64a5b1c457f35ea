"""Samplers run one after another: a general chain, and SMOTE followed by a cleaning rule.

A chain is a sampler of its own (no ``Pipeline`` needed): it runs its steps in order, each on
the previous step's output, and reports what the whole did: :attr:`plan_` (counts before the
first step and after the last), :attr:`origin_` (the input row of every output row, -1 for
made-up rows) and, for made-up rows, :attr:`parents_` in input positions.

- :class:`SamplerChain`: any of our samplers, in any order.
- :class:`SMOTEENN` (Batista, Prati and Monard, 2004): SMOTE, then Edited Nearest Neighbours.
- :class:`SMOTETomek` (Batista, Bazzan and Monard, 2003): SMOTE, then Tomek links removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods

from imbalance._docstrings import compose
from imbalance._labels import EncodedLabels, encode_labels, one_hot_to_labels
from imbalance._validation import ParameterError, RandomStateLike, check_random_state, to_python
from imbalance.cleaning import EditedNearestNeighbours, TomekLinks
from imbalance.planner import Targets, realised_plan
from imbalance.resample import owns_rows
from imbalance.samplers import BaseSampler, Resampled
from imbalance.synth import SMOTE

__all__ = ["SamplerChain", "SMOTEENN", "SMOTETomek"]

_PROVENANCE_DOC = """
    Attributes
    ----------
    plan_ : Plan
        Counts before the first step and after the last (strategy: the chain's name).
    steps_ : list
        The fitted steps.
    origin_ : ndarray of shape (n_samples_res,)
        For every output row, the input row it is (or copies); -1 for a made-up row.
    is_synthetic_ : ndarray of bool, shape (n_samples_res,)
        ``origin_ == -1``.
    parents_ : ndarray of shape (n_synthetic, 2)
        For every made-up row, in output order, the input rows it was made from (SMOTE: base
        and neighbour; a centroid: its nearest row and -1); -1 where a parent was itself made up.
    sample_indices_ : ndarray
        ``origin_``, set only when no row is made up (the result is then a selection of rows).
"""


class SamplerChain(BaseSampler):
    __doc__ = compose("""Run samplers one after another, as one sampler.

    Each step's ``fit_resample`` runs on the previous step's output, so
    ``SamplerChain([SMOTE(), TomekLinks(classes="all")])`` is SMOTE-Tomek. A step may be any of
    our samplers (they all report ``origin_``) or any sampler with ``sample_indices_``.

    Parameters
    ----------
    steps : list of samplers
        Cloned at fit; the clones are in :attr:`steps_`.
    random_state : int, numpy Generator or None, default=None
        When given, every step with a ``random_state`` parameter gets its own seed drawn from
        it (same seed, same result); when None, steps keep their own.
{{provenance}}
    Examples
    --------
    >>> from imbalance import OverSampler, SamplerChain, TomekLinks
    >>> X, y = [[0.0], [0.1], [0.2], [0.3], [1.0], [1.1]], [0, 0, 0, 0, 1, 1]
    >>> chain = SamplerChain([OverSampler(), TomekLinks()], random_state=0)
    >>> chain.fit_resample(X, y)[1]
    [0, 0, 0, 0, 1, 1, 1, 1]
""", provenance=_PROVENANCE_DOC)

    _plans_ahead = False
    _measures_x = True
    _selects_rows = False
    _parameter_constraints: dict = {
        "steps": [list, tuple],
        "random_state": BaseSampler._parameter_constraints["random_state"],
    }

    def __init__(self, steps: Sequence[Any] = (), *, random_state: RandomStateLike = None) -> None:
        self.steps = steps
        self.random_state = random_state

    def _make_steps(self) -> list:
        """The steps to run, unfitted (subclasses build theirs from their parameters)."""
        if not self.steps:
            raise ParameterError("SamplerChain needs at least one step, e.g. SamplerChain([SMOTE(), TomekLinks()]).")
        for step in self.steps:
            if not hasattr(step, "fit_resample"):
                raise ParameterError(f"every step must be a sampler with fit_resample; got {type(step).__name__}.")
        return [clone(step) for step in self.steps]

    def _seeded(self, steps: list) -> list:
        if self.random_state is not None:
            rng = check_random_state(self.random_state)
            for step in steps:
                if "random_state" in step.get_params(deep=False):
                    step.set_params(random_state=int(rng.integers(2**31 - 1)))
        return steps

    def _fit_resample(self, X: ArrayLike, labels: EncodedLabels, rng: np.random.Generator, *,
                      owned: bool = False) -> Resampled:
        # A chain's rows are its steps' (fit_resample runs them one after another, each on the
        # previous one's output); there is no one selection of the input for this hook to make.
        raise TypeError("SamplerChain runs its steps in fit_resample; it has no rows of its own to choose.")

    def fit(self, X: ArrayLike, y: ArrayLike) -> SamplerChain:
        """Run the chain (its counts are known only by running it), keeping no output."""
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X: ArrayLike, y: ArrayLike) -> tuple[Any, Any]:
        """Run every step in order; see :meth:`BaseSampler.fit_resample`."""
        labels = self._fit(X, y)
        steps = self._seeded(self._make_steps())
        given = X
        for step in steps:
            if isinstance(step, BaseSampler) and owns_rows(X) and not (isinstance(given, np.ndarray)
                                                                       and np.may_share_memory(X, given)):
                # an array an earlier step made, held by no one else: the step may shrink it in place
                held = [X]
                del X
                X, y = step._fit_resample_handed_over(held, y)
            else:
                X, y = step.fit_resample(X, y)
            _own_provenance(step)  # a step that cannot say where its rows come from stops the chain here
        del given
        self.steps_ = steps
        origin, parents = _provenance(steps, len(X))
        made_up = origin < 0
        self.origin_, self.is_synthetic_, self.parents_ = origin, made_up, parents[made_up]
        if hasattr(self, "sample_indices_"):
            del self.sample_indices_
        if not made_up.any():
            self.sample_indices_ = origin
        out = encode_labels(one_hot_to_labels(y), min_classes=1)  # a chain may empty every class but one
        position = {to_python(c): i for i, c in enumerate(labels.classes)}
        kept = np.zeros(labels.classes.size, dtype=np.int64)  # a class the chain emptied keeps 0
        kept[[position[to_python(c)] for c in out.classes]] = out.counts
        self._set_plan(realised_plan(labels, kept, strategy=type(self).__name__))
        return X, y


def _own_provenance(step: Any) -> np.ndarray:
    """Each output row's position in the step's input (-1: made up by the step)."""
    own = getattr(step, "origin_", None)
    if own is None:
        own = getattr(step, "sample_indices_", None)
    if own is None:
        raise ParameterError(
            f"{type(step).__name__} does not say which input row each output row comes from (no origin_ or "
            "sample_indices_); SamplerChain needs samplers that do."
        )
    return np.asarray(own, dtype=np.int64)


def _provenance(steps: list, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """The chain's ``origin`` (each output row's position in the chain's input, -1: made up)
    and ``parents`` (for every output row: the two input rows a made-up row was built from,
    -1 where not known), from the steps' own, the last step first. Every array is of the
    output's size: the provenance of an intermediate result (SMOTE's, as large as it) is
    never made, so it adds nothing to a chain's peak memory."""
    origin = np.arange(n_out, dtype=np.int64)  # positions in the current step's output
    parents = np.full((n_out, 2), -1, dtype=np.int64)  # positions in the current step's output
    for step in reversed(steps):
        own = _own_provenance(step)
        listed = parents >= 0  # parents named by a later step: now positions in this step's input
        parents[listed] = own[parents[listed]]
        real = origin >= 0
        made_here = np.zeros(n_out, bool)
        made_here[real] = own[origin[real]] < 0
        if made_here.any():  # its made-up rows: their parents in this step's input
            synthetic_index = np.cumsum(own < 0) - 1
            step_parents = np.asarray(getattr(step, "parents_", np.full(int((own < 0).sum()), -1)), dtype=np.int64)
            step_parents = step_parents.reshape(int((own < 0).sum()), -1)[:, :2]
            found = step_parents[synthetic_index[origin[made_here]]]
            parents[made_here, :found.shape[1]] = found
        origin[real] = own[origin[real]]
    return origin, parents


class _SMOTEThenCleaning(SamplerChain):
    """SMOTE to the plan, then a cleaning rule: the two chains of Batista et al. A subclass
    names its cleaning parameter (``_cleaning``) and the rule used when it is None."""

    _cleaning: str

    def _default_cleaning(self) -> Any:
        raise NotImplementedError

    def _smote(self) -> Any:
        if self.smote is not None:  # keeps its own random_state, as in imbalanced-learn
            return clone(self.smote)
        return SMOTE(ratio=self.ratio, targets=self.targets, random_state=self.random_state)

    def _make_steps(self) -> list:
        cleaning = getattr(self, self._cleaning)
        return [self._smote(), clone(cleaning) if cleaning is not None else self._default_cleaning()]

    def _seeded(self, steps: list) -> list:
        return steps  # the seed went to SMOTE itself; the cleaning rules draw nothing


#: The docstring of a SMOTE-then-cleaning chain: its title, what it does, its cleaning step.
_CHAIN_DOC = """{{title}}

    {{body}}

    Parameters
    ----------
    ratio, targets
        SMOTE's plan, as for :class:`~imbalance.SMOTE`.
    smote : sampler, optional
        Instead of ``SMOTE(ratio=ratio, targets=targets)``.
    {{param}} : sampler, optional
        Instead of ``{{default}}``.
    random_state : int, numpy Generator or None
        SMOTE's seed (when ``smote`` is not given): same seed, same rows.
{{provenance}}"""


def _chain_constraints(param: str) -> dict:
    return {**BaseSampler._parameter_constraints, "smote": [HasMethods(["fit_resample"]), None],
            param: [HasMethods(["fit_resample"]), None]}


class SMOTEENN(_SMOTEThenCleaning):
    __doc__ = compose(
        _CHAIN_DOC, title="SMOTE, then Edited Nearest Neighbours over every class (Batista, Prati and Monard, 2004).",
        body="""SMOTE grows the classes to the plan (``ratio``, ``targets``); ENN then removes the rows,
    real or synthetic, of any class whose neighbours disagree with them, clearing the overlap
    SMOTE can create. As in imbalanced-learn, ENN cleans every class by default
    (``classes="all"``), so the result is usually below the plan: :attr:`plan_` holds the
    counts reached.""", param="enn", default='EditedNearestNeighbours(classes="all")', provenance=_PROVENANCE_DOC)
    _cleaning = "enn"
    _parameter_constraints: dict = _chain_constraints("enn")

    def __init__(self, *, ratio: float = 1.0, targets: Targets | None = None, smote: Any = None, enn: Any = None,
                 random_state: RandomStateLike = None) -> None:
        self.ratio, self.targets, self.smote, self.enn, self.random_state = ratio, targets, smote, enn, random_state

    def _default_cleaning(self) -> Any:
        return EditedNearestNeighbours(classes="all")


class SMOTETomek(_SMOTEThenCleaning):
    __doc__ = compose(
        _CHAIN_DOC, title="SMOTE, then both members of every Tomek link removed (Batista, Bazzan and Monard, 2003).",
        body="""SMOTE grows the classes to the plan; then every pair of rows of different classes that
    are each other's nearest neighbour is removed (``TomekLinks(classes="all")``, as in
    imbalanced-learn), synthetic or not. :attr:`plan_` holds the counts reached.""",
        param="tomek", default='TomekLinks(classes="all")', provenance=_PROVENANCE_DOC)
    _cleaning = "tomek"
    _parameter_constraints: dict = _chain_constraints("tomek")

    def __init__(self, *, ratio: float = 1.0, targets: Targets | None = None, smote: Any = None, tomek: Any = None,
                 random_state: RandomStateLike = None) -> None:
        self.ratio, self.targets, self.smote, self.tomek, self.random_state = ratio, targets, smote, tomek, random_state

    def _default_cleaning(self) -> Any:
        return TomekLinks(classes="all")
