"""The method registry: a sampler is its class and one registry entry.

A toy sampler registered in a fixture shows up everywhere methods are listed: ``imbalance``'s
``__all__`` and attributes, ``under_sample(method=)``, ``make_sampler``, the command line's
``--method`` choices and ``compare``'s strategies, and it runs in each. A test also fails when
a registered method is missing from any of those places, or an exported estimator from the
API reference.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import imbalance
from imbalance import _registry
from imbalance._registry import Estimator, Method, Recipe, RegistryError
from imbalance.cli import build_parser, main
from imbalance.samplers import BaseSampler, Resampled
from imbalance.strategies import STRATEGIES
from imbalance.tables import make_sampler

DOCS = Path(__file__).parents[1] / "docs"


class ToyUnderSampler(BaseSampler):
    """Keep the first rows of every class, as many as the plan says (a toy, for the registry test)."""

    _strategy = "under"

    def _fit_resample(self, X, labels, rng, *, owned=False):
        keep = [np.flatnonzero(labels.codes == code)[:target] for code, target in enumerate(self.plan_.target_array)]
        return Resampled(np.sort(np.concatenate(keep)))


@pytest.fixture
def toy():
    _registry.register(Estimator("ToyUnderSampler", __name__), Method("toy_under", "prototype"),
                       recipes=[Recipe("toy_under", resample="toy_under", default=False,
                                       description="the first rows of every class, to 1:1")])
    try:
        yield
    finally:
        _registry.unregister("ToyUnderSampler")


def table():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(60, int), np.ones(20, int)]
    return pd.DataFrame({"a": rng.normal(size=80) + y, "b": rng.normal(size=80), "LABEL": y})


def test_a_registered_sampler_is_everywhere(toy, tmp_path, capsys):
    assert "ToyUnderSampler" in imbalance.__all__ and imbalance.ToyUnderSampler is ToyUnderSampler
    assert "ToyUnderSampler" in dir(imbalance)

    df = table()
    out = imbalance.under_sample(df, label_col="LABEL", method="toy_under", ratio=2)
    assert out["LABEL"].value_counts().to_dict() == {0: 40, 1: 20}
    assert list(out.index) == list(range(40)) + list(range(60, 80))  # the first rows of each class
    assert isinstance(make_sampler("toy_under", ratio=3), ToyUnderSampler)

    assert "toy_under" in build_parser()._subparsers._group_actions[0].choices["resample"].format_help()
    data, out_path = tmp_path / "t.csv", tmp_path / "out.csv"
    df.to_csv(data, index=False)
    assert main(["resample", str(data), "--method", "toy_under", "--ratio", "1", "-o", str(out_path)]) == 0
    assert pd.read_csv(out_path)["LABEL"].value_counts().to_dict() == {0: 20, 1: 20}

    assert "toy_under" in STRATEGIES and "toy_under" in imbalance.strategies.STRATEGIES
    result = imbalance.compare(df.drop(columns="LABEL"), df["LABEL"], recipes=["none", "toy_under"],
                               models=["logreg"], cv=2, n_jobs=1)
    fitted = result.results.set_index("strategy")["n_fit"]
    assert set(fitted["toy_under"]) == {20} and set(fitted["none"]) == {40}  # 10 of each class per training half


def test_unregistering_takes_it_out_again(toy):
    _registry.unregister("ToyUnderSampler")
    try:
        assert "ToyUnderSampler" not in imbalance.__all__ and "toy_under" not in STRATEGIES
        with pytest.raises(imbalance.ParameterError, match="method must be one of"):
            imbalance.under_sample(table(), label_col="LABEL", method="toy_under")
    finally:  # for the fixture's own unregister
        _registry.register(Estimator("ToyUnderSampler", __name__), Method("toy_under", "prototype"))


def test_a_name_cannot_be_registered_twice():
    with pytest.raises(RegistryError, match="'SMOTE' is registered already"):
        _registry.register(Estimator("SMOTE", "imbalance.synth"))
    with pytest.raises(RegistryError, match="'smote' is taken"):
        _registry.register(Estimator("Other", "imbalance.synth"), Method("smote", "synthesis"))
    with pytest.raises(RegistryError, match="not a registered method"):
        _registry.register(Estimator("Other", "imbalance.synth"), recipes=[Recipe("other", resample="nope")])
    with pytest.raises(RegistryError, match="kind must be one of"):
        _registry.register(Estimator("Other", "imbalance.synth"), Method("other", "sideways"))
    assert "Other" not in _registry.ESTIMATORS  # a refused entry changes nothing


def test_every_registered_method_is_reachable_by_its_name():
    parser_help = " ".join(build_parser()._subparsers._group_actions[0].choices["resample"].format_help().split())
    for name, method in _registry.METHODS.items():
        cls = _registry.estimator_class(method.estimator)
        if method.kind not in ("multilabel", "regression"):  # those need a label matrix, a numeric target
            assert isinstance(make_sampler(name), cls), name
        if method.kind not in ("random", "regression"):
            assert name in parser_help, f"--method {name} is not offered by the command line"
    for table in (_registry.RECIPES, _registry.MULTILABEL_RECIPES, _registry.REGRESSION_RECIPES):
        for name, recipe in table.items():
            assert recipe.resample is None or recipe.resample in _registry.METHODS, name


def test_every_exported_estimator_is_public_and_documented():
    documented = set()
    for page in (DOCS / "api").glob("*.rst"):
        documented |= set(re.findall(r"^   ([A-Z]\w+)$", page.read_text(), flags=re.M))
    for name, estimator in _registry.ESTIMATORS.items():
        cls = _registry.estimator_class(name)
        module = estimator.module
        assert name in __import__(module, fromlist=["__all__"]).__all__, f"{name} is not in {module}.__all__"
        assert name in documented, f"{name} is on no page of docs/api/"
        assert (name in imbalance.__all__) == estimator.export and (getattr(imbalance, name, None) is cls
                                                                    or not estimator.export)
