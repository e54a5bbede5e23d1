"""Run the op-ed's claims (``data/calibration.yaml``) against the model as it stands, overrides included."""

from __future__ import annotations

import operator
from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.model.citations import render_refs
from dashboard.model.engine import OUTPUTS, Model
from dashboard.model.explain import capital_name, format_value, pct
from dashboard.model.schema import (
    BestCheck,
    CalibrationCase,
    CeilingCheck,
    CompareCheck,
    DirectionCheck,
    ThresholdCheck,
    text,
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


def _observe(model: Model, case: CalibrationCase, extremes: np.ndarray | None = None) -> tuple[bool, dict]:
    """Whether the model passes one case, and the numbers it measured (language-neutral, for :func:`describe`)."""
    c = case.check
    if isinstance(c, CompareCheck):
        s = _at(model, c.scenario)
        left, right = _cell(model, s, c.left), _cell(model, s, c.right)
        # The margin asks for a clear gap, not a tie-break: left must beat right by at least `margin`.
        shift = c.margin if c.op in (">", ">=") else -c.margin
        return bool(_OPS[c.op](left, right + shift)), {"left": left, "right": right}
    if isinstance(c, ThresholdCheck):
        v = _cell(model, _at(model, c.scenario), c.cell)
        return bool(_OPS[c.op](v, c.value)), {"value": v}
    if isinstance(c, BestCheck):
        s = _at(model, c.scenario)
        output = c.cell.split(".", 1)[0]
        among = model.option_ids if c.among == "all" else c.among
        values = {o: _cell(model, s, f"{output}.{o}") for o in among}
        best = max(values, key=values.get)
        target = c.cell.split(".", 1)[1]
        return best == target, {"best": best, "best_value": values[best], "value": values[target]}
    if isinstance(c, DirectionCheck):
        base = model.vector(None if c.scenario == "baseline" else c.scenario)
        x = np.tile(base, (2, 1))
        x[:, model.driver_ids.index(c.driver)] = (c.from_, c.to)
        s = model.evaluate(x)
        a, b = _cell(model, s[0], c.cell), _cell(model, s[1], c.cell)
        return bool(b > a if c.expect == "increase" else b < a), {"from": a, "to": b}
    if isinstance(c, CeilingCheck):
        output, option = c.cell.split(".", 1)
        x = _extreme_scenarios(model) if extremes is None else extremes
        y = model.evaluate(x)[:, OUTPUTS.index(output), model.option_ids.index(option)]
        top = float(y.max())
        return top <= c.value + 1e-12, {"top": top, "scenarios": len(y)}
    raise TypeError(f"unknown check kind {type(c).__name__}")


def cell_name(model: Model, cell: str, lang: str = i18n.DEFAULT) -> str:
    """A cell as a reader of ``lang`` names it: its id in English (``tokyo.declaration_1956``, as the data and the
    command line write it), else the capital and the option's short label ("東京 · 二島返還")."""
    if lang == i18n.DEFAULT:
        return cell
    output, option = cell.split(".", 1)
    return f"{capital_name(output, lang)} · {text(model.data.options[option], 'short_label', lang)}"


def describe(model: Model, case: CalibrationCase, measured: Mapping, lang: str = i18n.DEFAULT) -> str:
    """What a case measured, in words in ``lang`` (the numbers are the same in every language)."""
    _ = i18n.gettext_for(lang)
    c = case.check

    def name(cell: str) -> str:
        return cell_name(model, cell, lang)

    def op(o: str) -> str:
        return o if lang == i18n.DEFAULT else {"<=": "≤", ">=": "≥"}.get(o, o)

    def p(x: float) -> str:
        return pct(x, lang)

    if isinstance(c, CompareCheck):
        need = _(" by at least {margin}").format(margin=p(c.margin)) if c.margin else ""
        return _("{left} = {left_value}, {right} = {right_value} (needs {op}{margin})").format(
            left=name(c.left), left_value=p(measured["left"]), right=name(c.right), right_value=p(measured["right"]),
            op=op(c.op), margin=need)
    if isinstance(c, ThresholdCheck):
        return _("{cell} = {value} (needs {op} {target})").format(
            cell=name(c.cell), value=p(measured["value"]), op=op(c.op), target=p(c.value))
    if isinstance(c, BestCheck):
        output = c.cell.split(".", 1)[0]
        return _("highest is {best} = {best_value}; {cell} = {value}").format(
            best=name(f"{output}.{measured['best']}"), best_value=p(measured["best_value"]), cell=name(c.cell),
            value=p(measured["value"]))
    if isinstance(c, DirectionCheck):
        unit = model.data.drivers[c.driver].unit
        english = lang == i18n.DEFAULT
        template = (_("{cell}: {low} at {driver} = {start}, {high} at {end} (needs increase)")
                    if c.expect == "increase" else
                    _("{cell}: {low} at {driver} = {start}, {high} at {end} (needs decrease)"))
        return template.format(
            cell=name(c.cell), low=p(measured["from"]), high=p(measured["to"]),
            driver=c.driver if english else text(model.data.drivers[c.driver], "label", lang),
            start=f"{c.from_:g}" if english else format_value(c.from_, unit, lang),
            end=f"{c.to:g}" if english else format_value(c.to, unit, lang))
    if isinstance(c, CeilingCheck):
        n = measured["scenarios"]
        return _("highest {cell} over {n} extreme scenarios = {top} (needs {op} {ceiling})").format(
            cell=name(c.cell), n=f"{n:,}" if lang == i18n.DEFAULT else i18n.number(n, lang), top=p(measured["top"]),
            op=op("<="), ceiling=p(c.value))
    raise TypeError(f"unknown check kind {type(c).__name__}")


def check_case(model: Model, case: CalibrationCase, extremes: np.ndarray | None = None,
               lang: str = i18n.DEFAULT) -> tuple[bool, str]:
    """Whether the model passes one case, and what it observed, in words in ``lang``.

    ``extremes`` (from :func:`_extreme_scenarios`) can be passed in when checking many cases, to build it once.
    """
    ok, measured = _observe(model, case, extremes)
    return ok, describe(model, case, measured, lang)


def run_calibration(model: Model, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """Every calibration case with whether it passes now, its claim, sources and observation in ``lang``.

    Columns: id, claim, quote, source, kind, status, passed, observed, measured (the numbers behind ``observed``,
    so that :func:`in_language` can say it again in another language without running the model). The quote is the
    op-ed's English in every language.
    """
    rows = []
    extremes = _extreme_scenarios(model)
    cases = {case.id: case for case in model.data.calibration}
    for case in cases.values():
        passed, measured = _observe(model, case, extremes)
        rows.append({"id": case.id, "claim": case.claim, "quote": case.quote, "source": "", "kind": case.check.kind,
                     "status": case.status, "passed": passed, "observed": "", "measured": measured})
    return in_language(model, pd.DataFrame(rows), lang)


def in_language(model: Model, results: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """:func:`run_calibration`'s results with the claim, sources and observation written in ``lang`` (a copy)."""
    cases = {case.id: case for case in model.data.calibration}
    out = results.copy()
    out["claim"] = [text(cases[i], "claim", lang) for i in out["id"]]
    out["source"] = [render_refs(cases[i].cite, model.data.sources, lang) for i in out["id"]]
    out["observed"] = [describe(model, cases[i], m, lang) for i, m in zip(out["id"], out["measured"], strict=True)]
    return out
