"""The Why page's chart: how each driver moves one option's score for one capital, as a waterfall."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.special import expit, logit

from dashboard import i18n
from dashboard.charts.theme import CAPITALS, FONT, HALF_WIDTH, LINE_EM, figure, line_count, wrap
from dashboard.model.explain import capital_name, pct

# Feasibility ticks placed on the log-odds axis, so the bars add up on the scale where they add and the axis
# still reads as a feasibility.
_TICKS = np.array([0.001, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9,
                   0.95, 0.98, 0.99, 0.999])
NEGLIGIBLE = 1e-9
# The drivers' names take at most this share of the chart's width, on as many lines as they need: in a half column
# a long name (a Russian one above all) on one line left the bars a sliver.
LABEL_SHARE = 0.4


def waterfall(contributions: pd.DataFrame, capital: str, option_label: str, *, large: bool = False,
              lang: str = i18n.DEFAULT) -> go.Figure:
    """From the 2016 baseline, through each driver's push, to the option's feasibility now, in log-odds.

    ``contributions``: rows of :meth:`Model.contributions` for one capital and one option (their labels in
    ``lang``: :func:`dashboard.model.explain.term_labels`). Terms that push by nothing (drivers at their baseline)
    are left out; the summary says how many. ``lang``: the language of the chart's own text.
    """
    _ = i18n.gettext_for(lang)
    rows = contributions.reset_index(drop=True)
    base = rows[rows["kind"] == "baseline"].iloc[0]
    moved = rows[rows["kind"].isin(["driver", "interaction", "event"]) & (rows["value"].abs() > NEGLIGIBLE)]
    capped = rows[(rows["kind"] == "constraint") & (rows["value"].abs() > NEGLIGIBLE)]
    # Largest push first; a hard limit comes last, since it applies after the drivers.
    pushes = pd.concat([moved.reindex(moved["value"].abs().sort_values(ascending=False).index), capped])
    total = float(rows["value"].sum())
    st = CAPITALS[capital]
    who = capital_name(capital, lang)

    labels = [_("2016 base term"), *pushes["label"], _("Now")]
    steps = np.array([float(base["value"]), *pushes["value"].astype(float)])
    path = np.cumsum(steps)
    # Room beyond the extreme bars for the values written past their ends: the plot area clips text.
    lo = min(path.min(), total) - 0.8
    hi = max(path.max(), total) + 0.8
    # Bars are drawn from `base`, the left edge of the axis, so the baseline and total read as ordinary bars
    # ending at their feasibility; the first value is therefore the baseline's log-odds minus `base`.
    values = [steps[0] - lo, *steps[1:], total - lo]
    text = [pct(expit(base["value"]), lang), *[f"{v:+.2f}" for v in pushes["value"]], pct(expit(total), lang)]
    trace = dict(
        type="waterfall", orientation="h", y=labels, x=values, base=lo,
        measure=["absolute", *["relative"] * len(pushes), "total"],
        text=text, textposition="outside", cliponaxis=True,
        increasing=dict(marker=dict(color="#009E73")),  # Okabe-Ito green: raises feasibility
        decreasing=dict(marker=dict(color="#CC79A7")),  # Okabe-Ito reddish purple: lowers it
        totals=dict(marker=dict(color=st.color)),
        connector=dict(line=dict(color="#999", width=1, dash="dot")),
        hovertemplate="%{y}: %{x:+.2f} " + _("log-odds") + "<extra></extra>",
        name=who,
    )
    size = FONT["size"] * (1.35 if large else 1.0)
    shown = [wrap(label, HALF_WIDTH * LABEL_SHARE, size) for label in labels]
    lines = max(line_count(s) for s in shown)
    # Ticks far enough apart for their labels ("40 %") to stand upright side by side in the narrowest plot area:
    # Plotly tilts labels that would touch, and tilted ones ran into the axis title.
    plot_px = HALF_WIDTH * (1 - LABEL_SHARE) - 40
    gap = 3.2 * size * (hi - lo) / plot_px  # log-odds between two labels' centres
    ticks: list[float] = []
    for t in _TICKS[(logit(_TICKS) >= lo) & (logit(_TICKS) <= hi)]:
        if not ticks or logit(t) - logit(ticks[-1]) >= gap:
            ticks.append(float(t))
    layout = dict(
        xaxis=dict(title=dict(text=_("Feasibility (bars add in log-odds)")), range=[lo, hi],
                   tickvals=logit(np.array(ticks)), ticktext=[pct(t, lang) for t in ticks], tickangle=0),
        yaxis=dict(autorange="reversed", showgrid=False, tickmode="array", tickvals=labels, ticktext=shown),
    )

    quiet = int(((rows["kind"] == "driver") & (rows["value"].abs() <= NEGLIGIBLE)).sum())
    biggest = pushes.loc[pushes["value"].abs().idxmax()] if len(pushes) else None
    then, now = pct(expit(base["value"]), lang), pct(expit(total), lang)
    if biggest is not None:
        template = (_("For {capital}, {option} goes from its 2016 base term of {then} to {now} now; the largest push "
                      "is {driver}, which raises it ({push} log-odds). {quiet} drivers push by nothing (at their 2016 "
                      "value, or given no weight for this option).") if biggest["value"] > 0 else
                    _("For {capital}, {option} goes from its 2016 base term of {then} to {now} now; the largest push "
                      "is {driver}, which lowers it ({push} log-odds). {quiet} drivers push by nothing (at their 2016 "
                      "value, or given no weight for this option)."))
        summary = template.format(capital=who, option=option_label, then=then, now=now, driver=biggest["label"],
                                  push=f"{biggest['value']:+.2f}", quiet=quiet)
    else:
        summary = _("For {capital}, {option} is {now}, its 2016 base term: nothing pushes it.").format(
            capital=who, option=option_label, now=now)
    title = _("{capital}: why {option} is at {now}").format(capital=who, option=option_label, now=now)
    row = max(38, lines * size * LINE_EM + 12)  # a name on two lines needs a taller row than one on a line
    return figure([trace], layout, title, summary, large=large, width=HALF_WIDTH, plot_height=row * len(labels))
