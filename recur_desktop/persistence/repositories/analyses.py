"""Analysis sessions, their results, a resume's history, and availability.

Availability follows the design document: a resume is available for a context (a job, or
general) unless it has an ``ok`` analysis in a ``completed`` session of the same owner for that
same context. Failed or cancelled analyses leave it available. The queries are the ones of
``docs/decisions/0002-availability-query.md``: an anti-join scoped to the owner on both sides,
``IS NULL`` for the general context.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Exists, Select, exists, func, select, true, update
from sqlalchemy.orm import InstrumentedAttribute, aliased, defer

from recur_desktop.domain import (
    AnalysisOutcome,
    HistoryItem,
    Page,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)
from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.ports import NewResult, NewSession, UnfinishedSession
from recur_desktop.persistence.queries import live_resume_count
from recur_desktop.persistence.records import outcome_record, resume_record, session_record
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
)

#: Below this share of available resumes, the page filters a hashed set of analysed ids instead
#: of probing each candidate (which would walk most of the library to fill a page).
SPARSE_SHARE = 0.10
#: Session ids go to ``IN (...)`` lists this many at a time (SQLite's parameter limit).
CHUNK = 500


# ------------------------------------------------------------------------------------ availability
def analyzed_for(
    owner_id: uuid.UUID,
    job_id: uuid.UUID | None,
    resume_id: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID],
) -> Exists:
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
            run.user_id == owner_id,
            context,
        )
    )


def _live(owner_id: uuid.UUID) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (ResumeRow.user_id == owner_id, ResumeRow.deleted_at.is_(None))


def _analyzed_ids(owner_id: uuid.UUID, job_id: uuid.UUID | None) -> Select[Any]:
    """Ids of resumes with an ok result in a completed session of this owner's context."""
    result, run = aliased(ResumeAnalysisRow), aliased(AnalysisSessionRow)
    context = run.job_posting_id.is_(None) if job_id is None else run.job_posting_id == job_id
    return (
        select(result.resume_id)
        .select_from(run)
        .join(result, result.analysis_session_id == run.id)
        .where(
            run.user_id == owner_id,
            run.status == SessionStatus.COMPLETED.value,
            context,
            result.status == ResultStatus.OK.value,
        )
    )


