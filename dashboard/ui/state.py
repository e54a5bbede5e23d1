"""Per-session state: what the link asked for, the scenario in force, and the context handed to each page.

Everything here lives in ``st.session_state``, which belongs to one browser session: no user's scenario, overrides
or presenter step is visible to another.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit import config as st_config

from dashboard.i18n import N_, Message
from dashboard.library import SHORT_PARAM
from dashboard.links import (
    ASOF_PARAM,
    EVENTS_PARAM,
    LANG_PARAM,
    OPTION_PARAM,
    OVERRIDE_PREFIX,
    STEP_PARAM,
    VERSION_PARAM,
    VIEW_PARAM,
    Choice,
    Link,
    Notice,
    ParamSpec,
    Span,
    Whole,
    events_value,
    parse_link,
    query_for,
    read_number,
    read_span,
    share_url,
    version_note,
)
from dashboard.model import Model
from dashboard.model.explain import Explanation, option_labels
from dashboard.model.history import find_checkpoint, start_events, start_values
from dashboard.ui import data, lang

LINK, NOTICES, OVERRIDES, OPTION, PAGE_PARAMS, CONTEXT = (
    "_link", "_notices", "overrides", OPTION_PARAM, "_page_params", "_context")
# The fragment that draws everything a scenario change touches: the page and the sidebar's file and share boxes.
SCENARIO_FRAGMENT = "scenario"
PAGE, SIDEBAR_TAIL = "_page", "_sidebar_tail"
# The start point (a checkpoint id; the "As of" box's key and URL parameter) and the events in force. Events are kept
# under a key of their own, not the toggles' keys: the toggles sit in a lazy expander and are not always drawn, and a
# widget that is not drawn loses its value.
ASOF, EVENTS = ASOF_PARAM, "_events"
SHORT_PAGE_PARAMS = "_short_page_params"  # the page choices a short link's entry pinned (not in the address bar)


def default_option(model: Model) -> str:
    """The option examined when a link names none: the op-ed's own recommendation if the data has it."""
    return "declaration_1956_plus_zone" if "declaration_1956_plus_zone" in model.option_ids else model.option_ids[0]


def page_specs(model: Model) -> dict[str, ParamSpec]:
    """The URL parameters the pages understand, with their choices and defaults."""
    drivers = tuple(model.driver_ids)
    scenarios = ("current", "baseline", *model.data.presets, *(cp.id for cp in model.data.checkpoints))
    return {
        "output": Choice(("moscow", "tokyo", "joint"), "tokyo"),
        "analysis": Choice(("tornado", "sweep", "grid", "election"), "tornado"),
        "sweep_driver": Choice(drivers, "japan_public_support"),
        "grid_x": Choice(drivers, "japan_public_support"),
        "grid_y": Choice(drivers, "months_to_election"),
        "election_window": Span(0, int(model.assumptions.at["months_to_election", "max"]),
                                (0, int(model.assumptions.at["months_to_election", "max"]))),
        "draws": Choice(("1000", "5000", "20000"), "5000"),
        "seed": Whole(0, 999_999, 2016),
        "around": Choice(("2016", "scenario"), "2016"),
        "draw": Choice(("drivers", "drivers_and_model"), "drivers"),
        "compare_a": Choice(scenarios, "current"),
        "compare_b": Choice(scenarios, "baseline"),
        "tour": Choice(("scenarios", "dates"), "scenarios"),  # presenter mode: prepared scenarios, or the dates
    }


