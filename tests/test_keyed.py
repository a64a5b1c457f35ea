"""The counter-based generator: a number depends on (seed, stream, group, index) alone."""

import numpy as np
import pytest
from scipy import stats

from imbalance._keyed import keyed_bits, keyed_integers, keyed_uniforms


def splitmix64(z: int) -> int:
    """SplitMix64's finaliser on one Python int, written out from the paper's constants."""
    mask = (1 << 64) - 1
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


def reference_bits(seed: int, stream: int, group: int, index: int) -> int:
    golden, mask = 0x9E3779B97F4A7C15, (1 << 64) - 1
    key = seed
    for part in (stream, group):
        key = splitmix64((key + golden) & mask) ^ part
    key = splitmix64((key + golden) & mask)
    return splitmix64((index * golden + key) & mask)


def test_bits_equal_the_formula_on_python_ints():
    index = np.array([0, 1, 2, 10**6, 2**40 + 3])
    got = keyed_bits(12345, 2, 7, index)
    assert [int(v) for v in got] == [reference_bits(12345, 2, 7, int(i)) for i in index]


def test_a_number_depends_on_its_address_not_on_the_batch():
    index = np.arange(10_000)
    whole = keyed_uniforms(3, 1, 2, index)
    pieces = np.concatenate([keyed_uniforms(3, 1, 2, part) for part in np.array_split(index[::-1], 7)])[::-1]
    assert np.array_equal(whole, pieces)
    for other in [(4, 1, 2), (3, 0, 2), (3, 1, 3)]:
        assert np.mean(keyed_uniforms(*other, index) == whole) < 1e-3


def test_uniforms_and_integers_are_uniform():
    u = keyed_uniforms(0, 0, 0, np.arange(200_000))
    assert ((u >= 0) & (u < 1)).all()
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    # neighbouring indices are not correlated
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    k = keyed_integers(0, 1, 0, np.arange(70_000), 7)
    assert k.min() == 0 and k.max() == 6
    assert stats.chisquare(np.bincount(k, minlength=7)).pvalue > 1e-3


def test_integers_need_a_range_that_fits():
    with pytest.raises(ValueError, match="high must be between 1 and"):
        keyed_integers(0, 0, 0, np.arange(3), 0)
