"""The audit trail of one recruiter: erasures, purges, removals and repairs, newest first."""

from __future__ import annotations

import uuid
from datetime import datetime

from recur_desktop.domain import AuditEvent
from recur_desktop.persistence.ports import UnitOfWorkFactory


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory, owner_id: uuid.UUID) -> None:
        self._uow = uow
        self.owner_id = owner_id

    def events(self, *, since: datetime | None = None, limit: int = 1000) -> list[AuditEvent]:
        with self._uow() as uow:
            return uow.audit.events(self.owner_id, since=since, limit=limit)
