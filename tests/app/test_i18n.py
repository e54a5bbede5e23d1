"""The app in English, Japanese and Russian: every page runs, the chooser and links carry the language (AppTest)."""

from __future__ import annotations

import pytest

from dashboard.model.explain import explain
from tests.app.helpers import (
    PAGES,
    app,
    decode,
    english_by_design,
    english_left,
    figures,
    no_errors,
    shown,
    visible_text,
)

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


# --- No English left in Japanese and Russian, beyond what stays English by design ------------------------------
# English that stays: the op-ed's words (quoted, or as a block quotation), the sources' own titles and names, and
# data/'s provenance notes (shown labelled as English); tests.app.helpers.english_by_design lists them.

# Pages whose main area still shows English (issue 12). A page is taken off when it is translated; the mark is
# strict, so a page that is done and still listed fails too.
ENGLISH_LEFT: set[str] = set()


def _page_params() -> list:
    return [pytest.param(page, id=page.removeprefix("views/").removesuffix(".py"),
                         marks=[pytest.mark.xfail(strict=True, reason="not yet translated")] * (page in ENGLISH_LEFT))
            for page in [*PAGES, "views/library.py"]]


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("page", _page_params())
def test_no_english_is_left_on_a_page(page, lang, model):
    at = app(lang=lang, japan_public_support="40")
    at.run()
    at.switch_page(page).run()
    no_errors(at)
    left = english_left(visible_text(at.main), english_by_design(model))
    assert not left, left


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_no_english_is_left_in_the_sidebar(lang, model):
    at = app(lang=lang)
    at.run()
    left = english_left(visible_text(at.sidebar), english_by_design(model))
    assert not left, left


@pytest.mark.parametrize("view", ["viewer", "present"])
@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_no_english_is_left_in_the_viewer_and_presenter(view, lang, model):
    at = app(view=view, lang=lang)
    at.run()
    left = english_left(visible_text(at), english_by_design(model))
    assert not left, left


# --- The Sensitivity and Weights pages in full: every analysis, every kind of number, an override in force --------
ANALYSES = ("tornado", "sweep", "grid", "election")
WEIGHT = "weight.tokyo.japan_public_support.declaration_1956"


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("analysis", ANALYSES)
def test_no_english_is_left_in_any_sensitivity_analysis(analysis, lang, model):
    at = app(lang=lang, japan_public_support="40", analysis=analysis)
    at.run()
    at.switch_page("views/sensitivity.py").run()
    no_errors(at)
    assert at.segmented_control(key="analysis").value == analysis
    left = english_left(visible_text(at.main), english_by_design(model))
    assert not left, left


@pytest.mark.parametrize("analysis", ANALYSES)
def test_each_sensitivity_analysis_plots_the_same_numbers_in_every_language(analysis):
    plotted = {}
    for lang in LANGS:
        at = app(lang=lang, japan_public_support="40", analysis=analysis)
        at.run()
        at.switch_page("views/sensitivity.py").run()
        plotted[lang] = [[_numeric(t.get(k)) for k in ("x", "y", "z", "base")] for fig in figures(at)
                         for t in fig["data"]]
    assert any(a is not None for trace in plotted["en"] for a in trace)
    assert plotted["ja"] == plotted["en"] and plotted["ru"] == plotted["en"]


def _weights_page(lang: str, **params):
    """The Weights page with every kind of number shown, the zero weights included."""
    from dashboard.views.weights import KINDS

    at = app(lang=lang, japan_public_support="40", **params)
    at.run()
    at.switch_page("views/weights.py").run()
    at.multiselect(key="_weights_kinds").set_value(list(KINDS)).run()
    at.toggle(key="_weights_nonzero").set_value(False).run()
    no_errors(at)
    return at


