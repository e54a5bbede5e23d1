"""The History page, the "as of" start point and the events, in the app (AppTest)."""

from __future__ import annotations

import pytest

from dashboard import i18n
from dashboard.model.history import find_checkpoint, start_sources, start_values, track_record
from dashboard.model.schema import text
from tests.app.helpers import app, decode, figures, map_points, no_errors, shown


def test_the_history_page_shows_the_timeline_the_track_record_and_their_downloads(model):
    at = app()
    at.run()
    at.switch_page("views/history.py").run()
    no_errors(at)
    fig = next(f for f in figures(at) if "checkpoint" in f["layout"]["title"]["text"])
    assert fig["layout"]["xaxis"]["type"] == "date"
    dates = {d[:10] for t in fig["data"] for d in t["x"]}
    assert dates == {cp.date.isoformat() for cp in model.data.checkpoints}
    numbers = [a for a in fig["layout"]["annotations"] if a.get("hovertext")]
    assert [a["text"] for a in numbers] == [str(i) for i in range(1, len(model.data.events) + 1)]
    assert len([s for s in fig["layout"]["shapes"] if s.get("yref") == "paper"]) == len(model.data.events)
    assert any("constitution" in a["hovertext"] for a in numbers)
    assert "constitution" in fig["layout"]["meta"]["summary"]  # the key to the numbers, under the chart
    table = at.dataframe[0].value
    assert len(table) == len(model.data.checkpoints)
    assert set(table["Hit"]) <= {"hit", "miss"}
    expected_hits = int(track_record(model)["hit"].sum())
    assert f"matches what happened at {expected_hits} of {len(table)}" in shown(at.caption)
    assert "weights throughout" in shown(at.caption)  # the chart's text summary
    assert {"_dl_track_record", "_dl_history_scores"} <= {b.key for b in at.get("download_button")}


def test_the_sidebar_says_the_default_start_is_the_op_ed():
    at = app()
    at.run()
    assert "**As of:** October 2016 (the op-ed)" in shown(at.sidebar.markdown)
    assert at.sidebar.button(key="_reset").label == "Reset to October 2016 (the op-ed)"


def test_an_as_of_link_starts_from_that_date_and_reset_returns_there(model):
    cp = find_checkpoint(model, "2022-03-suspension")
    at = app(asof="2022-03-25")
    at.run()
    no_errors(at)
    assert not at.warning
    assert at.sidebar.selectbox(key="asof").value == cp.id
    support = cp.drivers["japan_public_support"].value
    assert at.sidebar.slider(key="japan_public_support").value == support
    assert "**As of:** March 2022" in shown(at.sidebar.markdown)
    # The events then in force apply: Moscow accepts no transfer of territory.
    label = model.options.at["declaration_1956", "short_label"]
    assert map_points(at)[label][0] <= 0.02
    at.sidebar.slider(key="japan_public_support").set_value(10).run()
    at.sidebar.button(key="_reset").click().run()
    assert at.sidebar.slider(key="japan_public_support").value == support
    assert at.session_state["_events"] == set(cp.events)


def test_choosing_another_start_date_sets_every_driver_to_its_value_then(model):
    at = app()
    at.run()
    at.sidebar.selectbox(key="asof").set_value("2018-11-singapore").run()
    no_errors(at)
    values = start_values(model, find_checkpoint(model, "2018-11-singapore"))
    for d in model.driver_ids:
        assert at.sidebar.slider(key=d).value == values[d], d
    assert "singapore_2018" in at.session_state["_events"]


@pytest.mark.parametrize("params, said", [
    ({"asof": "1990-01-01"}, "before the first checkpoint"),
    ({"asof": "<b>soon</b>"}, "not a checkpoint or a date"),
    ({"events": "amendment_2020,atlantis"}, "unknown event (atlantis) ignored"),
])
def test_a_malformed_date_or_event_gives_one_notice_and_a_working_page(params, said):
    at = app(**params)
    at.run()
    no_errors(at)
    assert len(at.warning) == 1 and said in shown(at.warning)
    assert "<b>" not in shown(at.warning)


def test_an_event_from_a_link_is_in_force_on_every_page(model):
    at = app(events="amendment_2020")
    at.run()
    label = model.options.at["declaration_1956_plus_zone", "short_label"]
    assert map_points(at)[label][0] <= 0.02
    assert "Events in force: 1 of" in shown(at.sidebar.caption)
    at.switch_page("views/why.py").run()
    no_errors(at)


def test_an_old_pinned_link_without_the_new_driver_opens_with_a_notice(model):
    params = {d: str(int(v)) for d, v in model.baseline.items() if not model.data.drivers[d].introduced_by}
    at = app(v="2016.1", **params)
    at.run()
    no_errors(at)
    assert "russia_west_confrontation" in shown(at.warning) and "made before this driver existed" in shown(at.warning)
    assert "2016.1" in shown(at.info)  # what changed since


def test_compare_sets_two_dates_side_by_side(model):
    at = app()
    at.run()
    at.switch_page("views/compare.py").run()
    at.selectbox(key="compare_a").set_value("2016-12-nagato").run()
    at.selectbox(key="compare_b").set_value("2026-02-now").run()
    no_errors(at)
    assert at.dataframe  # the assumptions differ between the two dates


def test_presenter_mode_steps_through_the_dates(model):
    at = app(view="present", tour="dates")
    at.run()
    no_errors(at)
    first, second = model.data.checkpoints[0], model.data.checkpoints[1]
    assert "October 2016 (the op-ed)" in shown(at.title)
    at.button(key="_next").click().run()
    assert str(second.date.year) in shown(at.title) and "Date 2 of" in shown(at.markdown)
    assert first.id != second.id


