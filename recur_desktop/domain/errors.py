"""The failures callers are told about, below both the services that raise them and the
persistence layer that turns a driver's errors into them (``recur_desktop.persistence.errors``).

``str()`` is always a sentence a recruiter can act on; the driver's own error stays chained as
``__cause__`` for the log.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every expected failure a caller should show rather than crash on."""


class NotFound(ServiceError):
    """No such resume, job or session for this user (another user's ids are not found either)."""


class InvalidInput(ServiceError):
    """The request itself is wrong (an empty title, a negative number of years...)."""


class StoreUnavailable(ServiceError):
    """A store the library lives in didn't answer (``store``: "database"): nothing was changed,
    and trying again later may work, so callers offer Retry rather than a dead end."""

    #: What the store or driver said, for the log only (ids and codes, never shown).
    detail: str = ""

    def __init__(self, message: str, *, store: str = "database") -> None:
        super().__init__(message)
        self.store = store


class DatabaseError(ServiceError):
    """The database refused the request (a constraint, a statement it could not run)."""

    #: What the driver said, for the log only (never shown: it may quote values).
    detail: str = ""

    #: The sentence for a refusal nothing more specific explains; ``{name}`` is the driver's
    #: error class (never its message, which may quote resume data).
    FAILED = "The library database refused the request ({name}). Nothing was changed."


class Conflict(DatabaseError):
    """Another writer got there first: a row with the same unique key (the same bytes for the
    same owner, the same login name) exists, or a reference no longer holds."""


class DatabaseUnavailable(StoreUnavailable, DatabaseError):
    """The database didn't answer: a refused, lost or broken connection."""

    #: The one sentence for "the database is unreachable" (the window's banner, the command
    #: line, a file an import could not save).
    DOWN = "The library database isn't answering. Nothing was lost; try again."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or type(self).DOWN, store="database")


class DatabaseTimeout(DatabaseUnavailable):
    """The database answered too late: a statement or lock timeout on Postgres, another writer
    holding SQLite past its busy timeout."""

    DOWN = "The library database didn't answer in time. Nothing was lost; try again."


__all__ = [
    "Conflict",
    "DatabaseError",
    "DatabaseTimeout",
    "DatabaseUnavailable",
    "InvalidInput",
    "NotFound",
    "ServiceError",
    "StoreUnavailable",
]
