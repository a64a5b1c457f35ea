"""Samplers: exact per-class counts, determinism, DDP shards (real gloo processes), resume."""

import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import subprocesses

torch = pytest.importorskip("torch")
from torch.utils.data import ConcatDataset, DataLoader, Dataset, Subset, TensorDataset  # noqa: E402

import imbalance  # noqa: E402
import imbalance.torch as it  # noqa: E402
from imbalance import InputError, ParameterError  # noqa: E402

SCRIPTS = Path(__file__).parent / "scripts"


@st.composite
def label_arrays(draw):
    counts = draw(st.lists(st.integers(1, 60), min_size=2, max_size=6))
    y = np.repeat(np.arange(len(counts)), counts)
    return np.random.default_rng(draw(st.integers(0, 1000))).permutation(y)


# ------------------------------------------------------------------ labels protocol


class Items(Dataset):
    """A dataset whose items must never be loaded."""

    def __init__(self, targets, attribute="targets"):
        setattr(self, attribute, targets)
        self.n = len(targets)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        raise AssertionError("a sampler loaded an item")


class WithGetLabels(Items):
    def __init__(self, targets):
        super().__init__(targets, attribute="_y")

    def get_labels(self):
        return self._y


def test_labels_protocol_never_loads_items():
    y = np.array([0, 1, 1, 0, 2, 2, 2])
    np.testing.assert_array_equal(it.read_labels(Items(y)), y)
    np.testing.assert_array_equal(it.read_labels(Items(torch.tensor(y), "labels")), y)
    np.testing.assert_array_equal(it.read_labels(WithGetLabels(list(y))), y)
    np.testing.assert_array_equal(it.read_labels(Subset(Items(y), [6, 0, 2])), y[[6, 0, 2]])
    np.testing.assert_array_equal(it.read_labels(ConcatDataset([Items(y), Subset(Items(y), [1])])), np.r_[y, y[1]])
    np.testing.assert_array_equal(it.read_labels(labels=pd.Series(y)), y)
    sampler = it.ClassBalancedSampler(Subset(Items(y), [0, 1, 4, 5]))  # classes 0, 1, 2, 2
    assert sampler.plan_.targets == {0: 2, 1: 2, 2: 2}


def test_labels_errors():
    with pytest.raises(InputError, match="cannot read the labels"):
        it.read_labels(TensorDataset(torch.zeros(3)))
    with pytest.raises(InputError, match="3 items but 2 labels"):
        it.read_labels(Items([0, 1, 1]), labels=[0, 1])


# ------------------------------------------------------------------ ClassBalancedSampler


@given(y=label_arrays(), strategy=st.sampled_from(["over", "under"]), ratio=st.sampled_from([1, 1.5, 3]),
       seed=st.integers(0, 100), replacement=st.booleans())
def test_every_epoch_draws_exactly_the_plan(y, strategy, ratio, seed, replacement):
    sampler = it.ClassBalancedSampler(y, strategy=strategy, ratio=ratio, seed=seed, replacement=replacement)
    plan = imbalance.plan(y, strategy, ratio=ratio)
    for epoch in range(2):
        sampler.set_epoch(epoch)
        drawn = list(sampler)
        assert all(type(i) is int for i in drawn)
        assert len(drawn) == len(sampler) == plan.n_after
        assert dict(Counter(y[drawn].tolist())) == {c: t for c, t in plan.targets.items()}
        if not replacement:
            for c, t in plan.targets.items():
                rows = Counter(i for i in drawn if y[i] == c).values()
                n = plan.counts[c]
                assert max(rows) - min(rows) <= 1 if t >= n else max(rows) == 1


