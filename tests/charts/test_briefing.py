"""The Briefing page: the Moscow-vs-Tokyo map of options and the bars of both scores."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts import briefing, summary_of, theme
from dashboard.model.explain import option_labels, pct
from tests.charts.helpers import arr, hlines, map_points, vlines


def test_map_places_each_option_at_its_two_scores(scores, labels, threshold):
    for point_labels in (True, False):
        points = map_points(briefing.feasibility_map(scores, labels, threshold, point_labels=point_labels))
        assert [p["name"] for p in points] == [labels[o] for o in scores.index]
        for p, o in zip(points, scores.index, strict=True):
            assert (p["x"], p["y"], p["joint"]) == tuple(scores.loc[o, ["moscow", "tokyo", "joint"]])


@pytest.mark.parametrize("level", [0.5, 0.3])
def test_map_shades_the_zone_both_accept_at_the_threshold(scores, labels, level):
    fig = briefing.feasibility_map(scores, labels, level)
    (zone,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (zone.x0, zone.y0) == (level, level)
    assert zone.x1 >= 1 and zone.y1 >= 1
    assert zone.fillcolor == theme.ACCEPT_ZONE and zone.layer == "below"
    assert vlines(fig) == [level] and hlines(fig) == [level]


def test_map_draws_the_selected_option_bigger(scores, labels, threshold):
    fig = briefing.feasibility_map(scores, labels, threshold, selected="declaration_1956")
    sizes = {p["name"]: p["size"] for p in map_points(fig)}
    chosen = sizes.pop(labels["declaration_1956"])
    assert chosen > max(sizes.values())
    assert len(set(sizes.values())) == 1


def test_map_points_are_labelled_beside_them_or_numbered_with_a_key(scores, labels, threshold):
    """Options are told apart by their written names (or numbers keyed to them), never by colour alone."""
    beside = briefing.feasibility_map(scores, labels, threshold)
    assert all(p["labelled"] and not p["in_legend"] for p in map_points(beside))
    assert beside.layout.showlegend is False

    numbered = briefing.feasibility_map(scores, labels, threshold, point_labels=False)
    points = map_points(numbered)
    # On a phone each point shows its number, and the summary under the chart names each number's option; the
    # points stay in one trace, as on the wide map, so both plot the same data.
    (trace,) = numbered.data
    assert trace.texttemplate == "%{hovertext}" and list(trace.hovertext) == [str(k + 1) for k in range(len(points))]
    key = summary_of(numbered).split(". ")[0]
    assert key == "Points: " + ", ".join(f"{k + 1} {p['name']}" for k, p in enumerate(points))
    assert [(p["x"], p["y"]) for p in points] == [(p["x"], p["y"]) for p in map_points(beside)]


def test_map_summary_names_the_options_both_capitals_accept(scores, labels, threshold):
    inside = scores[(scores["moscow"] >= threshold) & (scores["tokyo"] >= threshold)]
    assert len(inside) >= 1  # the fixed scenario puts options in the zone
    summary = summary_of(briefing.feasibility_map(scores, labels, threshold))
    for o in scores.index:
        assert (labels[o] in summary) == (o in inside.index), o
    for o in inside.index:
        assert pct(inside.at[o, "joint"]) in summary


def test_map_summary_names_the_closest_option_when_none_is_accepted(scores, labels):
    high = float(scores[["moscow", "tokyo"]].min(axis=1).max()) + 0.01
    summary = summary_of(briefing.feasibility_map(scores, labels, high))
    best = scores["joint"].idxmax()
    assert summary.startswith("No option") and labels[best] in summary
    assert pct(scores.at[best, "moscow"]) in summary and pct(scores.at[best, "tokyo"]) in summary


def test_label_positions_keep_neighbours_apart_and_inside_the_plot():
    """Two options at the same height side by side get labels on different sides; one at the right edge writes
    its label to the left."""
    assert len(set(briefing.label_positions([0.5, 0.55], [0.4, 0.4], ["Alpha", "Beta"])[0])) == 2
    assert briefing.label_positions([0.5], [0.5], ["Alone"]) == (["middle right"], ["Alone"])
    assert briefing.label_positions([1.0], [0.5], ["A long label at the edge"])[0] != ["middle right"]


def test_a_long_label_goes_on_two_lines_only_where_one_line_would_cover_a_neighbour(model):
    # The snap election with a sceptical public, in Russian: on one line, "Только совместная зона" wrote over
    # "Статья 9 + зона" in the browser (tests/browser/test_languages.py measures the real boxes).
    scores = model.score({**model.baseline, **model.data.presets["snap-election-sceptical-public"].drivers})
    labels = option_labels(model, "ru", field="short_label")
    texts = [labels[o] for o in scores.index]
    _places, written = briefing.label_positions(scores["moscow"].tolist(), scores["tokyo"].tolist(), texts)
    assert "Только<br>совместная зона" in written
    assert [w.replace("<br>", " ") for w in written] == texts  # the same words, only broken
    # Alone, every label keeps one line; a break never falls inside brackets or "Статья 9 + зона".
    for x, y, t in zip(scores["moscow"], scores["tokyo"], texts, strict=True):
        assert briefing.label_positions([x], [y], [t])[1] == [t]
    assert briefing._two_lines("Статья 9 (два острова)") == "Статья 9<br>(два острова)"
    assert briefing._two_lines("Статья 9 + зона") is None and briefing._two_lines("経済優先") is None


def test_bars_plot_each_capitals_score_with_the_value_written(scores, labels, threshold):
    fig = briefing.score_bars(scores, labels, threshold)
    for key in ("moscow", "tokyo"):
        (bar,) = [t for t in fig.data if t.type == "bar" and t.name == theme.CAPITALS[key].name]
        assert bar.orientation == "h"
        assert list(bar.y) == [labels[o] for o in scores.index]
        np.testing.assert_array_equal(arr(bar.x), scores[key].to_numpy())
        assert list(bar.text) == [pct(v) for v in scores[key]]
    (joint,) = [t for t in fig.data if t.type == "scatter"]
    np.testing.assert_array_equal(arr(joint.x), scores["joint"].to_numpy())
    assert joint.marker.symbol == theme.CAPITALS["joint"].symbol
    assert vlines(fig) == [threshold]


def test_bars_mark_the_selected_option_by_name(scores, labels, threshold):
    fig = briefing.score_bars(scores, labels, threshold, selected="joint_management")
    marked = [y for y in fig.data[0].y if y.startswith("▶")]
    assert marked == ["▶ " + labels["joint_management"]]


def test_bars_summary_names_each_capitals_favourite(scores, labels, threshold):
    summary = summary_of(briefing.score_bars(scores, labels, threshold))
    for key, capital in (("moscow", "Moscow"), ("tokyo", "Tokyo")):
        best = scores[key].idxmax()
        assert f"{capital} finds {labels[best]} most feasible ({pct(scores.at[best, key])})" in summary
    assert labels[scores["joint"].idxmax()] in summary
