r"""Synthetic over-sampling on the plan: SMOTE, Borderline-SMOTE, ADASYN and SMOTE-NC.

Every class whose planned count is above its count gets ``target - count`` synthetic rows.
A synthetic row lies on the segment between a *base* row of the class and one of the base's
``k`` nearest neighbours of the same class (Chawla et al., 2002):

.. math::

    x_{new} = x_{base} + g\,(x_{neighbour} - x_{base}), \qquad g \sim U[0, 1)

The variants only change which base rows are used, how often, and (Borderline-SMOTE kind 2)
which neighbours. Originals are kept unchanged and first; synthetic rows follow, class by
class. ``parents_`` tells which two input rows made every synthetic row.
"""

from imbalance.synth._filter import SVMSMOTE, KMeansSMOTE
from imbalance.synth._nominal import SMOTEN, SMOTENC
from imbalance.synth._smote import ADASYN, SMOTE, BorderlineSMOTE, smote

__all__ = ["SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTENC", "SMOTEN", "SVMSMOTE", "KMeansSMOTE", "smote"]
