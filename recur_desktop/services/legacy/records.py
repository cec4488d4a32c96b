"""What the legacy migration reports, and the names and ids it settles on for every run."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

ANALYZER_NAME = "legacy"
ANALYZER_VERSION = "1"
MIGRATED_SUFFIX = " (migrated)"
GENERAL_NAME = "General"
DEFAULT_WORKERS = 8
MAX_WORKERS = 32

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


def session_id_for(user_id: uuid.UUID, job_posting_id: uuid.UUID | None) -> uuid.UUID:
    """The one migrated session of a user and context; the same on every run."""
    return uuid.uuid5(ID_NAMESPACE, f"session:{user_id}:{job_posting_id or 'general'}")


def analysis_id_for(legacy_analysis_id: uuid.UUID) -> uuid.UUID:
    """The ``resume_analyses`` id a kept legacy analysis becomes; the same on every run."""
    return uuid.uuid5(ID_NAMESPACE, f"analysis:{legacy_analysis_id}")


def legacy_login_name(user_id: uuid.UUID) -> str:
    """Login name of a user row the migration has to create (the old system shared the ids)."""
    return f"legacy-{user_id}"


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
