"""The Uncertainty page's charts: score distributions, chance of ranking first, Sobol indices."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import CAPITALS, PERCENT, bar_marker, figure
from dashboard.model.explain import pct


def distributions(summary: pd.DataFrame, labels: Mapping[str, str], n: int, *, large: bool = False) -> go.Figure:
    """Each option's score across the Monte Carlo draws: boxes of the middle half, whiskers of the middle 90%.

    ``summary``: ``MonteCarloResult.summary`` (option x <output>_p05 ... _p95). Boxes are drawn from those
    quantiles, so the chart carries 5 numbers per box rather than every draw.
    """
    names = [labels[o] for o in summary.index]
    traces = []
    # Besides colour, the three differ in fill: Moscow light, Tokyo hollow, both together dark.
    fills = {"moscow": "rgba(213, 94, 0, 0.25)", "tokyo": "rgba(255, 255, 255, 0)", "joint": "rgba(58, 58, 58, 0.55)"}
    for output in ("moscow", "tokyo", "joint"):
        st = CAPITALS[output]
        traces.append(dict(
            type="box", y=names, orientation="h", name=st.name,
            q1=summary[f"{output}_p25"].to_numpy(), median=summary[f"{output}_p50"].to_numpy(),
            q3=summary[f"{output}_p75"].to_numpy(), lowerfence=summary[f"{output}_p05"].to_numpy(),
            upperfence=summary[f"{output}_p95"].to_numpy(), mean=summary[f"{output}_mean"].to_numpy(),
            marker=dict(color=st.color), line=dict(color=st.color, width=2), fillcolor=fills[output],
            boxmean=True, hoverinfo="x+name",
        ))
    layout = dict(
        boxmode="group", boxgroupgap=0.25,
        # Two lines: on one, the title ran past the chart's right edge in its column.
        xaxis=dict(title=dict(text="Feasibility (box: middle half of draws;<br>whiskers: middle 90%; dashed: mean)"),
                   range=[0, 1], tickformat=PERCENT),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    widest = (summary["joint_p95"] - summary["joint_p05"]).idxmax()
    summary_text = (f"Over {n:,} draws of the drivers, the joint feasibility of {labels[widest]} is the least "
                    f"certain: 90% of draws fall between {pct(summary.at[widest, 'joint_p05'])} and "
                    f"{pct(summary.at[widest, 'joint_p95'])}.")
    return figure(traces, layout, "How sure are the scores?", summary_text, height=620, large=large)


def rank_first(shares: pd.Series, labels: Mapping[str, str], settlement: pd.Series | None = None,
               *, large: bool = False) -> go.Figure:
    """The share of draws in which each option has the highest joint feasibility.

    ``settlement``, when given, adds the same shares counted among the options that settle the border only, so
    that an option which always wins overall does not hide which settlement would.
    """
    names = [labels[o] for o in shares.index]
    traces = [dict(
        type="bar", y=names, x=shares.to_numpy(), orientation="h", marker=bar_marker(CAPITALS["joint"].color),
        text=[pct(v) for v in shares], textposition="outside", cliponaxis=False, name="Among all options",
        hovertemplate="%{y}: first by joint feasibility in %{x:.1%} of draws<extra></extra>",
    )]
    if settlement is not None:
        among = settlement.reindex(shares.index)
        traces.append(dict(
            type="bar", y=names, x=among.to_numpy(), orientation="h", marker=bar_marker("#AAAAAA", "/", "#555"),
            text=["" if pd.isna(v) else pct(v) for v in among], textposition="outside", cliponaxis=False,
            name="Among settlements of the border",
            hovertemplate="%{y}: first among settlements in %{x:.1%} of draws<extra></extra>",
        ))
    layout = dict(
        barmode="group",
        # Room beyond 100% for the ">99%" written outside the longest bar, and a short axis title: on the page this
        # chart has a narrow column, and a long title or label was cut off at the right edge.
        xaxis=dict(title=dict(text="Share of draws"), range=[0, 1.3], tickformat=PERCENT,
                   tickvals=[0, 1]),  # two ticks: three were turned on end in the narrow column
        yaxis=dict(autorange="reversed", showgrid=False),
        # Not clipped to the plot area, whose narrow column leaves no room for ">99%" past a full bar: the right
        # margin holds it instead.
        margin=dict(r=48),
    )
    top = shares.idxmax()
    summary = f"{labels[top]} ranks first in {pct(shares[top])} of draws."
    if settlement is not None and len(settlement):
        s = settlement.idxmax()
        summary += f" Among settlements of the border, {labels[s]} does, in {pct(settlement[s])}."
    return figure(traces, layout, "Which option comes out on top?", summary, height=460, large=large)


def sobol_indices(indices: pd.DataFrame, output: str, option_label: str, top: int = 10,
                  *, large: bool = False) -> go.Figure:
    """First-order and total Sobol' indices of one score, largest total first, with 95% intervals.

    ``indices``: :func:`dashboard.model.analysis.sobol` rows for one output and option.
    """
    df = indices.sort_values("ST", ascending=False).head(top)
    traces = []
    for col, name, color, pattern in (("ST", "Total (alone and with others)", "#332288", ""),
                                      ("S1", "Alone (first order)", "#88CCEE", "/")):
        traces.append(dict(
            type="bar", y=df["label"].tolist(), x=df[col].to_numpy(), orientation="h", name=name,
            error_x=dict(type="data", array=df[f"{col}_conf"].to_numpy(), color="#444", thickness=1.5),
            marker=bar_marker(color, pattern, outline="#333"),
            hovertemplate=f"{name}: %{{x:.2f}}<extra>%{{y}}</extra>",
        ))
    layout = dict(
        barmode="group",
        xaxis=dict(title=dict(text="Share of the score's variance"), range=[0, max(1.0, float(df["ST"].max()) * 1.1)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    if len(df) and df["ST"].iloc[0] > 0:
        summary = (f"{df['label'].iloc[0]} accounts for the largest share of the uncertainty in "
                   f"{CAPITALS[output].name}'s feasibility of {option_label} (total index {df['ST'].iloc[0]:.2f}).")
    else:
        summary = f"{CAPITALS[output].name}'s feasibility of {option_label} does not vary with the drivers."
    title = f"What the uncertainty in {CAPITALS[output].name}'s view of {option_label} comes from"
    return figure(traces, layout, title,
                  summary, height=max(340, 120 + 44 * len(df)), large=large)


KIND_NAMES = {"driver": "Driver", "base": "Base term", "weight": "Weight", "interaction": "Election-term weight",
              "half_life": "Election half-life", "ceiling": "Hard-limit ceiling"}


def ranking_importance(importance: pd.DataFrame, leader_label: str, among: str, top: int = 10,
                       *, large: bool = False) -> go.Figure:
    """What the first place depends on most: total Sobol' indices of the leader's margin over the best other option.

    ``importance``: :func:`dashboard.model.analysis.ranking_importance` (largest total first). The model's own
    numbers are dark bars, the drivers hatched light ones, so that which kind matters shows without colour.
    """
    df = importance.head(top)
    is_driver = (df["kind"] == "driver").to_numpy()
    # The kind leads the label, so a base term's own suffix is dropped: long labels squeezed the bars on a phone.
    names = [f"{KIND_NAMES.get(k, k)}: {label.removesuffix(' · 2016 baseline feasibility')}"
             for k, label in zip(df["kind"], df["label"], strict=True)]
    traces = []
    for mask, name, color, pattern in ((~is_driver, "The model's own numbers", "#332288", ""),
                                       (is_driver, "Drivers", "#88CCEE", "/")):
        traces.append(dict(
            type="bar", y=[n if m else None for n, m in zip(names, mask, strict=True)],
            x=np.where(mask, df["ST"].to_numpy(), np.nan), orientation="h", name=name,
            error_x=dict(type="data", array=np.where(mask, df["ST_conf"].to_numpy(), np.nan), color="#444",
                         thickness=1.5),
            marker=bar_marker(color, pattern, outline="#333"),
            hovertemplate="Total index %{x:.2f}<extra>%{y}</extra>",
        ))
    layout = dict(
        barmode="overlay",
        xaxis=dict(title=dict(text="Share of the variance of the lead (total index)"),
                   range=[0, max(1.0, float(df["ST"].max()) * 1.1) if len(df) else 1.0]),
        yaxis=dict(autorange="reversed", showgrid=False, categoryorder="array", categoryarray=names),
    )
    where = "among settlements of the border" if among == "settlements" else "among all options"
    if len(df) and df["ST"].iloc[0] > 0:
        first = df.iloc[0]
        model_share = float(importance.loc[importance["kind"] != "driver", "ST"].sum())
        driver_share = float(importance.loc[importance["kind"] == "driver", "ST"].sum())
        summary = (f"Whether {leader_label} stays first {where} depends most on "
                   f"{KIND_NAMES.get(first['kind'], first['kind']).lower()} {first['label']} (total index "
                   f"{first['ST']:.2f}); the model's own numbers add up to {model_share:.2f} in total indices, "
                   f"the drivers to {driver_share:.2f}.")
    else:
        summary = f"{leader_label}'s lead {where} does not vary with what is drawn."
    return figure(traces, layout, f"What {leader_label}'s first place depends on", summary,
                  height=max(340, 120 + 44 * len(df)), large=large)
