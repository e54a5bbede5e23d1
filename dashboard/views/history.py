"""History: each option's feasibility from October 2016 to now, with the events marked, and the track record."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.charts import history as charts
from dashboard.model import history
from dashboard.model.explain import format_value, pct
from dashboard.model.history import checkpoint_label, events_table
from dashboard.model.schema import text
from dashboard.ui import data, files, lang, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def record_table(t: pd.DataFrame, language: str) -> pd.DataFrame:
    """The track record as shown: one row per checkpoint, headers and words in ``language`` (``t``: the model's
    track record in that language)."""
    def ranked(labels, joints) -> list[str]:
        return [_("{option} ({joint})").format(option=a, joint=pct(j, language)) for a, j in zip(labels, joints,
                                                                                                  strict=True)]

    verdict = {True: _("hit"), False: _("miss")}
    return pd.DataFrame({
        _("Date"): [history.day(dt.date.fromisoformat(d), language) for d in t["date"]],
        _("Checkpoint"): t["title"],
        _("Ranked first (all options)"): ranked(t["first_label"], t["first_joint"]),
        _("Hit"): t["hit"].map(verdict),
        _("Why"): t["reason"],
        _("Hit in draws of the model's numbers"): [pct(v, language) for v in t["hit_survives"]],
        _("Ranked first (settlements of the border)"): ranked(t["first_settlement_label"],
                                                             t["first_settlement_joint"]),
        _("Hit (settlements)"): t["hit_settlement"].map(verdict),
        _("Why (settlements)"): t["reason_settlement"],
        _("Hit in draws (settlements)"): [pct(v, language) for v in t["hit_settlement_survives"]],
        _("What happened"): t["happened"],
        _("What happened, in a line"): t["happened_summary"],
    })


def draw(ctx: state.Context) -> None:
    model = ctx.model
    language = ctx.lang
    header(ctx, _("History"), _("How feasible each option was at each dated checkpoint from the op-ed to now, with "
           "the drivers' values at that date and the events then in force, and whether the model's first choice is "
           "what happened. The weights are the op-ed's throughout: no per-date tuning."))
    if not model.data.checkpoints:
        st.info(_("This data has no dated checkpoints (data/history/)."))
        return
    scores = data.history_scores(model, ctx.key)
    names = {cp.id: checkpoint_label(model, cp, language) for cp in model.data.checkpoints}
    chart(charts.timeline(scores, events_table(model, language), ctx.labels, model.acceptance_threshold,
                          names=names, lang=language), key="history_chart")

    st.subheader(_("Track record"))
    t = data.track_record(model, ctx.key, language)
    hits, hits_s, n = int(t["hit"].sum()), int(t["hit_settlement"].sum()), len(t)
    st.dataframe(record_table(t, language), hide_index=True, width="stretch")
    st.caption(md(lang.ngettext(
        "The model's first choice matches what happened at {hits} of {n} checkpoint (all options) and "
        "{hits_settlements} of {n} among settlements of the border. A hit: the first-ranked option is one that "
        "moved; or nothing moved and no option was acceptable to both. \"Hit in draws\": the share of {draws} draws "
        "of the model's own weights, base terms and ceilings (from their plausible ranges; drivers and events as at "
        "that date) in which the verdict is still a hit. The Method page explains the misses.",
        "The model's first choice matches what happened at {hits} of {n} checkpoints (all options) and "
        "{hits_settlements} of {n} among settlements of the border. A hit: the first-ranked option is one that "
        "moved; or nothing moved and no option was acceptable to both. \"Hit in draws\": the share of {draws} draws "
        "of the model's own weights, base terms and ceilings (from their plausible ranges; drivers and events as at "
        "that date) in which the verdict is still a hit. The Method page explains the misses.", n).format(
            hits=hits, n=n, hits_settlements=hits_s, draws=i18n.number(data.TRACK_RECORD_DRAWS, language))))
    # The CSVs keep machine-readable ids as headers in every language (the track record adds its words in the
    # chosen language as <id>_ja / <id>_ru columns).
    files.csv_download(_("Track record (CSV)"), lambda: history.track_record_download(model, t, language),
                       "track-record", "_dl_track_record")
    files.csv_download(_("Scores at every checkpoint (CSV)"), scores, "history-scores", "_dl_history_scores")

    st.subheader(_("The checkpoints"))
    st.markdown("\n".join(
        "- " + _("**{checkpoint}** ({date}): {summary} *Next:* {next}").format(
            checkpoint=md(names[cp.id]), date=md(history.day(cp.date, language)),
            summary=md(text(cp, "summary", language)), next=md(text(cp.happened, "summary", language)))
        for cp in model.data.checkpoints))
    if ctx.as_of:
        st.caption(_("The sidebar starts from {checkpoint}; choose another date under *{control}*.").format(
            checkpoint=md(names[state.as_of(model).id]), control=md(_("Start from a date"))))
    checkpoint_drivers(ctx, names)


def checkpoint_drivers(ctx: state.Context, names: dict[str, str]) -> None:
    """Every driver's value at one checkpoint, with the source of that value: each number of the chart, traced."""
    model, language = ctx.model, ctx.lang
    st.subheader(_("The drivers at a checkpoint, and their sources"))
    ids = list(names)
    shown = st.session_state.get(state.ASOF) if st.session_state.get(state.ASOF) in names else ids[-1]
    cp_id = st.selectbox(_("Checkpoint"), ids, index=ids.index(shown), format_func=names.get,
                         key="_history_checkpoint")
    cp = next(c for c in model.data.checkpoints if c.id == cp_id)
    values, sources = history.start_values(model, cp), history.start_sources(model, cp, lang=language)
    before = history.start_values(model, model.data.checkpoints[ids.index(cp_id) - 1]) if ids.index(cp_id) else None
    units = model.assumptions["unit"]
    st.dataframe(pd.DataFrame({
        _("Driver"): [text(x, "label", language) for x in model.data.drivers.values()],
        _("Value"): [format_value(values[d], units[d], language) for d in model.data.drivers],
        _("Since the checkpoint before"): [
            "" if before is None or values[d] == before[d] else
            i18n.number(values[d] - before[d], language) if values[d] < before[d] else
            "+" + i18n.number(values[d] - before[d], language) for d in model.data.drivers],
        _("Source"): [sources[d] for d in model.data.drivers],
    }), hide_index=True, width="stretch", column_config={_("Source"): st.column_config.TextColumn(width="large")})


scenario_page(draw)