def start(model: Model) -> Link:
    """On a session's first run, read the link once: seed the state it sets and note what it got wrong."""
    if LINK not in st.session_state:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        from dashboard.ui import library  # here: the library's UI builds on this module

        params, short_notice = library.open_short_link(raw)  # ?s=<id>: the saved scenario's pinned query
        link = parse_link(params, model, default_option(model), page_specs(model),
                          max(len(model.data.presentation), len(model.data.checkpoints)))
        st.session_state[LINK] = link
        st.session_state[OPTION] = link.option
        st.session_state[ASOF] = link.as_of
        st.session_state[EVENTS] = frozenset(link.events)
        st.session_state[lang.LANG] = lang.start_language(link.lang)
        if link.view == "full":
            # The sliders start from the link as parse_link read it (rounded, checked), not from Streamlit's own
            # reading of the URL: the page is drawn before the sliders (so its charts reach the browser first) and
            # must show the values the sliders will hold.
            for d in model.driver_ids:
                st.session_state[d] = int(link.values[d])
        st.session_state[OVERRIDES] = dict(link.overrides)
        st.session_state[NOTICES] = [n for n in link.notices] + ([short_notice] if short_notice else [])
        st.session_state[SHORT_PAGE_PARAMS] = {k: v for k, v in params.items() if k in page_specs(model)} \
            if SHORT_PARAM in raw else {}
        st.session_state["_version_note"] = version_note(model, link.data_version)
        # Drop what the app does not understand, so the address bar holds only what it uses. Bound sliders
        # clean their own parameters.
        known = {*model.driver_ids, OPTION_PARAM, VIEW_PARAM, STEP_PARAM, VERSION_PARAM, ASOF_PARAM, EVENTS_PARAM,
                 LANG_PARAM, *page_specs(model)}
        if link.view != "full":  # no controls there: the address keeps the short id, so a reload shows the same
            known.add(SHORT_PARAM)
        for name in raw:
            if name not in known and not name.startswith(OVERRIDE_PREFIX):
                del st.query_params[name]
        if SHORT_PARAM in raw and link.view == "full":
            # The saved scenario goes into the address bar as an ordinary link (the sliders are not bound yet), so
            # a reload or a copy of the address shows it too, and moving a slider changes it as usual.
            for name, values in params.items():
                if name in known or name.startswith(OVERRIDE_PREFIX):
                    st.query_params[name] = values if len(values) > 1 else values[0]
    return st.session_state[LINK]



def as_of(model: Model):
    """The checkpoint the sidebar starts from (None when the data has no history)."""
    cp_id = st.session_state.get(ASOF)
    if not model.data.checkpoints:
        return None
    try:
        return find_checkpoint(model, cp_id) if cp_id else model.data.checkpoints[0]
    except ValueError:  # the data changed under a running session and the checkpoint is gone
        return model.data.checkpoints[0]


def start_point_values(model: Model) -> dict[str, float]:
    """Every driver's value at the chosen start point: where Reset goes, and the sliders' defaults."""
    return start_values(model, as_of(model))


def scenario_events(model: Model) -> frozenset[str]:
    """The events in force in this session (only those the data still defines)."""
    return frozenset(st.session_state.get(EVENTS, frozenset())) & set(model.data.events)


def scenario_values(model: Model) -> dict[str, float]:
    """The sidebar's driver values in force (read from session state, so the page can be drawn before the sliders)."""
    start = start_point_values(model)
    return {d: float(st.session_state.get(d, start[d])) for d in model.driver_ids}


def rerun_scenario() -> None:
    """A sidebar control's callback: redraw only what the scenario touches, not the sidebar's other controls.

    The control already shows its new value in the browser; the page and the share box are all that change.
    Under AppTest the whole app reruns instead: AppTest rebuilds its element tree from each run's messages alone,
    so after a fragment-only run it would forget the sidebar (and the widget values it sends back). The browser
    tests cover the fragment path.
    """
    if st_config.get_option("global.appTest"):  # AppTest patches this module's get_option, not st.get_option
        return
    st.rerun(SCENARIO_FRAGMENT)


