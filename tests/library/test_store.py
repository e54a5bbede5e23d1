"""The library's store on SQLite and on a real PostgreSQL: what is saved comes back, limits hold, ids are
unguessable, search/sort/pages are right, deleting hides, faults leave what was saved intact."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import re
import sqlite3

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from dashboard.library import (
    ID_PATTERN,
    LibraryStore,
    LibraryUnavailable,
    NewEntry,
    database_url,
    masked,
    resolve_short_link,
)
from tests.library.pg import postgres_server

QUERY = (("japan_public_support", "40"), ("option", "economy_first"), ("v", "2026.1"))


def entry(title: str = "Snap election", **kw) -> NewEntry:
    return NewEntry(**{"title": title, "query": QUERY, "data_version": "2026.1", **kw})


@pytest.fixture(scope="module")
def pg():
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> LibraryStore:
    if request.param == "sqlite":
        return LibraryStore.from_url(f"sqlite:///{tmp_path}/lib.sqlite3")
    server = request.getfixturevalue("pg")
    s = LibraryStore.from_url(server.url)
    with s.engine.begin() as c:  # one server for the module: each test starts from an empty table
        s.migrate()
        c.execute(sa.text("DELETE FROM library_scenarios"))
    return s


def test_a_saved_entry_comes_back_whole_under_an_unguessable_id(store):
    e = store.save(entry(note="Tokyo's public turns", author="A. Analyst", page="why", headline="Economy first"))
    assert ID_PATTERN.fullmatch(e.id) and len(e.id) == 16  # 96 random bits, URL-safe
    got = store.get(e.id)
    assert got == e
    assert got.query == QUERY and got.params() == {"japan_public_support": ["40"], "option": ["economy_first"],
                                                   "v": ["2026.1"]}
    assert got.created_at.tzinfo == dt.UTC


def test_saving_again_makes_a_new_entry_and_never_changes_the_first(store):
    a = store.save(entry())
    b = store.save(entry(note="changed"))
    assert a.id != b.id
    assert store.get(a.id).note == "" and store.get(b.id).note == "changed"


def test_limits_are_enforced_by_the_store_not_only_the_form():
    for bad in ({"title": ""}, {"title": "   "}, {"title": "x" * 121}, {"note": "n" * 2001}, {"author": "a" * 81},
                {"query": ()}, {"page": "../etc"}, {"query": (("x", "y" * 200),)}):
        with pytest.raises(ValidationError):
            entry(**bad)
    assert entry(title="x" * 120, note="n" * 2000).title == "x" * 120
    assert entry(title="  a\x00b\x1b  ").title == "ab"  # control characters dropped, spaces trimmed


def test_markup_in_a_title_is_kept_as_plain_text(store):
    title = "<script>alert(1)</script> **bold** [x](http://example.com)"
    assert store.get(store.save(entry(title=title)).id).title == title


def test_unknown_and_malformed_ids_are_none_not_errors(store):
    assert store.get("A" * 16) is None
    for bad in ("", "short", "A" * 17, "x' OR '1'='1'--", "../../../../etc/pa", "é" * 16):
        assert store.get(bad) is None


def test_delete_hides_from_the_list_and_the_link_keeps_working(store):
    keep, gone = store.save(entry("Keep")), store.save(entry("Gone"))
    assert store.set_hidden(gone.id)
    entries, total = store.search()
    assert [e.id for e in entries] == [keep.id] and total == 1
    assert store.get(gone.id).hidden and store.get(gone.id).query == QUERY
    assert [e.id for e in store.search(include_hidden=True)[0]] == [gone.id, keep.id]
    assert not store.set_hidden("A" * 16)


def test_search_matches_title_author_and_note_as_plain_text(store):
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ids = {}
    for i, (title, author, note) in enumerate([("Snap election", "Mori", ""), ("Sanctions", "Ivanova", "election"),
                                               ("100% support", "Sato", ""), ("Other", "x_y", "")]):
        ids[title] = store.save(entry(title, author=author, note=note), now=t0 + dt.timedelta(minutes=i)).id
    def found(q):
        return {e.title for e in store.search(q)[0]}
    assert found("ELECTION") == {"Snap election", "Sanctions"}  # title or note, any case
    assert found("ivanova") == {"Sanctions"}
    assert found("%") == {"100% support"}  # LIKE's wildcards are literal
    assert found("_") == {"Other"}
    assert found("") == set(ids)


def test_sorts_and_pages_cover_every_entry_once(store):
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    titles = [f"Entry {i:02d}" for i in range(23)]
    for i, t in enumerate(titles):
        store.save(entry(t, author=f"author {22 - i:02d}"), now=t0 + dt.timedelta(minutes=i))
    for sort, expected in (("newest", titles[::-1]), ("oldest", titles), ("title", titles), ("author", titles[::-1])):
        pages = [store.search(sort=sort, page=p, page_size=10) for p in (1, 2, 3)]
        assert [total for _, total in pages] == [23, 23, 23]
        assert [e.title for es, _ in pages for e in es] == expected, sort
    assert store.search(page=99, page_size=10)[0] == []


def test_twenty_concurrent_saves_are_all_stored_with_distinct_ids(store):
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        saved = list(pool.map(lambda i: store.save(entry(f"Concurrent {i}")), range(20)))
    assert len({e.id for e in saved}) == 20
    assert store.search(page_size=100)[1] == 20
    assert {store.get(e.id).title for e in saved} == {f"Concurrent {i}" for i in range(20)}


def test_an_id_collision_is_retried_not_overwritten(store, monkeypatch):
    first = store.save(entry("First"))
    ids = iter([first.id, "B" * 16])
    monkeypatch.setattr("dashboard.library.store.secrets.token_urlsafe", lambda n: next(ids))
    second = store.save(entry("Second"))
    assert second.id == "B" * 16 and store.get(first.id).title == "First"


def test_sqlite_uses_wal_and_creates_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "lib.sqlite3"
    store = LibraryStore.from_url(f"sqlite:///{path}")
    store.save(entry())
    assert path.exists()
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_a_short_link_is_read_as_its_entry_with_the_urls_own_parameters_first(store):
    e = store.save(entry())
    params, problem, found = resolve_short_link({"s": [e.id], "view": ["viewer"], "option": ["status_quo"]}, store)
    assert problem is None and found == e
    assert params == {"japan_public_support": ["40"], "option": ["status_quo"], "v": ["2026.1"], "view": ["viewer"]}
    for raw, why in (({"s": ["A" * 16]}, "no saved scenario"), ({"s": ["<b>"]}, "not the id"),
                     ({"s": [e.id, e.id]}, "given 2 times"), ({"s": [""]}, "empty")):
        params, problem, found = resolve_short_link({**raw, "view": ["viewer"]}, store)
        assert why in problem and found is None and params == {"view": ["viewer"]}


def test_an_unreachable_database_is_reported_with_the_password_masked():
    url = "postgresql+psycopg://kuril:s3cret-pw@127.0.0.1:1/kuril"  # nothing listens on port 1
    store = LibraryStore.from_url(url)
    reason = store.status()
    assert reason and "s3cret-pw" not in reason and "***" in reason
    with pytest.raises(LibraryUnavailable) as e:
        store.save(entry())
    assert "s3cret-pw" not in str(e.value)
    _params, problem, _ = resolve_short_link({"s": ["A" * 16]}, store)
    assert "not available" in problem and "s3cret-pw" not in problem
    assert masked(url) == "postgresql+psycopg://kuril:***@127.0.0.1:1/kuril"
    assert "s3cret" not in masked("postgresql://u:s3cret@h/db?x") and re.match(r"\(an unreadable", masked("::"))


def test_the_database_url_comes_from_the_environment_then_secrets_then_the_default(monkeypatch):
    monkeypatch.delenv("KURIL_DATABASE_URL", raising=False)
    assert database_url().endswith("var/library.sqlite3") and database_url().startswith("sqlite:///")
    assert database_url("postgresql://from-secrets/db") == "postgresql://from-secrets/db"
    monkeypatch.setenv("KURIL_DATABASE_URL", "postgresql://from-env/db")
    assert database_url("postgresql://from-secrets/db") == "postgresql://from-env/db"


@pytest.mark.postgres
def test_postgres_stopped_mid_session_then_back_loses_nothing(pg):
    store = LibraryStore.from_url(pg.url, retry_seconds=0)
    saved = store.save(entry("Before the outage"))
    pg.stop()
    try:
        assert "cannot be reached" in store.status()
        with pytest.raises(LibraryUnavailable):
            store.save(entry("During the outage"))
        with pytest.raises(LibraryUnavailable):
            store.get(saved.id)
    finally:
        pg.start()
    assert store.status() is None
    assert store.get(saved.id) == saved
    assert "During the outage" not in {e.title for e in store.search(page_size=200)[0]}


@pytest.mark.postgres
def test_replicas_starting_together_migrate_once(pg):
    stores = [LibraryStore.from_url(pg.url) for _ in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda s: s.status(), stores)) == [None] * 4
    with stores[0].engine.connect() as c:
        assert c.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["0002"]


def test_search_folds_case_beyond_ascii(store):
    store.save(entry("Выборы в Японии", author="Иванова"))
    store.save(entry("北方領土 brief"))
    assert {e.title for e in store.search("выборы")[0]} == {"Выборы в Японии"}
    assert {e.title for e in store.search("ИВАНОВА")[0]} == {"Выборы в Японии"}
    assert {e.title for e in store.search("領土")[0]} == {"北方領土 brief"}


def test_upgrading_an_older_schema_keeps_every_entry_and_makes_it_searchable(tmp_path):
    from alembic import command
    from alembic.config import Config

    from dashboard.library.store import MIGRATIONS

    store = LibraryStore.from_url(f"sqlite:///{tmp_path}/old.sqlite3")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as c:  # a library made at revision 0001, with one entry
        cfg.attributes["connection"] = c
        command.upgrade(cfg, "0001")
        c.execute(sa.text("INSERT INTO library_scenarios (id, title, note, author, created_at, data_version, page, "
                          "query, headline, hidden) VALUES ('OLDOLDOLDOLDOLD0', 'Old Entry', 'kept', 'Mori', "
                          "'2026-01-01 00:00:00', '2026.1', '', '[[\"v\",\"2026.1\"]]', '', 0)"))
    assert store.status() is None  # upgrades to the newest revision at first use
    old = store.get("OLDOLDOLDOLDOLD0")
    assert (old.title, old.note, old.author, old.query) == ("Old Entry", "kept", "Mori", (("v", "2026.1"),))
    assert [e.id for e in store.search("old entry")[0]] == ["OLDOLDOLDOLDOLD0"]


def test_no_id_starts_with_a_dash_which_the_command_line_would_read_as_an_option():
    from dashboard.library.store import new_id
    ids = [new_id() for _ in range(2000)]
    assert not [i for i in ids if i.startswith("-")] and len(set(ids)) == len(ids)


@pytest.mark.postgres
def test_a_url_without_a_password_connects_with_libpqs_pgpassword_as_the_deployment_gives_it(pg, monkeypatch):
    # deploy/kubernetes.yaml passes the URL and the password as two variables, so no URL holds a password.
    url = f"postgresql+psycopg://kuril@127.0.0.1:{pg.port}/kuril"
    monkeypatch.setenv("PGPASSWORD", "not-the-password")
    assert LibraryStore.from_url(url).status()  # the server checks it: a wrong password is refused
    monkeypatch.setenv("PGPASSWORD", pg.password)
    store = LibraryStore.from_url(url)
    store.migrate()
    assert store.status() is None
    assert store.get(store.save(entry(title="Through PGPASSWORD")).id).title == "Through PGPASSWORD"
