"""Quality: average precision after our SMOTE vs imbalanced-learn's, on the churn demo.

    python benchmarks/quality_smote.py

Numeric columns of the bundled churn data, 5-fold stratified CV (the same folds for both),
SMOTE to 1:1 on the training part only, then a logistic regression (standardised) and a random
forest. Prints the mean AP of each and the spread of the per-fold differences: the two should
agree within fold noise.
"""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import SMOTE as PeerSMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import imbalance
from imbalance.datasets import load_churn


def main() -> None:
    data = load_churn()
    y = data.pop("LABEL").to_numpy()
    X = data.select_dtypes("number").to_numpy(dtype=np.float64)
    models = {
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "random forest": lambda: RandomForestClassifier(n_estimators=300, random_state=0, n_jobs=-1),
    }
    samplers = {"imbalance": imbalance.SMOTE, "imbalanced-learn": PeerSMOTE}
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    for model_name, make_model in models.items():
        scores = {name: [] for name in samplers}
        for fold, (train, test) in enumerate(folds):
            for name, sampler in samplers.items():
                X_res, y_res = sampler(random_state=fold).fit_resample(X[train], y[train])
                proba = make_model().fit(X_res, y_res).predict_proba(X[test])[:, 1]
                scores[name].append(average_precision_score(y[test], proba))
        ours, peer = np.array(scores["imbalance"]), np.array(scores["imbalanced-learn"])
        print(f"{model_name}: AP imbalance {ours.mean():.3f}, imbalanced-learn {peer.mean():.3f}; "
              f"per-fold difference {np.mean(ours - peer):+.3f} (sd {np.std(ours - peer, ddof=1):.3f})")


if __name__ == "__main__":
    main()
