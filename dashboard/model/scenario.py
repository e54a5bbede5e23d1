"""Scenario files: a scenario's driver values, title, note, coefficient overrides and data version, as YAML or JSON.

The format (``kuril-scenario/1``)::

    format: kuril-scenario/1          # optional
    data_version: "2016.2"            # optional; refused when it differs from the data in use
    title: Snap election next month   # optional
    note: Why this scenario matters   # optional
    ja: {title: ..., note: ...}       # optional: the title and note in Japanese (and `ru:` in Russian)
    option: declaration_1956          # optional: the option the scenario is about
    drivers:                          # driver id -> value; drivers left out take their 2016 baseline
      months_to_election: 1
    overrides:                        # optional: parameter key -> value (see Model.parameters)
      weight.tokyo.japan_public_support.declaration_1956: 4
    as_of: 2022-03-suspension         # optional: the start point, a checkpoint id or a date (data/history/);
                                      # drivers left out then take its values, and its events are in force
    events: [amendment_2020]          # optional: the events in force (default: the start point's)

A file made with an older data version (one in data/manifest.yaml's changelog) still opens, with a notice of what
changed; a driver added since (brought in by an event) takes its value at the start point, with a notice.

A file is accepted whole or refused whole: :func:`parse_scenario` lists every problem at once, in the language it
is given (``lang``; English by default, as the command line shows them). The fields' names stay as the file has them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from dashboard import i18n
from dashboard.model.engine import Model
from dashboard.model.history import find_checkpoint, start_events, start_values
from dashboard.model.loader import parse_yaml
from dashboard.model.parameters import override_problems
from dashboard.model.schema import changes_in

FORMAT = "kuril-scenario/1"
MAX_BYTES = 64 * 1024  # a full scenario with every override is under 20 KB
LANGS = ("ja", "ru")  # the languages a scenario's title and note may be given in besides English
_KEYS = {"format", "data_version", "title", "note", "option", "drivers", "overrides", "as_of", "events", *LANGS}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` names each problem, one line each."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Scenario:
    """A complete scenario: a value for every driver, plus its description and any overrides."""

    drivers: dict[str, float]
    title: str = ""
    note: str = ""
    overrides: dict[str, float] = field(default_factory=dict)
    option: str | None = None
    data_version: str | None = None
    as_of: str | None = None  # checkpoint id the scenario starts from
    events: frozenset[str] = frozenset()  # the events in force
    notices: tuple[str, ...] = ()  # what was filled in or has changed since the file was made (it still opened)
    # The title and note in the other languages: {"ja": (title, note), ...}; a missing one reads as the English.
    translated: dict[str, tuple[str, str]] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, or the English one when the scenario has none in that language."""
        return self.translated.get(lang, (self.title, self.note))[0] or self.title

    def note_in(self, lang: str) -> str:
        """The note in ``lang``, or the English one when the scenario has none in that language."""
        return self.translated.get(lang, (self.title, self.note))[1] or self.note


def baseline_scenario(model: Model) -> Scenario:
    first = model.data.checkpoints[0].id if model.data.checkpoints else None
    return Scenario(model.baseline, title="October 2016 baseline", data_version=model.version, as_of=first)


def preset(model: Model, preset_id: str) -> Scenario:
    """A scenario shipped in ``data/scenarios/``: its values on top of the 2016 baseline."""
    p = model.data.presets[preset_id]
    return Scenario({**model.baseline, **p.drivers}, p.title, p.note, data_version=model.version,
                    translated=dict(p.translated))


def on_step(value: float, lo: float, step: float) -> bool:
    """Whether a value sits on a slider's grid (within float noise)."""
    k = (value - lo) / step
    return abs(k - round(k)) < 1e-6


def _kind(raw: Any, _: i18n.Gettext) -> str:
    """What a value in a file is, in words ("text", "a list", ...)."""
    if isinstance(raw, str):
        return _("text")
    if isinstance(raw, bool):
        return _("a true/false value")
    if isinstance(raw, (int, float)):
        return _("a number")
    if isinstance(raw, list):
        return _("a list")
    if isinstance(raw, Mapping):
        return _("a mapping")
    if raw is None:
        return _("nothing")
    return type(raw).__name__


def _number_problem(where: str, raw: Any, _: i18n.Gettext) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return _("{where}: {value} is {kind}, not a number").format(where=where, value=repr(raw),
                                                                     kind=_kind(raw, _))
    if not math.isfinite(raw):
        return _("{where}: {value} is not a finite number").format(where=where, value=repr(raw))
    return None


