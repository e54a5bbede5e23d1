"""Events as switchable structural changes, the "as of" start points, and the track record (issue 10)."""

from __future__ import annotations

import itertools
import re
import shutil

import pytest
import yaml
from hypothesis import given, settings

from dashboard.model import DataError, load_model
from dashboard.model.calibration import run_calibration
from dashboard.model.history import (
    TEXT_COLUMNS,
    find_checkpoint,
    history_scores,
    start_events,
    start_values,
    track_record,
    track_record_download,
)
from dashboard.model.schema import text
from tests.conftest import ROOT
from tests.model.helpers import assert_contributions_add_up
from tests.model.strategies import scenarios

TRANSFERS = ["declaration_1956", "declaration_1956_plus_zone", "two_plus_two", "four_islands"]


@pytest.fixture(scope="module")
def every_event(model):
    return model.with_events(model.data.events)


def test_every_calibration_case_holds_with_every_event_off(model):
    assert model.events == frozenset()
    r = run_calibration(model.with_events(()))
    assert len(r) == 32
    assert r[r["status"] == "holds"]["passed"].all()


@given(scenarios())
@settings(max_examples=200, deadline=None)
def test_with_the_2020_amendment_no_transfer_of_territory_is_acceptable_to_moscow(model, scenario):
    m = model.with_events({"amendment_2020"})
    s = m.score(scenario)
    assert (s.loc[TRANSFERS, "moscow"] < m.acceptance_threshold).all()
    assert (s.loc[TRANSFERS, "moscow"] <= 0.02 + 1e-12).all()


@given(scenarios())
@settings(max_examples=150, deadline=None)
def test_contributions_add_up_exactly_with_every_event_on(every_event, scenario):
    assert_contributions_add_up(every_event, scenario)


def test_each_events_base_shift_is_its_own_term_in_the_explanation(model):
    m = model.with_events({"singapore_2018"})
    c = m.contributions({}).set_index(["capital", "option", "term"])
    assert c.at[("tokyo", "declaration_1956", "singapore_2018"), "kind"] == "event"
    assert c.at[("tokyo", "declaration_1956", "singapore_2018"), "value"] == pytest.approx(0.5)
    assert "Singapore" in c.at[("tokyo", "declaration_1956", "singapore_2018"), "label"]
    # Tokyo's Article 9 is more feasible with Singapore's shift than without.
    assert m.score({}).at["declaration_1956", "tokyo"] > model.score({}).at["declaration_1956", "tokyo"]


def test_an_events_ceiling_shows_as_the_hard_limit_naming_the_event(model):
    m = model.with_events({"amendment_2020"})
    c = m.contributions({}).set_index(["capital", "option"])
    row = c[c["kind"] == "constraint"].loc[("moscow", "declaration_1956")]
    assert row["term"] == "amendment_2020" and row["value"] < 0
    from dashboard.model.explain import explain
    assert "constitution" in explain(m, {}).reasons.at["declaration_1956", "moscow"]


def test_a_new_driver_has_no_effect_while_its_event_is_off(model):
    driver = next(d for d, x in model.data.drivers.items() if x.introduced_by)
    event = model.data.drivers[driver].introduced_by
    hi = model.assumptions.at[driver, "max"]
    assert model.score({driver: hi}).equals(model.score({}))
    on = model.with_events({event})
    assert on.score({driver: hi}).at["declaration_1956", "moscow"] < on.score({}).at["declaration_1956", "moscow"]
    # At its 2016 value it changes nothing even with its event on: the 2016 reading stays the 2016 reading.
    assert on.score({}).equals(model.score({}))


def test_unknown_event_is_refused_with_its_name(model):
    with pytest.raises(ValueError, match="'no_such_event'"):
        model.with_events({"no_such_event"})


def test_events_survive_overrides(model):
    m = model.with_events({"amendment_2020"}).with_overrides({"base.tokyo.economy_first": 0.5})
    assert m.events == {"amendment_2020"}


def test_as_of_by_id_or_date_gives_the_checkpoint_in_force(model):
    cps = model.data.checkpoints
    assert find_checkpoint(model, cps[3].id) == cps[3]
    assert find_checkpoint(model, cps[3].date.isoformat()) == cps[3]
    day_after = cps[3].date.replace(day=cps[3].date.day + 1) if cps[3].date.day < 28 else cps[3].date
    assert find_checkpoint(model, day_after.isoformat()) == cps[3]
    assert find_checkpoint(model, "2099-01-01") == cps[-1]
    for bad, said in [("1990-01-01", "before the first checkpoint"), ("2020-13-01", "neither"),
                      ("yesterday", "neither")]:
        with pytest.raises(ValueError, match=said):
            find_checkpoint(model, bad)


