"""The stakeholder view on a phone, presenter mode with the keyboard, and two viewers side by side."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.model import load_model

pytestmark = pytest.mark.browser
MODEL = load_model()
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_viewer_on_a_phone_shows_table_and_charts_without_sideways_scrolling(open_page):
    p = open_page("/?view=viewer&japan_public_support=62&option=four_islands", **PHONE)
    assert p.page.get_by_role("slider").count() == 0
    assert p.page.locator("[data-testid=stTable] table").count() == 1
    assert p.page.locator("[data-testid=stPlotlyChart]").count() >= 2
    assert p.page.evaluate("() => document.documentElement.scrollWidth") <= 390
    widest = p.page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll(
        '[data-testid=stMain] *')).map(e => e.getBoundingClientRect().right))""")
    assert widest <= 392
    expected = MODEL.score({"japan_public_support": 62})
    points = p.map_points()
    o = "four_islands"
    assert points[MODEL.options.at[o, "short_label"]] == pytest.approx(
        (expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-9)


def test_viewer_offers_the_same_scenario_in_the_full_app(open_page):
    p = open_page("/?view=viewer&japan_public_support=62", **PHONE)
    href = p.page.get_by_role("link", name="Open this scenario in the full app").get_attribute("href")
    assert "view=" not in href and "japan_public_support=62" in href
    full = open_page(href.replace(p.base, "", 1))
    assert full.page.get_by_role("slider", name="Japanese support for compromise (%)").get_attribute(
        "aria-valuetext") == "62"


def test_presenter_hides_the_sidebar_and_steps_with_the_keyboard(open_page):
    p = open_page("/?view=present", viewport={"width": 1920, "height": 1080})
    sidebar = p.page.locator("[data-testid=stSidebar]")
    assert sidebar.count() == 0 or not sidebar.first.is_visible() or sidebar.first.bounding_box()["width"] < 50
    titles = [MODEL.data.presets[s].title for s in MODEL.data.presentation]
    assert p.page.locator("h1").first.inner_text().strip() == titles[0]
    p.page.locator("h1").first.click()  # focus the page, not a control
    p.page.keyboard.press("ArrowRight")
    p.page.wait_for_function("() => location.search.includes('step=2')", timeout=10_000)
    expect(p.page.locator("h1").first).to_have_text(titles[1], timeout=15_000)
    p.settle()
    slide = p.page.url
    p.page.keyboard.press("ArrowLeft")
    p.page.wait_for_function("() => location.search.includes('step=1')", timeout=10_000)
    expect(p.page.locator("h1").first).to_have_text(titles[0], timeout=15_000)
    # The URL of a step is that exact slide.
    sent = open_page(slide.replace(p.base, "", 1), viewport={"width": 1920, "height": 1080})
    assert sent.page.locator("h1").first.inner_text().strip() == titles[1]


def test_two_sessions_side_by_side_keep_their_own_scenarios(open_page):
    a = open_page("/?japan_public_support=20")
    b = open_page("/?japan_public_support=80")
    a0, b0 = a.chart_numbers(), b.chart_numbers()
    assert a0 != b0
    for p, key in ((a, "ArrowRight"), (b, "ArrowLeft")):
        p.page.get_by_role("slider", name="Russian opposition to a handover (%)").focus()
        for _ in range(3):
            p.page.keyboard.press(key)
    for p, moved, before in ((a, "russia_public_opposition=74", a0), (b, "russia_public_opposition=68", b0)):
        p.page.wait_for_function("(moved) => location.search.includes(moved)", arg=moved, timeout=15_000)
        p.settle_after_change(before)
    assert "japan_public_support=20" in a.page.url and "japan_public_support=80" in b.page.url
    expected_a = MODEL.score({"japan_public_support": 20, "russia_public_opposition": 74})
    point, want = MODEL.options.at["declaration_1956", "short_label"], expected_a.at["declaration_1956", "moscow"]
    # The charts moved with the first of the three presses; the last one's rerun may still be on its way.
    a.wait_until(lambda: a.map_points()[point][0] == pytest.approx(want, abs=1e-9))
    assert a.map_points()[point][0] == pytest.approx(want, abs=1e-9)
