"""Database addresses, built and read with SQLAlchemy's URL value type (no engine, no driver),
exactly as :mod:`recur_desktop.settings` reads them, so a settings file holds what the app later
connects with. Services use these instead of the URL type itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import URL, make_url


@dataclass(frozen=True)
class UrlParts:
    """The parts of an address the settings dialog shows (never the password)."""

    host: str
    port: int | None
    database: str
    username: str


def url_parts(url: str) -> UrlParts:
    parsed = make_url(url)
    return UrlParts(
        host=parsed.host or "",
        port=parsed.port,
        database=parsed.database or "",
        username=parsed.username or "",
    )


def server_url(*, username: str | None, host: str, port: int, database: str) -> str:
    """The Postgres (psycopg) address of these parts, without a password."""
    url = URL.create(
        "postgresql+psycopg", username=username, host=host, port=port, database=database
    )
    return url.render_as_string(hide_password=False)


def has_password(url: str) -> bool:
    """Whether the address carries a password in its user part."""
    return make_url(url).password is not None


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` in its user part (to connect with; never to save or log)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


__all__ = ["UrlParts", "has_password", "server_url", "url_parts", "with_password"]
