"""The audit trail of one recruiter: erasures, purges, removals and repairs, newest first."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import AuditEvent
from recur_desktop.persistence.audit import events


class AuditService:
    def __init__(self, sessions: sessionmaker[Session], owner_id: uuid.UUID) -> None:
        self._sessions = sessions
        self.owner_id = owner_id

    def events(self, *, since: datetime | None = None, limit: int = 1000) -> list[AuditEvent]:
        with self._sessions() as session:
            return events(session, self.owner_id, since=since, limit=limit)
