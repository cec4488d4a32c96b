"""The schema as SQLAlchemy tables. Alembic revisions own the DDL; these mirror them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from recur_desktop.domain.clock import utcnow as utcnow  # where the schema's callers find it

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out; SQLite stores no zone, so attach it on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    login_name: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    db_role: Mapped[str | None] = mapped_column(String(63), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobPostingRow(Base):
    __tablename__ = "job_postings"
    __table_args__ = (
        Index("ix_job_postings_user_id_created_at", "user_id", "created_at"),
        # What owned rows refer to (revision 0006): a reference can only land on its own owner.
        UniqueConstraint("user_id", "id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_years: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResumeRow(Base):
    __tablename__ = "resumes"
    __table_args__ = (
        UniqueConstraint("user_id", "content_sha256"),
        UniqueConstraint("user_id", "id"),
        # Revision 0006. Postgres deletes with SET NULL (job_posting_id) only; SQLite enforces
        # both rules with triggers.
        ForeignKeyConstraint(
            ["user_id", "job_posting_id"],
            ["job_postings.user_id", "job_postings.id"],
            ondelete="SET NULL",
        ),
        CheckConstraint(
            "content_sha256 ~ '^[0-9a-f]{64}$' AND s3_resume_key ~ ('^' || user_id::text"
            " || '/resumes/shared/' || content_sha256 || '\\.[a-z0-9]{1,8}$')",
            name="key_is_owners",
        ),
        # Paging the library and the availability list: newest first, stable by id.
        Index("ix_resumes_user_id_created_at_id", "user_id", "created_at", "id"),
        # Live resumes only (revision 0004): counts and keyset pages read just the index.
        *(
            Index(
                f"ix_resumes_live_{column}",
                "user_id",
                column,
                "id",
                postgresql_where=text("deleted_at IS NULL"),
                sqlite_where=text("deleted_at IS NULL"),
            )
            for column in ("created_at", "file_name", "size_bytes")
        ),
        Index("ix_resumes_trashed", "user_id", "deleted_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(1024))
    s3_resume_key: Mapped[str] = mapped_column(String(1024))
    content_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(127))
    # Upload context only; availability never looks at it.
    job_posting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    text_content: Mapped[str] = mapped_column(Text, default="")
    candidate_name: Mapped[str | None] = mapped_column(String(300))
    candidate_email: Mapped[str | None] = mapped_column(String(320))
    candidate_phone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the text could not be read (set by the legacy migration, which keeps such files with
    # empty text instead of rejecting them). NULL when the text was read.
    extraction_error: Mapped[str | None] = mapped_column(Text)
    # What ``recur doctor`` found wrong with the stored file: "missing" or "changed" (0008).
    integrity_problem: Mapped[str | None] = mapped_column(String(16))


class ResumeCounterRow(Base):
    """Live (not trashed) resumes per user, kept by triggers on ``resumes`` (revision 0005)."""

    __tablename__ = "resume_counters"
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    live_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AnalysisSessionRow(Base):
    __tablename__ = "analysis_sessions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'running', 'completed', 'failed', 'cancelled')", name="status"
        ),
        Index(
            "ix_analysis_sessions_user_id_job_posting_id_status",
            "user_id",
            "job_posting_id",
            "status",
        ),
        UniqueConstraint("user_id", "id"),
        # NULL means general analysis. RESTRICT: a job with history is archived, never deleted.
        ForeignKeyConstraint(
            ["user_id", "job_posting_id"],
            ["job_postings.user_id", "job_postings.id"],
            ondelete="RESTRICT",
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_name: Mapped[str] = mapped_column(String(300))
    job_posting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    analyzer_name: Mapped[str] = mapped_column(String(100))
    analyzer_version: Mapped[str] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who runs it ("host:pid") and when it last made progress: how a restarted app tells a
    # session orphaned by a crash from one another process is still running.
    runner: Mapped[str | None] = mapped_column(String(300))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResumeAnalysisRow(Base):
    __tablename__ = "resume_analyses"
    __table_args__ = (
        UniqueConstraint("resume_id", "analysis_session_id"),
        # A result joins a resume and a session of its own owner (revision 0006). Purging a
        # resume removes its analyses; a session's rows go with the session.
        ForeignKeyConstraint(
            ["user_id", "resume_id"], ["resumes.user_id", "resumes.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["user_id", "analysis_session_id"],
            ["analysis_sessions.user_id", "analysis_sessions.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("status IN ('ok', 'failed')", name="status"),
        # Never fabricate: an ok row has both scores, a failed row has none and says why.
        CheckConstraint(
            "(status = 'ok' AND overall_fit_score IS NOT NULL AND skill_match_score IS NOT NULL)"
            " OR (status = 'failed' AND overall_fit_score IS NULL"
            " AND skill_match_score IS NULL AND error IS NOT NULL)",
            name="scores_match_status",
        ),
        CheckConstraint(
            "overall_fit_score IS NULL OR (overall_fit_score >= 0 AND overall_fit_score <= 100)",
            name="overall_fit_range",
        ),
        CheckConstraint(
            "skill_match_score IS NULL OR (skill_match_score >= 0 AND skill_match_score <= 100)",
            name="skill_match_range",
        ),
        Index("ix_resume_analyses_analysis_session_id", "analysis_session_id"),
        Index(
            "ix_resume_analyses_ok_session_resume",
            "analysis_session_id",
            "resume_id",
            postgresql_where=text("status = 'ok'"),
            sqlite_where=text("status = 'ok'"),
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    resume_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    analysis_session_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    overall_fit_score: Mapped[float | None] = mapped_column(Float)
    skill_match_score: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[str | None] = mapped_column(Text)
    reasoning: Mapped[str | None] = mapped_column(Text)
    matched_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    missing_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    analyzer_name: Mapped[str] = mapped_column(String(100))
    analyzer_version: Mapped[str] = mapped_column(String(50))
    # Why another analyzer than the session's produced this result (revision 0008).
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LegacyMigrationJournalRow(Base):
    """Per-item progress of ``recur migrate-legacy`` (revision 0003): what a rerun can skip.

    ``key`` names the item (``object:{legacy key}``, ``content:{user}:{sha256}``,
    ``session:{user}:{session id}``, ``run:{user}``); ``detail`` is JSON.
    """

    __tablename__ = "legacy_migration_journal"
    key: Mapped[str] = mapped_column(String(1200), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuarantinedRowRow(Base):
    """Rows that broke the ownership rules when revision 0006 added them, moved aside as JSON
    for an administrator to review (never read by the app)."""

    __tablename__ = "quarantined_rows"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    table_name: Mapped[str] = mapped_column(String(63))
    row_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str] = mapped_column(Text)
    row_data: Mapped[str] = mapped_column(Text)
    quarantined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEventRow(Base):
    """Append-only trail (revision 0007): ids and counts, never names or resume text."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_user_id_created_at", "user_id", "created_at"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # No foreign key: the fact that a recruiter was erased outlives their users row.
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # Postgres fills it with the connected role (and the policy insists on it).
    actor: Mapped[str] = mapped_column(String(255), server_default=text("''"))
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
