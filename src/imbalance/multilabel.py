r"""Multi-label imbalance: how imbalanced a 0/1 label matrix is, label by label and as a whole.

The measures of Charte, Rivera, del Jesus and Herrera (2015, *Neurocomputing* 163,
"Addressing imbalance in multilabel classification: measures and random resampling
algorithms") and of Charte et al. (2019, SCUMBLE: the concurrence of rare and common labels in
the same rows). For a label matrix :math:`Y \in \{0, 1\}^{n \times q}` with label counts
:math:`n_l = \sum_i Y_{il}`:

.. math::

    \mathrm{IRLbl}(l) = \frac{\max_{l'} n_{l'}}{n_l}, \qquad
    \mathrm{MeanIR} = \frac{1}{q} \sum_l \mathrm{IRLbl}(l), \qquad
    \mathrm{MaxIR} = \max_l \mathrm{IRLbl}(l),

    \mathrm{CVIR} = \frac{1}{\mathrm{MeanIR}}
        \sqrt{\frac{\sum_l (\mathrm{IRLbl}(l) - \mathrm{MeanIR})^2}{q - 1}}, \qquad
    \mathrm{SCUMBLE} = \frac{1}{n} \sum_i \left(1 - \frac{\left(\prod_{l \in Y_i}
        \mathrm{IRLbl}(l)\right)^{1/|Y_i|}}{\frac{1}{|Y_i|}\sum_{l \in Y_i} \mathrm{IRLbl}(l)}\right)

(a row with no label adds 0 to SCUMBLE), label cardinality :math:`\frac{1}{n}\sum_i |Y_i|` and
density (cardinality / :math:`q`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from imbalance._labels import label_matrix
from imbalance._validation import LabelError

__all__ = ["LabelMeasures", "measures"]


@dataclass(frozen=True)
class LabelMeasures:
    """What :func:`measures` returns.

    Attributes
    ----------
    labels : list of str
        The label names (a DataFrame's columns; ``"0"``, ``"1"``, ... for an array).
    counts : ndarray of shape (n_labels,)
        Rows carrying each label.
    irlbl : ndarray of shape (n_labels,)
        Imbalance ratio per label: the commonest label's count over this label's.
    mean_ir, max_ir, cvir, scumble, cardinality, density : float
    n_samples, n_labelsets, n_unlabelled : int
        Rows; distinct label combinations (the empty one included when present); rows with
        no label.
    """

    labels: list
    counts: np.ndarray
    irlbl: np.ndarray
    mean_ir: float
    max_ir: float
    cvir: float
    scumble: float
    cardinality: float
    density: float
    n_samples: int
    n_labelsets: int
    n_unlabelled: int

    def per_label(self) -> pd.DataFrame:
        """One row per label: count, share of rows and IRLbl, commonest label first."""
        frame = pd.DataFrame({"count": self.counts, "share": self.counts / self.n_samples, "irlbl": self.irlbl},
                             index=pd.Index(self.labels, name="label"))
        return frame.sort_values("count", ascending=False, kind="stable")

    def summary(self) -> dict:
        """The whole-matrix measures as a dict of plain numbers (for JSON)."""
        return {"n_samples": self.n_samples, "n_labels": len(self.labels), "cardinality": self.cardinality,
                "density": self.density, "n_labelsets": self.n_labelsets, "n_unlabelled": self.n_unlabelled,
                "mean_ir": self.mean_ir, "max_ir": self.max_ir, "cvir": self.cvir, "scumble": self.scumble}


def measures(Y: Any) -> LabelMeasures:
    """Imbalance measures of a multi-label target (Charte et al. 2015, 2019).

    Parameters
    ----------
    Y : array-like or DataFrame of shape (n_samples, n_labels)
        0/1 (or bool) values, one column per label.

    Returns
    -------
    LabelMeasures

    Raises
    ------
    LabelError
        When ``Y`` is not 0/1, or a label is carried by no row (its IRLbl would be infinite).

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import measures
    >>> Y = np.array([[1, 0], [1, 1], [1, 0], [1, 0]])
    >>> m = measures(Y)
    >>> m.irlbl.tolist(), m.mean_ir, m.cardinality
    ([1.0, 4.0], 2.5, 1.25)
    """
    names = [str(c) for c in Y.columns] if isinstance(Y, pd.DataFrame) else None
    matrix = label_matrix(Y).astype(bool)
    n, q = matrix.shape
    names = names or [str(i) for i in range(q)]
    counts = matrix.sum(axis=0)
    if (counts == 0).any():
        missing = [names[i] for i in np.flatnonzero(counts == 0)]
        raise LabelError(f"label(s) {missing} are carried by no row, so their imbalance ratio is infinite; "
                         "drop those columns first.")
    irlbl = counts.max() / counts
    mean_ir = float(irlbl.mean())
    cvir = float(irlbl.std(ddof=1) / mean_ir) if q > 1 else 0.0
    per_row = matrix.sum(axis=1)
    # Per row, over its labels: 1 - geometric mean / arithmetic mean of their IRLbl.
    log_ir = np.log(irlbl)
    with np.errstate(invalid="ignore", divide="ignore"):
        geometric = np.exp((matrix @ log_ir) / per_row)
        arithmetic = (matrix @ irlbl) / per_row
        row_scumble = np.where(per_row > 0, 1.0 - geometric / arithmetic, 0.0)
    labelsets = np.unique(np.packbits(matrix, axis=1), axis=0).shape[0]
    return LabelMeasures(
        labels=names, counts=counts.astype(np.int64), irlbl=irlbl, mean_ir=mean_ir, max_ir=float(irlbl.max()),
        cvir=cvir, scumble=float(row_scumble.mean()), cardinality=float(per_row.mean()),
        density=float(per_row.mean() / q), n_samples=n, n_labelsets=int(labelsets),
        n_unlabelled=int((per_row == 0).sum()),
    )
