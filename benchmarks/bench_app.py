"""Benchmark the Streamlit app: server-side page runs (AppTest) and what a user waits for in Chromium.

(a) AppTest, in this process (``KURIL_DEBUG=1``, so an error raises instead of showing the friendly message):

* each page's full script run: a fresh ``AppTest.from_file("dashboard/app.py")``, ``run()`` once (untimed), then
  ``switch_page("views/<page>.py").run()`` timed. The first run of each page (its cached results not yet
  computed in this process; Briefing excepted, which the untimed first session already ran) is reported apart;
  the median is over the next N runs (default 10);
* the default page (Briefing) on a fresh session: the ``run()`` before each switch, timed as well;
* on Briefing, a sidebar slider ``set_value(v).run()``: with a new value each time (the page's cached results
  must be computed) and alternating between two values (served from ``st.cache_data``), median of N each.

(b) Chromium through Playwright (headless, Debian's ``/usr/bin/chromium``), against three servers started side by
side in the same run: this app (``streamlit run dashboard/app.py``), a minimal Streamlit page (one sidebar slider,
one Plotly bar chart; the reference the acceptance check uses) and a bare page of the Briefing's shape (17 sidebar
sliders, a headline, two Plotly bar charts side by side, no model: what Streamlit itself costs for that shape):

* open -> first chart: from ``page.goto`` in a fresh browser context to the first
  ``[data-testid=stPlotlyChart] .js-plotly-plot`` visible; one warm-up each, then rounds that interleave our
  ``/``, the minimal page, our ``/?view=viewer`` and our ``/?view=present`` (order rotated every round); medians,
  the ratio of medians to the minimal page and the median of the per-round ratios (target: ours <= 1.25x);
* slider key -> chart data changed: focus the first sidebar slider, press a key, poll every chart's ``_fullData``:
  the time until the first chart differs (what the acceptance check measures) and until every chart on the page
  differs; ``ArrowRight`` only (every value new to the server) and ``ArrowRight``/``ArrowLeft`` alternately (the
  acceptance check's way: after two presses the server's cached results serve), median of N each, on our Briefing
  and Sensitivity pages, the bare page and the minimal page (targets, as ratios to the minimal page in the same
  run: Briefing <= 2.5x, Sensitivity <= 3.0x). For each press it also notes when the server's first WebSocket
  message and its last one before the change arrived, to split the wait into browser + server start, server
  streaming the rerun, and the browser applying it.

Run from the project's root (about three minutes in all, two and a half of them in the browser part):

    .venv/bin/python benchmarks/bench_app.py
    .venv/bin/python benchmarks/bench_app.py --quick            # fewer repeats
    .venv/bin/python benchmarks/bench_app.py --only apptest     # or: --only browser
    .venv/bin/python benchmarks/bench_app.py --profile views/uncertainty.py   # cProfile one AppTest page run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from _machine import CHROMIUM, load_average, print_machine, print_table
from _server import RUN_ARGS, StreamlitServer, server_env

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "dashboard" / "app.py"
sys.path.insert(0, str(ROOT))  # a clean clone works without the editable install too

PAGES = ["views/briefing.py", "views/why.py", "views/sensitivity.py", "views/uncertainty.py", "views/compare.py",
         "views/weights.py", "views/method.py"]
SLIDER_KEY = "japan_public_support"  # the first sidebar slider, also the one the browser part moves
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot"
VIEWPORT = {"width": 1400, "height": 900}
MINIMAL_PAGE = (
    "import streamlit as st, plotly.graph_objects as go\n"
    "v = st.sidebar.slider('v', 0, 100, 50, key='v')\n"
    "st.plotly_chart(go.Figure(go.Bar(x=list('abcdefg'), y=[v, 2, 3, 4, 5, 6, 7])), key='c')\n"
)
BARE_PAGE = (  # the Briefing's shape with nothing of ours: the floor Streamlit sets for it
    "import streamlit as st, plotly.graph_objects as go\n"
    "vals = [st.sidebar.slider(f'Driver {i}', 0, 100, 50, key=f'd{i}') for i in range(17)]\n"
    "st.subheader(f'Headline: the best option scores {sum(vals)}')\n"
    "left, right = st.columns(2)\n"
    "left.plotly_chart(go.Figure(go.Bar(x=list('abcdefg'), y=[vals[0], 2, 3, 4, 5, 6, 7])), key='a')\n"
    "right.plotly_chart(go.Figure(go.Bar(x=list('abcdefg'), y=[7, 6, 5, 4, 3, 2, vals[0]])), key='b')\n"
)
TARGETS = {"open": 1.25, "Briefing": 2.5, "Sensitivity": 3.0}  # ratios to the minimal page (issue 9)
CHART_NUMBERS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el =>
    (el._fullData || []).map(t => ['x','y','z'].map(a => {
        const v = t[a]; if (!v) return null;
        const arr = Array.from(v.flat ? v.flat() : v);
        return arr.map(n => typeof n === 'number' ? Math.round(n*1e4)/1e4 : String(n));
    })))"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def server_col(v: dict) -> str:
    """Our server's median script-run time and how many runs it logged (KURIL_TIMING), or '-' for none."""
    return f"{ms(v['server_run_median_s'])} ({v['server_runs']})" if v.get("server_runs") else "-"


