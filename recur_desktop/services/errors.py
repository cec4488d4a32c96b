"""Errors the services raise; ``str()`` is always a sentence a recruiter can act on."""


class ServiceError(Exception):
    """Base of every expected failure a caller should show rather than crash on."""


class NotFound(ServiceError):
    """No such resume, job or session for this user (another user's ids are not found either)."""


class InvalidInput(ServiceError):
    """The request itself is wrong (an empty title, a negative number of years...)."""
