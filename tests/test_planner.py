import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import imbalance
from imbalance import InputTypeError, LabelError, StrategyError, plan, plan_from_counts

counts_st = st.dictionaries(
    keys=st.integers(-5, 50), values=st.integers(1, 10_000), min_size=2, max_size=8
)
ratio_st = st.one_of(st.integers(1, 20), st.floats(1.0, 20.0, allow_nan=False))


def labels_from(counts):
    return np.repeat(list(counts), list(counts.values()))


def test_under_keeps_smallest_and_caps_others():
    p = plan([0] * 90 + [1] * 10 + [2] * 25, "under", ratio=2)
    assert p.targets == {0: 20, 1: 10, 2: 20}
    assert p.counts == {0: 90, 1: 10, 2: 25}
    assert list(p.classes) == [0, 1, 2]
    assert p.n_before == 125 and p.n_after == 50


def test_over_keeps_largest_and_raises_others():
    p = plan(["a"] * 90 + ["b"] * 10 + ["c"] * 60, "over", ratio=1.5)
    assert p.targets == {"a": 90, "b": 60, "c": 60}


def test_rounding_rule_is_floor_for_under_and_ceil_for_over():
    # 1.5 * 7 = 10.5 -> 10 kept; 10 / 3 = 3.33 -> 4 rows at least
    assert plan_from_counts({0: 100, 1: 7}, "under", ratio=1.5).targets == {0: 10, 1: 7}
    assert plan_from_counts({0: 10, 1: 2}, "over", ratio=3).targets == {0: 10, 1: 4}


def test_ratio_is_read_as_its_decimal():
    # 1.1 * 10 in binary floating point is 11.000000000000002; the plan must say 11.
    assert plan_from_counts({0: 100, 1: 10}, "under", ratio=1.1).targets[0] == 11
    # 0.7 * 10 ... via over: 33 / 1.1 = 30 exactly as a decimal, not 30.000000000000004 -> 31
    assert plan_from_counts({0: 33, 1: 1}, "over", ratio=1.1).targets[1] == 30


def test_dict_targets_mean_count_after_and_unlisted_classes_stay():
    p = plan([0] * 50 + [1] * 5 + [2] * 20, {0: 30, 1: 40})
    assert p.targets == {0: 30, 1: 40, 2: 20}
    assert p.strategy == "dict" and p.ratio is None


