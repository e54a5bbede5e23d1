"""Saved scenarios on SQLAlchemy 2: save, get by short id, search a page of the list, hide; schema via Alembic.

An entry is immutable: saving again makes a new entry with a new id, and "delete" only hides an entry from the
list, so a link that was sent keeps its meaning and keeps working. Every limit is checked here, on the server,
whatever the form in the browser allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from dashboard.i18n import N_, Message

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# The default database: a SQLite file in var/ (ignored by git), created on first run.
DEFAULT_SQLITE = ROOT / "var" / "library.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ENV_URL = "KURIL_DATABASE_URL"
SHORT_PARAM = "s"  # /?s=<id>: a saved scenario's short link

LIMITS = {"title": 120, "note": 2000, "author": 80}
# A short id: secrets.token_urlsafe(12), 96 random bits in 16 URL-safe characters. Anything else in ?s= is malformed.
ID_BYTES = 12
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
SORTS = {  # sort id -> (label, ORDER BY columns); the id breaks ties so that pages never overlap
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "title": N_("Title A–Z"),
    "author": N_("Author A–Z"),
}
PAGE_SIZE_MAX = 200
# After the database was found unreachable, look again at most this often (a page with the library open would
# otherwise wait for a connection timeout on every rerun).
RETRY_SECONDS = 5.0
_PG_MIGRATION_LOCK = 0x6B7572696C  # "kuril": one advisory lock, so replicas starting together migrate once

metadata = sa.MetaData()
scenarios = sa.Table(
    "library_scenarios", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("data_version", sa.String(40), nullable=False),
    sa.Column("page", sa.String(40), nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("headline", sa.String(400), nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False),
    sa.Column("search_text", sa.Text, nullable=False),  # title, author and note, case-folded (revision 0002)
)


class LibraryError(Exception):
    """A save or look-up the library refused, with a message fit to show a person."""

    @property
    def message(self) -> str:
        """The message: a :class:`~dashboard.i18n.Message` (English as a string; ``.text(lang)`` in another
        language) when the library wrote it."""
        return self.args[0] if self.args else ""


class LibraryUnavailable(LibraryError):
    """The database could not be reached or used; the message names the database with its password masked."""


def _control_free(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


class NewEntry(BaseModel):
    """A scenario to save: what the share link pins (``query``, ``page``, ``data_version``) and its description.

    Title 1-120 characters, note up to 2,000, author up to 80 (after trimming; control characters dropped).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=LIMITS["title"])
    note: str = Field(default="", max_length=LIMITS["note"])
    author: str = Field(default="", max_length=LIMITS["author"])
    query: tuple[tuple[str, str], ...] = Field(min_length=1, max_length=200)
    page: str = Field(default="", max_length=40, pattern=r"^[a-z0-9_-]*$")
    data_version: str = Field(min_length=1, max_length=40)
    headline: str = Field(default="", max_length=400)

    @field_validator("title", "note", "author", "headline", mode="before")
    @classmethod
    def _clean(cls, v: object) -> object:
        return _control_free(v).strip() if isinstance(v, str) else v

    @field_validator("query")
    @classmethod
    def _short_pairs(cls, q: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        for name, value in q:
            if len(name) > 80 or len(value) > 80:
                raise ValueError("a query parameter is too long to be one the dashboard writes")
        return q


@dataclass(frozen=True)
class Entry:
    """A saved scenario as stored."""

    id: str
    title: str
    note: str
    author: str
    created_at: dt.datetime  # UTC
    data_version: str
    page: str
    query: tuple[tuple[str, str], ...]
    headline: str
    hidden: bool

    def params(self) -> dict[str, list[str]]:
        """The stored query as parse_link reads a URL: name -> every value given."""
        out: dict[str, list[str]] = {}
        for k, v in self.query:
            out.setdefault(k, []).append(v)
        return out


def new_id() -> str:
    """A fresh short id (96 random bits). Never one that starts with "-": the command line would read it as an
    option (`library show -x...`); redrawing those keeps every id uniformly random among the rest."""
    while (entry_id := secrets.token_urlsafe(ID_BYTES)).startswith("-"):
        pass
    return entry_id


def database_url(secret_url: str | None = None) -> str:
    """The database to use: ``KURIL_DATABASE_URL``, else ``secret_url`` (Streamlit secrets), else the SQLite file."""
    return os.environ.get(ENV_URL) or secret_url or f"sqlite:///{DEFAULT_SQLITE}"


def masked(url: str | URL) -> str:
    """A database URL fit for messages and logs: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: say nothing of its contents
        return Message(N_("(an unreadable database URL)"))


def unusable_url(url: str | URL, e: Exception) -> Message:
    """Why a database URL cannot be used (its password masked): a bad scheme, a missing driver."""
    return Message(N_("the database URL {url} cannot be used ({kind})"), url=masked(url), kind=type(e).__name__)


def engine_options(url: str) -> dict:
    """``create_engine`` settings for ``url``: short connect timeouts, and pre-ping so that a restarted database
    is found again rather than failing the next request. Creates the SQLite file's folder."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        return {"connect_args": {"timeout": 15}}
    args = {"connect_timeout": 3} if u.get_backend_name() == "postgresql" else {}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, "connect_args": args}


