"""The services' rules on in-memory fakes of the unit of work and the object store: no database,
no S3, no Qt. The same rules run against SQLite, Postgres and S3 in tests/integration; these pin
them in milliseconds."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from recur_desktop.domain import ResultStatus, SessionStatus
from recur_desktop.domain.errors import DatabaseTimeout, DatabaseUnavailable
from recur_desktop.domain.models import IntegrityProblem
from recur_desktop.persistence.ports import NewResult, NewSession, ResumeValues
from recur_desktop.services.analysis import INTERRUPTED, AnalysisService
from recur_desktop.services.errors import InvalidInput, NotFound
from recur_desktop.services.jobs import JobArchived, JobService
from recur_desktop.services.library import (
    DATABASE_DOWN,
    OUTAGE_STOP_AFTER,
    LibraryService,
    NotInTrash,
)
from recur_desktop.services.users import ensure_user
from recur_desktop.storage import resume_key
from tests.unit.fakes import FakeAnalyzer, FakeDatabase, FakeObjectStore

T0 = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


class Clock:
    """A clock the test moves: one second per reading, so orders are stable."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def store() -> FakeObjectStore:
    return FakeObjectStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def owner(db: FakeDatabase) -> uuid.UUID:
    return ensure_user(db.unit_of_work, "alice")


@pytest.fixture
def library(db: FakeDatabase, store: FakeObjectStore, owner: uuid.UUID, clock: Clock):
    return LibraryService(db.unit_of_work, store, owner, clock=clock)


@pytest.fixture
def jobs(db: FakeDatabase, owner: uuid.UUID, clock: Clock) -> JobService:
    return JobService(db.unit_of_work, owner, clock=clock)


@pytest.fixture
def analysis(db: FakeDatabase, owner: uuid.UUID, clock: Clock) -> AnalysisService:
    return AnalysisService(db.unit_of_work, FakeAnalyzer(fail_on="UNSCORABLE"), owner, clock=clock)


#: What makes each test's text a plausible resume, so the resume gate lets it in: these tests
#: are about the import's other rules (the gate has its own tests).
RESUME_BODY = (
    "\n\nExperience\nData Analyst, Example Corp, 2019 – 2023\n"
    "Reports and dashboards for the sales team.\n\n"
    "Education\nBSc Mathematics, Example University, 2015 – 2019\n\n"
    "Skills\nSQL, Python, Excel\n"
)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, text: str | None = None, *, folder: str = "in") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = text if text is not None else f"{name}\nJane Candidate\njane@example.com\nSQL Python"
        path.write_bytes((body + RESUME_BODY if body else body).encode())
        return path

    return write


def add(library: LibraryService, write: Callable[..., Path], name: str, text: str | None = None):
    return library.import_paths([write(name, text)]).added[0].resume


# ------------------------------------------------------------------------------------ users
def test_a_user_is_created_once(db: FakeDatabase):
    first = ensure_user(db.unit_of_work, "bob")
    assert ensure_user(db.unit_of_work, "bob") == first
    assert [u["login_name"] for u in db.rows("users")] == ["bob"]


def test_no_commit_no_change(db: FakeDatabase, owner: uuid.UUID):
    with db.unit_of_work() as uow:
        uow.users.add("carol", "carol")
    assert [u["login_name"] for u in db.rows("users")] == ["alice"]


# ------------------------------------------------------------------------------------ import
def test_a_new_file_is_stored_before_its_row_and_added(library, store, db, write, owner):
    path = write("ada.txt")
    rows_at_put: list[int] = []
    real_put = store.put

    def put(*args: Any, **kwargs: Any) -> bool:
        rows_at_put.append(len(db.rows("resumes")))
        return real_put(*args, **kwargs)

    store.put = put  # type: ignore[method-assign]
    report = library.import_paths([path])

    assert [a.file_name for a in report.added] == ["ada.txt"]
    assert rows_at_put == [0]  # the object went first, the row after it
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    key = resume_key(owner, sha, ".txt")
    assert report.added[0].resume.s3_resume_key == key
    assert store.objects[key] == path.read_bytes()
    assert store.metadata[key]["original-file-name"] == "ada.txt"
    assert store.metadata[key]["content-sha256"] == sha
    [row] = db.rows("resumes")
    assert row["content_sha256"] == sha and row["candidate_email"] == "jane@example.com"


