"""How a page of the full app is drawn: as the scenario fragment, with the sidebar's file and share boxes after it.

A page module defines ``draw(ctx)`` and ends with ``scenario_page(draw)``. A slider in the sidebar reruns only
this fragment (its callback is :func:`dashboard.ui.state.rerun_scenario`), and so does any widget on the page: a
move sends the page and the two boxes that depend on the scenario, never the sidebar's 17 sliders and other
controls, which already show their values in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.ui import controls, files, library, state
from dashboard.ui.guard import guarded


@st.fragment(key=state.SCENARIO_FRAGMENT)
def scenario_page(draw: Callable[[state.Context], None]) -> None:
    """Build this run's context from the sidebar's values, draw the page, then the sidebar's file and share boxes.

    On a fragment rerun Streamlit calls this again with the ``draw`` of the page last shown. The model is read
    again, so an edit of data/ is picked up without a full rerun.
    """
    with guarded("fragment"):
        ctx = state.scenario_context()
        draw(ctx)
        tail = state.sidebar_tail()
        files.scenario_files(ctx, tail)
        controls.share_box(ctx, state.current_page(), tail)
        library.save_box(ctx, tail)
