"""Domain records passed between services and their callers (CLI, view-models, tests)."""

from __future__ import annotations

import enum
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

#: Progress callback: (done, total, note). ``total`` is -1 while unknown (a folder still walking).
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, note: str) -> None:
    """Progress sink for callers that do not show progress."""


class Cancelled(Exception):
    """Raised inside a long call when its token was cancelled; work finished so far is kept."""


class CancelToken:
    """Thread-safe flag a caller sets to ask a long service call to stop between items."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class SessionStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ResultStatus(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class ResumeRecord:
    id: uuid.UUID
    user_id: uuid.UUID
    file_name: str
    s3_resume_key: str
    content_sha256: str
    size_bytes: int
    media_type: str
    created_at: datetime
    job_posting_id: uuid.UUID | None = None
    candidate_name: str | None = None
    candidate_email: str | None = None
    deleted_at: datetime | None = None
    analysis_count: int = 0
    #: Set when the text could not be read (a migrated file): analyses of it will fail.
    extraction_error: str | None = None


@dataclass(frozen=True)
class JobPosting:
    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    company: str
    description: str
    required_skills: tuple[str, ...]
    preferred_skills: tuple[str, ...]
    min_years: float | None
    created_at: datetime
    archived_at: datetime | None = None


@dataclass(frozen=True)
class AnalysisResult:
    """What an analyzer returns for one resume: scores 0-100 and the evidence behind them."""

    overall_fit_score: float
    skill_match_score: float
    summary: str
    reasoning: str
    matched_skills: tuple[str, ...] = ()
    missing_skills: tuple[str, ...] = ()
    #: The analyzer that produced these numbers when it is not the one the session asked for
    #: (an LLM analyzer that fell back to the built-in one); None means the session's own.
    analyzer_name: str | None = None
    analyzer_version: str | None = None
    #: Why the session's analyzer did not score this resume itself, in a recruiter's words.
    fallback_reason: str | None = None


@dataclass(frozen=True)
class AnalysisOutcome:
    """One stored ``resume_analyses`` row: a result, or the reason there is none."""

    resume_id: uuid.UUID
    session_id: uuid.UUID
    status: ResultStatus
    error: str | None
    result: AnalysisResult | None
    analyzer: str
    created_at: datetime
    file_name: str | None = None
    candidate_name: str | None = None
    #: The analyzer that produced this row (``analyzer`` is both, joined by a space).
    analyzer_name: str = ""
    analyzer_version: str = ""
    #: Set when a fallback analyzer scored the resume: why the session's one did not.
    fallback_reason: str | None = None


@dataclass(frozen=True)
class SessionRecord:
    id: uuid.UUID
    user_id: uuid.UUID
    session_name: str
    job_posting_id: uuid.UUID | None
    status: SessionStatus
    analyzer: str
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    result_count: int = 0
    #: Every analyzer that produced one of its results ("name version", first used first):
    #: more than ``analyzer`` when a fallback scored some resumes.
    analyzers: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryItem:
    session_id: uuid.UUID
    session_name: str
    job_posting_id: uuid.UUID | None
    job_title: str | None
    session_status: SessionStatus
    status: ResultStatus
    error: str | None
    overall_fit_score: float | None
    skill_match_score: float | None
    summary: str | None
    reasoning: str | None
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]
    analyzer: str
    created_at: datetime
    analyzer_name: str = ""
    analyzer_version: str = ""
    fallback_reason: str | None = None

    @property
    def context_label(self) -> str:
        """The job's title, "General", or "(deleted job)" when the job row is gone."""
        if self.job_posting_id is None:
            return "General"
        return self.job_title or "(deleted job)"


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list. ``total`` is None when the caller skipped counting; ``next_after``
    is the keyset to pass for the following page (None on the last page)."""

    total: int | None
    items: list[T]
    next_after: tuple[Any, Any] | None = None


@dataclass(frozen=True)
class ImportedFile:
    file_name: str
    resume: ResumeRecord


@dataclass(frozen=True)
class DuplicateFile:
    file_name: str
    existing_id: uuid.UUID
    restored_from_trash: bool = False
    #: The name the library already knows this file by.
    existing_file_name: str = ""


@dataclass(frozen=True)
class RejectedFile:
    file_name: str
    reason: str
    path: str = ""
    #: The resume gate's kind (``job_ad``, ``readme``, ...) when the gate turned the file away
    #: (an import with ``accept_any`` would take it); None for every other reason.
    gate_kind: str | None = None


class IntegrityProblem(enum.StrEnum):
    """What ``doctor`` found wrong with a resume's stored file (``resumes.integrity_problem``)."""

    MISSING = "missing"
    CHANGED = "changed"


@dataclass(frozen=True)
class RepairedFile:
    """A file whose resume ``doctor`` had flagged: importing it put the stored object back."""

    file_name: str
    existing_id: uuid.UUID
    problem: IntegrityProblem
    existing_file_name: str = ""
    #: The resume was in the trash too; the repair brought it back.
    restored_from_trash: bool = False


@dataclass
class ImportReport:
    """Outcome of one import: every file tried lands in exactly one list.

    ``duplicates`` are files the library already holds (nothing changed); ``restored`` were in
    the trash and are back; ``repaired`` had a missing or changed stored file, now put back.
    ``hidden_skipped`` are the paths of hidden and temporary files (dot-files, Office ``~$``
    lock files, Thumbs.db, desktop.ini) passed over inside folders: not tried, but counted.
    """

    added: list[ImportedFile] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    cancelled: bool = False
    restored: list[DuplicateFile] = field(default_factory=list)
    repaired: list[RepairedFile] = field(default_factory=list)
    hidden_skipped: list[str] = field(default_factory=list)
    #: Empty when every file was tried; otherwise why the batch stopped early (storage or the
    #: database stopped answering): the one sentence the files left out are rejected with.
    stopped: str = ""

    @property
    def processed(self) -> int:
        return (
            len(self.added)
            + len(self.duplicates)
            + len(self.restored)
            + len(self.repaired)
            + len(self.rejected)
        )


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the append-only trail: who did what to which id, and how much."""

    id: uuid.UUID
    action: str
    actor: str
    subject_id: uuid.UUID | None
    detail: dict[str, object]
    created_at: datetime
