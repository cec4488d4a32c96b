"""a per-user count of live resumes, kept by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Every library page and availability total needs "how many live resumes does this user have";
counting 100,000 index entries took most of the availability query's time. Triggers on
``resumes`` keep the count in step for every writer (import, trash, restore, purge, transfer,
legacy migration, hand-written SQL), on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_FUNCTION = """
CREATE FUNCTION recur_count_live_resumes() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, "{schema}", pg_temp
AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.deleted_at IS NULL THEN
        UPDATE resume_counters SET live_count = live_count - 1 WHERE user_id = OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO resume_counters (user_id, live_count) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET live_count = resume_counters.live_count + 1;
    END IF;
    RETURN NULL;
END
$$
"""

_SQLITE_TRIGGERS = (
    """CREATE TRIGGER resumes_count_insert AFTER INSERT ON resumes
    WHEN new.deleted_at IS NULL BEGIN
        INSERT OR IGNORE INTO resume_counters (user_id, live_count) VALUES (new.user_id, 0);
        UPDATE resume_counters SET live_count = live_count + 1 WHERE user_id = new.user_id;
    END""",
    """CREATE TRIGGER resumes_count_delete AFTER DELETE ON resumes
    WHEN old.deleted_at IS NULL BEGIN
        UPDATE resume_counters SET live_count = live_count - 1 WHERE user_id = old.user_id;
    END""",
    """CREATE TRIGGER resumes_count_update AFTER UPDATE OF deleted_at, user_id ON resumes BEGIN
        UPDATE resume_counters SET live_count = live_count - 1
            WHERE user_id = old.user_id AND old.deleted_at IS NULL;
        INSERT OR IGNORE INTO resume_counters (user_id, live_count)
            SELECT new.user_id, 0 WHERE new.deleted_at IS NULL;
        UPDATE resume_counters SET live_count = live_count + 1
            WHERE user_id = new.user_id AND new.deleted_at IS NULL;
    END""",
)


def upgrade() -> None:
    op.create_table(
        "resume_counters",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("live_count", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_resume_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_resume_counters")),
    )
    op.execute(
        "INSERT INTO resume_counters (user_id, live_count) "
        "SELECT user_id, count(*) FROM resumes WHERE deleted_at IS NULL GROUP BY user_id"
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # The path is pinned, pg_temp last: a temporary table can't stand in for the counters.
        schema = op.get_bind().scalar(sa.text("SELECT current_schema()"))
        op.execute(_PG_FUNCTION.replace("{schema}", schema))
        op.execute(
            "CREATE TRIGGER resumes_count_live AFTER INSERT OR DELETE OR UPDATE OF deleted_at, "
            "user_id ON resumes FOR EACH ROW EXECUTE FUNCTION recur_count_live_resumes()"
        )
    elif dialect == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS resumes_count_live ON resumes")
        op.execute("DROP FUNCTION IF EXISTS recur_count_live_resumes()")
    elif dialect == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS resumes_count_{name}")
    op.drop_table("resume_counters")
