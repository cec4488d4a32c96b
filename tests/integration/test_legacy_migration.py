"""``recur migrate-legacy`` over Postgres and moto S3 (HTTP): plan, apply, verify, crash, clean up.

The legacy world comes from ``tests/legacy_fixture.py`` (344 objects for 3 users with every kind
of trouble the issue lists). Worlds are built per module where tests only read them, so the file
stays well under 90 s on two cores.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop import cli_legacy
from recur_desktop.analysis import SkillCoverageAnalyzer
from recur_desktop.cli import run
from recur_desktop.domain import CancelToken
from recur_desktop.persistence.engine import make_engine, session_factory
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    LegacyMigrationJournalRow,
    ResumeAnalysisRow,
    ResumeRow,
    UserRow,
)
from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
from recur_desktop.services import AnalysisService
from recur_desktop.services.legacy import (
    LegacyMigrationService,
    analysis_id_for,
    legacy_login_name,
    session_id_for,
)
from recur_desktop.storage import S3ObjectStore, user_prefix
from tests.legacy_fixture import LegacyData, build_legacy_data, install_legacy, s3_put
from tests.plugins.postgres import _url_for, create_database, drop_database

pytestmark = [pytest.mark.postgres, pytest.mark.s3]

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = (
    "users",
    "job_postings",
    "resumes",
    "analysis_sessions",
    "resume_analyses",
    "legacy_job_postings",
    "legacy_resumes",
    "legacy_analyses",
    "legacy_migration_journal",
)


@cache
def legacy_data(seed: int = 7, contents_per_user: int = 75) -> LegacyData:
    return build_legacy_data(seed=seed, contents_per_user=contents_per_user)


@dataclass
class World:
    """One database and one bucket holding the legacy data (and, later, the migration)."""

    url: str
    bucket: str
    engine: Engine
    sessions: sessionmaker[Session]
    store: S3ObjectStore
    data: LegacyData
    endpoint: str

    def service(self, **kwargs: Any) -> LegacyMigrationService:
        return LegacyMigrationService(self.sessions, self.store, **kwargs)

    def env(self, data_dir: Path) -> dict[str, str]:
        """The app's settings as environment variables (the AWS_* dummies are inherited)."""
        return {
            "RECUR_DATABASE_URL": self.url,
            "RECUR_S3_BUCKET": self.bucket,
            "RECUR_S3_ENDPOINT_URL": self.endpoint,
            "RECUR_S3_REGION": "us-east-1",
            "RECUR_DATA_DIR": str(data_dir),
            # An existing user: starting the CLI then adds no users row of its own.
            "RECUR_USER": self.data.login_names[self.data.users[0]],
        }


@contextlib.contextmanager
def make_world(
    pg_admin: Any, pg_template: str, s3_client: Any, endpoint: str, data: LegacyData
) -> Iterator[World]:
    name = create_database(pg_admin, template=pg_template)
    url = _url_for(name)
    bucket = f"recur-legacy-{uuid.uuid4().hex[:16]}"
    s3_client.create_bucket(Bucket=bucket)
    engine = make_engine(url)
    try:
        install_legacy(data, engine, s3_put(s3_client, bucket))
        yield World(
            url,
            bucket,
            engine,
            session_factory(engine),
            S3ObjectStore(s3_client, bucket),
            data,
            endpoint,
        )
    finally:
        engine.dispose()
        drop_database(pg_admin, name)
        with contextlib.suppress(Exception):  # best effort: keep the shared server small
            for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", ())]
                if keys:
                    s3_client.delete_objects(Bucket=bucket, Delete={"Objects": keys})
            s3_client.delete_bucket(Bucket=bucket)


@pytest.fixture(scope="module")
def world(pg_admin, pg_template, s3_client, s3_endpoint) -> Iterator[World]:
    """The full fixture, migrated once by ``test_apply_...``; later tests read the result."""
    with make_world(pg_admin, pg_template, s3_client, s3_endpoint, legacy_data()) as w:
        yield w


@pytest.fixture
def small_world(pg_admin, pg_template, s3_client, s3_endpoint) -> Iterator[World]:
    """A smaller copy of the same kinds of data, for tests that change it."""
    with make_world(pg_admin, pg_template, s3_client, s3_endpoint, legacy_data(11, 14)) as w:
        yield w


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = set(conn.dialect.get_table_names(conn))
        return {
            table: conn.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in TABLES
            if table in names
        }


