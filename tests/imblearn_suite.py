"""Run imbalanced-learn's own test files against this library.

The test files installed with imbalanced-learn (the ``dev`` extra installs it) are copied,
their ``imblearn`` imports rewritten to this library's counterparts by the table of
:mod:`imbalance._imblearn_names`, and run by pytest in a child process where ``imblearn``
cannot be imported: a test passes only on our code. A test that cannot pass here for a
reason of its own (the network, a deliberate difference) is deselected by name, with the
reason, by the caller.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import util
from pathlib import Path

from imbalance._imblearn_names import COUNTERPARTS

#: Whole modules imported by name (``from imblearn import over_sampling as os``).
MODULES = {
    "imblearn": "imbalance",
    "imblearn.over_sampling": "imbalance",
    "imblearn.under_sampling": "imbalance",
    "imblearn.combine": "imbalance",
    "imblearn.ensemble": "imbalance",
    "imblearn.pipeline": "imbalance.pipeline",
    "imblearn.metrics": "imbalance.metrics",
    "imblearn.datasets": "imbalance.datasets",
}

# imbalanced-learn cannot be imported in the child: a None in sys.modules makes every
# ``import imblearn...`` raise ImportError.
_CONFTEST = """
import sys
for name in [m for m in sys.modules if m == "imblearn" or m.startswith("imblearn.")]:
    del sys.modules[name]
sys.modules["imblearn"] = None
"""


def installed_test_file(relative: str) -> Path:
    """The path of one of imbalanced-learn's installed test files (``tests/test_pipeline.py``)."""
    spec = util.find_spec("imblearn")
    assert spec is not None and spec.origin is not None, "imbalanced-learn is not installed (the dev extra has it)"
    return Path(spec.origin).parent / relative


def _counterpart(module: str, name: str) -> str:
    full = f"{module}.{name}"
    if full in COUNTERPARTS:
        return COUNTERPARTS[full]
    if full in MODULES:
        return MODULES[full]
    raise KeyError(f"no counterpart for {full}: add it to imbalance._imblearn_names.COUNTERPARTS")


def rewrite(source: str) -> str:
    """``source`` with every ``from imblearn... import a as b`` turned into imports of this
    library's counterparts (``import imblearn`` is refused: no test file uses it)."""
    lines = source.splitlines(keepends=True)
    for node in sorted(ast.walk(ast.parse(source)), key=lambda n: -getattr(n, "lineno", 0)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "imblearn" for a in node.names):
            raise ValueError(f"line {node.lineno}: 'import imblearn' is not rewritten")
        if not (isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "imblearn"):
            continue
        imports = []
        for alias in node.names:
            target = _counterpart(node.module, alias.name)
            as_name = alias.asname or alias.name
            if f"{node.module}.{alias.name}" in MODULES:
                imports.append(f"import {target} as {as_name}")
            else:
                module, attribute = target.rsplit(".", 1)
                imports.append(f"from {module} import {attribute} as {as_name}")
        indent = lines[node.lineno - 1][: node.col_offset]
        lines[node.lineno - 1: node.end_lineno] = [indent + "; ".join(imports) + "\n"]
    return "".join(lines)


def run(files: dict[str, str], tmp_path: Path, *, deselect: dict[str, str] = (), replace: dict = ()
        ) -> subprocess.CompletedProcess:
    """Run the rewritten test ``files`` (installed path -> name to give the copy) under
    pytest in a child without imbalanced-learn; ``deselect``: test id -> why it cannot pass
    here; ``replace``: (file name, old text) -> new text, applied before rewriting, for a
    line that names something only imbalanced-learn has."""
    for installed, name in files.items():
        source = installed_test_file(installed).read_text()
        for (target, old), new in dict(replace).items():
            if target == name:
                assert old in source, f"{old!r} is not in {name} any more"
                source = source.replace(old, new)
        (tmp_path / name).write_text(rewrite(source))
    (tmp_path / "conftest.py").write_text(_CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
            "-c", str(tmp_path / "pytest.ini"), str(tmp_path)]
    for test_id in dict(deselect):
        args += ["--deselect", test_id]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)


EXAMPLES = Path(__file__).parent / "imblearn_examples"


def run_examples(tmp_path: Path, *, replace: dict = (), workers: int = 2) -> dict[str, subprocess.CompletedProcess]:
    """Run every example in :data:`EXAMPLES` as a script (rewritten, ``replace`` applied:
    (file name, old text) -> new text) in a child where imbalanced-learn cannot be imported,
    plots drawn off screen; the longest first, ``workers`` at a time. Returns each run."""
    (tmp_path / "sitecustomize.py").write_text(_CONFTEST)  # imported by every child at start-up
    scripts = []
    for path in sorted(EXAMPLES.glob("*.py")):
        source = path.read_text()
        for (target, old), new in dict(replace).items():
            if target == path.name:
                assert old in source, f"{old!r} is not in {path.name} any more"
                source = source.replace(old, new)
        (tmp_path / path.name).write_text(rewrite(source))
        scripts.append(path.name)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(tmp_path), "OMP_NUM_THREADS": "1"}

    def one(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, name], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)

    longest_first = sorted(scripts, key=lambda name: name != "plot_bagging_classifier.py")
    with ThreadPoolExecutor(workers) as pool:
        return dict(zip(longest_first, pool.map(one, longest_first)))
