"""Model results the chart tests draw from: computed once, at fixed scenarios and seeds."""

from __future__ import annotations

import pytest

from dashboard.model import analysis
from tests.charts.helpers import SCENARIO


@pytest.fixture(scope="session")
def labels(model) -> dict[str, str]:
    return model.options["short_label"].to_dict()


@pytest.fixture(scope="session")
def units(model) -> dict[str, str]:
    return model.assumptions["unit"].to_dict()


@pytest.fixture(scope="session")
def driver_labels(model) -> dict[str, str]:
    return model.assumptions["label"].to_dict()


@pytest.fixture(scope="session")
def threshold(model) -> float:
    return model.acceptance_threshold


@pytest.fixture(scope="session")
def scores(model):
    return model.score(SCENARIO)


@pytest.fixture(scope="session")
def contributions(model):
    return model.contributions(SCENARIO)


@pytest.fixture(scope="session")
def monte(model):
    return analysis.monte_carlo(model, 500, seed=1, centre=SCENARIO)


@pytest.fixture(scope="session")
def sobol_tokyo(model):
    return analysis.sobol(model, 64, seed=1, outputs=("tokyo",))
