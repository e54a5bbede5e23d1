"""The exports: scores CSV, the self-contained HTML pack and the slide deck say what the model says."""

from __future__ import annotations

import html.parser
import io
import re

import pandas as pd
import pytest
from pptx import Presentation

from dashboard.export import ImagesUnavailable, briefing_pack, build_briefing, scores_table, slide_deck
from dashboard.export import images as images_module

SCENARIO = {"japan_public_support": 63, "months_to_election": 2, "western_sanctions": 80}
KEY = "weight.tokyo.japan_public_support.declaration_1956"


@pytest.fixture(scope="module")
def briefing(model):
    m = model.with_overrides({KEY: 4.5})
    return build_briefing(m, {**m.baseline, **SCENARIO}, "declaration_1956", title="Test <scenario> & co",
                          note="A note with <b>markup</b>", share_link="http://127.0.0.1:8501/?japan_public_support=63")


def test_scores_table_holds_every_score_and_every_assumption_with_its_source(model, briefing):
    t = scores_table(briefing)
    scores = t[t["record"] == "score"].set_index("id")
    expected = model.score({**model.baseline, **SCENARIO}, overrides={KEY: 4.5})
    pd.testing.assert_frame_equal(scores[["moscow", "tokyo", "joint"]].astype(float), expected,
                                  check_names=False, check_index_type=False)
    drivers = t[t["record"] == "assumption"].set_index("id")
    assert drivers.loc["japan_public_support", "value"] == 63 and drivers.loc["japan_public_support", "unit"] == "%"
    assert drivers["source"].str.len().gt(10).all()
    assert (t["data_version"] == model.version).all() and (t["overrides"] == f"{KEY}=4.5").all()


class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_pack_is_self_contained_and_escapes_every_text(model, briefing):
    doc = briefing_pack(briefing)
    p = _Collect()
    p.feed(doc)
    text = " ".join(p.text)
    tags = p.tags
    assert [t for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in next(a["content"] for t, a in tags if a.get("http-equiv"))
    # Nothing is loaded from elsewhere: no script, image or stylesheet source, no link but the share link.
    assert not [a for t, a in tags if t in ("script", "img", "link", "iframe") and (a.get("src") or a.get("href"))]
    assert [a["href"] for t, a in tags if t == "a"] == [briefing.share_link]
    # Text from a title or note is text, never markup.
    assert "<b>markup</b>" not in doc and not [t for t, _ in tags if t == "scenario"]
    assert "Test <scenario> & co" in text and "A note with <b>markup</b>" in text
    assert briefing.explanation.headline in text and model.version in text
    assert len(re.findall(r'id="chart-', doc)) == len(briefing.charts) == 5  # map, bars, why x2, history
    for label in model.assumptions["label"]:
        assert label in text
    assert "Overrides of the model's weights in force" in text


def test_the_slide_deck_has_title_headline_charts_tables_and_sources(model, briefing):
    fake = [b"\x89PNG\r\n\x1a\n" + _tiny_png()] * len(briefing.charts)
    deck = Presentation(io.BytesIO(slide_deck(briefing, images=fake)))
    slides = list(deck.slides)
    titles = [next((sh.text_frame.text for sh in s.shapes if sh.has_text_frame), "") for s in slides]
    assert "Kuril Islands" in titles[0] and briefing.title in titles[0] and titles[1] == "The headline"
    headline = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert briefing.explanation.headline in headline
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == len(briefing.charts)
    tables = {title: sh.table for s, title in zip(slides, titles, strict=True) for sh in s.shapes if sh.has_table}
    assumptions = tables["Assumptions in force"]
    assert len(assumptions.rows) == len(model.driver_ids) + 1
    assert assumptions.cell(1, 1).text == "63%"
    assert "Overrides of the model's weights" in tables
    assert titles[-1] == "Sources"
    notes = [s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide]
    assert any("Moscow" in n for n in notes)  # each chart slide carries the chart's text summary


def _tiny_png() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(buf, "PNG")
    return buf.getvalue()[8:]


def test_without_chromium_slides_say_so_and_the_rest_still_works(monkeypatch, briefing):
    monkeypatch.setattr(images_module, "chromium_path", lambda: None)
    with pytest.raises(ImagesUnavailable, match="no Chromium is installed"):
        slide_deck(briefing)
    assert briefing_pack(briefing) and len(scores_table(briefing))


@pytest.mark.browser
def test_real_slide_images_are_drawn_by_chromium_without_the_network(briefing):
    if images_module.chromium_path() is None:
        pytest.skip("no Chromium")
    pngs = images_module.png_images([briefing.charts["map"], briefing.charts["bars"]], width=800, height=450)
    assert all(p.startswith(b"\x89PNG") and len(p) > 10_000 for p in pngs)


def test_the_pack_and_the_slides_carry_the_history_chart_and_the_track_record(model, briefing):
    from dashboard.model.history import track_record
    assert "history" in briefing.charts
    page = briefing_pack(briefing)
    assert 'id="chart-history"' in page and "the model&#x27;s track record" in page.replace("'", "&#x27;")
    record = track_record(briefing.model)
    for label in record["first_label"]:
        assert html.escape(label) in page
    assert page.count(">hit<") + page.count(">miss<") >= 2 * len(record)
    fake = [b"\x89PNG\r\n\x1a\n" + _tiny_png()] * len(briefing.charts)
    deck = Presentation(io.BytesIO(slide_deck(briefing, images=fake)))
    titles = [next((sh.text_frame.text for sh in s.shapes if sh.has_text_frame), "") for s in deck.slides]
    assert "October 2016 to now: feasibility at each checkpoint" in titles
    table = next(sh.table for s, t in zip(deck.slides, titles, strict=True) if t.startswith("Track record")
                 for sh in s.shapes if sh.has_table)
    assert len(table.rows) == len(record) + 1
    assert {table.cell(i, 2).text for i in range(1, len(table.rows))} <= {"hit", "miss"}