def test_the_same_file_twice_is_stored_once(library, store, write):
    first = library.import_paths([write("a.txt", "same bytes, SQL")])
    again = library.import_paths([write("copy-of-a.txt", "same bytes, SQL", folder="other")])
    assert len(first.added) == 1 and again.added == []
    assert [(d.file_name, d.existing_file_name) for d in again.duplicates] == [
        ("copy-of-a.txt", "a.txt")
    ]
    assert len(store.objects) == 1


def test_a_file_in_the_trash_comes_back_when_dropped_again(library, write):
    resume = add(library, write, "back.txt")
    library.delete(resume.id)
    report = library.import_paths([write("back.txt")])
    assert [r.existing_id for r in report.restored] == [resume.id]
    assert library.get(resume.id).deleted_at is None


def test_empty_and_unreadable_files_are_rejected_with_a_reason(library, write, tmp_path, db):
    empty = write("empty.txt", "")
    binary = tmp_path / "in" / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    report = library.import_paths([empty, binary, tmp_path / "missing.txt"])
    reasons = {r.file_name: r.reason for r in report.rejected}
    assert reasons["empty.txt"] == "The file is empty."
    assert set(reasons) == {"empty.txt", "blob.bin", "missing.txt"}
    assert "doesn't exist" in reasons["missing.txt"]
    assert report.added == [] and db.rows("resumes") == []


def test_hidden_files_in_folders_are_counted_not_read(library, write, tmp_path):
    write("cv.txt")
    write(".DS_Store", "junk")
    write("~$cv.docx", "lock")
    report = library.import_paths([tmp_path / "in"])
    assert [a.file_name for a in report.added] == ["cv.txt"]
    assert len(report.hidden_skipped) == 2


def test_a_file_doctor_flagged_is_put_back_and_its_flag_cleared(library, store, db, write, owner):
    path = write("gone.txt")
    resume = add(library, write, "gone.txt")
    del store.objects[resume.s3_resume_key]
    with db.unit_of_work() as uow:
        uow.resumes.set_problem(owner, [resume.id], IntegrityProblem.MISSING.value)
        uow.commit()

    report = library.import_paths([path])

    assert [(r.existing_id, r.problem) for r in report.repaired] == [
        (resume.id, IntegrityProblem.MISSING)
    ]
    assert store.objects[resume.s3_resume_key] == path.read_bytes()
    assert db.tables["resumes"][resume.id]["integrity_problem"] is None
    assert [e["action"] for e in db.rows("audit_events")] == ["repair"]


def test_a_healthy_duplicate_costs_no_store_call(library, store, write):
    path = write("x.txt")
    library.import_paths([path])
    store.calls.clear()
    library.import_paths([path])
    assert store.calls == []


def test_a_storage_failure_leaves_no_row_and_stops_after_three(library, store, db, write):
    store.down = "timeout"
    paths = [write(f"r{i}.txt", f"resume number {i} SQL") for i in range(5)]
    report = library.import_paths(paths)
    assert db.rows("resumes") == []
    assert len(report.rejected) == 5
    assert report.stopped.startswith("File storage isn't answering; the remaining 2 files")


def test_a_database_outage_at_commit_rejects_the_batch_and_keeps_objects(library, store, db, write):
    db.fail("commit", DatabaseUnavailable())
    report = library.import_paths([write("a.txt", "first SQL"), write("b.txt", "second SQL")])
    assert report.added == []
    assert {r.reason for r in report.rejected} == {DATABASE_DOWN}
    assert len(store.objects) == 2  # orphans for doctor, never rows without objects
    assert db.rows("resumes") == []


def test_a_database_that_keeps_timing_out_stops_the_import(library, db, write, monkeypatch):
    from recur_desktop.services import library as library_module

    monkeypatch.setattr(library_module, "COMMIT_EVERY", 1)
    db.fail("resumes.by_content", DatabaseTimeout(), times=OUTAGE_STOP_AFTER)
    paths = [write(f"r{i}.txt", f"resume {i} SQL") for i in range(5)]
    report = library.import_paths(paths)
    assert report.added == []
    assert report.stopped.startswith("The database didn't answer in time; the remaining 2 files")


