"""Faults the app must ride out: data edited into an invalid state while it runs (AppTest, on a copy of data/)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = r'''
import os, sys, json, pathlib
from streamlit.testing.v1 import AppTest
data = pathlib.Path(os.environ["KURIL_DATA"])
at = AppTest.from_file(sys.argv[1], default_timeout=90)
at.query_params["japan_public_support"] = "44"
at.run()
def state(at):
    return {"exceptions": len(at.exception), "charts": len(at.get("plotly_chart")),
            "expanders": [e.label for e in at.expander]}
out = {"before": state(at)}
drivers = data / "drivers.yaml"
good = drivers.read_text()
drivers.write_text(good.replace("baseline: 54", "baseline: 154"))
os.utime(drivers, None)
at.sidebar.slider(key="japan_public_support").set_value(45).run()
out["broken"] = state(at)
fresh = AppTest.from_file(sys.argv[1], default_timeout=90)   # a new visitor while the data is broken
fresh.run()
out["fresh_while_broken"] = state(fresh)
drivers.write_text(good)
at.sidebar.slider(key="japan_public_support").set_value(46).run()
out["mended"] = state(at)
print(json.dumps(out))
'''


def test_invalid_data_keeps_the_last_valid_model_and_says_so(data_copy):
    """In its own process: the data folder is read from $KURIL_DATA when the app first imports the model."""
    env = {**os.environ, "KURIL_DATA": str(data_copy), "KURIL_DEBUG": "1"}
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "dashboard" / "app.py")], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    import json
    out = json.loads(r.stdout.strip().splitlines()[-1])
    warning = "The data files were changed into an invalid state; showing the last valid data."
    assert out["before"]["exceptions"] == 0 and warning not in out["before"]["expanders"]
    for moment in ("broken", "fresh_while_broken"):
        assert out[moment]["exceptions"] == 0 and out[moment]["charts"] >= 2, moment
        assert warning in out[moment]["expanders"], moment
    assert warning not in out["mended"]["expanders"] and out["mended"]["charts"] >= 2
