"""an append-only trail of erasures, removals and repairs

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Who erased what, and when, must be answerable after the fact without keeping what was erased.
``audit_events`` holds ids and counts only (never names, file names, e-mail addresses or resume
text). It has no foreign key to ``users``: the fact that a recruiter was erased outlives them.

Append-only: on a team database the app roles may only SELECT and INSERT their own events
(granted in ``persistence/security.py``; ``actor`` must be the connected role); on SQLite,
triggers refuse UPDATE and DELETE.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS = ("erase", "purge", "remove_user", "repair", "merge", "split", "import_accept_any")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    actor_default = sa.text("current_user") if dialect == "postgresql" else sa.text("''")
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False, server_default=actor_default),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN (" + ", ".join(f"'{a}'" for a in ACTIONS) + ")",
            name=op.f("ck_audit_events_action"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(
        op.f("ix_audit_events_user_id_created_at"), "audit_events", ["user_id", "created_at"]
    )
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}")
    op.drop_index(op.f("ix_audit_events_user_id_created_at"), "audit_events")
    op.drop_table("audit_events")
