"""The common look: capital and option styles, titles, summaries and presenter-mode sizes, across every chart."""

from __future__ import annotations

import inspect

import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts import briefing, compare, method, sensitivity, theme, uncertainty, why
from dashboard.model import analysis
from tests.charts.helpers import SCENARIO

MODULES = (briefing, why, sensitivity, uncertainty, compare, method)


def _builders(model, labels, units, driver_labels, threshold, scores, contributions, monte, sobol_tokyo):
    """Every chart, built from fixed model results: name -> (large -> figure)."""
    rows = contributions[(contributions["capital"] == "tokyo") & (contributions["option"] == "declaration_1956")]
    swings = analysis.tornado(model, SCENARIO, "declaration_1956", "tokyo")
    curves = analysis.sweep(model, SCENARIO, "japan_public_support")
    grid = analysis.grid(model, SCENARIO, "japan_public_support", "months_to_election", points=11)
    surface = grid[grid["option"] == "declaration_1956"]
    election = analysis.sweep(model, SCENARIO, "months_to_election")
    sob = sobol_tokyo[sobol_tokyo["option"] == "declaration_1956"]
    before = model.score(None)
    return {
        "feasibility_map": lambda large: briefing.feasibility_map(scores, labels, threshold, "economy_first",
                                                                  large=large),
        "score_bars": lambda large: briefing.score_bars(scores, labels, threshold, "economy_first", large=large),
        "waterfall": lambda large: why.waterfall(rows, "tokyo", labels["declaration_1956"], large=large),
        "tornado": lambda large: sensitivity.tornado(swings, "tokyo", labels["declaration_1956"], units,
                                                     large=large),
        "sweep": lambda large: sensitivity.sweep(curves, "Support", "%", SCENARIO["japan_public_support"], labels,
                                                 large=large),
        "heatmap": lambda large: sensitivity.heatmap(surface, "Support", "Months", "tokyo", labels["declaration_1956"],
                                                     (70.0, 12.0), threshold, large=large),
        "election_timeline": lambda large: sensitivity.election_timeline(election, labels, 12.0, 70.0, 50.0,
                                                                         large=large),
        "distributions": lambda large: uncertainty.distributions(monte.summary, labels, 500, large=large),
        "rank_first": lambda large: uncertainty.rank_first(monte.rank_first, labels, large=large),
        "sobol_indices": lambda large: uncertainty.sobol_indices(sob, "tokyo", labels["declaration_1956"],
                                                                 large=large),
        "ranking_importance": lambda large: uncertainty.ranking_importance(
            analysis.ranking_importance(model, 16, seed=1), labels["economy_first"], "all", large=large),
        "side_by_side": lambda large: compare.side_by_side(before, scores, "2016", "Scenario", labels, large=large),
        "changes": lambda large: compare.changes(before, scores, labels, large=large),
        "weights_map": lambda large: method.weights_map(model.parameters, driver_labels, labels, large=large),
    }


CHARTS = ["feasibility_map", "score_bars", "waterfall", "tornado", "sweep", "heatmap", "election_timeline",
          "distributions", "rank_first", "sobol_indices", "ranking_importance", "side_by_side", "changes",
          "weights_map"]


@pytest.fixture(scope="module")
def builders(model, labels, units, driver_labels, threshold, scores, contributions, monte, sobol_tokyo):
    return _builders(model, labels, units, driver_labels, threshold, scores, contributions, monte, sobol_tokyo)


def test_every_chart_function_is_covered_here():
    """A new chart function must be added to CHARTS so that it gets the common checks below."""
    found = {name for m in MODULES for name, f in inspect.getmembers(m, inspect.isfunction)
             if f.__module__ == m.__name__ and inspect.signature(f).return_annotation in ("go.Figure", go.Figure)}
    assert found == set(CHARTS)


@pytest.mark.parametrize("name", CHARTS)
def test_chart_has_title_and_one_sentence_summary(builders, name):
    fig = builders[name](False)
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text.strip()
    summary = charts.summary_of(fig)
    assert len(summary) > 20 and summary.endswith(".")
    assert "\n" not in summary


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_passes_plotlys_own_validation(builders, name, large):
    """Charts are built unvalidated for speed (theme.figure); here Plotly checks every property and value."""
    fig = builders[name](large)
    go.Figure(fig.to_plotly_json())  # raises ValueError on any invalid property or value


