"""The team scenario library: saved scenarios behind short ids, on a real database. No Streamlit here.

SQLite (a file in ``var/``) by default; ``KURIL_DATABASE_URL`` selects another database (PostgreSQL for replicas).
The schema is versioned with Alembic (``dashboard/library/migrations``) and brought up to date when a store starts.
"""

from dashboard.library.store import (
    ID_PATTERN,
    LIMITS,
    SHORT_PARAM,
    SORTS,
    Entry,
    LibraryError,
    LibraryStore,
    LibraryUnavailable,
    NewEntry,
    database_url,
    engine_options,
    masked,
    resolve_short_link,
)

__all__ = ["ID_PATTERN", "LIMITS", "SHORT_PARAM", "SORTS", "Entry", "LibraryError", "LibraryStore",
           "LibraryUnavailable", "NewEntry", "database_url", "engine_options", "masked", "resolve_short_link"]
