"""Row-level security for a team database: isolation enforced by Postgres, not by WHERE clauses.

Roles:
- ``{prefix}_owner`` (NOLOGIN) owns the schema; migrations run as it (``SET ROLE``).
- ``{prefix}_app`` (NOLOGIN) is the group every recruiter's login role belongs to: data privileges
  only, no ownership, no BYPASSRLS.
- one LOGIN role per recruiter, mapped to a ``users`` row through ``users.db_role``.

Policies tie every row to ``recur_user_id()``, the id of the ``users`` row whose ``db_role`` is
the connected role. ``FORCE ROW LEVEL SECURITY`` applies them to the owner as well.

A recruiter holds a database login, so everything a policy or trigger resolves by name must not
be theirs to redefine: functions pin ``search_path`` with ``pg_temp`` last, and no app role may
create temporary objects in the database or anything in the schema (checked after every
``apply_policies``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

DEFAULT_PREFIX = "recur"


@dataclass(frozen=True)
class TeamRoles:
    """Role names of one team set-up; a prefix keeps several set-ups (and tests) apart."""

    prefix: str = DEFAULT_PREFIX

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def app(self) -> str:
        return f"{self.prefix}_app"

    def login(self, login_name: str) -> str:
        """A recruiter's login role: predictable, and safe to quote."""
        return f"{self.prefix}_u_" + re.sub(r"[^a-z0-9_]", "_", login_name.lower())[:40]


#: Tables with a ``user_id`` column.
OWNED_TABLES = (
    "job_postings",
    "resumes",
    "analysis_sessions",
    "resume_analyses",
    "resume_counters",
)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def quote_ident(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise ValueError(f"not a safe role name: {name!r}")
    return f'"{name}"'


def role_exists(conn: Connection, role: str) -> bool:
    return bool(conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}))


def create_group_roles(conn: Connection, roles: TeamRoles) -> None:
    for role in (roles.owner, roles.app):
        if not role_exists(conn, role):
            conn.execute(text(f"CREATE ROLE {quote_ident(role)} NOLOGIN"))
    # The administrator must be able to SET ROLE to the owner to run migrations.
    conn.execute(text(f"GRANT {quote_ident(roles.owner)} TO current_user"))
    database = conn.scalar(text("SELECT current_database()"))
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {quote_ident(roles.app)}'))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {quote_ident(roles.app)}"))
    conn.execute(text(f"GRANT CREATE, USAGE ON SCHEMA public TO {quote_ident(roles.owner)}"))


_POLICIES = """
CREATE OR REPLACE FUNCTION recur_user_id() RETURNS uuid
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, {schema}, pg_temp
    AS $$ SELECT id FROM {schema}.users WHERE db_role = current_user $$;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS users_self ON users;
CREATE POLICY users_self ON users FOR SELECT USING (db_role = current_user);
DROP POLICY IF EXISTS users_self_update ON users;
CREATE POLICY users_self_update ON users FOR UPDATE
    USING (db_role = current_user) WITH CHECK (db_role = current_user);
"""


class UnsafePrivileges(RuntimeError):
    """A role that recruiters log in with could shadow or create objects the policies use."""


