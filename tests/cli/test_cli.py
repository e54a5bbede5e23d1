"""The command line: same engine, same numbers as the app, clean errors and exit status 2 on bad input."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.model.scenario import parse_scenario
from tests.app.helpers import app, map_points
from tests.conftest import ROOT

SCENARIOS = sorted((ROOT / "data" / "scenarios").glob("*.yaml"))


def run(*args: str) -> subprocess.CompletedProcess:
    """The command line in this process (a new interpreter per call would cost ~1.5 s of imports each).

    An exception escaping ``main`` fails the test, which is stricter than looking for "Traceback" in its output;
    the real entry point is run as a subprocess below.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse's own errors and --help
            code = e.code
    return subprocess.CompletedProcess(["python", "-m", "dashboard", *args], code, out.getvalue(), err.getvalue())


def run_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_the_module_runs_as_a_program_and_bad_input_exits_2_without_a_traceback(tmp_path):
    assert run_process("--help").returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"drivers": {"no_such": 1}}')
    r = run_process("score", str(bad))
    assert r.returncode == 2 and "drivers.no_such: unknown driver" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_score_gives_one_row_per_scenario_and_option_equal_to_the_engine(model):
    r = run("score", *map(str, SCENARIOS), "--format", "csv")
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(io.StringIO(r.stdout))
    assert len(df) == len(SCENARIOS) * len(model.option_ids)
    for path in SCENARIOS:
        s = parse_scenario(path.read_bytes(), model, path.name)
        expected = model.score(s.drivers)
        got = df[df["scenario"] == path.stem].set_index("option")[["moscow", "tokyo", "joint"]]
        pd.testing.assert_frame_equal(got, expected, check_names=False, rtol=0, atol=1e-15)


def test_the_clis_scores_for_a_file_equal_the_apps_for_the_same_link(model, tmp_path):
    f = tmp_path / "mine.json"
    f.write_text(json.dumps({"drivers": {"japan_public_support": 37, "putin_standing": 90},
                             "overrides": {"ceiling.moscow_article9_limit": 0.4}}))
    cli = pd.read_csv(io.StringIO(run("score", str(f)).stdout)).set_index("option")
    at = app(japan_public_support="37", putin_standing="90", **{"o.ceiling.moscow_article9_limit": "0.4"})
    at.run()
    points = map_points(at)
    for o in model.option_ids:
        label = model.options.at[o, "short_label"]
        assert points[label] == pytest.approx((cli.at[o, "moscow"], cli.at[o, "tokyo"]), abs=1e-15)


def test_json_output_is_valid_json():
    r = run("score", str(SCENARIOS[0]), "--format", "json")
    rows = json.loads(r.stdout)
    assert {"scenario", "option", "moscow", "tokyo", "joint"} <= set(rows[0])


def test_sweep_moves_only_the_named_driver(model):
    r = run("sweep", "months_to_election", "--points", "5")
    df = pd.read_csv(io.StringIO(r.stdout))
    assert sorted(df["months_to_election"].unique()) == [0, 12, 24, 36, 48]
    assert df.groupby("option")["moscow"].nunique().eq(1).all()  # Moscow does not care about Japan's election


@pytest.mark.parametrize("content, name, message", [
    ("::: not yaml [", "junk.yaml", "unknown field '::'"),
    ("drivers: [unclosed", "broken.yaml", "not valid YAML"),
    ('{"drivers": {"japan_public_support": -5}}', "neg.json", "-5 is outside the allowed range 0 to 100"),
    ('{"drivers": {"no_such": 1}}', "unk.json", "drivers.no_such: unknown driver"),
    ('{"drivers": {"japan_public_support": "high"}}', "text.json", "not a number"),
    ('{"data_version": "1999.1"}', "old.json", "made with data version 1999.1"),
])
def test_a_bad_file_exits_2_with_a_message_and_no_traceback(tmp_path, content, name, message):
    f = tmp_path / name
    f.write_text(content)
    r = run("score", str(f), str(SCENARIOS[0]))
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""  # nothing half-written


