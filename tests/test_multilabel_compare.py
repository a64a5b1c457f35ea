"""compare on a label matrix: the metrics against scikit-learn, leak-free cells, the per-label
table, bad input, the report and the command line."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

import imbalance
from cli_runner import run_cli
from imbalance._multi_label import multilabel_cell_model
from imbalance.metrics import MULTILABEL_METRICS, multilabel_scores, per_label_scores
from imbalance.model_selection import (
    FoldPlan,
    MultilabelResampledClassifier,
    MultilabelStratifiedKFold,
    label_probabilities,
)
from imbalance.multilabel import MLROS, measures
from imbalance.report import write_report
from imbalance.strategies import MULTILABEL_STRATEGIES, default_strategies

DATA = Path(__file__).parent / "data" / "multilabel"  # real tables, with their source (SOURCE.md)


def label_problem(n=360, seed=0):
    """Four labels from 0.45 down to 0.06 of the rows, each driven by its own feature."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"f{i}" for i in range(6)])
    cut = np.array([0.1, 0.9, 1.3, 1.55])
    Y = pd.DataFrame((X.iloc[:, :4].to_numpy() + 0.6 * rng.normal(size=(n, 4)) > cut).astype(int),
                     columns=["common", "middle", "rare", "rarest"])
    return X, Y


# ----------------------------------------------------------------------------- metrics


def random_scores(seed=1, n=200, labels=5):
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, labels)) < np.linspace(0.5, 0.08, labels)).astype(int)
    P = np.clip(0.35 * Y + rng.random((n, labels)) * 0.7, 0, 1).round(2)  # ties included
    return Y, P


@pytest.mark.parametrize("threshold", [0.5, np.array([0.3, 0.4, 0.5, 0.6, 0.7])])
def test_multilabel_scores_equal_scikit_learn(threshold):
    Y, P = random_scores()
    pred = (P >= threshold).astype(int)
    got = multilabel_scores(Y, P, threshold=threshold)
    assert tuple(got) == MULTILABEL_METRICS
    assert got["average_precision_macro"] == pytest.approx(skm.average_precision_score(Y, P, average="macro"))
    assert got["average_precision_micro"] == pytest.approx(skm.average_precision_score(Y, P, average="micro"))
    assert got["roc_auc_macro"] == pytest.approx(skm.roc_auc_score(Y, P, average="macro"))
    assert got["f1_macro"] == pytest.approx(skm.f1_score(Y, pred, average="macro", zero_division=0))
    assert got["f1_micro"] == pytest.approx(skm.f1_score(Y, pred, average="micro", zero_division=0))
    assert got["hamming_loss"] == pytest.approx(skm.hamming_loss(Y, pred))
    assert got["subset_accuracy"] == pytest.approx(skm.accuracy_score(Y, pred))
    assert got["brier"] == pytest.approx(np.mean((P - Y) ** 2))
    per_label = per_label_scores(Y, P, threshold=threshold)
    np.testing.assert_array_equal(per_label["positives"], Y.sum(axis=0))
    np.testing.assert_allclose(per_label["average_precision"], skm.average_precision_score(Y, P, average=None))
    np.testing.assert_allclose(per_label["f1"], skm.f1_score(Y, pred, average=None, zero_division=0))


def test_a_label_without_positives_is_nan_and_left_out_of_macro_averages():
    Y, P = random_scores()
    Y[:, 2] = 0
    got, per_label = multilabel_scores(Y, P), per_label_scores(Y, P)
    assert np.isnan(per_label["average_precision"][2]) and np.isnan(per_label["f1"][2])
    keep = [0, 1, 3, 4]
    assert got["average_precision_macro"] == pytest.approx(skm.average_precision_score(Y[:, keep], P[:, keep]))
    assert got["f1_macro"] == pytest.approx(skm.f1_score(Y[:, keep], (P[:, keep] >= 0.5), average="macro"))
    assert got["hamming_loss"] == pytest.approx(skm.hamming_loss(Y, P >= 0.5))  # every entry still counts
    with pytest.raises(imbalance.InputError, match="same 2-D shape"):
        multilabel_scores(Y, P[:, :3])


# ----------------------------------------------------------------------------- building blocks


def test_label_probabilities_read_every_estimator_format():
    X, Y = label_problem()
    Y = Y.to_numpy()
    Y_const = Y.copy()
    Y_const[:, 3] = 0  # a label with only 0s: the forest has no class-1 column for it
    forest = RandomForestClassifier(20, random_state=0).fit(X, Y_const)
    P = label_probabilities(forest, X)
    assert P.shape == Y.shape and (P[:, 3] == 0).all()
    np.testing.assert_allclose(P[:, 0], forest.predict_proba(X)[0][:, 1])
    ovr = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    np.testing.assert_allclose(label_probabilities(ovr, X), ovr.predict_proba(X))


