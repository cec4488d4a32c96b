"""``doctor`` finds orphans, missing and changed files, repairs only what is safe, and never
looks outside the user's own prefix."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from recur_desktop.persistence.tables import utcnow
from recur_desktop.services import DoctorService
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
        ctx.sessions,
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
