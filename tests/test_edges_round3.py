"""Bad input, round three (issue 29): the promises of the samplers, streams, model files and
the command line added since round two. Each test failed before its fix. The command line runs
in-process here (``main(argv)``, as the ``imbalance`` script calls it); test_cli_edges.py runs it
in subprocesses.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import imbalance
from imbalance import InputError, InputTypeError, ParameterError
from imbalance.cli import main
from imbalance.datasets import load_churn
from imbalance.deploy import RecipeClassifier

imblearn = pytest.importorskip("imblearn")

# ----------------------------------------------------------------------------- 1: a rule that empties a class

ENN_GRID = (np.array([[0], [1], [2], [3], [4], [5], [2.5], [1.5], [20]], float), np.array([2, 2, 2, 2, 2, 2, 0, 0, 1]))
TWO_ROWS = (np.array([[0.0], [0.1]]), np.array([0, 1]))


@pytest.mark.parametrize("name, data, kwargs", [
    ("EditedNearestNeighbours", ENN_GRID, {}),
    ("RepeatedEditedNearestNeighbours", ENN_GRID, {}),
    ("AllKNN", TWO_ROWS, {}),
    ("NeighbourhoodCleaningRule", ENN_GRID, {}),
    ("TomekLinks", TWO_ROWS, {}),
    ("OneSidedSelection", ENN_GRID, {"random_state": 0}),
])
def test_a_cleaning_rule_may_empty_a_class_as_in_imbalanced_learn(name, data, kwargs):
    X, y = data
    sampler = getattr(imbalance, name)(**kwargs)
    X_res, y_res = sampler.fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_ref, y_ref = getattr(imblearn.under_sampling, name)(**kwargs).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    kept = np.bincount(y_res, minlength=3)[np.unique(y)]
    assert (kept == 0).any()  # the data empties a class
    assert sampler.plan_.target_array.tolist() == kept.tolist()  # and the plan records it
    assert sampler.plan_.imbalance_ratio == np.inf


@pytest.mark.parametrize("chain", ["SMOTEENN", "SMOTETomek"])
def test_a_chain_whose_cleaning_step_empties_a_class(chain):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(12, 1)).round(1), np.array([0] * 9 + [1] * 3)
    ours = getattr(imbalance, chain)(random_state=0, smote=imbalance.SMOTE(k_neighbors=2, random_state=0))
    _, y_res = ours.fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(imblearn.combine, chain)(random_state=0,
                                                   smote=imblearn.over_sampling.SMOTE(k_neighbors=2, random_state=0))
        _, y_ref = theirs.fit_resample(X, y)
    # SMOTE draws its own rows, so the counts are compared, not the rows
    assert ours.plan_.target_array.tolist() == np.bincount(y_res, minlength=2).tolist()
    if chain == "SMOTEENN":  # this table: ENN removes every row of class 0, in both libraries
        assert np.bincount(y_res, minlength=2).tolist() == np.bincount(y_ref, minlength=2).tolist() == [0, 4]


# ----------------------------------------------------------------------------- the command line, in-process


def cli(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv, words=()) -> str:
    code, _, err = cli(capsys, *argv)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def small_csv(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(120, 2)), columns=["a", "b"])
    df["LABEL"] = (np.arange(120) % 6 == 0).astype(int)
    path = tmp_path / "small.csv"
    df.to_csv(path, index=False)
    return path


# 2: fit never writes its model over the data
@pytest.mark.parametrize("through_folder", [False, True])
def test_fit_refuses_to_write_the_model_over_its_input(capsys, tmp_path, small_csv, through_folder):
    before = small_csv.read_bytes()
    out = tmp_path / "sub" / ".." / small_csv.name if through_folder else small_csv
    (tmp_path / "sub").mkdir(exist_ok=True)
    refused(capsys, "fit", small_csv, "--recipe", "none", "-o", out, words=["is the input file"])
    assert small_csv.read_bytes() == before


# 14: a model file is not named like a table
def test_fit_refuses_a_table_name_for_the_model(capsys, tmp_path, small_csv):
    refused(capsys, "fit", small_csv, "--recipe", "none", "-o", tmp_path / "model.csv", words=["model.joblib"])
    assert not (tmp_path / "model.csv").exists()


# 3: infinity in a feature
def test_infinite_features_are_refused_by_column_everywhere(capsys, tmp_path, small_csv):
    df = pd.read_csv(small_csv)
    df.loc[7, "b"] = np.inf
    bad = tmp_path / "inf.csv"
    df.to_csv(bad, index=False)
    for argv in (("compare", bad, "--recipes", "none", "--models", "logreg", "--folds", "2", "--out",
                  tmp_path / "r"), ("fit", bad, "--recipe", "none", "-o", tmp_path / "m.joblib"),
                 ("resample", bad, "--method", "iht", "-o", tmp_path / "o.csv")):
        refused(capsys, *argv, words=["infinite", "column(s) b" if argv[0] != "resample" else "infinite"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inf.csv", "small.csv"]
    assert cli(capsys, "fit", small_csv, "--recipe", "none", "-o", tmp_path / "m.joblib")[0] == 0
    refused(capsys, "predict", tmp_path / "m.joblib", bad, "-o", tmp_path / "s.csv", words=["infinite", "row 7"])
    X, y = df.drop(columns="LABEL"), df["LABEL"]
    for call in (lambda: imbalance.compare(X, y, recipes=["none"], models=["logreg"]),
                 lambda: RecipeClassifier().fit(X, y)):
        with pytest.raises(InputError, match="infinite values in column.s. b .first at row 7"):
            call()


# 8: text in a column the model was fitted on as numbers
def test_predict_names_the_text_in_a_numeric_column(capsys, tmp_path, small_csv):
    model = tmp_path / "m.joblib"
    assert cli(capsys, "fit", small_csv, "--recipe", "none", "-o", model)[0] == 0
    df = pd.read_csv(small_csv).astype({"a": object})
    df.loc[5, "a"] = "about 3"
    bad = tmp_path / "text.csv"
    df.to_csv(bad, index=False)
    refused(capsys, "predict", model, bad, "-o", tmp_path / "s.csv", words=["'a'", "'about 3'", "row 5", "numbers"])
    # numbers read as text (every cell a number) still score, as the numbers they are
    fitted = RecipeClassifier().fit(df.drop(index=5).drop(columns="LABEL").astype({"a": float}), df["LABEL"].drop(index=5))
    as_text = df.drop(index=5).drop(columns="LABEL").astype({"a": str})
    np.testing.assert_array_equal(fitted.predict_proba(as_text), fitted.predict_proba(as_text.astype({"a": float})))


# 10: a name given twice is refused before any fit
@pytest.mark.parametrize("option, value", [("--calibrate", "sigmoid,sigmoid"),
                                           ("--operating-points", "top=0.1,top=0.1"),
                                           ("--recipes", "none,none")])
def test_compare_refuses_a_repeated_name_at_parse_time(capsys, tmp_path, small_csv, option, value):
    refused(capsys, "compare", small_csv, option, value, "--out", tmp_path / "r", words=["given twice"])
    assert not (tmp_path / "r").exists()


def test_compare_refuses_repeated_names_in_python_too():
    X, y = load_churn(return_X_y=True)
    with pytest.raises(ParameterError, match="'sigmoid' given twice in calibration"):
        imbalance.compare(X, y, recipes=["none"], models=["logreg"], calibration=["sigmoid", "sigmoid"])
    with pytest.raises(ParameterError, match="given twice in operating_points"):
        imbalance.compare(X, y, recipes=["none"], models=["logreg"], operating_points=["top=5", "top=5"])


# 11: a threshold is a probability
@pytest.mark.parametrize("threshold", ["1.5", "-2", "nan", "0", "1"])
def test_fit_threshold_must_be_a_probability(capsys, tmp_path, small_csv, threshold):
    refused(capsys, "fit", small_csv, "--recipe", "none", "--threshold", threshold, "-o", tmp_path / "m.joblib",
            words=["strictly between 0 and 1"])
    with pytest.raises(ParameterError, match="strictly between 0 and 1"):
        RecipeClassifier(threshold=float(threshold)).fit(np.zeros((4, 1)), [0, 1, 0, 1])


# 12: fit --from checks the answer before fitting or writing
@pytest.mark.parametrize("verdict, settings, words", [
    ({"best": ["none", "logreg"], "best_mean": 0.5}, {}, "'metric'"),
    ({"best": "none", "metric": "f1", "best_mean": 0.5}, {}, "'best'"),
    ({"best": ["nope", "logreg"], "metric": "f1", "best_mean": 0.5}, {}, "unknown strategy"),
    ({"best": ["none", "logreg"], "metric": "f1", "best_mean": "high"}, {}, "'best_mean'"),
    ({"best": ["none", "logreg"], "metric": "f1", "best_mean": 0.5}, {"seed": -1}, "seed"),
    ({"best": ["none", "logreg"], "metric": "f1", "best_mean": 0.5}, {"k_neighbors": "5"}, "k_neighbors"),
    ({"best": ["none", "logreg"], "metric": "f1", "best_mean": 0.5}, {"label column": 3}, "label column"),
])
def test_fit_from_a_broken_answer_is_refused_before_writing(capsys, tmp_path, small_csv, verdict, settings, words):
    report = tmp_path / "report"
    report.mkdir()
    (report / "answer.json").write_text(json.dumps({"verdicts": [verdict], "settings": settings}))
    refused(capsys, "fit", small_csv, "--from", report, "-o", tmp_path / "m.joblib", words=[words])
    assert not (tmp_path / "m.joblib").exists()


# 13: warnings are notes of one line
def test_warnings_print_as_one_line_notes(capsys, tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    df["LABEL"] = [0] * 58 + [1] * 2  # fewer positives than the threshold's 3 inner folds
    path = tmp_path / "two.csv"
    df.to_csv(path, index=False)
    code, _, err = cli(capsys, "fit", path, "--recipe", "threshold", "-o", tmp_path / "m.joblib")
    assert code == 0
    assert err.strip().splitlines() == ["imbalance fit: note: The least populated class in y has only 2 members, "
                                        "which is less than n_splits=3."]
    # the 12 positives lie far from the rest: each one's 10 nearest rows are positives, so none is in danger
    far = pd.DataFrame({"a": np.r_[np.zeros(50), np.full(12, 100.0)], "b": np.r_[np.arange(50.0), np.arange(12.0)],
                        "LABEL": [0] * 50 + [1] * 12})
    far_path = tmp_path / "far.csv"
    far.to_csv(far_path, index=False)
    code, _, err = cli(capsys, "resample", far_path, "--method", "borderline", "-o", tmp_path / "o.csv")
    assert code == 0 and err.strip().splitlines() == [
        "imbalance resample: note: class 1 has no rows in danger; Borderline-SMOTE uses all its rows."]


# 14: messages that name the right fix
def test_a_one_row_class_is_not_told_to_use_zero_neighbours():
    X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 0, 1])
    with pytest.raises(InputError, match="single row has no neighbour") as info:
        imbalance.SMOTE().fit_resample(X, y)
    assert "at most 0" not in str(info.value)
    with pytest.raises(InputError, match="class 1 has 1 row; k-means SMOTE") as info:
        imbalance.KMeansSMOTE(random_state=0).fit_resample(X, y)
    assert "cluster_balance_threshold" not in str(info.value)


def test_threshold_tuning_names_the_one_row_class(capsys, tmp_path):
    df = pd.DataFrame({"a": np.arange(60.0), "LABEL": [0] * 59 + [1]})
    path = tmp_path / "one.csv"
    df.to_csv(path, index=False)
    line = refused(capsys, "fit", path, "--recipe", "threshold", "-o", tmp_path / "m.joblib", words=["class 1"])
    assert "only one class" not in line


def test_the_command_line_points_to_its_own_smotenc(capsys, tmp_path):
    line = refused(capsys, "resample", "--method", "smote", "-o", tmp_path / "o.csv", words=["--method smotenc"])
    assert "SMOTENC(" not in line
    with pytest.raises(InputTypeError, match="method 'smotenc'"):
        imbalance.over_sample(load_churn(), label_col="LABEL", method="smote")


# 15: InstanceHardnessThreshold says what is wrong in its own words
@pytest.mark.parametrize("make, estimator, error, words", [
    (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 5, np.inf, X), None, InputError, "infinite"),
    (lambda X: np.c_[X, np.array(["a"] * len(X))], None, InputTypeError, "holds other values"),
    (lambda X: pd.DataFrame({"a": X[:, 0], "b": ["u"] * len(X)}), None, InputTypeError, "column(s) b"),
    (lambda X: X.reshape(len(X), 2, 1), None, InputError, "2-D"),
    (lambda X: X.reshape(len(X), 2, 1), "logreg", InputError, "2-D"),
    (lambda X: np.c_[X, np.array(["a"] * len(X))], "logreg", InputError, "LogisticRegression could not fit X"),
])
def test_instance_hardness_errors_are_imbalance_errors(make, estimator, error, words):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 2)), np.r_[np.zeros(45, int), np.ones(15, int)]
    sampler = imbalance.InstanceHardnessThreshold(random_state=0,
                                                  estimator=LogisticRegression() if estimator else None)
    with pytest.raises(error) as info:
        sampler.fit_resample(make(X), y)
    assert words in str(info.value)


def test_instance_hardness_reads_numbers_held_as_text_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 2)), np.r_[np.zeros(45, int), np.ones(15, int)]
    as_text = imbalance.InstanceHardnessThreshold(random_state=0).fit_resample(X.astype(str).astype(object), y)[1]
    np.testing.assert_array_equal(as_text, imbalance.InstanceHardnessThreshold(random_state=0).fit_resample(X, y)[1])


# ----------------------------------------------------------------------------- 7: model files


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    X, y = load_churn(return_X_y=True)
    X = X.select_dtypes("number").iloc[:600]
    path = tmp_path_factory.mktemp("model") / "m.joblib"
    imbalance.deploy.save(RecipeClassifier().fit(X, y.iloc[:600]), path, info={"strategy": "none"})
    return path


def rewrite(source, target, change):
    import joblib

    record = joblib.load(source)
    change(record)
    joblib.dump(record, target)
    return target


def test_a_model_file_records_the_versions_it_was_written_under(saved_model):
    import joblib
    import sklearn

    versions = joblib.load(saved_model)["versions"]
    assert versions["imbalance"] == imbalance.__version__ and versions["scikit-learn"] == sklearn.__version__
    assert versions["numpy"] == np.__version__ and versions["pandas"] == pd.__version__
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same versions: not a word
        imbalance.load(saved_model)


def test_a_model_file_from_a_newer_imbalance_is_refused(saved_model, tmp_path):
    newer = rewrite(saved_model, tmp_path / "newer.joblib", lambda r: r.update(imbalance="99.0.0"))
    with pytest.raises(InputError, match="written by imbalance 99.0.0, newer than this one"):
        imbalance.load(newer)


def test_other_library_versions_load_with_one_warning(saved_model, tmp_path):
    other = rewrite(saved_model, tmp_path / "other.joblib", lambda r: r["versions"].update({"numpy": "1.0.0"}))
    with pytest.warns(imbalance.deploy.ModelVersionWarning, match=r"numpy 1\.0\.0 \(here ") as caught:
        imbalance.load(other)
    assert len(caught) == 1


def test_scikit_learns_own_version_warnings_become_one(saved_model, tmp_path):
    import sklearn

    # the file as another scikit-learn would have pickled it: every estimator's _sklearn_version says so
    here = sklearn.__version__.encode()
    older = b"0." + b"9" * (len(here) - 2)
    data = saved_model.read_bytes()
    assert data.count(here) >= 1  # pickle writes the string once and refers back to it
    path = tmp_path / "older_sklearn.joblib"
    path.write_bytes(data.replace(here, older))
    import joblib

    with pytest.warns(sklearn.exceptions.InconsistentVersionWarning) as raw:
        joblib.load(path)
    assert len(raw) > 3  # what scikit-learn alone would print: one long warning per estimator
    with pytest.warns(imbalance.deploy.ModelVersionWarning, match="scikit-learn") as caught:
        imbalance.load(path)
    assert len(caught) == 1, [str(w.message)[:80] for w in caught]


@pytest.mark.parametrize("change, words", [
    (lambda r: r.pop("model"), "no 'model'"),
    (lambda r: r.pop("created"), "no 'created'"),
    (lambda r: r.update(info=None), "'info' is a NoneType"),
    (lambda r: r.update(model="a model"), "'model' is a str"),
    (lambda r: r.update(model=RecipeClassifier()), "never fitted"),
    (lambda r: r.update(versions=[1]), "'versions'"),
])
def test_a_broken_model_record_is_refused_by_name(saved_model, tmp_path, change, words):
    broken = rewrite(saved_model, tmp_path / "broken.joblib", change)
    with pytest.raises(InputError, match="is an imbalance model file, but") as info:
        imbalance.load(broken)
    assert words in str(info.value)


def test_predict_says_to_load_only_trusted_files(capsys):
    code, out, _ = cli(capsys, "predict", "--help")
    assert code == 0 and "only model files you made or trust" in " ".join(out.split())


# ----------------------------------------------------------------------------- 9: costs


@pytest.mark.parametrize("content, words", [
    (",0,1\n0,0,1\n1,5\n", "cost of deciding 1 for class 1 is missing"),
    (",0,1\n0,0,x\n1,5,0\n", "cost of deciding 1 for class 0 is 'x', not a number"),
    ("", "is empty"),
])
def test_a_broken_cost_matrix_file_is_named_cell_by_cell(capsys, tmp_path, small_csv, content, words):
    matrix = tmp_path / "costs.csv"
    matrix.write_text(content)
    refused(capsys, "compare", small_csv, "--costs", matrix, "--out", tmp_path / "r", words=[words])
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("argv, words", [
    (("--costs", "FN=20,FN=1"), "gives FN twice"),
    (("--costs", "FN=0,FP=0"), "every cost is 0"),
    (("--cost-column", "LABEL"), "is the label column"),
    (("--cost-column", "amount"), "'amount' holds 'unknown' at row 3"),
])
def test_cost_options_are_checked_before_fitting(capsys, tmp_path, small_csv, argv, words):
    df = pd.read_csv(small_csv).astype({"a": float})
    df["amount"] = [1.0, 2.0, 3.0, "unknown"] + [1.0] * (len(df) - 4)
    path = tmp_path / "with_amount.csv"
    df.to_csv(path, index=False)
    refused(capsys, "compare", path, *argv, "--out", tmp_path / "r", words=[words])


def test_all_zero_costs_are_refused_in_python_too():
    X, y = np.arange(40.0).reshape(20, 2), np.r_[np.zeros(15, int), np.ones(5, int)]
    with pytest.raises(InputError, match="every cost is 0"):
        imbalance.compare(X, y, recipes=["none"], models=["logreg"], costs={"FN": 0, "FP": 0}, cv=2)
    with pytest.raises(InputError, match="every cost is 0"):
        RecipeClassifier(costs=np.zeros((2, 2))).fit(X, y)


# ----------------------------------------------------------------------------- 16: extreme scales


@pytest.mark.parametrize("make", [lambda: imbalance.NearMiss(version=1), lambda: imbalance.NearMiss(version=2),
                                  lambda: imbalance.NearMiss(version=3),
                                  lambda: imbalance.CondensedNearestNeighbour(random_state=0)],
                         ids=["nearmiss1", "nearmiss2", "nearmiss3", "cnn"])
@pytest.mark.parametrize("n", [300, 8000])  # the exact scan, and the float32 shortlist (> 1e7 pairs)
def test_the_same_rows_at_any_scale(make, n):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(n, 8)), (rng.random(n) < 0.25).astype(int)
    reference = make()
    reference.fit_resample(X, y)
    for scale in (1e160, 1e300, 1e-200, 1e-300):  # squared distances would overflow / underflow
        sampler = make()
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            sampler.fit_resample(X * scale, y)
        np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_, err_msg=f"scale {scale}")


# ----------------------------------------------------------------------------- 17: k-means SMOTE's sparsity


def test_cluster_sparsity_is_exact_in_tiles_and_its_memory_does_not_grow_with_the_cluster():
    import tracemalloc

    from scipy.spatial.distance import pdist

    from imbalance.synth._filter import _mean_distance

    rng = np.random.default_rng(0)
    X = rng.normal(size=(700, 5))
    for block in (64, 333, 700, 2048):  # many tiles, ragged tiles, one tile
        assert _mean_distance(X, block=block) == pytest.approx(pdist(X).mean(), rel=1e-12)
    assert _mean_distance(X[:2]) == pytest.approx(np.linalg.norm(X[0] - X[1]), rel=1e-12)
    peaks = []
    for m in (3000, 12000):
        rows = rng.normal(size=(m, 4))
        tracemalloc.start()
        _mean_distance(rows, block=512)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # two 512 x 512 float64 tiles (4 MiB) and a row of norms; a strip of 2048 x m was 512x the input at 12,000
    assert peaks[1] < 8 * 2**20 and peaks[1] < 1.2 * peaks[0], peaks


# ----------------------------------------------------------------------------- 18: tied minority classes


def test_tied_minority_classes_take_the_first_in_sorted_order():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    first_seen_last = np.array([2] * 10 + [1] * 10 + [0] * 40)  # classes 1 and 2 tie; 2 appears first
    swapped = np.where(first_seen_last == 2, 1, np.where(first_seen_last == 1, 2, 0))  # now 1 appears first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y, agree in ((first_seen_last, False), (swapped, True)):
            ours, theirs = imbalance.NearMiss(), imblearn.under_sampling.NearMiss()
            ours.fit_resample(X, y)
            theirs.fit_resample(X, y)
            # ours always measures to class 1 (sorted first); imbalanced-learn to the class seen first
            assert np.array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_)) == agree
            # the cleaning rules spare the same class as imbalanced-learn's: the sorted first
            np.testing.assert_array_equal(imbalance.TomekLinks().fit_resample(X, y)[1],
                                          imblearn.under_sampling.TomekLinks().fit_resample(X, y)[1])


# ----------------------------------------------------------------------------- 21: MLSMOTE in a default comparison


def uneven_label_problem():
    """Four labels; 'rarest' has 7 rows, which 3 multi-label stratified folds split unevenly."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(360, 6)), columns=[f"f{i}" for i in range(6)])
    Y = pd.DataFrame((X.iloc[:, :3].to_numpy() + 0.6 * rng.normal(size=(360, 3)) > [0.1, 0.9, 1.3]).astype(int),
                     columns=["common", "middle", "rare"])
    Y["rarest"] = 0
    Y.loc[rng.choice(360, 7, replace=False), "rarest"] = 1
    return X, Y


