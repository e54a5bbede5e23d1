"""Load test: many concurrent sessions moving sliders, through Streamlit's own websocket protocol.

Not a timed test: it prints figures and whether the capacity target was met; it never fails a build.

Each simulated session does what Streamlit 1.67's frontend does (checked by recording a real Chromium page's
websocket frames): GET the shared link (the server sets the ``_streamlit_xsrf`` cookie), open
``ws://HOST/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf cookie>]``, the cookie and an ``Origin``
header, and send a ``BackMsg.rerun_script`` whose ``ClientState`` holds the link's query string, empty widget states
and the browser's ``context_info``. The server streams ``ForwardMsg``s: ``new_session`` (the run starts),
``navigation`` (the page's script hash), ``delta`` (one element each: sliders, select boxes, the Plotly charts...),
``script_finished``. After the first run, every ``--interval`` seconds (with random jitter, so sessions do not move
in lockstep) the session changes one driver's slider, by one step as a key press does (``--move step``) or to a random
value (``--move random``), and sends ``rerun_script`` again with the page's script hash, the query string the
browser's address bar would hold (bound sliders that differ from their default) and the FULL widget states, built
from the widget elements of the last run exactly as the browser sends them (select boxes, every slider, the file
uploader, text inputs).

Latency of one change is measured from sending the BackMsg to receiving the ForwardMsg that carries the last
``plotly_chart`` delta of the new run: by then every chart on the page has its new figure (at least one chart's
figure JSON must differ from the previous run's, else the change is counted as "chart unchanged"). Time to the first
changed chart and to ``script_finished`` are reported too. A session sends its next change at its next tick or, if
the previous change is still in flight, as soon as it lands (a user waits to see the chart; ``--overlap send``
sends on schedule anyway, as an impatient user would, and counts the interrupted runs).

Errors: a delta with an ``exception`` element; an error alert (the app's "Something went wrong..." ``st.error``);
the websocket closing or failing to open; no updated chart within ``--timeout`` (10 s); a run that did not finish
successfully. Memory: RSS (VmRSS) of the server process and its children, summed, from /proc: on the fresh server,
after one warm-up session (imports and the model loaded: one-off costs, not per session), before the sessions open,
with every session open, at the end of the change phase, and after they close. Server CPU over the change phase
(whole process, and its main thread, which runs the asyncio loop: websocket I/O and message serialisation; script
runs happen on other threads) comes from /proc too, and so does this client's own CPU.

Run from the project's root:

    .venv/bin/python benchmarks/load_test.py                           # 50 sessions, 60 s, a change every 2 s
    .venv/bin/python benchmarks/load_test.py --ramp 10,20,30,40,50,60  # successive levels on one server
    .venv/bin/python benchmarks/load_test.py --url http://127.0.0.1:8501   # an app already running
    .venv/bin/python benchmarks/load_test.py --timing                  # the server logs each script run
    .venv/bin/python benchmarks/load_test.py --server-arg=--runner.postScriptGC=false   # try a setting
    .venv/bin/python benchmarks/load_test.py --servers 2               # two processes, sessions spread over both
    .venv/bin/python benchmarks/load_test.py --sessions 10 --duration 30 --server-profile /tmp/p.pstats
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _server import RUN_ARGS, StreamlitServer, server_env

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "dashboard" / "app.py"
DRIVERS_YAML = ROOT / "data" / "drivers.yaml"
sys.path.insert(0, str(Path(__file__).resolve().parent))
CLK_TCK = os.sysconf("SC_CLK_TCK")
FRIENDLY_ERROR = "Something went wrong"
WIDGET_TYPES = {"slider", "selectbox", "text_input", "text_area", "file_uploader", "checkbox", "toggle",
                "number_input", "radio", "multiselect", "segmented_control", "button_group"}


# ============================================================================ server process: start, RSS, CPU
class Server(StreamlitServer):
    """``streamlit run dashboard/app.py`` on a free loopback port, in a private home folder, reading from its log
    the run times (``--timing``), the instrumented server's collections and lines that look like errors."""

    def __init__(self, env_extra: dict[str, str], wrapper_env: dict[str, str] | None = None, extra_args: tuple = (),
                 timeout: float = 90):
        self.home = tempfile.mkdtemp(prefix="kuril-load-home-")
        args = ["run", str(ENTRY.relative_to(ROOT)), *RUN_ARGS, *extra_args]
        if wrapper_env:  # instrumented: this file runs Streamlit in-process (serve_instrumented)
            cmd = [sys.executable, str(Path(__file__).resolve()), "_serve", *args]
        else:
            cmd = [sys.executable, "-m", "streamlit", *args]
        self.script_runs_ms: list[float] = []
        self.gc2_ms: list[float] = []
        self.error_lines: list[str] = []
        super().__init__(cmd, server_env(self.home, {**env_extra, **(wrapper_env or {})}), timeout=timeout,
                         on_line=self._read_line)

    def _read_line(self, line: str) -> None:
        if m := re.search(r"script run took ([\d.]+) ms", line):
            self.script_runs_ms.append(float(m.group(1)))
        elif m := re.search(r"\[load_test\] gc2 ([\d.]+) ms", line):
            self.gc2_ms.append(float(m.group(1)))
        elif line.startswith("[load_test]"):
            print("  server: " + line.rstrip(), flush=True)
        elif re.search(r"Traceback|ERROR|Exception", line):
            self.error_lines.append(line.rstrip())

    def stop(self, grace: float = 30) -> None:
        super().stop(grace)
        shutil.rmtree(self.home, ignore_errors=True)


