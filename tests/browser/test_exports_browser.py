"""The briefing pack opened in Chromium with the network cut: the charts render and nothing leaves the file."""

from __future__ import annotations

import pytest

from dashboard.export import briefing_pack, build_briefing
from dashboard.model import load_model

pytestmark = pytest.mark.browser


def test_the_pack_renders_its_charts_offline_and_requests_nothing(browser, tmp_path):
    model = load_model()
    b = build_briefing(model, {**model.baseline, "japan_public_support": 40}, "declaration_1956_plus_zone",
                       title="Offline test", share_link="http://127.0.0.1:1/?japan_public_support=40")
    path = tmp_path / "pack.html"
    path.write_text(briefing_pack(b), encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    context.route("**/*", lambda r: (requests.append(r.request.url),
                                      r.continue_() if r.request.url.startswith("file:") else r.abort()))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=20_000)
    page.wait_for_timeout(500)
    # Every chart the pack holds is drawn (the map, the bars, the Why waterfall, the history...), offline.
    assert page.locator(".js-plotly-plot").count() == path.read_text(encoding="utf-8").count('id="chart-') >= 5
    plotted = page.evaluate("() => document.getElementById('chart-bars')._fullData[0].x")
    assert plotted == pytest.approx(list(b.explanation.scores["moscow"]))
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []
    context.close()