def test_multilabel_resampled_classifier_fits_on_the_sampler_s_rows():
    X, Y = label_problem()
    model = MultilabelResampledClassifier(OneVsRestClassifier(LogisticRegression()),
                                          sampler=MLROS(random_state=0)).fit(X, Y)
    X_res, Y_res = MLROS(random_state=0).fit_resample(X, Y)
    assert model.n_samples_fit_ == len(X_res) > len(X)  # (ML-ROS stops early once no label is a minority)
    direct = OneVsRestClassifier(LogisticRegression()).fit(X_res, Y_res)
    np.testing.assert_allclose(model.predict_proba(X), direct.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), (direct.predict_proba(X) >= 0.5).astype(int))
    weighted = MultilabelResampledClassifier(OneVsRestClassifier(LogisticRegression()), class_weight="balanced")
    assert weighted.fit(X, Y).estimator_.estimator.class_weight == "balanced"
    assert weighted.estimator.estimator.class_weight is None  # the given estimator is left as it was
    forest = MultilabelResampledClassifier(RandomForestClassifier(5), class_weight="balanced").fit(X, Y)
    assert forest.estimator_.class_weight == "balanced"
    from sklearn.neighbors import KNeighborsClassifier

    with pytest.raises(imbalance.ParameterError, match="takes no class_weight"):
        MultilabelResampledClassifier(KNeighborsClassifier(), class_weight="balanced").fit(X, Y)


def test_fold_plan_multilabel_is_iterative_stratification_per_repeat():
    X, Y = label_problem()
    plan = FoldPlan.multilabel(Y, n_splits=4, n_repeats=2, random_state=3)
    assert plan.assignments.shape == (2, len(Y)) and plan.n_splits == 4
    for r in range(2):
        direct = list(MultilabelStratifiedKFold(4, random_state=3 + r).split(X, Y.to_numpy()))
        for fold, (_, test) in enumerate(direct):
            np.testing.assert_array_equal(np.flatnonzero(plan.assignments[r] == fold), test)
    with pytest.raises(imbalance.ParameterError, match="n_splits"):
        FoldPlan.multilabel(Y, n_splits=1)


# ----------------------------------------------------------------------------- compare


@pytest.fixture(scope="module")
def result():
    X, Y = label_problem()
    # the linear model only: the forest's multi-output path runs in the leak test and the slow tier
    return imbalance.compare(X, Y, recipes=["none", "class_weight", "ml_ros", "mlsmote", "threshold"],
                             models=["logreg"], cv=3, random_state=0)


def test_compare_dispatches_on_a_label_matrix_and_fills_every_table(result):
    X, Y = label_problem()
    assert result.multilabel and list(result.classes) == list(Y.columns)
    assert len(result.results) == 5 * 3 and set(MULTILABEL_METRICS) <= set(result.results.columns)
    assert result.results.groupby(["strategy", "model"])["n_test"].sum().eq(len(X)).all()  # every row once
    assert len(result.per_label) == 5 * 4
    assert result.measures.mean_ir == pytest.approx(measures(Y).mean_ir)
    means = result.results.groupby(["strategy", "model"], sort=False)["f1_macro"].mean().to_numpy()
    np.testing.assert_allclose(result.summary["f1_macro_mean"], means)
    table = result.per_label.set_index(["strategy", "model", "label"])
    gain = table.loc[("ml_ros", "logreg", "rarest"), "f1"] - table.loc[("none", "logreg", "rarest"), "f1"]
    assert table.loc[("ml_ros", "logreg", "rarest"), "f1_gain"] == pytest.approx(gain)
    assert (table.xs("none", level="strategy")["f1_gain"] == 0).all()
    assert table.loc[("none", "logreg", "rarest"), "rows"] == Y["rarest"].sum()
    frame = result.predictions[("none", "logreg")]
    np.testing.assert_array_equal(frame["y_true[rare]"], Y["rare"])


