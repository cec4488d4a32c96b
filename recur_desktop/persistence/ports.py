"""What the services ask of the database: a unit of work and its repositories, as protocols.

Services depend on these and nothing else of persistence: no session, no dialect, no driver
error reaches them. :mod:`recur_desktop.persistence.uow` implements them over SQLAlchemy (one
session per unit of work, FTS5 or pg_trgm chosen once), ``tests/unit/fakes.py`` in memory.

A unit of work commits only when told (:meth:`UnitOfWork.commit`) and rolls back on exit
otherwise. Every repository is scoped by an explicit owner id where rows have one; a miss is
``None`` (or ``False``), and the service says what that means in words. A failure of the
database is raised as one of :mod:`recur_desktop.domain.errors` (``DatabaseUnavailable``,
``DatabaseTimeout``, ``Conflict``, ``DatabaseError``), after which the unit of work is rolled
back and may be used again.

This module imports no SQLAlchemy: it is plain data and protocols.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from recur_desktop.domain import (
    AnalysisOutcome,
    AuditEvent,
    HistoryItem,
    JobPosting,
    Page,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)

#: Library orders the paging indexes support (revision 0004), by the names callers use.
SORT_KEYS = ("added", "file_name", "size")

#: The owned tables a transfer copies row by row (:class:`LibraryRows`).
CopiedTable = Literal["job_postings", "resumes", "analysis_sessions", "resume_analyses"]


# ------------------------------------------------------------------------------------ values
@dataclass(frozen=True)
class ResumeValues:
    """Every column of one ``resumes`` row as plain values: what is inserted, and what a
    transfer reads back to insert elsewhere."""

    user_id: uuid.UUID
    file_name: str
    s3_resume_key: str
    content_sha256: str
    size_bytes: int
    media_type: str
    job_posting_id: uuid.UUID | None = None
    text_content: str = ""
    candidate_name: str | None = None
    candidate_email: str | None = None
    candidate_phone: str | None = None
    created_at: datetime | None = None
    deleted_at: datetime | None = None
    extraction_error: str | None = None
    integrity_problem: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class ResumeFile:
    """What the import and the transfer need to know about a resume that holds some bytes."""

    id: uuid.UUID
    file_name: str
    s3_resume_key: str
    content_sha256: str
    media_type: str
    deleted_at: datetime | None
    #: What ``doctor`` found wrong with the stored object ("missing", "changed"), else None.
    integrity_problem: str | None


@dataclass(frozen=True)
class FileCheck:
    """One resume as ``doctor`` compares it with the store."""

    id: uuid.UUID
    s3_resume_key: str
    content_sha256: str
    integrity_problem: str | None


@dataclass(frozen=True)
class FileDescription:
    """A flagged resume with what a recruiter recognises it by."""

    id: uuid.UUID
    file_name: str
    candidate_name: str | None
    s3_resume_key: str
    deleted_at: datetime | None


@dataclass(frozen=True)
class NewJob:
    user_id: uuid.UUID
    title: str
    company: str
    description: str
    required_skills: list[str]
    preferred_skills: list[str]
    min_years: float | None
    created_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class NewSession:
    user_id: uuid.UUID
    session_name: str
    job_posting_id: uuid.UUID | None
    status: SessionStatus
    analyzer_name: str
    analyzer_version: str
    created_at: datetime
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    runner: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class NewResult:
    """One ``resume_analyses`` row: scores, or ``failed`` with the reason and no scores."""

    user_id: uuid.UUID
    resume_id: uuid.UUID
    analysis_session_id: uuid.UUID
    status: str
    error: str | None
    overall_fit_score: float | None
    skill_match_score: float | None
    summary: str | None
    reasoning: str | None
    matched_skills: list[str]
    missing_skills: list[str]
    analyzer_name: str
    analyzer_version: str
    fallback_reason: str | None
    created_at: datetime


@dataclass(frozen=True)
class UnfinishedSession:
    """A session still ``running`` or ``pending``: who runs it and when it last made progress."""

    id: uuid.UUID
    runner: str | None
    heartbeat_at: datetime | None


# ------------------------------------------------------------------------------------ repositories
class Resumes(Protocol):
    def add(self, values: ResumeValues) -> ResumeRecord:
        """Stage a new row (written at commit); the record is what it will hold."""
        ...

    def by_content(self, owner_id: uuid.UUID, sha256: str) -> ResumeFile | None: ...

    def exists(self, resume_id: uuid.UUID) -> bool:
        """Whether any row has this id (a transfer keeps ids)."""
        ...

    def get(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRecord | None:
        """The resume without its analysis count (see :meth:`analysis_count`)."""
        ...

    def analysis_count(self, resume_id: uuid.UUID) -> int: ...

    def text_of(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> str | None: ...

    def text_by_id(self, resume_id: uuid.UUID) -> str | None:
        """The text of a resume the caller already knows to be its owner's."""
        ...

    def set_deleted_at(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID, deleted_at: datetime | None
    ) -> None:
        """Trash (a date) or restore (None) a resume read in this unit of work."""
        ...

    def remove(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> None:
        """Delete the row of a resume read in this unit of work (its analyses go with it)."""
        ...

    def clear_problem(self, owner_id: uuid.UUID, resume_id: uuid.UUID, *, restore: bool) -> bool:
        """Clear doctor's flag (and with ``restore`` the trash date); False when the row is
        gone."""
        ...

    def trashed_before(self, owner_id: uuid.UUID, cutoff: datetime) -> list[ResumeRecord]: ...

    def page(
        self,
        owner_id: uuid.UUID,
        *,
        search: str | None,
        limit: int,
        offset: int,
        trashed: bool,
        sort: str,
        descending: bool,
        after: tuple[Any, uuid.UUID] | None,
        with_total: bool,
    ) -> Page[ResumeRecord]:
        """One page of the library or the trash; ``sort`` is one of :data:`SORT_KEYS`."""
        ...

    def file_checks(self, owner_id: uuid.UUID) -> list[FileCheck]: ...

    def describe(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> list[FileDescription]: ...

    def set_problem(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID], problem: str | None
    ) -> None: ...

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str | None, datetime | None]]:
        """(id, file name, candidate, trashed at) of the owner's resumes in the id range."""
        ...


