"""Fixed inputs and small readers shared by the chart tests."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# A fixed scenario away from 2016: two options land in the zone both capitals accept, Moscow's hard limit binds
# for two options, and the election interaction moves Tokyo (months and support both away from their baseline).
SCENARIO = {"japan_public_support": 70.0, "russia_public_opposition": 40.0, "putin_ambition": 85.0,
            "western_sanctions": 70.0, "months_to_election": 12.0}


def arr(values) -> np.ndarray:
    """A Plotly array (tuple, list or numpy array) as a float numpy array."""
    return np.asarray(values, dtype=float)


def vlines(fig: go.Figure) -> list[float]:
    """The x positions of the vertical lines drawn across the plot."""
    return [s.x0 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1]


def hlines(fig: go.Figure) -> list[float]:
    """The y positions of the horizontal lines drawn across the plot."""
    return [s.y0 for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]


def named(fig: go.Figure, name: str) -> list:
    """The traces called ``name``."""
    return [t for t in fig.data if t.name == name]


def map_points(fig) -> list[dict]:
    """Every option's point on the Moscow-vs-Tokyo map, whether drawn as one trace or one trace per option: its
    name, x, y, joint (customdata), marker size, colour and symbol, whether its name is written beside it, and
    whether the legend lists it."""
    out = []
    for t in fig.data:
        if t.type != "scatter":
            continue
        n = len(t.x)
        def each(v, n=n):
            return list(v) if isinstance(v, (list, tuple)) or (hasattr(v, "__len__") and not isinstance(v, str)) \
                else [v] * n
        for k, name, x, y, joint, size, color, symbol in zip(
                range(n), t.text, t.x, t.y, t.customdata, each(t.marker.size), each(t.marker.color),
                each(t.marker.symbol), strict=True):
            out.append(dict(name=name, x=x, y=y, joint=joint, size=size, color=color, symbol=symbol,
                            labelled="text" in t.mode, in_legend=bool(t.showlegend), trace=t.name, index=k))
    return out
