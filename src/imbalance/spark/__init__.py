"""The plan on pyspark DataFrames: exact per-class counts, exact neighbours, keyed draws.

Every function takes a ``pyspark.sql.DataFrame`` and returns one, with the DataFrame API only
(no RDD calls), so Spark Connect works. Counting the classes is one aggregation; the
foundation's planner turns the counts into targets; then:

- :func:`resample`, :func:`under_sample`, :func:`over_sample` realise the plan by random keys,
  exactly and without a full shuffle (:mod:`imbalance.spark._sampling`);
- :func:`smote`, :func:`smote_nc`, :func:`borderline_smote`, :func:`adasyn` synthesise rows from exact
  neighbours, the class to grow sent to every task (:mod:`imbalance.spark._synth`), each
  synthetic row drawn by a counter-based generator, so the result does not depend on
  partitioning;
- :func:`near_miss` and :func:`tomek_links` select rows by exact neighbours, the minority (or
  the classes outside the largest) sent to every task (:mod:`imbalance.spark._undersampling`);
- :func:`average_precision` (exact, rank-based), :class:`ImbalancedEvaluator`,
  :class:`ThresholdTuner` and :class:`PriorCorrection` make decisions as Spark ML stages
  (:mod:`imbalance.spark._decisions`);
- :class:`BalancedBagging` (EasyEnsemble with AdaBoost members) draws every member exactly by
  keys and fits the members on executors (:mod:`imbalance.spark._ensemble`);
- :func:`compare` runs :func:`imbalance.compare`'s cells on a DataFrame, preprocessing,
  resampling and fitting on Spark, to the same result, answer and report
  (:mod:`imbalance.spark._compare`);
- :func:`with_weights` and :func:`stratified_folds` serve MLlib's ``weightCol`` and
  ``CrossValidator(foldCol=)``; :class:`ResampledEstimator` resamples only inside ``fit``.
"""

try:
    import pyspark  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without pyspark
    raise ImportError(
        "imbalance.spark needs PySpark, which is not installed: `pip install 'imbalance[spark]'`."
    ) from exc

from imbalance.spark._compare import compare
from imbalance.spark._decisions import (
    ImbalancedEvaluator,
    PriorCorrection,
    ThresholdModel,
    ThresholdTuner,
    average_precision,
)
from imbalance.spark._ensemble import BalancedBagging, BalancedBaggingModel
from imbalance.spark._sampling import (
    ResampledEstimator,
    class_counts,
    over_sample,
    plan,
    resample,
    stratified_folds,
    under_sample,
    with_weights,
)
from imbalance.spark._synth import adasyn, borderline_smote, smote, smote_nc
from imbalance.spark._undersampling import near_miss, tomek_links

__all__ = [
    "class_counts",
    "plan",
    "resample",
    "under_sample",
    "over_sample",
    "with_weights",
    "stratified_folds",
    "ResampledEstimator",
    "smote",
    "smote_nc",
    "borderline_smote",
    "adasyn",
    "near_miss",
    "tomek_links",
    "average_precision",
    "ImbalancedEvaluator",
    "ThresholdTuner",
    "ThresholdModel",
    "PriorCorrection",
    "BalancedBagging",
    "BalancedBaggingModel",
    "compare",
]
