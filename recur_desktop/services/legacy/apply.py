"""Writing: users and jobs, one resume per new content (the object copied first, then the row
with its journal entry), the representative names, and one transaction per session.

Every write is idempotent: users and jobs keep their ids and are inserted ``ON CONFLICT DO
NOTHING``; a content's resume is guarded by ``UNIQUE(user_id, content_sha256)``; sessions and
analyses by their deterministic ids and ``UNIQUE(resume_id, analysis_session_id)``. A rerun
after ``kill -9`` at any point converges and duplicates nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recur_desktop.domain import CancelToken, Progress, ResultStatus, SessionStatus
from recur_desktop.persistence.ports import ResumeValues, UnitOfWork
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
    UserRow,
)
from recur_desktop.services.errors import Conflict
from recur_desktop.services.legacy import journal
from recur_desktop.services.legacy.context import Context, chunks
from recur_desktop.services.legacy.plan import (
    KeptAnalysis,
    Plan,
    file_name,
    invalid_reason,
    job_title,
    own_job,
    score,
    upload_rank,
)
from recur_desktop.services.legacy.records import (
    ANALYZER_NAME,
    ANALYZER_VERSION,
    MigrationReport,
    analysis_id_for,
    legacy_login_name,
)
from recur_desktop.services.legacy.survey import LegacyObject, PresentResume, Survey, read_present
from recur_desktop.services.storing import store_resume
from recur_desktop.storage import resume_key

Candidate = tuple[str | None, str | None, str | None]
"""Candidate name, e-mail and phone found in a resume's text."""


@dataclass
class Created:
    """What the object pass of one ``apply`` created (counted under the survey's lock)."""

    resumes: int = 0
    copies: int = 0


