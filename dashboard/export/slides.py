"""The slide deck (PowerPoint, python-pptx): title, headline, one slide per key chart, assumptions, sources.

Slides are laid out on a blank 16:9 layout with explicit boxes, so nothing depends on the default template's 4:3
placeholders. Charts are drawn again with presentation-size type before being turned into images.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from dashboard import i18n
from dashboard.charts import summary_of
from dashboard.export.briefing import Briefing, key_charts
from dashboard.export.images import png_images
from dashboard.i18n import N_
from dashboard.model.citations import source_entry
from dashboard.model.explain import option_labels

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
INK, MUTED = RGBColor(0x1F, 0x24, 0x30), RGBColor(0x5A, 0x60, 0x70)
IMAGE = (1100, 620)  # CSS pixels, drawn at 2x: the charts' presentation type fills a slide legibly
CHART_TITLES = {"map": N_("Moscow vs Tokyo, option by option"), "bars": N_("Feasibility for each capital"),
                "why_moscow": N_("Why: Moscow's view of the option examined"),
                "why_tokyo": N_("Why: Tokyo's view of the option examined"),
                "history": N_("October 2016 to now: feasibility at each checkpoint")}
BLANK = 6
# Each text run is tagged with the deck's language, so PowerPoint, Keynote and LibreOffice choose its fonts, its
# spell-checker and its line breaking (Japanese breaks between characters) for that language. Japanese also names an
# East Asian typeface, without which PowerPoint may draw kana and kanji with a Latin face's fallback: Yu Gothic comes
# with Windows and Office for Mac; LibreOffice substitutes Noto Sans CJK (Debian's fonts-noto-cjk) for it. Cyrillic
# needs nothing more: the default Latin face (Calibri) has it.
RUN_LANGUAGE = {"en": MSO_LANGUAGE_ID.ENGLISH_UK, "ja": MSO_LANGUAGE_ID.JAPANESE, "ru": MSO_LANGUAGE_ID.RUSSIAN}
EAST_ASIAN_FACE = {"ja": "Yu Gothic"}


def _text(slide, left, top, width, height, paragraphs: list[tuple[str, int, bool, RGBColor]]):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold, color) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = text
        p.font.size, p.font.bold, p.font.color.rgb = Pt(size), bold, color
        p.space_after = Pt(size * 0.5)
    return box


def _slide(prs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK])
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), [(title, 28, True, INK)])
    return slide


def _table(prs, title: str, header: list[str], rows: list[list[str]], widths: list[float], size: int = 11):
    slide = _slide(prs, title)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, Inches(1.2), Inches(sum(widths)),
                                   Inches(0.28 * (len(rows) + 1)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for j, h in enumerate(header):
        table.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            table.cell(i, j).text = str(v)
    for r in table.rows:
        for cell in r.cells:
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(size)
    return slide


def slide_deck(b: Briefing, images: list[bytes] | None = None) -> bytes:
    """The briefing as a .pptx file. ``images`` are the charts' PNGs (drawn with kaleido when not given).

    Raises :class:`dashboard.export.ImagesUnavailable` when no Chromium can draw the charts.
    """
    m, e = b.model, b.explanation
    _ = i18n.gettext_for(b.lang)
    charts = key_charts(m, e, b.option, large=True, lang=b.lang)
    names = list(charts)
    if images is None:
        images = png_images([charts[n] for n in names], *IMAGE, scale=2)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT

    first = prs.slides.add_slide(prs.slide_layouts[BLANK])
    _text(first, Inches(1), Inches(2.3), WIDTH - Inches(2), Inches(3), [
        (_("Kuril Islands: which settlement could Moscow and Tokyo accept?"), 36, True, INK),
        (b.title, 24, False, INK),
        (_("{date} · data version {version}").format(
            date=f"{b.made_at:%d %B %Y}" if b.lang == i18n.DEFAULT else i18n.date(b.made_at.date(), b.lang),
            version=m.version), 16, False, MUTED),
    ])

    labels = option_labels(m, b.lang)
    lines = [(e.headline, 22, True, INK)]
    if b.note:
        lines.append((b.note, 16, False, MUTED))
    for o in dict.fromkeys([e.best, b.option]):
        lines.append((labels[o], 18, True, INK))
        lines += [(e.reasons.at[o, c], 15, False, INK) for c in ("moscow", "tokyo")]
    _text(_slide(prs, _("The headline")), MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.6), lines)

    for name, png in zip(names, images, strict=True):
        slide = _slide(prs, _(CHART_TITLES[name]) if name in CHART_TITLES else name)
        height = HEIGHT - Inches(1.5)
        width = int(height * IMAGE[0] / IMAGE[1])
        slide.shapes.add_picture(io.BytesIO(png), int((WIDTH - width) / 2), Inches(1.15), width=width, height=height)
        slide.notes_slide.notes_text_frame.text = summary_of(charts[name])

    a = b.assumptions
    short = m.assumptions["citation"].tolist()
    _table(prs, _("Assumptions in force"), [_("Assumption"), _("Value"), _("2016"), _("Source")],
           [[r[0], r[1], r[2], s] for r, s in zip(a.itertuples(index=False), short, strict=True)],
           [4.4, 1.3, 1.3, 5.3], size=10)
    record = b.track_record
    if len(record):
        _table(prs, _("Track record: the op-ed's weights at every date"), [_("Date"), _("First (all)"), _("Hit"),
               _("First settlement"), _("Hit"), _("What happened")],
               [[r[0], r[2], r[3], r[4], r[5], r[6]] for r in record.itertuples(index=False)],
               [1.4, 3.2, 0.8, 3.2, 0.8, 3.0], size=10)
    if m.overrides:
        o = b.overrides
        _table(prs, _("Overrides of the model's weights"), list(o.columns),
               [[r[0], f"{r[1]:g}", f"{r[2]:g}"] for r in o.itertuples(index=False)], [8.3, 2, 2])
    sources = [(source_entry(s, b.lang), 13, False, INK) for s in m.data.sources.values()]
    if b.share_link:
        sources.append((_("This scenario in the dashboard: {link}").format(link=b.share_link), 13, False, MUTED))
    _text(_slide(prs, _("Sources")), MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.6), sources)

    _tag_language(prs, b.lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _tag_language(prs, lang: str) -> None:
    """Mark every run of text in the deck (slides, tables, notes) as ``lang``, with its East Asian face if any."""
    frames = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
    face = EAST_ASIAN_FACE.get(lang)
    for frame in frames:
        for p in frame.paragraphs:
            for run in p.runs:
                run.font.language_id = RUN_LANGUAGE.get(lang, RUN_LANGUAGE[i18n.DEFAULT])
                if face:
                    # python-pptx sets only the Latin face; the East Asian one is the run's <a:ea>, which the
                    # schema places before these siblings.
                    rpr = run._r.get_or_add_rPr()
                    if rpr.find(qn("a:ea")) is None:
                        rpr.insert_element_before(rpr.makeelement(qn("a:ea"), {}), "a:cs", "a:sym", "a:hlinkClick",
                                                  "a:hlinkMouseOver", "a:rtl", "a:extLst")
                    rpr.find(qn("a:ea")).set("typeface", face)
