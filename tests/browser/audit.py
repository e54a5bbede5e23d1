"""What the accessibility tests share: the views, axe-core's audit, and the checks of focus and of chart text."""

from __future__ import annotations

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeout

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, as ../shared/checks/accessibility runs them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["/", "/why", "/sensitivity", "/uncertainty", "/compare", "/history", "/weights", "/library", "/method"]
# Whether an element shows that it has the keyboard's focus: an outline, a focus ring drawn as a box shadow, or a
# border or background that differ from the element's look without focus. Streamlit draws some of these on the
# element's wrapper (a select box's input marks its box), so the element and two of its ancestors are looked at.
FOCUS_SHOWN = """(e) => {
    const look = (s) => [s.outlineStyle, s.outlineWidth, s.boxShadow, s.borderColor, s.backgroundColor].join('|');
    const ring = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    const chain = [e, e.parentElement, e.parentElement?.parentElement].filter(Boolean).map(getComputedStyle);
    return {ring: ring(chain[0]), look: chain.map(look).join('/')};
}"""


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    return [f"{v['id']} ({v['impact']}): {n['html'][:120]} {n.get('failureSummary', '')[:200]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical") for n in v["nodes"]]


# Chart text drawn outside its chart (cut off at the edge): titles, axis titles, legend entries, annotations, ticks.
CHART_TEXT_OUTSIDE = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    const words = '.gtitle, .xtitle, .ytitle, .legendtext, .annotation-text, .xtick text, .ytick text';
    return [...plot.querySelectorAll(words)]
        .map(t => [t.textContent.slice(0, 60), t.getBoundingClientRect()])
        .filter(([, b]) => b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1)
        .map(([text]) => text);
})"""


def page_language(page, expected: str, timeout_ms: int = 10_000) -> str:
    """The page's ``<html lang>`` once it says ``expected`` or the wait is over. The app sets it with a script drawn
    last on the page, which a long page (History) may run a moment after its charts are drawn."""
    # On a timeout the caller's assertion says what the page has instead.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=expected, timeout=timeout_ms)
    return page.evaluate("() => document.documentElement.lang")
