r"""Balanced ensembles whose members are drawn to the plan, as row counts.

Every member of a balanced ensemble trains on its own rebalanced sample of the training rows
(Chen, Liaw and Breiman 2004; Liu, Wu and Zhou 2009; Seiffert et al. 2010). Here that sample
comes from the planner, so a strategy means the same as everywhere else in the package
("under, 3:1" keeps three majority rows per minority row in every member), and it is realised
as *row counts*, never as a resampled copy of the table: a member that takes ``sample_weight``
trains on the rows it drew, each once, weighted by how often it drew them (trees, boosting);
only a learner that cannot take weights gets rows repeated.

Each member saw the plan's class prior :math:`\pi'` (balanced, for the default plan), not the
data's :math:`\pi`; with ``prior="true"`` the averaged probabilities :math:`p'` are mapped back
(Saerens et al. 2002; Dal Pozzolo et al. 2015):

.. math::

    p_c = \frac{p'_c\, \pi_c / \pi'_c}{\sum_k p'_k\, \pi_k / \pi'_k}
"""

from imbalance.ensemble._bagging import BalancedBaggingClassifier, EasyEnsembleClassifier
from imbalance.ensemble._base import member_counts
from imbalance.ensemble._boosting import RUSBoostClassifier
from imbalance.ensemble._forest import BalancedRandomForestClassifier

__all__ = [
    "BalancedRandomForestClassifier",
    "BalancedBaggingClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
    "member_counts",
]
