"""The Sensitivity page's charts: tornado, one-driver sweep, two-driver heat map, election timeline.

Each takes ``lang``, the language of its own words (titles, axes, legends, hover text, summary); labels passed in
(options, drivers) come already in it. The numbers plotted are the same in every language.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import FULL_WIDTH, HEAT_SCALE, PERCENT, bar_marker, figure, option_style, panels, vline
from dashboard.model.explain import capital_name, format_value, pct


def _num(x: float, lang: str) -> str:
    """A plain number as ``lang`` writes it."""
    return f"{x:g}" if lang == i18n.DEFAULT else i18n.number(x, lang)


def _share(x: float, lang: str) -> str:
    """A share of the grid as a whole percentage (0% and 100% as such: a share, not a feasibility)."""
    return f"{x:.0%}" if lang == i18n.DEFAULT else i18n.percent(x, lang)


def driver_axis(driver_label: str, unit: str, lang: str = i18n.DEFAULT) -> str:
    """A driver's name with its unit, for an axis: "Western sanctions on Russia (index 0-100)".

    In Japanese and Russian as the sidebar's sliders write it: an index as 0-100, months and years named in the
    label already.
    """
    if lang == i18n.DEFAULT:
        return f"{driver_label} ({unit})"
    if unit in ("months", "years"):
        return driver_label
    return f"{driver_label} ({'0-100' if unit.startswith('index') else unit})"


def tornado(swings: pd.DataFrame, output: str, option_label: str, units: Mapping[str, str], top: int = 10,
            *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """The drivers that move one score most, each set to the low and the high end of its range.

    ``swings``: :func:`dashboard.model.analysis.tornado` (largest swing first; its ``label`` column in ``lang``).
    ``units``: driver id -> unit.
    """
    _ = i18n.gettext_for(lang)
    who = capital_name(output, lang)
    df = swings.head(top)
    now = float(df["score_now"].iloc[0]) if len(df) else 0.0
    traces = []
    for end, color, pattern, name in (("low", "#88CCEE", "/", _("Driver at the low end")),
                                      ("high", "#332288", "", _("Driver at the high end"))):
        traces.append(dict(
            type="bar", y=df["label"].tolist(), x=(df[f"score_{end}"] - now).to_numpy(), base=now,
            orientation="h", name=name, marker=bar_marker(color, pattern, outline="#333"),
            text=[format_value(v, units[d], lang) for v, d in zip(df[end], df["driver"], strict=True)],
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
        xaxis=dict(title=dict(text=_("Feasibility for {capital} (line: now, {now})").format(capital=who,
                                                                                          now=pct(now, lang))),
                   tickformat=PERCENT, range=[max(0.0, ends.min() - pad), min(1.0, ends.max() + pad)]),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    if len(df) and df["swing"].iloc[0] > 0:
        first = df.iloc[0]
        unit = units[first["driver"]]
        summary = _("{driver} moves {capital}'s feasibility of {option} most: from {score_low} at {low} to "
                    "{score_high} at {high}.").format(
            driver=first["label"], capital=who, option=option_label, score_low=pct(first["score_low"], lang),
            low=format_value(first["low"], unit, lang), score_high=pct(first["score_high"], lang),
            high=format_value(first["high"], unit, lang))
    else:
        summary = _("No driver moves {capital}'s feasibility of {option}.").format(capital=who, option=option_label)
    title = _("What moves {capital} on {option}").format(capital=who, option=option_label)
    return figure(traces, layout, title, summary, height=max(320, 120 + 42 * len(df)), large=large, width=FULL_WIDTH)


def sweep(curves: pd.DataFrame, driver_label: str, unit: str, current: float, labels: Mapping[str, str],
          outputs: tuple[str, ...] = ("moscow", "tokyo", "joint"), *, large: bool = False,
          lang: str = i18n.DEFAULT) -> go.Figure:
    """Every option's score as one driver moves across its scale, one panel per capital; the current value marked.

    ``curves``: :func:`dashboard.model.analysis.sweep`. ``driver_label`` and ``labels`` (option id -> label) in
    ``lang``.
    """
    _ = i18n.gettext_for(lang)
    layout = panels([capital_name(o, lang) for o in outputs])
    traces = []
    for i, (option, group) in enumerate(curves.groupby("option", sort=False)):
        s = option_style(i)
        x = group["value"].to_numpy()
        for col, output in enumerate(outputs):
            k = "" if col == 0 else str(col + 1)
            hover = _("{option}: {feasibility} at {value}").format(option=labels[option], feasibility="%{y:.0%}",
                                                                   value="%{x}")
            traces.append(dict(
                type="scatter", x=x, y=group[output].to_numpy(), xaxis=f"x{k}", yaxis=f"y{k}",
                mode="lines+markers", name=labels[option], legendgroup=option, showlegend=col == 0,
                line=dict(color=s["color"], dash=s["dash"], width=3),
                marker=dict(symbol=s["symbol"], size=8, maxdisplayed=8),
                hovertemplate=hover + "<extra>" + capital_name(output, lang) + "</extra>",
            ))
    middle = (len(outputs) + 1) // 2
    layout["shapes"] = [vline(current, "" if c == 1 else str(c), color="#111", width=2, dash="dot")
                        for c in range(1, len(outputs) + 1)]
    layout[f"xaxis{'' if middle == 1 else middle}"]["title"] = dict(text=driver_axis(driver_label, unit, lang))
    layout["yaxis"] |= dict(range=[0, 1], tickformat=PERCENT, title=dict(text=_("Feasibility")))
    # The sweep's point nearest the current value stands for "now" when the current value is between points.
    nearest = curves["value"].iloc[(curves["value"] - current).abs().argmin()]
    best = curves[curves["value"] == nearest].set_index("option")["joint"].idxmax()
    by_option = curves[curves["option"] == best]
    lo, hi = by_option["joint"].min(), by_option["joint"].max()
    summary = _("Dotted line: {driver} now, {value}. Across the whole scale, the joint feasibility of {option} (the "
                "best now) ranges from {low} to {high}.").format(
        driver=driver_label, value=format_value(current, unit, lang), option=labels[best], low=pct(lo, lang),
        high=pct(hi, lang))
    title = _("All options as {driver} changes").format(driver=driver_label)
    return figure(traces, layout, title, summary, height=600, large=large, legend_below=True, width=FULL_WIDTH)


CONTOUR_LABEL = "black"


def heatmap(surface: pd.DataFrame, x_label: str, y_label: str, output: str, option_label: str,
            current: tuple[float, float], threshold: float, *, large: bool = False,
            lang: str = i18n.DEFAULT) -> go.Figure:
    """One score over a grid of two drivers, with the acceptance contour and the current scenario marked.

    ``surface``: :func:`dashboard.model.analysis.grid` rows for one option. ``x_label``, ``y_label`` and
    ``option_label`` in ``lang``.
    """
    _ = i18n.gettext_for(lang)
    who = capital_name(output, lang)
    z = surface.pivot(index="y", columns="x", values=output)
    xs, ys, zs = z.columns.to_numpy(), z.index.to_numpy(), z.to_numpy()
    traces = [dict(
        type="heatmap", x=xs, y=ys, z=zs, zmin=0, zmax=1, colorscale=HEAT_SCALE,
        colorbar=dict(title=dict(text=_("Feasibility")), tickformat=PERCENT, thickness=14),
        hovertemplate=f"{x_label}: %{{x}}<br>{y_label}: %{{y}}<br>%{{z:.0%}}<extra></extra>",
    )]
    if zs.min() < threshold < zs.max():
        traces.append(dict(
            type="contour", x=xs, y=ys, z=zs, showscale=False, contours=dict(
                coloring="none", start=threshold, end=threshold, size=1, showlabels=True, labelformat=PERCENT,
                # Black: the label sits where the heat scale is at the threshold, mid-grey for Cividis at 50%, on
                # which white text was 4.2:1 and black is 5.0:1 (tests/charts/test_contrast.py).
                labelfont=dict(color=CONTOUR_LABEL, size=14)),
            line=dict(color="white", width=3, dash="dash"), hoverinfo="skip", name=_("Acceptance line"),
            showlegend=False,
        ))
    now = _("Now")
    traces.append(dict(
        type="scatter", x=[current[0]], y=[current[1]], mode="markers", name=now,
        marker=dict(symbol="star", size=20, color="white", line=dict(color="black", width=2)),
        hovertemplate=now + "<extra></extra>", showlegend=False,
    ))
    layout = dict(xaxis=dict(title=dict(text=x_label), showgrid=False),
                  yaxis=dict(title=dict(text=y_label), showgrid=False))
    flat = surface[[output, "x", "y"]]
    top = flat.loc[flat[output].idxmax()]
    accept = float((flat[output] >= threshold).mean())
    summary = _("{capital}'s feasibility of {option} is {low} to {high} over this grid, highest at {x_driver} {x} and "
                "{y_driver} {y}; {share} of the grid is at or above {threshold}. The star marks now.").format(
        capital=who, option=option_label, low=pct(flat[output].min(), lang), high=pct(flat[output].max(), lang),
        x_driver=x_label, x=_num(top["x"], lang), y_driver=y_label, y=_num(top["y"], lang),
        share=_share(accept, lang), threshold=pct(threshold, lang))
    title = _("{capital} on {option}: two drivers at once (dashed: {threshold})").format(
        capital=who, option=option_label, threshold=pct(threshold, lang))
    return figure(traces, layout, title, summary, height=540, large=large, width=FULL_WIDTH)


def election_timeline(curves: pd.DataFrame, labels: Mapping[str, str], current_months: float, support: float,
                      pivot: float, *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """Tokyo's score for every option against months to the election, counting down toward the vote.

    ``curves``: :func:`dashboard.model.analysis.sweep` over ``months_to_election``. ``labels`` in ``lang``.
    """
    _ = i18n.gettext_for(lang)
    tokyo = capital_name("tokyo", lang)
    traces = []
    for i, (option, group) in enumerate(curves.groupby("option", sort=False)):
        s = option_style(i)
        hover = _("{option}: {feasibility} with {months} months to go").format(
            option=labels[option], feasibility="%{y:.0%}", months="%{x}")
        traces.append(dict(
            type="scatter", x=group["value"].to_numpy(), y=group["tokyo"].to_numpy(), mode="lines+markers",
            name=labels[option], line=dict(color=s["color"], dash=s["dash"], width=3),
            marker=dict(symbol=s["symbol"], size=7, maxdisplayed=13),
            hovertemplate=hover + "<extra>" + tokyo + "</extra>",
        ))
    layout = dict(
        shapes=[vline(current_months, color="#111", width=2, dash="dot")],
        annotations=[dict(x=current_months, y=1, xref="x", yref="y domain", text=_("now"), showarrow=False,
                          yanchor="bottom")],
        xaxis=dict(title=dict(text=_("Months to Japan's next election (the vote is at the right)")),
                   autorange="reversed"),
        yaxis=dict(title=dict(text=_("Feasible for Tokyo")), range=[0, 1], tickformat=PERCENT),
    )
    if support > pivot:
        template = _("With {support} of the public for compromise, the public favours it, so a nearer election makes "
                     "compromises more attractive to Tokyo.")
    elif support < pivot:
        template = _("With {support} of the public for compromise, the public does not favour it, so a nearer "
                     "election makes compromises less attractive to Tokyo.")
    else:
        template = _("With {support} of the public for compromise, the public is split on it, so the election's "
                     "timing makes no difference.")
    summary = template.format(support=format_value(support, "%", lang))
    return figure(traces, layout, _("Tokyo's view as the election nears"), summary, height=560, large=large,
                  legend_below=True, width=FULL_WIDTH)
