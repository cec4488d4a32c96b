"""Rows to domain records (the services hand out records, never live ORM rows)."""

from __future__ import annotations

from recur_desktop.domain import (
    AnalysisOutcome,
    AnalysisResult,
    JobPosting,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
)


def resume_record(row: ResumeRow, analysis_count: int = 0) -> ResumeRecord:
    return ResumeRecord(
        id=row.id,
        user_id=row.user_id,
        file_name=row.file_name,
        s3_resume_key=row.s3_resume_key,
        content_sha256=row.content_sha256,
        size_bytes=row.size_bytes,
        media_type=row.media_type,
        created_at=row.created_at,
        job_posting_id=row.job_posting_id,
        candidate_name=row.candidate_name,
        candidate_email=row.candidate_email,
        deleted_at=row.deleted_at,
        analysis_count=analysis_count,
        extraction_error=row.extraction_error,
    )


def job_record(row: JobPostingRow) -> JobPosting:
    return JobPosting(
        id=row.id,
        user_id=row.user_id,
        title=row.title,
        company=row.company,
        description=row.description,
        required_skills=tuple(row.required_skills or ()),
        preferred_skills=tuple(row.preferred_skills or ()),
        min_years=row.min_years,
        created_at=row.created_at,
        archived_at=row.archived_at,
    )


def session_record(row: AnalysisSessionRow, result_count: int = 0) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        user_id=row.user_id,
        session_name=row.session_name,
        job_posting_id=row.job_posting_id,
        status=SessionStatus(row.status),
        analyzer=f"{row.analyzer_name} {row.analyzer_version}",
        created_at=row.created_at,
        finished_at=row.finished_at,
        error=row.error,
        result_count=result_count,
    )


def outcome_record(
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
