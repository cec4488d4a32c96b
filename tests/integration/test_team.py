"""Team databases: isolation enforced by Postgres row-level security with real login roles."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from recur_desktop.app import StartupError, build_context
from recur_desktop.services import AnalysisService, NotFound
from tests.integration.team_fixtures import add_resume, alice_and_bob, team

__all__ = ["alice_and_bob", "team"]  # fixtures used below


def test_the_login_role_decides_who_you_are(team, alice_and_bob):
    alice, bob = alice_and_bob
    assert alice.owner_id == team["users"]["alice"].user_id
    assert bob.owner_id == team["users"]["bob"].user_id


def test_hand_written_sql_sees_and_changes_only_your_own_rows(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    mine = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    theirs = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    bob.jobs.create(title="Bob's job", required_skills=["COBOL"])
    bob.analysis.analyze(None)
    engine = create_engine(team["settings_for"]("alice").database_url)
    try:
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT id FROM resumes")).scalars().all()
            assert rows == [mine.id]
            assert conn.execute(text("SELECT count(*) FROM job_postings")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM analysis_sessions")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM resume_analyses")).scalar() == 0
            assert conn.execute(text("SELECT login_name FROM users")).scalars().all() == ["alice"]
            changed = conn.execute(
                text("UPDATE resumes SET file_name = 'pwned' WHERE id = :id"), {"id": theirs.id}
            )
            assert changed.rowcount == 0
            deleted = conn.execute(text("DELETE FROM resumes WHERE id = :id"), {"id": theirs.id})
            assert deleted.rowcount == 0
        with pytest.raises(DBAPIError, match="row-level security"), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO job_postings (id, user_id, title, company, description, "
                    "required_skills, preferred_skills, created_at) VALUES (:id, :bob, 'x', '', "
                    "'', '[]', '[]', now())"
                ),
                {"id": uuid.uuid4(), "bob": bob.owner_id},
            )
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text("DROP TABLE resumes"))
    finally:
        engine.dispose()
    assert bob.library.get(theirs.id).file_name == "Grace_Hopper.txt"


def test_queries_given_bobs_ids_return_nothing_of_bobs(alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    theirs = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    bob.analysis.analyze(None)
    with pytest.raises(NotFound):
        alice.analysis.history(theirs.id)
    # Even a service wrongly built with bob's id sees nothing: the database filters.
    forged = AnalysisService(alice.uow, alice.analyzer, bob.owner_id)
    assert forged.available(None).total == 0
    assert forged.sessions() == []
    with pytest.raises(NotFound):
        forged.history(theirs.id)


def test_core_scenario_runs_as_two_recruiters_at_once(alice_and_bob, tmp_path):
    errors: list[BaseException] = []

    def scenario(ctx, who: str) -> None:
        try:
            folder = tmp_path / who
            resumes = [
                add_resume(ctx, folder, f"{who.title()} Person{i}", ["Python", "SQL"])
                for i in range(3)
            ]
            job = ctx.jobs.create(title=f"{who} job", required_skills=["Python"])
            ctx.analysis.analyze(None, resume_ids=[resumes[0].id])
            ctx.analysis.analyze(job.id, resume_ids=[resumes[0].id])
            assert ctx.analysis.available(None).total == 2
            assert ctx.analysis.available(job.id).total == 2
            _, history = ctx.analysis.history(resumes[0].id)
            assert [h.context_label for h in history] == [f"{who} job", "General"]
            assert ctx.library.page().total == 3
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [
        threading.Thread(target=scenario, args=(ctx, who))
        for ctx, who in zip(alice_and_bob, ("alice", "bob"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def test_an_outdated_schema_asks_for_the_admin_command(team, alice_and_bob):
    alice, _ = alice_and_bob
    with team["admin"]._engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(StartupError, match="recur admin upgrade"):
        build_context(team["settings_for"]("alice"))


def test_a_login_without_a_recruiter_row_is_told_what_to_do(team, pg_admin):
    roles = team["roles"]
    stranger = f"{roles.prefix}_stranger"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{stranger}" LOGIN IN ROLE "{roles.app}"'))
    try:
        settings = team["settings_for"]("alice")
        url = make_url(settings.database_url).set(username=stranger, password=None)
        with pytest.raises(StartupError, match="not registered as a recruiter"):
            build_context(replace(settings, database_url=url.render_as_string(False)))
    finally:
        with pg_admin.connect() as conn:
            conn.execute(text(f'DROP ROLE "{stranger}"'))


def test_erasing_a_recruiter_removes_their_rows_and_files_only(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    mine = add_resume(alice, tmp_path / "a", "Ada Lovelace", ["Python"])
    theirs = add_resume(bob, tmp_path / "b", "Grace Hopper", ["COBOL"])
    job = bob.jobs.create(title="Bob's job", required_skills=["COBOL"])
    bob.analysis.analyze(job.id)
    result = team["admin"].remove_user("bob", erase=True, store=bob.store)
    assert result["objects_removed"] == 1
    assert not bob.store.exists(theirs.s3_resume_key)
    assert alice.store.exists(mine.s3_resume_key)
    assert alice.library.page().total == 1
    with team["admin"]._engine.connect() as conn:
        login = conn.scalar(
            text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"),
            {"r": team["users"]["bob"].db_role},
        )
        assert login is False
        assert conn.scalar(text("SELECT count(*) FROM users WHERE login_name = 'bob'")) == 0


def test_s3_policy_limits_keys_to_the_recruiters_prefix(team):
    policy = team["admin"].s3_policy("alice", "team-bucket")
    prefix = f"{team['users']['alice'].user_id}/resumes/"
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["ReadWriteOwnObjects"]["Resource"] == f"arn:aws:s3:::team-bucket/{prefix}*"
    assert statements["ListOwnPrefix"]["Condition"]["StringLike"]["s3:prefix"] == [f"{prefix}*"]
