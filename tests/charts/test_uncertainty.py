"""The Uncertainty page: score distributions, the chance of ranking first, Sobol' indices."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts import summary_of, theme, uncertainty
from dashboard.model import analysis
from dashboard.model.explain import pct
from tests.charts.helpers import arr

OPTION = "declaration_1956"


def test_boxes_are_drawn_from_the_monte_carlo_quantiles(monte, labels):
    fig = uncertainty.distributions(monte.summary, labels, 500)
    s = monte.summary
    assert [t.name for t in fig.data] == ["Moscow", "Tokyo", "Both"]
    for t, output in zip(fig.data, ("moscow", "tokyo", "joint"), strict=True):
        assert list(t.y) == [labels[o] for o in s.index]
        for attr, col in (("lowerfence", "p05"), ("q1", "p25"), ("median", "p50"), ("q3", "p75"),
                          ("upperfence", "p95"), ("mean", "mean")):
            np.testing.assert_array_equal(arr(getattr(t, attr)), s[f"{output}_{col}"].to_numpy(), err_msg=attr)


def test_distribution_summary_names_the_least_certain_option(monte, labels):
    s = monte.summary
    widest = (s["joint_p95"] - s["joint_p05"]).idxmax()
    summary = summary_of(uncertainty.distributions(s, labels, 500))
    assert "Over 500 draws" in summary
    assert f"{labels[widest]} is the least certain" in summary
    assert f"between {pct(s.at[widest, 'joint_p05'])} and {pct(s.at[widest, 'joint_p95'])}" in summary


def test_rank_first_bars_are_the_shares_and_sum_to_one(monte, labels):
    fig = uncertainty.rank_first(monte.rank_first, labels)
    (bar,) = fig.data
    assert list(bar.y) == [labels[o] for o in monte.rank_first.index]
    np.testing.assert_array_equal(arr(bar.x), monte.rank_first.to_numpy())
    assert arr(bar.x).sum() == pytest.approx(1.0, abs=1e-12)
    assert list(bar.text) == [pct(v) for v in monte.rank_first]  # written on the bars, not left to colour
    assert bar.marker.color == theme.CAPITALS["joint"].color
    top = monte.rank_first.idxmax()
    assert summary_of(fig) == f"{labels[top]} ranks first in {pct(monte.rank_first[top])} of draws."


def test_sobol_bars_are_sorted_by_total_index_with_error_bars(sobol_tokyo, labels):
    rows = sobol_tokyo[sobol_tokyo["option"] == OPTION]
    fig = uncertainty.sobol_indices(rows, "tokyo", labels[OPTION], top=8)
    expected = rows.sort_values("ST", ascending=False).head(8)
    total, alone = fig.data
    for bar, col in ((total, "ST"), (alone, "S1")):
        assert list(bar.y) == list(expected["label"])
        np.testing.assert_array_equal(arr(bar.x), expected[col].to_numpy())
        np.testing.assert_array_equal(arr(bar.error_x.array), expected[f"{col}_conf"].to_numpy())
        assert bar.error_x.type == "data"
    assert np.all(np.diff(arr(total.x)) <= 0)
    assert total.marker.pattern.shape != alone.marker.pattern.shape
    assert fig.layout.xaxis.range[1] >= max(1.0, rows["ST"].max())


def test_sobol_summary_names_the_main_source_capital_and_option(sobol_tokyo, labels):
    rows = sobol_tokyo[sobol_tokyo["option"] == OPTION]
    first = rows.loc[rows["ST"].idxmax()]
    summary = summary_of(uncertainty.sobol_indices(rows, "tokyo", labels[OPTION]))
    assert summary.startswith(f"{first['label']} accounts for the largest share")
    assert f"Tokyo's feasibility of {labels[OPTION]}" in summary
    assert f"(total index {first['ST']:.2f})" in summary


def test_sobol_of_a_score_held_by_a_hard_limit_says_it_does_not_vary(model, labels):
    """Moscow's view of two-now-two-later sits at its ceiling in every draw, so every index is 0."""
    s = analysis.sobol(model, 16, seed=1, outputs=("moscow",))
    rows = s[s["option"] == "two_plus_two"]
    assert (rows[["S1", "ST"]] == 0).all().all()
    fig = uncertainty.sobol_indices(rows, "moscow", labels["two_plus_two"])
    assert summary_of(fig) == f"Moscow's feasibility of {labels['two_plus_two']} does not vary with the drivers."


def test_first_place_chart_shows_the_largest_total_indices_by_kind(model, labels):
    imp = analysis.ranking_importance(model, 32, seed=3)
    fig = uncertainty.ranking_importance(imp, labels[imp.attrs["leader"]], "all", top=6)
    own, drivers = fig.data
    top = imp.head(6)
    is_driver = (top["kind"] == "driver").to_numpy()
    np.testing.assert_array_equal(np.nan_to_num(arr(own.x)), np.where(~is_driver, top["ST"], 0))
    np.testing.assert_array_equal(np.nan_to_num(arr(drivers.x)), np.where(is_driver, top["ST"], 0))
    assert own.marker.pattern.shape != drivers.marker.pattern.shape  # told apart without colour
    summary = summary_of(fig)
    assert summary.startswith(f"Whether {labels[imp.attrs['leader']]} stays first among all options depends most on")
    assert f"(total index {imp['ST'].iloc[0]:.2f})" in summary