@pytest.mark.slow  # compare end to end
def test_mlsmote_that_cannot_run_leaves_the_default_set_with_a_note():
    X, Y = uneven_label_problem()
    with pytest.warns(UserWarning, match="leaving out mlsmote: label 'rarest' has"):
        result = imbalance.compare(X, Y, models=["logreg"], cv=3)
    assert "mlsmote" not in set(result.summary["strategy"]) and "ml_ros" in set(result.summary["strategy"])


def test_the_k_neighbors_mlsmotes_error_suggests_runs_in_every_part():
    import re

    X, Y = uneven_label_problem()
    with pytest.raises(ParameterError, match="mlsmote") as info:
        imbalance.compare(X, Y, recipes=["mlsmote"], models=["logreg"], cv=3)
    suggested = int(re.search(r"at most (\d+) \(it then runs in every part\)", str(info.value)).group(1))
    result = imbalance.compare(X, Y, recipes=["mlsmote"], models=["logreg"], cv=3, k_neighbors=suggested)
    assert len(result.results) == 3


# ----------------------------------------------------------------------------- 1, 20: one fold cannot abort compare


def class_inside_another():
    """Class 1 (12 rows) lies among class 0's rows, class 2 (9 rows) far away: ENN, which cleans
    every class but the minority (2), removes every row of class 1 from a training part."""
    rng = np.random.default_rng(0)
    X = np.r_[rng.uniform(0, 10, size=(200, 2)), rng.uniform(0, 10, size=(12, 2)), rng.normal(30, 0.5, size=(9, 2))]
    return X, np.r_[np.zeros(200, int), np.ones(12, int), np.full(9, 2)]


