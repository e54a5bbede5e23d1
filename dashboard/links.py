"""Shared links: URL query parameters to a scenario, and a scenario back to a link. Pure Python, no Streamlit.

The address bar holds the page and every driver that differs from its 2016 baseline (one parameter per driver,
named by its id, kept there by Streamlit's ``bind="query-params"``), plus ``option`` and the page's own choices.
A "share" link pins every driver, the option, the view and the data version (``v``), so that it keeps its meaning
when a default changes later.

Any string in any parameter gives a usable scenario: a value that cannot be used is replaced by a sensible one
(the baseline, or the nearest step below) and a :class:`Notice` says what and why. Driver values are read exactly as
Streamlit's URL binding reads them (one value, ``float()``, inside the scale, then whole units), so the stakeholder
and presenter views, which have no sliders, show the same numbers as the full app for the same link.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard import i18n
from dashboard.model.engine import Model
from dashboard.model.history import checkpoint_label, find_checkpoint, start_events, start_values

VIEWS = ("full", "viewer", "present")
VIEW_PARAM, OPTION_PARAM, STEP_PARAM, VERSION_PARAM = "view", "option", "step", "v"
ASOF_PARAM, EVENTS_PARAM = "asof", "events"  # a checkpoint id or date; event ids joined by commas, or "none"
NO_EVENTS = "none"
LANG_PARAM = "lang"  # the interface's language: en, ja or ru (dashboard/i18n.py)
OVERRIDE_PREFIX = "o."  # o.<parameter key>=<value>: an analyst's override of a model weight
_CANONICAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII only: \d would admit other scripts' digits
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,60}")


@dataclass(frozen=True)
class Choice:
    """A page parameter that takes one of a fixed set of ids."""

    choices: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Whole:
    """A page parameter that takes a whole number in [lo, hi]."""

    lo: int
    hi: int
    default: int


@dataclass(frozen=True)
class Span:
    """A page parameter that takes a range of whole numbers lo..hi (given twice: ``?p=2&p=30``)."""

    lo: int
    hi: int
    default: tuple[int, int]


ParamSpec = Choice | Whole | Span


@dataclass(frozen=True)
class Notice:
    """One thing a link got wrong: the parameter, what was wrong, and what was used instead."""

    param: str
    problem: str
    used: str

    def __str__(self) -> str:
        return f"{self.param}: {self.problem}; {self.used}."


@dataclass(frozen=True)
class Link:
    """What a link asks for, after every correction."""

    values: dict[str, float]  # every driver
    given: frozenset[str]  # the drivers the link set to a usable value
    option: str
    view: str
    step: int  # presenter step, 1-based
    overrides: dict[str, float]
    page_params: dict[str, object]  # valid page choices, by parameter name
    data_version: str | None  # the version the link was made with, when it says
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    as_of: str | None = None  # the checkpoint the scenario starts from (None: data with no history)
    events: frozenset[str] = frozenset()  # the events in force
    lang: str | None = None  # the language the link asks for (None: it names none; the browser's may be used)


def safe_name(name: str) -> str:
    """A parameter name fit to show: as given if it is plain, else a neutral stand-in (never markup)."""
    return name if _SAFE_NAME.fullmatch(name) else "(a parameter with an unreadable name)"


def _shown(raw: str) -> str:
    """A raw value fit to quote in a notice: only when it is a plain short number, since notices are rendered."""
    return f" ({raw})" if _CANONICAL.fullmatch(raw) and len(raw) <= 12 else ""


def read_number(raw: Sequence[str], lo: float, hi: float) -> tuple[int | None, str | None]:
    """Read a whole-number slider parameter the way Streamlit's URL binding does.

    Returns (value or None when unusable, problem or None when the text was a plain valid number).
    """
    parts = [p for p in raw if p != ""]
    if not parts:
        return None, "empty"
    if len(parts) > 1:
        return None, f"given {len(parts)} times"
    text = parts[0]
    try:
        f = float(text)
    except ValueError:
        return None, "not a number" if len(text) <= 200 else "not a number (and far too long)"
    if math.isnan(f) or (math.isinf(f) and "inf" in text.lower()):
        return None, "not a finite number"
    if not lo <= f <= hi:  # a number too large for a float is also outside
        return None, f"outside {lo:g} to {hi:g}{_shown(text)}"
    value = int(f)
    if f != value:
        return value, f"between steps{_shown(text)}"
    if not _CANONICAL.fullmatch(text):
        return value, "written in an unusual form"
    return value, None


def read_span(raw: Sequence[str], spec: Span) -> tuple[tuple[int, int] | None, str | None]:
    parts = [p for p in raw if p != ""]
    if len(parts) != 2:
        return None, "needs two values (start and end)"
    ends = []
    for p in parts:
        v, problem = read_number([p], spec.lo, spec.hi)
        if v is None:
            return None, problem
        ends.append(v)
    lo, hi = sorted(ends)
    return (lo, hi), "reversed" if ends[0] > ends[1] else None


def parse_link(params: Mapping[str, Sequence[str]], model: Model, default_option: str,
               page_specs: Mapping[str, ParamSpec] | None = None, steps: int = 1) -> Link:
    """Turn raw query parameters (name -> every value given) into a scenario, never raising.

    ``page_specs`` names the parameters the pages understand; ``steps`` is the presenter sequence's length.
    """
    page_specs = page_specs or {}
    notices: list[Notice] = []
    a = model.assumptions

    def note(param: str, problem: str, used: str) -> None:
        notices.append(Notice(safe_name(param), problem, used))

    # The start point first: drivers the link leaves out, and the events unless it names them, come from it.
    cps = model.data.checkpoints
    start = cps[0] if cps else None
    if ASOF_PARAM in params:
        one = [str(r) for r in params[ASOF_PARAM] if r]
        try:
            if len(one) != 1:
                raise ValueError(f"given {len(one)} times" if one else "empty")
            start = find_checkpoint(model, one[0])
        except ValueError as e:
            # Quote the text only when it is a plain date: notices are shown on the page.
            dated = len(one) == 1 and _CANONICAL_DATE.fullmatch(one[0])
            problem = str(e).split(";")[0] if dated else ("not a checkpoint or a date" if len(one) == 1 else str(e))
            note(ASOF_PARAM, problem, f"started from {checkpoint_label(model, start)}" if start else "ignored it")
    as_of = start.id if start else None
    values = start_values(model, start)
    events = start_events(start)
    if EVENTS_PARAM in params:
        events, problem = read_events(params[EVENTS_PARAM], model)
        if problem:
            if events is None:
                events = start_events(start)
                kept = "used the start point's events" + (f" ({', '.join(sorted(events))})" if events else " (none)")
            else:
                kept = f"kept {', '.join(sorted(events)) or 'none'}"
            note(EVENTS_PARAM, problem, kept)
    given: set[str] = set()
    option, view, step, version = default_option, "full", 1, None
    overrides: dict[str, float] = {}
    page_params: dict[str, object] = {}
    start_word = "the 2016 baseline" if start is None or start is cps[0] else "its value at the start point"
    lang = None

    for name, raw in params.items():
        raw = [str(r) for r in raw]
        if name in (ASOF_PARAM, EVENTS_PARAM):
            continue  # read above
        if name in values:
            lo, hi = a.at[name, "min"], a.at[name, "max"]
            v, problem = read_number(raw, lo, hi)
            if v is None:
                note(name, problem, f"used {start_word}, {values[name]:g}")
            else:
                values[name] = float(v)
                given.add(name)
                if problem:
                    note(name, problem, f"used {v:g}")
        elif name == OPTION_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and one[0] in model.option_ids:
                option = one[0]
            else:
                why = f"given {len(one)} times" if len(one) > 1 else "not a known option"
                note(name, why, f"used {model.options.at[default_option, 'short_label']}")
        elif name == VIEW_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and one[0] in VIEWS:
                view = one[0]
            else:
                note(name, "not a known view (full, viewer or present)", "showed the full app")
        elif name == STEP_PARAM:
            v, problem = read_number(raw, 1, steps)
            if v is None:
                note(name, problem, "started at step 1")
            else:
                step = v
        elif name == LANG_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and i18n.known(one[0]):
                lang = one[0]
            else:
                lang = i18n.DEFAULT
                why = f"given {len(one)} times" if len(one) > 1 else "not a language this dashboard speaks"
                note(name, f"{why} (en, ja or ru)", "showed English")
        elif name == VERSION_PARAM:
            one = [r for r in raw if r]
            version = one[0][:40] if one else None
        elif name.startswith(OVERRIDE_PREFIX):
            key = name[len(OVERRIDE_PREFIX):]
            one = [r for r in raw if r]
            try:
                if len(one) != 1:
                    raise ValueError
                value = float(one[0])
                model.with_overrides({key: value})
            except ValueError:
                note(name, "not a valid override of a model weight", "kept the data's value")
            else:
                overrides[key] = value
        elif name in page_specs:
            spec = page_specs[name]
            if isinstance(spec, Choice):
                one = [r for r in raw if r]
                if len(one) == 1 and one[0] in spec.choices:
                    page_params[name] = one[0]
                else:
                    note(name, "not one of the choices", f"used {spec.default}")
            elif isinstance(spec, Whole):
                v, problem = read_number(raw, spec.lo, spec.hi)
                if v is None:
                    note(name, problem, f"used {spec.default}")
                else:
                    page_params[name] = v
                    if problem:
                        note(name, problem, f"used {v}")
            else:
                span, problem = read_span(raw, spec)
                if span is None:
                    note(name, problem, f"used {spec.default[0]} to {spec.default[1]}")
                else:
                    page_params[name] = span
                    if problem:
                        note(name, problem, f"used {span[0]} to {span[1]}")
        else:
            note(name, "not a parameter this dashboard knows", "ignored it")
    if version is not None:
        # A pinned link (it carries the data version) made before a driver existed leaves it out: say so.
        for d, x in model.data.drivers.items():
            if x.introduced_by and d not in params:
                note(d, "not in this link (made before this driver existed)", f"used {start_word}, {values[d]:g}")
    return Link(values, frozenset(given), option, view, step, overrides, page_params, version, tuple(notices),
                as_of, frozenset(events), lang)


_CANONICAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_events(raw: Sequence[str], model: Model) -> tuple[frozenset[str] | None, str | None]:
    """Read the ``events`` parameter: ids joined by commas, or "none".

    Returns (events or None when unusable, problem or None). Unknown ids are dropped (the known ones are kept).
    """
    parts = [str(p) for p in raw if p != ""]
    if not parts:
        return None, "empty"
    if len(parts) > 1:
        return None, f"given {len(parts)} times"
    if parts[0] == NO_EVENTS:
        return frozenset(), None
    ids = [i.strip() for i in parts[0].split(",") if i.strip()]
    known = [i for i in ids if i in model.data.events]
    unknown = [i for i in ids if i not in model.data.events]
    if unknown:
        shown = ", ".join(i for i in unknown if _SAFE_NAME.fullmatch(i))
        what = f"unknown event{'s' if len(unknown) > 1 else ''}" + (f" ({shown})" if shown else "")
        return frozenset(known), f"{what} ignored"
    return frozenset(known), None


def events_value(events: Iterable[str]) -> str:
    """The ``events`` parameter for a set of event ids (sorted, so equal sets give equal links)."""
    events = sorted(events)
    return ",".join(events) if events else NO_EVENTS


def version_note(model: Model, version: str | None) -> str | None:
    """What changed in the data since the version a link was made with, or None when it is current."""
    if version is None or version == model.version:
        return None
    entries = model.data.manifest.changelog
    known = [e.version for e in entries]
    newer = entries[: known.index(version)] if version in known else entries
    changes = "; ".join(c for e in newer for c in e.changes)
    shown = version if _SAFE_NAME.fullmatch(version) else "an unknown version"
    return (f"This link was made with data version {shown}; the dashboard now uses {model.version}. "
            f"The link pins every driver, but the model's own numbers may differ. Changes since: {changes}")


def query_for(values: Mapping[str, float], option: str | None = None, view: str = "full",
              extra: Mapping[str, object] | None = None, overrides: Mapping[str, float] | None = None,
              version: str | None = None, as_of: str | None = None,
              events: Iterable[str] | None = None, lang: str | None = None) -> list[tuple[str, str]]:
    """Query parameters pinning a whole scenario, in a stable order."""
    q: list[tuple[str, str]] = []
    if view != "full":
        q.append((VIEW_PARAM, view))
    if lang:
        q.append((LANG_PARAM, lang))
    if as_of:
        q.append((ASOF_PARAM, as_of))
    if events is not None:
        q.append((EVENTS_PARAM, events_value(events)))
    q += [(k, _number(v)) for k, v in values.items()]
    if option:
        q.append((OPTION_PARAM, option))
    for k, v in (extra or {}).items():
        q += [(k, _number(x)) for x in v] if isinstance(v, (tuple, list)) else [(k, _number(v))]
    q += [(OVERRIDE_PREFIX + k, _number(v)) for k, v in sorted((overrides or {}).items())]
    if version:
        q.append((VERSION_PARAM, version))
    return q


def share_url(base: str, page: str, query: Iterable[tuple[str, str]]) -> str:
    """A complete link: the app's address, the page's path and the query."""
    root = base.rstrip("/")
    path = f"/{page}" if page else "/"
    return f"{root}{path}?{urllib.parse.urlencode(list(query))}"


def _number(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
