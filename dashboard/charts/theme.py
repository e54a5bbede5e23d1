"""One look for every chart: colours, markers, fonts and the helpers that apply them.

Moscow and Tokyo keep the same colour, marker and bar pattern everywhere, from the Okabe-Ito palette, which stays
distinct under the common colour-vision deficiencies; a shape or pattern always goes with the colour, and values
are written on the chart, so nothing is told by colour alone. Sizes are chosen for a projector at the back of a
room: 16 px text at the least.
"""

from __future__ import annotations

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
FONT = dict(family="Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", size=16, color="#1F2430")
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


def style(fig: go.Figure, title: str, summary: str, *, height: int = 460, large: bool = False,
          legend_below: bool = False) -> go.Figure:
    """Apply the common layout and attach the one-line text summary (``fig.layout.meta['summary']``).

    ``large`` scales the type for presenter mode; ``legend_below`` moves the legend under the plot, for charts
    whose panels have titles of their own.
    """
    legend = (dict(orientation="h", yanchor="top", y=-0.16, xanchor="left", x=0) if legend_below
              else dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0))
    scale = 1.35 if large else 1.0
    # Only traces that draw a legend entry count (a heat map or a waterfall does not).
    has_legend = sum(t.showlegend is not False and t.type in ("scatter", "bar", "box") for t in fig.data) > 1
    top = 56 if legend_below or not has_legend else 92
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=8),
                   font=dict(size=round(20 * scale))),
        font={**FONT, "size": round(FONT["size"] * scale)},
        height=round(height * (1.15 if large else 1.0)),
        margin=dict(l=10, r=20, t=round(top * scale), b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={**legend, "font": dict(size=round(15 * scale))},
        showlegend=has_legend,
        hoverlabel=dict(font_size=round(15 * scale)),
        separators=".,",
        meta={"summary": summary},
    )
    fig.update_xaxes(showgrid=True, gridcolor="#E6E6E6", zeroline=False, linecolor="#888", ticks="outside",
                     automargin=True, title_standoff=8)
    fig.update_yaxes(showgrid=True, gridcolor="#E6E6E6", zeroline=False, linecolor="#888", ticks="outside",
                     automargin=True, title_standoff=8)
    return fig


def summary_of(fig: go.Figure) -> str:
    """The one-line text summary a chart function attached to its figure."""
    meta = fig.layout.meta
    return meta.get("summary", "") if isinstance(meta, dict) else ""

