"""The Library page's chart: what each saved scenario finds, next to the view in the sidebar."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import CAPITALS, FULL_WIDTH, PERCENT, bar_marker, figure, vline
from dashboard.model.explain import capital_name, pct


def saved_results(results: pd.DataFrame, labels: Mapping[str, str], threshold: float,
                  lang: str = i18n.DEFAULT) -> go.Figure:
    """One bar per scenario: the joint feasibility of its most feasible option, that option written beside it.

    ``results``: one row per scenario, in the order to show (the sidebar's view first), with columns ``name``,
    ``option`` (an option id), ``moscow``, ``tokyo`` and ``joint`` (feasibilities of that option, 0–1).
    ``labels``: option id -> short label. ``threshold``: where a capital reads as accepting, drawn as a line.
    ``lang``: the language of the title, axis, hover text and summary (``labels`` and the names come already in it;
    a saved scenario's title is shown as it was typed).
    """
    _ = i18n.gettext_for(lang)
    names = results["name"].tolist()
    options = [labels[o] for o in results["option"]]
    joint, moscow, tokyo = (results[c].tolist() for c in ("joint", "moscow", "tokyo"))
    both = CAPITALS["joint"]
    hover = ("<b>%{y}</b><br>" + _("{option}: both {joint}").format(option="%{customdata[0]}", joint="%{x:.0%}") +
             f"<br>{capital_name('moscow', lang)} %{{customdata[1]:.0%}} · "
             f"{capital_name('tokyo', lang)} %{{customdata[2]:.0%}}<extra></extra>")
    traces = [dict(
        type="bar", y=names, x=joint, orientation="h", marker=bar_marker(both.color),
        name=_("{both} (joint)").format(both=capital_name("joint", lang)),
        text=[f"{o}: {pct(j, lang)}" for o, j in zip(options, joint, strict=True)],
        textposition="outside", cliponaxis=True, customdata=list(zip(options, moscow, tokyo, strict=True)),
        showlegend=False, hovertemplate=hover,
    )]
    layout = dict(
        shapes=[vline(threshold, color="#777", width=1.5, dash="dot")],
        xaxis=dict(title=dict(text=_("Joint feasibility of the scenario's most feasible option")), range=[0, 1.45],
                   tickformat=PERCENT, tickvals=[0, 0.25, 0.5, 0.75, 1]),  # room past 100% for the text only
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    best = max(range(len(joint)), key=lambda i: (joint[i], -i))
    ngettext = i18n.ngettext_for(lang)
    summary = ngettext(
        "{n} scenario. Highest joint feasibility: {name}, with {option} at {joint} (Moscow {moscow}, Tokyo {tokyo}).",
        "{n} scenarios. Highest joint feasibility: {name}, with {option} at {joint} (Moscow {moscow}, Tokyo {tokyo}).",
        len(names)).format(n=i18n.number(len(names), lang), name=names[best], option=options[best],
                           joint=pct(joint[best], lang), moscow=pct(moscow[best], lang), tokyo=pct(tokyo[best], lang))
    return figure(traces, layout, _("What each scenario finds"), summary, height=max(260, 120 + 34 * len(names)),
                  zoom=False, width=FULL_WIDTH)
