"""Benchmark the team library's store (``dashboard.library``) at 10 000 entries, on SQLite and on PostgreSQL.

What is timed (medians of repeated calls after one warm-up, through ``benchmarks/_machine.measure``):

* save one entry (a new row under a fresh id, committed);
* open by short link: ``store.get(id)`` plus reading its query as a link (``parse_link``), as ``/?s=<id>`` does;
* list: the first and the last page (25 rows, newest first) with the total count, as the Library page does;
* sort by title, first page;
* search: a word in about 1% of titles, and one in none (every row is read), first page with the count.

Baseline in the same run and database: ``SELECT 1`` through the same store (one round trip and a transaction), so
the ratios compare across machines. The library is filled with 10 000 entries first (``--entries``). PostgreSQL is
Debian's, started in a temporary folder as the tests do (tests/library/pg.py); ``--only sqlite`` skips it.

    .venv/bin/python benchmarks/bench_library.py
    .venv/bin/python benchmarks/bench_library.py --only sqlite --entries 1000
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._machine import fmt_time, measure, print_machine
from dashboard.library import LibraryStore, NewEntry
from dashboard.links import parse_link, query_for
from dashboard.model import load_model

WORDS = ["election", "sanctions", "summit", "Tokyo", "Moscow", "zone", "islands", "brief", "draft", "Abe", "Putin"]


def fill(store: LibraryStore, n: int, model) -> list[str]:
    """n entries with realistic titles, notes and queries; returns a sample of their ids."""
    rnd = random.Random(1)
    a = model.assumptions
    rows = []
    for i in range(n):
        values = {d: rnd.randint(int(a.at[d, "min"]), int(a.at[d, "max"])) for d in model.driver_ids}
        title = " ".join(rnd.choices(WORDS, k=3)) + f" {i}" + (" rarecase" if i % 100 == 0 else "")
        rows.append(NewEntry(title=title, note=" ".join(rnd.choices(WORDS, k=20)), author=rnd.choice(
            ["Mori", "Sato", "Ivanova", "Petrov", ""]), query=tuple(query_for(values, option="economy_first",
                                                                             version=model.version)),
            data_version=model.version, headline="Both capitals could accept Economy first"))
    for start in range(0, n, 2000):
        store.save_many(rows[start:start + 2000])
    entries, _ = store.search(page_size=200)
    return [e.id for e in entries]


def bench(name: str, store: LibraryStore, n: int, model, budget: float) -> list[tuple[str, str, float, float]]:
    ids = fill(store, n, model)
    total = store.count()
    out = []
    base = measure(lambda: store.status(), budget)
    rnd = random.Random(2)
    new = NewEntry(title="Benchmark save", note="x" * 200, author="bench", query=tuple(query_for(
        model.baseline, option="economy_first", version=model.version)), data_version=model.version)

    def open_by_id():
        e = store.get(rnd.choice(ids))
        parse_link(e.params(), model, "declaration_1956_plus_zone")

    last = -(-total // 25)
    cases = [("save one entry", lambda: store.save(new)),
             ("open by short link (get + parse_link)", open_by_id),
             ("list: first page of 25 + count", lambda: store.search(page=1, page_size=25)),
             (f"list: last page ({last}) + count", lambda: store.search(page=last, page_size=25)),
             ("sort by title: first page + count", lambda: store.search(sort="title", page=1, page_size=25)),
             ("search, ~1% match ('rarecase') + count", lambda: store.search("rarecase", page_size=25)),
             ("search, no match + count", lambda: store.search("nothing-matches-this", page_size=25))]
    print(f"{name}: {total} entries; baseline SELECT 1 through the store: {fmt_time(base.median)} "
          f"({base.label()})")
    for label, fn in cases:
        t = measure(fn, budget)
        out.append((name, label, t.median, t.median / base.median))
        print(f"  {label:<42} {fmt_time(t.median):>10}   x{t.median / base.median:6.1f}  ({t.label()})")
    print()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--only", choices=("sqlite", "postgres"))
    ap.add_argument("--budget", type=float, default=2.0, help="seconds of samples per figure (default 2)")
    args = ap.parse_args(argv)
    print_machine("bench_library.py: the team library's store", chromium=False,
                  extra={"sqlalchemy": sa.__version__})
    model = load_model()
    if args.only != "postgres":
        with tempfile.TemporaryDirectory() as d:
            bench("SQLite (WAL, file)", LibraryStore.from_url(f"sqlite:///{d}/bench.sqlite3"), args.entries, model,
                  args.budget)
    if args.only != "sqlite":
        from tests.library.pg import pg_bin, postgres_server

        if pg_bin() is None:
            print("PostgreSQL: not installed (apt-get install -y postgresql); skipped")
            return 0
        with postgres_server() as pg, contextlib.suppress(KeyboardInterrupt):
            with LibraryStore.from_url(pg.url).engine.connect() as c:
                version = c.execute(sa.text("SHOW server_version")).scalar()
            bench(f"PostgreSQL {version} (loopback TCP, fsync off)", LibraryStore.from_url(pg.url), args.entries,
                  model, args.budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
