"""The Sensitivity page's charts: tornado, one-driver sweep, two-driver heat map, election timeline."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import CAPITALS, HEAT_SCALE, PERCENT, bar_marker, figure, option_style, panels, vline
from dashboard.model.explain import format_value, pct


def tornado(swings: pd.DataFrame, output: str, option_label: str, units: Mapping[str, str], top: int = 10,
            *, large: bool = False) -> go.Figure:
    """The drivers that move one score most, each set to the low and the high end of its range.

    ``swings``: :func:`dashboard.model.analysis.tornado` (largest swing first). ``units``: driver id -> unit.
    """
    df = swings.head(top)
    now = float(df["score_now"].iloc[0]) if len(df) else 0.0
    traces = []
    for end, color, pattern, name in (("low", "#88CCEE", "/", "Driver at the low end"),
                                      ("high", "#332288", "", "Driver at the high end")):
        traces.append(dict(
            type="bar", y=df["label"].tolist(), x=(df[f"score_{end}"] - now).to_numpy(), base=now,
            orientation="h", name=name, marker=bar_marker(color, pattern, outline="#333"),
            text=[format_value(v, units[d]) for v, d in zip(df[end], df["driver"], strict=True)],
            textposition="outside", cliponaxis=True, customdata=df[f"score_{end}"].to_numpy(),
            hovertemplate="%{y}: %{text} → %{customdata:.1%}<extra></extra>",
        ))
    # Room on both sides for the value labels written outside the bars.
    ends = np.concatenate([df["score_low"], df["score_high"], [now]]) if len(df) else np.array([now])
    pad = max(0.04, 0.18 * float(ends.max() - ends.min()))
    layout = dict(
        # Side by side, not overlaid: when the current value lies outside the range both ends can fall on one side.
        barmode="group", bargap=0.25, bargroupgap=0.05,
        shapes=[vline(now, color="#111", width=2)],
        xaxis=dict(title=dict(text=f"Feasibility for {CAPITALS[output].name} (line: now, {pct(now)})"),
                   tickformat=PERCENT, range=[max(0.0, ends.min() - pad), min(1.0, ends.max() + pad)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    if len(df) and df["swing"].iloc[0] > 0:
        first = df.iloc[0]
        summary = (f"{first['label']} moves {CAPITALS[output].name}'s feasibility of {option_label} most: from "
                   f"{pct(first['score_low'])} at {format_value(first['low'], units[first['driver']])} to "
                   f"{pct(first['score_high'])} at {format_value(first['high'], units[first['driver']])}.")
    else:
        summary = f"No driver moves {CAPITALS[output].name}'s feasibility of {option_label}."
    return figure(traces, layout, f"What moves {CAPITALS[output].name} on {option_label}", summary,
                  height=max(320, 120 + 42 * len(df)), large=large)


def sweep(curves: pd.DataFrame, driver_label: str, unit: str, current: float, labels: Mapping[str, str],
          outputs: tuple[str, ...] = ("moscow", "tokyo", "joint"), *, large: bool = False) -> go.Figure:
    """Every option's score as one driver moves across its scale, one panel per capital; the current value marked.

    ``curves``: :func:`dashboard.model.analysis.sweep`.
    """
    layout = panels([CAPITALS[o].name for o in outputs])
    traces = []
    for i, (option, group) in enumerate(curves.groupby("option", sort=False)):
        s = option_style(i)
        x = group["value"].to_numpy()
        for col, output in enumerate(outputs):
            k = "" if col == 0 else str(col + 1)
            traces.append(dict(
                type="scatter", x=x, y=group[output].to_numpy(), xaxis=f"x{k}", yaxis=f"y{k}",
                mode="lines+markers", name=labels[option], legendgroup=option, showlegend=col == 0,
                line=dict(color=s["color"], dash=s["dash"], width=3),
                marker=dict(symbol=s["symbol"], size=8, maxdisplayed=8),
                hovertemplate=f"{labels[option]}: %{{y:.0%}} at %{{x}}<extra>{CAPITALS[output].name}</extra>",
            ))
    middle = (len(outputs) + 1) // 2
    layout["shapes"] = [vline(current, "" if c == 1 else str(c), color="#111", width=2, dash="dot")
                        for c in range(1, len(outputs) + 1)]
    layout[f"xaxis{'' if middle == 1 else middle}"]["title"] = dict(text=f"{driver_label} ({unit})")
    layout["yaxis"] |= dict(range=[0, 1], tickformat=PERCENT, title=dict(text="Feasibility"))
    # The sweep's point nearest the current value stands for "now" when the current value is between points.
    nearest = curves["value"].iloc[(curves["value"] - current).abs().argmin()]
    best = curves[curves["value"] == nearest].set_index("option")["joint"].idxmax()
    by_option = curves[curves["option"] == best]
    lo, hi = by_option["joint"].min(), by_option["joint"].max()
    summary = (f"Dotted line: {driver_label} now, {format_value(current, unit)}. Across the whole scale, the joint "
               f"feasibility of {labels[best]} (the best now) ranges from {pct(lo)} to {pct(hi)}.")
    return figure(traces, layout, f"All options as {driver_label} changes", summary, height=600, large=large,
                  legend_below=True)


CONTOUR_LABEL = "black"


def heatmap(surface: pd.DataFrame, x_label: str, y_label: str, output: str, option_label: str,
            current: tuple[float, float], threshold: float, *, large: bool = False) -> go.Figure:
    """One score over a grid of two drivers, with the acceptance contour and the current scenario marked.

    ``surface``: :func:`dashboard.model.analysis.grid` rows for one option.
    """
    z = surface.pivot(index="y", columns="x", values=output)
    xs, ys, zs = z.columns.to_numpy(), z.index.to_numpy(), z.to_numpy()
    traces = [dict(
        type="heatmap", x=xs, y=ys, z=zs, zmin=0, zmax=1, colorscale=HEAT_SCALE,
        colorbar=dict(title=dict(text="Feasibility"), tickformat=PERCENT, thickness=14),
        hovertemplate=f"{x_label}: %{{x}}<br>{y_label}: %{{y}}<br>%{{z:.0%}}<extra></extra>",
    )]
    if zs.min() < threshold < zs.max():
        traces.append(dict(
            type="contour", x=xs, y=ys, z=zs, showscale=False, contours=dict(
                coloring="none", start=threshold, end=threshold, size=1, showlabels=True, labelformat=PERCENT,
                # Black: the label sits where the heat scale is at the threshold, mid-grey for Cividis at 50%, on
                # which white text was 4.2:1 and black is 5.0:1 (tests/charts/test_contrast.py).
                labelfont=dict(color=CONTOUR_LABEL, size=14)),
            line=dict(color="white", width=3, dash="dash"), hoverinfo="skip", name="Acceptance line",
            showlegend=False,
        ))
    traces.append(dict(
        type="scatter", x=[current[0]], y=[current[1]], mode="markers", name="Now",
        marker=dict(symbol="star", size=20, color="white", line=dict(color="black", width=2)),
        hovertemplate="Now<extra></extra>", showlegend=False,
    ))
    layout = dict(xaxis=dict(title=dict(text=x_label), showgrid=False),
                  yaxis=dict(title=dict(text=y_label), showgrid=False))
    flat = surface[[output, "x", "y"]]
    top = flat.loc[flat[output].idxmax()]
    accept = float((flat[output] >= threshold).mean())
    summary = (f"{CAPITALS[output].name}'s feasibility of {option_label} is {pct(flat[output].min())} to "
               f"{pct(flat[output].max())} over this grid, highest at {x_label} {top['x']:g} and {y_label} "
               f"{top['y']:g}; {accept:.0%} of the grid is at or above {pct(threshold)}. The star marks now.")
    title = f"{CAPITALS[output].name} on {option_label}: two drivers at once (dashed: {pct(threshold)})"
    return figure(traces, layout, title, summary, height=540, large=large)


def election_timeline(curves: pd.DataFrame, labels: Mapping[str, str], current_months: float, support: float,
                      pivot: float, *, large: bool = False) -> go.Figure:
    """Tokyo's score for every option against months to the election, counting down toward the vote.

    ``curves``: :func:`dashboard.model.analysis.sweep` over ``months_to_election``.
    """
    traces = []
    for i, (option, group) in enumerate(curves.groupby("option", sort=False)):
        s = option_style(i)
        traces.append(dict(
            type="scatter", x=group["value"].to_numpy(), y=group["tokyo"].to_numpy(), mode="lines+markers",
            name=labels[option], line=dict(color=s["color"], dash=s["dash"], width=3),
            marker=dict(symbol=s["symbol"], size=7, maxdisplayed=13),
            hovertemplate=f"{labels[option]}: %{{y:.0%}} with %{{x}} months to go<extra>Tokyo</extra>",
        ))
    layout = dict(
        shapes=[vline(current_months, color="#111", width=2, dash="dot")],
        annotations=[dict(x=current_months, y=1, xref="x", yref="y domain", text="now", showarrow=False,
                          yanchor="bottom")],
        xaxis=dict(title=dict(text="Months to Japan's next election (the vote is at the right)"),
                   autorange="reversed"),
        yaxis=dict(title=dict(text="Feasible for Tokyo"), range=[0, 1], tickformat=PERCENT),
    )
    mood = "favours" if support > pivot else "does not favour" if support < pivot else "is split on"
    effect = ("a nearer election makes compromises more attractive to Tokyo" if support > pivot else
              "a nearer election makes compromises less attractive to Tokyo" if support < pivot else
              "the election's timing makes no difference")
    summary = f"With {support:g}% of the public for compromise, the public {mood} it, so {effect}."
    return figure(traces, layout, "Tokyo's view as the election nears", summary, height=560, large=large,
                  legend_below=True)
