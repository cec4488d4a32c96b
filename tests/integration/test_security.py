"""Attacks by a recruiter holding their own database login (issue #10), as real login roles.

Each test reproduces an attack that worked before ownership moved into the schema, and pins
that it now leaves the attacker with their own rows only.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.exc import DBAPIError

from recur_desktop.persistence.engine import make_engine, upgrade
from recur_desktop.services.errors import ServiceError
from recur_desktop.storage import LocalObjectStore, StorageError, delete_owned
from tests.integration.team_fixtures import add_resume, alice_and_bob, team

__all__ = ["alice_and_bob", "team"]  # fixtures used below


@contextmanager
def login(team, who: str) -> Iterator[Connection]:
    """A plain connection as ``who``'s login role, as `psql` would give them."""
    engine = create_engine(team["settings_for"](who).database_url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def refused(conn: Connection, sql: str, params: dict | None = None) -> str:
    """Run ``sql`` in a savepoint, expecting the database to refuse it; returns the reason."""
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(sql), params or {})
    except DBAPIError as exc:
        savepoint.rollback()
        return str(exc.orig)
    savepoint.rollback()
    raise AssertionError(f"the database accepted: {sql}")


def key_for(owner: uuid.UUID, seed: str) -> tuple[str, str]:
    sha = hashlib.sha256(seed.encode()).hexdigest()
    return sha, f"{owner}/resumes/shared/{sha}.pdf"


INSERT_RESUME = (
    "INSERT INTO resumes (id, user_id, file_name, s3_resume_key, content_sha256, size_bytes, "
    "media_type, job_posting_id, text_content, created_at) VALUES (:id, :owner, 'x.pdf', :key, "
    ":sha, 1, 'application/pdf', :job, '', now())"
)


# ------------------------------------------------------------------ 1. shadowing by pg_temp
def test_a_recruiter_login_cannot_create_temporary_or_schema_objects(team, alice_and_bob):
    with login(team, "bob") as conn:
        assert "permission denied" in refused(
            conn, "CREATE TEMP TABLE users (id uuid, db_role text)"
        )
        assert "permission denied" in refused(conn, "CREATE TEMP VIEW users AS SELECT 1 AS id")
        assert "permission denied" in refused(conn, "CREATE TABLE public.users2 (id int)")
        assert "permission denied" in refused(
            conn,
            "CREATE FUNCTION public.recur_user_id2() RETURNS uuid LANGUAGE sql "
            "AS $$ SELECT NULL::uuid $$",
        )


def _grant_temp_to(team, who: str) -> None:
    """Simulate a database where TEMP was granted again by hand (defence in depth)."""
    with team["admin"]._engine.begin() as conn:
        database = conn.scalar(text("SELECT current_database()"))
        role = team["users"][who].db_role
        conn.execute(text(f'GRANT TEMPORARY ON DATABASE "{database}" TO "{role}"'))


@pytest.mark.parametrize("kind", ["table", "view"])
def test_a_temporary_users_relation_does_not_make_bob_alice(team, alice_and_bob, tmp_path, kind):
    alice, bob = alice_and_bob
    theirs = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    mine = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    _grant_temp_to(team, "bob")
    alice_id = team["users"]["alice"].user_id
    with login(team, "bob") as conn:
        if kind == "table":
            conn.execute(text("CREATE TEMP TABLE users (id uuid, db_role text)"))
            conn.execute(text("INSERT INTO users VALUES (:a, current_user)"), {"a": alice_id})
        else:
            conn.execute(
                text(
                    f"CREATE TEMP VIEW users AS SELECT '{alice_id}'::uuid AS id, "
                    "current_user::text AS db_role"
                )
            )
        # The attack of the report, word for word.
        seen = conn.execute(text("SELECT id FROM resumes")).scalars().all()
        assert seen == [mine.id]
        changed = conn.execute(
            text("UPDATE resumes SET file_name = 'x' WHERE id = :id"), {"id": theirs.id}
        )
        assert changed.rowcount == 0
        assert conn.scalar(text("SELECT recur_user_id()")) == bob.owner_id
    assert alice.library.get(theirs.id).file_name == "Ada_Lovelace.txt"


