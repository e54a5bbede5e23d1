"""The Method & sources page in Japanese and Russian: its tables, claims and sources in the reader's language, the
op-ed's words in English under a header that says so; and sources cited in the reader's language on other pages."""

from __future__ import annotations

import pytest

from dashboard import i18n
from dashboard.model.citations import render_refs
from dashboard.model.schema import text
from tests.app.helpers import app, english_by_design, english_left, no_errors, shown


def _method(lang: str):
    at = app(lang=lang, japan_public_support="40")
    at.run()
    at.switch_page("views/method.py").run()
    no_errors(at)
    return at


def _tables(at) -> list:
    return [e.value for e in at.main.dataframe]


def _table_with(at, column: str):
    return next(df for df in _tables(at) if column in df.columns)


@pytest.fixture(scope="module", params=["ja", "ru"])
def page(request):
    return request.param, _method(request.param)


def test_no_english_is_left_in_the_method_pages_tables(page, model):
    """Every text cell of every table, beyond the op-ed's words, sources' own names and the analysts' notes."""
    _lang, at = page
    tables = _tables(at)
    assert len(tables) >= 7
    cells = [v for df in tables for c in df.columns for v in df[c].tolist() if isinstance(v, str)]
    assert len(cells) > 500
    left = english_left(cells, english_by_design(model))
    assert not left, left[:5]


def test_the_claims_are_checked_in_the_readers_language_with_the_op_eds_words_in_english(page, model):
    lang, at = page
    _ = i18n.gettext_for(lang)
    n = len(model.data.calibration)
    expected = i18n.ngettext_for(lang)("{passed} of {total} claim holds.", "{passed} of {total} claims hold.", n)
    assert shown(at.success) == expected.format(passed=n, total=n)
    table = _table_with(at, _("Claim"))
    assert table[_("Claim")].tolist() == [text(c, "claim", lang) for c in model.data.calibration]
    words = _("The op-ed's words")
    assert words != "The op-ed's words" and table[words].tolist() == [c.quote for c in model.data.calibration]


def test_the_sources_are_listed_by_their_translated_titles_beside_the_titles_as_published(page, model):
    lang, at = page
    _ = i18n.gettext_for(lang)
    table = _table_with(at, _("Title as published"))
    sources = model.data.sources.values()
    assert table[_("Title")].tolist() == [text(s, "title", lang) for s in sources]
    assert table[_("Title as published")].tolist() == [s.title for s in sources]
    assert table[_("Detail")].tolist() == [text(s, "detail", lang) if s.detail else "" for s in sources]


def test_the_english_method_page_keeps_its_english(model):
    at = _method("en")
    assert "Title as published" not in {c for df in _tables(at) for c in df.columns}
    entry = model.data.manifest.changelog[0]
    assert f"{entry.version} ({entry.date}): {entry.changes[0]}" in shown(at.markdown)  # the changelog, as logged


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_why_page_cites_the_op_ed_in_the_readers_language(lang, model):
    at = app(lang=lang, option="declaration_1956")
    at.run()
    at.switch_page("views/why.py").run()
    no_errors(at)
    captions = shown(at.caption)
    for capital in ("moscow", "tokyo"):
        assert render_refs(getattr(model.data.options["declaration_1956"], capital).cite, model.data.sources,
                           lang) in captions
    assert "Op-ed" not in captions
