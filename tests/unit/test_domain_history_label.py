"""HistoryItem.context_label is always text: the job, "General", or a job whose row is gone."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from recur_desktop.domain.models import HistoryItem, ResultStatus, SessionStatus

ITEM = HistoryItem(
    session_id=uuid.uuid4(),
    session_name="Run",
    job_posting_id=uuid.uuid4(),
    job_title="Data engineer",
    session_status=SessionStatus.COMPLETED,
    status=ResultStatus.OK,
    error=None,
    overall_fit_score=80.0,
    skill_match_score=70.0,
    summary="",
    reasoning="",
    matched_skills=(),
    missing_skills=(),
    analyzer="builtin",
    created_at=datetime.now(UTC),
)


def test_a_job_context_is_the_job_title() -> None:
    assert ITEM.context_label == "Data engineer"


def test_no_job_is_general() -> None:
    assert replace(ITEM, job_posting_id=None, job_title=None).context_label == "General"


def test_a_job_without_its_row_says_so_instead_of_none() -> None:
    assert replace(ITEM, job_title=None).context_label == "(deleted job)"
