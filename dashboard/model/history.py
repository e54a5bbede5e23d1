"""Dated history (data/history/): start points "as of" a checkpoint, scores across the checkpoints, and the model's
track record against what actually happened.

The model's weights and base terms stay the ones calibrated on the op-ed of October 2016: a checkpoint changes only
the drivers' values and the events in force, never a weight (the no-tuning rule). Where the model then misses, the
miss is shown, not tuned away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from dashboard import i18n
from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.engine import Model
from dashboard.model.explain import capital_name, option_labels, pct
from dashboard.model.schema import Checkpoint, text

# The track record's columns of words (in the language asked for); every other column is an id, a number or a flag.
TEXT_COLUMNS = ("title", "first_label", "reason", "first_settlement_label", "reason_settlement", "happened",
                "happened_summary")


def checkpoints(model: Model) -> list[Checkpoint]:
    """The dated checkpoints, oldest (the op-ed) first; empty when the data has no history."""
    return list(model.data.checkpoints)


def checkpoint_label(model: Model, cp: Checkpoint, lang: str = i18n.DEFAULT) -> str:
    """How a checkpoint is named in the sidebar and the charts: 'October 2016 (the op-ed)', 'March 2022: ...'."""
    _ = i18n.gettext_for(lang)
    first = model.data.checkpoints[0].id if model.data.checkpoints else None
    month = f"{cp.date:%B %Y}" if lang == i18n.DEFAULT else i18n.month(cp.date, lang)
    if cp.id == first:
        return _("{month} (the op-ed)").format(month=month)
    return _("{month}: {title}").format(month=month, title=text(cp, "title", lang))


def day(d: dt.date, lang: str = i18n.DEFAULT) -> str:
    """A checkpoint's or an event's date as the History page writes it: ISO in English (as ever), the locale's own
    way in Japanese and Russian ("2016年10月27日", "27 окт. 2016 г.")."""
    return d.isoformat() if lang == i18n.DEFAULT else i18n.day(d, lang)


def find_checkpoint(model: Model, ref: str) -> Checkpoint:
    """The checkpoint named by ``ref``: its id, or an ISO date (the latest checkpoint on or before that date).

    Raises ``ValueError`` saying what was wrong: an unknown id, a text that is not a date, a date before the op-ed.
    """
    cps = checkpoints(model)
    if not cps:
        raise ValueError("this data has no dated checkpoints (data/history/)")
    by_id = {cp.id: cp for cp in cps}
    if ref in by_id:
        return by_id[ref]
    try:
        day = dt.date.fromisoformat(ref)
    except (TypeError, ValueError):
        raise ValueError(f"{ref[:40]!r} is neither a checkpoint id nor a date (YYYY-MM-DD); checkpoints: "
                         f"{', '.join(by_id)}") from None
    earlier = [cp for cp in cps if cp.date <= day]
    if not earlier:
        raise ValueError(f"{day} is before the first checkpoint ({cps[0].date}, the op-ed)")
    return earlier[-1]


def start_values(model: Model, cp: Checkpoint | None) -> dict[str, float]:
    """Every driver's value at the checkpoint (the 2016 baseline for a driver it does not give)."""
    values = model.baseline
    if cp is not None:
        values.update({d: v.value for d, v in cp.drivers.items() if d in values})
    return values


def start_sources(model: Model, cp: Checkpoint | None, short: bool = False,
                  lang: str = i18n.DEFAULT) -> dict[str, str]:
    """Where each driver's value at the checkpoint comes from, in ``lang``: the checkpoint's own provenance for a
    value it gives, the 2016 baseline's for one it does not (``short``: citations and whether it is judgement)."""
    _ = i18n.gettext_for(lang)
    given = cp.drivers if cp is not None else {}
    out = {}
    for d, x in model.data.drivers.items():
        p = given.get(d, x.baseline_provenance)
        out[d] = (_("; ").join(filter(None, [render_refs(p.cite, model.data.sources, lang),
                                             _("analyst judgement") if p.judgement else ""]))
                  if short else render_provenance(p, model.data.sources, lang))
    return out