def apply_policies(conn: Connection, roles: TeamRoles) -> None:
    """(Re)create policies and grants; idempotent, run after every schema upgrade."""
    schema = _schema(conn)
    for statement in _split(_POLICIES.replace("{schema}", schema)):
        conn.execute(text(statement))
    conn.execute(text(f"ALTER FUNCTION recur_user_id() OWNER TO {quote_ident(roles.owner)}"))
    # Every function in the schema that policies or triggers may call, ours or a future one's.
    for signature in conn.scalars(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'recur\\_%' "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
    ):
        conn.execute(
            text(f"ALTER FUNCTION {signature} SET search_path = pg_catalog, {schema}, pg_temp")
        )
        conn.execute(text(f"ALTER FUNCTION {signature} OWNER TO {quote_ident(roles.owner)}"))
    revoke_object_creation(conn, roles)
    for table in OWNED_TABLES:
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS {table}_owner ON {table}"))
        conn.execute(
            text(
                f"CREATE POLICY {table}_owner ON {table} FOR ALL "
                "USING (user_id = recur_user_id()) WITH CHECK (user_id = recur_user_id())"
            )
        )
    app = quote_ident(roles.app)
    for table in OWNED_TABLES:
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {app}"))
    # The audit trail is append-only for recruiters: read and add their own, as themselves.
    conn.execute(text("ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY"))
    conn.execute(text("ALTER TABLE audit_events FORCE ROW LEVEL SECURITY"))
    for name, rule in (
        ("audit_events_read", "FOR SELECT USING (user_id = recur_user_id())"),
        (
            "audit_events_append",
            "FOR INSERT WITH CHECK (user_id = recur_user_id() AND actor = current_user)",
        ),
    ):
        conn.execute(text(f"DROP POLICY IF EXISTS {name} ON audit_events"))
        conn.execute(text(f"CREATE POLICY {name} ON audit_events {rule}"))
    conn.execute(text(f"REVOKE ALL ON audit_events FROM {app}"))
    conn.execute(text(f"GRANT SELECT, INSERT ON audit_events TO {app}"))
    conn.execute(text(f"GRANT SELECT, UPDATE (display_name, email) ON users TO {app}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {app}"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION recur_user_id() TO {app}"))
    check_no_object_creation(conn, roles)


def _schema(conn: Connection) -> str:
    name = conn.scalar(text("SELECT current_schema()"))
    return f'"{name}"'


def revoke_object_creation(conn: Connection, roles: TeamRoles) -> None:
    """No temporary tables, views or functions in this database, nothing new in the schema.

    A temporary object named like a table a policy reads would be found first by any function
    that does not pin its path (CVE-2018-1058's class); taking the privilege away closes the
    class for functions added later, too. PUBLIC holds TEMP by default; the schema owner keeps
    CREATE for migrations.
    """
    database = conn.scalar(text("SELECT current_database()"))
    schema = _schema(conn)
    grantees = ["PUBLIC", quote_ident(roles.app), *(quote_ident(r) for r in _members(conn, roles))]
    for grantee in grantees:
        conn.execute(text(f'REVOKE TEMPORARY ON DATABASE "{database}" FROM {grantee}'))
        conn.execute(text(f"REVOKE CREATE ON SCHEMA {schema} FROM {grantee}"))


def _members(conn: Connection, roles: TeamRoles) -> list[str]:
    return list(
        conn.scalars(
            text(
                "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :app"
            ),
            {"app": roles.app},
        )
    )


def check_no_object_creation(conn: Connection, roles: TeamRoles) -> None:
    """Raise :class:`UnsafePrivileges` naming every app role that could still create objects."""
    problems = []
    for role in [roles.app, *_members(conn, roles)]:
        row = conn.execute(
            text(
                "SELECT has_database_privilege(:r, current_database(), 'TEMPORARY'), "
                "has_schema_privilege(:r, current_schema(), 'CREATE'), "
                "(SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r)"
            ),
            {"r": role},
        ).one()
        if row[0]:
            problems.append(f"{role} may create temporary tables")
        if row[1]:
            problems.append(f"{role} may create objects in the schema")
        if row[2]:
            problems.append(f"{role} bypasses row-level security")
    if problems:
        raise UnsafePrivileges("; ".join(problems))


def _split(script: str) -> list[str]:
    """Statements of ``script``; ``$$`` bodies may contain semicolons."""
    statements, current, in_body = [], [], False
    for line in script.strip().splitlines():
        current.append(line)
        in_body ^= line.count("$$") % 2 == 1
        if line.rstrip().endswith(";") and not in_body:
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    return [s for s in statements if s.strip()]


def is_team_database(conn: Connection) -> bool:
    """Is this a team database seen by a recruiter (row-level security applies to us)?"""
    if conn.dialect.name != "postgresql":
        return False
    secured = conn.scalar(
        text(
            "SELECT c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'resumes' AND n.nspname = current_schema()"
        )
    )
    if not secured:
        return False
    exempt = conn.scalar(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
    )
    return not exempt


def team_login(engine: Engine) -> str | None:
    """The login role when ``engine`` reaches a team database as a recruiter (row-level
    security applies), else None: the embedded library, or an administrator's login."""
    with engine.connect() as conn:
        if not is_team_database(conn):
            return None
        role: str | None = conn.scalar(text("SELECT current_user"))
        return role
