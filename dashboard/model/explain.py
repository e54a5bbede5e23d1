"""Plain-language explanations of a scenario's scores, built from the model's exact contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from dashboard.model.engine import Model
from dashboard.model.schema import CAPITALS

NEGLIGIBLE = 0.05  # log-odds; a push smaller than this changes a feasibility by about one point or less


def pct(p: float) -> str:
    """A feasibility as a whole percentage, with '<1%' and '>99%' rather than a misleading 0% or 100%."""
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%"
    return f"{p:.0%}"


def format_value(value: float, unit: str) -> str:
    """A driver's value with its unit, as a person would say it: '54%', '3 months', '80/100', '81 years'."""
    v = f"{value:g}"
    if unit == "%":
        return f"{v}%"
    if unit.startswith("index"):
        return f"{v}/100"
    if unit in ("months", "years"):
        return f"{v} {unit[:-1] if value == 1 else unit}"
    return f"{v} {unit}"


def assumptions_table(model: Model, values: Mapping[str, float], short_sources: bool = False) -> pd.DataFrame:
    """The values in force, each with its unit, its 2016 value and its source (full, or citations only)."""
    a = model.assumptions
    return pd.DataFrame({
        "Assumption": a["label"],
        "Value": [format_value(values[d], a.at[d, "unit"]) for d in a.index],
        "2016": [format_value(a.at[d, "baseline"], a.at[d, "unit"]) for d in a.index],
        "Source": a["citation" if short_sources else "source"],
    }).reset_index(drop=True)


@dataclass(frozen=True)
class Explanation:
    """A scenario's scores with the reasons for them."""

    scores: pd.DataFrame  # option x (moscow, tokyo, joint)
    contributions: pd.DataFrame  # see Model.contributions
    headline: str
    reasons: pd.DataFrame  # option x capital -> sentence
    acceptable: list[str]  # options both capitals could accept, best first
    best: str  # the option with the highest joint feasibility


def explain(model: Model, assumptions: Mapping[str, float] | None = None) -> Explanation:
    """Scores, contributions, a one-sentence headline and a sentence of reasons per option and capital."""
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
    labels = model.option_labels
    now, then = scores.to_dict(), at_baseline.to_dict()  # column -> option -> value
    reasons = pd.DataFrame(
        {c: [_reason(model, c, labels[o], now[c][o], terms[(c, o)], values, then[c][o]) for o in model.option_ids]
         for c in CAPITALS},
        index=pd.Index(model.option_ids, name="option"),
    )
    acceptable, best = _acceptable_and_best(model, scores)
    return Explanation(scores, contributions, headline(model, scores), reasons, acceptable, best)


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


def headline(model: Model, scores: pd.DataFrame) -> str:
    """One sentence: which options both capitals could accept, and the best one (and the best settlement)."""
    labels = model.option_labels
    acceptable, best = _acceptable_and_best(model, scores)
    rows = {o: _Scores(*r) for o, r in zip(scores.index, scores[["moscow", "tokyo", "joint"]].to_numpy().tolist(),
                                            strict=True)}  # plain rows: cell lookups in a frame cost more
    b = rows[best]
    if acceptable:
        top = rows[acceptable[0]]
        if len(acceptable) == 1:
            text = f"Only {labels[acceptable[0]]} is acceptable to both capitals ({pct(top.joint)} for both)."
        else:
            names = ", ".join(labels[o] for o in acceptable)
            text = (f"Both capitals could accept {names}; the most feasible is {labels[acceptable[0]]} "
                    f"({pct(top.joint)} for both).")
        if best != acceptable[0]:
            refuser = "Moscow" if b.moscow < model.acceptance_threshold else "Tokyo"
            text += (f" {labels[best]} has a higher joint feasibility ({pct(b.joint)}), but {refuser} would more "
                     "likely than not refuse it.")
    else:
        text = (f"No option is acceptable to both capitals; the closest is {labels[best]} "
                f"({pct(b.joint)} for both: Moscow {pct(b.moscow)}, Tokyo {pct(b.tokyo)}).")
    territorial = [o for o, v in model.data.options.items() if v.settles_territory]
    if best not in territorial:
        settle = max(territorial, key=lambda o: rows[o].joint)  # the first of equals, as idxmax
        text += f" The most feasible settlement of the border is {labels[settle]} ({pct(rows[settle].joint)})."
    return text


def _reason(model: Model, capital: str, label: str, score: float, terms: list[tuple],
            values: Mapping[str, float], baseline_score: float) -> str:
    who = capital.title()
    term, _, _, value = next(t for t in terms if t[1] == "constraint")
    if value < 0:
        limit, cite = model.limit_source(term)
        cites = ", ".join(ref.replace("oped ", "") for ref in cite)
        return (f'For {who}, {label} is held at {pct(score)} by the hard limit "{limit}" ({cites}), '
                "whatever the drivers.")

    pushes = [t for t in terms if t[1] in ("driver", "interaction", "event")]
    delta = sum(t[3] for t in pushes)
    if abs(delta) < NEGLIGIBLE:
        return f"For {who}, {label} is {pct(score)} feasible, as at the 2016 baseline."
    direction = "up" if delta > 0 else "down"
    text = f"For {who}, {label} is {pct(score)} feasible, {direction} from {pct(baseline_score)} at the 2016 baseline"
    # Signed so that pushes in the direction of the net change are positive, largest first.
    sign = 1.0 if delta > 0 else -1.0
    along = sorted(pushes, key=lambda t: -t[3] * sign)
    main = [t for t in along if t[3] * sign >= NEGLIGIBLE][:2]
    if main:
        text += ", mainly because of " + " and ".join(_why(model, t, values) for t in main)
    against = [t for t in along if t[3] * sign <= -2 * NEGLIGIBLE]
    if against:
        text += "; partly offset by " + _why(model, against[-1], values)
    return text + "."


def _why(model: Model, term: tuple, values: Mapping[str, float]) -> str:
    d = model.data.drivers
    name, kind = term[0], term[1]
    if kind == "interaction":
        inter = model.data.coefficients.interactions[name]
        a, b = inter.drivers
        return (f"{inter.label.lower()} ({d[a].label} {format_value(values[a], d[a].unit)}; "
                f"{d[b].label} {format_value(values[b], d[b].unit)})")
    if kind == "event":
        e = model.data.events[name]
        return f"the event {e.label} ({e.date:%B %Y})"
    x = d[name]
    return f"{x.label} at {format_value(values[name], x.unit)} (2016: {format_value(x.baseline, x.unit)})"
