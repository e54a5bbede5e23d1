"""Read and validate ``data/``: every file, and every reference from one file to another.

A problem is reported as ``DataError`` naming the file, the record and the field, with every problem found rather
than the first, so that whoever edits the data can fix them in one pass.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from dashboard.model import schema
from dashboard.model.citations import parse_ref

# The project's data/, unless $KURIL_DATA names another folder (a deployment's own data, or a test's copy).
DEFAULT_DATA_DIR = Path(os.environ.get("KURIL_DATA") or Path(__file__).resolve().parents[2] / "data")


class DataError(ValueError):
    """The data folder is missing a file or holds an invalid one. ``problems`` lists each as one line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Invalid data:\n" + "\n".join(f"- {p}" for p in problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; in a data file that silently drops a number, so refuse it."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str | bytes) -> Any:
    """Parse YAML safely, refusing repeated keys. Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def _read(path: Path, problems: list[str]) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except UnicodeDecodeError:
        problems.append(f"{path.name}: not UTF-8 text")
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problems.append(f"{path.name}: not valid YAML{where}: {getattr(e, 'problem', None) or e}")
    return None


def _pydantic_problems(file: str, e: ValidationError, prefix: str = "", raw: Any = None) -> list[str]:
    out = []
    for err in e.errors():
        where = list(err["loc"])
        # A record of a top-level list (calibration.yaml) is named by its id, not its position.
        if isinstance(raw, list) and where and isinstance(where[0], int) and where[0] < len(raw):
            record = raw[where[0]]
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                where[0] = record["id"]
        loc = ".".join(str(x) for x in (prefix, *where) if x != "")
        msg = err["msg"].removeprefix("Value error, ")
        out.append(f"{file}: {loc or '(top level)'}: {msg}")
    return out


def _validate(file: str, raw: Any, kind: Any, problems: list[str]) -> Any:
    try:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind.model_validate(raw)
        return TypeAdapter(kind).validate_python(raw)
    except ValidationError as e:
        problems.extend(_pydantic_problems(file, e, raw=raw))
    return None


@dataclass(frozen=True)
class ScenarioPreset:
    """A named scenario shipped in ``data/scenarios/``: the drivers it sets (the rest stay at baseline)."""

    id: str
    title: str
    note: str
    drivers: dict[str, float]
    # The title and note in the other languages: {"ja": (title, note), "ru": (title, note)}.
    translated: dict[str, tuple[str, str]] = dc_field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (English for English or a language the data does not have)."""
        return self.translated.get(lang, (self.title, self.note))[0]

    def note_in(self, lang: str) -> str:
        """The note in ``lang`` (English for English or a language the data does not have)."""
        return self.translated.get(lang, (self.title, self.note))[1]


class _PresetText(schema.Strict):
    title: schema.Text
    note: schema.Text


class _PresetFile(schema.Strict):
    title: schema.Text
    note: schema.Text
    ja: _PresetText
    ru: _PresetText
    drivers: dict[str, float] = {}  # noqa: RUF012 - pydantic copies field defaults


@dataclass(frozen=True)
class ModelData:
    """Everything in ``data/``, validated. The engine is built from this."""

    folder: Path
    sources: dict[str, schema.Source]
    drivers: dict[str, schema.Driver]
    options: dict[str, schema.Option]
    coefficients: schema.Coefficients
    constraints: dict[str, schema.Constraint]
    calibration: list[schema.CalibrationCase]
    settings: schema.Settings
    manifest: schema.Manifest
    presets: dict[str, ScenarioPreset]
    presentation: list[str]
    oped_paragraphs: dict[int, str]
    fingerprint: str  # sha256 of every file's bytes: identifies these exact numbers
    # data/history/ (optional: a data folder without it has no events and no dated checkpoints)
    events: dict[str, schema.Event] = dc_field(default_factory=dict)
    checkpoints: list[schema.Checkpoint] = dc_field(default_factory=list)


