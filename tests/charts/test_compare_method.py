"""The Compare page (two scenarios side by side, the change in each score) and the Method page's weights map."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts import compare, method, summary_of
from dashboard.model.explain import option_labels, pct
from tests.charts.helpers import arr, vlines

OUTPUTS = ("moscow", "tokyo", "joint")
KEY = "weight.tokyo.japan_public_support.declaration_1956"


@pytest.fixture(scope="module")
def before(model):
    return model.score(None)


# ------------------------------------------------------------------------------------------------------- changes
def test_change_bars_are_b_minus_a_in_points_with_the_values_written(before, scores, labels):
    fig = compare.changes(before, scores, labels)
    assert [t.name for t in fig.data] == ["Moscow", "Tokyo", "Both"]
    for bar, output in zip(fig.data, OUTPUTS, strict=True):
        diff = (scores[output] - before[output]).to_numpy()
        assert list(bar.y) == [labels[o] for o in before.index]
        np.testing.assert_allclose(arr(bar.x), diff * 100, rtol=0, atol=1e-12)
        assert list(bar.text) == [f"{round(v * 100):+d}" if round(v * 100) else "0" for v in diff]
    assert vlines(fig) == [0]


def test_changes_summary_names_the_option_that_moves_most(before, scores, labels):
    diff = scores - before
    o = diff.abs().sum(axis=1).idxmax()
    summary = summary_of(compare.changes(before, scores, labels))
    assert summary.startswith(f"{labels[o]} changes most")
    assert f"Tokyo {round(diff.at[o, 'tokyo'] * 100):+d}" in summary


def test_identical_scenarios_show_no_change(scores, labels):
    fig = compare.changes(scores, scores, labels)
    assert all(np.all(arr(t.x) == 0) for t in fig.data)
    assert summary_of(fig) == "The two scenarios give the same scores."


# -------------------------------------------------------------------------------------------------- side by side
def _markers(fig, axis):
    return [t for t in fig.data if t.mode == "markers" and t.xaxis == axis]


def test_side_by_side_open_markers_for_a_filled_for_b(before, scores, labels):
    fig = compare.side_by_side(before, scores, "2016", "Scenario", labels)
    for axis, output in zip(("x", "x2", "x3"), OUTPUTS, strict=True):
        a, b = _markers(fig, axis)
        assert (a.name, b.name) == ("2016", "Scenario")
        assert a.marker.symbol.endswith("-open") and not b.marker.symbol.endswith("-open")
        np.testing.assert_array_equal(arr(a.x), before[output].to_numpy())
        np.testing.assert_array_equal(arr(b.x), scores[output].to_numpy())
        assert list(a.y) == list(b.y) == [labels[o] for o in before.index]
        assert (a.showlegend, b.showlegend) == ((True, True) if axis == "x" else (False, False))


def test_side_by_side_joins_each_options_a_and_b(before, scores, labels):
    fig = compare.side_by_side(before, scores, "2016", "Scenario", labels)
    for axis, output in zip(("x", "x2", "x3"), OUTPUTS, strict=True):
        joins = [t for t in fig.data if t.mode == "lines" and t.xaxis == axis]
        assert [t.y[0] for t in joins] == [labels[o] for o in before.index]
        for t, o in zip(joins, before.index, strict=True):
            assert arr(t.x).tolist() == [before.at[o, output], scores.at[o, output]]


def test_side_by_side_summary_names_the_largest_joint_change(before, scores, labels):
    o = (scores["joint"] - before["joint"]).abs().idxmax()
    summary = summary_of(compare.side_by_side(before, scores, "2016", "Scenario", labels))
    assert "Open markers: 2016; filled: Scenario." in summary
    assert f"{labels[o]}: {pct(before.at[o, 'joint'])} → {pct(scores.at[o, 'joint'])}" in summary


# ------------------------------------------------------------------------------------------ compare in languages
def _compare_figures(model, before, scores, lang):
    labels = option_labels(model, lang, "short_label")
    names = {"en": ("2016", "Now"), "ja": ("2016年", "現在"), "ru": ("2016 год", "Сейчас")}[lang]
    return labels, {"side_by_side": compare.side_by_side(before, scores, *names, labels, lang=lang),
                    "changes": compare.changes(before, scores, labels, lang=lang),
                    "no_change": compare.changes(scores, scores, labels, lang=lang)}


def _digits(text, labels):
    import re

    for label in sorted(labels.values(), key=len, reverse=True):
        text = text.replace(label, " ")
    return sorted(re.findall(r"[0-9]+", text))


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_compare_charts_speak_the_language_and_plot_the_same_numbers(model, before, scores, lang):
    import re

    english_run = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row
    en_labels, english = _compare_figures(model, before, scores, "en")
    labels, other = _compare_figures(model, before, scores, lang)
    for name, fig in other.items():
        en = english[name]
        assert len(fig.data) == len(en.data)
        for t, e in zip(fig.data, en.data, strict=True):
            np.testing.assert_array_equal(arr(t.x), arr(e.x))
            assert list(t.text or []) == list(e.text or [])  # signed points are written alike
        words = [fig.layout.title.text, summary_of(fig), *(a.text for a in fig.layout.annotations),
                 fig.layout.xaxis.title.text or "",
                 *(t.name or "" for t in fig.data),
                 *(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", " ", t.hovertemplate or "") for t in fig.data)]
        left = [w for w in words if english_run.search(w)]
        assert not left, (name, left)
        assert summary_of(fig) != summary_of(en)
        assert fig.layout.title.text != en.layout.title.text
        # The summary quotes the same numbers (option labels taken out: they hold digits of their own).
        assert _digits(summary_of(fig), labels) == _digits(summary_of(en), en_labels)
    capitals = {"ja": ["モスクワ", "東京", "両国"], "ru": ["Москва", "Токио", "Обе стороны"]}[lang]
    assert [t.name for t in other["changes"].data] == capitals
    assert [a.text for a in other["side_by_side"].layout.annotations] == capitals


# --------------------------------------------------------------------------------------------------- weights map
def _panel(model, capital):
    p = model.parameters
    w = p[(p["kind"] == "weight") & (p["capital"] == capital)]
    return w.pivot(index="driver", columns="option", values="value").reindex(
        index=list(model.driver_ids), columns=list(model.option_ids))


def test_weights_map_shows_the_weights_in_force_for_each_capital(model, driver_labels, labels):
    fig = method.weights_map(model.parameters, driver_labels, labels)
    for heat, capital in zip(fig.data, ("moscow", "tokyo"), strict=True):
        np.testing.assert_array_equal(np.asarray(heat.z, dtype=float), _panel(model, capital).to_numpy())
        assert list(heat.x) == [labels[o] for o in model.option_ids]
        assert list(heat.y) == [driver_labels[d] for d in model.driver_ids]
        assert heat.zmin == -heat.zmax  # green up, purple down, zero in the middle
        z, text = _panel(model, capital).to_numpy(), np.asarray(heat.text)
        assert (text[z != 0] != "").all()  # every weight that acts is written, not told by colour alone
        assert not any("*" in t for t in text.ravel())
    assert [a.text for a in fig.layout.annotations] == ["Moscow", "Tokyo"]
    assert "overridden" not in summary_of(fig)


def test_weights_map_marks_overridden_weights_with_an_asterisk(model, driver_labels, labels):
    tuned = model.with_overrides({KEY: 6.0})
    fig = method.weights_map(tuned.parameters, driver_labels, labels)
    tokyo = np.asarray(fig.data[1].text)
    marked = np.argwhere(np.char.find(tokyo.astype(str), "*") >= 0).tolist()
    i, j = model.driver_ids.index("japan_public_support"), model.option_ids.index("declaration_1956")
    assert marked == [[i, j]]
    assert tokyo[i, j] == "+6*"
    assert not any("*" in t for t in np.asarray(fig.data[0].text).ravel())
    assert "1 weight is overridden (marked *)" in summary_of(fig)
    assert fig.data[1].z[i][j] == 6.0


def test_weights_map_summary_counts_weights_and_names_the_strongest(model, driver_labels, labels):
    p = model.parameters
    w = p[p["kind"] == "weight"]
    strongest = w.loc[w["value"].abs().idxmax()]
    summary = summary_of(method.weights_map(p, driver_labels, labels))
    assert summary.startswith(f"{int((w['value'] != 0).sum())} of {len(w)} driver-option weights are non-zero")
    assert f"{strongest['label']} ({strongest['value']:+g})" in summary


# ---------------------------------------------------------------------------------------- weights map in languages
@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_weights_map_speaks_the_language_and_plots_the_same_numbers(model, lang):
    import re

    from dashboard.model.explain import capital_name
    from dashboard.model.schema import text

    tuned = model.with_overrides({KEY: 6.0})  # an overridden weight: the summary's second sentence too
    drivers = {d: text(x, "label", lang) for d, x in model.data.drivers.items()}
    options = option_labels(model, lang, "short_label")
    en = method.weights_map(tuned.parameters, {d: x.label for d, x in model.data.drivers.items()},
                            option_labels(model, "en", "short_label"))
    fig = method.weights_map(tuned.parameters, drivers, options, lang=lang)
    for t, e in zip(fig.data, en.data, strict=True):
        np.testing.assert_array_equal(np.asarray(t.z, dtype=float), np.asarray(e.z, dtype=float))
        assert np.array_equal(np.asarray(t.text), np.asarray(e.text))  # the weights written alike, * included
        assert list(t.x) == list(options.values()) and list(t.y) == list(drivers.values())
    assert [a.text for a in fig.layout.annotations] == [capital_name(c, lang) for c in ("moscow", "tokyo")]
    words = [fig.layout.title.text, summary_of(fig), fig.data[1].colorbar.title.text,
             *(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", " ", t.hovertemplate) for t in fig.data)]
    assert not [w for w in words if re.search(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}", w)], words
    assert fig.layout.title.text != en.layout.title.text and fig.data[1].colorbar.title.text != "Weight"
    # The summary counts the same weights and names the same strongest one, with its value.
    counts = re.findall(r"[0-9]+", summary_of(en).split(";")[0])
    assert sorted(counts) == sorted(re.findall(r"[0-9]+", summary_of(fig))[:2])  # Japanese names the total first
    w = tuned.parameters[tuned.parameters["kind"] == "weight"]
    strongest = w.loc[w["value"].abs().idxmax()]
    assert drivers[strongest["driver"]] in summary_of(fig) and f"{strongest['value']:+g}" in summary_of(fig)
    assert "*" in summary_of(fig)
