"""The Method page's chart: the model's weights, every driver against every option, for each capital."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.theme import FULL_WIDTH, figure, panels
from dashboard.model.explain import capital_name


def weights_map(parameters: pd.DataFrame, driver_labels: Mapping[str, str], option_labels: Mapping[str, str],
                *, large: bool = False, lang: str = i18n.DEFAULT) -> go.Figure:
    """Heat map of the weights in force (log-odds across a driver's scale), one panel per capital.

    ``parameters``: :attr:`Model.parameters`; ``driver_labels`` and ``option_labels``: id -> label, in ``lang``.
    Green raises feasibility, purple lowers it; every cell is written, and overridden weights are marked with an
    asterisk. ``lang``: the language of the chart's own text (the numbers are the same in every language).
    """
    _ = i18n.gettext_for(lang)
    ngettext = i18n.ngettext_for(lang)
    w = parameters[parameters["kind"] == "weight"]
    drivers, options = list(driver_labels), list(option_labels)
    layout = panels([capital_name(c, lang) for c in ("moscow", "tokyo")], spacing=0.03)
    traces = []
    bound = max(1.0, float(w["value"].abs().max()))
    for col, capital in enumerate(("moscow", "tokyo"), start=1):
        k = "" if col == 1 else str(col)
        sub = w[w["capital"] == capital]
        z = sub.pivot(index="driver", columns="option", values="value").reindex(index=drivers, columns=options)
        flag = sub.pivot(index="driver", columns="option", values="overridden").reindex(index=drivers, columns=options)
        text = np.where(z.to_numpy() == 0, "", z.map(lambda v: f"{v:+g}").to_numpy())
        text = np.where(flag.to_numpy().astype(bool), np.char.add(text.astype(str), "*"), text)
        traces.append(dict(
            type="heatmap", xaxis=f"x{k}", yaxis=f"y{k}",
            z=z.to_numpy(), x=[option_labels[o] for o in options], y=[driver_labels[d] for d in drivers],
            zmin=-bound, zmax=bound, colorscale="PRGn", text=text, texttemplate="%{text}",
            showscale=col == 2, colorbar=dict(title=dict(text=_("Weight")), thickness=14),
            hovertemplate="%{y} → %{x}: %{z:+.2f}<extra>" + capital_name(capital, lang) + "</extra>",
        ))
        layout[f"xaxis{k}"] |= dict(tickangle=-35, showgrid=False)
        layout[f"yaxis{k}"] |= dict(autorange="reversed", showgrid=False)
    nonzero = int((w["value"] != 0).sum())
    n_over = int(w["overridden"].sum())
    strongest = w.loc[w["value"].abs().idxmax()]
    if lang == i18n.DEFAULT:
        name = strongest["label"]
    else:  # the parameter table's label is English: say it again from the labels given
        name = " · ".join([capital_name(strongest["capital"], lang), option_labels.get(strongest["option"], ""),
                           driver_labels.get(strongest["driver"], "")])
    summary = _("{nonzero} of {total} driver-option weights are non-zero; the strongest is {weight} ({value}).").format(
        nonzero=nonzero, total=len(w), weight=name, value=f"{strongest['value']:+g}")
    if n_over:
        summary += ngettext(" {n} weight is overridden (marked *).", " {n} weights are overridden (marked *).",
                            n_over).format(n=n_over)
    return figure(traces, layout, _("The model's weights (log-odds across each driver's scale)"), summary,
                  height=140 + 34 * len(drivers), large=large, width=FULL_WIDTH)
