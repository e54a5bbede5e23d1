"""The interface in Japanese and Russian in a real browser: phone layout, the chooser, the browser's language."""

from __future__ import annotations

import os

import pytest

from dashboard.model import load_model
from dashboard.model.explain import explain
from tests.browser.audit import page_language
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
MODEL = load_model()
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
SCENARIO = "japan_public_support=60&months_to_election=1"


def test_a_japanese_viewer_link_on_a_phone_has_no_sideways_scroll_and_the_english_numbers(open_page):
    ja = open_page(f"/?view=viewer&lang=ja&{SCENARIO}", **PHONE)
    assert ja.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page_language(ja.page, "ja") == "ja"
    headline = explain(MODEL, {"japan_public_support": 60, "months_to_election": 1}, lang="ja").headline
    assert ja.page.get_by_text(headline.split("（")[0], exact=False).count() >= 1
    assert ja.exceptions() == 0
    en = open_page(f"/?view=viewer&{SCENARIO}", **PHONE)
    numbers = [[[v for v in axis if isinstance(v, (int, float))] if axis else None for axis in trace]
               for chart in en.chart_numbers() for trace in chart]
    ja_numbers = [[[v for v in axis if isinstance(v, (int, float))] if axis else None for axis in trace]
                  for chart in ja.chart_numbers() for trace in chart]
    assert numbers == ja_numbers and any(any(axis) for trace in numbers for axis in trace if axis)


def test_the_sidebar_chooser_switches_the_language_and_the_address_bar_keeps_it(open_page):
    p = open_page(f"/?{SCENARIO}")
    assert p.page.evaluate("() => document.documentElement.lang") == "en"
    p.page.get_by_role("combobox", name="Language · 言語 · Язык").click()
    p.page.get_by_role("option", name="Русский").click()
    p.page.wait_for_function("() => location.search.includes('lang=ru')", timeout=10_000)
    p.settle()
    # The page says which language it is in, so a screen reader reads it with Russian rules (WCAG 3.1.1).
    assert page_language(p.page, "ru") == "ru"
    assert p.page.locator("h1").first.inner_text().strip() == "Брифинг"
    assert p.page.get_by_role("slider", name="Поддержка компромисса в Японии (%)").get_attribute(
        "aria-valuetext") == "60"
    share = p.page.locator("[data-testid=stSidebar] code").first.text_content()
    assert "lang=ru" in share


def test_with_no_lang_in_the_link_the_browsers_language_is_used(open_page):
    p = open_page("/", locale="ja-JP")
    assert p.page.locator("h1").first.inner_text().strip() == "ブリーフィング"
    assert page_language(p.page, "ja") == "ja"
    assert p.outside_hosts() == set()


def test_the_readme_screenshots_in_each_language(open_page, tmp_path):
    """One picture per language for the README (written to docs/screenshots/ with KURIL_SCREENSHOTS=1)."""
    out = ROOT / "docs" / "screenshots" if os.environ.get("KURIL_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("ja", "ru"):
        p = open_page(f"/?lang={lang}&{SCENARIO}", viewport={"width": 1440, "height": 960})
        p.page.screenshot(path=out / f"briefing-{lang}.png")
        assert (out / f"briefing-{lang}.png").stat().st_size > 20_000


# The labels written beside the map's points, as the browser drew them: text and box in CSS pixels.
_LABEL_BOXES = """() => {
    const el = document.querySelectorAll('.js-plotly-plot')[0];
    return Array.from(el.querySelectorAll('.textpoint text')).map(t => {
        const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right, b.top, b.bottom]; });
}"""


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_maps_labels_never_write_over_each_other_in_any_prepared_scenario(open_page, lang):
    # Russian labels are the longest, Japanese characters the widest: before labels could take a corner or a second
    # line, Russian ones wrote over each other in four of the eight prepared scenarios (measured the same way).
    # English, measured too, never did; it is left out to keep the suite short.
    import urllib.parse

    page = None
    for preset_id, preset in MODEL.data.presets.items():
        query = urllib.parse.urlencode({"lang": lang, **{k: round(v) for k, v in preset.drivers.items()}})
        if page is None:
            page = open_page(f"/?{query}")
        else:
            page.open(f"/?{query}")
        boxes = page.page.evaluate(_LABEL_BOXES)
        assert len(boxes) == len(MODEL.data.options), (preset_id, boxes)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                shared_w = min(a[2], b[2]) - max(a[1], b[1])
                shared_h = min(a[4], b[4]) - max(a[3], b[3])
                assert shared_w <= 1 or shared_h <= 1, (preset_id, a, b)
