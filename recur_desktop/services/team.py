"""Administration of a team database: roles, row-level security, recruiters, S3 policies.

Run by an administrator with a role that may create roles (``RECUR_DATABASE_URL`` or
``--admin-url``). Recruiters never run these; their app refuses to change the schema.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, select, text

from recur_desktop.persistence.audit import add_event
from recur_desktop.persistence.engine import current_revision, head_revision, upgrade
from recur_desktop.persistence.errors import translating
from recur_desktop.persistence.security import (
    TeamRoles,
    UnsafePrivileges,
    apply_policies,
    create_group_roles,
    quote_ident,
    role_exists,
)
from recur_desktop.persistence.tables import Base, QuarantinedRowRow, UserRow
from recur_desktop.services.errors import InvalidInput, NotFound, ServiceError
from recur_desktop.storage import ObjectStore, StorageError, delete_owned, user_prefix

_LOGIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


@dataclass(frozen=True)
class QuarantinedRow:
    """A row an upgrade moved aside because it broke the ownership rules."""

    table_name: str
    row_id: uuid.UUID | None
    user_id: uuid.UUID | None
    reason: str


@dataclass(frozen=True)
class UpgradeReport:
    revision: str
    quarantined: list[QuarantinedRow]


@dataclass(frozen=True)
class NewRecruiter:
    user_id: uuid.UUID
    login_name: str
    db_role: str
    password: str
    generated: bool


@translating  # driver errors leave as service errors, as from a unit of work
class TeamAdmin:
    def __init__(self, admin_engine: Engine, roles: TeamRoles | None = None) -> None:
        if admin_engine.dialect.name != "postgresql":
            raise InvalidInput("Team administration needs a PostgreSQL database.")
        self._engine = admin_engine
        self.roles = roles or TeamRoles()

    def init(self) -> UpgradeReport:
        """Create the roles, the schema (owned by the owner role) and the policies; idempotent."""
        with self._engine.begin() as conn:
            create_group_roles(conn, self.roles)
            if conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
                # The owner runs future data migrations; it must see every row to do so.
                conn.execute(text(f"ALTER ROLE {quote_ident(self.roles.owner)} BYPASSRLS"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            self._adopt_existing_tables(conn)
        return self.upgrade()

    def upgrade(self) -> UpgradeReport:
        """Upgrade the schema as the owner role, then re-apply grants and policies.

        Rows that break a rule a revision adds are moved to ``quarantined_rows`` by that
        revision; the report lists the ones this upgrade moved, by owner and id.
        """
        with self._engine.connect() as conn:
            if not role_exists(conn, self.roles.owner):
                raise ServiceError("This database has no team set-up yet; run: recur admin init")
            seen = self._quarantined_ids(conn)
        upgrade(self._engine, as_role=self.roles.owner)
        try:
            with self._engine.begin() as conn:
                apply_policies(conn, self.roles)
        except UnsafePrivileges as exc:
            raise ServiceError(
                f"The team database is not safe to use: {exc}. Revoke those privileges "
                "(or the superuser/BYPASSRLS attribute) and run recur admin upgrade again."
            ) from exc
        with self._engine.connect() as conn:
            table = QuarantinedRowRow.__table__
            moved = [
                QuarantinedRow(r.table_name, r.row_id, r.user_id, r.reason)
                for r in conn.execute(
                    select(
                        table.c.id,
                        table.c.table_name,
                        table.c.row_id,
                        table.c.user_id,
                        table.c.reason,
                    ).order_by(table.c.quarantined_at, table.c.id)
                )
                if r.id not in seen
            ]
        return UpgradeReport(current_revision(self._engine) or "", moved)

    @staticmethod
    def _quarantined_ids(conn: Connection) -> set[uuid.UUID]:
        from sqlalchemy import inspect

        if not inspect(conn).has_table(QuarantinedRowRow.__tablename__):
            return set()
        return set(conn.scalars(select(QuarantinedRowRow.id)))

    def _adopt_existing_tables(self, conn: Connection) -> None:
        owner = quote_ident(self.roles.owner)
        existing = set(
            conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        )
        for table in [*Base.metadata.tables, "alembic_version"]:
            if table in existing:
                conn.execute(text(f'ALTER TABLE "{table}" OWNER TO {owner}'))

    def add_user(
        self, login_name: str, *, email: str | None = None, password: str | None = None
    ) -> NewRecruiter:
        """Create a login for a recruiter; the server only ever sees a SCRAM verifier.

        The verifier is computed here (libpq's ``PQencryptPasswordConn``), so neither the
        statement the server runs (and may log, e.g. when CREATE ROLE fails) nor
        ``pg_stat_activity`` holds the password.
        """
        if not _LOGIN_NAME.match(login_name):
            raise InvalidInput(
                "A recruiter's name may use letters, digits, dots, dashes and underscores."
            )
        generated = password is None
        password = password or secrets.token_urlsafe(18)
        db_role = self.roles.login(login_name)
        with self._engine.begin() as conn:
            if not role_exists(conn, self.roles.app):
                raise ServiceError("This database has no team set-up yet; run: recur admin init")
            if role_exists(conn, db_role):
                raise InvalidInput(f"A login for {login_name} already exists.")
            # DDL takes no bound parameters; the verifier is base64 and '$'/':' only.
            verifier = scram_verifier(conn, password, db_role)
            literal = "'" + verifier.replace("'", "''") + "'"
            # Driver-level: the verifier's ':' must not read as a bind parameter.
            conn.exec_driver_sql(
                f"CREATE ROLE {quote_ident(db_role)} LOGIN PASSWORD {literal} "
                f"IN ROLE {quote_ident(self.roles.app)}"
            )
            user_id = conn.scalar(select(UserRow.id).where(UserRow.login_name == login_name))
            if user_id is None:
                user_id = uuid.uuid4()
                conn.execute(
                    _users_table()
                    .insert()
                    .values(
                        id=user_id,
                        login_name=login_name,
                        display_name=login_name,
                        email=email,
                        db_role=db_role,
                    )
                )
            else:
                conn.execute(
                    _users_table()
                    .update()
                    .where(UserRow.id == user_id)
                    .values(db_role=db_role, email=email)
                )
        return NewRecruiter(user_id, login_name, db_role, password, generated)

    def _user(self, conn: Connection, login_name: str) -> tuple[uuid.UUID, str | None]:
        row = conn.execute(
            select(UserRow.id, UserRow.db_role).where(UserRow.login_name == login_name)
        ).first()
        if row is None:
            raise NotFound(f"No recruiter called {login_name}.")
        return row[0], row[1]

    def remove_user(
        self, login_name: str, *, erase: bool = False, store: ObjectStore | None = None
    ) -> dict[str, int]:
        """Disable the login; with ``erase``, delete their rows and objects (GDPR erasure).

        Erasure is ordered so that a failure at any point leaves nothing half-done and a rerun
        finishes: (1) every data row in one transaction, (2) the objects under the recruiter's
        own prefix, each key checked against it, (3) the ``users`` row, which is what lets a
        rerun find the prefix again.
        """
        erase_store = store if erase else None
        if erase and erase_store is None:
            raise InvalidInput("Erasing a recruiter's data needs the bucket configured.")
        with self._engine.begin() as conn:
            user_id, db_role = self._user(conn, login_name)
            if db_role and role_exists(conn, db_role):
                conn.execute(text(f"ALTER ROLE {quote_ident(db_role)} NOLOGIN"))
        if erase_store is None:  # not erasing (erasing without a store was refused above)
            return {"objects_removed": 0, "erased": 0}
        with self._engine.begin() as conn:
            counts = {
                table: conn.scalar(
                    text(f"SELECT count(*) FROM {table} WHERE user_id = :u"), {"u": user_id}
                )
                for table in ("resumes", "job_postings", "analysis_sessions")
            }
            # Sessions reference jobs with RESTRICT; results go with sessions and resumes.
            for table in ("analysis_sessions", "resumes", "job_postings", "resume_counters"):
                conn.execute(text(f"DELETE FROM {table} WHERE user_id = :u"), {"u": user_id})
            # Their trail goes with them; the fact of the erasure stays (once, across reruns).
            conn.execute(
                text("DELETE FROM audit_events WHERE user_id = :u AND action <> 'remove_user'"),
                {"u": user_id},
            )
            already = conn.scalar(
                text("SELECT 1 FROM audit_events WHERE user_id = :u AND action = 'remove_user'"),
                {"u": user_id},
            )
            if not already:
                add_event(
                    conn,
                    owner_id=user_id,
                    action="remove_user",
                    subject_id=user_id,
                    detail={"erased": True, **counts},
                )
        removed_objects = 0
        try:
            for info in list(erase_store.list(user_prefix(user_id))):
                delete_owned(erase_store, user_id, info.key)
                removed_objects += 1
        except StorageError as exc:
            raise ServiceError(
                f"{login_name}'s rows are erased but some files are not ({exc}); "
                f"run the same command again to finish."
            ) from exc
        with self._engine.begin() as conn:
            conn.execute(_users_table().delete().where(UserRow.id == user_id))
        return {"objects_removed": removed_objects, "erased": 1}

    def s3_policy(self, login_name: str, bucket: str) -> dict[str, Any]:
        with self._engine.connect() as conn:
            user_id, _ = self._user(conn, login_name)
        prefix = user_prefix(user_id)
        return s3_policy_document(bucket, prefix)

    def status(self) -> dict[str, object]:
        return {
            "schema_revision": current_revision(self._engine),
            "app_revision": head_revision(),
        }


def _users_table() -> Table:
    table = UserRow.__table__
    assert isinstance(table, Table)
    return table


def scram_verifier(conn: Connection, password: str, role: str) -> str:
    """The SCRAM-SHA-256 verifier for ``password``, computed on this machine by libpq."""
    driver = conn.connection.driver_connection  # psycopg's own connection
    if driver is None:  # the pool's connection was invalidated under us
        raise ServiceError("The database connection closed before the password was set.")
    pgconn = driver.pgconn
    verifier: bytes = pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return verifier.decode()


def s3_policy_document(bucket: str, prefix: str) -> dict[str, Any]:
    """IAM policy limiting a recruiter's S3 keys to their own prefix."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListOwnPrefix",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": [f"{prefix}*"]}},
            },
            {
                "Sid": "ReadWriteOwnObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
            },
        ],
    }


def policy_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2)
