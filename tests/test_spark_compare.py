"""``imbalance.spark.compare`` on a real local session: the same table as the in-memory compare
on the same folds, the same answer and report, Spark ML models, the same result whatever the
partitioning, and one clear error for each bad argument before any cell runs."""

import warnings

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.ml.functions import array_to_vector  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

import imbalance.spark as isp  # noqa: E402
from cli_runner import run_cli  # noqa: E402
from imbalance._engine import preprocessor  # noqa: E402
from imbalance._registry import METHODS  # noqa: E402
from imbalance._validation import InputError, InputTypeError, ParameterError  # noqa: E402
from imbalance.answer import answer  # noqa: E402
from imbalance.comparison import compare  # noqa: E402
from imbalance.datasets import load_churn  # noqa: E402
from imbalance.model_selection import FoldPlan  # noqa: E402
from imbalance.report import write_report  # noqa: E402
from imbalance.spark._compare import SPARK_FUNCTIONS  # noqa: E402
from imbalance.spark._io import from_pandas  # noqa: E402
from imbalance.strategies import SPARK_STRATEGIES, STRATEGIES  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

RECIPES = ["none", "class_weight", "under_3:1", "smote", "threshold"]


@pytest.fixture(scope="module")
def churn():
    """The churn table with some missing values (numeric and categorical) and 3 stratified
    folds as a column."""
    df = load_churn()
    df.loc[::37, "total_day_minutes"] = np.nan
    df.loc[::53, "state"] = np.nan
    folds = FoldPlan.stratified(df["LABEL"], n_splits=3, random_state=0)
    return df, folds


@pytest.fixture(scope="module")
def both(spark, churn):
    """The Spark compare and the in-memory compare of the churn table on the same folds."""
    df, folds = churn
    # in the pandas order (the row ids follow it, and a solver's last digits depend on the order of
    # the rows); test_same_seed_same_table_whatever_the_partitioning checks that partitioning
    # changes nothing
    table = from_pandas(spark, df.assign(fold=folds.assignments[0]))
    on_spark = isp.compare(table, "LABEL", RECIPES, ["logreg"], fold_col="fold")
    in_memory = compare(df.drop(columns="LABEL"), df["LABEL"], RECIPES, ["logreg"], cv=folds)
    return on_spark, in_memory


def by_cell(result, column):
    return result.results.set_index(["strategy", "model", "fold"])[column].sort_index()


def test_agrees_with_the_in_memory_compare_on_the_same_folds(both):
    on_spark, in_memory = both
    assert list(on_spark.summary["strategy"]) == RECIPES
    # the plan's counts are exact on Spark too: every cell fits on as many rows
    assert by_cell(on_spark, "n_fit").equals(by_cell(in_memory, "n_fit"))
    assert by_cell(on_spark, "n_test").equals(by_cell(in_memory, "n_test"))
    ap_spark, ap_memory = by_cell(on_spark, "average_precision"), by_cell(in_memory, "average_precision")
    for strategy in ("none", "class_weight", "threshold"):
        # no draw: the same preprocessing (imputed, scaled, one-hot) and the same model, fold by fold
        assert np.allclose(ap_spark.loc[strategy], ap_memory.loc[strategy], atol=1e-9, rtol=0), strategy
    mean_spark = on_spark.summary.set_index("strategy")["average_precision_mean"]
    mean_memory = in_memory.summary.set_index("strategy")["average_precision_mean"]
    for strategy in ("under_3:1", "smote"):
        # a draw: other rows of the same plan; the cell of the table (mean over folds) within 0.01
        assert abs(mean_spark[strategy] - mean_memory[strategy]) < 0.01, strategy
    for metric in ("brier", "brier_corrected", "f1", "mcc"):
        assert np.allclose(by_cell(on_spark, metric).loc["none"], by_cell(in_memory, metric).loc["none"], atol=1e-6)


def test_scores_equal_a_direct_computation(spark, churn, both):
    """Fold 0 of ``none``: the preprocessing and the model fitted by hand, AP by scikit-learn."""
    df, folds = churn
    test = folds.assignments[0] == 0
    X, y = df.drop(columns="LABEL"), df["LABEL"].to_numpy()
    prep = preprocessor(X, scale=True).fit(X[~test])
    model = LogisticRegression(max_iter=2000).fit(prep.transform(X[~test]), y[~test])
    expected = average_precision_score(y[test], model.predict_proba(prep.transform(X[test]))[:, 1])
    assert by_cell(both[0], "average_precision").loc[("none", "logreg", 0)] == pytest.approx(expected, abs=1e-9)


def test_the_threshold_recipe_is_the_none_model_at_a_tuned_threshold(both):
    on_spark, _ = both
    thresholds = by_cell(on_spark, "threshold")
    assert (thresholds.loc["threshold"] != 0.5).all() and (thresholds.loc["none"] == 0.5).all()
    assert np.allclose(by_cell(on_spark, "roc_auc").loc["threshold"], by_cell(on_spark, "roc_auc").loc["none"])