@pytest.mark.parametrize("name", CHARTS)
def test_large_gives_bigger_type_and_same_content(builders, name):
    """Presenter mode scales the text up but plots the same thing and says the same thing."""
    small, large = builders[name](False), builders[name](True)
    assert large.layout.font.size > small.layout.font.size >= 16
    assert large.layout.title.font.size > small.layout.title.font.size
    assert large.layout.height > small.layout.height
    assert charts.summary_of(large) == charts.summary_of(small)
    assert len(large.data) == len(small.data)


def test_moscow_and_tokyo_differ_in_colour_marker_pattern_and_dash():
    m, t = theme.CAPITALS["moscow"], theme.CAPITALS["tokyo"]
    assert m.color.lower() != t.color.lower()
    assert m.symbol != t.symbol
    assert m.pattern != t.pattern
    assert m.dash != t.dash


def test_option_colours_differ_from_each_other_and_from_the_capitals(model):
    """Each option has its own colour and marker, none of them a capital's colour."""
    styles = [theme.option_style(i) for i in range(len(model.option_ids))]
    assert len({s["color"] for s in styles}) == len(styles)
    assert len({s["symbol"] for s in styles}) == len(styles)
    capitals = {st.color.lower() for st in theme.CAPITALS.values()}
    assert not capitals & {s["color"].lower() for s in styles}


def test_capitals_keep_their_colour_pattern_and_marker_in_every_chart(builders):
    """Moscow and Tokyo (and both together) look the same on the Briefing, Compare and Uncertainty pages."""
    for name, keys in (("score_bars", ("moscow", "tokyo")), ("changes", ("moscow", "tokyo", "joint"))):
        fig = builders[name](False)
        for key in keys:
            st = theme.CAPITALS[key]
            (bar,) = [t for t in fig.data if t.type == "bar" and t.name == st.name]
            assert bar.marker.color == st.color and bar.marker.pattern.shape == st.pattern, (name, key)
    fig = builders["distributions"](False)
    for key in ("moscow", "tokyo", "joint"):
        st = theme.CAPITALS[key]
        (box,) = [t for t in fig.data if t.name == st.name]
        assert box.marker.color == st.color and box.line.color == st.color, key
    fig = builders["side_by_side"](False)
    for axis, key in (("x", "moscow"), ("x2", "tokyo"), ("x3", "joint")):
        st = theme.CAPITALS[key]
        markers = [t for t in fig.data if t.mode == "markers" and t.xaxis == axis]
        assert len(markers) == 2, key
        for t in markers:
            assert t.marker.color == st.color and t.marker.symbol.removesuffix("-open") == st.symbol, key


@pytest.mark.parametrize("text", [
    "Осуществимость (столбцы складываются в логарифме шансов)",
    "実現可能性（棒は対数オッズで加算）、各要因の寄与",
    "Feasibility (box: middle half of draws;<br>whiskers: middle 90%; dashed: mean)",
])
def test_wrap_breaks_text_into_lines_that_fit_and_loses_no_word(text):
    from dashboard.charts.theme import text_width, wrap

    wrapped = wrap(text, 160, 16)
    lines = wrapped.split("<br>")
    assert len(lines) > text.count("<br>") + 1  # it did break the long lines
    assert all(text_width(line, 16) <= 160 for line in lines)
    assert "".join(wrapped.replace("<br>", " ").split()) == "".join(text.replace("<br>", " ").split())


def test_short_text_is_not_wrapped_and_cyrillic_counts_wider_than_latin():
    from dashboard.charts.theme import text_width, wrap

    assert wrap("Short title", 300, 20) == "Short title"
    assert text_width("Москва", 16) > text_width("Moscow", 16)
    assert text_width("a<br>bbbb", 10) == text_width("bbbb", 10)  # the widest line, not the sum


def test_a_figure_given_its_width_breaks_a_long_title_and_pads_it_below_the_top():
    from dashboard.charts.theme import figure

    title = "Москва: почему у варианта «Статья 9 + зона» 57 %"
    narrow = figure([], {}, title, "", width=300)
    wide = figure([], {}, title, "", width=1200)
    assert "<br>" in narrow.layout.title.text and "<br>" not in wide.layout.title.text
    assert narrow.layout.margin.t > wide.layout.margin.t  # room for the second line