def too_large(size: int, lang: str = i18n.DEFAULT) -> str:
    """The problem of a file over :data:`MAX_BYTES` (``size`` in bytes), in ``lang``."""
    return i18n.gettext_for(lang)("the file is {size} KB; the limit is {limit} KB").format(
        size=f"{size / 1024:.0f}", limit=MAX_BYTES // 1024)


def _decode(content: bytes | str, source: str, _: i18n.Gettext, lang: str) -> Any:
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > MAX_BYTES:
        raise ScenarioError(source, [too_large(len(content), lang)])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(source, [_("not a text file (expected YAML or JSON in UTF-8)")]) from None
    try:
        return json.loads(text) if source.lower().endswith(".json") else parse_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        # The parser's own words say where and what (they stay as the parser wrote them).
        detail = getattr(e, "problem", None) or getattr(e, "msg", None) or str(e)
        what = _("not valid JSON: {detail}") if source.lower().endswith(".json") else \
            _("not valid YAML or JSON: {detail}")
        raise ScenarioError(source, [what.format(detail=detail)]) from None


def checkpoint_problem(model: Model, ref: str, lang: str = i18n.DEFAULT) -> str:
    """Why ``ref`` names no checkpoint (``find_checkpoint`` refused it), in ``lang``."""
    _ = i18n.gettext_for(lang)
    cps = model.data.checkpoints
    if not cps:
        return _("this data has no dated checkpoints (data/history/)")
    try:
        day = dt.date.fromisoformat(ref)
    except (TypeError, ValueError):
        return _("{ref} is neither a checkpoint id nor a date (YYYY-MM-DD); checkpoints: {ids}").format(
            ref=repr(ref[:40]), ids=", ".join(cp.id for cp in cps))
    return _("{date} is before the first checkpoint ({first}, the op-ed)").format(
        date=day.isoformat(), first=cps[0].date.isoformat())




def parse_scenario(content: bytes | str, model: Model, source: str = "scenario", *, as_of: str | None = None,
                   events: frozenset[str] | None = None, lang: str = i18n.DEFAULT) -> Scenario:
    """Read a scenario file (YAML or JSON) and check it against ``model``; raise ``ScenarioError`` if unusable.

    ``source`` names the file in messages; a name ending in ``.json`` is parsed as strict JSON. ``as_of`` and
    ``events``, when given (the command line's ``--as-of`` and ``--events``), replace the file's own. ``lang``: the
    language of the problems and notices (the fields' names in them stay as in the file).
    """
    _ = i18n.gettext_for(lang)
    raw = _decode(content, source, _, lang)
    if not isinstance(raw, Mapping):
        raise ScenarioError(source, [_("expected a mapping with a `drivers` section, found {kind}").format(
            kind=_kind(raw, _))])
    problems: list[str] = []
    for key in raw:
        if key not in _KEYS:
            problems.append(_("unknown field {key} (known: {known})").format(key=repr(key),
                                                                              known=", ".join(sorted(_KEYS))))
    for key in ("format", "data_version", "title", "note", "option"):
        v = raw.get(key)
        if v is not None and not isinstance(v, str):
            problems.append(_("{key}: expected text, found {kind}").format(key=key, kind=_kind(v, _)))
    if raw.get("format") not in (None, FORMAT):
        problems.append(_("format: {value} is not {format}").format(value=repr(raw["format"]), format=repr(FORMAT)))
    translated: dict[str, tuple[str, str]] = {}
    for code in LANGS:
        block = raw.get(code)
        if block is None:
            continue
        if not isinstance(block, Mapping):
            problems.append(_("{key}: expected a mapping with `title` and `note`, found {kind}").format(
                key=code, kind=_kind(block, _)))
            continue
        bad = [_("{key}: unknown field (known: note, title)").format(key=f"{code}.{k}") for k in block
               if k not in ("title", "note")]
        bad += [_("{key}: expected text, found {kind}").format(key=f"{code}.{k}", kind=_kind(block[k], _))
                for k in ("title", "note") if block.get(k) is not None and not isinstance(block[k], str)]
        problems += bad
        if not bad:
            translated[code] = (block.get("title") or "", block.get("note") or "")
    version = raw.get("data_version")
    notices: list[str] = []
    known_versions = [e.version for e in model.data.manifest.changelog]
    if isinstance(version, str) and version != model.version:
        if version in known_versions:
            changes = "; ".join(c for e in model.data.manifest.changelog[: known_versions.index(version)]
                                for c in changes_in(e, lang))
            notices.append(_("made with data version {version}; this dashboard has {current}. Changes since: "
                             "{changes}").format(version=version, current=model.version, changes=changes))
        else:
            problems.append(_("data_version: made with data version {version}, this dashboard has {current}").format(
                version=version, current=model.version))

    start = model.data.checkpoints[0] if model.data.checkpoints else None
    start_raw = as_of if as_of is not None else raw.get("as_of")
    if start_raw is not None:
        if isinstance(start_raw, dt.date):
            start_raw = start_raw.isoformat()  # YAML reads 2022-03-21 as a date
        if not isinstance(start_raw, str):
            problems.append(_("as_of: expected a checkpoint id or a date, found {kind}").format(
                kind=_kind(start_raw, _)))
        else:
            try:
                start = find_checkpoint(model, start_raw)
            except ValueError:
                problems.append(_("{where}: {problem}").format(where="as_of",
                                                                problem=checkpoint_problem(model, start_raw, lang)))
    chosen_events = start_events(start)
    events_raw = raw.get("events") if events is None else sorted(events)
    if events_raw is not None:
        if not isinstance(events_raw, list) or not all(isinstance(e, str) for e in events_raw):
            problems.append(_("events: expected a list of event ids"))
        else:
            unknown = [e for e in events_raw if e not in model.data.events]
            if unknown:
                problems.append(_("events: unknown event(s) {ids}; known: {known}").format(
                    ids=", ".join(unknown), known=", ".join(model.data.events) or _("none")))
            else:
                chosen_events = frozenset(events_raw)

    drivers_raw = raw.get("drivers", {})
    values = start_values(model, start)
    if not isinstance(drivers_raw, Mapping):
        problems.append(_("drivers: expected a mapping of driver id to value, found {kind}").format(
            kind=_kind(drivers_raw, _)))
        drivers_raw = {}
    a = model.assumptions
    for key, v in drivers_raw.items():
        where = f"drivers.{key}"
        if key not in values:
            problems.append(_("{where}: unknown driver").format(where=where))
            continue
        bad = _number_problem(where, v, _)
        lo, hi, step = a.at[key, "min"], a.at[key, "max"], a.at[key, "step"]
        if bad:
            problems.append(bad)
        elif not lo <= v <= hi:
            problems.append(_("{where}: {value} is outside the allowed range {lo} to {hi}").format(
                where=where, value=f"{v:g}", lo=f"{lo:g}", hi=f"{hi:g}"))
        elif not on_step(v, lo, step):
            problems.append(_("{where}: {value} is not on the slider's step of {step}").format(
                where=where, value=f"{v:g}", step=f"{step:g}"))
        else:
            values[key] = float(v)

    overrides_raw = raw.get("overrides", {}) or {}
    overrides: dict[str, float] = {}
    if not isinstance(overrides_raw, Mapping):
        problems.append(_("overrides: expected a mapping of parameter key to value, found {kind}").format(
            kind=_kind(overrides_raw, _)))
    else:
        for key, v in overrides_raw.items():
            bad = _number_problem(f"overrides.{key}", v, _)
            if bad:
                problems.append(bad)
                continue
            try:
                model.with_overrides({key: v})
            except ValueError as e:
                problems += override_problems(model.parameters, model.data, {key: v}, lang) or [
                    str(e).removeprefix("Invalid overrides: ")]
            else:
                overrides[key] = float(v)

    option = raw.get("option")
    if isinstance(option, str) and option not in model.option_ids:
        problems.append(_("option: unknown option {option}").format(option=repr(option)))
    if problems:
        raise ScenarioError(source, problems)
    if isinstance(version, str) and isinstance(drivers_raw, Mapping):
        # A saved file pins every driver; one it lacks was added since (a driver an event brings in).
        for d, x in model.data.drivers.items():
            if x.introduced_by and d not in drivers_raw:
                notices.append(_("{where}: not in the file (added after it was made); used {value}").format(
                    where=f"drivers.{d}", value=f"{values[d]:g}"))
    return Scenario(values, raw.get("title") or "", raw.get("note") or "", overrides, option, version,
                    start.id if start else None, chosen_events, tuple(notices), translated)


def scenario_document(scenario: Scenario, model: Model) -> dict[str, Any]:
    """The scenario as a plain mapping in file order, pinning every driver and the data version."""
    doc: dict[str, Any] = {"format": FORMAT, "data_version": model.version}
    if scenario.title:
        doc["title"] = scenario.title
    if scenario.note:
        doc["note"] = scenario.note
    for lang, (title, note) in sorted(scenario.translated.items()):
        doc[lang] = {k: v for k, v in (("title", title), ("note", note)) if v}
    if scenario.option:
        doc["option"] = scenario.option
    if scenario.as_of:
        doc["as_of"] = scenario.as_of
    if model.data.events:
        doc["events"] = sorted(scenario.events)
    doc["drivers"] = {d: _plain(scenario.drivers[d]) for d in model.driver_ids}
    doc["overrides"] = {k: _plain(v) for k, v in sorted(scenario.overrides.items())}
    return doc


def _plain(v: float) -> int | float:
    return int(v) if float(v).is_integer() else float(v)


def dump_scenario(scenario: Scenario, model: Model, fmt: str = "yaml") -> str:
    """The scenario file's text, YAML or JSON."""
    doc = scenario_document(scenario, model)
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    raise ValueError(f"Unknown format {fmt!r}; choose 'yaml' or 'json'.")
