"""Citations in data files: ``oped ¶12``, ``oped ¶3-4`` or a bare source id such as ``levada_2016_05``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dashboard.model.schema import Provenance, Source

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


def source_name(source_id: str, sources: Mapping[str, Source]) -> str:
    """A short human name for a source: 'Op-ed' for the op-ed, else its title and date."""
    if source_id == "oped":
        return "Op-ed"
    s = sources[source_id]
    return f"{s.title} ({s.date})"


def render_refs(refs: Iterable[str], sources: Mapping[str, Source]) -> str:
    """Citations as one line of text, e.g. 'Op-ed ¶9; Nikkei / TV Tokyo poll (2016-08)'."""
    parts = []
    for ref in refs:
        source_id, paras = parse_ref(ref)
        name = source_name(source_id, sources)
        if paras:
            span = f"¶{paras[0]}" if len(paras) == 1 else f"¶{paras[0]}-{paras[-1]}"
            name = f"{name} {span}"
        parts.append(name)
    return "; ".join(parts)


def render_provenance(p: Provenance, sources: Mapping[str, Source]) -> str:
    """A provenance record as one line: its citations, its note, and any analyst judgement with its reason."""
    parts = []
    if p.cite:
        parts.append(render_refs(p.cite, sources))
    if p.note:
        parts.append(p.note)
    if p.judgement:
        parts.append(f"Analyst judgement: {p.judgement}")
    return ". ".join(s.rstrip(".") for s in parts) + "."
