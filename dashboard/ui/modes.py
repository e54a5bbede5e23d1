"""The two views without sliders: the stakeholder view (``?view=viewer``) and presenter mode (``?view=present``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.charts import briefing as briefing_charts
from dashboard.links import Link, query_for
from dashboard.model import Model
from dashboard.model.explain import assumptions_table
from dashboard.model.history import checkpoint_label, find_checkpoint, start_events, start_sources, start_values
from dashboard.model.scenario import preset
from dashboard.model.schema import text
from dashboard.ui import state
from dashboard.ui.guard import guarded
from dashboard.ui.lang import _, ngettext
from dashboard.ui.show import chart
from dashboard.ui.text import md

STEP, TOUR = "_present_step", "_present_tour"

# Presenter mode's small type (the stepper's buttons, the "Scenario 1 of 8" line, the captions), enlarged for the
# back of a room: 1.25rem is 20 px, at least 18 px at 1920x1080. Streamlit 1.67 draws a button's label at its
# theme's small size (0.875rem) and has no option to enlarge one button, nor a caption, short of raising every
# page's type; so this one constant style sheet does it, scoped to presenter mode's own keyed container. It holds
# no text from a link, a file or the data. docs/accessibility.md says why there is no native way.
PRESENTER_CSS = """<style>
.st-key-present_slide button p, .st-key-present_slide button kbd,
.st-key-present_slide [data-testid=stMarkdownContainer] p,
.st-key-present_slide [data-testid=stCaptionContainer] p { font-size: 1.25rem; }
</style>"""


def tour(link: Link) -> str:
    """What presenter mode steps through: the prepared scenarios (default) or the dated checkpoints."""
    if TOUR not in st.session_state:
        st.session_state[TOUR] = link.page_params.get("tour", "scenarios")
    return st.session_state[TOUR]


def _steps(model: Model, link: Link) -> list[str]:
    if tour(link) == "dates" and model.data.checkpoints:
        return [cp.id for cp in model.data.checkpoints]
    return list(model.data.presentation)


def reasons(ctx: state.Context, heading: str = "") -> None:
    """The plain-language reasons for the best option and for the option examined, under ``heading`` if given."""
    e = ctx.explanation
    labels = ctx.option_labels
    # One element for the heading and both options: every element a slider move redraws costs the browser a
    # markdown render.
    st.markdown((f"### {md(heading)}\n\n" if heading else "") + "\n\n".join(
        f"**{md(labels[option])}**\n\n" + "\n".join(f"- {md(e.reasons.at[option, c])}" for c in ("moscow", "tokyo"))
        for option in dict.fromkeys([e.best, ctx.option])))


def viewer(ctx: state.Context, page_path: str) -> None:
    """Read, don't steer: the headline, the two key charts, the reasons and the assumptions with their sources."""
    st.header(_("Kuril Islands: which settlement could both capitals accept?"))
    as_of = ""
    if ctx.as_of:
        cp = find_checkpoint(ctx.model, ctx.as_of)
        as_of = _(" · as of {date}").format(date=checkpoint_label(ctx.model, cp, ctx.lang))
        if ctx.events:
            as_of += ngettext(" · {n} event since the op-ed in force", " · {n} events since the op-ed in force",
                              len(ctx.events)).format(n=len(ctx.events))
    st.caption(md(_("{scenario} · data version {version}").format(scenario=ctx.scenario_title() + as_of,
                                                                   version=ctx.model.version)))
    if ctx.overrides:
        st.info(md(ngettext("This view uses {n} analyst override of the model's weights.",
                            "This view uses {n} analyst overrides of the model's weights.",
                            len(ctx.overrides)).format(n=len(ctx.overrides))))
    st.markdown(f"#### {md(ctx.explanation.headline)}")
    threshold = ctx.model.acceptance_threshold
    left, right = st.columns(2, gap="medium")
    with left:
        chart(briefing_charts.feasibility_map(ctx.explanation.scores, ctx.labels, threshold, ctx.option,
                                              point_labels=False, lang=ctx.lang), key="viewer_map", toolbar=False)
    with right:
        chart(briefing_charts.score_bars(ctx.explanation.scores, ctx.labels, threshold, ctx.option, lang=ctx.lang),
              key="viewer_bars", toolbar=False)
    reasons(ctx, heading=_("Why"))
    st.subheader(_("Assumptions in force"))
    # A static table wraps its text, so on a phone the sources stay readable without sideways scrolling.
    # Started from a later date, the reference column is that date's value, with its own source.
    start = find_checkpoint(ctx.model, ctx.as_of) if ctx.as_of else None
    if start is not None and start.id != ctx.model.data.checkpoints[0].id:
        table = assumptions_table(ctx.model, ctx.values, lang=ctx.lang, start=start_values(ctx.model, start),
                                  start_sources=start_sources(ctx.model, start, short=True, lang=ctx.lang))
        reference = i18n.month(start.date, ctx.lang)  # its date only: the line at the top names the checkpoint
    else:
        table = assumptions_table(ctx.model, ctx.values, short_sources=True, lang=ctx.lang)
        reference = _("2016")
    # Three columns, not four: on a 390 px phone four did not fit in Russian. A value that differs from the start
    # point's says what it was then, so the moved assumptions stand out.
    moved = _("{value} ({reference}: {before})")
    st.table(pd.DataFrame({
        _("Assumption"): table["Assumption"],
        _("Value"): [v if v == before else moved.format(value=v, reference=reference, before=before)
                     for v, before in zip(table["Value"], table["2016"], strict=True)],
        _("Source"): table["Source"],
    }), hide_index=True)
    full = ctx.share_link(page_path)
    st.link_button(_("Open this scenario in the full app"), full, icon=":material/open_in_new:")


