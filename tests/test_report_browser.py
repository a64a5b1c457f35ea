"""The compare report in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, which CI installs) renders report.html offline; the answer, the table and
every plot are there and visible, and the tables sort."""

import re

import numpy as np
import pandas as pd
import pytest

import imbalance
from imbalance.datasets import load_churn
from imbalance.report import write_report

pytestmark = pytest.mark.slow


def check_page(browser, page, tmp_path):
    text = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*['"]?https?:""", text)  # works offline
    browser.get(page.as_uri())
    answer = browser.find_element("id", "answer")
    assert answer.is_displayed() and "best" in answer.text and "t-test" in answer.text
    images = browser.find_elements("tag name", "img")
    assert images
    for image in images:
        loaded, width, height = browser.execute_script(
            "const i = arguments[0], r = i.getBoundingClientRect();"
            "return [i.complete && i.naturalWidth > 0, r.width, r.height];", image)
        assert loaded and width > 100 and height > 100, image.get_attribute("alt")
    shot = tmp_path / "screenshot.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    return browser.find_elements("css selector", "table.sortable")


def test_the_report_renders_with_the_answer_first_and_sorts(browser, tmp_path):
    X, y = load_churn(return_X_y=True)
    result = imbalance.compare(X, y, recipes=["none", "under_1:1", "threshold"], models=["logreg"], cv=3)
    write_report(result, tmp_path / "r", source="churn")
    tables = check_page(browser, tmp_path / "r" / "report.html", tmp_path)
    assert len(tables) == 1
    body = browser.find_element("tag name", "body").text
    assert body.index("The answer") < body.index("Results")  # the answer comes first
    header = tables[0].find_elements("tag name", "th")
    column = [h.text for h in header].index("average_precision")

    def column_values():
        return [float(r.find_elements("tag name", "td")[column].text.split()[0])
                for r in tables[0].find_elements("css selector", "tbody tr")]

    header[column].click()
    assert column_values() == sorted(column_values())
    header[column].click()
    assert column_values() == sorted(column_values(), reverse=True)


def test_the_multilabel_report_renders_its_per_label_plot(browser, tmp_path):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(240, 4)), columns=list("abcd"))
    Y = pd.DataFrame((X.to_numpy()[:, :3] + rng.normal(size=(240, 3)) > [0.0, 1.0, 1.5]).astype(int),
                     columns=["p", "q", "r"])
    result = imbalance.compare(X, Y, recipes=["none", "class_weight"], models=["logreg"], cv=3)
    write_report(result, tmp_path / "r", source="synthetic")
    tables = check_page(browser, tmp_path / "r" / "report.html", tmp_path)
    assert len(tables) == 2  # the labels and the results
    alts = {img.get_attribute("alt") for img in browser.find_elements("tag name", "img")}
    assert alts == {"metrics.png", "per_label.png"}


def test_the_report_fits_1280_pixels_with_costs_and_calibration(browser, tmp_path):
    # issue 35.5: the results table grew to 2,000 px with --costs --calibrate, past the window's edge
    X, y = load_churn(return_X_y=True)
    result = imbalance.compare(X, y, recipes=["none", "over", "threshold"], models=["logreg"], cv=3,
                               costs={"FN": 10, "FP": 1}, calibration=["sigmoid", "isotonic"])
    write_report(result, tmp_path / "r", source="churn", settings={"costs": "FN=10,FP=1"})
    browser.set_window_size(1280, 1000)
    try:
        check_page(browser, tmp_path / "r" / "report.html", tmp_path)
        page_width, window = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];")
        assert page_width <= window  # the page itself never scrolls sideways
        box = browser.find_element("css selector", ".scroll")
        inner, visible = browser.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth];", box)
        assert inner > visible  # the wide table scrolls inside its own box instead
        answer = browser.find_element("id", "answer").text
        assert "Deciding with" in answer and "false alarms" in answer  # what a team acting on it reads
        captions = [c.text for c in browser.find_elements("tag name", "figcaption")]
        assert all(len(c) > 40 for c in captions), captions  # a sentence, not a file name
    finally:
        browser.set_window_size(1300, 1000)


def test_the_report_of_a_numeric_target_renders_its_plots(browser, tmp_path):
    from imbalance.datasets import load_abalone

    X, y = load_abalone(return_X_y=True)
    result = imbalance.compare(X, y, recipes=["none", "smogn"], models=["ridge"], cv=3)
    write_report(result, tmp_path / "r", source="abalone")
    check_page(browser, tmp_path / "r" / "report.html", tmp_path)
    alts = {image.get_attribute("alt") for image in browser.find_elements("tag name", "img")}
    assert alts == {"metrics.png", "error_by_target.png", "target_distribution.png"}
    body = browser.find_element("tag name", "body").text
    assert "rare rmse: best" in body and "regresses to the mean" in body