def test_a_cell_the_data_defeats_is_left_out_with_its_reason(tmp_path):
    X, y = class_inside_another()
    with pytest.warns(UserWarning, match="left out enn / logreg, which could not be fitted on repeat 0, fold"):
        result = imbalance.compare(X, y, recipes=["none", "enn"], models=["logreg"], cv=3)
    assert list(result.summary["strategy"]) == ["none"] and set(result.results["strategy"]) == {"none"}
    assert list(result.left_out) == [("enn", "logreg")] and "dropped a class" in result.left_out[("enn", "logreg")]
    written = imbalance.report.write_report(result, tmp_path / "report", source="three classes")
    assert "Left out" in (tmp_path / "report" / "report.html").read_text()
    record = json.loads((tmp_path / "report" / "answer.json").read_text())
    assert record["left_out"][0]["cell"] == ["enn", "logreg"]
    assert len(written) >= 3


def test_when_every_cell_fails_the_error_names_them():
    X, y = class_inside_another()
    with pytest.raises(InputError, match="no strategy and model could be fitted on every fold.*enn / logreg"):
        imbalance.compare(X, y, recipes=["enn"], models=["logreg"], cv=3)


@pytest.mark.slow  # compare end to end
def test_the_command_line_notes_a_left_out_cell_and_writes_the_report(capsys, tmp_path):
    X, y = class_inside_another()
    path = tmp_path / "three.csv"
    pd.DataFrame(X, columns=["a", "b"]).assign(LABEL=y).to_csv(path, index=False)
    code, out, err = cli(capsys, "compare", path, "--recipes", "none,enn", "--models", "logreg", "--folds", "3",
                         "--out", tmp_path / "r")
    assert code == 0, err
    notes = [line for line in err.splitlines() if "left out" in line]
    assert len(notes) == 1 and notes[0].startswith("imbalance compare: note: left out enn / logreg, which could not")
    assert (tmp_path / "r" / "report.html").exists()


