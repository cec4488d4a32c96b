"""The resume library: import, list and search, trash, restore, purge and erase."""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from recur_desktop.domain import (
    CancelToken,
    ImportReport,
    Page,
    Progress,
    ResumeRecord,
    no_progress,
)
from recur_desktop.domain.clock import utcnow
from recur_desktop.domain.models import (
    DuplicateFile,
    ImportedFile,
    RejectedFile,
)
from recur_desktop.extraction import (
    DEFAULT_MAX_BYTES,
    RejectedDocument,
    extract_document,
    too_large_reason,
)
from recur_desktop.extraction.gate import judge_resume
from recur_desktop.persistence.ports import (
    SORT_KEYS,
    ResumeFile,
    ResumeValues,
    UnitOfWork,
    UnitOfWorkFactory,
)
from recur_desktop.services.errors import (
    Conflict,
    DatabaseTimeout,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
)
from recur_desktop.services.intake import (
    OUTAGE_STOP_AFTER,
    Batch,
    Outages,
    database_stopped_reason,
    hidden_skipped_note,
    is_hidden_name,
    storage_stopped_reason,
    walk_paths,
)
from recur_desktop.services.intake import read_limited as _read_limited
from recur_desktop.services.repair import Repair, commit_repair, repair_of
from recur_desktop.services.storing import put_object
from recur_desktop.services.trash import NotInTrash, Trash, counted, owned
from recur_desktop.storage import ObjectStore, StorageError, owns_key, resume_key

log = logging.getLogger(__name__)

#: Why a file was not saved when the database did not answer (in time): the sentences of
#: :mod:`recur_desktop.domain.errors`, here under the names the import's callers know.
DATABASE_DOWN = DatabaseUnavailable.DOWN
DATABASE_TIMED_OUT = DatabaseTimeout.DOWN


#: Rows are committed in groups: one transaction (one WAL flush) per group instead of per
#: file. A crash before a commit leaves only objects without rows, which doctor removes.
COMMIT_EVERY = 32
COMMIT_AFTER = 1.0  # seconds


#: :meth:`LibraryService._gate`'s answer for a file it rejected (not a kind: no kind is "").
_TURNED_AWAY = ""


class _UploadSkipped(Exception):
    """The import was cancelled before this file's upload started."""


class _ImportStopping(Exception):
    """Storage or the database is down: this file's upload was not even tried."""


@dataclass(frozen=True)
class _Prepared:
    """A file read, checked and extracted, waiting for its upload and its row.

    For a repair ``row`` holds the flagged resume's key, hash, type and name (it is never
    inserted): the upload puts the object back, then the flag is cleared.
    """

    path: Path
    data: bytes
    row: ResumeValues
    repair: Repair | None = None
    #: The kind the gate named a file it would have turned away, imported with ``accept_any``:
    #: its row is committed with an ``import_accept_any`` audit entry. None for a resume.
    gate_kind: str | None = None


