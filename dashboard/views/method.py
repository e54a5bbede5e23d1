"""Method & sources: how the scores are computed, every number with its source, and the op-ed's claims checked live."""

import pandas as pd
import streamlit as st

from dashboard.charts import method as charts
from dashboard.model.citations import render_refs
from dashboard.ui import data, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def _effects(e) -> str:
    parts = [f"{c.capital.title()} capped at {c.ceiling:.0%}: {', '.join(c.options)}" for c in e.effect.ceilings]
    parts += [f"{b.capital.title()} base term of {b.option} {b.shift:+g} log-odds" for b in e.effect.base_shifts]
    parts += [f"brings in the driver {x}" for x in e.effect.drivers]
    return "; ".join(parts)


def history_section(ctx: state.Context) -> None:
    """Events since the op-ed, the no-tuning rule, and the model's misses with the reason for each."""
    d = ctx.model.data
    st.subheader("Events since the op-ed, and the no-tuning rule")
    st.markdown(md(
        "An event (data/history/events.yaml) is a structural change the op-ed could not know, written in the "
        "model's own terms: a hard limit applied after the logistic (like Article 9's), a shift of an option's base "
        "term in log-odds, or a new driver that has no effect unless its event is on. Each is switched in the "
        "sidebar, travels in links and scenario files, and shows on the Why page as its own term, so a score still "
        "adds up exactly. Every event's effect was set from what the event is (its text, what officials said), "
        "never by running the model. With every event off, the model is the op-ed's and its 32 calibration cases "
        "hold unchanged."))
    st.dataframe(pd.DataFrame([{"date": e.date.isoformat(), "event": e.label, "group": e.group,
                                "effect": _effects(e), "quote": e.quote, "source": render_refs(e.cite, d.sources)}
                               for e in sorted(d.events.values(), key=lambda e: e.date)]),
                 hide_index=True, width="stretch")
    st.markdown(md(
        "No per-date tuning: the History page scores every checkpoint with the weights and base terms calibrated "
        "on the op-ed of October 2016; only the drivers' values at that date and the events then in force change. "
        "Where the model's first choice is not what happened, the miss is shown, not tuned away."))
    t = data.track_record(ctx.model, ctx.key)
    misses = t[~t["hit"] | ~t["hit_settlement"]]
    if len(misses):
        st.markdown("**Where the model misses, and why**")
        lines = []
        for r in misses.itertuples():
            why = [r.reason] if not r.hit else []
            why += [r.reason_settlement] if not r.hit_settlement else []
            lines.append(f"- **{md(r.date)} · {md(r.title)}**: {md(' '.join(why))} {md(MISS_READING)}")
        st.markdown("\n".join(lines))


# Why a model calibrated on one op-ed misses later: stated once, under each miss.
MISS_READING = ("The model reads acceptability from the op-ed's drivers and the events' stated effects; a step taken "
                "for reasons it has no driver for (a leader's personal diplomacy, a partial step short of a deal) or "
                "held back by one it weighs lightly shows as a miss.")