class Jobs(Protocol):
    def add(self, job: NewJob) -> JobPosting: ...

    def get(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> JobPosting | None: ...

    def exists(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> bool: ...

    def update(self, owner_id: uuid.UUID, job_id: uuid.UUID, **changes: Any) -> JobPosting:
        """Change columns of a job read in this unit of work."""
        ...

    def listed(self, owner_id: uuid.UUID, *, include_archived: bool) -> list[JobPosting]:
        """Newest first; archived ones only when asked."""
        ...

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str, datetime | None]]:
        """(id, title, company, archived at) of the owner's jobs in the id range."""
        ...


class AnalysisSessions(Protocol):
    def add(self, session: NewSession) -> uuid.UUID: ...

    def heartbeat(self, session_id: uuid.UUID, at: datetime) -> None: ...

    def finish(
        self, session_id: uuid.UUID, status: SessionStatus, error: str | None, at: datetime
    ) -> None: ...

    def record(self, session_id: uuid.UUID) -> SessionRecord:
        """The session with its result count and the analyzers that produced its results."""
        ...

    def unfinished(self, owner_id: uuid.UUID) -> list[UnfinishedSession]: ...

    def mark_failed(self, session_ids: Sequence[uuid.UUID], error: str, at: datetime) -> None: ...

    def listed(
        self, owner_id: uuid.UUID, *, job_id: uuid.UUID | None, general: bool
    ) -> list[SessionRecord]:
        """Newest first: all, those of one job, or (``general``) those without one."""
        ...

    def results(
        self, owner_id: uuid.UUID, session_id: uuid.UUID
    ) -> tuple[SessionRecord, list[AnalysisOutcome]] | None:
        """The session and its results, best overall fit first (failed ones last)."""
        ...

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str]]:
        """(id, name, status) of the owner's sessions in the id range."""
        ...


