"""Static images of charts through kaleido and Debian's Chromium, without touching the network.

Kaleido's defaults would fetch MathJax from a CDN; it is switched off, and plotly.js comes from the installed
plotly package. All images of one export are drawn by one browser, started once (a cold start costs seconds).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import threading

import plotly.graph_objects as go

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_LOCK = threading.Lock()  # one export browser at a time: two would double the memory for no gain on 2 cores


class ImagesUnavailable(RuntimeError):
    """No Chromium to draw static images with; the message says so plainly."""


def chromium_path() -> str | None:
    """The Chromium that kaleido will use: $BROWSER_PATH, else the first one on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.path.exists(env):
        return env
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


async def _render(figures: list[go.Figure], width: int, height: int, scale: float) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1, mathjax=False, timeout=60) as k:
        return [await k.calc_fig(fig.to_dict(), opts={"format": "png", "width": width, "height": height,
                                                       "scale": scale})
                for fig in figures]


def png_images(figures: list[go.Figure], width: int = 1600, height: int = 900, scale: float = 1.0) -> list[bytes]:
    """PNG images of the figures. Raises :class:`ImagesUnavailable` when no Chromium is installed."""
    path = chromium_path()
    if path is None:
        raise ImagesUnavailable("Slides need static images of the charts, drawn by Chromium, and no Chromium is "
                                "installed on the server (apt-get install -y chromium). The other downloads work.")
    os.environ.setdefault("BROWSER_PATH", path)
    with _LOCK, concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        # Its own thread and event loop: callers may already be inside one (Streamlit's server is).
        return pool.submit(asyncio.run, _render(figures, width, height, scale)).result()
