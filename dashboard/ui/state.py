"""Per-session state: what the link asked for, the scenario in force, and the context handed to each page.

Everything here lives in ``st.session_state``, which belongs to one browser session: no user's scenario, overrides
or presenter step is visible to another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.links import (
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
    parse_link,
    query_for,
    read_number,
    read_span,
    share_url,
    version_note,
)
from dashboard.model import Model
from dashboard.model.explain import Explanation
from dashboard.ui import data

LINK, NOTICES, OVERRIDES, OPTION, PAGE_PARAMS, CONTEXT = (
    "_link", "_notices", "overrides", OPTION_PARAM, "_page_params", "_context")


def default_option(model: Model) -> str:
    """The option examined when a link names none: the op-ed's own recommendation if the data has it."""
    return "declaration_1956_plus_zone" if "declaration_1956_plus_zone" in model.option_ids else model.option_ids[0]


def page_specs(model: Model) -> dict[str, ParamSpec]:
    """The URL parameters the pages understand, with their choices and defaults."""
    drivers = tuple(model.driver_ids)
    scenarios = ("current", "baseline", *model.data.presets)
    return {
        "output": Choice(("moscow", "tokyo", "joint"), "tokyo"),
        "sweep_driver": Choice(drivers, "japan_public_support"),
        "grid_x": Choice(drivers, "japan_public_support"),
        "grid_y": Choice(drivers, "months_to_election"),
        "election_window": Span(0, int(model.assumptions.at["months_to_election", "max"]),
                                (0, int(model.assumptions.at["months_to_election", "max"]))),
        "draws": Choice(("1000", "5000", "20000"), "5000"),
        "seed": Whole(0, 999_999, 2016),
        "around": Choice(("2016", "scenario"), "2016"),
        "compare_a": Choice(scenarios, "current"),
        "compare_b": Choice(scenarios, "baseline"),
    }


def start(model: Model) -> Link:
    """On a session's first run, read the link once: seed the state it sets and note what it got wrong."""
    if LINK not in st.session_state:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        link = parse_link(raw, model, default_option(model), page_specs(model), len(model.data.presentation))
        st.session_state[LINK] = link
        st.session_state[OPTION] = link.option
        st.session_state[OVERRIDES] = dict(link.overrides)
        st.session_state[NOTICES] = [n for n in link.notices]
        st.session_state["_version_note"] = version_note(model, link.data_version)
        # Drop what the app does not understand, so the address bar holds only what it uses. Bound sliders
        # clean their own parameters.
        known = {*model.driver_ids, OPTION_PARAM, VIEW_PARAM, STEP_PARAM, VERSION_PARAM, *page_specs(model)}
        for name in raw:
            if name not in known and not name.startswith(OVERRIDE_PREFIX):
                del st.query_params[name]
    return st.session_state[LINK]


def settle_driver_notices(model: Model, link: Link, values: Mapping[str, float]) -> None:
    """After the sliders exist on the first run, make sure each driver notice states the value actually used."""
    if st.session_state.get("_settled"):
        return
    st.session_state["_settled"] = True
    notices = []
    flagged = set()
    for n in st.session_state[NOTICES]:
        if n.param in values and values[n.param] != link.values[n.param]:
            n = Notice(n.param, "could not be used as given", f"used {values[n.param]:g}")
        notices.append(n)
        flagged.add(n.param)
    for d in model.driver_ids:
        if d not in flagged and values[d] != link.values[d]:
            notices.append(Notice(d, "could not be used as given", f"used {values[d]:g}"))
    st.session_state[NOTICES] = notices


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
    raw = st.query_params.get_all(name)
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
    page = st.session_state.get("_page", "")
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

    @property
    def labels(self) -> dict[str, str]:
        return self.model.options["short_label"].to_dict()

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
        return share_url(self.base_url, page, query_for(self.values, option=self.option, view=view, extra=extra,
                                                        overrides=self.overrides, version=self.model.version))


def scenario_title(model: Model, values: Mapping[str, float]) -> str:
    """The name of the scenario in force: the file it was loaded from, a prepared scenario, or a description."""
    meta = st.session_state.get("_scenario_meta")
    if meta and meta[2] == values and meta[0]:
        return meta[0]
    for p in model.data.presets.values():
        if {**model.baseline, **p.drivers} == values:
            return p.title
    moved = sum(values[d] != b for d, b in model.baseline.items())
    return f"Custom scenario ({moved} driver{'s' if moved != 1 else ''} moved from 2016)"


def build_context(base_model: Model, values: Mapping[str, float], option: str, view: str,
                  data_problems: tuple[str, ...], base_url: str) -> Context:
    overrides = st.session_state.get(OVERRIDES, {})
    base_key = data.cache_key(base_model)
    try:
        model = data.with_overrides(base_model, base_key, data.items(overrides)) if overrides else base_model
    except ValueError:
        # Overrides that no longer fit the data (it changed under a running session) are dropped, not half-applied.
        st.session_state[OVERRIDES] = {}
        st.session_state.setdefault(NOTICES, []).append(
            Notice("overrides", "no longer valid for the data in use", "returned to the data's weights"))
        model = base_model
    key = data.cache_key(model)
    values = {d: float(values[d]) for d in model.driver_ids}
    explanation = data.explanation(model, key, data.items(values))
    ctx = Context(model, base_model, key, values, option, view, explanation, data_problems, base_url,
                  scenario_title(model, values))
    st.session_state[CONTEXT] = ctx
    return ctx


def context() -> Context:
    """The context the entry script built for this run."""
    return st.session_state[CONTEXT]
