"""Scenario files in the app: a good file applies whole, a bad one is refused whole; the weights editor (AppTest)."""

from __future__ import annotations

import pytest

from dashboard.model.scenario import MAX_BYTES, Scenario, dump_scenario, parse_scenario
from dashboard.ui import files
from tests.app.helpers import (
    app,
    english_by_design,
    english_left,
    map_points,
    no_errors,
    shown,
    traces,
    uploader,
    visible_text,
)

KEY = "weight.tokyo.japan_public_support.declaration_1956"


def _upload(at, name: str, content: bytes):
    uploader(at).set_value((name, content, "application/octet-stream")).run()
    return at


def test_a_saved_scenario_opens_in_a_fresh_session_with_identical_scores(model):
    first = app(japan_public_support="33", months_to_election="2", option="four_islands",
                **{f"o.{KEY}": "5"})
    first.run()
    values = {d: first.sidebar.slider(key=d).value for d in model.driver_ids}
    saved = dump_scenario(Scenario(values, "Mine", "Why", {KEY: 5.0}, "four_islands", model.version), model)
    fresh = app()
    fresh.run()
    _upload(fresh, "mine.yaml", saved.encode())
    no_errors(fresh)
    assert {d: fresh.sidebar.slider(key=d).value for d in model.driver_ids} == values
    assert fresh.sidebar.selectbox(key="option").value == "four_islands"
    assert map_points(fresh) == map_points(first)
    assert "Opened mine.yaml: Mine" in shown(fresh.sidebar.success)
    assert "Mine" in shown(fresh.markdown[:1])  # the header names the scenario loaded


BAD = {
    "unknown driver": ('{"drivers": {"no_such": 1}}', "x.json", "drivers.no_such: unknown driver"),
    "out of range": ('{"drivers": {"japan_public_support": 500}}', "x.json", "500 is outside the allowed range"),
    "not a number": ('{"drivers": {"japan_public_support": "lots"}}', "x.json", "is text, not a number"),
    "wrong type": ('{"drivers": [1, 2, 3]}', "x.json", "drivers: expected a mapping"),
    "not yaml": ("drivers: [unclosed", "x.yaml", "not valid YAML"),
    "not json": ("{nope", "x.json", "not valid JSON"),
    "version": ('{"data_version": "1999.1"}', "x.json", "made with data version 1999.1"),
    "too large": ("#" * (MAX_BYTES + 10), "x.yaml", "the limit is 64 KB"),
    "not a scenario file": ("a,b\n1,2\n", "x.csv", "not a YAML or JSON file"),
    "binary": (b"\x00\xff\x00\xfe", "x.yaml", "not a text file"),
    "markup": ('{"title": "<img src=x onerror=alert(1)>", "drivers": {"zz<b>": 1}}', "x.json", "unknown driver"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_whole_and_the_scenario_is_untouched(model, case):
    content, name, message = BAD[case]
    at = app(japan_public_support="41", western_sanctions="77")
    at.run()
    before = map_points(at)
    _upload(at, name, content if isinstance(content, bytes) else content.encode())
    assert not at.exception
    text = shown(at.sidebar.error)
    assert message in text and "nothing changed" in text
    assert at.sidebar.slider(key="japan_public_support").value == 41
    assert at.sidebar.slider(key="western_sanctions").value == 77
    assert map_points(at) == before


def _edit_weight(at, key: str, value: float):
    """Edit one cell of the weights table, as a user's edit reaches the app."""
    (editor,) = [d for d in at.get("dataframe") if (d.key or "").startswith("_weights_editor")]
    rows = list(editor.value.index)
    at.session_state[editor.key] = {"edited_rows": {rows.index(key): {"value": value}}, "added_rows": [],
                                    "deleted_rows": []}
    return at.run()


def test_the_weights_editor_rescores_every_chart_and_reset_restores(model):
    at = app(japan_public_support="80")
    at.run()
    at.switch_page("views/weights.py").run()
    no_errors(at)
    _edit_weight(at, KEY, 6.0)
    no_errors(at)
    assert at.session_state["overrides"] == {KEY: 6.0}
    changes = {t["name"]: t["x"] for t in traces(at, "What changes")}
    expected = model.score({"japan_public_support": 80}, overrides={KEY: 6.0})
    plain = model.score({"japan_public_support": 80})
    i = model.option_ids.index("declaration_1956")
    assert changes["Tokyo"][i] == pytest.approx((expected - plain).at["declaration_1956", "tokyo"] * 100, abs=1e-9)
    at.switch_page("views/briefing.py").run()
    label = model.options.at["declaration_1956", "short_label"]
    assert map_points(at)[label][1] == pytest.approx(expected.at["declaration_1956", "tokyo"], abs=1e-12)
    assert "Overrides in force (1)" in shown(at.warning)
    at.switch_page("views/weights.py").run()
    at.button(key="_weights_reset").click().run()
    at.switch_page("views/briefing.py").run()
    assert map_points(at)[label][1] == pytest.approx(plain.at["declaration_1956", "tokyo"], abs=1e-12)
    assert "Overrides in force" not in shown(at.warning)


@pytest.mark.parametrize("value, reason", [(-2.0, "goes against the sign the source fixes"),
                                           (40.0, "outside the allowed range")])
def test_an_invalid_weight_is_refused_with_the_reason_and_nothing_changes(model, value, reason):
    at = app()
    at.run()
    at.switch_page("views/weights.py").run()
    _edit_weight(at, KEY, value)
    assert not at.exception
    assert reason in shown(at.error) and "Nothing was changed" in shown(at.error)
    assert at.session_state["overrides"] == {}


def test_overrides_travel_in_the_saved_scenario_file(model):
    at = app(japan_public_support="45", **{f"o.{KEY}": "5.5"})
    at.run()
    saved = files.saved_scenario(at.session_state["_context"], "With a heavier weight", "Testing the weight")
    back = parse_scenario(dump_scenario(saved, model), model, "saved.yaml")
    assert back.overrides == {KEY: 5.5} and back.drivers["japan_public_support"] == 45
    assert back.title == "With a heavier weight" and back.data_version == model.version


def test_a_bad_file_in_a_russian_session_is_refused_in_russian_naming_the_field(model):
    at = app(lang="ru", japan_public_support="41")
    at.run()
    _upload(at, "x.json", b'{"drivers": {"japan_public_support": 500, "no_such": 1}}')
    assert not at.exception
    error = shown(at.sidebar.error)
    assert error.startswith("Файл x.json не открыт, ничего не изменилось: ")
    assert "drivers.japan_public_support: 500 — вне допустимого диапазона от 0 до 100" in error
    assert "drivers.no_such: неизвестный фактор" in error
    assert at.sidebar.slider(key="japan_public_support").value == 41  # refused whole
    box = visible_text(at.sidebar)  # the box's labels and help, and the refusal
    assert not english_left(box, english_by_design(model)), english_left(box, english_by_design(model))


def test_a_good_file_in_a_japanese_session_says_so_in_japanese(model):
    at = app(lang="ja")
    at.run()
    _upload(at, "mine.yaml", dump_scenario(Scenario(model.baseline, "", ""), model).encode())
    no_errors(at)
    assert shown(at.sidebar.success) == "mine.yamlを開きました：無題。"
