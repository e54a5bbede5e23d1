"""The Sensitivity page: tornado, one-driver sweep, two-driver heat map and election timeline."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dashboard.charts import briefing, sensitivity, summary_of, theme
from dashboard.model import analysis
from dashboard.model.explain import format_value, option_labels, pct
from dashboard.model.schema import text
from tests.charts.helpers import SCENARIO, arr, map_points, vlines

OPTION = "declaration_1956"


@pytest.fixture(scope="module")
def swings(model):
    return analysis.tornado(model, SCENARIO, OPTION, "moscow")


@pytest.fixture(scope="module")
def curves(model):
    return analysis.sweep(model, SCENARIO, "japan_public_support")


@pytest.fixture(scope="module")
def surface(model):
    grid = analysis.grid(model, SCENARIO, "japan_public_support", "months_to_election", points=21)
    return grid[grid["option"] == OPTION]


# ------------------------------------------------------------------------------------------------------- tornado
def test_tornado_bars_start_at_the_current_score_and_end_at_the_swung_scores(swings, scores, labels, units):
    fig = sensitivity.tornado(swings, "moscow", labels[OPTION], units)
    now = scores.at[OPTION, "moscow"]
    low, high = fig.data
    for bar, end in ((low, "score_low"), (high, "score_high")):
        assert bar.base == pytest.approx(now, abs=1e-15)
        np.testing.assert_allclose(bar.base + arr(bar.x), swings[end].head(10).to_numpy(), rtol=0, atol=1e-15)
    assert vlines(fig) == [pytest.approx(now, abs=1e-15)]


def test_tornado_shows_the_top_drivers_by_swing_in_order(swings, labels, units):
    fig = sensitivity.tornado(swings, "moscow", labels[OPTION], units, top=5)
    for bar in fig.data:
        assert list(bar.y) == list(swings["label"].head(5))
    ordered = swings.set_index("label").loc[list(fig.data[0].y), "swing"].to_numpy()
    assert np.all(np.diff(ordered) <= 0) and ordered[0] == swings["swing"].max()
    assert fig.layout.yaxis.autorange == "reversed"  # largest at the top


def test_tornado_bars_carry_the_driver_values_and_differ_by_pattern(swings, labels, units):
    fig = sensitivity.tornado(swings, "moscow", labels[OPTION], units)
    low, high = fig.data
    head = swings.head(10)
    assert list(low.text) == [format_value(v, units[d]) for v, d in zip(head["low"], head["driver"], strict=True)]
    assert list(high.text) == [format_value(v, units[d]) for v, d in zip(head["high"], head["driver"], strict=True)]
    assert low.marker.pattern.shape != high.marker.pattern.shape


def test_tornado_summary_names_the_top_driver_capital_and_option(swings, labels, units):
    first = swings.iloc[0]
    summary = summary_of(sensitivity.tornado(swings, "moscow", labels[OPTION], units))
    assert summary.startswith(f"{first['label']} moves Moscow's feasibility of {labels[OPTION]} most")
    assert pct(first["score_low"]) in summary and pct(first["score_high"]) in summary


# --------------------------------------------------------------------------------------------------------- sweep
def test_sweep_plots_every_option_for_every_capital(curves, labels):
    fig = sensitivity.sweep(curves, "Support", "%", SCENARIO["japan_public_support"], labels)
    outputs = ("moscow", "tokyo", "joint")
    assert len(fig.data) == len(labels) * len(outputs)
    for k, t in enumerate(fig.data):
        option, output = list(labels)[k // 3], outputs[k % 3]
        group = curves[curves["option"] == option]
        assert t.name == labels[option]
        np.testing.assert_array_equal(arr(t.x), group["value"].to_numpy())
        np.testing.assert_array_equal(arr(t.y), group[output].to_numpy())
    assert [a.text for a in fig.layout.annotations] == ["Moscow", "Tokyo", "Both"]


def test_sweep_marks_the_current_value_in_every_panel(curves, labels):
    now = SCENARIO["japan_public_support"]
    fig = sensitivity.sweep(curves, "Support", "%", now, labels)
    assert vlines(fig) == [now] * 3
    assert sorted(s.xref for s in fig.layout.shapes) == ["x", "x2", "x3"]


def test_options_keep_their_colour_from_map_to_sweep_and_timeline(model, curves, scores, labels, threshold):
    fmap = briefing.feasibility_map(scores, labels, threshold)
    sweep = sensitivity.sweep(curves, "Support", "%", SCENARIO["japan_public_support"], labels)
    timeline = sensitivity.election_timeline(analysis.sweep(model, SCENARIO, "months_to_election"), labels,
                                             12.0, 70.0, 50.0)
    for i, option in enumerate(model.option_ids):
        s = theme.option_style(i)
        (point,) = [p for p in map_points(fmap) if p["name"] == labels[option]]
        assert (point["color"], point["symbol"]) == (s["color"], s["symbol"])
        for t in [*(t for t in sweep.data if t.name == labels[option]),
                  *(t for t in timeline.data if t.name == labels[option])]:
            assert (t.line.color, t.line.dash) == (s["color"], s["dash"])


def test_sweep_summary_names_the_best_option_now_and_its_range(model, labels):
    """At a scenario where the best option is not the first one listed, the summary still finds it."""
    scenario = {**SCENARIO, "japan_public_support": 100.0, "russia_public_opposition": 0.0}
    best = model.score(scenario)["joint"].idxmax()
    assert best != model.option_ids[0]
    curves = analysis.sweep(model, scenario, "russia_public_opposition")
    joint = curves.loc[curves["option"] == best, "joint"]
    summary = summary_of(sensitivity.sweep(curves, "Opposition", "%", 0.0, labels))
    assert f"{labels[best]} (the best now) ranges from {pct(joint.min())} to {pct(joint.max())}" in summary
    assert "Opposition now, 0%" in summary


# ------------------------------------------------------------------------------------------------------- heatmap
def test_heatmap_uses_the_grid_values_on_a_fixed_colour_scale(surface, labels, threshold):
    fig = sensitivity.heatmap(surface, "Support", "Months", "tokyo", labels[OPTION], (70.0, 12.0), threshold)
    heat = fig.data[0]
    xs, ys = np.unique(surface["x"]), np.unique(surface["y"])
    np.testing.assert_array_equal(arr(heat.x), xs)
    np.testing.assert_array_equal(arr(heat.y), ys)
    z = np.asarray(heat.z, dtype=float)
    assert z.shape == (len(ys), len(xs))
    for row in surface.sample(25, random_state=0).itertuples():
        assert z[np.searchsorted(ys, row.y), np.searchsorted(xs, row.x)] == row.tokyo
    assert (heat.zmin, heat.zmax) == (0, 1)


def test_heatmap_marks_now_and_draws_the_acceptance_line(surface, labels, threshold):
    fig = sensitivity.heatmap(surface, "Support", "Months", "tokyo", labels[OPTION], (70.0, 12.0), threshold)
    assert surface["tokyo"].min() < threshold < surface["tokyo"].max()
    (star,) = [t for t in fig.data if t.type == "scatter"]
    assert (arr(star.x).tolist(), arr(star.y).tolist()) == ([70.0], [12.0])
    (line,) = [t for t in fig.data if t.type == "contour"]
    assert line.contours.start == line.contours.end == threshold
    accept = float((surface["tokyo"] >= threshold).mean())
    summary = summary_of(fig)
    assert f"{accept:.0%} of the grid is at or above {pct(threshold)}" in summary
    assert summary.startswith(f"Tokyo's feasibility of {labels[OPTION]}")


def test_heatmap_has_no_acceptance_line_when_the_grid_never_crosses_it(surface, labels):
    above = float(surface["tokyo"].max()) + 0.01
    fig = sensitivity.heatmap(surface, "Support", "Months", "tokyo", labels[OPTION], (70.0, 12.0), above)
    assert not [t for t in fig.data if t.type == "contour"]
    assert "0% of the grid is at or above" in summary_of(fig)


# --------------------------------------------------------------------------------------------- election timeline
def test_election_timeline_counts_down_to_the_vote_and_marks_now(model, labels):
    curves = analysis.sweep(model, SCENARIO, "months_to_election")
    fig = sensitivity.election_timeline(curves, labels, 12.0, 70.0, 50.0)
    assert fig.layout.xaxis.autorange == "reversed"
    assert vlines(fig) == [12.0]
    for t, option in zip(fig.data, model.option_ids, strict=True):
        group = curves[curves["option"] == option]
        np.testing.assert_array_equal(arr(t.x), group["value"].to_numpy())
        np.testing.assert_array_equal(arr(t.y), group["tokyo"].to_numpy())


@pytest.mark.parametrize(("support", "word"), [(70.0, "more attractive"), (30.0, "less attractive")])
def test_election_summary_matches_which_way_the_curves_go(model, labels, support, word):
    """Above the pivot a nearer election helps compromise in Tokyo, below it hurts; the plotted curves agree."""
    pivot = next(iter(model.data.coefficients.interactions.values())).pivot
    assert (support > pivot) == (word == "more attractive")
    curves = analysis.sweep(model, {**SCENARIO, "japan_public_support": support}, "months_to_election")
    fig = sensitivity.election_timeline(curves, labels, 12.0, support, pivot)
    assert f"a nearer election makes compromises {word} to Tokyo" in summary_of(fig)
    (trace,) = [t for t in fig.data if t.name == labels[OPTION]]
    at_vote, far_off = trace.y[int(np.argmin(trace.x))], trace.y[int(np.argmax(trace.x))]
    assert (at_vote > far_off) == (word == "more attractive")


def test_election_summary_at_the_pivot_says_timing_makes_no_difference(model, labels):
    pivot = next(iter(model.data.coefficients.interactions.values())).pivot
    curves = analysis.sweep(model, {**SCENARIO, "japan_public_support": pivot}, "months_to_election")
    fig = sensitivity.election_timeline(curves, labels, 12.0, pivot, pivot)
    assert "makes no difference" in summary_of(fig)
    for t in fig.data:
        assert np.ptp(arr(t.y)) == pytest.approx(0, abs=1e-12)


# ----------------------------------------------------------------------------------------- Japanese and Russian
_SCRIPT = {"ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"), "ru": re.compile(r"[А-Яа-яЁё]")}
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row


def _words(fig) -> list[str]:
    """The chart's own words: title, axis and colour-bar titles, annotations, trace names, hover text, summary."""
    layout = fig.layout
    out = [layout.title.text, summary_of(fig)]
    out += [axis.title.text for name in dir(layout) if name.startswith(("xaxis", "yaxis"))
            for axis in [getattr(layout, name)] if axis is not None and axis.title.text]
    out += [a.text for a in layout.annotations]
    for t in fig.data:
        out.append(t.name)
        out.append(re.sub(r"%\{[^}]*\}", " ", t.hovertemplate or ""))
        if t.type == "heatmap":
            out.append(t.colorbar.title.text)
    return [re.sub(r"<[^>]+>", " ", s) for s in out if s]