def _proc_children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = collections.defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    stat = f.read()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                kids[ppid].append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def process_tree(pid: int) -> list[int]:
    kids, out, todo = _proc_children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_mb(pids: list[int | None]) -> float | None:
    """VmRSS of the server processes and all their descendants, summed, in MB (10^6 bytes)."""
    if not pids or None in pids:
        return None
    total = 0
    for p in {q for pid in pids for q in process_tree(pid)}:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total / 1e6


def cpu_seconds(pids: list[int | None]) -> tuple[float, float] | None:
    """(whole processes, their main threads) user+system CPU seconds, summed over the server processes."""
    if not pids or None in pids:
        return None

    def read(path: str) -> float:
        with open(path) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    try:
        return (sum(read(f"/proc/{pid}/stat") for pid in pids),
                sum(read(f"/proc/{pid}/task/{pid}/stat") for pid in pids))
    except OSError:
        return None


def find_listening_pid(url: str) -> int | None:
    """The pid listening on the URL's port (only this user's processes are visible), or None."""
    port = urllib.parse.urlsplit(url).port or 80
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in list(f)[1:]:
                cols = line.split()
                if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == "0A":
                    inodes.add(cols[9])
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{d}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{d}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return int(d)
    return None


# ============================================================================ one simulated browser session
def load_drivers() -> dict[str, tuple[int, int, int]]:
    import yaml
    raw = yaml.safe_load(DRIVERS_YAML.read_text(encoding="utf-8"))
    return {k: (int(v["scale"]["min"]), int(v["scale"]["max"]), int(v["scale"]["step"])) for k, v in raw.items()}


