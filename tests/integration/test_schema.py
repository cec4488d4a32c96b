"""Alembic owns the schema: the same revisions build it on SQLite and Postgres, both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from recur_desktop.persistence.engine import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    upgrade,
)

EXPECTED_TABLES = {"users", "job_postings", "resumes", "analysis_sessions", "resume_analyses"}


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'schema.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_upgrade_from_empty_creates_the_named_constraints(empty_engine):
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    inspector = inspect(empty_engine)
    assert set(inspector.get_table_names()) >= EXPECTED_TABLES
    uniques = {u["name"] for u in inspector.get_unique_constraints("resumes")}
    assert "uq_resumes_user_id_content_sha256" in uniques
    analyses = {u["name"] for u in inspector.get_unique_constraints("resume_analyses")}
    assert "uq_resume_analyses_resume_id_analysis_session_id" in analyses
    if empty_engine.dialect.name == "postgresql":
        # Results refer to their own owner's resume: (user_id, resume_id) -> resumes (user_id, id).
        fks = {fk["name"]: fk for fk in inspector.get_foreign_keys("resume_analyses")}
        to_resume = fks["fk_resume_analyses_user_id_resumes"]
        assert to_resume["constrained_columns"] == ["user_id", "resume_id"]
        assert to_resume["referred_columns"] == ["user_id", "id"]
        assert to_resume["options"].get("ondelete") == "CASCADE"
    indexes = {i["name"] for i in inspector.get_indexes("analysis_sessions")}
    assert "ix_analysis_sessions_user_id_job_posting_id_status" in indexes


def test_downgrade_then_upgrade_round_trip(empty_engine):
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert not EXPECTED_TABLES & set(inspect(empty_engine).get_table_names())
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert set(inspect(empty_engine).get_table_names()) >= EXPECTED_TABLES


def test_upgrade_twice_is_a_no_op(empty_engine):
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def test_the_named_head_is_alembics_only_head():
    from alembic.script import ScriptDirectory

    from recur_desktop.persistence.engine import alembic_config

    # get_current_head() raises when the revisions branch into several heads.
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