@pytest.mark.parametrize("args, message", [
    (["score"], "the following arguments are required"),
    (["score", "/no/such/file.yaml"], "cannot read"),
    (["sweep", "nope"], "unknown driver 'nope'"),
    (["sweep", "months_to_election", "--points", "x"], "is not a whole number"),
    (["frobnicate"], "invalid choice"),
    (["export", str(SCENARIOS[0])], "say what to write"),
])
def test_bad_arguments_exit_2_with_a_message(args, message):
    r = run(*args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_help_describes_every_command():
    r = run("--help")
    assert r.returncode == 0
    for command in ("score", "sweep", "export", "calibrate", "drivers"):
        assert command in r.stdout


def test_export_writes_the_pack_and_the_scores(tmp_path):
    pack, csv = tmp_path / "b.html", tmp_path / "b.csv"
    r = run("export", str(SCENARIOS[0]), "--pack", str(pack), "--csv", str(csv))
    assert r.returncode == 0, r.stderr
    assert pack.read_text().startswith("<!DOCTYPE html>") and "record,id,label" in csv.read_text()


def test_a_broken_data_folder_is_reported_not_raised(data_copy):
    (data_copy / "drivers.yaml").write_text("japan_public_support: [")
    r = run("--data", str(data_copy), "drivers")
    assert r.returncode == 2 and "drivers.yaml: not valid YAML" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------------------------------------- issue 10
def test_history_prints_one_row_per_checkpoint_and_option(model):
    r = run("history", "--format", "csv")
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(io.StringIO(r.stdout), dtype={"happened": str})
    assert list(df.columns) == ["date", "checkpoint", "option", "moscow", "tokyo", "joint", "happened"]
    assert len(df) == len(model.data.checkpoints) * len(model.option_ids)
    assert set(df["happened"]) <= {"true", "false"}
    for cp in model.data.checkpoints:
        rows = df[df["checkpoint"] == cp.id]
        assert set(rows[rows["happened"] == "true"]["option"]) == set(cp.happened.options)
        assert (rows["date"] == cp.date.isoformat()).all()
    first = df.iloc[0]
    assert first["joint"] == pytest.approx(model.score({}).at[first["option"], "joint"])


def test_history_as_json_has_booleans(model):
    r = run("history", "--format", "json")
    rows = json.loads(r.stdout)
    assert r.returncode == 0 and {type(x["happened"]) for x in rows} == {bool}


def test_score_as_of_a_date_and_with_events_matches_the_model(model):
    path = str(ROOT / "data" / "scenarios" / "snap-election.yaml")
    r = run("score", path, "--as-of", "2022-03-25", "--events", "amendment_2020", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {x["option"]: x for x in json.loads(r.stdout)}
    s = parse_scenario((ROOT / "data" / "scenarios" / "snap-election.yaml").read_bytes(), model, "snap.yaml",
                       as_of="2022-03-suspension", events=frozenset({"amendment_2020"}))
    expected = model.with_events({"amendment_2020"}).score(s.drivers)
    assert rows["declaration_1956"]["moscow"] == pytest.approx(expected.at["declaration_1956", "moscow"])
    assert rows["declaration_1956"]["moscow"] <= 0.02
    row = rows["economy_first"]
    assert row["as_of"] == "2022-03-suspension" and row["events"] == "amendment_2020"


@pytest.mark.parametrize("args, said", [
    (["--as-of", "1990-01-01"], "--as-of: 1990-01-01 is before the first checkpoint"),
    (["--as-of", "next-week"], "--as-of: 'next-week' is neither a checkpoint id nor a date"),
    (["--events", "atlantis_2030,amendment_2020"], "--events: unknown event(s) atlantis_2030"),
    (["--events", ","], "give event ids separated by commas"),
])
def test_bad_as_of_or_events_exit_2_with_a_clear_message(args, said):
    r = run("score", str(SCENARIOS[0]), *args)
    assert r.returncode == 2 and said in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_library_list_show_and_export_on_the_apps_database(tmp_path, monkeypatch, model, capsys):
    from dashboard.cli import main
    from dashboard.library import LibraryStore, NewEntry
    from dashboard.model.scenario import parse_scenario

    url = f"sqlite:///{tmp_path}/lib.sqlite3"
    monkeypatch.setenv("KURIL_DATABASE_URL", url)
    store = LibraryStore.from_url(url)
    e = store.save(NewEntry(title="Snap, election", author="Mori", note="for Monday",
                            query=(("japan_public_support", "33"), ("option", "four_islands"), ("v", model.version)),
                            data_version=model.version))
    store.save(NewEntry(title="Other", query=(("v", model.version),), data_version=model.version))
    assert main(["library", "list", "--search", "snap", "--format", "json"]) == 0
    import json
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["title"], r["author"]) for r in rows] == [(e.id, "Snap, election", "Mori")]
    assert main(["library", "show", e.id]) == 0
    out = capsys.readouterr().out
    assert "for Monday" in out and "japan_public_support=33" in out
    assert main(["library", "export", e.id]) == 0
    scenario = parse_scenario(capsys.readouterr().out.encode(), model, "x.yaml")
    assert scenario.drivers["japan_public_support"] == 33 and scenario.option == "four_islands"
    assert scenario.title == "Snap, election"


def test_library_with_a_bad_id_or_an_unreachable_database_exits_2(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main

    monkeypatch.setenv("KURIL_DATABASE_URL", f"sqlite:///{tmp_path}/lib.sqlite3")
    assert main(["library", "show", "A" * 16]) == 2
    assert "no saved scenario has the id" in capsys.readouterr().err
    assert main(["library", "export"]) == 2
    assert "needs an ID" in capsys.readouterr().err
    monkeypatch.setenv("KURIL_DATABASE_URL", "postgresql+psycopg://u:hidden-pw@127.0.0.1:1/x")
    assert main(["library", "list"]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "hidden-pw" not in err
