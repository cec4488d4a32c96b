"""Parsing helpers and the errors every command shares."""

from __future__ import annotations

import argparse
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from recur_desktop.services.ids import IdKind, IdResolver, normalise_prefix

if TYPE_CHECKING:  # for the checker only: the entry points alone import the composition root
    from recur_desktop.app import AppContext

log = logging.getLogger("recur_desktop.cli")


class UsageError(Exception):
    """The command line asks for something that can't be done as asked (exit 2, like argparse's
    own errors): an ambiguous id prefix, an export file of unknown type..."""


class CommandFailed(Exception):
    """The command ran but did not do its job (e.g. a session that ended ``failed``)."""

    def __init__(self, message: str, document: Any) -> None:
        super().__init__(message)
        self.document = document


# --------------------------------------------------------------------------- parsing
def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an id (a UUID)") from None


@dataclass(frozen=True)
class IdRef:
    """An id as typed: a whole UUID or a prefix of at least 8 hex digits, resolved to one of
    the user's ids once the library is open (:func:`resolve_ids`)."""

    kind: IdKind
    digits: str


def _id_of(kind: IdKind) -> Callable[[str], IdRef]:
    def parse(value: str) -> IdRef:
        try:
            return IdRef(kind, normalise_prefix(value))
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = f"{kind.value}_id"
    return parse


_resume_id = _id_of(IdKind.RESUME)
_job_id = _id_of(IdKind.JOB)
_session_id = _id_of(IdKind.SESSION)


def resolve_ids(ctx: AppContext, args: argparse.Namespace) -> None:
    """Replace every :class:`IdRef` in ``args`` (alone or in a list) by the id it names, looked
    up among this user's rows: :class:`~recur_desktop.services.ids.AmbiguousId` or
    ``NotFound`` otherwise."""
    resolver = IdResolver(ctx.uow, ctx.owner_id)
    for name, value in vars(args).items():
        if isinstance(value, IdRef):
            setattr(args, name, resolver.resolve(value.kind, value.digits))
        elif isinstance(value, list) and any(isinstance(v, IdRef) for v in value):
            resolved = [
                resolver.resolve(v.kind, v.digits) if isinstance(v, IdRef) else v for v in value
            ]
            setattr(args, name, resolved)


def _non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def _positive_int(value: str) -> int:
    number = _non_negative_int(value)
    if number == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number >= 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def _date(value: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-12-31") from None
    return day.replace(tzinfo=UTC)


def _skills(value: str) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()]


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Subcommands use SUPPRESS so a flag given before the subcommand is not reset after it.
    default = False if top else argparse.SUPPRESS
    parser.add_argument("--json", action="store_true", default=default, help="print JSON")
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks and debug logs"
    )


def _context(parser: argparse.ArgumentParser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--job", type=_job_id, metavar="JOB_ID", help="a job posting's id")
    group.add_argument("--general", action="store_true", help="general analysis (no job)")


def _paging(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=_positive_int, default=50)
    parser.add_argument("--offset", type=_non_negative_int, default=0)


Renderer = Callable[[Any], str]

#: A command: the app's context and the parsed arguments in, the document and its readable
#: rendering out (the context's type is quoted: ``app`` is imported for the checker only).
Handler: TypeAlias = Callable[["AppContext", argparse.Namespace], tuple[Any, Renderer]]