# --------------------------------------------------------------------------------------------------- AppTest
def _no_exception(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: {[e.value for e in at.exception]}")


def _quiet_bare_mode_warning() -> None:
    """AppTest's main thread has no ScriptRunContext; Streamlit logs that on every run. It is expected: hide it."""
    import logging

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())


def _new_app():
    from streamlit.testing.v1 import AppTest
    return AppTest.from_file(str(ENTRY), default_timeout=120)


def bench_apptest(runs: int) -> dict:
    os.environ["KURIL_DEBUG"] = "1"
    _quiet_bare_mode_warning()
    t0 = time.perf_counter()
    at = _new_app()
    at.run()  # imports the app's modules and fills the model cache: not part of any figure
    _no_exception(at, "first session")
    first_session = time.perf_counter() - t0
    print(f"AppTest: first session in this process (imports, model load) {ms(first_session)}; "
          f"then {runs} runs per page\n", flush=True)
    fresh, pages = [], {}
    for page in PAGES:
        times, charts = [], None
        for _ in range(runs + 1):
            at = _new_app()
            t0 = time.perf_counter()
            at.run()
            fresh.append(time.perf_counter() - t0)
            _no_exception(at, "default page")
            t0 = time.perf_counter()
            at.switch_page(page).run()
            times.append(time.perf_counter() - t0)
            _no_exception(at, page)
            charts = len(at.get("plotly_chart"))
        pages[page] = {"first_s": times[0], "median_s": med(times[1:]), "min_s": min(times[1:]),
                       "max_s": max(times[1:]), "charts": charts, "runs": runs}
        print(f"  {page:<24} first {ms(times[0]):>8}   median {ms(med(times[1:])):>7}   ({charts} charts)",
              flush=True)

    # Slider change + rerun on Briefing (the default page).
    at = _new_app()
    at.run()
    _no_exception(at, "briefing")
    new_values = list(range(10, 10 + runs))  # never set before in this process: results not cached
    slider_new, slider_cached = [], []
    for v in new_values:
        t0 = time.perf_counter()
        at.sidebar.slider(key=SLIDER_KEY).set_value(v).run()
        slider_new.append(time.perf_counter() - t0)
        _no_exception(at, f"slider={v}")
    for i in range(runs + 2):
        v = new_values[i % 2]  # both already computed above
        t0 = time.perf_counter()
        at.sidebar.slider(key=SLIDER_KEY).set_value(v).run()
        slider_cached.append(time.perf_counter() - t0)
        _no_exception(at, f"slider={v}")
    assert at.sidebar.slider(key=SLIDER_KEY).value == new_values[(runs + 1) % 2]
    slider_cached = slider_cached[2:]
    return {"first_session_s": first_session, "fresh_session_default_page_median_s": med(fresh),
            "fresh_session_runs": len(fresh), "pages": pages,
            "slider_new_value_median_s": med(slider_new), "slider_cached_median_s": med(slider_cached),
            "slider_runs": runs}


def profile_page(page: str, top: int) -> None:
    """cProfile one warm AppTest run of ``page`` (after two unprofiled runs) and print the costliest calls."""
    import cProfile
    import io
    import pstats

    os.environ["KURIL_DEBUG"] = "1"
    _quiet_bare_mode_warning()
    for _ in range(2):
        at = _new_app()
        at.run()
        at.switch_page(page).run()
    at = _new_app()
    at.run()
    # AppTest runs the script in a thread of its own: give every thread started from now its own profiler.
    profs = [cProfile.Profile()]

    def hook(frame, event, arg):
        sys.setprofile(None)
        p = cProfile.Profile()
        profs.append(p)
        p.enable()

    threading.setprofile(hook)
    profs[0].enable()
    t0 = time.perf_counter()
    at.switch_page(page).run()
    wall = time.perf_counter() - t0
    profs[0].disable()
    threading.setprofile(None)
    _no_exception(at, page)
    out = io.StringIO()
    pstats.Stats(*profs, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"cProfile of one warm AppTest run of {page}: {ms(wall)} wall (profiling overhead included)")
    print(out.getvalue())


