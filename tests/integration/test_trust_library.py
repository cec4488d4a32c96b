"""Issue #11, first three sections: destructive commands say what they do and ask before they
erase; ``doctor`` lists every problem and its advice works; import outcomes tell the truth.

Every test that touches storage runs on both profiles (SQLite + folder, Postgres + S3 over
HTTP) through the ``ctx``/``settings`` fixtures.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from recur_desktop import app as app_module
from recur_desktop.cli import build_parser, run
from recur_desktop.domain import ImportReport
from recur_desktop.domain.models import IntegrityProblem
from recur_desktop.persistence.tables import ResumeRow
from recur_desktop.services import LibraryService, NotFound
from recur_desktop.services import library as library_module
from recur_desktop.services.library import NotInTrash
from recur_desktop.storage import StorageError, resume_key
from tests import samples
from tests.integration.test_cli import settings_env

README = Path(__file__).resolve().parents[2] / "README.md"
SECURITY = Path(__file__).resolve().parents[2] / "docs" / "security.md"


# ------------------------------------------------------------------ helpers
def write_resume(folder: Path, name: str, person: str, skills: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(samples.make_text(samples.sample_resume_text(person, skills or ["SQL"])))
    return path


def put_raw(store: Any, key: str, data: bytes) -> None:
    store.put(
        key,
        data,
        sha256_hex=hashlib.sha256(data).hexdigest(),
        media_type="text/plain",
        metadata={},
    )


def flag_of(ctx: Any, resume_id: Any) -> str | None:
    with ctx.sessions() as session:
        return session.scalar(select(ResumeRow.integrity_problem).where(ResumeRow.id == resume_id))


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    """``run`` as a user would call it: (exit code, stdout — parsed with --json —, stderr)."""
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)

    def invoke(*argv: str) -> tuple[int, Any, str]:
        code = run(list(argv))
        out, err = capsys.readouterr()
        return code, (json.loads(out) if "--json" in argv and out else out), err

    return invoke


class _Stdin(io.StringIO):
    """Standard input that says whether it is a terminal."""

    def __init__(self, text: str, *, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


class CountingStore:
    """Counts every call that reaches the store (the test of "a hash and an index lookup")."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls: list[str] = []
        self.description = inner.description

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return value(*args, **kwargs)

        return counted


# ================================================================== purge vs erase
def test_purge_refuses_a_resume_in_the_library_and_names_erase(ctx, tmp_path):
    resume = ctx.library.import_paths([write_resume(tmp_path, "live.txt", "Live One")])
    live = resume.added[0].resume
    with pytest.raises(NotInTrash, match=r"not in the trash.*recur erase"):
        ctx.library.purge(resume_id=live.id)
    assert ctx.library.get(live.id).deleted_at is None
    assert ctx.store.exists(live.s3_resume_key)
    assert ctx.audit.events() == []


def test_purge_by_id_removes_a_trashed_resume_and_records_a_purge(ctx, tmp_path):
    resume = ctx.library.import_paths([write_resume(tmp_path, "old.txt", "Old One")])
    trashed = resume.added[0].resume
    ctx.library.delete(trashed.id)
    assert ctx.library.purge(resume_id=trashed.id) == [trashed.id]
    with pytest.raises(NotFound):
        ctx.library.get(trashed.id)
    assert not ctx.store.exists(trashed.s3_resume_key)
    assert [(e.action, e.subject_id, e.detail) for e in ctx.audit.events()] == [
        ("purge", trashed.id, {"was_trashed": True})
    ]


def test_erase_removes_a_live_resume_with_its_history_and_records_an_erasure(ctx, tmp_path):
    report = ctx.library.import_paths([write_resume(tmp_path, "gdpr.txt", "Erin Mayer")])
    resume = report.added[0].resume
    ctx.analysis.analyze(None)

    erased = ctx.library.erase(resume.id)

    assert (erased.id, erased.file_name, erased.candidate_name) == (
        resume.id,
        "gdpr.txt",
        "Erin Mayer",
    )
    assert erased.analysis_count == 1  # what went, for the confirmation
    with pytest.raises(NotFound):
        ctx.analysis.history(resume.id)
    assert not ctx.store.exists(resume.s3_resume_key)
    [event] = ctx.audit.events()
    assert (event.action, event.subject_id, event.detail) == (
        "erase",
        resume.id,
        {"was_trashed": False},
    )
    assert ctx.doctor.check().clean
    with pytest.raises(NotFound):
        ctx.library.erase(resume.id)


