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
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import i18n
from dashboard.i18n import N_
from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.loader import ModelData
from dashboard.model.schema import CAPITALS, text

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


_CAPITALS = {"moscow": N_("Moscow"), "tokyo": N_("Tokyo")}
_SIGNS = {"positive": N_("positive"), "negative": N_("negative")}


@dataclass(frozen=True)
class ParameterText:
    """What a reader sees of a parameter besides its numbers, in one language."""

    label: str  # capital · option · driver (or interaction, base term, hard limit)
    rationale: str  # why it is set as it is: the analysts' note, or a sentence the model writes
    source: str  # its citations


def sign_word(sign: str, lang: str = i18n.DEFAULT) -> str:
    """The sign the source fixes ("positive" or "negative") as a word in ``lang``."""
    return i18n.gettext_for(lang)(_SIGNS[sign])


def parameter_texts(data: ModelData, lang: str = i18n.DEFAULT) -> dict[str, ParameterText]:
    """Every parameter's label, rationale and sources in ``lang``, keyed and ordered as :func:`build_parameters`.

    Labels and the analysts' notes (rationale, note, judgement) come from the data's own translations; the op-ed's
    quotations stay English (docs/i18n.md); the sentence the model writes for a weight the data leaves out is
    translated.
    """
    _ = i18n.gettext_for(lang)
    cap = {c: _(name) for c, name in _CAPITALS.items()}
    opt = {o: text(v, "short_label", lang) for o, v in data.options.items()}
    drv = {d: text(v, "label", lang) for d, v in data.drivers.items()}
    entries = {(e.capital, e.driver): e for e in data.coefficients.weights}

    def refs(cite) -> str:
        return render_refs(cite, data.sources, lang)

    def noted(record) -> str:
        rationale = text(record, "rationale", lang)
        return rationale + (f" {text(record, 'note', lang)}" if record.note else "")

    out: dict[str, ParameterText] = {}
    for capital in CAPITALS:
        for o_id, option in data.options.items():
            stance = getattr(option, capital)
            out[f"base.{capital}.{o_id}"] = ParameterText(
                " · ".join([cap[capital], opt[o_id], _("2016 baseline feasibility")]),
                text(stance, "judgement", lang), refs(stance.cite))
    for capital in CAPITALS:
        for d_id in data.drivers:
            entry = entries.get((capital, d_id))
            if entry is None:
                rationale = _("The op-ed ties {driver} to no part of {capital}'s view; zero unless an analyst adds "
                              "it.").format(driver=drv[d_id], capital=cap[capital])
                source = ""
            else:
                rationale, source = noted(entry), refs(entry.cite)
            for o_id in data.options:
                out[f"weight.{capital}.{d_id}.{o_id}"] = ParameterText(
                    f"{cap[capital]} · {opt[o_id]} · {drv[d_id]}", rationale, source)
    for name, inter in data.coefficients.interactions.items():
        label, source = text(inter, "label", lang), refs(inter.cite)
        for o_id in data.options:
            out[f"interaction.{name}.{o_id}"] = ParameterText(
                f"{cap[inter.capital]} · {opt[o_id]} · {label}", noted(inter), source)
        out[f"interaction.{name}.half_life_months"] = ParameterText(
            " · ".join([label, _("half-life (months)")]),
            render_provenance(inter.half_life_provenance, data.sources, lang), source)
    for c_id, c in data.constraints.items():
        out[f"ceiling.{c_id}"] = ParameterText(
            " · ".join([cap[c.capital], text(c, "label", lang), _("ceiling")]),
            f'"{c.quote}" {render_provenance(c.ceiling_provenance, data.sources, lang)}', refs(c.cite))
    return out


def parameter_labels(data: ModelData, lang: str = i18n.DEFAULT) -> dict[str, str]:
    """Parameter key -> its label in ``lang`` (see :func:`parameter_texts`)."""
    return {k: t.label for k, t in parameter_texts(data, lang).items()}


