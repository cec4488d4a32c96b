"""Keyset pages, sort orders, job edits and the names that make results readable."""

from __future__ import annotations

import pytest

from recur_desktop.services import InvalidInput
from tests import samples


@pytest.fixture
def nine(ctx, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["delta", "alpha", "india", "charlie", "golf", "bravo", "echo", "hotel", "foxtrot"]
    for i, name in enumerate(names):
        text = samples.sample_resume_text(f"Person Number{i}", ["SQL"]) + "x" * i
        (folder / f"{name}.txt").write_bytes(samples.make_text(text))
    ctx.library.import_paths([folder])
    return names


def walk(ctx, **kwargs) -> list[str]:
    names, after = [], None
    while True:
        page = ctx.library.page(limit=4, after=after, with_total=after is None, **kwargs)
        if after is None:
            assert page.total == 9
        else:
            assert page.total is None
        names += [r.file_name for r in page.items]
        if page.next_after is None:
            return names
        after = page.next_after


def test_keyset_pages_cover_the_library_once_in_every_order(ctx, nine):
    by_offset = [r.file_name for r in ctx.library.page(limit=100).items]
    assert walk(ctx) == by_offset
    assert walk(ctx, sort="file_name") == sorted(f"{n}.txt" for n in nine)
    assert walk(ctx, sort="file_name", descending=True) == sorted(
        (f"{n}.txt" for n in nine), reverse=True
    )
    sizes = [ctx.library.get(r.id).size_bytes for r in ctx.library.page(limit=100).items]
    assert len(walk(ctx, sort="size")) == 9
    ordered = [r.size_bytes for r in ctx.library.page(sort="size", limit=100).items]
    assert ordered == sorted(sizes)
    with pytest.raises(InvalidInput):
        ctx.library.page(sort="shoe_size")


def test_duplicates_name_the_file_already_in_the_library(ctx, tmp_path):
    data = samples.make_text(samples.sample_resume_text("Dup Licate", ["SQL"]))
    (tmp_path / "original.txt").write_bytes(data)
    (tmp_path / "copy.txt").write_bytes(data)
    ctx.library.import_paths([tmp_path / "original.txt"])
    report = ctx.library.import_paths([tmp_path / "copy.txt"])
    assert report.duplicates[0].existing_file_name == "original.txt"


def test_results_carry_file_and_candidate_names(ctx, nine):
    run = ctx.analysis.analyze(None)
    _, outcomes = ctx.analysis.results(run.session.id)
    assert {o.file_name for o in outcomes} == {f"{n}.txt" for n in nine}
    assert all(o.candidate_name is None or "Person" in o.candidate_name for o in outcomes)


def test_editing_a_job_keeps_its_history_and_validates(ctx, nine):
    job = ctx.jobs.create(title="Data", required_skills=["SQL"])
    ctx.analysis.analyze(job.id)
    edited = ctx.jobs.update(
        job.id, title="Data Engineer", required_skills=["SQL", "Python", "sql"], min_years=2
    )
    assert edited.title == "Data Engineer"
    assert edited.required_skills == ("SQL", "Python")
    assert ctx.jobs.get(job.id).min_years == 2
    assert ctx.analysis.sessions(job_id=job.id)[0].result_count == 9
    with pytest.raises(InvalidInput):
        ctx.jobs.update(job.id, title="   ")


def test_the_live_counter_follows_every_kind_of_write(ctx, other_ctx, nine, tmp_path):
    from sqlalchemy import func, select

    from recur_desktop.persistence.tables import ResumeCounterRow, ResumeRow

    def counted(owner) -> tuple[int, int]:
        with ctx.sessions() as s:
            kept = s.scalar(
                select(ResumeCounterRow.live_count).where(ResumeCounterRow.user_id == owner)
            )
            actual = s.scalar(
                select(func.count())
                .select_from(ResumeRow)
                .where(ResumeRow.user_id == owner, ResumeRow.deleted_at.is_(None))
            )
        return kept or 0, actual

    items = ctx.library.page(limit=100).items
    ctx.library.delete(items[0].id)
    ctx.library.delete(items[1].id)
    ctx.library.restore(items[1].id)
    ctx.library.delete(items[2].id)
    ctx.library.purge(older_than_days=0)
    ctx.library.erase(items[3].id)
    ctx.library.delete(items[4].id)
    ctx.library.restore(items[4].id)
    ctx.library.restore(items[4].id)  # twice: no double count
    assert counted(ctx.owner_id) == (6, 6)
    assert ctx.library.page().total == 6
    assert counted(other_ctx.owner_id) == (0, 0)
    (tmp_path / "bob.txt").write_bytes(
        samples.make_text(samples.sample_resume_text("Bob Person", ["Go"]))
    )
    other_ctx.library.import_paths([tmp_path / "bob.txt"])
    assert counted(other_ctx.owner_id) == (1, 1)
    assert counted(ctx.owner_id) == (6, 6)
