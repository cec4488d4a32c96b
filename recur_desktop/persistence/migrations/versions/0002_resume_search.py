"""full-text search over resumes: pg_trgm on Postgres, FTS5 on SQLite

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Each database uses its own index. Postgres: trigram GIN indexes make the library's
``ILIKE '%term%'`` search use an index. SQLite: an FTS5 table kept in step with ``resumes`` by
triggers (external content keyed by the implicit rowid). Any later revision that rebuilds the
``resumes`` table on SQLite (batch mode) must end with
``INSERT INTO resumes_fts(resumes_fts) VALUES('rebuild')``.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = ("file_name", "candidate_name", "candidate_email", "text_content")

_FTS_COLUMNS = ", ".join(SEARCHED)
_NEW_VALUES = ", ".join(f"new.{c}" for c in SEARCHED)
_OLD_VALUES = ", ".join(f"old.{c}" for c in SEARCHED)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in SEARCHED:
            op.execute(
                f"CREATE INDEX ix_resumes_{column}_trgm ON resumes "
                f"USING gin ({column} gin_trgm_ops)"
            )
    elif dialect == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE resumes_fts USING fts5({_FTS_COLUMNS}, "
            "content='resumes', content_rowid='rowid', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER resumes_fts_insert AFTER INSERT ON resumes BEGIN "
            f"INSERT INTO resumes_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {_NEW_VALUES}); "
            "END"
        )
        op.execute(
            "CREATE TRIGGER resumes_fts_delete AFTER DELETE ON resumes BEGIN "
            f"INSERT INTO resumes_fts(resumes_fts, rowid, {_FTS_COLUMNS}) "
            f"VALUES ('delete', old.rowid, {_OLD_VALUES}); END"
        )
        op.execute(
            f"CREATE TRIGGER resumes_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON resumes BEGIN "
            f"INSERT INTO resumes_fts(resumes_fts, rowid, {_FTS_COLUMNS}) "
            f"VALUES ('delete', old.rowid, {_OLD_VALUES}); "
            f"INSERT INTO resumes_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {_NEW_VALUES}); "
            "END"
        )
        op.execute("INSERT INTO resumes_fts(resumes_fts) VALUES ('rebuild')")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for column in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_resumes_{column}_trgm")
    elif dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS resumes_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS resumes_fts")