def in_language(table: pd.DataFrame, data: ModelData, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """``table`` (rows of :attr:`Model.parameters`) with its label, rationale and source in ``lang``.

    The numbers, the keys (the index) and the other columns are as they were.
    """
    if lang == i18n.DEFAULT:
        return table
    texts = parameter_texts(data, lang)
    out = table.copy()
    for col in ("label", "rationale", "source"):
        if col in out.columns:
            out[col] = [getattr(texts[k], col) for k in out.index]
    return out


def build_parameters(data: ModelData) -> dict[str, Parameter]:
    """The parameter table's rows, keyed and in a stable order (capital, option, driver)."""
    out: dict[str, Parameter] = {}
    texts = parameter_texts(data)
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

    def described(key: str) -> tuple[str, str, str]:
        t = texts[key]
        return t.label, t.rationale, t.source

    for capital in CAPITALS:
        for o_id, option in data.options.items():
            stance = getattr(option, capital)
            key = f"base.{capital}.{o_id}"
            label, rationale, source = described(key)
            out[key] = Parameter(
                key, "base", capital, o_id, "", label, stance.baseline_feasibility, lo, hi, "", rationale, source,
                stance.plausible.low, stance.plausible.high, "log-odds",
                render_provenance(stance.plausible_provenance, data.sources),
            )
    for capital in CAPITALS:
        for d_id in data.drivers:
            entry = entries.get((capital, d_id))
            for o_id in data.options:
                key = f"weight.{capital}.{d_id}.{o_id}"
                label, rationale, source = described(key)
                sign = "" if entry is None else entry.sign
                default = 0.0 if entry is None else float(entry.weights.get(o_id, 0.0))
                out[key] = Parameter(
                    key, "weight", capital, o_id, d_id, label, default, -WEIGHT_BOUND, WEIGHT_BOUND, sign, rationale,
                    source, **weight_range(entry, o_id),
                )
    for name, inter in data.coefficients.interactions.items():
        for o_id in data.options:
            key = f"interaction.{name}.{o_id}"
            label, rationale, source = described(key)
            out[key] = Parameter(
                key, "interaction", inter.capital, o_id, ",".join(inter.drivers), label,
                float(inter.weights.get(o_id, 0.0)), -WEIGHT_BOUND, WEIGHT_BOUND, inter.sign, rationale, source,
                **weight_range(inter, o_id),
            )
        key = f"interaction.{name}.half_life_months"
        label, rationale, source = described(key)
        out[key] = Parameter(
            key, "half_life", inter.capital, "", ",".join(inter.drivers), label, inter.half_life_months,
            *HALF_LIFE_BOUNDS, "", rationale, source,
            inter.half_life_plausible.low, inter.half_life_plausible.high, "linear",
            render_provenance(inter.half_life_plausible_provenance, data.sources),
        )
    for c_id, c in data.constraints.items():
        key = f"ceiling.{c_id}"
        label, rationale, source = described(key)
        out[key] = Parameter(
            key, "ceiling", c.capital, ",".join(c.options), "", label, c.ceiling, lo, 1.0, "", rationale, source,
            c.ceiling_plausible.low, c.ceiling_plausible.high, "log-odds",
            render_provenance(c.ceiling_plausible_provenance, data.sources),
        )
    return out


def _problems(row: Callable[[str], Mapping | None], overrides: Mapping[str, object],
              lang: str) -> tuple[dict[str, float], list[str]]:
    """The overrides as floats (those equal to the default dropped), and what is wrong with the others, in ``lang``.

    ``row``: key -> the parameter's fields (default, min, max, sign, rationale), or None for no such parameter.
    """
    _ = i18n.gettext_for(lang)

    def num(x: float) -> str:
        return f"{x:g}" if lang == i18n.DEFAULT else i18n.number(x, lang)

    problems, clean = [], {}
    for key, raw in overrides.items():
        p = row(key)
        if p is None:
            problems.append(_("{key}: no such parameter").format(key=key))
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            problems.append(_("{key}: {value} is not a number").format(key=key, value=repr(raw)))
            continue
        value = float(raw)
        if not math.isfinite(value):
            problems.append(_("{key}: {value} is not a finite number").format(key=key, value=repr(raw)))
        elif not p["min"] <= value <= p["max"]:
            problems.append(_("{key}: {value} is outside the allowed range {low} to {high}").format(
                key=key, value=num(value), low=num(p["min"]), high=num(p["max"])))
        elif (p["sign"] == "positive" and value < 0) or (p["sign"] == "negative" and value > 0):
            problems.append(_("{key}: {value} goes against the sign the source fixes ({sign}): {rationale}").format(
                key=key, value=num(value), sign=sign_word(p["sign"], lang), rationale=p["rationale"]))
        elif value != p["default"]:
            clean[key] = value
    return clean, problems


def validate_overrides(params: Mapping[str, Parameter], overrides: Mapping[str, object]) -> dict[str, float]:
    """Check analyst overrides against the table; return them as floats, dropping those equal to the default.

    Raises ``ValueError`` naming every bad key: unknown, not a number, outside its bounds, or against the sign the
    op-ed fixes.
    """
    clean, problems = _problems(lambda k: params[k].__dict__ if k in params else None, overrides, i18n.DEFAULT)
    if problems:
        raise ValueError("Invalid overrides: " + "; ".join(problems))
    return clean


def override_problems(table: pd.DataFrame, data: ModelData, overrides: Mapping[str, object],
                      lang: str = i18n.DEFAULT) -> list[str]:
    """What is wrong with ``overrides`` against ``table`` (:attr:`Model.parameters` of ``data``), one sentence a
    key, in ``lang`` (empty when they are valid): the reasons :func:`validate_overrides` gives, for a reader, with
    the parameter's rationale in ``lang``."""
    rows = in_language(table, data, lang)[["default", "min", "max", "sign", "rationale"]].to_dict("index")
    return _problems(rows.get, overrides, lang)[1]


def parameter_table(params: Mapping[str, Parameter], overrides: Mapping[str, float]) -> pd.DataFrame:
    """The parameters as a DataFrame indexed by key, with the value in force and whether it is overridden."""
    df = pd.DataFrame([{**p.__dict__, "drawn": p.drawn} for p in params.values()]).set_index("key")
    df.insert(df.columns.get_loc("default"), "value", [overrides.get(k, p.default) for k, p in params.items()])
    df["overridden"] = df.index.isin(list(overrides))
    return df
