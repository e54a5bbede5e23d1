"""Whatever a link holds, it gives a usable scenario or a stated notice, never an exception; good links round-trip."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.links import Choice, Span, Whole, parse_link, query_for, read_number, safe_name, share_url
from dashboard.model.schema import text
from tests.model.strategies import scenarios

SPECS = {"output": Choice(("moscow", "tokyo", "joint"), "tokyo"), "seed": Whole(0, 999, 7),
         "election_window": Span(0, 48, (0, 48))}
DEFAULT = "declaration_1956_plus_zone"
names = st.sampled_from(["japan_public_support", "months_to_election", "option", "view", "step", "v", "output",
                         "seed", "election_window", "o.ceiling.moscow_article9_limit", "zzz", "<script>", "",
                         "asof", "events"])
values = st.lists(st.text(max_size=300) | st.sampled_from(["54", "57.6", "-1", "1e400", "nan", "", " 5", "５４",
                                                      "2020-07-04", "1990-01-01", "2016-12-nagato", "none",
                                                      "amendment_2020,suspension_2022", "amendment_2020,x"]),
                  min_size=1, max_size=3)


@given(st.dictionaries(names | st.text(max_size=40), values, max_size=8))
@settings(max_examples=400, deadline=None)
def test_any_parameters_give_a_valid_scenario_or_a_notice(model, params):
    link = parse_link(params, model, DEFAULT, SPECS, steps=8)
    a = model.assumptions
    for d, v in link.values.items():
        assert a.at[d, "min"] <= v <= a.at[d, "max"] and float(v).is_integer()
    assert link.option in model.option_ids and link.view in ("full", "viewer", "present") and 1 <= link.step <= 8
    model.with_overrides(link.overrides)  # never invalid
    model.with_events(link.events)  # never an unknown event
    assert link.as_of in {cp.id for cp in model.data.checkpoints}
    noted = {n.param for n in link.notices}
    for name, raw in params.items():
        if name in model.driver_ids and link.values[name] != _plain(raw):
            assert safe_name(name) in noted, (name, raw)


def _plain(raw):
    parts = [p for p in raw if p != ""]
    try:
        return float(parts[0]) if len(parts) == 1 else None
    except ValueError:
        return None


@given(scenarios(on_step=True), st.sampled_from(["economy_first", "four_islands", DEFAULT]))
@settings(max_examples=200, deadline=None)
def test_a_share_link_round_trips_exactly(model, scenario, option):
    full = {**model.baseline, **scenario}
    url = share_url("http://host:8501", "why", query_for(full, option=option, version=model.version))
    parsed = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    link = parse_link(parsed, model, DEFAULT)
    assert link.values == full and link.option == option and link.notices == ()
    assert link.given == set(model.driver_ids)


def test_notices_never_carry_markup_from_the_link(model):
    link = parse_link({"<img src=x onerror=alert(1)>": ["1"], "japan_public_support": ["<script>alert(1)</script>"],
                       "option": ["[x](http://example.com)"]}, model, DEFAULT)
    text = " ".join(str(n) for n in link.notices)
    for bad in ("<", ">", "(http", "script", "img"):
        assert bad not in text
    assert len(link.notices) == 3


@pytest.mark.parametrize("raw, value, problem", [
    (["54"], 54, None),
    (["57.6"], 57, "between steps"),
    (["５４"], 54, "unusual form"),
    ([" 54 "], 54, "unusual form"),
    (["abc"], None, "not a number"),
    (["nan"], None, "not a finite number"),
    (["101"], None, "outside 0 to 100"),
    (["50", "60"], None, "given 2 times"),
    ([""], None, "empty"),
    (["", "54"], 54, None),
    (["9" * 5000], None, "outside"),
])
def test_driver_values_are_read_as_the_slider_reads_them(raw, value, problem):
    v, p = read_number(raw, 0, 100)
    assert v == value
    assert (p is None) if problem is None else problem in p


def test_a_reversed_range_is_put_in_order(model):
    link = parse_link({"election_window": ["40", "10"]}, model, DEFAULT, SPECS)
    assert link.page_params["election_window"] == (10, 40)
    assert "reversed" in str(link.notices[0]) and "used 10 to 40" in str(link.notices[0])


def test_an_old_data_version_is_noted_with_what_changed(model):
    from dashboard.links import version_note
    assert version_note(model, model.version) is None
    note = version_note(model, "2015.9")
    assert "2015.9" in note and model.version in note and "Changes since" in note


# -------------------------------------------------------------------------------------- as of and events (issue 10)
@given(scenarios(on_step=True), st.sampled_from(["2016-10-oped", "2018-11-singapore", "2026-02-now"]),
       st.sets(st.sampled_from(["amendment_2020", "suspension_2022", "ukraine_war_2022", "singapore_2018"])))
@settings(max_examples=100, deadline=None)
def test_a_share_link_with_a_start_date_and_events_round_trips(model, scenario, as_of, events):
    full = {**model.baseline, **scenario}
    url = share_url("http://host:8501", "history",
                    query_for(full, option=DEFAULT, version=model.version, as_of=as_of, events=events))
    parsed = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    link = parse_link(parsed, model, DEFAULT)
    assert link.values == full and link.as_of == as_of and link.events == events and link.notices == ()


def test_a_start_date_alone_opens_that_checkpoint_with_its_drivers_and_events(model):
    cp = next(c for c in model.data.checkpoints if c.id == "2022-03-suspension")
    link = parse_link({"asof": ["2022-03-25"]}, model, DEFAULT)
    assert link.as_of == cp.id and link.events == set(cp.events) and link.notices == ()
    assert link.values["japan_public_support"] == cp.drivers["japan_public_support"].value


@pytest.mark.parametrize("params, as_of, events, said", [
    ({"asof": ["1990-01-01"]}, "2016-10-oped", set(), "before the first checkpoint"),
    ({"asof": ["2020-02-30"]}, "2016-10-oped", set(), "neither a checkpoint id nor a date"),
    ({"asof": ["next tuesday"]}, "2016-10-oped", set(), "not a checkpoint or a date"),
    ({"asof": ["2018-11-singapore", "2020-07-amendment"]}, "2016-10-oped", set(), "given 2 times"),
    ({"events": ["amendment_2020,atlantis_2030"]}, "2016-10-oped", {"amendment_2020"}, "unknown event (atlantis_2030)"),
    ({"events": ["amendment_2020", "none"]}, "2016-10-oped", set(), "given 2 times"),
    ({"asof": ["2018-11-singapore"], "events": ["<b>x</b>"]}, "2018-11-singapore", set(), "unknown event ignored"),
])
def test_a_malformed_date_or_event_gives_one_notice_and_the_nearest_valid_view(model, params, as_of, events, said):
    link = parse_link(params, model, DEFAULT)
    assert link.as_of == as_of and link.events == events
    assert len(link.notices) == 1 and said in str(link.notices[0]), link.notices
    assert "<" not in str(link.notices[0])


def test_an_old_pinned_link_without_the_new_driver_opens_with_a_notice(model):
    old = {d: [str(int(v))] for d, v in model.baseline.items() if not model.data.drivers[d].introduced_by}
    link = parse_link({**old, "v": ["2016.1"]}, model, DEFAULT)
    assert link.values == model.baseline
    assert [n.param for n in link.notices] == ["russia_west_confrontation"]
    assert "made before this driver existed" in str(link.notices[0])


# ------------------------------------------------------------------------------- notices in the reader's language
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row


def _english_in(text: str) -> list[str]:
    """Runs of English words left once ids, paths and values in code form are taken out."""
    return _ENGLISH.findall(re.sub(r"\S*[_./]\S*", " ", text))


# One link with something wrong in every kind of parameter: each problem and each replacement once.
EVERY_PROBLEM = {
    "japan_public_support": ["abc"], "months_to_election": ["57.5"], "western_sanctions": ["500"],
    "putin_ambition": ["1e1"], "option": ["atlantis"], "view": ["poster"], "lang": ["klingon"], "zzz": ["1"],
    "o.no.such.weight": ["3"], "output": ["paris"], "seed": ["-4"], "election_window": ["40", "10"],
    "asof": ["1990-01-01"], "events": ["amendment_2020,atlantis_2030"], "<b>": ["1"],
}


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_a_notice_is_said_in_the_readers_language_naming_the_parameter_as_the_link_has_it(model, lang):
    link = parse_link(EVERY_PROBLEM, model, DEFAULT, SPECS)
    assert len(link.notices) == len(EVERY_PROBLEM)
    for n in link.notices:
        said, english = n.text(lang), str(n)
        assert said != english and not _english_in(said), said
        if n.param in EVERY_PROBLEM:
            assert said.startswith(n.param), said  # the parameter's name stays as it is in the link
    # What was used instead keeps its numbers and names, in the reader's words.
    said = {n.param: n.text(lang) for n in link.notices}
    assert "10" in said["election_window"] and "40" in said["election_window"]
    assert text(model.data.options[DEFAULT], "short_label", lang) in said["option"]
    assert "atlantis_2030" in said["events"] and "amendment_2020" in said["events"]


def test_in_english_a_notice_reads_as_it_always_has(model):
    link = parse_link({"japan_public_support": ["abc"], "option": ["x"]}, model, DEFAULT)
    assert [str(n) for n in link.notices] == [
        f"japan_public_support: not a number; used the 2016 baseline, {model.baseline['japan_public_support']:g}.",
        f"option: not a known option; used {model.options.at[DEFAULT, 'short_label']}."]
    assert [n.text("en") for n in link.notices] == [str(n) for n in link.notices]


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_version_note_is_said_in_the_readers_language(model, lang):
    from dashboard.links import version_note
    note = version_note(model, "2015.9")
    said = note.text(lang)
    assert said != str(note) and "2015.9" in said and model.version in said
    # The data's changelog is quoted as it is written (in English, labelled so); the sentence around it is not.
    changes = str(note).split("Changes since: ")[1]
    assert not _english_in(said.replace(changes, ""))
