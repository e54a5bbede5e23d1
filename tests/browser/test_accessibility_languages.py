"""axe-core's audit of every page in every language, and chart text that fits its chart (its own file, so that
pytest-xdist, which hands out whole files, runs it beside the other accessibility tests)."""

from __future__ import annotations

import pytest

from tests.browser.audit import CHART_TEXT_OUTSIDE, LAPTOP, PAGES, page_language, serious

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ja", "ru"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_every_language_is_audited_clean_and_its_charts_text_fits(open_page, path, lang):
    """Japanese and Russian text is laid out differently (longer labels, wider characters): each page is audited in
    each language, on the narrowest usual desktop (1280 px with the sidebar open), and no chart's words are cut off
    at its edge."""
    p = open_page(f"{path}?lang={lang}", viewport=LAPTOP)
    assert page_language(p.page, lang) == lang
    assert serious(p.page) == []
    assert p.page.evaluate(CHART_TEXT_OUTSIDE) == []
