"""The model and the charts never load Streamlit; the model never loads Plotly; the library's storage loads neither."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _loaded(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_model_loads_neither_streamlit_nor_plotly():
    mods = _loaded("import dashboard.model, dashboard.model.analysis, dashboard.model.calibration, "
                   "dashboard.model.explain, dashboard.model.scenario; dashboard.model.load_model().score({})")
    assert "streamlit" not in mods and "plotly" not in mods


def test_charts_do_not_load_streamlit():
    mods = _loaded("import dashboard.charts")
    assert "streamlit" not in mods and "plotly" in mods


def test_library_storage_loads_neither_streamlit_nor_plotly():
    mods = _loaded("import dashboard.library, dashboard.library.store")
    assert "streamlit" not in mods and "plotly" not in mods and "sqlalchemy" in mods
