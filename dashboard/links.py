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

import datetime as dt
import math
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard import i18n
from dashboard.i18n import N_, Message
from dashboard.model.engine import Model
from dashboard.model.history import checkpoint_label, find_checkpoint, start_events, start_values
from dashboard.model.schema import changes_in, text

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
    """One thing a link got wrong: the parameter, what was wrong, and what was used instead.

    ``problem`` and ``used`` are :class:`~dashboard.i18n.Message` s (their ``str`` is the English), so the notice
    is shown in the reader's language at the time (:meth:`text`); the parameter's name is shown as the link has it.
    """

    param: str
    problem: str
    used: str

    def text(self, lang: str = i18n.DEFAULT) -> str:
        """The notice in ``lang``: "lang: not a language this dashboard speaks (en, ja or ru); showed English."."""
        return i18n.gettext_for(lang)(_NOTICE).format(
            param=i18n.translated(self.param, lang), problem=i18n.translated(self.problem, lang),
            used=i18n.translated(self.used, lang))

    def __str__(self) -> str:
        return self.text()


_NOTICE = N_("{param}: {problem}; {used}.")  # one notice: the parameter as the link has it, then the words


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
    return name if _SAFE_NAME.fullmatch(name) else Message(N_("(a parameter with an unreadable name)"))


def _quotable(raw: str) -> bool:
    """Whether a raw value is fit to quote in a notice: only a plain short number, since notices are rendered."""
    return bool(_CANONICAL.fullmatch(raw)) and len(raw) <= 12


def _given(n: int) -> Message:
    return Message(N_("given {n} times"), n=n)


def read_number(raw: Sequence[str], lo: float, hi: float) -> tuple[int | None, Message | None]:
    """Read a whole-number slider parameter the way Streamlit's URL binding does.

    Returns (value or None when unusable, problem or None when the text was a plain valid number).
    """
    parts = [p for p in raw if p != ""]
    if not parts:
        return None, Message(N_("empty"))
    if len(parts) > 1:
        return None, _given(len(parts))
    text = parts[0]
    try:
        f = float(text)
    except ValueError:
        return None, Message(N_("not a number") if len(text) <= 200 else N_("not a number (and far too long)"))
    if math.isnan(f) or (math.isinf(f) and "inf" in text.lower()):
        return None, Message(N_("not a finite number"))
    if not lo <= f <= hi:  # a number too large for a float is also outside
        if _quotable(text):
            return None, Message(N_("outside {lo} to {hi} ({raw})"), lo=f"{lo:g}", hi=f"{hi:g}", raw=text)
        return None, Message(N_("outside {lo} to {hi}"), lo=f"{lo:g}", hi=f"{hi:g}")
    value = int(f)
    if f != value:
        return value, Message(N_("between steps ({raw})"), raw=text) if _quotable(text) else \
            Message(N_("between steps"))
    if not _CANONICAL.fullmatch(text):
        return value, Message(N_("written in an unusual form"))
    return value, None


