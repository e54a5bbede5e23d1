"""The production settings in .streamlit/config.toml: each one is there for a reason a user would notice if it went."""

import tomllib
from pathlib import Path

import pytest

CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())


@pytest.mark.parametrize(
    ("section", "key", "expected", "why"),
    [
        ("browser", "gatherUsageStats", False, "usage statistics would call an outside host from a closed network"),
        ("server", "enableXsrfProtection", True, "uploads must carry the XSRF token"),
        ("server", "maxUploadSize", 1, "scenario files are a few KB; larger uploads are refused by the server"),
        ("server", "fileWatcherType", "none", "a data edit must not rerun every session's script"),
        ("client", "toolbarMode", "viewer", "an audience must not see Deploy / Rerun / Clear cache"),
        ("client", "showErrorDetails", "none", "a traceback must never reach a projector"),
        ("runner", "postScriptGC", False, "a full collection after every run capped the server at ~9 reruns/s"),
    ],
)
def test_production_setting(section, key, expected, why):
    assert CONFIG.get(section, {}).get(key) == expected, f"[{section}] {key} must be {expected!r}: {why}"
