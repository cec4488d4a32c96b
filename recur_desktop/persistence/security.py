"""Row-level security for a team database: isolation enforced by Postgres, not by WHERE clauses.

Roles:
- ``{prefix}_owner`` (NOLOGIN) owns the schema; migrations run as it (``SET ROLE``).
- ``{prefix}_app`` (NOLOGIN) is the group every recruiter's login role belongs to: data privileges
  only, no ownership, no BYPASSRLS.
- one LOGIN role per recruiter, mapped to a ``users`` row through ``users.db_role``.

Policies tie every row to ``recur_user_id()``, the id of the ``users`` row whose ``db_role`` is
the connected role. ``FORCE ROW LEVEL SECURITY`` applies them to the owner as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

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
OWNED_TABLES = ("job_postings", "resumes", "analysis_sessions", "resume_counters")
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
    AS $$ SELECT id FROM users WHERE db_role = current_user $$;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS users_self ON users;
CREATE POLICY users_self ON users FOR SELECT USING (db_role = current_user);
DROP POLICY IF EXISTS users_self_update ON users;
CREATE POLICY users_self_update ON users FOR UPDATE
    USING (db_role = current_user) WITH CHECK (db_role = current_user);

ALTER TABLE resume_analyses ENABLE ROW LEVEL SECURITY;
ALTER TABLE resume_analyses FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS resume_analyses_owner ON resume_analyses;
CREATE POLICY resume_analyses_owner ON resume_analyses FOR ALL
    USING (EXISTS (SELECT 1 FROM analysis_sessions s
                   WHERE s.id = analysis_session_id AND s.user_id = recur_user_id()))
    WITH CHECK (
        EXISTS (SELECT 1 FROM analysis_sessions s
                WHERE s.id = analysis_session_id AND s.user_id = recur_user_id())
        AND EXISTS (SELECT 1 FROM resumes r
                    WHERE r.id = resume_id AND r.user_id = recur_user_id()));
"""


def apply_policies(conn: Connection, roles: TeamRoles) -> None:
    """(Re)create policies and grants; idempotent, run after every schema upgrade."""
    for statement in _split(_POLICIES):
        conn.execute(text(statement))
    conn.execute(text(f"ALTER FUNCTION recur_user_id() OWNER TO {quote_ident(roles.owner)}"))
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
    for table in (*OWNED_TABLES, "resume_analyses"):
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {app}"))
    conn.execute(text(f"GRANT SELECT, UPDATE (display_name, email) ON users TO {app}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {app}"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION recur_user_id() TO {app}"))


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
