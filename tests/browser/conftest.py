"""A live `streamlit run` on 127.0.0.1 and Debian's Chromium driven by Playwright, shared by the browser tests."""

from __future__ import annotations

import collections
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot"

# Every plotted numeric series of every chart, as the browser drew them, rounded (shared by the waits and the reads).
CHART_NUMBERS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el =>
    (el._fullData || []).map(t => ['x', 'y', 'z'].map(a => {
        const v = t[a]; if (!v) return null;
        const arr = Array.from(v.flat ? v.flat() : v);
        return arr.map(n => typeof n === 'number' ? Math.round(n * 1e6) / 1e6 : String(n));
    })))"""


@contextlib.contextmanager
def app_server(entry: str = "dashboard/app.py", extra: tuple[str, ...] = (), timeout: float = 60,
               env: dict | None = None) -> Iterator[str]:
    """Start the app headless on a free loopback port; yield its base URL; stop it (and its children) after."""
    home = tempfile.mkdtemp(prefix="kuril-home-")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home,
           **(env or {})}
    env.pop("KURIL_DEBUG", None)  # the live app behaves as in production
    cmd = [sys.executable, "-m", "streamlit", "run", entry, "--server.headless=true", "--server.address=127.0.0.1",
           "--server.port=0", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    reader = None
    try:
        deadline, url, log = time.monotonic() + timeout, None, collections.deque(maxlen=2000)
        while url is None:
            line = proc.stdout.readline()
            log.append(line)
            if not line and proc.poll() is not None:
                raise RuntimeError("app exited at start:\n" + "".join(log))
            if m := re.search(r"URL: (http://127\.0\.0\.1:\d+)", line):
                url = m.group(1)
            if time.monotonic() > deadline:
                raise RuntimeError("app printed no URL in time:\n" + "".join(log))
        # Keep reading what the app prints, so that a chatty app never blocks on a full pipe. If a child process
        # still holds the pipe when the app stops, the pipe is closed under the reader below: that ends it too.
        def drain() -> None:
            with contextlib.suppress(ValueError, OSError):
                log.extend(proc.stdout)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("app never became healthy")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if reader is not None:
            reader.join(5)  # the pipe ends with the process
        proc.stdout.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with app_server() as url:
        yield url


class Page:
    """A fresh browser context and page that records every host it contacts and every dialog it opens."""

    def __init__(self, browser, base: str, **context_args):
        self.base = base
        self.context = browser.new_context(**({"viewport": {"width": 1400, "height": 900}} | context_args))
        self.page = self.context.new_page()
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.hosts.add(urllib.parse.urlsplit(r.url).netloc))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path: str = "/", wait_chart: bool = True) -> Page:
        self.page.goto(self.base + path)
        if wait_chart:
            self.wait_charts()
        return self

    def wait_charts(self, timeout: float = 45_000) -> None:
        self.page.locator(CHART).first.wait_for(state="visible", timeout=timeout)
        self.settle()

    def settle(self, quiet_ms: int = 400, timeout_ms: int = 8_000) -> None:
        """Wait until the app has stopped running and the plotted numbers stop changing."""
        # The status widget shows only once a run has gone on for a while; the app's root says at once whether a
        # script is running (a rerun that changes no chart, e.g. one an expander starts, is waited for too).
        self.page.wait_for_function(
            """() => !document.querySelector('[data-testid=stStatusWidget]') &&
                     !['running', 'rerunRequested'].includes(
                         document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state'))""",
            timeout=timeout_ms)
        last, stable_since = None, time.monotonic()
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            now = self.chart_numbers()
            if now != last:
                last, stable_since = now, time.monotonic()
            elif (time.monotonic() - stable_since) * 1000 >= quiet_ms:
                return
            self.page.wait_for_timeout(50)

    def settle_after_change(self, before: list, timeout_ms: int = 30_000) -> None:
        """Wait until the plotted numbers differ from ``before``, then until they stop changing.

        The address bar follows a widget at once, before the rerun it starts has been sent or begun, so a quiet
        page just after the address changed may still be the old one; under load that rerun can take seconds.
        """
        self.page.wait_for_function(
            f"(before) => JSON.stringify(({CHART_NUMBERS_JS})()) !== JSON.stringify(before)",
            arg=before, timeout=timeout_ms)
        self.settle(timeout_ms=timeout_ms)

    def wait_until(self, done: Callable[[], bool], timeout_ms: int = 30_000) -> None:
        """Check ``done`` (what the page shows) every 100 ms until it holds or the time is up; the caller asserts."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not done() and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)

    def chart_numbers(self) -> list:
        """Every plotted numeric series of every chart on the page (as the browser drew them), rounded."""
        return self.page.evaluate(CHART_NUMBERS_JS)

    def traces(self, title_part: str) -> list[dict]:
        """name, x and y of every trace of the chart whose title contains ``title_part``."""
        return self.page.evaluate("""(part) => {
            const el = Array.from(document.querySelectorAll('.js-plotly-plot')).find(e =>
                ((e._fullLayout || {}).title || {}).text?.includes(part));
            if (!el) return null;
            return el._fullData.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])}));
        }""", title_part)

    def map_points(self) -> dict[str, tuple[float, float]]:
        """The Moscow-vs-Tokyo map as drawn: option label -> (Moscow, Tokyo), from one trace or one per option."""
        return self.page.evaluate("""() => {
            const el = Array.from(document.querySelectorAll('.js-plotly-plot')).find(e =>
                ((e._fullLayout || {}).title || {}).text?.includes('Moscow vs Tokyo'));
            const out = {};
            for (const t of el._fullData) {
                const names = t.text ? Array.from([].concat(t.text)) : [t.name];
                names.forEach((n, i) => { out[n] = [t.x[i], t.y[i]]; });
            }
            return out;
        }""")

    def exceptions(self) -> int:
        return self.page.locator("[data-testid=stException]").count()

    def outside_hosts(self) -> set[str]:
        own = urllib.parse.urlsplit(self.base).netloc
        return {h for h in self.hosts if h and h != own}

    def query(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.page.url).query, keep_blank_values=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, base_url):
    pages: list[Page] = []

    def make(path: str = "/", wait_chart: bool = True, **context_args) -> Page:
        p = Page(browser, base_url, **context_args)
        pages.append(p)
        return p.open(path, wait_chart)

    yield make
    for p in pages:
        p.close()


class CuttableProxy:
    """A loopback TCP proxy whose open connections can be cut at once, as a flaky network or a restarting proxy
    would cut a websocket; new connections go through as before."""

    def __init__(self, upstream_port: int):
        import socket
        import threading
        self._socket, self._threading = socket, threading
        self.upstream = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conns: list = []
        self.accepted = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = self._socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.conns += [client, server]
                self.accepted += 1
            for a, b in ((client, server), (server, client)):
                self._threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        import socket
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self.listener.close()
        self.cut()
