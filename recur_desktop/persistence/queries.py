"""Query pieces shared by several services."""

from __future__ import annotations

import uuid

from sqlalchemy import ScalarSelect, func, select

from recur_desktop.persistence.tables import ResumeCounterRow


def live_resume_count(owner_id: uuid.UUID) -> ScalarSelect[int]:
    """The owner's number of live resumes, read from the trigger-kept counter (0 if none)."""
    return (
        select(func.coalesce(func.max(ResumeCounterRow.live_count), 0))
        .where(ResumeCounterRow.user_id == owner_id)
        .scalar_subquery()
    )
