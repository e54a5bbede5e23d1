"""Every number of the model an analyst may question, as one flat table of named parameters.

Keys name what a number is:

- ``base.<capital>.<option>``: the option's feasibility for the capital with every driver at its 2016 baseline;
- ``weight.<capital>.<driver>.<option>``: change in log-odds when the driver moves across its whole scale;
- ``interaction.<name>.<option>`` and ``interaction.<name>.half_life_months``: a named interaction term;
- ``ceiling.<constraint>``: the highest feasibility a hard constraint allows.

Each also carries its plausible range for the uncertainty analysis (``plausible_low`` .. ``plausible_high``, drawn
triangular peaking at the value, on the log-odds scale for probabilities: ``plausible_scale``), with its provenance.
A number with no range (a weight the data leaves at zero, the interaction's pivot) is held fixed in every draw.

Every (capital, driver, option) has a weight, zero where the data sets none, so that an analyst can add an effect
the data leaves out; where the op-ed fixes a direction for that capital and driver, the sign is enforced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.loader import ModelData
from dashboard.model.schema import CAPITALS

WEIGHT_BOUND = 10.0  # log-odds across a driver's full scale; e^10 is far past anything the op-ed could support
PROBABILITY_BOUNDS = (0.001, 0.999)  # keeps log-odds finite so contributions still add up
HALF_LIFE_BOUNDS = (0.5, 120.0)  # months


@dataclass(frozen=True)
class Parameter:
    key: str
    kind: str  # base | weight | interaction | half_life | ceiling
    capital: str
    option: str
    driver: str
    label: str
    default: float
    min: float
    max: float
    sign: str  # positive | negative | "" (free)
    rationale: str
    source: str
    plausible_low: float = math.nan  # nan: no range, held fixed when the model's numbers are drawn
    plausible_high: float = math.nan
    plausible_scale: str = ""  # "linear" | "log-odds" | "" (fixed)
    plausible_source: str = ""

    @property
    def drawn(self) -> bool:
        """Whether the uncertainty analysis draws this number (it has a range of some width)."""
        return self.plausible_scale != "" and self.plausible_low < self.plausible_high


def build_parameters(data: ModelData) -> dict[str, Parameter]:
    """The parameter table's rows, keyed and in a stable order (capital, option, driver)."""
    out: dict[str, Parameter] = {}
    opt_label = {o: v.short_label for o, v in data.options.items()}
    drv_label = {d: v.label for d, v in data.drivers.items()}
    entries = {(e.capital, e.driver): e for e in data.coefficients.weights}
    lo, hi = PROBABILITY_BOUNDS
    weight_rule = render_provenance(data.coefficients.plausible_provenance, data.sources)

    def weight_range(entry, o_id: str) -> dict:
        if entry is None or o_id not in entry.plausible:
            return {}
        low, high = entry.plausible[o_id]
        note = f" {entry.plausible_note}" if entry.plausible_note else ""
        return dict(plausible_low=float(low), plausible_high=float(high), plausible_scale="linear",
                    plausible_source=weight_rule + note)

    for capital in CAPITALS:
        for o_id, option in data.options.items():
            stance = getattr(option, capital)
            key = f"base.{capital}.{o_id}"
            out[key] = Parameter(
                key, "base", capital, o_id, "", f"{capital.title()} · {opt_label[o_id]} · 2016 baseline feasibility",
                stance.baseline_feasibility, lo, hi, "", stance.judgement, render_refs(stance.cite, data.sources),
                stance.plausible.low, stance.plausible.high, "log-odds",
                render_provenance(stance.plausible_provenance, data.sources),
            )
    for capital in CAPITALS:
        for d_id in data.drivers:
            entry = entries.get((capital, d_id))
            for o_id in data.options:
                key = f"weight.{capital}.{d_id}.{o_id}"
                if entry is None:
                    rationale = (f"The op-ed ties {drv_label[d_id].lower()} to no part of {capital.title()}'s view; "
                                 "zero unless an analyst adds it.")
                    sign, source, default = "", "", 0.0
                else:
                    rationale = entry.rationale + (f" {entry.note}" if entry.note else "")
                    sign, source = entry.sign, render_refs(entry.cite, data.sources)
                    default = float(entry.weights.get(o_id, 0.0))
                out[key] = Parameter(
                    key, "weight", capital, o_id, d_id,
                    f"{capital.title()} · {opt_label[o_id]} · {drv_label[d_id]}",
                    default, -WEIGHT_BOUND, WEIGHT_BOUND, sign, rationale, source, **weight_range(entry, o_id),
                )
    for name, inter in data.coefficients.interactions.items():
        source = render_refs(inter.cite, data.sources)
        for o_id in data.options:
            key = f"interaction.{name}.{o_id}"
            out[key] = Parameter(
                key, "interaction", inter.capital, o_id, ",".join(inter.drivers),
                f"{inter.capital.title()} · {opt_label[o_id]} · {inter.label}",
                float(inter.weights.get(o_id, 0.0)), -WEIGHT_BOUND, WEIGHT_BOUND, inter.sign,
                inter.rationale + (f" {inter.note}" if inter.note else ""), source, **weight_range(inter, o_id),
            )
        key = f"interaction.{name}.half_life_months"
        out[key] = Parameter(
            key, "half_life", inter.capital, "", ",".join(inter.drivers), f"{inter.label} · half-life (months)",
            inter.half_life_months, *HALF_LIFE_BOUNDS, "",
            render_provenance(inter.half_life_provenance, data.sources), source,
            inter.half_life_plausible.low, inter.half_life_plausible.high, "linear",
            render_provenance(inter.half_life_plausible_provenance, data.sources),
        )
    for c_id, c in data.constraints.items():
        key = f"ceiling.{c_id}"
        out[key] = Parameter(
            key, "ceiling", c.capital, ",".join(c.options), "", f"{c.capital.title()} · {c.label} · ceiling",
            c.ceiling, lo, 1.0, "", f'"{c.quote}" {render_provenance(c.ceiling_provenance, data.sources)}',
            render_refs(c.cite, data.sources), c.ceiling_plausible.low, c.ceiling_plausible.high, "log-odds",
            render_provenance(c.ceiling_plausible_provenance, data.sources),
        )
    return out