def test_erase_takes_a_trashed_resume_too(ctx, tmp_path):
    report = ctx.library.import_paths([write_resume(tmp_path, "t.txt", "Trash Person")])
    resume = report.added[0].resume
    ctx.library.delete(resume.id)
    ctx.library.erase(resume.id)
    assert ctx.library.page(trashed=True).total == 0
    assert ctx.audit.events()[0].detail == {"was_trashed": True}


def test_erase_leaves_an_orphan_not_a_row_when_storage_fails(ctx, tmp_path):
    """Rows first, then the object: a failed delete leaves what doctor can remove."""
    report = ctx.library.import_paths([write_resume(tmp_path, "x.txt", "Orphan Maker")])
    resume = report.added[0].resume

    class NoDelete(CountingStore):
        def delete(self, key: str) -> None:
            raise StorageError("down", code="unreachable")

    library = LibraryService(ctx.uow, NoDelete(ctx.store), ctx.owner_id)
    library.erase(resume.id)
    with pytest.raises(NotFound):
        ctx.library.get(resume.id)
    assert ctx.doctor.check().orphans == [resume.s3_resume_key]


def test_recur_purge_id_refuses_a_live_resume(cli, tmp_path):
    code, imported, _ = cli("import", str(write_resume(tmp_path, "a.txt", "Ada Live")), "--json")
    resume_id = imported["added"][0]["id"]
    code, _, err = cli("purge", "--id", resume_id)
    assert code == 1
    assert "not in the trash" in err and f"recur erase {resume_id}" in err
    code, listing, _ = cli("resumes", "--json")
    assert [r["id"] for r in listing["items"]] == [resume_id]


def test_recur_erase_without_yes_and_without_a_terminal_is_refused(cli, tmp_path, monkeypatch):
    code, imported, _ = cli("import", str(write_resume(tmp_path, "a.txt", "Ada Byron")), "--json")
    resume_id = imported["added"][0]["id"]
    monkeypatch.setattr("sys.stdin", _Stdin("yes\n", tty=False))
    code, out, err = cli("erase", resume_id)
    assert code == 2
    assert "a.txt" in err and "Ada Byron" in err  # it says what it would erase
    assert "standard input is not a terminal" in err and "--yes" in err
    assert "Nothing was erased" in err and out == ""
    code, listing, _ = cli("resumes", "--json")
    assert listing["total"] == 1


def test_recur_erase_asks_at_a_terminal(cli, tmp_path, monkeypatch):
    code, imported, _ = cli("import", str(write_resume(tmp_path, "b.txt", "Bea Asked")), "--json")
    resume_id = imported["added"][0]["id"]

    monkeypatch.setattr("sys.stdin", _Stdin("no\n", tty=True))
    code, _, err = cli("erase", resume_id)
    assert code == 1 and "Erase it?" in err and "Nothing was erased" in err
    assert cli("resumes", "--json")[1]["total"] == 1

    monkeypatch.setattr("sys.stdin", _Stdin("yes\n", tty=True))
    code, out, err = cli("erase", resume_id[:8])
    assert code == 0, err
    assert "b.txt" in err and "Bea Asked" in err
    assert "Erased “b.txt” (Bea Asked)" in out
    assert cli("resumes", "--json")[1]["total"] == 0


def test_recur_erase_yes_json_prints_one_document_with_what_was_erased(cli, tmp_path):
    code, imported, _ = cli("import", str(write_resume(tmp_path, "c.txt", "Cy Json")), "--json")
    resume_id = imported["added"][0]["id"]
    assert cli("analyze", "--general", "--json")[0] == 0
    code, document, err = cli("--json", "erase", resume_id, "--yes")
    assert code == 0, err
    assert document["erased"]["id"] == resume_id
    assert document["erased"]["file_name"] == "c.txt"
    assert document["erased"]["candidate_name"] == "Cy Json"
    assert document["erased"]["analysis_count"] == 1
    code, events, _ = cli("audit", "--json")
    assert [(e["action"], e["subject_id"]) for e in events["events"]] == [("erase", resume_id)]


