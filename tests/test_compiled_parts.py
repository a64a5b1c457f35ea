"""Same seed, same result however imbalance was installed: where a compiled part is missing (no
C compiler at build time) the fallback that may change results says so, once per process.

The compiled modules are taken away for the test the way a build without a compiler leaves
them: absent (the module attribute the package reads is None)."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification

import imbalance
from imbalance import _trees, _validation
from imbalance._neighbors import kneighbors, kneighbors_of, scan
from imbalance.ensemble import BalancedRandomForestClassifier


@pytest.fixture
def no_warnings_yet(monkeypatch):
    monkeypatch.setattr(_validation, "_WARNED_PARTS", set())


def test_without_the_scan_neighbours_say_so_once_and_stay_exact(monkeypatch, no_warnings_yet):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 8))
    compiled = kneighbors(X, 4)
    monkeypatch.setattr(scan, "_knn", None)
    with pytest.warns(imbalance.CompiledPartWarning, match="compiled neighbour scan.*same seed"):
        fallback = kneighbors(X, 4)
    np.testing.assert_array_equal(fallback[1], compiled[1])  # no ties in continuous data: the same lists
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: the second call is silent
        kneighbors_of(X[:5], X, 3)


def test_without_the_tree_builder_auto_trees_say_what_changes(monkeypatch, no_warnings_yet):
    X, y = make_classification(300, weights=[0.8], random_state=0)
    assert BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y).tree_method_ == "hist"
    monkeypatch.setattr(_trees, "_compiled", None)
    with pytest.warns(imbalance.CompiledPartWarning, match="compiled tree builder.*other trees"):
        forest = BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert forest.tree_method_ == "exact"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BalancedRandomForestClassifier(n_estimators=3, tree_method="exact", random_state=0).fit(X, y)


def test_an_install_with_its_compiled_parts_warns_nothing():
    assert scan.have_compiled_scan() and _trees.available()
