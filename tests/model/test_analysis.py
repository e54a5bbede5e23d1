"""Sweeps, grids, tornado, Monte Carlo and Sobol agree with single scores and behave as statistics should."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.model import analysis as an

SCENARIO = {"japan_public_support": 62, "russia_public_opposition": 60}


def test_sweep_matches_single_scores_at_every_step(model):
    df = an.sweep(model, SCENARIO, "months_to_election")
    assert sorted(df["value"].unique()) == list(range(0, 49))
    for v in (0, 7, 48):
        rows = df[df["value"] == v].set_index("option")
        s = model.score({**SCENARIO, "months_to_election": v})
        np.testing.assert_allclose(rows[["moscow", "tokyo", "joint"]].to_numpy(), s.to_numpy(), atol=1e-15)


def test_grid_matches_single_scores(model):
    df = an.grid(model, SCENARIO, "japan_public_support", "months_to_election", points=5)
    assert len(df) == 25 * len(model.option_ids)
    row = df[(df["x"] == 25) & (df["y"] == 12) & (df["option"] == "declaration_1956")].iloc[0]
    s = model.score({**SCENARIO, "japan_public_support": 25, "months_to_election": 12})
    assert row["tokyo"] == pytest.approx(s.at["declaration_1956", "tokyo"], abs=1e-15)


def test_grid_needs_two_drivers(model):
    with pytest.raises(ValueError, match="two different drivers"):
        an.grid(model, None, "japan_public_support", "japan_public_support")


def test_tornado_swings_are_score_differences_largest_first(model):
    t = an.tornado(model, SCENARIO, "declaration_1956", "tokyo")
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    top = t.iloc[0]
    lo = model.score({**SCENARIO, top["driver"]: top["low"]}).at["declaration_1956", "tokyo"]
    hi = model.score({**SCENARIO, top["driver"]: top["high"]}).at["declaration_1956", "tokyo"]
    assert top["score_low"] == pytest.approx(lo) and top["score_high"] == pytest.approx(hi)
    # Moscow's drivers cannot move Tokyo's score.
    assert t.set_index("driver").at["russia_public_opposition", "swing"] == 0


def test_tornado_full_span_uses_the_scales(model):
    a = model.assumptions
    t = an.tornado(model, None, "declaration_1956", "moscow", span="full").set_index("driver").reindex(a.index)
    assert (t["low"] == a["min"]).all() and (t["high"] == a["max"]).all()


def test_monte_carlo_is_reproducible_by_seed(model):
    a = an.monte_carlo(model, 500, seed=7)
    b = an.monte_carlo(model, 500, seed=7)
    c = an.monte_carlo(model, 500, seed=8)
    assert a.samples.equals(b.samples) and a.scores.equals(b.scores)
    assert not a.samples.equals(c.samples)


def test_monte_carlo_draws_stay_in_the_plausible_ranges(model):
    mc = an.monte_carlo(model, 2000, seed=1)
    a = model.assumptions
    assert (mc.samples.min() >= a["low"] - 1e-9).all() and (mc.samples.max() <= a["high"] + 1e-9).all()
    # Triangular drivers peak at the baseline: their sample median sits near it.
    tri = a.index[a["shape"] == "triangular"]
    width = a.loc[tri, "high"] - a.loc[tri, "low"]
    assert ((mc.samples[tri].median() - a.loc[tri, "baseline"]).abs() < 0.15 * width).all()
    assert mc.rank_first.sum() == pytest.approx(1.0)
    assert set(mc.rank_first.index) == set(model.option_ids)


def test_monte_carlo_can_centre_on_a_scenario(model):
    mc = an.monte_carlo(model, 2000, seed=1, centre={"japan_public_support": 20})
    assert mc.samples["japan_public_support"].median() == pytest.approx(20, abs=1.5)


def test_monte_carlo_summary_quantiles_are_ordered(model):
    s = an.monte_carlo(model, 1000, seed=3).summary
    for out in ("moscow", "tokyo", "joint"):
        q = s[[f"{out}_p05", f"{out}_p25", f"{out}_p50", f"{out}_p75", f"{out}_p95"]].to_numpy()
        assert (np.diff(q, axis=1) >= -1e-12).all()


def test_sobol_finds_what_drives_each_score(model):
    s = an.sobol(model, 256, seed=2, outputs=("tokyo", "moscow"))
    tokyo = s[(s["output"] == "tokyo") & (s["option"] == "declaration_1956")].set_index("driver")
    # Russian opinion has no weight in Tokyo's view: its total index is nil within its confidence.
    assert tokyo.at["russia_public_opposition", "ST"] <= tokyo.at["russia_public_opposition", "ST_conf"] + 0.01
    assert tokyo["ST"].idxmax() in {e.driver for e in model.data.coefficients.weights if e.capital == "tokyo"}
    capped = s[(s["output"] == "moscow") & (s["option"] == "two_plus_two")]
    assert (capped["ST"] == 0).all()


def test_sobol_needs_a_power_of_two(model):
    with pytest.raises(ValueError, match="power of two"):
        an.sobol(model, 1000)


def test_unknown_names_are_refused(model):
    with pytest.raises(ValueError, match="Unknown driver"):
        an.sweep(model, None, "nope")
    with pytest.raises(ValueError, match="Unknown option"):
        an.tornado(model, None, "nope", "tokyo")
    with pytest.raises(ValueError, match="Unknown output"):
        an.tornado(model, None, "declaration_1956", "beijing")
