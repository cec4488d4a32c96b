"""Log files: in the log folder, rotated, and never holding a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from recur_desktop import logs


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """setup_logging() on a temporary folder; the root logger is put back afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    folder = tmp_path / "logs"
    monkeypatch.setenv("RECUR_LOG_DIR", str(folder))
    yield folder
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved_level)
    logs.forget_secrets()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_dir_follows_recur_log_dir(log_folder: Path):
    assert logs.log_dir() == log_folder


def test_log_dir_defaults_to_the_platform_log_directory(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("RECUR_LOG_DIR", raising=False)
    assert "recur-desktop" in str(logs.log_dir())


def test_a_database_url_password_is_masked_in_the_file(log_folder: Path):
    path = logs.setup_logging()
    assert path == log_folder / "recur.log"
    log = logging.getLogger("recur_desktop.test")
    log.warning("connecting to %s", "postgresql+psycopg://u:hunter2@h/db")
    log.info("dsn host=h user=u password=hunter2 dbname=db")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "hunter2" not in text
    assert "postgresql+psycopg://u:***@h/db" in text
    assert "password=***" in text


def test_a_url_without_a_password_is_left_alone():
    assert logs.mask("see https://example.com:8443/path and s3://bucket/key") == (
        "see https://example.com:8443/path and s3://bucket/key"
    )


def test_registered_secrets_are_masked_even_in_tracebacks(log_folder: Path):
    path = logs.setup_logging()
    logs.register_secret("s3cr3t/key+value")
    log = logging.getLogger("some.library")
    log.error("the key is s3cr3t/key+value, encoded s3cr3t%2Fkey%2Bvalue")
    try:
        raise RuntimeError("failed with s3cr3t/key+value")
    except RuntimeError:
        log.exception("oops")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "s3cr3t" not in text
    assert text.count("***") >= 3
    assert "RuntimeError" in text


def test_setup_twice_keeps_one_set_of_handlers(log_folder: Path):
    logs.setup_logging(console=True)
    before = len(logging.getLogger().handlers)
    logs.setup_logging(console=True)
    assert len(logging.getLogger().handlers) == before


def test_the_file_rotates(log_folder: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    monkeypatch.setattr(logs, "BACKUP_COUNT", 2)
    path = logs.setup_logging()
    log = logging.getLogger("recur_desktop.test")
    for n in range(200):
        log.info("line %03d %s", n, "x" * 50)
    _flush()
    files = sorted(p.name for p in log_folder.iterdir())
    assert files == ["recur.log", "recur.log.1", "recur.log.2"]
    assert all(p.stat().st_size <= 2_000 for p in log_folder.iterdir())
    assert "line 199" in path.read_text(encoding="utf-8")


def test_an_unwritable_folder_does_not_stop_the_app(tmp_path: Path, log_folder: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert logs.setup_logging(directory=blocker / "logs") is None


@pytest.mark.parametrize(
    "text",
    [
        "postgresql+psycopg://alice:hunter2@db:5432/recur",
        "postgresql+psycopg://alice:hun@ter2/x@db:5432/recur",  # unencoded @ and / in it
        "postgresql+psycopg://alice@db:5432/recur?password=hunter2",
        "postgresql+psycopg://alice@db/recur?sslmode=require&password=hunter2&x=1",
        "host=db user=alice password=hunter2 dbname=recur",
        "host=db user=alice password = 'hunter2 with spaces' dbname=recur",
        "host=db sslpassword=hunter2",
        "PGPASSWORD=hunter2 psql",
        "{'password': 'hunter2', 'user': 'alice'}",
        '{"database_password": "hunter2"}',
        "Authorization: Bearer hunter2",
    ],
)
def test_every_password_form_is_masked(text: str):
    masked = logs.mask(text)
    assert "hunter2" not in masked and "ter2" not in masked
    assert "***" in masked


def test_masking_keeps_what_is_not_secret():
    masked = logs.mask("postgresql+psycopg://alice@db:5432/recur?sslmode=require&password=x1y2")
    assert masked == "postgresql+psycopg://alice@db:5432/recur?sslmode=require&password=***"
    sentence = "password authentication failed for user alice; no password supplied"
    assert logs.mask(sentence) == sentence
