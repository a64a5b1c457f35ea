"""Every loss against a direct float64 formula written here, plus gradients and stability."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402
from torch.autograd import gradcheck, gradgradcheck  # noqa: E402

import imbalance  # noqa: E402
import imbalance.torch as it  # noqa: E402
from imbalance import InputError, ParameterError  # noqa: E402

g = torch.Generator().manual_seed(0)


def randn(*shape, dtype=torch.float64, scale=2.0):
    return (torch.randn(*shape, generator=g, dtype=dtype) * scale).requires_grad_()


def bits(*shape):
    return (torch.rand(*shape, generator=g) < 0.3).double()


def classes(n, c, *rest):
    return torch.randint(0, c, (n, *rest), generator=g)


# ------------------------------------------------------------------ references (float64, direct)


def ref_sigmoid_focal(x, y, alpha=None, gamma=2.0):
    x, y = x.detach().double().numpy(), y.detach().double().numpy()
    p = 1 / (1 + np.exp(-x))
    pt = p * y + (1 - p) * (1 - y)
    ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    loss = ce * (1 - pt) ** gamma
    if alpha is not None:
        a = np.asarray(alpha, dtype=float)
        if a.ndim == 1 and x.ndim > 1:
            a = a.reshape(-1, *([1] * (x.ndim - 2)))
        loss = loss * (a * y + (1 - a) * (1 - y))
    return loss


def ref_softmax_focal(x, t, alpha=None, gamma=2.0, smoothing=0.0, ignore_index=-100):
    x, t = x.detach().double().numpy(), t.numpy()
    x = np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    t = t.reshape(-1)
    c = x.shape[1]
    logp = x - x.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    p = np.exp(logp)
    a = np.ones(c) if alpha is None else np.asarray(alpha, dtype=float)
    losses, weights = [], []
    for i in range(len(t)):
        if t[i] == ignore_index:
            continue
        q = np.full(c, smoothing / c)
        q[t[i]] += 1 - smoothing
        losses.append(-(a * q * (1 - p[i]) ** gamma * logp[i]).sum())
        weights.append(a[t[i]])
    return np.sum(losses) / np.sum(weights)


def effective(counts, beta):
    w = np.array([(1 - beta) / (1 - beta**n) for n in counts])
    return w * len(counts) / w.sum()


# ------------------------------------------------------------------ sigmoid focal


@pytest.mark.parametrize("shape", [(64,), (16, 5), (4, 3, 6)])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.3])
def test_sigmoid_focal_matches_the_paper_formula(shape, gamma):
    x, y = randn(*shape), bits(*shape)
    ours = it.sigmoid_focal_loss(x, y, gamma=gamma, reduction="none")
    np.testing.assert_allclose(ours.detach().numpy(), ref_sigmoid_focal(x, y, gamma=gamma), rtol=1e-12, atol=1e-15)


def test_sigmoid_focal_alpha_scalar_and_per_label():
    x, y = randn(16, 4), bits(16, 4)
    ours = it.sigmoid_focal_loss(x, y, alpha=0.25, reduction="sum")
    assert ours.item() == pytest.approx(ref_sigmoid_focal(x, y, alpha=0.25).sum(), rel=1e-12)
    alpha = [0.1, 0.5, 0.7, 0.9]
    ours = it.sigmoid_focal_loss(x, y, alpha=torch.tensor(alpha, dtype=torch.float64), reduction="mean")
    assert ours.item() == pytest.approx(ref_sigmoid_focal(x, y, alpha=alpha).mean(), rel=1e-12)


def test_sigmoid_focal_soft_targets_use_the_same_formula():
    x, y = randn(32, 3), torch.rand(32, 3, generator=g, dtype=torch.float64)
    ours = it.sigmoid_focal_loss(x, y, gamma=2.0, reduction="none")
    np.testing.assert_allclose(ours.detach().numpy(), ref_sigmoid_focal(x, y), rtol=1e-12)


def test_gamma_zero_is_bce_with_logits():
    x, y = randn(50, 3), bits(50, 3)
    torch.testing.assert_close(it.sigmoid_focal_loss(x, y, gamma=0.0), F.binary_cross_entropy_with_logits(x, y))


def test_human_protein_atlas_variant_is_c_times_our_mean():
    x, y = randn(20, 28), bits(20, 28)

    def hpa_focal(logits, labels, gamma=2.0):  # the Kaggle kernel's shape of computation
        max_val = (-logits).clamp(min=0)
        loss = logits - logits * labels + max_val + ((-max_val).exp() + (-logits - max_val).exp()).log()
        invprobs = F.logsigmoid(-logits * (labels * 2.0 - 1.0))
        loss = (invprobs * gamma).exp() * loss
        return loss.sum(dim=1).mean()

    torch.testing.assert_close(hpa_focal(x, y), 28 * it.sigmoid_focal_loss(x, y))


# ------------------------------------------------------------------ softmax focal


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 0.7])
@pytest.mark.parametrize("with_alpha", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_softmax_focal_matches_the_formula(gamma, with_alpha, smoothing):
    x, t = randn(40, 5), classes(40, 5)
    t[::7] = -100
    alpha = torch.tensor([0.1, 2.0, 1.0, 0.5, 3.0], dtype=torch.float64) if with_alpha else None
    ours = it.softmax_focal_loss(x, t, alpha=alpha, gamma=gamma, label_smoothing=smoothing)
    ref = ref_softmax_focal(x, t, None if alpha is None else alpha.numpy(), gamma, smoothing)
    assert ours.item() == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_softmax_focal_gamma_zero_is_weighted_cross_entropy(smoothing, reduction):
    x, t = randn(30, 4, 3), classes(30, 4, 3)  # (N, C, d) with C = 4
    t[0, 0] = -100
    w = torch.tensor([0.5, 1.0, 2.0, 4.0], dtype=torch.float64)
    ours = it.softmax_focal_loss(x, t, alpha=w, gamma=0.0, label_smoothing=smoothing, reduction=reduction)
    ref = F.cross_entropy(x, t, weight=w, label_smoothing=smoothing, reduction=reduction)
    torch.testing.assert_close(ours, ref)


def test_softmax_focal_p_t_ignores_the_weights():
    # A weighted CE turned into p_t = exp(-CE) (the common bug) would change the focal term.
    x, t = randn(10, 3), classes(10, 3)
    alpha = torch.tensor([5.0, 1.0, 1.0], dtype=torch.float64)
    per_row = it.softmax_focal_loss(x, t, alpha=alpha, reduction="none")
    plain = it.softmax_focal_loss(x, t, reduction="none")
    torch.testing.assert_close(per_row, plain * alpha[t])


# ------------------------------------------------------------------ class-balanced


@pytest.mark.parametrize("kind", ["softmax", "sigmoid", "focal"])
def test_class_balanced_matches_the_formula(kind):
    counts = [500, 40, 3]
    x, t = randn(12, 3), classes(12, 3)
    w = torch.tensor(effective(counts, 0.999))
    if kind == "softmax":
        base = F.cross_entropy(x, t, reduction="none")
    else:
        onehot = F.one_hot(t, 3).double()
        gamma = 2.0 if kind == "focal" else 0.0
        base = torch.tensor(ref_sigmoid_focal(x, onehot, gamma=gamma).sum(1))
    ours = it.class_balanced_loss(x, t, it.class_balanced_weights(counts, beta=0.999, dtype=x.dtype), loss=kind)
    assert ours.item() == pytest.approx((w[t] * base).mean().item(), rel=1e-12)
    module = it.ClassBalancedLoss(counts, beta=0.999, loss=kind)
    torch.testing.assert_close(module(x, t), ours)


def test_class_balanced_weights_are_the_foundations():
    counts = [500, 40, 3]
    y = np.repeat([0, 1, 2], counts)
    module = it.ClassBalancedLoss(counts, beta=0.99)
    expected = list(imbalance.class_weights(y, "effective", beta=0.99, normalize="classes").values())
    np.testing.assert_allclose(module.weight.numpy(), expected, rtol=1e-6)


def test_class_balanced_is_finite_far_below_minus_88_in_float32():
    x = torch.full((4, 3), -500.0, requires_grad=True)
    t = torch.tensor([0, 1, 2, 0])
    for kind in ("softmax", "sigmoid", "focal"):
        loss = it.class_balanced_loss(x, t, it.class_balanced_weights([10, 5, 1]), loss=kind)
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(x.grad).all()
        x.grad = None


# ------------------------------------------------------------------ logit adjusted


def test_logit_adjusted_matches_the_formula_and_tau_one_is_balanced_softmax():
    counts = torch.tensor([900.0, 90.0, 10.0], dtype=torch.float64)
    x, t = randn(25, 3), classes(25, 3)
    prior = counts / counts.sum()
    for tau in (0.5, 1.0, 2.0):
        ours = it.logit_adjusted_loss(x, t, it.log_class_prior(counts, dtype=x.dtype), tau=tau)
        torch.testing.assert_close(ours, F.cross_entropy(x + tau * prior.log(), t))
    # Balanced Softmax (Ren et al.): -log(n_y e^{x_y} / sum_c n_c e^{x_c})
    num = counts[t] * x.exp().gather(1, t[:, None]).squeeze(1)
    den = (counts * x.exp()).sum(1)
    torch.testing.assert_close(it.logit_adjusted_loss(x, t, it.log_class_prior(counts, dtype=x.dtype), tau=1.0), (-(num / den).log()).mean())
    module = it.LogitAdjustedLoss(counts.tolist(), tau=1.0)
    torch.testing.assert_close(module(x, t), it.logit_adjusted_loss(x, t, it.log_class_prior(counts)))


def test_post_hoc_adjustment():
    x = randn(6, 3)
    counts = [600, 300, 100]
    torch.testing.assert_close(it.adjust_logits(x, it.log_class_prior(counts, dtype=x.dtype), tau=1.5), x - 1.5 * torch.tensor(np.log(np.array(counts) / 1000)))
    assert it.adjust_logits(x[0], it.log_class_prior(counts)).shape == (3,)


# ------------------------------------------------------------------ LDAM + DRW


def test_ldam_matches_the_formula():
    counts = [1000, 100, 10, 1]
    x, t = randn(20, 4, scale=0.5), classes(20, 4)
    m = np.array(counts, dtype=float) ** -0.25
    m = m * 0.5 / m.max()
    np.testing.assert_allclose(it.ldam_margins(counts).numpy(), m, rtol=1e-6)
    shifted = x.detach().clone()
    shifted[torch.arange(20), t] -= torch.tensor(m)[t]
    ref = F.cross_entropy(30.0 * shifted, t)
    assert it.ldam_loss(x, t, it.ldam_margins(counts, dtype=x.dtype)).item() == pytest.approx(ref.item(), rel=1e-6)
    w = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    ref_w = F.cross_entropy(30.0 * shifted, t, weight=w)
    assert it.LDAMLoss(counts, weight=w)(x, t).item() == pytest.approx(ref_w.item(), rel=1e-6)


def test_drw_schedule():
    counts = [1000, 10]
    torch.testing.assert_close(it.drw_weights(counts, 3, start_epoch=5), torch.ones(2))
    late = it.drw_weights(counts, 5, start_epoch=5, beta=0.999)
    np.testing.assert_allclose(late.numpy(), effective(counts, 0.999), rtol=1e-6)


# ------------------------------------------------------------------ asymmetric


@pytest.mark.parametrize("clip", [0.0, 0.05, 0.2])
def test_asymmetric_matches_the_formula(clip):
    x, y = randn(16, 6), bits(16, 6)
    xn, yn = x.detach().numpy(), y.numpy()
    p = 1 / (1 + np.exp(-xn))
    pm = np.maximum(p - clip, 0)
    ref = -(yn * (1 - p) ** 1.0 * np.log(p) + (1 - yn) * pm**4.0 * np.log(1 - pm))
    ours = it.asymmetric_loss(x, y, gamma_neg=4.0, gamma_pos=1.0, clip=clip, reduction="none")
    np.testing.assert_allclose(ours.detach().numpy(), ref, rtol=1e-10, atol=1e-14)
    torch.testing.assert_close(it.AsymmetricLoss(clip=clip, reduction="sum")(x, y), ours.sum())


# ------------------------------------------------------------------ gradients, stability, dtypes


def all_losses():
    counts = [50, 10, 2]
    return {
        "sigmoid_focal": (lambda x, y, t: it.sigmoid_focal_loss(x, y, alpha=0.25, gamma=2.0)),
        "sigmoid_focal_g05": (lambda x, y, t: it.sigmoid_focal_loss(x, y, gamma=0.5)),
        "softmax_focal": (lambda x, y, t: it.softmax_focal_loss(x, t, alpha=torch.tensor([1.0, 2.0, 3.0]), gamma=2.0)),
        "softmax_focal_smooth": (lambda x, y, t: it.softmax_focal_loss(x, t, gamma=0.5, label_smoothing=0.1)),
        "class_balanced": (lambda x, y, t: it.class_balanced_loss(x, t, it.class_balanced_weights(counts), loss="focal")),
        "logit_adjusted": (lambda x, y, t: it.logit_adjusted_loss(x, t, it.log_class_prior(counts))),
        "ldam": (lambda x, y, t: it.ldam_loss(x, t, it.ldam_margins(counts), s=5.0)),
        "asymmetric": (lambda x, y, t: it.asymmetric_loss(x, y)),
        "asymmetric_noclip": (lambda x, y, t: it.asymmetric_loss(x, y, clip=0.0)),
    }


@pytest.mark.parametrize("name", list(all_losses()))
def test_gradcheck(name):
    fn = all_losses()[name]
    x = randn(6, 3, scale=1.5)
    y, t = bits(6, 3), classes(6, 3)
    assert gradcheck(lambda inp: fn(inp, y, t), (x,), eps=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", list(all_losses()))
@pytest.mark.parametrize("value", [100.0, -100.0])
def test_finite_loss_and_gradient_at_extreme_logits_float32(name, value):
    fn = all_losses()[name]
    x = torch.full((6, 3), value)
    x[::2, 1] = -value  # confident right and confident wrong, both
    x.requires_grad_()
    y, t = bits(6, 3).float(), classes(6, 3)
    loss = fn(x, y, t)
    loss.backward()
    assert torch.isfinite(loss), loss
    assert torch.isfinite(x.grad).all()


def test_focal_is_exact_on_confident_predictions():
    # torchvision's 1 - p_t rounds to 0 here; ours keeps sigma(-20) = 2.06e-9 in float32.
    x = torch.tensor([20.0, -20.0])
    y = torch.tensor([1.0, 0.0])
    loss = it.sigmoid_focal_loss(x, y, gamma=1.0, reduction="none")
    expected = math.exp(-20) / (1 + math.exp(-20)) * math.log1p(math.exp(-20))
    np.testing.assert_allclose(loss.numpy(), [expected, expected], rtol=1e-5)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_inputs(dtype):
    x32, y, t = randn(32, 3, dtype=torch.float32).detach(), bits(32, 3).float(), classes(32, 3)
    for name, fn in all_losses().items():
        x = x32.to(dtype).requires_grad_()
        loss = fn(x, y, t)
        assert loss.dtype == dtype, name
        loss.backward()
        assert x.grad.dtype == dtype and torch.isfinite(x.grad.float()).all(), name
        ref = fn(x.detach().float(), y, t)
        assert loss.float().item() == pytest.approx(ref.item(), rel=2e-2, abs=1e-2), name


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_reductions_are_consistent(reduction):
    x, y, t = randn(8, 3), bits(8, 3), classes(8, 3)
    none = it.sigmoid_focal_loss(x, y, reduction="none")
    out = it.sigmoid_focal_loss(x, y, reduction=reduction)
    expected = {"none": none, "mean": none.mean(), "sum": none.sum()}[reduction]
    torch.testing.assert_close(out, expected)
    none = it.softmax_focal_loss(x, t, reduction="none")
    assert none.shape == (8,)
    torch.testing.assert_close(it.softmax_focal_loss(x, t, reduction="sum"), none.sum())
    assert it.class_balanced_loss(x, t, it.class_balanced_weights([3, 2, 1]), reduction="none").shape == (8,)
    assert it.asymmetric_loss(x, y, reduction="none").shape == (8, 3)


def test_modules_equal_functions_and_buffers_move():
    x, y, t = randn(8, 3), bits(8, 3), classes(8, 3)
    pairs = [
        (it.SigmoidFocalLoss(alpha=[0.2, 0.5, 0.8]), lambda: it.sigmoid_focal_loss(x, y, alpha=torch.tensor([0.2, 0.5, 0.8]))),
        (it.SoftmaxFocalLoss(alpha=[1.0, 2.0, 3.0], gamma=1.5), lambda: it.softmax_focal_loss(x, t, alpha=torch.tensor([1.0, 2.0, 3.0]), gamma=1.5)),
        (it.LDAMLoss([30, 20, 10]), lambda: it.ldam_loss(x, t, it.ldam_margins([30, 20, 10]))),
    ]
    for module, fn in pairs:
        target = y if isinstance(module, it.SigmoidFocalLoss) else t
        torch.testing.assert_close(module(x, target), fn())
    module = it.SoftmaxFocalLoss(alpha=[1.0, 2.0, 3.0])
    assert set(module.state_dict()) == {"alpha"}
    assert module.to(torch.float64).alpha.dtype == torch.float64
    assert set(it.LogitAdjustedLoss([3, 2, 1]).state_dict()) == {"log_prior"}
    assert set(it.ClassBalancedLoss([3, 2, 1]).state_dict()) == {"weight"}
    assert set(it.LDAMLoss([3, 2, 1], weight=[1, 1, 1]).state_dict()) == {"margins", "weight"}
    drw = it.LDAMLoss([3, 2, 1])
    drw.weight = it.drw_weights([3, 2, 1], 10, start_epoch=5)
    assert "weight" in drw.state_dict()


def test_ignore_index_rows_add_nothing():
    x, t = randn(10, 3), classes(10, 3)
    t2 = t.clone()
    t2[:4] = -100
    torch.testing.assert_close(it.softmax_focal_loss(x, t2), it.softmax_focal_loss(x[4:], t[4:]))
    m = it.ldam_margins([5, 3, 1], dtype=x.dtype)
    torch.testing.assert_close(it.ldam_loss(x, t2, m), it.ldam_loss(x[4:], t[4:], m))
    p = it.log_class_prior([5, 3, 1], dtype=x.dtype)
    torch.testing.assert_close(it.logit_adjusted_loss(x, t2, p), it.logit_adjusted_loss(x[4:], t[4:], p))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: it.sigmoid_focal_loss(torch.zeros(4), torch.zeros(5)), InputError, "shape"),
        (lambda: it.sigmoid_focal_loss(torch.zeros(4), torch.zeros(4), gamma=-1), ParameterError, "gamma"),
        (lambda: it.sigmoid_focal_loss(torch.zeros(4), torch.zeros(4), reduction="avg"), ParameterError, "reduction"),
        (lambda: it.softmax_focal_loss(torch.zeros(4, 3), torch.tensor([0, 1, 2, 3])), InputError, "outside"),
        (lambda: it.softmax_focal_loss(torch.zeros(4, 3), torch.zeros(4, 3)), InputError, "class indices"),
        (lambda: it.softmax_focal_loss(torch.zeros(4, 3), torch.zeros(5, dtype=torch.long)), InputError, "shape"),
        (lambda: it.softmax_focal_loss(torch.zeros(4, 3), torch.zeros(4, dtype=torch.long), alpha=[1.0, 2.0]), InputError, "one weight per class"),
        (lambda: it.softmax_focal_loss(torch.zeros(3), torch.tensor(1)), InputError, "batch dimension"),
        (lambda: it.ldam_loss(torch.zeros(4, 3), torch.zeros(4, dtype=torch.long), it.ldam_margins([1, 2])), InputError, "classes"),
        (lambda: it.class_balanced_weights([1, 0, 2]), InputError, "positive counts"),
        (lambda: it.class_balanced_loss(torch.zeros(4, 3), torch.zeros(4, dtype=torch.long), torch.ones(3), loss="l2"), ParameterError, "loss must be"),
        (lambda: it.SoftmaxFocalLoss(gamma=-0.5), ParameterError, "gamma"),
        (lambda: it.asymmetric_loss(torch.zeros(2, 2), torch.zeros(2, 2), clip=1.5), ParameterError, "clip"),
        (lambda: it.sigmoid_focal_loss(torch.zeros(4, dtype=torch.long), torch.zeros(4)), InputError, "float logits"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_torch_class_weights_and_pos_weight():
    y = np.array([0] * 80 + [1] * 15 + [2] * 5)
    w = it.torch_class_weights(y, "balanced", num_classes=3)
    np.testing.assert_allclose(w.numpy(), list(imbalance.class_weights(y, "balanced").values()), rtol=1e-6)
    loss = torch.nn.CrossEntropyLoss(weight=w)
    assert torch.isfinite(loss(torch.zeros(3, 3), torch.tensor([0, 1, 2])))
    with pytest.raises(InputError, match=r"classes \[3\] have no rows"):
        it.torch_class_weights(y, num_classes=4)
    Y = torch.tensor([[1, 0], [0, 1], [0, 0], [0, 0]])
    pw = it.torch_pos_weight(Y)
    torch.testing.assert_close(pw, torch.tensor([3.0, 3.0]))
    torch.nn.BCEWithLogitsLoss(pos_weight=pw)(torch.zeros(4, 2), Y.float())
    assert it.torch_class_weights(torch.tensor([0, 0, 1]), "inverse").tolist() == pytest.approx([1.5, 3.0])


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 3.3])
@pytest.mark.parametrize("soft", [False, True])
def test_sigmoid_focal_hand_written_gradient(gamma, soft):
    x = randn(5, 4, scale=3.0)
    y = torch.rand(5, 4, generator=g, dtype=torch.float64) if soft else bits(5, 4)
    alpha = torch.tensor([0.2, 0.4, 0.6, 0.8], dtype=torch.float64)
    assert gradcheck(lambda inp: it.sigmoid_focal_loss(inp, y, gamma=gamma, alpha=alpha, reduction="none"), (x,))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 3.3])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_softmax_focal_hand_written_gradient(gamma, reduction):
    x = randn(4, 3, 2, scale=2.0)  # (N, C, d)
    t = classes(4, 3, 2)
    t[0, 1] = -100
    alpha = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64)
    fn = lambda inp: it.softmax_focal_loss(inp, t, alpha=alpha, gamma=gamma, reduction=reduction)  # noqa: E731
    assert gradcheck(fn, (x,))


def test_softmax_focal_gradient_when_p_y_is_one():
    x = torch.tensor([[50.0, -50.0, -50.0]], requires_grad=True)  # p_y == 1 in float32
    for gamma in (0.5, 2.0):
        x.grad = None
        it.softmax_focal_loss(x, torch.tensor([0]), gamma=gamma).backward()
        assert torch.isfinite(x.grad).all() and x.grad.abs().max() < 1e-6


@pytest.mark.parametrize("clip", [0.0, 0.05])
@pytest.mark.parametrize("gammas", [(4.0, 1.0), (0.5, 0.0), (2.0, 2.0), (0.0, 0.5)])
@pytest.mark.parametrize("soft", [False, True])
def test_asymmetric_hand_written_gradient(clip, gammas, soft):
    x = randn(5, 4, scale=3.0)
    y = torch.rand(5, 4, generator=g, dtype=torch.float64) if soft else bits(5, 4)
    gamma_neg, gamma_pos = gammas
    fn = lambda inp: it.asymmetric_loss(inp, y, gamma_neg=gamma_neg, gamma_pos=gamma_pos, clip=clip, reduction="none")  # noqa: E731
    assert gradcheck(fn, (x,))


# ----------------------------------------------------------------------------- issue 11: alpha range, every gradient


def test_sigmoid_focal_alpha_follows_torchvision_convention():
    x, y = randn(64), bits(64)
    plain = it.functional.sigmoid_focal_loss(x, y, reduction="none")
    for off in (-1, -0.5):  # alpha < 0: no weighting
        torch.testing.assert_close(it.functional.sigmoid_focal_loss(x, y, alpha=off, reduction="none"), plain)
        torch.testing.assert_close(it.SigmoidFocalLoss(alpha=off, reduction="none")(x, y), plain)
    for bad in (1.5, float("nan")):
        with pytest.raises(ParameterError, match="alpha must be in \\[0, 1\\]"):
            it.functional.sigmoid_focal_loss(x, y, alpha=bad)
        with pytest.raises(ParameterError, match="alpha must be in \\[0, 1\\]"):
            it.SigmoidFocalLoss(alpha=bad)
    with pytest.raises(ParameterError, match="weights in \\[0, 1\\]"):
        it.functional.sigmoid_focal_loss(randn(8, 2), bits(8, 2), alpha=torch.tensor([0.5, 1.2]))
    assert (it.functional.sigmoid_focal_loss(x, y, alpha=1.0, reduction="none") >= 0).all()


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 1.5])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_sigmoid_focal_gradients_reach_soft_targets_and_learnable_alpha(gamma, reduction):
    x, y = randn(5, 3), torch.rand(5, 3, generator=g, dtype=torch.float64).requires_grad_()
    alpha = torch.rand(3, generator=g, dtype=torch.float64).requires_grad_()

    def loss(x, y, alpha):
        return it.functional.sigmoid_focal_loss(x, y, alpha=alpha, gamma=gamma, reduction=reduction)

    assert gradcheck(loss, (x, y, alpha))
    assert gradgradcheck(loss, (x, y, alpha))


@pytest.mark.parametrize("gamma", [0.0, 2.0, 1.5])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_focal_double_backward_has_a_graph(gamma, reduction):
    x = randn(6, 4)
    y, t = bits(6, 4), classes(6, 4)
    sigmoid = lambda x: it.functional.sigmoid_focal_loss(x, y, alpha=0.25, gamma=gamma, reduction=reduction)  # noqa: E731
    softmax = lambda x: it.functional.softmax_focal_loss(x, t, gamma=gamma, reduction=reduction)  # noqa: E731
    for loss in (sigmoid, softmax):
        assert gradgradcheck(loss, (x,))
        # a gradient penalty: the gradient has a graph back to x
        (grad,) = torch.autograd.grad(loss(x).sum(), x, create_graph=True)
        assert grad.requires_grad
        (second,) = torch.autograd.grad(grad.pow(2).sum(), x)
        assert torch.isfinite(second).all() and second.abs().sum() > 0


def test_softmax_focal_gradient_reaches_a_learnable_alpha():
    x, t = randn(7, 3), classes(7, 3)
    alpha = torch.rand(3, generator=g, dtype=torch.float64).requires_grad_()
    for reduction in ("none", "mean", "sum"):
        assert gradcheck(lambda x, a: it.functional.softmax_focal_loss(x, t, alpha=a, reduction=reduction), (x, alpha))
        assert gradgradcheck(lambda x, a: it.functional.softmax_focal_loss(x, t, alpha=a, reduction=reduction),
                             (x, alpha))


def test_backward_with_only_the_target_requiring_grad():
    x = randn(10).detach()
    y = torch.rand(10, generator=g, dtype=torch.float64).requires_grad_()
    it.functional.sigmoid_focal_loss(x, y).backward()
    # against autograd on the direct formula
    y_ref = y.detach().clone().requires_grad_()
    p = torch.sigmoid(x)
    p_t = p * y_ref + (1 - p) * (1 - y_ref)
    ce = -(y_ref * torch.log(p) + (1 - y_ref) * torch.log(1 - p))
    ((1 - p_t) ** 2 * ce).mean().backward()
    torch.testing.assert_close(y.grad, y_ref.grad)