def test_every_cell_fits_on_its_training_part_only(result):
    X, Y = label_problem()
    plan = FoldPlan.multilabel(Y, n_splits=3, random_state=0)
    train, test = next(plan.split(X, Y))
    recipe = MULTILABEL_STRATEGIES["ml_ros"]
    model = multilabel_cell_model(X, recipe, "logreg", 0).fit(X.iloc[train], Y.to_numpy()[train])
    scores = multilabel_scores(Y.to_numpy()[test], model.predict_proba(X.iloc[test]))
    row = result.results.query("strategy == 'ml_ros' and model == 'logreg' and fold == 0").iloc[0]
    assert row["f1_macro"] == pytest.approx(scores["f1_macro"])
    prep = model[0].fit(X.iloc[train])  # ML-ROS ran on the preprocessed training part, nothing else
    X_res, _ = MLROS(random_state=0).fit_resample(prep.transform(X.iloc[train]), Y.to_numpy()[train])
    assert row["n_fit"] == len(X_res) > len(train) and row["n_train"] == len(train)
    none = result.results.query("strategy == 'none'")
    assert (none["n_fit"] == none["n_train"]).all()


def test_resampling_before_splitting_would_leak_and_compare_does_not():
    # Pure noise: nothing can be learnt. ML-ROS before the split puts clones of the rarest
    # label's rows on both sides, and a forest "finds" them; inside the folds it cannot.
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 5)), columns=list("abcde"))
    Y = pd.DataFrame((rng.random((600, 3)) < [0.4, 0.1, 0.05]).astype(int), columns=["p", "q", "r"])
    X_leaky, Y_leaky = MLROS(random_state=0).fit_resample(X, Y)
    P = np.zeros(Y_leaky.shape)
    for train, test in FoldPlan.multilabel(Y_leaky, n_splits=3, random_state=0).split(X_leaky, Y_leaky):
        forest = RandomForestClassifier(100, random_state=0).fit(X_leaky.iloc[train], Y_leaky.iloc[train])
        P[test] = label_probabilities(forest, X_leaky.iloc[test])
    assert skm.average_precision_score(Y_leaky["r"], P[:, 2]) > 0.5
    ours = imbalance.compare(X, Y, recipes=["ml_ros"], models=["random_forest"], cv=3)
    assert ours.per_label.set_index("label").loc["r", "average_precision"] < 0.1  # about the prevalence


def test_rebalancing_raises_macro_f1_of_the_linear_model(result):
    s = result.summary.set_index(["strategy", "model"])
    for strategy in ("class_weight", "ml_ros", "mlsmote", "threshold"):
        assert s.loc[(strategy, "logreg"), "f1_macro_mean"] > s.loc[("none", "logreg"), "f1_macro_mean"] + 0.015
    table = result.per_label.set_index(["strategy", "model", "label"])
    for strategy in ("class_weight", "ml_ros", "mlsmote", "threshold"):  # the rarest label gains most
        gains = table.xs((strategy, "logreg"), level=("strategy", "model"))["f1_gain"]
        assert gains.idxmax() == "rarest" and gains["rarest"] > 0.05


@pytest.mark.slow  # inner loop under 2 minutes; the twin or the rest of the file covers the path
def test_same_seed_same_tables(result):
    X, Y = label_problem()
    again = imbalance.compare(X, Y, recipes=["ml_ros", "mlsmote", "threshold"], models=["logreg"], cv=3,
                              random_state=0, n_jobs=2)  # in other processes too
    first = result.results.query("model == 'logreg' and strategy in ['ml_ros', 'mlsmote', 'threshold']")
    pd.testing.assert_frame_equal(first.drop(columns="seconds").reset_index(drop=True),
                                  again.results.drop(columns="seconds"))


def test_default_strategies_and_bad_input():
    X, Y = label_problem()
    assert default_strategies(multilabel=True)[:6] == ["none", "class_weight", "ml_ros", "ml_rus", "mlsmote",
                                                       "threshold"]
    with pytest.raises(imbalance.ParameterError, match="unknown multi-label recipe 'under_1:1'; choose from none"):
        imbalance.compare(X, Y, recipes=["under_1:1"])
    with pytest.raises(imbalance.ParameterError, match="unknown multi-label model 'hist_gb'"):
        imbalance.compare(X, Y, models=["hist_gb"])
    with pytest.raises(imbalance.ParameterError, match="unknown multi-label metric"):
        imbalance.compare(X, Y, metrics=["mcc"])
    empty = Y.assign(rarest=0)
    with pytest.raises(imbalance.LabelError, match=r"\['rarest'\] are carried by no row"):
        imbalance.compare(X, empty, recipes=["none"])
    one = Y.assign(rarest=np.r_[1, np.zeros(len(Y) - 1, dtype=int)])
    with pytest.raises(imbalance.LabelError, match="label 'rarest' has no positive row in training part"):
        imbalance.compare(X, one, recipes=["none"], models=["logreg"], cv=3)
    with pytest.raises(imbalance.LabelError, match="binary targets"):
        imbalance.compare(X, Y.assign(rare=Y["rare"] * 2), recipes=["none"])
    few = Y.assign(rarest=np.r_[np.ones(6, dtype=int), np.zeros(len(Y) - 6, dtype=int)])  # 4 per training part
    with pytest.raises(imbalance.ParameterError, match="'mlsmote' needs more than k_neighbors = 5 rows.*'rarest'.*"
                                                       "lower k_neighbors to at most"):
        imbalance.compare(X, few, recipes=["mlsmote"], models=["logreg"], cv=3)
    with pytest.raises(imbalance.InputError, match="rows"):
        imbalance.compare(X.iloc[:-1], Y, recipes=["none"])


