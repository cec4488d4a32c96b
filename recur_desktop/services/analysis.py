"""Analysis sessions, availability and the per-resume history.

Availability follows the design document: a resume is available for a context (a job, or
general) unless it has an ``ok`` analysis in a ``completed`` session of the same owner for that
same context. Failed or cancelled analyses leave it available.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select, true, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased, defer, sessionmaker

from recur_desktop.analysis import AnalysisError, Analyzer
from recur_desktop.domain import (
    AnalysisOutcome,
    AnalysisResult,
    CancelToken,
    HistoryItem,
    JobPosting,
    Page,
    Progress,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
    no_progress,
)
from recur_desktop.persistence.queries import live_resume_count
from recur_desktop.persistence.records import job_record, resume_record, session_record
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
    utcnow,
)
from recur_desktop.services.errors import InvalidInput, NotFound, ServiceError
from recur_desktop.services.jobs import ensure_open
from recur_desktop.services.library import check_paging

log = logging.getLogger(__name__)

INTERRUPTED = "Interrupted: the app stopped before this session finished."
#: Below this share of available resumes, the page filters a hashed set of analysed ids instead
#: of probing each candidate (which would walk most of the library to fill a page).
SPARSE_SHARE = 0.10
#: A session on another machine that has not made progress for this long is taken as crashed.
STALE_AFTER = timedelta(minutes=15)
#: How a default session name ends ("Backend analysis 2026-01-15 09:30", in UTC).
DEFAULT_NAME_STAMP = "%Y-%m-%d %H:%M"
_DEFAULT_NAME_TAIL = re.compile(r" analysis \d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def plain_session_name(name: str) -> str:
    """A session's name without the UTC date stamp a default name ends with, for places that
    show the result's own (local) date beside it: the date once, and never in two time zones.
    Names the recruiter typed are returned as they are."""
    if _DEFAULT_NAME_TAIL.search(name):
        return _DEFAULT_NAME_TAIL.sub(" analysis", name)
    return name


def _this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class AnalysisRun:
    session: SessionRecord
    outcomes: list[AnalysisOutcome]


class AnalysisService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        analyzer: Analyzer,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._analyzer = analyzer
        self.owner_id = owner_id
        self._clock = clock

    # ----------------------------------------------------------------- availability
    def _analyzed_for(self, job_id: uuid.UUID | None, resume_id: ColumnElement[uuid.UUID]):
        """EXISTS: an ok result of a completed session of this owner for this context."""
        result = aliased(ResumeAnalysisRow)
        run = aliased(AnalysisSessionRow)
        context = run.job_posting_id.is_(None) if job_id is None else run.job_posting_id == job_id
        return exists(
            select(1)
            .select_from(result)
            .join(run, run.id == result.analysis_session_id)
            .where(
                result.resume_id == resume_id,
                result.status == ResultStatus.OK.value,
                run.status == SessionStatus.COMPLETED.value,
                run.user_id == self.owner_id,
                context,
            )
        )

    def _live(self):
        return (ResumeRow.user_id == self.owner_id, ResumeRow.deleted_at.is_(None))

    def _analyzed_ids(self, job_id: uuid.UUID | None):
        """Ids of resumes with an ok result in a completed session of this owner's context."""
        result, run = aliased(ResumeAnalysisRow), aliased(AnalysisSessionRow)
        context = run.job_posting_id.is_(None) if job_id is None else run.job_posting_id == job_id
        return (
            select(result.resume_id)
            .select_from(run)
            .join(result, result.analysis_session_id == run.id)
            .where(
                run.user_id == self.owner_id,
                run.status == SessionStatus.COMPLETED.value,
                context,
                result.status == ResultStatus.OK.value,
            )
        )

    def available(
        self, job_id: uuid.UUID | None, *, limit: int = 50, offset: int = 0
    ) -> Page[ResumeRecord]:
        """Resumes not yet analysed for the context, newest first, with the total.

        The total comes first, as live resumes minus the distinct live ones analysed for the
        context (both read from indexes). When few resumes are left, the page filters a hashed
        set of analysed ids; otherwise it probes each candidate with NOT EXISTS and stops at the
        page's end. Either way the rule is the same anti-join.
        """
        check_paging(limit, offset)
        analyzed = self._analyzed_ids(job_id).subquery()
        trashed = select(ResumeRow.id).where(
            ResumeRow.user_id == self.owner_id, ResumeRow.deleted_at.is_not(None)
        )
        # The job check rides along with the two counts: one round trip instead of two.
        job_known = (
            exists(
                select(JobPostingRow.id).where(
                    JobPostingRow.id == job_id, JobPostingRow.user_id == self.owner_id
                )
            )
            if job_id is not None
            else true()
        )
        with self._sessions() as session:
            known, live_count, analyzed_live = session.execute(
                select(
                    job_known,
                    live_resume_count(self.owner_id),
                    select(func.count(func.distinct(analyzed.c.resume_id)))
                    .where(analyzed.c.resume_id.not_in(trashed))
                    .scalar_subquery(),
                )
            ).one()
            if not known:
                raise NotFound(f"No job posting with id {job_id}.")
            total = int(live_count or 0) - int(analyzed_live or 0)
            if total <= offset:
                return Page(total=total, items=[])
            page = select(ResumeRow).options(defer(ResumeRow.text_content)).where(*self._live())
            if total < SPARSE_SHARE * live_count:
                page = page.where(ResumeRow.id.not_in(select(analyzed.c.resume_id)))
            else:
                page = page.where(~self._analyzed_for(job_id, ResumeRow.id))
            rows = session.scalars(
                page.order_by(ResumeRow.created_at.desc(), ResumeRow.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            return Page(total=total, items=[resume_record(row) for row in rows])

    # ----------------------------------------------------------------- sessions
    def _job(self, job_id: uuid.UUID) -> JobPosting:
        with self._sessions() as session:
            return job_record(self._owned_job(session, job_id))

    def _owned_job(self, session: Session, job_id: uuid.UUID) -> JobPostingRow:
        row = session.scalar(
            select(JobPostingRow).where(
                JobPostingRow.id == job_id, JobPostingRow.user_id == self.owner_id
            )
        )
        if row is None:
            raise NotFound(f"No job posting with id {job_id}.")
        return row

    def analyze(
        self,
        job_id: uuid.UUID | None,
        *,
        resume_ids: Sequence[uuid.UUID] | None = None,
        include_analyzed: bool = False,
        name: str | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> AnalysisRun:
        """Run one session over the chosen resumes (default: all available for the context).

        Each resume gets one row: its scores, or ``failed`` with the reason. A cancelled session
        keeps what it finished. Returns the session even when it failed; raises only for bad
        requests (unknown ids, nothing to analyse).
        """
        # A closed job gets no new scores, whoever asks (the window, the command line).
        job = ensure_open(self._job(job_id)) if job_id is not None else None
        targets = self._targets(job_id, resume_ids, include_analyzed, job)
        session_name = (name or "").strip() or self._default_name(job)
        row = AnalysisSessionRow(
            user_id=self.owner_id,
            session_name=session_name[:300],
            job_posting_id=job_id,
            status=SessionStatus.RUNNING.value,
            analyzer_name=self._analyzer.name,
            analyzer_version=self._analyzer.version,
            created_at=self._clock(),
            started_at=self._clock(),
            heartbeat_at=self._clock(),
            runner=_this_runner(),
        )
        with self._sessions() as session:
            session.add(row)
            session.commit()
        try:
            self._analyzer.check_job(job)
        except AnalysisError as exc:
            return AnalysisRun(self._finish(row.id, SessionStatus.FAILED, str(exc)), [])

        outcomes: list[AnalysisOutcome] = []
        status = SessionStatus.COMPLETED
        error: str | None = None
        try:
            for done, (resume_id, file_name) in enumerate(targets):
                progress(done, len(targets), file_name)
                if cancel is not None and cancel.cancelled:
                    status = SessionStatus.CANCELLED
                    break
                outcomes.append(self._analyze_one(row.id, resume_id, job))
            progress(len(outcomes), len(targets), "")
        except SQLAlchemyError as exc:
            log.exception("analysis session %s stopped by a database error", row.id)
            status, error = (
                SessionStatus.FAILED,
                f"The library database stopped answering ({exc.__class__.__name__}).",
            )
        try:
            record = self._finish(row.id, status, error)
        except SQLAlchemyError as exc:
            raise ServiceError(
                "The analysis ran but its end could not be recorded: the library database "
                "didn't answer. It will be marked interrupted next time the app starts."
            ) from exc
        return AnalysisRun(record, outcomes)

    def _default_name(self, job: JobPosting | None) -> str:
        stamp = self._clock().strftime(DEFAULT_NAME_STAMP)
        return f"{job.title if job else 'General'} analysis {stamp}"

    def _targets(
        self,
        job_id: uuid.UUID | None,
        resume_ids: Sequence[uuid.UUID] | None,
        include_analyzed: bool,
        job: JobPosting | None,
    ) -> list[tuple[uuid.UUID, str]]:
        context = f"“{job.title}”" if job else "general analysis"
        with self._sessions() as session:
            if resume_ids:
                wanted = list(dict.fromkeys(resume_ids))
                rows = {
                    r.id: r
                    for r in session.scalars(
                        select(ResumeRow).where(*self._live(), ResumeRow.id.in_(wanted))
                    )
                }
                unknown = [str(i) for i in wanted if i not in rows]
                if unknown:
                    raise NotFound(f"No resume in your library with id {', '.join(unknown)}.")
                if not include_analyzed:
                    done = set(
                        session.scalars(
                            select(ResumeRow.id).where(
                                ResumeRow.id.in_(wanted), self._analyzed_for(job_id, ResumeRow.id)
                            )
                        )
                    )
                    if done:
                        raise InvalidInput(
                            f"{len(done)} of the chosen resumes were already analysed for "
                            f"{context}. Use --include-analyzed (Re-analyze) to score them again."
                        )
                return [(i, rows[i].file_name) for i in wanted]
            stmt = select(ResumeRow.id, ResumeRow.file_name).where(*self._live())
            if not include_analyzed:
                stmt = stmt.where(~self._analyzed_for(job_id, ResumeRow.id))
            targets = [
                (rid, fname)
                for rid, fname in session.execute(
                    stmt.order_by(ResumeRow.created_at.desc(), ResumeRow.id.desc())
                )
            ]
        if not targets:
            raise InvalidInput(
                f"Nothing to analyse: no resume in your library is waiting for {context}."
            )
        return targets

    def _analyze_one(
        self, session_id: uuid.UUID, resume_id: uuid.UUID, job: JobPosting | None
    ) -> AnalysisOutcome:
        with self._sessions() as session:
            text = session.scalar(select(ResumeRow.text_content).where(ResumeRow.id == resume_id))
        result: AnalysisResult | None = None
        error: str | None = None
        # The analyzer that produced the row: the session's, unless the result names another
        # (an LLM analyzer that fell back to the built-in one), which is stored with the reason.
        name, version, reason = self._analyzer.name, self._analyzer.version, None
        try:
            result = self._analyzer.analyze(text or "", job)
            if result.analyzer_name:
                name = result.analyzer_name
                version = result.analyzer_version or ""
                reason = result.fallback_reason
            _check_result(result)
        except AnalysisError as exc:
            result, error = None, str(exc)
        except Exception as exc:  # an analyzer bug must not take the session down
            log.exception("analyzer %s failed on resume %s", self._analyzer.name, resume_id)
            result, error = (
                None,
                f"The analyzer hit an unexpected problem ({exc.__class__.__name__}).",
            )
        now = self._clock()
        row = ResumeAnalysisRow(
            user_id=self.owner_id,
            resume_id=resume_id,
            analysis_session_id=session_id,
            status=(ResultStatus.OK if result else ResultStatus.FAILED).value,
            error=error,
            overall_fit_score=result.overall_fit_score if result else None,
            skill_match_score=result.skill_match_score if result else None,
            summary=result.summary if result else None,
            reasoning=result.reasoning if result else None,
            matched_skills=list(result.matched_skills) if result else [],
            missing_skills=list(result.missing_skills) if result else [],
            analyzer_name=name[:100],
            analyzer_version=version[:50],
            fallback_reason=reason,
            created_at=now,
        )
        with self._sessions() as session:
            session.add(row)
            session.execute(
                update(AnalysisSessionRow)
                .where(AnalysisSessionRow.id == session_id)
                .values(heartbeat_at=now)
            )
            session.commit()
        return _outcome(row)

    def _finish(
        self, session_id: uuid.UUID, status: SessionStatus, error: str | None
    ) -> SessionRecord:
        with self._sessions() as session:
            row = session.get(AnalysisSessionRow, session_id)
            assert row is not None
            row.status = status.value
            row.error = error
            row.finished_at = self._clock()
            session.commit()
            record = session_record(row, self._result_count(session, session_id))
            return self._with_analyzers(session, [record])[0]

    @staticmethod
    def _with_analyzers(session: Session, records: list[SessionRecord]) -> list[SessionRecord]:
        """The records with the analyzers that produced their results, first used first: one
        query for the whole list."""
        if not records:
            return records
        ids = [r.id for r in records]
        used: dict[uuid.UUID, list[str]] = {}
        # Chunks keep the IN list under SQLite's parameter limit for long session lists.
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(
                    ResumeAnalysisRow.analysis_session_id,
                    ResumeAnalysisRow.analyzer_name,
                    ResumeAnalysisRow.analyzer_version,
                )
                .where(ResumeAnalysisRow.analysis_session_id.in_(ids[start : start + 500]))
                .group_by(
                    ResumeAnalysisRow.analysis_session_id,
                    ResumeAnalysisRow.analyzer_name,
                    ResumeAnalysisRow.analyzer_version,
                )
                .order_by(
                    ResumeAnalysisRow.analysis_session_id,
                    func.min(ResumeAnalysisRow.created_at),
                    ResumeAnalysisRow.analyzer_name,
                )
            )
            for session_id, name, version in rows:
                used.setdefault(session_id, []).append(f"{name} {version}")
        return [replace(r, analyzers=tuple(used.get(r.id, ()))) for r in records]

    @staticmethod
    def _result_count(session: Session, session_id: uuid.UUID) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(ResumeAnalysisRow)
                .where(ResumeAnalysisRow.analysis_session_id == session_id)
            )
            or 0
        )

    def recover_interrupted(self) -> int:
        """Mark sessions orphaned by a crashed process ``failed``; returns how many.

        A session of this machine whose process is gone is orphaned at once; one of another
        machine only after STALE_AFTER without progress (it may still be running there).
        """
        host = socket.gethostname()
        stale_before = self._clock() - STALE_AFTER
        orphaned: list[uuid.UUID] = []
        with self._sessions() as session:
            running = session.execute(
                select(
                    AnalysisSessionRow.id,
                    AnalysisSessionRow.runner,
                    AnalysisSessionRow.heartbeat_at,
                ).where(
                    AnalysisSessionRow.user_id == self.owner_id,
                    AnalysisSessionRow.status.in_(
                        [SessionStatus.RUNNING.value, SessionStatus.PENDING.value]
                    ),
                )
            ).all()
            for session_id, runner, heartbeat in running:
                runner_host, _, pid = (runner or "").rpartition(":")
                if runner_host == host and pid.isdigit():
                    if int(pid) == os.getpid() or _pid_alive(int(pid)):
                        continue
                elif heartbeat is not None and heartbeat > stale_before:
                    continue
                orphaned.append(session_id)
            if orphaned:
                session.execute(
                    update(AnalysisSessionRow)
                    .where(AnalysisSessionRow.id.in_(orphaned))
                    .values(
                        status=SessionStatus.FAILED.value,
                        error=INTERRUPTED,
                        finished_at=self._clock(),
                    )
                )
                session.commit()
        return len(orphaned)

    def sessions(
        self, *, job_id: uuid.UUID | None = None, general: bool = False
    ) -> list[SessionRecord]:
        """Sessions newest first: all, those of one job, or the general ones."""
        count = (
            select(func.count(ResumeAnalysisRow.id))
            .where(ResumeAnalysisRow.analysis_session_id == AnalysisSessionRow.id)
            .correlate(AnalysisSessionRow)
            .scalar_subquery()
        )
        stmt = select(AnalysisSessionRow, count).where(AnalysisSessionRow.user_id == self.owner_id)
        if job_id is not None:
            self._job(job_id)
            stmt = stmt.where(AnalysisSessionRow.job_posting_id == job_id)
        elif general:
            stmt = stmt.where(AnalysisSessionRow.job_posting_id.is_(None))
        stmt = stmt.order_by(AnalysisSessionRow.created_at.desc(), AnalysisSessionRow.id.desc())
        with self._sessions() as session:
            records = [session_record(row, n) for row, n in session.execute(stmt)]
            return self._with_analyzers(session, records)

    def results(self, session_id: uuid.UUID) -> tuple[SessionRecord, list[AnalysisOutcome]]:
        """A session and its results, best overall fit first (failed ones last)."""
        with self._sessions() as session:
            row = session.scalar(
                select(AnalysisSessionRow).where(
                    AnalysisSessionRow.id == session_id,
                    AnalysisSessionRow.user_id == self.owner_id,
                )
            )
            if row is None:
                raise NotFound(f"No analysis session with id {session_id}.")
            results = session.execute(
                select(ResumeAnalysisRow, ResumeRow.file_name, ResumeRow.candidate_name)
                .join(ResumeRow, ResumeRow.id == ResumeAnalysisRow.resume_id)
                .where(ResumeAnalysisRow.analysis_session_id == session_id)
                .order_by(
                    ResumeAnalysisRow.overall_fit_score.desc().nulls_last(),
                    ResumeAnalysisRow.created_at,
                )
            ).all()
            record = self._with_analyzers(session, [session_record(row, len(results))])[0]
            return record, [
                _outcome(r, file_name=name, candidate_name=candidate)
                for r, name, candidate in results
            ]

    # ----------------------------------------------------------------- history
    def history(self, resume_id: uuid.UUID) -> tuple[ResumeRecord, list[HistoryItem]]:
        """Every analysis of a resume, newest first, across all its jobs and general runs."""
        with self._sessions() as session:
            resume = session.scalar(
                select(ResumeRow).where(
                    ResumeRow.id == resume_id, ResumeRow.user_id == self.owner_id
                )
            )
            if resume is None:
                raise NotFound(f"No resume with id {resume_id} in your library.")
            rows = session.execute(
                select(ResumeAnalysisRow, AnalysisSessionRow, JobPostingRow.title)
                .join(
                    AnalysisSessionRow,
                    AnalysisSessionRow.id == ResumeAnalysisRow.analysis_session_id,
                )
                .outerjoin(JobPostingRow, JobPostingRow.id == AnalysisSessionRow.job_posting_id)
                .where(
                    ResumeAnalysisRow.resume_id == resume_id,
                    AnalysisSessionRow.user_id == self.owner_id,
                )
                .order_by(ResumeAnalysisRow.created_at.desc(), ResumeAnalysisRow.id.desc())
            ).all()
            items = [
                HistoryItem(
                    session_id=run.id,
                    session_name=run.session_name,
                    job_posting_id=run.job_posting_id,
                    job_title=title,
                    session_status=SessionStatus(run.status),
                    status=ResultStatus(result.status),
                    error=result.error,
                    overall_fit_score=result.overall_fit_score,
                    skill_match_score=result.skill_match_score,
                    summary=result.summary,
                    reasoning=result.reasoning,
                    matched_skills=tuple(result.matched_skills or ()),
                    missing_skills=tuple(result.missing_skills or ()),
                    analyzer=f"{result.analyzer_name} {result.analyzer_version}",
                    created_at=result.created_at,
                    analyzer_name=result.analyzer_name,
                    analyzer_version=result.analyzer_version,
                    fallback_reason=result.fallback_reason,
                )
                for result, run, title in rows
            ]
            return resume_record(resume, len(items)), items


