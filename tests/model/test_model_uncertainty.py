"""Drawing the model's own numbers: ranges are sound, signs hold in every draw, drivers-only results are unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from scipy import stats
from scipy.special import expit, logit

from dashboard.model import DataError
from dashboard.model import analysis as an
from dashboard.model.loader import read_data

LADDER = (0.25, 0.5, 1, 1.5, 2, 3, 4)  # the coefficients.yaml header's rule


def test_every_range_contains_its_value_and_keeps_its_sign(model):
    p = model.parameters
    drawn = p[p["drawn"]]
    assert set(drawn["kind"]) == {"base", "weight", "interaction", "half_life", "ceiling"}
    assert ((drawn["plausible_low"] <= drawn["value"]) & (drawn["value"] <= drawn["plausible_high"])).all()
    pos, neg = drawn["sign"] == "positive", drawn["sign"] == "negative"
    assert (drawn.loc[pos, "plausible_low"] > 0).all() and (drawn.loc[neg, "plausible_high"] < 0).all()
    assert drawn["plausible_source"].str.len().gt(20).all()
    # Every non-zero weight is drawn; the zeros the op-ed leaves are not invented.
    weights = p[p["kind"].isin(["weight", "interaction"])]
    assert (weights["drawn"] == (weights["value"] != 0)).all()


def test_weight_ranges_follow_the_ladder_rule_or_say_why(model):
    for entry in [*model.data.coefficients.weights, *model.data.coefficients.interactions.values()]:
        if entry.plausible_note:
            continue
        for option, w in entry.weights.items():
            a = abs(w)
            expected = sorted(np.sign(w) * np.array([max(s for s in LADDER if s < a), min(s for s in LADDER if s > a)]))
            assert list(entry.plausible[option]) == pytest.approx(expected), (entry.capital, entry.driver, option)


def test_probability_ranges_are_one_log_odds_either_side(model):
    p = model.parameters
    probs = p[p["plausible_scale"] == "log-odds"]
    assert len(probs) == 15  # 14 base terms and the Article 9 ceiling
    for _, r in probs.iterrows():
        assert r["plausible_low"] == pytest.approx(expit(logit(r["value"]) - 1), abs=0.01)
        assert r["plausible_high"] == pytest.approx(expit(logit(r["value"]) + 1), abs=0.01)


@pytest.mark.parametrize("file, old, new, expected", [
    ("options.yaml", "plausible: {low: 0.67, high: 0.94}", "plausible: {low: 0.9, high: 0.94}",
     "economy_first.moscow: baseline_feasibility 0.85 is outside its plausible range 0.9-0.94"),
    ("coefficients.yaml", "economy_first: [1, 2], joint_economic_zone: [1, 2]",
     "economy_first: [-1, 2], joint_economic_zone: [1, 2]", "reaches zero or beyond; the entry's sign is positive"),
    ("coefficients.yaml", "four_islands: [-4, -2]}", "}", "plausible: no range for four_islands"),
    ("constraints.yaml", "ceiling_plausible: {low: 0.018, high: 0.126}", "ceiling_plausible: {low: 0.018, high: 1}",
     "moscow_article9_limit.ceiling_plausible.high: Input should be less than 1"),
])
def test_a_bad_range_is_reported_by_file_and_field(data_copy, file, old, new, expected):
    path = data_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError) as e:
        read_data(data_copy)
    assert any(p.startswith(file) and expected in p for p in e.value.problems), e.value.problems


@settings(max_examples=25, deadline=None)
@given(seed=hst.integers(0, 2**32 - 1))
def test_no_draw_flips_a_sign_or_leaves_a_range(model, seed):
    mc = an.monte_carlo(model, 200, seed=seed, scope="drivers_and_model")
    u = model.uncertain_numbers()
    s = mc.model_samples[u.index]
    assert (s.ge(u["plausible_low"] - 1e-12) & s.le(u["plausible_high"] + 1e-12)).all().all()
    pos, neg = u.index[u["sign"] == "positive"], u.index[u["sign"] == "negative"]
    assert (s[pos] > 0).all().all() and (s[neg] < 0).all().all()


def test_drawn_numbers_score_as_overrides_of_the_model(model):
    """Each draw is the model with those numbers set, as an analyst would set them on the Weights page."""
    mc = an.monte_carlo(model, 50, seed=4, scope="drivers_and_model")
    for draw in (0, 17, 49):
        m = model.with_overrides(mc.model_samples.iloc[draw].to_dict())
        expected = m.score(mc.samples.iloc[draw].to_dict())
        got = mc.scores[mc.scores["draw"] == draw].set_index("option")[["moscow", "tokyo", "joint"]]
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-12)


def test_drivers_scope_is_the_drivers_only_analysis(model):
    """Drivers only: uniform draws mapped through each driver's distribution, as before the model could be drawn."""
    mc = an.monte_carlo(model, 400, seed=11)
    assert mc.scope == "drivers" and mc.model_samples is None
    a = model.assumptions
    u = np.random.default_rng(11).random((400, len(a)))
    for i, (d, r) in enumerate(a.iterrows()):
        lo, hi = r["low"], r["high"]
        want = (stats.triang.ppf(u[:, i], c=(r["baseline"] - lo) / (hi - lo), loc=lo, scale=hi - lo)
                if r["shape"] == "triangular" else lo + u[:, i] * (hi - lo))
        np.testing.assert_allclose(mc.samples[d].to_numpy(), want, atol=1e-12)
    # The same driver draws in the other scope, so the two can be compared draw by draw.
    both = an.monte_carlo(model, 400, seed=11, scope="drivers_and_model")
    assert both.samples.equals(mc.samples)


