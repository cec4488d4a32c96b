"""Shared fixtures: both profiles, built through the same composition root as the app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from recur_desktop.app import AppContext, build_context
from recur_desktop.settings import Settings

pytest_plugins = ["tests.plugins.s3_server", "tests.plugins.postgres"]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """No test reads the developer's settings file or inherits their RECUR_* variables."""
    import os

    for name in list(os.environ):
        if name.startswith("RECUR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RECUR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("RECUR_LOG_DIR", str(tmp_path_factory.mktemp("logs")))


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", user="alice")


@pytest.fixture
def server_settings(tmp_path: Path, pg_url: str, s3_endpoint: str, s3_bucket: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=pg_url,
        s3_bucket=s3_bucket,
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        user="alice",
    )


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest) -> Settings:
    """Every test using this runs twice: SQLite + local folder, and Postgres + S3 over HTTP."""
    return request.getfixturevalue(f"{request.param}_settings")


@pytest.fixture
def ctx(settings: Settings) -> Iterator[AppContext]:
    context = build_context(settings)
    yield context
    context.close()


@pytest.fixture
def other_ctx(settings: Settings) -> Iterator[AppContext]:
    """A second recruiter on the same database and store."""
    context = build_context(replace(settings, user="bob"))
    yield context
    context.close()