def test_the_first_checkpoint_is_the_op_ed(model):
    first = model.data.checkpoints[0]
    assert start_values(model, first) == model.baseline and start_events(first) == frozenset()


def test_checkpoints_are_dated_in_order_and_events_in_force_have_happened(model):
    cps = model.data.checkpoints
    assert len(cps) >= 9
    assert all(a.date < b.date for a, b in itertools.pairwise(cps))
    for cp in cps:
        for e in cp.events:
            assert model.data.events[e].date <= cp.date


def test_history_scores_follow_each_checkpoints_drivers_and_events(model):
    h = history_scores(model)
    assert list(h.columns) == ["date", "checkpoint", "option", "moscow", "tokyo", "joint", "happened"]
    assert len(h) == len(model.data.checkpoints) * len(model.option_ids)
    last = model.data.checkpoints[-1]
    row = h[(h["checkpoint"] == last.id) & (h["option"] == "declaration_1956")].iloc[0]
    expected = model.with_events(last.events).score(start_values(model, last)).at["declaration_1956", "moscow"]
    assert row["moscow"] == pytest.approx(expected)
    assert set(h[h["happened"]]["option"]) == {o for cp in model.data.checkpoints for o in cp.happened.options}


def test_track_record_scores_a_miss_as_a_miss(model):
    """The weights stay the op-ed's: where the first-ranked option is not what moved, the record says miss."""
    t = track_record(model).set_index("checkpoint")
    assert len(t) == len(model.data.checkpoints)
    for cp in model.data.checkpoints:
        row = t.loc[cp.id]
        if cp.happened.options:
            assert row["hit"] == (row["first"] in cp.happened.options)
        assert row["reason"] and row["reason_settlement"]
        assert model.data.options[row["first_settlement"]].settles_territory
    # An overridden model that ranks a different option first is scored against the same reality.
    m = model.with_overrides({"base.moscow.four_islands": 0.999, "base.tokyo.four_islands": 0.999,
                              "ceiling.moscow_article9_limit": 1.0})
    first = model.data.checkpoints[0]
    assert track_record(m).iloc[0]["first"] == "four_islands"
    assert not track_record(m).iloc[0]["hit"] and "four_islands" not in first.happened.options


# ------------------------------------------------------------------------------------------------- broken history
def _copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _edit(path, change):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("change, said", [
    (lambda d: d["checkpoints"].__setitem__(2, {**d["checkpoints"][2], "date": "2016-01-01"}), "is not after"),
    (lambda d: d["checkpoints"][1]["events"].append("no_such_event"), "unknown event 'no_such_event'"),
    (lambda d: d["checkpoints"][1]["events"].append("amendment_2020"), "had not happened by"),
    (lambda d: d["checkpoints"][1]["drivers"].pop("abe_ambition"), "no value for abe_ambition"),
    (lambda d: d["checkpoints"][1]["drivers"]["abe_ambition"].update(value=500), "is outside"),
    (lambda d: d["checkpoints"][1]["drivers"].__setitem__("abe_ambition", {"value": 50}), "give a source"),
    (lambda d: d["checkpoints"][1]["drivers"]["abe_ambition"].update(cite=["nowhere_2099"]), "unknown source"),
    (lambda d: d["checkpoints"][0]["drivers"]["abe_ambition"].update(value=10), "must be the 2016 baseline"),
    (lambda d: d["checkpoints"][1]["happened"].update(options=["five_islands"]), "unknown option"),
])
def test_a_broken_checkpoint_is_named_by_file_checkpoint_and_field(tmp_path, change, said):
    folder = _copy(tmp_path)
    _edit(folder / "history" / "checkpoints.yaml", change)
    with pytest.raises(DataError) as e:
        load_model(folder)
    assert any("history/checkpoints.yaml" in p and said in p for p in e.value.problems), e.value.problems


@pytest.mark.parametrize("change, said", [
    (lambda d: d["amendment_2020"]["effect"]["ceilings"][0]["options"].append("five_islands"), "unknown option"),
    (lambda d: d["amendment_2020"].update(effect={}), "at least one effect"),
    (lambda d: d["amendment_2020"].update(group="Mars"), "group"),
    (lambda d: d["ukraine_war_2022"]["effect"].update(drivers=["no_such_driver"]), "unknown driver"),
])
def test_a_broken_event_is_named(tmp_path, change, said):
    folder = _copy(tmp_path)
    _edit(folder / "history" / "events.yaml", change)
    with pytest.raises(DataError) as e:
        load_model(folder)
    assert any("history/events.yaml" in p and said in p for p in e.value.problems), e.value.problems


