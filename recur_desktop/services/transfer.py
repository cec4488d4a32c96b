"""Move a recruiter's embedded library (SQLite + folder) to the team server (Postgres + S3).

Idempotent and resumable: rows keep their ids, each resume is committed with its object, and a
rerun skips what is already there. Objects go before rows, as on import
(:func:`~recur_desktop.services.storing.store_resume`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.domain.media import known_extension
from recur_desktop.persistence.ports import ResumeValues, UnitOfWorkFactory
from recur_desktop.services.storing import store_resume
from recur_desktop.storage import ObjectStore, StorageError, resume_key


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

    uow: UnitOfWorkFactory
    store: ObjectStore
    owner_id: uuid.UUID


def transfer_library(
    source: Library,
    target: Library,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> TransferReport:
    report = TransferReport()
    owner = target.owner_id
    with source.uow() as src:
        jobs = src.rows.owned("job_postings", source.owner_id)
        resumes = src.rows.owned("resumes", source.owner_id)
        runs = src.rows.owned("analysis_sessions", source.owner_id)
        results = src.rows.results_of([r["id"] for r in runs])

    with target.uow() as dst:
        present = dst.rows.existing_ids("job_postings", (j["id"] for j in jobs))
        for job in jobs:
            if job["id"] in present:
                report.skipped += 1
                continue
            dst.rows.insert("job_postings", {**job, "user_id": owner})
            report.jobs += 1
        dst.commit()

    resume_map: dict[uuid.UUID, uuid.UUID] = {}
    total = len(resumes)
    for done, resume in enumerate(resumes):
        progress(done, total, resume["file_name"])
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            return report
        mapped = _transfer_resume(resume, source, target, report)
        if mapped is not None:
            resume_map[resume["id"]] = mapped
    progress(total, total, "")

    with target.uow() as dst:
        present = dst.rows.existing_ids("analysis_sessions", (r["id"] for r in runs))
        for run in runs:
            if run["id"] in present:
                continue
            dst.rows.insert("analysis_sessions", {**run, "user_id": owner})
            report.sessions += 1
        dst.commit()
        present = dst.rows.existing_ids("resume_analyses", (r["id"] for r in results))
        taken = dst.rows.result_pairs([r["id"] for r in runs])
        for result in results:
            mapped = resume_map.get(result["resume_id"])
            if result["id"] in present or mapped is None:
                continue
            if (mapped, result["analysis_session_id"]) in taken:
                continue  # two local resumes merged into one server resume: keep one result
            dst.rows.insert("resume_analyses", {**result, "user_id": owner, "resume_id": mapped})
            taken.add((mapped, result["analysis_session_id"]))
            report.analyses += 1
        dst.commit()
    return report


def _transfer_resume(
    resume: dict[str, Any], source: Library, target: Library, report: TransferReport
) -> uuid.UUID | None:
    with target.uow() as dst:
        resume_id: uuid.UUID = resume["id"]
        if dst.resumes.exists(resume_id):
            report.skipped += 1
            return resume_id
        same_bytes = dst.resumes.by_content(target.owner_id, resume["content_sha256"])
        if same_bytes is not None:
            report.merged += 1
            return same_bytes.id
    key: str = resume["s3_resume_key"]
    extension = known_extension(resume["media_type"]) or "." + key.rsplit(".", 1)[-1]
    values = ResumeValues(
        **{
            **resume,
            "user_id": target.owner_id,
            "s3_resume_key": resume_key(target.owner_id, resume["content_sha256"], extension),
        }
    )
    try:
        data = source.store.get(key)
        store_resume(target.uow, target.store, values, data=data)
    except StorageError as exc:
        report.problems.append(f"{resume['file_name']}: not transferred ({exc})")
        return None
    report.resumes += 1
    return values.id
