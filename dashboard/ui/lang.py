"""The session's interface language, and ``_()`` to translate the Streamlit layer's text into it.

The language comes from the link's ``?lang=`` (read once, with the rest of the link, by :func:`state.start`), else
from the browser's own language (``st.context.locale``, sent with the page request: no outside request), else
English. The sidebar's chooser changes it; the address bar and every link made here carry it.
"""

from __future__ import annotations

import streamlit as st

from dashboard import i18n

LANG = "lang"  # session key, the chooser's key and the URL parameter (dashboard.links.LANG_PARAM)


def current() -> str:
    """The language of this session's interface."""
    lang = st.session_state.get(LANG)
    return lang if i18n.known(lang) else i18n.DEFAULT


def _(message: str) -> str:
    """``message`` (English, as written in the code) in the session's language."""
    return i18n.gettext_for(current())(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The right plural form for ``n`` in the session's language (Russian has three)."""
    return i18n.ngettext_for(current())(singular, plural, n)


# The one script the app adds, one fixed text per language (no text from a link, a file or the data): Streamlit 1.67
# writes <html lang="en"> whatever the page says (upstream: streamlit/streamlit#15726), and a screen reader then
# reads Japanese or Russian with English rules (WCAG 3.1.1, Language of Page). The deploy's Content-Security-Policy
# allows exactly these texts by hash (tests/infra/test_manifests.py); it allows no other inline script.
PAGE_LANGUAGE_SCRIPTS = {code: f'document.documentElement.lang = "{code}";' for code in i18n.LANGUAGES}


def mark_page_language() -> None:
    """Set the page's ``lang`` attribute to the session's language (drawn last in the main area: it shows nothing)."""
    st.html(f"<script>{PAGE_LANGUAGE_SCRIPTS[current()]}</script>", unsafe_allow_javascript=True, width="content")


def browser_language() -> str | None:
    """The browser's language when it is one of ours (Streamlit reads it from the page request), else None."""
    try:
        return i18n.from_locale(st.context.locale)
    except Exception:  # no browser behind this run (AppTest, a bare script run)
        return None


def start_language(link_lang: str | None) -> str:
    """The language a session opens in: the link's, else the browser's, else English."""
    return link_lang or browser_language() or i18n.DEFAULT


def chooser(box) -> None:
    """The sidebar's language chooser. A change reruns the whole app: every label on screen changes."""
    from dashboard.ui import state  # state imports this module

    box.selectbox("Language · 言語 · Язык", list(i18n.LANGUAGES), key=LANG, format_func=i18n.NAMES.get)
    # Kept in the address bar when it is not English, so a copied address opens in the same language.
    state.sync_param(LANG, current(), i18n.DEFAULT)