def validate_overrides(params: Mapping[str, Parameter], overrides: Mapping[str, object]) -> dict[str, float]:
    """Check analyst overrides against the table; return them as floats, dropping those equal to the default.

    Raises ``ValueError`` naming every bad key: unknown, not a number, outside its bounds, or against the sign the
    op-ed fixes.
    """
    problems, clean = [], {}
    for key, raw in overrides.items():
        p = params.get(key)
        if p is None:
            problems.append(f"{key}: no such parameter")
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            problems.append(f"{key}: {raw!r} is not a number")
            continue
        value = float(raw)
        if not math.isfinite(value):
            problems.append(f"{key}: {raw!r} is not a finite number")
        elif not p.min <= value <= p.max:
            problems.append(f"{key}: {value:g} is outside the allowed range {p.min:g} to {p.max:g}")
        elif (p.sign == "positive" and value < 0) or (p.sign == "negative" and value > 0):
            problems.append(f"{key}: {value:g} goes against the sign the source fixes ({p.sign}): {p.rationale}")
        elif value != p.default:
            clean[key] = value
    if problems:
        raise ValueError("Invalid overrides: " + "; ".join(problems))
    return clean


def parameter_table(params: Mapping[str, Parameter], overrides: Mapping[str, float]) -> pd.DataFrame:
    """The parameters as a DataFrame indexed by key, with the value in force and whether it is overridden."""
    df = pd.DataFrame([{**p.__dict__, "drawn": p.drawn} for p in params.values()]).set_index("key")
    df.insert(df.columns.get_loc("default"), "value", [overrides.get(k, p.default) for k, p in params.items()])
    df["overridden"] = df.index.isin(list(overrides))
    return df
