"""The shared sidebar: prepared scenarios, reset, the option examined, one slider per driver, and the share box.

Created by the entry script on every run, so the values survive page switches. Each slider's key is its driver
id, which is also its URL parameter (``bind="query-params"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import i18n
from dashboard.i18n import N_
from dashboard.links import share_url
from dashboard.model import Model
from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.explain import format_value, option_labels
from dashboard.model.history import checkpoint_label, start_events
from dashboard.model.scenario import preset
from dashboard.model.schema import EVENT_GROUPS, text
from dashboard.ui import lang, state
from dashboard.ui.lang import _
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
    """Back to the chosen start point: its driver values and the events in force at it."""
    for d, v in state.start_point_values(model).items():
        st.session_state[d] = int(v)
    st.session_state[state.EVENTS] = start_events(state.as_of(model))


def _apply_as_of(model: Model) -> None:
    _reset(model)  # a new start point: every driver and event as at that date


EVENTS_BOX = "_events_box"  # open state of the events expander: its toggles are drawn only when it is open
EVENT_KEY = "_event_"  # + event id: a toggle's key (the set in force is kept under state.EVENTS)


def _toggle_event(event_id: str) -> None:
    on = set(st.session_state.get(state.EVENTS, frozenset()))
    (on.add if st.session_state.get(EVENT_KEY + event_id) else on.discard)(event_id)
    st.session_state[state.EVENTS] = frozenset(on)


def event_controls(model: Model, box) -> None:
    """The events since the op-ed, grouped, each a toggle with its date, in an expander drawn only when open.

    Closed, it sends only its label on a slider move, so slider reruns stay as cheap as before. A toggle reruns the
    whole app (as a prepared scenario does): it changes the model, not one driver.
    """
    if not model.data.events:
        return
    on = state.scenario_events(model)
    language = lang.current()
    listed = f" ({', '.join(text(model.data.events[e], 'label', language) for e in sorted(on))})" if on else ""
    box.caption(md(_("Events in force: {n} of {total}{listed}.").format(n=len(on), total=len(model.data.events),
                                                                         listed=listed))
                + " " + md(_("Change them under *Events since the op-ed*.")))
    exp = box.expander(_("Events since the op-ed"), icon=":material/event:", key=EVENTS_BOX, on_change="rerun")
    if not exp.open:
        return
    with exp:
        st.caption(_("Each event changes the model in its own terms (a hard limit, a shift of base terms, or a new "
                     "driver); the Why page shows each as its own term. The weights stay the op-ed's."))
        by_group: dict[str, list[str]] = {}
        for e_id, e in sorted(model.data.events.items(), key=lambda kv: (kv[1].date, kv[0])):
            by_group.setdefault(e.group, []).append(e_id)
        for group in EVENT_GROUPS:
            if group not in by_group:
                continue
            group_name = _(group)  # the groups are marked for the catalogs in schema.py (EVENT_GROUPS)
            st.markdown(f"**{md(group_name)}**")
            for e_id in by_group[group]:
                e = model.data.events[e_id]
                st.session_state[EVENT_KEY + e_id] = e_id in on
                when = f"{e.date:%d %b %Y}" if language == "en" else i18n.day(e.date, language)
                st.toggle(md(f"{text(e, 'label', language)} ({when})"), key=EVENT_KEY + e_id, on_change=_toggle_event,
                          args=(e_id,), help=md(f'"{e.quote}" ({render_refs(e.cite, model.data.sources, language)})'))


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
def slider_specs(_model: Model, fingerprint: str, language: str = "en") -> list[SliderSpec]:
    """Every driver's slider, worked out once per data version and language rather than on every rerun."""
    a = _model.assumptions
    _ = i18n.gettext_for(language)  # this function is cached per language: not the session's _()
    units = {"%": "%", "months": _("months"), "years": _("years")}
    specs = []
    for d in a.index:
        r = a.loc[d]
        x = _model.data.drivers[d]
        name = text(x, "label", language)
        unit = "0-100" if r["unit"].startswith("index") else units.get(r["unit"], r["unit"])
        if language == "en":
            label = name if unit.lower() in name.lower() else f"{name} ({unit})"
        else:  # the English test for a unit already named does not carry over; months and years are named there
            label = name if r["unit"] in ("months", "years") else f"{name} ({unit})"

        def value(v: float, r=r) -> str:
            return md(format_value(v, r["unit"], language))

        help_text = _("{description}\n\n2016 baseline: {baseline}. Source: {source}\n\nPlausible range for the "
                       "uncertainty analysis: {low} to {high}.").format(
            description=md(text(x, "description", language)), baseline=value(r["baseline"]),
            source=md(render_provenance(x.baseline_provenance, _model.data.sources, language)),
            low=value(r["low"]), high=value(r["high"]))
        if model_data_event := x.introduced_by:
            event = _model.data.events[model_data_event]
            when = f"{event.date:%B %Y}" if language == "en" else i18n.month(event.date, language)
            help_text += _("\n\nBrought in by the event {event} ({date}): it has no effect unless that event is "
                            "on.").format(event=md(text(event, "label", language)), date=when)
        specs.append(SliderSpec(d, text(x, "group", language), label, int(r["min"]), int(r["max"]),
                                int(r["baseline"]), int(r["step"]), help_text))
    return specs


