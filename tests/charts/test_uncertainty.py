"""The Uncertainty page: score distributions, the chance of ranking first, Sobol' indices."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dashboard.charts import summary_of, theme, uncertainty
from dashboard.model import analysis
from dashboard.model.explain import input_labels, option_labels, pct
from tests.charts.helpers import arr

OPTION = "declaration_1956"


def test_boxes_are_drawn_from_the_monte_carlo_quantiles(monte, labels):
    fig = uncertainty.distributions(monte.summary, labels, 500)
    s = monte.summary
    assert [t.name for t in fig.data] == ["Moscow", "Tokyo", "Both"]
    for t, output in zip(fig.data, ("moscow", "tokyo", "joint"), strict=True):
        assert list(t.y) == [labels[o] for o in s.index]
        for attr, col in (("lowerfence", "p05"), ("q1", "p25"), ("median", "p50"), ("q3", "p75"),
                          ("upperfence", "p95"), ("mean", "mean")):
            np.testing.assert_array_equal(arr(getattr(t, attr)), s[f"{output}_{col}"].to_numpy(), err_msg=attr)


def test_distribution_summary_names_the_least_certain_option(monte, labels):
    s = monte.summary
    widest = (s["joint_p95"] - s["joint_p05"]).idxmax()
    summary = summary_of(uncertainty.distributions(s, labels, 500))
    assert "Over 500 draws" in summary
    assert f"{labels[widest]} is the least certain" in summary
    assert f"between {pct(s.at[widest, 'joint_p05'])} and {pct(s.at[widest, 'joint_p95'])}" in summary


def test_rank_first_bars_are_the_shares_and_sum_to_one(monte, labels):
    fig = uncertainty.rank_first(monte.rank_first, labels)
    (bar,) = fig.data
    assert list(bar.y) == [labels[o] for o in monte.rank_first.index]
    np.testing.assert_array_equal(arr(bar.x), monte.rank_first.to_numpy())
    assert arr(bar.x).sum() == pytest.approx(1.0, abs=1e-12)
    assert list(bar.text) == [pct(v) for v in monte.rank_first]  # written on the bars, not left to colour
    assert bar.marker.color == theme.CAPITALS["joint"].color
    top = monte.rank_first.idxmax()
    assert summary_of(fig) == f"{labels[top]} ranks first in {pct(monte.rank_first[top])} of draws."


def test_sobol_bars_are_sorted_by_total_index_with_error_bars(sobol_tokyo, labels):
    rows = sobol_tokyo[sobol_tokyo["option"] == OPTION]
    fig = uncertainty.sobol_indices(rows, "tokyo", labels[OPTION], top=8)
    expected = rows.sort_values("ST", ascending=False).head(8)
    total, alone = fig.data
    for bar, col in ((total, "ST"), (alone, "S1")):
        assert list(bar.y) == list(expected["label"])
        np.testing.assert_array_equal(arr(bar.x), expected[col].to_numpy())
        np.testing.assert_array_equal(arr(bar.error_x.array), expected[f"{col}_conf"].to_numpy())
        assert bar.error_x.type == "data"
    assert np.all(np.diff(arr(total.x)) <= 0)
    assert total.marker.pattern.shape != alone.marker.pattern.shape
    assert fig.layout.xaxis.range[1] >= max(1.0, rows["ST"].max())


def test_sobol_summary_names_the_main_source_capital_and_option(sobol_tokyo, labels):
    rows = sobol_tokyo[sobol_tokyo["option"] == OPTION]
    first = rows.loc[rows["ST"].idxmax()]
    summary = summary_of(uncertainty.sobol_indices(rows, "tokyo", labels[OPTION]))
    assert summary.startswith(f"{first['label']} accounts for the largest share")
    assert f"Tokyo's feasibility of {labels[OPTION]}" in summary
    assert f"(total index {first['ST']:.2f})" in summary


def test_sobol_of_a_score_held_by_a_hard_limit_says_it_does_not_vary(model, labels):
    """Moscow's view of two-now-two-later sits at its ceiling in every draw, so every index is 0."""
    s = analysis.sobol(model, 16, seed=1, outputs=("moscow",))
    rows = s[s["option"] == "two_plus_two"]
    assert (rows[["S1", "ST"]] == 0).all().all()
    fig = uncertainty.sobol_indices(rows, "moscow", labels["two_plus_two"])
    assert summary_of(fig) == f"Moscow's feasibility of {labels['two_plus_two']} does not vary with the drivers."


