"""Import as repair: the original of a resume whose stored file ``doctor`` found missing or
changed is put back under the resume's own key, then doctor's flag is cleared (and a trashed
resume comes back), with a "repair" entry in the audit trail. Part of
:meth:`~recur_desktop.services.library.LibraryService.import_paths`; it never reaches the gate.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from recur_desktop.domain import ImportReport
from recur_desktop.domain.models import IntegrityProblem, RejectedFile, RepairedFile
from recur_desktop.persistence.ports import ResumeFile, ResumeValues, UnitOfWork
from recur_desktop.services.errors import DatabaseUnavailable
from recur_desktop.services.intake import Outages
from recur_desktop.storage import owns_key

#: The import's own logger: these lines are part of the import's log, as before.
log = logging.getLogger("recur_desktop.services.library")


@dataclass(frozen=True)
class Repair:
    """The library holds this file, but ``doctor`` found its stored object missing or changed."""

    resume_id: uuid.UUID
    problem: IntegrityProblem
    existing_file_name: str
    trashed: bool


def repair_of(
    owner_id: uuid.UUID, path: Path, data: bytes, existing: ResumeFile, report: ImportReport
) -> tuple[ResumeValues, Repair] | None:
    """The original of a resume ``doctor`` flagged: its bytes go back under its own key (the
    row the upload writes them under, and what to clear after), or None when it can't.

    The key is the row's (it names these very bytes: same hash), checked to be the owner's
    like every key this service writes or deletes.
    """
    if not owns_key(owner_id, existing.s3_resume_key):
        report.rejected.append(
            RejectedFile(
                path.name,
                "Its stored file couldn't be put back: the resume points outside your "
                "library. Run `recur doctor` and erase that resume.",
                str(path),
            )
        )
        return None
    assert existing.integrity_problem is not None
    problem = IntegrityProblem(existing.integrity_problem)
    log.info(
        "import repairs resume=%s key=%s problem=%s",
        existing.id,
        existing.s3_resume_key,
        problem,
    )
    copy = ResumeValues(
        user_id=owner_id,
        file_name=existing.file_name,
        s3_resume_key=existing.s3_resume_key,
        content_sha256=existing.content_sha256,
        size_bytes=len(data),
        media_type=existing.media_type,
    )
    repair = Repair(
        resume_id=existing.id,
        problem=problem,
        existing_file_name=existing.file_name,
        trashed=existing.deleted_at is not None,
    )
    return copy, repair


def commit_repair(
    db: UnitOfWork,
    owner_id: uuid.UUID,
    path: Path,
    repair: Repair,
    report: ImportReport,
    outages: Outages,
) -> None:
    """The object is back: clear doctor's flag (and bring a trashed resume back) at once.

    A failure here leaves the flag set over a good object: the next import or ``doctor``
    sees it and clears it; nothing is lost either way.
    """
    name = path.name
    try:
        cleared = db.resumes.clear_problem(owner_id, repair.resume_id, restore=repair.trashed)
        if not cleared:
            # Erased while its file was going back: the object is an orphan for doctor.
            db.rollback()
            report.rejected.append(
                RejectedFile(
                    name,
                    "Its resume was erased while its file was being put back; import it "
                    "again to add it anew.",
                    str(path),
                )
            )
            outages.database_wrote()
            return
        db.audit.add(
            owner_id=owner_id,
            action="repair",
            subject_id=repair.resume_id,
            detail={"file_put_back": repair.problem.value},
        )
        db.commit()
    except DatabaseUnavailable as exc:
        log.warning("import repair database error resume=%s: %s", repair.resume_id, exc.detail)
        report.rejected.append(RejectedFile(name, str(exc), str(path)))
        outages.database_failed(1, exc)
        return
    outages.database_wrote()
    report.repaired.append(
        RepairedFile(
            name,
            repair.resume_id,
            repair.problem,
            existing_file_name=repair.existing_file_name,
            restored_from_trash=repair.trashed,
        )
    )
