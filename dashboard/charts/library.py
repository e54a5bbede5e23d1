"""The Library page's chart: what each saved scenario finds, next to the view in the sidebar."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import CAPITALS, PERCENT, bar_marker, figure, vline
from dashboard.model.explain import pct


def saved_results(results: pd.DataFrame, labels: Mapping[str, str], threshold: float) -> go.Figure:
    """One bar per scenario: the joint feasibility of its most feasible option, that option written beside it.

    ``results``: one row per scenario, in the order to show (the sidebar's view first), with columns ``name``,
    ``option`` (an option id), ``moscow``, ``tokyo`` and ``joint`` (feasibilities of that option, 0–1).
    ``labels``: option id -> short label. ``threshold``: where a capital reads as accepting, drawn as a line.
    """
    names = results["name"].tolist()
    options = [labels[o] for o in results["option"]]
    joint, moscow, tokyo = (results[c].tolist() for c in ("joint", "moscow", "tokyo"))
    both = CAPITALS["joint"]
    traces = [dict(
        type="bar", y=names, x=joint, orientation="h", name="Both (joint)", marker=bar_marker(both.color),
        text=[f"{o}: {pct(j)}" for o, j in zip(options, joint, strict=True)], textposition="outside",
        cliponaxis=True, customdata=list(zip(options, moscow, tokyo, strict=True)), showlegend=False,
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}: both %{x:.0%}<br>Moscow %{customdata[1]:.0%} · "
                      "Tokyo %{customdata[2]:.0%}<extra></extra>",
    )]
    layout = dict(
        shapes=[vline(threshold, color="#777", width=1.5, dash="dot")],
        xaxis=dict(title=dict(text="Joint feasibility of the scenario's most feasible option"), range=[0, 1.45],
                   tickformat=PERCENT, tickvals=[0, 0.25, 0.5, 0.75, 1]),  # room past 100% for the text only
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    best = max(range(len(joint)), key=lambda i: (joint[i], -i))
    summary = (f"{len(names)} scenario(s). Highest joint feasibility: {names[best]}, with {options[best]} at "
               f"{pct(joint[best])} (Moscow {pct(moscow[best])}, Tokyo {pct(tokyo[best])}).")
    return figure(traces, layout, "What each scenario finds", summary, height=max(260, 120 + 34 * len(names)),
                  zoom=False)
