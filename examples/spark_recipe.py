"""A Spark recipe: tune the under-sampling ratio with CrossValidator
==================================================================

The churn demo as a Spark DataFrame, on a local Spark session. ``imbalance.spark`` plans on the
class counts (one aggregation), marks stratified folds for ``CrossValidator(foldCol=...)``, and
:class:`imbalance.spark.ResampledEstimator` under-samples inside ``fit`` only, so every
evaluation fold keeps the natural share of churners. A grid tunes the ratio (1:1, 3:1, and the
data as it is, 6:1) by area under the precision-recall curve, next to MLlib's own answer to
imbalance, a ``weightCol`` from :func:`imbalance.spark.with_weights`.

Needs the ``spark`` extra and Java 17 or newer. Run it with ``python examples/spark_recipe.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from pyspark.ml import Pipeline
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession

import imbalance.spark as isp
from imbalance.datasets import load_churn

spark = (SparkSession.builder.master("local[2]").appName("imbalance-spark-recipe")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

churn = load_churn()
numeric = [c for c in churn.columns if c != "LABEL" and churn[c].dtype.kind in "if"]
df = spark.createDataFrame(churn[numeric + ["LABEL"]].astype({"LABEL": "float64"}))
print("class counts:", isp.class_counts(df, "LABEL"))
print(isp.plan(df, "LABEL", "under", ratio=3))

df = isp.stratified_folds(df, "LABEL", k=3, seed=0)
df = isp.with_weights(df, "LABEL", scheme="balanced")
features = [VectorAssembler(inputCols=numeric, outputCol="raw"), StandardScaler(inputCol="raw", outputCol="features")]
evaluator = BinaryClassificationEvaluator(labelCol="LABEL", metricName="areaUnderPR")

resampled = isp.ResampledEstimator(LogisticRegression(labelCol="LABEL", maxIter=30), labelCol="LABEL", strategy="under",
                                   seed=0)
grid = ParamGridBuilder().addGrid(resampled.ratio, [1.0, 3.0, 6.1]).build()
cv = CrossValidator(estimator=Pipeline(stages=[*features, resampled]), estimatorParamMaps=grid, evaluator=evaluator,
                    foldCol="fold", parallelism=2)
tuned = cv.fit(df)
for params, pr_auc in zip(grid, tuned.avgMetrics):
    print(f"under-sampled to {params[resampled.ratio]:.1f}:1  area under PR (3 folds) {pr_auc:.3f}")

weighted = CrossValidator(estimator=Pipeline(stages=[*features, LogisticRegression(labelCol="LABEL", maxIter=30,
                                                                                   weightCol="weight")]),
                          estimatorParamMaps=[{}], evaluator=evaluator, foldCol="fold").fit(df)
print(f"balanced weightCol             area under PR (3 folds) {weighted.avgMetrics[0]:.3f}")
spark.stop()

names = [f"under {params[resampled.ratio]:.1f}:1" for params in grid] + ["balanced weightCol"]
fig, ax = plt.subplots(figsize=(6, 2.8), layout="constrained")
ax.barh(names, [*tuned.avgMetrics, weighted.avgMetrics[0]], color="#1f77b4")
ax.set(xlabel="area under the precision-recall curve (3 folds)", title="Spark: one cross-validation, four recipes")
plt.show()
