"""One way to run the entry script or the scenario fragment: the audience never sees a traceback, and benchmarks
can read how long each run took.

A fragment rerun (a slider move) does not pass through the entry script, so the fragment needs the same guard.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import time
from collections.abc import Iterator

import streamlit as st

log = logging.getLogger("dashboard")
# True while the entry script runs. Each session's script runs in its own thread, so this never leaks across users.
_in_full_run = contextvars.ContextVar("in_full_run", default=False)


@contextlib.contextmanager
def guarded(kind: str) -> Iterator[None]:
    """Run a block as ``kind`` ("script" for the entry script, "fragment" for the scenario fragment).

    An exception is logged and replaced by a short message; ``KURIL_DEBUG`` re-raises it (tests). With
    ``KURIL_TIMING`` set, each run logs "script run took N ms" once: the entry script's whole run, or a fragment's
    run when it reran on its own.
    """
    outermost = kind == "script" or not _in_full_run.get()
    token = _in_full_run.set(True) if kind == "script" else None
    started = time.perf_counter()
    try:
        yield
    except Exception:
        if os.environ.get("KURIL_DEBUG"):
            raise
        log.exception("The dashboard failed to draw this page")
        st.error("Something went wrong drawing this page. The rest of the dashboard still works: try another page "
                 "or reset the scenario. The details are in the server log.", icon=":material/error:")
    finally:
        if token is not None:
            _in_full_run.reset(token)
        if outermost and os.environ.get("KURIL_TIMING"):  # benchmarks/ and profiling
            log.warning("script run took %.1f ms (%s)", (time.perf_counter() - started) * 1000, kind)