def test_help_readme_and_docs_say_what_purge_and_erase_do(capsys):
    for command in ("purge", "erase"):
        with pytest.raises(SystemExit) as done:
            run([command, "--help"])
        assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "remove resumes from the trash for good" in text and "never touches the library" in text
    assert "to remove a resume in the library, use erase" in text
    assert "erase one resume for good, in the library or the trash" in text and "--yes" in text

    readme = README.read_text(encoding="utf-8")
    [purge_row] = [line for line in readme.splitlines() if line.startswith("| `recur purge")]
    assert "trash" in purge_row and "never" in purge_row
    [erase_row] = [line for line in readme.splitlines() if line.startswith("| `recur erase")]
    assert "--yes" in erase_row and "asks" in erase_row
    security = SECURITY.read_text(encoding="utf-8")
    assert "recur erase" in security


def test_every_command_has_a_row_in_the_readme_table():
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.dest == "command"]
    table = "\n".join(
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
    )
    missing = [name for name in commands.choices if f"recur {name}" not in table]
    assert missing == []


# ================================================================== doctor
def test_a_store_replaces_an_object_only_when_asked_and_still_checks_the_bytes(ctx):
    good = b"the original bytes"
    sha = hashlib.sha256(good).hexdigest()
    key = resume_key(ctx.owner_id, sha, ".txt")
    put_raw(ctx.store, key, b"changed behind our back")
    meta = {"media_type": "text/plain", "metadata": {}}

    assert ctx.store.put(key, good, sha256_hex=sha, **meta) is False
    assert ctx.store.get(key) == b"changed behind our back"
    with pytest.raises(StorageError) as refused:
        ctx.store.put(key, b"not the original", sha256_hex=sha, overwrite=True, **meta)
    assert refused.value.code == "bad_digest"
    assert ctx.store.get(key) == b"changed behind our back"
    assert ctx.store.put(key, good, sha256_hex=sha, overwrite=True, **meta) is True
    assert ctx.store.get(key) == good
    assert [info.key for info in ctx.store.list(key)] == [key]  # no temp file left beside it


@pytest.fixture
def damaged(ctx, tmp_path) -> dict[str, Any]:
    """One resume without its file, one with a changed file, one orphan; originals on disk."""
    originals = tmp_path / "originals"
    gone_path = write_resume(originals, "gone.txt", "Gone Person")
    changed_path = write_resume(originals, "changed.txt", "Changed Person")
    report = ctx.library.import_paths([gone_path, changed_path])
    by_name = {a.file_name: a.resume for a in report.added}
    gone, changed = by_name["gone.txt"], by_name["changed.txt"]
    ctx.store.delete(gone.s3_resume_key)
    ctx.store.delete(changed.s3_resume_key)
    put_raw(ctx.store, changed.s3_resume_key, b"tampered bytes")
    orphan_data = b"left behind by a crash between put and insert"
    orphan = resume_key(ctx.owner_id, hashlib.sha256(orphan_data).hexdigest(), ".txt")
    put_raw(ctx.store, orphan, orphan_data)
    return {
        "gone": gone,
        "changed": changed,
        "orphan": orphan,
        "gone_path": gone_path,
        "changed_path": changed_path,
    }


