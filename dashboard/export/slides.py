"""The slide deck (PowerPoint, python-pptx): title, headline, one slide per key chart, assumptions, sources."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from dashboard.charts import summary_of
from dashboard.export.briefing import Briefing
from dashboard.export.images import png_images

WIDE = (Inches(13.333), Inches(7.5))  # 16:9
CHART_TITLES = {"map": "Moscow vs Tokyo, option by option", "bars": "Feasibility for each capital",
                "why_moscow": "Why: Moscow", "why_tokyo": "Why: Tokyo"}


def _text_slide(prs, title: str, lines: list[str], size: int = 20):
    slide = prs.slides.add_slide(prs.slide_layouts[1])  # title and content
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.clear()
    for i, line in enumerate(lines):
        p = body.paragraphs[0] if i == 0 else body.add_paragraph()
        p.text = line
        p.font.size = Pt(size)
    return slide


def _table_slide(prs, title: str, header: list[str], rows: list[list[str]], widths: list[float], size: int = 11):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    top, left = Inches(1.2), Inches(0.4)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, Inches(sum(widths)),
                                   Inches(0.3 * (len(rows) + 1)))
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
    names = list(b.charts)
    if images is None:
        images = png_images([b.charts[n] for n in names], width=1600, height=900)
    m, e = b.model, b.explanation
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE

    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Kuril Islands: which settlement could Moscow and Tokyo accept?"
    title.placeholders[1].text = f"{b.title}\n{b.made_at:%d %B %Y} · data version {m.version}"

    labels = m.options["label"]
    lines = [e.headline, *(f"{labels[o]}: " + " ".join(e.reasons.at[o, c] for c in ("moscow", "tokyo"))
                           for o in dict.fromkeys([e.best, b.option]))]
    if b.note:
        lines.insert(1, b.note)
    _text_slide(prs, "The headline", lines, size=16)

    for name, png in zip(names, images, strict=True):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = CHART_TITLES.get(name, name)
        width = prs.slide_width - Inches(1)
        height = Emu(int(width * 900 / 1600))
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.5), Inches(1.15), width=width,
                                 height=min(height, prs.slide_height - Inches(1.6)))
        slide.notes_slide.notes_text_frame.text = summary_of(b.charts[name])

    a = b.assumptions
    short = m.assumptions["citation"].tolist()
    _table_slide(prs, "Assumptions in force", ["Assumption", "Value", "2016", "Source"],
                 [[r[0], r[1], r[2], s] for r, s in zip(a.itertuples(index=False), short, strict=True)],
                 [4.6, 1.4, 1.4, 5.0], size=10)
    if m.overrides:
        o = b.overrides
        _table_slide(prs, "Overrides of the model's weights", list(o.columns),
                     [[r[0], f"{r[1]:g}", f"{r[2]:g}"] for r in o.itertuples(index=False)], [8.4, 2, 2])
    sources = [f"{s.title}, {s.author}, {s.date}" for s in m.data.sources.values()]
    if b.share_link:
        sources.append(f"This scenario in the dashboard: {b.share_link}")
    _text_slide(prs, "Sources", sources, size=12)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
