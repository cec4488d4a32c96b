"""Job postings: the contexts resumes are analysed for."""

from __future__ import annotations

import builtins
import enum
import math
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from recur_desktop.analysis import ProposedRequirements as ProposedRequirements  # for callers
from recur_desktop.analysis import propose_job_requirements
from recur_desktop.domain import JobPosting
from recur_desktop.domain.clock import utcnow
from recur_desktop.extraction import (
    DEFAULT_MAX_BYTES,
    RejectedDocument,
    extract_document,
    too_large_reason,
)
from recur_desktop.persistence.ports import NewJob, UnitOfWork, UnitOfWorkFactory
from recur_desktop.services.errors import InvalidInput, NotFound


class _Keep(enum.Enum):
    KEEP = "keep"


#: "Leave this field as it is" for :meth:`JobService.edit` (None is a value there: no minimum).
KEEP = _Keep.KEEP


class JobArchived(InvalidInput):
    """The job is archived: its history stays, but nothing new is analysed for it."""


def ensure_open(job: JobPosting) -> JobPosting:
    """``job``, or :class:`JobArchived` when it was archived: a closed job gets no new scores,
    whoever asks (the window, the command line)."""
    if job.archived_at is not None:
        raise JobArchived(
            f"The job “{job.title}” is archived, so it can't be analysed again; its past "
            "results stay in the history. Create a new job posting to analyse for it."
        )
    return job


def read_description_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a job description saved as PDF, DOCX or plain text, read exactly as a
    resume is (type from the bytes, any text encoding, the same size limits)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput(
                f"Can't use {path.name} as the description: {too_large_reason(size, max_bytes)}"
            )
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise InvalidInput(f"Can't read the description file {path}: {reason}.") from exc
    try:
        return extract_document(data, file_name=path.name, max_bytes=max_bytes).text
    except RejectedDocument as exc:
        raise InvalidInput(f"Can't use {path.name} as the description: {exc.reason}") from exc


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
        uow: UnitOfWorkFactory,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
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
        new = NewJob(
            user_id=self.owner_id,
            title=title,
            company=company.strip()[:300],
            description=description,
            required_skills=required,
            preferred_skills=preferred,
            min_years=min_years,
            created_at=self._clock(),
        )
        with self._uow() as uow:
            job = uow.jobs.add(new)
            uow.commit()
        return job

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
        title, required, preferred = self._validated(
            title, min_years, required_skills, preferred_skills
        )
        with self._uow() as uow:
            self._owned(uow, job_id)
            job = uow.jobs.update(
                self.owner_id,
                job_id,
                title=title,
                required_skills=required,
                preferred_skills=preferred,
                company=company.strip()[:300],
                description=description,
                min_years=min_years,
            )
            uow.commit()
            return job

    def edit(
        self,
        job_id: uuid.UUID,
        *,
        title: str | None = None,
        company: str | None = None,
        description: str | None = None,
        required_skills: Iterable[str] | None = None,
        preferred_skills: Iterable[str] | None = None,
        min_years: float | None | _Keep = KEEP,
    ) -> JobPosting:
        """Change only the fields given (None, or :data:`KEEP` for ``min_years``, keeps one),
        in one transaction. Past sessions keep their scores; re-analysis is explicit."""
        with self._uow() as uow:
            job = self._owned(uow, job_id)
            years = job.min_years if min_years is KEEP else min_years
            checked_title, required, preferred = self._validated(
                job.title if title is None else title,
                years,
                job.required_skills if required_skills is None else required_skills,
                job.preferred_skills if preferred_skills is None else preferred_skills,
            )
            changes: dict[str, object] = {
                "title": checked_title,
                "required_skills": required,
                "preferred_skills": preferred,
                "min_years": years,
            }
            if company is not None:
                changes["company"] = company.strip()[:300]
            if description is not None:
                changes["description"] = description
            job = uow.jobs.update(self.owner_id, job_id, **changes)
            uow.commit()
            return job

    def propose_requirements(
        self, description: str, title: str | None = None
    ) -> ProposedRequirements:
        """The skills and minimum years a pasted description asks for, read the same way for
        the job dialog (the description alone) and ``recur jobs add`` (the title first). Reads
        the skills vocabulary from disk: call it off the GUI thread."""
        text = description if title is None else f"{title}\n{description}"
        return propose_job_requirements(text)

    def require_open(self, job_id: uuid.UUID) -> JobPosting:
        """The job, if it may be analysed (see :func:`ensure_open`)."""
        return ensure_open(self.get(job_id))

    def list(self, *, include_archived: bool = False) -> list[JobPosting]:
        with self._uow() as uow:
            return uow.jobs.listed(self.owner_id, include_archived=include_archived)

    def get(self, job_id: uuid.UUID) -> JobPosting:
        with self._uow() as uow:
            return self._owned(uow, job_id)

    def archive(self, job_id: uuid.UUID) -> JobPosting:
        """Hide a closed job from pickers; its sessions and history stay."""
        with self._uow() as uow:
            job = self._owned(uow, job_id)
            if job.archived_at is None:
                job = uow.jobs.update(self.owner_id, job_id, archived_at=self._clock())
                uow.commit()
            return job

    @staticmethod
    def _validated(
        title: str,
        min_years: float | None,
        required_skills: Iterable[str],
        preferred_skills: Iterable[str],
    ) -> tuple[str, builtins.list[str], builtins.list[str]]:
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

    def _owned(self, uow: UnitOfWork, job_id: uuid.UUID) -> JobPosting:
        job = uow.jobs.get(self.owner_id, job_id)
        if job is None:
            raise NotFound(f"No job posting with id {job_id}.")
        return job