def test_doctor_lists_every_problem_by_id_file_candidate_and_key(ctx, cli, damaged):
    gone, changed, orphan = damaged["gone"], damaged["changed"], damaged["orphan"]
    code, out, err = cli("doctor")
    assert code == 1  # problems remain
    assert "3 problem(s) remain" in err
    for resume, person in ((gone, "Gone Person"), (changed, "Changed Person")):
        line = next(line for line in out.splitlines() if str(resume.id) in line)
        assert resume.file_name in line and person in line
        assert resume.s3_resume_key in out
    assert "missing from storage" in out and "changed since import" in out
    assert orphan in out and "--repair" in out
    assert "import its original file again" in out

    code, document, _ = cli("doctor", "--json")
    assert code == 1
    assert document["missing"] == [
        {
            "id": str(gone.id),
            "file_name": "gone.txt",
            "candidate_name": "Gone Person",
            "s3_resume_key": gone.s3_resume_key,
            "in_trash": False,
        }
    ]
    assert [m["id"] for m in document["mismatched"]] == [str(changed.id)]
    assert document["mismatched"][0]["candidate_name"] == "Changed Person"
    assert document["orphans"] == [orphan]


def test_doctor_exits_0_on_a_clean_library(cli, tmp_path):
    cli("import", str(write_resume(tmp_path, "fine.txt", "Fine Person")))
    code, out, _ = cli("doctor")
    assert code == 0 and "Everything is consistent" in out


def test_doctor_records_what_it_found_and_clears_it_when_fine_again(ctx, damaged):
    gone, changed = damaged["gone"], damaged["changed"]
    report = ctx.doctor.check()
    assert {p.resume_id: p.problem for p in report.problems} == {
        gone.id: IntegrityProblem.MISSING,
        changed.id: IntegrityProblem.CHANGED,
    }
    assert {p.resume_id: p.file_name for p in report.problems} == {
        gone.id: "gone.txt",
        changed.id: "changed.txt",
    }
    assert flag_of(ctx, gone.id) == "missing"
    assert flag_of(ctx, changed.id) == "changed"
    # Someone puts the file back by hand: the next run clears the flag.
    put_raw(ctx.store, gone.s3_resume_key, damaged["gone_path"].read_bytes())
    ctx.doctor.check()
    assert flag_of(ctx, gone.id) is None
    assert flag_of(ctx, changed.id) == "changed"


def test_importing_the_original_puts_a_missing_file_back(ctx, damaged):
    gone = damaged["gone"]
    ctx.doctor.check()

    report = ctx.library.import_paths([damaged["gone_path"]])

    assert report.added == [] and report.duplicates == [] and report.rejected == []
    [repaired] = report.repaired
    assert (repaired.existing_id, repaired.problem) == (gone.id, IntegrityProblem.MISSING)
    assert ctx.store.get(gone.s3_resume_key) == damaged["gone_path"].read_bytes()
    assert flag_of(ctx, gone.id) is None
    assert ("repair", gone.id) in [(e.action, e.subject_id) for e in ctx.audit.events()]


def test_importing_the_original_replaces_a_changed_file(ctx, damaged):
    changed = damaged["changed"]
    ctx.doctor.check()

    report = ctx.library.import_paths([damaged["changed_path"]])

    [repaired] = report.repaired
    assert (repaired.existing_id, repaired.problem) == (changed.id, IntegrityProblem.CHANGED)
    assert ctx.store.sha256_of(changed.s3_resume_key) == changed.content_sha256
    assert flag_of(ctx, changed.id) is None


def test_after_both_originals_are_imported_only_the_orphan_is_left(ctx, cli, damaged):
    cli("doctor")
    code, imported, err = cli(
        "import", str(damaged["gone_path"]), str(damaged["changed_path"]), "--json"
    )
    assert code == 0, err
    assert sorted((r["file_name"], r["problem"]) for r in imported["repaired"]) == [
        ("changed.txt", "changed"),
        ("gone.txt", "missing"),
    ]
    assert imported["duplicates"] == []
    # The orphan is the one problem left; --repair removes it once it is old enough.
    report = ctx.doctor.check()
    assert report.missing == [] and report.mismatched == []
    assert report.orphans == [damaged["orphan"]]


def test_reimport_reports_repaired_in_words(ctx, cli, damaged):
    ctx.doctor.check()
    code, out, _ = cli("import", str(damaged["gone_path"]))
    assert code == 0
    assert "1 repaired" in out and "Repaired (the stored file is back)" in out
    assert "0 already in the library" in out and "Already in the library:" not in out


