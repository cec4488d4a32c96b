"""Migration from the legacy per-job folder layout to the shared, content-addressed one.

The old system stored a resume under the folder of the job it was uploaded for
(``{user}/resumes/general/{name}``, ``{user}/resumes/job_{job}/{name}``), often several times,
and described it in ``legacy_resumes`` / ``legacy_analyses`` / ``legacy_job_postings``
(see ``docs/legacy-layout.md``). This service moves all of it to the app's layout: one resume
per distinct content per user at :func:`~recur_desktop.storage.resume_key`, copied inside the
store, and the old analyses as ``resume_analyses`` rows of one completed session per user and
context, so availability and history answer correctly afterwards.

Why it is shaped the way it is:

- *Read everything first, decide deterministically.* Which file name represents a content seen
  under several names, which of several analyses of one content for one context is kept, the
  session ids (uuid5 of user and context) and the analysis ids (uuid5 of the legacy id): all
  follow from the legacy data alone, so an interrupted run and a clean one end in the same
  state.
- *Idempotent writes.* Users and jobs keep their ids and are inserted ``ON CONFLICT DO
  NOTHING``; a content's resume is guarded by ``UNIQUE(user_id, content_sha256)``; sessions and
  analyses by their deterministic ids and ``UNIQUE(resume_id, analysis_session_id)``. A rerun
  after ``kill -9`` at any point converges and duplicates nothing.
- *Write order as on import.* The object is copied first (server-side, checked against the
  SHA-256 we hashed), then the row is committed together with its journal entry. A crash in
  between leaves an orphaned object the rerun copies over with the same bytes.
- *The journal* (``legacy_migration_journal``) remembers each legacy object's SHA-256 (so a
  rerun does not download it again), which resumes the migration created (only those have
  their representative name corrected; resumes the user imported are left alone), and each
  session written.

Everything is scoped per user, and ``user=`` limits every mode to one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    MetaData,
    Numeric,
    Table,
    Text,
    Uuid,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import (
    CancelToken,
    Progress,
    ResultStatus,
    SessionStatus,
    no_progress,
)
from recur_desktop.extraction import (
    DEFAULT_MAX_BYTES,
    RejectedDocument,
    extract_document,
    too_large_reason,
)
from recur_desktop.extraction.extract import MEDIA_DOCX, MEDIA_PDF, MEDIA_TEXT
from recur_desktop.extraction.sniff import Sniffed, sniff
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    LegacyMigrationJournalRow,
    ResumeAnalysisRow,
    ResumeRow,
    UserRow,
    UTCDateTime,
    utcnow,
)
from recur_desktop.services.errors import InvalidInput, NotFound, ServiceError
from recur_desktop.storage import (
    ObjectNotFound,
    ObjectStore,
    StorageError,
    delete_owned,
    owns_key,
    resume_key,
)

log = logging.getLogger(__name__)

#: The old system's tables, in the order they are dropped.
LEGACY_TABLES = ("legacy_analyses", "legacy_resumes", "legacy_job_postings")
ANALYZER_NAME = "legacy"
ANALYZER_VERSION = "1"
MIGRATED_SUFFIX = " (migrated)"
GENERAL_NAME = "General"
DEFAULT_WORKERS = 8
MAX_WORKERS = 32
#: Hashes of duplicate objects are journaled this many per transaction.
JOURNAL_BATCH = 50
#: Type of a file whose bytes are not a PDF, DOCX or text (it is migrated all the same).
UNKNOWN_MEDIA = "application/octet-stream"
UNKNOWN_EXTENSION = ".bin"

#: Fixed namespace of the deterministic ids (sessions, analyses): never change it.
ID_NAMESPACE = uuid.UUID("5f0c3f53-3c1e-4f7e-9a57-4b1f2f5d2a61")

#: Problem kinds a plan or report can list; see :class:`Problem`.
PROBLEM_KINDS = (
    "missing_object",
    "unreferenced_object",
    "unreadable_file",
    "invalid_scores",
    "unknown_job",
    "foreign_object",
    "outside_layout",
    "job_conflict",
    "read_failed",
    "copy_failed",
)

_KEY = re.compile(
    r"^(?P<user>[0-9A-Fa-f-]{36})/resumes/(?P<folder>general|job_(?P<job>[0-9A-Fa-f-]{36}))/"
    r"(?P<rest>.+)$"
)

_legacy_metadata = MetaData()
LEGACY_JOB_POSTINGS = Table(
    "legacy_job_postings",
    _legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
)
LEGACY_RESUMES = Table(
    "legacy_resumes",
    _legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("s3_key", Text, nullable=False),
    Column("job_posting_id", Uuid),
    Column("uploaded_at", UTCDateTime, nullable=False),
)
LEGACY_ANALYSES = Table(
    "legacy_analyses",
    _legacy_metadata,
    Column("id", Uuid, primary_key=True),
    Column("legacy_resume_id", Uuid, nullable=False),
    Column("job_posting_id", Uuid),
    Column("overall_fit_score", Numeric),
    Column("skill_match_score", Numeric),
    Column("summary", Text),
    Column("reasoning", Text),
    Column("analyzed_at", UTCDateTime, nullable=False),
)


def session_id_for(user_id: uuid.UUID, job_posting_id: uuid.UUID | None) -> uuid.UUID:
    """The one migrated session of a user and context; the same on every run."""
    return uuid.uuid5(ID_NAMESPACE, f"session:{user_id}:{job_posting_id or 'general'}")


def analysis_id_for(legacy_analysis_id: uuid.UUID) -> uuid.UUID:
    """The ``resume_analyses`` id a kept legacy analysis becomes; the same on every run."""
    return uuid.uuid5(ID_NAMESPACE, f"analysis:{legacy_analysis_id}")


def legacy_login_name(user_id: uuid.UUID) -> str:
    """Login name of a user row the migration has to create (the old system shared the ids)."""
    return f"legacy-{user_id}"


# --------------------------------------------------------------------------------- public records
@dataclass(frozen=True)
class Problem:
    """Something a recruiter should know about; ``kind`` is one of :data:`PROBLEM_KINDS`.

    Only ``read_failed`` and ``copy_failed`` mean the run did not finish its job (a rerun
    retries them); the others describe the legacy data and are accounted for.
    """

    kind: str
    user_id: uuid.UUID | None
    message: str
    key: str | None = None
    file_name: str | None = None
    legacy_resume_id: uuid.UUID | None = None
    legacy_analysis_ids: tuple[uuid.UUID, ...] = ()


@dataclass
class UserPlan:
    """What the migration finds (dry-run) or leaves (apply) for one user."""

    user_id: uuid.UUID
    login_name: str
    create_user: bool = False
    jobs: int = 0
    jobs_to_create: int = 0
    legacy_rows: int = 0
    legacy_objects: int = 0
    #: Of ``legacy_objects``, those an earlier ``--delete-legacy`` removed (known from the journal).
    legacy_objects_deleted: int = 0
    distinct_contents: int = 0
    duplicates_folded: int = 0
    contents_to_migrate: int = 0
    unreadable_files: int = 0
    unreferenced_objects: int = 0
    missing_objects: int = 0
    analyses: int = 0
    analyses_to_carry: int = 0
    analyses_invalid_scores: int = 0
    analyses_folded: int = 0
    analyses_not_carried: int = 0
    sessions: int = 0


@dataclass
class MigrationReport:
    """The plan (dry-run) or the outcome (apply) of a migration; every count is per user too.

    For apply, ``created_*``/``written_*`` say what this run did (zero on a rerun) and
    ``failures`` what it could not do (a rerun retries them).
    """

    mode: str
    user_scope: uuid.UUID | None
    tables_present: bool
    users: list[UserPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created_users: int = 0
    created_jobs: int = 0
    created_resumes: int = 0
    copied_objects: int = 0
    renamed_resumes: int = 0
    written_sessions: int = 0
    written_analyses: int = 0
    cancelled: bool = False

    @property
    def failures(self) -> list[Problem]:
        return [p for p in self.problems if p.kind in ("read_failed", "copy_failed")]

    @property
    def has_legacy_data(self) -> bool:
        return any(u.legacy_rows or u.legacy_objects or u.jobs for u in self.users)

    def total(self, name: str) -> int:
        """Sum of one :class:`UserPlan` count over the users."""
        return sum(int(getattr(u, name)) for u in self.users)


@dataclass
class VerifyReport:
    """``ok`` when every legacy object has a shared copy with its SHA-256, every legacy analysis
    is carried, folded or reported as not carriable, and the counts match."""

    user_scope: uuid.UUID | None
    checked_objects: int = 0
    checked_contents: int = 0
    checked_analyses: int = 0
    checked_sessions: int = 0
    unaccounted: list[str] = field(default_factory=list)
    plan: MigrationReport | None = None
    #: Legacy object key -> SHA-256, for each object proven to have a shared copy: what
    #: ``delete_legacy`` may remove.
    verified_objects: dict[str, str] = field(default_factory=dict)
    #: Legacy object key -> the user whose shared copy proved it: the only owner for whom
    #: ``delete_legacy`` may delete it.
    verified_owners: dict[str, uuid.UUID] = field(default_factory=dict)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.unaccounted and not self.cancelled


@dataclass
class DeleteReport:
    deleted_objects: int = 0
    already_gone: int = 0
    dropped_tables: list[str] = field(default_factory=list)
    deleted_rows: int = 0
    failures: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class LegacyStatus:
    """Cheap check for the desktop banner: is there legacy data, and was it migrated?"""

    has_legacy_data: bool
    last_run: str | None
    """``applied``, ``verified`` or ``deleted`` once such a run finished for the user."""

    @property
    def pending(self) -> bool:
        return self.has_legacy_data and self.last_run is None


# --------------------------------------------------------------------------------- internal data
@dataclass(frozen=True)
class _Job:
    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    description: str


@dataclass(frozen=True)
class _Row:
    id: uuid.UUID
    user_id: uuid.UUID
    file_name: str
    s3_key: str
    job_posting_id: uuid.UUID | None
    uploaded_at: datetime


@dataclass(frozen=True)
class _Analysis:
    id: uuid.UUID
    legacy_resume_id: uuid.UUID
    job_posting_id: uuid.UUID | None
    overall: Decimal | float | None
    skill: Decimal | float | None
    summary: str | None
    reasoning: str | None
    analyzed_at: datetime


@dataclass
class _Object:
    key: str
    user_id: uuid.UUID
    folder_job: uuid.UUID | None
    name: str
    size: int
    last_modified: datetime | None
    #: Deleted by an earlier ``--delete-legacy``; known only from the journal.
    deleted: bool = False
    sha256: str | None = None
    extension: str = UNKNOWN_EXTENSION
    media_type: str = UNKNOWN_MEDIA


@dataclass
class _Present:
    """A resume already in the library for (user, sha256)."""

    resume_id: uuid.UUID
    created_by_migration: bool
    extraction_error: str | None
    s3_resume_key: str


@dataclass
class _Content:
    user_id: uuid.UUID
    sha256: str
    extension: str
    media_type: str
    objects: list[_Object] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    file_name: str = ""
    created_at: datetime | None = None
    job_posting_id: uuid.UUID | None = None


@dataclass
class _Kept:
    analysis: _Analysis
    content: tuple[uuid.UUID, str]
    valid: bool


@dataclass
class _SessionPlan:
    id: uuid.UUID
    user_id: uuid.UUID
    job_posting_id: uuid.UUID | None
    name: str
    kept: list[_Kept] = field(default_factory=list)


@dataclass
class _Survey:
    """Everything read before deciding anything."""

    scope: uuid.UUID | None
    tables_present: bool
    jobs: dict[uuid.UUID, _Job]
    rows: list[_Row]
    analyses: list[_Analysis]
    objects: dict[str, _Object]
    users: dict[uuid.UUID, str | None]
    existing_jobs: dict[uuid.UUID, uuid.UUID]
    journal_objects: dict[str, dict[str, Any]]
    present: dict[tuple[uuid.UUID, str], _Present]
    problems: list[Problem] = field(default_factory=list)
    extraction_errors: dict[tuple[uuid.UUID, str], str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    claimed: set[tuple[uuid.UUID, str]] = field(default_factory=set)
    journal_buffer: list[dict[str, Any]] = field(default_factory=list)

    _rows_by_key: dict[str, list[_Row]] | None = None

    def add_problem(self, problem: Problem) -> None:
        with self.lock:
            self.problems.append(problem)

    def rows_by_key(self) -> dict[str, list[_Row]]:
        with self.lock:
            if self._rows_by_key is None:
                grouped: dict[str, list[_Row]] = defaultdict(list)
                for row in self.rows:
                    grouped[row.s3_key].append(row)
                self._rows_by_key = dict(grouped)
            return self._rows_by_key


@dataclass
class _Plan:
    contents: dict[tuple[uuid.UUID, str], _Content]
    sessions: dict[uuid.UUID, _SessionPlan]
    folded: dict[uuid.UUID, int]
    users: dict[uuid.UUID, UserPlan]
    problems: list[Problem]


T = TypeVar("T")
R = TypeVar("R")


def _parse_key(key: str) -> tuple[uuid.UUID, uuid.UUID | None, str] | None:
    """(user, folder job, file name) of a key in the legacy layout; None for any other key."""
    match = _KEY.match(key)
    if match is None:
        return None
    try:
        user = uuid.UUID(match["user"])
        job = uuid.UUID(match["job"]) if match["job"] else None
    except ValueError:
        return None
    return user, job, key.rsplit("/", 1)[-1]


def _sniffed_type(data: bytes) -> tuple[str, str]:
    """(media type, extension) from the bytes alone, for a file whose text can't be read."""
    verdict = sniff(data)
    if isinstance(verdict, Sniffed):
        if verdict.kind == "pdf":
            return MEDIA_PDF, ".pdf"
        if verdict.kind == "docx":
            return MEDIA_DOCX, ".docx"
        return MEDIA_TEXT, ".txt"
    return UNKNOWN_MEDIA, UNKNOWN_EXTENSION


