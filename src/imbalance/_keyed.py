r"""Random numbers addressed by a key instead of drawn in sequence: a counter-based generator.

A sequential generator gives the i-th number only after the i - 1 before it, in one process.
Where the work is split over partitions whose number and order change from run to run (Spark,
streamed record batches), each number must instead be a function of *what it is for*: the
seed, a stream (what the number decides: a base row, a neighbour, a gap), a group (the class)
and an index (the synthetic row's number within its class). Then any task can compute any
row's numbers, and the result does not depend on how the rows were split.

The function is SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom
number generators", OOPSLA 2014), a bijection of 64-bit integers whose output passes BigCrush
when fed a counter:

.. math::

    z \leftarrow (z \oplus (z \gg 30)) \cdot \mathtt{0xBF58476D1CE4E5B9},\quad
    z \leftarrow (z \oplus (z \gg 27)) \cdot \mathtt{0x94D049BB133111EB},\quad
    z \leftarrow z \oplus (z \gg 31),

applied to ``key + index * 0x9E3779B97F4A7C15`` where ``key`` mixes seed, stream and group
the same way. A uniform double is the top 53 bits times :math:`2^{-53}`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["keyed_bits", "keyed_uniforms", "keyed_integers"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _finalise(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def _stream_key(seed: int, stream: int, group: int) -> np.uint64:
    key = np.array([int(seed) % (1 << 64)], dtype=np.uint64)
    for part in (stream, group):
        key = _finalise(key + _GOLDEN) ^ np.uint64(int(part) % (1 << 64))
    return _finalise(key + _GOLDEN)[0]


def keyed_bits(seed: int, stream: int, group: int, index: np.ndarray) -> np.ndarray:
    """64 random bits for every ``index`` (non-negative integers) of ``(seed, stream, group)``."""
    with np.errstate(over="ignore"):  # the arithmetic is modulo 2**64 on purpose
        key = _stream_key(seed, stream, group)
        return _finalise(np.asarray(index, dtype=np.uint64) * _GOLDEN + key)


def keyed_uniforms(seed: int, stream: int, group: int, index: np.ndarray) -> np.ndarray:
    """A uniform float64 in [0, 1) for every ``index``: the top 53 of its 64 bits."""
    return (keyed_bits(seed, stream, group, index) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def keyed_integers(seed: int, stream: int, group: int, index: np.ndarray, high: int) -> np.ndarray:
    """A uniform integer in ``[0, high)`` for every ``index`` (``high`` below 2**32): the high
    half of the product of its top 32 bits and ``high`` (Lemire's multiply-shift; the bias is
    below ``high / 2**32``)."""
    if not 0 < high < 1 << 32:
        raise ValueError(f"high must be between 1 and 2**32 - 1, got {high}.")
    top = keyed_bits(seed, stream, group, index) >> np.uint64(32)
    return ((top * np.uint64(high)) >> np.uint64(32)).astype(np.int64)
