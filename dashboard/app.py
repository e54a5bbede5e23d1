"""Entry script: ``streamlit run dashboard/app.py``.

Loads the model, reads the link once per session, draws the shared sidebar (full app) and routes to the page with
``st.navigation``. ``?view=viewer`` gives the read-only stakeholder view and ``?view=present`` the presenter
mode; both keep every page's address, so a link never lands on "page not found".
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import i18n
from dashboard.i18n import N_
from dashboard.ui import controls, data, lang, library, modes, state
from dashboard.ui.guard import guarded
from dashboard.ui.lang import _
from dashboard.ui.text import md

# A local image: an icon named like ":material/map:" would make the browser fetch it from an outside host.
ICON = str(Path(__file__).parent / "static" / "icon.png")

# (file under dashboard/, title, url path, icon). The first is the default page, served at "/". Titles are shown in
# the session's language; url paths stay English, so a link works in every language.
PAGES = (
    ("views/briefing.py", N_("Briefing"), "", ":material/campaign:"),
    ("views/why.py", N_("Why"), "why", ":material/account_tree:"),
    ("views/sensitivity.py", N_("Sensitivity"), "sensitivity", ":material/tune:"),
    ("views/uncertainty.py", N_("Uncertainty"), "uncertainty", ":material/casino:"),
    ("views/compare.py", N_("Compare"), "compare", ":material/compare_arrows:"),
    ("views/history.py", N_("History"), "history", ":material/timeline:"),
    ("views/weights.py", N_("Weights"), "weights", ":material/balance:"),
    ("views/library.py", N_("Library"), "library", ":material/bookmarks:"),
    ("views/method.py", N_("Method & sources"), "method", ":material/menu_book:"),
)


def _pages() -> list[st.Page]:
    return [st.Page(path, title=_(title), url_path=url or None, icon=icon, default=(i == 0))
            for i, (path, title, url, icon) in enumerate(PAGES)]


def _show_notices() -> None:
    notices = st.session_state.get(state.NOTICES) or []
    version = st.session_state.get("_version_note")
    if not notices and not version:
        return
    box = st.container()
    here = lang.current()  # the notices are said in the language the reader has now
    if notices:
        text = _("This link had values the dashboard could not use as given, so it used sensible ones instead:") + \
            " " + "; ".join(md(n.text(here)) for n in notices)
        box.warning(text, icon=":material/link_off:")
    if version:
        box.info(md(i18n.translated(version, here)), icon=":material/history:")
    if box.button(_("Dismiss"), key="_dismiss_notices"):
        st.session_state[state.NOTICES] = []
        st.session_state["_version_note"] = None
        st.rerun()


def _show_data_problems(problems: tuple[str, ...]) -> None:
    if problems:
        with st.expander(_("The data files were changed into an invalid state; showing the last valid data."),
                         icon=":material/warning:"):
            st.markdown("\n".join(f"- {md(p)}" for p in problems))


def _go_to_saved_page(url_path: str) -> None:
    """A short link (``/?s=<id>``) opens on the page its entry was saved on, unless its address names a page."""
    saved = st.session_state.pop(library.SHORT_PAGE, None)
    if saved and not url_path:
        page = next((p for p, _, url, _ in PAGES if url == saved), None)
        if page:  # keeping the address bar's query: it holds the saved scenario as an ordinary link
            st.switch_page(page, query_params={k: st.query_params.get_all(k) for k in st.query_params})


def main() -> None:
    view = st.query_params.get("view", "full")
    # On a session's first run the link has not been read yet (state.start): name the tab in the link's language.
    tab_lang = (lang.LANG in st.session_state and lang.current()) or lang.start_language(
        st.query_params.get(lang.LANG) if i18n.known(st.query_params.get(lang.LANG)) else None)
    st.set_page_config(
        page_title=i18n.gettext_for(tab_lang)("Kuril Islands: settlement scenarios"),
        page_icon=ICON,
        layout="wide",
        initial_sidebar_state="collapsed" if view in ("viewer", "present") else "expanded",
    )
    loaded = data.current_model()
    if loaded.model is None:
        st.error(_("The dashboard cannot start: the files in data/ are invalid."))
        st.markdown("\n".join(f"- {md(p)}" for p in loaded.problems))
        return
    model = loaded.model
    link = state.start(model)

    if link.view == "full":
        nav = st.navigation(_pages(), position="sidebar")
        library.restore_kept()
        _go_to_saved_page(nav.url_path)
        # Two places in the sidebar, in screen order: the controls, then the file and share boxes. The page is
        # drawn before the controls in the script, so on opening a link or switching pages its charts reach the
        # browser first; it reads the sliders' values from session state (see state.start). The page draws the
        # two boxes itself (dashboard/ui/page.py), since they change with every slider move and the controls do not.
        lang.chooser(st.sidebar.container())
        controls_box, tail_box = st.sidebar.container(), st.sidebar.container()
        state.start_full_view(nav.url_path, tail_box)
        _show_data_problems(loaded.problems)
        _show_notices()
        nav.run()
        controls.scenario_controls(model, controls_box)
        library.follow_go_to([*model.driver_ids, state.OPTION, state.ASOF])
    else:
        nav = st.navigation(_pages(), position="hidden")
        _show_data_problems(loaded.problems)
        _show_notices()
        if link.view == "viewer":
            ctx = state.build_context(model, link.values, link.option, "viewer", loaded.problems,
                                      state.base_url(nav.url_path), link.events, link.as_of)
            modes.viewer(ctx, nav.url_path)
        else:
            modes.presenter_view(model, link, loaded.problems, state.base_url(nav.url_path))
    lang.mark_page_language()


with guarded("script"):
    main()
