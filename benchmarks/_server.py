"""A Streamlit server for the benchmark scripts: started on a free loopback port, stopped with its whole process group.

Shared by bench_app.py and load_test.py. Uses only the standard library.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# As tests/browser/conftest.py starts the app: headless, loopback only, a free port, no file watcher, no statistics.
RUN_ARGS = ("--server.headless=true", "--server.address=127.0.0.1", "--server.port=0",
            "--server.fileWatcherType=none", "--browser.gatherUsageStats=false")


def server_env(home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with a private home folder, and the app behaving as in production."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
    env.pop("KURIL_DEBUG", None)  # errors are shown as users see them, not raised
    env.pop("KURIL_TIMING", None)  # the run-time log only where a caller asks for it
    env.update(extra or {})
    return env


class StreamlitServer:
    """``cmd`` (a ``streamlit run`` command line ending in :data:`RUN_ARGS`) started in its own process group in the
    project's root; ready once it has printed its URL and ``/_stcore/health`` answers "ok".

    Its output is read all along, so that a full pipe never blocks the server: every line goes to ``log`` (the last
    400) and to ``on_line``. A failure to start stops what was started and raises with the log.
    """

    def __init__(self, cmd: list[str], env: dict[str, str], *, name: str = "the app", timeout: float = 90,
                 on_line: Callable[[str], None] | None = None):
        self.cmd, self.name = cmd, name
        self.log: collections.deque[str] = collections.deque(maxlen=400)
        self._on_line = on_line
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.pid = self.proc.pid
        try:
            self.url = self._read_url(t0, timeout)
            threading.Thread(target=self._drain, daemon=True).start()
            self._wait_healthy(t0, timeout)
            self.healthy_after = time.monotonic() - t0
        except BaseException:
            self.stop()
            raise

    def _read_url(self, t0: float, timeout: float) -> str:
        while True:
            line = self.proc.stdout.readline()
            self.log.append(line)
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{''.join(self.log)}")
            if m := re.search(r"URL: (http://127\.0\.0\.1:\d+)", line):
                return m.group(1)
            if time.monotonic() - t0 > timeout:
                raise RuntimeError(f"{self.name} printed no URL in {timeout:g} s:\n{''.join(self.log)}")

    def _wait_healthy(self, t0: float, timeout: float) -> None:
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return
            if time.monotonic() - t0 > timeout:
                raise RuntimeError(f"{self.name} never became healthy:\n{''.join(self.log)}")
            time.sleep(0.05)

    def _drain(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            if self._on_line:
                self._on_line(line)

    def stop(self, grace: float = 30) -> None:
        """SIGTERM to the whole group; SIGKILL if it has not ended within ``grace`` seconds."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
