"""The headline and reasons say what the scores say."""

from __future__ import annotations

from dashboard.model.explain import explain, format_value, pct


def test_headline_names_the_best_option_and_its_joint_score(model):
    e = explain(model, {})
    best = e.scores["joint"].idxmax()
    assert e.best == best
    assert model.options.at[best, "label"] in e.headline
    assert pct(e.scores.at[best, "joint"]) in e.headline


def test_headline_lists_only_options_both_capitals_accept(model):
    e = explain(model, {})
    t = model.acceptance_threshold
    both = e.scores[(e.scores["moscow"] >= t) & (e.scores["tokyo"] >= t)]
    assert set(e.acceptable) == set(both.index)


def test_headline_says_when_no_option_is_acceptable_to_both(model):
    e = explain(model, {"japan_public_support": 0, "japan_bloc_fear": 0, "japan_growth_pessimism": 0,
                        "japan_china_threat": 0, "china_capital_reliance": 0})
    assert e.acceptable == []
    assert e.headline.startswith("No option is acceptable to both capitals")


def test_reason_names_the_driver_that_moved_the_score_most(model):
    e = explain(model, {"russia_public_opposition": 20})
    text = e.reasons.at["declaration_1956", "moscow"]
    assert "Russian opposition to a handover at 20%" in text and "up from 45%" in text
    assert e.reasons.at["declaration_1956", "tokyo"].endswith("as at the 2016 baseline.")


def test_reason_shows_a_binding_hard_limit(model):
    text = explain(model, {}).reasons.at["two_plus_two", "moscow"]
    assert "hard limit" in text and "¶16" in text


def test_values_are_written_with_their_units():
    assert format_value(54, "%") == "54%"
    assert format_value(1, "months") == "1 month"
    assert format_value(80, "index 0-100") == "80/100"
    assert pct(0.001) == "<1%" and pct(0.999) == ">99%" and pct(0.5) == "50%"


def test_headline_never_calls_an_option_acceptable_that_one_capital_refuses(model):
    """The best joint score can belong to an option one capital refuses; the headline must say so, not hide it."""
    m = model.with_overrides({"ceiling.moscow_article9_limit": 1.0, "base.moscow.four_islands": 0.49,
                              "base.tokyo.economy_first": 0.5})
    e = explain(m, {})
    assert e.best == "four_islands" and e.acceptable == ["economy_first"]
    label = m.options["label"]
    assert e.headline.startswith(f"Only {label['economy_first']} is acceptable to both capitals")
    assert f"{label['four_islands']} has a higher joint feasibility" in e.headline
    assert "Moscow would more likely than not refuse it" in e.headline
