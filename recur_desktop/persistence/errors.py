"""The one place that knows the driver's errors: each becomes a service error callers handle.

- a statement the server gave up on (Postgres ``statement_timeout`` / ``lock_timeout``:
  SQLSTATE 57014 ``query_canceled``, 55P03 ``lock_not_available``, whatever class the driver
  maps them to) or SQLite's busy timeout ("database is locked"): :class:`DatabaseTimeout`;
- any other ``OperationalError``, or a connection the pool had to throw away: a lost, refused or
  broken connection, :class:`DatabaseUnavailable`;
- an ``IntegrityError`` a repository did not settle itself: :class:`Conflict`;
- anything else SQLAlchemy raises: :class:`DatabaseError` naming only the error's class.

The driver's message goes into ``detail`` (for the log: ids and codes, never shown to a
recruiter) and the original stays chained as ``__cause__``.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from recur_desktop.domain.errors import (
    Conflict,
    DatabaseError,
    DatabaseTimeout,
    DatabaseUnavailable,
)

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# SQLSTATEs of a statement the server gave up on: query_canceled (statement_timeout) and
# lock_not_available (lock_timeout). Read from the driver's exception, so no driver import.
TIMED_OUT_SQLSTATES = frozenset({"57014", "55P03"})

CONFLICT = (
    "Someone else changed the library at the same moment, so this wasn't saved. Nothing was "
    "lost; try again."
)


def translate(exc: SQLAlchemyError) -> DatabaseError:
    """The service error for a driver error (not raised: the caller raises it ``from exc``)."""
    error: DatabaseError
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    if isinstance(exc, DBAPIError) and getattr(orig, "sqlstate", None) in TIMED_OUT_SQLSTATES:
        error = DatabaseTimeout()
    elif isinstance(exc, OperationalError):
        # SQLite's busy timeout (30 s, persistence/engine.py) ran out behind another writer.
        error = DatabaseTimeout() if "database is locked" in str(orig) else DatabaseUnavailable()
    elif isinstance(exc, DBAPIError) and exc.connection_invalidated:
        error = DatabaseUnavailable()
    elif isinstance(exc, IntegrityError):
        error = Conflict(CONFLICT)
    else:
        error = DatabaseError(DatabaseError.FAILED.format(name=exc.__class__.__name__))
    error.detail = str(orig if orig is not None else exc.__class__.__name__)
    return error


def rolled_back(session: Session, exc: SQLAlchemyError) -> DatabaseError:
    """Roll ``session`` back after ``exc`` (so the unit of work stays usable, and a broken
    connection goes back to the pool to be replaced) and return the translated error."""
    try:
        session.rollback()
    except SQLAlchemyError as again:  # the connection is gone; closing the session ends it
        log.debug("rollback after %s failed: %s", exc.__class__.__name__, again)
    return translate(exc)


def _guarded(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as exc:
            repository = args[0]
            assert isinstance(repository, SqlRepository)
            raise rolled_back(repository.session, exc) from exc

    return call


def _translated(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    return call


T = TypeVar("T", bound=type)


def translating(cls: T) -> T:
    """Class decorator for a service that still opens its own sessions or connections (the
    legacy migration, the team administration on its admin engine): the driver's errors leave
    its public methods as service errors, as they leave a unit of work."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, _translated(member))
    return cls


class SqlRepository:
    """Base of the SQL repositories: every public method's driver errors are translated, and
    the unit of work's transaction is rolled back, so a caller that handles the error (an
    import that goes on with the next file) continues with a usable unit of work."""

    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, _guarded(member))


__all__ = [
    "TIMED_OUT_SQLSTATES",
    "SqlRepository",
    "rolled_back",
    "translate",
    "translating",
]
