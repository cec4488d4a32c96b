"""``doctor`` finds orphans, missing and changed files, repairs only what is safe, and never
looks outside the user's own prefix."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from recur_desktop.app import build_context
from recur_desktop.cli import run
from recur_desktop.persistence import probes as probes_module
from recur_desktop.persistence.tables import utcnow
from recur_desktop.services import DoctorService
from recur_desktop.services.doctor import TRUST_WARNING, password_checked
from recur_desktop.settings import Settings
from recur_desktop.storage import resume_key
from tests import samples


def put_raw(store, key: str, data: bytes) -> None:
    store.put(
        key,
        data,
        sha256_hex=hashlib.sha256(data).hexdigest(),
        media_type="text/plain",
        metadata={},
    )


def import_one(ctx, tmp_path, name: str):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(samples.make_text(samples.sample_resume_text(name, ["SQL"])))
    return ctx.library.import_paths([path]).added[0].resume


def test_a_fresh_library_is_clean(ctx, tmp_path):
    import_one(ctx, tmp_path, "Clean Person")
    report = ctx.doctor.check()
    assert report.clean and report.repaired == 0


def test_orphans_are_found_and_removed_only_when_old_enough(ctx, other_ctx, tmp_path):
    import_one(ctx, tmp_path, "Kept Person")
    orphan_data = b"left behind by a crash between put and insert"
    orphan = resume_key(ctx.owner_id, hashlib.sha256(orphan_data).hexdigest(), ".txt")
    put_raw(ctx.store, orphan, orphan_data)
    bobs_orphan_data = b"bob's object"
    bobs = resume_key(other_ctx.owner_id, hashlib.sha256(bobs_orphan_data).hexdigest(), ".txt")
    put_raw(ctx.store, bobs, bobs_orphan_data)

    report = ctx.doctor.check(repair=True)
    assert report.orphans == [orphan]
    assert report.repaired == 0
    assert "less than an hour old" in report.unrepaired[0]
    assert ctx.store.exists(orphan)

    later = DoctorService(
        ctx.uow,
        ctx.store,
        ctx.owner_id,
        clock=lambda: utcnow() + timedelta(hours=2),
    )
    repaired = later.check(repair=True)
    assert repaired.repaired == 1
    assert not ctx.store.exists(orphan)
    assert ctx.store.exists(bobs), "another user's prefix must never be touched"
    assert ctx.doctor.check().clean


def test_missing_and_changed_files_are_reported_not_repaired(ctx, tmp_path):
    gone = import_one(ctx, tmp_path, "Gone Person")
    changed = import_one(ctx, tmp_path, "Changed Person")
    ctx.store.delete(gone.s3_resume_key)
    ctx.store.delete(changed.s3_resume_key)
    put_raw(ctx.store, changed.s3_resume_key, b"tampered bytes")

    report = ctx.doctor.check(repair=True)
    assert report.missing == [gone.id]
    assert report.mismatched == [changed.id]
    assert report.repaired == 0
    assert any("missing" in note for note in report.unrepaired)
    assert any("differs" in note for note in report.unrepaired)
    assert ctx.library.get(gone.id).id == gone.id, "doctor never deletes rows"


# ------------------------------------------------------------------ password checking
@pytest.fixture
def pg_settings(tmp_path, pg_url) -> Settings:
    """The server profile's database (the test server runs with trust on 127.0.0.1), with a
    local folder for files: the check is about the database alone."""
    return Settings(data_dir=tmp_path / "data", database_url=pg_url, user="alice")


def _doctor_cli(settings: Settings, monkeypatch, capsys, *flags: str) -> str:
    monkeypatch.setenv("RECUR_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("RECUR_USER", settings.user)
    if settings.database_url:
        monkeypatch.setenv("RECUR_DATABASE_URL", settings.database_url)
    assert run(["doctor", *flags]) == 0
    return capsys.readouterr().out


@pytest.mark.postgres
def test_doctor_warns_when_the_server_accepts_any_password(pg_settings, monkeypatch, capsys):
    context = build_context(pg_settings)
    try:
        report = context.doctor.check()
    finally:
        context.close()
    assert report.password_checked is False
    assert report.warnings == [TRUST_WARNING]
    assert report.clean  # a warning about the server, not an inconsistency

    text = _doctor_cli(pg_settings, monkeypatch, capsys)
    assert f"Warning: {TRUST_WARNING}" in text
    assert "trust authentication" in text and "scram-sha-256" in text
    document = json.loads(_doctor_cli(pg_settings, monkeypatch, capsys, "--json"))
    assert document["trust_authentication"] is True
    assert document["warnings"] == [TRUST_WARNING]


def test_doctor_has_no_password_warning_for_the_embedded_library(
    embedded_settings, monkeypatch, capsys
):
    text = _doctor_cli(embedded_settings, monkeypatch, capsys)
    assert "Everything is consistent" in text and "Warning" not in text
    document = json.loads(_doctor_cli(embedded_settings, monkeypatch, capsys, "--json"))
    assert document["trust_authentication"] is None and document["warnings"] == []


@pytest.mark.postgres
def test_the_probe_sends_no_password_and_a_wrong_one(pg_url, monkeypatch):
    """It never uses the configured password, so a right password can't make it succeed."""
    seen: list[str | None] = []
    real = probes_module._probe

    def probe(url):
        seen.append(url.password)
        return real(url)

    monkeypatch.setattr(probes_module, "_probe", probe)
    with_password = make_url(pg_url).set(password="the-right-one")
    assert password_checked(with_password) is False
    assert len(seen) == 2 and None in seen
    assert all(p != "the-right-one" for p in seen)


def test_a_server_that_does_not_answer_is_not_reported_as_trusting():
    assert password_checked("postgresql+psycopg://alice:pw@127.0.0.1:1/recur") is None
    assert password_checked("sqlite:///:memory:") is None