def test_data_without_a_history_folder_still_loads_with_no_events(tmp_path):
    folder = _copy(tmp_path)
    shutil.rmtree(folder / "history")
    _edit(folder / "drivers.yaml", lambda d: [v.pop("introduced_by", None) for v in d.values()])
    m = load_model(folder)
    assert m.data.events == {} and m.data.checkpoints == []


def test_how_often_a_hit_survives_the_models_own_uncertainty(model):
    t = track_record(model, draws=200, seed=1).set_index("checkpoint")
    assert t["hit_survives"].between(0, 1).all() and t["hit_settlement_survives"].between(0, 1).all()
    # An event's cap is a fact, not a drawn number: once the constitution forbids ceding territory and no
    # settlement moved, no draw of the weights makes one acceptable to Moscow.
    for cp in model.data.checkpoints:
        moved_settlement = any(model.data.options[o].settles_territory for o in cp.happened.options)
        if {"amendment_2020", "suspension_2022"} <= set(cp.events) and not moved_settlement:
            assert t.at[cp.id, "hit_settlement_survives"] == 1.0, cp.id
    # The same seed gives the same record.
    assert track_record(model, draws=200, seed=1).equals(track_record(model, draws=200, seed=1))


# ------------------------------------------------------------------------------------------------- in other languages
def _percentages(s: str) -> list[str]:
    return re.findall(r"([0-9]+)[\s\u00a0\u202f]?%", s)


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_track_record_in_another_language_has_the_same_verdicts_and_numbers_and_its_own_words(model, lang):
    en, other = track_record(model), track_record(model, lang=lang)
    assert list(other.columns) == list(en.columns)
    numbers = [c for c in en.columns if c not in TEXT_COLUMNS]
    assert other[numbers].equals(en[numbers])  # ids, joint feasibilities, hit or miss, what moved
    for c in TEXT_COLUMNS:
        assert (other[c] != en[c]).all(), c
    for r_en, r in zip(en.itertuples(), other.itertuples(), strict=True):
        cp = find_checkpoint(model, r.checkpoint)
        assert r.title == text(cp, "title", lang) and r.happened_summary == text(cp.happened, "summary", lang)
        assert r.first_label == text(model.data.options[r.first], "label", lang)
        # The reasons quote the same feasibilities, in the same order, as the English ones.
        assert _percentages(r.reason) == _percentages(r_en.reason)
        assert _percentages(r.reason_settlement) == _percentages(r_en.reason_settlement)
    assert "nothing moved" in set(en["happened"]) and "nothing moved" not in set(other["happened"])


def test_the_track_record_download_keeps_id_headers_in_every_language(model):
    en = track_record(model, draws=20, seed=3)
    assert track_record_download(model, en).equals(en)
    for lang in ("ja", "ru"):
        record = track_record(model, draws=20, seed=3, lang=lang)
        csv = track_record_download(model, record, lang)
        expected = [c for col in en.columns for c in ([col, f"{col}_{lang}"] if col in TEXT_COLUMNS else [col])]
        assert list(csv.columns) == expected
        # Under the ids, the same table as the English download; the words in the language beside it.
        assert csv[list(en.columns)].equals(en)
        assert csv[f"reason_{lang}"].tolist() == record["reason"].tolist()
    assert list(en["moved"]) == [";".join(cp.happened.options) for cp in model.data.checkpoints]


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_every_checkpoint_has_its_summary_and_what_happened_in_each_language(model, lang):
    for cp in model.data.checkpoints:
        assert text(cp, "summary", lang) and text(cp, "summary", lang) != cp.summary, cp.id
        assert text(cp.happened, "summary", lang) and text(cp.happened, "summary", lang) != cp.happened.summary


@pytest.mark.parametrize("change, said", [
    (lambda d: d["checkpoints"][0]["ru"].pop("summary"), "checkpoints.0.ru.summary: Field required"),
    (lambda d: d["checkpoints"][2]["happened"].pop("ja"), "checkpoints.2.happened.ja: Field required"),
    (lambda d: d["checkpoints"][4]["happened"]["ru"].pop("summary"),
     "checkpoints.4.happened.ru.summary: Field required"),
])
def test_a_checkpoint_without_its_translated_summary_is_refused_naming_file_record_and_field(tmp_path, change, said):
    folder = _copy(tmp_path)
    _edit(folder / "history" / "checkpoints.yaml", change)
    with pytest.raises(DataError) as e:
        load_model(folder)
    assert f"history/checkpoints.yaml: {said}" in e.value.problems, e.value.problems
