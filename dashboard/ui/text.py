"""Showing text that came from data files, uploads or links: always as literal text, never as markup."""

from __future__ import annotations

import re

# Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping them all means no link,
# image, emphasis, heading, table or Streamlit directive (":red[...]") can come out of the text.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: object) -> str:
    """``text`` escaped so that ``st.markdown`` (and friends) show it literally."""
    return _PUNCTUATION.sub(r"\\\1", str(text)).replace("\n", "  \n")