# ----------------------------------------------------------------------------- 22: the answer for decisions


def made_up_result(scores: dict) -> "imbalance.comparison.ComparisonResult":
    """A comparison whose F1 per fold is given: {(strategy, model): [fold scores]}."""
    rows = [{"strategy": s, "model": m, "repeat": 0, "fold": f, "n_train": 800, "n_test": 200, "f1": v}
            for (s, m), values in scores.items() for f, v in enumerate(values)]
    results = pd.DataFrame(rows)
    grouped = results.groupby(["strategy", "model"], sort=False)[["f1"]]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()
    return imbalance.comparison.ComparisonResult(results=results, summary=summary, metrics=("f1",))


def test_among_cells_tied_with_the_best_the_answer_chooses_one_that_keeps_the_probabilities():
    from imbalance.answer import answer

    result = made_up_result({
        ("none", "random_forest"): [0.60, 0.62, 0.58, 0.61, 0.59],
        ("smote", "random_forest"): [0.70, 0.66, 0.69, 0.71, 0.64],  # the best mean
        ("threshold", "random_forest"): [0.68, 0.67, 0.66, 0.70, 0.66],  # within noise of it
    })
    (verdict,) = answer(result, ["f1"])
    assert verdict.best == ("smote", "random_forest")
    assert ("threshold", "random_forest") in [cell for cell, _, _ in verdict.ties]
    assert verdict.choice == ("threshold", "random_forest")
    assert "Choose threshold / random_forest: as good within noise, and it keeps the model's probabilities" in \
        verdict.sentence()
    # a clear winner that rebalances stays the choice
    clear = made_up_result({("none", "random_forest"): [0.50, 0.52, 0.48, 0.51, 0.49],
                            ("smote", "random_forest"): [0.80, 0.81, 0.79, 0.80, 0.82],
                            ("threshold", "random_forest"): [0.55, 0.56, 0.54, 0.55, 0.57]})
    assert answer(clear, ["f1"])[0].choice == ("smote", "random_forest")