def read_span(raw: Sequence[str], spec: Span) -> tuple[tuple[int, int] | None, Message | None]:
    parts = [p for p in raw if p != ""]
    if len(parts) != 2:
        return None, Message(N_("needs two values (start and end)"))
    ends = []
    for p in parts:
        v, problem = read_number([p], spec.lo, spec.hi)
        if v is None:
            return None, problem
        ends.append(v)
    lo, hi = sorted(ends)
    return (lo, hi), Message(N_("reversed")) if ends[0] > ends[1] else None


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

    def each_language(label, *args) -> dict[str, str]:  # a data label in every language, for a Message
        return {lang: label(*args, lang) for lang in i18n.LANGUAGES}

    # The start point first: drivers the link leaves out, and the events unless it names them, come from it.
    cps = model.data.checkpoints
    start = cps[0] if cps else None
    if ASOF_PARAM in params:
        one = [str(r) for r in params[ASOF_PARAM] if r]
        problem = None if len(one) == 1 else _given(len(one)) if one else Message(N_("empty"))
        if problem is None:
            try:
                start = find_checkpoint(model, one[0])
            except ValueError:
                problem = _start_problem(model, one[0])
        if problem is not None:
            note(ASOF_PARAM, problem, Message(N_("started from {start}"), start=each_language(
                checkpoint_label, model, start)) if start else Message(N_("ignored it")))
    as_of = start.id if start else None
    values = start_values(model, start)
    events = start_events(start)
    if EVENTS_PARAM in params:
        events, problem = read_events(params[EVENTS_PARAM], model)
        if problem:
            if events is None:
                events = start_events(start)
                kept = Message(N_("used the start point's events ({events})"), events=", ".join(sorted(events))) \
                    if events else Message(N_("used the start point's events (none)"))
            else:
                kept = Message(N_("kept {events}"), events=", ".join(sorted(events))) if events else \
                    Message(N_("kept none"))
            note(EVENTS_PARAM, problem, kept)
    given: set[str] = set()
    option, view, step, version = default_option, "full", 1, None
    overrides: dict[str, float] = {}
    page_params: dict[str, object] = {}
    from_start = N_("used the 2016 baseline, {value}") if start is None or start is cps[0] else \
        N_("used its value at the start point, {value}")
    lang = None

    for name, raw in params.items():
        raw = [str(r) for r in raw]
        if name in (ASOF_PARAM, EVENTS_PARAM):
            continue  # read above
        if name in values:
            lo, hi = a.at[name, "min"], a.at[name, "max"]
            v, problem = read_number(raw, lo, hi)
            if v is None:
                note(name, problem, Message(from_start, value=f"{values[name]:g}"))
            else:
                values[name] = float(v)
                given.add(name)
                if problem:
                    note(name, problem, Message(N_("used {value}"), value=f"{v:g}"))
        elif name == OPTION_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and one[0] in model.option_ids:
                option = one[0]
            else:
                why = _given(len(one)) if len(one) > 1 else Message(N_("not a known option"))
                note(name, why, Message(N_("used {value}"), value=each_language(
                    text, model.data.options[default_option], "short_label")))
        elif name == VIEW_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and one[0] in VIEWS:
                view = one[0]
            else:
                note(name, Message(N_("not a known view (full, viewer or present)")),
                     Message(N_("showed the full app")))
        elif name == STEP_PARAM:
            v, problem = read_number(raw, 1, steps)
            if v is None:
                note(name, problem, Message(N_("started at step 1")))
            else:
                step = v
        elif name == LANG_PARAM:
            one = [r for r in raw if r]
            if len(one) == 1 and i18n.known(one[0]):
                lang = one[0]
            else:
                lang = i18n.DEFAULT
                why = _given(len(one)) if len(one) > 1 else \
                    Message(N_("not a language this dashboard speaks (en, ja or ru)"))
                note(name, why, Message(N_("showed English")))
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
                note(name, Message(N_("not a valid override of a model weight")),
                     Message(N_("kept the data's value")))
            else:
                overrides[key] = value
        elif name in page_specs:
            spec = page_specs[name]
            if isinstance(spec, Choice):
                one = [r for r in raw if r]
                if len(one) == 1 and one[0] in spec.choices:
                    page_params[name] = one[0]
                else:
                    note(name, Message(N_("not one of the choices")), Message(N_("used {value}"),
                                                                               value=spec.default))
            elif isinstance(spec, Whole):
                v, problem = read_number(raw, spec.lo, spec.hi)
                if v is None:
                    note(name, problem, Message(N_("used {value}"), value=spec.default))
                else:
                    page_params[name] = v
                    if problem:
                        note(name, problem, Message(N_("used {value}"), value=v))
            else:
                span, problem = read_span(raw, spec)
                if span is None:
                    note(name, problem, Message(N_("used {lo} to {hi}"), lo=spec.default[0], hi=spec.default[1]))
                else:
                    page_params[name] = span
                    if problem:
                        note(name, problem, Message(N_("used {lo} to {hi}"), lo=span[0], hi=span[1]))
        else:
            note(name, Message(N_("not a parameter this dashboard knows")), Message(N_("ignored it")))
    if version is not None:
        # A pinned link (it carries the data version) made before a driver existed leaves it out: say so.
        for d, x in model.data.drivers.items():
            if x.introduced_by and d not in params:
                note(d, Message(N_("not in this link (made before this driver existed)")),
                     Message(from_start, value=f"{values[d]:g}"))
    return Link(values, frozenset(given), option, view, step, overrides, page_params, version, tuple(notices),
                as_of, frozenset(events), lang)


_CANONICAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _start_problem(model: Model, ref: str) -> Message:
    """Why ``asof`` names no checkpoint (find_checkpoint refused it). The text is quoted only when it is a plain
    date: notices are shown on the page."""
    cps = model.data.checkpoints
    if not cps:
        return Message(N_("this data has no dated checkpoints"))
    if not _CANONICAL_DATE.fullmatch(ref):
        return Message(N_("not a checkpoint or a date"))
    try:
        day = dt.date.fromisoformat(ref)
    except ValueError:
        return Message(N_("{date} is neither a checkpoint id nor a date (YYYY-MM-DD)"), date=ref)
    return Message(N_("{date} is before the first checkpoint ({first}, the op-ed)"), date=day.isoformat(),
                   first=cps[0].date.isoformat())


def read_events(raw: Sequence[str], model: Model) -> tuple[frozenset[str] | None, Message | None]:
    """Read the ``events`` parameter: ids joined by commas, or "none".

    Returns (events or None when unusable, problem or None). Unknown ids are dropped (the known ones are kept).
    """
    parts = [str(p) for p in raw if p != ""]
    if not parts:
        return None, Message(N_("empty"))
    if len(parts) > 1:
        return None, _given(len(parts))
    if parts[0] == NO_EVENTS:
        return frozenset(), None
    ids = [i.strip() for i in parts[0].split(",") if i.strip()]
    known = [i for i in ids if i in model.data.events]
    unknown = [i for i in ids if i not in model.data.events]
    if unknown:
        shown = ", ".join(i for i in unknown if _SAFE_NAME.fullmatch(i))
        many = len(unknown) > 1  # no number is written, so two forms are enough in every language
        if shown:
            what = N_("unknown events ({ids}) ignored") if many else N_("unknown event ({ids}) ignored")
            return frozenset(known), Message(what, ids=shown)
        return frozenset(known), Message(N_("unknown events ignored") if many else N_("unknown event ignored"))
    return frozenset(known), None


def events_value(events: Iterable[str]) -> str:
    """The ``events`` parameter for a set of event ids (sorted, so equal sets give equal links)."""
    events = sorted(events)
    return ",".join(events) if events else NO_EVENTS


def version_note(model: Model, version: str | None) -> Message | None:
    """What changed in the data since the version a link was made with, or None when it is current.

    A :class:`~dashboard.i18n.Message`: its ``str`` is the English, ``.text(lang)`` the reader's language.
    """
    if version is None or version == model.version:
        return None
    entries = model.data.manifest.changelog
    known = [e.version for e in entries]
    newer = entries[: known.index(version)] if version in known else entries
    # Each language's own list of the changes (data/manifest.yaml gives them in every language).
    changes = {lang: "; ".join(c for e in newer for c in changes_in(e, lang)) for lang in i18n.LANGUAGES}
    shown = version if _SAFE_NAME.fullmatch(version) else Message(N_("an unknown version"))
    return Message(N_("This link was made with data version {version}; the dashboard now uses {current}. The link "
                      "pins every driver, but the model's own numbers may differ. Changes since: {changes}"),
                   version=shown, current=model.version, changes=changes)


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
