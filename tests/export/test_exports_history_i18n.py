"""The History chart and the track record in the pack and the slides follow the briefing's language."""

from __future__ import annotations

import html
import io

import pytest
from pptx import Presentation

from dashboard import i18n
from dashboard.export import briefing_pack, build_briefing, slide_deck
from dashboard.model.explain import option_labels

# The smallest valid PNG (1x1), for a deck whose images are not under test.
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def briefings(model):
    return {lang: build_briefing(model, model.baseline, "economy_first", lang=lang) for lang in ("en", "ja", "ru")}


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_history_chart_and_track_record_are_in_the_language_with_the_same_numbers(briefings, lang):
    en, b = briefings["en"], briefings[lang]
    gettext = i18n.gettext_for(lang)
    fig, fig_en = b.charts["history"], en.charts["history"]
    assert fig.layout.title.text.replace("<br>", " ") == gettext("Feasibility at each checkpoint, October 2016 to now")
    assert [list(t.y) for t in fig.data] == [list(t.y) for t in fig_en.data]
    record, record_en = b.track_record, en.track_record
    assert list(record.columns) == [gettext(c) for c in record_en.columns] != list(record_en.columns)
    hit = record.columns[3]
    assert record[hit].map({gettext("hit"): "hit", gettext("miss"): "miss"}).tolist() == record_en["Hit"].tolist()
    page = briefing_pack(b)
    assert f"<th>{html.escape(gettext('What happened'))}</th>" in page and ">hit<" not in page
    labels = option_labels(b.model, lang)
    assert html.escape(labels["economy_first"]) in page
    deck = Presentation(io.BytesIO(slide_deck(b, images=[_PNG] * len(b.charts))))
    title = gettext("Track record: the op-ed's weights at every date")
    table = next(sh.table for s in deck.slides for sh in s.shapes if sh.has_table
                 and any(x.has_text_frame and x.text_frame.text == title for x in s.shapes))
    assert table.cell(0, 0).text == gettext("Date")
    assert {table.cell(i, 2).text for i in range(1, len(table.rows))} <= {gettext("hit"), gettext("miss")}
