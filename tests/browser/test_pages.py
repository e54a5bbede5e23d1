"""In a real browser: every page draws its charts, sliders respond to the keyboard, nothing calls another host."""

from __future__ import annotations

import os
import urllib.parse

import pytest
from playwright.sync_api import expect

from dashboard.model import load_model
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
MODEL = load_model()


def test_every_page_renders_charts_without_exceptions_or_outside_requests(open_page):
    p = open_page("/")
    links = [a.get_attribute("href") for a in p.page.locator("[data-testid=stSidebarNav] a").all()]
    assert len(links) >= 6
    assert any(h.endswith("/library") for h in links)
    for href in links:
        p.page.goto(href)
        p.wait_charts()
        assert p.exceptions() == 0, href
        assert p.page.locator("[data-testid=stPlotlyChart]").count() >= 1, href
    assert p.outside_hosts() == set()
    assert p.dialogs == []


def test_a_slider_moved_with_the_keyboard_replots_and_rewrites_the_address_bar(open_page):
    p = open_page("/")
    before, numbers_before = p.map_points(), p.chart_numbers()
    slider = p.page.get_by_role("slider", name="Japanese support for compromise (%)")
    slider.focus()
    p.page.keyboard.press("ArrowRight")
    p.page.wait_for_function("() => location.search.includes('japan_public_support=55')", timeout=10_000)
    p.settle_after_change(numbers_before)
    after = p.map_points()
    assert after != before
    expected = MODEL.score({"japan_public_support": 55})
    for o in MODEL.option_ids:
        got = after[MODEL.options.at[o, "short_label"]]
        assert got == pytest.approx((expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-9)


def test_reset_really_resets_what_the_browser_shows(open_page):
    p = open_page("/?japan_public_support=20&western_sanctions=90")
    p.page.get_by_role("button", name="Reset to October 2016 (the op-ed)").click()
    p.page.wait_for_function("() => !location.search.includes('japan_public_support')", timeout=10_000)
    slider = p.page.get_by_role("slider", name="Japanese support for compromise (%)")
    expect(slider).to_have_attribute("aria-valuetext", "54", timeout=15_000)
    assert "western_sanctions" not in p.page.url


def test_a_preset_sets_the_sliders_and_the_address_bar(open_page):
    p = open_page("/")
    p.page.get_by_role("combobox", name="Load a prepared scenario").click()
    p.page.get_by_role("option", name="Snap election next month").click()
    p.page.wait_for_function("() => location.search.includes('months_to_election=1')", timeout=10_000)
    expect(p.page.get_by_role("slider", name="Months to Japan's next election")).to_have_attribute(
        "aria-valuetext", "1", timeout=15_000)


def test_the_readme_screenshots(open_page, tmp_path):
    """The README's pictures are taken here, so that they show the app as it is. They are written to docs/ only with
    KURIL_SCREENSHOTS=1 (bin/test with it refreshes them): every run renders a few pixels differently, and a test run
    should leave the checkout clean."""
    out = ROOT / "docs" / "screenshots" if os.environ.get("KURIL_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    p = open_page("/?japan_public_support=60&months_to_election=1", viewport={"width": 1440, "height": 960})
    p.page.screenshot(path=out / "briefing.png")
    v = open_page("/?view=viewer&japan_public_support=60&months_to_election=1",
                  viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    v.page.screenshot(path=out / "viewer-phone.png")
    s = open_page("/?view=present&step=3", viewport={"width": 1920, "height": 1080})
    s.page.screenshot(path=out / "presenter.png")
    for name in ("briefing", "viewer-phone", "presenter"):
        assert (out / f"{name}.png").stat().st_size > 20_000


def test_the_share_box_link_starts_with_the_apps_own_address(open_page, base_url):
    p = open_page("/why?japan_public_support=61")
    link = p.page.locator("[data-testid=stSidebar] code").first.text_content().strip()
    parts = urllib.parse.urlsplit(link)
    assert link.startswith(base_url + "/why?")
    q = urllib.parse.parse_qs(parts.query)
    assert set(MODEL.driver_ids) <= set(q) and q["japan_public_support"] == ["61"] and q["v"] == [MODEL.version]
