"""Starting real child processes from tests, so that they behave the same wherever pytest runs.

Two things differ between a terminal and a CI runner, and both once failed the suite:

- A shell that starts pytest in the background (``cmd &``, ``nohup``, some CI runners) leaves
  SIGINT ignored, and every child inherits that: Python then installs no Ctrl-C handler, and a
  test that interrupts a child sees it carry on. Children start here with SIGINT at its default.
- A child that hangs (a torchrun rank deadlocked at exit, a compare still fitting) must not
  outlive its test. Children start in a session of their own, and a timeout or a failed test
  kills the whole group: the launcher and everything it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence

import pytest


def _default_sigint() -> None:
    # runs in the child between fork and exec
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def popen(argv: Sequence[str], **options) -> subprocess.Popen:
    """``subprocess.Popen`` in a new session with SIGINT at its default (see the module's note)."""
    return subprocess.Popen(list(map(str, argv)), start_new_session=True, preexec_fn=_default_sigint, **options)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the child's whole process group, then reap the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)


@contextlib.contextmanager
def started(argv: Sequence[str], **options) -> Iterator[subprocess.Popen]:
    """A child for the duration of a ``with`` block; its group is killed when the block ends."""
    process = popen(argv, **options)
    try:
        yield process
    finally:
        kill_group(process)


def run(argv: Sequence[str], *, timeout: float, **options) -> subprocess.CompletedProcess:
    """Like ``subprocess.run(..., capture_output=True, text=True)``; on a timeout the whole group
    is killed and the test fails with the ends of what the child printed."""
    with started(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            stdout, stderr = process.communicate()
            pytest.fail(f"{' '.join(map(str, argv))} ran past {timeout} s and was killed with its process group;\n"
                        f"stdout: ...{stdout[-2000:]}\nstderr: ...{stderr[-4000:]}", pytrace=False)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


class StreamWatch:
    """Reads a child's pipe on a thread, so a test can wait for what it prints (an observable
    event) instead of sleeping a fixed time."""

    def __init__(self, pipe) -> None:
        self._pipe, self._chunks, self._lock = pipe, [], threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for chunk in iter(lambda: os.read(self._pipe.fileno(), 65536), b""):
            with self._lock:
                self._chunks.append(chunk)

    @property
    def text(self) -> str:
        with self._lock:
            return b"".join(self._chunks).decode(errors="replace")

    def wait_for(self, needle: str, timeout: float) -> None:
        """Return once ``needle`` has been printed; fail the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > deadline:
                pytest.fail(f"{needle!r} not printed within {timeout} s; printed: ...{self.text[-2000:]}",
                            pytrace=False)
            time.sleep(0.01)

    def close(self, timeout: float = 60) -> str:
        """Everything the child printed, once the pipe has closed."""
        self._thread.join(timeout)
        return self.text
