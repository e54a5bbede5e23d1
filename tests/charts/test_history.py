"""The History chart: every option for each capital on a date axis, events marked, what moved filled."""

from __future__ import annotations

from dashboard.charts.history import timeline
from dashboard.charts.theme import summary_of
from dashboard.model.history import events_table, history_scores


def test_the_timeline_plots_each_option_for_each_capital_at_every_checkpoint(model):
    scores, events = history_scores(model), events_table(model)
    fig = timeline(scores, events, model.option_labels, model.acceptance_threshold)
    assert len(fig.data) == 3 * len(model.option_ids)
    assert fig.layout.xaxis.type == "date"
    for t in fig.data:
        option = next(o for o, label in model.option_labels.items() if label == t.name)
        rows = scores[scores["option"] == option]
        output = {"y": "moscow", "y2": "tokyo", "y3": "joint"}[t.yaxis]
        assert list(t.y) == rows[output].tolist() and list(t.x) == rows["date"].tolist()
        # A filled (larger) marker exactly where the option moved in reality.
        filled = [not s.endswith("-open") for s in t.marker.symbol]
        assert filled == rows["happened"].tolist()
    lines = [s for s in fig.layout.shapes if s.yref == "paper"]
    assert sorted(s.x0 for s in lines) == sorted(events["date"])
    summary = summary_of(fig)
    assert "op-ed's weights throughout" in summary and all(f"{i}." in summary for i in range(1, len(events) + 1))
