"""data/history/ (issue 10) is complete and traceable: every checkpoint has every driver within its scale, every value
cites a known source or says why it is judgement, dates are ordered, and every event in force has already happened.

Checks the files against the agreed format (/work/notes/history-format.md) with plain YAML, independently of the
loader that reads them, so the data can be validated before (and alongside) that loader.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from dashboard.model.citations import parse_ref
from tests.conftest import ROOT

DATA = ROOT / "data"
HISTORY = DATA / "history"
OPTIONS = ["economy_first", "joint_economic_zone", "declaration_1956", "declaration_1956_plus_zone", "two_plus_two",
           "joint_management", "four_islands"]
CAPITALS = {"moscow", "tokyo"}
GROUPS = {"Bilateral", "Russia", "Japan", "International"}
PROVENANCE_KEYS = {"cite", "note", "judgement", "ja", "ru"}  # ja/ru: the notes in Japanese and Russian


def _load(name):
    with open(HISTORY / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def drivers():
    """The drivers of data/drivers.yaml, those an event brings in (``introduced_by``) included."""
    with open(DATA / "drivers.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def weights():
    with open(DATA / "coefficients.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)["weights"]


@pytest.fixture(scope="module")
def sources():
    with open(DATA / "sources.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def events():
    return _load("events.yaml")


@pytest.fixture(scope="module")
def checkpoints():
    return _load("checkpoints.yaml")["checkpoints"]


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _check_cites(where, cite, sources):
    assert isinstance(cite, list), f"{where}: cite must be a list"
    for ref in cite:
        source_id, paragraphs = parse_ref(ref)
        assert source_id in sources, f"{where}: cites unknown source {source_id!r}"
        if source_id == "oped":
            assert all(1 <= p <= 20 for p in paragraphs), f"{where}: the op-ed has paragraphs 1-20: {ref}"


def _check_provenance(where, prov, sources, extra=()):
    assert isinstance(prov, dict), f"{where}: provenance must be a mapping"
    unknown = set(prov) - PROVENANCE_KEYS - set(extra)
    assert not unknown, f"{where}: unknown keys {unknown}"
    assert prov.get("cite") or prov.get("judgement"), f"{where}: give a source (cite) or a judgement"
    _check_cites(where, prov.get("cite", []), sources)


def test_new_sources_have_date_publisher_address_and_detail(sources):
    with open(DATA / "sources.yaml", encoding="utf-8") as f:
        text = f.read()
    marker = "Sources after October 2016 (issue 10)"
    assert marker in text, "sources.yaml lacks the issue-10 section"
    new_ids = re.findall(r"^([a-z0-9_]+):\s*$", text.split(marker, 1)[1], flags=re.M)
    assert new_ids, "the issue-10 section is empty"
    for s_id in new_ids:
        s = sources[s_id]
        for field in ("title", "author", "publisher", "date", "address", "detail"):
            assert s.get(field), f"sources.{s_id}: needs `{field}`"
        assert str(s["address"]).startswith(("http://", "https://")), f"sources.{s_id}: address is not a URL"
        assert str(s["date"]) >= "2016", f"sources.{s_id}: date {s['date']}"


def test_events_are_well_formed(events, drivers, sources):
    assert events, "events.yaml is empty"
    for e_id, e in events.items():
        where = f"events.{e_id}"
        assert set(e) <= {"date", "label", "ja", "ru", "group", "quote", "cite", "effect"}, f"{where}: unknown keys"
        _as_date(e["date"])
        assert e["label"] and e["quote"], where
        assert e["group"] in GROUPS, f"{where}: group {e['group']!r}"
        assert e["cite"], f"{where}: an event cites its source"
        _check_cites(where, e["cite"], sources)
        effect = e["effect"]
        assert set(effect) <= {"ceilings", "base_shifts", "drivers"} and effect, f"{where}: effect needs a term"
        for i, c in enumerate(effect.get("ceilings", [])):
            assert c["capital"] in CAPITALS, f"{where}.ceilings[{i}]"
            assert c["options"] and set(c["options"]) <= set(OPTIONS), f"{where}.ceilings[{i}]: options"
            assert 0 < c["ceiling"] <= 1, f"{where}.ceilings[{i}]: ceiling in (0, 1]"
            _check_provenance(f"{where}.ceilings[{i}]", c["provenance"], sources)
        for i, s in enumerate(effect.get("base_shifts", [])):
            assert s["capital"] in CAPITALS and s["option"] in OPTIONS, f"{where}.base_shifts[{i}]"
            assert isinstance(s["shift"], (int, float)) and abs(s["shift"]) <= 5, f"{where}.base_shifts[{i}]"
            _check_provenance(f"{where}.base_shifts[{i}]", s["provenance"], sources)
        for d_id in effect.get("drivers", []):
            definition = drivers.get(d_id)
            assert definition, f"{where}: brings in undefined driver {d_id!r}"
            assert definition.get("introduced_by") == e_id, f"{d_id}: introduced_by should be {e_id}"


def test_drivers_an_event_brings_in_are_sourced_and_weighted_with_their_sign(drivers, weights, sources):
    """A driver an event brings in (e.g. the confrontation with the West after 2022) has a sourced baseline within its
    plausible range, and weights in coefficients.yaml that keep the sign they declare: one without would be inert."""
    brought = {d_id: d for d_id, d in drivers.items() if d.get("introduced_by")}
    assert brought, "the history brings in at least one driver (russia_west_confrontation)"
    for d_id, d in brought.items():
        assert d["plausible"]["low"] <= d["baseline"] <= d["plausible"]["high"], f"{d_id}: baseline outside plausible"
        _check_provenance(f"{d_id}.baseline_provenance", d["baseline_provenance"], sources)
        rows = [w for w in weights if w["driver"] == d_id]
        assert rows, f"{d_id}: no weights in coefficients.yaml"
        for w in rows:
            assert w["capital"] in CAPITALS and set(w["weights"]) <= set(OPTIONS)
            sign = 1 if w["sign"] == "positive" else -1
            assert all(v * sign > 0 for v in w["weights"].values()), f"{d_id}: weights keep the sign"


def test_checkpoints_are_ordered_and_unique(checkpoints):
    dates = [_as_date(c["date"]) for c in checkpoints]
    assert dates == sorted(dates) and len(set(dates)) == len(dates), "dates must be strictly increasing"
    ids = [c["id"] for c in checkpoints]
    assert len(set(ids)) == len(ids)
    assert dates[0] == dt.date(2016, 10, 27), "the first checkpoint is the op-ed"
    assert dates[-1].year >= 2025, "the last checkpoint is 'now'"


def test_every_checkpoint_has_every_driver_within_scale(checkpoints, events, drivers, sources):
    for c in checkpoints:
        brought = {d for e in c["events"] for d in events[e]["effect"].get("drivers", [])}
        always = {d for d, v in drivers.items() if not v.get("introduced_by")}  # event-brought ones: only when in force
        expected = always | brought
        assert set(c["drivers"]) == expected, (
            f"{c['id']}: missing {expected - set(c['drivers'])}, extra {set(c['drivers']) - expected}")
        for d_id, entry in c["drivers"].items():
            where = f"checkpoints.{c['id']}.{d_id}"
            scale = drivers[d_id]["scale"]
            v = entry["value"]
            assert isinstance(v, (int, float)), where
            assert scale["min"] <= v <= scale["max"], f"{where}: {v} outside {scale}"
            assert float((v - scale["min"]) / scale["step"]).is_integer(), f"{where}: {v} off the slider's step"
            _check_provenance(where, {k: x for k, x in entry.items() if k != "value"}, sources)


def test_the_op_ed_checkpoint_equals_the_baselines(checkpoints, drivers):
    first = checkpoints[0]
    assert first["events"] == []
    assert {d: e["value"] for d, e in first["drivers"].items()} == {
        d: v["baseline"] for d, v in drivers.items() if not v.get("introduced_by")}


def test_events_in_force_have_happened(checkpoints, events):
    ended = set()
    for c in checkpoints:
        day = _as_date(c["date"])
        for e_id in c["events"]:
            assert e_id in events, f"{c['id']}: unknown event {e_id!r}"
            assert _as_date(events[e_id]["date"]) <= day, f"{c['id']}: {e_id} has not happened yet"
            assert e_id not in ended, f"{c['id']}: {e_id} was ended at an earlier checkpoint"
        past = {e for e, v in events.items() if _as_date(v["date"]) <= day}
        ended |= past - set(c["events"])


def test_happened_is_sourced(checkpoints, sources):
    for c in checkpoints:
        h = c["happened"]
        where = f"checkpoints.{c['id']}.happened"
        assert set(h) == {"options", "summary", "ja", "ru", "cite"}, where
        assert set(h["options"]) <= set(OPTIONS), f"{where}: unknown option"
        assert h["summary"], where
        for lang in ("ja", "ru"):  # the line in Japanese and Russian, next to the English
            assert set(h[lang]) == {"summary"} and h[lang]["summary"] != h["summary"], f"{where}.{lang}"
            assert set(c[lang]) == {"title", "summary"} and c[lang]["summary"] != c["summary"], f"{c['id']}.{lang}"
        assert h["cite"], f"{where}: cite the source of what happened"
        _check_cites(where, h["cite"], sources)


def test_no_provisional_values_are_left():
    for name in ("checkpoints.yaml", "events.yaml"):
        assert "PROVISIONAL" not in (HISTORY / name).read_text(encoding="utf-8"), f"{name} still has provisional values"


def test_every_event_in_force_somewhere_or_ended_by_a_later_one(checkpoints, events):
    """An event that is in force at no checkpoint must be one a later event ended before the next checkpoint."""
    listed = {e for c in checkpoints for e in c["events"]}
    text = (HISTORY / "events.yaml").read_text(encoding="utf-8")
    for e_id in set(events) - listed:
        assert f"{e_id}  " in text or f"{e_id} " in text.split("nagato_2016:")[0], f"{e_id}: never in force, say why"

