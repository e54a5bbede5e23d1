"""Why: each driver's push on the examined option's score, for each capital, with the op-ed's words."""

import streamlit as st

from dashboard.charts import why as charts
from dashboard.model.citations import render_refs
from dashboard.model.explain import pct, term_labels
from dashboard.model.schema import text
from dashboard.ui import state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md


def draw(ctx: state.Context) -> None:
    option = ctx.option
    o = ctx.model.options.loc[option]
    c = ctx.explanation.contributions

    option_data = ctx.model.data.options[option]
    header(ctx, _("Why: {option}").format(option=text(option_data, "label", ctx.lang)), _(
           "Each bar is one driver's push on the option's feasibility, from its 2016 baseline to now. Bars add up "
           "exactly on the log-odds scale; the axis reads as feasibility. Choose the option in the sidebar."))
    st.markdown(md(text(option_data, "description", ctx.lang)))
    with st.container():  # shown or not, the charts below keep their place in the page (see the Briefing page)
        if ctx.values == ctx.model.baseline:
            st.info(md(_("Every driver is at its 2016 value, so nothing pushes the scores away from the 2016 base "
                         "terms, which are the analyst's reading of the op-ed's stance quoted under each chart. Move "
                         "a slider, load a prepared scenario, or see the Sensitivity page for what would move "
                         "them.")),
                    icon=":material/info:")
    cols = st.columns(2, gap="large")
    for col, capital in zip(cols, ("moscow", "tokyo"), strict=True):
        with col:
            rows = term_labels(ctx.model, c[(c["capital"] == capital) & (c["option"] == option)], ctx.lang)
            chart(charts.waterfall(rows, capital, ctx.labels[option], lang=ctx.lang), key=f"why_{capital}")
            st.markdown(md(ctx.explanation.reasons.at[option, capital]))
            # The op-ed's words stay in English, the source's language, quoted with ¶; the judgement is translated.
            st.markdown(f"> {md(o[f'{capital}_stance'])}")
            st.caption(md(_("{source}. 2016 base term: {base}, analyst judgement: {judgement}").format(
                source=render_refs(getattr(option_data, capital).cite, ctx.model.data.sources, ctx.lang),
                base=pct(o[f"{capital}_baseline"], ctx.lang),
                judgement=text(getattr(option_data, capital), "judgement", ctx.lang))))


scenario_page(draw)
