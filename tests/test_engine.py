"""The compare engine's seam: a kind of target of its own is a Problem subclass, nothing more.

A toy problem with a numeric target (what imbalanced regression will bring) runs through
the same engine as the single- and multi-label comparisons: cells on shared folds, a failed
cell left out on all its folds with a warning, progress from 0/N, the same table whatever
the number of workers.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold

from imbalance._engine import Cell, ComparisonResult, Problem, drop_failed, make_cells, run, summarise
from imbalance._validation import InputError
from imbalance.strategies import Recipe

RECIPES = {
    "none": Recipe("none"),
    "shift": Recipe("shift", description="predicts the training mean plus one"),
    "fragile": Recipe("fragile", description="fails on the second fold"),
}


class MeanProblem(Problem):
    """Predict a numeric target by its training mean (plus one for ``shift``); score MAE."""

    recipes = RECIPES

    def __init__(self, y, chosen, n_splits=4, fail_on_fold=1):
        self.y = np.asarray(y, dtype=float)
        self.chosen, self.model_names = list(chosen), ["mean"]
        self.splits = list(KFold(n_splits, shuffle=True, random_state=0).split(self.y))
        self.n_folds, self.fail_on_fold = n_splits, fail_on_fold

    def fit_cell(self, cell: Cell, tuned):
        if cell.recipe.name == "fragile" and cell.fold == self.fail_on_fold:
            raise ValueError("this training part defeats the recipe")
        guess = self.y[cell.train].mean() + (1.0 if cell.recipe.name == "shift" else 0.0)
        mae = float(np.abs(self.y[cell.test] - guess).mean())
        return [{"strategy": cell.recipe.name, "model": cell.model, "repeat": cell.repeat, "fold": cell.fold,
                 "mae": mae, "seed": self.seed(cell)}]

    def collect(self, outputs, left_out):
        results = pd.DataFrame(outputs)
        return ComparisonResult(results=results, summary=summarise(results, ["mae"]), metrics=("mae",),
                                left_out=left_out)


Y = np.arange(40.0) ** 1.5


def expected_mae(problem, name):
    shift = 1.0 if name == "shift" else 0.0
    return [np.abs(Y[test] - (Y[train].mean() + shift)).mean() for train, test in problem.splits]


def test_a_problem_of_its_own_runs_through_the_engine():
    problem = MeanProblem(Y, ["none", "shift"])
    calls = []
    result = run(problem, n_jobs=1, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 8) and calls[-1] == (8, 8) and len(calls) == 9
    assert list(result.summary["strategy"]) == ["none", "shift"]
    for name in ("none", "shift"):
        folds = result.results[result.results["strategy"] == name].sort_values("fold")
        np.testing.assert_allclose(folds["mae"], expected_mae(problem, name))
        row = result.summary[result.summary["strategy"] == name].iloc[0]
        assert row["mae_mean"] == pytest.approx(np.mean(expected_mae(problem, name)))
        assert row["mae_sd"] == pytest.approx(np.std(expected_mae(problem, name), ddof=1))
    # one seed per repeat and fold, the same for every recipe
    assert sorted(set(result.results["seed"])) == [0, 1, 2, 3]


def test_workers_give_the_same_table():
    one = run(MeanProblem(Y, ["none", "shift"]), n_jobs=1).results.sort_values(["strategy", "fold"])
    two = run(MeanProblem(Y, ["none", "shift"]), n_jobs=2).results.sort_values(["strategy", "fold"])
    pd.testing.assert_frame_equal(one.reset_index(drop=True), two.reset_index(drop=True))


def test_a_cell_the_data_defeats_is_left_out_on_every_fold():
    with pytest.warns(UserWarning, match="left out fragile / mean, which could not be fitted on repeat 0, fold 1"):
        result = run(MeanProblem(Y, ["none", "fragile"]), n_jobs=1)
    assert set(result.results["strategy"]) == {"none"}
    assert list(result.left_out) == [("fragile", "mean")]
    assert "this training part defeats the recipe" in result.left_out[("fragile", "mean")]


def test_every_cell_failing_is_an_error_that_says_why():
    with pytest.raises(InputError, match="no strategy and model could be fitted on every fold.*defeats"):
        run(MeanProblem(Y, ["fragile"]), n_jobs=1)


def test_cells_cross_every_recipe_with_its_models_on_every_fold():
    recipes = {"none": Recipe("none"), "pinned": Recipe("pinned", model="mlp")}
    splits = [(np.array([0, 1]), np.array([2])), (np.array([1, 2]), np.array([0]))] * 2
    cells = make_cells(recipes, ["none", "pinned"], ["logreg", "hist_gb"], splits, n_folds=2)
    assert [(c.recipe.name, c.model, c.repeat, c.fold) for c in cells] == [
        ("none", "logreg", 0, 0), ("none", "logreg", 0, 1), ("none", "logreg", 1, 0), ("none", "logreg", 1, 1),
        ("none", "hist_gb", 0, 0), ("none", "hist_gb", 0, 1), ("none", "hist_gb", 1, 0), ("none", "hist_gb", 1, 1),
        ("pinned", "mlp", 0, 0), ("pinned", "mlp", 0, 1), ("pinned", "mlp", 1, 0), ("pinned", "mlp", 1, 1)]
    keep, left_out = drop_failed(cells, [None] * len(cells))
    assert keep == list(range(len(cells))) and left_out == {}