def engine_for(url: str) -> Engine:
    """An engine on ``url`` with :func:`engine_options`."""
    return sa.create_engine(make_url(url), **engine_options(url))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL: readers never wait for a writer, and several processes share the file safely; busy_timeout: a writer
    # waits for another's lock rather than failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class LibraryStore:
    """The saved scenarios in one database. Thread-safe: every call takes a connection from the engine's pool.

    ``migrate`` runs on first use (and again after a failure, at most every few seconds), so a store can be made
    while the database is down and starts working when it comes up.
    """

    def __init__(self, engine: Engine, retry_seconds: float = RETRY_SECONDS):
        self.engine = engine
        self.name = masked(engine.url)
        self.retry_seconds = retry_seconds
        self._ready = False
        self._failed_at = -float("inf")
        self._last_error = ""
        self._lock = threading.Lock()
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)

    @classmethod
    def from_url(cls, url: str, **kw) -> LibraryStore:
        """A store on the database at ``url`` (see :func:`database_url`)."""
        try:
            return cls(engine_for(url), **kw)
        except (SQLAlchemyError, ValueError, ImportError) as e:
            raise LibraryUnavailable(unusable_url(url, e)) from None

    # ---- schema ---------------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creating it on an empty database)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                    conn.commit()

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if time.monotonic() - self._failed_at < self.retry_seconds:
                raise LibraryUnavailable(self._last_error)
            try:
                self.migrate()
            except Exception as e:  # any failure to reach or prepare the database: the app goes on without it
                self._failed_at = time.monotonic()
                self._last_error = self._describe(e)
                log.warning("library: %s", self._last_error)
                raise LibraryUnavailable(self._last_error) from None
            self._ready = True

    def _describe(self, e: Exception) -> Message:
        # The driver's message can quote the URL; say only what kind of failure it was, and where.
        kind = type(getattr(e, "orig", None) or e).__name__
        return Message(N_("the library's database ({name}) cannot be reached or used ({kind})"), name=self.name,
                       kind=kind)

    def _run(self, fn):
        """Run ``fn(connection)`` in a transaction; any database failure becomes LibraryUnavailable."""
        self._ensure_ready()
        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except (LibraryError, IntegrityError):
            raise
        except SQLAlchemyError as e:
            log.warning("library: %s: %s", self.name, type(e).__name__)
            raise LibraryUnavailable(self._describe(e)) from None

    def status(self) -> str | None:
        """None when the library works, else why not (for a notice; the password masked): a
        :class:`~dashboard.i18n.Message`."""
        try:
            self._run(lambda c: c.execute(sa.text("SELECT 1")).scalar())
        except LibraryUnavailable as e:
            return e.message
        return None

    # ---- entries --------------------------------------------------------------------------------------------

    def save(self, new: NewEntry, now: dt.datetime | None = None) -> Entry:
        """Store a new entry under a fresh unguessable id and return it (never changes an existing entry)."""
        created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        row = {"title": new.title, "note": new.note, "author": new.author, "created_at": created,
               "search_text": _search_text(new),
               "data_version": new.data_version, "page": new.page,
               "query": json.dumps([list(p) for p in new.query], separators=(",", ":")),
               "headline": new.headline, "hidden": False}
        for _ in range(5):  # a collision of 96-bit ids is all but impossible; retry rather than overwrite
            entry_id = new_id()
            try:
                self._run(lambda c, i=entry_id: c.execute(scenarios.insert().values(id=i, **row)))
            except IntegrityError:
                continue
            return Entry(entry_id, new.title, new.note, new.author, created, new.data_version, new.page,
                         new.query, new.headline, False)
        raise LibraryError(Message(N_("could not find a free id for the entry; nothing was saved")))

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, hidden ones included (their links keep working); None if there is none."""
        if not isinstance(entry_id, str) or not ID_PATTERN.fullmatch(entry_id):
            return None
        row = self._run(lambda c: c.execute(scenarios.select().where(scenarios.c.id == entry_id)).first())
        return _entry(row) if row else None

    def search(self, query: str = "", sort: str = "newest", page: int = 1, page_size: int = 25,
               include_hidden: bool = False) -> tuple[list[Entry], int]:
        """One page of the list (1-based), visible entries only unless asked, and how many match in all.

        ``query`` matches title, author or note, case-insensitively, as plain text (``%`` and ``_`` are literal).
        """
        if sort not in SORTS:
            raise LibraryError(f"unknown sort {sort!r}; known: {', '.join(SORTS)}")
        page_size = max(1, min(int(page_size), PAGE_SIZE_MAX))
        page = max(1, int(page))
        # "= false", not "IS false": PostgreSQL uses an index only for the former.
        where = [] if include_hidden else [scenarios.c.hidden == sa.false()]
        text = query.strip()[:200]
        if text:
            pattern = f"%{_escape_like(text.casefold())}%"
            where.append(scenarios.c.search_text.like(pattern, escape="\\"))
        c = scenarios.c
        order = {"newest": (c.created_at.desc(), c.id.desc()), "oldest": (c.created_at.asc(), c.id.asc()),
                 "title": (c.title.asc(), c.id.asc()), "author": (c.author.asc(), c.id.asc())}
        columns = [c.id, c.title, c.note, c.author, c.created_at, c.data_version, c.page, c.query, c.headline,
                   c.hidden]

        def run(conn):
            page_rows = sa.select(*columns).where(*where).order_by(*order[sort])
            page_rows = page_rows.limit(page_size).offset((page - 1) * page_size)
            count = sa.select(sa.func.count()).select_from(scenarios).where(*where)
            if not text:  # the count and the page each walk an index: two cheap queries
                return [_entry(r) for r in conn.execute(page_rows).all()], conn.execute(count).scalar_one()
            # A search reads every row: one pass gives the page and the count of every match (a window).
            rows = conn.execute(page_rows.add_columns(sa.func.count().over().label("total"))).all()
            if rows:
                return [_entry(r) for r in rows], rows[0].total
            return [], conn.execute(count).scalar_one()  # past the last page: the count alone

        return self._run(run)

    def set_hidden(self, entry_id: str, hidden: bool = True) -> bool:
        """Hide an entry from the list (its link keeps working), or show it again. False if there is no such id."""
        if not ID_PATTERN.fullmatch(entry_id or ""):
            return False
        done = self._run(lambda c: c.execute(scenarios.update().where(scenarios.c.id == entry_id)
                                             .values(hidden=hidden)).rowcount)
        return bool(done)

    def count(self) -> int:
        """Every entry, hidden ones included."""
        return self._run(lambda c: c.execute(sa.select(sa.func.count()).select_from(scenarios)).scalar_one())

    def save_many(self, rows: Sequence[NewEntry], now: dt.datetime | None = None) -> None:
        """Insert many entries in one transaction (benchmarks and tests filling a library)."""
        base = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        values = [{"id": new_id(), "title": r.title, "note": r.note, "author": r.author,
                   "search_text": _search_text(r),
                   "created_at": base - dt.timedelta(seconds=i), "data_version": r.data_version, "page": r.page,
                   "query": json.dumps([list(p) for p in r.query]), "headline": r.headline, "hidden": False}
                  for i, r in enumerate(rows)]
        self._run(lambda c: c.execute(scenarios.insert(), values))


def resolve_short_link(raw: dict[str, list[str]], store: LibraryStore | None, unavailable: str | None = None,
                       ) -> tuple[dict[str, list[str]], Message | None, Entry | None]:
    """A URL's parameters with ``s=<id>`` replaced by the saved scenario's pinned query.

    Every other parameter the URL gives (``view``, ``step``, a page's choice, a driver) takes precedence over the
    stored one. Returns (parameters, problem or None, the entry or None). An unknown, malformed or unreachable id
    gives the URL's other parameters alone, with the problem to tell the user.
    """
    rest = {k: v for k, v in raw.items() if k != SHORT_PARAM}
    given = [v for v in raw.get(SHORT_PARAM, []) if v]
    if not given:
        return rest, (Message(N_("empty")) if SHORT_PARAM in raw else None), None
    if len(given) > 1:
        return rest, Message(N_("given {n} times"), n=len(given)), None
    if not ID_PATTERN.fullmatch(given[0]):
        return rest, Message(N_("not the id of a saved scenario (16 letters, digits, - or _)")), None
    closed = N_("the library is not available now, so the saved scenario could not be opened ({reason})")
    if store is None:
        return rest, Message(closed, reason=unavailable), None
    try:
        entry = store.get(given[0])
    except LibraryUnavailable as e:
        return rest, Message(closed, reason=e.message), None
    if entry is None:
        return rest, Message(N_("no saved scenario has this id")), None
    return {**entry.params(), **rest}, None, entry


def _search_text(e: NewEntry) -> str:
    return f"{e.title} {e.author} {e.note}".casefold()


def _entry(row) -> Entry:
    created = row.created_at
    # SQLite gives back naive datetimes (they were stored as UTC); PostgreSQL its own time zone object.
    created = created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created.astimezone(dt.UTC)
    return Entry(row.id, row.title, row.note, row.author, created, row.data_version, row.page,
                 tuple((str(k), str(v)) for k, v in json.loads(row.query)), row.headline, bool(row.hidden))