# --------------------------------------------------------------------------------------------------- servers
@contextlib.contextmanager
def app_server(entry: Path, home: str, timeout: float = 90):
    """``streamlit run`` headless on 127.0.0.1 with a free port; yields (base URL, seconds until healthy, runs).

    ``runs`` collects, in ms, every "script run took N ms" line the app logs when ``KURIL_TIMING`` is set (it is,
    for the server started here): the server's own time per rerun, without the browser.
    """
    env = server_env(home, {"KURIL_TIMING": "1",  # the server behaves as in production, but logs each run's time
                            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    runs: list[float] = []

    def on_line(line: str) -> None:
        if m := re.search(r"script run took ([\d.]+) ms", line):
            runs.append(float(m.group(1)))

    server = StreamlitServer([sys.executable, "-m", "streamlit", "run", str(entry), *RUN_ARGS], env,
                             name=entry.name, timeout=timeout, on_line=on_line)
    try:
        yield server.url, server.healthy_after, runs
    finally:
        server.stop(grace=10)


# --------------------------------------------------------------------------------------------------- browser
def open_to_first_chart(browser, url: str) -> tuple[float, int]:
    """Seconds from goto in a fresh context to the first chart visible; and the exceptions shown by then."""
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
        elapsed = time.perf_counter() - t0
        return elapsed, page.locator("[data-testid=stException]").count()
    finally:
        ctx.close()


def slider_latency(browser, url: str, presses: int, alternate: bool, runs: list[float] | None = None) -> dict:
    """Key press on the first sidebar slider -> the first chart's plotted data changed, and every chart's, per press.

    Also notes, per press, when the first and the last WebSocket message from the server arrived before the first
    chart changed (as Playwright hands them over, i.e. within one ~5 ms poll): the time before the first message is
    the browser sending the new value and the server starting the rerun; from the last message to the change is
    the browser applying the page's updates and Plotly redrawing. A chart the move does not change at all is given
    1.5 s after the first change before "every chart" is given up for that press. ``runs`` is the server's list of
    script-run times (ours only): the ones logged while the keys were pressed are reported too.
    """
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        frames: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())))
        page.goto(url)
        page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(1500)  # let the first run finish completely
        slider = page.locator("[data-testid=stSidebar]").get_by_role("slider").first
        lat, every, first, last, count, timeouts = [], [], [], [], [], 0
        k = len(runs) if runs is not None else 0
        for i in range(presses):
            before = page.evaluate(CHART_NUMBERS_JS)
            slider.focus()
            key = "ArrowLeft" if alternate and i % 2 else "ArrowRight"
            frames.clear()
            t0 = time.perf_counter()
            page.keyboard.press(key)
            t_first = t_every = None
            while True:
                now = page.evaluate(CHART_NUMBERS_JS)
                t = time.perf_counter()
                changed = [a != b for a, b in zip(now, before, strict=False)] if len(now) == len(before) else [True]
                if t_first is None and any(changed):
                    t_first = t
                if t_first is not None and all(changed):
                    t_every = t
                    break
                if (t_first is None and t - t0 > 5) or (t_first is not None and t - t_first > 1.5):
                    timeouts += t_first is None
                    break
                page.wait_for_timeout(5)
            t1 = t_first if t_first is not None else time.perf_counter()
            lat.append(t1 - t0)
            if t_every is not None:
                every.append(t_every - t0)
            seen = [t - t0 for t in frames if t <= t1]
            if seen:
                first.append(seen[0])
                last.append(seen[-1])
            count.append(len(seen))
            page.wait_for_timeout(400)  # let the rerun finish before the next press
        if page.locator("[data-testid=stException]").count():
            raise RuntimeError(f"{url}: an exception is shown after moving the slider")
        server = [t / 1000 for t in runs[k:]] if runs is not None else []
        return {"median_s": med(lat), "min_s": min(lat), "max_s": max(lat), "runs": len(lat), "timeouts": timeouts,
                "every_chart_median_s": med(every), "every_chart_runs": len(every),
                "first_message_median_s": med(first), "last_message_median_s": med(last),
                "messages_median": med(count), "server_run_median_s": med(server), "server_runs": len(server),
                "samples_s": lat}
    finally:
        ctx.close()


