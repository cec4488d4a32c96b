"""Throwaway Postgres databases: the schema is built once into a template, then each test gets
its own copy (CREATE DATABASE ... TEMPLATE takes tens of milliseconds). No test touches any
database it did not create."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from recur_desktop.persistence.engine import make_engine, upgrade

ADMIN_URL = os.environ.get(
    "RECUR_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _admin_engine():
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def _url_for(database: str) -> str:
    return make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        message = f"PostgreSQL does not answer at {make_url(ADMIN_URL).render_as_string()}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.dispose()


def create_database(admin, template: str | None = None) -> str:
    name = f"recur_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        suffix = f" TEMPLATE {template}" if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    return name


def drop_database(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_template(pg_admin) -> Iterator[str]:
    name = create_database(pg_admin)
    engine = make_engine(_url_for(name))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    yield name
    drop_database(pg_admin, name)


@pytest.fixture
def pg_url(pg_admin, pg_template) -> Iterator[str]:
    """A fresh database with the current schema, dropped after the test."""
    name = create_database(pg_admin, template=pg_template)
    yield _url_for(name)
    drop_database(pg_admin, name)


@pytest.fixture
def pg_empty_url(pg_admin) -> Iterator[str]:
    """A fresh database without any schema (for migration tests)."""
    name = create_database(pg_admin)
    yield _url_for(name)
    drop_database(pg_admin, name)
