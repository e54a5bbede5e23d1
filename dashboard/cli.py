"""Command line for scripted analysis, on the same engine as the app.

    python -m dashboard score data/scenarios/*.yaml --format csv
    python -m dashboard sweep months_to_election --scenario data/scenarios/snap-election.yaml
    python -m dashboard export data/scenarios/snap-election.yaml --pack snap.html --slides snap.pptx
    python -m dashboard calibrate
    python -m dashboard drivers
    python -m dashboard history --format csv
    python -m dashboard score data/scenarios/snap-election.yaml --as-of 2022-03-21 --events amendment_2020
    python -m dashboard library list --search election
    python -m dashboard library show ID
    python -m dashboard library export ID > scenario.yaml

Results go to standard output as CSV (default) or JSON; problems go to standard error, one line each, and the exit
status is 2 for bad input (a broken file, an unknown driver, a bad argument), with nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from dashboard.model import DataError, Model, analysis, load_model
from dashboard.model.calibration import run_calibration
from dashboard.model.history import find_checkpoint, history_scores
from dashboard.model.scenario import Scenario, ScenarioError, parse_scenario


class InputError(Exception):
    """Bad input from the command line: each line of ``problems`` is printed to standard error."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _read_scenarios(paths: Sequence[str], model: Model, args: argparse.Namespace | None = None,
                    ) -> list[tuple[str, Scenario]]:
    """Every file parsed and checked before anything is scored: all problems are reported at once.

    ``--as-of`` and ``--events`` (when the command has them) replace each file's own start point and events.
    """
    as_of = getattr(args, "as_of", None)
    events = getattr(args, "events", None)
    problems = []
    if as_of is not None:
        try:
            find_checkpoint(model, as_of)
        except ValueError as e:
            problems.append(f"--as-of: {e}")
    if events is not None:
        unknown = [e for e in events if e not in model.data.events]
        if unknown:
            problems.append(f"--events: unknown event(s) {', '.join(unknown)}; known: "
                            f"{', '.join(model.data.events) or 'none'}")
    if problems:
        raise InputError(problems)
    out = []
    for name in paths:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as e:
            problems.append(f"{name}: cannot read ({e.strerror or e})")
            continue
        try:
            out.append((path.stem, parse_scenario(content, model, path.name, as_of=as_of,
                                                  events=frozenset(events) if events is not None else None)))
        except ScenarioError as e:
            problems.extend(f"{name}: {p}" for p in e.problems)
    if problems:
        raise InputError(problems)
    return out