# ------------------------------------------------------------------------------------ users, jobs
def ensure_users_and_jobs(ctx: Context, survey: Survey) -> tuple[int, int]:
    """Users keep their ids (a ``legacy-<id>`` login when the row is missing); jobs keep
    their ids. Both inserted ON CONFLICT DO NOTHING, in one transaction. Returns the number
    of users and jobs created."""
    insert = ctx.insert()
    now = ctx.clock()
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
    new_jobs: list[dict[str, Any]] = [
        {
            "id": job.id,
            "user_id": job.user_id,
            "title": job_title(job.title),
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
    with ctx.sessions() as session:
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


def _keep_min(target: dict[uuid.UUID, datetime], key: uuid.UUID, value: datetime) -> None:
    if key not in target or value < target[key]:
        target[key] = value


# ------------------------------------------------------------------------------------ contents
def create_content(
    ctx: Context,
    survey: Survey,
    obj: LegacyObject,
    text: str,
    extraction_error: str | None,
    candidate: Candidate,
    created: Created,
    batch: journal.JournalBatch,
) -> None:
    """Copy the object to its shared key, then commit the resume row with its journal
    entries (:func:`~recur_desktop.services.storing.store_resume`, the write order of every
    resume). The name, date and upload context are provisional (the best this object
    knows); :func:`fix_representatives` settles them once every object is hashed."""
    assert obj.sha256 is not None
    key = resume_key(obj.user_id, obj.sha256, obj.extension)
    name, created_at, job_id = _provisional(ctx, survey, obj)
    values = ResumeValues(
        user_id=obj.user_id,
        file_name=name,
        s3_resume_key=key,
        content_sha256=obj.sha256,
        size_bytes=obj.size,
        media_type=obj.media_type,
        job_posting_id=job_id,
        text_content=text,
        candidate_name=candidate[0],
        candidate_email=candidate[1],
        candidate_phone=candidate[2],
        created_at=created_at,
        extraction_error=extraction_error,
    )
    content_entry = journal.content_entry(obj.user_id, obj.sha256, values.id, obj.key, ctx.clock())

    def journaled(work: UnitOfWork) -> None:
        work.legacy_journal.upsert(
            [content_entry, journal.object_entry(obj.key, obj.journal_detail(), ctx.clock())]
        )

    try:
        stored = store_resume(ctx.uow, ctx.store, values, copy_from=obj.key, also=journaled)
    except Conflict:
        # Another migrator (or an import) stored the same bytes first: one row.
        batch.add(journal.object_entry(obj.key, obj.journal_detail(), ctx.clock()))
        with ctx.sessions() as session:
            existing = read_present(session, [obj.user_id])
        with survey.lock:
            survey.present.update(existing)
        return
    with survey.lock:
        survey.present[(obj.user_id, obj.sha256)] = PresentResume(
            values.id, True, extraction_error, key
        )
        created.resumes += 1
        created.copies += int(stored.object_written)


def _provisional(
    ctx: Context, survey: Survey, obj: LegacyObject
) -> tuple[str, datetime, uuid.UUID | None]:
    rows = [r for r in survey.rows_by_key().get(obj.key, ()) if r.user_id == obj.user_id]
    if rows:
        best = min(rows, key=upload_rank)
        return (
            file_name(best.file_name, obj.name),
            best.uploaded_at,
            own_job(survey, obj.user_id, best.job_posting_id),
        )
    return (
        file_name(obj.name, obj.name),
        obj.last_modified or ctx.clock(),
        own_job(survey, obj.user_id, obj.folder_job),
    )


def fix_representatives(ctx: Context, survey: Survey, plan: Plan) -> int:
    """Give each resume the migration created its deterministic name, date and upload
    context (the oldest upload wins, ties by legacy id). Resumes the user imported keep
    theirs. Returns how many changed."""
    mine = {
        present.resume_id: content
        for key, content in plan.contents.items()
        if (present := survey.present.get(key)) is not None and present.created_by_migration
    }
    if not mine:
        return 0
    changed = 0
    with ctx.sessions() as session:
        for chunk in chunks(sorted(mine, key=str), 500):
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


# ------------------------------------------------------------------------------------ sessions
def write_sessions(
    ctx: Context,
    survey: Survey,
    plan: Plan,
    progress: Progress,
    cancel: CancelToken | None,
) -> tuple[int, int, bool]:
    """One transaction per (user, context): the completed session, its analyses and its
    journal entry, all or nothing. Returns (sessions, analyses written, cancelled)."""
    insert = ctx.insert()
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
            rows.append(analysis_row(planned.user_id, present.resume_id, planned.id, kept))
        if not rows:
            continue
        # From every kept analysis, not just those written now: the same on every run.
        times = [kept.analysis.analyzed_at for kept in planned.kept]
        with ctx.sessions() as session:
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
            before = _count_rows(session, planned.id)
            session.execute(stmt, rows)
            after = _count_rows(session, planned.id)
            analyses_written += after - before
            journal.write_in(
                ctx,
                session,
                [
                    journal.session_entry(
                        planned.user_id,
                        planned.id,
                        len(rows),
                        planned.job_posting_id,
                        ctx.clock(),
                    )
                ],
            )
            session.commit()
    progress(len(ordered), len(ordered), "")
    return sessions_written, analyses_written, False


def _count_rows(session: Session, session_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ResumeAnalysisRow)
            .where(ResumeAnalysisRow.analysis_session_id == session_id)
        )
        or 0
    )


def analysis_row(
    user_id: uuid.UUID, resume_id: uuid.UUID, session_id: uuid.UUID, kept: KeptAnalysis
) -> dict[str, Any]:
    """The ``resume_analyses`` row of a kept legacy analysis: ``failed`` with the reason and
    no scores when its scores are not valid (never a guessed number)."""
    analysis = kept.analysis
    return {
        "id": analysis_id_for(analysis.id),
        "user_id": user_id,
        "resume_id": resume_id,
        "analysis_session_id": session_id,
        "status": (ResultStatus.OK if kept.valid else ResultStatus.FAILED).value,
        "error": None if kept.valid else invalid_reason(analysis),
        "overall_fit_score": score(analysis.overall) if kept.valid else None,
        "skill_match_score": score(analysis.skill) if kept.valid else None,
        "summary": analysis.summary,
        "reasoning": analysis.reasoning,
        "matched_skills": [],
        "missing_skills": [],
        "analyzer_name": ANALYZER_NAME,
        "analyzer_version": ANALYZER_VERSION,
        "created_at": analysis.analyzed_at,
    }


def journal_applied(ctx: Context, user_ids: Sequence[uuid.UUID], report: MigrationReport) -> None:
    """``run:{user}`` = ``applied`` once an apply finished without failures."""
    detail = {
        "contents": report.total("distinct_contents"),
        "sessions": report.total("sessions"),
    }
    journal.write_runs(ctx, list(user_ids), "applied", detail)