def test_first_place_chart_shows_the_largest_total_indices_by_kind(model, labels):
    imp = analysis.ranking_importance(model, 32, seed=3)
    fig = uncertainty.ranking_importance(imp, labels[imp.attrs["leader"]], "all", top=6)
    own, drivers = fig.data
    top = imp.head(6)
    is_driver = (top["kind"] == "driver").to_numpy()
    np.testing.assert_array_equal(np.nan_to_num(arr(own.x)), np.where(~is_driver, top["ST"], 0))
    np.testing.assert_array_equal(np.nan_to_num(arr(drivers.x)), np.where(is_driver, top["ST"], 0))
    assert own.marker.pattern.shape != drivers.marker.pattern.shape  # told apart without colour
    summary = summary_of(fig)
    assert summary.startswith(f"Whether {labels[imp.attrs['leader']]} stays first among all options depends most on")
    assert f"(total index {imp['ST'].iloc[0]:.2f})" in summary


# ------------------------------------------------------------------------------------------------------ languages
# Three English words in a row (as tests.app.helpers.english_left counts them), once markup is removed.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")
NUMERIC = ("x", "y", "q1", "median", "q3", "lowerfence", "upperfence", "mean")


def _plotted(fig) -> list:
    """Every number the figure plots: the numeric arrays of each trace and its error bars, and the axis ranges."""
    out = []
    for t in fig.data:
        for attr in NUMERIC:
            v = getattr(t, attr, None)
            if v is not None and all(isinstance(x, (int, float, np.number)) or x is None for x in v):
                out.append((attr, arr(v)))
        if getattr(t, "error_x", None) is not None and t.error_x.array is not None:
            out.append(("error_x", arr(t.error_x.array)))
    out += [("xrange", arr(fig.layout.xaxis.range or []))]
    return out