def sync_param(name: str, value: object, default: object) -> None:
    """Keep a non-slider choice in the address bar: present when it differs from its default, absent otherwise.

    Streamlit's binding would store a select box's label rather than its id; ids keep links short and stable.
    """
    if isinstance(value, (tuple, list)):
        want = [str(v) for v in value] if tuple(value) != tuple(default) else None
        have = st.query_params.get_all(name) or None
    else:
        want = str(value) if value != default else None
        have = st.query_params.get(name)
    if want is None:
        if have is not None:
            del st.query_params[name]
    elif have != want:
        st.query_params[name] = want


def page_param(model: Model, name: str) -> object:
    """The initial value of a page's own choice: from the address bar if it holds a valid one, else the default."""
    spec = page_specs(model)[name]
    raw = st.query_params.get_all(name) or st.session_state.get(SHORT_PAGE_PARAMS, {}).get(name)
    if raw:
        if isinstance(spec, Choice) and len(raw) == 1 and raw[0] in spec.choices:
            return raw[0]
        if isinstance(spec, Whole):
            v, _ = read_number(raw, spec.lo, spec.hi)
            if v is not None:
                return v
        if isinstance(spec, Span):
            v, _ = read_span(raw, spec)
            if v is not None:
                return v
    return spec.default


def remember_page_param(name: str, value: object, default: object) -> None:
    """Record a page's choice for the share link, and keep it in the address bar."""
    st.session_state.setdefault(PAGE_PARAMS, {})[name] = value
    sync_param(name, value, default)


def seed_page_param(model: Model, name: str, options: list | None = None) -> None:
    """Give a page control its starting value when it first appears on this page: the link's, else the default.

    Two pages may share a control's name (both have "output"); a value left by the other page is not this one's.
    """
    owners = st.session_state.setdefault("_param_page", {})
    page = current_page()
    value = st.session_state.get(name)
    if owners.get(name) != page or value is None or (options is not None and value not in options):
        first = page_param(model, name)
        st.session_state[name] = first if options is None or first in options else options[0]
    owners[name] = page


def page_choice(model: Model, label: str, name: str, options: list, format_func=str, widget=None, **kw):
    """A page control whose value starts from the link and is kept in the address bar under ``name``."""
    spec = page_specs(model)[name]
    seed_page_param(model, name, options)
    value = (widget or st.selectbox)(label, options, key=name, format_func=format_func, **kw)
    remember_page_param(name, value, spec.default)
    return value


@dataclass(frozen=True)
class Context:
    """What every page needs for this run: the model in force and the scenario, with its results."""

    model: Model  # with the session's overrides applied
    base_model: Model  # the data as it is, without overrides
    key: tuple  # identifies the model's numbers, for caches
    values: dict[str, float]
    option: str
    view: str
    explanation: Explanation
    data_problems: tuple[str, ...]
    base_url: str  # the app's own address, for complete links
    title: str  # the scenario's name: a prepared scenario's, a loaded file's, or a description
    as_of: str | None = None  # the checkpoint the scenario starts from
    events: frozenset[str] = frozenset()  # the events in force (also ``model.events``)
    lang: str = "en"  # the interface's language (dashboard/i18n.py)

    @property
    def labels(self) -> Mapping[str, str]:
        """Option id -> short label, in the interface's language."""
        if self.lang == "en":
            return self.model.short_labels  # built once per model
        return option_labels(self.model, self.lang, "short_label")

    @property
    def option_labels(self) -> dict[str, str]:
        """Option id -> full label, in the interface's language."""
        return option_labels(self.model, self.lang)

    @property
    def items(self) -> tuple:
        return data.items(self.values)

    @property
    def overrides(self) -> dict[str, float]:
        return self.model.overrides

    @property
    def assumptions(self) -> pd.DataFrame:
        return self.model.assumptions

    def scenario_title(self) -> str:
        return self.title

    def share_link(self, page: str = "", view: str = "full", extra: Mapping[str, object] | None = None) -> str:
        """A complete link to this scenario, pinning every driver, the option, the overrides and the data version."""
        return share_url(self.base_url, page, query_for(
            self.values, option=self.option, view=view, extra=extra, overrides=self.overrides,
            version=self.model.version, as_of=self.as_of,
            events=self.events if self.model.data.events else None, lang=self.lang))


