"""A recruiter who started alone moves their library to the team server, safely twice."""

from __future__ import annotations

import json

from recur_desktop.app import build_context
from recur_desktop.cli import run
from recur_desktop.domain import SessionStatus
from tests import samples


def test_transfer_moves_everything_and_a_rerun_changes_nothing(
    embedded_settings, server_settings, monkeypatch, capsys, tmp_path
):
    local = build_context(embedded_settings)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, skills in enumerate([["Python", "SQL"], ["Java"], ["Go", "Docker"]]):
        text = samples.sample_resume_text(f"Person Number{i}", skills)
        (inbox / f"r{i}.txt").write_bytes(samples.make_text(text))
    added = local.library.import_paths([inbox]).added
    job = local.jobs.create(title="Backend", required_skills=["Python"])
    local.analysis.analyze(job.id)
    local.analysis.analyze(None, resume_ids=[added[0].resume.id])
    local.library.delete(added[2].resume.id)
    local.close()

    monkeypatch.setenv("RECUR_DATA_DIR", str(embedded_settings.data_dir))
    monkeypatch.setenv("RECUR_USER", "alice")
    monkeypatch.setenv("RECUR_DATABASE_URL", server_settings.database_url)
    monkeypatch.setenv("RECUR_S3_BUCKET", server_settings.s3_bucket)
    monkeypatch.setenv("RECUR_S3_ENDPOINT_URL", server_settings.s3_endpoint_url)
    monkeypatch.setenv("RECUR_S3_REGION", "us-east-1")
    assert run(["transfer", "--to-server", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["resumes"], first["jobs"], first["sessions"], first["analyses"]) == (3, 1, 2, 4)

    server = build_context(server_settings)
    try:
        assert server.library.page().total == 2
        assert server.library.page(trashed=True).total == 1
        assert server.analysis.available(job.id).total == 0
        assert server.analysis.available(None).total == 1
        _, history = server.analysis.history(added[0].resume.id)
        assert [h.context_label for h in history] == ["General", "Backend"]
        assert {s.status for s in server.analysis.sessions()} == {SessionStatus.COMPLETED}
        for item in added:
            resume = server.library.get(item.resume.id)
            assert resume.s3_resume_key.startswith(f"{server.owner_id}/resumes/shared/")
            assert server.store.get(resume.s3_resume_key) == (inbox / item.file_name).read_bytes()
        assert server.doctor.check().clean
    finally:
        server.close()

    assert run(["transfer", "--to-server", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["resumes"], second["jobs"], second["sessions"], second["analyses"]) == (
        0,
        0,
        0,
        0,
    )


def test_transfer_needs_a_server_configured(embedded_settings, monkeypatch, capsys):
    monkeypatch.setenv("RECUR_DATA_DIR", str(embedded_settings.data_dir))
    assert run(["transfer", "--to-server"]) == 1
    assert "Configure the team server first" in capsys.readouterr().err