def _plotted(fig) -> list:
    """Every number a trace plots, trace by trace (the words on a category axis left out)."""
    out = []
    for t in fig.data:
        for key in ("x", "y", "z", "base", "customdata"):
            v = getattr(t, key, None)
            if v is None:
                continue
            a = np.asarray(v, dtype=object)
            out.append((key, arr(a).tolist() if a.dtype != object or all(
                isinstance(x, (int, float)) for x in a.ravel()) else None))
    return out


def _charts(model, lang):
    """Each Sensitivity chart in ``lang``, drawn from the same results, with the labels the page passes in it."""
    drivers = {d: text(x, "label", lang) for d, x in model.data.drivers.items()}
    options = option_labels(model, lang, "short_label")
    units = model.assumptions["unit"].to_dict()
    swings = analysis.tornado(model, SCENARIO, OPTION, "tokyo")
    swings = swings.assign(label=swings["driver"].map(drivers))
    sweep_curves = analysis.sweep(model, SCENARIO, "months_to_election")
    grid = analysis.grid(model, SCENARIO, "japan_public_support", "months_to_election", points=21)
    pivot = next(iter(model.data.coefficients.interactions.values())).pivot
    return {
        "tornado": sensitivity.tornado(swings, "tokyo", options[OPTION], units, lang=lang),
        "sweep": sensitivity.sweep(sweep_curves, drivers["months_to_election"], "months", 12.0, options, lang=lang),
        "heatmap": sensitivity.heatmap(grid[grid["option"] == OPTION], drivers["japan_public_support"],
                                       drivers["months_to_election"], "joint", options[OPTION], (70.0, 12.0),
                                       model.acceptance_threshold, lang=lang),
        "election": sensitivity.election_timeline(sweep_curves, options, 12.0, 70.0, pivot, lang=lang),
    }


