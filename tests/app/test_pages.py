"""Every page runs, and what it plots is exactly what the model gives for the sliders' values (AppTest)."""

from __future__ import annotations

import pytest

from tests.app.helpers import PAGES, app, figures, map_points, no_errors, shown, traces


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_at_the_baseline(page):
    at = app()
    at.run()
    at.switch_page(page).run()
    no_errors(at)
    assert len(figures(at)) >= 1


@pytest.mark.parametrize("end", ["min", "max"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_every_driver_at_an_end_of_its_scale(model, page, end):
    at = app(**{d: str(int(v)) for d, v in model.assumptions[end].items()})
    at.run()
    at.switch_page(page).run()
    no_errors(at)
    for d, v in model.assumptions[end].items():
        assert at.sidebar.slider(key=d).value == v


def test_sidebar_has_one_slider_per_driver_with_its_range_and_source(model):
    at = app()
    at.run()
    a = model.assumptions
    for d in a.index:
        s = at.sidebar.slider(key=d)
        assert (s.min, s.max, s.value) == (a.at[d, "min"], a.at[d, "max"], a.at[d, "baseline"])
        assert a.at[d, "label"] in s.label
        assert "Source" in s.help and "2016 baseline" in s.help


def test_moving_a_slider_replots_exactly_the_models_scores(model):
    at = app()
    at.run()
    at.sidebar.slider(key="japan_public_support").set_value(31).run()
    at.sidebar.slider(key="russia_public_opposition").set_value(88).run()
    no_errors(at)
    expected = model.score({"japan_public_support": 31, "russia_public_opposition": 88})
    labels = model.options["short_label"]
    points = map_points(at)
    for o in model.option_ids:
        assert points[labels[o]] == pytest.approx((expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-12)
    bars = {t["name"]: t["x"] for t in traces(at, "Feasibility for each capital")}
    assert bars["Moscow"] == pytest.approx(list(expected["moscow"]), abs=1e-12)
    assert bars["Tokyo"] == pytest.approx(list(expected["tokyo"]), abs=1e-12)
    assert bars["Both (joint)"] == pytest.approx(list(expected["joint"]), abs=1e-12)


def test_headline_follows_the_scores(model):
    at = app()
    at.run()
    for d in ("japan_public_support", "japan_bloc_fear", "japan_growth_pessimism", "japan_china_threat"):
        at.sidebar.slider(key=d).set_value(0)
    at.run()
    assert "No option is acceptable to both capitals" in shown(at.subheader)


@pytest.mark.parametrize("preset_id", ["snap-election", "russia-leans-on-china", "summit-momentum"])
def test_a_preset_sets_every_slider(model, preset_id):
    at = app(japan_public_support="12")
    at.run()
    at.sidebar.selectbox(key="_preset_pick").set_value(preset_id).run()
    no_errors(at)
    want = {**model.baseline, **model.data.presets[preset_id].drivers}
    for d, v in want.items():
        assert at.sidebar.slider(key=d).value == v, d
    assert at.sidebar.selectbox(key="_preset_pick").value is None  # ready to pick again
    assert model.data.presets[preset_id].title in shown(at.markdown[:1])  # the header's scenario line


def test_reset_returns_every_slider_to_2016(model):
    at = app(japan_public_support="12", months_to_election="40")
    at.run()
    at.sidebar.button(key="_reset").click().run()
    for d, v in model.baseline.items():
        assert at.sidebar.slider(key=d).value == v
    points = map_points(at)
    base = model.score({})
    assert points[model.options.at["four_islands", "short_label"]][1] == pytest.approx(base.at["four_islands", "tokyo"])


def test_values_survive_a_page_switch():
    at = app()
    at.run()
    at.sidebar.slider(key="western_sanctions").set_value(90).run()
    at.switch_page("views/sensitivity.py").run()
    at.switch_page("views/briefing.py").run()
    assert at.sidebar.slider(key="western_sanctions").value == 90


def test_the_examined_option_drives_the_why_page(model):
    at = app(option="two_plus_two")
    at.run()
    at.switch_page("views/why.py").run()
    no_errors(at)
    assert model.options.at["two_plus_two", "label"] in shown(at.title)
    at.sidebar.selectbox(key="option").set_value("joint_management").run()
    assert model.options.at["joint_management", "label"] in shown(at.title)


def test_why_waterfall_adds_up_to_the_score(model):
    scenario = {"japan_public_support": 70, "months_to_election": 1}
    at = app(option="declaration_1956", **{k: str(v) for k, v in scenario.items()})
    at.run()
    at.switch_page("views/why.py").run()
    s = model.score(scenario)
    from scipy.special import logit
    for capital in ("Moscow", "Tokyo"):
        (t,) = traces(at, f"{capital}: why")
        total = t["base"] + sum(t["x"][:-1])
        assert total == pytest.approx(logit(s.at["declaration_1956", capital.lower()]), abs=1e-9)
        assert t["base"] + t["x"][-1] == pytest.approx(total, abs=1e-9)


def test_sensitivity_plots_the_chosen_driver_and_output(model):
    at = app(analysis="sweep", sweep_driver="western_sanctions", output="moscow")
    at.run()
    at.switch_page("views/sensitivity.py").run()
    no_errors(at)
    assert at.selectbox(key="sweep_driver").value == "western_sanctions"
    sweep = traces(at, "All options as Western sanctions")
    assert sweep[0]["x"][0] == 0 and sweep[0]["x"][-1] == 100


def test_uncertainty_is_reproducible_by_seed():
    at = app(seed="7", draws="1000")
    at.run()
    at.switch_page("views/uncertainty.py").run()
    no_errors(at)
    first = traces(at, "comes out on top")[0]["x"]
    again = app(seed="7", draws="1000")
    again.run()
    again.switch_page("views/uncertainty.py").run()
    assert traces(again, "comes out on top")[0]["x"] == first


def test_compare_shows_the_change_between_two_scenarios(model):
    at = app(compare_a="baseline", compare_b="snap-election")
    at.run()
    at.switch_page("views/compare.py").run()
    no_errors(at)
    a = model.score({})
    b = model.score(model.data.presets["snap-election"].drivers)
    change = {t["name"]: t["x"] for t in traces(at, "What changes")}
    assert change["Tokyo"] == pytest.approx(list((b["tokyo"] - a["tokyo"]) * 100), abs=1e-9)


def test_method_page_runs_the_calibration_live(model):
    at = app()
    at.run()
    at.switch_page("views/method.py").run()
    no_errors(at)
    n = len(model.data.calibration)
    assert f"{n} of {n} claims hold" in shown(at.success)


@pytest.mark.parametrize("analysis, title", [("tornado", "What moves Tokyo on"), ("sweep", "All options as"),
                                             ("grid", "two drivers at once"), ("election", "as the election nears")])
def test_each_sensitivity_analysis_draws_its_own_chart_with_its_summary_and_download(analysis, title):
    at = app(analysis=analysis)
    at.run()
    at.switch_page("views/sensitivity.py").run()
    no_errors(at)
    charts = figures(at)
    assert len(charts) == 1 and title in charts[0]["layout"]["title"]["text"]
    assert at.caption  # the chart's text summary
    assert at.get("download_button")


@pytest.mark.parametrize("page", ["views/briefing.py", "views/sensitivity.py", "views/history.py"])
def test_toolbar_offers_zoom_only_on_charts_that_zoom(page):
    """A chart fixed in place shows no zoom or pan buttons that would do nothing; every chart keeps its download."""
    import json
    at = app()
    at.run()
    at.switch_page(page).run()
    no_errors(at)
    seen = set()
    for element in at.get("plotly_chart"):
        spec, config = json.loads(element.proto.spec), json.loads(element.proto.config)
        removed = set(config.get("modeBarButtonsToRemove", []))
        fixed = spec["layout"].get("dragmode") is False
        seen.add(fixed)
        assert ({"zoom2d", "pan2d", "zoomIn2d", "zoomOut2d"} <= removed) == fixed, spec["layout"]["title"]["text"]
        assert "toImage" not in removed and config.get("displayModeBar", True) is not False
    assert seen  # the page drew charts