def shared_link(rng: random.Random, drivers: dict[str, tuple[int, int, int]]) -> str:
    """A link someone shared: two to four drivers with random in-range values."""
    picked = rng.sample(list(drivers), rng.randint(2, min(4, len(drivers))))
    parts = []
    for d in picked:
        lo, hi, step = drivers[d]
        parts.append((d, str(lo + step * rng.randint(0, (hi - lo) // step))))
    return urllib.parse.urlencode(parts)


def fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class Stats:
    """Everything the sessions of one level measured."""

    def __init__(self):
        self.chart_all: list[float] = []      # send -> last plotly_chart delta of the run (the primary figure)
        self.chart_first: list[float] = []    # send -> first plotly_chart delta whose figure changed
        self.finished: list[float] = []       # send -> script_finished
        self.first_msg: list[float] = []      # send -> new_session (the server started the run)
        self.open_s: list[float] = []         # GET of the link -> first run's script_finished
        self.sent = 0
        self.completed = 0
        self.late_sends = 0                   # a tick came while the previous change was still in flight
        self.superseded = 0                   # --overlap send: a change sent before the previous one landed
        self.chart_unchanged = 0
        self.errors: collections.Counter[str] = collections.Counter()
        self.error_examples: dict[str, str] = {}
        self.held = 0                         # sessions open at the end of the change phase with no closure
        self.opened = 0
        self.messages = 0
        self.bytes = 0

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        self.error_examples.setdefault(kind, detail[:300])


class Session:
    def __init__(self, n: int, base: str, path: str, query: str, stats: Stats, rng: random.Random,
                 timeout: float, move: str):
        self.n, self.base, self.path, self.query, self.stats, self.rng = n, base, path, query, stats, rng
        self.timeout, self.move = timeout, move
        self.params: dict[str, str] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        self.ws = None
        self.closed = False
        self.page_hash = ""
        self.widgets: dict[str, tuple[str, object]] = {}      # id -> (element type, element proto), last run
        self.values: dict[str, tuple[str | None, object]] = {}  # id -> (WidgetState field, value) the client holds
        self.run_widgets: dict[str, tuple[str, object]] = {}  # the run in progress
        self.widget_fragment: dict[str, str] = {}             # widget id -> the fragment that drew it ("" = none)
        self.run_fragments: set[str] = set()                  # fragments the run in progress drew into
        self.sliders: dict[str, str] = {}                     # query_param_key (driver id) -> widget id
        self.charts: dict[str, str] = {}                      # chart key -> last figure JSON
        self.run_chart_times: list[float] = []
        self.run_chart_changed: float | None = None
        self.run_started = False
        self.run_error: str | None = None
        self.finished_event = asyncio.Event()
        self.finish_status = ""
        self.pending_since: float | None = None
        self.got_first_msg: float | None = None
        self.recv_task: asyncio.Task | None = None
        self.closing = False
        self.cookies: dict[str, str] = {}  # this simulated browser's cookie jar (one host)

    # ---------------------------------------------------------------- connect and first run
    def _http_get(self, host: str, port: int, target: str) -> None:
        """GET ``target`` as the browser does, keeping every cookie the response sets (Streamlit's XSRF cookie, and
        nginx's routing cookie when the app runs behind deploy/nginx.conf) and sending back those already held."""
        conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            headers = {"Accept": "text/html"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise OSError(f"GET {target}: HTTP {resp.status}")
            for k, v in resp.getheaders():
                if k.lower() == "set-cookie" and "=" in v:
                    name, value = v.split(";", 1)[0].split("=", 1)
                    self.cookies[name.strip()] = value.strip()
        finally:
            conn.close()

    async def open(self) -> bool:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from websockets.asyncio.client import connect

        u = urllib.parse.urlsplit(self.base)
        t0 = time.monotonic()
        try:
            target = self.path + ("?" + self.query if self.query else "")
            await asyncio.to_thread(self._http_get, u.hostname, u.port, target)
            # The browser's next requests: health (it also sets the cookie when the page did not).
            await asyncio.to_thread(self._http_get, u.hostname, u.port, "/_stcore/health")
            xsrf = self.cookies.get("_streamlit_xsrf")
            ws_url = urllib.parse.urlunsplit(("ws", u.netloc, "/_stcore/stream", "", ""))
            headers = {"Origin": f"{u.scheme}://{u.netloc}"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            self.ws = await asyncio.wait_for(
                connect(ws_url, subprotocols=["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN"],
                        additional_headers=headers, max_size=None, ping_interval=None, open_timeout=self.timeout),
                self.timeout)
        except Exception as e:  # every failure to open is an error of the run
            self.stats.error("open failed", f"{type(e).__name__}: {e}")
            self.closed = True
            return False
        self.recv_task = asyncio.create_task(self._receive())
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.widget_states.SetInParent()
        page = self.path.strip("/")
        if page:
            cs.page_name = page
        self._context_info(cs)
        self.finished_event.clear()
        self.pending_since = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        ok = await self._await_run(first=True)
        if ok:
            self.stats.open_s.append(time.monotonic() - t0)
            self.stats.opened += 1
        return ok

    def _context_info(self, cs) -> None:
        ci = cs.context_info
        ci.timezone = "UTC"
        ci.timezone_offset = 0
        ci.locale = "en-US"
        ci.url = self.base.rstrip("/") + (self.path or "/")
        ci.is_embedded = False
        ci.color_scheme = "light"

    # ---------------------------------------------------------------- receiving ForwardMsgs
    async def _receive(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.exceptions import ConnectionClosed

        try:
            async for data in self.ws:
                now = time.monotonic()
                self.stats.messages += 1
                self.stats.bytes += len(data)
                fm = ForwardMsg()
                fm.ParseFromString(data)
                self._handle(fm, now)
        except ConnectionClosed as e:
            if not self.closing:
                self.stats.error("websocket closed", f"code {e.rcvd.code if e.rcvd else '?'}")
        except Exception as e:
            self.stats.error("client error", f"{type(e).__name__}: {e}")
        finally:
            self.closed = True
            self.finished_event.set()

    def _handle(self, fm, now: float) -> None:
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            self.run_started = True
            self.run_widgets = {}
            self.run_fragments = set()
            self.run_chart_times = []
            self.run_chart_changed = None
            self.run_error = None
            if self.got_first_msg is None and self.pending_since is not None:
                self.got_first_msg = now
        elif kind == "navigation":
            self.page_hash = fm.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.params = dict(urllib.parse.parse_qsl(fm.page_info_changed.query_string, keep_blank_values=True))
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            self.run_fragments.add(fm.delta.fragment_id)
            el = fm.delta.new_element
            etype = el.WhichOneof("type")
            if etype in WIDGET_TYPES:
                w = getattr(el, etype)
                self.run_widgets[w.id] = (etype, w)
                self.widget_fragment[w.id] = fm.delta.fragment_id
                # The browser keeps the value of a widget it already holds unless the server sets one.
                if w.id not in self.values or getattr(w, "set_value", False):
                    self.values[w.id] = self._initial_value(etype, w)
            elif etype == "plotly_chart":
                pc = el.plotly_chart
                key = pc.id.split("-", 2)[2] if pc.id.startswith("$$ID-") else pc.id
                self.run_chart_times.append(now)
                if self.charts.get(key) != pc.spec:
                    if self.run_chart_changed is None:
                        self.run_chart_changed = now
                    self.charts[key] = pc.spec
            elif etype == "exception":
                self.run_error = "exception element"
                self.stats.error("exception element", f"{el.exception.type}: {el.exception.message}")
            elif etype == "alert" and el.alert.format == el.alert.ERROR:
                body = el.alert.body
                k = "app error message" if FRIENDLY_ERROR in body else "error alert"
                self.run_error = k
                self.stats.error(k, body)
        elif kind == "script_finished":
            from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
            status = fm.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # interrupted by a newer rerun request, whose own run follows
            if not self.run_started:
                return  # the end of a run that started before the last change was sent (--overlap send)
            self.finish_status = ForwardMsg.ScriptFinishedStatus.Name(status)
            if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                # A fragment run (a slider's callback reruns the app's scenario fragment) redraws only what the
                # fragment drew: like the browser, keep every other widget, and the value it holds.
                kept = {wid: w for wid, w in self.widgets.items()
                        if self.widget_fragment.get(wid, "") not in self.run_fragments - {""}}
                self.widgets = {**kept, **self.run_widgets}
            else:
                self.widgets = self.run_widgets
            self.values = {wid: v for wid, v in self.values.items() if wid in self.widgets}
            self.sliders = {}
            for wid, (etype, w) in self.widgets.items():
                if etype == "slider" and w.query_param_key:
                    self.sliders[w.query_param_key] = wid
            self._sync_query_from_sliders()
            self.finished_event.set()

    @staticmethod
    def _initial_value(etype: str, w) -> tuple[str | None, object]:
        """The value the browser gives a widget it has not held before, or that the server sets (set_value)."""
        if etype == "slider":
            return "double_array_value", (list(w.value) if w.set_value and len(w.value) else list(w.default))
        if etype == "selectbox":
            if w.set_value and w.HasField("raw_value"):
                return "string_value", w.raw_value
            if w.HasField("default") and 0 <= w.default < len(w.options):
                return "string_value", w.options[w.default]
            return None, None  # index=None and nothing chosen: the browser sends the id alone
        if etype in ("text_input", "text_area"):
            if w.set_value and w.HasField("value"):
                return "string_value", w.value
            return ("string_value", w.default) if w.HasField("default") else (None, None)
        if etype == "file_uploader":
            return "file_uploader_state_value", None
        if etype in ("checkbox", "toggle"):
            return "bool_value", (w.value if w.set_value else w.default)
        if etype == "number_input":
            v = w.value if w.set_value and w.HasField("value") else w.default
            return ("int_value", int(v)) if w.data_type == w.INT else ("double_value", float(v))
        return "skip", None  # not on this app's pages: left to the server's stored value

    def _slider_value(self, wid: str) -> list[float]:
        return list(self.values[wid][1])

    def _sync_query_from_sliders(self) -> None:
        """The address bar after a run: bound sliders at their default are left out, others hold their value."""
        for key, wid in self.sliders.items():
            w = self.widgets[wid][1]
            v = self._slider_value(wid)
            if v == list(w.default):
                self.params.pop(key, None)
            elif len(v) == 1:
                self.params[key] = fmt_number(v[0])

    # ---------------------------------------------------------------- changing a slider
    def _widget_states(self, changed: tuple[str, list[float]] | None):
        """The widget states the browser sends: every value widget of the last run, with the value it holds."""
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        ws = WidgetStates()
        for wid in self.widgets:
            field, value = self.values[wid]
            if field == "skip":
                continue
            s = ws.widgets.add()
            s.id = wid
            if changed and changed[0] == wid:
                value = changed[1]
            if field == "double_array_value":
                s.double_array_value.data.extend(value)
            elif field == "file_uploader_state_value":
                s.file_uploader_state_value.SetInParent()
            elif field is not None:
                setattr(s, field, value)
        return ws

    def pick_change(self) -> tuple[str, str, list[float]] | None:
        if not self.sliders:
            return None
        key = self.rng.choice(sorted(self.sliders))
        wid = self.sliders[key]
        w = self.widgets[wid][1]
        cur = self._slider_value(wid)[0]
        lo, hi, step = w.min, w.max, (w.step or 1)
        if self.move == "random":
            choices = [lo + i * step for i in range(round((hi - lo) / step) + 1)]
            new = self.rng.choice([c for c in choices if c != cur] or choices)
        else:
            d = self.rng.choice((-1, 1))
            new = cur + d * step
            if new < lo or new > hi:
                new = cur - d * step
        return key, wid, [float(new)]

    async def change(self) -> None:
        """Move one slider and wait for the updated charts (or the timeout)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        pick = self.pick_change()
        if pick is None:
            self.stats.error("no slider", "the last run drew no bound slider")
            return
        _, wid, new = pick
        # As the browser does on a key press: hold the new value, rewrite the address bar, then ask for a rerun.
        self.values[wid] = ("double_array_value", new)
        self._sync_query_from_sliders()
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = urllib.parse.urlencode(list(self.params.items()))
        cs.widget_states.CopyFrom(self._widget_states(None))
        cs.page_script_hash = self.page_hash
        self._context_info(cs)
        self.run_started = False
        self.finished_event.clear()
        self.finish_status = ""
        self.got_first_msg = None
        self.pending_since = time.monotonic()
        self.stats.sent += 1
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as e:
            self.stats.error("websocket closed", f"send: {type(e).__name__}")
            self.closed = True
            return
        await self._await_run(first=False)

    async def _await_run(self, first: bool) -> bool:
        t_send = self.pending_since
        try:
            await asyncio.wait_for(self.finished_event.wait(), self.timeout)
        except TimeoutError:
            self.stats.error("timeout", f"no finished run within {self.timeout:g} s"
                             + (" (first run)" if first else ""))
            # Let the late run land before the next change, so the next latency is not matched to it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished_event.wait(), self.timeout)
            self.pending_since = None
            return False
        self.pending_since = None
        if self.closed:
            return False
        if self.finish_status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
            self.stats.error("run not successful", self.finish_status)
            return False
        if first:
            return True
        self.stats.completed += 1
        fin = time.monotonic()
        if self.got_first_msg:
            self.stats.first_msg.append(self.got_first_msg - t_send)
        self.stats.finished.append(fin - t_send)
        if self.run_chart_times:
            self.stats.chart_all.append(self.run_chart_times[-1] - t_send)
            if self.run_chart_changed is not None:
                self.stats.chart_first.append(self.run_chart_changed - t_send)
            else:
                self.stats.chart_unchanged += 1
        else:
            self.stats.error("no chart", "a run finished without any plotly_chart")
        return True

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.recv_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.recv_task, 5)


# ============================================================================ one level: open, change, close
def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = (len(s) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(s) - 1)
    return s[f] + (s[c] - s[f]) * (k - f)


def summary(xs: list[float]) -> dict:
    return {"n": len(xs), "p50": pct(xs, 50), "p95": pct(xs, 95), "p99": pct(xs, 99),
            "max": max(xs) if xs else float("nan"), "mean": statistics.fmean(xs) if xs else float("nan")}


async def run_level(n: int, args, bases: list[str], pid: list[int | None], drivers, seed: int,
                    servers: list[Server]) -> dict:
    """One level: n sessions (round-robin over the servers, as a balancer with session affinity spreads them)."""
    stats = Stats()
    master = random.Random(seed)
    sessions = [Session(i, bases[i % len(bases)], args.path, shared_link(random.Random(master.random()), drivers),
                        stats, random.Random(master.random()), args.timeout, args.move) for i in range(n)]
    runs_before = [len(s.script_runs_ms) for s in servers]
    gc_before = [len(s.gc2_ms) for s in servers]
    rss_before = rss_mb(pid)
    print(f"  [{n} sessions] opening over {args.open_over:g} s (RSS before {fmt_mb(rss_before)})", flush=True)

    async def opener(s: Session, delay: float) -> bool:
        await asyncio.sleep(delay)
        return await s.open()

    t_open = time.monotonic()
    delays = sorted(master.uniform(0, args.open_over) for _ in sessions)
    ok = await asyncio.gather(*(opener(s, d) for s, d in zip(sessions, delays, strict=True)))
    open_wall = time.monotonic() - t_open
    live = [s for s, good in zip(sessions, ok, strict=True) if good and not s.closed]
    await asyncio.sleep(1.0)
    rss_open = rss_mb(pid)
    print(f"  [{n} sessions] {len(live)} open after {open_wall:.1f} s (RSS {fmt_mb(rss_open)}); changing a "
          f"driver every ~{args.interval:g} s for {args.duration:g} s", flush=True)

    cpu0, own0, t0 = cpu_seconds(pid), os.times(), time.monotonic()
    rss_peak = rss_open or 0.0
    end = t0 + args.duration

    async def driver(s: Session) -> None:
        nxt = time.monotonic() + s.rng.uniform(0, args.interval)
        inflight: asyncio.Task | None = None
        while not s.closed:
            now = time.monotonic()
            if nxt >= end:
                break
            if nxt > now:
                await asyncio.sleep(nxt - now)
            if args.overlap == "wait":
                if time.monotonic() - nxt > 0.05:
                    stats.late_sends += 1
                await s.change()
            else:
                if inflight is not None and not inflight.done():
                    stats.superseded += 1
                    inflight.cancel()
                inflight = asyncio.create_task(s.change())
            nxt += args.interval * s.rng.uniform(1 - args.jitter, 1 + args.jitter)
            nxt = max(nxt, time.monotonic() if args.overlap == "wait" else nxt)
        if inflight is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await inflight

    async def sampler() -> None:
        nonlocal rss_peak
        while time.monotonic() < end:
            await asyncio.sleep(2)
            r = rss_mb(pid)
            if r:
                rss_peak = max(rss_peak, r)

    samp = asyncio.create_task(sampler())
    await asyncio.gather(*(driver(s) for s in live))
    phase = time.monotonic() - t0
    cpu1, own1 = cpu_seconds(pid), os.times()
    samp.cancel()
    rss_end = rss_mb(pid)
    stats.held = sum(1 for s in live if not s.closed)
    for s in sessions:
        await s.close()
    await asyncio.sleep(args.settle)
    rss_closed = rss_mb(pid)
    runs = [ms_ for s, k in zip(servers, runs_before, strict=True) for ms_ in s.script_runs_ms[k:]]
    gcs = [ms_ for s, k in zip(servers, gc_before, strict=True) for ms_ in s.gc2_ms[k:]]

    res = {
        "sessions": n, "opened": stats.opened, "held": stats.held, "open_wall_s": open_wall,
        "phase_s": phase, "sent": stats.sent, "completed": stats.completed,
        "updates_per_s": stats.completed / phase if phase else 0.0,
        "offered_per_s": len(live) / args.interval,
        "late_sends": stats.late_sends, "superseded": stats.superseded, "chart_unchanged": stats.chart_unchanged,
        "latency_chart_all": summary(stats.chart_all), "latency_chart_first": summary(stats.chart_first),
        "latency_finished": summary(stats.finished), "latency_first_msg": summary(stats.first_msg),
        "open_latency": summary(stats.open_s),
        "errors": dict(stats.errors), "error_examples": stats.error_examples,
        "messages": stats.messages, "mbytes_received": stats.bytes / 1e6,
        "rss_before_mb": rss_before, "rss_open_mb": rss_open, "rss_peak_mb": rss_peak, "rss_end_mb": rss_end,
        "rss_closed_mb": rss_closed,
        "mb_per_session_open": (rss_open - rss_before) / n if rss_open and rss_before else None,
        "mb_per_session_end": (rss_end - rss_before) / n if rss_end and rss_before else None,
        "server_cpu_s": (cpu1[0] - cpu0[0]) if cpu0 and cpu1 else None,
        "server_main_thread_cpu_s": (cpu1[1] - cpu0[1]) if cpu0 and cpu1 else None,
        "client_cpu_s": (own1.user - own0.user) + (own1.system - own0.system),
        "script_runs_logged": len(runs),
        "gc2_ms": summary(gcs) | {"total_s": sum(gcs) / 1000} if gcs else None,
        "script_run_ms": summary(runs) if runs else None,
        "load_average_end": load_avg(),
    }
    return res


# ============================================================================ printing
def fmt_mb(v: float | None) -> str:
    return "unknown" if v is None else f"{v:.1f} MB"


def ms(v: float) -> str:
    return "-" if v != v else f"{v * 1000:.0f} ms"  # v != v: NaN


def load_avg() -> str:
    from _machine import load_average
    return load_average()


def print_level(r: dict, args, threshold: float) -> None:
    n = r["sessions"]
    print(f"\nsessions requested {n}: opened {r['opened']}, held to the end {r['held']} "
          f"(all opened in {r['open_wall_s']:.1f} s)")
    print(f"open (GET link -> first run finished): p50 {ms(r['open_latency']['p50'])}, "
          f"p95 {ms(r['open_latency']['p95'])}, max {ms(r['open_latency']['max'])}")
    print(f"change phase {r['phase_s']:.1f} s: {r['sent']} changes sent, {r['completed']} completed "
          f"({r['updates_per_s']:.1f}/s; offered {r['offered_per_s']:.1f}/s); sent late because the previous "
          f"change was still in flight: {r['late_sends']}; superseded: {r['superseded']}; chart unchanged: "
          f"{r['chart_unchanged']}")
    rows = []
    for label, key in (("change -> every chart updated (last plotly_chart delta)", "latency_chart_all"),
                       ("change -> first changed chart", "latency_chart_first"),
                       ("change -> script_finished", "latency_finished"),
                       ("change -> first server message (new_session)", "latency_first_msg")):
        s = r[key]
        rows.append([label, str(s["n"]), ms(s["p50"]), ms(s["p95"]), ms(s["p99"]), ms(s["max"])])
    from _machine import print_table
    print_table(["latency", "n", "p50", "p95", "p99", "max"], rows, right={1, 2, 3, 4, 5})
    errs = ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) or "none"
    print(f"errors: {errs}")
    for k, ex in r["error_examples"].items():
        print(f"  e.g. {k}: {ex}")
    print(f"server RSS: before {fmt_mb(r['rss_before_mb'])}, all open {fmt_mb(r['rss_open_mb'])}, peak "
          f"{fmt_mb(r['rss_peak_mb'])}, end {fmt_mb(r['rss_end_mb'])}, {args.settle:g} s after closing "
          f"{fmt_mb(r['rss_closed_mb'])}")
    if r["mb_per_session_open"] is not None:
        print(f"  per session: {r['mb_per_session_open']:.2f} MB when opened, {r['mb_per_session_end']:.2f} MB "
              f"at the end of the change phase (target < 5 MB)")
    if r["server_cpu_s"] is not None:
        ph = r["phase_s"]
        per = r["server_cpu_s"] / r["completed"] * 1000 if r["completed"] else float("nan")
        print(f"server CPU in the change phase: {r['server_cpu_s']:.1f} s = {r['server_cpu_s'] / ph:.0%} of one "
              f"core (main thread, the asyncio loop: {r['server_main_thread_cpu_s']:.1f} s = "
              f"{r['server_main_thread_cpu_s'] / ph:.0%}); {per:.0f} ms of server CPU per completed change")
    print(f"this client's CPU in the change phase: {r['client_cpu_s']:.1f} s = "
          f"{r['client_cpu_s'] / r['phase_s']:.0%} of one core; {r['messages']} messages, "
          f"{r['mbytes_received']:.1f} MB received in all")
    if r["script_run_ms"]:
        s = r["script_run_ms"]
        print(f"server's own script-run times (KURIL_TIMING, {s['n']} runs incl. opens): p50 {s['p50']:.0f} ms, "
              f"p95 {s['p95']:.0f} ms, max {s['max']:.0f} ms")
    if r.get("gc2_ms"):
        g = r["gc2_ms"]
        print(f"server's full garbage collections (generation 2) during the level: {g['n']}, p50 {g['p50']:.1f} ms, "
              f"p95 {g['p95']:.1f} ms, max {g['max']:.1f} ms, {g['total_s']:.1f} s in all (they hold the GIL)")
    print(f"load average at the end: {r['load_average_end']}")
    p95 = r["latency_chart_all"]["p95"]
    ok_lat = p95 == p95 and p95 <= threshold
    ok_err = not r["errors"] and r["held"] == n
    ok_mem = r["mb_per_session_end"] is not None and r["mb_per_session_end"] < 5 and r["mb_per_session_open"] < 5
    print(f"target: p95 <= {threshold:g} s: {'met' if ok_lat else 'NOT met'} ({ms(p95)}); zero errors and every "
          f"session held: {'met' if ok_err else 'NOT met'}; < 5 MB per session: "
          f"{'met' if ok_mem else ('unknown' if r['mb_per_session_end'] is None else 'NOT met')}")


def print_ramp(results: list[dict], threshold: float) -> None:
    from _machine import print_table
    rows = []
    for r in results:
        a, f = r["latency_chart_all"], r["latency_finished"]
        errs = sum(r["errors"].values())
        cpu = f"{r['server_cpu_s'] / r['phase_s']:.0%}" if r["server_cpu_s"] is not None else "-"
        per = f"{r['mb_per_session_open']:.2f}" if r["mb_per_session_open"] is not None else "-"
        rows.append([str(r["sessions"]), str(r["held"]), str(r["completed"]), f"{r['updates_per_s']:.1f}",
                     f"{r['offered_per_s']:.1f}", ms(a["p50"]), ms(a["p95"]), ms(a["p99"]), ms(a["max"]),
                     ms(f["p95"]), str(errs), str(r["late_sends"]), cpu, fmt_mb(r["rss_open_mb"]), per])
    print_table(["sessions", "held", "updates", "/s", "offered/s", "chart p50", "chart p95", "chart p99",
                 "chart max", "finished p95", "errors", "late", "server CPU", "RSS all open", "MB/session"],
                rows, right=set(range(0, 15)))
    over = [r["sessions"] for r in results if not (r["latency_chart_all"]["p95"] <= threshold)]
    under = [r["sessions"] for r in results if r["latency_chart_all"]["p95"] <= threshold]
    if over:
        first = over[0]
        below = [s for s in under if s < first]
        print(f"p95 (change -> every chart updated) first passes {threshold:g} s at {first} sessions"
              + (f" (last level under it: {max(below)})" if below else ""))
    else:
        print(f"p95 stayed under {threshold:g} s up to {max(under)} sessions")


# ============================================================================ instrumented server (a wrapper)
def serve_instrumented(st_args: list[str]) -> None:
    """Run ``streamlit <st_args>`` in this process, instrumented as the environment asks.

    LOADTEST_PROFILE=PATH: cProfile on every thread, timed by CPU time of that thread, merged and dumped at exit.
    LOADTEST_GC_LOG=1: print the duration of every full (generation 2) garbage collection.
    LOADTEST_GC_FREEZE=1: on SIGUSR1, collect once then ``gc.freeze()`` (what an app could do after its start-up).
    """
    import atexit
    import gc

    if os.environ.get("LOADTEST_GC_LOG"):
        started: list[float] = []

        def on_gc(phase: str, info: dict) -> None:
            if info.get("generation") != 2:
                return
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                print(f"[load_test] gc2 {(time.perf_counter() - started.pop()) * 1000:.2f} ms", flush=True)

        gc.callbacks.append(on_gc)
    if os.environ.get("LOADTEST_GC_FREEZE"):
        def freeze(*_a) -> None:
            gc.collect()
            gc.freeze()
            print(f"[load_test] gc.freeze(): {gc.get_freeze_count()} objects frozen", flush=True)

        signal.signal(signal.SIGUSR1, freeze)
    out_path = os.environ.get("LOADTEST_PROFILE")
    main_prof = None
    if out_path:
        import cProfile
        import pstats

        lock = threading.Lock()
        merged: list[pstats.Stats | None] = [None]

        def keep(p: cProfile.Profile) -> None:
            p.create_stats()
            with lock:
                if merged[0] is None:
                    merged[0] = pstats.Stats(p)
                else:
                    merged[0].add(p)

        orig_run = threading.Thread.run

        def run(self) -> None:
            p = cProfile.Profile(time.thread_time)
            p.enable()
            try:
                orig_run(self)
            finally:
                p.disable()
                keep(p)

        threading.Thread.run = run
        main_prof = cProfile.Profile(time.thread_time)

        def dump() -> None:
            main_prof.disable()
            keep(main_prof)
            with lock:
                if merged[0] is not None:
                    merged[0].dump_stats(out_path)

        atexit.register(dump)
    sys.argv = ["streamlit", *st_args]
    from streamlit.web.cli import main as st_main
    if main_prof:
        main_prof.enable()
    st_main()


def print_profile(path: str, top: int) -> None:
    import io
    import pstats
    if not os.path.exists(path):
        print(f"no profile was written to {path}")
        return
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        st = pstats.Stats(path, stream=out)
        st.strip_dirs().sort_stats(key).print_stats(top)
        print(f"\nserver cProfile (CPU time per thread, all threads merged), top {top} by {key}:")
        print("\n".join(out.getvalue().splitlines()[4:]))


# ============================================================================ main
async def amain(args) -> int:
    from _machine import print_machine

    drivers = load_drivers()
    servers: list[Server] = []
    env_extra = dict(kv.split("=", 1) for kv in args.server_env)
    if args.timing:
        env_extra["KURIL_TIMING"] = "1"
    levels = [int(x) for x in args.ramp.split(",")] if args.ramp else [args.sessions]
    extra = {"load test": f"levels {levels}, {args.duration:g} s each, a change every {args.interval:g} s "
                          f"(jitter +/-{args.jitter:.0%}), move {args.move}, overlap {args.overlap}, timeout "
                          f"{args.timeout:g} s, opens spread over {args.open_over:g} s, seed {args.seed}"}
    try:
        if args.url:
            bases = [u.rstrip("/") for u in args.url]
            pid = list(args.pid) if args.pid else [find_listening_pid(b) for b in bases]
            extra["server"] = (f"{', '.join(bases)} (already running; pid "
                               f"{pid if None not in pid else 'unknown: no memory or CPU figures'})")
        else:
            for i in range(args.servers):
                wrapper_env = {}
                if args.server_profile:
                    wrapper_env["LOADTEST_PROFILE"] = args.server_profile + (f".{i}" if i else "")
                if args.gc_log:
                    wrapper_env["LOADTEST_GC_LOG"] = "1"
                if args.gc_freeze:
                    wrapper_env["LOADTEST_GC_FREEZE"] = "1"
                servers.append(await asyncio.to_thread(Server, env_extra, wrapper_env, tuple(args.server_arg)))
            bases, pid = [s.url for s in servers], [s.pid for s in servers]
            srv = servers[0]
            extra["server"] = (f"started here: {' '.join(srv.cmd[1:])} (x{len(servers)}, pid {pid}; healthy after "
                               f"{srv.healthy_after:.1f} s; extra env: {env_extra or 'none'}"
                               + (f"; instrumented: {wrapper_env}" if wrapper_env else "") + ")")
            if len(servers) > 1:
                extra["sessions"] = f"spread round-robin over the {len(servers)} servers, as a sticky balancer would"
        print_machine("load_test: concurrent sessions over Streamlit's websocket protocol", extra, chromium=False)

        rss_fresh = rss_mb(pid)
        # Warm-up: the first session of a server imports the app's modules and loads the model, once per process.
        t0 = time.monotonic()
        for j, base in enumerate(bases):
            warm = Stats()
            w = Session(-1, base, args.path, shared_link(random.Random(args.seed - 1 - j), drivers), warm,
                        random.Random(args.seed - 1), max(args.timeout, 60), args.move)
            if await w.open():
                for _ in range(3):
                    await w.change()
            await w.close()
            if warm.errors:
                print(f"warm-up session errors ({base}): {dict(warm.errors)} {warm.error_examples}")
        warm_s = time.monotonic() - t0
        if args.gc_freeze:
            for s in servers:
                os.kill(s.pid, signal.SIGUSR1)
        await asyncio.sleep(args.settle)
        rss_warm = rss_mb(pid)
        print(f"server RSS: fresh {fmt_mb(rss_fresh)}; after one warm-up session per server (open + 3 changes, "
              f"{warm_s:.1f} s; imports and the model, once per process) {fmt_mb(rss_warm)}\n", flush=True)

        results = []
        for i, n in enumerate(levels):
            if i:
                await asyncio.sleep(args.pause)
            r = await run_level(n, args, bases, pid, drivers, args.seed + i, servers)
            results.append(r)
            print_level(r, args, args.threshold)
        if len(results) > 1:
            print(f"\nramp summary ({args.duration:g} s per level, a change every {args.interval:g} s per session; "
                  "latency = change -> every chart updated; 'late' = changes sent late because the previous one "
                  "was still in flight)")
            print_ramp(results, args.threshold)
        print(f"\nload average at the end: {load_avg()}")
        errs = [line for s in servers for line in s.error_lines]
        if errs:
            print(f"server log lines that look like errors: {len(errs)}, e.g.:")
            for line in errs[:5]:
                print("  " + line)
        if args.json:
            Path(args.json).write_text(json.dumps({"args": vars(args), "rss_fresh_mb": rss_fresh,
                                                   "rss_after_warmup_mb": rss_warm, "levels": results}, indent=2))
            print(f"wrote {args.json}")
    finally:
        for s in servers:
            await asyncio.to_thread(s.stop)
    if args.server_profile:
        print_profile(args.server_profile, args.top)  # the first server's
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        serve_instrumented(sys.argv[2:])
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Run from the project's root with the project's virtualenv.")
    p.add_argument("--url", action="append", help="target an app already running (e.g. http://127.0.0.1:8501); "
                   "repeat it for several replicas (sessions are spread round-robin); default: start one")
    p.add_argument("--pid", type=int, action="append", help="with --url: the server's pid for RSS and CPU, one per "
                   "--url (default: found from the port, if it is this user's process)")
    p.add_argument("--servers", type=int, default=1, help="start this many servers (separate processes, e.g. one "
                   "per core) and spread the sessions round-robin over them (default 1)")
    p.add_argument("--path", default="/", help="page path the links open (default /, the Briefing page)")
    p.add_argument("--sessions", type=int, default=50, help="concurrent sessions (default 50)")
    p.add_argument("--duration", type=float, default=60, help="seconds of slider changes per level (default 60)")
    p.add_argument("--interval", type=float, default=2, help="seconds between one session's changes (default 2)")
    p.add_argument("--jitter", type=float, default=0.25,
                   help="each interval is drawn from interval x [1-j, 1+j] (default 0.25); the first change comes "
                        "at a random time within the first interval")
    p.add_argument("--move", choices=["step", "random"], default="step",
                   help="step: one slider step up or down, as a key press does (default); random: a random value")
    p.add_argument("--overlap", choices=["wait", "send"], default="wait",
                   help="when a tick comes and the previous change has not landed: wait for it (default), or send "
                        "anyway (the server interrupts the run in progress)")
    p.add_argument("--ramp", help="comma-separated session counts run one after the other on the same server, "
                   "e.g. 10,20,30,40,50,60 (overrides --sessions)")
    p.add_argument("--open-over", type=float, default=10, help="spread the session opens over this many seconds "
                   "(default 10)")
    p.add_argument("--timeout", type=float, default=10, help="a change with no finished run after this many "
                   "seconds is an error (default 10)")
    p.add_argument("--threshold", type=float, default=1.0, help="p95 target in seconds (default 1)")
    p.add_argument("--settle", type=float, default=3, help="seconds to wait before the RSS readings after warm-up "
                   "and after closing (default 3)")
    p.add_argument("--pause", type=float, default=5, help="seconds between ramp levels (default 5)")
    p.add_argument("--seed", type=int, default=2016, help="random seed for links and moves (default 2016)")
    p.add_argument("--timing", action="store_true", help="start the server with KURIL_TIMING=1 (it logs each "
                   "script run's duration; reported per level)")
    p.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for the server started here (repeatable), e.g. OPENBLAS_NUM_THREADS=1")
    p.add_argument("--server-arg", action="append", default=[], metavar="FLAG",
                   help="extra flag for the `streamlit run` started here (repeatable; write it with =), e.g. "
                        "--server-arg=--runner.postScriptGC=false to try a setting without editing the config")
    p.add_argument("--gc-log", action="store_true", help="log the duration of every full garbage collection in the "
                   "server (runs it through this file's small wrapper)")
    p.add_argument("--gc-freeze", action="store_true", help="after the warm-up, make the server call gc.freeze() "
                   "(what the app could do once its modules and model are loaded), to try that remedy")
    p.add_argument("--server-profile", metavar="PATH", help="run the server under cProfile (CPU time of every "
                   "thread) and print the top functions at the end; slows the server, so use it for where the time "
                   "goes, not for the latency figures")
    p.add_argument("--top", type=int, default=35, help="rows of the --server-profile listing (default 35)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    args = p.parse_args()
    if args.url and (args.server_profile or args.server_arg or args.server_env or args.timing or args.gc_log
                     or args.gc_freeze):
        p.error("--server-profile, --server-arg, --server-env, --timing, --gc-log and --gc-freeze need the server "
                "started here (no --url)")
    return asyncio.run(amain(args))


if __name__ == "__main__":
    sys.exit(main())
