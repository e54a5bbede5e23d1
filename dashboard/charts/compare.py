"""The Compare page's charts: two scenarios side by side, and the change in each score."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import CAPITALS, PERCENT, bar_marker, figure, panels, vline
from dashboard.model.explain import pct

OUTPUTS = ("moscow", "tokyo", "joint")


def side_by_side(a: pd.DataFrame, b: pd.DataFrame, name_a: str, name_b: str, labels: Mapping[str, str],
                 *, large: bool = False) -> go.Figure:
    """For each capital, every option's score in scenario A (open marker) and B (filled), joined by a line."""
    b = b.reindex(a.index)  # plot by option, whatever order B's rows come in
    names = [labels[o] for o in a.index]
    layout = panels([CAPITALS[o].name for o in OUTPUTS], spacing=0.03)
    traces = []
    for col, output in enumerate(OUTPUTS):
        st = CAPITALS[output]
        k = "" if col == 0 else str(col + 1)
        axes = dict(xaxis=f"x{k}", yaxis=f"y{k}")
        for o, name in zip(a.index, names, strict=True):
            traces.append(dict(
                type="scatter", x=[a.at[o, output], b.at[o, output]], y=[name, name], mode="lines", **axes,
                line=dict(color="#BBBBBB", width=4), hoverinfo="skip", showlegend=False,
            ))
        for scores, scen, filled in ((a, name_a, False), (b, name_b, True)):
            traces.append(dict(
                type="scatter", x=scores[output].to_numpy(), y=names, mode="markers", name=scen, **axes,
                legendgroup=scen, showlegend=col == 0,
                marker=dict(symbol=st.symbol + ("" if filled else "-open"), size=14, color=st.color,
                            line=dict(width=2, color=st.color)),
                hovertemplate=f"{scen}: %{{x:.1%}}<extra>{st.name}</extra>",
            ))
        layout[f"xaxis{k}"] |= dict(range=[-0.03, 1.03], tickformat=PERCENT, dtick=0.5)
        layout[f"yaxis{k}"] |= dict(autorange="reversed", showgrid=False)
    delta = (b["joint"] - a["joint"]).abs()
    o = delta.idxmax()
    summary = (f"Open markers: {name_a}; filled: {name_b}. The largest change in joint feasibility is for "
               f"{labels[o]}: {pct(a.at[o, 'joint'])} → {pct(b.at[o, 'joint'])}.")
    return figure(traces, layout, f"{name_a} vs {name_b}", summary, height=560, large=large, legend_below=True)


def changes(a: pd.DataFrame, b: pd.DataFrame, labels: Mapping[str, str], *, large: bool = False) -> go.Figure:
    """The change from scenario A to B in each option's score, in percentage points, per capital and jointly."""
    names = [labels[o] for o in a.index]
    diff = b.reindex(a.index)[list(OUTPUTS)] - a[list(OUTPUTS)]
    traces = []
    for output in OUTPUTS:
        st = CAPITALS[output]
        traces.append(dict(
            type="bar", y=names, x=(diff[output] * 100).to_numpy(), orientation="h", name=st.name,
            marker=bar_marker(st.color, st.pattern),
            text=[_points(v) for v in diff[output]], textposition="outside", cliponaxis=True,
            hovertemplate=f"{st.name}: %{{x:+.1f}} points<extra>%{{y}}</extra>",
        ))
    points = diff.to_numpy() * 100
    lo, hi = min(0.0, float(points.min())), max(0.0, float(points.max()))
    pad = 0.18 * (hi - lo) + 3  # room for the values written beyond the bars' ends (the plot area clips text)
    layout = dict(
        barmode="group", shapes=[vline(0, color="#111", width=1.5)],
        xaxis=dict(title=dict(text="Change in feasibility (percentage points)"), zeroline=False,
                   range=[lo - (pad if lo < 0 else 1), hi + (pad if hi > 0 else 1)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    moved = diff.abs().sum(axis=1)
    if moved.max() < 1e-12:
        summary = "The two scenarios give the same scores."
    else:
        o = moved.idxmax()
        summary = (f"{labels[o]} changes most: Moscow {_points(diff.at[o, 'moscow'])}, Tokyo "
                   f"{_points(diff.at[o, 'tokyo'])}, both {_points(diff.at[o, 'joint'])} points.")
    return figure(traces, layout, "What changes", summary, height=560, large=large)


def _points(change: float) -> str:
    """A change in feasibility as signed whole percentage points, never '-0'."""
    v = round(change * 100)
    return f"{v:+d}" if v else "0"
