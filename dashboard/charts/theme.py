"""One look for every chart: colours, markers, fonts and the helpers that apply them.

Moscow and Tokyo keep the same colour, marker and bar pattern everywhere, from the Okabe-Ito palette, which stays
distinct under the common colour-vision deficiencies; a shape or pattern always goes with the colour, and values
are written on the chart, so nothing is told by colour alone. Sizes are chosen for a projector at the back of a
room: 16 px text at the least.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import plotly.graph_objects as go


@dataclass(frozen=True)
class Style:
    name: str
    color: str
    symbol: str
    pattern: str  # Plotly bar pattern ("" = solid)
    dash: str


CAPITALS = {
    "moscow": Style("Moscow", "#D55E00", "square", "", "solid"),  # Okabe-Ito vermillion
    "tokyo": Style("Tokyo", "#0072B2", "circle", "/", "dash"),  # Okabe-Ito blue
    "joint": Style("Both", "#3A3A3A", "diamond", "x", "dot"),
}

# Options get colours from Paul Tol's "muted" scheme (colour-blind safe and far from the two capitals' colours),
# plus a dash and marker each, in the order options appear in data/options.yaml.
OPTION_COLORS = ("#332288", "#117733", "#999933", "#882255", "#44AA99", "#AA4499", "#DDCC77", "#88CCEE", "#CC6677")
OPTION_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "5px,3px,1px,3px,1px,3px", "solid",
                 "dash")
OPTION_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star", "hexagon")

ACCEPT_ZONE = "rgba(0, 158, 115, 0.13)"  # Okabe-Ito bluish green, faint
HEAT_SCALE = "Cividis"  # perceptually uniform and readable with any colour vision
# Noto Sans CJK JP (Debian's fonts-noto-cjk) after the Latin faces: Japanese text falls back to it glyph by glyph,
# in the browser and in the static images (kaleido); the Latin faces and DejaVu cover Cyrillic.
FONT = dict(family="Source Sans Pro, Segoe UI, Helvetica, Arial, Noto Sans CJK JP, Noto Sans JP, DejaVu Sans, "
            "sans-serif", size=16, color="#1F2430")
PERCENT = ".0%"


def bar_marker(color: str, pattern: str = "", outline: str | None = None) -> dict:
    """A bar's marker: the colour, with white hatching on top when ``pattern`` is set (so print and colour-blind
    readers can tell the series apart)."""
    return dict(color=color, line=dict(color=outline or color, width=1),
                pattern=dict(shape=pattern, fillmode="overlay", fgcolor="white", fgopacity=0.9, size=9, solidity=0.25))


def option_style(i: int) -> dict:
    """Colour, dash and marker of the i-th option (stable across charts)."""
    k = i % len(OPTION_COLORS)
    return {"color": OPTION_COLORS[k], "dash": OPTION_DASHES[k], "symbol": OPTION_SYMBOLS[k]}


# No automargin: Plotly would measure every tick label after drawing and, when the margins change, draw the whole
# figure again. In the app each measurement reflows the page, and automargin was measured at about 80 ms of the
# ~250 ms a slider move took on the Briefing page. The margins are worked out here from the labels instead
# (:func:`margins`).
AXIS = dict(showgrid=True, gridcolor="#E6E6E6", zeroline=False, linecolor="#888", ticks="outside", automargin=False,
            title=dict(standoff=8))
# Advance of a Latin, a Cyrillic and a CJK character, in em, measured on the driver and option labels in Debian's
# Chromium with the charts' fonts (Liberation/DejaVu Sans stand in for Helvetica and Arial): Latin 0.45 on average,
# 0.49 at most; Cyrillic 0.52, 0.54 at most; CJK 1.0. Each errs a little wide.
CHAR_EM, CYRILLIC_EM, WIDE_EM = 0.52, 0.56, 1.0
LINE_EM = 1.35  # height of a line of text, in em
# The narrowest a chart is drawn at on a desktop (px), by the share of the page's width it takes: measured in
# Chromium on a 1280 px screen with the sidebar open (a half column 378 px, the whole page about 790). Titles are
# broken into lines to fit (figure's `width`).
FULL_WIDTH, HALF_WIDTH = 780, 378
_MARKUP = re.compile(r"<[^>]+>")
LEGEND_TYPES = ("scatter", "bar", "box")  # traces that draw a legend entry (a heat map or a waterfall does not)


def merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged rather than replaced."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _advance(c: str) -> float:
    if unicodedata.east_asian_width(c) in "WF":
        return WIDE_EM
    return CYRILLIC_EM if "\u0400" <= c <= "\u04ff" else CHAR_EM


def text_width(text: object, size: float) -> float:
    """The width in px of chart text at ``size`` px, estimated from its characters: its widest line (``<br>``
    breaks a line; other markup is ignored).

    Errs wide: a label given too much room leaves a little white space, one given too little is cut off.
    """
    return max(size * sum(_advance(c) for c in _MARKUP.sub("", line)) for line in str(text).split("<br>"))


# Where a line may break: after a space, or between two CJK characters (Japanese has no spaces between words).
_BREAKS = re.compile(r"[^\s\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]*[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"
                     r"[、。，）」』]*\s*|\S+\s*|\s+")


def wrap(text: str, width: float, size: float) -> str:
    """``text`` broken into lines (``<br>``) that fit ``width`` px at ``size`` px, at spaces or between CJK
    characters; a line it already breaks stays broken there, and a word wider than ``width`` keeps a line of its
    own."""
    out = []
    for line in str(text).split("<br>"):
        current = ""
        for token in _BREAKS.findall(line):
            if current and text_width((current + token).rstrip(), size) > width:
                out.append(current.rstrip())
                current = token.lstrip()
            else:
                current += token
        out.append(current.rstrip())
    return "<br>".join(out)


def _tick_labels(axis: str, traces: list[dict], layout_axis: dict) -> list[str]:
    """The labels an axis will write at its ticks: its categories, or its numbers as they will be formatted."""
    if layout_axis.get("showticklabels") is False:
        return []
    if "ticktext" in layout_axis:
        return [str(t) for t in layout_axis["ticktext"]]
    key = axis[0]  # "x" or "y"
    ref = axis.replace("axis", "")  # "yaxis2" -> "y2"
    values: list = []
    for t in traces:
        if t.get(f"{key}axis", key) == ref and t.get(key) is not None:
            values.extend(list(t[key]))
    strings = [v for v in values if isinstance(v, str)]
    if strings:
        return strings
    if layout_axis.get("tickformat") == PERCENT:
        return ["100%"]
    numbers = [abs(float(v)) for v in values if v is not None] + [abs(float(v)) for v in layout_axis.get("range", [])]
    top = max(numbers, default=100.0)
    return [f"-{top:g}" if any(float(v) < 0 for v in values if v is not None) else f"{top:g}"]


def line_count(text: str | None) -> int:
    """How many lines chart text takes (0 when there is none)."""
    return 0 if not text else str(text).count("<br>") + 1


def margins(traces: list[dict], layout: dict, size: float, top: float) -> dict:
    """Left, right, top and bottom margins (px) that fit the tick labels and axis titles of the first panel.

    The left margin holds the left axis's longest tick label and its title; the bottom one a line of tick labels
    (taller when they are written at an angle) and the bottom axis's title.
    """
    y, x = layout.get("yaxis", {}), layout.get("xaxis", {})
    ticks_w = max((text_width(t, size) for t in _tick_labels("yaxis", traces, y)), default=0.0)
    y_title = line_count((y.get("title") or {}).get("text"))
    left = ticks_w + 10 + (size * LINE_EM * y_title + 8 if y_title else 0) + 6
    x_axes = [v for k, v in layout.items() if k.startswith("xaxis")]
    x_title = max((line_count((a.get("title") or {}).get("text")) for a in x_axes), default=0)
    angle = abs(float(x.get("tickangle", 0) or 0))
    if angle:
        longest = max((text_width(t, size) for t in _tick_labels("xaxis", traces, x)), default=0.0)
        tick_h = longest * math.sin(math.radians(angle)) + size * LINE_EM * math.cos(math.radians(angle))
    else:
        tick_h = size * LINE_EM
    bottom = tick_h + 10 + (size * LINE_EM * x_title + 8 if x_title else 0) + 6
    return dict(l=math.ceil(left), r=24, t=round(top), b=math.ceil(bottom))


def figure(traces: list[dict], layout: dict, title: str, summary: str, *, height: int = 460, large: bool = False,
           legend_below: bool = False, zoom: bool = True, width: float | None = None,
           plot_height: float | None = None) -> go.Figure:
    """Build a figure in one step from plain trace and layout dicts, with the common look and the text summary.

    One construction validates everything once: an order of magnitude faster than adding traces and updating the
    layout step by step, which matters because every slider move redraws the charts. ``large`` scales the type
    for presenter mode; ``legend_below`` puts the legend under the plot, for charts whose panels have titles.
    The summary is attached as ``fig.layout.meta['summary']`` (see :func:`summary_of`). ``width``: the narrowest
    the chart is drawn at on a desktop (px); the title and the bottom axis's title are broken into lines that fit
    it, so that a long one (a Russian title, say) is not cut off at the chart's edge. ``plot_height``, when given,
    is the plot area's height (px): the figure is that plus its margins, however many lines its titles take.
    """
    scale = 1.35 if large else 1.0
    has_legend = sum(t.get("showlegend") is not False and t["type"] in LEGEND_TYPES for t in traces) > 1
    top = 56 if legend_below or not has_legend else 92
    # x just left of the plot area: Plotly then wraps a horizontal legend at half the figure's width rather than at
    # the plot area's, which beside long axis labels is narrow enough to stack every entry on a line of its own.
    legend = (dict(orientation="h", yanchor="top", y=-0.16, xanchor="left", x=-0.001) if legend_below
              else dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=-0.001))
    common = dict(
        title=dict(text=title, x=0, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=8),
                   font=dict(size=round(20 * scale))),
        font={**FONT, "size": round(FONT["size"] * scale)},
        height=round(height * (1.15 if large else 1.0)),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={**legend, "font": dict(size=round(15 * scale))},
        showlegend=has_legend,
        hoverlabel=dict(font=dict(size=round(15 * scale))),
        separators=".,",
        meta={"summary": summary},
        xaxis=AXIS,
        yaxis=AXIS,
    )
    for key in layout:
        if key.startswith(("xaxis", "yaxis")):
            common[key] = AXIS
    merged = merge(common, layout)
    if not zoom:
        merged["dragmode"] = False
        for key in merged:
            if key.startswith(("xaxis", "yaxis")):
                merged[key] = {**merged[key], "fixedrange": True}
    own = layout.get("margin", {})  # a chart may widen a margin (e.g. room for a colour bar's labels)
    size = common["font"]["size"]
    if width:
        title_size = common["title"]["font"]["size"]
        merged["title"] = {**merged["title"], "text": wrap(title, width * scale - 16, title_size)}
        lines = line_count(merged["title"]["text"])
        if lines > 1:
            # Plotly draws a title of several lines 14 px higher than its anchor says (measured in Chromium: a
            # second line put the first one's top above the figure's edge), so it is padded down by as much.
            merged["title"]["pad"] = {"t": 8 + 14}
            top += ((lines - 1) * title_size * LINE_EM + 14) / scale
        # A legend entry longer than the chart is wide (a dated checkpoint's title, in Russian) goes on two lines.
        room = width * scale - 70
        traces = [{**t, "name": wrap(t["name"], room, 15 * scale)}
                  if t.get("name") and text_width(t["name"], 15 * scale) > room else t for t in traces]
        # The bottom axis's title is centred on the plot area, which the tick labels on its left narrow.
        plot = width * scale - margins(traces, merged, size, top * scale)["l"] - 24
        x = merged.get("xaxis", {})
        if (x.get("title") or {}).get("text"):
            merged["xaxis"] = {**x, "title": {**x["title"], "text": wrap(x["title"]["text"], plot, size)}}
    merged["margin"] = {**margins(traces, merged, size, top * scale), **own}
    if plot_height:
        merged["height"] = round(merged["margin"]["t"] + merged["margin"]["b"] + plot_height * scale)
    # Not validated here: validation is a third of a rerun's time and the figures are the same few shapes every
    # time; tests/charts/test_theme.py validates every chart function's output instead.
    return go.Figure({"data": traces, "layout": merged}, _validate=False)


def vline(x: float, axis: str = "", **line) -> dict:
    """A vertical line across a panel at ``x`` (``axis`` is "" for the first panel, "2", "3"... for the others)."""
    return dict(type="line", xref=f"x{axis}", yref=f"y{axis} domain", x0=x, x1=x, y0=0, y1=1, line=line)


def hline(y: float, axis: str = "", **line) -> dict:
    """A horizontal line across a panel at ``y``."""
    return dict(type="line", xref=f"x{axis} domain", yref=f"y{axis}", x0=0, x1=1, y0=y, y1=y, line=line)


def panels(titles: list[str], spacing: float = 0.04, shared_y: bool = True) -> dict:
    """Layout for side-by-side panels sharing the y axis (what make_subplots builds, without its cost)."""
    n = len(titles)
    width = (1 - spacing * (n - 1)) / n
    layout: dict = {"annotations": []}
    for i, title in enumerate(titles):
        k = "" if i == 0 else str(i + 1)
        x0 = i * (width + spacing)
        layout[f"xaxis{k}"] = dict(domain=[x0, x0 + width], anchor=f"y{k}")
        layout[f"yaxis{k}"] = dict(anchor=f"x{k}", **({"matches": "y", "showticklabels": False} if i and shared_y
                                                      else {}))
        layout["annotations"].append(dict(text=title, x=x0 + width / 2, y=1, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=16)))
    return layout


def summary_of(fig: go.Figure) -> str:
    """The one-line text summary a chart function attached to its figure."""
    meta = fig.layout.meta
    return meta.get("summary", "") if isinstance(meta, dict) else ""

