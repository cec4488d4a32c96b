"""ownership in the schema: rows refer only to rows and keys of their own owner

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A plain foreign key checks that a row exists, not whose it is: a recruiter could point their own
session at another recruiter's job, or their own resume at another recruiter's object key (and
``purge`` would then delete that object). From here on:

- ``resume_analyses`` carries its owner's ``user_id``; every reference between owned rows is a
  composite foreign key on ``(user_id, id)``, so it can only land on a row of the same owner.
- a resume's key must be its owner's content-addressed key
  (``{user_id}/resumes/shared/{content_sha256}.{ext}``).
- the trigger function of revision 0005 pins its ``search_path`` (a temporary table must not
  stand in for ``resume_counters``).

Postgres gets declarative constraints. SQLite gets the same rules as triggers: adding composite
foreign keys there means rebuilding ``resumes``, which would drop the search and counter
triggers of revisions 0002 and 0005.

Rows written before this revision that break the rules would make the constraints fail half-way
through an upgrade. They are found first, copied as JSON into ``quarantined_rows`` with the
reason, and removed (a session or result pointing across owners, a resume whose key is not its
owner's) or cleared (an upload context pointing at another owner's job) before the constraints
are added. ``recur admin upgrade`` lists what it moved aside.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Postgres: the composite references, as (name, table, columns, referred, referred columns, rule).
_COMPOSITE_FKS = (
    (
        "fk_analysis_sessions_user_id_job_postings",
        "analysis_sessions",
        "user_id, job_posting_id",
        "job_postings",
        "ON DELETE RESTRICT",
    ),
    (
        "fk_resumes_user_id_job_postings",
        "resumes",
        "user_id, job_posting_id",
        "job_postings",
        # Only the upload context goes when its job goes; the owner column stays.
        "ON DELETE SET NULL (job_posting_id)",
    ),
    (
        "fk_resume_analyses_user_id_resumes",
        "resume_analyses",
        "user_id, resume_id",
        "resumes",
        "ON DELETE CASCADE",
    ),
    (
        "fk_resume_analyses_user_id_analysis_sessions",
        "resume_analyses",
        "user_id, analysis_session_id",
        "analysis_sessions",
        "ON DELETE CASCADE",
    ),
)
# The single-column references they replace: (name, table, column, referred, rule).
_PLAIN_FKS = (
    (
        "fk_analysis_sessions_job_posting_id_job_postings",
        "analysis_sessions",
        "job_posting_id",
        "job_postings",
        "RESTRICT",
    ),
    (
        "fk_resumes_job_posting_id_job_postings",
        "resumes",
        "job_posting_id",
        "job_postings",
        "SET NULL",
    ),
    ("fk_resume_analyses_resume_id_resumes", "resume_analyses", "resume_id", "resumes", "CASCADE"),
    (
        "fk_resume_analyses_analysis_session_id_analysis_sessions",
        "resume_analyses",
        "analysis_session_id",
        "analysis_sessions",
        "CASCADE",
    ),
)
_REFERENCED = ("job_postings", "resumes", "analysis_sessions")

_PG_KEY_CHECK = (
    "content_sha256 ~ '^[0-9a-f]{64}$' AND s3_resume_key ~ "
    "('^' || user_id::text || '/resumes/shared/' || content_sha256 || '\\.[a-z0-9]{1,8}$')"
)

# SQLite stores a Uuid as 32 hex digits; keys use the dashed form.
_DASHED = (
    "lower(substr({c},1,8)||'-'||substr({c},9,4)||'-'||substr({c},13,4)||'-'"
    "||substr({c},17,4)||'-'||substr({c},21,12))"
)


def _sqlite_triggers() -> dict[str, str]:
    foreign_job = (
        "NEW.job_posting_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM job_postings j "
        "WHERE j.id = NEW.job_posting_id AND j.user_id = NEW.user_id)"
    )
    key_prefix = _DASHED.format(c="NEW.user_id") + " || '/resumes/shared/' || NEW.content_sha256"
    bad_key = (
        "length(NEW.content_sha256) <> 64 OR NEW.content_sha256 GLOB '*[^0-9a-f]*' "
        f"OR substr(NEW.s3_resume_key, 1, length({key_prefix}) + 1) <> {key_prefix} || '.' "
        "OR substr(NEW.s3_resume_key, length(" + key_prefix + ") + 2) GLOB '*[^a-z0-9]*' "
        "OR length(NEW.s3_resume_key) = length(" + key_prefix + ") + 1"
    )
    foreign_result = (
        "NEW.user_id IS NULL "
        "OR NOT EXISTS (SELECT 1 FROM resumes r WHERE r.id = NEW.resume_id "
        "AND r.user_id = NEW.user_id) "
        "OR NOT EXISTS (SELECT 1 FROM analysis_sessions s WHERE s.id = NEW.analysis_session_id "
        "AND s.user_id = NEW.user_id)"
    )
    raise_ = "BEGIN SELECT RAISE(ABORT, '{msg}'); END"
    triggers = {}
    for when in ("INSERT", "UPDATE"):
        low = when.lower()
        triggers[f"own_sessions_{low}"] = (
            f"CREATE TRIGGER own_sessions_{low} BEFORE {when} ON analysis_sessions "
            f"WHEN {foreign_job} "
            + raise_.format(msg="ownership: the job belongs to another owner")
        )
        triggers[f"own_resumes_job_{low}"] = (
            f"CREATE TRIGGER own_resumes_job_{low} BEFORE {when} ON resumes "
            f"WHEN {foreign_job} "
            + raise_.format(msg="ownership: the job belongs to another owner")
        )
        triggers[f"own_resumes_key_{low}"] = (
            f"CREATE TRIGGER own_resumes_key_{low} BEFORE {when} ON resumes "
            f"WHEN {bad_key} "
            + raise_.format(msg="ownership: the key is not the content key of its owner")
        )
        triggers[f"own_results_{low}"] = (
            f"CREATE TRIGGER own_results_{low} BEFORE {when} ON resume_analyses "
            f"WHEN {foreign_result} "
            + raise_.format(msg="ownership: the resume or session belongs to another owner")
        )
    return triggers


def _key_ok(user_id: Any, sha: str, key: str) -> bool:
    """The Python twin of the key rule, for finding old rows that break it."""
    owner = str(uuid.UUID(str(user_id)))
    prefix = f"{owner}/resumes/shared/{sha}."
    ext = key[len(prefix) :]
    return (
        len(sha) == 64
        and all(ch in "0123456789abcdef" for ch in sha)
        and key.startswith(prefix)
        and 1 <= len(ext) <= 8
        and all(ch.isascii() and (ch.isdigit() or ch.islower()) for ch in ext)
    )


def _row_json(row: Any) -> str:
    return json.dumps(dict(row._mapping), default=str, sort_keys=True)


class _Quarantine:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.now = datetime.now(UTC)
        self.table = sa.table(
            "quarantined_rows",
            sa.column("id", sa.Uuid()),
            sa.column("table_name", sa.String()),
            sa.column("row_id", sa.Uuid()),
            sa.column("user_id", sa.Uuid()),
            sa.column("reason", sa.Text()),
            sa.column("row_data", sa.Text()),
            sa.column("quarantined_at", sa.DateTime(timezone=True)),
        )

    def keep(self, table: str, row: Any, owner: Any, reason: str) -> None:
        self.conn.execute(
            self.table.insert().values(
                id=uuid.uuid4(),
                table_name=table,
                row_id=_as_uuid(row.id),
                user_id=_as_uuid(owner),
                reason=reason,
                row_data=_row_json(row),
                quarantined_at=self.now,
            )
        )

    def remove_results(self, where: str, params: dict[str, Any], reason: str) -> None:
        rows = self.conn.execute(
            sa.text(
                "SELECT ra.*, s.user_id AS session_owner FROM resume_analyses ra "
                f"JOIN analysis_sessions s ON s.id = ra.analysis_session_id WHERE {where}"
            ),
            params,
        ).all()
        for row in rows:
            self.keep("resume_analyses", row, row.session_owner, reason)
            self.conn.execute(sa.text("DELETE FROM resume_analyses WHERE id = :id"), {"id": row.id})


def _as_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _move_aside_rows_that_break_the_rules(conn: sa.Connection) -> None:
    q = _Quarantine(conn)
    # 1. Sessions run for another owner's job: they and their results go aside.
    for session in conn.execute(
        sa.text(
            "SELECT s.* FROM analysis_sessions s JOIN job_postings j ON j.id = s.job_posting_id "
            "WHERE j.user_id <> s.user_id"
        )
    ).all():
        reason = "analysis session for another owner's job"
        q.remove_results("ra.analysis_session_id = :s", {"s": session.id}, reason)
        q.keep("analysis_sessions", session, session.user_id, reason)
        conn.execute(sa.text("DELETE FROM analysis_sessions WHERE id = :id"), {"id": session.id})
    # 2. Results joining one owner's resume to another owner's session.
    q.remove_results(
        "EXISTS (SELECT 1 FROM resumes r WHERE r.id = ra.resume_id AND r.user_id <> s.user_id)",
        {},
        "result joins a resume and a session of different owners",
    )
    # 3. Resumes whose key is not their owner's content key: purge would delete someone else's
    #    object. The row and its results go aside; the object is left alone.
    bad = [
        row.id
        for row in conn.execute(
            sa.text("SELECT id, user_id, content_sha256, s3_resume_key FROM resumes")
        )
        if not _key_ok(row.user_id, row.content_sha256, row.s3_resume_key)
    ]
    for resume_id in bad:
        row = conn.execute(sa.text("SELECT * FROM resumes WHERE id = :id"), {"id": resume_id}).one()
        reason = "resume key is not its owner's content-addressed key"
        q.remove_results("ra.resume_id = :r", {"r": resume_id}, reason)
        q.keep("resumes", row, row.user_id, reason)
        conn.execute(sa.text("DELETE FROM resumes WHERE id = :id"), {"id": resume_id})
    # 4. An upload context naming another owner's job: only the pointer is wrong; clear it.
    for row in conn.execute(
        sa.text(
            "SELECT r.id, r.user_id, r.job_posting_id FROM resumes r "
            "JOIN job_postings j ON j.id = r.job_posting_id WHERE j.user_id <> r.user_id"
        )
    ).all():
        q.keep("resumes", row, row.user_id, "upload context named another owner's job; cleared")
        conn.execute(
            sa.text("UPDATE resumes SET job_posting_id = NULL WHERE id = :id"), {"id": row.id}
        )


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    op.create_table(
        "quarantined_rows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row_data", sa.Text(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_rows")),
    )
    op.add_column("resume_analyses", sa.Column("user_id", sa.Uuid(), nullable=True))
    _move_aside_rows_that_break_the_rules(conn)
    op.execute(
        "UPDATE resume_analyses SET user_id = (SELECT s.user_id FROM analysis_sessions s "
        "WHERE s.id = resume_analyses.analysis_session_id)"
    )
    if dialect == "postgresql":
        schema = conn.scalar(sa.text("SELECT current_schema()"))
        op.execute(
            "ALTER FUNCTION recur_count_live_resumes() "
            f'SET search_path = pg_catalog, "{schema}", pg_temp'
        )
        op.alter_column("resume_analyses", "user_id", nullable=False)
        for table in _REFERENCED:
            op.create_unique_constraint(op.f(f"uq_{table}_user_id_id"), table, ["user_id", "id"])
        for name, table, *_ in _PLAIN_FKS:
            op.drop_constraint(name, table, type_="foreignkey")
        for name, table, columns, referred, rule in _COMPOSITE_FKS:
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) "
                f"REFERENCES {referred} (user_id, id) {rule}"
            )
        op.execute(
            f"ALTER TABLE resumes ADD CONSTRAINT ck_resumes_key_is_owners CHECK ({_PG_KEY_CHECK})"
        )
    elif dialect == "sqlite":
        for trigger in _sqlite_triggers().values():
            op.execute(trigger)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("ALTER TABLE resumes DROP CONSTRAINT ck_resumes_key_is_owners")
        for name, table, *_ in _COMPOSITE_FKS:
            op.drop_constraint(name, table, type_="foreignkey")
        for name, table, column, referred, rule in _PLAIN_FKS:
            op.create_foreign_key(op.f(name), table, referred, [column], ["id"], ondelete=rule)
        for table in _REFERENCED:
            op.drop_constraint(op.f(f"uq_{table}_user_id_id"), table, type_="unique")
        op.execute("ALTER FUNCTION recur_count_live_resumes() RESET search_path")
        # A team database's policy reads the column; without it the table fails closed (no
        # rows for recruiters) until `recur admin upgrade` applies the policies again.
        op.execute("DROP POLICY IF EXISTS resume_analyses_owner ON resume_analyses")
        op.drop_column("resume_analyses", "user_id")
    elif dialect == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        # Not batch mode: nothing else on this table needs a rebuild.
        op.execute("ALTER TABLE resume_analyses DROP COLUMN user_id")
    op.drop_table("quarantined_rows")