def _score(value: Decimal | float | None) -> float | None:
    """A legacy score as a float when it is a real number from 0 to 100, else None."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not 0 <= number <= 100:
        return None
    return number


def _invalid_reason(analysis: _Analysis) -> str:
    def shown(value: Decimal | float | None) -> str:
        return "none" if value is None else f"{value}"

    return (
        "The old system kept no valid score for this analysis (overall fit: "
        f"{shown(analysis.overall)}, skill match: {shown(analysis.skill)}); it was migrated as "
        "failed rather than guessed."
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------------- the service
class LegacyMigrationService:
    """Dry-run, apply, verify and clean up the migration from the legacy layout.

    Safe to call from a worker thread (the GUI's task bridge) and the CLI alike: every long
    call takes a progress callback and a cancel token, and uses ``workers`` threads of its own
    with one database session per task.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: ObjectStore,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        workers: int = DEFAULT_WORKERS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if not 1 <= workers <= MAX_WORKERS:
            raise InvalidInput(f"The number of workers must be from 1 to {MAX_WORKERS}.")
        self._sessions = sessions
        self._store = store
        self._max_bytes = max_bytes
        self._workers = workers
        self._clock = clock
        self._dialect = sessions.kw["bind"].dialect.name

    # ----------------------------------------------------------------- public API
    def resolve_user(self, name: str) -> uuid.UUID:
        """``--user NAME``: a login name of the ``users`` table, or a user id (a UUID)."""
        text = name.strip()
        try:
            return uuid.UUID(text)
        except ValueError:
            pass
        with self._sessions() as session:
            found = session.scalar(select(UserRow.id).where(UserRow.login_name == text))
        if found is None:
            raise NotFound(f"No user called {text!r}. Give a login name or a user id.")
        return found

    def status(self, user_id: uuid.UUID) -> LegacyStatus:
        """Whether the user has legacy data and a finished migration run; a few cheap queries.

        What the desktop banner asks at start-up (on a worker thread: it lists the store). A
        login that may not read the legacy tables or the journal (a recruiter on a team
        database, where the administrator migrates) sees no legacy data: it could not migrate.
        """
        try:
            return self._status(user_id)
        except ProgrammingError as exc:
            log.warning("legacy status unavailable for user %s: %s", user_id, exc.orig)
            return LegacyStatus(has_legacy_data=False, last_run=None)

    def _status(self, user_id: uuid.UUID) -> LegacyStatus:
        has_rows = False
        with self._sessions() as session:
            present = self._legacy_tables(session)
            if "legacy_resumes" in present:
                has_rows = (
                    session.scalar(
                        select(LEGACY_RESUMES.c.id)
                        .where(LEGACY_RESUMES.c.user_id == user_id)
                        .limit(1)
                    )
                    is not None
                )
            if not has_rows and "legacy_job_postings" in present:
                has_rows = (
                    session.scalar(
                        select(LEGACY_JOB_POSTINGS.c.id)
                        .where(LEGACY_JOB_POSTINGS.c.user_id == user_id)
                        .limit(1)
                    )
                    is not None
                )
            last_run = session.scalar(
                select(LegacyMigrationJournalRow.state).where(
                    LegacyMigrationJournalRow.key == f"run:{user_id}"
                )
            )
        has_objects = False
        if not has_rows:
            for folder in ("general/", "job_"):
                listing = self._store.list(f"{user_id}/resumes/{folder}")
                if next(iter(listing), None) is not None:
                    has_objects = True
                    break
        return LegacyStatus(has_legacy_data=has_rows or has_objects, last_run=last_run)

    def plan(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> MigrationReport:
        """The dry run: reads every legacy row and object (hashing and reading each distinct
        content) and says what ``apply`` would do. Writes nothing at all."""
        survey = self._survey(user, progress)
        cancelled = self._process_objects(survey, "plan", progress, cancel)
        plan = self._build_plan(survey)
        report = self._report("dry-run", survey, plan)
        report.cancelled = cancelled
        return report

    def apply(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> MigrationReport:
        """Migrate: users, jobs, one resume per distinct content, sessions and analyses.

        Resumable: a rerun after a crash or a cancel picks up where the journal says and ends
        in the state an uninterrupted run reaches. Storage failures are listed in
        ``failures`` (a rerun retries them); database failures raise.
        """
        survey = self._survey(user, progress)
        counts = self._ensure_users_and_jobs(survey)
        created = _Counter()
        cancelled = self._process_objects(survey, "apply", progress, cancel, created)
        plan = self._build_plan(survey)
        report = self._report("apply", survey, plan)
        report.created_users, report.created_jobs = counts
        report.created_resumes = created.resumes
        report.copied_objects = created.copies
        if cancelled:
            report.cancelled = True
            return report
        report.renamed_resumes = self._fix_representatives(survey, plan)
        sessions, analyses, cancelled = self._write_sessions(survey, plan, progress, cancel)
        report.written_sessions, report.written_analyses = sessions, analyses
        report.cancelled = cancelled
        if not cancelled and not report.failures:
            self._journal_runs(plan, "applied", report)
        return report

    def verify(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> VerifyReport:
        """Check the migration without trusting the journal: every legacy object is hashed
        again and must have a shared object with the same SHA-256 (as the store recorded it),
        every legacy analysis must be carried (the row is there, with the legacy scores),
        folded or reported as not carriable, and the counts must match. Writes nothing."""
        survey = self._survey(user, progress)
        result = VerifyReport(user_scope=user)
        result.cancelled = self._process_objects(survey, "verify", progress, cancel)
        plan = self._build_plan(survey)
        result.plan = self._report("verify", survey, plan)
        if result.cancelled:
            return result
        self._verify_contents(survey, plan, result, cancel)
        self._verify_analyses(survey, plan, result)
        return result

    def delete_legacy(
        self,
        verified: VerifyReport,
        *,
        drop_tables: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> DeleteReport:
        """After a passing :meth:`verify`: delete the legacy objects it proved copied, and with
        ``drop_tables`` the legacy tables (only the user's rows when the verify was scoped to
        one user; the tables go once empty).

        Each object's journal entry becomes ``deleted`` (keeping its SHA-256) before the object
        goes, so later plans and verifies still account for it.
        """
        if not verified.ok:
            raise InvalidInput("The legacy data can only be deleted after a passing verify.")
        report = DeleteReport()
        keys = sorted(verified.verified_objects)
        journal: dict[str, dict[str, Any]] = {}
        with self._sessions() as session:
            for chunk in _chunks([f"object:{k}" for k in keys], 500):
                for entry_key, detail in session.execute(
                    select(LegacyMigrationJournalRow.key, LegacyMigrationJournalRow.detail).where(
                        LegacyMigrationJournalRow.key.in_(chunk)
                    )
                ):
                    journal[entry_key.removeprefix("object:")] = json.loads(detail)
        for done, key in enumerate(keys):
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            progress(done, len(keys), key)
            detail = journal.get(key)
            if detail is None:
                report.failures.append(f"{key}: not in the journal; run --apply first.")
                continue
            owner = verified.verified_owners.get(key)
            if owner is None or not owns_key(owner, key):
                # An administrator acts for every user: a key is deleted only inside the prefix
                # of the user whose shared copy proved it, whatever the legacy tables claim.
                report.failures.append(f"{key}: not in its owner's folder; left alone.")
                continue
            # The journal first: an object deleted but not marked would read as never seen.
            detail["sha256"] = verified.verified_objects[key]
            self._journal(
                {
                    "key": f"object:{key}",
                    "state": "deleted",
                    "detail": json.dumps(detail),
                    "updated_at": self._clock(),
                }
            )
            try:
                if self._store.exists(key):
                    delete_owned(self._store, owner, key)
                    report.deleted_objects += 1
                else:
                    report.already_gone += 1
            except StorageError as exc:
                log.warning("legacy delete failed key=%s: %s", key, exc.detail)
                report.failures.append(f"{key}: {exc}")
        progress(len(keys), len(keys), "")
        if drop_tables and not report.cancelled and not report.failures:
            self._drop_tables(verified.user_scope, report)
        if not report.cancelled and not report.failures and verified.plan is not None:
            self._journal_runs_for(
                [u.user_id for u in verified.plan.users], "deleted", {"objects": len(keys)}
            )
        return report

    # ----------------------------------------------------------------- survey
    def _legacy_tables(self, session: Session) -> set[str]:
        names = set(inspect(session.connection()).get_table_names())
        return {name for name in LEGACY_TABLES if name in names}

    def _survey(self, scope: uuid.UUID | None, progress: Progress) -> _Survey:
        progress(0, -1, "Reading the legacy tables")
        with self._sessions() as session:
            present = self._legacy_tables(session)
            jobs: dict[uuid.UUID, _Job] = {}
            rows: list[_Row] = []
            analyses: list[_Analysis] = []
            if "legacy_job_postings" in present:
                stmt = select(LEGACY_JOB_POSTINGS)
                if scope is not None:
                    stmt = stmt.where(LEGACY_JOB_POSTINGS.c.user_id == scope)
                for r in session.execute(stmt):
                    jobs[r.id] = _Job(r.id, r.user_id, r.title or "", r.description or "")
            if "legacy_resumes" in present:
                stmt = select(LEGACY_RESUMES)
                if scope is not None:
                    stmt = stmt.where(LEGACY_RESUMES.c.user_id == scope)
                rows = [
                    _Row(r.id, r.user_id, r.file_name, r.s3_key, r.job_posting_id, r.uploaded_at)
                    for r in session.execute(stmt)
                ]
                if "legacy_analyses" in present:
                    a = LEGACY_ANALYSES
                    stmt = select(a).join(
                        LEGACY_RESUMES, LEGACY_RESUMES.c.id == a.c.legacy_resume_id
                    )
                    if scope is not None:
                        stmt = stmt.where(LEGACY_RESUMES.c.user_id == scope)
                    analyses = [
                        _Analysis(
                            r.id,
                            r.legacy_resume_id,
                            r.job_posting_id,
                            r.overall_fit_score,
                            r.skill_match_score,
                            r.summary,
                            r.reasoning,
                            r.analyzed_at,
                        )
                        for r in session.execute(stmt)
                    ]
            journal_prefix = f"object:{scope}/" if scope is not None else "object:"
            journal_objects = {
                key.removeprefix("object:"): {**json.loads(detail), "state": state}
                for key, state, detail in session.execute(
                    select(
                        LegacyMigrationJournalRow.key,
                        LegacyMigrationJournalRow.state,
                        LegacyMigrationJournalRow.detail,
                    ).where(LegacyMigrationJournalRow.key.startswith(journal_prefix))
                )
            }
        progress(0, -1, "Listing the legacy files")
        objects: dict[str, _Object] = {}
        prefix = f"{scope}/resumes/" if scope is not None else ""
        for info in self._store.list(prefix):
            parsed = _parse_key(info.key)
            if parsed is None:
                continue
            user_id, folder_job, name = parsed
            objects[info.key] = _Object(
                info.key, user_id, folder_job, name, info.size, info.last_modified
            )
        # Objects an earlier --delete-legacy removed still count while a row names them: the
        # journal kept their hash, so the row's analyses stay accounted for.
        named = {row.s3_key for row in rows}
        for key, entry in journal_objects.items():
            if key in objects or entry["state"] != "deleted" or key not in named:
                continue
            parsed = _parse_key(key)
            if parsed is None:
                continue
            user_id, folder_job, name = parsed
            obj = _Object(key, user_id, folder_job, name, int(entry.get("size", 0)), None)
            obj.deleted = True
            obj.sha256 = entry["sha256"]
            obj.extension = entry["ext"]
            obj.media_type = entry["media_type"]
            last = entry.get("last_modified")
            obj.last_modified = datetime.fromisoformat(last) if last else None
            objects[key] = obj

        # Scoped queries and listings already keep to the one user (if any).
        user_ids = {j.user_id for j in jobs.values()} | {r.user_id for r in rows}
        user_ids |= {o.user_id for o in objects.values()}
        with self._sessions() as session:
            users: dict[uuid.UUID, str | None] = dict.fromkeys(user_ids)
            for chunk in _chunks(sorted(user_ids), 500):
                for uid, login in session.execute(
                    select(UserRow.id, UserRow.login_name).where(UserRow.id.in_(chunk))
                ):
                    users[uid] = login
            existing_jobs: dict[uuid.UUID, uuid.UUID] = {}
            for chunk in _chunks(sorted(jobs), 500):
                for jid, owner in session.execute(
                    select(JobPostingRow.id, JobPostingRow.user_id).where(
                        JobPostingRow.id.in_(chunk)
                    )
                ):
                    existing_jobs[jid] = owner
            present_resumes = self._present_resumes(session, user_ids)
        return _Survey(
            scope=scope,
            tables_present=len(present) == len(LEGACY_TABLES),
            jobs=jobs,
            rows=rows,
            analyses=analyses,
            objects=objects,
            users=users,
            existing_jobs=existing_jobs,
            journal_objects=journal_objects,
            present=present_resumes,
        )

    def _present_resumes(
        self, session: Session, user_ids: Iterable[uuid.UUID]
    ) -> dict[tuple[uuid.UUID, str], _Present]:
        present: dict[tuple[uuid.UUID, str], _Present] = {}
        created: set[str] = set()
        for uid in sorted(user_ids):
            created.update(
                session.scalars(
                    select(LegacyMigrationJournalRow.key).where(
                        LegacyMigrationJournalRow.key.startswith(f"content:{uid}:")
                    )
                )
            )
            for rid, sha, error, key in session.execute(
                select(
                    ResumeRow.id,
                    ResumeRow.content_sha256,
                    ResumeRow.extraction_error,
                    ResumeRow.s3_resume_key,
                ).where(ResumeRow.user_id == uid)
            ):
                present[(uid, sha)] = _Present(rid, f"content:{uid}:{sha}" in created, error, key)
        return present

    # ----------------------------------------------------------------- users and jobs
    def _ensure_users_and_jobs(self, survey: _Survey) -> tuple[int, int]:
        """Users keep their ids (a ``legacy-<id>`` login when the row is missing); jobs keep
        their ids. Both inserted ON CONFLICT DO NOTHING, in one transaction."""
        insert = self._insert()
        now = self._clock()
        earliest: dict[uuid.UUID, datetime] = {}
        for row in survey.rows:
            if row.job_posting_id is not None:
                _keep_min(earliest, row.job_posting_id, row.uploaded_at)
        for analysis in survey.analyses:
            if analysis.job_posting_id is not None:
                _keep_min(earliest, analysis.job_posting_id, analysis.analyzed_at)
        new_users = [
            {
                "id": uid,
                "login_name": legacy_login_name(uid),
                "display_name": legacy_login_name(uid),
                "created_at": now,
            }
            for uid, login in sorted(survey.users.items())
            if login is None
        ]
        new_jobs = [
            {
                "id": job.id,
                "user_id": job.user_id,
                "title": _job_title(job.title),
                "company": "",
                "description": job.description,
                "required_skills": [],
                "preferred_skills": [],
                "min_years": None,
                "created_at": earliest.get(job.id, now),
            }
            for job in sorted(survey.jobs.values(), key=lambda j: j.id)
            if job.id not in survey.existing_jobs and job.user_id in survey.users
        ]
        created_users = created_jobs = 0
        with self._sessions() as session:
            # Counted from the survey: none of these existed when it read the tables.
            if new_users:
                session.execute(
                    insert(UserRow.__table__).on_conflict_do_nothing(index_elements=["id"]),
                    new_users,
                )
                created_users = len(new_users)
            if new_jobs:
                session.execute(
                    insert(JobPostingRow.__table__).on_conflict_do_nothing(index_elements=["id"]),
                    new_jobs,
                )
                created_jobs = len(new_jobs)
            session.commit()
        for uid in survey.users:
            if survey.users[uid] is None:
                survey.users[uid] = legacy_login_name(uid)
        for job in new_jobs:
            survey.existing_jobs.setdefault(job["id"], job["user_id"])
        return created_users, created_jobs

    # ----------------------------------------------------------------- objects
    def _process_objects(
        self,
        survey: _Survey,
        mode: str,
        progress: Progress,
        cancel: CancelToken | None,
        counter: _Counter | None = None,
    ) -> bool:
        """Hash every legacy object; in ``apply`` create each new content's resume, in
        ``plan`` read each new content's text. Returns True when cancelled."""
        order = self._object_order(survey)

        def task(obj: _Object) -> None:
            self._object_task(survey, obj, mode, counter)

        try:
            return _run_pool(
                order,
                task,
                workers=self._workers,
                progress=progress,
                cancel=cancel,
                note=lambda obj: obj.key,
            )
        finally:
            self._flush_journal(survey)

    @staticmethod
    def _object_order(survey: _Survey) -> list[_Object]:
        """Objects named by rows first, oldest upload first, then the unreferenced ones by
        age: the first object of a content to be claimed is then usually the one that
        represents it, and the fix-up after has little to correct."""
        best: dict[str, tuple[datetime, str]] = {}
        for row in survey.rows:
            rank = (row.uploaded_at, str(row.id))
            if row.s3_key in survey.objects and (row.s3_key not in best or rank < best[row.s3_key]):
                best[row.s3_key] = rank
        epoch = datetime.min.replace(tzinfo=UTC)

        def rank(obj: _Object) -> tuple[Any, ...]:
            if obj.key in best:
                return (0, *best[obj.key], obj.key)
            return (1, obj.last_modified or epoch, "", obj.key)

        return sorted((o for o in survey.objects.values() if not o.deleted), key=rank)

    def _object_task(
        self, survey: _Survey, obj: _Object, mode: str, counter: _Counter | None
    ) -> None:
        data: bytes | None = None
        cached = survey.journal_objects.get(obj.key)
        fresh = True
        try:
            if (
                mode != "verify"
                and cached is not None
                and cached.get("size") == obj.size
                and cached.get("last_modified") == _iso(obj.last_modified)
            ):
                obj.sha256 = cached["sha256"]
                obj.extension = cached["ext"]
                obj.media_type = cached["media_type"]
                fresh = False
            elif mode == "verify" or obj.size > self._max_bytes:
                # Stream: verify needs no bytes, and an oversized file is never held in memory.
                obj.sha256 = self._store.sha256_of(obj.key)
                if mode != "verify":
                    obj.extension, obj.media_type = UNKNOWN_EXTENSION, UNKNOWN_MEDIA
            else:
                data = self._store.get(obj.key)
                obj.sha256 = hashlib.sha256(data).hexdigest()
                obj.media_type, obj.extension = _sniffed_type(data)
        except ObjectNotFound:
            survey.add_problem(
                Problem(
                    "read_failed",
                    obj.user_id,
                    "The file disappeared from storage while it was being read.",
                    key=obj.key,
                    file_name=obj.name,
                )
            )
            obj.sha256 = None
            return
        except StorageError as exc:
            log.warning("legacy read failed key=%s: %s", obj.key, exc.detail)
            survey.add_problem(
                Problem("read_failed", obj.user_id, str(exc), key=obj.key, file_name=obj.name)
            )
            obj.sha256 = None
            return
        if mode == "verify":
            return
        content_key = (obj.user_id, obj.sha256)
        with survey.lock:
            claim = content_key not in survey.present and content_key not in survey.claimed
            if claim:
                survey.claimed.add(content_key)
        if not claim:
            if mode == "apply" and fresh:
                self._journal_later(survey, self._object_entry(obj))
            return
        try:
            if data is None and obj.size <= self._max_bytes:
                data = self._store.get(obj.key)
                if hashlib.sha256(data).hexdigest() != obj.sha256:
                    raise StorageError(
                        "The file changed since it was first read; run the migration again.",
                        detail=f"legacy key={obj.key} changed since hashed",
                        code="bad_digest",
                    )
            text, extraction_error, candidate = self._extract(obj, data)
            if mode == "plan":
                with survey.lock:
                    survey.extraction_errors[content_key] = extraction_error
                return
            assert counter is not None
            self._create_content(survey, obj, text, extraction_error, candidate, counter)
        except StorageError as exc:
            log.warning("legacy migrate failed key=%s: %s", obj.key, exc.detail)
            survey.add_problem(
                Problem("copy_failed", obj.user_id, str(exc), key=obj.key, file_name=obj.name)
            )
            with survey.lock:
                survey.claimed.discard(content_key)
            if mode == "apply" and fresh:
                self._journal_later(survey, self._object_entry(obj))
        except BaseException:
            with survey.lock:
                survey.claimed.discard(content_key)
            raise

    def _extract(
        self, obj: _Object, data: bytes | None
    ) -> tuple[str, str | None, tuple[str | None, str | None, str | None]]:
        """(text, why it could not be read, candidate name/email/phone) of a legacy file."""
        if data is None:
            return "", too_large_reason(obj.size, self._max_bytes), (None, None, None)
        try:
            document = extract_document(data, file_name=obj.name, max_bytes=self._max_bytes)
        except RejectedDocument as exc:
            return "", str(exc), (None, None, None)
        obj.media_type, obj.extension = document.media_type, document.extension
        return (
            document.text,
            None,
            (document.candidate_name, document.candidate_email, document.candidate_phone),
        )

    def _create_content(
        self,
        survey: _Survey,
        obj: _Object,
        text: str,
        extraction_error: str | None,
        candidate: tuple[str | None, str | None, str | None],
        counter: _Counter,
    ) -> None:
        """Copy the object to its shared key, then commit the resume row with its journal
        entries. The name, date and upload context are provisional (the best this object
        knows); :meth:`_fix_representatives` settles them once every object is hashed."""
        assert obj.sha256 is not None
        key = resume_key(obj.user_id, obj.sha256, obj.extension)
        name, created_at, job_id = self._provisional(survey, obj)
        copied = self._store.copy(
            obj.key,
            key,
            sha256_hex=obj.sha256,
            media_type=obj.media_type,
            metadata={
                "original-file-name": name,
                "content-sha256": obj.sha256,
                "migrated-from": obj.key,
            },
        )
        resume_id = uuid.uuid4()
        row = {
            "id": resume_id,
            "user_id": obj.user_id,
            "file_name": name,
            "s3_resume_key": key,
            "content_sha256": obj.sha256,
            "size_bytes": obj.size,
            "media_type": obj.media_type,
            "job_posting_id": job_id,
            "text_content": text,
            "candidate_name": candidate[0],
            "candidate_email": candidate[1],
            "candidate_phone": candidate[2],
            "created_at": created_at,
            "extraction_error": extraction_error,
        }
        content_entry = {
            "key": f"content:{obj.user_id}:{obj.sha256}",
            "state": "created",
            "detail": json.dumps({"resume_id": str(resume_id), "source": obj.key}),
            "updated_at": self._clock(),
        }
        with self._sessions() as session:
            try:
                session.execute(self._insert()(ResumeRow.__table__).values(**row))
            except IntegrityError:
                # Another migrator (or an import) stored the same bytes first: one row.
                session.rollback()
                self._journal_later(survey, self._object_entry(obj))
                existing = self._present_resumes(session, [obj.user_id])
                with survey.lock:
                    survey.present.update(existing)
                return
            self._journal_in(session, [content_entry, self._object_entry(obj)])
            session.commit()
        with survey.lock:
            survey.present[(obj.user_id, obj.sha256)] = _Present(
                resume_id, True, extraction_error, key
            )
            counter.resumes += 1
            counter.copies += int(copied)

    def _provisional(self, survey: _Survey, obj: _Object) -> tuple[str, datetime, uuid.UUID | None]:
        rows = [r for r in survey.rows_by_key().get(obj.key, ()) if r.user_id == obj.user_id]
        if rows:
            best = min(rows, key=lambda r: (r.uploaded_at, str(r.id)))
            return (
                _file_name(best.file_name, obj.name),
                best.uploaded_at,
                self._own_job(survey, obj.user_id, best.job_posting_id),
            )
        return (
            _file_name(obj.name, obj.name),
            obj.last_modified or self._clock(),
            self._own_job(survey, obj.user_id, obj.folder_job),
        )

    @staticmethod
    def _own_job(survey: _Survey, user_id: uuid.UUID, job_id: uuid.UUID | None) -> uuid.UUID | None:
        """``job_id`` when it is a job of this user in the new tables, else None."""
        if job_id is None:
            return None
        job = survey.jobs.get(job_id)
        if job is None or job.user_id != user_id:
            return None
        if survey.existing_jobs.get(job_id, user_id) != user_id:
            return None
        return job_id

    def _object_entry(self, obj: _Object) -> dict[str, Any]:
        return {
            "key": f"object:{obj.key}",
            "state": "hashed",
            "detail": json.dumps(
                {
                    "sha256": obj.sha256,
                    "size": obj.size,
                    "ext": obj.extension,
                    "media_type": obj.media_type,
                    "last_modified": _iso(obj.last_modified),
                    "user_id": str(obj.user_id),
                }
            ),
            "updated_at": self._clock(),
        }

    # ----------------------------------------------------------------- the plan
    def _build_plan(self, survey: _Survey) -> _Plan:
        """Decide everything from the survey and the hashes: deterministic by construction."""
        problems = [p for p in survey.problems if not self._retried_ok(survey, p)]
        users = {
            uid: UserPlan(
                user_id=uid,
                login_name=login or legacy_login_name(uid),
                create_user=login is None,
            )
            for uid, login in survey.users.items()
        }

        def user_plan(uid: uuid.UUID) -> UserPlan:
            if uid not in users:
                users[uid] = UserPlan(uid, survey.users.get(uid) or legacy_login_name(uid))
            return users[uid]

        for job in survey.jobs.values():
            plan = user_plan(job.user_id)
            plan.jobs += 1
            owner = survey.existing_jobs.get(job.id)
            if owner is None:
                plan.jobs_to_create += 1
            elif owner != job.user_id:
                problems.append(
                    Problem(
                        "job_conflict",
                        job.user_id,
                        f"A job with the id {job.id} already belongs to another user; "
                        "analyses for it are not carried.",
                    )
                )

        contents: dict[tuple[uuid.UUID, str], _Content] = {}
        for obj in sorted(survey.objects.values(), key=lambda o: o.key):
            user_plan(obj.user_id).legacy_objects += 1
            user_plan(obj.user_id).legacy_objects_deleted += int(obj.deleted)
            if obj.sha256 is None:
                continue
            content = contents.get((obj.user_id, obj.sha256))
            if content is None:
                present = survey.present.get((obj.user_id, obj.sha256))
                extension, media = obj.extension, obj.media_type
                if present is not None:
                    # A resume exists already: its key says which extension was settled on.
                    extension = "." + present.s3_resume_key.rsplit(".", 1)[-1]
                content = contents[(obj.user_id, obj.sha256)] = _Content(
                    obj.user_id, obj.sha256, extension, media
                )
            content.objects.append(obj)

        carried_rows: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
        rows_by_id: dict[uuid.UUID, _Row] = {}
        analyses_by_row: dict[uuid.UUID, list[_Analysis]] = defaultdict(list)
        for analysis in survey.analyses:
            analyses_by_row[analysis.legacy_resume_id].append(analysis)
        referenced: set[str] = set()
        for row in sorted(survey.rows, key=lambda r: (r.uploaded_at, str(r.id))):
            rows_by_id[row.id] = row
            plan = user_plan(row.user_id)
            plan.legacy_rows += 1
            referenced.add(row.s3_key)
            obj = survey.objects.get(row.s3_key)
            ids = tuple(sorted((a.id for a in analyses_by_row[row.id]), key=str))
            parsed = _parse_key(row.s3_key)
            if parsed is None:
                problems.append(
                    Problem(
                        "outside_layout",
                        row.user_id,
                        "Its key is not in the legacy layout ({user}/resumes/general|job_{id}/"
                        f"...), so its file was not migrated; {_analyses(len(ids))} not carried.",
                        key=row.s3_key,
                        file_name=row.file_name,
                        legacy_resume_id=row.id,
                        legacy_analysis_ids=ids,
                    )
                )
                continue
            if parsed[0] != row.user_id:
                problems.append(
                    Problem(
                        "foreign_object",
                        row.user_id,
                        "Its file sits in another user's folder, so it was not copied into "
                        f"this user's library; {_analyses(len(ids))} not carried.",
                        key=row.s3_key,
                        file_name=row.file_name,
                        legacy_resume_id=row.id,
                        legacy_analysis_ids=ids,
                    )
                )
                continue
            if obj is None:
                plan.missing_objects += 1
                problems.append(
                    Problem(
                        "missing_object",
                        row.user_id,
                        "Its file is missing from storage, so there is nothing to migrate; "
                        f"{_analyses(len(ids))} can't be carried.",
                        key=row.s3_key,
                        file_name=row.file_name,
                        legacy_resume_id=row.id,
                        legacy_analysis_ids=ids,
                    )
                )
                continue
            if obj.sha256 is None:
                continue  # read_failed, already listed
            content = contents[(row.user_id, obj.sha256)]
            content.rows.append(row)
            carried_rows[row.id] = (row.user_id, obj.sha256)

        for obj in sorted(survey.objects.values(), key=lambda o: o.key):
            if obj.key in referenced:
                continue
            user_plan(obj.user_id).unreferenced_objects += 1
            problems.append(
                Problem(
                    "unreferenced_object",
                    obj.user_id,
                    "No legacy row mentions this file; it is migrated under its own name.",
                    key=obj.key,
                    file_name=obj.name,
                )
            )

        for (uid, sha), content in sorted(
            contents.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
        ):
            plan = user_plan(uid)
            plan.distinct_contents += 1
            plan.duplicates_folded += len(content.objects) - 1
            if content.rows:
                best = min(content.rows, key=lambda r: (r.uploaded_at, str(r.id)))
                content.file_name = _file_name(best.file_name, best.s3_key.rsplit("/", 1)[-1])
                content.created_at = best.uploaded_at
                content.job_posting_id = self._own_job(survey, uid, best.job_posting_id)
            else:
                best_obj = min(
                    content.objects,
                    key=lambda o: (o.last_modified or self._clock(), o.key),
                )
                content.file_name = _file_name(best_obj.name, best_obj.name)
                content.created_at = best_obj.last_modified
                content.job_posting_id = self._own_job(survey, uid, best_obj.folder_job)
            present = survey.present.get((uid, sha))
            if present is None:
                plan.contents_to_migrate += 1
                error = survey.extraction_errors.get((uid, sha))
            else:
                error = present.extraction_error
            if error:
                plan.unreadable_files += 1
                problems.append(
                    Problem(
                        "unreadable_file",
                        uid,
                        f"Its text can't be read ({error}) It is migrated all the same, with "
                        "empty text; analysing it will fail until a readable copy is imported.",
                        key=resume_key(uid, sha, content.extension),
                        file_name=content.file_name,
                    )
                )

        groups: dict[tuple[uuid.UUID, str, uuid.UUID | None], list[_Analysis]] = defaultdict(list)
        for analysis in sorted(survey.analyses, key=lambda a: str(a.id)):
            row = rows_by_id.get(analysis.legacy_resume_id)
            if row is None:
                continue
            plan = user_plan(row.user_id)
            plan.analyses += 1
            target = carried_rows.get(row.id)
            if target is None:
                plan.analyses_not_carried += 1
                continue
            context = analysis.job_posting_id
            if context is not None and self._own_job(survey, row.user_id, context) is None:
                plan.analyses_not_carried += 1
                problems.append(
                    Problem(
                        "unknown_job",
                        row.user_id,
                        f"The analysis is for a job ({context}) this user has no legacy "
                        "posting for, so it can't be carried.",
                        key=row.s3_key,
                        file_name=row.file_name,
                        legacy_resume_id=row.id,
                        legacy_analysis_ids=(analysis.id,),
                    )
                )
                continue
            groups[(target[0], target[1], context)].append(analysis)

        sessions: dict[uuid.UUID, _SessionPlan] = {}
        folded: dict[uuid.UUID, int] = defaultdict(int)
        for (uid, sha, context), group in sorted(
            groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1], str(kv[0][2]))
        ):
            plan = user_plan(uid)
            kept = max(group, key=lambda a: (a.analyzed_at, str(a.id)))
            plan.analyses_folded += len(group) - 1
            folded[uid] += len(group) - 1
            valid = _score(kept.overall) is not None and _score(kept.skill) is not None
            if valid:
                plan.analyses_to_carry += 1
            else:
                plan.analyses_invalid_scores += 1
                row = rows_by_id[kept.legacy_resume_id]
                problems.append(
                    Problem(
                        "invalid_scores",
                        uid,
                        _invalid_reason(kept),
                        key=row.s3_key,
                        file_name=row.file_name,
                        legacy_resume_id=kept.legacy_resume_id,
                        legacy_analysis_ids=(kept.id,),
                    )
                )
            sid = session_id_for(uid, context)
            session = sessions.get(sid)
            if session is None:
                title = survey.jobs[context].title if context is not None else GENERAL_NAME
                session = sessions[sid] = _SessionPlan(sid, uid, context, _session_name(title))
                plan.sessions += 1
            session.kept.append(_Kept(kept, (uid, sha), valid))
        return _Plan(contents, sessions, folded, users, problems)

    @staticmethod
    def _retried_ok(survey: _Survey, problem: Problem) -> bool:
        """A failed copy whose content another object of it brought in after all."""
        if problem.kind != "copy_failed" or problem.key is None:
            return False
        obj = survey.objects.get(problem.key)
        return (
            obj is not None
            and obj.sha256 is not None
            and (obj.user_id, obj.sha256) in survey.present
        )

    def _report(self, mode: str, survey: _Survey, plan: _Plan) -> MigrationReport:
        users = sorted(plan.users.values(), key=lambda u: (u.login_name, str(u.user_id)))
        order = {kind: i for i, kind in enumerate(PROBLEM_KINDS)}
        problems = sorted(
            plan.problems,
            key=lambda p: (order.get(p.kind, 99), str(p.user_id), p.key or "", p.file_name or ""),
        )
        return MigrationReport(
            mode=mode,
            user_scope=survey.scope,
            tables_present=survey.tables_present,
            users=users,
            problems=problems,
        )

    # ----------------------------------------------------------------- apply, after objects
    def _fix_representatives(self, survey: _Survey, plan: _Plan) -> int:
        """Give each resume the migration created its deterministic name, date and upload
        context (the oldest upload wins, ties by legacy id). Resumes the user imported keep
        theirs."""
        mine = {
            present.resume_id: content
            for key, content in plan.contents.items()
            if (present := survey.present.get(key)) is not None and present.created_by_migration
        }
        if not mine:
            return 0
        changed = 0
        with self._sessions() as session:
            for chunk in _chunks(sorted(mine, key=str), 500):
                for row in session.scalars(select(ResumeRow).where(ResumeRow.id.in_(chunk))):
                    content = mine[row.id]
                    wanted = (content.file_name, content.created_at, content.job_posting_id)
                    if (row.file_name, row.created_at, row.job_posting_id) != wanted:
                        row.file_name = content.file_name
                        if content.created_at is not None:
                            row.created_at = content.created_at
                        row.job_posting_id = content.job_posting_id
                        changed += 1
            session.commit()
        return changed

    def _write_sessions(
        self,
        survey: _Survey,
        plan: _Plan,
        progress: Progress,
        cancel: CancelToken | None,
    ) -> tuple[int, int, bool]:
        """One transaction per (user, context): the completed session, its analyses and its
        journal entry, all or nothing. Returns (sessions, analyses written, cancelled)."""
        insert = self._insert()
        sessions_written = analyses_written = 0
        ordered = sorted(plan.sessions.values(), key=lambda s: (str(s.user_id), str(s.id)))
        for done, planned in enumerate(ordered):
            if cancel is not None and cancel.cancelled:
                return sessions_written, analyses_written, True
            progress(done, len(ordered), planned.name)
            rows = []
            for kept in planned.kept:
                present = survey.present.get(kept.content)
                if present is None:
                    continue  # its copy failed: listed in failures, retried by a rerun
                rows.append(
                    self._analysis_row(planned.user_id, present.resume_id, planned.id, kept)
                )
            if not rows:
                continue
            # From every kept analysis, not just those written now: the same on every run.
            times = [kept.analysis.analyzed_at for kept in planned.kept]
            with self._sessions() as session:
                existed = session.get(AnalysisSessionRow, planned.id) is not None
                session.execute(
                    insert(AnalysisSessionRow.__table__)
                    .values(
                        id=planned.id,
                        user_id=planned.user_id,
                        session_name=planned.name,
                        job_posting_id=planned.job_posting_id,
                        status=SessionStatus.COMPLETED.value,
                        analyzer_name=ANALYZER_NAME,
                        analyzer_version=ANALYZER_VERSION,
                        error=None,
                        created_at=min(times),
                        started_at=min(times),
                        finished_at=max(times),
                    )
                    .on_conflict_do_nothing(index_elements=["id"])
                )
                sessions_written += int(not existed)
                stmt = insert(ResumeAnalysisRow.__table__)
                columns = {
                    name: getattr(stmt.excluded, name)
                    for name in (
                        "id",
                        "status",
                        "error",
                        "overall_fit_score",
                        "skill_match_score",
                        "summary",
                        "reasoning",
                        "created_at",
                    )
                }
                # A newer legacy analysis since the last run replaces the kept one; an
                # unchanged one is left alone, so a rerun writes nothing.
                stmt = stmt.on_conflict_do_update(
                    index_elements=["resume_id", "analysis_session_id"],
                    set_=columns,
                    where=(stmt.table.c.id != stmt.excluded.id)
                    & (stmt.table.c.analyzer_name == ANALYZER_NAME),
                )
                before = self._count_rows(session, planned.id)
                session.execute(stmt, rows)
                after = self._count_rows(session, planned.id)
                analyses_written += after - before
                self._journal_in(
                    session,
                    [
                        {
                            "key": f"session:{planned.user_id}:{planned.id}",
                            "state": "written",
                            "detail": json.dumps(
                                {
                                    "analyses": len(rows),
                                    "job_posting_id": _str(planned.job_posting_id),
                                }
                            ),
                            "updated_at": self._clock(),
                        }
                    ],
                )
                session.commit()
        progress(len(ordered), len(ordered), "")
        return sessions_written, analyses_written, False

    @staticmethod
    def _count_rows(session: Session, session_id: uuid.UUID) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(ResumeAnalysisRow)
                .where(ResumeAnalysisRow.analysis_session_id == session_id)
            )
            or 0
        )

    @staticmethod
    def _analysis_row(
        user_id: uuid.UUID, resume_id: uuid.UUID, session_id: uuid.UUID, kept: _Kept
    ) -> dict[str, Any]:
        analysis = kept.analysis
        return {
            "id": analysis_id_for(analysis.id),
            "user_id": user_id,
            "resume_id": resume_id,
            "analysis_session_id": session_id,
            "status": (ResultStatus.OK if kept.valid else ResultStatus.FAILED).value,
            "error": None if kept.valid else _invalid_reason(analysis),
            "overall_fit_score": _score(analysis.overall) if kept.valid else None,
            "skill_match_score": _score(analysis.skill) if kept.valid else None,
            "summary": analysis.summary,
            "reasoning": analysis.reasoning,
            "matched_skills": [],
            "missing_skills": [],
            "analyzer_name": ANALYZER_NAME,
            "analyzer_version": ANALYZER_VERSION,
            "created_at": analysis.analyzed_at,
        }

    # ----------------------------------------------------------------- verify
    def _verify_contents(
        self,
        survey: _Survey,
        plan: _Plan,
        result: VerifyReport,
        cancel: CancelToken | None,
    ) -> None:
        unaccounted: list[str] = []
        shared: dict[uuid.UUID, set[str]] = {}
        for uid in sorted({uid for uid, _ in plan.contents}, key=str):
            shared[uid] = {info.key for info in self._store.list(f"{uid}/resumes/shared/")}
        to_check: list[tuple[_Content, _Present]] = []
        for (uid, sha), content in sorted(plan.contents.items(), key=lambda kv: kv[0][1]):
            present = survey.present.get((uid, sha))
            result.checked_contents += 1
            if present is None:
                for obj in content.objects:
                    unaccounted.append(
                        f"{obj.key}: no resume with its SHA-256 ({sha}) for user {uid}."
                    )
                continue
            if present.s3_resume_key not in shared[uid]:
                unaccounted.append(
                    f"{present.s3_resume_key}: the shared file of resume {present.resume_id} "
                    "is missing."
                )
                continue
            to_check.append((content, present))

        stored_sha = getattr(self._store, "stored_sha256", None)

        def check(item: tuple[_Content, _Present]) -> None:
            content, present = item
            try:
                # The checksum the store recorded (a HEAD on S3), else the bytes hashed again.
                actual = stored_sha(present.s3_resume_key) if stored_sha else None
                if actual is None:
                    actual = self._store.sha256_of(present.s3_resume_key)
            except StorageError as exc:
                failures[present.s3_resume_key] = f"could not be checked ({exc})."
                return
            if actual != content.sha256:
                failures[present.s3_resume_key] = (
                    f"its SHA-256 is {actual}, not {content.sha256} like the legacy file."
                )

        failures: dict[str, str] = {}
        result.cancelled = _run_pool(
            to_check,
            check,
            workers=self._workers,
            progress=no_progress,
            cancel=cancel,
            note=lambda item: item[1].s3_resume_key,
        )
        unaccounted += [f"{key}: {message}" for key, message in sorted(failures.items())]
        for content, present in to_check:
            if present.s3_resume_key in failures:
                continue
            for obj in content.objects:
                if not obj.deleted:
                    assert obj.sha256 is not None
                    result.verified_objects[obj.key] = obj.sha256
                    result.verified_owners[obj.key] = content.user_id
        result.checked_objects = sum(len(c.objects) for c in plan.contents.values())
        for problem in plan.problems:
            if problem.kind in ("read_failed", "copy_failed"):
                unaccounted.append(f"{problem.key}: {problem.message}")
        for uid, login in sorted(survey.users.items(), key=lambda kv: str(kv[0])):
            if login is None:
                unaccounted.append(f"user {uid}: no users row.")
        for job in survey.jobs.values():
            if survey.existing_jobs.get(job.id) is None:
                unaccounted.append(f"job {job.id} ({job.title}): not in job_postings.")
        result.unaccounted.extend(unaccounted)

    def _verify_analyses(self, survey: _Survey, plan: _Plan, result: VerifyReport) -> None:
        expected: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, _Kept]] = {}
        for planned in plan.sessions.values():
            for kept in planned.kept:
                present = survey.present.get(kept.content)
                if present is None:
                    result.unaccounted.append(
                        f"legacy analysis {kept.analysis.id}: its resume was not migrated."
                    )
                    continue
                expected[analysis_id_for(kept.analysis.id)] = (present.resume_id, planned.id, kept)
        session_ids = sorted(plan.sessions, key=str)
        found_sessions: dict[uuid.UUID, str] = {}
        found: dict[uuid.UUID, ResumeAnalysisRow] = {}
        with self._sessions() as session:
            for chunk in _chunks(session_ids, 500):
                found_sessions.update(
                    session.execute(
                        select(AnalysisSessionRow.id, AnalysisSessionRow.status).where(
                            AnalysisSessionRow.id.in_(chunk)
                        )
                    ).all()
                )
                for row in session.scalars(
                    select(ResumeAnalysisRow).where(
                        ResumeAnalysisRow.analysis_session_id.in_(chunk)
                    )
                ):
                    found[row.id] = row
        for sid in session_ids:
            result.checked_sessions += 1
            status = found_sessions.get(sid)
            if status != SessionStatus.COMPLETED.value:
                planned = plan.sessions[sid]
                result.unaccounted.append(
                    f"session {sid} ({planned.name}): "
                    + ("missing." if status is None else f"is {status}, not completed.")
                )
        for aid, (resume_id, sid, kept) in sorted(expected.items(), key=lambda kv: str(kv[0])):
            result.checked_analyses += 1
            row = found.get(aid)
            label = f"legacy analysis {kept.analysis.id}"
            if row is None:
                result.unaccounted.append(f"{label}: not carried.")
                continue
            want_status = (ResultStatus.OK if kept.valid else ResultStatus.FAILED).value
            scores = (_score(kept.analysis.overall), _score(kept.analysis.skill))
            if kept.valid:
                same = row.status == want_status and _close(
                    (row.overall_fit_score, row.skill_match_score), scores
                )
            else:
                same = row.status == want_status and row.overall_fit_score is None
            if not same or row.resume_id != resume_id or row.analysis_session_id != sid:
                result.unaccounted.append(f"{label}: carried with different values.")
        extra = sorted(str(i) for i in found if i not in expected)
        result.unaccounted.extend(
            f"analysis {i}: in a migrated session but not planned." for i in extra
        )
        # Every legacy analysis is carried, folded or reported; the sums must agree.
        for user in plan.users.values():
            accounted = (
                user.analyses_to_carry
                + user.analyses_invalid_scores
                + user.analyses_folded
                + user.analyses_not_carried
            )
            if accounted != user.analyses:
                result.unaccounted.append(
                    f"user {user.user_id}: {user.analyses} legacy analyses but {accounted} "
                    "accounted for."
                )
        result.checked_analyses += sum(plan.folded.values())

    # ----------------------------------------------------------------- delete
    def _drop_tables(self, scope: uuid.UUID | None, report: DeleteReport) -> None:
        with self._sessions() as session:
            present = self._legacy_tables(session)
            if scope is not None:
                if "legacy_analyses" in present and "legacy_resumes" in present:
                    own = select(LEGACY_RESUMES.c.id).where(LEGACY_RESUMES.c.user_id == scope)
                    result = session.execute(
                        delete(LEGACY_ANALYSES).where(LEGACY_ANALYSES.c.legacy_resume_id.in_(own))
                    )
                    report.deleted_rows += max(result.rowcount, 0)
                for table in (LEGACY_RESUMES, LEGACY_JOB_POSTINGS):
                    if table.name in present:
                        result = session.execute(delete(table).where(table.c.user_id == scope))
                        report.deleted_rows += max(result.rowcount, 0)
                session.commit()
                remaining = 0
                for name in present:
                    table = _legacy_metadata.tables[name]
                    remaining += int(session.scalar(select(func.count()).select_from(table)) or 0)
                if remaining:
                    return
            for name in LEGACY_TABLES:
                if name in present:
                    _legacy_metadata.tables[name].drop(session.connection())
                    report.dropped_tables.append(name)
            session.commit()

    # ----------------------------------------------------------------- journal
    def _insert(self) -> Callable[[Any], Any]:
        if self._dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif self._dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - the app supports these two
            raise ServiceError(f"The legacy migration doesn't support {self._dialect}.")
        return insert

    def _journal_in(self, session: Session, entries: Sequence[dict[str, Any]]) -> None:
        insert = self._insert()
        stmt = insert(LegacyMigrationJournalRow.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "state": stmt.excluded.state,
                "detail": stmt.excluded.detail,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        session.execute(stmt, list(entries))

    def _journal_later(self, survey: _Survey, entry: dict[str, Any]) -> None:
        """Buffer an object's hash; written JOURNAL_BATCH at a time. Losing the buffer to a
        crash costs only hashing those objects again, so one transaction per object (the
        bulk of the migration's database work) is not worth it."""
        with survey.lock:
            survey.journal_buffer.append(entry)
            if len(survey.journal_buffer) < JOURNAL_BATCH:
                return
            batch, survey.journal_buffer = survey.journal_buffer, []
        self._journal(*batch)

    def _flush_journal(self, survey: _Survey) -> None:
        with survey.lock:
            batch, survey.journal_buffer = survey.journal_buffer, []
        if batch:
            self._journal(*batch)

    def _journal(self, *entries: dict[str, Any]) -> None:
        with self._sessions() as session:
            self._journal_in(session, entries)
            session.commit()

    def _journal_runs(self, plan: _Plan, state: str, report: MigrationReport) -> None:
        detail = {
            "contents": report.total("distinct_contents"),
            "sessions": report.total("sessions"),
        }
        self._journal_runs_for(list(plan.users), state, detail)

    def _journal_runs_for(
        self, user_ids: Sequence[uuid.UUID], state: str, detail: dict[str, Any]
    ) -> None:
        if not user_ids:
            return
        now = self._clock()
        self._journal(
            *[
                {
                    "key": f"run:{uid}",
                    "state": state,
                    "detail": json.dumps(detail),
                    "updated_at": now,
                }
                for uid in user_ids
            ]
        )


# --------------------------------------------------------------------------------- helpers
@dataclass
class _Counter:
    resumes: int = 0
    copies: int = 0


def _run_pool(
    items: Sequence[T],
    fn: Callable[[T], R],
    *,
    workers: int,
    progress: Progress,
    cancel: CancelToken | None,
    note: Callable[[T], str],
) -> bool:
    """Run ``fn`` over ``items`` on ``workers`` threads with at most twice that many queued.

    Progress is reported from the calling thread only (the GUI bridge expects one thread).
    Cancellation stops queueing new items and waits for the running ones. The first
    unexpected exception stops the queue too and is raised once the running items are done.
    Returns True when cancelled.
    """
    total = len(items)
    if total == 0:
        return bool(cancel is not None and cancel.cancelled)
    iterator: Iterator[T] = iter(items)
    pending: dict[Future[R], T] = {}
    done = 0
    error: BaseException | None = None
    cancelled = False
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="legacy") as pool:

        def fill() -> None:
            nonlocal cancelled
            while len(pending) < workers * 2 and error is None:
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    return
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                pending[pool.submit(fn, item)] = item

        fill()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                item = pending.pop(future)
                exc = future.exception()
                if exc is not None and error is None:
                    error = exc
                done += 1
                progress(done, total, note(item))
            fill()
    if error is not None:
        raise error
    return cancelled


