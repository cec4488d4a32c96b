"""Plain data and rules shared by every layer; no I/O here."""

from recur_desktop.domain.models import (
    AnalysisOutcome,
    AnalysisResult,
    AuditEvent,
    Cancelled,
    CancelToken,
    HistoryItem,
    ImportReport,
    JobPosting,
    Page,
    Progress,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
    no_progress,
)

__all__ = [
    "AnalysisOutcome",
    "AnalysisResult",
    "AuditEvent",
    "CancelToken",
    "Cancelled",
    "HistoryItem",
    "ImportReport",
    "JobPosting",
    "Page",
    "Progress",
    "ResultStatus",
    "ResumeRecord",
    "SessionRecord",
    "SessionStatus",
    "no_progress",
]
