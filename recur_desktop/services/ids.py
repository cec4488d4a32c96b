"""Ids as people type them: a unique prefix of at least 8 hex characters, like git's hashes.

A UUID is 32 hex digits; nobody types that. A prefix names the one row of this owner whose id
starts with it. The lookup is a range on the primary key, ``id BETWEEN prefix-000… AND
prefix-fff…``, which both databases answer from the index: SQLAlchemy's ``Uuid`` stores a UUID
as its 32 lower-case hex digits on SQLite (and string order is then numeric order) and as a
native ``uuid`` on Postgres (ordered by its bytes, the same order).

Plain Python over the database: no Qt here.
"""

from __future__ import annotations

import enum
import string
import uuid
from dataclasses import dataclass
from typing import Any

from recur_desktop.persistence.ports import UnitOfWorkFactory
from recur_desktop.services.errors import InvalidInput, NotFound

#: The shortest prefix accepted: 8 hex digits (4 bytes) are unique in any one user's library
#: with overwhelming odds, and an unlucky collision is reported, never guessed.
MIN_PREFIX = 8
#: At most this many matches are listed when a prefix is ambiguous.
MAX_LISTED = 10

_HEX = frozenset(string.hexdigits)


class IdKind(enum.StrEnum):
    RESUME = "resume"
    JOB = "job"
    SESSION = "session"

    @property
    def noun(self) -> str:
        return {"resume": "resume", "job": "job posting", "session": "analysis session"}[self]


@dataclass(frozen=True)
class IdMatch:
    """One row a prefix matched, with what a person recognises it by."""

    id: uuid.UUID
    label: str


class AmbiguousId(InvalidInput):
    """A prefix that matches more than one row: the caller asks for more characters."""

    def __init__(self, kind: IdKind, prefix: str, matches: list[IdMatch], more: bool) -> None:
        count = f"more than {len(matches)}" if more else str(len(matches))
        #: The sentence without the list, for callers that show the matches one per line.
        self.headline = (
            f"The id {prefix} is ambiguous: it matches {count} {kind.noun}s. Type more of it."
        )
        listed = "; ".join(f"{m.id} ({m.label})" for m in matches)
        super().__init__(f"{self.headline} Matches: {listed}.")
        self.kind = kind
        self.prefix = prefix
        self.matches = matches


def normalise_prefix(text: str) -> str:
    """``text`` as lower-case hex digits without dashes; ``ValueError`` (a sentence) when it
    can't be an id or a prefix of one."""
    digits = text.strip().replace("-", "").lower()
    if not digits or not set(digits) <= _HEX:
        raise ValueError(f"{text!r} is not an id (hex digits, like 0b6f12ab)")
    if len(digits) > 32:
        raise ValueError(f"{text!r} is longer than an id")
    if len(digits) < MIN_PREFIX:
        raise ValueError(f"{text!r} is too short: give at least {MIN_PREFIX} characters of the id")
    return digits


def prefix_range(prefix: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The lowest and highest UUID that start with ``prefix`` (normalised)."""
    return uuid.UUID(prefix.ljust(32, "0")), uuid.UUID(prefix.ljust(32, "f"))


class IdResolver:
    """Turns what a person typed into one of the owner's ids (resumes in the trash included:
    ``restore`` and ``purge`` need them)."""

    def __init__(self, uow: UnitOfWorkFactory, owner_id: uuid.UUID) -> None:
        self._uow = uow
        self.owner_id = owner_id

    def resolve(self, kind: IdKind, text: str) -> uuid.UUID:
        """The id ``text`` names. A whole id is returned as it is (the command then says "not
        found" in its own words); a prefix must match exactly one row of this owner."""
        prefix = normalise_prefix(text)
        if len(prefix) == 32:
            return uuid.UUID(prefix)
        found = self.matches(kind, prefix, limit=MAX_LISTED + 1)
        if not found:
            raise NotFound(f"No {kind.noun} of yours has an id starting with {prefix}.")
        if len(found) > 1:
            raise AmbiguousId(kind, prefix, found[:MAX_LISTED], len(found) > MAX_LISTED)
        return found[0].id

    def matches(self, kind: IdKind, prefix: str, *, limit: int = MAX_LISTED) -> list[IdMatch]:
        """The owner's rows whose id starts with ``prefix`` (normalised), in id order."""
        low, high = prefix_range(prefix)
        rows: list[tuple[Any, ...]]
        with self._uow() as uow:
            if kind is IdKind.RESUME:
                rows = list(uow.resumes.ids_between(self.owner_id, low, high, limit))
            elif kind is IdKind.JOB:
                rows = list(uow.jobs.ids_between(self.owner_id, low, high, limit))
            else:
                rows = list(uow.sessions.ids_between(self.owner_id, low, high, limit))
        return [IdMatch(row[0], _label(kind, *row[1:])) for row in rows]


def _label(kind: IdKind, *values: Any) -> str:
    if kind is IdKind.RESUME:
        file_name, candidate, deleted_at = values
        label = f"{file_name}, {candidate}" if candidate else file_name
        return f"{label}, in the trash" if deleted_at is not None else label
    if kind is IdKind.JOB:
        title, company, archived_at = values
        label = f"{title}, {company}" if company else title
        return f"{label}, archived" if archived_at is not None else label
    name, status = values
    return f"{name}, {status}"
