"""An import stops when storage or the database is down instead of failing file by file.

With the deadlines of issue #10 each file costs up to ~50 s against a frozen store and up to a
lock or statement timeout against a locked database; a folder of 200 would take hours to fail.
After OUTAGE_STOP_AFTER files in a row lost to an outage, the rest are reported with one
sentence. The parts are real: the frozen TCP server of test_deadlines.py as the S3 endpoint, a
port that refuses connections, moto over HTTP, SQLite and Postgres.
"""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from recur_desktop.app import build_context
from recur_desktop.persistence.engine import make_engine
from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
from recur_desktop.services import library as library_module
from recur_desktop.services.library import (
    DATABASE_TIMED_OUT,
    OUTAGE_STOP_AFTER,
    LibraryService,
)
from recur_desktop.storage import ObjectStore, resume_key
from recur_desktop.storage.s3 import TIMED_OUT, UNREACHABLE, S3ObjectStore, make_s3_client
from tests import samples
from tests.integration.test_deadlines import FrozenServer, frozen_store, returns_in_time

STORAGE_STOPPED_3 = (
    "File storage isn't answering; the remaining 3 files were not imported. "
    "Nothing was lost; try again later."
)
DATABASE_STOPPED_3 = (
    "The database didn't answer in time; the remaining 3 files were not imported. "
    "Nothing was lost; try again later."
)


