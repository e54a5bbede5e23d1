"""History: each option's feasibility from October 2016 to now, with the events marked, and the track record."""

import pandas as pd
import streamlit as st

from dashboard.charts import history as charts
from dashboard.model.explain import pct
from dashboard.model.history import checkpoint_label, events_table
from dashboard.ui import data, files, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def record_table(ctx: state.Context) -> pd.DataFrame:
    """The track record as shown and downloaded: one row per checkpoint."""
    t = data.track_record(ctx.model, ctx.key)
    return pd.DataFrame({
        "Date": t["date"],
        "Checkpoint": t["title"],
        "Ranked first (all options)": [f"{a} ({pct(j)})" for a, j in zip(t["first_label"], t["first_joint"],
                                                                          strict=True)],
        "Hit": t["hit"].map({True: "hit", False: "miss"}),
        "Why": t["reason"],
        "Hit in draws of the model's numbers": [pct(v) for v in t["hit_survives"]],
        "Ranked first (settlements of the border)": [
            f"{a} ({pct(j)})" for a, j in zip(t["first_settlement_label"], t["first_settlement_joint"], strict=True)],
        "Hit (settlements)": t["hit_settlement"].map({True: "hit", False: "miss"}),
        "Why (settlements)": t["reason_settlement"],
        "Hit in draws (settlements)": [pct(v) for v in t["hit_settlement_survives"]],
        "What happened": t["happened"],
        "What happened, in a line": t["happened_summary"],
    })


def draw(ctx: state.Context) -> None:
    model = ctx.model
    header(ctx, _("History"), _("How feasible each option was at each dated checkpoint from the op-ed to now, with "
           "the drivers' values at that date and the events then in force, and whether the model's first choice is "
           "what happened. The weights are the op-ed's throughout: no per-date tuning."))
    if not model.data.checkpoints:
        st.info("This data has no dated checkpoints (data/history/).")
        return
    scores = data.history_scores(model, ctx.key)
    chart(charts.timeline(scores, events_table(model), ctx.labels, model.acceptance_threshold), key="history_chart")

    st.subheader("Track record")
    table = record_table(ctx)
    hits, hits_s, n = (table["Hit"] == "hit").sum(), (table["Hit (settlements)"] == "hit").sum(), len(table)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(md(f"The model's first choice matches what happened at {hits} of {n} checkpoints (all options) and "
                  f"{hits_s} of {n} among settlements of the border. A hit: the first-ranked option is one that "
                  "moved; or nothing moved and no option was acceptable to both. \"Hit in draws\": the share of "
                  f"{data.TRACK_RECORD_DRAWS} draws of the model's own weights, base terms and ceilings (from their "
                  "plausible ranges; drivers and events as at that date) in which the verdict is still a hit. The "
                  "Method page explains the misses."))
    files.csv_download(_("Track record (CSV)"), table, "track-record", "_dl_track_record")
    files.csv_download(_("Scores at every checkpoint (CSV)"), scores, "history-scores", "_dl_history_scores")

    st.subheader("The checkpoints")
    st.markdown("\n".join(
        f"- **{md(checkpoint_label(model, cp))}** ({cp.date}): {md(cp.summary)} *Next:* {md(cp.happened.summary)}"
        for cp in model.data.checkpoints))
    if ctx.as_of:
        st.caption(md(f"The sidebar starts from {checkpoint_label(model, state.as_of(model))}; choose another date "
                      "under *Start from a date*."))


scenario_page(draw)
