"""The examples run as a user runs them, and show what they claim."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

# Real subprocesses of the command line: the slow tier (`pytest -m "not slow"` skips it).
pytestmark = pytest.mark.slow

pytest.importorskip("torch")

EXAMPLES = Path(__file__).parent.parent / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_repeated_draws_of_one_item_differ():
    result = load("oversample_with_augmentation").main()
    assert result["counts"][0] == result["counts"][1]  # balanced this epoch
    assert result["repeated"] > 0 and result["identical"] == 0


def test_churn_example_runs_from_the_command_line():
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "train_churn_balanced_sampler.py"), "--epochs", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "balanced sampler: balanced_accuracy" in out.stdout


def test_a_rebalanced_stream_trains_a_model_that_finds_the_rare_class():
    result = load("stream_rebalance").main(items=60_000)
    assert result["rebalanced"] > result["raw"] + 0.1  # the raw stream's model says "not fraud" to all


def test_the_trainer_example_finds_the_rare_class_only_when_balanced():
    pytest.importorskip("transformers")
    results = load("hf_trainer_balanced").main()
    (plain_ap, plain_bacc), (ap, bacc) = results["Trainer"], results["BalancedTrainer"]
    assert bacc > plain_bacc + 0.2 and ap > plain_ap


def test_the_keras_example_finds_the_rare_class_with_balanced_batches():
    pytest.importorskip("keras")
    results = load("plot_keras_balanced_batches").main(epochs=3)  # the gallery runs 6; the claim holds at 3
    (plain_ap, plain_bacc) = results["every row, shuffled"]
    for ap, bacc in (results["under-sampled 1:1, new draw each epoch"], results["over-sampled 1:1"]):
        assert bacc > plain_bacc + 0.15 and ap > plain_ap


def test_the_fastai_example_runs_the_seed_recipe():
    pytest.importorskip("fastai.tabular.all")
    example = load("plot_fastai_seed_recipe")
    results = example.main(epochs=2)  # the gallery runs 4; the claim holds at 2
    plain_ap, plain_bacc = results["cross entropy"]
    for recipe in ("weighted cross entropy, N/count", "over-sampled loader, 1:1"):
        ap, bacc = results[recipe]
        assert bacc > plain_bacc and ap > plain_ap - 0.05
    assert example.main(epochs=1) == example.main(epochs=1)  # same seed, same numbers
