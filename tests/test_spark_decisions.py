"""Decisions on Spark, on a real local session: every metric against scikit-learn's (or ours)
on the same rows, the tuned threshold against a brute-force sweep, prior correction against
imbalance.metrics.correct_prior, and the stages inside Pipeline and CrossValidator."""

import numpy as np
import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.ml import Pipeline, PipelineModel  # noqa: E402
from pyspark.ml.classification import LogisticRegression  # noqa: E402
from pyspark.ml.feature import VectorAssembler  # noqa: E402
from pyspark.ml.linalg import Vectors  # noqa: E402
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

import imbalance.spark as isp  # noqa: E402
from imbalance.metrics import correct_prior, g_mean_score  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]


def scored(n=3000, seed=0, digits=None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.07).astype(float)
    p = 1 / (1 + np.exp(-(rng.normal(size=n) + 2.0 * y - 2.5)))
    return y, (np.round(p, digits) if digits is not None else p)


def frame(spark, y, p, parts=5, vector=True):
    rows = [(float(a), Vectors.dense([1 - b, b]) if vector else float(b)) for a, b in zip(y, p)]
    return spark.createDataFrame(rows, ["label", "probability"]).repartition(parts)


@pytest.mark.parametrize("digits, parts", [(None, 1), (None, 7), (2, 4), (1, 3)])
def test_average_precision_equals_scikit_learns_with_and_without_ties(spark, digits, parts):
    y, p = scored(digits=digits)
    got = isp.average_precision(frame(spark, y, p, parts), "label", "probability")
    assert got == pytest.approx(skm.average_precision_score(y, p), abs=1e-12)


def test_the_evaluator_equals_the_reference_metrics(spark):
    y, p = scored(seed=1)
    decided = (p >= 0.3).astype(float)
    rows = [(float(a), Vectors.dense([1 - b, b]), float(d)) for a, b, d in zip(y, p, decided)]
    df = spark.createDataFrame(rows, ["label", "probability", "prediction"])
    expected = {
        "averagePrecision": skm.average_precision_score(y, p),
        "brier": skm.brier_score_loss(y, p),
        "balancedAccuracy": skm.balanced_accuracy_score(y, decided),
        "mcc": skm.matthews_corrcoef(y, decided),
        "gMean": g_mean_score(y, decided),
        "f1": skm.f1_score(y, decided),
    }
    for metric, value in expected.items():
        assert isp.ImbalancedEvaluator(metricName=metric).evaluate(df) == pytest.approx(value, abs=1e-12), metric
        by_threshold = isp.ImbalancedEvaluator(metricName=metric, threshold=0.3, predictionCol="none")
        assert by_threshold.evaluate(df) == pytest.approx(value, abs=1e-12), metric
    costs = [[0.0, 1.0], [20.0, 0.0]]
    cost = isp.ImbalancedEvaluator(metricName="expectedCost", costMatrix=costs).evaluate(df)
    assert cost == pytest.approx((decided[y == 0].sum() * 1 + (1 - decided[y == 1]).sum() * 20) / len(y))
    assert not isp.ImbalancedEvaluator(metricName="expectedCost", costMatrix=costs).isLargerBetter()


def test_multiclass_decisions_equal_scikit_learns(spark):
    rng = np.random.default_rng(2)
    y = rng.choice(3, size=900, p=[0.8, 0.15, 0.05]).astype(float)
    d = np.where(rng.random(900) < 0.7, y, rng.choice(3, size=900)).astype(float)
    df = spark.createDataFrame([(float(a), float(b)) for a, b in zip(y, d)], ["label", "prediction"])
    assert isp.ImbalancedEvaluator(metricName="mcc").evaluate(df) == pytest.approx(skm.matthews_corrcoef(y, d))
    assert isp.ImbalancedEvaluator(metricName="balancedAccuracy").evaluate(df) == pytest.approx(
        skm.balanced_accuracy_score(y, d))
    assert isp.ImbalancedEvaluator(metricName="gMean").evaluate(df) == pytest.approx(g_mean_score(y, d))


