"""Plain-language explanations of a scenario's scores, built from the model's exact contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from dashboard import i18n
from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.engine import Model
from dashboard.model.parameters import parameter_labels
from dashboard.model.schema import CAPITALS, text

NEGLIGIBLE = 0.05  # log-odds; a push smaller than this changes a feasibility by about one point or less


def pct(p: float, lang: str = i18n.DEFAULT) -> str:
    """A feasibility as a whole percentage, with '<1%' and '>99%' rather than a misleading 0% or 100%.

    Written as ``lang`` writes a percentage (``54 %`` in Russian); the number is the same in every language.
    """
    if lang == i18n.DEFAULT:
        if p < 0.005:
            return "<1%"
        if p > 0.995:
            return ">99%"
        return f"{p:.0%}"
    if p < 0.005:
        return "<" + i18n.percent(0.01, lang)
    if p > 0.995:
        return ">" + i18n.percent(0.99, lang)
    return i18n.percent(p, lang)


def format_value(value: float, unit: str, lang: str = i18n.DEFAULT) -> str:
    """A driver's value with its unit, as a person would say it: '54%', '3 months', '80/100', '81 years'."""
    v = f"{value:g}" if lang == i18n.DEFAULT else i18n.number(value, lang)
    if unit == "%":
        return f"{v}%" if lang == i18n.DEFAULT else i18n.percent(value / 100, lang)
    if unit.startswith("index"):
        return f"{v}/100"
    n = int(value) if float(value).is_integer() else 2  # plural form; a fraction takes the "many" form
    ngettext = i18n.ngettext_for(lang)
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", n) % {"n": v}
    if unit == "years":
        return ngettext("%(n)s year", "%(n)s years", n) % {"n": v}
    return f"{v} {unit}"


