"""The app in English, Japanese and Russian: every page runs, the chooser and links carry the language (AppTest)."""

from __future__ import annotations

import pytest

from dashboard.model.explain import explain
from tests.app.helpers import PAGES, app, decode, figures, no_errors, shown

LANGS = ("en", "ja", "ru")


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_every_language(page, lang):
    at = app(lang=lang, japan_public_support="40")
    at.run()
    at.switch_page(page).run()
    no_errors(at)
    assert len(figures(at)) >= 1
    assert at.sidebar.selectbox(key="lang").value == lang


@pytest.mark.parametrize("view", ["viewer", "present"])
@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_viewer_and_presenter_run_in_every_language(view, lang):
    at = app(view=view, lang=lang)
    at.run()
    no_errors(at)
    assert len(figures(at)) >= 1


def test_the_briefing_headline_is_in_the_chosen_language(model):
    at = app(japan_public_support="40")
    at.run()
    assert shown(at.subheader[:1]) == explain(model, {"japan_public_support": 40}).headline
    at.sidebar.selectbox(key="lang").set_value("ja").run()
    no_errors(at)
    assert shown(at.subheader[:1]) == explain(model, {"japan_public_support": 40}, lang="ja").headline
    assert at.title[0].value == "ブリーフィング"
    assert at.sidebar.slider(key="japan_public_support").value == 40  # the scenario stays as it was


def test_the_charts_plot_the_same_numbers_in_every_language():
    plotted = {}
    for lang in LANGS:
        at = app(lang=lang, japan_public_support="40", western_sanctions="90")
        at.run()
        # The numeric arrays of every trace (the option names on an axis are words, and differ by design).
        plotted[lang] = [[_numeric(t.get(axis)) for axis in ("x", "y")] for fig in figures(at) for t in fig["data"]]
    assert sum(a is not None for trace in plotted["en"] for a in trace) >= 4  # the map and the bars, at least
    assert plotted["ja"] == plotted["en"] and plotted["ru"] == plotted["en"]


def _numeric(values):
    values = decode(values)
    if isinstance(values, list) and all(isinstance(v, (int, float)) for v in values):
        return values
    return None


def test_an_unknown_language_shows_english_with_a_notice():
    at = app(lang="xx")
    at.run()
    no_errors(at)
    assert "lang: not a language this dashboard speaks (en, ja or ru); showed English" in shown(at.warning)
    assert at.sidebar.selectbox(key="lang").value == "en"
    assert at.title[0].value == "Briefing"


def test_the_share_link_keeps_the_language():
    at = app(lang="ru")
    at.run()
    share = [m.value for m in at.sidebar.markdown if "lang=" in m.value]
    assert share and "lang=ru" in share[0]
