"""Sensitivity: what moves the examined option most, any one driver swept, two drivers at once, the election.

One analysis at a time, chosen at the top (and kept in the link): each is a full-width chart, and drawing only the
one in view keeps a slider move on this page as quick as on the Briefing page (four charts redrawn at once took
twice as long).
"""

import streamlit as st

from dashboard import i18n
from dashboard.charts import sensitivity as charts
from dashboard.i18n import N_
from dashboard.model.schema import text
from dashboard.ui import data, files, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header

NAMES = {"moscow": N_("Moscow"), "tokyo": N_("Tokyo"), "joint": N_("Both together")}
ANALYSES = {"tornado": N_("What moves it most"), "sweep": N_("One driver across its scale"),
            "grid": N_("Two drivers at once"), "election": N_("As the election nears")}


def _name(key: str) -> str:
    return _(NAMES[key])


def _analysis(key: str) -> str:
    return _(ANALYSES[key])


def _driver_labels(ctx: state.Context) -> dict[str, str]:
    return {d: text(x, "label", ctx.lang) for d, x in ctx.model.data.drivers.items()}


def tornado(ctx: state.Context) -> None:
    output = state.page_choice(ctx.model, _("Whose feasibility"), "output", list(NAMES), _name,
                               widget=st.segmented_control, required=True)
    swings = data.tornado(ctx.model, ctx.key, ctx.items, ctx.option, output)
    shown = swings.assign(label=swings["driver"].map(_driver_labels(ctx)))
    chart(charts.tornado(shown, output, ctx.labels[ctx.option], ctx.assumptions["unit"].to_dict(), lang=ctx.lang),
          key="sensitivity_tornado")
    if ctx.lang != i18n.DEFAULT:  # the CSV keeps its English label and id headers; the reader's names come after
        swings.insert(swings.columns.get_loc("label") + 1, f"label_{ctx.lang}", shown["label"])
    files.csv_download(_("Swings (CSV)"), swings, f"tornado-{ctx.option}-{output}", "_dl_tornado")


def sweep(ctx: state.Context) -> None:
    a = ctx.assumptions
    labels, units = _driver_labels(ctx), a["unit"].to_dict()
    driver = state.page_choice(ctx.model, _("Driver to sweep"), "sweep_driver", list(ctx.model.driver_ids),
                               labels.get)
    curves = data.sweep(ctx.model, ctx.key, ctx.items, driver)
    chart(charts.sweep(curves, labels[driver], units[driver], ctx.values[driver], ctx.labels, lang=ctx.lang),
          key="sensitivity_sweep")
    files.csv_download(_("Sweep (CSV)"), curves, f"sweep-{driver}", "_dl_sweep")


def grid(ctx: state.Context) -> None:
    model, option = ctx.model, ctx.option
    labels = _driver_labels(ctx)
    output = state.page_choice(model, _("Whose feasibility"), "output", list(NAMES), _name,
                               widget=st.segmented_control, required=True)
    gx, gy = st.columns(2)
    with gx:
        x = state.page_choice(model, _("Across"), "grid_x", list(model.driver_ids), labels.get)
    with gy:
        y = state.page_choice(model, _("Up"), "grid_y", [d for d in model.driver_ids if d != x], labels.get)
    surface = data.grid(model, ctx.key, ctx.items, x, y)
    chart(charts.heatmap(surface[surface["option"] == option], labels[x], labels[y], output, ctx.labels[option],
                         (ctx.values[x], ctx.values[y]), model.acceptance_threshold, lang=ctx.lang),
          key="sensitivity_heatmap")
    files.csv_download(_("Grid, every option (CSV)"), surface.rename(columns={"x": x, "y": y}), f"grid-{x}-{y}",
                       "_dl_grid")


def election(ctx: state.Context) -> None:
    model = ctx.model
    spec = state.page_specs(model)["election_window"]
    state.seed_page_param(model, "election_window")
    window = st.slider(_("Months shown"), spec.lo, spec.hi, key="election_window")
    window = tuple(sorted(window))  # a reversed range from a link reads as the same range
    state.remember_page_param("election_window", window, spec.default)
    curves = data.sweep(model, ctx.key, ctx.items, "months_to_election")
    curves = curves[curves["value"].between(*window)]
    interaction = next(iter(model.data.coefficients.interactions.values()))
    chart(charts.election_timeline(curves, ctx.labels, ctx.values["months_to_election"],
                                   ctx.values["japan_public_support"], interaction.pivot, lang=ctx.lang),
          key="sensitivity_election")
    files.csv_download(_("Tokyo's view by months to the election (CSV)"), curves, "election", "_dl_election")


def draw(ctx: state.Context) -> None:
    header(ctx, _("Sensitivity"), _("How the scores respond to each driver, for {option} (chosen in the sidebar) and "
           "for every option.").format(option=ctx.labels[ctx.option]))
    analysis = state.page_choice(ctx.model, _("Analysis"), "analysis", list(ANALYSES), _analysis,
                                 widget=st.segmented_control, required=True)
    {"tornado": tornado, "sweep": sweep, "grid": grid, "election": election}[analysis](ctx)


scenario_page(draw)