def scenario_controls(model: Model, box) -> None:
    """Draw the sidebar's controls into ``box``: prepared scenarios, reset, the option examined, the sliders.

    Their values are read from session state by the page (:func:`state.scenario_values`), which is drawn first. A
    slider or the option reruns only the scenario fragment; a prepared scenario or reset reruns the whole app,
    because every slider must then show its new value.
    """
    presets = model.data.presets
    start = state.as_of(model)
    language = lang.current()
    if start is not None:
        cps = {cp.id: cp for cp in model.data.checkpoints}
        if st.session_state.get(state.ASOF) not in cps:
            st.session_state[state.ASOF] = start.id
        as_of_word = _("As of:")  # outside the f-string, where the catalogs' extractor sees it
        box.markdown(f"**{as_of_word}** {md(checkpoint_label(model, start, language))}")
        box.selectbox(_("Start from a date"), list(cps), key=state.ASOF, format_func=lambda c: checkpoint_label(
            model, cps[c], language), on_change=_apply_as_of, args=(model,),
            help=_("Sets every driver to its value at that date (with its source, data/history/) and the events "
                   "in force then. The model's weights stay the op-ed's: no per-date tuning."))
    box.selectbox(
        _("Load a prepared scenario"), list(presets), index=None, key=PRESET_PICK,
        format_func=lambda p: presets[p].title_in(lang.current()), placeholder=_("Choose a scenario…"),
        on_change=_apply_preset, args=(model,),
        help=_("Sets every driver to the scenario's values (the rest to 2016). Each scenario's note is on the "
               "Briefing page."),
    )
    start_name = checkpoint_label(model, start, language) if start is not None else _("2016 baseline")
    box.button(_("Reset to {start}").format(start=start_name), on_click=_reset,
               args=(model,), width="stretch", key="_reset",
               help=_("Puts every driver back to its value at the start point, and the events to those in force "
                      "then."))
    event_controls(model, box)
    labels = option_labels(model, language)
    if st.session_state.get(state.OPTION) not in labels:
        st.session_state[state.OPTION] = state.default_option(model)
    option = box.selectbox(_("Option to examine"), list(labels), format_func=labels.get, key=state.OPTION,
                           on_change=state.rerun_scenario,
                           help=_("The option the Why and Sensitivity pages explain; highlighted on the Briefing "
                                  "charts."))
    state.sync_param(state.OPTION, option, state.default_option(model))

    group = None
    # A slider's default is its value at the start point, so the address bar holds what differs from it (with
    # `asof`), and a link reopens at the same values.
    defaults = state.start_point_values(model)
    dormant = set(model.with_events(state.scenario_events(model)).dormant_drivers)
    for spec in slider_specs(model, model.data.fingerprint, language):
        if spec.group != group:
            group = spec.group
            box.markdown(f"**{md(group)}**")
        label = spec.label + (_(" · no effect: its event is off") if spec.driver in dormant else "")
        box.slider(label, spec.lo, spec.hi, int(defaults[spec.driver]), spec.step, key=spec.driver,
                   help=spec.help, bind="query-params", on_change=state.rerun_scenario)


SHARE_NOTE = N_("Pins every driver, the option, this page and the data version: it shows the same numbers even if the "
              "defaults change later. Select it with a triple click, or copy it from the box below.")


def share_box(ctx: state.Context, page_path: str, sb) -> None:
    """Complete links that reproduce this page exactly: pinning every driver, the option and the data version.

    Drawn into ``sb`` (a sidebar container) by the scenario fragment, so it follows every slider move. The link in
    view is plain text in a code span: a code block with a copy button loads a syntax highlighter that was measured
    to delay the first chart by 0.4 s when the page opens. The copy buttons are in the box below, drawn only when it
    is opened.
    """
    full = ctx.share_link(page_path, extra=st.session_state.get(state.PAGE_PARAMS, {}))
    # One element, where a heading, the link and a caption were three: the box is redrawn on every slider move.
    # The link holds only characters a URL encoder leaves (never a backtick), so the code span shows it as is.
    from dashboard.ui.library import saved_short_link  # here: the library's UI builds on the state module

    short = saved_short_link(ctx)  # the entry saved from this very view, in this session (no database call)
    # Outside the f-string, where the catalogs' extractor sees them.
    heading, note, short_word = _("Share this view"), _(SHARE_NOTE), _("Short link:")
    saved = f"\n\n{short_word} `{short}`" if short else ""
    sb.markdown(f"**{heading}**\n\n`{full}`{saved}\n\n:small[{note}]")
    links = sb.expander(_("Copy a link: this view, read-only, presenting"), key=LINKS_BOX, on_change="rerun")
    if not links.open:  # closed, only its label is sent on a slider move
        return
    with links:
        st.caption(_("This view:"))
        st.code(full, language=None, wrap_lines=True)
        st.caption(_("Read-only view for a phone or a tablet:"))
        st.code(ctx.share_link(page_path, view="viewer"), language=None, wrap_lines=True)
        st.caption(_("Presenter mode (large type, steps through the prepared scenarios):"))
        st.code(share_url(ctx.base_url, "", [("view", "present"), ("lang", ctx.lang)]), language=None,
                wrap_lines=True)