def test_the_report_shows_labels_and_per_label_plots(result, tmp_path):
    import matplotlib.image

    written = write_report(result, tmp_path / "r", source="synthetic")
    names = sorted(p.name for p in written)
    assert names == ["answer.json", "metrics.png", "per_label.csv", "per_label.png", "report.html", "results.csv",
                     "summary.csv"]
    assert matplotlib.image.imread(tmp_path / "r" / "per_label.png").ndim == 3
    page = (tmp_path / "r" / "report.html").read_text()
    assert "MeanIR" in page and "rarest" in page and "F1 rises on" in page and "class='best'" in page
    per_label = pd.read_csv(tmp_path / "r" / "per_label.csv")
    assert list(per_label.columns[:5]) == ["strategy", "model", "label", "rows", "irlbl"]


# ----------------------------------------------------------------------------- command line


def run_compare(*args, cwd):
    return run_cli("compare", *args, cwd=cwd, columns=200)


@pytest.mark.slow
def test_cli_compare_on_a_label_matrix(tmp_path):
    X, Y = label_problem()
    path = tmp_path / "labels.csv"
    pd.concat([X, Y.add_prefix("label_")], axis=1).to_csv(path, index=False)
    out = tmp_path / "report"
    done = run_compare(path, "--labels", "label_*", "--recipes", "none,ml_rus", "--models", "logreg", "--folds", "3",
                   "--out", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "AP macro" in done.stdout and "Hamming" in done.stdout and "ml_rus" in done.stdout
    assert (out / "per_label.png").exists() and (out / "report.html").exists()
    assert set(pd.read_csv(out / "per_label.csv")["label"]) == {f"label_{c}" for c in Y.columns}
    same = run_compare(path, "--label-col", "label_common,label_rare", "--recipes", "none", "--models", "logreg",
                   "--folds", "3", "--out", tmp_path / "two", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert set(pd.read_csv(tmp_path / "two" / "per_label.csv")["label"]) == {"label_common", "label_rare"}
    bad = run_compare(path, "--labels", "label_*", "--metrics", "mcc", "--out", tmp_path / "bad", cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "unknown metric 'mcc'" in bad.stderr and not (tmp_path / "bad").exists()


# ----------------------------------------------------------------------------- real tables


@pytest.mark.slow
def test_on_emotions_every_default_strategy_runs_and_thresholds_raise_macro_f1():
    df = pd.read_csv(DATA / "emotions.csv.gz")
    Y = df[[c for c in df.columns if c.startswith("label_")]]
    result = imbalance.compare(df.drop(columns=Y.columns), Y, cv=3, n_jobs=2)
    s = result.summary.set_index(["strategy", "model"])
    assert set(default_strategies(multilabel=True)) == set(result.summary["strategy"])
    for model in ("logreg", "random_forest"):
        assert s.loc[("threshold", model), "f1_macro_mean"] > s.loc[("none", model), "f1_macro_mean"]
    assert np.isfinite(result.summary.filter(like="_mean").to_numpy()).all()


def test_a_threshold_cell_scored_from_its_none_cell_s_fit_equals_one_fitted_alone(result):
    X, Y = label_problem()
    alone = imbalance.compare(X, Y, recipes=["threshold"], models=["logreg"], cv=3, random_state=0)
    merged = result.results.query("strategy == 'threshold' and model == 'logreg'").reset_index(drop=True)
    pd.testing.assert_frame_equal(merged.drop(columns="seconds"), alone.results.drop(columns="seconds"))
    table = result.per_label.query("strategy == 'threshold' and model == 'logreg'")
    np.testing.assert_allclose(table["f1"], alone.per_label["f1"])
