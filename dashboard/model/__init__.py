"""The feasibility model: sourced data in ``data/`` and a pure, vectorised scoring engine.

Imports nothing from Streamlit or Plotly, so it can be scripted, tested and benchmarked on its own::

    from dashboard.model import load_model
    model = load_model()
    model.score({"japan_public_support": 40})
"""

from __future__ import annotations

from pathlib import Path

from dashboard.model.engine import OUTPUTS, Model
from dashboard.model.loader import DEFAULT_DATA_DIR, DataError, read_data
from dashboard.model.schema import CAPITALS

__all__ = ["CAPITALS", "DEFAULT_DATA_DIR", "OUTPUTS", "DataError", "Model", "load_model"]


def load_model(folder: str | Path | None = None) -> Model:
    """Read, validate and build the model from ``folder`` (default: the project's ``data/``).

    Raises :class:`DataError` listing every problem in the data, each naming its file, record and field.
    """
    return Model(read_data(folder))