@pytest.mark.slow  # compare end to end
def test_fit_from_deploys_the_answers_choice(capsys, tmp_path, small_csv):
    report = tmp_path / "report"
    report.mkdir()
    (report / "answer.json").write_text(json.dumps({"settings": {"seed": 0}, "verdicts": [
        {"metric": "f1", "best": ["smote", "logreg"], "best_mean": 0.68, "choice": ["threshold", "logreg"]}]}))
    code, out, err = cli(capsys, "fit", small_csv, "--from", report, "-o", tmp_path / "m.joblib")
    assert code == 0, err
    assert "fitted threshold / logreg" in out and "keeps the model's probabilities" in out
    assert imbalance.load(tmp_path / "m.joblib").info_["strategy"] == "threshold"
    # and compare's own answer.json says which cell it chose
    code, _, err = cli(capsys, "compare", small_csv, "--recipes", "none,smote", "--models", "logreg", "--folds",
                       "2", "--out", tmp_path / "r")
    assert code == 0, err
    verdicts = json.loads((tmp_path / "r" / "answer.json").read_text())["verdicts"]
    assert all(len(v["choice"]) == 2 and "same" in v for v in verdicts)


@pytest.mark.slow  # compare end to end
def test_the_threshold_is_tuned_for_the_metric_the_decision_is_judged_by(capsys, tmp_path, small_csv):
    from imbalance.model_selection import FoldPlan

    X, y = load_churn(return_X_y=True)
    folds = FoldPlan.stratified(y, n_splits=3, random_state=0)
    thresholds = {}
    for metric in ("f1", "balanced_accuracy"):
        result = imbalance.compare(X, y, recipes=["threshold"], models=["logreg"], cv=folds,
                                   threshold_metric=metric)
        thresholds[metric] = result.results["threshold"].to_numpy()
    train, _ = next(iter(folds.split(X, y)))
    alone = RecipeClassifier("threshold", "logreg", random_state=0, threshold_metric="balanced_accuracy")
    assert alone.fit(X.iloc[train], y.iloc[train]).threshold_ == pytest.approx(thresholds["balanced_accuracy"][0])
    # balanced accuracy weighs the rare class's recall more than F1 does: a lower threshold
    assert (thresholds["balanced_accuracy"] < thresholds["f1"]).all()
    with pytest.raises(ParameterError, match="threshold_metric must be one of"):
        imbalance.compare(X, y, recipes=["threshold"], models=["logreg"], threshold_metric="auc")
    code, _, err = cli(capsys, "compare", small_csv, "--recipes", "none,threshold", "--models", "logreg",
                       "--folds", "2", "--decide-by", "balanced_accuracy", "--out", tmp_path / "r")
    assert code == 0, err
    record = json.loads((tmp_path / "r" / "answer.json").read_text())
    assert record["settings"]["threshold tuned for"] == "balanced_accuracy"