@pytest.fixture(scope="module")
def english_charts(model):
    return _charts(model, "en")


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("name", ["tornado", "sweep", "heatmap", "election"])
def test_every_sensitivity_chart_speaks_the_language_and_plots_the_same_numbers(model, english_charts, name, lang):
    fig, english = _charts(model, lang)[name], english_charts[name]
    words = _words(fig)
    assert not [w for w in words if _ENGLISH.search(w)], words
    for part in (fig.layout.title.text, summary_of(fig)):
        assert _SCRIPT[lang].search(part), part
    assert fig.layout.title.text != english.layout.title.text
    assert _plotted(fig) == _plotted(english)
    assert [t.type for t in fig.data] == [t.type for t in english.data]


def test_the_tornado_writes_values_and_capital_as_russian_does(model):
    swings = analysis.tornado(model, SCENARIO, OPTION, "moscow")
    units = model.assumptions["unit"].to_dict()
    fig = sensitivity.tornado(swings, "moscow", "X", units, lang="ru")
    head = swings.head(10)
    assert list(fig.data[0].text) == [format_value(v, units[d], "ru") for v, d in zip(head["low"], head["driver"],
                                                                                     strict=True)]
    assert "Москва" in fig.layout.title.text and "Москва" in fig.layout.xaxis.title.text
    assert pct(head["score_now"].iloc[0], "ru") in fig.layout.xaxis.title.text


@pytest.mark.parametrize(("support", "word"), [(70.0, "привлекательнее"), (30.0, "менее привлекательными"),
                                               (50.0, "ни на что не влияют")])
def test_the_election_summary_in_russian_says_which_way_the_curves_go(model, labels, support, word):
    pivot = next(iter(model.data.coefficients.interactions.values())).pivot
    assert pivot == 50.0
    curves = analysis.sweep(model, {**SCENARIO, "japan_public_support": support}, "months_to_election")
    summary = summary_of(sensitivity.election_timeline(curves, labels, 12.0, support, pivot, lang="ru"))
    assert word in summary and format_value(support, "%", "ru") in summary


def test_a_driver_axis_names_its_unit_as_the_sliders_do():
    assert sensitivity.driver_axis("Western sanctions", "index 0-100") == "Western sanctions (index 0-100)"
    assert sensitivity.driver_axis("Западные санкции", "index 0-100", "ru") == "Западные санкции (0-100)"
    assert sensitivity.driver_axis("日本の次の選挙までの月数", "months", "ja") == "日本の次の選挙までの月数"
