"""The acting user: created on first use, identified by a UUID from then on."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.persistence.tables import UserRow


def ensure_user(sessions: sessionmaker[Session], login_name: str) -> uuid.UUID:
    """Id of the user called ``login_name``, creating the row the first time it is seen."""
    with sessions() as session:
        existing = session.scalar(select(UserRow.id).where(UserRow.login_name == login_name))
        if existing is not None:
            return existing
        row = UserRow(login_name=login_name, display_name=login_name)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            # Another process created it between our read and our write.
            session.rollback()
            return session.scalars(select(UserRow.id).where(UserRow.login_name == login_name)).one()
        return row.id
