"""Faults in a real browser: a dropped connection that comes back, and visitors arriving while the app starts."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from tests.browser.conftest import CHART, CuttableProxy, Page
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def test_a_dropped_connection_reconnects_and_the_session_keeps_its_scenario(browser, base_url):
    proxy = CuttableProxy(int(base_url.rsplit(":", 1)[1]))
    p = Page(browser, f"http://127.0.0.1:{proxy.port}")
    try:
        p.open("/?japan_public_support=33")
        slider = p.page.get_by_role("slider", name="Japanese support for compromise (%)")
        slider.focus()
        p.page.keyboard.press("ArrowRight")  # a change the URL alone would also carry...
        p.page.wait_for_function("() => location.search.includes('japan_public_support=34')", timeout=15_000)
        p.settle()
        before, connections = p.chart_numbers(), proxy.accepted
        proxy.cut()  # the websocket drops mid-session
        p.page.wait_for_timeout(1500)
        p.page.locator(CHART).first.wait_for(state="visible", timeout=30_000)
        p.settle(timeout_ms=20_000)
        assert proxy.accepted > connections  # the browser did reconnect
        assert p.exceptions() == 0
        assert p.chart_numbers() == before and "japan_public_support=34" in p.page.url
        slider.focus()
        p.page.keyboard.press("ArrowRight")  # and the app still answers
        p.page.wait_for_function("() => location.search.includes('japan_public_support=35')", timeout=20_000)
        p.settle_after_change(before)  # times out, failing the test, if the charts never move
        assert p.exceptions() == 0
    finally:
        p.close()
        proxy.close()


def test_visitors_arriving_during_start_up_all_get_the_app(browser):
    """Requests sent while the server is still starting wait or retry; none gets an error page."""
    home = tempfile.mkdtemp(prefix="kuril-home-")
    env = {**os.environ, "HOME": home, "PYTHONUNBUFFERED": "1"}
    env.pop("KURIL_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless=true",
                             "--server.address=127.0.0.1", "--server.port=0", "--server.fileWatcherType=none"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        url = None
        while url is None:
            line = proc.stdout.readline()
            if m := re.search(r"URL: (http://127\.0\.0\.1:\d+)", line):
                url = m.group(1)
            assert line or proc.poll() is None, "app exited at start"

        def hit(path: str) -> int:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url + path, timeout=10) as r:
                        return r.status
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

        # At once, before anyone has loaded the model: a burst of HTTP requests and three browsers.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(hit, ["/", "/_stcore/health", "/why", "/?japan_public_support=70"] * 2))
        assert set(statuses) == {200}
        pages = [Page(browser, url) for _ in range(3)]
        try:
            for pg, path in zip(pages, ["/", "/sensitivity", "/?view=viewer"], strict=True):
                pg.page.goto(url + path)
            for pg in pages:
                pg.wait_charts()
                assert pg.exceptions() == 0
        finally:
            for pg in pages:
                pg.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
