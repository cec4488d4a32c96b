"""Job postings of one owner."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from recur_desktop.domain import JobPosting
from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.ports import NewJob
from recur_desktop.persistence.records import job_record
from recur_desktop.persistence.tables import JobPostingRow

#: The columns :meth:`SqlJobs.update` may change.
_CHANGEABLE = frozenset(
    {
        "title",
        "company",
        "description",
        "required_skills",
        "preferred_skills",
        "min_years",
        "archived_at",
    }
)


class SqlJobs(SqlRepository):
    def add(self, job: NewJob) -> JobPosting:
        row = JobPostingRow(**asdict(job))
        self.session.add(row)
        return job_record(row)

    def get(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> JobPosting | None:
        row = self.session.scalar(
            select(JobPostingRow).where(
                JobPostingRow.id == job_id, JobPostingRow.user_id == owner_id
            )
        )
        return None if row is None else job_record(row)

    def exists(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> bool:
        found = self.session.scalar(
            select(JobPostingRow.id).where(
                JobPostingRow.id == job_id, JobPostingRow.user_id == owner_id
            )
        )
        return found is not None

    def update(self, owner_id: uuid.UUID, job_id: uuid.UUID, **changes: Any) -> JobPosting:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise TypeError(f"job columns that can't be changed: {sorted(unknown)}")
        row = self.session.get(JobPostingRow, job_id)  # read already: the identity map answers
        if row is None or row.user_id != owner_id:
            raise LookupError(f"job {job_id} was not read in this unit of work")
        for name, value in changes.items():
            setattr(row, name, value)
        return job_record(row)

    def listed(self, owner_id: uuid.UUID, *, include_archived: bool) -> list[JobPosting]:
        stmt = select(JobPostingRow).where(JobPostingRow.user_id == owner_id)
        if not include_archived:
            stmt = stmt.where(JobPostingRow.archived_at.is_(None))
        stmt = stmt.order_by(JobPostingRow.created_at.desc(), JobPostingRow.id.desc())
        return [job_record(row) for row in self.session.scalars(stmt)]

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str, datetime | None]]:
        stmt = (
            select(
                JobPostingRow.id,
                JobPostingRow.title,
                JobPostingRow.company,
                JobPostingRow.archived_at,
            )
            .where(
                JobPostingRow.user_id == owner_id,
                JobPostingRow.id >= low,
                JobPostingRow.id <= high,
            )
            .order_by(JobPostingRow.id)
            .limit(limit)
        )
        return [(r[0], r[1], r[2], r[3]) for r in self.session.execute(stmt)]