def scenario_title(model: Model, values: Mapping[str, float]) -> str:
    """The name of the scenario in force: the file it was loaded from, a prepared scenario, or a description."""
    meta = st.session_state.get("_scenario_meta")
    if meta and meta[2] == values and meta[0]:
        return meta[0]
    for p in model.data.presets.values():
        if {**model.baseline, **p.drivers} == values:
            return p.title_in(lang.current())
    moved = sum(values[d] != b for d, b in model.baseline.items())
    return lang.ngettext("Custom scenario ({n} driver moved from 2016)",
                         "Custom scenario ({n} drivers moved from 2016)", moved).format(n=moved)


def build_context(base_model: Model, values: Mapping[str, float], option: str, view: str,
                  data_problems: tuple[str, ...], base_url: str, events: frozenset[str] = frozenset(),
                  as_of_id: str | None = None) -> Context:
    overrides = st.session_state.get(OVERRIDES, {})
    base_key = data.cache_key(base_model)
    try:
        model = data.with_overrides(base_model, base_key, data.items(overrides)) if overrides else base_model
    except ValueError:
        # Overrides that no longer fit the data (it changed under a running session) are dropped, not half-applied.
        st.session_state[OVERRIDES] = {}
        st.session_state.setdefault(NOTICES, []).append(
            Notice("overrides", Message(N_("no longer valid for the data in use")),
                   Message(N_("returned to the data's weights"))))
        model = base_model
    events = frozenset(events) & set(base_model.data.events)
    if events:
        model = data.with_events(model, data.cache_key(model), tuple(sorted(events)))
    key = data.cache_key(model)
    values = {d: float(values[d]) for d in model.driver_ids}
    language = lang.current()
    explanation = data.explanation(model, key, data.items(values), language)
    ctx = Context(model, base_model, key, values, option, view, explanation, data_problems, base_url,
                  scenario_title(model, values), as_of_id, events, language)
    st.session_state[CONTEXT] = ctx
    return ctx


def context() -> Context:
    """The context built for this run."""
    return st.session_state[CONTEXT]


def base_url(page_url_path: str) -> str:
    """The app's own address (scheme, host, port and any base path), from the address the browser used."""
    url = st.context.url or "http://localhost:8501/"
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if page_url_path and path.endswith("/" + page_url_path):
        path = path[: -len(page_url_path) - 1]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def start_full_view(page_url_path: str, sidebar_tail) -> None:
    """Note, for the scenario fragment, the page shown and the sidebar container its file and share boxes go in.

    The container is the one this full run created; a fragment rerun writes into it again, in place.
    """
    st.session_state[PAGE] = page_url_path
    st.session_state[SIDEBAR_TAIL] = sidebar_tail


def current_page() -> str:
    """The url path of the page shown ("" for the default page)."""
    return st.session_state.get(PAGE, "")


def sidebar_tail():
    """The sidebar container below the controls, for the file and share boxes."""
    return st.session_state[SIDEBAR_TAIL]


def scenario_context() -> Context:
    """The context of the full app, from the sidebar's values in session state (the sliders may not be drawn yet)."""
    loaded = data.current_model()  # never None here: the full run that drew the page had a valid model
    model = loaded.model
    st.session_state[PAGE_PARAMS] = {}
    start = as_of(model)
    events = scenario_events(model)
    # The address bar holds the start point and the events when they differ from the op-ed's and the start's.
    if model.data.checkpoints:
        sync_param(ASOF_PARAM, start.id, model.data.checkpoints[0].id)
        sync_param(EVENTS_PARAM, events_value(events), events_value(start_events(start)))
    return build_context(model, scenario_values(model), st.session_state[OPTION], "full", loaded.problems,
                         base_url(current_page()), events, start.id if start else None)
