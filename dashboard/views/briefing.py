"""Briefing: which options both capitals could accept under the current assumptions, and why."""

import streamlit as st

from dashboard.charts import briefing as charts
from dashboard.ui import files, modes, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def draw(ctx: state.Context) -> None:
    e = ctx.explanation
    threshold = ctx.model.acceptance_threshold

    header(ctx, _("Briefing"), _("How feasible each settlement is for Moscow and for Tokyo under the assumptions in "
           "the sidebar, against no agreement. Move a slider or load a prepared scenario; every number follows."),
           note=files.meta_note(ctx))
    st.subheader(md(e.headline))
    left, right = st.columns(2, gap="large")
    with left:
        chart(charts.feasibility_map(e.scores, ctx.labels, threshold, ctx.option, lang=ctx.lang), key="briefing_map")
    with right:
        chart(charts.score_bars(e.scores, ctx.labels, threshold, ctx.option, lang=ctx.lang), key="briefing_bars")
    modes.reasons(ctx, heading=_("Why"))
    st.subheader(_("Take it away"))
    files.briefing_downloads(ctx)


scenario_page(draw)