def _fingerprint(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _oped_paragraphs(folder: Path, source: schema.Source | None, problems: list[str]) -> dict[int, str]:
    if source is None or source.file is None:
        problems.append("sources.yaml: oped: needs a `file` holding the op-ed's text")
        return {}
    path = folder / source.file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        problems.append(f"sources.yaml: oped.file: cannot read {source.file}")
        return {}
    return {int(n): body.strip() for n, body in re.findall(r"^¶(\d+)\.\s*(.+)$", text, flags=re.M)}


def read_data(folder: str | Path | None = None) -> ModelData:
    """Read and validate every file in the data folder. Raises ``DataError`` listing every problem found."""
    folder = Path(folder) if folder is not None else DEFAULT_DATA_DIR
    problems: list[str] = []
    if not folder.is_dir():
        raise DataError([f"{folder}: no such data folder"])

    def load(name: str, kind: Any) -> Any:
        raw = _read(folder / name, problems)
        return None if raw is None else _validate(name, raw, kind, problems)

    sources = load("sources.yaml", dict[str, schema.Source]) or {}
    drivers = load("drivers.yaml", dict[str, schema.Driver]) or {}
    options = load("options.yaml", dict[str, schema.Option]) or {}
    coefficients = load("coefficients.yaml", schema.Coefficients)
    constraints = load("constraints.yaml", dict[str, schema.Constraint]) or {}
    calibration = load("calibration.yaml", list[schema.CalibrationCase]) or []
    settings = load("settings.yaml", schema.Settings)
    manifest = load("manifest.yaml", schema.Manifest)
    presentation = load("presentation.yaml", schema.Presentation)
    paragraphs = _oped_paragraphs(folder, sources.get("oped"), problems) if sources else {}
    events: dict[str, schema.Event] = {}
    checkpoints: list[schema.Checkpoint] = []
    if (folder / "history").is_dir():
        events = load("history/events.yaml", dict[str, schema.Event]) or {}
        history = load("history/checkpoints.yaml", schema.History)
        checkpoints = list(history.checkpoints) if history is not None else []

    presets: dict[str, ScenarioPreset] = {}
    for path in sorted((folder / "scenarios").glob("*.yaml")):
        name = f"scenarios/{path.name}"
        raw = _read(path, problems)
        preset = None if raw is None else _validate(name, raw, _PresetFile, problems)
        if preset is not None:
            presets[path.stem] = ScenarioPreset(
                path.stem, preset.title, preset.note, dict(preset.drivers),
                {lang: (getattr(preset, lang).title, getattr(preset, lang).note) for lang in schema.TRANSLATED})

    # References between files. Each check names the file and the record so the fix is easy to find.
    def check_ref(file: str, where: str, ref: str) -> None:
        try:
            source_id, paras = parse_ref(ref)
        except ValueError as e:
            problems.append(f"{file}: {where}: {e}")
            return
        if not sources:
            return  # sources.yaml itself failed; its problem is already listed
        if source_id not in sources:
            problems.append(f"{file}: {where}: cites unknown source {source_id!r}")
        elif paras and source_id == "oped" and paragraphs:
            missing = [p for p in paras if p not in paragraphs]
            if missing:
                problems.append(f"{file}: {where}: the op-ed has no paragraph ¶{missing[0]}")

    def check_driver(file: str, where: str, driver_id: str) -> bool:
        if not drivers:
            return False  # drivers.yaml itself failed
        if driver_id not in drivers:
            problems.append(f"{file}: {where}: unknown driver {driver_id!r}")
            return False
        return True

    def check_option(file: str, where: str, option_id: str) -> None:
        if options and option_id not in options:
            problems.append(f"{file}: {where}: unknown option {option_id!r}")

    def check_values(file: str, where: str, values: dict[str, float]) -> None:
        for d, v in values.items():
            if check_driver(file, where, d):
                sc = drivers[d].scale
                if not sc.min <= v <= sc.max:
                    problems.append(f"{file}: {where}.{d}: {v:g} is outside {sc.min:g}-{sc.max:g}")

    for d_id, d in drivers.items():
        for field in ("baseline_provenance", "plausible_provenance"):
            for ref in getattr(d, field).cite:
                check_ref("drivers.yaml", f"{d_id}.{field}", ref)
    for o_id, o in options.items():
        for capital in schema.CAPITALS:
            stance = getattr(o, capital)
            for ref in stance.cite:
                check_ref("options.yaml", f"{o_id}.{capital}", ref)
            for ref in stance.plausible_provenance.cite:
                check_ref("options.yaml", f"{o_id}.{capital}.plausible_provenance", ref)
    if coefficients is not None:
        for ref in coefficients.plausible_provenance.cite:
            check_ref("coefficients.yaml", "plausible_provenance", ref)
        seen = set()
        for i, entry in enumerate(coefficients.weights):
            where = f"weights[{i}] ({entry.capital}, {entry.driver})"
            if (entry.capital, entry.driver) in seen:
                problems.append(f"coefficients.yaml: {where}: a second entry for the same capital and driver")
            seen.add((entry.capital, entry.driver))
            check_driver("coefficients.yaml", where, entry.driver)
            for o_id in entry.weights:
                check_option("coefficients.yaml", where, o_id)
            for ref in entry.cite:
                check_ref("coefficients.yaml", where, ref)
        for name, inter in coefficients.interactions.items():
            where = f"interactions.{name}"
            for d_id in inter.drivers:
                check_driver("coefficients.yaml", where, d_id)
            for o_id in inter.weights:
                check_option("coefficients.yaml", where, o_id)
            for ref in [*inter.cite, *inter.pivot_provenance.cite, *inter.half_life_provenance.cite,
                        *inter.half_life_plausible_provenance.cite]:
                check_ref("coefficients.yaml", where, ref)
    for c_id, c in constraints.items():
        for o_id in c.options:
            check_option("constraints.yaml", c_id, o_id)
        for ref in [*c.cite, *c.ceiling_provenance.cite, *c.ceiling_plausible_provenance.cite]:
            check_ref("constraints.yaml", c_id, ref)
    ids = [case.id for case in calibration]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"calibration.yaml: {dup}: the id appears twice")
    for case in calibration:
        for ref in case.cite:
            check_ref("calibration.yaml", case.id, ref)
        check = case.check
        cells = [getattr(check, a) for a in ("cell", "left", "right") if hasattr(check, a)]
        for cell in cells:
            check_option("calibration.yaml", case.id, cell.split(".", 1)[1])
        if isinstance(getattr(check, "scenario", None), dict):
            check_values("calibration.yaml", f"{case.id}.scenario", check.scenario)
        if isinstance(check, schema.DirectionCheck) and check_driver("calibration.yaml", case.id, check.driver):
            check_values("calibration.yaml", f"{case.id}", {check.driver: check.from_})
            check_values("calibration.yaml", f"{case.id}", {check.driver: check.to})
        if isinstance(check, schema.BestCheck) and check.among != "all":
            for o_id in check.among:
                check_option("calibration.yaml", case.id, o_id)
    for p_id, p in presets.items():
        check_values(f"scenarios/{p_id}.yaml", "drivers", p.drivers)
    if presentation is not None:
        for step in presentation.steps:
            if step not in presets:
                problems.append(f"presentation.yaml: steps: no scenario file scenarios/{step}.yaml")

    _check_history(drivers, options, events, checkpoints, check_ref, check_option, problems)

    if problems:
        raise DataError(problems)
    return ModelData(
        folder=folder,
        sources=sources,
        drivers=drivers,
        options=options,
        coefficients=coefficients,
        constraints=constraints,
        calibration=calibration,
        settings=settings,
        manifest=manifest,
        presets=presets,
        presentation=list(presentation.steps),
        oped_paragraphs=paragraphs,
        fingerprint=_fingerprint(folder),
        events=events,
        checkpoints=checkpoints,
    )


