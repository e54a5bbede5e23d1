"""Downloads and uploads in the app: scores, scenario files, the briefing pack and the slide deck.

Every download is built when its button is clicked (a deferred download, ``data=`` a function) and the click does
not rerun the app, so a heavy file costs nothing until someone asks for it. An uploaded scenario is applied whole
or refused whole, in the uploader's callback, before anything is drawn.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from dashboard.export import briefing_pack, build_briefing, chromium_path, scores_csv, slide_deck
from dashboard.model import Model
from dashboard.model.scenario import MAX_BYTES, Scenario, ScenarioError, dump_scenario, parse_scenario, too_large
from dashboard.ui import lang, state
from dashboard.ui.lang import _
from dashboard.ui.text import md

UPLOAD_ROUND = "_upload_round"  # bumped after each upload so the uploader starts empty, ready for the next file
UPLOAD_RESULT = "_upload_result"
META = "_scenario_meta"  # title, note and values of the last scenario loaded from a file


def slug(text: str) -> str:
    """A file-name-safe version of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "scenario"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")


def _apply_upload(model: Model, key: str) -> None:
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    f = st.session_state.get(key)
    if f is None:
        return
    name = re.sub(r"[^\w.\-]", "_", f.name)[:80]  # shown in messages: a plain name only
    here = lang.current()
    try:
        if f.size > MAX_BYTES:  # checked here too, not only by the browser
            raise ScenarioError(name, [too_large(f.size, here)])
        if not name.lower().endswith((".yaml", ".yml", ".json")):
            raise ScenarioError(name, [_("not a YAML or JSON file (.yaml, .yml or .json)")])
        scenario = parse_scenario(f.getvalue(), model, name, lang=here)
    except ScenarioError as e:
        st.session_state[UPLOAD_RESULT] = ("error", name, e.problems)
        return  # refused whole: nothing in the session changes
    for d, v in scenario.drivers.items():
        st.session_state[d] = int(v)
    if scenario.as_of:
        st.session_state[state.ASOF] = scenario.as_of
    st.session_state[state.EVENTS] = frozenset(scenario.events)
    if scenario.option:
        st.session_state[state.OPTION] = scenario.option
    st.session_state[state.OVERRIDES] = dict(scenario.overrides)
    st.session_state[META] = (scenario.title_in(here), scenario.note_in(here), dict(scenario.drivers))
    st.session_state[UPLOAD_RESULT] = ("ok", name, [scenario.title_in(here) or _("untitled"), *scenario.notices])
    # The uploader lives in the scenario fragment, whose own rerun would leave the sliders showing the old values.
    st.rerun()


FILE_BOX = "_file_box"  # the box's open state: its contents are drawn (and re-sent on a slider move) only when open


