"""``hubgraph serve`` in a subprocess of its own process group, timed from launch to its first
answer and to its warm caches (for tests/api/test_serve.py and bench/load.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import httpx
import psutil

from api.warmup import DONE

__all__ = ["CLI", "ROOT", "ServerProcess", "free_port", "hubgraph"]

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hubgraph(store: Path | str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one ``hubgraph`` command on ``store``; its exit status, stdout and stderr."""
    return subprocess.run([*CLI, "--store", str(store), *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=600)


class ServerProcess:
    """``hubgraph serve --workers N`` on a free port of 127.0.0.1; stop it with :meth:`stop`
    (or use it as a context manager), which ends the whole process group."""

    def __init__(self, store: Path | str, log: Path, workers: int = 1, env: dict[str, str] | None = None):
        self.workers = workers
        self.log = log
        self.url = f"http://127.0.0.1:{free_port()}"
        self.launched = time.perf_counter()
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [*CLI, "--store", str(store), "serve", "--host", "127.0.0.1", "--port", self.url.rsplit(":", 1)[1],
                 "--workers", str(workers)],
                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace")

    def _wait(self, ready: Callable[[], bool], what: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while not ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not {what} in {timeout:.0f} s:\n{self.output()[-3000:]}")
            time.sleep(0.05)
        return time.perf_counter() - self.launched

    def wait_healthy(self, timeout: float = 60) -> float:
        """Seconds from launch to the first 200 from /health."""
        def healthy() -> bool:
            try:
                return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False
        return self._wait(healthy, "answer /health", timeout)

    def wait_warm(self, timeout: float = 600) -> float:
        """Seconds from launch until every worker logged that its caches are built."""
        return self._wait(lambda: self.output().count(DONE) >= self.workers, "warm its caches", timeout)

    def processes(self) -> list[psutil.Process]:
        """The server's processes: the one launched and its workers."""
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def rss(self) -> int:
        """Resident memory of every server process together, in bytes."""
        total = 0
        for proc in self.processes():
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def stop(self) -> None:
        """End the server and its workers: SIGTERM to the process group, SIGKILL to what is
        left after 15 s."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
