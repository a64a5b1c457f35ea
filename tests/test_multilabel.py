"""Multi-label imbalance measures: the values the papers publish for the real tables, and
direct computations."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imbalance import ImbalanceError
from imbalance.multilabel import measures

DATA = Path(__file__).parent / "data" / "multilabel"  # real tables, with their source (SOURCE.md)


def label_columns(name):
    df = pd.read_csv(DATA / f"{name}.csv.gz")
    return df[[c for c in df.columns if c.startswith("label_")]]


# Charte, Rivera, del Jesus and Herrera (2015), Neurocomputing 163, table of data set traits;
# SCUMBLE from Charte et al. (2019). Published to three decimals.
PUBLISHED = {
    "yeast": {"cardinality": 4.237, "density": 0.303, "mean_ir": 7.197, "max_ir": 53.412, "scumble": 0.104,
              "n_labelsets": 198},
    "emotions": {"cardinality": 1.869, "density": 0.311, "mean_ir": 1.478, "max_ir": 1.784, "scumble": 0.011,
                 "n_labelsets": 27},
}


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_measures_match_the_published_values(name):
    result = measures(label_columns(name)).summary()
    for key, value in PUBLISHED[name].items():
        assert result[key] == pytest.approx(value, abs=6e-4), key


def direct(Y):
    """Every measure by its definition, with loops."""
    Y = np.asarray(Y, dtype=int)
    n, q = Y.shape
    counts = [sum(Y[i, l] for i in range(n)) for l in range(q)]
    irlbl = [max(counts) / c for c in counts]
    mean_ir = sum(irlbl) / q
    sd = (sum((r - mean_ir) ** 2 for r in irlbl) / (q - 1)) ** 0.5 if q > 1 else 0.0
    scumble = 0.0
    for i in range(n):
        present = [irlbl[l] for l in range(q) if Y[i, l]]
        if present:
            geometric = float(np.prod(present)) ** (1 / len(present))
            scumble += 1 - geometric / (sum(present) / len(present))
    per_row = [sum(Y[i]) for i in range(n)]
    return {"irlbl": irlbl, "mean_ir": mean_ir, "max_ir": max(irlbl), "cvir": sd / mean_ir, "scumble": scumble / n,
            "cardinality": sum(per_row) / n, "density": sum(per_row) / n / q,
            "n_labelsets": len({tuple(row) for row in Y.tolist()}), "n_unlabelled": per_row.count(0)}


@given(arrays(np.int8, st.tuples(st.integers(1, 40), st.integers(1, 6)), elements=st.integers(0, 1)))
def test_measures_equal_their_definitions(Y):
    if (Y.sum(axis=0) == 0).any():
        with pytest.raises(ImbalanceError, match="carried by no row"):
            measures(Y)
        return
    result, expected = measures(Y), direct(Y)
    np.testing.assert_allclose(result.irlbl, expected.pop("irlbl"), rtol=1e-12)
    for key, value in expected.items():
        assert getattr(result, key) == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_names_per_label_table_and_bad_input():
    Y = pd.DataFrame({"rare": [1, 0, 0, 0, 0], "common": [1, 1, 1, 1, 0], "mid": [0, 1, 1, 0, 0]})
    result = measures(Y)
    assert result.labels == ["rare", "common", "mid"] and result.counts.tolist() == [1, 4, 2]
    table = result.per_label()
    assert table.index.tolist() == ["common", "mid", "rare"] and table["irlbl"].tolist() == [1.0, 2.0, 4.0]
    assert result.n_unlabelled == 1 and result.n_labelsets == 4
    with pytest.raises(ImbalanceError, match="0/1"):
        measures(np.array([[0, 2], [1, 0]]))
    with pytest.raises(ImbalanceError, match=r"\['b'\] are carried by no row"):
        measures(pd.DataFrame({"a": [1, 0], "b": [0, 0]}))


# -- ML-ROS and ML-RUS -----------------------------------------------------------------------
from imbalance.multilabel import MLROS, MLRUS, ml_ros, ml_rus  # noqa: E402


def check_ros(X, Y, percentage, seed):
    labels = np.asarray(Y, dtype=bool)
    n = labels.shape[0]
    before = measures(labels)
    minority = before.irlbl > before.mean_ir
    sampler = MLROS(percentage=percentage, random_state=seed)
    X_res, Y_res = sampler.fit_resample(X, Y)
    idx = sampler.sample_indices_
    clones = idx[n:]
    np.testing.assert_array_equal(idx[:n], np.arange(n))  # every row once, in order, then the clones
    np.testing.assert_array_equal(np.asarray(X_res), np.asarray(X)[idx])
    np.testing.assert_array_equal(np.asarray(Y_res), np.asarray(Y)[idx])
    assert clones.size <= round(n * percentage / 100)
    assert all(labels[r][minority].any() for r in clones)  # a clone carries a minority label
    if round(n * percentage / 100) >= minority.sum():  # the first round clones a row of every minority bag
        assert labels[clones][:, minority].any(axis=0).all()
    return sampler


def check_rus(X, Y, percentage, seed):
    labels = np.asarray(Y, dtype=bool)
    n = labels.shape[0]
    before = measures(labels)
    majority = before.irlbl < before.mean_ir
    sampler = MLRUS(percentage=percentage, random_state=seed)
    X_res, Y_res = sampler.fit_resample(X, Y)
    kept = sampler.sample_indices_
    deleted = np.setdiff1d(np.arange(n), kept)
    assert (np.diff(kept) > 0).all() and deleted.size <= round(n * percentage / 100)
    np.testing.assert_array_equal(np.asarray(X_res), np.asarray(X)[kept])
    assert all(labels[r][majority].any() for r in deleted)  # only rows of majority labels go
    assert labels[kept].any(axis=0).all()  # no label loses its last row
    assert sampler.mean_ir_after_ <= sampler.mean_ir_before_ + 1e-12  # and the imbalance never grows
    return sampler


def test_ml_rus_keeps_a_label_the_papers_rule_would_delete():
    # counts [10, 2], MeanIR 3: the paper's rule deletes label 0's rows until its IRLbl reaches 3,
    # which it never does while it has any (2 / 1 < 3): every one of them went, MeanIR infinite
    Y = np.array([[1, 0]] * 8 + [[1, 1]] * 2)
    sampler = MLRUS(random_state=0)
    _, Y_res = sampler.fit_resample(np.zeros((10, 1)), Y)
    assert Y_res.sum(axis=0).tolist() == [8, 2]  # two rows of label 0 alone go (25% of 10, rounded)
    assert (sampler.mean_ir_before_, sampler.mean_ir_after_) == (3.0, 2.5)


@given(arrays(np.int8, st.tuples(st.integers(4, 60), st.integers(2, 5)), elements=st.integers(0, 1)),
       st.sampled_from([10.0, 25.0, 60.0]), st.integers(0, 2**16))
def test_ml_ros_and_ml_rus_follow_their_rules(Y, percentage, seed):
    if (Y.sum(axis=0) == 0).any():
        return
    X = np.arange(Y.shape[0] * 2).reshape(-1, 2)
    check_ros(X, Y, percentage, seed)
    check_rus(X, Y, percentage, seed)


@pytest.mark.parametrize("percentage", [10, 25])
def test_on_yeast_both_lower_the_mean_imbalance_and_keep_pandas(percentage):
    df = pd.read_csv(DATA / "yeast.csv.gz")
    Y = df[[c for c in df.columns if c.startswith("label_")]]
    X = df.drop(columns=Y.columns).set_index(pd.RangeIndex(1000, 1000 + len(df)))
    Y = Y.set_index(X.index)
    ros = check_ros(X, Y, percentage, 0)
    rus = check_rus(X, Y, percentage, 0)
    assert ros.mean_ir_after_ < ros.mean_ir_before_ == pytest.approx(7.197, abs=6e-4)
    assert rus.mean_ir_after_ < rus.mean_ir_before_
    X_res, Y_res = ml_ros(X, Y, percentage=percentage, random_state=0)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)
    assert X_res.index.tolist() == X.index[ros.sample_indices_].tolist()  # rows trace back
    assert (X_res.dtypes == X.dtypes).all() and list(Y_res.columns) == list(Y.columns)
    again = ml_ros(X, Y, percentage=percentage, random_state=0)[0]
    pd.testing.assert_frame_equal(X_res, again)
    X_rus, _ = ml_rus(X, Y, percentage=percentage, random_state=0)
    assert len(X_rus) == len(df) - round(len(df) * percentage / 100)


def test_ml_resampling_bad_input():
    X, Y = np.zeros((4, 2)), np.array([[1, 0], [1, 0], [1, 1], [0, 1]])
    for bad in (0, -5, 101, "25", True):
        with pytest.raises(ImbalanceError, match=r"percentage.* must be (a float in the range|a number in) \(0(\.0)?, 100(\.0)?\]"):
            MLROS(percentage=bad).fit_resample(X, Y)
    with pytest.raises(ImbalanceError, match="carried by no row"):
        MLRUS().fit_resample(X, np.array([[1, 0], [1, 0], [0, 0], [1, 0]]))
    with pytest.raises(ImbalanceError, match="0/1"):
        MLROS().fit_resample(X, np.array([[2, 0], [1, 0], [1, 1], [0, 1]]))
    with pytest.raises(ImbalanceError, match="rows"):
        MLROS().fit_resample(np.zeros((3, 2)), Y)


# -- MLSMOTE ---------------------------------------------------------------------------------
from imbalance.multilabel import MLSMOTE, mlsmote  # noqa: E402


def synthetic_problem(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    Y = np.column_stack([X[:, 0] > -1.5, X[:, 1] > 1.2, (X[:, 2] > 1.0) & (X[:, 0] > 0), X[:, 3] > 0]).astype(int)
    return X, Y


@pytest.mark.parametrize("rule", ["ranking", "intersection", "union"])
@pytest.mark.parametrize("k", [3, 5])
def test_mlsmote_rows_lie_between_a_row_and_a_same_label_neighbour_with_the_rule_s_labels(rule, k):
    X, Y = synthetic_problem()
    sampler = MLSMOTE(k_neighbors=k, label_rule=rule, random_state=1)
    X_res, Y_res = sampler.fit_resample(X, Y)
    n = len(X)
    new_X, new_Y = X_res[n:], Y_res[n:]
    assert new_X.shape[0] == sampler.parents_.shape[0] > 0
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(sampler.origin_, np.r_[np.arange(n), np.full(len(new_X), -1)])
    before = measures(Y)
    start = 0
    counts = Y.sum(axis=0).astype(float)
    # the targets of the label plan: ceil(M / MeanIR) rows, M and MeanIR of the table as given
    targets = np.maximum(Y.sum(axis=0), np.ceil(Y.sum(axis=0).max() / before.mean_ir - 1e-9))
    np.testing.assert_array_equal(sampler.plan_.target_array, targets)
    for label in range(Y.shape[1]):
        if counts[label] >= targets[label]:  # counted on the table as it grows
            continue
        bag = np.flatnonzero(Y[:, label])
        block = slice(start, start + bag.size)
        parent, ref = sampler.parents_[block].T
        np.testing.assert_array_equal(parent, bag)  # one synthetic row per row of the bag, in order
        d = ((X[bag][:, None, :] - X[bag][None, :, :]) ** 2).sum(axis=2)
        np.fill_diagonal(d, np.inf)
        near = np.argsort(d, axis=1, kind="stable")[:, :k]
        assert all(r in bag[near[i]] for i, r in enumerate(ref))  # r is one of the k nearest of the label
        u = (new_X[block] - X[parent]) / (X[ref] - X[parent])
        assert ((u >= -1e-12) & (u <= 1 + 1e-12)).all()  # on the segment, feature by feature
        votes = Y[bag] + Y[bag[near]].sum(axis=1)
        expected = {"ranking": votes > (k + 1) / 2, "intersection": votes == k + 1, "union": votes > 0}[rule]
        np.testing.assert_array_equal(new_Y[block], expected.astype(int))
        assert (new_Y[block][:, label] == 1).all()
        counts += expected.sum(axis=0)
        start += bag.size
    assert start == len(new_X)
    assert sampler.mean_ir_after_ == pytest.approx(float(np.mean(counts.max() / counts)))


def test_mlsmote_on_yeast_lowers_the_mean_imbalance_and_keeps_pandas():
    df = pd.read_csv(DATA / "yeast.csv.gz")
    Y = df[[c for c in df.columns if c.startswith("label_")]]
    X = df.drop(columns=Y.columns)
    sampler = MLSMOTE(random_state=0)
    X_res, Y_res = sampler.fit_resample(X, Y)
    assert sampler.mean_ir_before_ == pytest.approx(7.197, abs=6e-4)
    assert sampler.mean_ir_after_ < 5.1 and measures(Y_res).mean_ir == pytest.approx(sampler.mean_ir_after_)
    assert list(X_res.columns) == list(X.columns) and (X_res.dtypes == X.dtypes).all()
    assert (Y_res.dtypes == Y.dtypes).all() and set(np.unique(Y_res.to_numpy())) <= {0, 1}
    assert X_res.index[len(X):].tolist() == list(range(len(X), len(X_res)))
    again = mlsmote(X, Y, random_state=0)
    pd.testing.assert_frame_equal(X_res, again[0])


def test_mlsmote_bad_input_names_the_fix():
    X, Y = synthetic_problem(n=40)
    with pytest.raises(ImbalanceError, match="lower k_neighbors to at most"):
        MLSMOTE(k_neighbors=30).fit_resample(X, Y)
    with pytest.raises(ImbalanceError, match="label 'rare' is carried by"):
        MLSMOTE(k_neighbors=30).fit_resample(X, pd.DataFrame(Y, columns=["a", "rare", "c", "d"]))
    with pytest.raises(ImbalanceError, match="'label_rule' parameter of MLSMOTE must be"):
        MLSMOTE(label_rule="majority").fit_resample(X, Y)
    with pytest.raises(ImbalanceError, match="not numeric"):
        MLSMOTE().fit_resample(pd.DataFrame({"a": ["x"] * 40, "b": range(40)}), Y)


# -- label plans -----------------------------------------------------------------------------
from imbalance.multilabel import label_plan  # noqa: E402
from imbalance.planner import plan_label_counts  # noqa: E402

label_counts = st.lists(st.integers(1, 500), min_size=1, max_size=8)


@given(label_counts, st.floats(1, 20))
def test_label_plans_follow_their_formulas(counts, ratio):
    named = {f"l{i}": n for i, n in enumerate(counts)}
    top = max(counts)
    mean_ir = float(np.mean([top / n for n in counts]))
    for plan, limit in ((plan_label_counts(named), mean_ir), (plan_label_counts(named, "over", ratio=ratio), ratio)):
        assert list(plan.targets) == list(named)
        for label, n in named.items():
            target = plan.targets[label]
            assert target >= n and top / target <= limit + 1e-9  # reaches the limit ...
            assert target == n or top / (target - 1) > limit - 1e-9  # ... with no row more than it needs


def test_explicit_label_plans_and_bad_ones():
    plan = plan_label_counts({"a": 10, "b": 3}, {"b": 7})
    assert plan.targets == {"a": 10, "b": 7} and plan.strategy == "dict"
    assert "b" in repr(plan) and "+4" in repr(plan)
    for strategy, words in [({"b": 2}, "only adds rows"), ({"c": 5}, "unknown label 'c'"),
                            ({"b": 4.5}, "must be an int"), ("under", "must be one of mean_ir, over")]:
        with pytest.raises(ImbalanceError, match=words):
            plan_label_counts({"a": 10, "b": 3}, strategy)
    with pytest.raises(ImbalanceError, match="ratio must be >= 1"):
        plan_label_counts({"a": 10, "b": 3}, "over", ratio=0.5)
    with pytest.raises(ImbalanceError, match="carried by no row"):
        label_plan(np.array([[1, 0], [1, 0]]))


@given(arrays(np.int8, st.tuples(st.integers(2, 40), st.integers(1, 5)), elements=st.integers(0, 1)),
       st.sampled_from(["mean_ir", 1.0, 2.5]), st.integers(0, 3))
def test_ml_ros_meets_a_label_plan_by_cloning_rows_of_labels_below_target(Y, strategy, seed):
    assume(Y.sum(axis=0).all())
    sampler = MLROS(strategy="mean_ir" if strategy == "mean_ir" else "over",
                    ratio=1.0 if strategy == "mean_ir" else strategy, random_state=seed)
    X_res, Y_res = sampler.fit_resample(np.arange(len(Y))[:, None], Y)
    n = len(Y)
    np.testing.assert_array_equal(sampler.sample_indices_[:n], np.arange(n))
    after = Y_res.sum(axis=0)
    assert (after >= sampler.plan_.target_array).all()
    assert sampler.label_counts_after_ == dict(zip(sampler.label_names_, after.tolist()))
    counts = Y.sum(axis=0).astype(np.int64)
    for row in sampler.sample_indices_[n:]:  # every clone carries a label still below its target
        assert (Y[row].astype(bool) & (counts < sampler.plan_.target_array)).any()
        counts += Y[row]


def test_ml_ros_to_the_mean_ir_plan_on_yeast():
    Y = label_columns("yeast")
    plan = label_plan(Y)
    assert plan.ratio == pytest.approx(7.197, abs=6e-4)
    assert plan.targets["label_Class14"] == 253 and plan.targets["label_Class12"] == 1816  # ceil(1816 / MeanIR)
    sampler = MLROS(strategy="mean_ir", random_state=0)
    _, Y_res = sampler.fit_resample(np.zeros((len(Y), 1)), Y)
    assert (Y_res.sum(axis=0).to_numpy() >= plan.target_array).all()
    assert sampler.plan_ == plan and sampler.mean_ir_after_ < 4
