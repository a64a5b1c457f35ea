"""The rebalancing stream: its shares guarantee, fixed-rate thinning, determinism, DataLoader
workers reading disjoint shards, and bad input."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.utils.data import DataLoader  # noqa: E402

import imbalance.torch as it  # noqa: E402
from imbalance import InputError, InputTypeError, ParameterError  # noqa: E402


def stream_of(n, shares, seed):
    return np.random.default_rng(seed).choice(len(shares), n, p=shares).tolist()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_output_shares_reach_the_plan_once_the_rarest_class_is_seen_2000_times(seed):
    data = stream_of(120_000, [0.85, 0.12, 0.03], seed)  # the rarest class about 3,600 times
    stream = it.RebalancedStream(data, seed=seed)
    out = np.bincount(list(stream), minlength=3)
    assert out.tolist() == [stream.kept_[c] for c in range(3)]
    assert sum(stream.seen_.values()) == len(data)
    shares = out / out.sum()
    assert np.abs(shares / (1 / 3) - 1).max() < 0.05
    ratio3 = it.RebalancedStream(data, ratio=3.0, seed=seed)  # every class at most 3x the rarest
    kept = np.bincount(list(ratio3), minlength=3)
    assert kept[0] / kept[2] == pytest.approx(3, rel=0.1) and kept[1] / kept[2] == pytest.approx(3, rel=0.1)


def test_given_priors_thin_the_stream_at_fixed_rates_and_a_dict_keeps_shares():
    data = stream_of(60_000, [0.7, 0.2, 0.1], 5)
    stream = it.RebalancedStream(data, priors={0: 0.7, 1: 0.2, 2: 0.1}, seed=0, buffer_size=0)
    out = list(stream)
    rates = {c: stream.kept_[c] / stream.seen_[c] for c in range(3)}
    assert rates[2] == 1.0 and rates[0] == pytest.approx(0.1 / 0.7, abs=0.01)
    assert rates[1] == pytest.approx(0.1 / 0.2, abs=0.02)
    # no buffer: the kept items in their stream order
    assert out == [item for item, keep in zip(data, _kept_mask(data, out)) if keep]
    halves = it.RebalancedStream(data, strategy={0: 0.5, 1: 0.5}, seed=0)
    counts = np.bincount(list(halves), minlength=3)
    assert counts[2] == 0 and counts[0] / counts[1] == pytest.approx(1, rel=0.05)


def _kept_mask(data, out):
    """Which items of data appear, in order, as the subsequence out."""
    mask, j = [], 0
    for item in data:
        take = j < len(out) and out[j] == item
        mask.append(take)
        j += take
    return mask


def test_same_seed_same_stream_and_the_buffer_shuffles():
    data = stream_of(30_000, [0.9, 0.1], 1)
    first = list(it.RebalancedStream(data, seed=4))
    again = it.RebalancedStream(data, seed=4)
    assert list(again) == first
    assert list(again) != first  # the next pass is the next epoch
    plain = list(it.RebalancedStream(range(50_000), label_of=lambda i: i % 2, seed=0, buffer_size=0))
    mixed = list(it.RebalancedStream(range(50_000), label_of=lambda i: i % 2, seed=0, buffer_size=512))
    assert plain == sorted(plain) and mixed != sorted(mixed) and sorted(mixed) == sorted(set(mixed))


def test_dataloader_workers_read_disjoint_shards_of_a_generator():
    def source():  # a generator function: called again every epoch
        yield from range(40_000)

    rare_item = lambda i: (i // 2) % 20 == 0  # noqa: E731 - in both workers' shards (even and odd positions)
    stream = it.RebalancedStream(source, label_of=lambda i: int(rare_item(i)), seed=0, buffer_size=256)
    loader = DataLoader(stream, batch_size=None, num_workers=2)
    out = [int(x) for x in loader]
    assert len(out) == len(set(out))  # no item twice
    rare = sum(rare_item(i) for i in out)
    assert rare == 2_000 and abs((len(out) - rare) / rare - 1) < 0.1  # every rare item kept, as many others


def test_bad_input():
    with pytest.raises(InputError, match="iterable"):
        it.RebalancedStream(5)
    with pytest.raises(ParameterError, match="can only drop items"):
        it.RebalancedStream([1, 2], strategy="over")
    with pytest.raises(ParameterError, match="class 1 the share 0.0; each share must be a finite number > 0"):
        it.RebalancedStream([1, 2], priors={1: 0.0, 2: 1.0})


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(strategy={0: -1, 1: 1}), ParameterError, "class 0 the share -1"),
    (dict(strategy={0: float("nan"), 1: 1}), ParameterError, "class 0 the share nan"),
    (dict(strategy={0: float("inf"), 1: 1}), ParameterError, "class 0 the share inf"),
    (dict(strategy={0: 0, 1: 0}), ParameterError, "keeps nothing"),
    (dict(strategy={0: "half"}), ParameterError, "share 'half'"),
    (dict(priors={0: float("nan"), 1: 0.5}), ParameterError, "class 0 the share nan"),
    (dict(priors={0: float("inf"), 1: 0.5}), ParameterError, "class 0 the share inf"),
    (dict(priors=[0.5, 0.5]), InputTypeError, "dict class -> share"),
    (dict(priors={float("nan"): 0.5, 1: 0.5}), InputError, "NaN is none"),
])
def test_shares_are_checked_when_the_stream_is_made(kwargs, error, words):
    with pytest.raises(error) as info:
        it.RebalancedStream(range(10), **kwargs)
    assert words in str(info.value)


def test_a_class_without_a_prior_is_refused_not_dropped():
    stream = it.RebalancedStream(range(1000), label_of=lambda i: i % 2, priors={0: 0.9}, seed=0)
    with pytest.raises(InputError, match="holds class 1, which priors gives no share"):
        list(stream)


def test_nan_labels_are_refused_not_made_classes_of_their_own():
    stream = it.RebalancedStream(range(1000), label_of=lambda i: float("nan") if i % 3 else 0.0, seed=0)
    with pytest.raises(InputError, match="NaN is none"):
        list(stream)


def test_a_generator_object_is_refused_for_its_empty_second_epoch():
    with pytest.raises(InputError, match="used up after one epoch"):
        it.RebalancedStream((i for i in range(10)))
    again = it.RebalancedStream(lambda: (i for i in range(10)), label_of=lambda i: i % 2, seed=0)
    assert len(list(again)) == len(list(again)) > 0  # the function makes a new generator each epoch
