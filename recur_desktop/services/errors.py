"""Errors the services raise; ``str()`` is always a sentence a recruiter can act on.

They are defined in :mod:`recur_desktop.domain.errors`, below the services and the persistence
layer alike, so that persistence can translate a driver's errors into them once.
"""

from recur_desktop.domain.errors import (
    Conflict,
    DatabaseError,
    DatabaseTimeout,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    ServiceError,
    StoreUnavailable,
)
from recur_desktop.storage import StorageError  # the store's failures, for callers above

__all__ = [
    "Conflict",
    "DatabaseError",
    "DatabaseTimeout",
    "DatabaseUnavailable",
    "InvalidInput",
    "NotFound",
    "ServiceError",
    "StorageError",
    "StoreUnavailable",
]