def listing(store: S3ObjectStore) -> list[tuple[str, int]]:
    return sorted((info.key, info.size) for info in store.list(""))


def dump(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """The migrated state without generated ids and timestamps, sorted."""
    with world.engine.connect() as conn:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(map(str, r)) for r in conn.execute(text(sql)))

        return {
            "users": rows("SELECT id, login_name FROM users"),
            "jobs": rows("SELECT id, user_id, title FROM job_postings"),
            "resumes": rows(
                "SELECT user_id, content_sha256, file_name, s3_resume_key, job_posting_id, "
                "size_bytes, media_type, extraction_error, md5(text_content), deleted_at "
                "FROM resumes"
            ),
            "sessions": rows(
                "SELECT id, user_id, session_name, job_posting_id, status, analyzer_name, "
                "created_at FROM analysis_sessions"
            ),
            "analyses": rows(
                "SELECT r.content_sha256, a.analysis_session_id, a.id, a.status, "
                "a.overall_fit_score, a.skill_match_score, a.error, a.created_at "
                "FROM resume_analyses a JOIN resumes r ON r.id = a.resume_id"
            ),
            "objects": [(k, str(s)) for k, s in listing(world.store)],
        }


# --------------------------------------------------------------------------- dry run
def test_dry_run_changes_nothing_and_prints_the_plan(world, tmp_path, monkeypatch, capsys):
    for name, value in world.env(tmp_path).items():
        monkeypatch.setenv(name, value)
    before = (counts(world.engine), listing(world.store))

    code = run(["migrate-legacy", "--json"])

    out, err = capsys.readouterr()
    assert code == 0, err
    plan = json.loads(out)
    assert (counts(world.engine), listing(world.store)) == before
    assert plan["mode"] == "dry-run"
    expected = world.data.expected()
    for user in plan["users"]:
        want = expected[uuid.UUID(user["user_id"])]
        for name in (
            "legacy_objects",
            "distinct_contents",
            "duplicates_folded",
            "missing_objects",
            "unreferenced_objects",
            "unreadable_files",
            "analyses",
            "analyses_to_carry",
            "analyses_invalid_scores",
            "analyses_folded",
            "analyses_not_carried",
            "sessions",
        ):
            assert user[name] == getattr(want, name.replace("legacy_objects", "objects")), name
        assert user["contents_to_migrate"] == user["distinct_contents"]
    totals = plan["totals"]
    assert totals["legacy_objects"] == len(world.data.objects) >= 300
    assert totals["users"] == 3 and totals["users_to_create"] == 1
    assert totals["jobs"] == totals["jobs_to_create"] == 12
    assert set(plan["problem_counts"]) == {
        "missing_object",
        "unreferenced_object",
        "unreadable_file",
        "invalid_scores",
        "unknown_job",
    }
    assert plan["failures"] == []

    # The text form says the same for a person.
    text_out = cli_legacy.render(plan)
    assert "dry run: nothing was changed" in text_out
    assert f"{totals['distinct_contents']} distinct contents" in text_out
    assert "missing object (9):" in text_out


