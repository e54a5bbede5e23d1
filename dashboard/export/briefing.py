"""Everything an export shows about one scenario, computed once: scores, reasons, charts, assumptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import briefing as briefing_charts
from dashboard.charts import history as history_charts
from dashboard.charts import why as why_charts
from dashboard.model import Model
from dashboard.model.explain import Explanation, assumptions_table, explain, option_labels, pct, term_labels
from dashboard.model.history import checkpoint_label, day, events_table, history_scores, track_record


@dataclass(frozen=True)
class Briefing:
    """One scenario, ready to export."""

    model: Model  # with any overrides applied
    values: dict[str, float]
    option: str
    title: str
    note: str
    share_link: str
    made_at: dt.datetime
    explanation: Explanation
    charts: dict[str, go.Figure] = field(default_factory=dict)  # name -> figure, in the order to show
    lang: str = i18n.DEFAULT  # the language of the pack's and the slides' text (the numbers are the same in all)

    @property
    def assumptions(self) -> pd.DataFrame:
        """The values in force with their units, 2016 values and sources."""
        return assumptions_table(self.model, self.values, lang=self.lang)

    @property
    def track_record(self) -> pd.DataFrame:
        """At each checkpoint, the model's first-ranked option (jointly, among settlements) against what happened."""
        if not self.model.data.checkpoints:
            return pd.DataFrame()
        _ = i18n.gettext_for(self.lang)
        t = track_record(self.model, lang=self.lang)
        verdict = {True: _("hit"), False: _("miss")}

        def ranked(labels, joints) -> list[str]:
            return [_("{option} ({joint})").format(option=a, joint=pct(j, self.lang))
                    for a, j in zip(labels, joints, strict=True)]

        return pd.DataFrame({
            _("Date"): [day(dt.date.fromisoformat(d), self.lang) for d in t["date"]], _("Checkpoint"): t["title"],
            _("First (all)"): ranked(t["first_label"], t["first_joint"]), _("Hit"): t["hit"].map(verdict),
            _("First settlement"): ranked(t["first_settlement_label"], t["first_settlement_joint"]),
            _("Hit (settlements)"): t["hit_settlement"].map(verdict),
            _("What happened"): t["happened"],
        })

    @property
    def overrides(self) -> pd.DataFrame:
        p = self.model.parameters
        keys = list(self.model.overrides)
        return pd.DataFrame({"Parameter": [p.at[k, "label"] for k in keys],
                             "Value in force": [p.at[k, "value"] for k in keys],
                             "Data value": [p.at[k, "default"] for k in keys]})


def key_charts(model: Model, e: Explanation, option: str, *, large: bool = False,
               lang: str = i18n.DEFAULT) -> dict[str, go.Figure]:
    """The key charts of a briefing: the map, the bars, and why (both capitals) for the option examined."""
    labels = option_labels(model, lang, "short_label")
    threshold = model.acceptance_threshold
    c = e.contributions
    charts = {
        "map": briefing_charts.feasibility_map(e.scores, labels, threshold, option, large=large, lang=lang),
        "bars": briefing_charts.score_bars(e.scores, labels, threshold, option, large=large, lang=lang),
    }
    for capital in ("moscow", "tokyo"):
        rows = term_labels(model, c[(c["capital"] == capital) & (c["option"] == option)], lang)
        charts[f"why_{capital}"] = why_charts.waterfall(rows, capital, labels[option], large=large, lang=lang)
    if model.data.checkpoints:  # the dated history, with the op-ed's weights (and any overrides) at every date
        names = {cp.id: checkpoint_label(model, cp, lang) for cp in model.data.checkpoints}
        charts["history"] = history_charts.timeline(history_scores(model), events_table(model, lang), labels,
                                                    threshold, large=large, names=names, lang=lang)
    return charts


def build_briefing(model: Model, values: Mapping[str, float], option: str, *, title: str = "", note: str = "",
                   share_link: str = "", made_at: dt.datetime | None = None, lang: str = i18n.DEFAULT) -> Briefing:
    """Score the scenario and draw the key charts: the map, the bars, and why for the option examined.

    ``lang``: the language of the headline, the reasons, the charts' text and the pack's and slides' headings.
    """
    e = explain(model, values, lang=lang)
    charts = key_charts(model, e, option, lang=lang)
    _ = i18n.gettext_for(lang)
    return Briefing(model, dict(values), option, title or _("Custom scenario"), note,
                    share_link, made_at or dt.datetime.now(dt.UTC).replace(microsecond=0), e, charts, lang)
