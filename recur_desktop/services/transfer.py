"""Move a recruiter's embedded library (SQLite + folder) to the team server (Postgres + S3).

Idempotent and resumable: rows keep their ids, each resume is committed with its object, and a
rerun skips what is already there. Objects go before rows, as on import.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
)
from recur_desktop.storage import ObjectStore, StorageError, resume_key

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}


@dataclass
class TransferReport:
    jobs: int = 0
    resumes: int = 0
    merged: int = 0  # same file already on the server under another resume
    sessions: int = 0
    analyses: int = 0
    skipped: int = 0  # already transferred by an earlier run
    problems: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class Library:
    """One side of a transfer: where rows and objects live, and whose they are."""

    sessions: sessionmaker[Session]
    store: ObjectStore
    owner_id: uuid.UUID


def _values(row: Any, table: Table, **overrides: Any) -> dict[str, Any]:
    values = {column.name: getattr(row, column.key) for column in table.columns}
    values.update(overrides)
    return values


def _existing_ids(target: Session, table: Any, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    wanted = list(ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            target.scalars(select(table.id).where(table.id.in_(wanted[start : start + 500])))
        )
    return found


def transfer_library(
    source: Library,
    target: Library,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> TransferReport:
    report = TransferReport()
    owner = target.owner_id
    with source.sessions() as src:
        jobs = list(
            src.scalars(select(JobPostingRow).where(JobPostingRow.user_id == source.owner_id))
        )
        resumes = list(src.scalars(select(ResumeRow).where(ResumeRow.user_id == source.owner_id)))
        runs = list(
            src.scalars(
                select(AnalysisSessionRow).where(AnalysisSessionRow.user_id == source.owner_id)
            )
        )
        results = (
            list(
                src.scalars(
                    select(ResumeAnalysisRow).where(
                        ResumeAnalysisRow.analysis_session_id.in_([r.id for r in runs])
                    )
                )
            )
            if runs
            else []
        )

    with target.sessions() as dst:
        present = _existing_ids(dst, JobPostingRow, (j.id for j in jobs))
        for job in jobs:
            if job.id in present:
                report.skipped += 1
                continue
            dst.execute(
                JobPostingRow.__table__.insert().values(
                    _values(job, JobPostingRow.__table__, user_id=owner)
                )
            )
            report.jobs += 1
        dst.commit()

    resume_map: dict[uuid.UUID, uuid.UUID] = {}
    total = len(resumes)
    for done, resume in enumerate(resumes):
        progress(done, total, resume.file_name)
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            return report
        resume_map[resume.id] = _transfer_resume(resume, source, target, report)
    progress(total, total, "")

    with target.sessions() as dst:
        present = _existing_ids(dst, AnalysisSessionRow, (r.id for r in runs))
        for run in runs:
            if run.id in present:
                continue
            dst.execute(
                AnalysisSessionRow.__table__.insert().values(
                    _values(run, AnalysisSessionRow.__table__, user_id=owner)
                )
            )
            report.sessions += 1
        dst.commit()
        present = _existing_ids(dst, ResumeAnalysisRow, (r.id for r in results))
        taken = {
            (r, s)
            for r, s in dst.execute(
                select(ResumeAnalysisRow.resume_id, ResumeAnalysisRow.analysis_session_id).where(
                    ResumeAnalysisRow.analysis_session_id.in_(
                        [r.id for r in runs] or [uuid.uuid4()]
                    )
                )
            )
        }
        for result in results:
            mapped = resume_map.get(result.resume_id)
            if result.id in present or mapped is None:
                continue
            if (mapped, result.analysis_session_id) in taken:
                continue  # two local resumes merged into one server resume: keep one result
            dst.execute(
                ResumeAnalysisRow.__table__.insert().values(
                    _values(result, ResumeAnalysisRow.__table__, user_id=owner, resume_id=mapped)
                )
            )
            taken.add((mapped, result.analysis_session_id))
            report.analyses += 1
        dst.commit()
    return report


def _transfer_resume(
    resume: ResumeRow, source: Library, target: Library, report: TransferReport
) -> uuid.UUID | None:
    with target.sessions() as dst:
        if dst.get(ResumeRow, resume.id) is not None:
            report.skipped += 1
            return resume.id
        same_bytes = dst.scalar(
            select(ResumeRow.id).where(
                ResumeRow.user_id == target.owner_id,
                ResumeRow.content_sha256 == resume.content_sha256,
            )
        )
        if same_bytes is not None:
            report.merged += 1
            return same_bytes
    extension = _EXTENSIONS.get(resume.media_type) or "." + resume.s3_resume_key.rsplit(".", 1)[-1]
    key = resume_key(target.owner_id, resume.content_sha256, extension)
    try:
        data = source.store.get(resume.s3_resume_key)
        target.store.put(
            key,
            data,
            sha256_hex=resume.content_sha256,
            media_type=resume.media_type,
            metadata={
                "original-file-name": resume.file_name,
                "content-sha256": resume.content_sha256,
            },
        )
    except StorageError as exc:
        report.problems.append(f"{resume.file_name}: not transferred ({exc})")
        return None
    with target.sessions() as dst:
        dst.execute(
            ResumeRow.__table__.insert().values(
                _values(resume, ResumeRow.__table__, user_id=target.owner_id, s3_resume_key=key)
            )
        )
        dst.commit()
    report.resumes += 1
    return resume.id
