"""Writing and reading the audit trail (revision 0007).

Events are added inside the transaction of the change they record, so a change and its trail
entry commit or roll back together.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from recur_desktop.domain import AuditEvent
from recur_desktop.persistence.tables import AuditEventRow, utcnow


def add_event(
    db: Session | Connection,
    *,
    owner_id: uuid.UUID,
    action: str,
    subject_id: uuid.UUID | None = None,
    detail: Mapping[str, Any] | None = None,
    actor: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event. ``detail`` holds ids and counts only, never names or resume text.

    On Postgres the actor is the connected role, filled in by the database (a recruiter's
    login can't write another name: the insert policy checks it); ``actor`` names the user on
    the embedded profile.
    """
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "user_id": owner_id,
        "action": action,
        "subject_id": subject_id,
        "detail": json.dumps(dict(detail or {}), sort_keys=True, default=str),
        "created_at": at or utcnow(),
    }
    bind = db.get_bind() if isinstance(db, Session) else db
    if bind.dialect.name != "postgresql":
        values["actor"] = actor or ""
    db.execute(insert(AuditEventRow).values(**values))


def events(
    session: Session, owner_id: uuid.UUID, *, since: datetime | None = None, limit: int = 1000
) -> list[AuditEvent]:
    """This owner's events, newest first."""
    stmt = select(AuditEventRow).where(AuditEventRow.user_id == owner_id)
    if since is not None:
        stmt = stmt.where(AuditEventRow.created_at >= since)
    stmt = stmt.order_by(AuditEventRow.created_at.desc(), AuditEventRow.id).limit(limit)
    return [
        AuditEvent(
            id=row.id,
            action=row.action,
            actor=row.actor,
            subject_id=row.subject_id,
            detail=json.loads(row.detail),
            created_at=row.created_at,
        )
        for row in session.scalars(stmt)
    ]
