"""The Library page's chart: one bar per scenario, at the joint feasibility of its most feasible option."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.charts import library, summary_of
from dashboard.model.schema import text


def test_each_scenario_is_a_bar_at_its_best_options_joint_feasibility(model):
    scores = model.score(None)
    best = scores["joint"].idxmax()
    rows = pd.DataFrame([
        {"name": "Now", "option": best, **scores.loc[best].to_dict()},
        {"name": "Saved", "option": "four_islands", "moscow": 0.02, "tokyo": 0.9, "joint": 0.018},
    ])
    fig = library.saved_results(rows, model.short_labels, model.acceptance_threshold)
    (bars,) = fig.data
    assert list(bars.y) == ["Now", "Saved"]
    assert list(bars.x) == [scores.at[best, "joint"], 0.018]
    assert bars.text[1].startswith(model.short_labels["four_islands"])  # the option is named, not only coloured
    assert "Highest joint feasibility: Now" in summary_of(fig)


def _rows(model) -> pd.DataFrame:
    scores = model.score(None)
    best = scores["joint"].idxmax()
    return pd.DataFrame([{"name": "Now", "option": best, **scores.loc[best].to_dict()},
                         {"name": "サンプル", "option": "four_islands", "moscow": 0.02, "tokyo": 0.9, "joint": 0.018}])


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_chart_speaks_the_readers_language_and_plots_the_same_numbers(model, lang):
    from dashboard.model.explain import option_labels

    english = library.saved_results(_rows(model), model.short_labels, model.acceptance_threshold)
    fig = library.saved_results(_rows(model), option_labels(model, lang, "short_label"), model.acceptance_threshold,
                                lang=lang)
    (bars,), (en_bars,) = fig.data, english.data
    assert list(bars.x) == list(en_bars.x) and list(bars.y) == list(en_bars.y)  # the names as given
    words = [fig.layout.title.text, fig.layout.xaxis.title.text, bars.name, bars.hovertemplate, summary_of(fig)]
    english_words = [english.layout.title.text, english.layout.xaxis.title.text, en_bars.name,
                     en_bars.hovertemplate, summary_of(english)]
    for said, en in zip(words, english_words, strict=True):
        assert said != en
        assert not re.search(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}", re.sub(r"%\{[^}]*\}|<[^>]+>", " ", said))
    assert bars.text[1].startswith(text(model.data.options["four_islands"], "short_label", lang))
    # The summary names the highest scenario and its share as the language writes a percentage ("54 %" in Russian).
    assert "Now" in summary_of(fig) and i18n.percent(en_bars.x[0], lang) in summary_of(fig)
