"""Accessibility in a real browser: axe-core's WCAG 2.2 A/AA audit of every view a user reaches, keyboard-only use,
presenter mode's type size, markers a phone can tell apart, and charts' text alternatives (docs/accessibility.md)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.audit import (
    CHART_TEXT_OUTSIDE,
    DESKTOP,
    FOCUS_SHOWN,
    PAGES,
    PHONE,
    PROJECTOR,
    serious,
)

pytestmark = pytest.mark.browser


def test_the_audit_covers_every_page_of_the_navigation(open_page):
    p = open_page("/", viewport=DESKTOP)
    links = p.page.locator("[data-testid=stSidebarNav] a").evaluate_all("els => els.map(a => a.pathname)")
    assert sorted(links) == sorted(PAGES)


@pytest.mark.parametrize(("path", "viewport"), [("/?view=viewer", PHONE), ("/why?view=viewer", PHONE),
                                                ("/?view=viewer&lang=ja", PHONE), ("/?view=viewer&lang=ru", PHONE),
                                                ("/?view=viewer&lang=ru&asof=2022-03-suspension&japan_public_support=30",
                                                 PHONE),
                                                ("/?view=present", PROJECTOR),
                                                ("/?view=present&lang=ru", PROJECTOR),
                                                ("/?view=present&tour=dates&step=6", PROJECTOR)])
def test_viewer_and_presenter_have_no_serious_or_critical_violation(open_page, path, viewport):
    p = open_page(path, viewport=viewport)
    p.page.locator("[data-testid=stTable], [data-testid=stButton]").first.wait_for()
    assert serious(p.page) == []
    assert p.page.evaluate(CHART_TEXT_OUTSIDE) == []


def test_opened_share_box_and_events_have_no_serious_or_critical_violation(open_page):
    p = open_page("/", viewport=DESKTOP)
    p.page.get_by_text("Copy a link: this view, read-only, presenting").click()
    p.page.locator("[data-testid=stSidebar] [data-testid=stCode]").first.wait_for()
    p.page.get_by_text("Events since the op-ed", exact=True).click()
    p.settle()
    assert serious(p.page) == []


def _tab_until(page, accept, limit: int = 120) -> dict:
    """Press Tab until the focused element satisfies ``accept`` (a JS predicate on it). Returns whether its focus
    shows (``ring``: an outline or a focus ring; ``changed``: it looks otherwise once focus has left it)."""
    path = []  # where each Tab went, for the failure's message
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.wait_for_timeout(150)  # Streamlit fades some controls in on focus (a code block's copy button)
        path.append(page.evaluate("() => { const e = document.activeElement; return e.tagName + ' '"
                                  " + (e.getAttribute('aria-label') || e.innerText || '').slice(0, 30); }"))
        if page.evaluate(f"() => ({accept})(document.activeElement)"):
            focused = page.evaluate(f"() => ({FOCUS_SHOWN})(window.__target = document.activeElement)")
            page.evaluate("() => window.__target.blur()")
            page.wait_for_timeout(300)
            after = page.evaluate(f"() => ({FOCUS_SHOWN})(window.__target)")
            page.evaluate("() => window.__target.focus()")
            return {"ring": focused["ring"], "changed": focused["look"] != after["look"],
                    "shown": focused["ring"] or focused["look"] != after["look"]}
    raise AssertionError(f"Tab never reached an element where {accept}; it went: {' > '.join(path)}")


def test_keyboard_alone_reaches_every_control_of_the_briefing_with_visible_focus(open_page):
    """Tab from the top reaches the pages, the start point, every slider and the downloads; focus always shows."""
    p = open_page("/", viewport=DESKTOP)
    page = p.page
    seen, unmarked = [], []
    # Each element's look with focus is kept and compared with its look once Tab has moved on (after React has
    # redrawn it): a focus mark that is not an outline or a ring still shows as a difference.
    for _ in range(200):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        info = page.evaluate("""(shown) => {
            const look = eval(shown), e = document.activeElement, prev = window.__focused;
            const left = prev ? {name: prev.name, tag: prev.tag, ring: prev.ring,
                                 changed: prev.look !== look(prev.el).look} : null;
            const now = look(e);
            window.__focused = {el: e, tag: e.tagName, ring: now.ring, look: now.look,
                                name: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 200)};
            return {left, tag: e.tagName, name: window.__focused.name};
        }""", FOCUS_SHOWN)
        if info["left"]:
            left = info["left"]
            # Streamlit makes its scrolling main region focusable (for keyboard scrolling) with no focus mark of
            # its own; it is not a control (docs/accessibility.md).
            if left["tag"] != "MAIN" and not (left["ring"] or left["changed"]):
                unmarked.append(f"{left['tag']} {left['name']}")
        if info["tag"] == "BODY":
            break
        seen.append(info["name"])
    text = "\n".join(seen)
    # Every slider, a dormant driver's too ("… · no effect: its event is off", 82 characters: names are kept whole,
    # since cutting them at 80 once made that slider look unreached).
    sliders = page.locator("input[type=range]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(sliders) >= 18
    for label in ["Skip to main content", "Briefing", "Method & sources", "Start from a date", "Reset",
                  "Option to examine", *sliders]:
        assert label in text, (label, seen)
    assert "Download" in text
    assert unmarked == []


def test_a_slider_moves_with_the_arrow_keys(open_page, model):
    label = model.assumptions.at["japan_public_support", "label"]
    p = open_page("/", viewport=DESKTOP)
    slider = p.page.get_by_role("slider", name=re.compile("^" + re.escape(label)))
    start = slider.input_value()
    slider.focus()
    p.page.keyboard.press("ArrowRight")
    expect(slider).not_to_have_value(start)
    assert float(slider.input_value()) > float(start)


def test_presenter_stepper_works_from_the_keyboard(open_page):
    p = open_page("/?view=present", viewport=PROJECTOR)
    page = p.page
    expect(page.get_by_text("Scenario 1 of")).to_be_visible()
    focus = _tab_until(page, "e => e.tagName === 'BUTTON' && e.innerText.includes('Next')")
    assert focus["shown"]
    page.keyboard.press("Enter")
    expect(page.get_by_text("Scenario 2 of")).to_be_visible()
    page.keyboard.press("ArrowRight")  # the stepper's own shortcut keys
    expect(page.get_by_text("Scenario 3 of")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("Scenario 2 of")).to_be_visible()
    focus = _tab_until(page, "e => e.tagName === 'BUTTON' && e.innerText.includes('Previous')")
    assert focus["shown"]
    page.keyboard.press("Space")
    expect(page.get_by_text("Scenario 1 of")).to_be_visible()


def test_share_box_opens_and_copies_a_link_from_the_keyboard(open_page):
    p = open_page("/?japan_public_support=40", viewport=DESKTOP,
                  permissions=["clipboard-read", "clipboard-write"])
    page = p.page
    focus = _tab_until(page, "e => e.tagName === 'SUMMARY' && e.innerText.includes('Copy a link')")
    assert focus["shown"]
    page.keyboard.press("Enter")
    page.locator("[data-testid=stSidebar] [data-testid=stCode]").first.wait_for()
    # Opening the box reruns the page; once that run is over the keyboard goes on from the box's heading (on a
    # loaded machine the rerun could end after the first Tab and take the focus back to the page's top).
    p.settle()
    page.locator("[data-testid=stSidebar] summary", has_text="Copy a link").focus()
    focus = _tab_until(page, "e => e.getAttribute('aria-label') === 'Copy to clipboard'", limit=20)
    assert focus["shown"]
    page.keyboard.press("Enter")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "japan_public_support=40" in copied and copied.startswith(p.base)


def _effective_px(page, selector: str) -> list[tuple[str, float]]:
    """Each visible piece of text under ``selector``: its text and its drawn size in px (font size times any
    scale Plotly applied to fit it)."""
    return page.evaluate("""(sel) => {
        const out = [];
        for (const root of document.querySelectorAll(sel)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let n;
            while ((n = walker.nextNode())) {
                const text = n.textContent.trim(), el = n.parentElement;
                if (!text || !el.getBoundingClientRect().width) continue;
                let scale = 1;
                for (let a = el; a && a !== root; a = a.parentElement) {
                    const m = (a.getAttribute('transform') || '').match(/scale\\(([\\d.]+)/);
                    if (m) scale *= parseFloat(m[1]);
                }
                out.push([text.slice(0, 50), parseFloat(getComputedStyle(el).fontSize) * scale]);
            }
        }
        return out;
    }""", selector)


@pytest.mark.parametrize("path", ["/?view=present", "/?view=present&tour=dates&step=6"])
def test_presenter_text_is_at_least_18px_at_1920x1080(open_page, path):
    """Stepper buttons, the "Scenario N of M" line, captions and chart text are readable from the back of a room."""
    p = open_page(path, viewport=PROJECTOR)
    texts = _effective_px(p.page, "[data-testid=stMain] [data-testid=stMainBlockContainer]")
    names = " ".join(t for t, _ in texts)
    caption = "What happened next" if "tour=dates" in path else "most feasible"
    for part in ("Previous", "Next", " of ", "Moscow vs Tokyo", "Feasibility for each capital", "%", caption):
        assert part in names, part
    assert [(t, px) for t, px in texts if px < 18] == []


def test_phone_viewer_numbers_every_marker_of_the_map_and_keys_the_numbers_in_text(open_page, model):
    """At 390 px names beside the points would collide: each point carries a number, drawn on the screen, and the
    caption under the chart says which option each number is. Nothing needs a hover."""
    p = open_page("/?view=viewer", viewport=PHONE)
    drawn = p.page.evaluate("""() => {
        const el = Array.from(document.querySelectorAll('.js-plotly-plot'))
            .find(e => e._fullLayout.title.text.includes('Moscow vs Tokyo'));
        const r = el.getBoundingClientRect();
        return {chart: [r.left, r.right], names: el._fullData.flatMap(t => Array.from(t.text)),
                numbers: Array.from(el.querySelectorAll('.scatterlayer .textpoint text')).map(t => {
                    const b = t.getBoundingClientRect();
                    return [t.textContent, b.left, b.right, b.width > 0];
                })};
    }""")
    assert sorted(drawn["names"]) == sorted(model.options["short_label"])
    left, right = drawn["chart"]
    assert right - left <= PHONE["width"]
    numbers = {n for n, lo, hi, shown in drawn["numbers"] if shown and left <= lo and hi <= right}
    assert numbers == {str(k + 1) for k in range(len(drawn["names"]))}
    key = p.page.locator("[data-testid=stCaptionContainer]").filter(has_text="Points:").first
    expect(key).to_be_visible()
    for k, name in enumerate(drawn["names"]):
        expect(key).to_contain_text(f"{k + 1} {name}")


@pytest.mark.parametrize(("path", "viewport"), [("/", DESKTOP), ("/why", DESKTOP), ("/?view=viewer", PHONE),
                                                ("/?view=present", PROJECTOR)])
def test_each_chart_gives_assistive_technology_its_summary(open_page, path, viewport):
    """A chart is a figure named by its one-line summary, which is also written under it."""
    p = open_page(path, viewport=viewport)
    charts = p.page.locator("[data-testid=stPlotlyChart]")
    assert charts.count() >= 2
    for i in range(charts.count()):
        c = charts.nth(i)
        expect(c).to_have_attribute("role", "figure")
        summary = c.get_attribute("aria-label")
        assert summary and len(summary) > 20
        caption = p.page.locator("[data-testid=stCaptionContainer]").filter(has_text=summary[:40])
        expect(caption.first).to_be_visible()
