"""Briefing: which options both capitals could accept under the current assumptions, and why."""

import streamlit as st

from dashboard.charts import briefing as charts
from dashboard.ui import modes, state
from dashboard.ui.show import chart, header
from dashboard.ui.text import md

ctx = state.context()
e = ctx.explanation
threshold = ctx.model.acceptance_threshold

header(ctx, "Briefing", "How feasible each settlement is for Moscow and for Tokyo under the assumptions in the "
       "sidebar, against no agreement. Move a slider or load a prepared scenario; every number follows.")
preset_note = next((p.note for p in ctx.model.data.presets.values()
                    if {**ctx.model.baseline, **p.drivers} == ctx.values), None)
if preset_note:
    st.caption(md(preset_note))
st.subheader(md(e.headline))
left, right = st.columns(2, gap="large")
with left:
    chart(charts.feasibility_map(e.scores, ctx.labels, threshold, ctx.option), key="briefing_map")
with right:
    chart(charts.score_bars(e.scores, ctx.labels, threshold, ctx.option), key="briefing_bars")
st.subheader("Why")
modes.reasons(ctx)
