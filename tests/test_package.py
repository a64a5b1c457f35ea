import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import imbalance
from imbalance.datasets import CHURN_PATH, load_churn


def test_import_does_not_pull_torch_or_pyspark():
    code = "import sys, imbalance, imbalance.cli; print(sorted(m for m in ('torch', 'pyspark') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow  # inner loop under 2 minutes; the twin or the rest of the file covers the path
def test_import_of_the_torch_part_does_not_pull_lightning_or_transformers():
    import pytest

    pytest.importorskip("torch")
    code = ("import sys, imbalance.torch, imbalance.torch.estimator; "
            "print(sorted(m for m in ('lightning', 'pytorch_lightning', 'transformers', 'accelerate') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_churn_demo_is_the_documented_table():
    df = load_churn()
    assert df.shape == (5000, 20)
    assert df["LABEL"].dtype == "int8"
    assert df["LABEL"].value_counts().to_dict() == {0: 4293, 1: 707}
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert not df.isna().any().any()
    X, y = load_churn(return_X_y=True)
    assert "LABEL" not in X.columns and y.name == "LABEL"
    assert CHURN_PATH.name == "churn.csv.gz"


def test_bundled_data_is_small_and_has_its_source():
    import importlib.resources as r

    data = r.files("imbalance.datasets").joinpath("data")
    assert len(data.joinpath("churn.csv.gz").read_bytes()) <= 1_000_000
    source = data.joinpath("SOURCE.md").read_text()
    assert "MIT" in source and "modeldata" in source


def test_public_names():
    for name in imbalance.__all__:
        assert hasattr(imbalance, name)


def test_functions_and_subpackages_are_reachable_from_the_top_level():
    code = """
import sys, imbalance
heavy = [m for m in ("sklearn", "torch", "pyspark", "matplotlib") if m in sys.modules]
X, y = imbalance.datasets.load_churn(return_X_y=True)
result = imbalance.compare(X.iloc[:600], y.iloc[:600], recipes=["none"], models=["logreg"], cv=2)
import imbalance.report  # importing a submodule must not hide the function behind a module
assert callable(imbalance.compare) and imbalance.compare is imbalance.comparison.compare
print(heavy, len(result.results), imbalance.metrics.g_mean_score([0, 1], [0, 1]),
      imbalance.model_selection.FoldPlan.__name__, imbalance.ComparisonResult.__name__)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "2", "1.0", "FoldPlan", "ComparisonResult"]


def test_dir_lists_the_lazy_names_and_unknown_names_raise():
    names = dir(imbalance)
    assert {"compare", "datasets", "metrics", "model_selection", "SMOTE", "torch", "spark"} <= set(names)
    try:
        imbalance.no_such_thing
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_ruff_finds_nothing():
    # Undefined names, unused imports and import order: the errors a refactoring leaves behind.
    root = Path(__file__).parents[1]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "examples"],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
