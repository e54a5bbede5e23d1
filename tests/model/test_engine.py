"""The engine's public contract and the properties of its scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from dashboard.model import OUTPUTS
from tests.model.helpers import assert_contributions_add_up
from tests.model.strategies import scenarios

REQUIRED_DRIVERS = {"japan_public_support", "russia_public_opposition", "china_capital_reliance",
                    "months_to_election", "western_sanctions"}
REQUIRED_OPTIONS = {"economy_first", "joint_economic_zone", "declaration_1956", "declaration_1956_plus_zone",
                    "two_plus_two", "joint_management", "four_islands"}
COMPROMISES = ["economy_first", "joint_economic_zone", "declaration_1956", "declaration_1956_plus_zone",
               "two_plus_two", "joint_management"]


def test_required_drivers_and_columns(model):
    a = model.assumptions
    assert REQUIRED_DRIVERS <= set(a.index)
    assert {"label", "unit", "min", "max", "step", "baseline", "low", "high", "source"} <= set(a.columns)
    assert (a["min"] <= a["low"]).all() and (a["low"] < a["high"]).all() and (a["high"] <= a["max"]).all()
    assert a.at["months_to_election", "min"] == 0 and a.at["months_to_election", "max"] >= 48


def test_required_options_with_stances(model):
    o = model.options
    assert REQUIRED_OPTIONS <= set(o.index)
    for col in ("label", "description", "moscow_stance", "tokyo_stance", "moscow_source", "tokyo_source"):
        assert o[col].str.len().gt(0).all(), col
    assert o["moscow_source"].str.contains("¶").all() and o["tokyo_source"].str.contains("¶").all()


def test_baseline_score_shape_and_joint(model):
    s = model.score({})
    assert list(s.columns) == ["moscow", "tokyo", "joint"]
    assert set(s.index) == set(model.option_ids)
    assert ((s >= 0) & (s <= 1)).all().all()
    np.testing.assert_allclose(s["joint"], s["moscow"] * s["tokyo"], rtol=0, atol=1e-15)


def test_drivers_left_out_take_their_baseline(model):
    pd.testing.assert_frame_equal(model.score({}), model.score(model.baseline))
    one = model.score({"japan_public_support": 40})
    both = model.score({**model.baseline, "japan_public_support": 40})
    pd.testing.assert_frame_equal(one, both)


@pytest.mark.parametrize("bad, named", [
    ({"no_such_driver": 1}, "no_such_driver"),
    ({"japan_public_support": 101}, "japan_public_support"),
    ({"japan_public_support": -0.5}, "japan_public_support"),
    ({"months_to_election": float("nan")}, "months_to_election"),
    ({"western_sanctions": float("inf")}, "western_sanctions"),
    ({"western_sanctions": "50"}, "western_sanctions"),
    ({"western_sanctions": True}, "western_sanctions"),
])
def test_bad_input_names_driver_and_range(model, bad, named):
    with pytest.raises(ValueError) as e:
        model.score(bad)
    assert named in str(e.value)
    if named != "no_such_driver":
        lo, hi = model.assumptions.loc[named, ["min", "max"]]
        assert f"{lo:g} to {hi:g}" in str(e.value)


def test_ends_of_scale_are_valid(model):
    a = model.assumptions
    for col in ("min", "max"):
        s = model.score(a[col].to_dict())
        assert s.notna().all().all()


@given(scenarios())
@settings(max_examples=200, deadline=None)
def test_scores_are_probabilities_and_joint_is_product(model, scenario):
    s = model.score(scenario)
    assert ((s.to_numpy() >= 0) & (s.to_numpy() <= 1)).all()
    np.testing.assert_allclose(s["joint"], s["moscow"] * s["tokyo"], atol=1e-15)


@given(scenarios())
@settings(max_examples=200, deadline=None)
def test_contributions_add_up_to_the_score_exactly(model, scenario):
    assert_contributions_add_up(model, scenario)


@given(scenarios())
@settings(max_examples=100, deadline=None)
def test_batch_evaluation_matches_single_scores(model, scenario):
    x = np.vstack([model.vector(scenario), model.vector(None)])
    batch = model.evaluate(x)
    for row, sc in zip(batch, (scenario, None), strict=True):
        single = model.score(sc)
        for k, out in enumerate(OUTPUTS):
            np.testing.assert_allclose(row[k], single[out].to_numpy(), atol=1e-15)


def test_each_driver_moves_scores_in_the_direction_its_sign_states(model):
    """For every weight entry, raising the driver raises (positive) or lowers (negative) the log-odds."""
    model = model.with_events(model.data.events)  # every driver an event brings in is then in force
    a = model.assumptions
    interaction_drivers = {d for i in model.data.coefficients.interactions.values() for d in i.drivers}
    for entry in model.data.coefficients.weights:
        if entry.driver in interaction_drivers:
            continue  # its effect also runs through the interaction, tested below
        lo = model.log_odds(model.vector({entry.driver: a.at[entry.driver, "min"]})[None])[0]
        hi = model.log_odds(model.vector({entry.driver: a.at[entry.driver, "max"]})[None])[0]
        c = ("moscow", "tokyo").index(entry.capital)
        for option, w in entry.weights.items():
            j = model.option_ids.index(option)
            moved = hi[c, j] - lo[c, j]
            assert math.isclose(moved, w, abs_tol=1e-9), (entry.driver, option)
            assert np.sign(moved) == (1 if entry.sign == "positive" else -1) or w == 0


@pytest.mark.parametrize("support", [55, 65, 80, 100])
def test_near_election_makes_compromise_more_attractive_when_public_favours_it(model, support):
    months = np.arange(0, 49)
    for option in COMPROMISES:
        tokyo = [model.score({"japan_public_support": support, "months_to_election": m}).at[option, "tokyo"]
                 for m in months]
        assert np.all(np.diff(tokyo) < 0), option  # further away -> less attractive


@pytest.mark.parametrize("support", [0, 20, 35, 45])
def test_near_election_makes_compromise_less_attractive_when_public_opposes_it(model, support):
    months = np.arange(0, 49)
    for option in COMPROMISES:
        tokyo = [model.score({"japan_public_support": support, "months_to_election": m}).at[option, "tokyo"]
                 for m in months]
        assert np.all(np.diff(tokyo) > 0), option  # further away -> less punishing


def test_election_timing_does_not_move_moscow(model):
    near = model.score({"months_to_election": 0})
    far = model.score({"months_to_election": 48})
    pd.testing.assert_series_equal(near["moscow"], far["moscow"])


@given(scenarios())
@settings(max_examples=200, deadline=None)
def test_hard_ceilings_hold_in_every_scenario(model, scenario):
    s = model.score(scenario)
    for c in model.data.constraints.values():
        for option in c.options:
            assert s.at[option, c.capital] <= c.ceiling + 1e-15


def test_ceiling_shows_as_a_negative_constraint_term_when_it_binds(model):
    c = model.contributions({"russia_public_opposition": 0, "putin_standing": 100})
    row = c[(c.capital == "moscow") & (c.option == "two_plus_two") & (c.kind == "constraint")].iloc[0]
    assert row["term"] == "moscow_article9_limit" and row["value"] < 0
    free = c[(c.capital == "tokyo") & (c.kind == "constraint")]
    assert (free["value"] == 0).all()


def test_model_is_immutable(model):
    with pytest.raises(ValueError):
        model._weights[0, 0, 0] = 1.0
    a = model.assumptions
    a.loc["japan_public_support", "baseline"] = 0
    assert model.assumptions.at["japan_public_support", "baseline"] != 0

