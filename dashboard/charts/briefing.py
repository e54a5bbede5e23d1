"""The Briefing page's charts: the Moscow-vs-Tokyo map of options and the bars of both scores."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import numpy as np
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


# Where Plotly can write a point's text, as (dx, dy) from the marker; the straight sides are preferred, in order,
# and the corners are there for crowded places (a long label near the plot's edge and a neighbour's label).
_PLACES = {"middle right": (1, 0), "middle left": (-1, 0), "top center": (0, 1), "bottom center": (0, -1),
           "top right": (1, 1), "bottom right": (1, -1), "top left": (-1, 1), "bottom left": (-1, -1)}
_PASSES = 4  # rounds of re-placing each label given all the others; the layouts seen settle in two


_DX = np.array([d[0] for d in _PLACES.values()])
_DY = np.array([d[1] for d in _PLACES.values()])
# A long label may be written on two lines, half as wide, when one line would cover a neighbour; a small cost keeps
# one line wherever it fits (in the units of the cost: a share of the plot's area).
_WRAP_COST = 2e-4
_LINE = 0.045  # the height a second line adds, as a share of the axis (measured: 4.3% in the Briefing's column)


def _label_boxes(xs: np.ndarray, ys: np.ndarray, widths: np.ndarray, heights: np.ndarray) -> np.ndarray:
    """Every label's box (x0, x1, y0, y1) in every place: shape (labels, places, 4)."""
    x, y, w, h = xs[:, None], ys[:, None], widths[:, None], heights[:, None]
    # Beside the marker: clear of it and centred on it. Above or below: centred, or from its middle for a corner.
    x0 = np.where(_DY == 0, np.where(_DX > 0, x + 0.025, x - 0.025 - w),
                  np.where(_DX == 0, x - w / 2, np.where(_DX > 0, x, x - w)))
    y0 = np.where(_DY == 0, y - h / 2, np.where(_DY > 0, y + 0.03, y - 0.03 - h))
    return np.stack([x0, x0 + w, y0, y0 + h], axis=-1)


def _two_lines(text: str) -> str | None:
    """``text`` broken into two lines (Plotly's ``<br>``) at the space nearest its middle that reads well, or None.

    A break falls between words, or after a comma or a closing bracket, or between a number and the bracket that
    explains it ("Article 9<br>(two islands)"), never inside brackets or inside "Article 9 + zone". Short labels
    stay whole.
    """
    if len(text) < 14:
        return None
    good = [i for i in range(1, len(text) - 1) if text[i] == " " and (
        ((text[i - 1].isalpha() or text[i - 1] in "),") and (text[i + 1].isalpha() or text[i + 1] == "("))
        or (text[i - 1].isdigit() and text[i + 1] == "(")) and text.count("(", 0, i) == text.count(")", 0, i)]
    if not good:
        return None
    cut = min(good, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "<br>" + text[cut + 1:]


def _text_width(text: str, char_width: float) -> float:
    # A Japanese character is about twice as wide as a Latin one.
    return char_width * max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                            for line in text.split("<br>"))


def label_positions(xs, ys, texts, char_width: float = 0.025,
                    height: float = 0.055) -> tuple[list[str], list[str]]:
    """Where to write each point's label, and its text (on one line or two), so that labels miss each other and
    the other markers (in data units).

    The sizes are rough (a character is about 2.5% of the axis in the Briefing's half-width column on a laptop
    screen, less on wider ones: measured 1.8-2.5% for Latin and Cyrillic labels, 4.2-4.5% for Japanese ones; a
    line is 4.3% of the axis high, taken as 5.5% to leave a little air between labels);
    labels are kept inside the plot area, which clips text. Each label first takes the best place given those
    before it, then every label is placed again given all the others until nothing moves, so a crowded label
    placed early does not keep a place that a later one needed.
    """
    n, names = len(texts), list(_PLACES)
    k = len(names)
    wrapped = [_two_lines(t) for t in texts]
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    one = _label_boxes(x, y, np.array([_text_width(t, char_width) for t in texts]), np.full(n, height))
    two = _label_boxes(x, y, np.array([_text_width(w or t, char_width) for w, t in zip(wrapped, texts, strict=True)]),
                       np.full(n, height + _LINE))
    boxes = np.concatenate([one, two], axis=1)  # labels, 2 x places, 4: every place on one line, then on two
    markers = np.stack([x - 0.02, x + 0.02, y - 0.025, y + 0.025], axis=-1)

    def overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Areas shared by each box of ``a`` (k, 4) with each of ``b`` (m, 4), summed over ``b``: shape (k,)."""
        w = np.minimum(a[:, None, 1], b[None, :, 1]) - np.maximum(a[:, None, 0], b[None, :, 0])
        h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 2], b[None, :, 2])
        return (np.maximum(w, 0.0) * np.maximum(h, 0.0)).sum(axis=1)

    # What does not depend on the other labels is computed once: each candidate's cost for covering other markers
    # or leaving the plot area, plus a hair for the less plain places, so that ties go to the plainer one.
    outside = np.maximum(-0.03 - boxes[..., 0], 0.0) + np.maximum(boxes[..., 1] - 1.03, 0.0)
    outside += np.maximum(-0.03 - boxes[..., 2], 0.0) + np.maximum(boxes[..., 3] - 1.03, 0.0)
    # Every box against every marker, less its own marker (which a label never covers by construction, but the
    # rough sizes may touch).
    covers = overlap(boxes.reshape(-1, 4), markers).reshape(n, 2 * k)
    mine = markers[:, None, :]
    covers -= (np.maximum(np.minimum(boxes[..., 1], mine[..., 1]) - np.maximum(boxes[..., 0], mine[..., 0]), 0.0)
               * np.maximum(np.minimum(boxes[..., 3], mine[..., 3]) - np.maximum(boxes[..., 2], mine[..., 2]), 0.0))
    fixed = 10 * outside + covers + 1e-5 * np.tile(np.arange(k), 2)
    fixed[:, k:] += np.array([_WRAP_COST if w else np.inf for w in wrapped])[:, None]
    chosen = [-1] * n
    for _round in range(_PASSES):
        moved = False
        for i in range(n):
            others = [boxes[j, chosen[j]] for j in range(n) if j != i and chosen[j] >= 0]
            costs = fixed[i] + (overlap(boxes[i], np.array(others)) if others else 0.0)
            best = int(np.argmin(costs))
            if chosen[i] != best:
                chosen[i], moved = best, True
        if not moved:
            break
    return ([names[c % k] for c in chosen],
            [wrapped[i] if chosen[i] >= k else texts[i] for i in range(n)])


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
    places, written = label_positions(moscow, tokyo, [labels[o] for o in options],
                                      char_width=0.016 if large else 0.025)
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
        # The text written is `written` (a long label may be on two lines); `text` keeps the names for the hover.
        traces = [points(list(range(len(options))), name=_("Options"), mode="markers+text", textposition=places,
                         hovertext=written, texttemplate="%{hovertext}", showlegend=False)]
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