def draw(ctx: state.Context) -> None:
    model = ctx.model
    d = model.data

    header(ctx, _("Method & sources"), _("How the scores are computed, where every number comes from, and whether the "
           "model still says what the op-ed says."))

    st.subheader("How a score is computed")
    st.markdown(md(
        "Feasibility is the probability that a capital could accept an option and ratify it at home rather than stay "
        "with no agreement (a 'win-set' in Putnam's two-level game). For each capital and option:"))
    st.latex(r"\text{log-odds} = \text{base} + \sum_{d} w_d \cdot \frac{x_d - x_d^{2016}}{\max_d - \min_d} "
             r"+ \text{election} \times \text{public mood}")
    st.latex(r"\text{feasibility} = \min\left(\frac{1}{1 + e^{-\text{log-odds}}},\ \text{ceiling}\right), \qquad "
             r"\text{joint} = \text{Moscow} \times \text{Tokyo}")
    inter = next(iter(d.coefficients.interactions.values()))
    st.markdown(md(
        f"The base term is the option's feasibility with every driver at its October 2016 value. A weight is the "
        f"change in log-odds when a driver moves across its whole slider. The election term is weight × (support − "
        f"{inter.pivot:g}%) / 100 × 0.5^(months ÷ {inter.half_life_months:g}), measured from its 2016 value: a near "
        f"election raises the stakes of public opinion, for compromise when a majority favours it and against it when "
        f"not (¶7, ¶17). Hard limits the op-ed states ('under no circumstances', ¶16) cap a score after the logistic. "
        f"An option is read as acceptable to a capital at {model.acceptance_threshold:.0%} or more. Data version "
        f"{model.version}."))

    st.subheader("What the uncertainty analysis draws")
    st.markdown(md(
        "The Uncertainty page draws the drivers from their plausible ranges (the table of drivers below). Its "
        "'Draw' choice can also draw the model's own numbers, because they are analyst judgement too: each weight "
        "within the next step of the weights' rule either side (0.25 | 0.5 | 1 | 1.5 | 2 | 3 | 4, coefficients.yaml), "
        "each base term and the Article 9 ceiling within one log-odds either side (about one phrase on Kent's scale "
        "of estimative probability), the election term's half-life from half to double. Every draw is triangular, "
        "peaking at the model's value; no draw flips a sign the op-ed fixes, and weights the op-ed leaves at zero "
        "stay zero. Numbers overridden on the Weights page are held at the override. Drawing only the drivers asks "
        "how sure the ranking is if the model is right; drawing the model's numbers too asks how much of that "
        "certainty rests on them, and the page shows which of them the first place depends on most (Sobol' total "
        "indices of the leader's lead, SALib)."))

    st.subheader("The op-ed's claims, checked against the model now")
    cal = data.calibration(model, ctx.key)
    passed = int(cal["passed"].sum())
    (st.success if passed == len(cal) else st.error)(
        f"{passed} of {len(cal)} claims hold" + ("" if not ctx.overrides else " with the overrides in force") + ".")
    st.dataframe(cal[["passed", "claim", "quote", "source", "observed"]], hide_index=True, width="stretch",
                 column_config={"passed": st.column_config.CheckboxColumn("Holds"),
                                "claim": st.column_config.TextColumn("Claim", width="large"),
                                "quote": st.column_config.TextColumn("The op-ed's words", width="large")})

    st.subheader("The weights")
    chart(charts.weights_map(model.parameters, model.assumptions["label"].to_dict(), ctx.labels), key="method_weights")

    st.subheader("Drivers")
    a = model.assumptions.reset_index()
    st.dataframe(a[["driver", "label", "unit", "min", "max", "baseline", "low", "high", "shape", "source",
                    "range_source", "description"]], hide_index=True, width="stretch",
                 column_config={"source": st.column_config.TextColumn("Source of the 2016 value", width="large"),
                                "range_source": st.column_config.TextColumn("Source of the plausible range",
                                                                            width="large")})

    st.subheader("Options and what the op-ed says of each")
    o = model.options.reset_index()
    st.dataframe(o[["option", "label", "description", "moscow_stance", "moscow_source", "moscow_baseline",
                    "tokyo_stance", "tokyo_source", "tokyo_baseline"]], hide_index=True, width="stretch")

    st.subheader("Every weight, with its reason and plausible range")
    p = model.parameters.reset_index()
    listed = p[(p["kind"] != "weight") | (p["value"] != 0) | (p["default"] != 0)]
    st.dataframe(listed[["key", "label", "value", "default", "sign", "plausible_low", "plausible_high",
                         "plausible_scale", "rationale", "source", "plausible_source"]], hide_index=True,
                 width="stretch", column_config={"rationale": st.column_config.TextColumn(width="large")})

    st.subheader("Hard limits")
    st.dataframe(pd.DataFrame([{"limit": c.label, "capital": c.capital, "options": ", ".join(c.options),
                                "ceiling": c.ceiling, "quote": c.quote, "source": render_refs(c.cite, d.sources)}
                               for c in d.constraints.values()]), hide_index=True, width="stretch")

    if d.events:
        history_section(ctx)

    st.subheader("Sources")
    st.dataframe(pd.DataFrame([{"id": k, "title": s.title, "author": s.author, "date": s.date,
                                "detail": s.detail or "", "address (not opened by the app)": s.address or ""}
                               for k, s in d.sources.items()]), hide_index=True, width="stretch")
    with st.expander("The op-ed, paragraph by paragraph"):
        for n, text in d.oped_paragraphs.items():
            st.markdown(md(f"¶{n}. {text}"))

    st.subheader("Data versions")
    for entry in d.manifest.changelog:
        st.markdown(md(f"{entry.version} ({entry.date}): " + " ".join(entry.changes)))


scenario_page(draw)
