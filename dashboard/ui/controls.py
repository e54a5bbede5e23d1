"""The shared sidebar: prepared scenarios, reset, the option examined, one slider per driver, and the share box.

Created by the entry script on every run, so the values survive page switches. Each slider's key is its driver
id, which is also its URL parameter (``bind="query-params"``).
"""

from __future__ import annotations

import streamlit as st

from dashboard.links import query_for, share_url
from dashboard.model import Model
from dashboard.model.explain import format_value
from dashboard.model.scenario import preset
from dashboard.ui import state
from dashboard.ui.text import md

PRESET_PICK = "_preset_pick"


def _apply_preset(model: Model) -> None:
    preset_id = st.session_state.get(PRESET_PICK)
    if preset_id:
        for d, v in preset(model, preset_id).drivers.items():
            st.session_state[d] = int(v)
    st.session_state[PRESET_PICK] = None  # the picker is an action, not a state: the sliders show the result


def _reset(model: Model) -> None:
    for d, v in model.baseline.items():
        st.session_state[d] = int(v)


def slider_label(model: Model, driver: str) -> str:
    a = model.assumptions.loc[driver]
    unit = "0-100" if a["unit"].startswith("index") else a["unit"]
    return a["label"] if unit.lower() in a["label"].lower() else f"{a['label']} ({unit})"


def slider_help(model: Model, driver: str) -> str:
    a = model.assumptions.loc[driver]
    return (f"{md(a['description'])}\n\n2016 baseline: {md(format_value(a['baseline'], a['unit']))}. "
            f"Source: {md(a['source'])}\n\nPlausible range for the uncertainty analysis: "
            f"{md(format_value(a['low'], a['unit']))} to {md(format_value(a['high'], a['unit']))}.")


def scenario_controls(model: Model) -> tuple[dict[str, float], str]:
    """Draw the sidebar's controls; return the driver values and the option examined."""
    sb = st.sidebar
    presets = model.data.presets
    sb.selectbox(
        "Load a prepared scenario", list(presets), index=None, key=PRESET_PICK,
        format_func=lambda p: presets[p].title, placeholder="Choose a scenario…",
        on_change=_apply_preset, args=(model,),
        help="Sets every driver to the scenario's values (the rest to 2016). Each scenario's note is on the "
             "Briefing page.",
    )
    sb.button("Reset to 2016 baseline", on_click=_reset, args=(model,), width="stretch", key="_reset",
              help="Puts every driver back to its value in October 2016.")
    labels = model.options["label"].to_dict()
    if st.session_state.get(state.OPTION) not in labels:
        st.session_state[state.OPTION] = state.default_option(model)
    option = sb.selectbox("Option to examine", list(labels), format_func=labels.get, key=state.OPTION,
                          help="The option the Why and Sensitivity pages explain; highlighted on the Briefing charts.")
    state.sync_param(state.OPTION, option, state.default_option(model))

    values: dict[str, float] = {}
    a = model.assumptions
    for group, members in a.groupby("group", sort=False):
        sb.markdown(f"**{md(group)}**")
        for d in members.index:
            values[d] = sb.slider(
                slider_label(model, d), int(a.at[d, "min"]), int(a.at[d, "max"]), int(a.at[d, "baseline"]),
                int(a.at[d, "step"]), key=d, help=slider_help(model, d), bind="query-params",
            )
    return values, option


def share_box(ctx: state.Context, page_path: str, base_url: str) -> None:
    """Complete links that reproduce this page exactly: pinning every driver, the option and the data version."""
    sb = st.sidebar
    extra = st.session_state.get(state.PAGE_PARAMS, {})
    common = dict(option=ctx.option, overrides=ctx.overrides, version=ctx.model.version)
    full = share_url(base_url, page_path, query_for(ctx.values, extra=extra, **common))
    sb.markdown("**Share this view**")
    sb.code(full, language=None, wrap_lines=True)
    sb.caption("Pins every driver, the option, this page and the data version: it shows the same numbers "
               "even if the defaults change later.")
    with sb.expander("Links for stakeholders and for presenting"):
        st.caption("Read-only view for a phone or a tablet:")
        st.code(share_url(base_url, page_path, query_for(ctx.values, view="viewer", **common)), language=None,
                wrap_lines=True)
        st.caption("Presenter mode (large type, steps through the prepared scenarios):")
        st.code(share_url(base_url, "", [("view", "present")]), language=None, wrap_lines=True)
