"""The progress journal (``legacy_migration_journal``): what makes the migration resumable.

One row per item, keyed by what it is about:

- ``object:{legacy key}``: the object's SHA-256, size, date and sniffed type (``hashed``, or
  ``deleted`` once ``--delete-legacy`` removed it), so a rerun does not download it again;
- ``content:{user}:{sha256}``: the resume the migration created, written in the same
  transaction as the row (only those get their representative name corrected);
- ``session:{user}:{id}``: a migrated session, written with its analyses;
- ``run:{user}``: ``applied`` / ``deleted``, what the desktop banner reads.

This module owns those key formats; entries are upserted, so writing one twice is harmless.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recur_desktop.persistence.repositories.journal import upsert_journal
from recur_desktop.persistence.tables import LegacyMigrationJournalRow
from recur_desktop.services.legacy.context import Context, chunks

#: Hashes of duplicate objects are journaled this many per transaction.
JOURNAL_BATCH = 50

Entry = dict[str, Any]


def entry(key: str, state: str, detail: dict[str, Any], now: datetime) -> Entry:
    """One journal row, ready to upsert."""
    return {"key": key, "state": state, "detail": json.dumps(detail), "updated_at": now}


def object_entry(legacy_key: str, detail: dict[str, Any], now: datetime) -> Entry:
    return entry(f"object:{legacy_key}", "hashed", detail, now)


def deleted_object_entry(legacy_key: str, detail: dict[str, Any], now: datetime) -> Entry:
    return entry(f"object:{legacy_key}", "deleted", detail, now)


def content_entry(
    user_id: uuid.UUID, sha256: str, resume_id: uuid.UUID, source: str, now: datetime
) -> Entry:
    return entry(
        f"content:{user_id}:{sha256}",
        "created",
        {"resume_id": str(resume_id), "source": source},
        now,
    )


def session_entry(
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    analyses: int,
    job_posting_id: uuid.UUID | None,
    now: datetime,
) -> Entry:
    return entry(
        f"session:{user_id}:{session_id}",
        "written",
        {
            "analyses": analyses,
            "job_posting_id": None if job_posting_id is None else str(job_posting_id),
        },
        now,
    )


# ------------------------------------------------------------------------------------ writing
def write_in(ctx: Context, session: Session, entries: Sequence[Entry]) -> None:
    """Upsert ``entries`` in the caller's transaction (the caller commits)."""
    upsert_journal(session, ctx.dialect, entries)


def write(ctx: Context, *entries: Entry) -> None:
    """Upsert ``entries`` in a transaction of their own."""
    with ctx.sessions() as session:
        write_in(ctx, session, entries)
        session.commit()


def write_runs(
    ctx: Context, user_ids: Sequence[uuid.UUID], state: str, detail: dict[str, Any]
) -> None:
    """``run:{user}`` for each user: a finished run, what the banner asks about."""
    if not user_ids:
        return
    now = ctx.clock()
    write(ctx, *[entry(f"run:{uid}", state, detail, now) for uid in user_ids])


class JournalBatch:
    """Object hashes, written :data:`JOURNAL_BATCH` at a time from any worker thread.

    Losing the buffer to a crash costs only hashing those objects again, so one transaction
    per object (the bulk of the migration's database work) is not worth it.
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._buffer: list[Entry] = []

    def add(self, item: Entry) -> None:
        with self._lock:
            self._buffer.append(item)
            if len(self._buffer) < JOURNAL_BATCH:
                return
            batch, self._buffer = self._buffer, []
        write(self._ctx, *batch)

    def flush(self) -> None:
        with self._lock:
            batch, self._buffer = self._buffer, []
        if batch:
            write(self._ctx, *batch)


# ------------------------------------------------------------------------------------ reading
def read_objects(session: Session, scope: uuid.UUID | None) -> dict[str, dict[str, Any]]:
    """Legacy key -> the object's journaled detail plus its ``state``."""
    prefix = f"object:{scope}/" if scope is not None else "object:"
    return {
        key.removeprefix("object:"): {**json.loads(detail), "state": state}
        for key, state, detail in session.execute(
            select(
                LegacyMigrationJournalRow.key,
                LegacyMigrationJournalRow.state,
                LegacyMigrationJournalRow.detail,
            ).where(LegacyMigrationJournalRow.key.startswith(prefix))
        )
    }


def object_details(session: Session, legacy_keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Legacy key -> the object's journaled detail, for the keys that have an entry."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks([f"object:{k}" for k in legacy_keys], 500):
        for entry_key, detail in session.execute(
            select(LegacyMigrationJournalRow.key, LegacyMigrationJournalRow.detail).where(
                LegacyMigrationJournalRow.key.in_(chunk)
            )
        ):
            found[entry_key.removeprefix("object:")] = json.loads(detail)
    return found


def created_contents(session: Session, user_id: uuid.UUID) -> set[str]:
    """SHA-256 of each content whose resume the migration created for ``user_id``."""
    prefix = f"content:{user_id}:"
    return {
        key.removeprefix(prefix)
        for key in session.scalars(
            select(LegacyMigrationJournalRow.key).where(
                LegacyMigrationJournalRow.key.startswith(prefix)
            )
        )
    }


def last_run(session: Session, user_id: uuid.UUID) -> str | None:
    """State of the user's last finished run (``applied``, ``deleted``), None before any."""
    return session.scalar(
        select(LegacyMigrationJournalRow.state).where(
            LegacyMigrationJournalRow.key == f"run:{user_id}"
        )
    )
