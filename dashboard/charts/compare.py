"""The Compare page's charts: two scenarios side by side, and the change in each score."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import CAPITALS, FULL_WIDTH, PERCENT, bar_marker, figure, panels, vline
from dashboard.model.explain import capital_name, pct

OUTPUTS = ("moscow", "tokyo", "joint")


def side_by_side(a: pd.DataFrame, b: pd.DataFrame, name_a: str, name_b: str, labels: Mapping[str, str],
                 *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """For each capital, every option's score in scenario A (open marker) and B (filled), joined by a line.

    ``name_a``, ``name_b`` and ``labels`` come already in ``lang``, the language of the chart's own text.
    """
    _ = i18n.gettext_for(lang)
    b = b.reindex(a.index)  # plot by option, whatever order B's rows come in
    names = [labels[o] for o in a.index]
    layout = panels([capital_name(o, lang) for o in OUTPUTS], spacing=0.03)
    traces = []
    for col, output in enumerate(OUTPUTS):
        st = CAPITALS[output]
        who = capital_name(output, lang)
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
                hovertemplate=f"{scen}: %{{x:.1%}}<extra>{who}</extra>",
            ))
        layout[f"xaxis{k}"] |= dict(range=[-0.03, 1.03], tickformat=PERCENT, dtick=0.5)
        layout[f"yaxis{k}"] |= dict(autorange="reversed", showgrid=False)
    delta = (b["joint"] - a["joint"]).abs()
    o = delta.idxmax()
    summary = _("Open markers: {a}; filled: {b}. The largest change in joint feasibility is for {option}: "
                "{before} → {after}.").format(a=name_a, b=name_b, option=labels[o], before=pct(a.at[o, "joint"], lang),
                                              after=pct(b.at[o, "joint"], lang))
    return figure(traces, layout, _("{a} vs {b}").format(a=name_a, b=name_b), summary, height=560, large=large,
                  legend_below=True, width=FULL_WIDTH)


def changes(a: pd.DataFrame, b: pd.DataFrame, labels: Mapping[str, str], *, large: bool = False,
            lang: str = i18n.DEFAULT) -> go.Figure:
    """The change from scenario A to B in each option's score, in percentage points, per capital and jointly.

    ``labels`` come already in ``lang``, the language of the chart's own text.
    """
    _ = i18n.gettext_for(lang)
    names = [labels[o] for o in a.index]
    diff = b.reindex(a.index)[list(OUTPUTS)] - a[list(OUTPUTS)]
    traces = []
    for output in OUTPUTS:
        st = CAPITALS[output]
        who = capital_name(output, lang)
        traces.append(dict(
            type="bar", y=names, x=(diff[output] * 100).to_numpy(), orientation="h", name=who,
            marker=bar_marker(st.color, st.pattern),
            text=[_points(v) for v in diff[output]], textposition="outside", cliponaxis=True,
            hovertemplate=_("{capital}: {change} points").format(capital=who, change="%{x:+.1f}")
            + "<extra>%{y}</extra>",
        ))
    points = diff.to_numpy() * 100
    lo, hi = min(0.0, float(points.min())), max(0.0, float(points.max()))
    pad = 0.18 * (hi - lo) + 3  # room for the values written beyond the bars' ends (the plot area clips text)
    layout = dict(
        barmode="group", shapes=[vline(0, color="#111", width=1.5)],
        xaxis=dict(title=dict(text=_("Change in feasibility (percentage points)")), zeroline=False,
                   range=[lo - (pad if lo < 0 else 1), hi + (pad if hi > 0 else 1)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    moved = diff.abs().sum(axis=1)
    if moved.max() < 1e-12:
        summary = _("The two scenarios give the same scores.")
    else:
        o = moved.idxmax()
        summary = _("{option} changes most: Moscow {moscow}, Tokyo {tokyo}, both {joint} points.").format(
            option=labels[o], moscow=_points(diff.at[o, "moscow"]), tokyo=_points(diff.at[o, "tokyo"]),
            joint=_points(diff.at[o, "joint"]))
    return figure(traces, layout, _("What changes"), summary, height=560, large=large, width=FULL_WIDTH)


def _points(change: float) -> str:
    """A change in feasibility as signed whole percentage points, never '-0'."""
    v = round(change * 100)
    return f"{v:+d}" if v else "0"
