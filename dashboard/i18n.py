"""The interface's languages: gettext catalogs (Babel) and locale-aware numbers and dates. No Streamlit.

English is the source language: its text is the ``msgid`` in the code, so English needs no catalog. Japanese and
Russian live in ``dashboard/locale/<lang>/LC_MESSAGES/messages.po``; ``bin/setup`` compiles them to ``.mo``
(``pybabel compile``). A catalog whose ``.mo`` is missing or older than its ``.po`` (a fresh clone before
``bin/setup``, or a ``.po`` just edited) is compiled in memory instead, so the text shown is always the ``.po``'s.

Numbers are the same in every language; only how they are written differs (``54%``, ``54 %``), through Babel's
locale data.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
LANGUAGES = ("en", "ja", "ru")
# Each language's name in itself, for the chooser.
NAMES = {"en": "English", "ja": "日本語", "ru": "Русский"}

Gettext = Callable[[str], str]


def known(lang: object) -> bool:
    """Whether ``lang`` is one of the interface's languages."""
    return lang in LANGUAGES


def from_locale(tag: str | None) -> str | None:
    """The interface language for a browser locale such as ``ja-JP`` or ``ru``, or None if it is none of ours."""
    if not tag:
        return None
    primary = str(tag).replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The catalog for ``lang`` (English, or an unknown language: no translation, the English text itself)."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return NullTranslations()
    po = _po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return Translations(f, domain=DOMAIN)
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def gettext_for(lang: str) -> Gettext:
    """``gettext`` for ``lang``: English text in, the text in ``lang`` out."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """``ngettext`` for ``lang``, with that language's plural rules (Russian has three forms)."""
    return translations(lang).ngettext


def percent(p: float, lang: str = DEFAULT) -> str:
    """A share (0-1) as a whole percentage in ``lang``'s way of writing it (CLDR's pattern: "54%", "54 %" with a
    no-break space in Russian, so a number never parts from its sign at a line break)."""
    return format_percent(p, locale=_babel_locale(lang))


def number(x: float, lang: str = DEFAULT) -> str:
    """A number as ``lang`` writes it (decimal sign, grouping), with no more decimals than it needs."""
    return format_decimal(x, locale=_babel_locale(lang))


def date(d: dt.date, lang: str = DEFAULT, form: str = "long") -> str:
    """A date as ``lang`` writes it (``form``: Babel's "short", "medium", "long", or a pattern such as "MMMM y")."""
    return format_date(d, format=form, locale=_babel_locale(lang))


def month(d: dt.date, lang: str = DEFAULT) -> str:
    """A month and year as ``lang`` writes them: "October 2016", "2016年10月", "октябрь 2016 г."."""
    return format_skeleton("yMMMM", d, locale=_babel_locale(lang))


def day(d: dt.date, lang: str = DEFAULT) -> str:
    """A day, short: "27 Oct 2016" as the English code writes it elsewhere, "2016年10月27日", "27 окт. 2016 г."."""
    return format_skeleton("yMMMd", d, locale=_babel_locale(lang))


@functools.cache
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else DEFAULT)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs where it is defined, to be translated where it is shown (``_()``)."""
    return message


class Message(str):
    """Text made where the reader's language is not known, to show later in whichever language they have then.

    The string itself is the English; :meth:`text` gives it in another language. ``msgid`` is an English message
    (marked with ``N_()`` where it is written) and ``values`` its named placeholders. A value may be a Message too,
    or a mapping language -> text (a data label in each language); anything else is shown as it is.
    """

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Message:
        self = super().__new__(cls, _render(msgid, values, DEFAULT))
        self.msgid, self.values = msgid, values
        return self

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return _render(self.msgid, self.values, lang)

    def __reduce__(self):  # copies and pickles keep the message, not only its English
        return _message, (self.msgid, self.values)


def _message(msgid: str, values: dict[str, object]) -> Message:
    return Message(msgid, **values)


def translated(text: object, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Message` (or a mapping language -> text), else as it is."""
    if isinstance(text, Message):
        return text.text(lang)
    if isinstance(text, dict):
        return str(text.get(lang) or text.get(DEFAULT, ""))
    return str(text)


def _render(msgid: str, values: dict[str, object], lang: str) -> str:
    template = gettext_for(lang)(msgid)
    return template.format(**{k: translated(v, lang) for k, v in values.items()}) if values else template
