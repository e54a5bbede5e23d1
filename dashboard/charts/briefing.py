"""The Briefing page's charts: the Moscow-vs-Tokyo map of options and the bars of both scores."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import ACCEPT_ZONE, CAPITALS, PERCENT, bar_marker, figure, hline, option_style, vline
from dashboard.model.explain import capital_name, pct


def _columns(scores: pd.DataFrame) -> tuple[list[str], list[list[float]]]:
    """The options and their Moscow, Tokyo and joint feasibilities as plain lists.

    Read once per figure: indexing a pandas frame of eight rows cell by cell cost more than building the figure.
    """
    return list(scores.index), [scores[c].tolist() for c in ("moscow", "tokyo", "joint")]


def _first_max(values: list[float]) -> int:
    """The position of the largest value, the first one on a tie (as ``idxmax``)."""
    return max(range(len(values)), key=lambda i: (values[i], -i))


_PLACES = {"middle right": (1, 0), "middle left": (-1, 0), "top center": (0, 1), "bottom center": (0, -1)}


def label_positions(xs, ys, texts, char_width: float = 0.025, height: float = 0.07) -> list[str]:
    """Where to write each point's label so labels miss each other and the other markers (greedy, in data units).

    The sizes are rough (a character is about 2.5% of the axis in the Briefing's half-width column on a laptop
    screen, less on wider ones); labels are kept inside the plot area, which clips text. Good enough to keep
    near neighbours such as two options with equal Tokyo scores from writing over each other.
    """
    boxes = [(x - 0.02, x + 0.02, y - 0.025, y + 0.025) for x, y in zip(xs, ys, strict=True)]  # the markers

    def overlap(a, b) -> float:
        return max(0.0, min(a[1], b[1]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[2], b[2]))

    out = []
    for i, (x, y, text) in enumerate(zip(xs, ys, texts, strict=True)):
        # A Japanese character is about twice as wide as a Latin one.
        w = char_width * sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
        best, best_cost = "middle right", float("inf")
        for place, (dx, dy) in _PLACES.items():
            x0 = x + 0.025 if dx > 0 else x - 0.025 - w if dx < 0 else x - w / 2
            y0 = y + 0.03 if dy > 0 else y - 0.03 - height if dy < 0 else y - height / 2
            box = (x0, x0 + w, y0, y0 + height)
            cost = sum(overlap(box, b) for j, b in enumerate(boxes) if j != i)
            cost += 10 * (max(0.0, -0.03 - box[0]) + max(0.0, box[1] - 1.03) + max(0.0, -0.03 - box[2])
                          + max(0.0, box[3] - 1.03))
            if cost < best_cost - 1e-12:
                best, best_cost = place, cost
        out.append(best)
        dx, dy = _PLACES[best]
        x0 = x + 0.025 if dx > 0 else x - 0.025 - w if dx < 0 else x - w / 2
        y0 = y + 0.03 if dy > 0 else y - 0.03 - height if dy < 0 else y - height / 2
        boxes.append((x0, x0 + w, y0, y0 + height))
    return out


def feasibility_map(scores: pd.DataFrame, labels: Mapping[str, str], threshold: float,
                    selected: str | None = None, *, large: bool = False, point_labels: bool = True,
                    lang: str = i18n.DEFAULT) -> go.Figure:
    """Each option placed by its feasibility for Moscow (x) and for Tokyo (y); the zone both accept is shaded.

    ``scores``: the model's score table (option x moscow, tokyo, joint). ``labels``: option id -> short label.
    ``threshold``: the feasibility at which a capital is read as accepting. ``selected`` is drawn larger.
    ``point_labels`` writes the labels beside the points (for wide screens: one trace, its points named by their
    text) or numbers them, keyed to the names in the summary (for phones, where names beside points would collide).
    ``lang``: the language of the titles, axes and summary (``labels`` come already in it).
    """
    _ = i18n.gettext_for(lang)
    options, (moscow, tokyo, joint) = _columns(scores)
    size = 22 if large else 16
    # Presenter mode's columns are about twice as wide for 1.35 times the type: a character spans less of the axis.
    places = label_positions(moscow, tokyo, [labels[o] for o in options], char_width=0.016 if large else 0.025)
    styles = [option_style(i) for i in range(len(options))]
    chosen = [o == selected for o in options]
    names = [labels[o] for o in options]
    hover = (f"<b>%{{text}}</b><br>{capital_name('moscow', lang)} %{{x:.0%}} · {capital_name('tokyo', lang)} "
             f"%{{y:.0%}}<br>{capital_name('joint', lang)} %{{customdata:.0%}}<extra></extra>")

    def points(i: list[int], **kw) -> dict:
        return dict(
            type="scatter", x=[moscow[k] for k in i], y=[tokyo[k] for k in i], text=[names[k] for k in i],
            customdata=[joint[k] for k in i],
            marker=dict(size=[size * (1.6 if chosen[k] else 1) for k in i], color=[styles[k]["color"] for k in i],
                        symbol=[styles[k]["symbol"] for k in i], line=dict(width=[3 if chosen[k] else 1 for k in i],
                                                                           color="#111")),
            hovertemplate=hover, cliponaxis=True, **kw)

    if point_labels:
        # One trace, labels beside the points: a trace per option cost Plotly more on every slider move. Clipped to
        # the plot area: unclipped text costs Plotly a layer of its own, measured at ~20 ms a redraw.
        traces = [points(list(range(len(options))), name=_("Options"), mode="markers+text", textposition=places,
                         showlegend=False)]
    else:
        # Phones: names beside the points would collide, so each point carries its number and the summary under
        # the chart keys the numbers to the names. Still one trace holding the same numbers as the wide map, so a
        # link shows the same plotted data on a phone as on a desk.
        traces = [points(list(range(len(options))), name=_("Options"), mode="markers+text",
                         textposition="top center",
                         hovertext=[str(k + 1) for k in range(len(options))], texttemplate="%{hovertext}",
                         showlegend=False)]
    line = dict(color="#777", width=1.5, dash="dot")
    layout = dict(
        shapes=[dict(type="rect", x0=threshold, x1=1.02, y0=threshold, y1=1.02, fillcolor=ACCEPT_ZONE,
                     line=dict(width=0), layer="below"),
                vline(threshold, **line), hline(threshold, **line)],
        annotations=[dict(x=1.01, y=1.01, xanchor="right", yanchor="top", showarrow=False,
                          text="<b>" + _("Both could accept") + "</b>", font=dict(color="#00634A")),
                     dict(x=0.0, y=-0.01, xanchor="left", yanchor="bottom", showarrow=False, text=_("Neither"),
                          font=dict(color="#555"))],
        xaxis=dict(title=dict(text=_("Feasible for Moscow →")), range=[-0.03, 1.03], tickformat=PERCENT,
                   dtick=0.25),
        yaxis=dict(title=dict(text=_("Feasible for Tokyo →")), range=[-0.03, 1.03], tickformat=PERCENT, dtick=0.25),
    )
    both = [i for i in range(len(options)) if moscow[i] >= threshold and tokyo[i] >= threshold]
    if both:
        inside = _(", ").join(_("{option} ({joint} for both)").format(option=names[i], joint=pct(joint[i], lang))
                              for i in both)
        summary = _("In the zone both capitals accept: {options}.").format(options=inside)
    else:
        best = _first_max(joint)
        summary = _("No option is in the zone both capitals accept; closest is {option} (Moscow {moscow}, Tokyo "
                    "{tokyo}).").format(option=names[best], moscow=pct(moscow[best], lang),
                                        tokyo=pct(tokyo[best], lang))
    if not point_labels:
        summary = _("Points: {points}.").format(points=_(", ").join(f"{k + 1} {n}" for k, n in enumerate(names))) + \
            " " + summary
    return figure(traces, layout, _("Moscow vs Tokyo, option by option"), summary,
                  height=520 if point_labels else 560, large=large, zoom=False)


def score_bars(scores: pd.DataFrame, labels: Mapping[str, str], threshold: float,
               selected: str | None = None, *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """Horizontal bars of each option's feasibility for Moscow and for Tokyo, with both together as a marker.

    ``lang``: the language of the titles, axes and summary (``labels`` come already in it).
    """
    _ = i18n.gettext_for(lang)
    options, (moscow, tokyo, joint_values) = _columns(scores)
    names = [("▶ " if o == selected else "") + labels[o] for o in options]
    traces = []
    for capital, values in (("moscow", moscow), ("tokyo", tokyo)):
        st = CAPITALS[capital]
        name = capital_name(capital, lang)
        traces.append(dict(
            type="bar", y=names, x=values, orientation="h", name=name, marker=bar_marker(st.color, st.pattern),
            text=[pct(v, lang) for v in values], textposition="outside", cliponaxis=True,
            hovertemplate=f"{name}: %{{x:.1%}}<extra>%{{y}}</extra>",
        ))
    joint = CAPITALS["joint"]
    both = capital_name("joint", lang)
    traces.append(dict(
        type="scatter", y=names, x=joint_values, mode="markers", name=_("{both} (joint)").format(both=both),
        marker=dict(symbol=joint.symbol, size=13, color=joint.color, line=dict(color="white", width=1.5)),
        hovertemplate=f"{both}: %{{x:.1%}}<extra>%{{y}}</extra>",
    ))
    layout = dict(
        barmode="group", bargap=0.28, bargroupgap=0.06,
        shapes=[vline(threshold, color="#777", width=1.5, dash="dot")],
        # Room past 100% for the value written beyond a bar: the plot area clips text.
        xaxis=dict(title=dict(text=_("Feasibility")), range=[0, 1.2], tickformat=PERCENT, dtick=0.25),
        yaxis=dict(autorange="reversed", showgrid=False),
    )
    m, t, j = _first_max(moscow), _first_max(tokyo), _first_max(joint_values)
    summary = _("Moscow finds {moscow_best} most feasible ({moscow}); Tokyo finds {tokyo_best} most feasible "
                "({tokyo}); together, {joint_best} ({joint}).").format(
        moscow_best=labels[options[m]], moscow=pct(moscow[m], lang), tokyo_best=labels[options[t]],
        tokyo=pct(tokyo[t], lang), joint_best=labels[options[j]], joint=pct(joint_values[j], lang))
    return figure(traces, layout, _("Feasibility for each capital"), summary, height=560, large=large, zoom=False)
