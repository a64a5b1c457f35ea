"""Bad input, round three (issue 29): the library's promises on the samplers, streams and model
files added since round two. Each test failed before its fix; the command line's share is in
test_cli_edges.py (subprocesses) and test_cli_inprocess.py.
"""

import warnings

import numpy as np
import pytest

import imbalance

imblearn = pytest.importorskip("imblearn")

# ----------------------------------------------------------------------------- 1: a rule that empties a class

ENN_GRID = (np.array([[0], [1], [2], [3], [4], [5], [2.5], [1.5], [20]], float), np.array([2, 2, 2, 2, 2, 2, 0, 0, 1]))
TWO_ROWS = (np.array([[0.0], [0.1]]), np.array([0, 1]))


@pytest.mark.parametrize("name, data, kwargs", [
    ("EditedNearestNeighbours", ENN_GRID, {}),
    ("RepeatedEditedNearestNeighbours", ENN_GRID, {}),
    ("AllKNN", TWO_ROWS, {}),
    ("NeighbourhoodCleaningRule", ENN_GRID, {}),
    ("TomekLinks", TWO_ROWS, {}),
    ("OneSidedSelection", ENN_GRID, {"random_state": 0}),
])
def test_a_cleaning_rule_may_empty_a_class_as_in_imbalanced_learn(name, data, kwargs):
    X, y = data
    sampler = getattr(imbalance, name)(**kwargs)
    X_res, y_res = sampler.fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_ref, y_ref = getattr(imblearn.under_sampling, name)(**kwargs).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    kept = np.bincount(y_res, minlength=3)[np.unique(y)]
    assert (kept == 0).any()  # the data empties a class
    assert sampler.plan_.target_array.tolist() == kept.tolist()  # and the plan records it
    assert sampler.plan_.imbalance_ratio == np.inf


@pytest.mark.parametrize("chain", ["SMOTEENN", "SMOTETomek"])
def test_a_chain_whose_cleaning_step_empties_a_class(chain):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(12, 1)).round(1), np.array([0] * 9 + [1] * 3)
    ours = getattr(imbalance, chain)(random_state=0, smote=imbalance.SMOTE(k_neighbors=2, random_state=0))
    _, y_res = ours.fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(imblearn.combine, chain)(random_state=0,
                                                   smote=imblearn.over_sampling.SMOTE(k_neighbors=2, random_state=0))
        _, y_ref = theirs.fit_resample(X, y)
    # SMOTE draws its own rows, so the counts are compared, not the rows
    assert ours.plan_.target_array.tolist() == np.bincount(y_res, minlength=2).tolist()
    if chain == "SMOTEENN":  # this table: ENN removes every row of class 0, in both libraries
        assert np.bincount(y_res, minlength=2).tolist() == np.bincount(y_ref, minlength=2).tolist() == [0, 4]
