"""The old system's tables (``docs/legacy-layout.md``), as the legacy migration reads them.

They are not the app's: no Alembic revision creates them, and they sit on a ``MetaData`` of
their own so that the app's schema (and its naming convention) never includes them. The
migration only reads them, until ``--drop-legacy-tables`` drops them.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, MetaData, Numeric, Table, Text, Uuid, inspect

from recur_desktop.persistence.tables import UTCDateTime

#: The old system's tables, in the order they are dropped.
LEGACY_TABLES = ("legacy_analyses", "legacy_resumes", "legacy_job_postings")

legacy_metadata = MetaData()

LEGACY_JOB_POSTINGS = Table(
    "legacy_job_postings",
    legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
)
LEGACY_RESUMES = Table(
    "legacy_resumes",
    legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("s3_key", Text, nullable=False),
    Column("job_posting_id", Uuid),
    Column("uploaded_at", UTCDateTime, nullable=False),
)
LEGACY_ANALYSES = Table(
    "legacy_analyses",
    legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("legacy_resume_id", Uuid, nullable=False),
    Column("job_posting_id", Uuid),
    Column("overall_fit_score", Numeric),
    Column("skill_match_score", Numeric),
    Column("summary", Text),
    Column("reasoning", Text),
    Column("analyzed_at", UTCDateTime, nullable=False),
)


def legacy_table(name: str) -> Table:
    """One of :data:`LEGACY_TABLES` by name."""
    return legacy_metadata.tables[name]


def legacy_tables_present(connection: Connection) -> set[str]:
    """Which of the legacy tables this database has (any of them may be missing)."""
    names = set(inspect(connection).get_table_names())
    return {name for name in LEGACY_TABLES if name in names}


__all__ = [
    "LEGACY_ANALYSES",
    "LEGACY_JOB_POSTINGS",
    "LEGACY_RESUMES",
    "LEGACY_TABLES",
    "legacy_metadata",
    "legacy_table",
    "legacy_tables_present",
]
