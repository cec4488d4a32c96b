"""The resume gate on import (issue 12, decision 0004): a README and a job ad in a folder of
resumes are turned away with the gate's reasons, ``accept_any`` (``recur import --accept-any``)
lets them in with an audit entry each, and the override never passes the size and text limits.
Both profiles."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from recur_desktop.app import build_context
from recur_desktop.cli import run
from recur_desktop.extraction import MAX_TEXT_CHARS, too_large_reason
from recur_desktop.extraction.extract import MSG_TOO_MUCH_TEXT
from recur_desktop.extraction.gate import judge_resume
from tests import samples
from tests.integration.test_cli import settings_env

GATE = Path(__file__).resolve().parents[1] / "data" / "gate"
README_TEXT = (GATE / "readme" / "contributing.txt").read_text(encoding="utf-8")
JOB_AD_TEXT = (GATE / "job_ad" / "en_backend_long.txt").read_text(encoding="utf-8")
README_REASON = "This looks like a README or software documentation, not a resume."
JOB_AD_REASON = "This looks like a job advertisement, not a resume."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two resumes (a PDF and a DOCX), a README and a job ad."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ada = samples.sample_resume_text("Ada Lovelace", ["Python", "PostgreSQL"])
    grace = samples.sample_resume_text("Grace Hopper", ["COBOL"])
    (inbox / "ada.pdf").write_bytes(samples.make_pdf(ada))
    (inbox / "grace.docx").write_bytes(samples.make_docx(grace.splitlines()))
    (inbox / "README.md").write_text(README_TEXT, encoding="utf-8")
    (inbox / "job-ad.txt").write_text(JOB_AD_TEXT, encoding="utf-8")
    return inbox


def test_the_fixtures_are_what_the_gate_says():
    assert judge_resume(README_TEXT, file_name="README.md").kind == "readme"
    assert judge_resume(JOB_AD_TEXT, file_name="job-ad.txt").kind == "job_ad"


def test_a_folder_keeps_its_resumes_and_turns_the_rest_away(ctx, folder):
    report = ctx.library.import_paths([folder])

    assert sorted(a.file_name for a in report.added) == ["ada.pdf", "grace.docx"]
    rejected = {r.file_name: (r.reason, r.gate_kind) for r in report.rejected}
    assert rejected == {
        "README.md": (README_REASON, "readme"),
        "job-ad.txt": (JOB_AD_REASON, "job_ad"),
    }
    assert {r.path for r in report.rejected} == {
        str(folder / "README.md"),
        str(folder / "job-ad.txt"),
    }
    assert ctx.library.page().total == 2
    assert ctx.audit.events() == []


def test_accept_any_imports_them_with_an_audit_event_each(ctx, folder):
    ctx.library.import_paths([folder / "ada.pdf"])

    report = ctx.library.import_paths([folder], accept_any=True)

    added = {a.file_name: a.resume.id for a in report.added}
    assert sorted(added) == ["README.md", "grace.docx", "job-ad.txt"]
    assert [d.file_name for d in report.duplicates] == ["ada.pdf"]
    assert report.rejected == []
    events = [e for e in ctx.audit.events() if e.action == "import_accept_any"]
    # One per file the gate would have turned away; none for the resume beside them.
    assert {e.subject_id: e.detail for e in events} == {
        added["README.md"]: {"gate_kind": "readme"},
        added["job-ad.txt"]: {"gate_kind": "job_ad"},
    }
    assert ctx.library.text_of(added["README.md"]) == README_TEXT.strip()


def test_a_duplicate_never_reaches_the_gate(ctx, folder):
    readme = folder / "README.md"
    [first] = ctx.library.import_paths([readme], accept_any=True).added

    again = ctx.library.import_paths([readme])

    assert again.rejected == [] and again.added == []
    assert [d.existing_id for d in again.duplicates] == [first.resume.id]
    assert len([e for e in ctx.audit.events() if e.action == "import_accept_any"]) == 1


def test_the_override_never_passes_the_size_limit(settings, tmp_path):
    limit = 4096
    big_readme = tmp_path / "README.md"
    big_readme.write_text(README_TEXT * (limit // len(README_TEXT) + 2), encoding="utf-8")
    size = big_readme.stat().st_size
    context = build_context(replace(settings, max_upload_bytes=limit))
    try:
        report = context.library.import_paths([big_readme], accept_any=True)
        [rejected] = report.rejected
        assert rejected.reason == too_large_reason(size, limit)
        assert rejected.gate_kind is None  # not the gate: "Import anyway" can't help it
        assert report.added == [] and context.audit.events() == []
    finally:
        context.close()


def test_the_override_never_passes_the_text_cap(ctx, tmp_path):
    line = "Run make lint before pushing and keep changes small and focused.\n"
    huge = tmp_path / "NOTES.md"
    huge.write_text(line * (MAX_TEXT_CHARS // len(line) + 10), encoding="utf-8")
    assert judge_resume(huge.read_text(encoding="utf-8")[:20_000]).is_resume is False

    report = ctx.library.import_paths([huge], accept_any=True)

    [rejected] = report.rejected
    assert rejected.reason == MSG_TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARS)
    assert rejected.gate_kind is None
    assert report.added == [] and ctx.audit.events() == []


# ------------------------------------------------------------------------------- the CLI
@pytest.fixture
def cli(settings, monkeypatch, capsys):
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)

    def invoke(*argv: str) -> str:
        code = run(list(argv))
        out, err = capsys.readouterr()
        assert code == 0, f"exit {code}, stderr: {err}"
        return out

    return invoke


def test_recur_import_says_how_to_import_a_turned_away_file_anyway(cli, folder):
    out = cli("import", str(folder))

    assert "2 added, 0 already in the library, 2 not imported." in out
    lines = " ".join(out.split())
    hint = "(use --accept-any to import it anyway)"
    assert f"README.md: {README_REASON} {hint}" in lines
    assert f"job-ad.txt: {JOB_AD_REASON} {hint}" in lines
    assert lines.count(hint) == 2


def test_recur_import_json_carries_the_gate_kind_and_accept_any_imports(cli, folder, settings):
    doc = json.loads(cli("import", str(folder), "--json"))
    kinds = {r["file_name"]: r["gate_kind"] for r in doc["rejected"]}
    assert kinds == {"README.md": "readme", "job-ad.txt": "job_ad"}

    doc = json.loads(cli("import", str(folder), "--accept-any", "--json"))

    assert sorted(a["file_name"] for a in doc["added"]) == ["README.md", "job-ad.txt"]
    assert doc["rejected"] == []
    context = build_context(settings)
    try:
        events = [e for e in context.audit.events() if e.action == "import_accept_any"]
        assert sorted(str(e.subject_id) for e in events) == sorted(
            str(a["id"]) for a in doc["added"]
        )
        assert sorted(e.detail["gate_kind"] for e in events) == ["job_ad", "readme"]
    finally:
        context.close()


def test_other_rejections_carry_no_gate_kind(cli, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    doc = json.loads(cli("import", str(tmp_path / "empty.txt"), "--json"))
    assert doc["rejected"] == [
        {"file_name": "empty.txt", "reason": "The file is empty.", "gate_kind": None}
    ]
    out = cli("import", str(tmp_path / "empty.txt"))
    assert "--accept-any" not in out


def test_help_and_readme_name_accept_any(capsys):
    with pytest.raises(SystemExit):
        run(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--accept-any" in text and "the size, page and text limits still apply" in text
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `recur import")]
    assert "[--accept-any]" in row and "never the size, page and text limits" in row


def test_the_legacy_migration_and_the_transfer_do_not_call_the_gate():
    """They move resumes already stored and keep every file (decision 0004)."""
    root = Path(__file__).resolve().parents[2] / "recur_desktop" / "services"
    movers = [*sorted((root / "legacy").glob("*.py")), root / "transfer.py"]
    assert movers
    for module in movers:
        source = module.read_text(encoding="utf-8")
        assert "judge_resume" not in source and "extraction.gate" not in source, module
