"""The exports in Japanese and Russian: the same numbers as in English, the text in the chosen language."""

from __future__ import annotations

import io
import json

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from dashboard.export import briefing_pack, build_briefing, scores_table, slide_deck
from dashboard.model.schema import text

SCENARIO = {"japan_public_support": 63, "months_to_election": 2}


@pytest.fixture(scope="module")
def briefings(model):
    values = {**model.baseline, **SCENARIO}
    return {lang: build_briefing(model, values, "declaration_1956", lang=lang, share_link=f"http://h/?lang={lang}")
            for lang in ("en", "ja", "ru")}


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_scores_csv_keeps_its_id_headers_and_adds_the_labels_in_the_language(model, briefings, lang):
    en, other = scores_table(briefings["en"]), scores_table(briefings[lang])
    assert list(other.columns) == [*en.columns[:3], f"label_{lang}", *en.columns[3:]]
    assert other.drop(columns=f"label_{lang}").equals(en)
    row = other.set_index("id").loc["japan_public_support"]
    assert row[f"label_{lang}"] == text(model.data.drivers["japan_public_support"], "label", lang)


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_pack_is_in_the_language_and_its_charts_plot_the_same_numbers(briefings, lang):
    b = briefings[lang]
    doc = briefing_pack(b)
    assert f'<html lang="{lang}">' in doc
    assert b.explanation.headline in doc and b.explanation.headline != briefings["en"].explanation.headline
    assert "Why</h2>" not in doc  # the English heading is translated
    for name, fig in b.charts.items():
        en = briefings["en"].charts[name]
        for t_en, t in zip(en.data, fig.data, strict=True):
            for axis in ("x", "y"):
                a, o = getattr(t_en, axis, None), getattr(t, axis, None)
                if a is not None and len(a) and not isinstance(a[0], str):
                    assert json.dumps(list(a)) == json.dumps(list(o)), (name, axis)


def test_the_slides_are_in_japanese(briefings):
    b = briefings["ja"]
    deck = Presentation(io.BytesIO(slide_deck(b, images=[_PNG] * len(b.charts))))
    shown = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "モスクワと東京が受け入れ得る解決案" in shown and b.explanation.headline in shown


# The smallest valid PNG (1x1), for a deck whose images are not under test.
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.mark.parametrize("lang, tag", [("en", "en-GB"), ("ja", "ja-JP"), ("ru", "ru-RU")])
def test_every_run_of_slide_text_names_its_language_and_japanese_an_east_asian_face(briefings, lang, tag):
    # Without the tag and the face PowerPoint may draw kana and kanji with a Latin face's fallback, and spell-check
    # and break Japanese lines as English.
    b = briefings[lang]
    deck = Presentation(io.BytesIO(slide_deck(b, images=[_PNG] * len(b.charts))))
    runs = [r for s in deck.slides for sh in s.shapes
            for f in ([sh.text_frame] if sh.has_text_frame else [])
            + ([c.text_frame for row in sh.table.rows for c in row.cells] if sh.has_table else [])
            for p in f.paragraphs for r in p.runs]
    runs += [r for s in deck.slides for p in s.notes_slide.notes_text_frame.paragraphs for r in p.runs]
    assert len(runs) > 30
    assert {r._r.rPr.get("lang") for r in runs} == {tag}
    faces = {r._r.rPr.find(qn("a:ea")).get("typeface") if r._r.rPr.find(qn("a:ea")) is not None else None
             for r in runs}
    assert faces == ({"Yu Gothic"} if lang == "ja" else {None})
