"""Weights: the model's own numbers, open to question. Edits rescore every page at once and travel in links."""

import pandas as pd
import streamlit as st

from dashboard.charts import compare as compare_charts
from dashboard.charts import method as method_charts
from dashboard.i18n import N_, gettext_for
from dashboard.model import Model
from dashboard.model.explain import capital_name
from dashboard.model.parameters import in_language, override_problems, parameter_labels, sign_word
from dashboard.model.schema import text
from dashboard.ui import data, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md

KINDS = {"weight": N_("Driver weights"), "base": N_("2016 base terms"), "interaction": N_("Election × public mood"),
         "half_life": N_("Election half-life"), "ceiling": N_("Hard limits")}
EDITOR = "_weights_editor_round"  # bumped after each applied edit, so the editor starts clean from the new values


def apply_edits(base: Model, keys: list[str], edits: dict) -> None:
    """Validate the edited cells as one set of overrides: applied together, or refused together with the reason."""
    proposed = dict(st.session_state.get(state.OVERRIDES, {}))
    for row, change in edits.items():
        if "value" in change:
            proposed[keys[int(row)]] = change["value"]
    try:
        proposed = base.with_overrides(proposed).overrides
    except ValueError:
        st.session_state["_weights_error"] = proposed  # the refused set: its reasons are told in the page's language
    else:
        st.session_state[state.OVERRIDES] = proposed
        st.session_state.pop("_weights_error", None)
    st.session_state[EDITOR] = st.session_state.get(EDITOR, 0) + 1


def reset() -> None:
    st.session_state[state.OVERRIDES] = {}
    st.session_state.pop("_weights_error", None)
    st.session_state[EDITOR] = st.session_state.get(EDITOR, 0) + 1


def draw(ctx: state.Context) -> None:
    base, model = ctx.base_model, ctx.model

    header(ctx, _("Weights"), _("Every number the model uses to turn drivers into scores, with its reason and source. "
           "Change one and every chart in the dashboard rescores at once; the change is listed on every page, "
           "travels in the share link and can be reset here."))

    # The kinds' box gets half the row: with two kinds chosen, a narrower one left its text field too small to
    # click (axe-core: target-size), in Russian at 1280 px.
    f1, f2, f3 = st.columns([1, 2.6, 1])
    with f1:
        capital = st.segmented_control(_("Capital"), ["moscow", "tokyo"],
                                       format_func=lambda c: capital_name(c, ctx.lang), default="tokyo",
                                       required=True, key="_weights_capital")
    with f2:
        kinds = st.multiselect(_("Kinds of number"), list(KINDS), default=["weight", "base"],
                               format_func=lambda k: gettext_for(ctx.lang)(KINDS[k]), key="_weights_kinds")
    with f3:
        nonzero = st.toggle(_("Only numbers the data sets"), value=True, key="_weights_nonzero",
                            help=_("Hide the zero weights the op-ed gives no reason for (they can still be set)."))

    table = model.parameters
    shown = table[(table["capital"] == capital) & table["kind"].isin(kinds)]
    if nonzero:
        shown = shown[(shown["kind"] != "weight") | (shown["default"] != 0) | (shown["value"] != 0)]
    # Rows stay keyed by parameter key (an edit names its row by position in this index); only the words change.
    view = in_language(shown[["label", "value", "default", "min", "max", "sign", "rationale", "source"]],
                       model.data, ctx.lang)
    view = view.assign(sign=[sign_word(s, ctx.lang) if s else "" for s in view["sign"]])

    editor_key = f"_weights_editor_{st.session_state.get(EDITOR, 0)}"
    st.data_editor(
        view, key=editor_key, width="stretch", disabled=[c for c in view.columns if c != "value"],
        column_config={"_index": st.column_config.TextColumn(_("Key")),
                       "label": st.column_config.TextColumn(_("Parameter")),
                       "value": st.column_config.NumberColumn(_("Value in force"), step=0.001, format="%g"),
                       "default": st.column_config.NumberColumn(_("Data value"), format="%g"),
                       "min": st.column_config.NumberColumn(_("Lowest allowed"), format="%g"),
                       "max": st.column_config.NumberColumn(_("Highest allowed"), format="%g"),
                       "sign": st.column_config.TextColumn(_("Sign the source fixes")),
                       "rationale": st.column_config.TextColumn(_("Why (analysts' note)"),
                                                                width="large"),
                       "source": st.column_config.TextColumn(_("Source"))},
    )
    edits = (st.session_state.get(editor_key) or {}).get("edited_rows") or {}
    if edits:
        apply_edits(base, list(view.index), edits)
        st.rerun()  # every chart, here and on the other pages, redrawn with the new numbers
    refused = st.session_state.get("_weights_error")
    if refused:
        # Each reason ends where the sentence around them goes on (a rationale ends with its own full stop).
        problems = [p.rstrip(".。") for p in override_problems(base.parameters, base.data, refused, ctx.lang)]
        st.error(md(_("Invalid overrides: {problems}. Nothing was changed.").format(problems=_("; ").join(problems))),
                 icon=":material/block:")

    st.button(_("Reset every weight to the data"), on_click=reset, disabled=not ctx.overrides, key="_weights_reset",
              icon=":material/restart_alt:")

    st.subheader(_("Effect of the overrides on the current scenario"))
    if ctx.overrides:
        plain = data.explanation(base, data.cache_key(base), ctx.items).scores
        chart(compare_charts.changes(plain, ctx.explanation.scores, ctx.labels, lang=ctx.lang), key="weights_changes")
        labels = parameter_labels(model.data, ctx.lang)
        st.dataframe(pd.DataFrame({"parameter": [labels[k] for k in ctx.overrides], "key": list(ctx.overrides),
                                   "value": list(ctx.overrides.values()),
                                   "default": [base.parameters.at[k, "default"] for k in ctx.overrides]}),
                     hide_index=True,
                     column_config={"parameter": st.column_config.TextColumn(_("Parameter")),
                                    "key": st.column_config.TextColumn(_("Key")),
                                    "value": st.column_config.NumberColumn(_("Value in force"), format="%g"),
                                    "default": st.column_config.NumberColumn(_("Data value"), format="%g")})
    else:
        st.info(_("No overrides in force: every number is the data's. Edit a value in the table above to see its "
                  "effect here and on every page."), icon=":material/info:")
    drivers = {d: text(x, "label", ctx.lang) for d, x in model.data.drivers.items()}
    chart(method_charts.weights_map(model.parameters, drivers, ctx.labels, lang=ctx.lang), key="weights_map")


scenario_page(draw)
