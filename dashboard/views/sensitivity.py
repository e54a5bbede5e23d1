"""Sensitivity: what moves the examined option most, any one driver swept, two drivers at once, the election."""

import streamlit as st

from dashboard.charts import sensitivity as charts
from dashboard.ui import data, files, state
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header

NAMES = {"moscow": "Moscow", "tokyo": "Tokyo", "joint": "Both together"}


def draw(ctx: state.Context) -> None:
    model, option = ctx.model, ctx.option
    a = ctx.assumptions
    labels, units = a["label"].to_dict(), a["unit"].to_dict()
    option_label = ctx.labels[option]

    header(ctx, "Sensitivity", f"How the scores respond to each driver, for {option_label} (chosen in the sidebar) "
           "and for every option.")

    output = state.page_choice(model, "Whose feasibility", "output", list(NAMES), NAMES.get,
                               widget=st.segmented_control, required=True)
    swings = data.tornado(model, ctx.key, ctx.items, option, output)
    chart(charts.tornado(swings, output, option_label, units), key="sensitivity_tornado")
    files.csv_download("Swings (CSV)", swings, f"tornado-{option}-{output}", "_dl_tornado")

    st.divider()
    driver = state.page_choice(model, "Driver to sweep", "sweep_driver", list(model.driver_ids), labels.get)
    curves_one = data.sweep(model, ctx.key, ctx.items, driver)
    chart(charts.sweep(curves_one, labels[driver], units[driver], ctx.values[driver], ctx.labels),
          key="sensitivity_sweep")
    files.csv_download("Sweep (CSV)", curves_one, f"sweep-{driver}", "_dl_sweep")

    st.divider()
    gx, gy = st.columns(2)
    with gx:
        x = state.page_choice(model, "Across", "grid_x", list(model.driver_ids), labels.get)
    with gy:
        y = state.page_choice(model, "Up", "grid_y", [d for d in model.driver_ids if d != x], labels.get)
    surface = data.grid(model, ctx.key, ctx.items, x, y)
    chart(charts.heatmap(surface[surface["option"] == option], labels[x], labels[y], output, option_label,
                         (ctx.values[x], ctx.values[y]), model.acceptance_threshold), key="sensitivity_heatmap")
    files.csv_download("Grid, every option (CSV)", surface.rename(columns={"x": x, "y": y}), f"grid-{x}-{y}",
                       "_dl_grid")

    st.divider()
    spec = state.page_specs(model)["election_window"]
    state.seed_page_param(model, "election_window")
    window = st.slider("Months shown", spec.lo, spec.hi, key="election_window")
    window = tuple(sorted(window))  # a reversed range from a link reads as the same range
    state.remember_page_param("election_window", window, spec.default)
    curves = data.sweep(model, ctx.key, ctx.items, "months_to_election")
    curves = curves[curves["value"].between(*window)]
    interaction = next(iter(model.data.coefficients.interactions.values()))
    chart(charts.election_timeline(curves, ctx.labels, ctx.values["months_to_election"],
                                   ctx.values["japan_public_support"], interaction.pivot), key="sensitivity_election")


scenario_page(draw)
