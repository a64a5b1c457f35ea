"""Balanced bagging on Spark, on a real local session: exact keyed draws per member, members
fitted on executors, probabilities equal to the members' mean, save and load."""

import numpy as np
import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.ml import Pipeline  # noqa: E402
from pyspark.ml.feature import VectorAssembler  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from sklearn.ensemble import AdaBoostClassifier  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

import imbalance  # noqa: E402
import imbalance.spark as isp  # noqa: E402
from imbalance.metrics import correct_prior  # noqa: E402
from imbalance.spark._columns import FeatureColumns  # noqa: E402
from imbalance.spark._ensemble import member_draws  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

FEATURES = ["a", "b", "c"]


@pytest.fixture(scope="module")
def table(spark):
    rng = np.random.default_rng(0)
    n = 4000
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=n) > 2.3).astype(float)
    rows = [(i, float(y[i]), *map(float, X[i])) for i in range(n)]
    return X, y, spark.createDataFrame(rows, ["id", "label", *FEATURES]).repartition(4).cache()


def test_every_member_draws_the_plan_exactly_whatever_the_partitioning(table):
    X, y, df = table
    counts = {0.0: int((y == 0).sum()), 1.0: int((y == 1).sum())}
    targets = imbalance.plan(y, "under", ratio=2).targets
    spec = FeatureColumns(columns=tuple(FEATURES))

    def draws(frame):
        got = member_draws(frame, "label", spec, counts, targets, 6, seed=3, key="id").select(
            "__imbalance_member", "id", "label").toPandas()
        return {m: set(part["id"]) for m, part in got.groupby("__imbalance_member")}, got

    by_member, got = draws(df)
    assert got.groupby(["__imbalance_member", "label"]).size().to_dict() == {
        (m, c): t for m in range(6) for c, t in targets.items()}
    assert by_member == draws(df.repartition(1))[0] == draws(df.repartition(7))[0]
    minority = set(np.flatnonzero(y == 1))
    assert all(minority <= rows for rows in by_member.values())  # the minority whole in every member
    assert len({frozenset(rows) for rows in by_member.values()}) == 6  # the majority drawn anew per member


def test_probabilities_are_the_members_mean_and_rank_well(table):
    X, y, df = table
    model = isp.BalancedBagging(estimator=DecisionTreeClassifier(max_depth=4), nEstimators=5, featureCols=FEATURES,
                                key="id", seed=1).fit(df)
    assert len(model.members) == 5 and model.classes == [0.0, 1.0]
    out = model.transform(df).select("id", "probability", "prediction").toPandas().sort_values("id")
    proba = np.array([v.toArray() for v in out["probability"]])
    expected = np.mean([m.predict_proba(X) for m in model.members], axis=0)
    np.testing.assert_allclose(proba, expected, atol=1e-12)
    assert np.array_equal(out["prediction"].to_numpy(), proba.argmax(axis=1).astype(float))
    assert average_precision_score(y, proba[:, 1]) > 3 * y.mean()  # far above chance
    model.set(model.prior, "true")
    true = np.array([v.toArray() for v in model.transform(df).select("id", "probability").toPandas()
                     .sort_values("id")["probability"]])
    np.testing.assert_allclose(true, correct_prior(expected, [1, 1], [(y == 0).mean(), (y == 1).mean()]), atol=1e-12)


def test_easy_ensemble_in_a_pipeline_saves_and_loads(table, tmp_path):
    X, y, df = table
    bagging = isp.BalancedBagging(estimator=AdaBoostClassifier(n_estimators=10), nEstimators=3, featuresCol="features",
                                  seed=0)
    pipeline = Pipeline(stages=[VectorAssembler(inputCols=FEATURES, outputCol="features"), bagging])
    fitted = pipeline.fit(df)
    fitted.write().overwrite().save(str(tmp_path / "easy"))
    loaded = type(fitted).load(str(tmp_path / "easy"))
    left = fitted.transform(df).select("id", "prediction").toPandas().sort_values("id")
    right = loaded.transform(df).select("id", "prediction").toPandas().sort_values("id")
    assert left.equals(right) and left["prediction"].sum() > 0
    bagging.write().overwrite().save(str(tmp_path / "estimator"))
    again = isp.BalancedBagging.load(str(tmp_path / "estimator"))
    assert isinstance(again.getOrDefault(again.estimator), AdaBoostClassifier)
    assert again.getOrDefault(again.nEstimators) == 3


def test_bad_input_gets_one_clear_error(table):
    X, y, df = table
    with pytest.raises(TypeError, match="must be a scikit-learn classifier"):
        isp.BalancedBagging(estimator=object(), featureCols=FEATURES).fit(df)
    with pytest.raises(ValueError, match="prior must be"):
        isp.BalancedBagging(prior="population", featureCols=FEATURES).fit(df)
    with pytest.raises(ValueError, match="'a' has 1 missing"):
        isp.BalancedBagging(featureCols=FEATURES).fit(df.withColumn("a", F.when(F.col("id") == 0, None).otherwise(
            F.col("a"))))