def scenario_files(ctx: state.Context, sb) -> None:
    """The sidebar's "Scenario file" box, drawn into ``sb``: open a file, or save the scenario in force.

    Closed, the box sends nothing but its label: a slider move then redraws no uploader, fields or buttons that
    nobody can see. Opening it reruns the scenario fragment, which draws them.
    """
    model = ctx.base_model
    box = sb.expander(_("Open or save a scenario file"), icon=":material/folder_open:", key=FILE_BOX,
                      on_change="rerun")
    if not box.open:
        return
    with box:
        key = f"_scenario_upload_{st.session_state.get(UPLOAD_ROUND, 0)}"
        # No `type=` filter: Streamlit would raise on another extension; the callback refuses it with a message.
        st.file_uploader(_("Open a scenario (YAML or JSON)"), key=key,
                         on_change=_apply_upload, args=(model, key), max_upload_size=1,
                         help=_("A file saved from here or written by hand (format `kuril-scenario/1`, up to {kb} "
                                "KB). It is applied whole or not at all.").format(kb=MAX_BYTES // 1024))
        result = st.session_state.get(UPLOAD_RESULT)
        if result:
            status, name, details = result
            if status == "ok":
                st.success(md(_("Opened {name}: {title}.").format(name=name, title=details[0])),
                           icon=":material/check:")
                for notice in details[1:]:
                    st.info(md(notice), icon=":material/history:")
            else:
                st.error(md(_("{name} was not opened, and nothing changed: {problems}.").format(
                    name=name, problems="; ".join(details))),
                         icon=":material/block:")
        # No keys: the fields follow the scenario in force (a new scenario gives new defaults).
        title = st.text_input(_("Title"), value=ctx.scenario_title(), max_chars=120)
        note = st.text_area(_("Note"), value=meta_note(ctx), max_chars=2000, height=80)
        scenario = saved_scenario(ctx, title, note)
        name = f"{slug(title)}-{_stamp()}"
        c1, c2 = st.columns(2)
        c1.download_button(_("Save YAML"), lambda: dump_scenario(scenario, model, "yaml"), f"{name}.yaml",
                           "application/yaml", on_click="ignore", key="_save_yaml", icon=":material/download:")
        c2.download_button(_("Save JSON"), lambda: dump_scenario(scenario, model, "json"), f"{name}.json",
                           "application/json", on_click="ignore", key="_save_json", icon=":material/download:")


def saved_scenario(ctx: state.Context, title: str, note: str) -> Scenario:
    """What "Save" writes: every driver, the option, the overrides in force, the title, note and data version."""
    return Scenario(dict(ctx.values), title, note, dict(ctx.overrides), ctx.option, ctx.model.version, ctx.as_of,
                    frozenset(ctx.events))


def meta_note(ctx: state.Context) -> str:
    """The note of the scenario in force, if it came from a prepared scenario or a file and is unchanged."""
    meta = st.session_state.get(META)
    if meta and meta[2] == ctx.values:
        return meta[1]
    for p in ctx.model.data.presets.values():
        if {**ctx.model.baseline, **p.drivers} == ctx.values:
            return p.note_in(lang.current())
    return ""


def briefing_downloads(ctx: state.Context) -> None:
    """The Briefing page's downloads: scores, the briefing pack, the slide deck."""
    title = ctx.scenario_title()
    note = meta_note(ctx)
    link = ctx.share_link()
    model, values, option = ctx.model, dict(ctx.values), ctx.option

    def briefing():
        return build_briefing(model, values, option, title=title, note=note, share_link=link, lang=ctx.lang)

    name = f"kuril-{slug(title)}-{_stamp()}"
    row = st.container(horizontal=True)  # one block, where three columns would be four to re-send on every move
    row.download_button(_("Scores (CSV)"), lambda: scores_csv(briefing()), f"{name}-scores.csv", "text/csv",
                       on_click="ignore", key="_dl_scores", icon=":material/table:", width="stretch",
                       help=_("Every option's scores, and the driver values in force with units and sources."))
    row.download_button(_("Briefing pack (HTML)"), lambda: briefing_pack(briefing()), f"{name}.html", "text/html",
                       on_click="ignore", key="_dl_pack", icon=":material/article:", width="stretch",
                       help=_("One file that opens in any browser with no network: headline, reasons, interactive "
                              "charts, assumptions with sources, the share link."))
    can_draw = chromium_path() is not None

    row.download_button(_("Slides (PowerPoint)"), lambda: slide_deck(briefing()), f"{name}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       on_click="ignore", key="_dl_slides", icon=":material/slideshow:", width="stretch",
                       disabled=not can_draw,
                       help=_("Title, headline, one slide per key chart, assumptions and sources. Takes a few "
                              "seconds."))
    if not can_draw:
        st.caption(_("Slides are not available here: they need Chromium on the server to draw the charts as images "
                     "(`apt-get install -y chromium`). The other downloads work."))


def csv_download(label: str, table, name: str, key: str) -> None:
    """A small button that downloads a page's numbers as CSV (``table`` is a DataFrame or a function giving one)."""
    def data() -> str:
        df = table() if callable(table) else table
        return df.to_csv(index=False, lineterminator="\n")
    st.download_button(label, data, f"kuril-{name}-{_stamp()}.csv", "text/csv", on_click="ignore", key=key,
                       icon=":material/download:", type="tertiary")