@pytest.mark.parametrize("metric", ["f1", "balancedAccuracy", "mcc", "gMean", "expectedCost"])
def test_the_tuned_threshold_is_the_best_of_a_brute_force_sweep(spark, metric):
    y, p = scored(seed=3, digits=3)
    costs = [[0.0, 1.0], [10.0, 0.0]]
    model = isp.ThresholdTuner(metricName=metric, costMatrix=costs).fit(frame(spark, y, p))

    def value(t):
        d = (p >= t).astype(float)
        if metric == "expectedCost":
            return -((d[y == 0]).sum() + 10 * (1 - d[y == 1]).sum()) / len(y)
        return {"f1": skm.f1_score, "balancedAccuracy": skm.balanced_accuracy_score, "mcc": skm.matthews_corrcoef,
                "gMean": g_mean_score}[metric](y, d)

    candidates = np.unique(p)[::-1]
    values = np.array([value(t) for t in candidates])
    best = candidates[np.flatnonzero(values == values.max())[0]]  # ties: the highest threshold
    assert model.getOrDefault(model.threshold) == pytest.approx(best)
    decided = model.transform(frame(spark, y, p, parts=3)).select("prediction").toPandas()["prediction"]
    assert decided.sum() == (p >= best).sum()


def test_prior_correction_equals_the_formula(spark):
    y, p = scored(seed=4, n=200)
    train, true = [0.5, 0.5], [0.93, 0.07]
    got = PipelineModel(stages=[isp.PriorCorrection(trainPrior=train, truePrior=true)]).transform(
        frame(spark, y, p, parts=1)).select("probability").toPandas()["probability"]
    np.testing.assert_allclose(np.array([v.toArray() for v in got]),
                               correct_prior(np.column_stack([1 - p, p]), train, true), atol=1e-12)
    number = isp.PriorCorrection(trainPrior=train, truePrior=true, outputCol="corrected").transform(
        frame(spark, y, p, parts=1, vector=False)).select("corrected").toPandas()["corrected"]
    np.testing.assert_allclose(number, correct_prior(np.column_stack([1 - p, p]), train, true)[:, 1], atol=1e-12)


def test_stages_sit_in_a_pipeline_and_a_cross_validator_and_save(spark, tmp_path):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(1500, 3))
    y = (X[:, 0] + rng.normal(size=1500) > 2.2).astype(float)
    df = spark.createDataFrame([(float(a), *map(float, x)) for a, x in zip(y, X)], ["label", "a", "b", "c"])
    assembler = VectorAssembler(inputCols=["a", "b", "c"], outputCol="features")
    lr = LogisticRegression()
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 10.0]).build()
    cv = CrossValidator(estimator=Pipeline(stages=[assembler, lr]), estimatorParamMaps=grid, numFolds=3, seed=0,
                        evaluator=isp.ImbalancedEvaluator(metricName="averagePrecision"))
    model = cv.fit(df)
    assert model.avgMetrics[0] > model.avgMetrics[1]  # no regularisation ranks the positives better
    predictions = model.transform(df)
    tuned = isp.ThresholdTuner(metricName="f1").fit(predictions)
    pipeline = PipelineModel(stages=[model.bestModel, isp.PriorCorrection(trainPrior=[1, 1], truePrior=[1, 1]), tuned])
    pipeline.write().overwrite().save(str(tmp_path / "decisions"))
    loaded = PipelineModel.load(str(tmp_path / "decisions"))
    left = pipeline.transform(df).select("prediction").toPandas()
    right = loaded.transform(df).select("prediction").toPandas()
    assert left.equals(right) and left["prediction"].sum() > 0
    evaluator = isp.ImbalancedEvaluator(metricName="mcc", threshold=0.4)
    evaluator.write().overwrite().save(str(tmp_path / "evaluator"))
    again = isp.ImbalancedEvaluator.load(str(tmp_path / "evaluator"))
    assert again.getOrDefault(again.threshold) == 0.4 and again.getOrDefault(again.metricName) == "mcc"


def test_bad_input_gets_one_clear_error(spark):
    y, p = scored(n=100)
    df = frame(spark, y, p, parts=1)
    with pytest.raises(ValueError, match="metricName must be one of"):
        isp.ImbalancedEvaluator(metricName="accuracy").evaluate(df)
    with pytest.raises(ValueError, match="needs costMatrix"):
        isp.ImbalancedEvaluator(metricName="expectedCost", threshold=0.5).evaluate(df)
    with pytest.raises(ValueError, match="no positive rows"):
        isp.average_precision(df.filter("label = 0"), "label", "probability")
    with pytest.raises(ValueError, match="score column 'p' is not in the DataFrame"):
        isp.average_precision(df, "label", "p")
    with pytest.raises(ValueError, match="needs trainPrior"):
        isp.PriorCorrection().transform(df)
