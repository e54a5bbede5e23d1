"""The Library page's chart: one bar per scenario, at the joint feasibility of its most feasible option."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import library, summary_of


def test_each_scenario_is_a_bar_at_its_best_options_joint_feasibility(model):
    scores = model.score(None)
    best = scores["joint"].idxmax()
    rows = pd.DataFrame([
        {"name": "Now", "option": best, **scores.loc[best].to_dict()},
        {"name": "Saved", "option": "four_islands", "moscow": 0.02, "tokyo": 0.9, "joint": 0.018},
    ])
    fig = library.saved_results(rows, model.short_labels, model.acceptance_threshold)
    (bars,) = fig.data
    assert list(bars.y) == ["Now", "Saved"]
    assert list(bars.x) == [scores.at[best, "joint"], 0.018]
    assert bars.text[1].startswith(model.short_labels["four_islands"])  # the option is named, not only coloured
    assert "Highest joint feasibility: Now" in summary_of(fig)
