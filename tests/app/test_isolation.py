"""Sessions in one server process share caches, never state: one user's scenario, overrides, uploads and presenter
step cannot reach another's (AppTest runs sessions in this one process, sharing Streamlit's caches)."""

from __future__ import annotations

import pytest

from dashboard.model.scenario import Scenario, dump_scenario
from tests.app.helpers import app, map_points, uploader

KEY = "weight.tokyo.japan_public_support.declaration_1956"


def test_one_sessions_overrides_upload_and_step_do_not_reach_another(model):
    a = app(japan_public_support="80", **{f"o.{KEY}": "7"})
    a.run()
    upload = dump_scenario(Scenario({**model.baseline, "western_sanctions": 95}, "A's file", "", {KEY: 7.0},
                                    None, model.version), model).encode()
    uploader(a).set_value(("a.yaml", upload, "application/yaml")).run()
    presenter = app(view="present")
    presenter.run()
    presenter.button(key="_next").click().run()

    b = app(japan_public_support="80")
    b.run()
    assert b.session_state["overrides"] == {}
    assert b.sidebar.slider(key="western_sanctions").value == model.baseline["western_sanctions"]
    expected = model.score({"japan_public_support": 80})
    label = model.options.at["declaration_1956", "short_label"]
    assert map_points(b)[label][1] == pytest.approx(expected.at["declaration_1956", "tokyo"], abs=1e-12)
    other_presenter = app(view="present")
    other_presenter.run()
    assert other_presenter.session_state["_present_step"] == 1
    # And A still has its own.
    a.run()
    assert a.session_state["overrides"] == {KEY: 7.0}
    assert a.sidebar.slider(key="western_sanctions").value == 95


def test_shared_models_cannot_be_changed_through_what_a_page_is_given(model):
    at = app()
    at.run()
    ctx = at.session_state["_context"]
    frame = ctx.model.assumptions
    frame.loc["japan_public_support", "baseline"] = 0  # a page scribbling on what it was given
    again = app()
    again.run()
    assert again.session_state["_context"].model.assumptions.at["japan_public_support", "baseline"] == \
        model.baseline["japan_public_support"]
    with pytest.raises(ValueError):
        ctx.model._weights[0, 0, 0] = 9.0
