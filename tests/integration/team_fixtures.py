"""A team database with two recruiters, alice and bob, each with a real login role."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from recur_desktop.app import build_context
from recur_desktop.persistence.engine import make_engine
from recur_desktop.persistence.security import TeamRoles
from recur_desktop.services.team import TeamAdmin
from recur_desktop.settings import Settings
from tests import samples
from tests.plugins.postgres import create_database, drop_database


@pytest.fixture
def team(pg_admin, s3_endpoint, s3_bucket, tmp_path):
    """A team database initialised from empty, with alice and bob; roles dropped afterwards."""
    roles = TeamRoles(prefix=f"rt{uuid.uuid4().hex[:8]}")
    name = create_database(pg_admin)
    admin_url = make_url(str(pg_admin.url)).set(database=name)
    admin_engine = make_engine(admin_url.render_as_string(hide_password=False))
    admin = TeamAdmin(admin_engine, roles)
    created: dict[str, object] = {}
    try:
        admin.init()
        for who in ("alice", "bob"):
            created[who] = admin.add_user(who, email=f"{who}@example.com", password=f"{who}-pw")

        def settings_for(who: str) -> Settings:
            new = created[who]
            url = admin_url.set(username=new.db_role, password=new.password)
            return Settings(
                data_dir=tmp_path / who,
                database_url=url.render_as_string(hide_password=False),
                s3_bucket=s3_bucket,
                s3_endpoint_url=s3_endpoint,
                s3_region="us-east-1",
                user="mallory",  # ignored on a team database: the login decides
            )

        yield {"admin": admin, "users": created, "settings_for": settings_for, "roles": roles}
    finally:
        admin_engine.dispose()
        drop_database(pg_admin, name)
        with pg_admin.connect() as conn:
            for role in [u.db_role for u in created.values()] + [roles.app, roles.owner]:
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def add_resume(ctx, folder: Path, name: str, skills: list[str]):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.replace(' ', '_')}.txt"
    path.write_bytes(samples.make_text(samples.sample_resume_text(name, skills)))
    return ctx.library.import_paths([path]).added[0].resume


@pytest.fixture
def alice_and_bob(team, tmp_path):
    alice = build_context(team["settings_for"]("alice"))
    bob = build_context(team["settings_for"]("bob"))
    yield alice, bob
    alice.close()
    bob.close()
