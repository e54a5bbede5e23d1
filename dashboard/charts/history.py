"""The History page's chart: each option's feasibility for Moscow, Tokyo and both across the dated checkpoints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import FULL_WIDTH, OPTION_COLORS, OPTION_DASHES, OPTION_SYMBOLS, PERCENT, figure
from dashboard.model.explain import capital_name, pct
from dashboard.model.history import day

OUTPUTS = ("moscow", "tokyo", "joint")
EVENT_LINE = "#8C8C8C"


def _month(iso: str, lang: str) -> str:
    """A month as the summary writes it: "2018-11" in English (as ever), the locale's own way otherwise."""
    return iso[:7] if lang == i18n.DEFAULT else i18n.month(dt.date.fromisoformat(iso), lang)


# The date axis's ticks, written without month names in Japanese and Russian (Plotly would write English ones):
# years, and when zoomed in to months, the month as the language writes it in figures.
_TICK_FORMATS = {"ja": ("%Y年", "%Y年%-m月"), "ru": ("%Y", "%m.%Y")}


# Two events' numbers share a level only this far apart: at the chart's full width a decade spans about 700 px,
# so 120 days is about 23 px, room for a two-digit number and its box.
LEVEL_GAP_DAYS = 120
EVENT_LEVELS = 4


def event_levels(dates: list[str]) -> list[int]:
    """The level (0 = lowest) each event's number is drawn on, in date order: the lowest level whose last number is
    at least LEVEL_GAP_DAYS earlier, so no two numbers overlap; when every level is taken, the one used longest ago.
    """
    last: list[pd.Timestamp | None] = [None] * EVENT_LEVELS
    levels = []
    for when in (pd.Timestamp(d) for d in dates):
        free = [i for i, t in enumerate(last) if t is None or (when - t).days >= LEVEL_GAP_DAYS]
        level = free[0] if free else min(range(EVENT_LEVELS), key=lambda i: last[i])
        last[level] = when
        levels.append(level)
    return levels


def timeline(scores: pd.DataFrame, events: pd.DataFrame, labels: Mapping[str, str], threshold: float, *,
             large: bool = False, names: Mapping[str, str] | None = None, lang: str = i18n.DEFAULT) -> go.Figure:
    """Three stacked panels (Moscow, Tokyo, both) on one real date axis; a line per option; events marked.

    ``scores``: :func:`dashboard.model.history.history_scores` (date, checkpoint, option, moscow, tokyo, joint,
    happened); ``events``: :func:`dashboard.model.history.events_table`. A filled marker is an option that actually
    moved after that checkpoint. Feasibilities in [0, 1]. ``names``: checkpoint id -> how the hover names it
    (:func:`dashboard.model.history.checkpoint_label`; the date and the id when not given). ``lang``: the language
    of the titles, axes, hover text and summary (``labels``, ``names`` and the events' labels come already in it).
    """
    _ = i18n.gettext_for(lang)
    options = list(dict.fromkeys(scores["option"]))
    gap, n = 0.05, len(OUTPUTS)
    top_strip = 0.13  # room above the panels for the events' numbers (EVENT_LEVELS of them)
    height = (1 - top_strip - gap * (n - 1)) / n
    layout: dict = {"annotations": [], "shapes": []}
    traces = []
    when = {c: names[c] if names else f"{day(dt.date.fromisoformat(d), lang)} ({c})"
            for d, c in zip(scores["date"], scores["checkpoint"], strict=True)}
    ticks = _TICK_FORMATS.get(lang)
    for row, output in enumerate(OUTPUTS):
        k = "" if row == 0 else str(row + 1)
        y1 = 1 - top_strip - row * (height + gap)
        layout[f"yaxis{k}"] = dict(domain=[max(0.0, y1 - height), y1], range=[-0.03, 1.03], tickformat=PERCENT,
                                   dtick=0.25, anchor=f"x{k}", title=dict(text=capital_name(output, lang)))
        layout[f"xaxis{k}"] = dict(type="date", anchor=f"y{k}", showticklabels=row == n - 1,
                                   **({"matches": "x"} if row else {}))
        if ticks:
            layout[f"xaxis{k}"]["tickformatstops"] = [dict(dtickrange=["M12", None], value=ticks[0]),
                                                     dict(dtickrange=[None, "M12"], value=ticks[1])]
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
                customdata=[when[c] for c in rows["checkpoint"]],
                hovertemplate=f"{labels[o]} · {capital_name(output, lang)}: %{{y:.0%}}<br>%{{customdata}}"
                              "<extra></extra>",
            ))
    # Events are numbered at the top (the key is in the summary and on the page): several fall weeks apart, so
    # their labels could not sit side by side; numbers close in time are stacked on levels (see event_levels).
    levels = event_levels(events["date"].tolist())
    for number, (e, level) in enumerate(zip(events.itertuples(), levels, strict=True), start=1):
        layout["shapes"].append(dict(type="line", xref="x", yref="paper", x0=e.date, x1=e.date, y0=0,
                                     y1=1 - top_strip, line=dict(color=EVENT_LINE, width=1, dash="dash")))
        layout["annotations"].append(dict(
            x=e.date, xref="x", y=1 - top_strip + 0.005 + 0.034 * level, yref="paper", text=str(number),
            showarrow=False, xanchor="center", yanchor="bottom", font=dict(size=14, color="#333"),
            hovertext=_("{number}. {date}: {event}").format(
                number=number, date=day(dt.date.fromisoformat(e.date), lang), event=e.label),
            bgcolor="white", bordercolor=EVENT_LINE, borderpad=1,
        ))
    layout["legend"] = dict(orientation="h", yanchor="top", y=-0.06, xanchor="left", x=0)
    layout["margin"] = dict(b=150)

    last = scores[scores["date"] == scores["date"].max()].set_index("option")
    first = scores[scores["date"] == scores["date"].min()].set_index("option")
    best_then, best_now = first["joint"].idxmax(), last["joint"].idxmax()
    events_key = _("; ").join(_("{number}. {event} ({month})").format(number=i, event=e.label,
                                                                       month=_month(e.date, lang))
                              for i, e in enumerate(events.itertuples(), 1))
    summary = _("From {start} to {end}, with the op-ed's weights throughout: the most feasible option for both went "
                "from {then} ({then_joint}) to {now} ({now_joint}). Events (dashed lines): {events}. A filled marker "
                "is an option that actually moved after that date; the dotted line is the acceptance "
                "threshold.").format(
        start=day(dt.date.fromisoformat(first["date"].iloc[0]), lang),
        end=day(dt.date.fromisoformat(last["date"].iloc[0]), lang),
        then=labels[best_then], then_joint=pct(first.at[best_then, "joint"], lang),
        now=labels[best_now], now_joint=pct(last.at[best_now, "joint"], lang), events=events_key)
    return figure(traces, layout, _("Feasibility at each checkpoint, October 2016 to now"), summary,
                  height=860, large=large, legend_below=True, width=FULL_WIDTH)
