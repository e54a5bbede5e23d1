"""Helpers for AppTest: start the app, read what its charts plot."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

ENTRY = str(ROOT / "dashboard" / "app.py")
PAGES = ["views/briefing.py", "views/why.py", "views/sensitivity.py", "views/uncertainty.py", "views/compare.py",
         "views/history.py",
         "views/weights.py", "views/method.py"]


def app(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def decode(arr):
    """A Plotly array as a list: plain lists pass through, binary arrays ({dtype, bdata}) are decoded."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), arr["dtype"]).tolist()
    return arr


def figures(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def traces(at: AppTest, title_part: str) -> list[dict]:
    """The traces of the first chart whose title contains ``title_part``, arrays decoded."""
    for fig in figures(at):
        title = fig["layout"].get("title", {}).get("text", "").replace("<br>", " ")  # a long title is on two lines
        if title_part in title:
            out = []
            for t in fig["data"]:
                out.append({k: decode(v) for k, v in t.items()})
            return out
    raise AssertionError(f"no chart titled like {title_part!r}: {[f['layout'].get('title') for f in figures(at)]}")


def map_points(at: AppTest) -> dict[str, tuple[float, float]]:
    """The Moscow-vs-Tokyo map: option label -> (moscow, tokyo) as plotted."""
    out = {}
    for t in traces(at, "Moscow vs Tokyo"):  # one trace with every option, or one per option
        out |= {name: (x, y) for name, x, y in zip(t["text"], t["x"], t["y"], strict=True)}
    return out


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def shown(elements) -> str:
    """The text of some elements as a reader sees it: markdown escapes removed."""
    import re
    return " ".join(re.sub(r"\\(.)", r"\1", e.value) for e in elements)


def uploader(at: AppTest):
    """The sidebar's scenario-file uploader, opening its box first (closed, the box draws nothing inside)."""
    from dashboard.ui.files import FILE_BOX

    if not at.sidebar.get("file_uploader"):
        at.session_state[FILE_BOX] = True
        at.run()
    return next(iter(at.sidebar.get("file_uploader")))


# --- Text a reader sees, for the "no English left" test of the Japanese and Russian pages -------------------------

def _proto_strings(msg, out: list[str]) -> None:
    """Every string field of a protobuf message, recursively (labels, help texts, options, bodies, chart specs)."""
    for _field, value in msg.ListFields():
        values = [value] if isinstance(value, str) or hasattr(value, "ListFields") else value
        for v in values if not isinstance(values, (bytes, int, float, bool)) else []:
            if isinstance(v, str):
                out.append(v)
            elif hasattr(v, "ListFields"):
                _proto_strings(v, out)


def _figure_strings(spec: str, out: list[str]) -> None:
    """The words of a Plotly figure: titles, axis titles, legend, annotations, trace names, labels and hovers."""
    import re

    fig = json.loads(spec)

    def title(t):
        return t.get("text", "") if isinstance(t, dict) else (t or "")

    layout = fig.get("layout", {})
    out.append(title(layout.get("title")))
    for k, axis in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            out.append(title(axis.get("title")))
            out += [str(v) for v in decode(axis.get("ticktext") or [])]
    out.append(title(layout.get("legend", {}).get("title")))
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    for t in fig.get("data", []):
        out.append(str(t.get("name", "")))
        for k in ("text", "x", "y", "labels", "hovertext"):
            v = decode(t.get(k))
            if isinstance(v, list):
                out += [s for s in v if isinstance(s, str)]
            elif isinstance(v, str):
                out.append(v)
        # A hover template's fixed words (its %{...} fields are numbers or the labels collected above).
        out.append(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", " ", str(t.get("hovertemplate", ""))))


def visible_text(where) -> list[str]:
    """Every string the app put in ``where`` (``at.main``, ``at.sidebar``, or the whole ``AppTest``): bodies, labels,
    help, options, table headers and string cells, and the words of every chart."""
    out: list[str] = []
    for node in getattr(where, "_tree", where):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if node.type == "plotly_chart":
            _figure_strings(proto.spec, out)
            continue
        if node.type in ("arrow_data_frame", "dataframe", "table"):
            df = node.value
            out += [str(c) for c in df.columns]
            for col in df.columns:  # every text cell, whatever the column's dtype (pandas 3 gives text `str`)
                out += [v for v in df[col].tolist() if isinstance(v, str)]
            continue
        _proto_strings(proto, out)
    return [s for s in out if s and s.strip()]


def english_left(texts: list[str], allowed: list[str]) -> list[str]:
    """The strings that still hold a run of three or more English words once the English that stays English is
    removed: ``allowed`` (the op-ed's text, sources' own titles and names), quotations, URLs, code and ids."""
    import re

    def quoted_allowed(m: re.Match) -> str:
        # Words quoted in the Russian or Japanese way are removed only when they are allowed English (the op-ed's
        # words quoted inside a translated note, say); anything else inside them still counts.
        inner = (m.group(1) or m.group(2) or "").strip(" .,…").lower()  # a quote may start a sentence
        return " " if inner and any(inner in a.lower() for a in allowed) else m.group(0)

    found = []
    for s in texts:
        t = re.sub(r"\\(.)", r"\1", s)                          # markdown escapes
        for a in allowed:
            if a and a in t:
                t = t.replace(a, " ")
        t = re.sub(r"«([^»]*)»|「([^」]*)」", quoted_allowed, t)
        # Links, code, ids, paths, placeholders and the date format's name.
        t = re.sub(r"https?://\S+|`[^`]*`|\S*[_/]\S*|\{[^}]*\}|YYYY-MM-DD", " ", t)
        # English quotation marks hold the op-ed's words, which stay in English; «» and 「」 (how Russian and Japanese
        # quote, e.g. a button's name) are not removed, so English inside them still counts.
        t = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", t)
        t = re.sub(r"<[^>]+>", " ", t)                           # chart markup (<b>, <br>)
        t = re.sub(r"(?m)^\s*>.*$", " ", t)                      # block quotations (the op-ed's words)
        if re.search(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}", t):
            found.append(s)
    return found


# Fields of data/ that stay in English by design: quotations as the sources give them (the op-ed's words, and the
# words of officials as the English-language reports cited quote them; docs/i18n.md). The analysts' notes are
# translated like everything else.
ENGLISH_FIELDS = {"quote", "stance"}


def english_by_design(model) -> list[str]:
    """The English that the Japanese and Russian pages keep: the op-ed's text, the sources' own titles and names,
    and data/'s provenance notes, longest first (so a long passage is removed before a phrase inside it)."""
    import dataclasses

    from pydantic import BaseModel

    found: list[str] = list(model.data.oped_paragraphs.values())

    def walk(obj, field=None, in_schema=False):
        # Only fields of data/'s validated records count (dashboard.model.schema): a prepared scenario's `note`,
        # say, is a description for the reader, translated like any other.
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), name, True)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), f.name, False)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v, field, in_schema)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v, field, in_schema)
        elif isinstance(obj, str) and in_schema and field in ENGLISH_FIELDS:
            found.append(obj)

    walk(model.data)
    for s in model.data.sources.values():
        found += [s.title, s.author, s.publisher or ""]
    return sorted({f for f in found if f}, key=len, reverse=True)
