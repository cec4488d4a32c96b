"""The audit trail, written in the transaction of the change it records."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from recur_desktop.domain import AuditEvent
from recur_desktop.persistence.audit import add_event, events
from recur_desktop.persistence.errors import SqlRepository


class SqlAuditTrail(SqlRepository):
    def add(
        self,
        *,
        owner_id: uuid.UUID,
        action: str,
        subject_id: uuid.UUID | None = None,
        detail: Mapping[str, Any] | None = None,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> None:
        add_event(
            self.session,
            owner_id=owner_id,
            action=action,
            subject_id=subject_id,
            detail=detail,
            actor=actor,
            at=at,
        )

    def events(
        self, owner_id: uuid.UUID, *, since: datetime | None, limit: int
    ) -> list[AuditEvent]:
        return events(self.session, owner_id, since=since, limit=limit)
