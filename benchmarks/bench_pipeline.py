"""imbalance.pipeline and imbalance.keras against imbalanced-learn's, in the same run.

    python benchmarks/bench_pipeline.py [--sizes 1e5 1e6] [--save]

Two jobs a user of imbalanced-learn brings, on a table of n rows, 20 features, 5% positives:

* ``make_pipeline(StandardScaler(), <sampler>, LogisticRegression())``: ``fit`` (the scaler,
  the sampler on the training rows, the model) with SMOTE and with random under-sampling,
  ours against ``imblearn.pipeline.make_pipeline`` with imbalanced-learn's samplers; the time
  is the whole ``fit``, where the pipeline itself costs little next to the sampler and model;
* a Keras epoch: build the batch generator and read every batch of one epoch, random
  under-sampling to 1:1, batch 256 (ours redraws the sampler each epoch and gives every batch
  its class quotas; imbalanced-learn's draws once, at construction). Keras runs on torch.

Time is the best of ``--repeat`` runs, taking turns.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
from _timing import best_times_interleaved, results  # noqa: E402
from imblearn import keras as imblearn_keras  # noqa: E402
from imblearn import over_sampling, under_sampling  # noqa: E402
from imblearn.pipeline import make_pipeline as imblearn_pipeline  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from imbalance import SMOTE, UnderSampler  # noqa: E402
from imbalance.keras import BalancedBatchGenerator  # noqa: E402
from imbalance.pipeline import make_pipeline  # noqa: E402


def epoch(generator) -> None:
    for i in range(len(generator)):
        generator[i]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--save", action="store_true", help="write the table to benchmarks/results/ (for the docs)")
    args = parser.parse_args()
    with results("bench_pipeline", "Pipeline fits end to end; a Keras epoch is building the generator and "
                                   "reading all its batches.") as emit:
        emit("| rows | job | imbalance (s) | imbalanced-learn (s) | ratio |")
        emit("|---:|---|---:|---:|---:|")
        for size in args.sizes:
            n = int(size)
            X, y = make_classification(n_samples=n, n_features=20, n_informative=8, weights=[0.95], random_state=0)
            X = X.astype(np.float32)
            jobs = {
                "pipeline fit, SMOTE": (
                    lambda: make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression()).fit(X, y),
                    lambda: imblearn_pipeline(StandardScaler(), over_sampling.SMOTE(random_state=0),
                                              LogisticRegression()).fit(X, y)),
                "pipeline fit, random under-sampling": (
                    lambda: make_pipeline(StandardScaler(), UnderSampler(random_state=0), LogisticRegression()).fit(X, y),
                    lambda: imblearn_pipeline(StandardScaler(), under_sampling.RandomUnderSampler(random_state=0),
                                              LogisticRegression()).fit(X, y)),
                "Keras epoch, under-sampled 1:1": (
                    lambda: epoch(BalancedBatchGenerator(X, y, batch_size=256, random_state=0)),
                    lambda: epoch(imblearn_keras.BalancedBatchGenerator(X, y, batch_size=256, random_state=0))),
            }
            for job, (ours, theirs) in jobs.items():
                best = best_times_interleaved({"ours": ours, "theirs": theirs}, args.repeat)
                emit(f"| {n:.0e} | {job} | {best['ours']:.3f} | {best['theirs']:.3f} | "
                     f"{best['theirs'] / best['ours']:.1f}x |")


if __name__ == "__main__":
    main()
