"""Sphinx configuration: the user guide (MyST markdown), the API reference (autosummary + numpydoc)
and the gallery (sphinx-gallery runs ``examples/`` at build time)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import imbalance

# imbalance.keras is documented (and its example run) on Keras's torch backend.
os.environ.setdefault("KERAS_BACKEND", "torch")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# autosummary writes a page per documented name and never removes one: start from none, so that
# a name taken out of the reference leaves no orphan page behind (an error under -W).
shutil.rmtree(DOCS / "api" / "generated", ignore_errors=True)

project = "imbalance"
author = "the imbalance developers"
copyright = "2026, the imbalance developers"
release = version = imbalance.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip",
                    "auto_examples/*.json", "auto_examples/*.md5", "**/*.codeobj.json"]
templates_path = ["_templates"]

myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

autosummary_generate = True
autodoc_default_options: dict[str, object] = {}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()

html_theme = "pydata_sphinx_theme"
html_title = f"imbalance {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False

# Math renders offline: MathJax's SVG build (one file, fonts inside) from the django-static-mathjax
# package of the docs extra, copied into _static, instead of the CDN copy Sphinx loads by default.
_MATHJAX = Path(importlib.util.find_spec("mathjax").origin).parent / "static" / "mathjax" / "es5" / "tex-svg.js"
html_static_path = [str(_MATHJAX)]
mathjax_path = "tex-svg.js"
html_sidebars = {"index": [], "performance": [], "layout": []}  # single pages: no empty navigation column

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/[^_][^/]*\.py$",  # run every example, not only plot_*.py
    "ignore_pattern": r"/_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "show_memory": False,
    "plot_gallery": os.environ.get("IMBALANCE_DOCS_RUN_GALLERY", "True"),
    "abort_on_example_error": True,
    # the execution-times page loads jQuery and DataTables from CDNs; the times are in each example
    "write_computation_times": False,
}


def skip_member(app, what, name, obj, skip, options):
    """Document a class's members that this project wrote, its own and those of its private
    bases, and leave out what it inherits from scikit-learn, torch or Python (``get_params``,
    ``set_fit_request``, ``nn.Module``'s methods): those are documented by their projects."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    if what not in ("class", "exception", "method", "attribute", "property") or skip:
        return skip
    code = getattr(obj, "fget", obj)  # a property's getter tells where it was written
    module = getattr(code, "__module__", None)
    if module is None:
        return skip
    return not module.startswith("imbalance")


def setup(app):
    app.connect("autodoc-skip-member", skip_member)
