"""Losses and FDS for a numeric target, on real torch (CPU): each against its formula written
out here, gradients by gradcheck, finite at extreme errors."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from imbalance.regression import lds_kernel  # noqa: E402
from imbalance.torch.regression import (  # noqa: E402
    BalancedMSELoss,
    FeatureDistributionSmoothing,
    FocalL1Loss,
    FocalMSELoss,
    WeightedL1Loss,
    WeightedMSELoss,
    balanced_mse_loss,
    focal_l1_loss,
    focal_mse_loss,
    weighted_l1_loss,
    weighted_mse_loss,
)


def pair(n=12, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, generator=g, dtype=dtype), torch.randn(n, 1, generator=g, dtype=dtype) * 2


def test_weighted_losses_are_their_formulas_and_modules_delegate():
    x, y = pair()
    w = torch.linspace(0.5, 2, 12, dtype=torch.float64)
    assert torch.allclose(weighted_mse_loss(x, y, w), (w[:, None] * (x - y) ** 2).mean())
    assert torch.allclose(weighted_l1_loss(x, y, w, reduction="sum"), (w[:, None] * (x - y).abs()).sum())
    assert torch.allclose(weighted_mse_loss(x, y), torch.nn.functional.mse_loss(x, y))
    assert torch.equal(WeightedMSELoss(reduction="none")(x, y, w), weighted_mse_loss(x, y, w, reduction="none"))
    assert torch.equal(WeightedL1Loss()(x, y, w), weighted_l1_loss(x, y, w))
    with pytest.raises(ValueError, match="one value per row"):
        weighted_mse_loss(x, y, w[:5])
    with pytest.raises(ValueError, match="reduction"):
        WeightedMSELoss(reduction="avg")


@pytest.mark.parametrize("activate", ["sigmoid", "tanh"])
def test_focal_r_is_its_formula(activate):
    x, y = pair()
    e = x - y
    a = torch.tanh(0.3 * e.abs()) if activate == "tanh" else 2 * torch.sigmoid(0.3 * e.abs()) - 1
    assert torch.allclose(focal_mse_loss(x, y, beta=0.3, gamma=2, activate=activate), (e ** 2 * a ** 2).mean())
    assert torch.allclose(focal_l1_loss(x, y, beta=0.3, gamma=1, activate=activate), (e.abs() * a).mean())
    module = FocalL1Loss(beta=0.3, gamma=1, activate=activate)
    assert torch.equal(module(x, y), focal_l1_loss(x, y, beta=0.3, activate=activate))
    # 2 sigmoid(z) - 1 = tanh(z / 2)
    assert torch.allclose(focal_mse_loss(x, y, beta=0.4), focal_mse_loss(x, y, beta=0.2, activate="tanh"))
    with pytest.raises(ValueError, match="activate"):
        FocalMSELoss(activate="relu")
    x.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda p: focal_mse_loss(p, y, beta=0.3, gamma=1.5, activate=activate), (x,))
    assert torch.autograd.gradcheck(lambda p: focal_l1_loss(p, y + 0.01, beta=0.3, gamma=1.5, activate=activate),
                                    (x,))


def gai_closed_form(x, y, var, pi, mu, v):
    """-log N(y; x, var) + log sum_k pi_k N(x; mu_k, v_k + var), times 2 var (2 pi cancels)."""
    x, y = x.reshape(-1), y.reshape(-1)
    nll = 0.5 * math.log(2 * math.pi * var) + (x - y) ** 2 / (2 * var)
    s = v[None] + var
    mix = (pi[None] * np.exp(-(x[:, None] - mu[None]) ** 2 / (2 * s)) / np.sqrt(2 * math.pi * s)).sum(1)
    return (nll + np.log(mix)) * 2 * var


def test_balanced_mse_gai_is_its_closed_form():
    x, y = pair(20, seed=1)
    pi, mu, v = np.array([0.6, 0.3, 0.1]), np.array([0.0, 2.0, 6.0]), np.array([1.0, 0.5, 2.0])
    for var in (0.3, 1.0, 4.0):
        got = balanced_mse_loss(x, y, var, kind="gai", means=mu, variances=v, weights=pi, reduction="none")
        np.testing.assert_allclose(got.numpy().reshape(-1), gai_closed_form(x.numpy(), y.numpy(), var, pi, mu, v),
                                   rtol=1e-12)


def test_balanced_mse_bmc_and_bni_are_their_formulas():
    x, y = pair(16, seed=2)
    var = 0.7
    xn, yn = x.numpy().reshape(-1), y.numpy().reshape(-1)
    logits = -(xn[:, None] - yn[None]) ** 2 / (2 * var)
    ce = -(logits[np.arange(16), np.arange(16)] - np.log(np.exp(logits).sum(1)))
    np.testing.assert_allclose(balanced_mse_loss(x, y, var, kind="bmc").item(), (ce * 2 * var).mean(), rtol=1e-12)
    centres, shares = np.array([-2.0, 0.0, 1.0, 3.0]), np.array([0.1, 0.5, 0.3, 0.1])
    expected = ((xn - yn) ** 2 / (2 * var) + 0.5 * np.log(var)
                + np.log((shares[None] * np.exp(-(xn[:, None] - centres[None]) ** 2 / (2 * var))).sum(1))) * 2 * var
    got = balanced_mse_loss(x, y, var, kind="bni", means=centres, weights=shares, reduction="none")
    np.testing.assert_allclose(got.numpy().reshape(-1), expected, rtol=1e-12)


@pytest.mark.parametrize("kind", ["bmc", "gai", "bni"])
def test_balanced_mse_gradients_pass_gradcheck_in_the_prediction_and_the_noise(kind):
    x, y = pair(8, seed=3)
    x.requires_grad_(True)
    sigma = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    extra = {"bmc": {}, "gai": dict(means=[0.0, 2.0], variances=[1.0, 0.5], weights=[0.7, 0.3]),
             "bni": dict(means=[-1.0, 0.0, 1.0], weights=[0.2, 0.5, 0.3])}[kind]

    def loss(pred, s):
        # the paper scales by 2 sigma^2 detached: the gradient in sigma is the unscaled
        # objective's times that scale, so dividing it back out gives the objective's own
        return balanced_mse_loss(pred, y, s ** 2, kind=kind, **extra) / (2 * s ** 2).detach()

    assert torch.autograd.gradcheck(loss, (x, sigma))


def test_balanced_mse_is_finite_at_extreme_errors():
    x = torch.tensor([[1e4], [-1e4], [0.0]], requires_grad=True)
    y = torch.tensor([[-1e4], [1e4], [0.0]])
    for kind, extra in (("bmc", {}), ("gai", dict(means=[0.0], variances=[1.0], weights=[1.0])),
                        ("bni", dict(means=[0.0, 1.0], weights=[0.5, 0.5]))):
        out = balanced_mse_loss(x, y, 1e-3, kind=kind, **extra)
        out.backward()
        assert torch.isfinite(out) and torch.isfinite(x.grad).all()
        x.grad = None


def test_the_module_learns_its_noise_and_fits_its_training_distribution():
    rng = np.random.default_rng(0)
    y_train = np.r_[rng.normal(0, 1, 900), rng.normal(6, 1, 100)]
    from sklearn.mixture import GaussianMixture

    gai = BalancedMSELoss.from_targets(y_train, "gai", n_components=2)
    assert isinstance(gai.noise_sigma, torch.nn.Parameter)
    mixture = GaussianMixture(2, random_state=0).fit(y_train[:, None])
    np.testing.assert_allclose(gai.weights.numpy(), mixture.weights_, rtol=1e-6)
    np.testing.assert_allclose(gai.means.numpy(), mixture.means_[:, 0], rtol=1e-6)
    np.testing.assert_allclose(gai.variances.numpy(), mixture.covariances_.reshape(-1), rtol=1e-6)
    np.testing.assert_allclose(sorted(gai.weights.tolist()), [0.1, 0.9], atol=0.03)
    assert set(gai.state_dict()) == {"noise_sigma", "means", "variances", "weights"}
    bni = BalancedMSELoss.from_targets(y_train, "bni", bins=20, learnable=False)
    assert not isinstance(bni.noise_sigma, torch.nn.Parameter)
    assert bni.weights.sum().item() == pytest.approx(1.0)
    x, y = pair(10)
    assert torch.allclose(gai(x.float(), y.float()),
                          balanced_mse_loss(x.float(), y.float(), gai.noise_sigma ** 2, kind="gai", means=gai.means,
                                            variances=gai.variances, weights=gai.weights))
    # the noise is learned: one step moves it
    optimiser = torch.optim.SGD(gai.parameters(), lr=0.1)
    before = gai.noise_sigma.item()
    gai(x.float(), y.float()).backward()
    optimiser.step()
    assert gai.noise_sigma.item() != before
    with pytest.raises(ValueError, match="needs the training targets"):
        BalancedMSELoss("gai")
    with pytest.raises(ValueError, match="1-D target"):
        balanced_mse_loss(torch.zeros(4, 2), torch.zeros(4, 2), 1.0)


def test_fds_statistics_smoothing_and_calibration_are_their_formulas():
    torch.manual_seed(0)
    edges = np.linspace(0, 10, 11)
    fds = FeatureDistributionSmoothing(3, edges, size=5, sigma=2.0, momentum=0.5, start_smooth=1)
    target = torch.rand(400) * 8  # bins 8 and 9 stay empty
    features = torch.randn(400, 3) + target[:, None]
    identity = fds.train()(features, target)
    assert torch.equal(identity, features)  # before start_smooth
    for batch in range(4):
        fds.update(features[batch * 100:(batch + 1) * 100], target[batch * 100:(batch + 1) * 100])
    fds.end_epoch()
    b = np.minimum(np.floor(target.numpy()).astype(int), 9)
    z = features.numpy().astype(np.float64)
    mean = np.array([z[b == k].mean(0) if (b == k).any() else np.zeros(3) for k in range(10)])
    var = np.array([z[b == k].var(0) if (b == k).any() else np.ones(3) for k in range(10)])
    np.testing.assert_allclose(fds.running_mean.numpy(), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fds.running_var.numpy(), var, rtol=1e-4, atol=1e-6)
    window, seen = lds_kernel("gaussian", 5, 2.0), np.arange(10) < 8
    smoothed = np.empty_like(mean)
    for k in range(10):
        js = [j for j in range(k - 2, k + 3) if 0 <= j < 10 and seen[j]]
        w = np.array([window[j - k + 2] for j in js])
        smoothed[k] = (w[:, None] * mean[js]).sum(0) / w.sum() if js else mean[k]
    np.testing.assert_allclose(fds.smoothed_mean.numpy(), smoothed, rtol=1e-5, atol=1e-6)
    out = fds(features, target)
    sm, sv = fds.smoothed_mean.numpy()[b], fds.smoothed_var.numpy()[b]
    rm, rv = fds.running_mean.numpy()[b], fds.running_var.numpy()[b]
    expected = (z - rm) * np.sqrt((sv + 1e-6) / (rv + 1e-6)) + sm
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-4, atol=1e-5)
    assert torch.equal(fds.eval()(features, target), features)
    # the second epoch folds in with the momentum
    fds.update(features * 2, target)
    fds.end_epoch()
    np.testing.assert_allclose(fds.running_mean.numpy()[:8], 0.5 * mean[:8] + 0.5 * 2 * mean[:8], rtol=1e-5, atol=1e-6)
