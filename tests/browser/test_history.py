"""The History page and an "as of" link in viewer mode, in a real browser."""

from __future__ import annotations

import pytest

from dashboard.model import load_model
from dashboard.model.history import find_checkpoint, start_values

pytestmark = pytest.mark.browser
MODEL = load_model()
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_the_history_page_draws_every_checkpoint_on_a_date_axis_with_the_track_record(open_page):
    p = open_page("/history")
    assert p.exceptions() == 0 and not p.outside_hosts()
    traces = p.traces("checkpoint")
    assert traces, "no history chart"
    dates = {str(x)[:10] for t in traces for x in t["x"]}
    assert dates == {cp.date.isoformat() for cp in MODEL.data.checkpoints}
    assert p.page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot')).find(e =>
        e._fullLayout.title.text.includes('checkpoint'))._fullLayout.xaxis.type""") == "date"
    page_text = p.page.locator("[data-testid=stMain]").inner_text()
    assert "Track record" in page_text and "As of: October 2016 (the op-ed)" in p.page.locator(
        "[data-testid=stSidebar]").inner_text()


def test_an_as_of_link_in_viewer_mode_shows_that_dates_scores(open_page):
    cp = find_checkpoint(MODEL, "2022-03-suspension")
    p = open_page("/?view=viewer&asof=2022-03-25", **PHONE)
    assert p.exceptions() == 0 and p.page.get_by_role("slider").count() == 0
    assert "as of March 2022" in p.page.locator("[data-testid=stMain]").inner_text()
    expected = MODEL.with_events(cp.events).score(start_values(MODEL, cp))
    points = p.map_points()
    for o in ("declaration_1956", "economy_first"):
        assert points[MODEL.options.at[o, "short_label"]] == pytest.approx(
            (expected.at[o, "moscow"], expected.at[o, "tokyo"]), abs=1e-9)
    assert p.page.evaluate("() => document.documentElement.scrollWidth") <= 390