def test_a_conflicting_commit_settles_each_file_alone(library, db, write, owner):
    path = write("raced.txt", "raced bytes SQL")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    real_add = db.unit_of_work().resumes.add.__func__  # type: ignore[attr-defined]

    winner = uuid.uuid4()

    def add_then_lose(self: Any, values: ResumeValues):
        # Another process commits the same bytes between our lookup and our commit.
        if not any(r["content_sha256"] == sha for r in db.rows("resumes")):
            with db.unit_of_work() as other:
                real_add(
                    other.resumes,
                    ResumeValues(
                        id=winner,
                        user_id=owner,
                        file_name="theirs.txt",
                        s3_resume_key=values.s3_resume_key,
                        content_sha256=sha,
                        size_bytes=values.size_bytes,
                        media_type=values.media_type,
                    ),
                )
                other.commit()
        return real_add(self, values)

    from tests.unit import fakes

    original = fakes.FakeResumes.add
    fakes.FakeResumes.add = add_then_lose  # type: ignore[method-assign]
    try:
        report = library.import_paths([path])
    finally:
        fakes.FakeResumes.add = original  # type: ignore[method-assign]
    assert report.added == []
    assert [(d.existing_id, d.existing_file_name) for d in report.duplicates] == [
        (winner, "theirs.txt")
    ]


# ------------------------------------------------------------------------------------ reading
def test_pages_sort_and_continue_by_keyset(library, write):
    for name in ("c.txt", "a.txt", "b.txt"):
        add(library, write, name, f"{name} SQL")
    first = library.page(sort="file_name", limit=2)
    assert [r.file_name for r in first.items] == ["a.txt", "b.txt"] and first.total == 3
    rest = library.page(sort="file_name", limit=2, after=first.next_after, with_total=False)
    assert [r.file_name for r in rest.items] == ["c.txt"] and rest.total is None
    newest = library.page()
    assert [r.file_name for r in newest.items] == ["b.txt", "a.txt", "c.txt"]
    with pytest.raises(InvalidInput):
        library.page(sort="candidate")
    with pytest.raises(InvalidInput):
        library.page(limit=0)


def test_search_finds_names_and_text(library, write):
    add(library, write, "ada.txt", "Ada Lovelace\nanalytical engines")
    add(library, write, "bob.txt", "Bob Builder\nbricks")
    assert [r.file_name for r in library.page(search="engine").items] == ["ada.txt"]
    assert library.page(search="nothing like it").total == 0


def test_another_owners_resume_is_not_found(library, db, store, write, clock):
    resume = add(library, write, "mine.txt")
    bob = ensure_user(db.unit_of_work, "bob")
    theirs = LibraryService(db.unit_of_work, store, bob, clock=clock)
    for call in (theirs.get, theirs.delete, theirs.erase, theirs.read_bytes):
        with pytest.raises(NotFound):
            call(resume.id)


# ------------------------------------------------------------------------------------ trash
def test_trash_restore_and_the_counts(library, write, clock):
    resume = add(library, write, "t.txt")
    trashed = library.delete(resume.id)
    assert trashed.deleted_at is not None
    assert library.page().total == 0 and library.page(trashed=True).total == 1
    assert library.delete(resume.id).deleted_at == trashed.deleted_at  # twice: no change
    assert library.restore(resume.id).deleted_at is None
    assert library.page().total == 1


def test_purge_takes_only_the_trash_rows_first_then_objects(library, store, db, write, clock):
    live = add(library, write, "live.txt", "live SQL")
    old = add(library, write, "old.txt", "old SQL")
    new = add(library, write, "new.txt", "new SQL")
    with pytest.raises(NotInTrash, match="recur erase"):
        library.purge(resume_id=live.id)
    library.delete(old.id)
    clock.now += timedelta(days=40)
    library.delete(new.id)

    purged = library.purge()  # trashed more than 30 days ago

    assert purged == [old.id]
    assert old.s3_resume_key not in store.objects
    assert {r["id"] for r in db.rows("resumes")} == {live.id, new.id}
    assert library.purge(resume_id=new.id) == [new.id]
    assert [e["action"] for e in db.rows("audit_events")] == ["purge", "purge"]


def test_erase_removes_row_analyses_and_object_with_an_audit_entry(
    library, analysis, store, db, write
):
    resume = add(library, write, "erase-me.txt")
    analysis.analyze(None)
    erased = library.erase(resume.id)
    assert erased.analysis_count == 1
    assert db.rows("resumes") == [] and db.rows("resume_analyses") == []
    assert store.objects == {}
    [event] = db.rows("audit_events")
    assert (event["action"], event["subject_id"]) == ("erase", resume.id)
    with pytest.raises(NotFound):
        library.erase(resume.id)