def test_the_viewer_opens_an_as_of_link(model):
    at = app(view="viewer", asof="2020-07-amendment")
    at.run()
    no_errors(at)
    assert "as of July 2020" in shown(at.caption)


def test_the_method_page_states_the_no_tuning_rule_and_lists_every_miss(model):
    at = app()
    at.run()
    at.switch_page("views/method.py").run()
    no_errors(at)
    text = shown(at.markdown)
    assert "No per-date tuning" in text
    t = track_record(model)
    for r in t[~t["hit"] | ~t["hit_settlement"]].itertuples():
        assert f"{r.date} · {r.title}" in text


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_history_page_in_another_language_shows_the_same_record_and_numbers_in_its_words(model, lang):
    pages = {}
    for language in ("en", lang):
        at = app(lang=language)
        at.run()
        at.switch_page("views/history.py").run()
        no_errors(at)
        pages[language] = at
    en, other = pages["en"], pages[lang]
    gettext = i18n.gettext_for(lang)
    # The chart plots the same numbers; its title is the language's.
    fig_en, fig = figures(en)[0], figures(other)[0]
    assert [decode(t["y"]) for t in fig["data"]] == [decode(t["y"]) for t in fig_en["data"]]
    title = fig["layout"]["title"]["text"].replace("<br>", " ")  # a long title is broken into lines
    assert title == gettext("Feasibility at each checkpoint, October 2016 to now")
    # The track record: headers, verdicts and dates in the language; the same verdicts as in English.
    table, table_en = other.dataframe[0].value, en.dataframe[0].value
    assert list(table.columns[:4]) == [gettext("Date"), gettext("Checkpoint"), gettext("Ranked first (all options)"),
                                       gettext("Hit")]
    verdicts = table[gettext("Hit")].map({gettext("hit"): "hit", gettext("miss"): "miss"})
    assert verdicts.tolist() == table_en["Hit"].tolist()
    assert table[gettext("Date")].tolist() == [i18n.day(cp.date, lang) for cp in model.data.checkpoints]
    assert table[gettext("Checkpoint")].tolist() == [text(cp, "title", lang) for cp in model.data.checkpoints]
    # The checkpoints list: each summary and what happened next, in the language.
    listed = shown(other.markdown)
    for cp in model.data.checkpoints:
        assert text(cp, "summary", lang) in listed and text(cp.happened, "summary", lang) in listed, cp.id
    assert {b.label for b in other.get("download_button")} == {gettext("Track record (CSV)"),
                                                               gettext("Scores at every checkpoint (CSV)")}


def test_presenter_mode_steps_through_the_dates_in_japanese(model):
    at = app(view="present", tour="dates", lang="ja")
    at.run()
    no_errors(at)
    first = model.data.checkpoints[0]
    assert text(first, "summary", "ja") in shown(at.markdown)
    assert text(first.happened, "summary", "ja") in shown(at.caption)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_drivers_at_a_checkpoint_are_listed_with_the_source_of_each_value(model, lang):
    """Each number behind a point of the timeline is traced: the value a checkpoint gives, and where it comes from."""
    from dashboard.model.citations import render_provenance

    cp = find_checkpoint(model, "2022-03-suspension")
    at = app(lang=lang, asof=cp.id)
    at.run()
    at.switch_page("views/history.py").run()
    no_errors(at)
    assert at.selectbox(key="_history_checkpoint").value == cp.id  # the sidebar's start date is shown first
    table = at.dataframe[-1].value
    assert len(table) == len(model.data.drivers)
    sources = table.iloc[:, -1].tolist()
    for d, value in cp.drivers.items():
        row = list(model.data.drivers).index(d)
        assert sources[row] == render_provenance(value, model.data.sources, lang)
    changed = table.iloc[:, 2].tolist()
    before = start_values(model, model.data.checkpoints[model.data.checkpoints.index(cp) - 1])
    now = start_values(model, cp)
    assert [bool(c) for c in changed] == [now[d] != before[d] for d in model.data.drivers]


def test_the_viewer_of_an_as_of_link_cites_that_dates_values_not_2016s(model):
    cp = find_checkpoint(model, "2022-03-suspension")
    at = app(view="viewer", asof=cp.id)
    at.run()
    no_errors(at)
    table = at.table[0].value
    d = "russia_west_confrontation"  # a driver whose value in 2022 has its own source
    row = table.iloc[list(model.data.drivers).index(d)]
    assert row.iloc[-1] == start_sources(model, cp, short=True)[d]
    assert row.iloc[-1] != start_sources(model, model.data.checkpoints[0], short=True)[d]
    assert "2016" not in " ".join(table.iloc[:, 1])  # every value is as at that date: none says it moved from 2016
    moved = app(view="viewer", asof=cp.id, japan_public_support="20")
    moved.run()
    values = moved.table[0].value.iloc[:, 1].tolist()
    assert [v for v in values if "(" in v] == [f"20% ({i18n.month(cp.date)}: "
                                               f"{start_values(model, cp)['japan_public_support']:g}%)"]


def test_the_viewer_says_what_a_moved_assumption_was_at_the_start(model):
    at = app(view="viewer", japan_public_support="40")
    at.run()
    table = at.table[0].value
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    label = model.assumptions.at["japan_public_support", "label"]
    assert values[label] == "40% (2016: 54%)"
    assert sum("(2016:" in v for v in values.values()) == 1  # the others did not move
