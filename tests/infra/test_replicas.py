"""Two replicas of the app behind deploy/nginx.conf, driven by Chromium through nginx.

One module-scoped set-up: two ``streamlit run`` replicas started by ``app_server()`` (the browser tests' own), and
Debian's nginx with deploy/nginx.conf rendered for their ports and a free port on 127.0.0.1. Then: the security
headers, websockets under a real host name, the Content-Security-Policy in Chromium on every page (and that it is
enforced), one browser staying on one replica, a shared link opened on the other replica, and last (it kills a
replica, so it must stay the last test of this file) new sessions after a replica dies. Every browser page also
checks that nothing but the nginx address was contacted.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from dashboard.model import load_model
from tests.browser.conftest import Page
from tests.conftest import free_port
from tests.infra.helpers import NGINX, Replica, render_nginx, start_replica
from tests.library.pg import PgServer, postgres_server

pytestmark = pytest.mark.infra
MODEL = load_model()
COOKIE = "kuril_replica"


# ---- Replicas and nginx --------------------------------------------------------------------------------------

@dataclasses.dataclass
class Nginx:
    url: str
    prefix: Path
    proc: subprocess.Popen

    @property
    def address(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc

    def access_log(self) -> list[dict[str, str]]:
        """The access log (format "kuril" in deploy/nginx.conf), one dict per request."""
        rows = []
        for line in (self.prefix / "logs" / "access.log").read_text().splitlines():
            m = re.search(r'"(?P<request>[^"]*)" (?P<status>\d+) key=(?P<key>\S*) upstream=(?P<upstream>.*?) '
                          r'upstream_status=(?P<upstream_status>.*?) rt=', line)
            if m:
                rows.append(m.groupdict())
        return rows

    def replica_of(self, key: str | None, timeout: float = 5) -> str:
        """The replica address that nginx sends a browser with routing cookie ``key`` to (read from the log);
        with None, a first visit without a cookie (its key is then the cookie nginx sets)."""
        req = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"{COOKIE}={key}"} if key else {})
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 200
            if key is None:
                (key,) = [c.split(";")[0].split("=", 1)[1] for c in r.headers.get_all("Set-Cookie", [])
                          if c.startswith(COOKIE + "=")]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # the log line is written just after the response
            rows = [r for r in self.access_log() if r["key"] == key]
            if rows:
                return rows[-1]["upstream"].split(", ")[-1]
            time.sleep(0.05)
        raise AssertionError(f"no access log line for key {key}")

    def error_log(self) -> str:
        path = self.prefix / "logs" / "error.log"
        return path.read_text() if path.exists() else ""


@contextlib.contextmanager
def nginx_in_front(upstreams: list[str], timeout: float = 15) -> Iterator[Nginx]:
    """deploy/nginx.conf rendered for ``upstreams`` and a free loopback port, run in the foreground with its pid,
    logs and temporary files in a temporary prefix that is removed afterwards."""
    if not os.path.exists(NGINX):
        pytest.fail("Debian's nginx is missing: bin/test installs it (apt-get install -y nginx)")
    with contextlib.ExitStack() as stack:
        prefix = Path(tempfile.mkdtemp(prefix="kuril-nginx-"))
        stack.callback(shutil.rmtree, prefix, ignore_errors=True)
        port = free_port()
        command = render_nginx.nginx_command(prefix, f"127.0.0.1:{port}", upstreams)
        stderr = stack.enter_context(open(prefix / "logs" / "stderr.log", "w"))
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        stack.callback(_stop, proc, signal.SIGQUIT)  # graceful: finish requests, close websockets
        server = Nginx(f"http://127.0.0.1:{port}", prefix, proc)
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read() == b"ok":
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not come up:\n" + server.error_log() +
                                   (prefix / "logs" / "stderr.log").read_text())
            time.sleep(0.05)
        yield server


def _stop(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclasses.dataclass
class Cluster:
    replicas: list[Replica]
    nginx: Nginx
    postgres: PgServer  # the one library database both replicas use

    def key_for(self, replica: Replica) -> str:
        """A routing-cookie value that nginx maps to ``replica`` (found by asking nginx)."""
        for _ in range(64):
            key = secrets.token_hex(16)
            if self.nginx.replica_of(key) == replica.address:
                return key
        raise AssertionError(f"no key maps to {replica.address}")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with contextlib.ExitStack() as stack:
        # Both replicas on one PostgreSQL, as deploy/ sets them up: a short link saved on one opens on the other.
        pg = stack.enter_context(postgres_server())
        stack.enter_context(mock.patch.dict(os.environ, {"KURIL_DATABASE_URL": pg.url}))
        replicas = [start_replica(stack), start_replica(stack)]
        server = stack.enter_context(nginx_in_front([r.address for r in replicas]))
        yield Cluster(replicas, server, pg)


# ---- Browser pages through nginx -----------------------------------------------------------------------------

# Records CSP violations and uncaught errors from the first script on.
_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


class ProxiedPage(Page):
    """The browser tests' Page, pointed at nginx, also recording the console's CSP messages and page errors."""

    def __init__(self, browser, base: str, cookie: str | None = None, **context_args):
        super().__init__(browser, base, **context_args)
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.add_init_script(_WATCH)
        if cookie:
            self.context.add_cookies([{"name": COOKIE, "value": cookie, "url": base}])

    def cookie(self) -> str | None:
        return next((c["value"] for c in self.context.cookies() if c["name"] == COOKIE), None)

    def csp_problems(self) -> list[str]:
        events = self.page.evaluate("() => window.__cspViolations || []")
        console = [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
        return events + console

    def assert_clean(self, charts: bool = True) -> None:
        """Charts drawn, no exception element, no CSP violation, no page error, only the nginx address contacted."""
        if charts:
            assert self.page.locator("[data-testid=stPlotlyChart]").count() >= 1, self.page.url
        assert self.exceptions() == 0, self.page.url
        assert self.csp_problems() == [], self.page.url
        assert self.errors == [], self.page.url
        assert self.outside_hosts() == set(), self.page.url
        assert self.hosts == {urllib.parse.urlsplit(self.base).netloc}
        assert self.dialogs == []


@pytest.fixture
def open_proxied(browser, cluster):
    pages: list[ProxiedPage] = []

    def make(path: str = "/", cookie: str | None = None) -> ProxiedPage:
        p = ProxiedPage(browser, cluster.nginx.url, cookie=cookie)
        pages.append(p)
        return p.open(path)

    yield make
    for p in pages:
        p.close()


def _slider_values(p: Page) -> dict[str, str]:
    return {d: p.page.locator(f".st-key-{d} input[type=range]").first.input_value() for d in MODEL.driver_ids}


def _get(url: str, cookie: str | None = None, data: bytes | None = None) -> tuple[int, dict[str, list[str]]]:
    """Status and headers (every value of each, names in lower case) of a GET (a POST with ``data``), errors
    included."""
    req = urllib.request.Request(url, data=data, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, msg = r.status, r.headers
    except urllib.error.HTTPError as e:
        status, msg = e.code, e.headers
    headers: dict[str, list[str]] = {}
    for name, value in msg.items():
        headers.setdefault(name.lower(), []).append(value)
    return status, headers


# ---- (b) security headers ------------------------------------------------------------------------------------

def test_security_headers_on_every_kind_of_response(cluster):
    base = cluster.nginx.url
    status, first = _get(base + "/")
    assert status == 200
    # The routing cookie is set on a first visit, HttpOnly and SameSite, and not again once the browser has it.
    (route,) = [c for c in first["set-cookie"] if c.startswith(COOKIE + "=")]
    key = route.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert "HttpOnly" in route and "SameSite=Lax" in route and "Path=/" in route
    _, again = _get(base + "/", cookie=key)
    assert not [c for c in again.get("set-cookie", []) if c.startswith(COOKIE + "=")]
    # A malformed cookie is replaced rather than hashed.
    _, forged = _get(base + "/", cookie="../../etc")
    assert [c for c in forged.get("set-cookie", []) if c.startswith(COOKIE + "=")]

    with urllib.request.urlopen(base + "/", timeout=10) as r:
        static = re.search(r'src="\./(static/js/[^"]+\.js)"', r.read().decode())[1]
    # The page, a script, the health check, a 404 from Streamlit, and a 413 from nginx itself (body over 2 MB).
    for path, data, expected in (("/", None, 200), ("/" + static, None, 200), ("/_stcore/health", None, 200),
                                 ("/media/no-such-file.png", None, 404), ("/", bytes(3 << 20), 413)):
        status, h = _get(base + path, cookie=key, data=data)
        assert status == expected, path
        (csp,) = h["content-security-policy"]
        directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
        assert directives["default-src"] == ["'none'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["object-src"] == ["'none'"], path
        assert "*" not in csp and "http:" not in csp and "https:" not in csp, path
        assert not {"'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"} & set(directives["script-src"]), path
        assert h["x-frame-options"] == ["DENY"], path
        assert h["x-content-type-options"] == ["nosniff"], path
        assert h["referrer-policy"] == ["no-referrer"], path
        assert h.get("server", ["nginx"]) == ["nginx"], path  # no version
    # The JavaScript keeps its real type (nosniff would refuse it otherwise).
    assert _get(base + "/" + static)[1]["content-type"][0].startswith(("text/javascript", "application/javascript"))


def _websocket_handshake(nginx: Nginx, host: str, origin: str) -> str:
    """The status line nginx returns for a websocket upgrade of /_stcore/stream with these Host and Origin."""
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: streamlit\r\nOrigin: {origin}\r\n\r\n")
    address = urllib.parse.urlsplit(nginx.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as s:
        s.sendall(request.encode())
        return s.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_websockets_pass_for_the_public_host_name_and_not_for_other_origins(cluster):
    """nginx passes the browser's Host on, so Streamlit's same-origin check of the websocket works under a real
    host name (not only 127.0.0.1, which Streamlit also allows for other reasons), and still refuses other sites."""
    assert " 101 " in _websocket_handshake(cluster.nginx, "kuril.example.org", "http://kuril.example.org")
    assert " 101 " in _websocket_handshake(cluster.nginx, "kuril.example.org:8443", "https://kuril.example.org:8443")
    assert " 403 " in _websocket_handshake(cluster.nginx, "kuril.example.org", "http://evil.example")


# ---- CSP in Chromium -----------------------------------------------------------------------------------------

def test_every_page_and_view_renders_under_the_csp(open_proxied):
    p = open_proxied("/")
    p.assert_clean()
    paths = [a.get_attribute("href") for a in p.page.locator("[data-testid=stSidebarNav] a").all()]
    assert len(paths) >= 6
    for href in [*paths, "/?view=viewer", "/?view=present"]:
        p.page.goto(href if href.startswith("http") else p.base + href)
        p.wait_charts()
        p.assert_clean()


def test_the_csp_is_enforced_in_chromium(browser, cluster):
    """What the policy forbids really is refused: an injected inline script, a connection to another host, and
    framing the app from another page."""
    p = ProxiedPage(browser, cluster.nginx.url)
    try:
        p.open("/")
        p.assert_clean()
        got = p.page.evaluate("""async () => {
            const s = document.createElement('script');
            s.textContent = 'window.__inlineRan = 1';
            document.head.appendChild(s);
            let fetched;
            try { await fetch('http://example.invalid/x'); fetched = 'fetched' } catch (e) { fetched = 'refused' }
            await new Promise(r => setTimeout(r, 200));
            return {inline: window.__inlineRan === 1, fetched};
        }""")
        assert got == {"inline": False, "fetched": "refused"}
        events = p.page.evaluate("() => window.__cspViolations")
        assert any(e.startswith("script-src-elem inline") for e in events), events
        assert any(e.startswith("connect-src http://example.invalid/") for e in events), events
    finally:
        p.close()
    framer = browser.new_page()
    try:
        framer.set_content(f'<iframe src="{cluster.nginx.url}/"></iframe>')  # waits for the frame's load too
        (child,) = framer.main_frame.child_frames
        assert child.url.startswith("chrome-error://"), child.url  # refused: frame-ancestors 'none' / DENY
    finally:
        framer.close()


# ---- One browser, one replica --------------------------------------------------------------------------------

def test_each_browser_stays_on_one_replica_and_browsers_are_spread(cluster, open_proxied):
    pages = [open_proxied("/") for _ in range(3)]
    keys = []
    for p in pages:
        p.assert_clean()
        key = p.cookie()
        assert key and re.fullmatch(r"[0-9a-f]{32}", key)
        keys.append(key)
        # Move a slider: a rerun over the websocket, still answered.
        p.page.get_by_role("slider", name="Japanese support for compromise (%)").focus()
        p.page.keyboard.press("ArrowRight")
        p.page.wait_for_function("() => location.search.includes('japan_public_support=55')", timeout=10_000)
        p.settle()
        p.close()  # closes the websocket, so nginx logs it too
    time.sleep(0.3)
    rows = cluster.nginx.access_log()
    addresses = {r.address for r in cluster.replicas}
    for key in keys:
        mine = [r for r in rows if r["key"] == key]
        paths = {r["request"].split()[1].split("?")[0] for r in mine}
        # The first page, its scripts, the websocket: all with this browser's key, all on one replica.
        assert {"/", "/_stcore/stream"} <= paths, paths
        assert any(p.startswith("/static/") for p in paths)
        assert len({r["upstream"] for r in mine}) == 1, mine
        assert {r["upstream"] for r in mine} <= addresses
    # First visits (no cookie yet) are spread over both replicas (the chance that 24 all land on one is 2^-23).
    fresh = {cluster.nginx.replica_of(None) for _ in range(24)}
    assert fresh == addresses


# ---- (a) a shared link through nginx, opened on the other replica --------------------------------------------

def test_a_shared_link_through_nginx_reproduces_the_view_on_the_other_replica(cluster, open_proxied):
    rnd = random.Random(7)
    a = MODEL.assumptions
    chosen = rnd.sample(list(a.index), 5)
    query = {d: str(rnd.randint(int(a.at[d, "min"]), int(a.at[d, "max"]))) for d in chosen}
    page = rnd.choice(["", "why", "sensitivity", "compare"])
    one, other = cluster.replicas
    sender = open_proxied(f"/{page}?" + urllib.parse.urlencode({**query, "option": "declaration_1956"}),
                          cookie=cluster.key_for(one))
    sender.assert_clean()
    for d, v in query.items():
        assert sender.query()[d] == [v] or v == str(int(a.at[d, "baseline"]))
    link = sender.page.locator("[data-testid=stSidebar] code").first.text_content().strip()
    # The app builds the link from the address the browser used: nginx's, not a replica's.
    assert link.startswith(cluster.nginx.url + "/"), link
    assert all(r.address not in link for r in cluster.replicas)

    receiver = open_proxied(link.replace(cluster.nginx.url, "", 1), cookie=cluster.key_for(other))
    receiver.assert_clean()
    assert urllib.parse.urlsplit(receiver.page.url).path == urllib.parse.urlsplit(sender.page.url).path
    assert _slider_values(receiver) == _slider_values(sender)
    assert receiver.chart_numbers() == sender.chart_numbers()
    # The two sessions really were on different replicas.
    rows = cluster.nginx.access_log()
    served = {k: {r["upstream"] for r in rows if r["key"] == k} for k in (sender.cookie(), receiver.cookie())}
    assert served == {sender.cookie(): {one.address}, receiver.cookie(): {other.address}}


# ---- (d) the team library: saved through one replica, opened on the other; the database stopped mid-session ---

def _save_to_library(p: ProxiedPage, title: str) -> str:
    p.page.get_by_role("button", name="Save to library").click()
    p.page.get_by_role("textbox", name="Title").fill(title)
    p.page.get_by_role("button", name="Save", exact=True).click()
    code = p.page.locator("[data-testid=stSidebar] code", has_text="?s=").last
    code.wait_for(timeout=20_000)
    return code.text_content().strip()


def test_a_short_link_saved_through_one_replica_opens_on_the_other(cluster, open_proxied):
    one, other = cluster.replicas
    sender = open_proxied("/?japan_public_support=29&putin_standing=35&option=two_plus_two",
                          cookie=cluster.key_for(one))
    sender.assert_clean()
    link = _save_to_library(sender, "Saved on replica one")
    assert re.fullmatch(re.escape(cluster.nginx.url) + r"/\?s=[A-Za-z0-9_-]{16}", link), link
    receiver = open_proxied(link.replace(cluster.nginx.url, "", 1), cookie=cluster.key_for(other))
    receiver.assert_clean()
    assert _slider_values(receiver) == _slider_values(sender)
    assert receiver.chart_numbers() == sender.chart_numbers()
    rows = cluster.nginx.access_log()
    assert {r["upstream"] for r in rows if r["key"] == receiver.cookie()} == {other.address}

    # The database stops while both sessions are open: the app keeps working, saving says why it is off, and
    # nothing already saved is lost once the database is back.
    cluster.postgres.stop()
    try:
        receiver.page.get_by_role("button", name="Save to library").click()
        receiver.page.get_by_text("Saving is off").wait_for(timeout=20_000)
        assert receiver.page.get_by_role("button", name="Save", exact=True).is_disabled()
        slider = receiver.page.get_by_role("slider", name="Japanese support for compromise (%)")
        slider.focus()
        receiver.page.keyboard.press("ArrowRight")
        receiver.page.wait_for_function("() => location.search.includes('japan_public_support=30')",
                                        timeout=30_000)
        receiver.settle()
        assert receiver.exceptions() == 0
    finally:
        cluster.postgres.start()
    again = open_proxied(link.replace(cluster.nginx.url, "", 1), cookie=cluster.key_for(one))
    again.assert_clean()
    assert again.chart_numbers() == sender.chart_numbers()
    # No replica wrote the database password to its log.
    for r in cluster.replicas:
        assert cluster.postgres.password not in "".join(r.log)


# ---- (c) a replica dies: new sessions go to the other one (last: it kills a replica) --------------------------

def test_after_a_replica_dies_new_sessions_still_open(cluster, open_proxied):
    live, doomed = cluster.replicas
    open_key, new_key = cluster.key_for(doomed), cluster.key_for(doomed)
    before = open_proxied("/?japan_public_support=30", cookie=open_key)
    before.assert_clean()
    numbers = before.chart_numbers()
    log_size = len(cluster.nginx.access_log())

    doomed.kill()
    with pytest.raises(OSError):
        urllib.request.urlopen(doomed.url + "/_stcore/health", timeout=2)

    # A browser whose cookie hashes to the dead replica, then fresh browsers: each opens the app, several in a row.
    sessions = [open_proxied("/?japan_public_support=30", cookie=new_key)]
    sessions += [open_proxied("/?japan_public_support=30") for _ in range(3)]
    for p in sessions:
        p.assert_clean()
        assert p.chart_numbers() == numbers

    # The page that was open on the dead replica has reconnected through nginx to the live one: moving a slider
    # there reruns the app and plots the model's numbers (a session only the live replica can hold).
    slider = before.page.get_by_role("slider", name="Japanese support for compromise (%)")
    slider.focus()
    before.page.keyboard.press("ArrowRight")
    before.page.wait_for_function("() => location.search.includes('japan_public_support=31')", timeout=30_000)
    before.settle()
    expected = MODEL.score({"japan_public_support": 31})
    plotted = before.map_points()
    for o in MODEL.option_ids:
        assert plotted[MODEL.options.at[o, "short_label"]] == pytest.approx(
            (expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-9)
    assert before.exceptions() == 0 and before.outside_hosts() == set()

    for p in [*sessions, before]:
        p.close()  # websockets are logged when they close
    time.sleep(0.3)
    after = cluster.nginx.access_log()[log_size:]
    # The websocket that was open on the dead replica is logged when it broke; that one is not a new request.
    broken = [r for r in after if r["status"] == "101" and r["upstream"] == doomed.address]
    assert len(broken) == 1 and broken[0]["key"] == open_key, broken
    after = [r for r in after if r not in broken]
    # Everything else was answered by the live replica; for the cookies that hash to the dead one, nginx tried it
    # first (until it marked it failed) and went on to the live one.
    assert {r["upstream"].split(", ")[-1] for r in after} == {live.address}, after
    assert any(r["upstream"] == f"{doomed.address}, {live.address}" for r in after if r["key"] in (open_key, new_key))
    for key in (open_key, new_key):
        streams = [r for r in after if r["key"] == key and r["request"].startswith("GET /_stcore/stream")]
        assert streams and all(r["status"] == "101" for r in streams), streams