def test_a_failed_erase_commit_changes_nothing(library, store, db, write):
    resume = add(library, write, "kept.txt")
    db.fail("commit", DatabaseUnavailable())
    with pytest.raises(DatabaseUnavailable):
        library.erase(resume.id)
    assert library.get(resume.id).id == resume.id
    assert resume.s3_resume_key in store.objects
    assert db.rows("audit_events") == []


# ------------------------------------------------------------------------------------ jobs
def test_jobs_are_validated_cleaned_edited_and_archived(jobs):
    with pytest.raises(InvalidInput):
        jobs.create(title="   ")
    with pytest.raises(InvalidInput):
        jobs.create(title="Dev", min_years=99)
    job = jobs.create(
        title="  Backend   dev ", required_skills=["SQL", "sql", " Go "], preferred_skills=["go"]
    )
    assert (job.title, job.required_skills, job.preferred_skills) == (
        "Backend dev",
        ("SQL", "Go"),
        (),
    )
    edited = jobs.edit(job.id, company="Acme")
    assert (edited.title, edited.company, edited.required_skills) == (
        "Backend dev",
        "Acme",
        ("SQL", "Go"),
    )
    updated = jobs.update(job.id, title="Data", required_skills=["Python"])
    assert (updated.title, updated.company, updated.required_skills) == ("Data", "", ("Python",))
    other = jobs.create(title="Other")
    assert [j.id for j in jobs.list()] == [other.id, job.id]
    archived = jobs.archive(job.id)
    assert archived.archived_at is not None
    assert jobs.archive(job.id).archived_at == archived.archived_at
    assert [j.id for j in jobs.list()] == [other.id]
    assert len(jobs.list(include_archived=True)) == 2
    with pytest.raises(JobArchived):
        jobs.require_open(job.id)


def test_another_owners_job_is_not_found(jobs, db, clock):
    job = jobs.create(title="Mine")
    theirs = JobService(db.unit_of_work, ensure_user(db.unit_of_work, "bob"), clock=clock)
    with pytest.raises(NotFound):
        theirs.get(job.id)
    with pytest.raises(NotFound):
        theirs.archive(job.id)
    assert theirs.list() == []


# ------------------------------------------------------------------------------------ availability
def _ids(page) -> list[uuid.UUID]:
    return [r.id for r in page.items]


def _session(db, owner, job_id, status: SessionStatus, results: dict[uuid.UUID, ResultStatus]):
    """A session written directly, as another run (or a crash) left it."""
    with db.unit_of_work() as uow:
        session_id = uow.sessions.add(
            NewSession(
                user_id=owner,
                session_name="made",
                job_posting_id=job_id,
                status=status,
                analyzer_name="fake",
                analyzer_version="1",
                created_at=T0,
            )
        )
        for resume_id, result in results.items():
            ok = result is ResultStatus.OK
            uow.results.add(
                NewResult(
                    user_id=owner,
                    resume_id=resume_id,
                    analysis_session_id=session_id,
                    status=result.value,
                    error=None if ok else "could not score",
                    overall_fit_score=50.0 if ok else None,
                    skill_match_score=50.0 if ok else None,
                    summary=None,
                    reasoning=None,
                    matched_skills=[],
                    missing_skills=[],
                    analyzer_name="fake",
                    analyzer_version="1",
                    fallback_reason=None,
                    created_at=T0,
                )
            )
        uow.commit()
    return session_id


def test_an_ok_result_of_a_completed_session_makes_a_resume_unavailable(
    library, analysis, jobs, db, owner, write
):
    done, waiting = add(library, write, "done.txt", "done SQL"), add(library, write, "w.txt")
    job = jobs.create(title="DBA")
    _session(db, owner, job.id, SessionStatus.COMPLETED, {done.id: ResultStatus.OK})
    page = analysis.available(job.id)
    assert _ids(page) == [waiting.id] and page.total == 1


def test_a_failed_result_keeps_a_resume_available(library, analysis, jobs, db, owner, write):
    resume = add(library, write, "f.txt")
    job = jobs.create(title="DBA")
    _session(db, owner, job.id, SessionStatus.COMPLETED, {resume.id: ResultStatus.FAILED})
    assert _ids(analysis.available(job.id)) == [resume.id]


@pytest.mark.parametrize(
    "status", [SessionStatus.RUNNING, SessionStatus.FAILED, SessionStatus.CANCELLED]
)
def test_only_a_completed_session_counts(library, analysis, jobs, db, owner, write, status):
    resume = add(library, write, "s.txt")
    job = jobs.create(title="DBA")
    _session(db, owner, job.id, status, {resume.id: ResultStatus.OK})
    assert _ids(analysis.available(job.id)) == [resume.id]


