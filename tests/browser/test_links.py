"""Links in a real browser: a shared link reproduces the view exactly; malformed links never break the app."""

from __future__ import annotations

import random
import urllib.parse

import pytest

from dashboard.model import load_model

pytestmark = pytest.mark.browser
MODEL = load_model()


def _slider_values(p) -> dict[str, str]:
    return {d: p.page.locator(f".st-key-{d} input[type=range]").first.input_value()
            for d in MODEL.driver_ids}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_link_from_the_share_box_shows_the_same_page_values_and_numbers(open_page, seed):
    rnd = random.Random(seed)
    a = MODEL.assumptions
    chosen = rnd.sample(list(a.index), 5)
    query = {d: str(rnd.randint(int(a.at[d, "min"]), int(a.at[d, "max"]))) for d in chosen}
    page = rnd.choice(["", "why", "sensitivity", "compare"])
    p = open_page(f"/{page}?" + urllib.parse.urlencode({**query, "option": "declaration_1956"}))
    for d, v in query.items():
        assert p.query()[d] == [v] or v == str(int(a.at[d, "baseline"]))
    link = p.page.locator("[data-testid=stSidebar] code").first.text_content().strip()
    fresh = open_page(link.replace(p.base, "", 1))
    assert urllib.parse.urlsplit(fresh.page.url).path == urllib.parse.urlsplit(p.page.url).path
    assert _slider_values(fresh) == _slider_values(p)
    assert fresh.chart_numbers() == p.chart_numbers()
    # The address bar itself is a link too.
    again = open_page(p.page.url.replace(p.base, "", 1))
    assert again.chart_numbers() == p.chart_numbers()


MALFORMED = {
    "not a number": "?japan_public_support=abc",
    "out of range": "?japan_public_support=400",
    "negative": "?months_to_election=-3",
    "off the step": "?japan_public_support=57.6",
    "repeated": "?japan_public_support=20&japan_public_support=80",
    "reversed range": "sensitivity?election_window=40&election_window=10",
    "unknown parameter": "?colour=red",
    "unknown page": "nowhere?japan_public_support=40",
    "unknown option": "?option=three_islands",
    "unknown view": "?view=sideways",
    "bad presenter step": "?view=present&step=99",
    "absurdly long": "?japan_public_support=" + "9" * 6000,
    "non-ASCII digits": "?japan_public_support=%EF%BC%95%EF%BC%94",
    "non-ASCII name": "?%E5%B3%B6=1",
    "script text": "?japan_public_support=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
    "markup in a name": "?%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E=1",
    "markdown image": "?option=!%5Bx%5D(http%3A%2F%2Fexample.invalid%2Fx.png)",
    "markdown link name": "?%5Bclick%5D(http%3A%2F%2Fexample.invalid)=1",
    "infinity": "?western_sanctions=inf",
    "not a number (nan)": "?western_sanctions=nan",
    "empty value": "?western_sanctions=",
    "bad override": "?o.weight.tokyo.japan_public_support.declaration_1956=-40",
    "unknown override": "?o.nothing=1",
    "old data version": "?v=1999.1&japan_public_support=40",
    "viewer with junk": "?view=viewer&japan_public_support=abc&zzz=1",
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_link_opens_with_a_notice_and_no_script(open_page, kind):
    p = open_page("/" + MALFORMED[kind])
    assert p.exceptions() == 0
    assert p.page.evaluate("() => window.__pwned") is None
    assert p.dialogs == []
    assert p.outside_hosts() == set()
    main = p.page.locator("[data-testid=stMain]").inner_text()
    if kind != "unknown page":
        assert "could not use" in main or "data version" in main or "Page not found" in main
    # Nothing from the link became markup: no image or link element points elsewhere.
    assert p.page.locator("[data-testid=stMain] img[src*='example'], a[href*='example.invalid']").count() == 0


def test_a_bad_value_is_shown_as_the_value_used(open_page):
    p = open_page("/?japan_public_support=57.6&months_to_election=abc")
    assert p.page.locator(".st-key-japan_public_support input[type=range]").input_value() == "57"
    assert p.page.locator(".st-key-months_to_election input[type=range]").input_value() == "3"
    text = p.page.locator("[data-testid=stAlertContentWarning]").inner_text()
    assert "japan_public_support" in text and "used 57" in text and "months_to_election" in text