def test_the_result_feeds_the_answer_and_the_report(both, tmp_path):
    on_spark, _ = both
    verdicts = answer(on_spark, ("average_precision", "f1"))
    assert verdicts[0].choice[0] in RECIPES
    written = write_report(on_spark, tmp_path / "report", source="churn on Spark", settings={"engine": "spark"},
                           verdicts=verdicts)
    assert {"report.html", "summary.csv", "pr_curves.png"} <= {p.name for p in written}
    pooled = on_spark.predictions[("none", "logreg")]
    assert len(pooled) == 5000 and set(pooled.columns) >= {"y_true", "proba", "proba_corrected"}


@pytest.fixture(scope="module")
def three_classes(spark):
    rng = np.random.default_rng(1)
    y = rng.choice(3, size=900, p=[0.7, 0.2, 0.1])
    X = rng.normal(size=(900, 4)) + y[:, None]
    rows = [(int(c), [float(v) for v in x]) for c, x in zip(y, X)]
    frame = spark.createDataFrame(rows, ["label", "x"]).withColumn("x", array_to_vector("x"))
    return y, frame


def test_spark_ml_models_on_three_classes_and_a_vector_column(three_classes):
    y, frame = three_classes
    result = isp.compare(frame, "label", ["none", "class_weight", "under_1:1"], ["spark_logreg", "spark_random_forest"],
                         features="x", n_folds=2)
    assert len(result.results) == 3 * 2 * 2
    counts = np.bincount(y)
    under = result.results[result.results["strategy"] == "under_1:1"]
    # every class cut to the minority's count in each training part (2 folds: its count in the part)
    assert set(under["n_fit"]) <= {3 * (counts[2] // 2), 3 * (counts[2] - counts[2] // 2)}
    assert (result.summary["average_precision_mean"] > 0.6).all()  # the classes are well apart
    prior = counts / counts.sum()
    for model in ("spark_logreg", "spark_random_forest"):
        plain = result.predictions[("none", model)]
        assert np.allclose(plain.filter(like="proba_corrected_"), plain.filter(regex=r"^proba_\d"))
        # balanced class weights train under a uniform prior: the correction multiplies class c's
        # probability by its prior in the training part (the whole's, give or take a row of the
        # 93 of class 2: 3%) and renormalises
        weighted = result.predictions[("class_weight", model)]
        proba = weighted.filter(regex=r"^proba_\d").to_numpy()
        seen = (proba > 1e-9).all(axis=1)  # a forest gives some rows probability 0 for a class
        ratio = weighted.filter(like="proba_corrected_").to_numpy()[seen] / proba[seen]
        assert seen.sum() > 300 and np.allclose(ratio / ratio[:, :1], prior / prior[0], rtol=0.03)


def test_same_seed_same_table_whatever_the_partitioning(spark):
    rng = np.random.default_rng(2)
    y = (rng.random(400) < 0.15).astype(int)
    pdf = pd.DataFrame(rng.normal(size=(400, 3)) + y[:, None], columns=["a", "b", "c"]).assign(label=y,
                                                                                              id=np.arange(400))
    runs = []
    for partitions, seed in ((1, 3), (5, 3), (3, 4)):
        table = spark.createDataFrame(pdf).repartition(partitions)
        result = isp.compare(table, "label", ["under_1:1", "smote"], ["logreg"], n_folds=2, key="id",
                             random_state=seed)
        runs.append(result.results.drop(columns="seconds"))
    pd.testing.assert_frame_equal(runs[0], runs[1])
    assert not runs[0]["average_precision"].equals(runs[2]["average_precision"])  # another seed, other folds


def test_every_registry_method_with_a_spark_function_has_one():
    assert {m.spark for m in METHODS.values() if m.spark} <= set(SPARK_FUNCTIONS)
    assert set(SPARK_FUNCTIONS) <= set(isp.__all__)
    assert set(SPARK_STRATEGIES) <= set(STRATEGIES) and "balanced_rf" not in SPARK_STRATEGIES


@pytest.mark.parametrize("kwargs, error, words", [
    ({"recipes": ["balanced_rf"]}, ParameterError, "does not run on Spark"),
    ({"recipes": ["nonsense"]}, ParameterError, "unknown recipe"),
    ({"models": ["svm"]}, ParameterError, "unknown model"),
    ({"label_col": "nope"}, InputError, "label column 'nope' is not in"),
    ({"fold_col": "nope"}, InputError, "fold column 'nope'"),
    ({"metrics": ["accuracy"]}, ParameterError, "unknown metric"),
    ({"threshold_metric": "auc"}, ParameterError, "threshold_metric must be"),
    ({"features": ["when"]}, InputTypeError, "has type timestamp"),
    ({"key": "nope"}, InputError, "key column 'nope'"),
    ({"recipes": ["smote"], "k_neighbors": 50}, ParameterError, "at least k_neighbors + 1 = 51"),
    ({"n_folds": 1}, ParameterError, "n_folds"),
    ({"costs": {"FN": np.ones(200), "FP": 1.0}}, ParameterError, "costs per row are not available on Spark"),
    ({"costs": [[0, 1, 2], [1, 0, 2], [1, 1, 0]]}, ParameterError, r"costs must be a \(2, 2\) matrix"),
])
def test_bad_arguments_fail_before_any_cell_with_one_clear_error(spark, kwargs, error, words):
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"a": rng.normal(size=200), "label": (np.arange(200) < 60).astype(int),
                        "when": pd.Timestamp("2026-01-01")})
    table = spark.createDataFrame(pdf)
    with pytest.raises(error, match=words.replace("+", r"\+")):
        isp.compare(table, kwargs.pop("label_col", "label"), **{"models": ["logreg"], "features": ["a"], **kwargs})