def _words(fig) -> list[str]:
    """The chart's own words: title, axis title, legend entries, written values, hover text and summary."""
    words = [fig.layout.title.text, fig.layout.xaxis.title.text or "", summary_of(fig)]
    for t in fig.data:
        words.append(t.name or "")
        words.append(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", " ", t.hovertemplate or ""))
        words += [s for s in (t.text or ()) if isinstance(s, str)]
        words += [s for s in (t.y or ()) if isinstance(s, str)]
    return [re.sub(r"<[^>]+>", " ", w) for w in words]


def _same_numbers(en, other):
    assert len(en) == len(other)
    for (name, a), (name_b, b) in zip(en, other, strict=True):
        assert name == name_b
        np.testing.assert_array_equal(a, b, err_msg=name)


def _digits(text: str, labels) -> list[str]:
    """The numbers a sentence quotes, in any order, once the labels it names are taken out (they hold digits of
    their own, e.g. Article 9)."""
    for label in sorted(labels, key=len, reverse=True):
        text = text.replace(label, " ")
    return sorted(re.findall(r"[0-9]+", text))


@pytest.fixture(scope="module")
def importance(model):
    return analysis.ranking_importance(model, 32, seed=3)


def _figures(model, monte, sobol_tokyo, importance, lang):
    """Every Uncertainty chart in ``lang``, with the labels the page gives it, and the labels used."""
    labels = option_labels(model, lang, "short_label")
    rows = input_labels(model, sobol_tokyo[sobol_tokyo["option"] == OPTION], lang)
    imp = input_labels(model, importance, lang)
    leader = labels[importance.attrs["leader"]]
    figs = {
        "distributions": uncertainty.distributions(monte.summary, labels, 5000, lang=lang),
        "rank_first": uncertainty.rank_first(monte.rank_first, labels, monte.rank_first_settlement, lang=lang),
        "sobol_indices": uncertainty.sobol_indices(rows, "tokyo", labels[OPTION], lang=lang),
        "sobol_joint": uncertainty.sobol_indices(rows, "joint", labels[OPTION], lang=lang),
        "ranking_importance": uncertainty.ranking_importance(imp, leader, "all", lang=lang),
        "ranking_settlements": uncertainty.ranking_importance(imp, leader, "settlements", lang=lang),
    }
    return figs, [*labels.values(), *rows["label"], *imp["label"]]


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_every_uncertainty_chart_speaks_the_language_and_plots_the_same_numbers(model, monte, sobol_tokyo,
                                                                                importance, lang):
    english, en_labels = _figures(model, monte, sobol_tokyo, importance, "en")
    other, labels = _figures(model, monte, sobol_tokyo, importance, lang)
    for name, fig in other.items():
        en = english[name]
        _same_numbers(_plotted(en), _plotted(fig))
        left = [w for w in _words(fig) if ENGLISH_RUN.search(w)]
        assert not left, (name, left)
        assert fig.layout.title.text != en.layout.title.text, name
        assert fig.layout.xaxis.title.text != en.layout.xaxis.title.text, name
        assert [t.name for t in fig.data] != [t.name for t in en.data], name
        # The text summary says the same numbers, however the language writes them (5,000; 5 000).
        assert _digits(summary_of(fig), labels) == _digits(summary_of(en), en_labels), name


def test_a_count_is_written_as_the_language_writes_it(monte, labels):
    assert "Over 5,000 draws" in summary_of(uncertainty.distributions(monte.summary, labels, 5000))
    assert "5\u00a0000" in summary_of(uncertainty.distributions(monte.summary, labels, 5000, lang="ru"))


def test_the_capitals_are_named_in_the_language(monte, model):
    labels = option_labels(model, "ja", "short_label")
    fig = uncertainty.distributions(monte.summary, labels, 500, lang="ja")
    assert [t.name for t in fig.data] == ["モスクワ", "東京", "両国"]
    assert list(fig.data[0].y) == [labels[o] for o in monte.summary.index]


def test_the_first_place_chart_names_each_kind_of_number_in_the_language(model, importance):
    imp = input_labels(model, importance, "ru")
    fig = uncertainty.ranking_importance(imp, "X", "all", lang="ru")
    own, drivers = fig.data
    names = [a or b for a, b in zip(own.y, drivers.y, strict=True)]  # each row is drawn by one of the two
    kinds = {"driver": "Фактор", "base": "Базовый член", "weight": "Вес",
             "interaction": "Вес взаимодействия с выборами", "half_life": "Период полураспада эффекта выборов",
             "ceiling": "Потолок жёсткого предела"}
    top = imp.head(10)
    assert {"driver", "base"} <= set(top["kind"])
    for kind, short, name in zip(top["kind"], top["short_label"], names, strict=True):
        assert name == f"{kinds[kind]}: {short}"
    assert not any("2016" in n for n, k in zip(names, top["kind"], strict=True) if k == "base")


# --------------------------------------------------------------------------------------------- the inputs' labels
def test_the_drawn_inputs_keep_the_models_own_english_labels(model):
    """In English the labels are those of the drivers and of Model.parameters, as before."""
    s = analysis.sobol(model, 16, seed=1, outputs=("moscow",), scope="drivers_and_model")
    rows = s[s["option"] == "two_plus_two"]
    out = input_labels(model, rows, "en")
    expected = [model.assumptions.at[k, "label"] if k in model.driver_ids else model.parameters.at[k, "label"]
                for k in rows["driver"]]
    assert list(out["label"]) == expected
    assert set(rows["kind"]) >= {"driver", "base", "weight", "ceiling"}
    base = out[out["kind"] == "base"]
    assert all(f"{s} · 2016 baseline feasibility" == label for s, label in zip(base["short_label"], base["label"],
                                                                                strict=True))
    assert out[["S1", "ST", "S1_conf", "ST_conf"]].equals(rows[["S1", "ST", "S1_conf", "ST_conf"]])


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_every_drawn_input_has_a_label_in_the_language(model, lang):
    """Drivers, base terms, weights, the election term and its half-life, and the hard limit's ceiling."""
    s = analysis.sobol(model, 16, seed=1, outputs=("moscow",), scope="drivers_and_model")
    rows = s[s["option"] == "two_plus_two"]
    everything = rows.assign(driver=[*model.driver_ids, *model.uncertain_numbers().index])
    out, en = input_labels(model, everything, lang), input_labels(model, everything, "en")
    assert set(model.uncertain_numbers()["kind"]) == {"base", "weight", "interaction", "half_life", "ceiling"}
    for label, english, short in zip(out["label"], en["label"], out["short_label"], strict=True):
        assert label != english and not ENGLISH_RUN.search(label), label
        assert short and not ENGLISH_RUN.search(short)
    assert "Не дальше статьи 9" in " ".join(out["label"]) or lang == "ja"
