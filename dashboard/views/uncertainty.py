"""Uncertainty: Monte Carlo over the drivers' plausible ranges, and Sobol indices, reproducible by seed."""

import pandas as pd
import streamlit as st

from dashboard.charts import uncertainty as charts
from dashboard.ui import data, files, state
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header

SOBOL_BASE = {"1000": 64, "5000": 256, "20000": 1024}  # Sobol' base samples (x 19 runs) for each draw count
NAMES = {"moscow": "Moscow", "tokyo": "Tokyo", "joint": "Both together"}


def draw(ctx: state.Context) -> None:
    model, option = ctx.model, ctx.option

    header(ctx, "Uncertainty", "Every driver is drawn at random from its plausible range (see Method & sources) and "
           "every option scored for each draw. The same seed gives the same result.")
    c1, c2, c3 = st.columns([1, 1, 2])
    with c1:
        draws = state.page_choice(model, "Draws", "draws", list(SOBOL_BASE), lambda n: f"{int(n):,}")
    with c2:
        spec = state.page_specs(model)["seed"]
        state.seed_page_param(model, "seed")
        seed = int(st.number_input("Seed", spec.lo, spec.hi, step=1, key="seed",
                                   help="Any whole number; the same seed reproduces the same draws."))
        state.remember_page_param("seed", seed, spec.default)
    with c3:
        around = state.page_choice(
            model, "Ranges", "around", ["2016", "scenario"],
            {"2016": "2016's plausible ranges", "scenario": "Same widths, centred on this scenario"}.get,
            widget=st.radio, horizontal=True)
    centre = ctx.items if around == "scenario" else None

    bar = st.progress(0.0, text=f"Scoring {int(draws):,} random scenarios…")
    mc = data.monte_carlo(model, ctx.key, centre, int(draws), seed)
    parts = []
    for i, out in enumerate(NAMES):
        bar.progress(0.3 + 0.7 * i / len(NAMES), text=f"Computing Sobol' indices with SALib ({NAMES[out]})…")
        parts.append(data.sobol(model, ctx.key, centre, SOBOL_BASE[draws], seed, out))
    indices = pd.concat(parts, ignore_index=True)
    bar.empty()

    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(charts.distributions(mc.summary, ctx.labels, int(draws)), key="uncertainty_distributions")
    with right:
        chart(charts.rank_first(mc.rank_first, ctx.labels, mc.rank_first_settlement), key="uncertainty_rank")
        files.csv_download("Summary of the draws (CSV)", lambda: mc.summary.join(mc.rank_first).reset_index(),
                           f"monte-carlo-{draws}-seed{seed}", "_dl_mc")
        files.csv_download("Every draw (CSV)", lambda: mc.samples.join(
            mc.scores.pivot(index="draw", columns="option", values="joint").add_prefix("joint_")),
            f"monte-carlo-draws-{draws}-seed{seed}", "_dl_draws")
    st.subheader(f"What the uncertainty comes from: {ctx.labels[option]}")
    output = state.page_choice(model, "Whose feasibility", "output", list(NAMES), NAMES.get,
                               widget=st.segmented_control, required=True)
    rows = indices[(indices["output"] == output) & (indices["option"] == option)]
    chart(charts.sobol_indices(rows, output, ctx.labels[option]), key="uncertainty_sobol")
    files.csv_download("Sobol indices, every option and capital (CSV)", indices, f"sobol-seed{seed}", "_dl_sobol")
    st.caption(f"Sobol' indices from {SOBOL_BASE[draws] * (len(model.driver_ids) + 2):,} model runs; bars show 95% "
               "bootstrap intervals. 'Alone' is the share of variance a driver explains by itself; 'total' adds its "
               "interactions with the others.")


scenario_page(draw)
