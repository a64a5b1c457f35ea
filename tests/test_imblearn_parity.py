"""Nothing left to import from imbalanced-learn.

Every public name of imbalanced-learn has a counterpart here, and imbalanced-learn's own tests
of its pipeline, FunctionSampler, make_imbalance, metrics and InstanceHardnessCV pass on this
library with their imports rewritten and imbalanced-learn unimportable (``imblearn_suite``).
A test left out says why; most are about imbalanced-learn's wording of an error, which is
replaced by ours where the test checks the error itself.
"""

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import imblearn
import pytest

import imbalance
import imblearn_suite
from imbalance._imblearn_names import COUNTERPARTS, DEVELOPER_MODULES, LEFT_OUT

GUIDE = Path(__file__).parents[1] / "docs" / "user_guide" / "from_imblearn.md"


def imblearn_public_names():
    """Every public name of imbalanced-learn: its subpackages' ``__all__`` (and the package's
    own), walking every module that is not a test, private or for developers."""
    names = set()
    for module in pkgutil.walk_packages(imblearn.__path__, "imblearn."):
        name = module.name
        if ".tests" in name or any(part.startswith("_") for part in name.split(".")) or \
                name.startswith(DEVELOPER_MODULES):
            continue
        try:
            mod = importlib.import_module(name)
        except ImportError:  # keras/tensorflow parts need those installed
            continue
        public = getattr(mod, "__all__", None)
        if public is None:  # metrics.pairwise: what the module defines
            public = [a for a, v in vars(mod).items() if not a.startswith("_") and getattr(v, "__module__", "") == name]
        names |= {f"{name}.{a}" for a in public if not isinstance(getattr(mod, a, None), type(imblearn))}
    names |= {f"imblearn.{a}" for a in imblearn.__all__ if not isinstance(getattr(imblearn, a), type(imblearn))
              and a != "__version__"}
    # keras/tensorflow are listed even where they cannot be imported
    names |= {"imblearn.keras.BalancedBatchGenerator", "imblearn.keras.balanced_batch_generator",
              "imblearn.tensorflow.balanced_batch_generator"}
    return names


def resolve(dotted):
    module, attribute = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), attribute)


def test_every_public_name_of_imblearn_has_a_counterpart_or_a_reason():
    names = imblearn_public_names()
    assert len(names) >= 42
    missing = names - set(COUNTERPARTS) - set(LEFT_OUT)
    assert not missing, f"imbalanced-learn names with no counterpart: {sorted(missing)}"


@pytest.mark.parametrize("theirs, ours", sorted(COUNTERPARTS.items()))
def test_each_counterpart_exists(theirs, ours):
    if ours.startswith("imbalance.keras."):
        pytest.importorskip("keras")
    assert callable(resolve(ours))


def test_the_guide_names_every_name_of_imblearn():
    code = " ".join(re.findall(r"`([^`]+)`", GUIDE.read_text().replace("```", "")))  # what it writes as code
    for theirs in [*COUNTERPARTS, *LEFT_OUT]:
        assert re.search(rf"\b{theirs.split('.')[-1]}\b", code), f"{theirs} is not in {GUIDE.name}"


def test_estimators_are_exported_at_the_top():
    for theirs, ours in COUNTERPARTS.items():
        if theirs.split(".")[1] in ("over_sampling", "under_sampling", "combine", "ensemble", "FunctionSampler"):
            name = ours.rsplit(".", 1)[1]
            assert name in imbalance.__all__ and getattr(imbalance, name) is resolve(ours)


def test_rewrite_turns_imports_into_ours():
    source = ("from imblearn.pipeline import Pipeline, make_pipeline\n"
              "from imblearn.under_sampling import EditedNearestNeighbours as ENN\n"
              "from imblearn import over_sampling as os\n"
              "def f():\n    from imblearn.metrics import (\n        sensitivity_score,\n    )\n")
    assert imblearn_suite.rewrite(source) == (
        "from imbalance.pipeline import Pipeline as Pipeline; from imbalance.pipeline import make_pipeline as "
        "make_pipeline\n"
        "from imbalance import EditedNearestNeighbours as ENN\n"
        "import imbalance as os\n"
        "def f():\n    from imbalance.metrics import sensitivity_score as sensitivity_score\n")