def test_one_class_and_three_class_limits(spark):
    one = spark.createDataFrame(pd.DataFrame({"a": [1.0, 2.0, 3.0], "label": [0, 0, 0]}))
    with pytest.raises(InputError, match="1 class"):
        isp.compare(one, "label")
    three = spark.createDataFrame(pd.DataFrame({"a": np.arange(30.0), "label": np.arange(30) % 3}))
    with pytest.raises(ParameterError, match="'threshold' recipe is for binary"):
        isp.compare(three, "label", ["threshold"], ["logreg"])
    with pytest.raises(ParameterError, match="spark_gbt is Spark ML's binary"):
        isp.compare(three, "label", ["none"], ["spark_gbt"])


def test_the_command_line_runs_compare_on_spark(spark, tmp_path):
    rng = np.random.default_rng(4)
    y = np.where(rng.random(600) < 0.2, "churned", "stayed")
    pdf = pd.DataFrame(rng.normal(size=(600, 3)), columns=["a", "b", "c"]).assign(
        plan=rng.choice(["basic", "pro"], 600), LABEL=y)
    pdf.loc[y == "churned", "a"] += 1.5
    path = tmp_path / "table.parquet"
    pdf.to_parquet(path)
    done = run_cli("compare", path, "--engine", "spark", "--recipes", "none,under_1:1", "--models",
                   "logreg,spark_logreg", "--folds", "2", "--repeats", "1", "--out", tmp_path / "out", "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "The answer" in done.stdout and "under_1:1" in done.stdout
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert len(summary) == 2 * 2
    assert "spark (local[2])" in (tmp_path / "out" / "report.html").read_text()  # the tests' session
    # fit takes the report's recipe in memory; a Spark ML model is refused with the way out
    fitted = run_cli("fit", path, "--recipe", "under_1:1", "--model", "logreg", "-o", tmp_path / "m.joblib")
    assert fitted.returncode == 0, fitted.stderr
    refused = run_cli("fit", path, "--recipe", "none", "--model", "spark_logreg", "-o", tmp_path / "n.joblib")
    assert refused.returncode == 2 and "spark_logreg is a Spark ML model" in refused.stderr
    assert not (tmp_path / "n.joblib").exists()


def test_the_command_line_refuses_what_spark_does_not_take(tmp_path):
    done = run_cli("compare", "--engine", "spark", "--calibrate", "sigmoid", "--out", tmp_path / "out")
    assert done.returncode == 2 and "--calibrate is not available with --engine spark" in done.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        done = run_cli("compare", "--engine", "spark", "--labels", "total_*", "--out", tmp_path / "out")
    assert done.returncode == 2 and "label matrix" in done.stderr
    done = run_cli("compare", "--master", "local[2]", "--out", tmp_path / "out")
    assert done.returncode == 2 and "--master is for --engine spark" in done.stderr


def test_the_command_line_says_which_default_recipes_spark_leaves_out(spark, tmp_path):
    done = run_cli("compare", "--engine", "spark", "--models", "svm", "--out", tmp_path / "out")
    assert done.returncode == 2 and "unknown model 'svm'" in done.stderr
    assert "leaving out balanced_rf, mlp_weighted_ce, mlp_focal, mlp_balanced_sampler: they do not run on Spark" in (
        done.stderr)


def test_costs_score_the_bayes_decision_of_every_validation_row(spark):
    rng = np.random.default_rng(6)
    y = (rng.random(300) < 0.2).astype(int)
    pdf = pd.DataFrame(rng.normal(size=(300, 2)) + y[:, None], columns=["a", "b"]).assign(label=y)
    result = isp.compare(spark.createDataFrame(pdf), "label", ["none", "under_1:1"], ["logreg"], n_folds=2,
                         costs={"FN": 5.0, "FP": 1.0})
    for strategy in ("none", "under_1:1"):
        pooled = result.predictions[(strategy, "logreg")]
        y_true, p = pooled["y_true"].to_numpy(), pooled["proba_corrected"].to_numpy()
        decided = p * 5.0 > (1 - p) * 1.0  # deciding positive costs (1 - p) FP, negative p FN
        expected = np.where(y_true == 1, np.where(decided, 0.0, 5.0), np.where(decided, 1.0, 0.0)).mean()
        rows = result.results[result.results["strategy"] == strategy]
        # the folds' mean costs, weighted by their sizes, are the pooled mean
        assert np.average(rows["cost"], weights=rows["n_test"]) == pytest.approx(expected, abs=1e-12)
    assert result.costs.shape == (300, 2, 2) and result.costs[0, 1, 0] == 5.0
