"""The library in a real browser: save from the sidebar, copy the short link, open it in a fresh browser with the
same plotted numbers (full and read-only views); compare two saved scenarios from the Library page."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from dashboard.model import load_model

pytestmark = pytest.mark.browser
MODEL = load_model()


def _slider_values(p) -> dict[str, str]:
    return {d: p.page.locator(f".st-key-{d} input[type=range]").first.input_value() for d in MODEL.driver_ids}


def save(p, title: str) -> str:
    """Save the view in force through the sidebar's form (opening it if it is closed); return the short link it
    shows."""
    if not p.page.get_by_role("textbox", name="Title").count():
        p.page.get_by_role("button", name="Save to library").click()
    p.page.get_by_role("textbox", name="Title").fill(title)
    p.page.get_by_role("textbox", name="Author name").fill("Browser test")
    p.page.get_by_role("button", name="Save", exact=True).click()
    p.page.get_by_text(f"Saved “{title}”").wait_for(timeout=20_000)
    code = p.page.locator("[data-testid=stSidebar] [data-testid=stCode] code", has_text="?s=").last
    code.wait_for(timeout=20_000)
    return code.text_content().strip()


def test_a_short_link_opens_the_same_view_in_a_fresh_browser(open_page):
    p = open_page("/why?japan_public_support=23&western_sanctions=70&option=economy_first")
    link = save(p, "Browser: sceptical Tokyo")
    assert re.fullmatch(re.escape(p.base) + r"/\?s=[A-Za-z0-9_-]{16}", link), link
    fresh = open_page(link.replace(p.base, "", 1))
    # The short link opens on the page it was saved on, with the sliders and the plotted numbers the sender saw.
    assert urllib.parse.urlsplit(fresh.page.url).path == "/why"
    assert _slider_values(fresh) == _slider_values(p)
    assert fresh.chart_numbers() == p.chart_numbers()
    assert fresh.exceptions() == 0 and fresh.outside_hosts() == set()
    # The address bar then holds the view as an ordinary link: a reload shows the same.
    again = open_page(fresh.page.url.replace(p.base, "", 1))
    assert again.chart_numbers() == p.chart_numbers()


def test_the_short_link_in_the_read_only_view_and_an_unknown_id(open_page):
    p = open_page("/?japan_public_support=77")
    link = save(p, "Browser: keen Tokyo")
    sid = link.split("?s=")[1]
    sent = p.chart_numbers()
    viewer = open_page(f"/?view=viewer&s={sid}", viewport={"width": 390, "height": 844})
    assert viewer.chart_numbers() == sent
    assert viewer.page.get_by_role("slider").count() == 0
    unknown = open_page("/?s=AAAAAAAAAAAAAAAA")
    assert unknown.exceptions() == 0
    assert unknown.page.locator("[data-testid=stAlert]", has_text="no saved scenario has this id").count() == 1


def test_two_saved_scenarios_are_compared_on_the_compare_page(open_page):
    p = open_page("/?japan_public_support=11")
    save(p, "Browser compare: low")
    p.page.get_by_role("slider", name="Japanese support for compromise (%)").focus()
    for _ in range(3):
        p.page.keyboard.press("ArrowRight")
    p.settle()
    save(p, "Browser compare: higher")
    lib = open_page("/library?western_sanctions=66", wait_chart=False)
    lib.page.get_by_role("textbox", name="Search titles, authors and notes").fill("Browser compare")
    lib.page.keyboard.press("Enter")
    grid = lib.page.locator("[data-testid=stDataFrame]")
    grid.wait_for()
    lib.page.wait_for_timeout(800)
    # Select the first two rows by their checkboxes (the row selection column of the data grid).
    box = grid.bounding_box()
    for row in (1, 2):
        lib.page.mouse.click(box["x"] + 12, box["y"] + 35 * row + 18)
        lib.page.wait_for_timeout(400)
    lib.page.get_by_role("button", name="Compare these two").click()
    lib.page.wait_for_url(re.compile(r"/compare"), timeout=20_000)
    lib.wait_charts()
    assert lib.exceptions() == 0
    titles = lib.page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(e => "
                               "(e._fullLayout.title || {}).text || '')")
    assert any("Browser compare: higher" in t and "Browser compare: low" in t for t in titles), titles
    # The sidebar kept its values through the switch.
    assert lib.page.locator(".st-key-western_sanctions input[type=range]").first.input_value() == "66"
