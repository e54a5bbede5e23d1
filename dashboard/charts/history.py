"""The History page's chart: each option's feasibility for Moscow, Tokyo and both across the dated checkpoints."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import CAPITALS, OPTION_COLORS, OPTION_DASHES, OPTION_SYMBOLS, PERCENT, figure
from dashboard.model.explain import pct

OUTPUTS = ("moscow", "tokyo", "joint")
EVENT_LINE = "#8C8C8C"


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def timeline(scores: pd.DataFrame, events: pd.DataFrame, labels: Mapping[str, str], threshold: float, *,
             large: bool = False) -> go.Figure:
    """Three stacked panels (Moscow, Tokyo, both) on one real date axis; a line per option; events marked.

    ``scores``: :func:`dashboard.model.history.history_scores` (date, checkpoint, option, moscow, tokyo, joint,
    happened); ``events``: :func:`dashboard.model.history.events_table`. A filled marker is an option that actually
    moved after that checkpoint. Feasibilities in [0, 1].
    """
    options = list(dict.fromkeys(scores["option"]))
    gap, n = 0.05, len(OUTPUTS)
    top_strip = 0.1  # room above the panels for the events' numbers
    height = (1 - top_strip - gap * (n - 1)) / n
    layout: dict = {"annotations": [], "shapes": []}
    traces = []
    for row, output in enumerate(OUTPUTS):
        k = "" if row == 0 else str(row + 1)
        y1 = 1 - top_strip - row * (height + gap)
        layout[f"yaxis{k}"] = dict(domain=[max(0.0, y1 - height), y1], range=[-0.03, 1.03], tickformat=PERCENT,
                                   dtick=0.25, anchor=f"x{k}", title=dict(text=CAPITALS[output].name))
        layout[f"xaxis{k}"] = dict(type="date", anchor=f"y{k}", showticklabels=row == n - 1,
                                   **({"matches": "x"} if row else {}))
        layout["shapes"].append(dict(type="line", xref=f"x{k} domain", yref=f"y{k}", x0=0, x1=1, y0=threshold,
                                     y1=threshold, line=dict(color="#555", width=1, dash="dot")))
        for i, o in enumerate(options):
            rows = scores[scores["option"] == o]
            moved = rows["happened"].to_numpy()
            traces.append(dict(
                type="scatter", mode="lines+markers", x=rows["date"].tolist(), y=rows[output].to_numpy(),
                xaxis=f"x{k}", yaxis=f"y{k}", name=labels[o], legendgroup=o, showlegend=row == 0,
                line=dict(color=OPTION_COLORS[i % len(OPTION_COLORS)], dash=OPTION_DASHES[i % len(OPTION_DASHES)],
                          width=2.5),
                marker=dict(symbol=[OPTION_SYMBOLS[i % len(OPTION_SYMBOLS)] + ("" if m else "-open") for m in moved],
                            size=[13 if m else 8 for m in moved], color=OPTION_COLORS[i % len(OPTION_COLORS)],
                            line=dict(width=1.5, color=OPTION_COLORS[i % len(OPTION_COLORS)])),
                customdata=rows["checkpoint"].tolist(),
                hovertemplate=f"{labels[o]} · {CAPITALS[output].name}: %{{y:.0%}}<br>%{{x|%b %Y}} "
                              "(%{customdata})<extra></extra>",
            ))
    # Events are numbered at the top (the key is in the summary and on the page): several fall weeks apart, so
    # their labels could not sit side by side; numbers close in time are staggered on three levels.
    previous, level = None, 0
    for number, e in enumerate(events.itertuples(), start=1):
        day = pd.Timestamp(e.date)
        level = (level + 1) % 3 if previous is not None and (day - previous).days < 120 else 0
        previous = day
        layout["shapes"].append(dict(type="line", xref="x", yref="paper", x0=e.date, x1=e.date, y0=0,
                                     y1=1 - top_strip, line=dict(color=EVENT_LINE, width=1, dash="dash")))
        layout["annotations"].append(dict(
            x=e.date, xref="x", y=1 - top_strip + 0.005 + 0.034 * level, yref="paper", text=str(number),
            showarrow=False, xanchor="center", yanchor="bottom", font=dict(size=14, color="#333"),
            hovertext=f"{number}. {e.date}: {e.label}", bgcolor="white", bordercolor=EVENT_LINE, borderpad=1,
        ))
    layout["legend"] = dict(orientation="h", yanchor="top", y=-0.06, xanchor="left", x=0)
    layout["margin"] = dict(b=150)

    last = scores[scores["date"] == scores["date"].max()].set_index("option")
    first = scores[scores["date"] == scores["date"].min()].set_index("option")
    best_then, best_now = first["joint"].idxmax(), last["joint"].idxmax()
    summary = (f"From {first['date'].iloc[0]} to {last['date'].iloc[0]}, with the op-ed's weights throughout: the "
               f"most feasible option for both went from {labels[best_then]} ({pct(first.at[best_then, 'joint'])}) "
               f"to {labels[best_now]} ({pct(last.at[best_now, 'joint'])}). Events (dashed lines): "
               + "; ".join(f"{i}. {_short(e.label, 60)} ({e.date[:7]})" for i, e in enumerate(events.itertuples(), 1))
               + ". A filled marker is an option that actually moved after that date; the dotted line is "
               "the acceptance threshold.")
    return figure(traces, layout, "Feasibility at each checkpoint, October 2016 to now", summary,
                  height=860, large=large, legend_below=True)