class SqlAvailability(SqlRepository):
    def page(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, limit: int, offset: int
    ) -> Page[ResumeRecord] | None:
        """The total comes first, as live resumes minus the distinct live ones analysed for the
        context (both read from indexes). When few resumes are left, the page filters a hashed
        set of analysed ids; otherwise it probes each candidate with NOT EXISTS and stops at the
        page's end. Either way the rule is the same anti-join."""
        analyzed = _analyzed_ids(owner_id, job_id).subquery()
        trashed = select(ResumeRow.id).where(
            ResumeRow.user_id == owner_id, ResumeRow.deleted_at.is_not(None)
        )
        # The job check rides along with the two counts: one round trip instead of two.
        job_known = (
            exists(
                select(JobPostingRow.id).where(
                    JobPostingRow.id == job_id, JobPostingRow.user_id == owner_id
                )
            )
            if job_id is not None
            else true()
        )
        session = self.session
        known, live_count, analyzed_live = session.execute(
            select(
                job_known,
                live_resume_count(owner_id),
                select(func.count(func.distinct(analyzed.c.resume_id)))
                .where(analyzed.c.resume_id.not_in(trashed))
                .scalar_subquery(),
            )
        ).one()
        if not known:
            return None
        total = int(live_count or 0) - int(analyzed_live or 0)
        if total <= offset:
            return Page(total=total, items=[])
        page = select(ResumeRow).options(defer(ResumeRow.text_content)).where(*_live(owner_id))
        if total < SPARSE_SHARE * live_count:
            page = page.where(ResumeRow.id.not_in(select(analyzed.c.resume_id)))
        else:
            page = page.where(~analyzed_for(owner_id, job_id, ResumeRow.id))
        rows = session.scalars(
            page.order_by(ResumeRow.created_at.desc(), ResumeRow.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(total=total, items=[resume_record(row) for row in rows])

    def live_names(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, str]:
        return {
            r.id: r.file_name
            for r in self.session.scalars(
                select(ResumeRow).where(*_live(owner_id), ResumeRow.id.in_(resume_ids))
            )
        }

    def analyzed_among(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, resume_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        return set(
            self.session.scalars(
                select(ResumeRow.id).where(
                    ResumeRow.id.in_(resume_ids), analyzed_for(owner_id, job_id, ResumeRow.id)
                )
            )
        )

    def waiting(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, include_analyzed: bool
    ) -> list[tuple[uuid.UUID, str]]:
        stmt = select(ResumeRow.id, ResumeRow.file_name).where(*_live(owner_id))
        if not include_analyzed:
            stmt = stmt.where(~analyzed_for(owner_id, job_id, ResumeRow.id))
        return [
            (rid, fname)
            for rid, fname in self.session.execute(
                stmt.order_by(ResumeRow.created_at.desc(), ResumeRow.id.desc())
            )
        ]


# ------------------------------------------------------------------------------------ sessions
class SqlAnalysisSessions(SqlRepository):
    def add(self, session: NewSession) -> uuid.UUID:
        fields: dict[str, Any] = asdict(session)
        fields["status"] = session.status.value
        self.session.add(AnalysisSessionRow(**fields))
        return session.id

    def heartbeat(self, session_id: uuid.UUID, at: datetime) -> None:
        self.session.execute(
            update(AnalysisSessionRow)
            .where(AnalysisSessionRow.id == session_id)
            .values(heartbeat_at=at)
        )

    def finish(
        self, session_id: uuid.UUID, status: SessionStatus, error: str | None, at: datetime
    ) -> None:
        row = self.session.get(AnalysisSessionRow, session_id)
        assert row is not None
        row.status = status.value
        row.error = error
        row.finished_at = at

    def record(self, session_id: uuid.UUID) -> SessionRecord:
        row = self.session.get(AnalysisSessionRow, session_id)
        assert row is not None
        return self._with_analyzers([session_record(row, self._result_count(session_id))])[0]

    def _result_count(self, session_id: uuid.UUID) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(ResumeAnalysisRow)
                .where(ResumeAnalysisRow.analysis_session_id == session_id)
            )
            or 0
        )

    def _with_analyzers(self, records: list[SessionRecord]) -> list[SessionRecord]:
        """The records with the analyzers that produced their results, first used first: one
        query for the whole list."""
        if not records:
            return records
        ids = [r.id for r in records]
        used: dict[uuid.UUID, list[str]] = {}
        # Chunks keep the IN list under SQLite's parameter limit for long session lists.
        for start in range(0, len(ids), CHUNK):
            rows = self.session.execute(
                select(
                    ResumeAnalysisRow.analysis_session_id,
                    ResumeAnalysisRow.analyzer_name,
                    ResumeAnalysisRow.analyzer_version,
                )
                .where(ResumeAnalysisRow.analysis_session_id.in_(ids[start : start + CHUNK]))
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

    def unfinished(self, owner_id: uuid.UUID) -> list[UnfinishedSession]:
        return [
            UnfinishedSession(id=sid, runner=runner, heartbeat_at=heartbeat)
            for sid, runner, heartbeat in self.session.execute(
                select(
                    AnalysisSessionRow.id,
                    AnalysisSessionRow.runner,
                    AnalysisSessionRow.heartbeat_at,
                ).where(
                    AnalysisSessionRow.user_id == owner_id,
                    AnalysisSessionRow.status.in_(
                        [SessionStatus.RUNNING.value, SessionStatus.PENDING.value]
                    ),
                )
            )
        ]

    def mark_failed(self, session_ids: Sequence[uuid.UUID], error: str, at: datetime) -> None:
        self.session.execute(
            update(AnalysisSessionRow)
            .where(AnalysisSessionRow.id.in_(session_ids))
            .values(status=SessionStatus.FAILED.value, error=error, finished_at=at)
        )

    def listed(
        self, owner_id: uuid.UUID, *, job_id: uuid.UUID | None, general: bool
    ) -> list[SessionRecord]:
        count = (
            select(func.count(ResumeAnalysisRow.id))
            .where(ResumeAnalysisRow.analysis_session_id == AnalysisSessionRow.id)
            .correlate(AnalysisSessionRow)
            .scalar_subquery()
        )
        stmt = select(AnalysisSessionRow, count).where(AnalysisSessionRow.user_id == owner_id)
        if job_id is not None:
            stmt = stmt.where(AnalysisSessionRow.job_posting_id == job_id)
        elif general:
            stmt = stmt.where(AnalysisSessionRow.job_posting_id.is_(None))
        stmt = stmt.order_by(AnalysisSessionRow.created_at.desc(), AnalysisSessionRow.id.desc())
        records = [session_record(row, n) for row, n in self.session.execute(stmt)]
        return self._with_analyzers(records)

    def results(
        self, owner_id: uuid.UUID, session_id: uuid.UUID
    ) -> tuple[SessionRecord, list[AnalysisOutcome]] | None:
        session = self.session
        row = session.scalar(
            select(AnalysisSessionRow).where(
                AnalysisSessionRow.id == session_id,
                AnalysisSessionRow.user_id == owner_id,
            )
        )
        if row is None:
            return None
        results = session.execute(
            select(ResumeAnalysisRow, ResumeRow.file_name, ResumeRow.candidate_name)
            .join(ResumeRow, ResumeRow.id == ResumeAnalysisRow.resume_id)
            .where(ResumeAnalysisRow.analysis_session_id == session_id)
            .order_by(
                ResumeAnalysisRow.overall_fit_score.desc().nulls_last(),
                ResumeAnalysisRow.created_at,
            )
        ).all()
        record = self._with_analyzers([session_record(row, len(results))])[0]
        return record, [
            outcome_record(r, file_name=name, candidate_name=candidate)
            for r, name, candidate in results
        ]

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str]]:
        stmt = (
            select(
                AnalysisSessionRow.id,
                AnalysisSessionRow.session_name,
                AnalysisSessionRow.status,
            )
            .where(
                AnalysisSessionRow.user_id == owner_id,
                AnalysisSessionRow.id >= low,
                AnalysisSessionRow.id <= high,
            )
            .order_by(AnalysisSessionRow.id)
            .limit(limit)
        )
        return [(r[0], r[1], r[2]) for r in self.session.execute(stmt)]


# ------------------------------------------------------------------------------------ results
class SqlAnalysisResults(SqlRepository):
    def add(self, result: NewResult) -> AnalysisOutcome:
        row = ResumeAnalysisRow(**asdict(result))
        self.session.add(row)
        return outcome_record(row)

    def history(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID
    ) -> tuple[ResumeRecord, list[HistoryItem]] | None:
        session = self.session
        resume = session.scalar(
            select(ResumeRow).where(ResumeRow.id == resume_id, ResumeRow.user_id == owner_id)
        )
        if resume is None:
            return None
        rows = session.execute(
            select(ResumeAnalysisRow, AnalysisSessionRow, JobPostingRow.title)
            .join(
                AnalysisSessionRow,
                AnalysisSessionRow.id == ResumeAnalysisRow.analysis_session_id,
            )
            .outerjoin(JobPostingRow, JobPostingRow.id == AnalysisSessionRow.job_posting_id)
            .where(
                ResumeAnalysisRow.resume_id == resume_id,
                AnalysisSessionRow.user_id == owner_id,
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
