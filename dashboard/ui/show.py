"""Rendering helpers shared by the pages: a chart with its text summary, and small formatted pieces."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import summary_of
from dashboard.model.parameters import parameter_labels
from dashboard.ui.lang import _
from dashboard.ui.text import md

# Plotly's own toolbar downloads a PNG in the browser; no logo link, nothing fetched from elsewhere.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

ZOOM_BUTTONS = ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]


class _SentFigure(go.Figure):
    """A figure on its way to the browser.

    ``st.plotly_chart`` turns the figure into a dict and at once into JSON. ``Figure.to_dict`` deep-copies the
    figure first (so that a caller cannot change it through the dict) and scans it for NumPy arrays to re-encode;
    neither buys anything here, where the dict lives for one ``json.dumps``, and together they were about 1.2 ms
    of server CPU per chart on every slider move. Plotly's JSON encoder writes any array as a list.
    """

    def to_dict(self) -> dict:
        return {"data": self._data, "layout": self._layout}


def chart(fig: go.Figure, key: str, toolbar: bool = True) -> None:
    """A chart under a stable key (so it keeps its zoom across reruns), with its one-line summary beneath.

    ``toolbar=False`` hides Plotly's toolbar, which covers the title on a phone.
    """
    summary = summary_of(fig)
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": key}}
    if fig.layout.dragmode is False:
        # A chart that cannot be zoomed or panned (theme.figure(zoom=False)) keeps only the buttons that do
        # something: the image download. Fewer buttons are also less for the browser to build on every redraw.
        config["modeBarButtonsToRemove"] = [*PLOTLY_CONFIG["modeBarButtonsToRemove"], *ZOOM_BUTTONS]
    if not toolbar:
        config["displayModeBar"] = False
    fig.__class__ = _SentFigure  # built for this run and not kept: see _SentFigure
    st.plotly_chart(fig, key=key, theme=None, config=config, alt=summary or None)
    if summary:
        st.caption(md(summary))


def header(ctx, title: str, intro: str, note: str = "") -> None:
    """A page's title, the scenario in force (and its ``note``), what the page is for, and any overrides in force.

    The scenario line, the note and the intro are one element: every element in the page is redrawn by the
    browser on each slider move (issue 9).
    """
    st.title(title)
    scenario_line = _("{scenario} · data version {version}").format(scenario=md(ctx.scenario_title()),
                                                                     version=md(ctx.model.version))
    lines = [f":small[{scenario_line}]"]
    if note:
        lines.append(f":small[{md(note)}]")
    st.markdown("  \n".join(lines) + "\n\n" + md(intro))
    if ctx.overrides:
        labels = parameter_labels(ctx.model.data, ctx.lang)
        listed = "; ".join(f"{labels[k]} = {v:g}" for k, v in ctx.overrides.items())
        st.warning(md(_("Overrides in force ({n}): {listed}. Reset them on the Weights page.").format(
                          n=len(ctx.overrides), listed=listed)),
                   icon=":material/edit_note:")
