"""Compare: two scenarios side by side, and the change in each option's scores."""

import pandas as pd
import streamlit as st

from dashboard.charts import compare as charts
from dashboard.model.explain import format_value
from dashboard.model.history import checkpoint_label, find_checkpoint, start_events, start_values
from dashboard.model.scenario import preset
from dashboard.model.schema import text
from dashboard.ui import data, files, library, state
from dashboard.ui.lang import _, current
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def values_of(ctx: state.Context, choice: str) -> dict[str, float]:
    """The driver values of a scenario the page can compare: the current one, 2016, a prepared one or a date."""
    if choice == "current":
        return ctx.values
    if choice == "baseline":
        return ctx.model.baseline
    if choice in ctx.model.data.presets:
        return preset(ctx.model, choice).drivers
    if choice in library.comparable(ctx.model):  # a saved scenario picked on the Library page
        return library.comparable(ctx.model)[choice][1].values
    return start_values(ctx.model, find_checkpoint(ctx.model, choice))


def scores_of(ctx: state.Context, choice: str, values: dict[str, float]):
    """A scenario's scores with its own events: the sidebar's for the current one, a date's for a checkpoint, none
    for 2016 and the prepared scenarios (which were written for the op-ed's world)."""
    saved = library.comparable(ctx.model).get(choice)
    if choice == "current":
        model = ctx.model
    elif saved:  # a saved scenario with its own overrides and events
        model = ctx.base_model.with_overrides(saved[1].overrides).with_events(saved[1].events)
    else:
        cp = next((c for c in ctx.model.data.checkpoints if c.id == choice), None)
        model = ctx.model.with_events(start_events(cp))
    return data.explanation(model, data.cache_key(model), data.items(values)).scores


def draw(ctx: state.Context) -> None:
    model = ctx.model
    as_of, from_library = _("As of {date}"), _("Library: {title}")
    titles = {"current": _("Current scenario (sidebar)"), "baseline": _("October 2016 baseline"),
              **{p: v.title_in(current()) for p, v in model.data.presets.items()},
              **{cp.id: as_of.format(date=checkpoint_label(model, cp, ctx.lang)) for cp in model.data.checkpoints[1:]},
              **{k: from_library.format(title=title) for k, (title, _unused) in library.comparable(model).items()}}

    header(ctx, _("Compare"), _("Two scenarios side by side: the current one, a prepared one, the 2016 baseline or "
           "the state at a later date (its drivers and the events then in force), e.g. two dates."))
    ca, cb = st.columns(2)
    with ca:
        a = state.page_choice(model, _("Scenario A"), "compare_a", list(titles), titles.get)
    with cb:
        b = state.page_choice(model, _("Scenario B"), "compare_b", list(titles), titles.get)
    for name, choice in (("compare_a", a), ("compare_b", b)):
        if choice.startswith("lib:"):  # only this session knows it: links keep the page's own choices
            state.sync_param(name, state.page_specs(model)[name].default, state.page_specs(model)[name].default)
            st.session_state.get(state.PAGE_PARAMS, {}).pop(name, None)
    va, vb = values_of(ctx, a), values_of(ctx, b)
    sa, sb = scores_of(ctx, a, va), scores_of(ctx, b, vb)
    chart(charts.side_by_side(sa, sb, titles[a], titles[b], ctx.labels, lang=ctx.lang), key="compare_side_by_side")
    chart(charts.changes(sa, sb, ctx.labels, lang=ctx.lang), key="compare_changes")
    files.csv_download(_("Both scenarios' scores (CSV)"),
                       lambda: sa.add_suffix("_a").join(sb.add_suffix("_b")).reset_index(), f"compare-{a}-{b}",
                       "_dl_compare")

    st.subheader(_("Where the assumptions differ"))
    assumptions = ctx.assumptions
    differ = [d for d in model.driver_ids if va[d] != vb[d]]
    if differ:
        st.dataframe(pd.DataFrame({
            _("Assumption"): [text(model.data.drivers[d], "label", ctx.lang) for d in differ],
            "A": [format_value(va[d], assumptions.at[d, "unit"], ctx.lang) for d in differ],
            "B": [format_value(vb[d], assumptions.at[d, "unit"], ctx.lang) for d in differ],
        }), hide_index=True, width="stretch")
    else:
        st.markdown(md(_("The two scenarios set every driver alike.")))


scenario_page(draw)