def _step_values(model: Model, link: Link, step_id: str) -> dict[str, float]:
    if tour(link) == "dates" and model.data.checkpoints:
        return start_values(model, find_checkpoint(model, step_id))
    return preset(model, step_id).drivers


def presenter_events(model: Model, link: Link) -> frozenset[str]:
    """The events on screen: a date's own when stepping through the dates, else the link's."""
    if tour(link) == "dates" and model.data.checkpoints:
        return start_events(find_checkpoint(model, _steps(model, link)[st.session_state[STEP] - 1]))
    return link.events


def presenter_values(model: Model, link: Link) -> dict[str, float]:
    """The scenario on screen: the link's own values on arrival if it pinned any, else the step's scenario."""
    steps = _steps(model, link)
    if STEP not in st.session_state:
        st.session_state[STEP] = min(max(link.step, 1), len(steps))
        if link.given:
            st.session_state["_present_values"] = dict(link.values)
    pinned = st.session_state.get("_present_values")
    if pinned is not None:
        return pinned
    return _step_values(model, link, steps[st.session_state[STEP] - 1])


def _go(model: Model, link: Link, delta: int) -> None:
    n = len(_steps(model, link))
    st.session_state[STEP] = min(max(st.session_state[STEP] + delta, 1), n)
    st.session_state.pop("_present_values", None)  # a new step shows that step's scenario


def _switch_tour(link: Link) -> None:
    st.session_state[TOUR] = "scenarios" if st.session_state.get(TOUR) == "dates" else "dates"
    st.session_state[STEP] = 1
    st.session_state.pop("_present_values", None)


@st.fragment
def presenter_view(model: Model, link: Link, problems: tuple[str, ...], base_url: str) -> None:
    """Presenter mode as a fragment: stepping to the next scenario redraws the slide, not the whole app."""
    with guarded("fragment"), st.container(key="present_slide"):
        st.html(PRESENTER_CSS)
        values = presenter_values(model, link)
        ctx = state.build_context(model, values, link.option, "present", problems, base_url,
                                  presenter_events(model, link))
        presenter(ctx, link)


def presenter(ctx: state.Context, link: Link) -> None:
    """Large type, the headline and the two key charts, and a stepper through the prepared scenarios."""
    model = ctx.model
    steps = _steps(model, link)
    dates = tour(link) == "dates" and bool(model.data.checkpoints)
    i = min(st.session_state[STEP], len(steps))
    st.session_state[STEP] = i
    modified = st.session_state.get("_present_values") not in (None, _step_values(model, link, steps[i - 1]))
    prev, count, nxt, switch = st.columns([1, 3, 1, 1.4], vertical_alignment="center")
    prev.button(_("◀ Previous"), on_click=_go, args=(model, link, -1), shortcut="Left", disabled=i == 1,
                width="stretch", key="_prev", help=_("Left arrow key"))
    where = (_("Date {i} of {n}") if dates else _("Scenario {i} of {n}")).format(i=i, n=len(steps))
    count.markdown(md(where + (_(" · adjusted from the prepared values") if modified else "") + _(" · ← → to step")))
    nxt.button(_("Next ▶"), on_click=_go, args=(model, link, 1), shortcut="Right", disabled=i == len(steps),
               width="stretch", key="_next", help=_("Right arrow key"))
    if model.data.checkpoints:
        switch.button(_("Step through the scenarios") if dates else _("Step through the dates"),
                      on_click=_switch_tour, args=(link,), width="stretch", key="_tour")
    if dates:
        cp = find_checkpoint(model, steps[i - 1])
        st.title(md(checkpoint_label(model, cp, ctx.lang)))
        st.markdown(f"#### {md(text(cp, 'summary', ctx.lang))}")
        st.caption(md(_("What happened next: {summary} · events in force: {events} · the op-ed's weights, no per-date "
                        "tuning").format(summary=text(cp.happened, "summary", ctx.lang), events=", ".join(
                            text(model.data.events[e], "label", ctx.lang) for e in cp.events) or _("none"))))
    else:
        p = model.data.presets[steps[i - 1]]
        st.title(md(p.title_in(ctx.lang)))
        st.markdown(f"#### {md(p.note_in(ctx.lang))}")
    st.markdown(f"## {md(ctx.explanation.headline)}")
    threshold = model.acceptance_threshold
    left, right = st.columns(2, gap="large")
    with left:
        chart(briefing_charts.feasibility_map(ctx.explanation.scores, ctx.labels, threshold, ctx.option, large=True,
                                              lang=ctx.lang), key="present_map")
    with right:
        chart(briefing_charts.score_bars(ctx.explanation.scores, ctx.labels, threshold, ctx.option, large=True,
                                         lang=ctx.lang), key="present_bars")
    # The address bar always holds this exact slide, so the briefer can send it afterwards.
    extra = {"step": i, **({"tour": "dates"} if dates else {})}
    want = dict(query_for(ctx.values, option=ctx.option, view="present", extra=extra, overrides=ctx.overrides,
                          as_of=steps[i - 1] if dates else None,
                          events=ctx.events if dates or ctx.events else None,
                          lang=ctx.lang if ctx.lang != "en" else None))
    if {k: st.query_params.get(k) for k in want} != want or set(st.query_params) - set(want):
        st.query_params.from_dict(want)
