"""Links: bad parameters open the app with a notice and sensible values; the read-only views render (AppTest)."""

from __future__ import annotations

import pytest

from dashboard import i18n
from dashboard.links import parse_link
from dashboard.model.scenario import preset
from dashboard.ui.state import default_option, page_specs
from tests.app.helpers import app, english_by_design, english_left, map_points, no_errors, shown, traces

BAD_VALUES = ["abc", "57.6", "", "nan", "inf", "-inf", "1e400", "-5", "101", "５４", " 54", "5_4", "0x10",
              "<script>alert(1)</script>", "![x](http://example.com/x.png)", "9" * 3000, "54.0", "2016-10-27"]


@pytest.mark.parametrize("raw", BAD_VALUES)
def test_a_bad_driver_value_opens_with_the_value_the_notice_states(model, raw):
    at = app(japan_public_support=raw)
    at.run()
    no_errors(at)
    value = at.sidebar.slider(key="japan_public_support").value
    expected = parse_link({"japan_public_support": [raw]}, model, default_option(model)).values["japan_public_support"]
    assert value == expected  # the stakeholder view, which has no slider, reads the link the same way
    notice = shown(at.warning)
    if str(raw).strip() not in ("54", "54.0"):
        assert "japan_public_support" in notice and f"{value:g}" in notice
    assert "<" not in notice and "](" not in notice and "http" not in notice


def test_a_repeated_value_falls_back_to_2016(model):
    at = app(japan_public_support=["30", "70"])
    at.run()
    assert at.sidebar.slider(key="japan_public_support").value == model.baseline["japan_public_support"]
    assert "given 2 times" in shown(at.warning)


def test_many_problems_give_one_notice_and_the_rest_of_the_link_still_applies(model):
    at = app(japan_public_support="abc", months_to_election="99", zzz="1", option="nope", view="upside-down",
             western_sanctions="80")
    at.run()
    no_errors(at)
    assert len(at.warning) == 1
    text = shown(at.warning)
    for param in ("japan_public_support", "months_to_election", "zzz", "option", "view"):
        assert param in text
    assert at.sidebar.slider(key="western_sanctions").value == 80
    assert at.sidebar.selectbox(key="option").value == default_option(model)


def test_the_notice_can_be_dismissed():
    at = app(zzz="1")
    at.run()
    assert at.warning
    at.button(key="_dismiss_notices").click().run()
    assert not at.warning


def test_an_old_data_version_is_explained():
    at = app(v="2015.1", japan_public_support="40")
    at.run()
    assert "data version 2015.1" in shown(at.info)


def test_a_link_override_rescores_and_is_listed(model):
    key = "weight.tokyo.japan_public_support.declaration_1956"
    at = app(**{f"o.{key}": "6", "japan_public_support": "80"})
    at.run()
    no_errors(at)
    expected = model.score({"japan_public_support": 80}, overrides={key: 6})
    label = model.options.at["declaration_1956", "short_label"]
    assert map_points(at)[label][1] == pytest.approx(expected.at["declaration_1956", "tokyo"], abs=1e-12)
    assert "Overrides in force (1)" in shown(at.warning)


def test_page_choices_from_a_link_are_applied(model):
    at = app(analysis="grid", grid_x="western_sanctions", grid_y="putin_standing")
    at.run()
    at.switch_page("views/sensitivity.py").run()
    no_errors(at)
    assert at.segmented_control(key="analysis").value == "grid"
    assert at.selectbox(key="grid_x").value == "western_sanctions"
    assert at.selectbox(key="grid_y").value == "putin_standing"
    at = app(analysis="election", election_window=["30", "6"])
    at.run()
    at.switch_page("views/sensitivity.py").run()
    months = traces(at, "as the election nears")[0]["x"]
    assert min(months) == 6 and max(months) == 30  # the reversed range, put in order