def test_determinism_and_epoch_variation():
    y = np.array([0] * 90 + [1] * 10)
    a, b = it.ClassBalancedSampler(y, seed=5), it.ClassBalancedSampler(y, seed=5)
    a.set_epoch(3)
    b.set_epoch(3)
    epoch_3 = list(a)
    assert epoch_3 == list(b)  # same (seed, epoch), same sequence
    a.set_epoch(4)
    epoch_4 = list(a)
    assert epoch_4 != epoch_3
    assert list(b) == epoch_4  # b moved on to epoch 4 by itself
    c = it.ClassBalancedSampler(y, seed=5)
    assert list(c) != list(c)  # without set_epoch, each pass moves to the next epoch
    g = torch.Generator().manual_seed(5)
    assert it.ClassBalancedSampler(y, generator=g).seed == 5


def test_power_strategy_and_num_samples():
    y = np.array([0] * 900 + [1] * 100)
    for q, expected in [(1.0, {0: 900, 1: 100}), (0.5, {0: 750, 1: 250}), (0.0, {0: 500, 1: 500})]:
        drawn = list(it.ClassBalancedSampler(y, strategy="power", q=q))
        assert dict(Counter(y[drawn].tolist())) == expected
    drawn = list(it.ClassBalancedSampler(y, strategy="power", q=0.0, num_samples=64))
    assert dict(Counter(y[drawn].tolist())) == {0: 32, 1: 32}
    drawn = list(it.ClassBalancedSampler(y, strategy="over", num_samples=301))
    assert sorted(Counter(y[drawn].tolist()).values()) == [150, 151]


def test_more_than_2_to_the_24_rows_is_fine():
    y = np.zeros(2**24 + 10, dtype=np.int8)
    y[:1000] = 1
    sampler = it.ClassBalancedSampler(y, strategy="under", ratio=2)
    idx = sampler.epoch_indices()
    assert np.bincount(y[idx]).tolist() == [2000, 1000]


def test_resume_continues_the_same_sequence():
    y = np.array([0] * 50 + [1] * 7)
    full = it.ClassBalancedSampler(y, seed=2)
    full.set_epoch(1)
    expected = list(full)
    partial = it.ClassBalancedSampler(y, seed=2)
    partial.set_epoch(1)
    iterator = iter(partial)
    head = [next(iterator) for _ in range(17)]
    state = partial.state_dict()
    assert state == {"seed": 2, "epoch": 1, "num_yielded": 17}
    resumed = it.ClassBalancedSampler(y, seed=2)
    resumed.load_state_dict(state)
    assert head + list(resumed) == expected
    with pytest.raises(ParameterError, match="seed"):
        it.ClassBalancedSampler(y, seed=3).load_state_dict(state)


def test_dataloader_with_workers():
    y = torch.tensor([0] * 40 + [1] * 8)
    data = TensorDataset(torch.arange(48.0), y)
    sampler = it.ClassBalancedSampler(y, seed=0)
    loader = DataLoader(data, batch_size=16, sampler=sampler, num_workers=2)
    labels = torch.cat([batch[1] for batch in loader])
    assert labels.bincount().tolist() == [40, 40]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"labels": [0, 1], "dataset": Items([0, 1, 1])}, InputError, "3 items but 2 labels"),
        ({"labels": [0, 1, 1], "strategy": "sideways"}, imbalance.StrategyError, "unknown strategy"),
        ({"labels": [0, 1, 1], "strategy": {5: 10}}, imbalance.StrategyError, "unknown class 5"),
        ({"labels": [0, 1, 1], "strategy": "power"}, imbalance.StrategyError, "needs q"),
        ({"labels": [0, 1, 1], "q": 0.5}, imbalance.StrategyError, "q only applies"),
        ({"labels": [0, 1, 1], "num_samples": 0}, ParameterError, "num_samples"),
        ({"labels": [0, 1, 1], "rank": 2, "num_replicas": 2}, ParameterError, "rank"),
        ({"labels": [1, 1, 1]}, imbalance.LabelError, "only one class"),
    ],
)
def test_class_balanced_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        it.ClassBalancedSampler(**kwargs)


# ------------------------------------------------------------------ StratifiedBatchSampler


