"""The acting user: created on first use, identified by a UUID from then on."""

from __future__ import annotations

import uuid

from recur_desktop.persistence.ports import UnitOfWorkFactory
from recur_desktop.services.errors import Conflict


def ensure_user(uow: UnitOfWorkFactory, login_name: str) -> uuid.UUID:
    """Id of the user called ``login_name``, creating the row the first time it is seen."""
    with uow() as work:
        existing = work.users.id_by_login(login_name)
        if existing is not None:
            return existing
        created = work.users.add(login_name, display_name=login_name)
        try:
            work.commit()
        except Conflict:
            # Another process created it between our read and our write.
            winner = work.users.id_by_login(login_name)
            if winner is None:
                raise
            return winner
        return created