def test_a_healthy_duplicate_costs_no_store_call_and_a_flagged_one_one_put(ctx, damaged, tmp_path):
    healthy = write_resume(tmp_path / "healthy", "healthy.txt", "Healthy Person")
    ctx.library.import_paths([healthy])
    ctx.doctor.check()
    counting = CountingStore(ctx.store)
    library = LibraryService(ctx.uow, counting, ctx.owner_id)

    again = library.import_paths([healthy])
    assert [d.file_name for d in again.duplicates] == ["healthy.txt"]
    assert counting.calls == []  # a hash and an index lookup, nothing else

    repaired = library.import_paths([damaged["gone_path"]])
    assert len(repaired.repaired) == 1
    assert counting.calls == ["put"]


def test_repairing_a_trashed_resume_brings_it_back(ctx, damaged):
    gone = damaged["gone"]
    ctx.library.delete(gone.id)
    ctx.doctor.check()
    [repaired] = ctx.library.import_paths([damaged["gone_path"]]).repaired
    assert repaired.restored_from_trash
    assert ctx.library.get(gone.id).deleted_at is None
    assert ctx.store.exists(gone.s3_resume_key)


def test_a_resume_erased_while_its_file_goes_back_is_not_reported_repaired(ctx, damaged):
    gone = damaged["gone"]
    ctx.doctor.check()

    class EraseFirst(CountingStore):
        def put(self, *args: Any, **kwargs: Any) -> bool:
            ctx.library.erase(gone.id)  # another window erases it meanwhile
            return self._inner.put(*args, **kwargs)

    library = LibraryService(ctx.uow, EraseFirst(ctx.store), ctx.owner_id)
    report = library.import_paths([damaged["gone_path"]])
    assert report.repaired == []
    assert [r.file_name for r in report.rejected] == ["gone.txt"]
    assert "erased while its file was being put back" in report.rejected[0].reason
    assert gone.s3_resume_key in ctx.doctor.check().orphans  # doctor's to remove
    assert [e.action for e in ctx.audit.events()] == ["erase"]


def test_doctor_repair_removes_orphans_and_says_what_it_cannot_repair(
    embedded_settings, monkeypatch, capsys, tmp_path
):
    """Embedded only: the orphan is aged by its file time, which S3 can't be told."""
    for name, value in settings_env(embedded_settings).items():
        monkeypatch.setenv(name, value)
    ctx = app_module.build_context(embedded_settings)
    try:
        path = write_resume(tmp_path / "in", "lost.txt", "Lost Person")
        lost = ctx.library.import_paths([path]).added[0].resume
        ctx.store.delete(lost.s3_resume_key)
        data = b"an old orphan"
        orphan = resume_key(ctx.owner_id, hashlib.sha256(data).hexdigest(), ".txt")
        put_raw(ctx.store, orphan, data)
        two_hours_ago = time.time() - 7200
        os.utime(Path(ctx.store.root, *orphan.split("/")), (two_hours_ago, two_hours_ago))
    finally:
        ctx.close()

    assert run(["doctor", "--repair"]) == 1  # the missing file remains
    out, err = capsys.readouterr()
    assert f"{orphan}  (removed)" in out and "1 repaired" in out
    assert "Not repaired:" in out
    note = next(line for line in out.splitlines() if str(lost.id) in line and "lost.txt" in line)
    assert "Lost Person" in note
    assert "doctor has no copy" in out and "Import the original file again" in out
    assert "1 problem(s) remain" in err

    assert run(["import", str(path)]) == 0
    assert "1 repaired" in capsys.readouterr().out
    assert run(["doctor"]) == 0
    assert "Everything is consistent" in capsys.readouterr().out


# ================================================================== import outcomes
def test_reimporting_a_trashed_file_is_reported_as_restored(ctx, cli, tmp_path):
    path = write_resume(tmp_path, "back.txt", "Back Again")
    resume = ctx.library.import_paths([path]).added[0].resume
    ctx.library.delete(resume.id)

    report = ctx.library.import_paths([path])
    assert report.duplicates == []
    assert [(r.file_name, r.existing_id) for r in report.restored] == [("back.txt", resume.id)]
    assert ctx.library.get(resume.id).deleted_at is None

    ctx.library.delete(resume.id)
    code, document, _ = cli("import", str(path), "--json")
    assert document["restored"] == [{"file_name": "back.txt", "id": str(resume.id)}]
    assert document["duplicates"] == []
    ctx.library.delete(resume.id)
    code, out, _ = cli("import", str(path))
    assert "1 restored from the trash" in out and "0 already in the library" in out


