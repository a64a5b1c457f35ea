"""The documentation site builds from a clean tree with warnings as errors (the gallery's
examples run during the build), and renders in headless Chromium: titles, images, the API
reference and the search page."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

import docs_build

pytestmark = pytest.mark.slow

DOCS = Path(__file__).parent.parent / "docs"

if os.environ.get("CI"):
    import sphinx  # noqa: F401  (CI installs the docs extra; a missing one must fail, not skip)
else:  # the build imports every module and runs every example: every extra must be there
    for needed in ("sphinx", "sphinx_gallery", "torch", "pyspark", "lightning", "transformers"):
        pytest.importorskip(needed)


@pytest.fixture(scope="module")
def site(request):
    """The site built as CI builds it, from a clean copy (started at collection, see
    ``tests/docs_build.py``), served on localhost (search fetches its index)."""
    build = getattr(request.config, "imbalance_docs_build", None) or docs_build.start()
    request.config.imbalance_docs_build = build
    code, log = build.wait()
    assert code == 0, log
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build.out))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield build.out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def open_page(browser, url):
    browser.get(url)
    images = browser.find_elements("tag name", "img")
    broken = [image.get_attribute("src") for image in images
              if not browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0;", image)]
    assert not broken, f"broken images on {url}: {broken}"
    return images


def test_the_site_builds_with_every_part(site):
    out, _ = site
    for page in ("index.html", "search.html", "performance.html", "user_guide/choosing.html",
                 "api/index.html", "api/generated/imbalance.synth.SMOTE.html", "auto_examples/index.html"):
        assert (out / page).is_file(), page
    figures = list((out / "_images").glob("sphx_glr_plot_*.png"))
    assert len(figures) >= 3, figures  # the gallery ran and drew its plots


def test_the_index_and_the_user_guide_render(site, browser):
    _, url = site
    open_page(browser, f"{url}/index.html")
    assert "imbalance" in browser.title
    assert browser.find_element("tag name", "h1").text.startswith("imbalance")
    open_page(browser, f"{url}/user_guide/choosing.html")
    assert "Which lever when" in browser.title


def test_an_api_page_renders_with_its_methods(site, browser):
    _, url = site
    open_page(browser, f"{url}/api/generated/imbalance.synth.SMOTE.html")
    assert "SMOTE" in browser.title
    assert browser.find_element("id", "imbalance.synth.SMOTE").is_displayed()
    assert browser.find_elements("id", "imbalance.synth.SMOTE.fit_resample")  # inherited from our base
    assert not browser.find_elements("id", "imbalance.synth.SMOTE.set_fit_request")  # scikit-learn's, left out


def test_the_gallery_shows_its_figures(site, browser):
    _, url = site
    images = open_page(browser, f"{url}/auto_examples/plot_smote_neighbours.html")
    widths = [browser.execute_script("return arguments[0].getBoundingClientRect().width;", image) for image in images]
    assert max(widths) > 300


def test_the_search_page_finds_a_class(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    _, url = site
    browser.get(f"{url}/search.html?q=SMOTEENN")
    WebDriverWait(browser, 30).until(
        lambda b: b.find_elements("css selector", "#search-results li, ul.search li"))
    hits = [item.text for item in browser.find_elements("css selector", "#search-results li, ul.search li")]
    assert any("SMOTEENN" in hit for hit in hits), hits


def test_every_page_works_offline(site):
    # no script, stylesheet or font from another host: the site must read the same without a network
    import re

    out, _ = site
    external = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//[^"]+"')
    offenders = {}
    for page in out.rglob("*.html"):
        found = [tag for tag in external.findall(page.read_text(encoding="utf-8"))
                 if "stylesheet" in tag or "<script" in tag or "preload" in tag]
        if found:
            offenders[str(page.relative_to(out))] = found[:2]
    assert not offenders, offenders


def test_math_renders_from_the_sites_own_mathjax(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    _, url = site
    open_page(browser, f"{url}/api/generated/imbalance.planner.plan.html")
    WebDriverWait(browser, 30).until(lambda b: b.find_elements("css selector", "mjx-container svg"))
    sources = [s.get_attribute("src") for s in browser.find_elements("tag name", "script") if s.get_attribute("src")]
    assert any(src.startswith(url) and src.split("?")[0].endswith("_static/tex-svg.js") for src in sources), sources


def test_every_gallery_card_shows_its_own_figure(site):
    # issue 35.13: six of nine cards showed sphinx-gallery's placeholder (examples that drew nothing); every
    # placeholder card is the same picture, every example's own figure another
    import re

    out, _ = site
    index = (out / "auto_examples" / "index.html").read_text(encoding="utf-8")
    thumbs = re.findall(r'<img[^>]+src="([^"]*_thumb[^"]*)"', index)
    examples = [p for p in (DOCS.parent / "examples").glob("*.py") if not p.name.startswith("_")]
    assert len(thumbs) == len(examples), thumbs
    pictures = [(out / "auto_examples" / src).resolve().read_bytes() for src in thumbs]
    assert len(set(pictures)) == len(pictures), thumbs