def test_the_general_context_is_its_own(library, analysis, jobs, db, owner, write):
    resume = add(library, write, "g.txt")
    job = jobs.create(title="DBA")
    _session(db, owner, None, SessionStatus.COMPLETED, {resume.id: ResultStatus.OK})
    assert _ids(analysis.available(None)) == []
    assert _ids(analysis.available(job.id)) == [resume.id]
    other = jobs.create(title="Other")
    _session(db, owner, other.id, SessionStatus.COMPLETED, {resume.id: ResultStatus.OK})
    assert _ids(analysis.available(job.id)) == [resume.id]


def test_another_owners_results_and_the_trash_do_not_count(
    library, analysis, db, owner, write, store, clock
):
    resume, trashed = add(library, write, "mine.txt"), add(library, write, "t.txt", "t SQL")
    library.delete(trashed.id)
    bob = ensure_user(db.unit_of_work, "bob")
    _session(db, bob, None, SessionStatus.COMPLETED, {resume.id: ResultStatus.OK})
    assert _ids(analysis.available(None)) == [resume.id]
    with pytest.raises(NotFound):
        analysis.available(uuid.uuid4())


# ------------------------------------------------------------------------------------ sessions
def test_a_session_scores_what_is_available_and_records_failures(
    library, analysis, jobs, db, write
):
    good = add(library, write, "good.txt", "good SQL")
    bad = add(library, write, "bad.txt", "UNSCORABLE")
    job = jobs.create(title="DBA", required_skills=["SQL"])

    run = analysis.analyze(job.id)

    assert run.session.status is SessionStatus.COMPLETED
    assert run.session.result_count == 2 and run.session.analyzers == ("fake 1",)
    by_resume = {o.resume_id: o for o in run.outcomes}
    assert by_resume[good.id].status is ResultStatus.OK
    assert by_resume[bad.id].status is ResultStatus.FAILED
    assert by_resume[bad.id].error == "The resume could not be scored."
    # The failed one stays available; the scored one is done for this job only.
    assert _ids(analysis.available(job.id)) == [bad.id]
    assert len(analysis.available(None).items) == 2
    record, outcomes = analysis.results(run.session.id)
    assert [o.resume_id for o in outcomes] == [good.id, bad.id]  # best first, failed last
    resume, history = analysis.history(good.id)
    assert resume.analysis_count == 1 and history[0].context_label == "DBA"


def test_a_resume_analysed_already_needs_include_analyzed(library, analysis, write):
    resume = add(library, write, "twice.txt")
    analysis.analyze(None, resume_ids=[resume.id])
    with pytest.raises(InvalidInput, match="already analysed"):
        analysis.analyze(None, resume_ids=[resume.id])
    again = analysis.analyze(None, resume_ids=[resume.id], include_analyzed=True)
    assert again.session.result_count == 1
    with pytest.raises(InvalidInput, match="Nothing to analyse"):
        analysis.analyze(None)
    with pytest.raises(NotFound):
        analysis.analyze(None, resume_ids=[uuid.uuid4()])


def test_an_archived_job_gets_no_new_session(library, analysis, jobs, db, write):
    add(library, write, "a.txt")
    job = jobs.create(title="Closed")
    jobs.archive(job.id)
    with pytest.raises(JobArchived):
        analysis.analyze(job.id)
    assert db.rows("analysis_sessions") == []


def test_a_database_outage_mid_session_fails_it_with_the_one_sentence(library, analysis, db, write):
    add(library, write, "a.txt", "a SQL")
    db.fail("analysisresults.add", DatabaseUnavailable())
    run = analysis.analyze(None)
    assert run.session.status is SessionStatus.FAILED
    assert run.session.error == DatabaseUnavailable.DOWN
    assert len(analysis.available(None).items) == 1


def test_sessions_left_running_by_a_crash_are_marked_interrupted(analysis, db, owner, clock):
    stale = _session(db, owner, None, SessionStatus.RUNNING, {})
    with db.unit_of_work() as uow:
        uow.sessions.heartbeat(stale, T0 - timedelta(hours=1))
        uow.commit()
    db.tables["analysis_sessions"][stale]["runner"] = "another-host:123"
    assert analysis.recover_interrupted() == 1
    [record] = analysis.sessions()
    assert (record.status, record.error) == (SessionStatus.FAILED, INTERRUPTED)
    assert analysis.recover_interrupted() == 0
