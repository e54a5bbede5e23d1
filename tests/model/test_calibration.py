"""The op-ed's claims hold in the model, and the checks can fail when the model disagrees."""

from __future__ import annotations

import pytest

from dashboard.model.calibration import run_calibration


def test_every_case_the_data_says_holds_does_hold(model):
    r = run_calibration(model)
    assert len(r) >= 25
    failing = r[(r["status"] == "holds") & ~r["passed"]]
    assert failing.empty, failing[["id", "observed"]].to_string()


def test_cases_cover_every_kind_and_both_capitals(model):
    r = run_calibration(model)
    assert {"compare", "threshold", "best", "direction", "ceiling"} <= set(r["kind"])
    cells = " ".join(r["observed"])
    assert "moscow." in cells and "tokyo." in cells and "joint." in cells


@pytest.mark.parametrize("override, case", [
    ({"base.tokyo.declaration_1956": 0.9}, "tokyo_backlash_over_large_islands"),
    ({"ceiling.moscow_article9_limit": 1.0, "base.moscow.two_plus_two": 0.6}, "moscow_rejects_two_now_two_later"),
    ({"ceiling.moscow_article9_limit": 0.5}, "moscow_never_beyond_article9_four_islands"),
    ({"base.moscow.joint_economic_zone": 0.95}, "moscow_backs_eight_point_plan"),
    ({"interaction.election_x_public.declaration_1956": 0.0}, "near_election_rewards_compromise"),
])
def test_a_model_that_contradicts_the_op_ed_fails_its_case(model, override, case):
    r = run_calibration(model.with_overrides(override)).set_index("id")
    assert not r.at[case, "passed"], r.at[case, "observed"]
