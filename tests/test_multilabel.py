"""Multi-label imbalance measures: the values the papers publish for the real tables, and
direct computations."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imbalance import ImbalanceError
from imbalance.multilabel import measures

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "multilabel"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="the shared multi-label tables are not here")


def label_columns(name):
    df = pd.read_csv(SHARED / f"{name}.csv.gz")
    return df[[c for c in df.columns if c.startswith("label_")]]


# Charte, Rivera, del Jesus and Herrera (2015), Neurocomputing 163, table of data set traits;
# SCUMBLE from Charte et al. (2019). Published to three decimals.
PUBLISHED = {
    "yeast": {"cardinality": 4.237, "density": 0.303, "mean_ir": 7.197, "max_ir": 53.412, "scumble": 0.104,
              "n_labelsets": 198},
    "emotions": {"cardinality": 1.869, "density": 0.311, "mean_ir": 1.478, "max_ir": 1.784, "scumble": 0.011,
                 "n_labelsets": 27},
}


@needs_shared
@pytest.mark.parametrize("name", list(PUBLISHED))
def test_measures_match_the_published_values(name):
    result = measures(label_columns(name)).summary()
    for key, value in PUBLISHED[name].items():
        assert result[key] == pytest.approx(value, abs=6e-4), key


def direct(Y):
    """Every measure by its definition, with loops."""
    Y = np.asarray(Y, dtype=int)
    n, q = Y.shape
    counts = [sum(Y[i, l] for i in range(n)) for l in range(q)]
    irlbl = [max(counts) / c for c in counts]
    mean_ir = sum(irlbl) / q
    sd = (sum((r - mean_ir) ** 2 for r in irlbl) / (q - 1)) ** 0.5 if q > 1 else 0.0
    scumble = 0.0
    for i in range(n):
        present = [irlbl[l] for l in range(q) if Y[i, l]]
        if present:
            geometric = float(np.prod(present)) ** (1 / len(present))
            scumble += 1 - geometric / (sum(present) / len(present))
    per_row = [sum(Y[i]) for i in range(n)]
    return {"irlbl": irlbl, "mean_ir": mean_ir, "max_ir": max(irlbl), "cvir": sd / mean_ir, "scumble": scumble / n,
            "cardinality": sum(per_row) / n, "density": sum(per_row) / n / q,
            "n_labelsets": len({tuple(row) for row in Y.tolist()}), "n_unlabelled": per_row.count(0)}


@given(arrays(np.int8, st.tuples(st.integers(1, 40), st.integers(1, 6)), elements=st.integers(0, 1)))
def test_measures_equal_their_definitions(Y):
    if (Y.sum(axis=0) == 0).any():
        with pytest.raises(ImbalanceError, match="carried by no row"):
            measures(Y)
        return
    result, expected = measures(Y), direct(Y)
    np.testing.assert_allclose(result.irlbl, expected.pop("irlbl"), rtol=1e-12)
    for key, value in expected.items():
        assert getattr(result, key) == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_names_per_label_table_and_bad_input():
    Y = pd.DataFrame({"rare": [1, 0, 0, 0, 0], "common": [1, 1, 1, 1, 0], "mid": [0, 1, 1, 0, 0]})
    result = measures(Y)
    assert result.labels == ["rare", "common", "mid"] and result.counts.tolist() == [1, 4, 2]
    table = result.per_label()
    assert table.index.tolist() == ["common", "mid", "rare"] and table["irlbl"].tolist() == [1.0, 2.0, 4.0]
    assert result.n_unlabelled == 1 and result.n_labelsets == 4
    with pytest.raises(ImbalanceError, match="0/1"):
        measures(np.array([[0, 2], [1, 0]]))
    with pytest.raises(ImbalanceError, match=r"\['b'\] are carried by no row"):
        measures(pd.DataFrame({"a": [1, 0], "b": [0, 0]}))
