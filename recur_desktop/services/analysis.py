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
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from recur_desktop.domain.clock import utcnow
from recur_desktop.persistence.ports import NewResult, NewSession, UnitOfWorkFactory
from recur_desktop.platform_utils import pid_alive
from recur_desktop.services.errors import DatabaseError, InvalidInput, NotFound, ServiceError
from recur_desktop.services.jobs import ensure_open
from recur_desktop.services.library import check_paging

log = logging.getLogger(__name__)

INTERRUPTED = "Interrupted: the app stopped before this session finished."
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


@dataclass(frozen=True)
class AnalysisRun:
    session: SessionRecord
    outcomes: list[AnalysisOutcome]


class AnalysisService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        analyzer: Analyzer,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
        self._analyzer = analyzer
        self.owner_id = owner_id
        self._clock = clock

    # ----------------------------------------------------------------- availability
    def available(
        self, job_id: uuid.UUID | None, *, limit: int = 50, offset: int = 0
    ) -> Page[ResumeRecord]:
        """Resumes not yet analysed for the context, newest first, with the total.

        The query is the anti-join of ``docs/decisions/0002-availability-query.md``, in the
        availability repository: the total is read from indexes first, and a page either
        filters a hashed set of analysed ids (few left) or probes each candidate.
        """
        check_paging(limit, offset)
        with self._uow() as uow:
            page = uow.availability.page(self.owner_id, job_id, limit=limit, offset=offset)
        if page is None:
            raise NotFound(f"No job posting with id {job_id}.")
        return page

    # ----------------------------------------------------------------- sessions
    def _job(self, job_id: uuid.UUID) -> JobPosting:
        with self._uow() as uow:
            job = uow.jobs.get(self.owner_id, job_id)
        if job is None:
            raise NotFound(f"No job posting with id {job_id}.")
        return job

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
        new = NewSession(
            user_id=self.owner_id,
            session_name=session_name[:300],
            job_posting_id=job_id,
            status=SessionStatus.RUNNING,
            analyzer_name=self._analyzer.name,
            analyzer_version=self._analyzer.version,
            created_at=self._clock(),
            started_at=self._clock(),
            heartbeat_at=self._clock(),
            runner=_this_runner(),
        )
        with self._uow() as uow:
            session_id = uow.sessions.add(new)
            uow.commit()
        try:
            self._analyzer.check_job(job)
        except AnalysisError as exc:
            return AnalysisRun(self._finish(session_id, SessionStatus.FAILED, str(exc)), [])

        outcomes: list[AnalysisOutcome] = []
        status = SessionStatus.COMPLETED
        error: str | None = None
        try:
            for done, (resume_id, file_name) in enumerate(targets):
                progress(done, len(targets), file_name)
                if cancel is not None and cancel.cancelled:
                    status = SessionStatus.CANCELLED
                    break
                outcomes.append(self._analyze_one(session_id, resume_id, job))
            progress(len(outcomes), len(targets), "")
        except DatabaseError as exc:
            log.exception("analysis session %s stopped by a database error", session_id)
            status, error = SessionStatus.FAILED, str(exc)
        try:
            record = self._finish(session_id, status, error)
        except DatabaseError as exc:
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
        with self._uow() as uow:
            if resume_ids:
                wanted = list(dict.fromkeys(resume_ids))
                names = uow.availability.live_names(self.owner_id, wanted)
                unknown = [str(i) for i in wanted if i not in names]
                if unknown:
                    raise NotFound(f"No resume in your library with id {', '.join(unknown)}.")
                if not include_analyzed:
                    done = uow.availability.analyzed_among(self.owner_id, job_id, wanted)
                    if done:
                        raise InvalidInput(
                            f"{len(done)} of the chosen resumes were already analysed for "
                            f"{context}. Use --include-analyzed (Re-analyze) to score them again."
                        )
                return [(i, names[i]) for i in wanted]
            targets = uow.availability.waiting(
                self.owner_id, job_id, include_analyzed=include_analyzed
            )
        if not targets:
            raise InvalidInput(
                f"Nothing to analyse: no resume in your library is waiting for {context}."
            )
        return targets

    def _analyze_one(
        self, session_id: uuid.UUID, resume_id: uuid.UUID, job: JobPosting | None
    ) -> AnalysisOutcome:
        with self._uow() as uow:
            text = uow.resumes.text_by_id(resume_id)
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
        row = NewResult(
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
        with self._uow() as uow:
            outcome = uow.results.add(row)
            uow.sessions.heartbeat(session_id, now)
            uow.commit()
        return outcome

    def _finish(
        self, session_id: uuid.UUID, status: SessionStatus, error: str | None
    ) -> SessionRecord:
        with self._uow() as uow:
            uow.sessions.finish(session_id, status, error, self._clock())
            uow.commit()
            return uow.sessions.record(session_id)

    def recover_interrupted(self) -> int:
        """Mark sessions orphaned by a crashed process ``failed``; returns how many.

        A session of this machine whose process is gone is orphaned at once; one of another
        machine only after STALE_AFTER without progress (it may still be running there).
        """
        host = socket.gethostname()
        stale_before = self._clock() - STALE_AFTER
        orphaned: list[uuid.UUID] = []
        with self._uow() as uow:
            for running in uow.sessions.unfinished(self.owner_id):
                runner_host, _, pid = (running.runner or "").rpartition(":")
                if runner_host == host and pid.isdigit():
                    if int(pid) == os.getpid() or pid_alive(int(pid)):
                        continue
                elif running.heartbeat_at is not None and running.heartbeat_at > stale_before:
                    continue
                orphaned.append(running.id)
            if orphaned:
                uow.sessions.mark_failed(orphaned, INTERRUPTED, self._clock())
                uow.commit()
        return len(orphaned)

    def sessions(
        self, *, job_id: uuid.UUID | None = None, general: bool = False
    ) -> list[SessionRecord]:
        """Sessions newest first: all, those of one job, or the general ones."""
        if job_id is not None:
            self._job(job_id)
        with self._uow() as uow:
            return uow.sessions.listed(self.owner_id, job_id=job_id, general=general)

    def results(self, session_id: uuid.UUID) -> tuple[SessionRecord, list[AnalysisOutcome]]:
        """A session and its results, best overall fit first (failed ones last)."""
        with self._uow() as uow:
            found = uow.sessions.results(self.owner_id, session_id)
        if found is None:
            raise NotFound(f"No analysis session with id {session_id}.")
        return found

    # ----------------------------------------------------------------- history
    def history(self, resume_id: uuid.UUID) -> tuple[ResumeRecord, list[HistoryItem]]:
        """Every analysis of a resume, newest first, across all its jobs and general runs."""
        with self._uow() as uow:
            found = uow.results.history(self.owner_id, resume_id)
        if found is None:
            raise NotFound(f"No resume with id {resume_id} in your library.")
        return found


def _check_result(result: AnalysisResult) -> None:
    scores: tuple[tuple[str, object], ...] = (
        ("overall fit", result.overall_fit_score),
        ("skill match", result.skill_match_score),
    )
    for label, score in scores:  # an analyzer's numbers are checked, not trusted
        if not isinstance(score, int | float) or not 0 <= score <= 100:
            raise AnalysisError(f"The analyzer returned an invalid {label} score ({score!r}).")
