"""A password never lands in settings.json, whichever form the database address carries it in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recur_desktop.settings import Settings, load_settings, save_settings, without_password

SECRET = "hunter2-Pa55"

#: (address with the password, the address as it must be written)
FORMS = [
    (
        f"postgresql+psycopg://alice:{SECRET}@db.example:5432/recur",
        "postgresql+psycopg://alice@db.example:5432/recur",
    ),
    (
        f"postgresql+psycopg://alice@db.example:5432/recur?password={SECRET}",
        "postgresql+psycopg://alice@db.example:5432/recur",
    ),
    (
        f"postgresql+psycopg://alice@db.example:5432/recur?sslmode=require&password={SECRET}",
        "postgresql+psycopg://alice@db.example:5432/recur?sslmode=require",
    ),
    (
        f"postgresql+psycopg://alice:{SECRET}@db.example/recur?password={SECRET}&sslmode=require",
        "postgresql+psycopg://alice@db.example/recur?sslmode=require",
    ),
    (
        f"host=db.example port=5432 user=alice password={SECRET} dbname=recur",
        "host=db.example port=5432 user=alice dbname=recur",
    ),
    (
        f"host=db.example user=alice password='{SECRET} x' dbname=recur",
        "host=db.example user=alice dbname=recur",
    ),
]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RECUR_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config" / "settings.json"


@pytest.mark.parametrize(("url", "written"), FORMS)
def test_save_settings_never_writes_a_password(config: Path, tmp_path: Path, url, written):
    save_settings(Settings(data_dir=tmp_path / "data", database_url=url, user="alice"))
    text = config.read_text(encoding="utf-8")
    assert SECRET not in text and "password" not in text
    assert json.loads(text)["database_url"] == written


@pytest.mark.parametrize(("url", "written"), FORMS)
def test_without_password_returns_the_password_it_took_out(url, written):
    clean, password = without_password(url)
    assert clean == written
    assert password is not None and password.startswith(SECRET)


def test_an_address_without_a_password_is_kept_exactly():
    url = "postgresql+psycopg://alice@db.example:5432/recur?sslmode=require"
    assert without_password(url) == (url, None)


def test_an_environment_address_with_a_password_is_saved_without_it(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RECUR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(
        "RECUR_DATABASE_URL", f"postgresql+psycopg://alice@127.0.0.1/recur?password={SECRET}"
    )
    monkeypatch.setenv("RECUR_S3_ENDPOINT_URL", f"https://key:{SECRET}@minio.example:9000")
    save_settings(load_settings())
    text = config.read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["s3_endpoint_url"] == "https://key@minio.example:9000"


def test_a_settings_object_never_shows_its_password(tmp_path: Path):
    for url, _ in FORMS:
        settings = Settings(data_dir=tmp_path, database_url=url)
        assert SECRET not in repr(settings) and SECRET not in f"{settings!r}"