class LibraryService:
    """One user's resumes. Objects go to the store before rows; rows go before objects on purge."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: ObjectStore,
        owner_id: uuid.UUID,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
        self._store = store
        self.owner_id = owner_id
        self._max_bytes = max_bytes
        self._clock = clock
        self._trash = Trash(uow, store, owner_id, clock=clock)

    # ----------------------------------------------------------------- import
    def import_paths(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        job_posting_id: uuid.UUID | None = None,
        accept_any: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Import files and folders. Duplicates are counted, not raised: recruiters drop folders.

        A file the library holds already is a duplicate, unless its resume is in the trash
        (it is restored: ``restored``) or ``doctor`` flagged its stored object missing or
        changed (the object is put back, checked by its SHA-256: ``repaired``). Telling these
        apart costs nothing extra: the flag and the trash date come with the hash lookup, and
        only a flagged resume's file goes to the store again. Hidden and temporary files inside
        folders are skipped and listed in ``hidden_skipped``.

        After extraction the resume gate (:func:`~recur_desktop.extraction.gate.judge_resume`)
        turns away a document that does not look like a resume (a README, a job ad, a two-word
        note): it is rejected with the gate's reason and its ``gate_kind``. ``accept_any``
        passes the gate only (never the size, page and text limits, which extraction applies
        first) and records an ``import_accept_any`` audit entry for each file it let in.
        Duplicates and repairs are settled before extraction and never reach the gate.

        Two stages overlap: while one file uploads on a worker thread, the next is read,
        hashed, checked and extracted here, and the row of the one before is written. An
        upload that has not started when cancel comes is skipped, so cancelling stops after the
        file in flight; every file finished before it stays stored.

        When OUTAGE_STOP_AFTER files in a row fail because storage or the database is down, the
        rest are not tried: each would only wait out the same deadline. They are reported as
        not imported with one sentence, also in ``report.stopped``. Files already stored keep
        their rows; an object whose row could not be written is an orphan ``doctor`` removes.
        """
        if job_posting_id is not None:
            self._require_job(job_posting_id)
        total = sum(1 for c in walk_paths(paths) if not c.hidden)
        report = ImportReport()
        outages = Outages()
        # Uploads run in order on one thread; at most one waits behind the one running.
        pending: deque[tuple[_Prepared, Future[None]]] = deque()
        batch = Batch[_Prepared]()
        stopped = False
        with (
            self._uow() as db,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="recur-upload") as uploads,
        ):
            for candidate in walk_paths(paths):
                name = candidate.path.name or str(candidate.path)
                if candidate.hidden:
                    report.hidden_skipped.append(str(candidate.path))
                    continue
                if outages.stopping and not stopped:
                    # Settle the files already handed to the upload thread first, in order:
                    # the one that failed last gets its own reason, the next one is left out.
                    while pending:
                        self._record(db, *pending.popleft(), report, batch, outages)
                    self._leave_out_staged(batch, outages)
                    stopped = True
                if stopped:
                    if candidate.rejection:  # a symlink or a device says more than "later"
                        report.rejected.append(
                            RejectedFile(name, candidate.rejection, str(candidate.path))
                        )
                    else:
                        outages.left_out.append(candidate.path)
                    continue
                progress(report.processed + len(batch), total, name)
                if cancel is not None and cancel.cancelled:
                    report.cancelled = True
                    break
                if candidate.rejection:
                    report.rejected.append(
                        RejectedFile(name, candidate.rejection, str(candidate.path))
                    )
                    continue
                prepared = self._prepare(
                    db, candidate.path, job_posting_id, report, outages, accept_any=accept_any
                )
                if prepared is not None:
                    upload = uploads.submit(self._upload, prepared, cancel, outages)
                    pending.append((prepared, upload))
                while len(pending) > 1:
                    self._record(db, *pending.popleft(), report, batch, outages)
                if len(batch) >= COMMIT_EVERY or time.monotonic() - batch.started > COMMIT_AFTER:
                    self._commit(db, batch, report, outages)
            while pending:
                self._record(db, *pending.popleft(), report, batch, outages)
            if outages.database_down:
                self._leave_out_staged(batch, outages)
            self._commit(db, batch, report, outages)
        if outages.left_out:
            report.stopped = outages.reason()
            log.warning(
                "import stopped: %s; storage_outages=%d code=%s database_outages=%d "
                "timed_out=%s not_attempted=%d",
                "storage down" if outages.storage_down else "database down",
                outages.storage,
                outages.storage_code,
                outages.database,
                outages.database_timed_out,
                len(outages.left_out),
            )
            report.rejected += [
                RejectedFile(path.name or str(path), report.stopped, str(path))
                for path in outages.left_out
            ]
        progress(report.processed, total, "")
        return report

    def _leave_out_staged(self, batch: Batch[_Prepared], outages: Outages) -> None:
        """With the database down, rows waiting for their commit are not tried either.

        Their objects are stored already; without rows they are orphans, which ``doctor``
        removes, never rows without objects.
        """
        if outages.database_down:
            outages.left_out += [prepared.path for prepared in batch.take()]

    def _prepare(
        self,
        db: UnitOfWork,
        path: Path,
        job_id: uuid.UUID | None,
        report: ImportReport,
        outages: Outages,
        *,
        accept_any: bool = False,
    ) -> _Prepared | None:
        """Read, hash, de-duplicate, extract and judge one file; None when it needs no upload."""
        name = path.name

        def reject(reason: str) -> None:
            report.rejected.append(RejectedFile(name, reason, str(path)))

        try:
            size = path.stat().st_size
            if size > self._max_bytes:
                reject(too_large_reason(size, self._max_bytes))
                return None
            data = _read_limited(path, self._max_bytes)
        except PermissionError:
            reject("You don't have permission to read it.")
            return None
        except OSError as exc:
            reject(f"It couldn't be read ({exc.strerror or 'input/output error'}).")
            return None
        if not data:
            reject("The file is empty.")
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            existing = self._existing(sha256, db)
            if existing is not None:
                if existing.integrity_problem is not None:
                    repaired = repair_of(self.owner_id, path, data, existing, report)
                    if repaired is None:
                        return None
                    copy, repair = repaired
                    return _Prepared(path=path, data=data, row=copy, repair=repair)
                self._as_duplicate(name, existing, report)
                return None
        except DatabaseUnavailable as exc:
            # The unit of work rolled back, dropping the broken connection: the next file
            # gets a fresh one. A constraint or a bad statement is a bug, left to propagate.
            log.warning("import database error file=%s: %s", name, exc.detail)
            reject(str(exc))
            outages.database_failed(1, exc)
            return None
        try:
            document = extract_document(data, file_name=name, max_bytes=self._max_bytes)
        except RejectedDocument as exc:
            reject(str(exc))
            return None
        gate_kind = self._gate(document.text, name, report, path, accept_any=accept_any)
        if gate_kind == _TURNED_AWAY:
            return None
        key = resume_key(self.owner_id, sha256, document.extension)
        row = ResumeValues(
            user_id=self.owner_id,
            file_name=name,
            s3_resume_key=key,
            content_sha256=sha256,
            size_bytes=len(data),
            media_type=document.media_type,
            job_posting_id=job_id,
            text_content=document.text,
            candidate_name=document.candidate_name,
            candidate_email=document.candidate_email,
            candidate_phone=document.candidate_phone,
        )
        return _Prepared(path=path, data=data, row=row, gate_kind=gate_kind)

    @staticmethod
    def _gate(
        text: str, name: str, report: ImportReport, path: Path, *, accept_any: bool
    ) -> str | None:
        """None for a resume; the gate's kind for a non-resume let in by ``accept_any``;
        :data:`_TURNED_AWAY` (after rejecting it with the gate's reason) otherwise.

        The log has the kind, the score and the cues (vocabulary, never the text or the name).
        """
        verdict = judge_resume(text, file_name=name)
        if verdict.is_resume:
            return None
        log.info(
            "import gate kind=%s score=%d cues=%s accept_any=%s",
            verdict.kind,
            verdict.score,
            list(verdict.cues),
            accept_any,
        )
        if accept_any:
            return verdict.kind
        report.rejected.append(
            RejectedFile(name, verdict.reason, str(path), gate_kind=verdict.kind)
        )
        return _TURNED_AWAY

    def _upload(self, prepared: _Prepared, cancel: CancelToken | None, outages: Outages) -> None:
        """Runs on the upload thread: the object goes to the store before its row exists.

        The outage check is here, not on the import thread, because the upload queued behind
        the one that tripped it starts as soon as that one fails. A repair replaces what the
        key holds (changed bytes); the store still checks the SHA-256 of what it receives.
        """
        if cancel is not None and cancel.cancelled:
            raise _UploadSkipped()
        if outages.stopping:
            raise _ImportStopping()
        try:
            put_object(
                self._store, prepared.row, prepared.data, overwrite=prepared.repair is not None
            )
        except StorageError as exc:
            outages.storage_failed(exc.code)
            raise
        outages.storage_answered()

    def _record(
        self,
        db: UnitOfWork,
        prepared: _Prepared,
        upload: Future[None],
        report: ImportReport,
        batch: Batch[_Prepared],
        outages: Outages,
    ) -> None:
        """Wait for the upload, then stage the row (never a row without its object)."""
        try:
            upload.result()
        except _UploadSkipped:
            return  # cancelled before it started: nothing of this file was stored
        except _ImportStopping:
            outages.left_out.append(prepared.path)
            return
        except StorageError as exc:
            row = prepared.row
            log.warning(
                "import put failed key=%s code=%s %s", row.s3_resume_key, exc.code, exc.detail
            )
            report.rejected.append(
                RejectedFile(prepared.path.name, f"It couldn't be saved: {exc}", str(prepared.path))
            )
            return
        if prepared.repair is not None:
            commit_repair(db, self.owner_id, prepared.path, prepared.repair, report, outages)
            return
        batch.add(replace(prepared, row=replace(prepared.row, created_at=self._clock())))

    def _commit(
        self, db: UnitOfWork, batch: Batch[_Prepared], report: ImportReport, outages: Outages
    ) -> None:
        """Write the staged rows in one transaction; a conflict falls back to one by one."""
        staged = batch.take()
        if not staged:
            return
        try:
            records = [db.resumes.add(p.row) for p in staged]
            for prepared, record in zip(staged, records, strict=True):
                self._audit_accept_any(db, prepared, record.id)
            db.commit()
        except Conflict:
            # Another process stored some of the same bytes first: settle each file alone.
            for prepared in staged:
                self._commit_one(db, prepared, report, outages)
            return
        except DatabaseUnavailable as exc:
            # The objects stay without rows: orphans for doctor, never rows without objects.
            log.warning(
                "import commit failed (%d files, objects kept for doctor): %s",
                len(staged),
                exc.detail,
            )
            for prepared in staged:
                report.rejected.append(
                    RejectedFile(prepared.row.file_name, str(exc), str(prepared.path))
                )
            outages.database_failed(len(staged), exc)
            return
        outages.database_wrote()
        for prepared, record in zip(staged, records, strict=True):
            report.added.append(ImportedFile(prepared.row.file_name, record))

    def _commit_one(
        self, db: UnitOfWork, prepared: _Prepared, report: ImportReport, outages: Outages
    ) -> None:
        row, name = prepared.row, prepared.row.file_name
        try:
            record = db.resumes.add(row)
            self._audit_accept_any(db, prepared, record.id)
            try:
                db.commit()
            except Conflict:
                winner = self._existing(row.content_sha256, db)
                if winner is None:
                    raise
                report.duplicates.append(
                    DuplicateFile(name, winner.id, existing_file_name=winner.file_name)
                )
                return
        except DatabaseUnavailable as exc:
            log.warning("import database error file=%s: %s", name, exc.detail)
            report.rejected.append(RejectedFile(name, str(exc), str(prepared.path)))
            outages.database_failed(1, exc)
            return
        outages.database_wrote()
        report.added.append(ImportedFile(name, record))

    def _audit_accept_any(self, db: UnitOfWork, prepared: _Prepared, resume_id: uuid.UUID) -> None:
        """In the row's transaction: a file the gate would have turned away, imported anyway.
        Ids and kinds only, never names."""
        if prepared.gate_kind is not None:
            db.audit.add(
                owner_id=self.owner_id,
                action="import_accept_any",
                subject_id=resume_id,
                detail={"gate_kind": prepared.gate_kind},
            )

    def _existing(self, sha256: str, db: UnitOfWork) -> ResumeFile | None:
        return db.resumes.by_content(self.owner_id, sha256)

    def _as_duplicate(self, name: str, existing: ResumeFile, report: ImportReport) -> None:
        if existing.deleted_at is None:
            report.duplicates.append(
                DuplicateFile(name, existing.id, existing_file_name=existing.file_name)
            )
            return
        # Dropping a file that sits in the trash is the clearest way to ask for it back.
        self.restore(existing.id)
        report.restored.append(
            DuplicateFile(
                name, existing.id, restored_from_trash=True, existing_file_name=existing.file_name
            )
        )

    def _require_job(self, job_id: uuid.UUID) -> None:
        with self._uow() as uow:
            found = uow.jobs.exists(self.owner_id, job_id)
        if not found:
            raise NotFound(f"No job posting with id {job_id}.")

    # ----------------------------------------------------------------- reading
    def page(
        self,
        *,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        trashed: bool = False,
        sort: str = "added",
        descending: bool | None = None,
        after: tuple[Any, uuid.UUID] | None = None,
        with_total: bool = True,
    ) -> Page[ResumeRecord]:
        """One page of the library (or the trash) with the total.

        ``sort`` is "added" (newest first by default), "file_name" or "size". For long lists
        pass ``after`` (the previous page's ``next_after``) instead of an offset: a keyset page
        reads only its own rows from an index. ``with_total=False`` skips the count, which later
        pages do not need. Search uses the database's own index (word prefixes on the embedded
        library, substrings on a server).
        """
        check_paging(limit, offset)
        if sort not in SORT_KEYS:
            raise InvalidInput(f"Can't sort by {sort!r}; choose one of {', '.join(SORT_KEYS)}.")
        if descending is None:
            descending = sort == "added"
        with self._uow() as uow:
            return uow.resumes.page(
                self.owner_id,
                search=search,
                limit=limit,
                offset=offset,
                trashed=trashed,
                sort=sort,
                descending=descending,
                after=after,
                with_total=with_total,
            )

    def get(self, resume_id: uuid.UUID) -> ResumeRecord:
        """A resume of this user, in the library or the trash."""
        with self._uow() as uow:
            return self._counted(uow, self._owned(uow, resume_id))

    def text_of(self, resume_id: uuid.UUID) -> str:
        with self._uow() as uow:
            text = uow.resumes.text_of(self.owner_id, resume_id)
        if text is None:
            raise NotFound(f"No resume with id {resume_id} in your library.")
        return text

    def read_bytes(self, resume_id: uuid.UUID) -> bytes:
        """The original file, for opening or saving a copy."""
        key = self.get(resume_id).s3_resume_key
        # A row can only point into its owner's prefix; refuse anything else outright.
        if not owns_key(self.owner_id, key):
            raise NotFound(f"No resume with id {resume_id} in your library.")
        return self._store.get(key)

    def _owned(self, uow: UnitOfWork, resume_id: uuid.UUID) -> ResumeRecord:
        return owned(uow, self.owner_id, resume_id)

    _counted = staticmethod(counted)

    # ----------------------------------------------------------------- trash
    def delete(self, resume_id: uuid.UUID) -> ResumeRecord:
        """Move to the trash: hidden from the library and availability, history kept."""
        return self._trash.delete(resume_id)

    def restore(self, resume_id: uuid.UUID) -> ResumeRecord:
        return self._trash.restore(resume_id)

    def purge(
        self,
        *,
        older_than_days: float | None = None,
        resume_id: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[uuid.UUID]:
        """Empty the trash for good, rows first, then objects (:meth:`Trash.purge`): one
        trashed resume (``resume_id``; a live one is refused with :class:`NotInTrash`) or
        everything trashed more than ``older_than_days`` ago (default 30)."""
        return self._trash.purge(
            older_than_days=older_than_days, resume_id=resume_id, progress=progress, cancel=cancel
        )

    def erase(self, resume_id: uuid.UUID) -> ResumeRecord:
        """Erase one resume now, in the library or in the trash, with its analyses and an
        "erase" entry in the audit trail, then its stored file (:meth:`Trash.erase`)."""
        return self._trash.erase(resume_id)


def check_paging(limit: int, offset: int) -> None:
    """InvalidInput for a page size or offset no list accepts."""
    if limit < 1 or limit > 10_000:
        raise InvalidInput("The page size must be between 1 and 10000.")
    if offset < 0:
        raise InvalidInput("The offset can't be negative.")


__all__ = [
    "COMMIT_AFTER",
    "COMMIT_EVERY",
    "DATABASE_DOWN",
    "DATABASE_TIMED_OUT",
    "OUTAGE_STOP_AFTER",
    "LibraryService",
    "NotInTrash",
    "check_paging",
    "database_stopped_reason",
    "hidden_skipped_note",
    "is_hidden_name",
    "storage_stopped_reason",
    "walk_paths",
]