def test_callable_targets_get_counts_in_class_order():
    seen = {}

    def half_the_largest(counts):
        seen.update(counts)
        return {c: max(n, max(counts.values()) // 2) for c, n in counts.items()}

    p = plan(["b"] * 3 + ["a"] * 10, half_the_largest)
    assert list(seen) == ["a", "b"]
    assert p.targets == {"a": 10, "b": 5}


def test_string_keys_reach_integer_classes():
    assert plan([0, 0, 0, 1], {"1": 3}).targets == {0: 3, 1: 3}


def test_repr_is_a_readable_table():
    text = repr(plan([0] * 9 + [1] * 3, "under", ratio=2))
    assert text.splitlines()[0] == "Plan(strategy='under', ratio=2)"
    assert "total" in text and "-3" in text


def test_plan_equality_and_arrays():
    a = plan([0, 0, 1], "over")
    assert a == plan_from_counts({0: 2, 1: 1}, "over")
    np.testing.assert_array_equal(a.target_array, [2, 2])
    assert a.target_array.dtype == np.int64


@pytest.mark.parametrize(
    "y, strategy, kwargs, error, words",
    [
        ([0, 0, 0], "under", {}, LabelError, "only one class"),
        ([], "under", {}, LabelError, "empty"),
        ([0, 1, None], "under", {}, LabelError, "missing"),
        (np.array([0.0, 1.0, np.nan]), "under", {}, LabelError, "missing"),
        (np.linspace(0, 1, 10), "under", {}, LabelError, "continuous"),
        ([0, 1, 1], "sideways", {}, StrategyError, "unknown strategy"),
        ([0, 1, 1], "under", {"ratio": 0.5}, StrategyError, "ratio must be >= 1"),
        ([0, 1, 1], "under", {"ratio": float("nan")}, StrategyError, "ratio must be >= 1"),
        ([0, 1, 1], "under", {"ratio": "3"}, InputTypeError, "ratio must be a number"),
        ([0, 1, 1], {2: 5}, {}, StrategyError, "unknown class 2"),
        ([0, 1, 1], {1: 0}, {}, StrategyError, "must be >= 1"),
        ([0, 1, 1], {1: 2.5}, {}, StrategyError, "must be an int"),
        ([0, 1, 1], {1: 5}, {"ratio": 2}, StrategyError, "ratio only applies"),
        ([0, 1, 1], lambda c: [1, 2], {}, StrategyError, "must return a dict"),
        ([0, 1, 1], 3, {}, InputTypeError, "strategy must be"),
        (np.zeros((4, 2)), "under", {}, LabelError, "one label per row"),
    ],
)
def test_bad_input_names_the_problem(y, strategy, kwargs, error, words):
    with pytest.raises(error, match=words):
        plan(y, strategy, **kwargs)


def test_errors_are_value_and_type_errors():
    assert issubclass(LabelError, ValueError) and issubclass(StrategyError, ValueError)
    assert issubclass(InputTypeError, TypeError)
    assert issubclass(LabelError, imbalance.ImbalanceError)


def test_labels_of_many_kinds():
    assert plan(pd.Series(pd.Categorical(["x", "y", "y"], categories=["y", "x", "z"])), "over").targets == {"x": 2, "y": 2}
    assert plan(np.array([True, False, False]), "over").targets == {False: 2, True: 2}
    assert plan(np.array([10**12, 5, 5], dtype=np.int64), "over").targets == {5: 2, 10**12: 2}
    assert plan(np.array([2.0, 1.0, 1.0]), "over").targets == {1.0: 2, 2.0: 2}
    assert plan(np.array([[0], [1], [1]]), "under").targets == {0: 1, 1: 1}
    # small signed ints are widened before shifting: no overflow
    assert plan(np.array([-100, 100, 100], dtype=np.int8), "over").targets == {-100: 2, 100: 2}
    assert plan(np.array([3, 3, 5], dtype=np.uint8), "under").targets == {3: 1, 5: 1}


@given(counts=counts_st, ratio=ratio_st)
def test_under_properties(counts, ratio):
    p = plan_from_counts(counts, "under", ratio=ratio)
    smallest = min(counts.values())
    exact = Fraction(repr(float(ratio)))
    for c, n in counts.items():
        t = p.targets[c]
        assert 1 <= t <= n  # under-sampling never adds rows
        assert t == min(n, math.floor(exact * smallest))
    assert min(p.targets.values()) == smallest
    assert max(p.targets.values()) <= exact * min(p.targets.values())


@given(counts=counts_st, ratio=ratio_st)
def test_over_properties(counts, ratio):
    p = plan_from_counts(counts, "over", ratio=ratio)
    largest = max(counts.values())
    exact = Fraction(repr(float(ratio)))
    for c, n in counts.items():
        t = p.targets[c]
        assert t >= n  # over-sampling never removes rows
        assert t == max(n, math.ceil(largest / exact))
    assert max(p.targets.values()) == largest
    assert largest <= exact * min(p.targets.values())


@given(counts=counts_st)
def test_plan_from_labels_equals_plan_from_counts(counts):
    y = labels_from(counts)
    assert plan(y, "under", ratio=2) == plan_from_counts(counts, "under", ratio=2)
    assert list(plan(y, "over").targets) == sorted(counts)


@given(counts=counts_st, data=st.data())
def test_dict_targets_are_taken_as_given(counts, data):
    chosen = data.draw(st.lists(st.sampled_from(sorted(counts)), unique=True))
    targets = {c: data.draw(st.integers(1, 5000)) for c in chosen}
    p = plan_from_counts(counts, targets)
    assert p.targets == {c: targets.get(c, n) for c, n in sorted(counts.items())}


@given(counts=counts_st, q=st.floats(0.0, 1.0), total=st.integers(10, 5000))
def test_power_strategy_sums_exactly_and_follows_the_shares(counts, q, total):
    n = np.array([counts[k] for k in sorted(counts)], dtype=float)
    if total < len(counts) * 2:
        return
    try:
        p = plan_from_counts(counts, imbalance.power(q, total))
    except StrategyError:
        return  # too few rows for a class: refused with a clear error
    t = p.target_array
    assert t.sum() == total
    exact = n**q / (n**q).sum() * total
    assert np.all(np.abs(t - exact) < 1)


def test_power_extremes():
    y = [0] * 90 + [1] * 10
    assert plan(y, imbalance.power(1.0)).targets == {0: 90, 1: 10}
    assert plan(y, imbalance.power(0.0)).targets == {0: 50, 1: 50}
    assert plan(y, imbalance.power(0.5)).targets == {0: 75, 1: 25}
    with pytest.raises(StrategyError, match="too few"):
        plan(y, imbalance.power(0.0, total=1))
    with pytest.raises(StrategyError, match="q must be"):
        imbalance.power(float("nan"))


def test_apportion_is_exact():
    np.testing.assert_array_equal(imbalance.apportion([1, 1, 1], 10), [4, 3, 3])
    assert imbalance.apportion([5, 3, 2], 7).sum() == 7


# ----------------------------------------------------------------------------- one entry: power, total, direction


def test_power_is_a_named_strategy_and_equals_the_callable():
    y = labels_from({0: 900, 1: 90, 2: 10})
    p = plan(y, "power", q=0.5)
    assert p.targets == plan(y, imbalance.power(0.5)).targets
    # shares proportional to sqrt(n): 30, 9.49, 3.16 of 1000 rows, largest remainder
    exact = np.sqrt([900, 90, 10]) / np.sqrt([900, 90, 10]).sum() * 1000
    assert (np.abs(p.target_array - exact) < 1).all() and p.n_after == 1000
    assert p.strategy == "power" and p.q == 0.5 and p.ratio is None
    assert repr(p).startswith("Plan(strategy='power', q=0.5)")
    assert plan(y, "power", q=0.0, total=30).targets == {0: 10, 1: 10, 2: 10}


def test_total_scales_any_strategy_and_is_said():
    p = plan_from_counts({0: 90, 1: 10}, "over", total=50)
    assert p.targets == {0: 25, 1: 25} and p.total == 50
    assert p.description == "strategy='over', ratio=1, total=50"
    assert plan_from_counts({0: 90, 1: 10}, {0: 30}, total=80).targets == {0: 60, 1: 20}


def test_direction_refuses_a_move_the_other_way():
    assert plan_from_counts({0: 60, 1: 10}, {0: 20}, direction="under").targets == {0: 20, 1: 10}
    with pytest.raises(StrategyError, match="can only remove rows .* class 1 is 50 and it has 10"):
        plan_from_counts({0: 60, 1: 10}, {1: 50}, direction="under")
    with pytest.raises(StrategyError, match="can only add rows"):
        plan_from_counts({0: 60, 1: 10}, {0: 5}, direction="over")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"strategy": "power"}, "needs q"),
        ({"strategy": "under", "q": 0.5}, "q only applies"),
        ({"strategy": "power", "q": 0.5, "ratio": 2}, "ratio only applies"),
        ({"strategy": "power", "q": float("nan")}, "q must be a finite number"),
        ({"strategy": "under", "total": 0}, "total must be a positive int"),
        ({"strategy": "under", "total": 1}, "too few to keep at least one row"),
        ({"strategy": "under", "direction": "sideways"}, "direction must be"),
    ],
)
def test_bad_planning_arguments(kwargs, words):
    with pytest.raises(StrategyError, match=words):
        plan_from_counts({0: 60, 1: 10}, **kwargs)


@given(counts=counts_st, total=st.integers(1, 100_000), strategy=st.sampled_from(["under", "over"]))
def test_total_is_met_exactly_and_keeps_proportions(counts, total, strategy):
    base = plan_from_counts(counts, strategy)
    if total < len(counts):
        return
    try:
        scaled = plan_from_counts(counts, strategy, total=total)
    except StrategyError:
        return  # some class would get less than one row
    t = scaled.target_array
    assert t.sum() == total and (t >= 1).all()
    exact = base.target_array / base.target_array.sum() * total
    assert (np.abs(t - exact) < 1).all()
