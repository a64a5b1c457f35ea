"""The documentation build the site tests look at, started as soon as they are collected.

The build (autodoc, and the gallery running every example) takes about two minutes and needs
nothing from the other tests, so it runs in a child process beside them from the start of the
session; the ``site`` fixture of ``test_docs_site.py`` waits for it. It builds from a clean copy
of the sources (sphinx-gallery skips an example whose md5 file matches, so a build in place
would not run a changed example's unchanged twin, nor show that it broke).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import subprocesses

ROOT = Path(__file__).parent.parent
#: The build's examples run torch and scikit-learn: one thread each, or their OpenMP threads spin
#: against the tests beside them (measured on 2 cores: a 1.5 s compare test took 39 s).
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
DOCS = ROOT / "docs"


@dataclass
class Build:
    process: subprocess.Popen
    root: Path  # a temporary folder: the sources' copy, the site, the build's log
    out: Path
    log: Path

    def wait(self, timeout: float = 1200) -> tuple[int, str]:
        """The build's exit status and the end of its log; kills it after ``timeout`` seconds."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            subprocesses.kill_group(self.process)
            code = -9
        return code, self.log.read_text(errors="replace")[-9000:]

    def close(self) -> None:
        if self.process.poll() is None:
            subprocesses.kill_group(self.process)
        shutil.rmtree(self.root, ignore_errors=True)


def clean_copy(root: Path) -> Path:
    """The parts of the repository the site is built from, copied into ``root`` without what an
    earlier build left in docs/."""
    left_by_builds = shutil.ignore_patterns("_build", "auto_examples", "generated", "sg_execution_times.rst",
                                            "__pycache__")
    shutil.copytree(DOCS, root / "docs", ignore=left_by_builds)
    shutil.copytree(ROOT / "examples", root / "examples", ignore=left_by_builds)
    shutil.copytree(ROOT / "benchmarks" / "results", root / "benchmarks" / "results")  # the tables it includes
    shutil.copy(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")  # docs/changelog.md includes it
    return root / "docs"


def start() -> Build:
    """Start the build (``sphinx -W``, as CI builds it) in the background."""
    root = Path(tempfile.mkdtemp(prefix="imbalance-docs-"))
    docs, out, log = clean_copy(root), root / "site", root / "build.log"
    with log.open("w") as sink:
        process = subprocesses.popen(
            [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", "2", "-b", "html", "-q", docs, out],
            stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **ONE_THREAD, "MPLBACKEND": "Agg"})
    return Build(process, root, out, log)
