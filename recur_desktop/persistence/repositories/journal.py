"""The legacy migration's progress journal (``legacy_migration_journal``): upserts, with the
dialect's ``INSERT ... ON CONFLICT`` chosen here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.tables import LegacyMigrationJournalRow

#: Each supported dialect's ``insert``: both have ``on_conflict_do_*``, the plain one has not.
_INSERTS: dict[str, Callable[[Any], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def dialect_insert(dialect: str) -> Callable[[Any], Any]:
    """The dialect's ``insert``, for ``INSERT ... ON CONFLICT``."""
    try:
        return _INSERTS[dialect]
    except KeyError:  # pragma: no cover - the app supports these two
        raise ValueError(f"no upsert for the {dialect} dialect") from None


def upsert_journal(
    db: Session | Connection, dialect: str, entries: Sequence[Mapping[str, Any]]
) -> None:
    """Upsert journal ``entries`` (key, state, detail, updated_at) in the caller's
    transaction (the caller commits)."""
    stmt = dialect_insert(dialect)(LegacyMigrationJournalRow.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "state": stmt.excluded.state,
            "detail": stmt.excluded.detail,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    db.execute(stmt, [dict(entry) for entry in entries])


class SqlLegacyJournal(SqlRepository):
    def upsert(self, entries: Sequence[Mapping[str, Any]]) -> None:
        upsert_journal(self.session, self.dialect, entries)