def _weights_editor(at):
    (editor,) = [d for d in at.get("dataframe") if (d.key or "").startswith("_weights_editor")]
    return editor


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_no_english_is_left_on_the_weights_page_with_every_number_and_an_override(lang, model):
    at = _weights_page(lang, **{f"o.{WEIGHT}": "5.5"})
    assert at.session_state["overrides"] == {WEIGHT: 5.5}
    kinds, allowed = set(), english_by_design(model)
    for capital in ("tokyo", "moscow"):
        at.segmented_control(key="_weights_capital").set_value(capital).run()
        no_errors(at)
        kinds |= set(model.parameters.loc[list(_weights_editor(at).value.index), "kind"])
        left = english_left(visible_text(at.main), allowed)
        assert not left, (capital, left)
    assert kinds == {"weight", "base", "interaction", "half_life", "ceiling"}


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_weights_editor_titles_its_columns_in_the_language_and_edits_by_key(lang, model):
    import json

    from dashboard import i18n
    from dashboard.model.parameters import parameter_labels

    _ = i18n.gettext_for(lang)
    at = _weights_page(lang)
    editor = _weights_editor(at)
    headers = {k: c["label"] for k, c in json.loads(editor.proto.columns).items()}
    assert headers["value"] == _("Value in force") != "Value in force"
    assert headers["rationale"] == _("Why (analysts' note)")
    assert not english_left(list(headers.values()), [])
    rows = list(editor.value.index)
    at.session_state[editor.key] = {"edited_rows": {rows.index(WEIGHT): {"value": 6.0}}, "added_rows": [],
                                    "deleted_rows": []}
    at.run()
    no_errors(at)
    assert at.session_state["overrides"] == {WEIGHT: 6.0}
    assert parameter_labels(model.data, lang)[WEIGHT] in shown(at.warning)  # the overrides listed on every page


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_a_refused_weight_is_explained_in_the_language(lang, model):
    from dashboard import i18n
    from dashboard.model.parameters import override_problems

    _ = i18n.gettext_for(lang)
    at = _weights_page(lang)
    editor = _weights_editor(at)
    at.session_state[editor.key] = {"edited_rows": {list(editor.value.index).index(WEIGHT): {"value": -2.0}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and at.session_state["overrides"] == {}
    (problem,) = override_problems(model.parameters, model.data, {WEIGHT: -2.0}, lang)
    message = shown(at.error)
    assert message == _("Invalid overrides: {problems}. Nothing was changed.").format(problems=problem.rstrip(".。"))
    assert ".." not in message and "。。" not in message
    # The analysts' rationale in it is translated too; only the op-ed's words it quotes stay English.
    assert not english_left([message], english_by_design(model))


# --- The Uncertainty and Compare pages in full: both draws, every capital, other scenarios side by side -------------
@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("draw", ["drivers", "drivers_and_model"])
def test_no_english_is_left_on_the_uncertainty_page_in_either_draw_for_any_capital(draw, lang, model):
    """Drawing the model's numbers too adds the first-place chart and puts the model's numbers among the Sobol'
    inputs; for an option a hard limit holds, Moscow's indices name that limit's ceiling."""
    from dashboard.model.schema import text

    allowed, seen = english_by_design(model), []
    for output in ("moscow", "tokyo", "joint"):
        # A new app for each, chosen by the link: a rerun in AppTest formats the page's radio choices outside the
        # session (so in English) and then finds no such choice.
        at = app(lang=lang, japan_public_support="40", draw=draw, draws="1000", option="two_plus_two", output=output)
        at.run()
        at.switch_page("views/uncertainty.py").run()
        no_errors(at)
        assert at.segmented_control(key="output").value == output
        assert len(figures(at)) == (4 if draw == "drivers_and_model" else 3)
        shown_text = visible_text(at.main)
        left = english_left(shown_text, allowed)
        assert not left, (output, left)
        seen += shown_text
    limit = text(model.data.constraints["moscow_article9_limit"], "label", lang)
    assert any(limit in s for s in seen) == (draw == "drivers_and_model")


def test_the_uncertainty_page_plots_the_same_numbers_in_every_language():
    plotted = {}
    for lang in LANGS:
        at = app(lang=lang, japan_public_support="40", draw="drivers_and_model", draws="1000")
        at.run()
        at.switch_page("views/uncertainty.py").run()
        plotted[lang] = [[_numeric(t.get(k)) for k in ("x", "q1", "median", "q3", "lowerfence", "upperfence")]
                         for fig in figures(at) for t in fig["data"]]
    assert sum(a is not None for trace in plotted["en"] for a in trace) >= 8
    assert plotted["ja"] == plotted["en"] and plotted["ru"] == plotted["en"]


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_no_english_is_left_when_comparing_a_prepared_scenario_with_a_date(lang, model):
    from dashboard import i18n

    _ = i18n.gettext_for(lang)
    preset = next(iter(model.data.presets))
    at = app(lang=lang, compare_a=preset, compare_b="2022-03-suspension")
    at.run()
    at.switch_page("views/compare.py").run()
    no_errors(at)
    assert (at.selectbox(key="compare_a").value, at.selectbox(key="compare_b").value) == (preset,
                                                                                        "2022-03-suspension")
    left = english_left(visible_text(at.main), english_by_design(model))
    assert not left, left
    (table,) = at.dataframe
    assert list(table.value.columns) == [_("Assumption"), "A", "B"]
    assert len(table.value) >= 1


def test_the_compare_page_plots_the_same_numbers_in_every_language():
    plotted = {}
    for lang in LANGS:
        at = app(lang=lang, japan_public_support="40", compare_b="2022-03-suspension")
        at.run()
        at.switch_page("views/compare.py").run()
        plotted[lang] = [_numeric(t.get("x")) for fig in figures(at) for t in fig["data"]]
    assert sum(a is not None for a in plotted["en"]) >= 6
    assert plotted["ja"] == plotted["en"] and plotted["ru"] == plotted["en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", ["full", "viewer", "present"])
def test_the_page_names_its_language_for_screen_readers(view, lang):
    """Streamlit writes <html lang="en"> whatever the page says; the app sets it to the session's language."""
    from dashboard.ui.lang import PAGE_LANGUAGE_SCRIPTS

    at = app(view=view, lang=lang)
    at.run()
    no_errors(at)
    bodies = [e.proto.body for e in at.get("html")]
    assert f"<script>{PAGE_LANGUAGE_SCRIPTS[lang]}</script>" in bodies
    assert f'"{lang}"' in PAGE_LANGUAGE_SCRIPTS[lang]
