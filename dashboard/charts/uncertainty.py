"""The Uncertainty page's charts: score distributions, chance of ranking first, Sobol indices."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import CAPITALS, FULL_WIDTH, PERCENT, bar_marker, figure
from dashboard.i18n import N_
from dashboard.model.explain import capital_name, pct


def distributions(summary: pd.DataFrame, labels: Mapping[str, str], n: int, *, large: bool = False,
                  lang: str = i18n.DEFAULT) -> go.Figure:
    """Each option's score across the Monte Carlo draws: boxes of the middle half, whiskers of the middle 90%.

    ``summary``: ``MonteCarloResult.summary`` (option x <output>_p05 ... _p95). Boxes are drawn from those
    quantiles, so the chart carries 5 numbers per box rather than every draw. ``lang``: the language of the
    chart's own text (``labels`` come already in it).
    """
    _ = i18n.gettext_for(lang)
    names = [labels[o] for o in summary.index]
    traces = []
    # Besides colour, the three differ in fill: Moscow light, Tokyo hollow, both together dark.
    fills = {"moscow": "rgba(213, 94, 0, 0.25)", "tokyo": "rgba(255, 255, 255, 0)", "joint": "rgba(58, 58, 58, 0.55)"}
    for output in ("moscow", "tokyo", "joint"):
        st = CAPITALS[output]
        traces.append(dict(
            type="box", y=names, orientation="h", name=capital_name(output, lang),
            q1=summary[f"{output}_p25"].to_numpy(), median=summary[f"{output}_p50"].to_numpy(),
            q3=summary[f"{output}_p75"].to_numpy(), lowerfence=summary[f"{output}_p05"].to_numpy(),
            upperfence=summary[f"{output}_p95"].to_numpy(), mean=summary[f"{output}_mean"].to_numpy(),
            marker=dict(color=st.color), line=dict(color=st.color, width=2), fillcolor=fills[output],
            boxmean=True, hoverinfo="x+name",
        ))
    layout = dict(
        boxmode="group", boxgroupgap=0.25,
        # Two lines: on one, the title ran past the chart's right edge in its column.
        xaxis=dict(title=dict(text=_("Feasibility (box: middle half of draws;<br>whiskers: middle 90%; dashed: "
                                     "mean)")),
                   range=[0, 1], tickformat=PERCENT),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    widest = (summary["joint_p95"] - summary["joint_p05"]).idxmax()
    # The share is a placeholder: a literal "90% of" would read to gettext tools as a %-format ("% o").
    summary_text = _("Over {n} draws of the drivers, the joint feasibility of {option} is the least certain: {share} "
                     "of draws fall between {low} and {high}.").format(
        n=i18n.number(n, lang), option=labels[widest], share=i18n.percent(0.9, lang),
        low=pct(summary.at[widest, "joint_p05"], lang),
        high=pct(summary.at[widest, "joint_p95"], lang))
    return figure(traces, layout, _("How sure are the scores?"), summary_text, height=620, large=large,
                  width=FULL_WIDTH * 3 / 5)  # the left of the page's two columns (3 : 2)


def rank_first(shares: pd.Series, labels: Mapping[str, str], settlement: pd.Series | None = None,
               *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """The share of draws in which each option has the highest joint feasibility.

    ``settlement``, when given, adds the same shares counted among the options that settle the border only, so
    that an option which always wins overall does not hide which settlement would. ``lang``: the language of the
    chart's own text (``labels`` come already in it).
    """
    _ = i18n.gettext_for(lang)
    names = [labels[o] for o in shares.index]
    # Plotly's own fields go in through the placeholders, so a translation may put them where its grammar wants.
    fields = dict(option="%{y}", share="%{x:.1%}")
    traces = [dict(
        type="bar", y=names, x=shares.to_numpy(), orientation="h", marker=bar_marker(CAPITALS["joint"].color),
        text=[pct(v, lang) for v in shares], textposition="outside", cliponaxis=False, name=_("Among all options"),
        hovertemplate=_("{option}: first by joint feasibility in {share} of draws").format(**fields)
        + "<extra></extra>",
    )]
    if settlement is not None:
        among = settlement.reindex(shares.index)
        traces.append(dict(
            type="bar", y=names, x=among.to_numpy(), orientation="h", marker=bar_marker("#AAAAAA", "/", "#555"),
            text=["" if pd.isna(v) else pct(v, lang) for v in among], textposition="outside", cliponaxis=False,
            name=_("Among settlements of the border"),
            hovertemplate=_("{option}: first among settlements in {share} of draws").format(**fields)
            + "<extra></extra>",
        ))
    layout = dict(
        barmode="group",
        # Room beyond 100% for the ">99%" written outside the longest bar, and a short axis title: on the page this
        # chart has a narrow column, and a long title or label was cut off at the right edge.
        xaxis=dict(title=dict(text=_("Share of draws")), range=[0, 1.3], tickformat=PERCENT,
                   tickvals=[0, 1]),  # two ticks: three were turned on end in the narrow column
        yaxis=dict(autorange="reversed", showgrid=False),
        # Not clipped to the plot area, whose narrow column leaves no room for ">99%" past a full bar: the right
        # margin holds it instead.
        margin=dict(r=48),
    )
    top = shares.idxmax()
    summary = _("{option} ranks first in {share} of draws.").format(option=labels[top], share=pct(shares[top], lang))
    if settlement is not None and len(settlement):
        s = settlement.idxmax()
        summary += _(" Among settlements of the border, {option} does, in {share}.").format(
            option=labels[s], share=pct(settlement[s], lang))
    return figure(traces, layout, _("Which option comes out on top?"), summary, height=460, large=large,
                  width=FULL_WIDTH * 2 / 5)


def sobol_indices(indices: pd.DataFrame, output: str, option_label: str, top: int = 10,
                  *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """First-order and total Sobol' indices of one score, largest total first, with 95% intervals.

    ``indices``: :func:`dashboard.model.analysis.sobol` rows for one output and option, their ``label`` in ``lang``
    (:func:`dashboard.model.explain.input_labels`). ``lang``: the language of the chart's own text.
    """
    _ = i18n.gettext_for(lang)
    df = indices.sort_values("ST", ascending=False).head(top)
    traces = []
    for col, name, color, pattern in (("ST", _("Total (alone and with others)"), "#332288", ""),
                                      ("S1", _("Alone (first order)"), "#88CCEE", "/")):
        traces.append(dict(
            type="bar", y=df["label"].tolist(), x=df[col].to_numpy(), orientation="h", name=name,
            error_x=dict(type="data", array=df[f"{col}_conf"].to_numpy(), color="#444", thickness=1.5),
            marker=bar_marker(color, pattern, outline="#333"),
            hovertemplate=f"{name}: %{{x:.2f}}<extra>%{{y}}</extra>",
        ))
    layout = dict(
        barmode="group",
        xaxis=dict(title=dict(text=_("Share of the score's variance")),
                   range=[0, max(1.0, float(df["ST"].max()) * 1.1)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    joint = output == "joint"
    fields = dict(capital=capital_name(output, lang), option=option_label)
    if len(df) and df["ST"].iloc[0] > 0:
        template = (_("{input} accounts for the largest share of the uncertainty in the joint feasibility of "
                      "{option} (total index {index}).") if joint else
                    _("{input} accounts for the largest share of the uncertainty in {capital}'s feasibility of "
                      "{option} (total index {index})."))
        summary = template.format(input=df["label"].iloc[0], index=f"{df['ST'].iloc[0]:.2f}", **fields)
    else:
        summary = (_("The joint feasibility of {option} does not vary with the drivers.") if joint else
                   _("{capital}'s feasibility of {option} does not vary with the drivers.")).format(**fields)
    title = (_("What the uncertainty in the joint feasibility of {option} comes from") if joint else
             _("What the uncertainty in {capital}'s view of {option} comes from")).format(**fields)
    return figure(traces, layout, title,
                  summary, height=max(340, 120 + 44 * len(df)), large=large, width=FULL_WIDTH)


# What each kind of input drawn is called: before its label on the chart, and in the summary's sentence.
KIND_NAMES = {"driver": N_("Driver"), "base": N_("Base term"), "weight": N_("Weight"),
              "interaction": N_("Election-term weight"), "half_life": N_("Election half-life"),
              "ceiling": N_("Hard-limit ceiling")}
KIND_PHRASES = {"driver": N_("driver {input}"), "base": N_("base term {input}"), "weight": N_("weight {input}"),
                "interaction": N_("election-term weight {input}"), "half_life": N_("election half-life {input}"),
                "ceiling": N_("hard-limit ceiling {input}")}


def ranking_importance(importance: pd.DataFrame, leader_label: str, among: str, top: int = 10,
                       *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """What the first place depends on most: total Sobol' indices of the leader's margin over the best other option.

    ``importance``: :func:`dashboard.model.analysis.ranking_importance` (largest total first), with its ``label``
    and ``short_label`` in ``lang`` (:func:`dashboard.model.explain.input_labels`; without ``short_label``, the
    English labels shortened here). The model's own numbers are dark bars, the drivers hatched light ones, so that
    which kind matters shows without colour. ``lang``: the language of the chart's own text.
    """
    _ = i18n.gettext_for(lang)
    df = importance.head(top)
    is_driver = (df["kind"] == "driver").to_numpy()
    # The kind leads the label, so a base term's own suffix is dropped: long labels squeezed the bars on a phone.
    shorts = (df["short_label"] if "short_label" in df else
              df["label"].str.removesuffix(" · 2016 baseline feasibility"))
    names = [_("{kind}: {input}").format(kind=_(KIND_NAMES[k]) if k in KIND_NAMES else k, input=label)
             for k, label in zip(df["kind"], shorts, strict=True)]
    traces = []
    for mask, name, color, pattern in ((~is_driver, _("The model's own numbers"), "#332288", ""),
                                       (is_driver, _("Drivers"), "#88CCEE", "/")):
        traces.append(dict(
            type="bar", y=[n if m else None for n, m in zip(names, mask, strict=True)],
            x=np.where(mask, df["ST"].to_numpy(), np.nan), orientation="h", name=name,
            error_x=dict(type="data", array=np.where(mask, df["ST_conf"].to_numpy(), np.nan), color="#444",
                         thickness=1.5),
            marker=bar_marker(color, pattern, outline="#333"),
            hovertemplate=_("Total index {index}").format(index="%{x:.2f}") + "<extra>%{y}</extra>",
        ))
    layout = dict(
        barmode="overlay",
        xaxis=dict(title=dict(text=_("Share of the variance of the lead (total index)")),
                   range=[0, max(1.0, float(df["ST"].max()) * 1.1) if len(df) else 1.0]),
        yaxis=dict(autorange="reversed", showgrid=False, categoryorder="array", categoryarray=names),
    )
    settlements = among == "settlements"
    if len(df) and df["ST"].iloc[0] > 0:
        first = df.iloc[0]
        model_share = float(importance.loc[importance["kind"] != "driver", "ST"].sum())
        driver_share = float(importance.loc[importance["kind"] == "driver", "ST"].sum())
        kind = first["kind"]
        phrase = _(KIND_PHRASES[kind]) if kind in KIND_PHRASES else kind + " {input}"
        template = (_("Whether {leader} stays first among settlements of the border depends most on {input} (total "
                      "index {index}); the model's own numbers add up to {model} in total indices, the drivers to "
                      "{drivers}.") if settlements else
                    _("Whether {leader} stays first among all options depends most on {input} (total index {index}); "
                      "the model's own numbers add up to {model} in total indices, the drivers to {drivers}."))
        summary = template.format(leader=leader_label, input=phrase.format(input=first["label"]),
                                  index=f"{first['ST']:.2f}", model=f"{model_share:.2f}", drivers=f"{driver_share:.2f}")
    else:
        summary = (_("{leader}'s lead among settlements of the border does not vary with what is drawn.")
                   if settlements else
                   _("{leader}'s lead among all options does not vary with what is drawn.")).format(leader=leader_label)
    return figure(traces, layout, _("What {leader}'s first place depends on").format(leader=leader_label), summary,
                  height=max(340, 120 + 44 * len(df)), large=large, width=FULL_WIDTH)

