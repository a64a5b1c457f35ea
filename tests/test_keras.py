"""imbalance.keras on Keras 3 with the torch backend (torch is installed; Keras is the keras extra)."""

import os

import numpy as np
import pytest
from scipy import sparse

keras = pytest.importorskip("keras")  # on the torch backend: conftest sets KERAS_BACKEND

from imbalance import SMOTE, OverSampler, ParameterError, UnderSampler  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402
from imbalance.keras import BalancedBatchGenerator, balanced_batch_generator  # noqa: E402

# An integration of an optional framework, as Lightning's: the slow tier (and Keras's import stays
# out of the inner loop).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def churn():
    X, y = load_churn(return_X_y=True)
    X = X.select_dtypes("number")
    X = ((X - X.mean()) / X.std()).astype("float32")
    return X, y


def test_every_batch_holds_its_class_quotas(churn):
    X, y = churn
    batches = BalancedBatchGenerator(X, y, batch_size=64, random_state=0)
    assert len(batches) == 2 * 707 // 64  # under-sampled to 1:1, the rest waits for another epoch
    seen = []
    for i in range(len(batches)):
        X_b, y_b = batches[i]
        assert X_b.shape == (64, X.shape[1]) and isinstance(X_b, np.ndarray)
        assert np.bincount(y_b, minlength=2).tolist() == [32, 32]  # B / K of each class, every batch
        seen.append(X_b)
    rows = np.concatenate(seen)
    assert len({r.tobytes() for r in rows}) == len(rows)  # no row twice in an epoch of an under-sampler


def test_stratified_quotas_follow_the_resampled_proportions(churn):
    X, y = churn
    batches = BalancedBatchGenerator(X, y, batch_size=50, sampler=UnderSampler(ratio=3), random_state=0)
    counts = np.array([np.bincount(batches[i][1], minlength=2) for i in range(len(batches))])
    share = 50 * 707 / (4 * 707)  # minority rows per batch: 12.5
    assert set(counts[:, 1]) <= {int(np.floor(share)), int(np.ceil(share))}
    assert (counts.sum(axis=1) == 50).all()


def test_each_epoch_draws_other_majority_rows_and_the_seed_repeats_them(churn):
    X, y = churn

    def majority_rows(generator):
        return {r.tobytes() for i in range(len(generator)) for r, label in zip(*generator[i]) if label == 0}

    a = BalancedBatchGenerator(X, y, batch_size=100, random_state=1)
    first = majority_rows(a)
    a.on_epoch_end()
    assert a.epoch == 1 and majority_rows(a) != first
    b = BalancedBatchGenerator(X, y, batch_size=100, random_state=1)
    assert majority_rows(b) == first
    np.testing.assert_array_equal(a.sampler_.plan_.target_array, [707, 707])


def test_sample_weight_follows_the_rows_synthetic_ones_too(churn):
    X, y = churn
    weights = np.arange(len(y), dtype=np.float64)
    batches = BalancedBatchGenerator(X.to_numpy(), y.to_numpy(), sample_weight=weights, sampler=SMOTE(), batch_size=128,
                                     random_state=0)
    smote = batches.sampler_
    X_res = batches._X
    for i in range(len(batches)):
        X_b, y_b, w_b = batches[i]
        rows = batches._batches[i]
        expected = np.where(smote.is_synthetic_[rows], -1, smote.origin_[rows])
        made_up = expected < 0
        np.testing.assert_array_equal(w_b[~made_up], expected[~made_up])
        base = smote.parents_[rows[made_up] - len(y), 0]
        np.testing.assert_array_equal(w_b[made_up], weights[base])
        np.testing.assert_array_equal(X_b, X_res[rows])


def test_a_keras_model_trains_on_it(churn):
    X, y = churn
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
    batches = BalancedBatchGenerator(X, y.to_numpy().astype("float32"), batch_size=64, random_state=0)
    history = model.fit(batches, epochs=3, verbose=0)
    assert batches.epoch >= 3  # Keras called on_epoch_end after every epoch: a draw each
    losses = history.history["loss"]
    assert np.isfinite(losses).all() and losses[-1] < losses[0]
    scores = model.predict(X.to_numpy()[:200], verbose=0)
    assert scores.shape == (200, 1)


def test_endless_generator_and_sparse_batches(churn):
    X, y = churn
    generator, steps = balanced_batch_generator(sparse.csr_matrix(X.to_numpy()), y.to_numpy(), batch_size=100,
                                                sampler=OverSampler(), keep_sparse=True, random_state=0)
    assert steps == 2 * 4293 // 100
    batches = [next(generator) for _ in range(steps + 2)]  # runs on into the next epoch
    assert all(sparse.issparse(X_b) and X_b.shape[0] == 100 for X_b, _ in batches)
    assert all(np.bincount(y_b).tolist() == [50, 50] for _, y_b in batches)


def test_one_hot_targets_and_bad_input(churn):
    X, y = churn
    one_hot = np.eye(2, dtype="float32")[y.to_numpy()]
    X_b, y_b = BalancedBatchGenerator(X, one_hot, batch_size=32, random_state=0)[0]
    assert y_b.shape == (32, 2) and y_b.sum(axis=0).tolist() == [16, 16]
    with pytest.raises(ParameterError, match="batch_size"):
        BalancedBatchGenerator(X, y, batch_size=0)
    with pytest.raises(ParameterError, match="fewer than batch_size"):
        BalancedBatchGenerator(X, y, batch_size=5000)
    with pytest.raises(TypeError, match="fit_resample"):
        BalancedBatchGenerator(X, y, sampler=object())
    with pytest.raises(ValueError, match="sample_weight"):
        BalancedBatchGenerator(X, y, sample_weight=np.ones(3))


def test_a_missing_backend_is_named_with_the_fix():
    import importlib.util
    import subprocess
    import sys
    if importlib.util.find_spec("tensorflow") is not None:
        pytest.skip("TensorFlow is installed: no backend is missing")
    env = {**os.environ, "KERAS_BACKEND": "tensorflow"}
    out = subprocess.run([sys.executable, "-c", "import imbalance.keras"], capture_output=True, text=True, env=env)
    assert out.returncode == 1
    assert "cannot load its backend (tensorflow)" in out.stderr and "KERAS_BACKEND to 'torch'" in out.stderr