def start_events(cp: Checkpoint | None) -> frozenset[str]:
    """The events in force at the checkpoint."""
    return frozenset(cp.events) if cp is not None else frozenset()


def _settlements(model: Model) -> list[str]:
    return [o for o, v in model.data.options.items() if v.settles_territory]


def history_scores(model: Model) -> pd.DataFrame:
    """Each option's feasibility at each checkpoint, with that checkpoint's drivers and events in force.

    One row per checkpoint and option: date, checkpoint, option, moscow, tokyo, joint (feasibilities in [0, 1]),
    happened (whether the checkpoint records the option as what moved next). ``model`` keeps its overrides; its own
    events are replaced by each checkpoint's.
    """
    rows = []
    for cp in checkpoints(model):
        scores = model.with_events(cp.events).score(start_values(model, cp))
        moved = set(cp.happened.options)
        for o in model.option_ids:
            s = scores.loc[o]
            rows.append({"date": cp.date.isoformat(), "checkpoint": cp.id, "option": o,
                         "moscow": float(s.moscow), "tokyo": float(s.tokyo), "joint": float(s.joint),
                         "happened": o in moved})
    return pd.DataFrame(rows, columns=["date", "checkpoint", "option", "moscow", "tokyo", "joint", "happened"])


def _verdict(model: Model, scores: pd.DataFrame, among: list[str], moved: list[str], labels: Mapping[str, str],
             settlements: bool, lang: str = i18n.DEFAULT) -> tuple[str, bool, str]:
    """(first-ranked option, hit, one-line reason in ``lang``) for the options ``among`` (all of them, or the
    settlements of the border), against the options that moved."""
    _ = i18n.gettext_for(lang)
    t = model.acceptance_threshold
    first = str(scores.loc[among, "joint"].idxmax())
    s = scores.loc[first]
    acceptable = s.moscow >= t and s.tokyo >= t
    moved_here = [o for o in moved if o in among]
    words = {"option": labels[first], "joint": pct(s.joint, lang)}
    if moved_here:
        if first in moved_here:
            template = (_("{option} ranked first among settlements ({joint} for both), and it moved.") if settlements
                        else _("{option} ranked first of all options ({joint} for both), and it moved."))
            return first, True, template.format(**words)
        template = (_("{option} ranked first among settlements ({joint} for both), but what moved was {moved}.")
                    if settlements else
                    _("{option} ranked first of all options ({joint} for both), but what moved was {moved}."))
        return first, False, template.format(moved=_(", ").join(labels[o] for o in moved_here), **words)
    if not acceptable:
        template = (_("{option} ranked first among settlements ({joint} for both), yet below what {capital} could "
                      "accept ({score}): the model expected nothing to move, and nothing did.") if settlements else
                    _("{option} ranked first of all options ({joint} for both), yet below what {capital} could "
                      "accept ({score}): the model expected nothing to move, and nothing did."))
        refuser = "moscow" if s.moscow < t else "tokyo"
        return first, True, template.format(capital=capital_name(refuser, lang),
                                            score=pct(min(s.moscow, s.tokyo), lang), **words)
    template = (_("{option} ranked first among settlements ({joint} for both) and acceptable to both, but nothing "
                  "moved.") if settlements else
                _("{option} ranked first of all options ({joint} for both) and acceptable to both, but nothing "
                  "moved."))
    return first, False, template.format(**words)


def _hit_share(model: Model, cp: Checkpoint, draws: int, seed: int) -> tuple[float, float]:
    """How often the checkpoint's verdict (all options; settlements) is a hit when the model's own numbers are drawn
    from their plausible ranges, the drivers held at the checkpoint's values (``analysis.monte_carlo``, scope
    "model")."""
    from dashboard.model import analysis  # analysis imports the engine only; kept local to keep this module light

    mc = analysis.monte_carlo(model.with_events(cp.events), draws, seed, start_values(model, cp), scope="model")
    t = model.acceptance_threshold
    scores = mc.scores.set_index(["draw", "option"])
    out = []
    for first, among in ((mc.first, list(model.option_ids)), (mc.first_settlement, _settlements(model))):
        moved = [o for o in cp.happened.options if o in among]
        if moved:
            hit = first.isin(moved).to_numpy()
        else:
            picked = scores.loc[list(zip(first.index, first.to_numpy(), strict=True))]
            hit = ~((picked["moscow"].to_numpy() >= t) & (picked["tokyo"].to_numpy() >= t))
        out.append(float(hit.mean()))
    return out[0], out[1]


