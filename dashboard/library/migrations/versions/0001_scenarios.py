"""The saved scenarios.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_scenarios",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(80), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_version", sa.String(40), nullable=False),
        sa.Column("page", sa.String(40), nullable=False, server_default=""),
        # The share link's query, as JSON [[name, value], ...]: exactly what the full link pins.
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("headline", sa.String(400), nullable=False, server_default=""),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    # The list shows visible entries newest first (or by title/author): one index per sort, led by the flag.
    op.create_index("ix_library_visible_created", "library_scenarios", ["hidden", "created_at"])
    op.create_index("ix_library_visible_title", "library_scenarios", ["hidden", "title"])
    op.create_index("ix_library_visible_author", "library_scenarios", ["hidden", "author"])


def downgrade() -> None:
    op.drop_table("library_scenarios")
