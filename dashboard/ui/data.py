"""The model and its results, cached for the Streamlit app.

Models are immutable, so one per (data files, overrides) is shared by every session through ``st.cache_resource``;
results are cached with ``st.cache_data``, which hands each caller its own copy. Nothing a user sets is stored in a
shared object: scenarios, overrides and uploads live in each session's ``st.session_state``.

The data folder is looked at once a second at most and re-read when a file in it changes. If the new files are
invalid, the app keeps the last valid model and says so, rather than failing in front of an audience.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import math
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from dashboard.model import DEFAULT_DATA_DIR, DataError, Model, analysis, history, load_model
from dashboard.model.calibration import run_calibration
from dashboard.model.explain import Explanation, explain

log = logging.getLogger(__name__)

# One BLAS thread: the server shares 2 cores among every session, and a multi-threaded matrix product on a busy
# machine was measured at ~8 ms instead of ~0.1 ms (benchmarks/bench_model.py --blas-threads; docs/benchmarks.md).
threadpool_limits(limits=1, user_api="blas")


def data_signature(folder: Path = DEFAULT_DATA_DIR) -> tuple:
    """Name, size and modification time of every file in the data folder: changes when any file does."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            out.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(signature: tuple) -> Model | DataError:
    try:
        model = load_model()
    except DataError as e:
        log.error("data/ is invalid: %s", e)
        return e
    # Everything alive now (the libraries and the model) lives as long as the server: move it out of the garbage
    # collector's sight, so that each full collection walks only what the sessions create.
    gc.freeze()
    return model


@dataclass(frozen=True)
class Loaded:
    model: Model | None  # None only when no valid data has ever been loaded
    problems: tuple[str, ...]  # what is wrong with data/ now (empty when it is valid)


@dataclass
class _DataWatch:
    """What data/ held when last looked at, shared by all sessions: only immutable models, never a user's state.

    The folder is looked at (every file's size and time) at most once a second, not on every rerun: a slider move
    then costs no file-system calls and no hashing of the folder's signature for the cache.
    """

    lock: threading.Lock = field(default_factory=threading.Lock)
    checked_at: float = -math.inf
    signature: tuple | None = None
    loaded: Loaded = Loaded(None, ())
    last_good: Model | None = None


@st.cache_resource(show_spinner=False)
def _watch() -> _DataWatch:
    return _DataWatch()


def recheck_seconds() -> float:
    """How long a look at data/ holds: 1 s, or ``KURIL_DATA_RECHECK_SECONDS`` (the tests use 0)."""
    return float(os.environ.get("KURIL_DATA_RECHECK_SECONDS", "1"))


def current_model() -> Loaded:
    """The model from data/ as it is now, or the last valid one with the problems found in the files."""
    w = _watch()
    with w.lock:
        now = time.monotonic()
        if now - w.checked_at >= recheck_seconds():
            w.checked_at = now
            signature = data_signature()
            if signature != w.signature:
                w.signature = signature
                result = _load(signature)
                if isinstance(result, Model):
                    w.last_good, w.loaded = result, Loaded(result, ())
                else:
                    w.loaded = Loaded(w.last_good, tuple(result.problems))
        return w.loaded


@st.cache_resource(max_entries=64, show_spinner=False)
def with_overrides(_model: Model, key: tuple, overrides: tuple[tuple[str, float], ...]) -> Model:
    """The model with analyst overrides (``key`` identifies the base model). Immutable, so safe to share."""
    return _model.with_overrides(dict(overrides))


@st.cache_resource(max_entries=64, show_spinner=False)
def with_events(_model: Model, key: tuple, events: tuple[str, ...]) -> Model:
    """The model with these events in force (``key`` identifies the model). Immutable, so safe to share."""
    return _model.with_events(events)


def cache_key(model: Model) -> tuple:
    """What identifies a model's numbers: its data version, its overrides and the events in force."""
    return (model.data.fingerprint, tuple(sorted(model.overrides.items())), tuple(sorted(model.events)))


@st.cache_data(max_entries=512, show_spinner=False)
def explanation(_model: Model, key: tuple, values: tuple[tuple[str, float], ...], lang: str = "en") -> Explanation:
    return explain(_model, dict(values), lang=lang)


@st.cache_data(max_entries=256, show_spinner=False)
def sweep(_model: Model, key: tuple, values: tuple, driver: str) -> pd.DataFrame:
    return analysis.sweep(_model, dict(values), driver)


@st.cache_data(max_entries=128, show_spinner=False)
def grid(_model: Model, key: tuple, values: tuple, x: str, y: str) -> pd.DataFrame:
    return analysis.grid(_model, dict(values), x, y)


@st.cache_data(max_entries=256, show_spinner=False)
def tornado(_model: Model, key: tuple, values: tuple, option: str, output: str) -> pd.DataFrame:
    return analysis.tornado(_model, dict(values), option, output)


@st.cache_data(max_entries=32, show_spinner=False)
def monte_carlo(_model: Model, key: tuple, centre: tuple | None, n: int, seed: int,
                scope: str = "drivers") -> analysis.MonteCarloResult:
    """Monte Carlo draws, cached without the drawn model numbers (draws x 112 columns): the page does not show
    them, and ``cache_data`` copies whatever it keeps on every rerun (issue 9: a rerun must stay cheap)."""
    mc = analysis.monte_carlo(_model, n, seed, dict(centre) if centre else None, scope=scope)
    return dataclasses.replace(mc, model_samples=None)


@st.cache_data(max_entries=96, show_spinner=False)
def sobol(_model: Model, key: tuple, centre: tuple | None, n: int, seed: int, output: str,
          scope: str = "drivers") -> pd.DataFrame:
    """Sobol' indices for one output (called once per output, so the page computes only the one shown)."""
    return analysis.sobol(_model, n, seed, dict(centre) if centre else None, outputs=(output,), scope=scope)


@st.cache_data(max_entries=32, show_spinner=False)
def ranking_importance(_model: Model, key: tuple, centre: tuple | None, n: int, seed: int,
                       among: str) -> pd.DataFrame:
    return analysis.ranking_importance(_model, n, seed, dict(centre) if centre else None, among=among)


@st.cache_data(max_entries=32, show_spinner=False)
def history_scores(_model: Model, key: tuple) -> pd.DataFrame:
    return history.history_scores(_model)


@st.cache_data(max_entries=32, show_spinner=False)
def track_record(_model: Model, key: tuple, lang: str = "en") -> pd.DataFrame:
    """With how often each verdict survives draws of the model's own numbers (500 per checkpoint, about 1 s); its
    words in ``lang``."""
    return history.track_record(_model, draws=TRACK_RECORD_DRAWS, lang=lang)


TRACK_RECORD_DRAWS = 500


@st.cache_data(max_entries=32, show_spinner=False)
def calibration(_model: Model, key: tuple) -> pd.DataFrame:
    return run_calibration(_model)


def items(values: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """A scenario as a hashable cache key, in a stable order."""
    return tuple(sorted((k, float(v)) for k, v in values.items()))
