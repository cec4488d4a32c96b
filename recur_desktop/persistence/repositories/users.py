"""Users: the acting recruiter, by login name (embedded) or by database role (team)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.tables import UserRow


class SqlUsers(SqlRepository):
    def id_by_login(self, login_name: str) -> uuid.UUID | None:
        return self.session.scalar(select(UserRow.id).where(UserRow.login_name == login_name))

    def id_by_role(self, db_role: str) -> uuid.UUID | None:
        return self.session.scalar(select(UserRow.id).where(UserRow.db_role == db_role))

    def add(self, login_name: str, display_name: str) -> uuid.UUID:
        row = UserRow(id=uuid.uuid4(), login_name=login_name, display_name=display_name)
        self.session.add(row)
        return row.id