@given(y=label_arrays(), batch_size=st.integers(1, 40), seed=st.integers(0, 50), drop_last=st.booleans())
def test_stratified_batches_hold_the_proportions(y, batch_size, seed, drop_last):
    sampler = it.StratifiedBatchSampler(y, batch_size=batch_size, seed=seed, drop_last=drop_last)
    batches = list(sampler)
    assert len(batches) == len(sampler)
    n, counts = y.size, np.bincount(y)
    for batch in batches:
        assert len(batch) == batch_size or (batch is batches[-1] and not drop_last)
        share = len(batch) * counts / n
        got = np.bincount(y[batch], minlength=counts.size)
        assert np.all(got >= np.floor(share) - 1e-9) and np.all(got <= np.ceil(share) + 1e-9), (got, share)
    flat = sorted(i for batch in batches for i in batch)
    if not drop_last:
        assert flat == list(range(n))  # every row exactly once
    else:
        assert len(set(flat)) == len(flat)


@given(y=label_arrays(), extra=st.integers(0, 7), seed=st.integers(0, 50))
def test_balanced_batches_have_equal_quotas(y, extra, seed):
    k = np.unique(y).size
    batch_size = k + extra
    sampler = it.StratifiedBatchSampler(y, batch_size=batch_size, balanced=True, num_batches=9, seed=seed)
    batches = list(sampler)
    assert len(batches) == 9
    for batch in batches:
        got = np.bincount(y[batch], minlength=k)
        assert got.sum() == batch_size and got.max() - got.min() <= 1


def test_batches_are_lists_of_ints_and_vary_by_epoch():
    y = np.array([0] * 30 + [1] * 10)
    sampler = it.StratifiedBatchSampler(y, batch_size=8, seed=1)
    first = list(sampler)
    assert all(type(i) is int for b in first for i in b)
    assert first != list(sampler)
    loader = DataLoader(TensorDataset(torch.arange(40)), batch_sampler=sampler, num_workers=2)
    assert sum(len(b[0]) for b in loader) == 40


def test_stratified_bad_input():
    with pytest.raises(ParameterError, match="smaller than the 3 classes"):
        it.StratifiedBatchSampler([0, 1, 2, 2], batch_size=2, balanced=True)
    with pytest.raises(ParameterError, match="batch_size"):
        it.StratifiedBatchSampler([0, 1], batch_size=0)
    with pytest.raises(ParameterError, match="num_batches only applies"):
        it.StratifiedBatchSampler([0, 1], batch_size=1, num_batches=3)


# ------------------------------------------------------------------ MultilabelBalancedSampler


def test_multilabel_rule_gives_each_label_its_draws():
    rng = np.random.default_rng(0)
    Y = (rng.random((2000, 5)) < [0.5, 0.2, 0.05, 0.02, 0.01]).astype(int)
    sampler = it.MultilabelBalancedSampler(Y, num_samples=6000, background=0.0, seed=0)
    drawn = np.array(list(sampler))
    assert drawn.size == 6000
    # every draw comes from a row carrying a label; each label got its 1200 draws, so its
    # count is at least 1200 plus what co-occurrence adds
    assert Y[drawn].any(axis=1).all()
    per_label = Y[drawn].sum(axis=0)
    assert (per_label >= 1200).all()
    random_counts = Y[rng.integers(0, 2000, 6000)].sum(axis=0)
    assert per_label[-1] > 10 * random_counts[-1]  # rare labels are no longer rare
    assert per_label.max() / per_label.min() < random_counts.max() / random_counts.min()


def test_multilabel_background_and_errors():
    Y = np.array([[1, 0], [0, 1], [0, 0], [0, 0]])
    sampler = it.MultilabelBalancedSampler(Y, num_samples=100, background=0.2)
    drawn = np.array(list(sampler))
    assert (~Y[drawn].any(axis=1)).sum() == 20
    with pytest.raises(InputError, match="no positive rows"):
        it.MultilabelBalancedSampler(np.array([[1, 0], [1, 0]]))
    with pytest.raises(imbalance.LabelError, match="0/1"):
        it.MultilabelBalancedSampler(np.array([[2, 0], [1, 1]]))


