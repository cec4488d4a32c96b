"""Import, library listing, trash and purge on both profiles (SQLite + folder, Postgres + S3)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from recur_desktop.domain import CancelToken
from recur_desktop.services import InvalidInput, NotFound
from recur_desktop.storage import ObjectNotFound
from tests import samples


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def resume_pdf(name: str, skills: list[str]) -> bytes:
    return samples.make_pdf(samples.sample_resume_text(name, skills))


def test_import_stores_one_object_under_the_shared_content_addressed_key(ctx, tmp_path):
    path = write(tmp_path, "ada.pdf", resume_pdf("Ada Lovelace", ["Python", "SQL"]))
    report = ctx.library.import_paths([path])
    assert [a.file_name for a in report.added] == ["ada.pdf"]
    resume = report.added[0].resume
    assert resume.s3_resume_key == (f"{ctx.owner_id}/resumes/shared/{resume.content_sha256}.pdf")
    assert ctx.store.get(resume.s3_resume_key) == path.read_bytes()
    assert resume.media_type == "application/pdf"
    assert resume.candidate_email == "ada.lovelace@example.com"
    assert "Python" in ctx.library.text_of(resume.id)


def test_same_bytes_under_another_name_is_a_duplicate_of_the_first(ctx, tmp_path):
    data = resume_pdf("Grace Hopper", ["COBOL"])
    first = ctx.library.import_paths([write(tmp_path, "grace.pdf", data)])
    second = ctx.library.import_paths([write(tmp_path, "copy of grace.pdf", data)])
    assert second.added == []
    assert [(d.file_name, d.existing_id) for d in second.duplicates] == [
        ("copy of grace.pdf", first.added[0].resume.id)
    ]
    keys = list(ctx.store.list(f"{ctx.owner_id}/resumes/"))
    assert len(keys) == 1
    assert ctx.library.page().total == 1


def test_duplicate_keeps_the_original_upload_context(ctx, tmp_path):
    job = ctx.jobs.create(title="Data Engineer", required_skills=["SQL"])
    data = resume_pdf("Edgar Codd", ["SQL"])
    first = ctx.library.import_paths([write(tmp_path, "a.pdf", data)])
    ctx.library.import_paths([write(tmp_path, "b.pdf", data)], job_posting_id=job.id)
    assert ctx.library.get(first.added[0].resume.id).job_posting_id is None


def test_two_different_files_with_the_same_name_are_both_kept(ctx, tmp_path):
    a = write(tmp_path / "one", "resume.pdf", resume_pdf("Alan Turing", ["Python"]))
    b = write(tmp_path / "two", "resume.pdf", resume_pdf("Joan Clarke", ["Java"]))
    report = ctx.library.import_paths([a, b])
    assert len(report.added) == 2
    assert {r.resume.file_name for r in report.added} == {"resume.pdf"}
    assert len({r.resume.s3_resume_key for r in report.added}) == 2


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "final" résumé.pdf',
        "$(rm -rf ~); `id` | & ; * ?.pdf",
        "履歴書 – Zoë Ünal 🎓.pdf",
        "..\\..\\windows.pdf",
        ("x" * 251) + ".pdf",
    ],
)
def test_hostile_and_unicode_names_are_kept_as_names_never_as_keys(ctx, tmp_path, name):
    path = write(tmp_path, name, resume_pdf("Hedy Lamarr", ["Python"]))
    report = ctx.library.import_paths([path])
    resume = report.added[0].resume
    assert resume.file_name == name
    assert name not in resume.s3_resume_key
    assert resume.s3_resume_key.endswith(f"/resumes/shared/{resume.content_sha256}.pdf")


def test_key_extension_comes_from_the_bytes_not_the_name(ctx, tmp_path):
    resume_text = samples.sample_resume_text("Plain Text", ["SQL"])
    text_named_pdf = write(tmp_path, "notes.pdf", samples.make_text(resume_text))
    report = ctx.library.import_paths([text_named_pdf])
    resume = report.added[0].resume
    assert resume.s3_resume_key.endswith(".txt")
    assert resume.media_type == "text/plain"


REJECTIONS = {
    "empty.pdf": (b"", "empty"),
    "locked.pdf": (None, "password"),
    "scan.pdf": (None, "scanned"),
    "broken.pdf": (None, "damaged"),
    "old.doc": (None, "PDF or DOCX"),
    "old.rtf": (None, "PDF or DOCX"),
    "old.odt": (None, "PDF or DOCX"),
    "photo.png": (None, "image"),
    "binary.pdf": (None, "not a PDF"),
    "locked.docx": (None, "password"),
    "broken.docx": (None, "damaged"),
}


def _rejection_files(folder: Path) -> dict[str, Path]:
    data = {
        "empty.pdf": b"",
        "locked.pdf": samples.make_encrypted_pdf("Secret resume " * 20),
        "scan.pdf": samples.make_scanned_pdf(),
        "broken.pdf": samples.make_damaged_pdf(),
        "old.doc": samples.OLD_FORMATS[".doc"],
        "old.rtf": samples.OLD_FORMATS[".rtf"],
        "old.odt": samples.OLD_FORMATS[".odt"],
        "photo.png": samples.make_png(),
        "binary.pdf": samples.make_binary_garbage(),
        "locked.docx": samples.make_encrypted_docx(),
        "broken.docx": samples.make_damaged_docx(),
    }
    return {name: write(folder, name, content) for name, content in data.items()}


def test_bad_files_are_rejected_with_reasons_and_the_batch_goes_on(ctx, tmp_path):
    files = _rejection_files(tmp_path / "bad")
    good = write(
        tmp_path / "bad",
        "good.docx",
        samples.make_docx(
            samples.sample_resume_text("Katherine Johnson", ["MATLAB", "Fortran"]).splitlines()
        ),
    )
    report = ctx.library.import_paths([tmp_path / "bad"])
    assert [a.file_name for a in report.added] == [good.name]
    reasons = {r.file_name: r.reason for r in report.rejected}
    assert set(reasons) == set(files)
    for name, (_, expected) in REJECTIONS.items():
        assert expected.lower() in reasons[name].lower(), (name, reasons[name])
    # Nothing half-stored: one object, one row.
    assert len(list(ctx.store.list(f"{ctx.owner_id}/resumes/"))) == 1
    assert ctx.library.page().total == 1


def test_too_large_is_rejected_before_reading(settings, tmp_path):
    from dataclasses import replace

    from recur_desktop.app import build_context

    small_limit = build_context(replace(settings, max_upload_bytes=50_000))
    try:
        big = write(tmp_path, "big.txt", samples.make_text("word " * 20_000))
        report = small_limit.library.import_paths([big])
        reason = report.rejected[0].reason
        assert "over the 0.048 MB limit" in reason, reason
        assert small_limit.library.page().total == 0
    finally:
        small_limit.close()


def test_symlinks_and_special_files_are_rejected_not_followed(ctx, tmp_path):
    target = write(tmp_path / "elsewhere", "real.pdf", resume_pdf("Ada", ["Python"]))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.symlink(target, inbox / "link.pdf")
    os.symlink(tmp_path / "elsewhere", inbox / "linked-folder")
    os.mkfifo(inbox / "pipe.pdf")
    report = ctx.library.import_paths([inbox])
    reasons = {r.file_name: r.reason for r in report.rejected}
    assert "symbolic link" in reasons["link.pdf"]
    assert "symbolic link" in reasons["linked-folder"]
    assert "not a regular file" in reasons["pipe.pdf"]
    assert report.added == []


def test_missing_path_is_reported_and_the_rest_imported(ctx, tmp_path):
    good = write(tmp_path, "good.txt", samples.make_text(samples.sample_resume_text("Ann", ["Go"])))
    report = ctx.library.import_paths([tmp_path / "nope.pdf", good])
    assert [r.file_name for r in report.rejected] == ["nope.pdf"]
    assert "doesn't exist" in report.rejected[0].reason
    assert len(report.added) == 1


def test_folders_are_walked_recursively_skipping_hidden_and_lock_files(ctx, tmp_path):
    write(
        tmp_path / "in" / "a" / "b",
        "deep.txt",
        samples.make_text(samples.sample_resume_text("Deep Person", ["Rust"])),
    )
    write(
        tmp_path / "in",
        "top.txt",
        samples.make_text(samples.sample_resume_text("Top Person", ["Go"])),
    )
    write(tmp_path / "in", ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path / "in", "~$top.docx", b"lock")
    seen: list[tuple[int, int, str]] = []
    report = ctx.library.import_paths(
        [tmp_path / "in"], progress=lambda d, t, n: seen.append((d, t, n))
    )
    assert sorted(a.file_name for a in report.added) == ["deep.txt", "top.txt"]
    assert report.rejected == []
    assert seen[-1] == (2, 2, "")
    assert {n for _, _, n in seen[:-1]} == {"deep.txt", "top.txt"}


def test_cancelling_stops_after_the_file_in_flight_and_keeps_what_finished(ctx, tmp_path):
    for i in range(5):
        text = samples.sample_resume_text(f"Person {i}", ["SQL"]) + str(i)
        write(tmp_path / "in", f"r{i}.txt", samples.make_text(text))
    token = CancelToken()

    def progress(done: int, total: int, note: str) -> None:
        # Two files are stored and the third is uploading when the recruiter cancels.
        if done == 2:
            token.cancel()

    report = ctx.library.import_paths([tmp_path / "in"], progress=progress, cancel=token)
    assert report.cancelled
    # The third file's upload either had started (and finishes) or is skipped untouched.
    assert len(report.added) in (2, 3)
    assert ctx.library.page().total == len(report.added)
    for added in report.added:
        assert ctx.store.exists(added.resume.s3_resume_key)
    assert len(list(ctx.store.list(f"{ctx.owner_id}/resumes/"))) == len(report.added)


def test_search_pages_and_totals(ctx, tmp_path):
    for i in range(7):
        skills = ["Kubernetes"] if i % 2 else ["Excel"]
        text = samples.sample_resume_text(f"Candidate Number{i}", skills) + f"\nref {i}"
        write(tmp_path / "in", f"cand{i}.txt", samples.make_text(text))
    ctx.library.import_paths([tmp_path / "in"])
    everything = ctx.library.page(limit=3)
    assert everything.total == 7 and len(everything.items) == 3
    second = ctx.library.page(limit=3, offset=3)
    assert not {r.id for r in everything.items} & {r.id for r in second.items}
    hits = ctx.library.page(search="kubernetes")
    assert hits.total == 3
    assert ctx.library.page(search="cand5.txt").total == 1
    assert ctx.library.page(search="100%_").total == 0
    with pytest.raises(InvalidInput):
        ctx.library.page(limit=0)


def test_trash_hides_restore_brings_back_and_reimport_restores(ctx, tmp_path):
    path = write(
        tmp_path, "cv.txt", samples.make_text(samples.sample_resume_text("Tim Berners", ["HTML"]))
    )
    resume = ctx.library.import_paths([path]).added[0].resume
    ctx.library.delete(resume.id)
    assert ctx.library.page().total == 0
    assert [r.id for r in ctx.library.page(trashed=True).items] == [resume.id]
    assert ctx.analysis.available(None).total == 0
    ctx.library.restore(resume.id)
    assert ctx.library.page().total == 1
    ctx.library.delete(resume.id)
    again = ctx.library.import_paths([path])
    assert again.duplicates == []
    assert again.restored[0].existing_id == resume.id
    assert again.restored[0].restored_from_trash
    assert ctx.library.page().total == 1


def test_purge_removes_row_then_object_and_keeps_recent_trash(ctx, tmp_path):
    old = (
        ctx.library.import_paths(
            [
                write(
                    tmp_path,
                    "old.txt",
                    samples.make_text(samples.sample_resume_text("Old One", ["SQL"])),
                )
            ]
        )
        .added[0]
        .resume
    )
    new = (
        ctx.library.import_paths(
            [
                write(
                    tmp_path,
                    "new.txt",
                    samples.make_text(samples.sample_resume_text("New One", ["Go"])),
                )
            ]
        )
        .added[0]
        .resume
    )
    ctx.library.delete(old.id)
    ctx.library.delete(new.id)
    assert ctx.library.purge(older_than_days=30) == []
    assert ctx.library.purge(older_than_days=0) == [old.id, new.id] or set(
        ctx.library.purge(older_than_days=0)
    ) <= {old.id, new.id}
    with pytest.raises(NotFound):
        ctx.library.get(old.id)
    with pytest.raises(ObjectNotFound):
        ctx.store.get(old.s3_resume_key)
    assert ctx.doctor.check().clean


def test_erase_one_resume_at_once_for_an_erasure_request(ctx, tmp_path):
    resume = (
        ctx.library.import_paths(
            [
                write(
                    tmp_path,
                    "gdpr.txt",
                    samples.make_text(samples.sample_resume_text("Erase Me", ["SQL"])),
                )
            ]
        )
        .added[0]
        .resume
    )
    ctx.analysis.analyze(None)
    assert ctx.library.erase(resume.id).id == resume.id
    assert not ctx.store.exists(resume.s3_resume_key)
    with pytest.raises(NotFound):
        ctx.analysis.history(resume.id)


def test_another_users_resume_is_not_found(ctx, other_ctx, tmp_path):
    resume = (
        ctx.library.import_paths(
            [
                write(
                    tmp_path,
                    "mine.txt",
                    samples.make_text(samples.sample_resume_text("Mine Only", ["SQL"])),
                )
            ]
        )
        .added[0]
        .resume
    )
    assert other_ctx.library.page().total == 0
    for call in (other_ctx.library.get, other_ctx.library.delete, other_ctx.analysis.history):
        with pytest.raises(NotFound):
            call(resume.id)
    with pytest.raises(NotFound):
        other_ctx.library.purge(resume_id=resume.id)
    with pytest.raises(NotFound):
        other_ctx.library.erase(resume.id)
    assert ctx.library.get(resume.id).deleted_at is None


def test_unknown_job_as_upload_context_is_refused(ctx, tmp_path):
    with pytest.raises(NotFound):
        ctx.library.import_paths([tmp_path], job_posting_id=uuid.uuid4())


def test_search_index_follows_imports_and_purges(ctx, tmp_path):
    first = write(
        tmp_path, "a.txt", samples.make_text(samples.sample_resume_text("Zed Quux", ["Haskell"]))
    )
    resume = ctx.library.import_paths([first]).added[0].resume
    assert [r.id for r in ctx.library.page(search="Haskell").items] == [resume.id]
    assert [r.id for r in ctx.library.page(search="zed quux").items] == [resume.id]
    ctx.library.erase(resume.id)
    assert ctx.library.page(search="Haskell").total == 0
    second = write(
        tmp_path, "b.txt", samples.make_text(samples.sample_resume_text("Ann Quux", ["Haskell"]))
    )
    again = ctx.library.import_paths([second]).added[0].resume
    assert [r.id for r in ctx.library.page(search="haskell").items] == [again.id]
    assert ctx.library.page(search="   ").total == 1
    assert ctx.library.page(search="!!!").total == 0  # punctuation only: no crash