# --------------------------------------------------------------------------- apply + verify
def test_apply_then_verify_pass_and_the_design_scenarios_hold(world):
    calls: list[tuple[int, int, str, str]] = []

    def progress(done: int, total: int, note: str) -> None:
        calls.append((done, total, note, threading.current_thread().name))

    service = world.service()
    report = service.apply(progress=progress)

    expected = world.data.expected()
    assert report.failures == [] and not report.cancelled
    assert report.created_resumes == report.copied_objects == report.total("distinct_contents")
    assert report.total("distinct_contents") == sum(e.distinct_contents for e in expected.values())
    assert report.created_users == 1 and report.created_jobs == 12
    assert report.written_sessions == sum(e.sessions for e in expected.values())
    assert report.written_analyses == sum(
        e.analyses_to_carry + e.analyses_invalid_scores for e in expected.values()
    )
    # Progress comes from the calling thread, objects phase up to its total.
    assert {c[3] for c in calls} == {threading.current_thread().name}
    assert (len(world.data.objects), len(world.data.objects)) in {(c[0], c[1]) for c in calls}

    verified = service.verify()
    assert verified.ok, verified.unaccounted
    assert verified.checked_objects == len(world.data.objects)

    data = world.data
    scenario = data.scenario
    with world.sessions() as session:
        users = dict(session.execute(select(UserRow.id, UserRow.login_name)).all())
        missing_user = data.users[-1]
        assert users[missing_user] == legacy_login_name(missing_user)
        resumes = {(r.user_id, r.content_sha256): r for r in session.scalars(select(ResumeRow))}
    # Each distinct content is one resume at its content-addressed key, named deterministically.
    for uid, want in expected.items():
        mine = {sha: r for (u, sha), r in resumes.items() if u == uid}
        assert len(mine) == want.distinct_contents
        assert {sha: r.file_name for sha, r in mine.items()} == want.names
        shared = {i.key for i in world.store.list(f"{user_prefix(uid)}shared/")}
        assert shared == {r.s3_resume_key for r in mine.values()}
        some = min(mine.values(), key=lambda r: r.s3_resume_key)  # verify checked them all
        assert world.store.stored_sha256(some.s3_resume_key) == some.content_sha256
        assert world.store.metadata_of(some.s3_resume_key)["content-sha256"] == some.content_sha256
    # The unreadable files are kept, flagged, with no text.
    unreadable = [r for r in resumes.values() if r.extraction_error]
    assert {r.content_sha256 for r in unreadable} == data.unreadable_shas
    assert all(r.text_content == "" for r in unreadable)
    assert {r.s3_resume_key.rsplit(".", 1)[1] for r in unreadable} == {"pdf", "bin"}
    # The legacy objects are untouched.
    for key, body in list(data.objects.items())[:20]:
        assert world.store.get(key) == body

    # The design document: analysed for 456 in the old system -> not available for 456,
    # available for 789; the history shows the kept analyses, newest first.
    analysis = AnalysisService(
        SqlUnitOfWorkFactory(world.sessions), SkillCoverageAnalyzer(), scenario.user_id
    )
    resume = resumes[(scenario.user_id, scenario.sha256)]
    assert resume.file_name == "jordan.txt"  # the oldest upload of the two names
    limit = 10_000
    assert resume.id not in {r.id for r in analysis.available(scenario.job_456, limit=limit).items}
    assert resume.id in {r.id for r in analysis.available(scenario.job_789, limit=limit).items}
    assert resume.id not in {r.id for r in analysis.available(None, limit=limit).items}
    _, history = analysis.history(resume.id)
    assert [(h.job_posting_id, h.overall_fit_score) for h in history] == list(scenario.history)
    assert [h.session_name for h in history] == [
        "Senior Developer (migrated)",
        "General (migrated)",
    ]
    assert {h.analyzer for h in history} == {"legacy 1"}
    assert {h.session_id for h in history} == {
        session_id_for(scenario.user_id, scenario.job_456),
        session_id_for(scenario.user_id, None),
    }
    # Never fabricated: invalid legacy scores became failed rows with a reason; such a resume
    # stays available for that context.
    with world.sessions() as session:
        failed = session.scalars(
            select(ResumeAnalysisRow).where(ResumeAnalysisRow.status == "failed")
        ).all()
        sessions = session.scalars(select(AnalysisSessionRow)).all()
    assert len(failed) == sum(e.analyses_invalid_scores for e in expected.values())
    assert all(f.overall_fit_score is None and "no valid score" in f.error for f in failed)
    assert {s.status for s in sessions} == {"completed"}
    assert all(s.session_name.endswith(" (migrated)") for s in sessions)
    some_failed = failed[0]
    owner = next(s.user_id for s in sessions if s.id == some_failed.analysis_session_id)
    context = next(s.job_posting_id for s in sessions if s.id == some_failed.analysis_session_id)
    owner_analysis = AnalysisService(
        SqlUnitOfWorkFactory(world.sessions), SkillCoverageAnalyzer(), owner
    )
    assert some_failed.resume_id in {
        r.id for r in owner_analysis.available(context, limit=limit).items
    }


def test_rerun_of_apply_is_a_no_op(world):
    before = dump(world)
    before_counts = counts(world.engine)

    report = world.service().apply()

    assert report.created_resumes == report.copied_objects == 0
    assert report.written_sessions == report.written_analyses == report.renamed_resumes == 0
    assert report.created_users == report.created_jobs == 0
    assert dump(world) == before
    assert counts(world.engine) == before_counts
    status = world.service().status(world.data.users[0])
    assert status.has_legacy_data and status.last_run == "applied" and not status.pending