def write_page(folder: Path, name: str, text: str) -> Path:
    page = folder / name
    page.write_text(text, encoding="utf-8")
    return page


def bench_browser(opens: int, presses: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home, \
            tempfile.TemporaryDirectory(prefix="bench-minimal-") as mini_dir, \
            app_server(ENTRY, home) as (ours, ours_start, ours_runs), \
            app_server(write_page(Path(mini_dir), "minimal.py", MINIMAL_PAGE), home) as (minimal, mini_start, _), \
            app_server(write_page(Path(mini_dir), "bare.py", BARE_PAGE), home) as (bare, _, _), \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS,
                                     env={**os.environ, "HOME": home, "XDG_CONFIG_HOME": home,
                                          "XDG_CACHE_HOME": home})
        try:
            out["chromium"] = browser.version
            out["server_start_s"] = {"ours": ours_start, "minimal": mini_start}
            print(f"servers healthy: ours in {ms(ours_start)}, minimal in {ms(mini_start)}; "
                  f"Chromium {browser.version}\n", flush=True)
            targets = {"ours /": ours + "/", "minimal": minimal + "/", "ours ?view=viewer": ours + "/?view=viewer",
                       "ours ?view=present": ours + "/?view=present"}
            names = list(targets)
            times: dict[str, list[float]] = {n: [] for n in names}
            server: dict[str, list[float]] = {n: [] for n in names}  # our script runs logged during each open
            exceptions = 0
            for n in names:  # warm-up: first compile of the page, the model, the browser's caches
                _, exc = open_to_first_chart(browser, targets[n])
                exceptions += exc
            for r in range(opens):
                order = names[r % len(names):] + names[:r % len(names)]
                for n in order:
                    k = len(ours_runs)
                    t, exc = open_to_first_chart(browser, targets[n])
                    times[n].append(t)
                    if n != "minimal":
                        server[n] += [x / 1000 for x in ours_runs[k:]]
                    exceptions += exc
                print(f"  round {r + 1}/{opens}: " + ", ".join(f"{n} {times[n][-1]:.2f}s" for n in names),
                      flush=True)
            mm = med(times["minimal"])
            out["open_to_first_chart"] = {
                n: {"median_s": med(ts), "min_s": min(ts), "max_s": max(ts), "runs": len(ts),
                    "ratio_of_medians": med(ts) / mm,
                    "median_of_round_ratios": med([a / b for a, b in zip(ts, times["minimal"], strict=True)]),
                    "server_run_median_s": med(server[n]), "server_runs": len(server[n])}
                for n, ts in times.items()}
            out["exceptions_seen"] = exceptions

            print("\n  slider key -> chart data changed ...", flush=True)
            out["slider_to_chart"] = {}
            for label, url in (("Briefing", ours + "/"), ("Sensitivity", ours + "/sensitivity"),
                               ("bare page, Briefing's shape", bare + "/"), ("minimal", minimal + "/")):
                for mode, alternate in (("new values (ArrowRight)", False), ("alternating (Right/Left)", True)):
                    r = out["slider_to_chart"][f"{label}, {mode}"] = slider_latency(
                        browser, url, presses, alternate, ours_runs if label in ("Briefing", "Sensitivity") else None)
                    print(f"  {label}, {mode}: median {ms(r['median_s'])} (min {ms(r['min_s'])}, "
                          f"max {ms(r['max_s'])})", flush=True)
        finally:
            browser.close()
    return out


