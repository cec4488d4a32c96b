"""partial indexes over live (not trashed) resumes for paging, sorting and counting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The library, the availability list and their totals only ever look at live resumes. Partial
indexes on ``deleted_at IS NULL`` (both SQLite and Postgres have them) let counts and keyset
pages read the index alone instead of rows that carry the whole extracted text.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
INDEXES = {
    "ix_resumes_live_created_at": ["user_id", "created_at", "id"],
    "ix_resumes_live_file_name": ["user_id", "file_name", "id"],
    "ix_resumes_live_size_bytes": ["user_id", "size_bytes", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "resumes", columns, postgresql_where=LIVE, sqlite_where=LIVE)
    op.create_index("ix_resumes_trashed", "resumes", ["user_id", "deleted_at"])
    # Availability reads the ok results of a context's sessions; the index covers that read.
    op.create_index(
        "ix_resume_analyses_ok_session_resume",
        "resume_analyses",
        ["analysis_session_id", "resume_id"],
        postgresql_where=sa.text("status = 'ok'"),
        sqlite_where=sa.text("status = 'ok'"),
    )


def downgrade() -> None:
    op.drop_index("ix_resume_analyses_ok_session_resume", table_name="resume_analyses")
    op.drop_index("ix_resumes_trashed", table_name="resumes")
    for name in INDEXES:
        op.drop_index(name, table_name="resumes")
