"""The object store contract and the key scheme shared by every store."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


class StorageError(Exception):
    """The store failed. ``str()`` is a sentence for a recruiter; ``detail`` is for the log."""

    def __init__(self, message: str, *, detail: str = "", code: str = "") -> None:
        super().__init__(message)
        self.detail = detail
        self.code = code


class ObjectNotFound(StorageError):
    """The key has no object."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime


def user_prefix(user_id: uuid.UUID) -> str:
    """Every object of one user lives under this prefix (and nothing of anyone else)."""
    return f"{user_id}/resumes/"


def owns_key(user_id: uuid.UUID, key: str) -> bool:
    """Is ``key`` inside ``user_id``'s prefix (and nowhere else by a relative path)?"""
    return key.startswith(user_prefix(user_id)) and ".." not in key.split("/")


def delete_owned(store: ObjectStore, user_id: uuid.UUID, key: str) -> None:
    """Delete ``key`` for ``user_id``, refusing any key outside that user's prefix.

    Every deletion goes through here: a row's key is data a recruiter's login can write, so a
    purge, an erasure or a cleanup acting for one user must never reach another's object even
    when a row lies about where its file is.
    """
    if not owns_key(user_id, key):
        raise StorageError(
            "A file was not deleted: it does not belong to this library.",
            detail=f"delete refused: key={key!r} is outside {user_prefix(user_id)!r}",
            code="foreign_key",
        )
    store.delete(key)


def resume_key(user_id: uuid.UUID, sha256_hex: str, extension: str) -> str:
    """Content-addressed key: nothing user-typed ever becomes part of it.

    ``extension`` comes from the sniffed type (".pdf", ".docx", ".txt"), never from a file name.
    """
    if not _SHA256_HEX.match(sha256_hex):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256_hex!r}")
    if not _EXTENSION.match(extension):
        raise ValueError(f"not a sniffed extension: {extension!r}")
    return f"{user_prefix(user_id)}shared/{sha256_hex}{extension}"


class ObjectStore(Protocol):
    """What the services need from a bucket. Implementations are safe to share across threads."""

    #: Human-readable location ("s3://bucket" or a folder), for messages and ``doctor``.
    description: str

    def put(
        self,
        key: str,
        data: bytes,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
        overwrite: bool = False,
    ) -> bool:
        """Store ``data`` under ``key`` unless an object is already there.

        The store verifies ``sha256_hex`` against the bytes it received. Returns True when this
        call wrote the object, False when the key already held one (keys are content-addressed,
        so an existing object has the same bytes). Raises StorageError; never leaves a partial
        object behind.

        ``overwrite=True`` replaces whatever the key holds, atomically (readers see the old
        object or the new one, never a mix), and returns True. Only for a repair: ``doctor``
        found the object's bytes changed behind our back, so "already there" is no proof of
        "the same bytes" for that key any more.
        """
        ...

    def copy(
        self,
        src_key: str,
        dst_key: str,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
    ) -> bool:
        """Copy ``src_key`` to ``dst_key`` inside the store unless ``dst_key`` holds an object.

        For moving files between key layouts (the legacy migration) without the bytes passing
        through this process: S3 copies server-side. ``sha256_hex`` is what the caller hashed
        ``src_key`` to; the copy is checked against it, so a source changed in the meantime
        raises StorageError (code ``bad_digest``) and leaves nothing at ``dst_key``.
        ``media_type`` and ``metadata`` replace the source's, as ``put`` sets them. Returns True
        when this call wrote ``dst_key``, False when it already held an object; ObjectNotFound
        when ``src_key`` is missing.
        """
        ...

    def get(self, key: str) -> bytes:
        """The object's bytes; ObjectNotFound when missing."""
        ...

    def exists(self, key: str) -> bool: ...

    def sha256_of(self, key: str) -> str:
        """Hex SHA-256 of the stored bytes, hashed while streaming; ObjectNotFound if missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with ``prefix``, streamed page by page."""
        ...
