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


def test_the_only_raw_html_is_the_apps_own_constant_text():
    """Nothing from a link, a file or the data is rendered as HTML: the app's only raw HTML is presenter mode's fixed
    style sheet and the fixed script that names the page's language; no ``unsafe_allow_html`` anywhere."""

    calls = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path
        calls += [(path.name, line.strip()) for line in text.splitlines() if "st.html(" in line]
    assert calls == [
        ("lang.py", 'st.html(f"<script>{PAGE_LANGUAGE_SCRIPTS[current()]}</script>", unsafe_allow_javascript=True, '
                    'width="content")'),
        ("modes.py", "st.html(PRESENTER_CSS)"),
    ]
