"""The SMOTE family on Spark, on a real local session: neighbours against a brute force in
numpy, every synthetic row against the rule that made it, counts against the plan, the same
rows whatever the partitioning."""

import warnings

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.ml.functions import array_to_vector  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import imbalance  # noqa: E402
import imbalance.spark as isp  # noqa: E402
from imbalance._keyed import keyed_integers, keyed_uniforms  # noqa: E402
from imbalance._validation import InputError  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402
from imbalance.planner import apportion  # noqa: E402
from imbalance.spark._columns import FeatureColumns, class_rows  # noqa: E402
from imbalance.spark._neighbors import among_all_rows, within_class  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]  # pyspark's toPandas on pandas 3

FEATURES = ["a", "b", "c", "d"]


def blobs(n=1200, seed=0, classes=(0.8, 0.15, 0.05)):
    rng = np.random.default_rng(seed)
    y = rng.choice(len(classes), size=n, p=classes)
    X = rng.normal(size=(n, 4)) + y[:, None] * 0.8
    return X, y


@pytest.fixture(scope="module")
def table(spark):
    X, y = blobs()
    rows = [(i, int(y[i]), *map(float, X[i])) for i in range(len(y))]
    return X, y, spark.createDataFrame(rows, ["id", "LABEL", *FEATURES]).repartition(3).cache()


