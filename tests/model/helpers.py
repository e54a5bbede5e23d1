"""Checks of model properties that several test files assert."""

from __future__ import annotations

import math

from scipy.special import logit


def assert_contributions_add_up(model, scenario) -> None:
    """Every (capital, option)'s terms sum to the logit of its score: the Why page's explanation is exact."""
    s = model.score(scenario)
    total = model.contributions(scenario).groupby(["capital", "option"])["value"].sum()
    for capital in ("moscow", "tokyo"):
        for option in model.option_ids:
            assert math.isclose(total[(capital, option)], logit(s.at[option, capital]), abs_tol=1e-9)