def test_cli_verify_passes_and_fails_with_the_list(small_world, tmp_path, monkeypatch, capsys):
    for name, value in small_world.env(tmp_path).items():
        monkeypatch.setenv(name, value)
    assert small_world.service().status(small_world.data.users[0]).pending

    assert run(["migrate-legacy", "--apply", "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["done"]["created_resumes"] == applied["totals"]["distinct_contents"]
    assert run(["migrate-legacy", "--verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verify"]["ok"] is True

    # Break two things: a shared file and a carried analysis.
    with small_world.sessions() as session:
        resume = session.scalars(select(ResumeRow).order_by(ResumeRow.s3_resume_key)).first()
        carried = session.scalars(
            select(ResumeAnalysisRow).order_by(ResumeAnalysisRow.id).limit(1)
        ).one()
        session.delete(carried)
        session.commit()
    small_world.store.delete(resume.s3_resume_key)

    assert run(["migrate-legacy", "--verify", "--json"]) == 1
    out, err = capsys.readouterr()
    failed = json.loads(out)["verify"]
    assert failed["ok"] is False
    assert any(resume.s3_resume_key in item for item in failed["unaccounted"])
    assert any("not carried" in item for item in failed["unaccounted"])
    assert "Verify failed" in err
    # --delete-legacy never runs after a failing verify.
    assert run(["migrate-legacy", "--verify", "--delete-legacy", "--json"]) == 1
    assert "deleted" not in json.loads(capsys.readouterr().out)
    assert len(listing(small_world.store)) > len(small_world.data.objects) - 5


def test_user_scope_delete_legacy_and_drop_tables(small_world, tmp_path, monkeypatch, capsys):
    for name, value in small_world.env(tmp_path).items():
        monkeypatch.setenv(name, value)
    data = small_world.data
    target, others = data.users[1], data.users[::2]
    login = data.login_names[target]
    with pytest.raises(SystemExit) as usage:
        run(["migrate-legacy", "--delete-legacy"])
    assert usage.value.code == 2
    capsys.readouterr()

    code = run(
        ["migrate-legacy", "--apply", "--user", login, "--delete-legacy",
         "--drop-legacy-tables", "--json"]
    )  # fmt: skip

    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    assert [u["user_id"] for u in document["users"]] == [str(target)]
    assert document["verify"]["ok"] is True
    assert document["deleted"]["deleted_objects"] == data.expected()[target].objects
    assert document["deleted"]["dropped_tables"] == []  # other users' rows are still there
    keys = [k for k, _ in listing(small_world.store)]
    assert not [k for k in keys if k.startswith(f"{target}/") and "/shared/" not in k]
    assert all(not k.startswith(f"{u}/") or "/shared/" not in k for u in others for k in keys)
    with small_world.sessions() as session:
        owners = set(session.scalars(select(ResumeRow.user_id).distinct()))
    assert owners == {target}
    assert counts(small_world.engine)["legacy_resumes"] == sum(
        small_world.data.expected()[u].legacy_rows for u in others
    )

    # Later runs for that user still account for everything (the journal kept the hashes).
    assert run(["migrate-legacy", "--verify", "--user", str(target), "--json"]) == 0
    capsys.readouterr()

    # Everyone else, then the tables go.
    code = run(["migrate-legacy", "--apply", "--delete-legacy", "--drop-legacy-tables", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["deleted"]["dropped_tables"] == [
        "legacy_analyses",
        "legacy_resumes",
        "legacy_job_postings",
    ]
    assert all("/shared/" in k for k, _ in listing(small_world.store))
    assert run(["migrate-legacy", "--json"]) == 0
    nothing = json.loads(capsys.readouterr().out)
    assert nothing["legacy_tables"] is False and nothing["totals"]["legacy_objects"] == 0


def test_cancel_keeps_the_work_done_and_a_rerun_finishes(small_world):
    cancel = CancelToken()

    def progress(done: int, total: int, note: str) -> None:
        if done >= 10 and total > 0:
            cancel.cancel()

    first = small_world.service(workers=2).apply(progress=progress, cancel=cancel)

    assert first.cancelled
    second = small_world.service().apply()
    assert 0 < first.created_resumes < second.total("distinct_contents")
    assert not second.cancelled
    assert first.created_resumes + second.created_resumes == second.total("distinct_contents")
    assert small_world.service().verify().ok


# --------------------------------------------------------------------------- crash safety
def _journal_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(LegacyMigrationJournalRow)))


def _apply_in_subprocess(world: World, data_dir: Path, kill_at: int | None) -> int:
    """Run ``python -m recur_desktop migrate-legacy --apply``; SIGKILL it once the journal holds
    ``kill_at`` rows (polled, no fixed sleeps). Returns the exit code (-9 when killed)."""
    env = {**os.environ, **world.env(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "recur_desktop", "migrate-legacy", "--apply", "--json",
         "--workers", "4"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        if kill_at is not None:
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if _journal_rows(world.engine) >= kill_at:
                    process.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.002)
            else:
                out, err = process.communicate(timeout=5)
                pytest.fail(f"the run ended before {kill_at} journal rows: {err.decode()[-2000:]}")
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    if kill_at is None:
        assert process.returncode == 0, err.decode()[-2000:]
        assert json.loads(out)["failures"] == []
    return process.returncode


def test_kill_9_at_three_points_then_rerun_equals_a_clean_run(
    world, pg_admin, pg_template, s3_client, s3_endpoint, tmp_path
):
    # ``world`` was migrated without interruption by the tests above (or is, here).
    if not world.service().status(world.data.users[0]).last_run:
        world.service().apply()
    clean = dump(world)
    expected = world.data.expected()
    objects = len(world.data.objects)
    contents = sum(e.distinct_contents for e in expected.values())
    # Journal rows: one per object, one per content (with its resume), one per session.
    kill_points = (30, objects // 2 + contents // 3, objects + contents + 1)

    with make_world(pg_admin, pg_template, s3_client, s3_endpoint, world.data) as crashed:
        for n, kill_at in enumerate(kill_points):
            code = _apply_in_subprocess(crashed, tmp_path / f"run{n}", kill_at)
            assert code == -signal.SIGKILL
        _apply_in_subprocess(crashed, tmp_path / "final", None)

        # Same resumes, objects (no extra copies), sessions and analyses as the clean run, which
        # passed verify above; the crashed runs left no orphan and no duplicate anywhere.
        assert dump(crashed) == clean
        with crashed.sessions() as session:
            analysis_ids = set(session.scalars(select(ResumeAnalysisRow.id)))
        kept = {analysis_id_for(a.id) for a in world.data.analyses}
        assert analysis_ids <= kept


# --------------------------------------------------------------------------- embedded profile
def test_embedded_library_with_legacy_folders_and_no_tables(embedded_settings):
    """SQLite and a local folder: no legacy tables, only folders; every file is migrated under
    its own name, and its folder's job is dropped (no such job exists here)."""
    from recur_desktop.app import build_context

    ctx = build_context(embedded_settings)
    try:
        owner = ctx.owner_id
        job = uuid.uuid4()
        files = {
            f"{owner}/resumes/general/ada.txt": b"Ada Lovelace\nPython, SQL\n" * 5,
            f"{owner}/resumes/job_{job}/ada again.txt": b"Ada Lovelace\nPython, SQL\n" * 5,
            f"{owner}/resumes/job_{job}/scan.pdf": b"%PDF-1.4 not really a pdf",
        }
        for age, (key, body) in enumerate(files.items()):
            path = ctx.store.root.joinpath(*key.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            stamp = 1_700_000_000 - 3600 * (age % 2)  # "ada again.txt" is the older copy
            os.utime(path, (stamp, stamp))
        service = LegacyMigrationService(ctx.sessions, ctx.store)
        assert service.status(owner).pending

        report = service.apply(user=owner)

        assert report.tables_present is False and report.failures == []
        assert report.created_resumes == 2 and report.total("duplicates_folded") == 1
        page = ctx.library.page()
        assert sorted(r.file_name for r in page.items) == ["ada again.txt", "scan.pdf"]
        assert {r.job_posting_id for r in page.items} == {None}
        assert [p.kind for p in report.problems].count("unreferenced_object") == 3
        assert [p.file_name for p in report.problems if p.kind == "unreadable_file"] == ["scan.pdf"]
        assert service.verify(user=owner).ok
        assert ctx.library.page(search="Lovelace").total == 1  # FTS kept in step
        assert service.apply(user=owner).created_resumes == 0
    finally:
        ctx.close()
