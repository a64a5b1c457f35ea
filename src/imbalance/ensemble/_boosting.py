"""RUSBoost: boosting, each round on a fresh random under-sample (Seiffert et al. 2010)."""


from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from imbalance._docstrings import compose
from imbalance._trees import (
    BoostedTrees,
    samme,
)
from imbalance._validation import (
    ParameterError,
    RandomStateLike,
)
from imbalance.ensemble._base import (
    PRIOR_DOC,
    PlannedEnsemble,
    fit_member,
    member_rows,
)
from imbalance.planner import Strategy


class RUSBoostClassifier(PlannedEnsemble):
    r"""RUSBoost (Seiffert et al. 2010): boosting where every round's learner trains on a
    random under-sample of the rows.

    Round :math:`m` draws row counts :math:`c^{(m)}` to the plan (distinct rows by default),
    fits the learner on those rows with weights :math:`c^{(m)}_i w_i`, and then, as SAMME
    (Zhu et al. 2009) does, scores it on *all* rows, under the weights its draw was made for:
    row :math:`i` of class :math:`c` counts :math:`r_i w_i`, with :math:`r_i = t_c / n_c` its
    class's draw rate (target over count in the plan):

    .. math::

        \varepsilon_m = \frac{\sum_i r_i w_i [h_m(x_i) \ne y_i]}{\sum_i r_i w_i}, \qquad
        \alpha_m = \eta \left(\log\frac{1 - \varepsilon_m}{\varepsilon_m} + \log(K - 1)\right), \qquad
        w_i \leftarrow w_i \, e^{\alpha_m [h_m(x_i) \ne y_i]}

    and predicts with the class scores :math:`s_k(x) = \sum_m \alpha_m [h_m(x) = k] / \sum_m \alpha_m`,
    probabilities :math:`\mathrm{softmax}(K s / (K - 1)^2)` (scikit-learn's ``AdaBoostClassifier``:
    :math:`\sigma(2 (s_1 - s_0))` for two classes). The paper boosts with AdaBoost.M2; we
    follow imbalanced-learn and scikit-learn in using SAMME, which needs no per-class
    pseudo-loss and is multi-class by construction. A round whose learner is perfect on all rows
    ends the boosting (its :math:`\alpha` is set to 1); one no better than chance is dropped.
    Why :math:`r`: a learner fitted to a balanced draw and judged on the imbalanced rows as they
    are (imbalanced-learn's rule, :math:`r_i = 1`) counts every majority row it gives up for the
    minority at the majority's full weight, so it often looks no better than chance, and the first
    round fails the whole fit; judged under the balance it was trained for, it does not.

    Parameters
    ----------
    estimator : classifier, default=None
        Default: a decision stump, ``DecisionTreeClassifier(max_depth=1)``. Must take
        ``sample_weight``.
    n_estimators : int, default=50
        Most boosting rounds.
    learning_rate : float, default=1.0
        :math:`\eta`.
    strategy : str, dict or callable, default="under"
    ratio : float, default=1.0
    replacement : bool, default=False
    {{prior}}
    random_state : int, numpy Generator or None, default=None

    Attributes
    ----------
    estimators_ : list of fitted learners
    estimator_weights_, estimator_errors_ : ndarray of shape (n_rounds,)
        :math:`\alpha_m` and :math:`\varepsilon_m`.
    estimators_samples_ : list of ndarray
        The rows each round drew.
    plan_, classes_, train_prior_, true_prior_ : as in :class:`BalancedRandomForestClassifier`
    feature_importances_ : ndarray, the :math:`\alpha`-weighted mean of the learners'.
    """

    __doc__ = compose(__doc__, prior=PRIOR_DOC)
    warm_start = False  # boosting rounds depend on every round before; no warm start

    def __init__(self, estimator: Any = None, n_estimators: int = 50, *, learning_rate: float = 1.0,
                 strategy: Strategy = "under", ratio: float = 1.0, replacement: bool = False,
                 prior: Any = "train", random_state: RandomStateLike = None) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.strategy = strategy
        self.ratio = ratio
        self.replacement = replacement
        self.prior = prior
        self.random_state = random_state

    def _base(self) -> Any:
        return DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator

    def _check_params(self) -> None:
        self._check_common_params()
        if not isinstance(self.learning_rate, numbers.Real) or not self.learning_rate > 0:
            raise ParameterError(f"learning_rate must be a positive number, got {self.learning_rate!r}.")
        if not has_fit_parameter(self._base(), "sample_weight"):
            raise ParameterError(f"RUSBoost re-weights rows every round, so its estimator must take sample_weight; "
                                 f"{type(self._base()).__name__} does not.")

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> "RUSBoostClassifier":
        """Boost for up to ``n_estimators`` rounds, each on a fresh draw of the plan.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Initial row weights (default equal).

        Returns
        -------
        self
        """
        X, codes, sample_weight = self._prepare_fit(X, y, sample_weight)
        n = codes.size
        initial = np.full(n, 1.0 / n) if sample_weight is None else sample_weight

        def fit_round(m: int, weight: np.ndarray) -> tuple[Any, np.ndarray]:
            member, counts = self._draw_member(m)
            fit_member(member, *member_rows(counts, weight, weighted=True), X, codes, tree_input=False)
            return member, np.asarray(member.predict(X), dtype=np.intp)

        # a round is judged under the weights its draw was made for: each class's at its draw rate t_c / n_c
        rates = self.plan_.target_array / self.plan_.count_array
        boosted = samme(fit_round, codes, initial, n_rounds=self.n_estimators, n_classes=self.n_classes_,
                        n_features=X.shape[1], learning_rate=self.learning_rate, first_at_chance="raise",
                        judged_by=rates[codes])
        self.estimators_ = boosted.estimators_
        self.estimator_weights_ = boosted.estimator_weights_
        self.estimator_errors_ = boosted.estimator_errors_
        self.train_prior_ = self._boost_train_prior()
        self._target_prior()  # a bad prior array fails here, not at the first predict
        del self._positions
        return self

    def _boost_train_prior(self) -> np.ndarray:
        targets = self.plan_.target_array.astype(np.float64)
        return targets / targets.sum()

    def _boosted(self) -> BoostedTrees:
        return BoostedTrees(self.estimators_, self.estimator_weights_, self.estimator_errors_, self.n_classes_,
                            self.n_features_in_)

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        r"""SAMME's class scores :math:`s_k(x)`; for two classes :math:`s_1 - s_0` (positive
        means ``classes_[1]``)."""
        X = self._validate_predict_input(X)
        scores = self._boosted().decision_scores(X)
        return scores[:, 1] - scores[:, 0] if self.n_classes_ == 2 else scores

    def _members_proba(self, X: ArrayLike) -> np.ndarray:
        return self._boosted().predict_proba(X)

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """The rows each kept round drew (sorted, repeated as often as drawn)."""
        check_is_fitted(self, "estimators_")
        # the rounds kept are always the first ones (a dropped round ends the boosting)
        return [np.repeat(np.arange(self._n_rows), self._counts_of(m)) for m in range(len(self.estimators_))]

    @property
    def feature_importances_(self) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        if not hasattr(self.estimators_[0], "feature_importances_"):
            raise AttributeError(f"{type(self.estimators_[0]).__name__} learners have no feature_importances_.")
        return self._boosted().feature_importances_
