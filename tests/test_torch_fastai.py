"""imbalance.torch.fastai with a real fastai Learner on the churn table (CPU)."""

import numpy as np
import pandas as pd
import pytest
import torch

pytest.importorskip("fastai.tabular.all")

# An integration of an optional framework, as Lightning's: the slow tier (and fastai's import stays
# out of the inner loop).
pytestmark = pytest.mark.slow

from fastai.losses import CrossEntropyLossFlat  # noqa: E402
from fastai.tabular.all import Categorify, Normalize, TabularDataLoaders, tabular_learner  # noqa: E402

from imbalance import class_weights  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402
from imbalance.torch import (  # noqa: E402
    AsymmetricLoss,
    ClassBalancedLoss,
    ClassBalancedSampler,
    SigmoidFocalLoss,
    SoftmaxFocalLoss,
    StratifiedBatchSampler,
)
from imbalance.torch.fastai import EpochSampler, LossFlat, weighted_cross_entropy  # noqa: E402


@pytest.fixture(scope="module")
def churn_dls():
    df = load_churn()
    df["LABEL"] = df["LABEL"].map({0: "stayed", 1: "churned"})
    numbers = [c for c in df.columns if df[c].dtype.kind in "if"]
    valid = list(range(0, len(df), 5))  # every fifth row
    return TabularDataLoaders.from_df(df, y_names="LABEL", cat_names=["international_plan", "voice_mail_plan"],
                                      cont_names=numbers, procs=[Categorify, Normalize], valid_idx=valid, bs=64,
                                      num_workers=0)


def test_loss_flat_activation_and_decodes_match_the_loss_kind():
    logits = torch.tensor([[2.0, -1.0], [0.0, 3.0]])
    softmax = LossFlat(SoftmaxFocalLoss(gamma=2.0))
    torch.testing.assert_close(softmax.activation(logits), torch.softmax(logits, dim=-1))
    assert softmax.decodes(softmax.activation(logits)).tolist() == [0, 1] and softmax.y_int
    targets = torch.tensor([0, 1])
    torch.testing.assert_close(softmax(logits, targets), SoftmaxFocalLoss(gamma=2.0)(logits, targets))
    sigmoid = LossFlat(SigmoidFocalLoss(alpha=0.25), thresh=0.3)
    probs = sigmoid.activation(logits)
    torch.testing.assert_close(probs, torch.sigmoid(logits))
    assert sigmoid.decodes(probs).tolist() == [[True, False], [True, True]]
    multi_hot = torch.tensor([[1, 0], [0, 1]])  # integer targets are made float for a sigmoid loss
    torch.testing.assert_close(sigmoid(logits, multi_hot), SigmoidFocalLoss(alpha=0.25)(logits.view(-1),
                                                                                          multi_hot.view(-1).float()))
    per_class = LossFlat(ClassBalancedLoss([90, 10], loss="focal"))
    assert per_class.decodes(per_class.activation(logits)).tolist() == [0, 1]
    assert LossFlat(AsymmetricLoss()).kind == "sigmoid"
    sigmoid.reduction = "none"  # what fastai's get_preds(with_loss=True) does
    assert sigmoid.func.reduction == "none" and sigmoid(logits, multi_hot).shape == (4,)
    with pytest.raises(TypeError, match="imbalance.torch"):
        LossFlat(torch.nn.CrossEntropyLoss())


def test_weighted_cross_entropy_weighs_n_over_count():
    y = np.array(["a"] * 90 + ["b"] * 10)
    loss = weighted_cross_entropy(y)
    assert isinstance(loss, CrossEntropyLossFlat)
    torch.testing.assert_close(loss.func.weight, torch.tensor([100 / 90, 100 / 10]))
    assert list(class_weights(y).values()) == pytest.approx([100 / 90, 10.0])
    logits, targets = torch.randn(6, 2, generator=torch.Generator().manual_seed(0)), torch.tensor([0, 1, 0, 0, 1, 0])
    expected = torch.nn.functional.cross_entropy(logits, targets, weight=torch.tensor([100 / 90, 10.0]))
    torch.testing.assert_close(loss(logits, targets), expected)


def test_a_learner_trains_with_our_loss_and_predicts_with_its_activation(churn_dls):
    torch.manual_seed(0)
    learn = tabular_learner(churn_dls, layers=[32], loss_func=LossFlat(SoftmaxFocalLoss(gamma=2.0)))
    learn.fit(1, lr=1e-2)
    probs, targets = learn.get_preds()
    assert probs.shape == (1000, 2)
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(1000))  # softmax applied by get_preds
    row = load_churn().astype({"LABEL": object}).iloc[0]
    row["LABEL"] = "stayed"
    _, decoded, row_probs = learn.predict(row)
    assert int(decoded) == int(row_probs.argmax())


def test_epoch_sampler_draws_balanced_epochs_and_leaves_validation_alone(churn_dls):
    labels = np.asarray(churn_dls.train_ds.ys).ravel()
    counts = np.bincount(labels)
    seen = []

    class Record(EpochSampler):
        def before_epoch(self):
            super().before_epoch()
            seen.append(list(self.dls.train.get_idxs()))

    torch.manual_seed(0)
    learn = tabular_learner(churn_dls, layers=[16], loss_func=weighted_cross_entropy(labels),
                            cbs=Record(lambda y: ClassBalancedSampler(y, strategy="over", seed=0)))
    n_before = churn_dls.train.n
    learn.fit(2, lr=1e-2)
    assert len(seen) == 2 and seen[0] != seen[1]  # set_epoch: a new draw each epoch
    for epoch in seen:
        assert np.bincount(labels[epoch]).tolist() == [counts.max()] * 2  # over-sampled to 1:1, exactly
    assert churn_dls.train.n == n_before  # the DataLoader is as it was after fit
    assert len(learn.get_preds()[1]) == 1000  # validation: every row once


def test_epoch_sampler_keeps_a_batch_samplers_batches_whole(churn_dls):
    labels = np.asarray(churn_dls.train_ds.ys).ravel()
    batches = []

    class Record(EpochSampler):
        def before_epoch(self):
            super().before_epoch()
            idxs = self.dls.train.get_idxs()
            batches.extend(np.array_split(np.asarray(idxs), range(64, len(idxs), 64)))

    learn = tabular_learner(churn_dls, layers=[8],
                            cbs=Record(StratifiedBatchSampler(labels, batch_size=64, balanced=True, seed=0)))
    learn.fit(1, lr=1e-2)
    assert all(np.bincount(labels[b], minlength=2).tolist() == [32, 32] for b in batches)
    wrong = tabular_learner(churn_dls, layers=[8], cbs=EpochSampler(StratifiedBatchSampler(labels, batch_size=50)))
    with pytest.raises(ValueError, match="batch_size"):
        wrong.fit(1)


def test_integrations_stay_out_of_import_imbalance():
    import subprocess
    import sys
    code = ("import sys, imbalance, imbalance.torch; "
            "print(sorted(m for m in ('keras', 'fastai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_train_labels_of_a_tabular_set_are_its_codes(churn_dls):
    ys = churn_dls.train_ds.ys
    assert isinstance(ys, pd.DataFrame) and set(np.asarray(ys).ravel()) == {0, 1}
