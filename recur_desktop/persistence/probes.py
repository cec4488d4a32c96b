"""Connecting to find something out: does a database answer (the settings dialog's test), why
didn't it (startup), and does the server check passwords at all (``doctor``).

Each probe opens a short-lived engine of its own; the driver's errors are read here and
nowhere else.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from recur_desktop.persistence.engine import make_engine, masked_url

log = logging.getLogger(__name__)

#: Seconds each probe connection may take; a server that slow is reported as "can't tell" (or,
#: testing a profile, as unreachable).
PROBE_TIMEOUT_S = 5
#: Server messages that mean "the login was refused", i.e. authentication is being checked.
_REFUSED = (
    "password authentication failed",
    "no password supplied",
    "fe_sendauth",
    "authentication failed",
    "pg_hba.conf rejects",
    "no pg_hba.conf entry",
)


# ------------------------------------------------------------------------------------ startup
def explain_connection_error(exc: OperationalError, url: str) -> str:
    """One sentence a recruiter can act on, from the driver's message (never with secrets)."""
    detail = str(exc.orig or exc).lower()
    where = masked_url(url)
    if "password authentication failed" in detail or "no password supplied" in detail:
        return (
            f"The database at {where} refused the password. Run `recur login` to enter it "
            "again, or ask your administrator."
        )
    if "does not exist" in detail and "database" in detail:
        return f"The database named in {where} does not exist on that server."
    if "role" in detail and "does not exist" in detail:
        return f"The database at {where} does not know this login; ask your administrator."
    if "could not translate host name" in detail or "name or service not known" in detail:
        return f"The database server's name in {where} can't be found; check the address."
    return (
        f"Can't reach the library database at {where}. "
        "Check that the server is running and the address is right."
    )


def connection_problem(exc: BaseException, url: str) -> str | None:
    """The sentence for a failure to open the library at ``url`` (a driver error, or a service
    error translated from one), or None when ``exc`` is not about reaching the database."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, OperationalError):
        cause = cause.__cause__
    if cause is None:
        return None
    log.warning("database unreachable url=%s: %s", masked_url(url), cause.orig)
    return explain_connection_error(cause, url)


def probe_database(url: str, password: str) -> str | None:
    """None when the database at ``url`` answers (with ``password``, typed and not yet saved);
    else the reason in plain words. The settings dialog's Test connection."""
    connect = url
    if password and url.startswith("postgresql"):
        connect = make_url(url).set(password=password).render_as_string(hide_password=False)
    kwargs: dict[str, Any] = {}
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": PROBE_TIMEOUT_S}
    try:
        engine = make_engine(connect, **kwargs)
    except ArgumentError:
        return f"The database address {masked_url(url)} is not a valid address."
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return explain_connection_error(exc, url)
    finally:
        engine.dispose()
    return None


# ------------------------------------------------------------------------------------ doctor
def _is_refusal(exc: OperationalError) -> bool:
    detail = str(exc.orig or exc).lower()
    return any(phrase in detail for phrase in _REFUSED)


def _probe(url: URL) -> str | None | bool:
    """Connect with ``url``: False when refused (or unreachable), else the server's
    ``SYSTEM_USER`` (PostgreSQL 16+: NULL under trust, ``method:identity`` otherwise) or None
    on older servers, which can't say."""
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": PROBE_TIMEOUT_S}
    )
    try:
        with engine.connect() as conn:
            version = int(conn.scalar(text("SHOW server_version_num")) or 0)
            if version >= 160000:
                identity: str | None = conn.scalar(text("SELECT SYSTEM_USER"))
                return identity
            return None
    finally:
        engine.dispose()


def password_checked(database_url: str | URL) -> bool | None:
    """Does the server behind ``database_url`` check the password of its login?

    It connects as the same login to the same database twice: without a password, and with a
    deliberately wrong one (which libpq sends instead of ``PGPASSWORD`` or ``~/.pgpass``, so a
    stored password can't make the probe succeed). A server that lets both in is not checking
    passwords: ``trust`` in ``pg_hba.conf``. On PostgreSQL 16 and later ``SYSTEM_USER`` tells
    a login authenticated another way (a client certificate) from trust; older servers can't
    tell, and are reported as trust.

    Returns False (passwords not checked), True (refused), or None: not PostgreSQL, a local
    socket (no network to worry about), or the server didn't answer either way.
    """
    try:
        parsed = make_url(database_url)
    except SQLAlchemyError:
        return None
    if parsed.get_backend_name() != "postgresql":
        return None
    host = parsed.host or parsed.query.get("host")
    if not host or not isinstance(host, str) or host.startswith("/"):
        return None
    # The same address with every password taken out (user:pw@ and ?password= alike).
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={k: v for k, v in parsed.query.items() if "password" not in k.lower()},
    )
    wrong = bare.set(password=f"recur-doctor-wrong-{uuid.uuid4().hex}")
    identity: str | None | bool = None
    for attempt in (wrong, bare):
        try:
            identity = _probe(attempt)
        except OperationalError as exc:
            if _is_refusal(exc):
                return True
            log.info("password check: no answer from %s (%s)", bare, exc.__class__.__name__)
            return None
        except SQLAlchemyError as exc:
            log.info("password check: can't tell (%s)", exc.__class__.__name__)
            return None
    if isinstance(identity, str) and identity:
        return True  # authenticated by other means (a certificate, peer): not trust
    log.warning("the database at %s let a login in with a wrong password and with none", bare)
    return False


__all__ = [
    "PROBE_TIMEOUT_S",
    "connection_problem",
    "explain_connection_error",
    "password_checked",
    "probe_database",
]