def _chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _keep_min(target: dict[uuid.UUID, datetime], key: uuid.UUID, value: datetime) -> None:
    if key not in target or value < target[key]:
        target[key] = value


def _close(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> bool:
    return all(
        x is not None and y is not None and abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True)
    )


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _analyses(count: int) -> str:
    return "1 analysis" if count == 1 else f"{count} analyses"


def _file_name(name: str | None, fallback: str) -> str:
    """The legacy name as the library shows it: never empty, at most the column's 1024."""
    cleaned = (name or "").strip() or fallback
    return cleaned[:1024]


def _job_title(title: str) -> str:
    cleaned = " ".join(title.split()) or "Untitled job"
    return cleaned[:300]


def _session_name(title: str) -> str:
    """The job's title (or "General") marked as migrated: "Senior Developer (migrated)"."""
    cleaned = " ".join(title.split()) or "Untitled job"
    return cleaned[: 300 - len(MIGRATED_SUFFIX)] + MIGRATED_SUFFIX


__all__ = [
    "ANALYZER_NAME",
    "ANALYZER_VERSION",
    "DEFAULT_WORKERS",
    "LEGACY_ANALYSES",
    "LEGACY_JOB_POSTINGS",
    "LEGACY_RESUMES",
    "LEGACY_TABLES",
    "DeleteReport",
    "LegacyMigrationService",
    "LegacyStatus",
    "MigrationReport",
    "Problem",
    "UserPlan",
    "VerifyReport",
    "analysis_id_for",
    "legacy_login_name",
    "session_id_for",
]