@pytest.fixture
def frozen() -> Iterator[FrozenServer]:
    server = FrozenServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: every connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def write_resumes(folder: Path, names: list[str]) -> list[Path]:
    """One distinct text resume per name, in the given order (explicit paths keep it)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.txt"
        body = samples.sample_resume_text(f"Candidate {name.replace('-', ' ').title()}", ["SQL"])
        path.write_bytes(samples.make_text(f"{body}\nReference {name}\n"))
        paths.append(path)
    return paths


def key_of(owner_id: Any, path: Path) -> str:
    return resume_key(owner_id, hashlib.sha256(path.read_bytes()).hexdigest(), ".txt")


class RoutedStore:
    """Sends each upload to the real store its file name starts with; the rest go to ``default``.

    Lets one import meet a store that is down, one that answers with a per-file refusal and one
    that works, in an order the test chooses.
    """

    def __init__(self, default: ObjectStore, routes: Mapping[str, ObjectStore]) -> None:
        self._default = default
        self._routes = routes
        self.description = "routed"

    def put(self, key: str, data: bytes, **kwargs: Any) -> bool:
        name = kwargs["metadata"]["original-file-name"]
        store = next((s for p, s in self._routes.items() if name.startswith(p)), self._default)
        return store.put(key, data, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._default, name)


# -- storage ---------------------------------------------------------------------------------------


def test_a_frozen_store_stops_the_import_after_three_files(
    aws_test_env: None, frozen: FrozenServer, embedded_settings, tmp_path: Path
) -> None:
    # One attempt per file, so the connections the server saw count the files tried.
    ctx = build_context(embedded_settings, store=frozen_store(frozen.url, max_timeouts=1))
    try:
        names = [f"resume-{i}" for i in range(6)]
        paths = write_resumes(tmp_path / "in", names)

        outcome = returns_in_time(lambda: ctx.library.import_paths(paths))

        assert outcome.error is None, repr(outcome.error)
        report = outcome.value
        assert frozen.wait_for_connections(OUTAGE_STOP_AFTER)
        assert frozen.accepted == 3  # files 4 to 6 never reached the store
        assert report.added == [] and report.duplicates == []
        assert [r.file_name for r in report.rejected] == [f"{n}.txt" for n in names]
        assert [r.reason for r in report.rejected[:3]] == [f"It couldn't be saved: {TIMED_OUT}"] * 3
        assert [r.reason for r in report.rejected[3:]] == [STORAGE_STOPPED_3] * 3
        assert report.stopped == STORAGE_STOPPED_3
        assert [r.path for r in report.rejected] == [str(p) for p in paths]
        assert report.processed == 6
        assert ctx.library.page().total == 0
    finally:
        ctx.close()


def test_any_answer_from_storage_resets_the_outage_count(
    aws_test_env: None, s3_endpoint: str, refused_url: str, embedded_settings, tmp_path: Path
) -> None:
    ctx = build_context(embedded_settings)  # a local folder: the store that works
    down = S3ObjectStore(
        make_s3_client(region="us-east-1", endpoint_url=refused_url, max_attempts=1), "b"
    )
    # moto answers NoSuchBucket: a refusal of this request, not an outage.
    refusing = S3ObjectStore(
        make_s3_client(region="us-east-1", endpoint_url=s3_endpoint), "no-such-bucket"
    )
    store = RoutedStore(ctx.store, {"down": down, "refused": refusing})
    library = LibraryService(ctx.uow, store, ctx.owner_id)
    try:
        # Never three outages in a row: a stored file, then a refusal, break each run of two.
        first = write_resumes(
            tmp_path / "a",
            ["down-1", "down-2", "up-3", "down-4", "down-5", "refused-6", "down-7", "down-8"],
        )
        report = returns_in_time(lambda: library.import_paths(first)).value

        assert report.stopped == ""
        assert [a.file_name for a in report.added] == ["up-3.txt"]
        reasons = {r.file_name: r.reason for r in report.rejected}
        assert len(reasons) == 7
        downs = [n for n in reasons if n.startswith("down")]
        assert len(downs) == 6
        assert all(reasons[n] == f"It couldn't be saved: {UNREACHABLE}" for n in downs)
        assert "bucket no-such-bucket doesn't exist" in reasons["refused-6.txt"]

        # The third in a row stops the batch, even with a working store next.
        second = write_resumes(tmp_path / "b", ["down-a", "down-b", "down-c", "up-d"])
        report = returns_in_time(lambda: library.import_paths(second)).value

        sentence = (
            "File storage isn't answering; the remaining file was not imported. "
            "Nothing was lost; try again later."
        )
        assert report.added == []
        assert [(r.file_name, r.reason) for r in report.rejected[3:]] == [("up-d.txt", sentence)]
        assert report.stopped == sentence
        assert ctx.library.page().total == 1  # up-3 only
        assert not ctx.store.exists(key_of(ctx.owner_id, second[3]))
    finally:
        ctx.close()


# -- database --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("timeouts", "logged"),
    [
        ({"lock_timeout": 1}, "canceling statement due to lock timeout"),
        (
            {"lock_timeout": 0, "statement_timeout": 1},
            "canceling statement due to statement timeout",
        ),
    ],
    ids=["lock_timeout", "statement_timeout"],
)
def test_a_commit_the_database_times_out_stops_the_import_cleanly(
    server_settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    timeouts: dict[str, float],
    logged: str,
) -> None:
    # One commit per file, so each file meets the locked table on its own.
    monkeypatch.setattr(library_module, "COMMIT_EVERY", 1)
    ctx = build_context(server_settings)
    engine = make_engine(server_settings.database_url, **timeouts)
    holder = make_engine(server_settings.database_url)
    library = LibraryService(SqlUnitOfWorkFactory.for_engine(engine), ctx.store, ctx.owner_id)
    names = [f"resume-{i}" for i in range(6)]
    paths = write_resumes(tmp_path / "in", names)
    try:
        with holder.connect() as conn:
            # SHARE lets the import's look-ups through and holds its INSERTs back.
            conn.execute(text("LOCK TABLE resumes IN SHARE MODE"))
            with caplog.at_level(logging.WARNING, logger="recur_desktop.services.library"):
                outcome = returns_in_time(lambda: library.import_paths(paths))
            conn.rollback()

        assert outcome.error is None, repr(outcome.error)
        report = outcome.value
        assert report.added == [] and report.duplicates == []
        assert [r.file_name for r in report.rejected] == [f"{n}.txt" for n in names]
        assert [r.reason for r in report.rejected[:3]] == [DATABASE_TIMED_OUT] * 3
        assert [r.reason for r in report.rejected[3:]] == [DATABASE_STOPPED_3] * 3
        assert report.stopped == DATABASE_STOPPED_3
        assert logged in caplog.text
        assert ctx.library.page().total == 0
        # Objects first, rows second: what was stored has no row (doctor's orphans); the
        # files after the stop were never uploaded. The fourth upload was already running
        # when the third commit timed out, so it may or may not be there.
        orphans = set(ctx.doctor.check().orphans)
        assert {key_of(ctx.owner_id, p) for p in paths[:3]} <= orphans
        assert orphans <= {key_of(ctx.owner_id, p) for p in paths[:4]}
    finally:
        engine.dispose()
        holder.dispose()
        ctx.close()


@pytest.mark.postgres
def test_a_table_locked_for_lookups_stops_the_import_before_any_upload(
    server_settings, tmp_path: Path
) -> None:
    ctx = build_context(server_settings)
    engine = make_engine(server_settings.database_url, lock_timeout=1)
    holder = make_engine(server_settings.database_url)
    library = LibraryService(SqlUnitOfWorkFactory.for_engine(engine), ctx.store, ctx.owner_id)
    names = [f"resume-{i}" for i in range(6)]
    paths = write_resumes(tmp_path / "in", names)
    try:
        with holder.connect() as conn:
            conn.execute(text("LOCK TABLE resumes IN ACCESS EXCLUSIVE MODE"))
            outcome = returns_in_time(lambda: library.import_paths(paths))
            conn.rollback()

        assert outcome.error is None, repr(outcome.error)
        report = outcome.value
        assert [r.reason for r in report.rejected] == [DATABASE_TIMED_OUT] * 3 + [
            DATABASE_STOPPED_3
        ] * 3
        assert report.stopped == DATABASE_STOPPED_3
        assert ctx.library.page().total == 0
        assert list(ctx.store.list(f"{ctx.owner_id}/resumes/")) == []

        # Once the lock is gone the same files import: nothing was left half-done.
        again = library.import_paths(paths)
        assert len(again.added) == 6 and again.stopped == ""
    finally:
        engine.dispose()
        holder.dispose()
        ctx.close()


def test_a_stopped_import_reports_through_the_cli_shapes(
    aws_test_env: None, refused_url: str, embedded_settings, tmp_path: Path
) -> None:
    """The CLI and the window read ``rejected``; the stop is there as one repeated sentence."""
    down = S3ObjectStore(
        make_s3_client(region="us-east-1", endpoint_url=refused_url, max_attempts=1), "b"
    )
    ctx = build_context(replace(embedded_settings, user="carol"), store=down)
    try:
        paths = write_resumes(tmp_path / "in", [f"r{i}" for i in range(5)])
        report = returns_in_time(lambda: ctx.library.import_paths(paths)).value

        assert len(report.rejected) == report.processed == 5
        left_out = [r for r in report.rejected if r.reason == report.stopped]
        assert [r.file_name for r in left_out] == ["r3.txt", "r4.txt"]
        assert report.stopped.startswith("File storage isn't answering; the remaining 2 files")
    finally:
        ctx.close()
