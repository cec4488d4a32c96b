"""what doctor found wrong with a resume's file; why a result came from a fallback analyzer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

``resumes.integrity_problem`` remembers what ``recur doctor`` found (``missing``: no object;
``changed``: the object's bytes differ from what was imported), so that importing the original
again can put the object back, and only flagged resumes pay for a check against the store.

``resume_analyses.fallback_reason`` says why the analyzer named on the result is not the one
the session asked for (the LLM endpoint failed and the built-in analyzer scored instead).

Both are plain nullable columns: an ADD COLUMN on both databases, no rebuild on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("resumes", sa.Column("integrity_problem", sa.String(length=16), nullable=True))
    op.add_column("resume_analyses", sa.Column("fallback_reason", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(
            op.f("ck_resumes_integrity_problem"),
            "resumes",
            "integrity_problem IS NULL OR integrity_problem IN ('missing', 'changed')",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: a rebuild would drop the triggers of revisions 0002, 0005 and 0006.
        op.execute("ALTER TABLE resume_analyses DROP COLUMN fallback_reason")
        op.execute("ALTER TABLE resumes DROP COLUMN integrity_problem")
    else:
        op.drop_constraint(op.f("ck_resumes_integrity_problem"), "resumes", type_="check")
        op.drop_column("resume_analyses", "fallback_reason")
        op.drop_column("resumes", "integrity_problem")
