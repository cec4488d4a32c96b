"""The object pass, shared by every mode: hash each legacy object (from the journal when its
size and date did not change), then, for each content not yet in the library, read its text
(dry run) or copy it and record its resume (apply). Verify only hashes, and always again.

Objects run on the service's worker threads; the first object of a content to be read
*claims* it, so each content is extracted and copied once.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

from recur_desktop.domain import CancelToken, Progress
from recur_desktop.domain.media import (
    EXTENSIONS,
    MEDIA_DOCX,
    MEDIA_PDF,
    MEDIA_TEXT,
    UNKNOWN_EXTENSION,
    UNKNOWN_MEDIA,
)
from recur_desktop.extraction import RejectedDocument, extract_document, too_large_reason
from recur_desktop.extraction.sniff import Sniffed, sniff
from recur_desktop.services.legacy import journal
from recur_desktop.services.legacy.apply import Candidate, Created, create_content
from recur_desktop.services.legacy.context import Context
from recur_desktop.services.legacy.records import Problem
from recur_desktop.services.legacy.survey import (
    LegacyObject,
    Survey,
    iso,
)
from recur_desktop.services.workers import run_pool
from recur_desktop.storage import ObjectNotFound, StorageError

log = logging.getLogger(__name__)


def process_objects(
    ctx: Context,
    survey: Survey,
    mode: str,
    progress: Progress,
    cancel: CancelToken | None,
    created: Created | None = None,
) -> bool:
    """Run the pass over every legacy object still in the store; ``mode`` is ``plan``,
    ``apply`` (``created`` counts what it made) or ``verify``. Returns True when cancelled.

    Problems (``read_failed``, ``copy_failed``) go to the survey; so do the hashes.
    """
    order = object_order(survey)
    batch = journal.JournalBatch(ctx)

    def task(obj: LegacyObject) -> None:
        _object_task(ctx, survey, obj, mode, batch, created)

    try:
        return run_pool(
            order,
            task,
            workers=ctx.workers,
            progress=progress,
            cancel=cancel,
            note=lambda obj: obj.key,
            thread_name_prefix="legacy",
        )
    finally:
        batch.flush()


def object_order(survey: Survey) -> list[LegacyObject]:
    """Objects named by rows first, oldest upload first, then the unreferenced ones by
    age: the first object of a content to be claimed is then usually the one that
    represents it, and the fix-up after has little to correct."""
    best: dict[str, tuple[datetime, str]] = {}
    for row in survey.rows:
        row_rank = (row.uploaded_at, str(row.id))
        if row.s3_key in survey.objects and (row.s3_key not in best or row_rank < best[row.s3_key]):
            best[row.s3_key] = row_rank
    epoch = datetime.min.replace(tzinfo=UTC)

    def rank(obj: LegacyObject) -> tuple[Any, ...]:
        if obj.key in best:
            return (0, *best[obj.key], obj.key)
        return (1, obj.last_modified or epoch, "", obj.key)

    return sorted((o for o in survey.objects.values() if not o.deleted), key=rank)


def _object_task(
    ctx: Context,
    survey: Survey,
    obj: LegacyObject,
    mode: str,
    batch: journal.JournalBatch,
    created: Created | None,
) -> None:
    data: bytes | None = None
    cached = survey.journal_objects.get(obj.key)
    fresh = True

    def journal_hash() -> None:
        batch.add(journal.object_entry(obj.key, obj.journal_detail(), ctx.clock()))

    try:
        if (
            mode != "verify"
            and cached is not None
            and cached.get("size") == obj.size
            and cached.get("last_modified") == iso(obj.last_modified)
        ):
            obj.sha256 = cached["sha256"]
            obj.extension = cached["ext"]
            obj.media_type = cached["media_type"]
            fresh = False
        elif mode == "verify" or obj.size > ctx.max_bytes:
            # Stream: verify needs no bytes, and an oversized file is never held in memory.
            obj.sha256 = ctx.store.sha256_of(obj.key)
            if mode != "verify":
                obj.extension, obj.media_type = UNKNOWN_EXTENSION, UNKNOWN_MEDIA
        else:
            data = ctx.store.get(obj.key)
            obj.sha256 = hashlib.sha256(data).hexdigest()
            obj.media_type, obj.extension = _sniffed_type(data)
    except ObjectNotFound:
        survey.add_problem(
            Problem(
                "read_failed",
                obj.user_id,
                "The file disappeared from storage while it was being read.",
                key=obj.key,
                file_name=obj.name,
            )
        )
        obj.sha256 = None
        return
    except StorageError as exc:
        log.warning("legacy read failed key=%s: %s", obj.key, exc.detail)
        survey.add_problem(
            Problem("read_failed", obj.user_id, str(exc), key=obj.key, file_name=obj.name)
        )
        obj.sha256 = None
        return
    if mode == "verify":
        return
    content_key = (obj.user_id, obj.sha256)
    with survey.lock:
        claim = content_key not in survey.present and content_key not in survey.claimed
        if claim:
            survey.claimed.add(content_key)
    if not claim:
        if mode == "apply" and fresh:
            journal_hash()
        return
    try:
        if data is None and obj.size <= ctx.max_bytes:
            data = ctx.store.get(obj.key)
            if hashlib.sha256(data).hexdigest() != obj.sha256:
                raise StorageError(
                    "The file changed since it was first read; run the migration again.",
                    detail=f"legacy key={obj.key} changed since hashed",
                    code="bad_digest",
                )
        text, extraction_error, candidate = _extract(ctx, obj, data)
        if mode == "plan":
            with survey.lock:
                survey.extraction_errors[content_key] = extraction_error
            return
        assert created is not None
        create_content(ctx, survey, obj, text, extraction_error, candidate, created, batch)
    except StorageError as exc:
        log.warning("legacy migrate failed key=%s: %s", obj.key, exc.detail)
        survey.add_problem(
            Problem("copy_failed", obj.user_id, str(exc), key=obj.key, file_name=obj.name)
        )
        with survey.lock:
            survey.claimed.discard(content_key)
        if mode == "apply" and fresh:
            journal_hash()
    except BaseException:
        with survey.lock:
            survey.claimed.discard(content_key)
        raise


def _sniffed_type(data: bytes) -> tuple[str, str]:
    """(media type, extension) from the bytes alone, for a file whose text can't be read."""
    verdict = sniff(data)
    if isinstance(verdict, Sniffed):
        if verdict.kind == "pdf":
            return MEDIA_PDF, EXTENSIONS[MEDIA_PDF]
        if verdict.kind == "docx":
            return MEDIA_DOCX, EXTENSIONS[MEDIA_DOCX]
        return MEDIA_TEXT, EXTENSIONS[MEDIA_TEXT]
    return UNKNOWN_MEDIA, UNKNOWN_EXTENSION


def _extract(
    ctx: Context, obj: LegacyObject, data: bytes | None
) -> tuple[str, str | None, Candidate]:
    """(text, why it could not be read, candidate name/email/phone) of a legacy file."""
    if data is None:
        return "", too_large_reason(obj.size, ctx.max_bytes), (None, None, None)
    try:
        document = extract_document(data, file_name=obj.name, max_bytes=ctx.max_bytes)
    except RejectedDocument as exc:
        return "", str(exc), (None, None, None)
    obj.media_type, obj.extension = document.media_type, document.extension
    return (
        document.text,
        None,
        (document.candidate_name, document.candidate_email, document.candidate_phone),
    )
