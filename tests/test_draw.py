"""The one rule every backend realises a plan by: t draws from n rows (imbalance._draw)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import imbalance
from imbalance._draw import even_draws, random_subset


@pytest.mark.parametrize("n, size", [(1000, 10), (1000, 500), (1000, 999), (50, 50)])
def test_random_subset_is_exact_and_uniform(n, size):
    rng = np.random.default_rng(0)
    hits = np.zeros(n)
    for _ in range(400):
        subset = random_subset(n, size, rng)
        assert subset.size == size and np.unique(subset).size == size and np.all(np.diff(subset) > 0)
        hits[subset] += 1
    expected = 400 * size / n
    # every position equally likely: counts within 5 binomial standard deviations
    sd = np.sqrt(400 * (size / n) * (1 - size / n)) + 1e-9
    assert np.all(np.abs(hits - expected) <= 5 * sd + 1e-9)


@given(n=st.integers(1, 300), t=st.integers(1, 3000), seed=st.integers(0, 2**32 - 1))
def test_every_row_is_drawn_floor_or_ceil_times(n, t, seed):
    whole, subset = even_draws(n, t, np.random.default_rng(seed))
    times = np.full(n, whole)
    times[subset] += 1
    assert times.sum() == t
    assert set(np.unique(times)) <= {t // n, -(-t // n)}


@given(counts=st.lists(st.integers(1, 60), min_size=2, max_size=5), seed=st.integers(0, 1000))
def test_numpy_resampling_follows_the_rule(counts, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    for strategy in ("under", "over"):
        plan = imbalance.plan(y, strategy)
        times = imbalance.resample_counts(y, strategy, random_state=seed)
        for c, (n, t) in enumerate(zip(counts, plan.target_array)):
            rows = times[y == c]
            assert rows.sum() == t
            assert set(np.unique(rows)) <= {t // n, -(-t // n)}


def test_over_sampled_rows_repeat_evenly_not_iid():
    y = np.array([0] * 1000 + [1] * 10)
    times = imbalance.resample_counts(y, "over", random_state=0)[y == 1]
    assert sorted(set(times.tolist())) == [100]  # 1000 = 10 x 100: every row exactly 100 times