def _check_history(drivers, options, events, checkpoints, check_ref, check_option, problems: list[str]) -> None:
    """data/history/ against the rest: known events, options, drivers and sources; dates ordered; values in scale."""
    ev_file, cp_file = "history/events.yaml", "history/checkpoints.yaml"
    for d_id, d in drivers.items():
        if d.introduced_by is not None:
            event = events.get(d.introduced_by)
            if event is None:
                problems.append(f"drivers.yaml: {d_id}.introduced_by: unknown event {d.introduced_by!r}")
            elif d_id not in event.effect.drivers:
                problems.append(f"drivers.yaml: {d_id}.introduced_by: event {d.introduced_by} does not list it "
                                "in effect.drivers")
    for e_id, e in events.items():
        for ref in e.cite:
            check_ref(ev_file, e_id, ref)
        for i, c in enumerate(e.effect.ceilings):
            for o in c.options:
                check_option(ev_file, f"{e_id}.effect.ceilings[{i}]", o)
            for ref in c.provenance.cite:
                check_ref(ev_file, f"{e_id}.effect.ceilings[{i}]", ref)
        for i, b in enumerate(e.effect.base_shifts):
            check_option(ev_file, f"{e_id}.effect.base_shifts[{i}]", b.option)
            for ref in b.provenance.cite:
                check_ref(ev_file, f"{e_id}.effect.base_shifts[{i}]", ref)
        for d_id in e.effect.drivers:
            if drivers and drivers.get(d_id) is None:
                problems.append(f"{ev_file}: {e_id}.effect.drivers: unknown driver {d_id!r}")
            elif drivers and drivers[d_id].introduced_by != e_id:
                problems.append(f"{ev_file}: {e_id}.effect.drivers: {d_id} does not say introduced_by: {e_id} "
                                "in drivers.yaml")
    seen: set[str] = set()
    previous = None
    for n, cp in enumerate(checkpoints):
        where = f"checkpoints[{n}] ({cp.id})"
        if cp.id in seen:
            problems.append(f"{cp_file}: {where}: the id appears twice")
        seen.add(cp.id)
        if previous is not None and cp.date <= previous:
            problems.append(f"{cp_file}: {where}.date: {cp.date} is not after the checkpoint before it ({previous})")
        previous = cp.date
        in_force = set()
        for e_id in cp.events:
            if e_id not in events:
                problems.append(f"{cp_file}: {where}.events: unknown event {e_id!r}")
            elif events[e_id].date > cp.date:
                problems.append(f"{cp_file}: {where}.events: {e_id} ({events[e_id].date}) had not happened by "
                                f"{cp.date}")
            else:
                in_force.add(e_id)
        if not drivers:
            continue
        for d_id, d in drivers.items():
            needed = d.introduced_by is None or d.introduced_by in in_force
            if needed and d_id not in cp.drivers:
                problems.append(f"{cp_file}: {where}.drivers: no value for {d_id}")
        for d_id, v in cp.drivers.items():
            if d_id not in drivers:
                problems.append(f"{cp_file}: {where}.drivers: unknown driver {d_id!r}")
                continue
            sc = drivers[d_id].scale
            if not sc.min <= v.value <= sc.max:
                problems.append(f"{cp_file}: {where}.drivers.{d_id}: {v.value:g} is outside {sc.min:g}-{sc.max:g}")
            elif abs((v.value - sc.min) / sc.step - round((v.value - sc.min) / sc.step)) > 1e-9:
                problems.append(f"{cp_file}: {where}.drivers.{d_id}: {v.value:g} is not on the slider's step "
                                f"of {sc.step:g}")
            for ref in v.cite:
                check_ref(cp_file, f"{where}.drivers.{d_id}", ref)
            if n == 0 and v.value != drivers[d_id].baseline:
                problems.append(f"{cp_file}: {where}.drivers.{d_id}: the first checkpoint is the op-ed, so its value "
                                f"must be the 2016 baseline {drivers[d_id].baseline:g}, not {v.value:g}")
        if n == 0 and cp.events:
            problems.append(f"{cp_file}: {where}.events: the first checkpoint is the op-ed, which knew no events")
        for o in cp.happened.options:
            check_option(cp_file, f"{where}.happened", o)
        for ref in cp.happened.cite:
            check_ref(cp_file, f"{where}.happened", ref)
