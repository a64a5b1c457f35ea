"""Shared fixtures: the bundled churn demo as a table, as X and y, and as files; headless
Chromium for the tests that look at HTML in a real browser."""

import os
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from imbalance.datasets import load_churn

# Keras is tested on the torch backend (installed); its default, TensorFlow, is not.
os.environ.setdefault("KERAS_BACKEND", "torch")


def pytest_ignore_collect(collection_path, config):
    """With ``-m "not slow"``, skip importing the modules that are slow as a whole
    (``pytestmark = ... pytest.mark.slow``): their imports (Spark, Lightning, Keras, fastai)
    would cost the inner loop seconds for tests it deselects anyway."""
    if collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    if "not slow" not in (config.getoption("markexpr") or ""):
        return None
    return True if _SLOW_MODULE.search(collection_path.read_text()) else None


_SLOW_MODULE = re.compile(r"^pytestmark = .*pytest\.mark\.slow", re.M)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every Spark test module (starting the JVM costs seconds)."""
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("imbalance-tests")
        .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false").getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def churn() -> pd.DataFrame:
    """The churn demo (5,000 rows, label column LABEL); copy before changing it."""
    return load_churn()


@pytest.fixture(scope="session")
def churn_labels(churn) -> pd.Series:
    return churn["LABEL"]


@pytest.fixture(scope="session")
def churn_csv(tmp_path_factory, churn):
    """The churn demo as a CSV file."""
    path = tmp_path_factory.mktemp("data") / "churn.csv"
    churn.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def multiclass_csv(tmp_path_factory):
    """300 rows, three numeric features, three classes (common, mid, rare) in LABEL."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=list("abc"))
    X["LABEL"] = np.where(X["a"] > 1.0, "rare", np.where(X["b"] > 0, "mid", "common"))
    path = tmp_path_factory.mktemp("multiclass") / "three.csv"
    X.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, which CI installs)
    driven by selenium; skipped where they are missing, except under CI, where that fails."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver (see .ci/run)", pytrace=False)
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1300,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    yield driver
    driver.quit()


def pytest_collection_modifyitems(session, config, items):
    """The site tests last: the documentation build they look at runs beside every other test
    (started in ``pytest_collection_finish``), so by then it is done, instead of the session
    waiting for it where the site tests fall in alphabetical order."""
    items.sort(key=lambda item: item.path.name == "test_docs_site.py")  # stable: the rest keep their order


def pytest_collection_finish(session):
    """Start the documentation build as soon as a site test is selected (after ``-m`` and ``-k``
    have deselected what they do): it runs beside the other tests (see ``tests/docs_build.py``)
    instead of after them."""
    config = session.config
    if config.option.collectonly or not any(item.path.name == "test_docs_site.py" for item in session.items):
        return
    try:
        import sphinx  # noqa: F401  (where the docs extra is missing, the site tests say so themselves)
    except ImportError:
        return
    from threadpoolctl import threadpool_limits

    import docs_build

    config.imbalance_docs_build = docs_build.start()
    # Two processes on two cores while the build runs: the tests' OpenMP and BLAS threads (hist_gb's,
    # say) would spin against it as the build's would against them (a 2 s compare test took 53 s in
    # CI). One thread each until the build is done (pytest_runtest_setup lifts the limit).
    config.imbalance_thread_limit = threadpool_limits(1)


def pytest_runtest_setup(item):
    limit = getattr(item.config, "imbalance_thread_limit", None)
    if limit is not None and item.config.imbalance_docs_build.process.poll() is not None:
        limit.restore_original_limits()
        item.config.imbalance_thread_limit = None


def pytest_unconfigure(config):
    build = getattr(config, "imbalance_docs_build", None)
    if build is not None:
        build.close()
