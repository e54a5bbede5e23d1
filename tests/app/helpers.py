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
        title = fig["layout"].get("title", {}).get("text", "")
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
