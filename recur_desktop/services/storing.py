"""Storing a resume: its object first, then its row, then the commit.

The write order of ``architecture.md``: the object goes to the store under its content key
with the SHA-256 the store verifies, and only then is the row inserted and committed. A crash
between the two leaves an object without a row (an orphan ``doctor`` removes), never a row
without an object. Every path that adds a resume comes here: the import (which puts objects on
its upload thread and records rows in groups: :func:`put_object`, then ``uow.resumes.add`` and
one commit per group), the legacy migration (a copy inside the store) and the transfer to a
server (:func:`store_resume`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from recur_desktop.domain import ResumeRecord
from recur_desktop.persistence.ports import ResumeValues, UnitOfWork, UnitOfWorkFactory
from recur_desktop.storage import ObjectStore


def object_metadata(values: ResumeValues, **extra: str) -> dict[str, str]:
    """What a stored object says about itself: the name it was imported by and its SHA-256
    (the key holds neither the name nor anything else a sender typed)."""
    return {
        "original-file-name": values.file_name,
        "content-sha256": values.content_sha256,
        **extra,
    }


def put_object(
    store: ObjectStore, values: ResumeValues, data: bytes, *, overwrite: bool = False
) -> bool:
    """Step one: ``data`` under the row's key, checked by its SHA-256. ``overwrite`` replaces
    what the key holds (a repair of bytes ``doctor`` found changed). True when stored now,
    False when the store held these bytes already."""
    # Passed only for a repair: stores (and test doubles) that predate it keep working.
    replace = {"overwrite": True} if overwrite else {}
    return store.put(
        values.s3_resume_key,
        data,
        sha256_hex=values.content_sha256,
        media_type=values.media_type,
        metadata=object_metadata(values),
        **replace,
    )


def copy_object(store: ObjectStore, source_key: str, values: ResumeValues) -> bool:
    """Step one for an object the store holds already under another key (the legacy layout):
    copied inside the store, checked by its SHA-256. True when copied now."""
    return store.copy(
        source_key,
        values.s3_resume_key,
        sha256_hex=values.content_sha256,
        media_type=values.media_type,
        metadata=object_metadata(values, **{"migrated-from": source_key}),
    )


@dataclass(frozen=True)
class Stored:
    record: ResumeRecord
    #: The object was written now (False: the store held these bytes under the key already).
    object_written: bool


def store_resume(
    uow: UnitOfWorkFactory,
    store: ObjectStore,
    values: ResumeValues,
    *,
    data: bytes | None = None,
    copy_from: str | None = None,
    also: Callable[[UnitOfWork], None] | None = None,
) -> Stored:
    """The object (``data``, or a copy of ``copy_from``), then the row and whatever ``also``
    writes in the same transaction (a journal entry), then the commit.

    A :class:`~recur_desktop.storage.StorageError` leaves no row. A
    :class:`~recur_desktop.domain.errors.Conflict` means another writer recorded the same bytes
    first: the object is the same content under the same key, so nothing is lost.
    """
    if (data is None) == (copy_from is None):
        raise ValueError("give the bytes or the key to copy from, one of them")
    if data is not None:
        written = put_object(store, values, data)
    else:
        assert copy_from is not None
        written = copy_object(store, copy_from, values)
    with uow() as work:
        record = work.resumes.add(values)
        if also is not None:
            also(work)
        work.commit()
    return Stored(record, written)


__all__ = ["Stored", "copy_object", "object_metadata", "put_object", "store_resume"]