def test_a_temporary_function_does_not_replace_the_policy_function(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    mine = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    _grant_temp_to(team, "bob")
    alice_id = team["users"]["alice"].user_id
    with login(team, "bob") as conn:
        conn.execute(
            text(
                "CREATE FUNCTION pg_temp.recur_user_id() RETURNS uuid LANGUAGE sql "
                f"AS $$ SELECT '{alice_id}'::uuid $$"
            )
        )
        conn.execute(text("SET search_path = pg_temp, public"))
        assert conn.execute(text("SELECT id FROM resumes")).scalars().all() == [mine.id]


def test_a_temporary_counter_table_does_not_capture_the_trigger(team, alice_and_bob, tmp_path):
    """The counter trigger resolves ``resume_counters`` through its pinned path."""
    _, bob = alice_and_bob
    add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    _grant_temp_to(team, "bob")
    with login(team, "bob") as conn:
        conn.execute(text("CREATE TEMP TABLE resume_counters (user_id uuid, live_count int)"))
        sha, key = key_for(bob.owner_id, "another")
        conn.execute(
            text(INSERT_RESUME),
            {"id": uuid.uuid4(), "owner": bob.owner_id, "key": key, "sha": sha, "job": None},
        )
        assert conn.scalar(text("SELECT count(*) FROM pg_temp.resume_counters")) == 0
        assert conn.scalar(text("SELECT live_count FROM public.resume_counters")) == 2
        conn.commit()


def test_every_function_in_the_schema_pins_its_search_path(team):
    with team["admin"]._engine.connect() as conn:
        unpinned = conn.scalars(
            text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.proname LIKE 'recur%' AND NOT EXISTS ("
                "SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c "
                "WHERE c LIKE 'search_path=pg_catalog, %pg_temp')"
            )
        ).all()
    assert unpinned == []


def test_upgrade_takes_back_a_temp_grant_and_checks_it(team, alice_and_bob):
    _grant_temp_to(team, "bob")
    team["admin"].upgrade()
    with login(team, "bob") as conn:
        assert "permission denied" in refused(conn, "CREATE TEMP TABLE t (x int)")


def test_upgrade_refuses_a_login_that_bypasses_row_level_security(team, alice_and_bob, pg_admin):
    role = team["users"]["bob"].db_role
    with pg_admin.connect() as conn:
        conn.execute(text(f'ALTER ROLE "{role}" BYPASSRLS'))
    try:
        with pytest.raises(ServiceError, match="bypasses row-level security"):
            team["admin"].upgrade()
    finally:
        with pg_admin.connect() as conn:
            conn.execute(text(f'ALTER ROLE "{role}" NOBYPASSRLS'))


# ------------------------------------------------------- 2. references across owners
def test_bob_cannot_point_his_rows_at_alices_job(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    job = alice.jobs.create(title="Alice's job", required_skills=["Python"])
    add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    bob.analysis.analyze(None)
    with login(team, "bob") as conn:
        session = (
            "INSERT INTO analysis_sessions (id, user_id, session_name, job_posting_id, status, "
            "analyzer_name, analyzer_version, created_at) VALUES (:id, :owner, 's', :job, "
            "'completed', 'x', '1', now())"
        )
        reason = refused(conn, session, {"id": uuid.uuid4(), "owner": bob.owner_id, "job": job.id})
        assert "foreign key" in reason
        assert "foreign key" in refused(
            conn, "UPDATE analysis_sessions SET job_posting_id = :job", {"job": job.id}
        )
        sha, key = key_for(bob.owner_id, "upload")
        assert "foreign key" in refused(
            conn,
            INSERT_RESUME,
            {"id": uuid.uuid4(), "owner": bob.owner_id, "key": key, "sha": sha, "job": job.id},
        )
    # The erasure the report saw fail now runs to the end.
    result = team["admin"].remove_user("alice", erase=True, store=alice.store)
    assert result["erased"] == 1


def test_bob_cannot_attach_a_result_to_alices_resume(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    theirs = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    session = bob.analysis.analyze(None)
    result = (
        "INSERT INTO resume_analyses (id, user_id, resume_id, analysis_session_id, status, "
        "overall_fit_score, skill_match_score, matched_skills, missing_skills, analyzer_name, "
        "analyzer_version, created_at) VALUES (:id, :owner, :resume, :session, 'ok', 1, 1, "
        "'[]', '[]', 'x', '1', now())"
    )
    with login(team, "bob") as conn:
        params = {"id": uuid.uuid4(), "resume": theirs.id, "session": session.session.id}
        assert "foreign key" in refused(conn, result, {**params, "owner": bob.owner_id})
        assert "row-level security" in refused(conn, result, {**params, "owner": alice.owner_id})


@pytest.mark.parametrize(
    "make_key",
    [
        lambda alice, bob, sha: f"{alice}/resumes/shared/{sha}.pdf",
        lambda alice, bob, sha: f"{bob}/resumes/shared/../../../{alice}/resumes/shared/{sha}.pdf",
        lambda alice, bob, sha: f"{bob}/resumes/shared/{'0' * 64}.pdf",
        lambda alice, bob, sha: f"{bob}/resumes/general/{sha}.pdf",
    ],
    ids=["other-prefix", "dot-dot", "other-content", "other-folder"],
)
def test_a_resume_key_must_be_its_owners_content_key(team, alice_and_bob, tmp_path, make_key):
    alice, bob = alice_and_bob
    theirs = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    mine = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    sha = theirs.content_sha256
    key = make_key(alice.owner_id, bob.owner_id, sha)
    with login(team, "bob") as conn:
        reason = refused(
            conn,
            INSERT_RESUME,
            {"id": uuid.uuid4(), "owner": bob.owner_id, "key": key, "sha": sha, "job": None},
        )
        assert "ck_resumes_key_is_owners" in reason
        assert "ck_resumes_key_is_owners" in refused(
            conn,
            "UPDATE resumes SET s3_resume_key = :key WHERE id = :id",
            {"key": key, "id": mine.id},
        )
    # Purge of his own resume deletes his object and nothing of alice's.
    bob.library.delete(mine.id)
    bob.library.purge(older_than_days=0)
    assert alice.store.exists(theirs.s3_resume_key)
    assert not bob.store.exists(mine.s3_resume_key)


def test_no_deletion_reaches_outside_the_owners_prefix(tmp_path):
    (tmp_path / "bucket").mkdir()
    store = LocalObjectStore(tmp_path / "bucket")
    alice, bob = uuid.uuid4(), uuid.uuid4()
    data = b"alice's resume"
    sha = hashlib.sha256(data).hexdigest()
    key = f"{alice}/resumes/shared/{sha}.txt"
    store.put(key, data, sha256_hex=sha, media_type="text/plain", metadata={})
    for forged in (key, f"{bob}/resumes/../../{key}"):
        with pytest.raises(StorageError) as raised:
            delete_owned(store, bob, forged)
        assert raised.value.code == "foreign_key"
    assert store.exists(key)
    delete_owned(store, alice, key)
    assert not store.exists(key)


class _FlakyStore:
    """Deletes fail until ``healthy`` is set: a storage outage in the middle of an erasure."""

    def __init__(self, store) -> None:
        self._store = store
        self.healthy = False

    def __getattr__(self, name):
        return getattr(self._store, name)

    def delete(self, key: str) -> None:
        if not self.healthy:
            raise StorageError("file storage didn't answer", code="SlowDown")
        self._store.delete(key)


def test_an_interrupted_erasure_leaves_no_rows_and_a_rerun_finishes(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    theirs = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    job = bob.jobs.create(title="Bob's job", required_skills=["COBOL"])
    bob.analysis.analyze(job.id)
    mine = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    flaky = _FlakyStore(bob.store)
    with pytest.raises(ServiceError, match="run the same command again"):
        team["admin"].remove_user("bob", erase=True, store=flaky)
    admin = team["admin"]._engine
    with admin.connect() as conn:
        for table in ("resumes", "job_postings", "analysis_sessions", "resume_analyses"):
            owned = conn.scalar(
                text(f"SELECT count(*) FROM {table} WHERE user_id = :u"), {"u": bob.owner_id}
            )
            assert owned == 0, table
        assert conn.scalar(text("SELECT count(*) FROM users WHERE login_name = 'bob'")) == 1
    assert bob.store.exists(theirs.s3_resume_key)
    flaky.healthy = True
    assert team["admin"].remove_user("bob", erase=True, store=flaky)["objects_removed"] == 1
    assert not bob.store.exists(theirs.s3_resume_key)
    assert alice.store.exists(mine.s3_resume_key)
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM users WHERE login_name = 'bob'")) == 0


# --------------------------------------------- rows from before the rules: moved aside
@pytest.fixture(params=["sqlite", "postgres"])
def at_0005(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = make_engine(url)
    upgrade(engine, "0005")
    yield engine
    engine.dispose()


def test_upgrade_moves_rows_that_break_the_rules_aside(at_0005):
    engine = at_0005
    alice, bob = uuid.uuid4(), uuid.uuid4()
    ids = {
        name: uuid.uuid4()
        for name in (
            "job_a",
            "res_a",
            "res_b",
            "res_foreign_key",
            "res_ctx",
            "ses_a",
            "ses_b_on_a",
            "ses_b",
        )
    }
    users = text(
        "INSERT INTO users (id, login_name, display_name, created_at) VALUES (:id, :n, :n, :t)"
    )
    job = text(
        "INSERT INTO job_postings (id, user_id, title, company, description, "
        "required_skills, preferred_skills, created_at) "
        "VALUES (:id, :u, 't', '', '', '[]', '[]', :t)"
    )
    resume = text(
        "INSERT INTO resumes (id, user_id, file_name, s3_resume_key, content_sha256, "
        "size_bytes, media_type, job_posting_id, text_content, created_at) "
        "VALUES (:id, :u, 'f.pdf', :key, :sha, 1, 'application/pdf', :job, '', :t)"
    )
    session = text(
        "INSERT INTO analysis_sessions (id, user_id, session_name, job_posting_id, "
        "status, analyzer_name, analyzer_version, created_at) "
        "VALUES (:id, :u, 's', :job, 'completed', 'x', '1', :t)"
    )
    result = text(
        "INSERT INTO resume_analyses (id, resume_id, analysis_session_id, status, "
        "overall_fit_score, skill_match_score, matched_skills, missing_skills, "
        "analyzer_name, analyzer_version, created_at) "
        "VALUES (:id, :r, :s, 'ok', 50, 50, '[]', '[]', 'x', '1', :t)"
    )
    from datetime import UTC, datetime

    t = datetime.now(UTC)

    def key(owner, seed):
        sha, k = key_for(owner, seed)
        return {"sha": sha, "key": k}

    sqlite = engine.dialect.name == "sqlite"

    def raw(value):
        # Hand-written SQL at revision 0005: bind as the column type stores it.
        if isinstance(value, list):
            return [raw(v) for v in value]
        if isinstance(value, dict):
            return {k: raw(v) for k, v in value.items()}
        if isinstance(value, uuid.UUID):
            return value.hex if sqlite else value
        if isinstance(value, datetime) and sqlite:
            return value.isoformat(" ")
        return value

    with engine.begin() as conn:
        conn.execute(
            users, raw([{"id": alice, "n": "alice", "t": t}, {"id": bob, "n": "bob", "t": t}])
        )
        conn.execute(job, raw({"id": ids["job_a"], "u": alice, "t": t}))
        conn.execute(
            resume,
            raw(
                [
                    {
                        "id": ids["res_a"],
                        "u": alice,
                        "job": ids["job_a"],
                        "t": t,
                        **key(alice, "a"),
                    },
                    {"id": ids["res_b"], "u": bob, "job": None, "t": t, **key(bob, "b")},
                    # bob's row pointing at alice's object
                    {
                        "id": ids["res_foreign_key"],
                        "u": bob,
                        "job": None,
                        "t": t,
                        "sha": key(alice, "a")["sha"],
                        "key": key(alice, "a")["key"],
                    },
                    # bob's upload context naming alice's job
                    {
                        "id": ids["res_ctx"],
                        "u": bob,
                        "job": ids["job_a"],
                        "t": t,
                        **key(bob, "ctx"),
                    },
                ]
            ),
        )
        conn.execute(
            session,
            raw(
                [
                    {"id": ids["ses_a"], "u": alice, "job": ids["job_a"], "t": t},
                    {"id": ids["ses_b_on_a"], "u": bob, "job": ids["job_a"], "t": t},
                    {"id": ids["ses_b"], "u": bob, "job": None, "t": t},
                ]
            ),
        )
        conn.execute(
            result,
            raw(
                [
                    {"id": uuid.uuid4(), "r": ids["res_a"], "s": ids["ses_a"], "t": t},  # fine
                    {"id": uuid.uuid4(), "r": ids["res_b"], "s": ids["ses_b_on_a"], "t": t},
                    {
                        "id": uuid.uuid4(),
                        "r": ids["res_a"],
                        "s": ids["ses_b"],
                        "t": t,
                    },  # across owners
                    {"id": uuid.uuid4(), "r": ids["res_foreign_key"], "s": ids["ses_b"], "t": t},
                ]
            ),
        )
    upgrade(engine)
    with engine.connect() as conn:
        moved = {
            (table, uuid.UUID(str(row_id)))
            for table, row_id in conn.execute(
                text("SELECT table_name, row_id FROM quarantined_rows")
            )
        }
        assert ("analysis_sessions", ids["ses_b_on_a"]) in moved
        assert ("resumes", ids["res_foreign_key"]) in moved
        assert ("resumes", ids["res_ctx"]) in moved
        assert sum(1 for table, _ in moved if table == "resume_analyses") == 3
        left = {uuid.UUID(str(r)) for r in conn.scalars(text("SELECT id FROM resumes"))}
        assert left == {ids["res_a"], ids["res_b"], ids["res_ctx"]}
        sessions = {
            uuid.UUID(str(r)) for r in conn.scalars(text("SELECT id FROM analysis_sessions"))
        }
        assert sessions == {ids["ses_a"], ids["ses_b"]}
        assert conn.scalar(text("SELECT count(*) FROM resume_analyses")) == 1
        assert (
            conn.scalar(
                text("SELECT job_posting_id FROM resumes WHERE id = :id"),
                raw({"id": ids["res_ctx"]}),
            )
            is None
        )
        owner = conn.scalar(text("SELECT user_id FROM resume_analyses"))
        assert uuid.UUID(str(owner)) == alice
    # And from now on the rules hold on this database, whichever dialect.
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(session, raw({"id": uuid.uuid4(), "u": bob, "job": ids["job_a"], "t": t}))
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(
            resume,
            raw(
                {
                    "id": uuid.uuid4(),
                    "u": bob,
                    "job": None,
                    "t": t,
                    "sha": key(alice, "z")["sha"],
                    "key": key(alice, "z")["key"],
                }
            ),
        )


# ---------------------------------------------------------- 4. passwords of new logins
def test_a_new_login_password_reaches_the_server_only_as_a_scram_verifier(team):
    admin = team["admin"]
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(f"{statement} {parameters}")

    event.listen(admin._engine, "before_cursor_execute", record)
    try:
        new = admin.add_user("carol", password="correct horse battery staple")
    finally:
        event.remove(admin._engine, "before_cursor_execute", record)
    try:
        assert any("CREATE ROLE" in s for s in statements)
        assert not any("correct horse" in s for s in statements)
        with admin._engine.connect() as conn:
            stored = conn.scalar(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": new.db_role}
            )
        assert stored.startswith("SCRAM-SHA-256$")
    finally:
        with admin._engine.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{new.db_role}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{new.db_role}"'))
            conn.commit()


def test_the_cli_refuses_a_password_on_the_command_line(capsys):
    from recur_desktop.cli import run

    code = run(
        [
            "admin",
            "add-user",
            "carol",
            "--admin-url",
            "postgresql+psycopg://admin@127.0.0.1:9/db",
            "--password",
            "hunter2",
        ]
    )
    _, err = capsys.readouterr()
    assert code != 0
    assert "--password-stdin" in err
    assert "hunter2" not in err


def test_admin_upgrade_lists_the_rows_it_moved_aside(team, alice_and_bob, tmp_path):
    """An old team database with a cross-owner session: the upgrade finishes and names it."""
    from recur_desktop.persistence.engine import downgrade

    alice, bob = alice_and_bob
    job = alice.jobs.create(title="Alice's job", required_skills=["Python"])
    add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    admin = team["admin"]
    downgrade(admin._engine, "0005")
    forged = uuid.uuid4()
    with admin._engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO analysis_sessions (id, user_id, session_name, job_posting_id, "
                "status, analyzer_name, analyzer_version, created_at) "
                "VALUES (:id, :bob, 's', :job, 'completed', 'x', '1', now())"
            ),
            {"id": forged, "bob": bob.owner_id, "job": job.id},
        )
    report = admin.upgrade()
    assert [(q.table_name, q.row_id, q.user_id) for q in report.quarantined] == [
        ("analysis_sessions", forged, bob.owner_id)
    ]
    assert "another owner's job" in report.quarantined[0].reason
    assert admin.upgrade().quarantined == []  # listed once, by the upgrade that moved it
