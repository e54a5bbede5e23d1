"""The Why page's waterfall: from the 2016 base term, through each driver's push, to the score now."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, logit

from dashboard.charts import summary_of, theme, why
from dashboard.model.explain import pct

CASES = [("tokyo", "declaration_1956"),  # drivers and the election interaction move it
         ("moscow", "two_plus_two"),  # Moscow's hard limit binds
         ("moscow", "four_islands"),  # the hard limit binds by a little
         ("moscow", "declaration_1956_plus_zone")]


def _rows(contributions, capital, option):
    return contributions[(contributions["capital"] == capital) & (contributions["option"] == option)]


def _waterfall(contributions, labels, capital, option):
    return why.waterfall(_rows(contributions, capital, option), capital, labels[option]).data[0]


@pytest.mark.parametrize(("capital", "option"), CASES)
def test_bars_add_up_to_the_log_odds_of_the_score(contributions, scores, labels, capital, option):
    w = _waterfall(contributions, labels, capital, option)
    x = np.asarray(w.x, dtype=float)
    assert list(w.measure) == ["absolute", *["relative"] * (len(x) - 2), "total"]
    target = logit(scores.at[option, capital])
    assert w.base + x[0] + x[1:-1].sum() == pytest.approx(target, abs=1e-9)
    assert w.base + x[-1] == pytest.approx(target, abs=1e-12)
    base = _rows(contributions, capital, option).query("kind == 'baseline'")["value"].item()
    assert w.base + x[0] == pytest.approx(base, abs=1e-12)
    # The first and last bars read as feasibilities: the 2016 base term and the score now.
    assert (w.y[0], w.y[-1]) == ("2016 base term", "Now")
    assert (w.text[0], w.text[-1]) == (pct(expit(base)), pct(scores.at[option, capital]))


def test_only_terms_that_push_are_drawn_largest_first(contributions, labels):
    rows = _rows(contributions, "tokyo", "declaration_1956")
    moving = rows[rows["kind"].isin(["driver", "interaction"]) & (rows["value"] != 0)]
    assert 0 < len(moving) < (rows["kind"] == "driver").sum()  # some drivers are left at their baseline
    w = _waterfall(contributions, labels, "tokyo", "declaration_1956")
    assert sorted(w.y[1:-1]) == sorted(moving["label"])
    sizes = np.abs(np.asarray(w.x[1:-1], dtype=float))
    assert np.all(np.diff(sizes) <= 0)
    assert (moving["kind"] == "interaction").any()  # the election interaction is drawn like a driver


def test_hard_limit_comes_last_when_it_binds_and_is_left_out_otherwise(contributions, labels):
    rows = _rows(contributions, "moscow", "two_plus_two")
    limit = rows[rows["kind"] == "constraint"].iloc[0]
    assert limit["value"] < 0
    w = _waterfall(contributions, labels, "moscow", "two_plus_two")
    assert w.y[-2] == limit["label"]
    assert w.x[-2] == pytest.approx(limit["value"], abs=0)

    free = _rows(contributions, "moscow", "declaration_1956_plus_zone")
    assert (free.loc[free["kind"] == "constraint", "value"] == 0).all()
    w = _waterfall(contributions, labels, "moscow", "declaration_1956_plus_zone")
    assert not {"No hard constraint", limit["label"]} & set(w.y)


def test_pushes_are_written_as_signed_numbers(contributions, labels):
    """Up and down are told by the sign written on each bar, not only by its colour."""
    w = _waterfall(contributions, labels, "tokyo", "declaration_1956")
    for value, text in zip(w.x[1:-1], w.text[1:-1], strict=True):
        assert text == f"{value:+.2f}"
    assert w.increasing.marker.color != w.decreasing.marker.color


@pytest.mark.parametrize("capital", ["moscow", "tokyo"])
def test_total_bar_takes_the_capitals_colour(contributions, labels, capital):
    w = _waterfall(contributions, labels, capital, "declaration_1956")
    assert w.totals.marker.color == theme.CAPITALS[capital].color


def test_summary_names_capital_option_largest_push_and_count_left_out(contributions, labels):
    rows = _rows(contributions, "tokyo", "declaration_1956")
    pushes = rows[rows["kind"].isin(["driver", "interaction"])]
    top = pushes.loc[pushes["value"].abs().idxmax()]
    silent = int(((rows["kind"] == "driver") & (rows["value"] == 0)).sum())
    fig = why.waterfall(rows, "tokyo", labels["declaration_1956"])
    summary = summary_of(fig)
    assert summary.startswith(f"For Tokyo, {labels['declaration_1956']} goes from")
    assert f"largest push is {top['label']}, which {'raises' if top['value'] > 0 else 'lowers'} it" in summary
    assert f"{silent} drivers" in summary
    assert "Tokyo" in fig.layout.title.text and labels["declaration_1956"] in fig.layout.title.text


def test_at_the_2016_baseline_only_the_base_and_now_bars_remain(model, labels):
    c = model.contributions(None)
    fig = why.waterfall(_rows(c, "tokyo", "economy_first"), "tokyo", labels["economy_first"])
    assert list(fig.data[0].y) == ["2016 base term", "Now"]
    assert "nothing pushes it" in summary_of(fig)
