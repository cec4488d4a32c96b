"""Sessions, availability and history: the design document's scenarios on both profiles."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from recur_desktop.analysis import AnalysisError, SkillCoverageAnalyzer
from recur_desktop.app import build_context
from recur_desktop.domain import CancelToken, ResultStatus, SessionStatus
from recur_desktop.persistence.engine import session_factory
from recur_desktop.persistence.tables import AnalysisSessionRow, ResumeAnalysisRow
from recur_desktop.services import InvalidInput, NotFound
from recur_desktop.services.analysis import INTERRUPTED
from tests import samples


def add_resume(ctx, folder: Path, name: str, skills: list[str]):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.replace(' ', '_')}.txt"
    path.write_bytes(samples.make_text(samples.sample_resume_text(name, skills)))
    report = ctx.library.import_paths([path])
    return report.added[0].resume


@pytest.fixture
def three(ctx, tmp_path):
    return [
        add_resume(ctx, tmp_path, "Ada Lovelace", ["Python", "PostgreSQL", "Docker"]),
        add_resume(ctx, tmp_path, "Grace Hopper", ["COBOL", "Fortran"]),
        add_resume(ctx, tmp_path, "Linus Torvalds", ["C", "Linux", "Git"]),
    ]


def ids(page) -> set[uuid.UUID]:
    return {r.id for r in page.items}


def test_scenario_1_upload_and_general_analysis(ctx, three):
    """Upload for general analysis; once analysed, it is no longer available for general."""
    assert ctx.analysis.available(None).total == 3
    run = ctx.analysis.analyze(None, resume_ids=[three[0].id])
    assert run.session.status == SessionStatus.COMPLETED
    assert run.session.job_posting_id is None
    assert [o.resume_id for o in run.outcomes] == [three[0].id]
    assert run.outcomes[0].status == ResultStatus.OK
    page = ctx.analysis.available(None)
    assert page.total == 2 and three[0].id not in ids(page)


def test_scenario_2_same_resume_for_another_job_needs_no_new_object(ctx, three):
    job = ctx.jobs.create(title="Senior Developer", required_skills=["Python", "Docker"])
    objects_before = sorted(i.key for i in ctx.store.list(f"{ctx.owner_id}/resumes/"))
    ctx.analysis.analyze(None, resume_ids=[three[0].id])
    run = ctx.analysis.analyze(job.id, resume_ids=[three[0].id])
    assert run.session.job_posting_id == job.id
    assert sorted(i.key for i in ctx.store.list(f"{ctx.owner_id}/resumes/")) == objects_before
    _, history = ctx.analysis.history(three[0].id)
    assert [h.context_label for h in history] == ["Senior Developer", "General"]
    assert ctx.library.get(three[0].id).s3_resume_key == three[0].s3_resume_key


def test_scenario_3_availability_is_per_context(ctx, three):
    job_a = ctx.jobs.create(title="Backend", required_skills=["Python"])
    job_b = ctx.jobs.create(title="Systems", required_skills=["C"])
    ctx.analysis.analyze(job_a.id)
    assert ctx.analysis.available(job_a.id).total == 0
    assert ctx.analysis.available(job_b.id).total == 3
    assert ctx.analysis.available(None).total == 3
    ctx.analysis.analyze(None, resume_ids=[three[1].id])
    assert ids(ctx.analysis.available(None)) == {three[0].id, three[2].id}
    assert ctx.analysis.available(job_b.id).total == 3


def test_job_scores_rank_the_matching_resume_first(ctx, three):
    job = ctx.jobs.create(
        title="Platform Engineer", required_skills=["Python", "Docker"], preferred_skills=["Git"]
    )
    run = ctx.analysis.analyze(job.id)
    by_resume = {o.resume_id: o.result for o in run.outcomes}
    ada, grace = by_resume[three[0].id], by_resume[three[1].id]
    assert ada.skill_match_score > grace.skill_match_score
    assert set(ada.matched_skills) == {"Python", "Docker"}
    assert set(grace.missing_skills) == {"Python", "Docker", "Git"}
    assert all(0 <= r.overall_fit_score <= 100 for r in by_resume.values())
    _, ranked = ctx.analysis.results(run.session.id)
    scores = [o.result.overall_fit_score for o in ranked]
    assert scores == sorted(scores, reverse=True)


class FailsFor:
    """An analyzer that cannot analyse resumes mentioning ``marker``."""

    name = "test-failing"
    version = "1"

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.inner = SkillCoverageAnalyzer()

    def check_job(self, job):
        self.inner.check_job(job)

    def analyze(self, text, job):
        if self.marker in text:
            raise AnalysisError("The resume could not be analysed (test).")
        return self.inner.analyze(text, job)


def test_failed_analysis_is_recorded_without_scores_and_keeps_resume_available(settings, tmp_path):
    ctx = build_context(settings, analyzer=FailsFor("Grace Hopper"))
    try:
        resumes = [
            add_resume(ctx, tmp_path, "Ada Lovelace", ["Python"]),
            add_resume(ctx, tmp_path, "Grace Hopper", ["COBOL"]),
        ]
        run = ctx.analysis.analyze(None)
        assert run.session.status == SessionStatus.COMPLETED
        failed = [o for o in run.outcomes if o.status == ResultStatus.FAILED]
        assert [o.resume_id for o in failed] == [resumes[1].id]
        assert failed[0].result is None
        assert "could not be analysed" in failed[0].error
        assert ids(ctx.analysis.available(None)) == {resumes[1].id}
        _, history = ctx.analysis.history(resumes[1].id)
        assert history[0].status == ResultStatus.FAILED
        assert history[0].overall_fit_score is None
    finally:
        ctx.close()


class Broken:
    name = "test-broken"
    version = "1"

    def check_job(self, job):
        pass

    def analyze(self, text, job):
        raise RuntimeError("bug")


def test_an_analyzer_bug_fails_each_resume_not_the_process(settings, tmp_path):
    ctx = build_context(settings, analyzer=Broken())
    try:
        add_resume(ctx, tmp_path, "Ada Lovelace", ["Python"])
        run = ctx.analysis.analyze(None)
        assert run.outcomes[0].status == ResultStatus.FAILED
        assert "unexpected problem" in run.outcomes[0].error
        assert ctx.analysis.available(None).total == 1
    finally:
        ctx.close()


def test_a_job_without_skills_fails_the_session_with_the_reason(ctx, three):
    job = ctx.jobs.create(title="Mystery role", description="Great team, free snacks.")
    run = ctx.analysis.analyze(job.id)
    assert run.session.status == SessionStatus.FAILED
    assert "lists no skills" in run.session.error
    assert run.outcomes == []
    assert ctx.analysis.available(job.id).total == 3


def test_cancelled_session_keeps_results_but_does_not_consume_availability(ctx, three):
    token = CancelToken()

    def progress(done: int, total: int, note: str) -> None:
        if done == 1:
            token.cancel()

    run = ctx.analysis.analyze(None, progress=progress, cancel=token)
    assert run.session.status == SessionStatus.CANCELLED
    assert len(run.outcomes) == 1
    assert ctx.analysis.available(None).total == 3
    _, history = ctx.analysis.history(run.outcomes[0].resume_id)
    assert history[0].session_status == SessionStatus.CANCELLED


def test_another_users_analyses_never_count(ctx, other_ctx, tmp_path):
    mine = add_resume(ctx, tmp_path / "a", "Ada Lovelace", ["Python"])
    theirs = add_resume(other_ctx, tmp_path / "b", "Ada Lovelace", ["Python"])
    assert mine.id != theirs.id  # same bytes, different owners: two resumes
    assert mine.s3_resume_key.split("/")[0] != theirs.s3_resume_key.split("/")[0]
    other_ctx.analysis.analyze(None)
    assert other_ctx.analysis.available(None).total == 0
    assert ids(ctx.analysis.available(None)) == {mine.id}
    job = other_ctx.jobs.create(title="Theirs", required_skills=["Python"])
    with pytest.raises(NotFound):
        ctx.analysis.available(job.id)
    with pytest.raises(NotFound):
        ctx.analysis.analyze(None, resume_ids=[theirs.id])
    assert ctx.analysis.sessions() == []


def test_reanalysis_is_explicit_and_history_shows_both(ctx, three):
    job = ctx.jobs.create(title="Backend", required_skills=["Python"])
    ctx.analysis.analyze(job.id, resume_ids=[three[0].id])
    with pytest.raises(InvalidInput, match="include-analyzed"):
        ctx.analysis.analyze(job.id, resume_ids=[three[0].id])
    ctx.analysis.analyze(job.id, resume_ids=[three[0].id], include_analyzed=True, name="Again")
    _, history = ctx.analysis.history(three[0].id)
    assert [h.session_name for h in history][0] == "Again"
    assert len(history) == 2


def test_nothing_to_analyse_is_a_clear_error(ctx, three):
    ctx.analysis.analyze(None)
    with pytest.raises(InvalidInput, match="Nothing to analyse"):
        ctx.analysis.analyze(None)


def test_trashed_resumes_are_not_available_and_not_analysed(ctx, three):
    ctx.library.delete(three[0].id)
    assert three[0].id not in ids(ctx.analysis.available(None))
    run = ctx.analysis.analyze(None)
    assert three[0].id not in {o.resume_id for o in run.outcomes}
    ctx.library.restore(three[0].id)
    assert three[0].id in ids(ctx.analysis.available(None))


def test_available_pages_are_stable_newest_first_with_total(ctx, tmp_path):
    made = [add_resume(ctx, tmp_path, f"Person Number{i}", ["SQL"]) for i in range(7)]
    ctx.analysis.analyze(None, resume_ids=[made[3].id])
    first = ctx.analysis.available(None, limit=4)
    second = ctx.analysis.available(None, limit=4, offset=4)
    assert first.total == second.total == 6
    listed = [r.id for r in first.items + second.items]
    assert len(listed) == 6 and made[3].id not in listed
    expected = [
        r.id
        for r in sorted(
            (r for r in made if r.id != made[3].id),
            key=lambda r: (r.created_at, r.id),
            reverse=True,
        )
    ]
    assert listed == expected


def test_sessions_list_filters_by_context(ctx, three):
    job = ctx.jobs.create(title="Backend", required_skills=["Python"])
    general = ctx.analysis.analyze(None, resume_ids=[three[0].id]).session
    for_job = ctx.analysis.analyze(job.id).session
    assert [s.id for s in ctx.analysis.sessions()] == [for_job.id, general.id]
    assert [s.id for s in ctx.analysis.sessions(general=True)] == [general.id]
    only_job = ctx.analysis.sessions(job_id=job.id)
    assert [(s.id, s.result_count) for s in only_job] == [(for_job.id, 3)]


def _force_running(ctx, session_id, runner: str, heartbeat_age: timedelta) -> None:
    sessions = session_factory(ctx.engine)
    with sessions() as s:
        s.execute(
            update(AnalysisSessionRow)
            .where(AnalysisSessionRow.id == session_id)
            .values(
                status="running",
                runner=runner,
                heartbeat_at=datetime.now(UTC) - heartbeat_age,
                finished_at=None,
            )
        )
        s.commit()


def test_sessions_left_running_by_a_crash_are_marked_interrupted_on_start(ctx, settings, three):
    import socket

    crashed = ctx.analysis.analyze(None, resume_ids=[three[0].id]).session
    elsewhere_stale = ctx.analysis.analyze(None, resume_ids=[three[1].id]).session
    elsewhere_fresh = ctx.analysis.analyze(None, resume_ids=[three[2].id]).session
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    _force_running(ctx, crashed.id, f"{socket.gethostname()}:{dead_pid}", timedelta(0))
    _force_running(ctx, elsewhere_stale.id, "other-host:1", timedelta(hours=2))
    _force_running(ctx, elsewhere_fresh.id, "other-host:2", timedelta(minutes=-5))
    restarted = build_context(replace(settings))
    try:
        by_id = {s.id: s for s in restarted.analysis.sessions()}
        assert by_id[crashed.id].status == SessionStatus.FAILED
        assert by_id[crashed.id].error == INTERRUPTED
        assert by_id[elsewhere_stale.id].status == SessionStatus.FAILED
        assert by_id[elsewhere_fresh.id].status == SessionStatus.RUNNING
        # The finished analysis of the interrupted session stays in history, and the resume
        # is available again because the session never completed.
        assert three[0].id in ids(restarted.analysis.available(None))
    finally:
        restarted.close()


def test_scores_and_status_constraints_hold_in_the_database(ctx, three):
    from sqlalchemy.exc import IntegrityError

    run = ctx.analysis.analyze(None, resume_ids=[three[0].id])
    sessions = session_factory(ctx.engine)
    with sessions() as s:
        s.add(
            ResumeAnalysisRow(
                resume_id=three[1].id,
                analysis_session_id=run.session.id,
                status="failed",
                error=None,
                overall_fit_score=50.0,
                skill_match_score=50.0,
                analyzer_name="x",
                analyzer_version="1",
            )
        )
        with pytest.raises(IntegrityError):
            s.commit()
    with sessions() as s:
        row = s.scalars(select(ResumeAnalysisRow)).one()
        s.add(
            ResumeAnalysisRow(
                resume_id=row.resume_id,
                analysis_session_id=row.analysis_session_id,
                status="ok",
                overall_fit_score=1.0,
                skill_match_score=1.0,
                analyzer_name="x",
                analyzer_version="1",
            )
        )
        with pytest.raises(IntegrityError):
            s.commit()


def test_a_nearly_exhausted_context_lists_exactly_the_few_left(ctx, tmp_path):
    made = [add_resume(ctx, tmp_path, f"Person Number{i}", ["SQL"]) for i in range(12)]
    job = ctx.jobs.create(title="DBA", required_skills=["SQL"])
    ctx.analysis.analyze(job.id, resume_ids=[r.id for r in made[1:]])
    ctx.library.delete(made[5].id)  # analysed, then trashed: counts nowhere
    page = ctx.analysis.available(job.id)
    assert page.total == 1 and [r.id for r in page.items] == [made[0].id]
    assert ctx.analysis.available(job.id, offset=1).items == []
    ctx.analysis.analyze(job.id, resume_ids=[made[0].id])
    assert ctx.analysis.available(job.id).total == 0


def test_an_archived_job_gets_no_new_analysis_whoever_asks(ctx, tmp_path):
    from recur_desktop.services.jobs import JobArchived

    job = ctx.jobs.create(title="Closed role", required_skills=["Python"])
    ctx.jobs.archive(job.id)
    with pytest.raises(JobArchived, match="archived"):
        ctx.analysis.analyze(job.id)
    assert ctx.analysis.sessions(job_id=job.id) == []
