"""The documentation is built from the code: every public name has a docstring and a place in
the API reference (docs/api/), and the examples in the docstrings run (doctests)."""

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import imbalance

DOCS = Path(__file__).parent.parent / "docs"
OPTIONAL = {"imbalance.torch": "torch", "imbalance.spark": "pyspark", "imbalance.torch.lightning": "lightning",
            "imbalance.torch.hf": "transformers"}


def public_modules() -> list[str]:
    """Every module of the package whose dotted name has no part starting with '_'."""
    names = ["imbalance"]
    for info in pkgutil.walk_packages(imbalance.__path__, "imbalance."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def import_or_skip(name: str):
    for prefix, needs in OPTIONAL.items():
        if name == prefix or name.startswith(prefix + "."):
            pytest.importorskip(needs)
    return importlib.import_module(name)


def referenced() -> dict[int, str]:
    """id of every object the API reference lists (autosummary entries under their
    ``currentmodule``) -> its dotted path there."""
    found = {}
    for page in sorted((DOCS / "api").glob("*.rst")):
        module = None
        for line in page.read_text().splitlines():
            if match := re.match(r"\.\. currentmodule:: (\S+)", line):
                module = match.group(1)
            elif (match := re.match(r"   ([A-Za-z_]\w*)$", line)) and module:
                try:
                    found[id(getattr(import_or_skip(module), match.group(1)))] = f"{module}.{match.group(1)}"
                except pytest.skip.Exception:
                    continue
    return found


def commented_constants() -> set[int]:
    """ids of the module-level values that carry a ``#:`` comment (what autodoc reads as their
    docstring) in the module that assigns them."""
    found = set()
    for name in public_modules():
        try:
            module = import_or_skip(name)
        except pytest.skip.Exception:
            continue
        lines = inspect.getsource(module).splitlines()
        for before, line in zip(lines, lines[1:]):
            if before.startswith("#:") and (match := re.match(r"([A-Za-z_]\w*)\s*[:=]", line)):
                found.add(id(getattr(module, match.group(1))))
    return found


@pytest.mark.parametrize("name", public_modules())
def test_every_public_name_has_a_docstring(name):
    module = import_or_skip(name)
    assert inspect.getdoc(module), f"{name} has no module docstring"
    constants = commented_constants()
    for attr in module.__all__:
        obj = getattr(module, attr)
        if inspect.isclass(obj):
            assert (obj.__dict__.get("__doc__") or "").strip(), f"{name}.{attr} has no docstring"
        elif inspect.isroutine(obj):
            assert inspect.getdoc(obj), f"{name}.{attr} has no docstring"
        elif not inspect.ismodule(obj):
            assert id(obj) in constants, f"{name}.{attr} needs a '#:' comment above it: autodoc reads it as its docstring"


@pytest.mark.parametrize("name", public_modules())
def test_every_public_name_is_in_the_api_reference(name):
    module = import_or_skip(name)
    documented = referenced()
    missing = [attr for attr in module.__all__ if not inspect.ismodule(getattr(module, attr))
               and id(getattr(module, attr)) not in documented]
    assert not missing, f"add {missing} of {name} to a page of docs/api/"


def test_the_reference_lists_only_public_names():
    for path in referenced().values():
        module, attr = path.rsplit(".", 1)
        assert attr in importlib.import_module(module).__all__, f"{path} is documented but not public"


@pytest.mark.parametrize("name", public_modules())
def test_docstring_examples_run(name, monkeypatch):
    module = import_or_skip(name)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [test for test in finder.find(module, name) if test.examples]
    for test in tests:
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} docstring example(s) of {name} failed (output above)"
