import numpy as np
import pandas as pd
import pytest
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

import imbalance
from imbalance import LabelError, StrategyError


def test_balanced_equals_scikit_learn(churn_labels):
    ours = imbalance.class_weights(churn_labels, "balanced")
    ref = compute_class_weight("balanced", classes=np.array([0, 1]), y=churn_labels.to_numpy())
    assert list(ours) == [0, 1]
    np.testing.assert_allclose(list(ours.values()), ref, rtol=1e-15)


def test_balanced_multiclass_strings_equal_scikit_learn():
    y = np.array(["cat"] * 7 + ["ant"] * 2 + ["bee"] * 31)
    ours = imbalance.class_weights(y, "balanced")
    assert list(ours) == ["ant", "bee", "cat"]  # sorted, not value_counts order
    ref = compute_class_weight("balanced", classes=np.array(["ant", "bee", "cat"]), y=y)
    np.testing.assert_allclose(list(ours.values()), ref)
    np.testing.assert_allclose(imbalance.sample_weights(y, "balanced"), compute_sample_weight("balanced", y))


def test_formulas_on_churn(churn_labels):
    n0, n1 = 4293, 707
    N = n0 + n1
    assert imbalance.class_weights(churn_labels, "inverse") == pytest.approx({0: N / n0, 1: N / n1}, rel=1e-15)
    assert imbalance.class_weights(churn_labels, "sqrt") == pytest.approx(
        {0: (N / n0) ** 0.5, 1: (N / n1) ** 0.5}, rel=1e-15
    )
    beta = 0.999
    assert imbalance.class_weights(churn_labels, "effective", beta=beta) == pytest.approx(
        {0: (1 - beta) / (1 - beta**n0), 1: (1 - beta) / (1 - beta**n1)}, rel=1e-12
    )


def test_effective_edge_cases():
    y = [0] * 3 + [1] * 100_000
    # beta -> 0: no re-weighting; large n with beta close to 1 stays finite and precise
    assert imbalance.class_weights(y, "effective", beta=0.0) == {0: 1.0, 1: 1.0}
    w = imbalance.class_weights(y, "effective", beta=0.999999)
    expected_1 = 1e-6 / -np.expm1(100_000 * np.log(0.999999))
    assert w[1] == pytest.approx(expected_1, rel=1e-9)
    assert w[0] == pytest.approx(1e-6 / (1 - 0.999999**3), rel=1e-6)


@pytest.mark.parametrize("scheme", ["inverse", "balanced", "sqrt", "effective"])
def test_normalize_rows_and_classes(scheme):
    y = np.array([0] * 50 + [1] * 5 + [2] * 20)
    counts = np.array([50, 5, 20])
    rows = np.array(list(imbalance.class_weights(y, scheme, normalize="rows").values()))
    assert np.dot(counts, rows) == pytest.approx(75)
    assert imbalance.sample_weights(y, scheme, normalize=True).mean() == pytest.approx(1.0)
    classes = np.array(list(imbalance.class_weights(y, scheme, normalize="classes").values()))
    assert classes.sum() == pytest.approx(3)
    raw = np.array(list(imbalance.class_weights(y, scheme).values()))
    np.testing.assert_allclose(rows / raw, rows[0] / raw[0])  # only the scale changes


def test_sample_weights_map_rows_and_keep_pandas_index():
    y = pd.Series([1, 0, 0, 0], index=[10, 11, 12, 13])
    w = imbalance.sample_weights(y, "inverse")
    assert isinstance(w, pd.Series)
    assert list(w.index) == [10, 11, 12, 13]
    np.testing.assert_allclose(w.to_numpy(), [4.0, 4 / 3, 4 / 3, 4 / 3])
    assert isinstance(imbalance.sample_weights([1, 0], "inverse"), np.ndarray)


def test_pos_weight_binary_and_multilabel():
    np.testing.assert_allclose(imbalance.pos_weight([0, 0, 0, 1]), [3.0])
    Y = np.array([[1, 0, 1], [0, 0, 1], [0, 1, 1], [0, 0, 0]])
    np.testing.assert_allclose(imbalance.pos_weight(Y), [3.0, 3.0, 1 / 3])
    df = pd.DataFrame(Y.astype(bool), columns=["a", "b", "c"])
    s = imbalance.pos_weight(df)
    assert list(s.index) == ["a", "b", "c"]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: imbalance.class_weights([0, 1], "log"), StrategyError, "unknown weight scheme"),
        (lambda: imbalance.class_weights([0, 1], "effective", beta=1.0), StrategyError, "beta"),
        (lambda: imbalance.class_weights([0, 1], normalize="sum"), StrategyError, "normalize"),
        (lambda: imbalance.class_weights([0, None]), LabelError, "missing"),
        (lambda: imbalance.pos_weight([[0, 1], [0, 1]]), LabelError, "no positive rows"),
        (lambda: imbalance.pos_weight([0, 2]), LabelError, "binary"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_inputs_not_mutated():
    y = pd.Series([0, 1, 1])
    before = y.copy()
    imbalance.sample_weights(y)
    pd.testing.assert_series_equal(y, before)
