"""The team scenario library in the app: the sidebar's "Save to library" form, short links, and the Library page.

The database is reached only when someone uses the library (opens ``?s=<id>``, opens the form, saves, or shows
the Library page): a slider move never queries it. The store is one per process (``st.cache_resource``) through
``st.connection("sql", ...)``; an unreachable database leaves the rest of the app working.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard import i18n
from dashboard.charts import library as library_charts
from dashboard.i18n import N_, Message
from dashboard.library import (
    LIMITS,
    SHORT_PARAM,
    SORTS,
    Entry,
    LibraryError,
    LibraryStore,
    LibraryUnavailable,
    NewEntry,
    database_url,
    engine_options,
    resolve_short_link,
)
from dashboard.library.store import unusable_url
from dashboard.links import Notice, parse_link, query_for, share_url
from dashboard.model import Model
from dashboard.model.explain import headline
from dashboard.model.scenario import Scenario, dump_scenario
from dashboard.ui import lang, state
from dashboard.ui.lang import _
from dashboard.ui.show import chart
from dashboard.ui.text import md

log = logging.getLogger(__name__)

SAVE_OPEN, SAVED = "_library_save_open", "_library_saved"  # the form's open state; the last entry saved (id, query)
COMPARE = "_library_compare"  # entries picked for the Compare page: "lib:<id>" -> (title, Link)
PAGE_SIZE = 25
GO_TO = "_library_go_to"  # a page to switch to once the sidebar's controls are drawn
KEPT = "_library_kept"  # the sidebar's values across that switch
# How the table writes when an entry was saved (UTC), as a moment.js pattern: the browser formats the column, so it
# still sorts by time. Digits only, since the browser's date library writes month names in English whatever the
# language; Japanese and Russian follow their own short dates (CLDR: y/MM/dd, dd.MM.y), English keeps ISO order.
SAVED_AT = {"en": "YYYY-MM-DD HH:mm", "ja": "YYYY/MM/DD HH:mm", "ru": "DD.MM.YYYY HH:mm"}
FORM_FIELDS = {"title": N_("Title"), "note": N_("Note"), "author": N_("Author name")}  # the form's labels


def _t(text: object) -> str:
    """A message from the library, the links or the store (:class:`~dashboard.i18n.Message`) in the session's
    language; other text (a database driver's own words) as it is."""
    return i18n.translated(text, lang.current())


def follow_go_to(keep: list[str]) -> None:
    """Switch to the page an action asked for, called by the entry script after the sidebar's controls.

    A run that ends in ``st.switch_page`` drops the sidebar widgets' values, and the new page is drawn before the
    sidebar: the values (``keep``) are put aside here and given back by :func:`restore_kept` at the next run's
    start, before any widget exists.
    """
    page = st.session_state.pop(GO_TO, None)
    if page:
        st.session_state[KEPT] = {k: st.session_state[k] for k in keep if k in st.session_state}
        st.switch_page(page)


def restore_kept() -> None:
    """Give back the sidebar's values put aside by :func:`follow_go_to` (called before any widget is drawn)."""
    for key, value in st.session_state.pop(KEPT, {}).items():
        st.session_state[key] = value

def _secret_url() -> str | None:
    """``[connections.sql] url`` from Streamlit secrets, if there is a secrets file."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        return st.secrets.get("connections", {}).get("sql", {}).get("url")
    except Exception:  # an unreadable secrets file: fall back to the default, and say nothing of its contents
        log.warning("library: .streamlit/secrets.toml could not be read")
        return None


@st.cache_resource(show_spinner=False)
def _store(url: str) -> tuple[LibraryStore | None, str | None]:
    try:
        conn = st.connection("sql", type="sql", url=url, **engine_options(url))
        return LibraryStore(conn.engine), None
    except Exception as e:  # a URL that cannot be used (bad scheme, missing driver): the app goes on without it
        reason = unusable_url(url, e)
        log.warning("library: %s", reason)
        return None, reason


def store() -> tuple[LibraryStore | None, str | None]:
    """The process's library store, or None and why (the password masked; a Message, see :func:`_t`)."""
    return _store(database_url(_secret_url()))


def status() -> str | None:
    """None when the library can be used now, else the reason (a Message, see :func:`_t`)."""
    s, reason = store()
    return reason if s is None else s.status()


def short_link(base_url: str, entry_id: str, view: str = "full", lang: str | None = None) -> str:
    """A saved scenario's short link: ``<app>/?s=<id>`` (``?view=viewer&s=<id>`` for the read-only view), with
    ``lang=<language>`` when one is given: the link's own parameters come before the entry's."""
    q = ([("view", view)] if view != "full" else []) + ([("lang", lang)] if lang else []) + [(SHORT_PARAM, entry_id)]
    return share_url(base_url, "", q)


def pinned_query(ctx: state.Context) -> list[tuple[str, str]]:
    """What the share box's full link pins (without the page's path): what an entry stores."""
    return query_for(ctx.values, option=ctx.option, extra=st.session_state.get(state.PAGE_PARAMS, {}),
                     overrides=ctx.overrides, version=ctx.model.version, as_of=ctx.as_of,
                     events=ctx.events if ctx.model.data.events else None)


def saved_short_link(ctx: state.Context) -> str | None:
    """The short link of the entry last saved in this session, while the scenario in force is still that one."""
    saved = st.session_state.get(SAVED)
    if saved and saved[1] == pinned_query(ctx) and saved[2] == state.current_page():
        return short_link(ctx.base_url, saved[0], lang=ctx.lang if ctx.lang != "en" else None)
    return None


# ---- the sidebar's form ----------------------------------------------------------------------------------------

SAVE_STATUS = "_library_save_status"  # why saving is off (None: it works), checked when the form opens


def _open_form(flag: bool) -> None:
    st.session_state[SAVE_OPEN] = flag
    if flag:  # checked once here, not on every rerun: a slider move with the form open must not query the database
        st.session_state[SAVE_STATUS] = status()


def save_box(ctx: state.Context, sb) -> None:
    """The sidebar's "Save to library" button and, once clicked, its form (drawn into ``sb``).

    Closed, it is one button and touches no database; the form checks the database when it opens, and says why
    saving is off when it cannot work.
    """
    if not st.session_state.get(SAVE_OPEN):
        sb.button(_("Save to library"), key="_library_open", icon=":material/bookmark_add:", width="stretch",
                  on_click=_open_form, args=(True,),
                  help=_("Keep this scenario in the team's library, under a short link that never changes meaning."))
        return
    box = sb.container(border=True)
    box.markdown("**" + md(_("Save to library")) + "**")
    problem = st.session_state.get(SAVE_STATUS)
    if problem:
        box.warning(md(_("Saving is off: {problem}. Nothing is lost: the share link above still pins this "
                         "view.").format(problem=_t(problem))),
                    icon=":material/cloud_off:")
    with box.form("library_save", clear_on_submit=False, border=False):
        title = st.text_input(_("Title"), max_chars=LIMITS["title"], placeholder=_("Required"),
                              help=_("Required, up to {n} characters.").format(n=LIMITS["title"]))
        note = st.text_area(_("Note"), max_chars=LIMITS["note"], height=80,
                            help=_("Up to {n} characters: what the scenario is for.").format(
                                n=i18n.number(LIMITS["note"], lang.current())))
        author = st.text_input(_("Author name"), max_chars=LIMITS["author"])
        submitted = st.form_submit_button(_("Save"), type="primary", disabled=bool(problem))
    row = box.container(horizontal=True)
    row.button(_("Close"), key="_library_close", on_click=_open_form, args=(False,), type="tertiary")
    if problem:
        row.button(_("Check again"), key="_library_recheck", on_click=_open_form, args=(True,), type="tertiary")
    if submitted:
        _save(ctx, box, title, note, author)
    saved = saved_short_link(ctx)
    if saved:
        box.caption(_("Short link (opens this view on any replica, and never changes meaning):"))
        box.code(saved, language=None, wrap_lines=True)


def _save(ctx: state.Context, box, title: str, note: str, author: str) -> None:
    s, reason = store()
    try:
        new = NewEntry(title=title, note=note, author=author, query=tuple(pinned_query(ctx)),
                       page=state.current_page(), data_version=ctx.model.version,
                       headline=ctx.explanation.headline[:400])
    except ValidationError as e:
        problems = "; ".join(_entry_problem(err) for err in e.errors())
        box.error(md(_("Not saved: {problems}.").format(problems=problems)), icon=":material/block:")
        return
    if s is None:
        box.error(md(_("Not saved: {problems}.").format(problems=_t(reason))), icon=":material/cloud_off:")
        return
    try:
        entry = s.save(new)
    except LibraryError as e:
        box.error(md(_("Not saved: {problem}. Nothing already saved was changed; try again later.").format(
            problem=_t(e.message))), icon=":material/cloud_off:")
        return
    st.session_state[SAVE_STATUS] = None
    st.session_state[SAVED] = (entry.id, list(new.query), new.page)
    box.success(md(_("Saved “{title}”.").format(title=entry.title)), icon=":material/check:")


def _entry_problem(err: Mapping) -> str:
    """One problem pydantic found in the form, named by the form's own label."""
    field = str(err["loc"][0]) if err.get("loc") else ""
    name = _(FORM_FIELDS[field]) if field in FORM_FIELDS else field or _("entry")
    if err["type"] == "string_too_short":
        return _("{field}: required").format(field=name)
    if err["type"] == "string_too_long":
        return _("{field}: longer than {n} characters").format(
            field=name, n=i18n.number(err["ctx"]["max_length"], lang.current()))
    # Not one a person can cause through the form (the fields the app fills in): pydantic's own words.
    return _("{field}: not accepted ({detail})").format(field=name, detail=err["msg"])


# ---- opening an entry ---

SHORT_PAGE = "_short_link_page"  # the page an opened short link's entry was saved on, for the entry script


def open_short_link(raw: dict[str, list[str]]) -> tuple[dict[str, list[str]], Notice | None]:
    """A session's first URL with ``s=<id>`` read through the library: the entry's pinned query (the URL's own
    other parameters first), or the URL without it and one notice saying why the entry could not be opened."""
    if SHORT_PARAM not in raw:
        return raw, None
    s, reason = store()
    params, problem, entry = resolve_short_link(raw, s, reason)
    if problem:
        return params, Notice(SHORT_PARAM, problem, Message(N_("opened the default view")))
    st.session_state[SHORT_PAGE] = entry.page
    return params, None


def link_of(model: Model, entry: Entry):
    """An entry read as a link (the same reading, notices and all, as its full link)."""
    return parse_link(entry.params(), model, state.default_option(model), state.page_specs(model))


def _apply(model: Model, entry: Entry) -> None:
    """Put an entry's scenario in the sidebar (as a scenario file is applied: whole)."""
    link = link_of(model, entry)
    for d in model.driver_ids:
        st.session_state[d] = int(link.values[d])
    st.session_state[state.OPTION] = link.option
    st.session_state[state.ASOF] = link.as_of
    st.session_state[state.EVENTS] = frozenset(link.events)
    st.session_state[state.OVERRIDES] = dict(link.overrides)
    st.session_state["_scenario_meta"] = (entry.title, entry.note, dict(link.values))
    st.session_state[state.NOTICES] = list(link.notices)
    st.session_state["_version_note"] = None


def _scenario_file(model: Model, entry: Entry, fmt: str) -> str:
    link = link_of(model, entry)
    scenario = Scenario(dict(link.values), entry.title, entry.note, dict(link.overrides), link.option,
                        entry.data_version, link.as_of, frozenset(link.events))
    return dump_scenario(scenario, model, fmt)


# ---- the Library page ------------------------------------------------------------------------------------------

def _rows(entries: list[Entry], found: list[tuple[Model, pd.DataFrame]], base_url: str, here: str) -> pd.DataFrame:
    """The table: each entry's title, author and note as typed; when it was saved; what it finds now, in the
    session's language (the headline it was saved with is in the saver's language, and opening its link shows the
    scenario scored with today's data); the data version it was saved with; its short link."""
    return pd.DataFrame({
        _("Title"): [e.title for e in entries],
        _("Author"): [e.author for e in entries],
        _("Saved (UTC)"): [e.created_at.astimezone(dt.UTC).replace(tzinfo=None) for e in entries],
        _("Headline"): [headline(model, scores, here) for model, scores in found],
        _("Data"): [e.data_version for e in entries],
        _("Short link"): [short_link(base_url, e.id, lang=here if here != i18n.DEFAULT else None) for e in entries],
    })


def _finding(ctx: state.Context, e: Entry) -> tuple[Model, pd.DataFrame]:
    """An entry's scenario scored with today's data: the model it opens with (its overrides and events) and scores."""
    link = link_of(ctx.base_model, e)
    model = ctx.base_model.with_overrides(link.overrides) if link.overrides else ctx.base_model
    model = model.with_events(link.events)
    return model, model.score(link.values)


def library_page(ctx: state.Context) -> None:
    """Search, sort and page through the saved scenarios; open, duplicate, compare, export or delete them."""
    s, reason = store()
    problem = reason if s is None else s.status()
    if problem:
        st.warning(md(_("The library is not available now: {problem}. The rest of the dashboard works; saving is "
                        "off until the database answers again.").format(problem=_t(problem))),
                   icon=":material/cloud_off:")
        return
    top = st.columns([3, 1.4, 1], vertical_alignment="bottom")
    query = top[0].text_input(_("Search titles, authors and notes"), key="_library_query", max_chars=200)
    sorts = {k: _(label) for k, label in SORTS.items()}  # the labels now, in this run's language
    sort = top[1].selectbox(_("Sort"), list(sorts), format_func=sorts.get, key="_library_sort")
    try:
        page = max(1, int(st.session_state.get("_library_page", 1)))
        entries, total = s.search(query, sort, page, PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        if page > pages:  # a narrower search: back to its last page
            page = pages
            entries, total = s.search(query, sort, page, PAGE_SIZE)
    except LibraryUnavailable as e:
        st.warning(md(_("The library is not available now: {problem}.").format(problem=_t(e.message))),
                   icon=":material/cloud_off:")
        return
    st.session_state["_library_page"] = page
    here = lang.current()
    top[2].number_input(_("Page"), 1, pages, key="_library_page",
                        help=lang.ngettext("{n} page of {size}", "{n} pages of {size}", pages).format(
                            n=pages, size=PAGE_SIZE))
    found = (lang.ngettext("{n} saved scenario matching “{query}”", "{n} saved scenarios matching “{query}”", total)
             if query.strip() else lang.ngettext("{n} saved scenario", "{n} saved scenarios", total))
    st.caption(md(found.format(n=i18n.number(total, here), query=query.strip()) + " · " + _(
        "page {page} of {pages} · pick one row to open, duplicate, export or delete it, two to compare them.").format(
            page=page, pages=pages)))
    if not entries:
        st.markdown(md(_("Nothing saved yet matches.") if query.strip() else
                       _("Nothing saved yet: use “{button}” in the sidebar.").format(button=_("Save to library"))))
        _results_chart(ctx, [], [])
        return
    found = [_finding(ctx, e) for e in entries]
    picked = st.dataframe(_rows(entries, found, ctx.base_url, here), hide_index=True, width="stretch",
                          key="_library_table", on_select="rerun", selection_mode="multi-row",
                          column_config={_("Saved (UTC)"): st.column_config.DatetimeColumn(format=SAVED_AT[here]),
                                         _("Short link"): st.column_config.LinkColumn()})
    chosen = [entries[i] for i in picked.selection.rows if i < len(entries)]
    if len(chosen) == 1:
        _one_entry_actions(ctx, chosen[0])
    elif len(chosen) == 2:
        if st.button(_("Compare these two"), key="_library_compare_two", icon=":material/compare_arrows:"):
            st.session_state[COMPARE] = {f"lib:{e.id}": (e.title, link_of(ctx.base_model, e)) for e in chosen}
            st.session_state["compare_a"], st.session_state["compare_b"] = (f"lib:{e.id}" for e in chosen)
            st.session_state.setdefault("_param_page", {}).update(compare_a="compare", compare_b="compare")
            st.session_state[GO_TO] = "views/compare.py"
            st.rerun(scope="app")  # the entry script switches once the sidebar is drawn (see follow_go_to)
    elif len(chosen) > 2:
        st.caption(_("Pick one row, or two to compare."))
    _results_chart(ctx, entries, found)


def _results_chart(ctx: state.Context, entries: list[Entry], found: list[tuple[Model, pd.DataFrame]]) -> None:
    """What each listed scenario finds, beside the sidebar's view: its most feasible option and how feasible."""
    rows = [_best(_("This view (sidebar, not saved)"), ctx.explanation.scores)]
    rows += [_best(e.title, scores) for e, (_model, scores) in zip(entries, found, strict=True)]
    chart(library_charts.saved_results(pd.DataFrame(rows), ctx.labels, ctx.model.acceptance_threshold,
                                       lang=ctx.lang), key="library_results")


def _best(name: str, scores: pd.DataFrame) -> dict:
    option = scores["joint"].idxmax()
    return {"name": name, "option": option, **scores.loc[option, ["moscow", "tokyo", "joint"]].to_dict()}


def _one_entry_actions(ctx: state.Context, e: Entry) -> None:
    model = ctx.base_model
    st.markdown(f"**{md(e.title)}**" + (f" · {md(e.author)}" if e.author else ""))
    if e.note:
        st.caption(md(e.note))
    row = st.container(horizontal=True)
    here = ctx.lang if ctx.lang != i18n.DEFAULT else None
    row.link_button(_("Open"), short_link(ctx.base_url, e.id, lang=here), icon=":material/open_in_new:",
                    help=_("Opens the saved view in a new tab, as anyone with its short link sees it."))
    if row.button(_("Duplicate into the sidebar"), key="_library_duplicate", icon=":material/content_copy:",
                  help=_("Sets the sidebar to this scenario, to change it and save it as a new entry.")):
        _apply(model, e)
        st.rerun()
    row.download_button(_("Scenario file (YAML)"), lambda: _scenario_file(model, e, "yaml"),
                        f"{e.id}.yaml", "application/yaml", on_click="ignore", key="_library_export",
                        icon=":material/download:")
    if row.button(_("Delete"), key="_library_delete", icon=":material/delete:",
                  help=_("Hides it from the list; its short link keeps working.")):
        s, _reason = store()
        try:
            s.set_hidden(e.id)
        except LibraryUnavailable as err:
            st.error(md(_("Not deleted: {problem}.").format(problem=_t(err.message))))
            return
        st.rerun()


def comparable(model: Model) -> Mapping[str, tuple[str, object]]:
    """Library entries picked for the Compare page in this session: "lib:<id>" -> (title, Link)."""
    return st.session_state.get(COMPARE, {})

