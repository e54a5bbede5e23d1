"""Run the op-ed's claims (``data/calibration.yaml``) against the model as it stands, overrides included."""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from dashboard.model.citations import render_refs
from dashboard.model.engine import OUTPUTS, Model
from dashboard.model.explain import pct
from dashboard.model.schema import (
    BestCheck,
    CalibrationCase,
    CeilingCheck,
    CompareCheck,
    DirectionCheck,
    ThresholdCheck,
)

_OPS = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}
_RANDOM_DRAWS = 20_000  # ceiling checks: random scenarios on top of every corner of the drivers' scales


def _cell(model: Model, scores: np.ndarray, cell: str) -> float:
    output, option = cell.split(".", 1)
    return float(scores[OUTPUTS.index(output), model.option_ids.index(option)])


def _at(model: Model, scenario) -> np.ndarray:
    return model.evaluate(model.vector(None if scenario == "baseline" else scenario)[None, :])[0]


def _extreme_scenarios(model: Model) -> np.ndarray:
    """Every corner of the drivers' scales (where a score that is monotone in each driver peaks) plus random draws."""
    a = model.assumptions
    lo, hi = a["min"].to_numpy(float), a["max"].to_numpy(float)
    n = len(lo)
    # Every corner of the unit cube, as the bits of 0 .. 2^n - 1 (no Python loop over 131,072 tuples).
    corners = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(float) if n <= 18 else np.empty((0, n))
    draws = np.random.default_rng(0).random((_RANDOM_DRAWS, n))
    return lo + np.vstack([corners, draws]) * (hi - lo)


def check_case(model: Model, case: CalibrationCase, extremes: np.ndarray | None = None) -> tuple[bool, str]:
    """Whether the model passes one case, and what it observed, in words.

    ``extremes`` (from :func:`_extreme_scenarios`) can be passed in when checking many cases, to build it once.
    """
    c = case.check
    if isinstance(c, CompareCheck):
        s = _at(model, c.scenario)
        left, right = _cell(model, s, c.left), _cell(model, s, c.right)
        # The margin asks for a clear gap, not a tie-break: left must beat right by at least `margin`.
        shift = c.margin if c.op in (">", ">=") else -c.margin
        ok = _OPS[c.op](left, right + shift)
        need = f" by at least {c.margin:.0%}" if c.margin else ""
        return ok, f"{c.left} = {pct(left)}, {c.right} = {pct(right)} (needs {c.op}{need})"
    if isinstance(c, ThresholdCheck):
        v = _cell(model, _at(model, c.scenario), c.cell)
        return _OPS[c.op](v, c.value), f"{c.cell} = {pct(v)} (needs {c.op} {pct(c.value)})"
    if isinstance(c, BestCheck):
        s = _at(model, c.scenario)
        output = c.cell.split(".", 1)[0]
        among = model.option_ids if c.among == "all" else c.among
        values = {o: _cell(model, s, f"{output}.{o}") for o in among}
        best = max(values, key=values.get)
        target = c.cell.split(".", 1)[1]
        return best == target, f"highest is {output}.{best} = {pct(values[best])}; {c.cell} = {pct(values[target])}"
    if isinstance(c, DirectionCheck):
        base = model.vector(None if c.scenario == "baseline" else c.scenario)
        x = np.tile(base, (2, 1))
        x[:, model.driver_ids.index(c.driver)] = (c.from_, c.to)
        s = model.evaluate(x)
        a, b = _cell(model, s[0], c.cell), _cell(model, s[1], c.cell)
        ok = b > a if c.expect == "increase" else b < a
        return ok, f"{c.cell}: {pct(a)} at {c.driver} = {c.from_:g}, {pct(b)} at {c.to:g} (needs {c.expect})"
    if isinstance(c, CeilingCheck):
        output, option = c.cell.split(".", 1)
        x = _extreme_scenarios(model) if extremes is None else extremes
        y = model.evaluate(x)[:, OUTPUTS.index(output), model.option_ids.index(option)]
        top = float(y.max())
        return top <= c.value + 1e-12, (f"highest {c.cell} over {len(y):,} extreme scenarios = {pct(top)} "
                                        f"(needs <= {pct(c.value)})")
    raise TypeError(f"unknown check kind {type(c).__name__}")


def run_calibration(model: Model) -> pd.DataFrame:
    """Every calibration case with whether it passes now.

    Columns: id, claim, quote, source, kind, status, passed, observed.
    """
    rows = []
    extremes = _extreme_scenarios(model)
    for case in model.data.calibration:
        passed, observed = check_case(model, case, extremes)
        rows.append({
            "id": case.id, "claim": case.claim, "quote": case.quote,
            "source": render_refs(case.cite, model.data.sources), "kind": case.check.kind,
            "status": case.status, "passed": passed, "observed": observed,
        })
    return pd.DataFrame(rows)
