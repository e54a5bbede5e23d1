"""Hypothesis strategies for scenarios inside the drivers' scales."""

from __future__ import annotations

from hypothesis import strategies as st

from dashboard.model import load_model

_A = load_model().assumptions


def driver_value(driver: str, on_step: bool = False) -> st.SearchStrategy[float]:
    lo, hi, step = (float(_A.at[driver, k]) for k in ("min", "max", "step"))
    if on_step:
        return st.integers(0, round((hi - lo) / step)).map(lambda k: lo + k * step)
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def scenarios(on_step: bool = False) -> st.SearchStrategy[dict[str, float]]:
    """Any subset of drivers, each at any value inside its scale."""
    return st.fixed_dictionaries({}, optional={d: driver_value(d, on_step) for d in _A.index})