# ------------------------------------------------------------------ DDP, two real processes


@pytest.mark.slow
def test_ddp_shards_are_disjoint_and_cover_the_plan(tmp_path):
    out = tmp_path / "shards.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocesses.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                               SCRIPTS / "ddp_samplers.py", out], env=env, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text())
    stream = data.pop("_stream")  # the rebalanced stream: every rank reads its own items, once
    first, second = (set(part) for part in stream["shards"])
    assert not first & second and {item % 2 for item in first} == {0} and {item % 2 for item in second} == {1}
    kept = [sum((item // 2) % 10 == 0 for item in part) for part in stream["shards"]]
    assert all(abs(k / (len(part) - k) - 1) < 0.15 for k, part in zip(kept, stream["shards"]))  # 1:1 on each rank
    for name, entry in data.items():
        shards, plan, world = entry["shards"], entry["plan"], entry["world"]
        assert world == 2
        assert len(shards[0]) == len(shards[1]), name  # same length on every rank
        merged = [item for pair in zip(*shards) for item in pair]  # interleaved, as sharded
        if name == "under_drop_last":
            assert merged == plan[: len(merged)] and len(plan) - len(merged) < world
        else:
            padding = len(merged) - len(plan)
            assert 0 <= padding < world, name
            assert merged == plan + plan[:padding], name  # the union is the epoch plan


# ------------------------------------------------------------------ weighted sampling


def test_weighted_exact_mode_gives_every_row_the_floor_or_ceil_of_its_expected_count():
    w = np.random.default_rng(1).random(1000) ** 3
    w[::7] = 0
    sampler = it.WeightedSampler(w, num_samples=2500, exact=True, seed=4)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        counts = np.bincount(list(sampler), minlength=w.size)
        e = sampler.expected_counts()
        assert ((counts == np.floor(e)) | (counts == np.ceil(e))).all() and counts.sum() == 2500
        assert (counts[::7] == 0).all()


def test_weighted_draws_follow_the_weights():
    from scipy import stats

    w = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 10.0])
    sampler = it.WeightedSampler(w, num_samples=60_000, seed=0)
    counts = np.bincount(list(sampler), minlength=w.size)
    assert counts[0] == 0
    expected = 60_000 * w[1:] / w.sum()
    assert stats.chisquare(counts[1:], expected).pvalue > 1e-3
    # without replacement: distinct rows, never a zero weight; a row's chance to come first
    firsts = np.zeros(w.size)
    alone = it.WeightedSampler(w, num_samples=3, replacement=False, seed=0)
    for epoch in range(4000):
        alone.set_epoch(epoch)
        drawn = alone.epoch_indices()
        assert len(set(drawn.tolist())) == 3 and 0 not in drawn
        single = it.WeightedSampler(w, num_samples=1, replacement=False, seed=epoch).epoch_indices()
        firsts[single[0]] += 1
    assert stats.chisquare(firsts[1:], 4000 * w[1:] / w.sum()).pvalue > 1e-3


@given(st.lists(st.one_of(st.just(0.0), st.floats(1e-12, 1e12)), min_size=1, max_size=300).filter(any),
       st.integers(0, 2**32 - 1))
def test_the_guide_table_finds_the_same_row_as_a_binary_search(weights, seed):
    # every draw with replacement is the first row whose cumulative weight exceeds a uniform point;
    # the guide table must find exactly the row np.searchsorted finds, zero weights and ties included
    sampler = it.WeightedSampler(weights, seed=0)
    cumulative = sampler._cumulative
    rng = np.random.default_rng(seed)
    points = np.concatenate([rng.random(500) * cumulative[-1], cumulative, np.nextafter(cumulative, 0),
                             np.nextafter(cumulative, np.inf), [0.0]])
    points = points[points < cumulative[-1]]  # the range the draws come from
    found = sampler._inverse_cdf(points)
    assert np.array_equal(found, np.searchsorted(cumulative, points, side="right"))
    drawn = sampler.epoch_indices()
    assert (np.asarray(weights)[drawn] > 0).all()  # a row of weight 0 is never drawn


@pytest.mark.slow  # 2**24 rows: seconds
def test_weighted_sampling_past_two_to_the_24_rows():
    n = 2**24 + 1000  # torch.multinomial refuses more than 2**24 categories
    w = np.zeros(n, dtype=np.float32)
    w[-1000:] = 1.0
    w[5] = 1.0
    drawn = it.WeightedSampler(w, num_samples=10_000, seed=0).epoch_indices()
    assert drawn.max() >= 2**24 and set(np.unique(drawn).tolist()) <= {5, *range(n - 1000, n)}
    with pytest.raises(RuntimeError):
        torch.multinomial(torch.as_tensor(w), 10, replacement=True)


def test_weighted_sampler_manners_and_bad_input():
    w = torch.rand(100, dtype=torch.float64)
    sampler = it.WeightedSampler(w, seed=3)
    first = list(sampler)
    assert len(first) == len(sampler) == 100
    again = it.WeightedSampler(w, seed=3)
    assert list(again) == first  # same seed, same epoch
    assert list(sampler) != first  # the next pass is the next epoch
    half = it.WeightedSampler(w, seed=3, num_replicas=2, rank=1)
    assert list(half) == first[1::2]
    resumed = it.WeightedSampler(w, seed=3)
    iterator = iter(resumed)
    taken = [next(iterator) for _ in range(30)]
    state = resumed.state_dict()
    fresh = it.WeightedSampler(w, seed=3)
    fresh.load_state_dict(state)
    assert taken + list(fresh) == first
    for bad, words in [([], "non-empty 1-D"), ([1.0, -1.0], ">= 0"), ([0.0, 0.0], "every weight is 0"),
                       ([1.0, np.nan], "finite")]:
        with pytest.raises(InputError, match=words):
            it.WeightedSampler(bad)
    with pytest.raises(ParameterError, match="only 1 rows have a positive weight"):
        it.WeightedSampler([0.0, 1.0], num_samples=2, replacement=False)
    with pytest.raises(ParameterError, match="needs replacement=True"):
        it.WeightedSampler([1.0, 1.0], exact=True, replacement=False)


# ------------------------------------------------------------------ extreme and odd weights (issue 29.6)


@pytest.mark.parametrize("weights", [[1e308, 1e308, 1.0], [5e-324, 5e-324, 1e-323]])
@pytest.mark.parametrize("kwargs", [dict(), dict(exact=True), dict(replacement=False, num_samples=2)])
def test_weights_whose_sum_overflows_or_that_are_subnormal_draw_by_their_ratios(weights, kwargs):
    kwargs = {"num_samples": 4000, **kwargs}
    sampler = it.WeightedSampler(weights, seed=0, **kwargs)
    drawn = np.bincount(list(sampler), minlength=3)
    ratios = np.asarray(weights) / max(weights)  # the law depends on the ratios alone
    expected = sampler.num_samples * ratios / ratios.sum()
    np.testing.assert_allclose(sampler.expected_counts(), expected, rtol=1e-12)
    if kwargs.get("exact"):
        assert (np.abs(drawn - expected) < 1).all()  # systematic sampling: within one draw of e_i
    elif kwargs.get("replacement", True):
        assert (np.abs(drawn - expected) < 5 * np.sqrt(expected + 1)).all()
    else:
        assert drawn.sum() == 2 and drawn.max() == 1


def test_weights_must_be_numbers():
    with pytest.raises(imbalance.InputTypeError, match="weights must be numbers"):
        it.WeightedSampler(["a", "b"])


def test_the_sampler_keeps_its_own_copy_of_the_weights():
    weights = np.array([1.0, 2.0, 3.0])
    sampler = it.WeightedSampler(weights)
    before = sampler.expected_counts().copy()
    weights[0] = 100.0  # the caller changes its array afterwards
    np.testing.assert_array_equal(sampler.expected_counts(), before)
