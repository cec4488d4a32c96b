"""Reading before deciding: the legacy tables, the legacy objects, the journal and what the
app's tables already hold, gathered into one :class:`Survey`.

The object pass (:mod:`.objects`) then fills in each object's SHA-256 and type, and what it
found wrong; :func:`~recur_desktop.services.legacy.plan.build_plan` decides everything from
the survey alone.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recur_desktop.domain import Progress
from recur_desktop.domain.media import UNKNOWN_EXTENSION, UNKNOWN_MEDIA
from recur_desktop.persistence.legacy_tables import (
    LEGACY_ANALYSES,
    LEGACY_JOB_POSTINGS,
    LEGACY_RESUMES,
    LEGACY_TABLES,
    legacy_tables_present,
)
from recur_desktop.persistence.tables import JobPostingRow, ResumeRow, UserRow
from recur_desktop.services.legacy import journal
from recur_desktop.services.legacy.context import Context, chunks
from recur_desktop.services.legacy.records import LegacyStatus, Problem

_KEY = re.compile(
    r"^(?P<user>[0-9A-Fa-f-]{36})/resumes/(?P<folder>general|job_(?P<job>[0-9A-Fa-f-]{36}))/"
    r"(?P<rest>.+)$"
)


def parse_key(key: str) -> tuple[uuid.UUID, uuid.UUID | None, str] | None:
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


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ------------------------------------------------------------------------------------ the data
@dataclass(frozen=True)
class LegacyJob:
    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    description: str


@dataclass(frozen=True)
class LegacyRow:
    """A ``legacy_resumes`` row: one upload of a file, for a job (the upload context) or not."""

    id: uuid.UUID
    user_id: uuid.UUID
    file_name: str
    s3_key: str
    job_posting_id: uuid.UUID | None
    uploaded_at: datetime


@dataclass(frozen=True)
class LegacyAnalysis:
    """A ``legacy_analyses`` row; its context is its own ``job_posting_id`` (NULL = general)."""

    id: uuid.UUID
    legacy_resume_id: uuid.UUID
    job_posting_id: uuid.UUID | None
    overall: Decimal | float | None
    skill: Decimal | float | None
    summary: str | None
    reasoning: str | None
    analyzed_at: datetime


@dataclass
class LegacyObject:
    """A legacy object in the store (or one an earlier ``--delete-legacy`` removed).

    ``sha256``, ``extension`` and ``media_type`` are filled by the object pass; ``sha256``
    stays None when the object could not be read.
    """

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

    def journal_detail(self) -> dict[str, Any]:
        """What the journal keeps of the object (read back by :func:`read_survey`)."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "ext": self.extension,
            "media_type": self.media_type,
            "last_modified": iso(self.last_modified),
            "user_id": str(self.user_id),
        }


@dataclass
class PresentResume:
    """A resume already in the library for (user, sha256)."""

    resume_id: uuid.UUID
    created_by_migration: bool
    extraction_error: str | None
    s3_resume_key: str


