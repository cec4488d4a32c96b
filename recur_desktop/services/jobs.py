"""Job postings: the contexts resumes are analysed for."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import JobPosting
from recur_desktop.persistence.records import job_record
from recur_desktop.persistence.tables import JobPostingRow, utcnow
from recur_desktop.services.errors import InvalidInput, NotFound


def clean_skills(skills: Iterable[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively), order kept."""
    seen: dict[str, str] = {}
    for skill in skills:
        name = " ".join(skill.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class JobService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.owner_id = owner_id
        self._clock = clock

    def create(
        self,
        *,
        title: str,
        company: str = "",
        description: str = "",
        required_skills: Iterable[str] = (),
        preferred_skills: Iterable[str] = (),
        min_years: float | None = None,
    ) -> JobPosting:
        title, required, preferred = self._validated(
            title, min_years, required_skills, preferred_skills
        )
        row = JobPostingRow(
            user_id=self.owner_id,
            title=title,
            company=company.strip()[:300],
            description=description,
            required_skills=required,
            preferred_skills=preferred,
            min_years=min_years,
            created_at=self._clock(),
        )
        with self._sessions() as session:
            session.add(row)
            session.commit()
        return job_record(row)

    def update(
        self,
        job_id: uuid.UUID,
        *,
        title: str,
        company: str = "",
        description: str = "",
        required_skills: Iterable[str] = (),
        preferred_skills: Iterable[str] = (),
        min_years: float | None = None,
    ) -> JobPosting:
        """Edit a job. Past sessions keep their scores; re-analysis is explicit."""
        checked = self._validated(title, min_years, required_skills, preferred_skills)
        with self._sessions() as session:
            row = self._owned(session, job_id)
            row.title, row.required_skills, row.preferred_skills = checked
            row.company = company.strip()[:300]
            row.description = description
            row.min_years = min_years
            session.commit()
            return job_record(row)

    def list(self, *, include_archived: bool = False) -> list[JobPosting]:
        stmt = select(JobPostingRow).where(JobPostingRow.user_id == self.owner_id)
        if not include_archived:
            stmt = stmt.where(JobPostingRow.archived_at.is_(None))
        stmt = stmt.order_by(JobPostingRow.created_at.desc(), JobPostingRow.id.desc())
        with self._sessions() as session:
            return [job_record(row) for row in session.scalars(stmt)]

    def get(self, job_id: uuid.UUID) -> JobPosting:
        with self._sessions() as session:
            return job_record(self._owned(session, job_id))

    def archive(self, job_id: uuid.UUID) -> JobPosting:
        """Hide a closed job from pickers; its sessions and history stay."""
        with self._sessions() as session:
            row = self._owned(session, job_id)
            if row.archived_at is None:
                row.archived_at = self._clock()
                session.commit()
            return job_record(row)

    @staticmethod
    def _validated(
        title: str,
        min_years: float | None,
        required_skills: Iterable[str],
        preferred_skills: Iterable[str],
    ) -> tuple[str, list[str], list[str]]:
        title = " ".join(title.split())
        if not title:
            raise InvalidInput("A job needs a title.")
        if len(title) > 300:
            raise InvalidInput("The job title is too long (300 characters at most).")
        if min_years is not None and (not math.isfinite(min_years) or not 0 <= min_years <= 60):
            raise InvalidInput("Minimum years must be a number from 0 to 60.")
        required = clean_skills(required_skills)
        taken = {r.casefold() for r in required}
        preferred = [s for s in clean_skills(preferred_skills) if s.casefold() not in taken]
        return title, required, preferred

    def _owned(self, session: Session, job_id: uuid.UUID) -> JobPostingRow:
        row = session.scalar(
            select(JobPostingRow).where(
                JobPostingRow.id == job_id, JobPostingRow.user_id == self.owner_id
            )
        )
        if row is None:
            raise NotFound(f"No job posting with id {job_id}.")
        return row
