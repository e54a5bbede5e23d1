"""Scenario files round-trip exactly, and a bad file is refused whole with every problem named."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.model.scenario import MAX_BYTES, Scenario, ScenarioError, dump_scenario, parse_scenario, preset
from tests.app.helpers import english_by_design, english_left
from tests.conftest import ROOT


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_dumped_scenario_reads_back_identically(model, fmt):
    s = Scenario({**model.baseline, "japan_public_support": 33, "months_to_election": 2}, "My title", "A note",
                 {"weight.tokyo.japan_public_support.declaration_1956": 4.0}, "declaration_1956", model.version,
                 model.data.checkpoints[0].id)
    back = parse_scenario(dump_scenario(s, model, fmt), model, f"s.{fmt}")
    assert back == s
    assert model.with_overrides(back.overrides).score(back.drivers).equals(
        model.with_overrides(s.overrides).score(s.drivers))


def test_dumped_file_pins_every_driver_and_the_data_version(model):
    doc = json.loads(dump_scenario(preset(model, "snap-election"), model, "json"))
    assert set(doc["drivers"]) == set(model.driver_ids)
    assert doc["data_version"] == model.version and doc["format"] == "kuril-scenario/1"


def test_every_shipped_scenario_parses_with_its_title_and_note_in_every_language(model):
    for path in sorted((ROOT / "data" / "scenarios").glob("*.yaml")):
        s = parse_scenario(path.read_bytes(), model, path.name)
        assert s.title and s.note
        for lang in ("ja", "ru"):
            assert s.title_in(lang) != s.title and s.note_in(lang) != s.note, (path.name, lang)


def test_a_translated_title_and_note_survive_a_round_trip_and_fall_back_to_english(model):
    s = Scenario(dict(model.baseline), "Snap election", "Why", data_version=model.version,
                 as_of=model.data.checkpoints[0].id, translated={"ja": ("解散総選挙", "")})
    back = parse_scenario(dump_scenario(s, model, "yaml"), model, "s.yaml")
    assert back.title_in("ja") == "解散総選挙"
    assert back.note_in("ja") == "Why"  # no Japanese note: the English one
    assert back.title_in("ru") == "Snap election"


BAD_FILES = [
    ('{"drivers": {"no_such": 1}}', "x.json", "drivers.no_such: unknown driver"),
    ('{"drivers": {"japan_public_support": -5}}', "x.json", "-5 is outside the allowed range 0 to 100"),
    ('{"drivers": {"japan_public_support": "abc"}}', "x.json", "'abc' is text, not a number"),
    ('{"drivers": {"japan_public_support": true}}', "x.json", "True is a true/false value, not a number"),
    ('{"drivers": {"japan_public_support": 54.5}}', "x.json", "not on the slider's step of 1"),
    ('{"drivers": [1, 2]}', "x.json", "drivers: expected a mapping"),
    ('{"title": 5}', "x.json", "title: expected text"),
    ('{"data_version": "1999.1"}', "x.json", "made with data version 1999.1"),
    ('{"overrides": {"weight.tokyo.japan_public_support.declaration_1956": -2}}', "x.json", "goes against the sign"),
    ('{"option": "three_islands"}', "x.json", "unknown option 'three_islands'"),
    ('{"colour": "red"}', "x.json", "unknown field 'colour'"),
    ('{"ja": "タイトル"}', "x.json", "ja: expected a mapping with `title` and `note`"),
    ('{"ru": {"title": 5}}', "x.json", "ru.title: expected text"),
    ('{"ru": {"summary": "x"}}', "x.json", "ru.summary: unknown field"),
    ("drivers: [unclosed", "x.yaml", "not valid YAML"),
    ("::: not yaml [", "x.yaml", "unknown field '::'"),
    ("{not json", "x.json", "not valid JSON"),
    ("- just\n- a list\n", "x.yaml", "expected a mapping"),
    ("drivers:\n  japan_public_support: .nan\n", "x.yaml", "not a finite number"),
    ("drivers:\n  japan_public_support: 50\n  japan_public_support: 60\n", "x.yaml", "appears twice"),
    ("as_of: 1990-01-01\n", "x.yaml", "as_of: 1990-01-01 is before the first checkpoint"),
    ('{"as_of": "someday"}', "x.json", "as_of: 'someday' is neither a checkpoint id nor a date"),
    ('{"events": ["atlantis_2030"]}', "x.json", "events: unknown event(s) atlantis_2030"),
    ('{"events": "amendment_2020"}', "x.json", "events: expected a list of event ids"),
]


@pytest.mark.parametrize("text, name, message", BAD_FILES)
def test_bad_scenario_files_are_refused_with_the_problem_named(model, text, name, message):
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, model, name)
    assert message in str(e.value), str(e.value)
    assert str(e.value).startswith(name)


def test_every_problem_in_a_file_is_named_at_once(model):
    with pytest.raises(ScenarioError) as e:
        parse_scenario('{"drivers": {"no_such": 1, "japan_public_support": 500}, "title": 3}', model, "x.json")
    assert len(e.value.problems) == 3


def test_oversized_and_binary_files_are_refused(model):
    with pytest.raises(ScenarioError, match="limit is 64 KB"):
        parse_scenario(b"#" * (MAX_BYTES + 1), model, "big.yaml")
    with pytest.raises(ScenarioError, match="not a text file"):
        parse_scenario(b"\xff\xfe\x00\x00", model, "bin.yaml")


def test_a_file_with_a_start_date_and_events_round_trips(model):
    from dashboard.model.history import find_checkpoint, start_values
    cp = find_checkpoint(model, "2022-03-suspension")
    values = {**start_values(model, cp), "japan_public_support": 30}
    scenario = Scenario(values, "After 2022", "", {}, None, model.version, cp.id, frozenset({"amendment_2020"}))
    for fmt, name in (("yaml", "s.yaml"), ("json", "s.json")):
        back = parse_scenario(dump_scenario(scenario, model, fmt), model, name)
        assert back.drivers == values and back.as_of == cp.id and back.events == {"amendment_2020"}


def test_drivers_left_out_take_the_start_points_values_and_its_events(model):
    from dashboard.model.history import find_checkpoint
    cp = find_checkpoint(model, "2026-02-now")
    s = parse_scenario("as_of: 2026-02-now\ndrivers: {japan_public_support: 30}\n", model, "x.yaml")
    assert s.drivers["japan_public_support"] == 30
    assert s.drivers["abe_ambition"] == cp.drivers["abe_ambition"].value and s.events == set(cp.events)


def test_a_file_from_the_older_data_version_still_opens_with_a_notice(model):
    """Files saved before issue 10 pin every driver but the new one, and carry data version 2016.1."""
    old = {d: v for d, v in model.baseline.items() if not model.data.drivers[d].introduced_by}
    s = parse_scenario(json.dumps({"data_version": "2016.1", "drivers": {**old, "japan_public_support": 40}}),
                       model, "old.json")
    assert s.drivers["japan_public_support"] == 40 and s.drivers["russia_west_confrontation"] == 45
    assert s.events == frozenset() and s.as_of == model.data.checkpoints[0].id
    text = " ".join(s.notices)
    assert "made with data version 2016.1" in text and "russia_west_confrontation: not in the file" in text


_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row
FIELDS = ("format", "data_version", "title", "note", "option", "drivers", "overrides", "as_of", "events", "ja", "ru")


def _refused(text: str, model, name: str, lang: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, model, name, lang=lang)
    return e.value.problems


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("text, name, message", BAD_FILES)
def test_a_bad_file_is_refused_in_the_readers_language_naming_the_field_as_the_file_has_it(model, lang, text, name,
                                                                                           message):
    english, said = _refused(text, model, name, "en"), _refused(text, model, name, lang)
    assert len(said) == len(english)
    for e, s in zip(english, said, strict=True):
        assert s != e
        field = re.match(r"([\w.]+): ", e)
        if field and field.group(1) in text:  # the field's name, as the file has it, leads the problem
            assert s.startswith(field.group(1)), s
        # What stays English: a parser's own words (labelled so), and the op-ed's words quoted in a weight's
        # rationale (the rest of the rationale is translated).
        kept = e.partition(": ")[2] if e.startswith("not valid ") else ""
        rest = re.sub(rf"\b({'|'.join(FIELDS)})\b", " ", s.replace(kept, " ") if kept else s)  # the format's fields
        for cp in model.data.checkpoints:  # ids listed as the choices
            rest = rest.replace(cp.id, " ")
        assert not english_left([rest], english_by_design(model)), s  # (ids, paths and code count as no words)


def test_a_file_from_an_older_data_version_opens_with_its_notices_in_the_readers_language(model):
    old = {d: v for d, v in model.baseline.items() if not model.data.drivers[d].introduced_by}
    content = json.dumps({"data_version": "2016.1", "drivers": old})
    english, russian = (parse_scenario(content, model, "old.json", lang=lang) for lang in ("en", "ru"))
    assert russian.drivers == english.drivers and len(russian.notices) == len(english.notices) == 2
    assert russian.notices[0].startswith("создан с версией данных 2016.1")
    assert russian.notices[1].startswith("drivers.russia_west_confrontation: нет в файле")
