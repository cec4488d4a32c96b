"""legacy migration: resumes.extraction_error and the legacy_migration_journal table

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

``resumes.extraction_error`` says why a file's text could not be read. Imports reject such
files, but the legacy migration must never lose one, so it keeps the file with empty text and
the reason here (the analyzer then fails it honestly).

The column is added with a plain ``ALTER TABLE ... ADD COLUMN`` on both databases (alembic's
``op.add_column``): on SQLite that does not rebuild ``resumes``, so the FTS5 table, its triggers
and the rowids they key on stay as revision 0002 left them. The downgrade drops the column with
SQLite's own ``ALTER TABLE ... DROP COLUMN`` (3.35+), again without a rebuild.

``legacy_migration_journal`` records the migration's progress per item (a legacy object and
its SHA-256, a content, a session), so a rerun after ``kill -9`` neither re-hashes nor
duplicates anything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("resumes", sa.Column("extraction_error", sa.Text(), nullable=True))
    op.create_table(
        "legacy_migration_journal",
        sa.Column("key", sa.String(length=1200), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_legacy_migration_journal")),
    )


def downgrade() -> None:
    op.drop_table("legacy_migration_journal")
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: a rebuild would drop the FTS triggers of revision 0002.
        op.execute("ALTER TABLE resumes DROP COLUMN extraction_error")
    else:
        op.drop_column("resumes", "extraction_error")
