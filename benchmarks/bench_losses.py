"""Forward + backward time of each loss vs torch's own, in the same run.

    python benchmarks/bench_losses.py [--device cpu|cuda] [--rounds 21]

Sigmoid-type losses are compared with ``BCEWithLogitsLoss`` on (65536,) and (8192, 28),
softmax-type losses with ``CrossEntropyLoss`` on (4096, 1000); the sigmoid focal loss also
with torchvision's formula (``torchvision.ops.sigmoid_focal_loss``, written out here because
torchvision is not a dependency). Each round times every contender in turn (interleaved, so
that drifting machine load hits all alike); the table reports the median over rounds and the
ratio to torch's loss.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
from _timing import results

import imbalance.torch as it


def torchvision_focal(x, y, alpha=0.25, gamma=2.0):
    """torchvision.ops.sigmoid_focal_loss's computation (probability space), mean reduction."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    alpha_t = alpha * y + (1 - alpha) * (1 - y)
    return (alpha_t * loss).mean()


def time_once(fn, x, target, inner: int, sync) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        x.grad = None
        fn(x, target).backward()
    sync()
    return (time.perf_counter() - start) / inner


def run_case(shape, kind, contenders, device, rounds, inner):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(*shape, generator=gen).to(device).requires_grad_()
    if kind == "sigmoid":
        target = (torch.rand(*shape, generator=gen) < 0.1).float().to(device)
    else:
        target = torch.randint(0, shape[1], (shape[0],), generator=gen).to(device)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    for fn in contenders.values():  # warm-up
        time_once(fn, x, target, 3, sync)
    samples = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            samples[name].append(time_once(fn, x, target, inner, sync))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    device = args.device
    counts = torch.logspace(4, 1, 1000).round().tolist()  # 10,000 .. 10 rows per class

    sigmoid_contenders = {
        "BCEWithLogitsLoss": lambda x, y: F.binary_cross_entropy_with_logits(x, y),
        "torchvision focal": lambda x, y: torchvision_focal(x, y),
        "sigmoid_focal_loss": lambda x, y: it.sigmoid_focal_loss(x, y),
        "sigmoid_focal_loss alpha=0.25": lambda x, y: it.sigmoid_focal_loss(x, y, alpha=0.25),
        "asymmetric_loss": lambda x, y: it.asymmetric_loss(x, y),
    }
    alpha = torch.rand(1000).to(device)
    # made once from the counts, as a loss module's buffers are
    cb_weight = it.class_balanced_weights(counts, device=device)
    log_prior = it.log_class_prior(counts, device=device)
    margins = it.ldam_margins(counts, device=device)
    softmax_contenders = {
        "CrossEntropyLoss": lambda x, t: F.cross_entropy(x, t),
        "softmax_focal_loss": lambda x, t: it.softmax_focal_loss(x, t),
        "softmax_focal_loss alpha": lambda x, t: it.softmax_focal_loss(x, t, alpha=alpha),
        "class_balanced_loss": lambda x, t: it.class_balanced_loss(x, t, cb_weight),
        "logit_adjusted_loss": lambda x, t: it.logit_adjusted_loss(x, t, log_prior),
        "ldam_loss": lambda x, t: it.ldam_loss(x, t, margins),
    }
    cases = [
        ((65536,), "sigmoid", sigmoid_contenders, 60),
        ((8192, 28), "sigmoid", sigmoid_contenders, 25),
        ((4096, 1000), "softmax", softmax_contenders, 5),
    ]
    name = torch.cuda.get_device_name() if device == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    with results("bench_losses") as emit:
        emit(f"torch {torch.__version__} on {name}; median of {args.rounds} interleaved rounds\n")
        emit("| shape | loss | forward+backward | vs torch's loss |")
        emit("|---|---|---|---|")
        for shape, kind, contenders, inner in cases:
            times = run_case(shape, kind, contenders, device, args.rounds, inner)
            base = next(iter(times.values()))
            for loss_name, t in times.items():
                emit(f"| {shape} | {loss_name} | {t * 1e6:,.0f} µs | {t / base:.2f}x |")


if __name__ == "__main__":
    main()
