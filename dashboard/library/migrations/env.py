"""Alembic's environment for the library: always run from :func:`dashboard.library.store.LibraryStore.migrate`,
which hands over an open connection (``config.attributes["connection"]``); there is no alembic.ini."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
