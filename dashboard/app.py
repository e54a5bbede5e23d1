"""Entry script: ``streamlit run dashboard/app.py``.

Loads the model, reads the link once per session, draws the shared sidebar (full app) and routes to the page with
``st.navigation``. ``?view=viewer`` gives the read-only stakeholder view and ``?view=present`` the presenter
mode; both keep every page's address, so a link never lands on "page not found".
"""

from __future__ import annotations

import logging
import os
import time
import urllib.parse
from pathlib import Path

import streamlit as st

from dashboard.ui import controls, data, files, modes, state
from dashboard.ui.text import md

log = logging.getLogger("dashboard")
# A local image: an icon named like ":material/map:" would make the browser fetch it from an outside host.
ICON = str(Path(__file__).parent / "static" / "icon.png")

# (file under dashboard/, title, url path, icon). The first is the default page, served at "/".
PAGES = (
    ("views/briefing.py", "Briefing", "", ":material/campaign:"),
    ("views/why.py", "Why", "why", ":material/account_tree:"),
    ("views/sensitivity.py", "Sensitivity", "sensitivity", ":material/tune:"),
    ("views/uncertainty.py", "Uncertainty", "uncertainty", ":material/casino:"),
    ("views/compare.py", "Compare", "compare", ":material/compare_arrows:"),
    ("views/weights.py", "Weights", "weights", ":material/balance:"),
    ("views/method.py", "Method & sources", "method", ":material/menu_book:"),
)


def _pages() -> list[st.Page]:
    return [st.Page(path, title=title, url_path=url or None, icon=icon, default=(i == 0))
            for i, (path, title, url, icon) in enumerate(PAGES)]


def _base_url(page_url_path: str) -> str:
    """The app's own address (scheme, host, port and any base path), from the address the browser used."""
    url = st.context.url or "http://localhost:8501/"
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if page_url_path and path.endswith("/" + page_url_path):
        path = path[: -len(page_url_path) - 1]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _show_notices() -> None:
    notices = st.session_state.get(state.NOTICES) or []
    version = st.session_state.get("_version_note")
    if not notices and not version:
        return
    box = st.container()
    if notices:
        text = "This link had values the dashboard could not use as given, so it used sensible ones instead: " + \
            "; ".join(md(str(n)) for n in notices)
        box.warning(text, icon=":material/link_off:")
    if version:
        box.info(md(version), icon=":material/history:")
    if box.button("Dismiss", key="_dismiss_notices"):
        st.session_state[state.NOTICES] = []
        st.session_state["_version_note"] = None
        st.rerun()


def _show_data_problems(problems: tuple[str, ...]) -> None:
    if problems:
        with st.expander("The data files were changed into an invalid state; showing the last valid data.",
                         icon=":material/warning:"):
            st.markdown("\n".join(f"- {md(p)}" for p in problems))


def main() -> None:
    view = st.query_params.get("view", "full")
    st.set_page_config(
        page_title="Kuril Islands: settlement scenarios",
        page_icon=ICON,
        layout="wide",
        initial_sidebar_state="collapsed" if view in ("viewer", "present") else "expanded",
    )
    loaded = data.current_model()
    if loaded.model is None:
        st.error("The dashboard cannot start: the files in data/ are invalid.")
        st.markdown("\n".join(f"- {md(p)}" for p in loaded.problems))
        return
    model = loaded.model
    link = state.start(model)

    if link.view == "full":
        values, option = controls.scenario_controls(model)
        state.settle_driver_notices(model, link, values)
        nav = st.navigation(_pages(), position="sidebar")
        st.session_state[state.PAGE_PARAMS] = {}
        st.session_state["_page"] = nav.url_path
        ctx = state.build_context(model, values, option, "full", loaded.problems, _base_url(nav.url_path))
        _show_data_problems(loaded.problems)
        _show_notices()
        nav.run()
        # The sidebar's file box and share box come after the page in the script (they stay below the sliders on
        # screen): the browser gets the page's charts a dozen messages sooner after a slider moves. An uploaded
        # file is applied in the uploader's callback, before any of this runs.
        files.scenario_files(ctx)
        controls.share_box(ctx, nav.url_path)
    else:
        nav = st.navigation(_pages(), position="hidden")
        values = link.values if link.view == "viewer" else modes.presenter_values(model, link)
        ctx = state.build_context(model, values, link.option, link.view, loaded.problems, _base_url(nav.url_path))
        _show_data_problems(loaded.problems)
        _show_notices()
        if link.view == "viewer":
            modes.viewer(ctx, nav.url_path)
        else:
            modes.presenter(ctx, link)


_started = time.perf_counter()
try:
    main()
except Exception:
    # An audience never sees a traceback: the error goes to the server log and the page says what it can.
    if os.environ.get("KURIL_DEBUG"):
        raise
    log.exception("The dashboard failed to draw this page")
    st.error("Something went wrong drawing this page. The rest of the dashboard still works: try another page "
             "or reset the scenario. The details are in the server log.", icon=":material/error:")
finally:
    if os.environ.get("KURIL_TIMING"):  # benchmarks/ and profiling: how long this script run took
        log.warning("script run took %.1f ms", (time.perf_counter() - _started) * 1000)