class AnalysisResults(Protocol):
    def add(self, result: NewResult) -> AnalysisOutcome: ...

    def history(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID
    ) -> tuple[ResumeRecord, list[HistoryItem]] | None:
        """Every analysis of the resume, newest first; None when it is not the owner's."""
        ...


class Availability(Protocol):
    """The rule of the design document: a resume is available for a context (a job, or
    general: ``job_id`` None) unless it has an ``ok`` result in a ``completed`` session of
    the same owner for that context."""

    def page(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, limit: int, offset: int
    ) -> Page[ResumeRecord] | None:
        """Available live resumes, newest first, with the total; None for an unknown job."""
        ...

    def live_names(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, str]:
        """File names of those of ``resume_ids`` that are the owner's live resumes."""
        ...

    def analyzed_among(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, resume_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Those of ``resume_ids`` that are not available for the context."""
        ...

    def waiting(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, include_analyzed: bool
    ) -> list[tuple[uuid.UUID, str]]:
        """(id, file name) of the live resumes to analyse for the context, newest first."""
        ...


class Users(Protocol):
    def id_by_login(self, login_name: str) -> uuid.UUID | None: ...

    def id_by_role(self, db_role: str) -> uuid.UUID | None: ...

    def add(self, login_name: str, display_name: str) -> uuid.UUID: ...


class AuditTrail(Protocol):
    def add(
        self,
        *,
        owner_id: uuid.UUID,
        action: str,
        subject_id: uuid.UUID | None = None,
        detail: Mapping[str, Any] | None = None,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one event in this unit of work: ids and counts only, never names."""
        ...

    def events(
        self, owner_id: uuid.UUID, *, since: datetime | None, limit: int
    ) -> list[AuditEvent]: ...


class LibraryRows(Protocol):
    """Whole rows as plain values, for copying a library to another database as it is."""

    def owned(self, table: CopiedTable, owner_id: uuid.UUID) -> list[dict[str, Any]]: ...

    def results_of(self, session_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]: ...

    def existing_ids(self, table: CopiedTable, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]: ...

    def insert(self, table: CopiedTable, values: Mapping[str, Any]) -> None: ...

    def result_pairs(self, session_ids: Sequence[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
        """(resume id, session id) of the results the sessions already have."""
        ...


class LegacyJournal(Protocol):
    def upsert(self, entries: Sequence[Mapping[str, Any]]) -> None:
        """Write ``legacy_migration_journal`` entries (key, state, detail, updated_at)."""
        ...


# ------------------------------------------------------------------------------------ unit of work
class UnitOfWork(Protocol):
    """One transaction: ``with uow: ...; uow.commit()``. Without a commit, nothing changes."""

    @property
    def resumes(self) -> Resumes: ...

    @property
    def jobs(self) -> Jobs: ...

    @property
    def sessions(self) -> AnalysisSessions: ...

    @property
    def results(self) -> AnalysisResults: ...

    @property
    def availability(self) -> Availability: ...

    @property
    def users(self) -> Users: ...

    @property
    def audit(self) -> AuditTrail: ...

    @property
    def rows(self) -> LibraryRows: ...

    @property
    def legacy_journal(self) -> LegacyJournal: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None:
        """Drop what this unit of work wrote since its last commit; it stays usable."""
        ...


#: What services are handed: each call opens a fresh unit of work (one per thread at a time).
UnitOfWorkFactory = Callable[[], UnitOfWork]

__all__ = [
    "SORT_KEYS",
    "AnalysisResults",
    "AnalysisSessions",
    "AuditTrail",
    "Availability",
    "CopiedTable",
    "FileCheck",
    "FileDescription",
    "Jobs",
    "LegacyJournal",
    "LibraryRows",
    "NewJob",
    "NewResult",
    "NewSession",
    "ResumeFile",
    "ResumeValues",
    "Resumes",
    "UnfinishedSession",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "Users",
]
