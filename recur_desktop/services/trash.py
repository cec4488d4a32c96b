"""The trash and erasure of one user's resumes: move to the trash, restore, purge, erase.

Rows go before objects when removing: an object left without its row is an orphan ``doctor``
removes, a row without its object would be a resume that can't be opened. Every purge and
erasure is written to the audit trail in the transaction that removes the row. The library
(:class:`~recur_desktop.services.library.LibraryService`) offers these as its own methods.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from recur_desktop.domain import CancelToken, Progress, ResumeRecord, no_progress
from recur_desktop.domain.clock import utcnow
from recur_desktop.persistence.ports import UnitOfWork, UnitOfWorkFactory
from recur_desktop.services.errors import InvalidInput, NotFound
from recur_desktop.storage import ObjectStore, StorageError, delete_owned

#: The library's logger: these lines are part of its log, as before.
log = logging.getLogger("recur_desktop.services.library")


class NotInTrash(InvalidInput):
    """Purge was asked to remove a resume that is still in the library (erase does that)."""


def owned(uow: UnitOfWork, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRecord:
    """The owner's resume (in the library or the trash), or NotFound."""
    record = uow.resumes.get(owner_id, resume_id)
    if record is None:
        raise NotFound(f"No resume with id {resume_id} in your library.")
    return record


def counted(uow: UnitOfWork, record: ResumeRecord) -> ResumeRecord:
    """``record`` with its real number of analyses (one indexed count)."""
    return replace(record, analysis_count=uow.resumes.analysis_count(record.id))


class Trash:
    """One user's trash: what :meth:`LibraryService.delete`, ``restore``, ``purge`` and
    ``erase`` do."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: ObjectStore,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
        self._store = store
        self.owner_id = owner_id
        self._clock = clock

    def _owned(self, uow: UnitOfWork, resume_id: uuid.UUID) -> ResumeRecord:
        return owned(uow, self.owner_id, resume_id)

    _counted = staticmethod(counted)

    def delete(self, resume_id: uuid.UUID) -> ResumeRecord:
        """Move to the trash: hidden from the library and availability, history kept."""
        with self._uow() as uow:
            record = self._owned(uow, resume_id)
            if record.deleted_at is None:
                record = replace(record, deleted_at=self._clock())
                uow.resumes.set_deleted_at(self.owner_id, resume_id, record.deleted_at)
                uow.commit()
            return self._counted(uow, record)

    def restore(self, resume_id: uuid.UUID) -> ResumeRecord:
        with self._uow() as uow:
            record = self._owned(uow, resume_id)
            if record.deleted_at is not None:
                record = replace(record, deleted_at=None)
                uow.resumes.set_deleted_at(self.owner_id, resume_id, None)
                uow.commit()
            return self._counted(uow, record)

    def purge(
        self,
        *,
        older_than_days: float | None = None,
        resume_id: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[uuid.UUID]:
        """Empty the trash for good: rows first, then objects (an orphan is recoverable, a
        dangling row not).

        Only ever touches the trash: ``resume_id`` removes one trashed resume at once (a
        resume still in the library is refused with :class:`NotInTrash`; :meth:`erase` is the
        deliberate way to remove that); otherwise everything trashed more than
        ``older_than_days`` ago (default 30).
        """
        if resume_id is not None and older_than_days is not None:
            raise InvalidInput("Purge either one resume or by age, not both.")
        with self._uow() as uow:
            if resume_id is not None:
                target = self._owned(uow, resume_id)
                if target.deleted_at is None:
                    raise NotInTrash(
                        f"“{target.file_name}” is not in the trash, and purge only removes "
                        "resumes from the trash. To erase it now with its history, use "
                        f"`recur erase {target.id}` (or Erase for good… in the window)."
                    )
                targets = [target]
            else:
                days = 30.0 if older_than_days is None else older_than_days
                if days < 0:
                    raise InvalidInput("The number of days can't be negative.")
                cutoff = self._clock() - timedelta(days=days)
                targets = uow.resumes.trashed_before(self.owner_id, cutoff)
        purged: list[uuid.UUID] = []
        for done, target in enumerate(targets):
            if cancel is not None and cancel.cancelled:
                break
            progress(done, len(targets), target.file_name)
            if self._remove(target.id, action="purge", only_trashed=True) is not None:
                purged.append(target.id)
        progress(len(purged), len(targets), "")
        return purged

    def erase(self, resume_id: uuid.UUID) -> ResumeRecord:
        """Erase one resume now, in the library or in the trash (a candidate's erasure
        request): its row and analyses in one transaction with an "erase" entry in the audit
        trail, then its stored file. Returns what was erased, for the confirmation.
        """
        record = self._remove(resume_id, action="erase", only_trashed=False)
        if record is None:  # gone between the lookup and the delete: erased by someone else
            raise NotFound(f"No resume with id {resume_id} in your library.")
        return record

    def _remove(
        self, resume_id: uuid.UUID, *, action: str, only_trashed: bool
    ) -> ResumeRecord | None:
        """Delete one resume's row (its analyses go with it), then its object.

        None when there is nothing to remove any more: the row is gone, or (``only_trashed``)
        it was restored since the caller looked, so a purge never takes a live resume.
        """
        with self._uow() as uow:
            found = uow.resumes.get(self.owner_id, resume_id)
            if found is None or (only_trashed and found.deleted_at is None):
                return None
            record = self._counted(uow, found)
            uow.resumes.remove(self.owner_id, resume_id)
            # In the same transaction: no erasure without its trail entry, and no entry
            # for an erasure that rolled back. Ids and flags only, never names.
            uow.audit.add(
                owner_id=self.owner_id,
                action=action,
                subject_id=resume_id,
                detail={"was_trashed": record.deleted_at is not None},
            )
            uow.commit()
        try:
            delete_owned(self._store, self.owner_id, record.s3_resume_key)
        except StorageError as exc:
            # The row is gone; doctor finds and removes the orphaned object later.
            log.warning("%s delete failed key=%s: %s", action, record.s3_resume_key, exc.detail)
        return record
