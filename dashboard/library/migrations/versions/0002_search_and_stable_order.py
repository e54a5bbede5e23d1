"""One search column, and indexes that serve each sort with its tie-break (issue 11's benchmark at 10,000 entries).

Searching title, author and note lowered three columns per row, and the list's tie-break on the id forced a sort of
every visible row for a late page. ``search_text`` holds the three case-folded (written by the store on save), and
each sort's index ends with the id.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("library_scenarios") as t:
        t.add_column(sa.Column("search_text", sa.Text, nullable=False, server_default=""))
    # Entries saved before this revision: SQL's lower() (ASCII-only on SQLite) is close enough for a backfill.
    op.execute("UPDATE library_scenarios SET search_text = lower(title || ' ' || author || ' ' || note)")
    for name in ("ix_library_visible_created", "ix_library_visible_title", "ix_library_visible_author"):
        op.drop_index(name, table_name="library_scenarios")
    op.create_index("ix_library_visible_created", "library_scenarios", ["hidden", "created_at", "id"])
    op.create_index("ix_library_visible_title", "library_scenarios", ["hidden", "title", "id"])
    op.create_index("ix_library_visible_author", "library_scenarios", ["hidden", "author", "id"])


def downgrade() -> None:
    for name in ("ix_library_visible_created", "ix_library_visible_title", "ix_library_visible_author"):
        op.drop_index(name, table_name="library_scenarios")
    op.create_index("ix_library_visible_created", "library_scenarios", ["hidden", "created_at"])
    op.create_index("ix_library_visible_title", "library_scenarios", ["hidden", "title"])
    op.create_index("ix_library_visible_author", "library_scenarios", ["hidden", "author"])
    with op.batch_alter_table("library_scenarios") as t:
        t.drop_column("search_text")