def test_hidden_and_temporary_files_in_a_folder_are_counted(ctx, cli, tmp_path):
    folder = tmp_path / "drop"
    write_resume(folder, "real.txt", "Real Person")
    for name in (".DS_Store", "~$real.docx", "Thumbs.db", "desktop.ini"):
        (folder / name).write_bytes(b"not a resume")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_bytes(b"[core]")

    report = ctx.library.import_paths([folder])
    assert [a.file_name for a in report.added] == ["real.txt"]
    assert report.rejected == []
    assert sorted(Path(p).name for p in report.hidden_skipped) == sorted(
        [".DS_Store", "~$real.docx", "Thumbs.db", "desktop.ini", ".git"]
    )
    assert report.processed == 1

    code, document, _ = cli("import", str(folder), "--json")
    assert len(document["hidden_skipped"]) == 5
    code, out, _ = cli("import", str(folder))
    assert "5 hidden files skipped" in out


def test_a_hidden_file_named_on_its_own_is_still_imported(ctx, tmp_path):
    path = write_resume(tmp_path, ".hidden-resume.txt", "Named Explicitly")
    report = ctx.library.import_paths([path])
    assert [a.file_name for a in report.added] == [".hidden-resume.txt"]
    assert report.hidden_skipped == []


def test_delete_and_restore_report_the_real_analysis_count(ctx, cli, tmp_path):
    code, imported, _ = cli("import", str(write_resume(tmp_path, "n.txt", "Counted")), "--json")
    resume_id = imported["added"][0]["id"]
    cli("analyze", "--general", "--json")
    code, deleted, _ = cli("delete", resume_id, "--json")
    assert deleted["analysis_count"] == 1
    code, restored, _ = cli("restore", resume_id, "--json")
    assert restored["analysis_count"] == 1


class _DownStore(CountingStore):
    """Storage that stopped answering: every upload times out."""

    def put(self, *args: Any, **kwargs: Any) -> bool:
        raise StorageError(
            "File storage didn't answer in time. Nothing was lost; try again.", code="timeout"
        )


def test_import_report_carries_why_the_batch_stopped(ctx, tmp_path):
    assert not hasattr(library_module, "LibraryImportReport")
    paths = [write_resume(tmp_path / "in", f"r{i}.txt", f"Person {i}") for i in range(5)]
    library = LibraryService(ctx.uow, _DownStore(ctx.store), ctx.owner_id)
    report = library.import_paths(paths)
    assert type(report) is ImportReport
    assert report.stopped.startswith("File storage isn't answering")
    assert ctx.library.import_paths([]).stopped == ""


@pytest.fixture
def storage_down(monkeypatch) -> None:
    """The CLI's context with a library whose storage doesn't answer uploads."""
    real = app_module.build_context

    def build(*args: Any, **kwargs: Any) -> Any:
        ctx = real(*args, **kwargs)
        down = LibraryService(ctx.uow, _DownStore(ctx.store), ctx.owner_id)
        return replace(ctx, library=down)

    monkeypatch.setattr(app_module, "build_context", build)


def test_the_cli_says_once_why_an_import_stopped(cli, tmp_path, storage_down):
    folder = tmp_path / "in"
    for i in range(5):
        write_resume(folder, f"r{i}.txt", f"Person {i}")
    code, out, _ = cli("import", str(folder))
    assert code == 0
    sentence = "File storage isn't answering; the remaining 2 files were not imported."
    assert out.count(sentence) == 1
    assert out.startswith(f"Import stopped: {sentence}")
    assert "Not tried (the import stopped):" in out
    code, document, _ = cli("import", str(folder), "--json")
    assert document["stopped"].startswith(sentence)
    assert re.search(r"remaining 2 files", document["stopped"])
