"""Scores as one CSV table: every option's scores, then the driver values in force with units and sources."""

from __future__ import annotations

import pandas as pd

from dashboard.export.briefing import Briefing
from dashboard.model.schema import TRANSLATED, text


def scores_table(b: Briefing) -> pd.DataFrame:
    """A tidy table: one row per option (record = "score") and one per driver (record = "assumption").

    Columns: record, id, label, moscow, tokyo, joint, value, unit, baseline_2016, source, data_version,
    overrides (the overrides in force, as key=value; empty when none). In Japanese or Russian a ``label_ja`` or
    ``label_ru`` column follows ``label``: the headers stay the same machine-readable ids in every language.
    """
    m = b.model
    scores = b.explanation.scores
    options = m.options
    rows = [{"record": "score", "id": o, "label": options.at[o, "label"], "moscow": scores.at[o, "moscow"],
             "tokyo": scores.at[o, "tokyo"], "joint": scores.at[o, "joint"]} for o in m.option_ids]
    a = m.assumptions
    rows += [{"record": "assumption", "id": d, "label": a.at[d, "label"], "value": b.values[d],
              "unit": a.at[d, "unit"], "baseline_2016": a.at[d, "baseline"], "source": a.at[d, "source"]}
             for d in m.driver_ids]
    df = pd.DataFrame(rows, columns=["record", "id", "label", "moscow", "tokyo", "joint", "value", "unit",
                                     "baseline_2016", "source"])
    if b.lang in TRANSLATED:
        names = [text(m.data.options[i] if r == "score" else m.data.drivers[i], "label", b.lang)
                 for r, i in zip(df["record"], df["id"], strict=True)]
        df.insert(df.columns.get_loc("label") + 1, f"label_{b.lang}", names)
    df["data_version"] = m.version
    df["overrides"] = "; ".join(f"{k}={v:g}" for k, v in sorted(m.overrides.items()))
    return df


def scores_csv(b: Briefing) -> str:
    return scores_table(b).to_csv(index=False, lineterminator="\n")