# ----------------------------------------------------------------------------------------- the two views
def test_viewer_has_no_sliders_but_the_table_and_the_models_numbers(model):
    at = app(view="viewer", japan_public_support="62", option="four_islands")
    at.run()
    no_errors(at)
    assert len(at.slider) == 0 and len(at.sidebar.slider) == 0
    assert len(at.table) == 1
    expected = model.score({"japan_public_support": 62})
    for o, (m, t) in zip(model.option_ids, [map_points(at)[model.options.at[o, "short_label"]]
                                             for o in model.option_ids], strict=True):
        assert (m, t) == pytest.approx((expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-12)


def test_viewer_reads_a_bad_link_as_the_full_app_does(model):
    raw = {"japan_public_support": "57.6", "months_to_election": "abc"}
    full = app(**raw)
    full.run()
    viewer = app(view="viewer", **raw)
    viewer.run()
    assert map_points(full) == map_points(viewer)
    assert "months_to_election" in shown(viewer.warning)


@pytest.mark.parametrize("step", [1, 3, 8])
def test_presenter_shows_the_steps_scenario(model, step):
    at = app(view="present", step=str(step))
    at.run()
    no_errors(at)
    preset_id = model.data.presentation[step - 1]
    assert shown(at.title[:1]) == model.data.presets[preset_id].title
    expected = model.score(preset(model, preset_id).drivers)
    label = model.options.at["economy_first", "short_label"]
    assert map_points(at)[label] == pytest.approx(tuple(expected.loc["economy_first", ["moscow", "tokyo"]]))


def test_presenter_steps_forward_and_back(model):
    at = app(view="present")
    at.run()
    at.button(key="_next").click().run()
    at.button(key="_next").click().run()
    assert shown(at.title[:1]) == model.data.presets[model.data.presentation[2]].title
    at.button(key="_prev").click().run()
    assert shown(at.title[:1]) == model.data.presets[model.data.presentation[1]].title
    assert at.button(key="_prev").disabled is False


def test_presenter_shows_a_link_with_driver_values_exactly(model):
    """A link is the scenario: drivers it sets are used (the rest at 2016), the step gives the title."""
    at = app(view="present", step="2", japan_public_support="33")
    at.run()
    assert "adjusted" in shown(at.markdown)
    expected = model.score({"japan_public_support": 33})
    label = model.options.at["declaration_1956", "short_label"]
    assert map_points(at)[label][1] == pytest.approx(expected.at["declaration_1956", "tokyo"])


def test_every_page_choice_the_share_link_carries_is_one_a_link_can_set(model):
    """What each page remembers for the share link is a parameter the link parser reads, and every such
    parameter belongs to some page (a stale one would be accepted from links and never used)."""
    from tests.app.helpers import PAGES

    remembered: set[str] = set()
    for page in PAGES:
        for analysis in (("tornado", "sweep", "grid", "election") if "sensitivity" in page else ("tornado",)):
            at = app(analysis=analysis)
            at.run()
            at.switch_page(page).run()
            no_errors(at)
            remembered |= set(at.session_state["_page_params"])
    # `tour` is presenter mode's own choice (scenarios or dates), set by its stepper, not by a page of the full app.
    assert remembered == set(page_specs(model)) - {"tour"}


def test_the_uncertainty_draw_choice_is_shown_and_round_trips_in_a_link(model):
    """Drivers only by default; a link asking for the model's numbers draws them, and the share link keeps it."""
    at = app(draws="1000")
    at.run()
    at.switch_page("views/uncertainty.py").run()
    no_errors(at)
    assert at.radio(key="draw").value == "drivers"
    drivers_only = traces(at, "comes out on top")[0]["x"]
    assert not [f for f in at.get("plotly_chart") if "first place depends on" in f.proto.spec]
    at = app(draws="1000", draw="drivers_and_model")
    at.run()
    at.switch_page("views/uncertainty.py").run()
    no_errors(at)
    assert at.radio(key="draw").value == "drivers_and_model"
    assert at.session_state["_page_params"]["draw"] == "drivers_and_model"  # carried by the share link
    assert traces(at, "comes out on top")[0]["x"] != drivers_only
    assert traces(at, "first place depends on")
    at.radio(key="draw").set_value("drivers").run()
    assert "draw" not in at.session_state["_page_params"] or at.session_state["_page_params"]["draw"] == "drivers"


def test_a_malformed_draw_choice_gives_one_notice_and_draws_the_drivers_only():
    at = app(draw="<b>everything</b>", draws="1000")
    at.run()
    at.switch_page("views/uncertainty.py").run()
    no_errors(at)
    assert len(at.warning) == 1 and "draw" in shown(at.warning) and "<b>" not in shown(at.warning)
    assert at.radio(key="draw").value == "drivers"


def test_a_japanese_session_is_told_in_japanese_what_a_link_got_wrong_and_in_russian_once_it_switches(model):
    at = app(lang="ja", japan_public_support="abc", months_to_election="99", zzz="1", v="2015.1")
    at.run()
    no_errors(at)
    ja = i18n.gettext_for("ja")
    notice = shown(at.warning)
    baseline = f"{model.baseline['japan_public_support']:g}"
    # Each parameter is named as the link has it; what was wrong and what was used instead are said in Japanese.
    assert f"japan_public_support：{ja('not a number')}。" in notice
    assert ja("used the 2016 baseline, {value}").format(value=baseline) in notice
    assert "months_to_election：" in notice and "zzz：" in notice
    assert not english_left([notice, shown(at.info)], english_by_design(model) + _changelog(model)), notice
    at.sidebar.selectbox(key="lang").set_value("ru").run()
    notice = shown(at.warning)
    assert "japan_public_support: не число; " in notice
    assert not english_left([notice, shown(at.info)], english_by_design(model) + _changelog(model)), notice


def _changelog(model) -> list[str]:
    """The data's changelog, quoted in the version notice as data/manifest.yaml writes it (English)."""
    return ["; ".join(c for e in model.data.manifest.changelog for c in e.changes)] + \
        [c for e in model.data.manifest.changelog for c in e.changes]