def assumptions_table(model: Model, values: Mapping[str, float], short_sources: bool = False,
                      lang: str = i18n.DEFAULT, start: Mapping[str, float] | None = None,
                      start_sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The values in force, each with its unit, its value at the start point and that value's source (full, or
    citations only).

    The start point is October 2016 unless ``start`` (its values) and ``start_sources`` (their sources, see
    :func:`dashboard.model.history.start_sources`) say otherwise. Labels and values are written in ``lang``; the
    column names are the English ones ("2016" for the start point's value; a caller shows its own).
    """
    a = model.assumptions
    reference = start if start is not None else a["baseline"].to_dict()
    return pd.DataFrame({
        "Assumption": [text(model.data.drivers[d], "label", lang) for d in a.index],
        "Value": [format_value(values[d], a.at[d, "unit"], lang) for d in a.index],
        "2016": [format_value(reference[d], a.at[d, "unit"], lang) for d in a.index],
        "Source": ([start_sources[d] for d in a.index] if start_sources is not None
                   else a["citation" if short_sources else "source"] if lang == i18n.DEFAULT
                   else [_source(model, d, short_sources, lang) for d in a.index]),
    }).reset_index(drop=True)


def _source(model: Model, driver: str, short: bool, lang: str) -> str:
    """A driver's 2016 value's source in ``lang``, as :attr:`Model.assumptions` gives it in English: its
    provenance, or (``short``) its citations and whether it is analyst judgement."""
    p, sources = model.data.drivers[driver].baseline_provenance, model.data.sources
    if not short:
        return render_provenance(p, sources, lang)
    _ = i18n.gettext_for(lang)
    return "; ".join(filter(None, [render_refs(p.cite, sources, lang), _("analyst judgement") if p.judgement else ""]))


@dataclass(frozen=True)
class Explanation:
    """A scenario's scores with the reasons for them."""

    scores: pd.DataFrame  # option x (moscow, tokyo, joint)
    contributions: pd.DataFrame  # see Model.contributions
    headline: str
    reasons: pd.DataFrame  # option x capital -> sentence
    acceptable: list[str]  # options both capitals could accept, best first
    best: str  # the option with the highest joint feasibility


def explain(model: Model, assumptions: Mapping[str, float] | None = None, lang: str = i18n.DEFAULT) -> Explanation:
    """Scores, contributions, a one-sentence headline and a sentence of reasons per option and capital.

    The sentences are in ``lang`` (dashboard/i18n.py); the numbers are the same in every language.
    """
    scores = model.score(assumptions)
    contributions = model.contributions(assumptions)
    values = dict(zip(model.driver_ids, model.vector(assumptions).tolist(), strict=True))
    at_baseline = model.score(None, events=())  # the 2016 reading: no driver moved, no event since
    # (capital, option) -> [(term, kind, label, value), ...]. The rows come capital by capital, option by option, the
    # same terms each time: read as whole columns (iterating rows of text columns was most of this function's time).
    columns = [contributions[c].tolist() for c in ("capital", "option", "term", "kind", "label", "value")]
    terms: dict[tuple[str, str], list[tuple]] = {}
    for capital, option, *term in zip(*columns, strict=True):
        terms.setdefault((capital, option), []).append(tuple(term))
    labels = option_labels(model, lang)
    now, then = scores.to_dict(), at_baseline.to_dict()  # column -> option -> value
    reasons = pd.DataFrame(
        {c: [_reason(model, c, labels[o], now[c][o], terms[(c, o)], values, then[c][o], lang)
             for o in model.option_ids]
         for c in CAPITALS},
        index=pd.Index(model.option_ids, name="option"),
    )
    acceptable, best = _acceptable_and_best(model, scores)
    return Explanation(scores, contributions, headline(model, scores, lang), reasons, acceptable, best)


def option_labels(model: Model, lang: str = i18n.DEFAULT, field: str = "label") -> dict[str, str]:
    """Option id -> its label (``field``: "label" or "short_label") in ``lang``, in the data's order."""
    return {o: text(v, field, lang) for o, v in model.data.options.items()}


def term_labels(model: Model, contributions: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """``contributions`` with each term's label in ``lang`` (drivers, interactions and events; a hard limit keeps
    the op-ed's English words)."""
    if lang == i18n.DEFAULT:
        return contributions
    _ = i18n.gettext_for(lang)
    d = model.data

    def label(term: str, kind: str, english: str) -> str:
        if kind == "driver" and term in d.drivers:
            return text(d.drivers[term], "label", lang)
        if kind == "interaction" and term in d.coefficients.interactions:
            return text(d.coefficients.interactions[term], "label", lang)
        if kind == "event" and term in d.events:
            return text(d.events[term], "label", lang)
        if kind == "baseline":
            return _("2016 baseline")
        return english

    out = contributions.copy()
    out["label"] = [label(t, k, e) for t, k, e in zip(out["term"], out["kind"], out["label"], strict=True)]
    return out


def capital_name(capital: str, lang: str = i18n.DEFAULT) -> str:
    """"Moscow" or "Tokyo" in ``lang``."""
    _ = i18n.gettext_for(lang)
    return {"moscow": _("Moscow"), "tokyo": _("Tokyo"), "joint": _("Both")}[capital]


def input_labels(model: Model, rows: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """Rows of the uncertainty analysis with each input's ``label`` in ``lang``, and a ``short_label``.

    ``rows``: :func:`dashboard.model.analysis.sobol` rows (inputs in ``driver``) or
    :func:`dashboard.model.analysis.ranking_importance` ones (in ``input``): drivers and, with the model's own
    numbers drawn, parameter keys, labelled as the Weights page labels them
    (:func:`dashboard.model.parameters.parameter_labels`). ``short_label`` is a base term's capital and option
    without "2016 baseline feasibility", for a chart that names the kind beside it; the label otherwise. A copy;
    numbers untouched.
    """
    d = model.data
    keys = list(rows["input" if "input" in rows else "driver"])
    drivers = {k: text(d.drivers[k], "label", lang) for k in keys if k in d.drivers}
    params = parameter_labels(d, lang) if len(drivers) < len(set(keys)) else {}

    def short(key: str) -> str:
        kind, *parts = key.split(".")
        if kind != "base":  # base.<capital>.<option>, as dashboard.model.parameters keys it
            return params[key]
        capital, option = parts
        return f"{capital_name(capital, lang)} · {text(d.options[option], 'short_label', lang)}"

    return rows.assign(label=[drivers[k] if k in drivers else params[k] for k in keys],
                       short_label=[drivers[k] if k in drivers else short(k) for k in keys])


def _acceptable_and_best(model: Model, scores: pd.DataFrame) -> tuple[list[str], str]:
    """Options both capitals could accept (best first by joint feasibility), and the best option overall."""
    t = model.acceptance_threshold
    m, k, j = (scores[c].to_numpy() for c in ("moscow", "tokyo", "joint"))
    ids = list(scores.index)
    acceptable = sorted((i for i in range(len(ids)) if m[i] >= t and k[i] >= t), key=lambda i: -j[i])
    return [ids[i] for i in acceptable], ids[int(j.argmax())]


class _Scores(NamedTuple):
    moscow: float
    tokyo: float
    joint: float


def headline(model: Model, scores: pd.DataFrame, lang: str = i18n.DEFAULT) -> str:
    """One sentence: which options both capitals could accept, and the best one (and the best settlement)."""
    _ = i18n.gettext_for(lang)
    labels = option_labels(model, lang)
    acceptable, best = _acceptable_and_best(model, scores)
    rows = {o: _Scores(*r) for o, r in zip(scores.index, scores[["moscow", "tokyo", "joint"]].to_numpy().tolist(),
                                            strict=True)}  # plain rows: cell lookups in a frame cost more
    b = rows[best]
    if acceptable:
        top = rows[acceptable[0]]
        if len(acceptable) == 1:
            out = _("Only {option} is acceptable to both capitals ({joint} for both).").format(
                option=labels[acceptable[0]], joint=pct(top.joint, lang))
        else:
            out = _("Both capitals could accept {options}; the most feasible is {option} ({joint} for both).").format(
                options=_(", ").join(labels[o] for o in acceptable), option=labels[acceptable[0]],
                joint=pct(top.joint, lang))
        if best != acceptable[0]:
            refuser = capital_name("moscow" if b.moscow < model.acceptance_threshold else "tokyo", lang)
            out += _(" {option} has a higher joint feasibility ({joint}), but {capital} would more likely than not "
                     "refuse it.").format(option=labels[best], joint=pct(b.joint, lang), capital=refuser)
    else:
        out = _("No option is acceptable to both capitals; the closest is {option} ({joint} for both: Moscow "
                "{moscow}, Tokyo {tokyo}).").format(option=labels[best], joint=pct(b.joint, lang),
                                                    moscow=pct(b.moscow, lang), tokyo=pct(b.tokyo, lang))
    territorial = [o for o, v in model.data.options.items() if v.settles_territory]
    if best not in territorial:
        settle = max(territorial, key=lambda o: rows[o].joint)  # the first of equals, as idxmax
        out += _(" The most feasible settlement of the border is {option} ({joint}).").format(
            option=labels[settle], joint=pct(rows[settle].joint, lang))
    return out


def _reason(model: Model, capital: str, label: str, score: float, terms: list[tuple],
            values: Mapping[str, float], baseline_score: float, lang: str = i18n.DEFAULT) -> str:
    _ = i18n.gettext_for(lang)
    who = capital_name(capital, lang)
    term, _kind, _label, value = next(t for t in terms if t[1] == "constraint")
    if value < 0:
        limit, cite = model.limit_source(term)
        cites = ", ".join(ref.replace("oped ", "") for ref in cite)
        # The limit is the op-ed's own words: quoted in English (the source's language) with its paragraph.
        return _('For {capital}, {option} is held at {score} by the hard limit "{limit}" ({cites}), whatever the '
                 "drivers.").format(capital=who, option=label, score=pct(score, lang), limit=limit, cites=cites)

    pushes = [t for t in terms if t[1] in ("driver", "interaction", "event")]
    delta = sum(t[3] for t in pushes)
    if abs(delta) < NEGLIGIBLE:
        return _("For {capital}, {option} is {score} feasible, as at the 2016 baseline.").format(
            capital=who, option=label, score=pct(score, lang))
    template = (_("For {capital}, {option} is {score} feasible, up from {baseline} at the 2016 baseline") if delta > 0
                else _("For {capital}, {option} is {score} feasible, down from {baseline} at the 2016 baseline"))
    out = template.format(capital=who, option=label, score=pct(score, lang), baseline=pct(baseline_score, lang))
    # Signed so that pushes in the direction of the net change are positive, largest first.
    sign = 1.0 if delta > 0 else -1.0
    along = sorted(pushes, key=lambda t: -t[3] * sign)
    main = [t for t in along if t[3] * sign >= NEGLIGIBLE][:2]
    if main:
        out += _(", mainly because of {reasons}").format(
            reasons=_(" and ").join(_why(model, t, values, lang) for t in main))
    against = [t for t in along if t[3] * sign <= -2 * NEGLIGIBLE]
    if against:
        out += _("; partly offset by {reason}").format(reason=_why(model, against[-1], values, lang))
    return out + _(".")


def _why(model: Model, term: tuple, values: Mapping[str, float], lang: str = i18n.DEFAULT) -> str:
    _ = i18n.gettext_for(lang)
    d = model.data.drivers
    name, kind = term[0], term[1]
    if kind == "interaction":
        inter = model.data.coefficients.interactions[name]
        a, b = inter.drivers
        inter_label = text(inter, "label", lang)
        return _("{interaction} ({driver_a} {value_a}; {driver_b} {value_b})").format(
            interaction=inter_label.lower() if lang == i18n.DEFAULT else inter_label,
            driver_a=text(d[a], "label", lang), value_a=format_value(values[a], d[a].unit, lang),
            driver_b=text(d[b], "label", lang), value_b=format_value(values[b], d[b].unit, lang))
    if kind == "event":
        e = model.data.events[name]
        return _("the event {event} ({date})").format(event=text(e, "label", lang),
                                                      date=i18n.month(e.date, lang))
    x = d[name]
    return _("{driver} at {value} (2016: {baseline})").format(
        driver=text(x, "label", lang), value=format_value(values[name], x.unit, lang),
        baseline=format_value(x.baseline, x.unit, lang))
