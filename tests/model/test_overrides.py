"""An analyst can override the model's own numbers at run time, and every result says which ones."""

from __future__ import annotations

import math

import pytest
from scipy.special import logit

KEY = "weight.tokyo.japan_public_support.declaration_1956"


def test_override_changes_the_score_exactly_as_the_formula_says(model):
    scenario = {"japan_public_support": 80}
    before = model.score(scenario).at["declaration_1956", "tokyo"]
    after = model.score(scenario, overrides={KEY: 6.0}).at["declaration_1956", "tokyo"]
    a = model.assumptions.loc["japan_public_support"]
    shift = (80 - a["baseline"]) / (a["max"] - a["min"])
    expected = logit(before) + (6.0 - model.parameters.at[KEY, "default"]) * shift
    assert math.isclose(logit(after), expected, abs_tol=1e-12)


def test_result_lists_the_overrides_in_force(model):
    s = model.score({}, overrides={KEY: 6.0, "ceiling.moscow_article9_limit": 0.2})
    assert s.attrs["overrides"] == {KEY: 6.0, "ceiling.moscow_article9_limit": 0.2}
    assert model.score({}).attrs["overrides"] == {}


def test_override_equal_to_the_data_is_not_listed(model):
    default = model.parameters.at[KEY, "default"]
    assert model.with_overrides({KEY: default}).overrides == {}


def test_overrides_leave_the_original_model_untouched(model):
    before = model.score({})
    other = model.with_overrides({"base.moscow.declaration_1956": 0.9})
    assert other.score({}).at["declaration_1956", "moscow"] == pytest.approx(0.9)
    assert model.score({}).equals(before)
    assert model.overrides == {}


def test_parameter_table_marks_overridden_rows(model):
    p = model.with_overrides({KEY: 6.0}).parameters
    assert p.at[KEY, "overridden"] and p.at[KEY, "value"] == 6.0
    assert p["overridden"].sum() == 1


def test_raising_a_ceiling_frees_the_capped_options(model):
    free = model.with_overrides({"ceiling.moscow_article9_limit": 1.0})
    assert free.score({}).at["two_plus_two", "moscow"] == pytest.approx(0.10)


def test_weight_the_data_leaves_out_can_be_added(model):
    key = "weight.moscow.japan_public_support.declaration_1956"
    assert model.parameters.at[key, "default"] == 0 and model.parameters.at[key, "sign"] == ""
    m = model.with_overrides({key: 2.0})
    assert m.score({"japan_public_support": 90}).at["declaration_1956", "moscow"] > \
        model.score({"japan_public_support": 90}).at["declaration_1956", "moscow"]


@pytest.mark.parametrize("overrides, message", [
    ({"weight.tokyo.nothing.declaration_1956": 1.0}, "no such parameter"),
    ({KEY: -1.0}, "goes against the sign the source fixes (positive)"),
    ({KEY: 50.0}, "outside the allowed range -10 to 10"),
    ({KEY: float("nan")}, "not a finite number"),
    ({KEY: "3"}, "is not a number"),
    ({"base.tokyo.four_islands": 1.0}, "outside the allowed range"),
    ({"ceiling.moscow_article9_limit": 0.0}, "outside the allowed range"),
])
def test_invalid_overrides_are_refused_with_the_reason(model, overrides, message):
    with pytest.raises(ValueError) as e:
        model.with_overrides(overrides)
    assert message in str(e.value) and next(iter(overrides)) in str(e.value)
