"""Engine factory and schema upgrades, the same for SQLite (embedded) and Postgres (server)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(
    url: str,
    *,
    connect_timeout: int = 10,
    statement_timeout: float | None = 60.0,
    lock_timeout: float | None = 15.0,
    idle_in_transaction_timeout: float | None = 300.0,
    **kwargs: Any,
) -> Engine:
    """Build the one engine the app uses; SQLite gets foreign keys, WAL and a busy timeout.

    On Postgres (libpq drivers) a frozen or vanished server must fail the current step within a
    bounded time (security issue #10), so every connection gets:

    - ``connect_timeout`` seconds to connect and log in (libpq counts less than 2 as 2);
    - TCP keepalives and a TCP user timeout, so a dead server or network is noticed after about
      a minute instead of the kernel's quarter of an hour;
    - server-side ``statement_timeout``, ``lock_timeout`` and
      ``idle_in_transaction_session_timeout`` (seconds; 0 turns one off, None leaves the
      server's or role's own setting). The idle limit stays well above the longest wait
      between two statements of an import (an S3 call is bounded at a minute).

    Migrations and benchmarks that legitimately run long pass ``statement_timeout=0`` (or
    ``SET LOCAL statement_timeout = 0`` inside their transaction). Settings already in the URL's
    query or in the caller's ``connect_args`` win over these defaults; ``options`` strings are
    joined, later ``-c`` settings overriding earlier ones.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # SQLite enforces foreign keys only when asked, per connection.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in (
        "psycopg",
        "psycopg2",
    ):
        # The dialect passes the URL's query to the driver, then connect_args over it: a
        # default goes in only where neither the URL nor the caller said anything.
        given = {**parsed.query, **kwargs.get("connect_args", {})}
        defaults: dict[str, Any] = {
            "connect_timeout": connect_timeout,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
            # Keepalives stay silent while sent data waits for an acknowledgement; this bounds
            # that case too (milliseconds; libpq >= 12).
            "tcp_user_timeout": 60_000,
        }
        connect_args = {name: value for name, value in defaults.items() if name not in given}
        settings = [
            f"-c {name}={round(seconds * 1000)}"
            for name, seconds in (
                ("statement_timeout", statement_timeout),
                ("lock_timeout", lock_timeout),
                ("idle_in_transaction_session_timeout", idle_in_transaction_timeout),
            )
            if seconds is not None
        ]
        for source in (parsed.query.get("options"), kwargs.get("connect_args", {}).get("options")):
            if source:
                settings.extend([source] if isinstance(source, str) else source)
        if settings:
            connect_args["options"] = " ".join(settings)
        kwargs["connect_args"] = {**kwargs.get("connect_args", {}), **connect_args}
    return create_engine(url, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    # Alembic is imported only when the schema must change: it costs a sixth of a second.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


#: The newest revision. Loading Alembic to ask it costs a sixth of a second at every start, so
#: the head is named here; a test checks it against Alembic's own ``ScriptDirectory``.
HEAD_REVISION = "0008"


def head_revision() -> str:
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision: str | None = conn.scalar(text("SELECT version_num FROM alembic_version"))
        return revision


def upgrade(engine: Engine, revision: str = "head", *, as_role: str | None = None) -> None:
    """Bring the schema to ``revision``; a no-op when it is already there.

    ``as_role`` runs the migration as that role (``SET ROLE``) so that a team database's tables
    belong to the schema owner role, not to the administrator who ran it.
    """
    if revision == "head" and as_role is None and current_revision(engine) == head_revision():
        return  # the usual start: nothing to do, and no need to load Alembic
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # A revision may rewrite every row (backfills, new constraints): the statement
            # deadline meant for the app must not cut it off half-way.
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        if as_role is not None:
            conn.exec_driver_sql(f'SET ROLE "{as_role}"')
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if as_role is not None:
            conn.exec_driver_sql("RESET ROLE")


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def masked_url(url: str) -> str:
    """The URL as it may appear in logs and messages: password hidden."""
    parsed = make_url(url)
    # libpq also takes the password as a query parameter (?password=, &sslpassword=).
    query = {
        key: ("***" if "password" in key.lower() else value) for key, value in parsed.query.items()
    }
    return parsed.set(query=query).render_as_string(hide_password=True).replace("%2A", "*")