def check(result):
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, summary
    return summary


@pytest.mark.slow
def test_imblearn_pipeline_function_sampler_and_make_imbalance_tests_pass(tmp_path):
    result = imblearn_suite.run(
        {"tests/test_pipeline.py": "test_pipeline.py", "tests/test_base.py": "test_base.py",
         "datasets/tests/test_imbalance.py": "test_imbalance.py"},
        tmp_path,
        deselect={
            **{f"test_pipeline.py::test_pipeline_warns_not_fitted[{m}]": "imbalanced-learn 0.14 still warns where "
               "scikit-learn 1.8+ raises NotFittedError; we inherit scikit-learn's" for m in (
                   "predict", "predict_proba", "predict_log_proba", "decision_function", "score", "score_samples",
                   "transform", "inverse_transform")},
            "test_pipeline.py::test_pipeline_param_validation": "runs imbalanced-learn's own check_param_validation",
            "test_pipeline.py::test_metadata_routing_with_sampler": "imbalanced-learn's set_fit_resample_request; "
            "here a sampler's fit_resample receives what its fit requests (test_pipeline.py checks it)",
        },
        replace={
            ("test_pipeline.py", "from imblearn.utils.estimator_checks import check_param_validation"):
                "check_param_validation = None",
            ("test_imbalance.py", '"in a class cannot be negative"'): '"must be >= 1 row"',
            ("test_imbalance.py", '"should be less or equal to the original"'): '"can only remove rows"',
            ("test_imbalance.py", '"needs to have more than 1 class."'): '"needs at least 2 classes"',
        },
    )
    check(result)


@pytest.mark.slow
def test_imblearn_metrics_tests_pass(tmp_path):
    result = imblearn_suite.run(
        {"metrics/tests/test_classification.py": "test_classification.py",
         "metrics/tests/test_pairwise.py": "test_pairwise.py",
         "metrics/tests/test_score_objects.py": "test_score_objects.py"},
        tmp_path,
        deselect={
            "test_classification.py::test_geometric_mean_sample_weight[y_true2-y_pred2-sample_weight2-weighted-0.333]":
                "imbalanced-learn counts true negatives by rows while the other counts are weighted, so its weighted "
                "specificity is not one; ours is (test_imblearn_metrics.py checks it by hand)",
        },
    )
    check(result)


@pytest.mark.slow
def test_imblearn_instance_hardness_cv_tests_pass(tmp_path):
    check(imblearn_suite.run({"model_selection/tests/test_split.py": "test_split.py"}, tmp_path))


@pytest.mark.slow
def test_imblearn_gallery_examples_run(tmp_path):
    tomek = "tl = TomekLinks(sampling_strategy=sampling_strategy)"
    results = imblearn_suite.run_examples(tmp_path, replace={
        # a cleaning sampler's sampling_strategy names the classes it cleans: classes= here
        ("plot_illustration_tomek_links.py", 'TomekLinks(sampling_strategy="auto")'): "TomekLinks()",
        ("plot_illustration_tomek_links.py", 'TomekLinks(sampling_strategy="all")'): 'TomekLinks(classes="all")',
        ("plot_sampling_strategy_usage.py", f'sampling_strategy = "not minority"\n{tomek}'):
            'sampling_strategy = "not minority"\ntl = TomekLinks()  # every class but the minority',
        ("plot_sampling_strategy_usage.py", f"sampling_strategy = [0, 1, 2]\n{tomek}"):
            "sampling_strategy = [0, 1, 2]\ntl = TomekLinks(classes=sampling_strategy)",
    })
    assert len(results) == 17
    blocked = subprocess.run([sys.executable, "-c", "import imblearn"], cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert "ModuleNotFoundError" in blocked.stderr or "ImportError" in blocked.stderr  # they ran without it
    failed = {name: run.stderr[-2000:] for name, run in results.items() if run.returncode != 0}
    assert not failed, failed
