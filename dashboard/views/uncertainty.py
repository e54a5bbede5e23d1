"""Uncertainty: Monte Carlo over the drivers' plausible ranges (and, by choice, the model's own numbers), and Sobol
indices, reproducible by seed. Everything is computed in cached functions (dashboard/ui/data.py): a slider move that
leaves the draws' inputs alone reruns this page from the cache."""

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.charts import uncertainty as charts
from dashboard.i18n import N_
from dashboard.model.explain import input_labels
from dashboard.ui import data, files, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header

SOBOL_BASE = {"1000": 64, "5000": 256, "20000": 1024}  # Sobol' base samples (x 19 runs) for each draw count
NAMES = {"moscow": N_("Moscow"), "tokyo": N_("Tokyo"), "joint": N_("Both together")}
# At most 256 base samples (33,536 runs) for the first-place indices: 1,024 took 13.6 s on the 2-core server under
# load (2026-12-02), 256 took 3.3 s, with 95% intervals narrow enough to order the top inputs.
IMPORTANCE_BASE = 256
DRAWS = {"drivers": N_("Drivers only"), "drivers_and_model": N_("Drivers and the model's own numbers")}
RANGES = {"2016": N_("2016's plausible ranges"), "scenario": N_("Same widths, centred on this scenario")}


def draw(ctx: state.Context) -> None:
    model, option, lang = ctx.model, ctx.option, ctx.lang

    header(ctx, _("Uncertainty"), _("Every driver is drawn at random from its plausible range (see Method & sources) "
           "and every option scored for each draw; with the model's own numbers drawn too, so are its weights, base "
           "terms and hard-limit ceilings, each from its own plausible range. The same seed gives the same result."))
    scope = state.page_choice(model, _("Draw"), "draw", list(DRAWS), lambda k: _(DRAWS[k]), widget=st.radio,
                              horizontal=True,
                              help=_("The model's numbers are analyst judgement too: drawing them shows how much of "
                                     "the certainty below rests on the numbers being exactly right. Numbers you "
                                     "override on the Weights page are held at your value."))
    c1, c2, c3 = st.columns([1, 1, 2])
    with c1:
        draws = state.page_choice(model, _("Draws"), "draws", list(SOBOL_BASE), lambda n: i18n.number(int(n), lang))
    with c2:
        spec = state.page_specs(model)["seed"]
        state.seed_page_param(model, "seed")
        seed = int(st.number_input(_("Seed"), spec.lo, spec.hi, step=1, key="seed",
                                   help=_("Any whole number; the same seed reproduces the same draws.")))
        state.remember_page_param("seed", seed, spec.default)
    with c3:
        around = state.page_choice(
            model, _("Ranges"), "around", list(RANGES), lambda k: _(RANGES[k]), widget=st.radio, horizontal=True)
    centre = ctx.items if around == "scenario" else None

    with st.spinner(_("Scoring {n} random scenarios…").format(n=i18n.number(int(draws), lang)), show_time=True):
        mc = data.monte_carlo(model, ctx.key, centre, int(draws), seed, scope)

    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(charts.distributions(mc.summary, ctx.labels, int(draws), lang=lang), key="uncertainty_distributions")
    with right:
        chart(charts.rank_first(mc.rank_first, ctx.labels, mc.rank_first_settlement, lang=lang),
              key="uncertainty_rank")

        def summary_table() -> pd.DataFrame:
            df = mc.summary.join(mc.rank_first).join(mc.rank_first_settlement.rename("p_first_among_settlements"))
            return df.reset_index().assign(draw=scope, draws=int(draws), seed=seed, data_version=model.version)
        files.csv_download(_("Summary of the draws (CSV)"), summary_table, f"monte-carlo-{scope}-{draws}-seed{seed}",
                           "_dl_mc")
        files.csv_download(_("Every draw (CSV)"), lambda: mc.samples.join(
            mc.scores.pivot(index="draw", columns="option", values="joint").add_prefix("joint_")).join(
            mc.first.rename("first")), f"monte-carlo-draws-{scope}-{draws}-seed{seed}", "_dl_draws")

    with_model = "drivers_and_model"
    if scope == with_model:
        with st.spinner(_("Computing which of the model's numbers the first place depends on (SALib)…"),
                        show_time=True):
            importance = data.ranking_importance(model, ctx.key, centre, min(SOBOL_BASE[draws], IMPORTANCE_BASE),
                                                 seed, "all")
        leader = importance.attrs["leader"]
        chart(charts.ranking_importance(input_labels(model, importance, lang), ctx.labels[leader], "all", lang=lang),
              key="uncertainty_importance")
        files.csv_download(_("What the first place depends on, every input (CSV)"), importance,
                           f"first-place-inputs-seed{seed}", "_dl_importance")
        st.caption(_("Sobol' total indices (SALib) of {option}'s lead in joint feasibility over the best other "
                     "option, from {runs} model runs; bars show 95% bootstrap intervals. The lead is positive "
                     "exactly when it stays first, so the numbers that move it most are those its first place rests "
                     "on.").format(option=ctx.labels[leader], runs=i18n.number(importance.attrs["runs"], lang)))
    else:
        st.caption(_("Only the drivers are drawn: the shares above assume the model's weights, base terms and "
                     "ceilings are exactly right. Choose “{choice}” to question them too, and to see which of them "
                     "the first place depends on.").format(choice=_(DRAWS[with_model])))

    st.subheader(_("What the uncertainty comes from: {option}").format(option=ctx.labels[option]))
    output = state.page_choice(model, _("Whose feasibility"), "output", list(NAMES), lambda k: _(NAMES[k]),
                               widget=st.segmented_control, required=True)
    with st.spinner(_("Computing Sobol' indices with SALib ({output})…").format(output=_(NAMES[output])),
                    show_time=True):
        indices = data.sobol(model, ctx.key, centre, SOBOL_BASE[draws], seed, output, scope)
    rows = indices[(indices["output"] == output) & (indices["option"] == option)]
    chart(charts.sobol_indices(input_labels(model, rows, lang), output, ctx.labels[option], lang=lang),
          key="uncertainty_sobol")
    # The other outputs are computed only when the file is asked for (and then cached).
    files.csv_download(_("Sobol indices, every option and capital (CSV)"), lambda: pd.concat(
        [data.sobol(model, ctx.key, centre, SOBOL_BASE[draws], seed, out, scope) for out in NAMES],
        ignore_index=True), f"sobol-{scope}-seed{seed}", "_dl_sobol")
    inputs = len(indices["driver"].unique())
    st.caption(_("Sobol' indices from {runs} model runs; bars show 95% bootstrap intervals. “Alone” is the share "
                 "of variance an input explains by itself; “total” adds its interactions with the others.").format(
        runs=i18n.number(SOBOL_BASE[draws] * (inputs + 2), lang)))


scenario_page(draw)