def test_sobol_over_drivers_matches_salibs_own_sampling(model):
    """The drivers-only Sobol indices are those of SALib sampling the drivers' triangles and uniforms itself."""
    from SALib.analyze import sobol as sa
    from SALib.sample import sobol as ss

    a = model.assumptions
    problem = {"num_vars": len(a), "names": list(a.index),
               "bounds": [[r["low"], r["high"], (r["baseline"] - r["low"]) / (r["high"] - r["low"])]
                          if r["shape"] == "triangular" else [r["low"], r["high"]] for _, r in a.iterrows()],
               "dists": ["triang" if s == "triangular" else "unif" for s in a["shape"]]}
    x = ss.sample(problem, 64, calc_second_order=False, seed=5)
    y = model.evaluate(x)[:, 1, model.option_ids.index("declaration_1956")]
    want = sa.analyze(problem, y, calc_second_order=False, seed=5)
    got = an.sobol(model, 64, seed=5, outputs=("tokyo",))
    got = got[got["option"] == "declaration_1956"]
    np.testing.assert_allclose(got["ST"].to_numpy(), want["ST"], atol=1e-12)
    np.testing.assert_allclose(got["S1"].to_numpy(), want["S1"], atol=1e-12)


def test_drawing_the_models_numbers_makes_the_2016_leader_less_certain(model):
    only = an.monte_carlo(model, 4000, seed=2016)
    both = an.monte_carlo(model, 4000, seed=2016, scope="drivers_and_model")
    leader = only.rank_first.idxmax()
    assert an.share_first(both, leader) < an.share_first(only, leader)
    settlement = only.rank_first_settlement.idxmax()
    assert an.share_first(both, settlement, "settlements") < an.share_first(only, settlement, "settlements")


def test_per_draw_ranks_agree_with_the_shares(model):
    mc = an.monte_carlo(model, 300, seed=3, scope="drivers_and_model")
    assert (mc.ranks.min(axis=1) == 1).all() and (mc.ranks.max(axis=1) == len(model.option_ids)).all()
    first = mc.ranks.idxmin(axis=1)
    assert first.equals(mc.first.rename(None)) or (first.to_numpy() == mc.first.to_numpy()).all()
    for o in model.option_ids:
        assert an.share_first(mc, o) == pytest.approx((mc.first == o).mean())
    assert an.share_first(mc, "economy_first", "settlements") == 0.0  # it settles no border
    with pytest.raises(ValueError, match="Unknown option"):
        an.share_first(mc, "nope")


def test_model_scope_holds_the_drivers(model):
    mc = an.monte_carlo(model, 100, seed=1, scope="model", centre={"japan_public_support": 30})
    assert (mc.samples["japan_public_support"] == 30).all()
    assert mc.model_samples is not None
    with pytest.raises(ValueError, match="Unknown scope"):
        an.monte_carlo(model, 10, scope="everything")


def test_overridden_numbers_are_held_at_the_override(model):
    key = "base.tokyo.economy_first"
    m = model.with_overrides({key: 0.3})
    assert key not in m.uncertain_numbers().index
    mc = an.monte_carlo(m, 50, seed=2, scope="drivers_and_model")
    assert key not in mc.model_samples.columns


def test_the_first_place_depends_most_on_a_number_that_moves_the_leader_or_its_rivals(model):
    imp = an.ranking_importance(model, 64, seed=1)
    leader = imp.attrs["leader"]
    top = imp.iloc[0]
    # Tokyo's and Moscow's own numbers enter the lead only through an option's joint feasibility: the top input is
    # the leader's or a rival's number, or a driver.
    assert top["kind"] == "driver" or any(o in top["input"] for o in model.option_ids)
    assert list(imp["ST"]) == sorted(imp["ST"], reverse=True)
    assert leader == model.score().loc[:, "joint"].idxmax()
    # The leader's own base terms move its lead more than any weight of Russian opposition, which the op-ed ties
    # only to options that hand over territory, not to the 2016 leader.
    base = imp[imp["input"].isin([f"base.tokyo.{leader}", f"base.moscow.{leader}"])]
    assert base["ST"].max() > imp.loc[imp["input"].str.contains("russia_public_opposition"), "ST"].max()