@dataclass
class Survey:
    """Everything read before deciding anything.

    ``taken_at`` is the clock's value when the survey was read: the plan uses it (and no
    clock) as the date of an object whose date is unknown.
    """

    taken_at: datetime
    scope: uuid.UUID | None = None
    tables_present: bool = True
    jobs: dict[uuid.UUID, LegacyJob] = field(default_factory=dict)
    rows: list[LegacyRow] = field(default_factory=list)
    analyses: list[LegacyAnalysis] = field(default_factory=list)
    objects: dict[str, LegacyObject] = field(default_factory=dict)
    #: Every user seen in the legacy data -> their login name, None without a ``users`` row.
    users: dict[uuid.UUID, str | None] = field(default_factory=dict)
    #: ``job_postings`` id -> owner, for the legacy job ids already there.
    existing_jobs: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    journal_objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    present: dict[tuple[uuid.UUID, str], PresentResume] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: (user, sha256) -> why its text can't be read (None: it can); from a dry run's pass.
    extraction_errors: dict[tuple[uuid.UUID, str], str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Contents an object task is creating (or reading) right now: one task per content.
    claimed: set[tuple[uuid.UUID, str]] = field(default_factory=set)

    _rows_by_key: dict[str, list[LegacyRow]] | None = None

    def add_problem(self, problem: Problem) -> None:
        with self.lock:
            self.problems.append(problem)

    def rows_by_key(self) -> dict[str, list[LegacyRow]]:
        with self.lock:
            if self._rows_by_key is None:
                grouped: dict[str, list[LegacyRow]] = defaultdict(list)
                for row in self.rows:
                    grouped[row.s3_key].append(row)
                self._rows_by_key = dict(grouped)
            return self._rows_by_key


# ------------------------------------------------------------------------------------ reading
def read_survey(ctx: Context, scope: uuid.UUID | None, progress: Progress) -> Survey:
    """Read the legacy tables, list the legacy objects, and what the journal and the app's
    tables already know about them; ``scope`` limits all of it to one user."""
    progress(0, -1, "Reading the legacy tables")
    taken_at = ctx.clock()
    with ctx.sessions() as session:
        present = legacy_tables_present(session.connection())
        jobs, rows, analyses = _read_tables(session, present, scope)
        journal_objects = journal.read_objects(session, scope)
    progress(0, -1, "Listing the legacy files")
    objects: dict[str, LegacyObject] = {}
    prefix = f"{scope}/resumes/" if scope is not None else ""
    for info in ctx.store.list(prefix):
        parsed = parse_key(info.key)
        if parsed is None:
            continue
        user_id, folder_job, name = parsed
        objects[info.key] = LegacyObject(
            info.key, user_id, folder_job, name, info.size, info.last_modified
        )
    # Objects an earlier --delete-legacy removed still count while a row names them: the
    # journal kept their hash, so the row's analyses stay accounted for.
    named = {row.s3_key for row in rows}
    for key, entry in journal_objects.items():
        if key in objects or entry["state"] != "deleted" or key not in named:
            continue
        parsed = parse_key(key)
        if parsed is None:
            continue
        user_id, folder_job, name = parsed
        obj = LegacyObject(key, user_id, folder_job, name, int(entry.get("size", 0)), None)
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
    with ctx.sessions() as session:
        users: dict[uuid.UUID, str | None] = dict.fromkeys(user_ids)
        for chunk in chunks(sorted(user_ids), 500):
            for uid, login in session.execute(
                select(UserRow.id, UserRow.login_name).where(UserRow.id.in_(chunk))
            ):
                users[uid] = login
        existing_jobs: dict[uuid.UUID, uuid.UUID] = {}
        for chunk in chunks(sorted(jobs), 500):
            for jid, owner in session.execute(
                select(JobPostingRow.id, JobPostingRow.user_id).where(JobPostingRow.id.in_(chunk))
            ):
                existing_jobs[jid] = owner
        present_resumes = read_present(session, user_ids)
    return Survey(
        taken_at=taken_at,
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


def _read_tables(
    session: Session, present: set[str], scope: uuid.UUID | None
) -> tuple[dict[uuid.UUID, LegacyJob], list[LegacyRow], list[LegacyAnalysis]]:
    jobs: dict[uuid.UUID, LegacyJob] = {}
    rows: list[LegacyRow] = []
    analyses: list[LegacyAnalysis] = []
    if "legacy_job_postings" in present:
        stmt = select(LEGACY_JOB_POSTINGS)
        if scope is not None:
            stmt = stmt.where(LEGACY_JOB_POSTINGS.c.user_id == scope)
        for r in session.execute(stmt):
            jobs[r.id] = LegacyJob(r.id, r.user_id, r.title or "", r.description or "")
    if "legacy_resumes" in present:
        stmt = select(LEGACY_RESUMES)
        if scope is not None:
            stmt = stmt.where(LEGACY_RESUMES.c.user_id == scope)
        rows = [
            LegacyRow(r.id, r.user_id, r.file_name, r.s3_key, r.job_posting_id, r.uploaded_at)
            for r in session.execute(stmt)
        ]
        if "legacy_analyses" in present:
            a = LEGACY_ANALYSES
            stmt = select(a).join(LEGACY_RESUMES, LEGACY_RESUMES.c.id == a.c.legacy_resume_id)
            if scope is not None:
                stmt = stmt.where(LEGACY_RESUMES.c.user_id == scope)
            analyses = [
                LegacyAnalysis(
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
    return jobs, rows, analyses


def read_present(
    session: Session, user_ids: Iterable[uuid.UUID]
) -> dict[tuple[uuid.UUID, str], PresentResume]:
    """The users' resumes already in the library, by (user, sha256), and which of them the
    migration created (the journal says)."""
    present: dict[tuple[uuid.UUID, str], PresentResume] = {}
    for uid in sorted(user_ids):
        created = journal.created_contents(session, uid)
        for rid, sha, error, key in session.execute(
            select(
                ResumeRow.id,
                ResumeRow.content_sha256,
                ResumeRow.extraction_error,
                ResumeRow.s3_resume_key,
            ).where(ResumeRow.user_id == uid)
        ):
            present[(uid, sha)] = PresentResume(rid, sha in created, error, key)
    return present


def read_status(ctx: Context, user_id: uuid.UUID) -> LegacyStatus:
    """Legacy rows or objects of the user, and the user's last finished run: a few cheap
    queries and at most two short listings."""
    has_rows = False
    with ctx.sessions() as session:
        present = legacy_tables_present(session.connection())
        if "legacy_resumes" in present:
            has_rows = (
                session.scalar(
                    select(LEGACY_RESUMES.c.id).where(LEGACY_RESUMES.c.user_id == user_id).limit(1)
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
        last_run = journal.last_run(session, user_id)
    has_objects = False
    if not has_rows:
        for folder in ("general/", "job_"):
            listing = ctx.store.list(f"{user_id}/resumes/{folder}")
            if next(iter(listing), None) is not None:
                has_objects = True
                break
    return LegacyStatus(has_legacy_data=has_rows or has_objects, last_run=last_run)