def brute_kneighbors(points, X, k, exclude=None):
    d = ((points[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    if exclude is not None:
        d[np.arange(len(points)), exclude] = np.inf
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def collect(df, *columns):
    return df.select(*columns).toPandas()


# -- neighbours ----------------------------------------------------------------------------

def test_within_class_neighbours_equal_a_brute_force(spark):
    X, _ = blobs(700, seed=3)
    assert np.array_equal(within_class(spark, X, 5), brute_kneighbors(X, X, 5, exclude=np.arange(len(X))))


@pytest.mark.parametrize("key", [None, "id"])
def test_neighbours_among_all_rows_equal_a_brute_force(table, key):
    X, y, df = table
    rows = np.flatnonzero(y == 2)
    matrix, _, hashes = class_rows(df, "LABEL", 2, FeatureColumns(columns=tuple(FEATURES)), key)
    assert np.allclose(matrix, X[rows]) if key else np.allclose(matrix, X[rows][np.lexsort(X[rows].T[::-1])])
    if key is None:
        hashes = hashes[np.argsort(np.lexsort(X[rows].T[::-1]))]  # back to the rows' order
    found = among_all_rows(df, "LABEL", FeatureColumns(columns=tuple(FEATURES)), {0: 0, 1: 1, 2: 2}, X[rows], 7,
                           query_codes=np.full(rows.size, 2), query_hashes=hashes, key=key,
                           with_features=True)
    expected = brute_kneighbors(X[rows], X, 7, exclude=rows)
    assert np.array_equal(found.codes, y[expected])
    np.testing.assert_allclose(found.features, X[expected])
    np.testing.assert_allclose(found.distances, ((X[expected] - X[rows][:, None, :]) ** 2).sum(axis=2))
    if key is not None:
        assert np.array_equal(np.array(found.keys), expected)


# -- SMOTE ---------------------------------------------------------------------------------

def synthetic_part(out):
    pdf = collect(out, "id", "LABEL", *FEATURES, "is_synthetic", *(["parents"] if "parents" in out.columns else []))
    return pdf[pdf.is_synthetic].reset_index(drop=True), pdf[~pdf.is_synthetic]


def gaps(X, synthetic, parents):
    """The gap of every synthetic row on the segment from its base to its neighbour; asserts it
    lies on that segment."""
    base, neighbor = X[parents[:, 0]], X[parents[:, 1]]
    step = neighbor - base
    u = ((synthetic - base) * step).sum(axis=1) / np.maximum((step ** 2).sum(axis=1), 1e-300)
    np.testing.assert_allclose(synthetic, base + u[:, None] * step, atol=1e-9)
    return u


def test_smote_counts_segments_and_keyed_draws(table):
    X, y, df = table
    out, plan = isp.smote(df, "LABEL", key="id", seed=7, k_neighbors=4, return_plan=True)
    assert plan == imbalance.plan(y, "over")
    synthetic, original = synthetic_part(out)
    assert len(original) == len(y) and original["id"].notna().all()
    assert synthetic.groupby("LABEL").size().to_dict() == {c: plan.targets[c] - int((y == c).sum()) for c in (1, 2)}
    assert synthetic["id"].isna().all()
    parents = np.array(synthetic["parents"].tolist())
    assert (y[parents[:, 0]] == synthetic["LABEL"]).all() and (y[parents[:, 1]] == synthetic["LABEL"]).all()
    u = gaps(X, synthetic[FEATURES].to_numpy(), parents)
    assert ((u >= 0) & (u < 1)).all()
    for c in (1, 2):
        rows = np.flatnonzero(y == c)
        neighbours = rows[brute_kneighbors(X[rows], X[rows], 4, exclude=np.arange(rows.size))]
        mine = synthetic["LABEL"].to_numpy() == c
        position = np.searchsorted(rows, parents[mine, 0])
        assert all(nb in neighbours[p] for p, nb in zip(position, parents[mine, 1]))
        # The rule's numbers are the counter-based generator's, keyed by (seed, stream, class, index).
        j = np.arange(mine.sum())
        assert np.array_equal(position, keyed_integers(7, 0, c, j, rows.size))
        np.testing.assert_allclose(u[mine], keyed_uniforms(7, 2, c, j), atol=1e-9)


@pytest.mark.parametrize("key", [None, "id"])
def test_same_seed_same_rows_whatever_the_partitioning(table, key):
    X, y, df = table

    def rows(parts, seed):
        out = isp.smote(df.repartition(parts), "LABEL", key=key, seed=seed)
        pdf = collect(out.filter("is_synthetic"), "LABEL", *FEATURES)
        return pdf.sort_values(["LABEL", *FEATURES]).to_numpy()

    one = rows(1, 0)
    assert np.array_equal(one, rows(3, 0)) and np.array_equal(one, rows(7, 0))
    assert not np.array_equal(one, rows(3, 1))


def test_smote_on_the_churn_table_keeps_types_and_nulls_the_other_columns(spark):
    pdf = load_churn()
    numeric = ["account_length", "total_day_minutes", "total_eve_minutes", "number_customer_service_calls"]
    pdf = pdf[["state", *numeric, "LABEL"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = spark.createDataFrame([tuple(r) for r in pdf.itertuples(index=False)], schema=list(pdf.columns))
    out = isp.smote(df, "LABEL", features=numeric, ratio=2, seed=0)
    assert out.columns == [*pdf.columns, "is_synthetic"]
    assert out.schema["account_length"].dataType == df.schema["account_length"].dataType
    counts = {r["LABEL"]: r["count"] for r in out.groupBy("LABEL").count().collect()}
    assert counts == imbalance.plan(pdf["LABEL"], "over", ratio=2).targets
    synthetic = collect(out.filter("is_synthetic"), "state", *numeric)
    assert synthetic["state"].isna().all()
    minority = pdf.loc[pdf.LABEL == 1, numeric]
    assert (synthetic[numeric].min() >= minority.min()).all() and (synthetic[numeric].max() <= minority.max()).all()
    assert (synthetic["account_length"] % 1 == 0).all()  # an integer column stays integral (rounded)


@pytest.mark.parametrize("as_vector", [True, False])
def test_a_vector_or_array_column_of_features(table, as_vector):
    X, y, df = table
    column = F.array(*FEATURES)
    vectors = df.select("id", "LABEL", (array_to_vector(column) if as_vector else column).alias("features"))
    out = isp.smote(vectors, "LABEL", features="features", key="id", seed=7, k_neighbors=4)
    assert out.schema["features"].dataType == vectors.schema["features"].dataType
    same = isp.smote(df, "LABEL", key="id", seed=7, k_neighbors=4)
    left = collect(out.filter("is_synthetic"), "features", "parents")
    right = collect(same.filter("is_synthetic"), *FEATURES, "parents")
    got = np.array([list(v) for v in left["features"]])
    order_left = np.lexsort(np.array(left["parents"].tolist()).T)
    order_right = np.lexsort(np.array(right["parents"].tolist()).T)
    np.testing.assert_allclose(got[order_left], right[FEATURES].to_numpy()[order_right])


# -- Borderline-SMOTE and ADASYN ----------------------------------------------------------

def test_borderline_bases_are_the_rows_in_danger(table):
    X, y, df = table
    out = isp.borderline_smote(df, "LABEL", key="id", seed=3, k_neighbors=3, m_neighbors=8)
    synthetic, _ = synthetic_part(out)
    parents = np.array(synthetic["parents"].tolist())
    for c in (1, 2):
        rows = np.flatnonzero(y == c)
        others = (y[brute_kneighbors(X[rows], X, 8, exclude=rows)] != c).sum(axis=1)
        danger = set(rows[(others >= 4) & (others < 8)])
        assert danger and set(parents[synthetic["LABEL"] == c, 0]) <= danger
    gaps(X, synthetic[FEATURES].to_numpy(), parents)


def test_borderline_2_reaches_towards_other_classes_with_half_gaps(table):
    X, y, df = table
    out = isp.borderline_smote(df, "LABEL", key="id", seed=3, k_neighbors=6, kind="borderline-2")
    synthetic, _ = synthetic_part(out)
    parents = np.array(synthetic["parents"].tolist())
    u = gaps(X, synthetic[FEATURES].to_numpy(), parents)
    other = y[parents[:, 1]] != synthetic["LABEL"].to_numpy()
    assert other.any() and (u[other] < 0.5).all() and (u[~other] < 1).all()
    nearest = brute_kneighbors(X[parents[:, 0]], X, 6, exclude=parents[:, 0])
    assert all(nb in near for nb, near in zip(parents[:, 1], nearest))


def test_adasyn_splits_rows_by_hardness(table):
    X, y, df = table
    out, plan = isp.adasyn(df, "LABEL", key="id", seed=1, k_neighbors=5, return_plan=True)
    synthetic, _ = synthetic_part(out)
    parents = np.array(synthetic["parents"].tolist())
    for c in (1, 2):
        rows = np.flatnonzero(y == c)
        hardness = (y[brute_kneighbors(X[rows], X, 5, exclude=rows)] != c).mean(axis=1)
        expected = apportion(hardness, plan.targets[c] - rows.size)
        got = np.bincount(np.searchsorted(rows, parents[synthetic["LABEL"] == c, 0]), minlength=rows.size)
        assert np.array_equal(got, expected)


# -- bad input -----------------------------------------------------------------------------

def test_bad_input_gets_one_clear_error(table, spark):
    X, y, df = table
    with pytest.raises(ValueError, match="fewer than k_neighbors"):
        isp.smote(df.filter((F.col("LABEL") != 2) | (F.col("id") < 40)), "LABEL", k_neighbors=5)
    with pytest.raises(ValueError, match="label column 'y' is not in the DataFrame"):
        isp.smote(df, "y")
    with pytest.raises(ValueError, match="'a' has 1 missing, NaN or infinite"):
        isp.smote(df.withColumn("a", F.when(F.col("id") == 3, F.lit(float("nan"))).otherwise(F.col("a"))), "LABEL")
    vectors = df.select("LABEL", "a", array_to_vector(F.array(*FEATURES)).alias("v"))
    with pytest.raises(TypeError, match="'v' is a vector column; pass features='v' on its own"):
        isp.smote(vectors, "LABEL", features=["a", "v"])
    with pytest.raises(TypeError, match="'s' has type string, not a number"):
        isp.smote(df.withColumn("s", F.lit("x")), "LABEL", features=["a", "s"])
    with pytest.raises(ValueError, match="column 'is_synthetic' already exists"):
        isp.smote(df.withColumn("is_synthetic", F.lit(1)), "LABEL")
    with pytest.raises(ValueError, match="above the broadcast bound"):  # smote takes the block join instead
        isp.adasyn(df, "LABEL", max_broadcast_bytes=1000)
    with pytest.raises(ValueError, match="minority class .* above the broadcast bound"):
        isp.near_miss(df, "LABEL", max_broadcast_bytes=1000)
    with pytest.raises(ValueError, match="classes outside the largest .* above the broadcast bound"):
        isp.tomek_links(df, "LABEL", max_broadcast_bytes=1000)
    with pytest.raises(ValueError, match="kind must be"):
        isp.borderline_smote(df, "LABEL", kind="borderline-3")
    with pytest.raises(TypeError, match="expected a pyspark.sql.DataFrame"):
        isp.smote(X, "LABEL")


# -- NearMiss and Tomek links --------------------------------------------------------------

@pytest.mark.parametrize("version", [1, 2, 3])
def test_near_miss_keeps_the_rows_the_in_memory_sampler_keeps(table, version):
    X, y, df = table
    out, plan = isp.near_miss(df, "LABEL", version=version, key="id", ratio=2, return_plan=True)
    reference = imbalance.NearMiss(version=version, ratio=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit_resample(X, y)
    kept = np.sort(collect(out, "id")["id"].to_numpy())
    assert np.array_equal(kept, np.sort(reference.sample_indices_))
    assert plan.targets == reference.plan_.targets


def test_near_miss_cut_is_exact_where_scores_tie(spark):
    # Integer features: many rows share a score, and without a key identical rows share a hash.
    rng = np.random.default_rng(5)
    rows = [(int(c), float(rng.integers(0, 3)), float(rng.integers(0, 3))) for c in rng.random(3000) < 0.1]
    df = spark.createDataFrame(rows, ["LABEL", "a", "b"])
    out, plan = isp.near_miss(df, "LABEL", return_plan=True, ratio=3)
    assert {r["LABEL"]: r["count"] for r in out.groupBy("LABEL").count().collect()} == plan.targets


@pytest.mark.parametrize("classes", [None, "all"])
def test_tomek_links_remove_what_the_in_memory_sampler_removes(table, classes):
    X, y, df = table
    out, plan = isp.tomek_links(df, "LABEL", key="id", classes=classes, return_plan=True)
    reference = imbalance.TomekLinks(classes=classes)
    reference.fit_resample(X, y)
    kept = np.sort(collect(out, "id")["id"].to_numpy())
    assert kept.size < len(y)
    assert np.array_equal(kept, np.sort(reference.sample_indices_))
    assert plan.targets == reference.plan_.targets
    without_key = isp.tomek_links(df.drop("id"), "LABEL", classes=classes)
    assert without_key.count() == kept.size


# -- SMOTE-NC -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed(spark):
    """Two numeric features, a string and an integer categorical column that go with the class."""
    rng = np.random.default_rng(5)
    n = 900
    y = (rng.random(n) < 0.12).astype(int)
    X = rng.normal(size=(n, 2)) + y[:, None]
    colour = np.where(rng.random(n) < 0.6 + 0.3 * y, "red", rng.choice(["blue", "green"], n))
    size = np.where(rng.random(n) < 0.5, 1, rng.choice([2, 3], n)).astype(np.int64)
    rows = [(i, int(y[i]), float(X[i, 0]), float(X[i, 1]), str(colour[i]), int(size[i])) for i in range(n)]
    df = spark.createDataFrame(rows, ["id", "LABEL", "a", "b", "colour", "size"]).repartition(3).cache()
    return X, y, colour, size, df


def nc_space(X, cats, rows):
    """SMOTE-NC's space for a class: numeric features and one-hot columns of height m / sqrt(2)."""
    m = np.median(X[rows].std(axis=0))
    blocks = [X[rows]]
    for column in cats:
        values = column[rows]
        blocks.append((values[:, None] == np.unique(values)[None, :]) * (m / np.sqrt(2)))
    return np.hstack(blocks)


def test_smote_nc_neighbours_segments_and_votes(mixed):
    X, y, colour, size, df = mixed
    out, plan = isp.smote_nc(df, "LABEL", categorical=["colour", "size"], key="id", seed=3, k_neighbors=4,
                             return_plan=True)
    assert plan == imbalance.plan(y, "over")
    pdf = collect(out, "id", "LABEL", "a", "b", "colour", "size", "is_synthetic", "parents")
    synthetic = pdf[pdf.is_synthetic].reset_index(drop=True)
    assert len(synthetic) == plan.targets[1] - int(y.sum()) and (synthetic["LABEL"] == 1).all()
    assert synthetic["size"].dtype == np.int64 and set(synthetic["colour"]) <= {"red", "blue", "green"}
    rows = np.flatnonzero(y == 1)
    neighbours = rows[brute_kneighbors(*[nc_space(X, [colour, size], rows)] * 2, 4, exclude=np.arange(rows.size))]
    parents = np.array(synthetic["parents"].tolist())
    position = np.searchsorted(rows, parents[:, 0])
    assert all(nb in neighbours[p] for p, nb in zip(position, parents[:, 1]))
    u = gaps(X, synthetic[["a", "b"]].to_numpy(), parents)
    assert ((u >= 0) & (u < 1)).all()
    for column, got in ((colour, synthetic["colour"]), (size, synthetic["size"])):
        for p, value in zip(position, got):
            votes = pd.Series(column[neighbours[p]]).value_counts()
            best = votes[votes == votes.max()].index
            assert value == sorted(best, key=str)[0]  # the most voted, ties to the smallest as text


def test_smote_nc_is_the_same_whatever_the_partitioning_and_refuses_bad_input(mixed, spark):
    X, y, colour, size, df = mixed

    def rows(parts):
        out = isp.smote_nc(df.repartition(parts), "LABEL", categorical=["colour", "size"], features=["a", "b"])
        return collect(out.filter("is_synthetic"), "a", "b", "colour", "size").sort_values(["a", "b"]).to_numpy()

    assert np.array_equal(rows(1), rows(5))
    with pytest.raises(InputError, match="categorical=\\[...\\]"):
        isp.smote_nc(df, "LABEL", categorical=[])
    with pytest.raises(InputError, match="categorical column 'shape' is not in"):
        isp.smote_nc(df, "LABEL", categorical=["shape"])
    with pytest.raises(InputError, match="in both features and categorical"):
        isp.smote_nc(df, "LABEL", categorical=["size"], features=["a", "size"])
    only = df.select("LABEL", "colour")
    with pytest.raises(InputError, match="at least one numeric feature"):
        isp.smote_nc(only, "LABEL", categorical=["colour"])
    first = int(np.flatnonzero(y == 1)[0])
    holes = df.withColumn("colour", F.when(F.col("id") == first, None).otherwise(F.col("colour")))
    with pytest.raises(InputError, match="categorical column 'colour' has missing values in class 1"):
        isp.smote_nc(holes, "LABEL", categorical=["colour"])


# -- above the broadcast bound: the block join ---------------------------------------------

@pytest.mark.parametrize("key", [None, "id"])
def test_a_class_above_the_bound_gets_the_same_rows_by_a_block_join(table, key):
    """Class 1 (about 180 rows x 4 features = 5.8 kB) above a 4 kB bound goes through the block
    join (blocks of 1 kB: 31 rows, 6 blocks, 36 block pairs), class 2 stays below it: the same
    synthetic rows as with everything sent to every task, and the same parents."""
    X, y, df = table
    columns = ["LABEL", *FEATURES] + (["parents"] if key else [])

    def synthetic(limit):
        out = isp.smote(df, "LABEL", key=key, seed=11, k_neighbors=4, max_broadcast_bytes=limit)
        pdf = collect(out.filter("is_synthetic"), *columns)
        return pdf.sort_values(["LABEL", *FEATURES]).reset_index(drop=True)

    assert (y == 1).sum() * 4 * 8 > 4000 > (y == 2).sum() * 4 * 8
    pd.testing.assert_frame_equal(synthetic(4000), synthetic(2**30), check_exact=True)


def test_block_neighbours_equal_a_brute_force(table, spark):
    from imbalance.spark._blocks import block_kneighbors, positioned_class

    X, y, df = table
    positioned = positioned_class(df, "LABEL", 1, FeatureColumns(columns=tuple(FEATURES)), "id")
    found = block_kneighbors(positioned, int((y == 1).sum()), 4, 5, 300).toPandas().sort_values("__imbalance_pos")
    rows = np.flatnonzero(y == 1)  # positions follow the key, and id is the row number
    expected = brute_kneighbors(X[rows], X[rows], 5, exclude=np.arange(rows.size))
    assert np.array_equal(np.stack(found["neighbors"].to_numpy()), expected)