def track_record(model: Model, draws: int = 0, seed: int = 2016, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """At each checkpoint, the option the model ranked first (jointly, and among settlements of the border) next to
    what happened, hit or miss, with a one-line reason.

    Hit: the first-ranked option is one that moved; or nothing moved and the first-ranked option was not acceptable
    to both capitals (the model expected no deal). "Settlements of the border" are the options that settle the
    territory (options.yaml ``settles_territory``), as on the Briefing and Uncertainty pages. The weights are the
    op-ed's at every date. With ``draws`` > 0, ``hit_survives`` and ``hit_settlement_survives`` give the share of
    draws of the model's own numbers (from their plausible ranges; drivers and events as at the checkpoint) in which
    the verdict is still a hit.

    ``lang``: the language of the words (:data:`TEXT_COLUMNS`: the checkpoint's title, the options' labels, the
    reasons, what happened); the ids, numbers and verdicts are the same in every language. ``moved`` lists the ids
    of the options that moved, separated by ";" (empty when none).
    """
    _ = i18n.gettext_for(lang)
    labels = option_labels(model, lang)
    settlements = _settlements(model)
    rows = []
    for cp in checkpoints(model):
        scores = model.with_events(cp.events).score(start_values(model, cp))
        moved = list(cp.happened.options)
        first, hit, reason = _verdict(model, scores, list(model.option_ids), moved, labels, False, lang)
        first_s, hit_s, reason_s = _verdict(model, scores, settlements, moved, labels, True, lang)
        rows.append({
            "date": cp.date.isoformat(), "checkpoint": cp.id, "title": text(cp, "title", lang),
            "first": first, "first_label": labels[first], "first_joint": float(scores.at[first, "joint"]),
            "hit": hit, "reason": reason,
            "first_settlement": first_s, "first_settlement_label": labels[first_s],
            "first_settlement_joint": float(scores.at[first_s, "joint"]),
            "hit_settlement": hit_s, "reason_settlement": reason_s,
            "moved": ";".join(moved),
            "happened": _(", ").join(labels[o] for o in moved) or _("nothing moved"),
            "happened_summary": text(cp.happened, "summary", lang),
        })
        if draws:
            rows[-1]["hit_survives"], rows[-1]["hit_settlement_survives"] = _hit_share(model, cp, draws, seed)
    return pd.DataFrame(rows)


def track_record_download(model: Model, record: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """The track record as a CSV holds it: machine-readable column ids, the same in every language.

    ``record``: :func:`track_record` in ``lang``. Its words are given in English, the data's language, under their
    ids; in Japanese or Russian each of them follows again in that language as ``<id>_ja`` / ``<id>_ru`` (as the
    scores CSV's ``label_ja``), so a program reads the same columns whatever language the page was in.
    """
    if lang == i18n.DEFAULT:
        return record.copy()
    english = track_record(model).set_index("checkpoint")  # no draws: only its words are taken
    columns = {}
    for c in record.columns:
        if c in TEXT_COLUMNS:
            columns[c] = english.loc[record["checkpoint"], c].to_numpy()
            columns[f"{c}_{lang}"] = record[c].to_numpy()
        else:
            columns[c] = record[c].to_numpy()
    return pd.DataFrame(columns)


def events_table(model: Model, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """The events by date: id, date, group, label (in ``lang``), quote (the op-ed's or an official's words, in
    English), for the History chart's marks and the Method page."""
    rows = [{"event": e_id, "date": e.date.isoformat(), "group": e.group, "label": text(e, "label", lang),
             "quote": e.quote}
            for e_id, e in sorted(model.data.events.items(), key=lambda kv: (kv[1].date, kv[0]))]
    return pd.DataFrame(rows, columns=["event", "date", "group", "label", "quote"])
