"""The shared sidebar: prepared scenarios, reset, the option examined, one slider per driver, and the share box.

Created by the entry script on every run, so the values survive page switches. Each slider's key is its driver
id, which is also its URL parameter (``bind="query-params"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.links import share_url
from dashboard.model import Model
from dashboard.model.explain import format_value
from dashboard.model.scenario import preset
from dashboard.ui import state
from dashboard.ui.text import md

PRESET_PICK = "_preset_pick"
LINKS_BOX = "_links_box"  # open state of the share box's "Links for stakeholders and for presenting"


def _apply_preset(model: Model) -> None:
    preset_id = st.session_state.get(PRESET_PICK)
    if preset_id:
        for d, v in preset(model, preset_id).drivers.items():
            st.session_state[d] = int(v)
    st.session_state[PRESET_PICK] = None  # the picker is an action, not a state: the sliders show the result


def _reset(model: Model) -> None:
    for d, v in model.baseline.items():
        st.session_state[d] = int(v)


@dataclass(frozen=True)
class SliderSpec:
    driver: str
    group: str
    label: str
    lo: int
    hi: int
    baseline: int
    step: int
    help: str


@st.cache_data(max_entries=8, show_spinner=False)
def slider_specs(_model: Model, fingerprint: str) -> list[SliderSpec]:
    """Every driver's slider, worked out once per data version rather than on every rerun."""
    a = _model.assumptions
    specs = []
    for d in a.index:
        r = a.loc[d]
        unit = "0-100" if r["unit"].startswith("index") else r["unit"]
        label = r["label"] if unit.lower() in r["label"].lower() else f"{r['label']} ({unit})"
        help_text = (f"{md(r['description'])}\n\n2016 baseline: {md(format_value(r['baseline'], r['unit']))}. "
                     f"Source: {md(r['source'])}\n\nPlausible range for the uncertainty analysis: "
                     f"{md(format_value(r['low'], r['unit']))} to {md(format_value(r['high'], r['unit']))}.")
        specs.append(SliderSpec(d, r["group"], label, int(r["min"]), int(r["max"]), int(r["baseline"]),
                                int(r["step"]), help_text))
    return specs


def scenario_controls(model: Model, box) -> None:
    """Draw the sidebar's controls into ``box``: prepared scenarios, reset, the option examined, the sliders.

    Their values are read from session state by the page (:func:`state.scenario_values`), which is drawn first. A
    slider or the option reruns only the scenario fragment; a prepared scenario or reset reruns the whole app,
    because every slider must then show its new value.
    """
    presets = model.data.presets
    box.selectbox(
        "Load a prepared scenario", list(presets), index=None, key=PRESET_PICK,
        format_func=lambda p: presets[p].title, placeholder="Choose a scenario…",
        on_change=_apply_preset, args=(model,),
        help="Sets every driver to the scenario's values (the rest to 2016). Each scenario's note is on the "
             "Briefing page.",
    )
    box.button("Reset to 2016 baseline", on_click=_reset, args=(model,), width="stretch", key="_reset",
               help="Puts every driver back to its value in October 2016.")
    labels = model.option_labels
    if st.session_state.get(state.OPTION) not in labels:
        st.session_state[state.OPTION] = state.default_option(model)
    option = box.selectbox("Option to examine", list(labels), format_func=labels.get, key=state.OPTION,
                           on_change=state.rerun_scenario,
                           help="The option the Why and Sensitivity pages explain; highlighted on the Briefing "
                                "charts.")
    state.sync_param(state.OPTION, option, state.default_option(model))

    group = None
    for spec in slider_specs(model, model.data.fingerprint):
        if spec.group != group:
            group = spec.group
            box.markdown(f"**{md(group)}**")
        box.slider(spec.label, spec.lo, spec.hi, spec.baseline, spec.step, key=spec.driver, help=spec.help,
                   bind="query-params", on_change=state.rerun_scenario)


def share_box(ctx: state.Context, page_path: str, sb) -> None:
    """Complete links that reproduce this page exactly: pinning every driver, the option and the data version.

    Drawn into ``sb`` (a sidebar container) by the scenario fragment, so it follows every slider move. The link in
    view is plain text in a code span: a code block with a copy button loads a syntax highlighter that was measured
    to delay the first chart by 0.4 s when the page opens. The copy buttons are in the box below, drawn only when it
    is opened.
    """
    full = ctx.share_link(page_path, extra=st.session_state.get(state.PAGE_PARAMS, {}))
    sb.markdown("**Share this view**")
    # The link holds only characters a URL encoder leaves (never a backtick), so the code span shows it as is.
    sb.markdown(f"`{full}`")
    sb.caption("Pins every driver, the option, this page and the data version: it shows the same numbers "
               "even if the defaults change later. Select it with a triple click, or copy it from the box below.")
    links = sb.expander("Copy a link: this view, read-only, presenting", key=LINKS_BOX, on_change="rerun")
    if not links.open:  # closed, only its label is sent on a slider move
        return
    with links:
        st.caption("This view:")
        st.code(full, language=None, wrap_lines=True)
        st.caption("Read-only view for a phone or a tablet:")
        st.code(ctx.share_link(page_path, view="viewer"), language=None, wrap_lines=True)
        st.caption("Presenter mode (large type, steps through the prepared scenarios):")
        st.code(share_url(ctx.base_url, "", [("view", "present")]), language=None, wrap_lines=True)
