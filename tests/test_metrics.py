import numpy as np
import pytest
from sklearn import metrics as skm

from imbalance import InputError
from imbalance.metrics import METRICS, correct_prior, evaluate, g_mean_score, recall_at_precision

rng = np.random.default_rng(0)


def test_g_mean_is_the_geometric_mean_of_recalls():
    y = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2])
    pred = np.array([0, 0, 1, 0, 1, 0, 2, 2, 0])
    recalls = [3 / 4, 1 / 2, 2 / 3]
    assert g_mean_score(y, pred) == pytest.approx(np.prod(recalls) ** (1 / 3))
    assert g_mean_score([0, 0, 1, 1], [0, 0, 0, 0]) == 0.0  # one class never recognised


def test_recall_at_precision_by_brute_force():
    y = rng.integers(0, 2, 300)
    s = rng.random(300) + 0.3 * y
    best = 0.0
    for t in np.unique(s):
        pred = s >= t
        precision = (pred & (y == 1)).sum() / pred.sum()
        if precision >= 0.6:
            best = max(best, (pred & (y == 1)).sum() / (y == 1).sum())
    assert recall_at_precision(y, s, 0.6) == pytest.approx(best)


def test_evaluate_binary_equals_scikit_learn():
    y = rng.integers(0, 2, 200)
    p = np.clip(rng.random(200) * 0.6 + 0.3 * y, 0, 1)
    out = evaluate(y, p, threshold=0.4)
    pred = (p >= 0.4).astype(int)
    assert list(out) == list(METRICS)
    assert out["average_precision"] == pytest.approx(skm.average_precision_score(y, p))
    assert out["roc_auc"] == pytest.approx(skm.roc_auc_score(y, p))
    assert out["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(y, pred))
    assert out["f1"] == pytest.approx(skm.f1_score(y, pred))
    assert out["mcc"] == pytest.approx(skm.matthews_corrcoef(y, pred))
    assert out["brier"] == pytest.approx(skm.brier_score_loss(y, p))
    assert out["log_loss"] == pytest.approx(skm.log_loss(y, p))


def test_evaluate_multiclass_and_multilabel():
    y = rng.integers(0, 3, 300)
    p = rng.dirichlet([1, 1, 1], 300)
    p[np.arange(300), y] += 0.5
    p /= p.sum(1, keepdims=True)
    out = evaluate(y, p)
    assert out["roc_auc"] == pytest.approx(skm.roc_auc_score(y, p, multi_class="ovr"))
    assert out["f1"] == pytest.approx(skm.f1_score(y, p.argmax(1), average="macro"))
    assert out["brier"] == pytest.approx(np.mean(np.sum((p - np.eye(3)[y]) ** 2, axis=1)))
    Y = (rng.random((100, 3)) < 0.3).astype(int)
    P = np.clip(Y * 0.5 + rng.random((100, 3)) * 0.5, 0, 1)
    ml = evaluate(Y, P, threshold=[0.5, 0.6, 0.7])
    per_label = [skm.average_precision_score(Y[:, j], P[:, j]) for j in range(3)]
    assert ml["average_precision[2]"] == pytest.approx(per_label[2])
    assert ml["average_precision"] == pytest.approx(np.mean(per_label))
    assert ml["f1[1]"] == pytest.approx(skm.f1_score(Y[:, 1], P[:, 1] >= 0.6))


def test_prior_correction_recovers_the_true_posterior():
    # Two Gaussian classes: the exact posterior under any prior is known in closed form.
    x = np.linspace(-4, 4, 101)
    like0, like1 = np.exp(-0.5 * (x + 1) ** 2), np.exp(-0.5 * (x - 1) ** 2)

    def posterior(prior1):
        return prior1 * like1 / (prior1 * like1 + (1 - prior1) * like0)

    learnt_under_balance = posterior(0.5)  # a perfect model trained on 1:1 resampled data
    np.testing.assert_allclose(correct_prior(learnt_under_balance, [0.5, 0.5], [0.9, 0.1]), posterior(0.1))
    # Dal Pozzolo et al.: keeping a share beta of the negatives
    beta = 0.2
    p_s = posterior(0.1 / (0.1 + 0.9 * beta))
    expected = beta * p_s / (beta * p_s - p_s + 1)
    np.testing.assert_allclose(correct_prior(p_s, [0.9 * beta, 0.1], [0.9, 0.1]), expected)
    np.testing.assert_allclose(expected, posterior(0.1))


def test_prior_correction_multiclass():
    p = rng.dirichlet([1, 1, 1], 20)
    train, true = np.array([1, 1, 1]), np.array([6, 3, 1])
    manual = p * (true / true.sum()) / (train / train.sum())
    manual /= manual.sum(1, keepdims=True)
    np.testing.assert_allclose(correct_prior(p, train, true), manual)
    with pytest.raises(InputError, match="priors"):
        correct_prior(p, [1, 1], [1, 2])