# ------------------------------------------------------------------------------------------------------ main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Run from the project's root with the project's virtualenv.")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats: 5 AppTest runs, 7 open rounds, 10 slider presses")
    parser.add_argument("--only", choices=["apptest", "browser"], help="run one part only")
    parser.add_argument("--apptest-runs", type=int, help="AppTest runs per page and per slider case (default 10)")
    parser.add_argument("--opens", type=int, help="open->first chart rounds after the warm-up (default 9)")
    parser.add_argument("--presses", type=int, help="slider presses per case (default 12)")
    parser.add_argument("--profile", metavar="PAGE", help="only cProfile one AppTest run of PAGE "
                        "(e.g. views/uncertainty.py) and print the top calls")
    parser.add_argument("--top", type=int, default=30, help="rows of the --profile listing (default 30)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    args = parser.parse_args()
    runs = args.apptest_runs or (5 if args.quick else 10)
    opens = args.opens or (7 if args.quick else 9)
    presses = args.presses or (10 if args.quick else 12)

    if args.profile:
        profile_page(args.profile, args.top)
        return 0

    print_machine("bench_app: the Streamlit app, server side (AppTest) and in Chromium",
                  extra={"mode": "quick" if args.quick else "full"})
    t_start = time.perf_counter()
    results: dict = {"quick": args.quick}

    if args.only in (None, "apptest"):
        a = results["apptest"] = bench_apptest(runs)
        print()
        rows = [[p, str(v["charts"]), ms(v["first_s"]), ms(v["median_s"]), ms(v["min_s"]), ms(v["max_s"])]
                for p, v in a["pages"].items()]
        print_table(["AppTest: switch_page(page).run()", "charts", "first run", f"median of {runs}", "min",
                     "max"], rows, right={1, 2, 3, 4, 5})
        print(f"\nfresh session, default page (AppTest.from_file().run()): median "
              f"{ms(a['fresh_session_default_page_median_s'])} of {a['fresh_session_runs']}")
        print(f"Briefing, slider set_value().run(): new value each time {ms(a['slider_new_value_median_s'])}, "
              f"alternating two cached values {ms(a['slider_cached_median_s'])} (median of {runs} each)\n",
              flush=True)

    if args.only in (None, "browser"):
        b = results["browser"] = bench_browser(opens, presses)
        o = b["open_to_first_chart"]
        print()
        print_table(
            ["open -> first chart visible", "median", "min", "max", "/ minimal (medians)", "median round ratio",
             "server script run (n)"],
            [[n, f"{v['median_s']:.2f} s", f"{v['min_s']:.2f} s", f"{v['max_s']:.2f} s",
              f"{v['ratio_of_medians']:.2f}x", f"{v['median_of_round_ratios']:.2f}x", server_col(v)]
             for n, v in o.items()],
            right={1, 2, 3, 4, 5, 6})
        print(f"({opens} rounds after one warm-up each, fresh browser context per open, viewport "
              f"{VIEWPORT['width']}x{VIEWPORT['height']}; exceptions shown: {b['exceptions_seen']}; 'server script "
              "run' is the app's own log of each script run during those opens, KURIL_TIMING)")
        ratio = o["ours /"]["median_of_round_ratios"]
        target = TARGETS["open"]
        print(f"target ours / minimal <= {target}x (median of round ratios, as the check): {ratio:.2f}x -> "
              f"{'met' if ratio <= target else 'NOT met'}\n")
        s = b["slider_to_chart"]
        print_table(["slider key -> chart data changed", "first chart", "min", "max", "every chart", "timeouts",
                     "1st server msg", "last msg before", "msgs", "server script run (n)"],
                    [[n, ms(v["median_s"]), ms(v["min_s"]), ms(v["max_s"]), ms(v["every_chart_median_s"]),
                      str(v["timeouts"]), ms(v["first_message_median_s"]), ms(v["last_message_median_s"]),
                      f"{v['messages_median']:.0f}", server_col(v)] for n, v in s.items()],
                    right={1, 2, 3, 4, 5, 6, 7, 8, 9})
        print(f"({presses} presses each, medians; polled every ~5 ms, so figures include the polling's own cost. '1st "
              "server msg', 'last msg before' and 'msgs': when the server's first WebSocket message arrived, when its "
              "last one before the first chart changed arrived, and how many arrived by then. 'server script run' is "
              "the app's own log of each rerun's time (KURIL_TIMING), with their count.)")
        for mode in ("alternating (Right/Left)", "new values (ArrowRight)"):
            base = s[f"minimal, {mode}"]["median_s"]
            parts = []
            for page in ("Briefing", "Sensitivity", "bare page, Briefing's shape"):
                v = s[f"{page}, {mode}"]
                first, every = v["median_s"] / base, v["every_chart_median_s"] / base
                goal = TARGETS.get(page)
                parts.append(f"{page} {first:.2f}x (every chart {every:.2f}x)"
                             + (f" target <= {goal}x: {'met' if first <= goal else 'NOT met'}" if goal else ""))
            print(f"ratios to the minimal page, {mode}: " + "; ".join(parts))

    total = time.perf_counter() - t_start
    print(f"\ntotal wall time: {total:.0f} s; load average at end: {load_average()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