def _emit(df: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        json.dump(json.loads(df.to_json(orient="records")), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")


def cmd_score(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    rows = []
    for name, scenario in _read_scenarios(args.files, model, args):
        for notice in scenario.notices:
            print(f"note: {name}: {notice}", file=sys.stderr)
        m = model.with_overrides(scenario.overrides).with_events(scenario.events)
        scores = m.score(scenario.drivers).reset_index()
        scores.insert(0, "scenario", name)
        scores.insert(1, "title", scenario.title)
        scores.insert(3, "label", [model.options.at[o, "label"] for o in scores["option"]])
        scores["overrides"] = len(scenario.overrides)
        scores["as_of"] = scenario.as_of or ""
        scores["events"] = ",".join(sorted(scenario.events))
        scores["data_version"] = model.version
        rows.append(scores)
    return pd.concat(rows, ignore_index=True)


def cmd_sweep(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    if args.driver not in model.driver_ids:
        raise InputError([f"unknown driver {args.driver!r}; known drivers: {', '.join(model.driver_ids)}"])
    scenario = _read_scenarios([args.scenario], model)[0][1] if args.scenario else None
    m = model.with_overrides(scenario.overrides).with_events(scenario.events) if scenario else model
    df = analysis.sweep(m, scenario.drivers if scenario else None, args.driver, args.points)
    return df.rename(columns={"value": args.driver})


def cmd_export(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    """Write the briefing pack, the slides and the scores of one scenario file; report what was written."""
    from dashboard.export import ImagesUnavailable, briefing_pack, build_briefing, scores_csv, slide_deck

    if not (args.pack or args.slides or args.csv):
        raise InputError(["say what to write: --pack FILE.html, --slides FILE.pptx and/or --csv FILE.csv"])
    name, scenario = _read_scenarios([args.file], model)[0]
    m = model.with_overrides(scenario.overrides).with_events(scenario.events)
    option = scenario.option or "declaration_1956_plus_zone"
    b = build_briefing(m, scenario.drivers, option, title=scenario.title or name, note=scenario.note,
                       share_link=args.link or "")
    written = []
    outputs = [(args.csv, lambda: scores_csv(b).encode()), (args.pack, lambda: briefing_pack(b).encode()),
               (args.slides, lambda: slide_deck(b))]
    for path, make in outputs:
        if not path:
            continue
        try:
            content = make()
        except ImagesUnavailable as e:
            raise InputError([str(e)]) from None
        Path(path).write_bytes(content)
        written.append({"file": path, "bytes": len(content)})
    return pd.DataFrame(written)


def cmd_calibrate(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    return run_calibration(model)[["id", "passed", "kind", "source", "observed", "claim"]]


def cmd_history(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    """One row per checkpoint and option, with the op-ed's weights at every date (no per-date tuning)."""
    if not model.data.checkpoints:
        raise InputError(["this data has no dated checkpoints (data/history/checkpoints.yaml)"])
    df = history_scores(model)
    if args.format == "csv":  # true/false as in the JSON, not Python's True/False
        df["happened"] = df["happened"].map({True: "true", False: "false"})
    return df


def _event_list(text: str) -> list[str]:
    ids = [t.strip() for t in text.split(",") if t.strip()]
    if not ids and text.strip().lower() != "none":
        raise argparse.ArgumentTypeError("give event ids separated by commas, or none")
    return ids


def cmd_drivers(args: argparse.Namespace, model: Model) -> pd.DataFrame:
    return model.assumptions.reset_index()[["driver", "label", "unit", "min", "max", "step", "baseline", "low",
                                            "high", "source"]]


def _library():
    from dashboard.library import LibraryStore, LibraryUnavailable, database_url

    try:
        return LibraryStore.from_url(database_url())
    except LibraryUnavailable as e:
        raise InputError([str(e)]) from None


def _entry_row(e) -> dict:
    return {"id": e.id, "title": e.title, "author": e.author, "created_at": e.created_at.isoformat(timespec="seconds"),
            "data_version": e.data_version, "page": e.page, "headline": e.headline, "hidden": e.hidden}


def cmd_library(args: argparse.Namespace, model: Model):
    """The team library, on the database the app uses (KURIL_DATABASE_URL, else var/library.sqlite3)."""
    from dashboard.library import LibraryError
    from dashboard.links import parse_link
    from dashboard.model.scenario import dump_scenario

    store = _library()
    try:
        if args.action == "list":
            entries, total = store.search(args.search or "", args.sort, args.page, args.page_size,
                                          include_hidden=args.all)
            print(f"note: {len(entries)} of {total} entries (page {args.page})", file=sys.stderr)
            return pd.DataFrame([_entry_row(e) for e in entries],
                                columns=["id", "title", "author", "created_at", "data_version", "page", "headline",
                                         "hidden"])
        if not args.id:
            raise InputError([f"library {args.action} needs an ID (see `library list`)"])
        entry = store.get(args.id)
        if entry is None:
            raise InputError([f"no saved scenario has the id {args.id!r}"])
        if args.action == "show":
            row = _entry_row(entry) | {"note": entry.note,
                                       "query": "&".join(f"{k}={v}" for k, v in entry.query)}
            return pd.DataFrame([row])
        link = parse_link(entry.params(), model, "declaration_1956_plus_zone")
        for n in link.notices:
            print(f"note: {n}", file=sys.stderr)
        scenario = Scenario(dict(link.values), entry.title, entry.note, dict(link.overrides), link.option,
                            entry.data_version, link.as_of, frozenset(link.events))
        sys.stdout.write(dump_scenario(scenario, model, "json" if args.format == "json" else "yaml"))
        return None
    except LibraryError as e:
        raise InputError([str(e)]) from None


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 2 <= n <= 10_000:
        raise argparse.ArgumentTypeError(f"{n} is outside 2 to 10000")
    return n


def _page_number(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= n <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{n} is outside 1 to 1000000")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Score Kuril Islands settlement scenarios from the command line (same engine as the app).",
        epilog="Scenario files are YAML or JSON (format kuril-scenario/1; see dashboard/model/scenario.py or the "
               "README). Exit status: 0 on success, 2 on bad input.",
    )
    p.add_argument("--data", metavar="FOLDER", help="data folder to use instead of the project's data/")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=help_, description=help_)
        s.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default csv)")
        return s

    s = add("score", "score one or many scenario files: one row per scenario and option")
    s.add_argument("files", nargs="+", metavar="FILE", help="scenario files (.yaml, .yml or .json)")
    s.add_argument("--as-of", metavar="DATE|ID", help="start from this checkpoint (its id, or a date YYYY-MM-DD: "
                   "the latest checkpoint on or before it): drivers a file leaves out take its values, and its "
                   "events are in force; replaces a file's own as_of")
    s.add_argument("--events", metavar="ID,ID", type=_event_list,
                   help="the events in force, separated by commas (or none); replaces the start point's and the "
                        "file's")
    s.set_defaults(run=cmd_score)
    s = add("sweep", "scores as one driver moves across its scale")
    s.add_argument("driver", help="driver id, e.g. months_to_election (see the `drivers` command)")
    s.add_argument("--scenario", metavar="FILE", help="hold the other drivers at this scenario (default 2016)")
    s.add_argument("--points", type=_positive, help="evenly spaced values (default: every slider step)")
    s.set_defaults(run=cmd_sweep)
    s = add("export", "write a scenario's briefing pack (HTML), slides (PowerPoint) and scores (CSV) to files")
    s.add_argument("file", metavar="FILE", help="the scenario file")
    s.add_argument("--pack", metavar="OUT.html", help="write the self-contained HTML briefing pack here")
    s.add_argument("--slides", metavar="OUT.pptx", help="write the slide deck here (needs Chromium)")
    s.add_argument("--csv", metavar="OUT.csv", help="write the scores and assumptions here")
    s.add_argument("--link", help="the dashboard link to print in the pack and the slides")
    s.set_defaults(run=cmd_export)
    s = add("calibrate", "check the op-ed's claims against the model")
    s.set_defaults(run=cmd_calibrate)
    s = add("history", "each option's scores at each dated checkpoint: date,checkpoint,option,moscow,tokyo,joint,"
                       "happened")
    s.set_defaults(run=cmd_history)
    s = add("drivers", "list the drivers with their ranges and sources")
    s.set_defaults(run=cmd_drivers)
    s = add("library", "the team's saved scenarios (the database the app uses: KURIL_DATABASE_URL, else "
                       "var/library.sqlite3); export writes a scenario file (YAML, or JSON with --format json)")
    s.add_argument("action", choices=("list", "show", "export"))
    s.add_argument("id", nargs="?", metavar="ID", help="the entry's id (show, export): the s= of its short link")
    s.add_argument("--search", help="list: only entries whose title, author or note contain this")
    s.add_argument("--sort", choices=("newest", "oldest", "title", "author"), default="newest")
    s.add_argument("--page", type=_page_number, default=1, help="list: page number (default 1)")
    s.add_argument("--page-size", type=_page_number, default=50, help="list: entries a page (default 50, max 200)")
    s.add_argument("--all", action="store_true", help="list: include deleted (hidden) entries")
    s.set_defaults(run=cmd_library)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        model = load_model(args.data)
        result = args.run(args, model)
    except DataError as e:
        for problem in e.problems:
            print(f"error: data: {problem}", file=sys.stderr)
        return 2
    except InputError as e:
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    if result is None:  # the command wrote its own output
        return 0
    try:
        _emit(result, args.format)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours. Silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