def _check_result(result: AnalysisResult) -> None:
    for label, score in (
        ("overall fit", result.overall_fit_score),
        ("skill match", result.skill_match_score),
    ):
        if not isinstance(score, int | float) or not 0 <= score <= 100:
            raise AnalysisError(f"The analyzer returned an invalid {label} score ({score!r}).")


def _outcome(
    row: ResumeAnalysisRow, *, file_name: str | None = None, candidate_name: str | None = None
) -> AnalysisOutcome:
    result = None
    if row.status == ResultStatus.OK.value:
        result = AnalysisResult(
            overall_fit_score=row.overall_fit_score or 0.0,
            skill_match_score=row.skill_match_score or 0.0,
            summary=row.summary or "",
            reasoning=row.reasoning or "",
            matched_skills=tuple(row.matched_skills or ()),
            missing_skills=tuple(row.missing_skills or ()),
            analyzer_name=row.analyzer_name,
            analyzer_version=row.analyzer_version,
            fallback_reason=row.fallback_reason,
        )
    return AnalysisOutcome(
        resume_id=row.resume_id,
        session_id=row.analysis_session_id,
        status=ResultStatus(row.status),
        error=row.error,
        result=result,
        analyzer=f"{row.analyzer_name} {row.analyzer_version}",
        created_at=row.created_at,
        file_name=file_name,
        candidate_name=candidate_name,
        analyzer_name=row.analyzer_name,
        analyzer_version=row.analyzer_version,
        fallback_reason=row.fallback_reason,
    )
