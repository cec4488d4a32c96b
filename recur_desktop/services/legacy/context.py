"""What every step of the migration works with: built once by the service, passed along."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.persistence.ports import UnitOfWorkFactory
from recur_desktop.persistence.repositories.journal import dialect_insert
from recur_desktop.services.errors import ServiceError
from recur_desktop.storage import ObjectStore

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """The database, the store, the limits and the clock of one migration service.

    Steps open one database session (or unit of work, ``uow``) per task, so they are safe on
    the worker threads of :func:`recur_desktop.services.workers.run_pool`.
    """

    sessions: sessionmaker[Session]
    uow: UnitOfWorkFactory
    store: ObjectStore
    max_bytes: int
    workers: int
    clock: Callable[[], datetime]
    dialect: str

    def insert(self) -> Callable[[Any], Any]:
        """The dialect's ``insert`` (both have ``on_conflict_do_*``, the plain one has not)."""
        try:
            return dialect_insert(self.dialect)
        except ValueError:  # pragma: no cover - the app supports these two
            raise ServiceError(f"The legacy migration doesn't support {self.dialect}.") from None


def chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``values`` in slices of ``size``: bounded ``IN (...)`` lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
