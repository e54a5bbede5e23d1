"""Citations in data files: ``oped ¶12``, ``oped ¶3-4`` or a bare source id such as ``levada_2016_05``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from dashboard import i18n
from dashboard.model.schema import Provenance, Source, text

_REF = re.compile(r"^(?P<source>[a-z0-9_]+)(?:\s+¶(?P<first>\d+)(?:-(?P<last>\d+))?)?$")


def parse_ref(ref: str) -> tuple[str, tuple[int, ...]]:
    """Split a citation into its source id and the paragraph numbers it names (empty when it names none).

    Raises ``ValueError`` when the text is not of the form ``source`` or ``source ¶N`` or ``source ¶N-M``.
    """
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"citation {ref!r} is not of the form 'source_id' or 'source_id ¶N'")
    if m["first"] is None:
        return m["source"], ()
    first = int(m["first"])
    last = int(m["last"]) if m["last"] else first
    if last < first:
        raise ValueError(f"citation {ref!r} has a reversed paragraph range")
    return m["source"], tuple(range(first, last + 1))


def source_date(source: Source, lang: str = i18n.DEFAULT) -> str:
    """A source's date as ``lang`` writes it ("2016-08" in English as the data has it, "2016年8月", "август 2016 г.");
    a year alone, or a text that is not a date, as written."""
    if lang == i18n.DEFAULT:
        return source.date
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", source.date)
    if not m:
        return source.date
    y, mo, d = int(m[1]), int(m[2]), m[3]
    return i18n.day(dt.date(y, mo, int(d)), lang) if d else i18n.month(dt.date(y, mo, 1), lang)


def source_name(source_id: str, sources: Mapping[str, Source], lang: str = i18n.DEFAULT) -> str:
    """A short human name for a source: 'Op-ed' for the op-ed, else its title (translated in ``lang``) and date."""
    _ = i18n.gettext_for(lang)
    if source_id == "oped":
        return _("Op-ed")
    s = sources[source_id]
    return _("{title} ({date})").format(title=text(s, "title", lang), date=source_date(s, lang))


def source_entry(source: Source, lang: str = i18n.DEFAULT, detail: bool = False) -> str:
    """A source as a list of sources gives it: title (translated in ``lang``), author, date, and its detail if asked
    for (e.g. "Nikkei / TV Tokyo poll, Nikkei / TV Tokyo, 2016-08")."""
    line = f"{text(source, 'title', lang)}, {source.author}, {source_date(source, lang)}"
    return line + (f". {text(source, 'detail', lang)}" if detail and source.detail else "")


def render_refs(refs: Iterable[str], sources: Mapping[str, Source], lang: str = i18n.DEFAULT) -> str:
    """Citations as one line of text, e.g. 'Op-ed ¶9; Nikkei / TV Tokyo poll (2016-08)', in ``lang``."""
    _ = i18n.gettext_for(lang)
    parts = []
    for ref in refs:
        source_id, paras = parse_ref(ref)
        name = source_name(source_id, sources, lang)
        if paras:
            span = f"¶{paras[0]}" if len(paras) == 1 else f"¶{paras[0]}-{paras[-1]}"
            name = f"{name} {span}"
        parts.append(name)
    return _("; ").join(parts)


def render_provenance(p: Provenance, sources: Mapping[str, Source], lang: str = i18n.DEFAULT) -> str:
    """A provenance record as one line, in ``lang``: its citations, its note, and any analyst judgement with its
    reason (the analysts' notes are given in every language in data/; an op-ed's words quoted inside one stay
    English)."""
    _ = i18n.gettext_for(lang)
    note, judgement = text(p, "note", lang) if p.note else None, text(p, "judgement", lang) if p.judgement else None
    if lang == i18n.DEFAULT:
        parts = [render_refs(p.cite, sources)] if p.cite else []
        parts += [note] if note else []
        parts += [_("Analyst judgement: {judgement}").format(judgement=judgement)] if judgement else []
        return ". ".join(s.rstrip(".") for s in parts) + "."
    parts = [render_refs(p.cite, sources, lang) + _(".")] if p.cite else []
    parts += [note] if note else []
    parts += [_("Analyst judgement: {judgement}").format(judgement=judgement)] if judgement else []
    return ("" if lang == "ja" else " ").join(parts)  # Japanese puts no space after a sentence
