"""Turn an exception from a background task into a sentence a recruiter can act on.

Services raise :class:`ServiceError` with such sentences (persistence translates the
database driver's errors into them); a database or a store that stopped answering is flagged
as an outage here, so the window can offer Retry instead of a dead end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from recur_desktop.logs import mask
from recur_desktop.services.errors import (
    DatabaseError,
    ServiceError,
    StorageError,
    StoreUnavailable,
)
from recur_desktop.text_safety import visible

log = logging.getLogger(__name__)

UNEXPECTED = "Something unexpected went wrong ({name}). Nothing was lost; try again."


@dataclass(frozen=True)
class Problem:
    message: str
    #: The database or the object store could not be reached: worth a Retry banner.
    outage: bool


def describe(exc: BaseException, *, doing: str = "") -> Problem:
    """``doing`` names the failed action for the log only ("loading the library").

    The message goes to a banner, a dialog or the status bar: every password it might carry
    (an address in a startup error) is masked, and control or bidi characters (a hostile file
    name) are shown escaped.
    """
    problem = _describe(exc, doing)
    return Problem(visible(mask(problem.message)), problem.outage)


def _describe(exc: BaseException, doing: str) -> Problem:
    if isinstance(exc, StoreUnavailable):
        log.warning("%s: %s unreachable: %s", doing or "task", exc.store, exc.detail)
        return Problem(str(exc), outage=True)
    if isinstance(exc, StorageError):
        log.warning("%s: storage failed code=%s %s", doing or "task", exc.code, exc.detail)
        return Problem(str(exc), outage=True)
    if isinstance(exc, DatabaseError):
        log.warning("%s: database error %s", doing or "task", exc.__class__.__name__)
        return Problem(str(exc), outage=False)
    if isinstance(exc, ServiceError):
        return Problem(str(exc), outage=False)
    log.error("%s failed", doing or "task", exc_info=exc)
    return Problem(UNEXPECTED.format(name=exc.__class__.__name__), outage=False)
