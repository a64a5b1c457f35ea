"""The Spark backend, on a real local Spark session (one per module)."""

import warnings

import numpy as np
import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.ml import Pipeline  # noqa: E402
from pyspark.ml.classification import LogisticRegression  # noqa: E402
from pyspark.ml.evaluation import Evaluator  # noqa: E402
from pyspark.ml.feature import VectorAssembler  # noqa: E402
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import imbalance  # noqa: E402
import imbalance.spark as isp  # noqa: E402
import imbalance.spark._sampling as sampling  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402

# A real Spark session: the slow tier (`pytest -m "not slow"` skips it).
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")]


@pytest.fixture(scope="module")
def churn(spark):
    pdf = load_churn()
    pdf = pdf.assign(**{c: pdf[c].astype(str) for c in ("state", "area_code", "international_plan", "voice_mail_plan")})
    pdf.insert(0, "id", np.arange(len(pdf)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [tuple(r) for r in pdf.itertuples(index=False)]
    return spark.createDataFrame(rows, schema=list(pdf.columns)).cache()


def counts(df, target="LABEL"):
    return {r[target]: r["count"] for r in df.groupBy(target).count().collect()}


def test_plan_equals_the_foundation(churn):
    assert isp.class_counts(churn, "LABEL") == {0: 4293, 1: 707}
    assert isp.plan(churn, "LABEL", "under", ratio=3) == imbalance.plan(load_churn()["LABEL"], "under", ratio=3)


@pytest.mark.parametrize("strategy, ratio, expected", [
    ("under", 1.0, {0: 707, 1: 707}),
    ("under", 3.0, {0: 2121, 1: 707}),
    ("over", 1.0, {0: 4293, 1: 4293}),
    ("over", 2.0, {0: 4293, 1: 2147}),
])
def test_exact_counts(churn, strategy, ratio, expected):
    out = isp.resample(churn, "LABEL", strategy, ratio=ratio, seed=1)
    assert counts(out) == expected
    assert out.columns == churn.columns


@pytest.mark.parametrize("exact", [True, False])
def test_return_plan_gives_the_realized_counts(churn, exact):
    out, plan = isp.under_sample(churn, "LABEL", ratio=2, seed=2, exact=exact, return_plan=True)
    assert plan.targets == {0: 1414, 1: 707} and plan.counts == {0: 4293, 1: 707}
    if exact:
        assert counts(out) == plan.targets
    # Realized counts of any result, observed during the caller's own action (no extra scan).
    from pyspark.sql import Observation
    seen = Observation()
    observed = out.observe(seen, *[F.count_if(F.col("LABEL") == c).alias(str(c)) for c in plan.targets])
    total = observed.count()
    assert {int(c): v for c, v in seen.get.items()} == counts(out) and total == sum(seen.get.values())


def test_over_sampling_keeps_every_original_row(churn):
    out = isp.over_sample(churn, "LABEL", seed=3)
    per_id = {r["id"]: r["count"] for r in out.groupBy("id").count().collect()}
    assert len(per_id) == 5000  # every original row is there
    labels = load_churn()["LABEL"].to_numpy()
    minority = [per_id[i] for i in range(5000) if labels[i] == 1]
    assert set(minority) <= {6, 7} and sum(minority) == 4293  # 4293 = 6 x 707 + 51


def test_same_seed_same_rows_and_key_ignores_partitioning(churn):
    a = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", seed=5, key="id").select("id").collect())
    b = sorted(r["id"] for r in isp.under_sample(churn.repartition(7), "LABEL", seed=5, key="id").select("id").collect())
    c = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", seed=6, key="id").select("id").collect())
    assert a == b and a != c and len(a) == 1414
    d = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", seed=5).select("id").collect())
    e = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", seed=5).select("id").collect())
    assert d == e  # without key: same seed and same partitioning, same rows


def test_exact_even_when_labels_were_generated_with_rand(spark):
    # Spark's rand(seed) restarts per partition from seed + partition index: a sampler keyed on
    # rand would correlate with labels drawn that way and fall short of its quota.
    df = spark.range(200_000, numPartitions=2).withColumn("LABEL", (F.rand(1) < 0.05).cast("int"))
    got = counts(isp.under_sample(df, "LABEL", seed=0))
    assert got[0] == got[1]


def test_inexact_mode_is_close(churn):
    got = counts(isp.under_sample(churn, "LABEL", seed=0, exact=False))
    assert got[1] == 707 and abs(got[0] - 707) < 6 * np.sqrt(707)


def test_weights_equal_the_foundations(churn):
    out = isp.with_weights(churn, "LABEL", scheme="effective", beta=0.99, normalize="classes")
    got = {r["LABEL"]: r["weight"] for r in out.select("LABEL", "weight").distinct().collect()}
    expected = imbalance.class_weights(load_churn()["LABEL"], "effective", beta=0.99, normalize="classes")
    assert got == pytest.approx(expected)


def test_stratified_folds(churn):
    out = isp.stratified_folds(churn, "LABEL", k=5, seed=0)
    table = {(r["LABEL"], r["fold"]): r["count"] for r in out.groupBy("LABEL", "fold").count().collect()}
    for label, n in ((0, 4293), (1, 707)):
        per_fold = [table[(label, f)] for f in range(5)]
        assert sum(per_fold) == n and max(per_fold) - min(per_fold) <= 1


class RecordingEvaluator(Evaluator):
    """Area under PR, and a record of every evaluation set's size and positive rate."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def _evaluate(self, dataset):
        stats = dataset.agg(F.count("*").alias("n"), F.avg("LABEL").alias("rate")).collect()[0]
        self.seen.append((stats["n"], stats["rate"]))
        return 0.5

    def isLargerBetter(self):
        return True


def test_cross_validator_never_resamples_evaluation_rows(churn):
    data = isp.stratified_folds(churn, "LABEL", k=3, seed=0)
    features = VectorAssembler(inputCols=["total_day_minutes", "number_customer_service_calls"], outputCol="features")
    model = isp.ResampledEstimator(LogisticRegression(labelCol="LABEL", maxIter=5), labelCol="LABEL",
                                   strategy="under", seed=0)
    evaluator = RecordingEvaluator()
    cv = CrossValidator(estimator=Pipeline(stages=[features, model]), estimatorParamMaps=ParamGridBuilder().build(),
                        evaluator=evaluator, foldCol="fold", numFolds=3, parallelism=1)
    cv.fit(data)
    fold_sizes = {r["fold"]: r["count"] for r in data.groupBy("fold").count().collect()}
    assert sorted(n for n, _ in evaluator.seen) == sorted(fold_sizes.values())
    for _, rate in evaluator.seen:
        assert abs(rate - 707 / 5000) < 0.01  # the natural positive rate, not the resampled 50%


def test_ratio_is_a_param_a_grid_can_tune(churn):
    features = VectorAssembler(inputCols=["total_day_minutes", "number_customer_service_calls"], outputCol="features")
    data = features.transform(churn)
    model = isp.ResampledEstimator(LogisticRegression(labelCol="LABEL", maxIter=3), labelCol="LABEL", seed=0)
    grid = ParamGridBuilder().addGrid(model.ratio, [1.0, 3.0]).build()
    sizes = [model.fit(data, params).summary.predictions.count() for params in grid]
    assert sizes == [2 * 707, 4 * 707]
    assert model.getOrDefault(model.ratio) == 1.0  # fit(params) works on a copy


def test_save_and_load_alone_and_in_a_pipeline(churn, tmp_path):
    features = VectorAssembler(inputCols=["total_day_minutes", "number_customer_service_calls"], outputCol="features")
    model = isp.ResampledEstimator(LogisticRegression(labelCol="LABEL", maxIter=4), labelCol="LABEL",
                                   strategy="over", ratio=2.0, seed=7, key="id")
    model.save(str(tmp_path / "resampled"))
    loaded = isp.ResampledEstimator.load(str(tmp_path / "resampled"))
    assert loaded.uid == model.uid
    for name in ("labelCol", "strategy", "ratio", "seed", "key", "exact"):
        assert loaded.getOrDefault(name) == model.getOrDefault(name)
    inner = loaded.getOrDefault(loaded.estimator)
    assert isinstance(inner, LogisticRegression) and inner.getMaxIter() == 4

    pipeline = Pipeline(stages=[features, model])
    pipeline.save(str(tmp_path / "pipeline"))
    again = Pipeline.load(str(tmp_path / "pipeline"))
    a = pipeline.fit(churn).stages[-1].coefficients
    b = again.fit(churn).stages[-1].coefficients
    assert list(a) == list(b)  # same params, same seed and key: the same fit


def test_estimator_errors(churn, tmp_path):
    with pytest.raises(imbalance.ParameterError, match="needs an estimator"):
        isp.ResampledEstimator(labelCol="LABEL").fit(churn)
    with pytest.raises(imbalance.ParameterError, match="'under' or 'over'"):
        isp.ResampledEstimator(LogisticRegression(), labelCol="LABEL", strategy="sideways").fit(churn)


def test_bad_input(churn):
    with pytest.raises(imbalance.InputError, match="label column 'nope'"):
        isp.resample(churn, "nope")
    with pytest.raises(imbalance.StrategyError, match="ratio must be >= 1"):
        isp.under_sample(churn, "LABEL", ratio=0.5)
    with pytest.raises(imbalance.InputError, match="key column"):
        isp.under_sample(churn, "LABEL", key="missing")
    with pytest.raises(imbalance.InputTypeError, match="pyspark.sql.DataFrame"):
        isp.class_counts(load_churn(), "LABEL")


@pytest.mark.parametrize("how", ["band too large to collect", "band missed the threshold"])
def test_ranking_fallback(churn, monkeypatch, how):
    # When the threshold cannot be read off the band's keys, rows are ranked in Spark instead,
    # with the same exact counts and the same rows.
    expected = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", ratio=2, seed=4, key="id").collect())
    if how == "band too large to collect":
        monkeypatch.setattr(sampling, "_COLLECT_LIMIT", 10)
    else:
        monkeypatch.setattr(sampling, "_band", lambda t, n: (0.0, 0.0))
    got = sorted(r["id"] for r in isp.under_sample(churn, "LABEL", ratio=2, seed=4, key="id").collect())
    assert got == expected and len(got) == 3 * 707


def test_threshold_read_off_the_band_is_the_t_th_smallest_key(churn):
    keyed = churn.withColumn(sampling._KEY, sampling._uniform_key(9, "id"))
    rows = keyed.select("LABEL", sampling._KEY).collect()
    counts = {0: 4293, 1: 707}
    wanted = {0: 1000, 1: 300}
    got = sampling._key_thresholds(keyed, "LABEL", wanted, counts)
    for c, t in wanted.items():
        assert got[c] == sorted(key for label, key in rows if label == c)[t - 1]


def test_target_is_renamed_label_col(churn):
    with pytest.warns(FutureWarning, match="target= is renamed label_col="):
        old = isp.class_counts(churn, target="LABEL")
    assert old == isp.class_counts(churn, label_col="LABEL") == isp.class_counts(churn, "LABEL")
    with pytest.warns(FutureWarning, match="target= is renamed label_col="):
        assert isp.plan(churn, target="LABEL").targets == isp.plan(churn, label_col="LABEL").targets
