"""The legacy migration's decisions (``docs/legacy-layout.md``), on surveys built by hand.

``build_plan`` is a pure function of the survey: no database, no store, no clock. Each survey
here is what the object pass would leave (every object hashed), so these tests pin the rules
themselves: which resume each content becomes, which analyses are kept, what is a problem.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from recur_desktop.services.legacy import (
    analysis_id_for,
    legacy_login_name,
    session_id_for,
)
from recur_desktop.services.legacy.apply import analysis_row
from recur_desktop.services.legacy.plan import Plan, build_plan, report
from recur_desktop.services.legacy.records import Problem
from recur_desktop.services.legacy.survey import (
    LegacyAnalysis,
    LegacyJob,
    LegacyObject,
    LegacyRow,
    PresentResume,
    Survey,
    parse_key,
)
from recur_desktop.storage import resume_key

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
TAKEN_AT = datetime(2025, 6, 1, tzinfo=UTC)
ALICE = uuid.UUID("aaaaaaaa-0000-4000-8000-000000000001")
BOB = uuid.UUID("bbbbbbbb-0000-4000-8000-000000000002")
SHA_A = "a" * 64
SHA_B = "b" * 64


def uid(n: int) -> uuid.UUID:
    """Ids whose string order is their number's: the tie-breaks compare ids as strings."""
    return uuid.UUID(int=n)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


class Legacy:
    """Builds a survey the way the object pass leaves it: every object hashed."""

    def __init__(self) -> None:
        self.survey = Survey(taken_at=TAKEN_AT)
        self._next = 100

    def _id(self) -> uuid.UUID:
        self._next += 1
        return uid(self._next)

    def user(self, user: uuid.UUID, login: str | None = "recruiter") -> None:
        self.survey.users[user] = login

    def job(self, user: uuid.UUID, title: str, job_id: uuid.UUID | None = None) -> uuid.UUID:
        job = LegacyJob(job_id or self._id(), user, title, "")
        self.survey.jobs[job.id] = job
        self.survey.users.setdefault(user, "recruiter")
        return job.id

    def obj(
        self,
        key: str,
        sha256: str | None,
        *,
        modified: datetime | None = T0,
        extension: str = ".pdf",
    ) -> LegacyObject:
        parsed = parse_key(key)
        assert parsed is not None, key
        user, folder_job, name = parsed
        obj = LegacyObject(key, user, folder_job, name, 1000, modified)
        obj.sha256, obj.extension, obj.media_type = sha256, extension, "application/pdf"
        self.survey.objects[key] = obj
        self.survey.users.setdefault(user, "recruiter")
        return obj

    def row(
        self,
        key: str,
        file_name: str,
        uploaded: datetime,
        *,
        job: uuid.UUID | None = None,
        user: uuid.UUID | None = None,
        row_id: uuid.UUID | None = None,
    ) -> LegacyRow:
        owner = user or uuid.UUID(key.split("/", 1)[0])
        row = LegacyRow(row_id or self._id(), owner, file_name, key, job, uploaded)
        self.survey.rows.append(row)
        self.survey.users.setdefault(owner, "recruiter")
        return row

    def analysis(
        self,
        row: LegacyRow,
        job: uuid.UUID | None,
        analyzed: datetime,
        overall: Decimal | float | None = Decimal("80"),
        skill: Decimal | float | None = Decimal("70"),
        *,
        analysis_id: uuid.UUID | None = None,
    ) -> LegacyAnalysis:
        analysis = LegacyAnalysis(
            analysis_id or self._id(), row.id, job, overall, skill, "summary", "why", analyzed
        )
        self.survey.analyses.append(analysis)
        return analysis

    def plan(self) -> Plan:
        return build_plan(self.survey)


def general(user: uuid.UUID, name: str) -> str:
    return f"{user}/resumes/general/{name}"


def in_job(user: uuid.UUID, job: uuid.UUID, name: str) -> str:
    return f"{user}/resumes/job_{job}/{name}"


def kinds(plan: Plan) -> list[str]:
    return sorted(p.kind for p in plan.problems)


def only(plan: Plan, kind: str) -> Problem:
    found = [p for p in plan.problems if p.kind == kind]
    assert len(found) == 1, plan.problems
    return found[0]


def accounted(plan: Plan, user: uuid.UUID) -> bool:
    u = plan.users[user]
    return (
        u.analyses_to_carry + u.analyses_invalid_scores + u.analyses_folded + u.analyses_not_carried
        == u.analyses
    )


# ------------------------------------------------------------------------------------ contents
def test_one_resume_per_distinct_content_per_user_whatever_its_folders_and_names() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    legacy.obj(general(ALICE, "cv.pdf"), SHA_A)
    legacy.obj(in_job(ALICE, job, "Alice CV final.pdf"), SHA_A)
    legacy.obj(in_job(ALICE, job, "cv.pdf"), SHA_B)  # same name, other bytes: its own resume
    legacy.obj(general(BOB, "cv.pdf"), SHA_A)  # same bytes, other user: their own resume
    plan = legacy.plan()

    assert sorted(plan.contents) == sorted([(ALICE, SHA_A), (ALICE, SHA_B), (BOB, SHA_A)])
    assert len(plan.contents[(ALICE, SHA_A)].objects) == 2
    assert plan.users[ALICE].distinct_contents == 2
    assert plan.users[ALICE].duplicates_folded == 1
    assert plan.users[ALICE].contents_to_migrate == 2
    assert plan.users[BOB].distinct_contents == 1


def test_name_date_and_upload_context_come_from_the_oldest_upload() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    older = legacy.obj(in_job(ALICE, job, "first.pdf"), SHA_A, modified=at(50))
    newer = legacy.obj(general(ALICE, "second.pdf"), SHA_A, modified=at(1))
    legacy.row(newer.key, "Second name.pdf", at(10))
    legacy.row(older.key, "First name.pdf", at(5), job=job)
    content = legacy.plan().contents[(ALICE, SHA_A)]

    assert (content.file_name, content.created_at, content.job_posting_id) == (
        "First name.pdf",
        at(5),
        job,
    )


def test_uploads_at_the_same_time_are_decided_by_the_smallest_legacy_id() -> None:
    legacy = Legacy()
    a = legacy.obj(general(ALICE, "a.pdf"), SHA_A)
    b = legacy.obj(general(ALICE, "b.pdf"), SHA_A)
    legacy.row(a.key, "larger id.pdf", at(3), row_id=uid(0x20))
    legacy.row(b.key, "smaller id.pdf", at(3), row_id=uid(0x09))

    assert legacy.plan().contents[(ALICE, SHA_A)].file_name == "smaller id.pdf"


def test_a_blank_legacy_name_falls_back_to_the_key_and_a_long_one_is_cut() -> None:
    legacy = Legacy()
    legacy.row(legacy.obj(general(ALICE, "on-disk.pdf"), SHA_A).key, "   ", at(1))
    legacy.row(legacy.obj(general(ALICE, "long.pdf"), SHA_B).key, "x" * 2000, at(1))
    plan = legacy.plan()

    assert plan.contents[(ALICE, SHA_A)].file_name == "on-disk.pdf"
    assert plan.contents[(ALICE, SHA_B)].file_name == "x" * 1024


def test_a_content_no_row_mentions_takes_its_oldest_objects_name_date_and_folder() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    legacy.obj(general(ALICE, "newer.pdf"), SHA_A, modified=at(9))
    legacy.obj(in_job(ALICE, job, "older.pdf"), SHA_A, modified=at(2))
    plan = legacy.plan()
    content = plan.contents[(ALICE, SHA_A)]

    assert (content.file_name, content.created_at, content.job_posting_id) == (
        "older.pdf",
        at(2),
        job,
    )
    assert kinds(plan) == ["unreferenced_object", "unreferenced_object"]
    assert plan.users[ALICE].unreferenced_objects == 2


def test_unreferenced_objects_of_the_same_age_are_decided_by_key() -> None:
    legacy = Legacy()
    legacy.obj(general(ALICE, "b-1.pdf"), SHA_A, modified=at(2))
    legacy.obj(general(ALICE, "a-2.pdf"), SHA_A, modified=at(2))

    assert legacy.plan().contents[(ALICE, SHA_A)].file_name == "a-2.pdf"


def test_an_object_of_unknown_date_counts_as_read_when_the_survey_was_taken() -> None:
    legacy = Legacy()
    legacy.obj(general(ALICE, "undated.pdf"), SHA_A, modified=None)
    legacy.obj(general(ALICE, "dated.pdf"), SHA_A, modified=TAKEN_AT + timedelta(days=1))
    assert legacy.plan().contents[(ALICE, SHA_A)].file_name == "undated.pdf"

    legacy.survey.taken_at = TAKEN_AT + timedelta(days=2)
    assert legacy.plan().contents[(ALICE, SHA_A)].file_name == "dated.pdf"


def test_the_upload_context_is_kept_only_for_a_job_of_the_same_user() -> None:
    legacy = Legacy()
    bobs_job = legacy.job(BOB, "Bob's job")
    legacy.row(legacy.obj(general(ALICE, "cv.pdf"), SHA_A).key, "cv.pdf", at(1), job=bobs_job)
    legacy.row(legacy.obj(general(ALICE, "x.pdf"), SHA_B).key, "x.pdf", at(1), job=uid(999))
    plan = legacy.plan()

    assert plan.contents[(ALICE, SHA_A)].job_posting_id is None
    assert plan.contents[(ALICE, SHA_B)].job_posting_id is None


def test_a_content_already_in_the_library_keeps_its_extension_and_is_not_migrated_again() -> None:
    legacy = Legacy()
    legacy.row(legacy.obj(general(ALICE, "cv.pdf"), SHA_A, extension=".bin").key, "cv", at(1))
    legacy.survey.present[(ALICE, SHA_A)] = PresentResume(
        uid(5), False, None, resume_key(ALICE, SHA_A, ".pdf")
    )
    plan = legacy.plan()

    assert plan.contents[(ALICE, SHA_A)].extension == ".pdf"
    assert plan.users[ALICE].contents_to_migrate == 0
    assert plan.users[ALICE].distinct_contents == 1


def test_an_unreadable_file_is_migrated_all_the_same_and_listed() -> None:
    legacy = Legacy()
    legacy.row(legacy.obj(general(ALICE, "scan.pdf"), SHA_A).key, "scan.pdf", at(1))
    legacy.survey.extraction_errors[(ALICE, SHA_A)] = "No text layer."
    plan = legacy.plan()

    problem = only(plan, "unreadable_file")
    assert problem.key == resume_key(ALICE, SHA_A, ".pdf")
    assert problem.file_name == "scan.pdf"
    assert "No text layer." in problem.message
    assert plan.users[ALICE].unreadable_files == 1
    assert plan.users[ALICE].contents_to_migrate == 1


# ------------------------------------------------------------------------------------ sessions
def test_one_completed_session_per_user_and_context_named_after_the_job() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "  Senior   Developer ")
    r1 = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    r2 = legacy.row(legacy.obj(general(ALICE, "b.pdf"), SHA_B).key, "b.pdf", at(1))
    legacy.analysis(r1, job, at(2))
    legacy.analysis(r2, job, at(3))
    legacy.analysis(r1, None, at(4))
    plan = legacy.plan()

    assert set(plan.sessions) == {session_id_for(ALICE, job), session_id_for(ALICE, None)}
    for_job = plan.sessions[session_id_for(ALICE, job)]
    assert for_job.name == "Senior Developer (migrated)"
    assert for_job.job_posting_id == job
    assert len(for_job.kept) == 2
    assert plan.sessions[session_id_for(ALICE, None)].name == "General (migrated)"
    assert plan.users[ALICE].sessions == 2
    assert plan.users[ALICE].analyses_to_carry == 3


def test_the_context_is_the_analysis_own_job_not_the_folder_or_the_upload_context() -> None:
    legacy = Legacy()
    job_456, job_789 = legacy.job(ALICE, "456"), legacy.job(ALICE, "789")
    obj = legacy.obj(in_job(ALICE, job_789, "cv.pdf"), SHA_A)
    row = legacy.row(obj.key, "cv.pdf", at(1), job=job_789)
    legacy.analysis(row, job_456, at(2))
    plan = legacy.plan()

    assert list(plan.sessions) == [session_id_for(ALICE, job_456)]


def test_the_newest_analysis_per_content_and_context_is_kept_and_the_others_folded() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    # Two copies of one content, each analysed for the same job: one resume, one result.
    r1 = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    r2 = legacy.row(legacy.obj(in_job(ALICE, job, "a.pdf"), SHA_A).key, "a.pdf", at(2))
    legacy.analysis(r1, job, at(3))
    newest = legacy.analysis(r2, job, at(9))
    legacy.analysis(r1, job, at(5))
    plan = legacy.plan()

    (kept,) = plan.sessions[session_id_for(ALICE, job)].kept
    assert kept.analysis == newest
    assert kept.content == (ALICE, SHA_A)
    assert plan.users[ALICE].analyses_folded == 2
    assert plan.folded[ALICE] == 2
    assert accounted(plan, ALICE)


def test_analyses_at_the_same_time_are_decided_by_the_largest_legacy_id() -> None:
    legacy = Legacy()
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    legacy.analysis(row, None, at(3), analysis_id=uid(9000))
    legacy.analysis(row, None, at(3), analysis_id=uid(2000))
    (kept,) = legacy.plan().sessions[session_id_for(ALICE, None)].kept

    assert kept.analysis.id == uid(9000)


@pytest.mark.parametrize(
    ("overall", "skill"),
    [
        (None, Decimal("70")),
        (Decimal("80"), None),
        (Decimal("101"), Decimal("70")),
        (Decimal("-1"), Decimal("70")),
        (float("nan"), Decimal("70")),
        ("high", Decimal("70")),
    ],
)
def test_invalid_scores_become_a_failed_result_with_the_reason_and_no_scores(
    overall: object, skill: object
) -> None:
    legacy = Legacy()
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    analysis = legacy.analysis(row, None, at(2), overall, skill)  # type: ignore[arg-type]
    plan = legacy.plan()

    (kept,) = plan.sessions[session_id_for(ALICE, None)].kept
    assert not kept.valid
    problem = only(plan, "invalid_scores")
    assert problem.legacy_analysis_ids == (analysis.id,)
    assert plan.users[ALICE].analyses_invalid_scores == 1
    assert plan.users[ALICE].analyses_to_carry == 0
    result = analysis_row(ALICE, uid(7), session_id_for(ALICE, None), kept)
    assert result["id"] == analysis_id_for(analysis.id)
    assert result["status"] == "failed"
    assert result["overall_fit_score"] is None and result["skill_match_score"] is None
    assert result["error"] == problem.message


def test_scores_at_the_bounds_are_carried_as_they_were() -> None:
    legacy = Legacy()
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    legacy.analysis(row, None, at(2), Decimal("0"), Decimal("100"))
    (kept,) = legacy.plan().sessions[session_id_for(ALICE, None)].kept
    result = analysis_row(ALICE, uid(7), session_id_for(ALICE, None), kept)

    assert kept.valid
    assert (result["status"], result["overall_fit_score"], result["skill_match_score"]) == (
        "ok",
        0.0,
        100.0,
    )
    assert result["created_at"] == at(2)


def test_validity_is_decided_on_the_kept_analysis_only() -> None:
    legacy = Legacy()
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    legacy.analysis(row, None, at(2))  # valid but older: folded
    legacy.analysis(row, None, at(3), None, None)
    plan = legacy.plan()

    assert [k.valid for k in plan.sessions[session_id_for(ALICE, None)].kept] == [False]
    assert (plan.users[ALICE].analyses_folded, plan.users[ALICE].analyses_invalid_scores) == (1, 1)


# ------------------------------------------------------------------------------------ problems
def test_a_job_id_of_another_owner_is_a_conflict_and_its_analyses_are_not_carried() -> None:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    legacy.survey.existing_jobs[job] = BOB
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1), job=job)
    legacy.analysis(row, job, at(2))
    plan = legacy.plan()

    assert kinds(plan) == ["job_conflict", "unknown_job"]
    assert only(plan, "job_conflict").user_id == ALICE
    assert plan.sessions == {}
    assert plan.contents[(ALICE, SHA_A)].job_posting_id is None
    assert plan.users[ALICE].jobs_to_create == 0
    assert plan.users[ALICE].analyses_not_carried == 1
    assert accounted(plan, ALICE)


def test_an_analysis_for_another_users_job_is_not_carried() -> None:
    legacy = Legacy()
    bobs_job = legacy.job(BOB, "Bob's job")
    row = legacy.row(legacy.obj(general(ALICE, "a.pdf"), SHA_A).key, "a.pdf", at(1))
    analysis = legacy.analysis(row, bobs_job, at(2))
    plan = legacy.plan()

    problem = only(plan, "unknown_job")
    assert (problem.user_id, problem.legacy_analysis_ids) == (ALICE, (analysis.id,))
    assert plan.sessions == {}
    assert plan.users[ALICE].analyses_not_carried == 1


def test_a_row_naming_another_users_object_is_never_copied_across_users() -> None:
    legacy = Legacy()
    bobs = legacy.obj(general(BOB, "cv.pdf"), SHA_A)
    row = legacy.row(bobs.key, "cv.pdf", at(1), user=ALICE)
    analysis = legacy.analysis(row, None, at(2))
    plan = legacy.plan()

    problem = only(plan, "foreign_object")
    assert (problem.user_id, problem.legacy_analysis_ids) == (ALICE, (analysis.id,))
    assert (ALICE, SHA_A) not in plan.contents
    assert plan.contents[(BOB, SHA_A)].rows == []
    assert plan.sessions == {}
    assert plan.users[ALICE].analyses_not_carried == 1


def test_a_row_outside_the_layout_is_not_migrated() -> None:
    legacy = Legacy()
    row = legacy.row("elsewhere/cv.pdf", "cv.pdf", at(1), user=ALICE)
    legacy.analysis(row, None, at(2))
    plan = legacy.plan()

    assert only(plan, "outside_layout").key == "elsewhere/cv.pdf"
    assert plan.users[ALICE].analyses_not_carried == 1


def test_a_row_whose_object_is_missing_is_listed_and_its_analyses_not_carried() -> None:
    legacy = Legacy()
    row = legacy.row(general(ALICE, "gone.pdf"), "gone.pdf", at(1))
    first, second = legacy.analysis(row, None, at(2)), legacy.analysis(row, None, at(3))
    plan = legacy.plan()

    problem = only(plan, "missing_object")
    assert set(problem.legacy_analysis_ids) == {first.id, second.id}
    assert plan.users[ALICE].missing_objects == 1
    assert plan.users[ALICE].analyses_not_carried == 2
    assert plan.contents == {}
    assert accounted(plan, ALICE)


def test_an_object_that_could_not_be_read_carries_nothing_and_adds_no_second_problem() -> None:
    legacy = Legacy()
    obj = legacy.obj(general(ALICE, "a.pdf"), None)
    legacy.analysis(legacy.row(obj.key, "a.pdf", at(1)), None, at(2))
    failed = Problem("read_failed", ALICE, "timeout", key=obj.key, file_name="a.pdf")
    legacy.survey.problems.append(failed)
    plan = legacy.plan()

    assert plan.problems == [failed]
    assert plan.contents == {}
    assert plan.users[ALICE].analyses_not_carried == 1
    assert plan.users[ALICE].legacy_objects == 1


def test_a_failed_copy_another_object_of_its_content_brought_in_is_no_failure() -> None:
    legacy = Legacy()
    obj = legacy.obj(general(ALICE, "a.pdf"), SHA_A)
    legacy.row(obj.key, "a.pdf", at(1))
    legacy.survey.problems.append(Problem("copy_failed", ALICE, "SlowDown", key=obj.key))
    assert kinds(legacy.plan()) == ["copy_failed"]

    legacy.survey.present[(ALICE, SHA_A)] = PresentResume(
        uid(5), True, None, resume_key(ALICE, SHA_A, ".pdf")
    )
    assert kinds(legacy.plan()) == []


# ------------------------------------------------------------------------------------ users, all
def test_a_user_without_a_users_row_is_planned_with_a_legacy_login() -> None:
    legacy = Legacy()
    legacy.user(ALICE, None)
    legacy.user(BOB, "bob")
    legacy.job(ALICE, "Developer")
    plan = legacy.plan()

    assert (plan.users[ALICE].create_user, plan.users[ALICE].login_name) == (
        True,
        legacy_login_name(ALICE),
    )
    assert (plan.users[BOB].create_user, plan.users[BOB].login_name) == (False, "bob")
    assert (plan.users[ALICE].jobs, plan.users[ALICE].jobs_to_create) == (1, 1)


def test_objects_an_earlier_delete_removed_still_count() -> None:
    legacy = Legacy()
    obj = legacy.obj(general(ALICE, "a.pdf"), SHA_A)
    obj.deleted = True
    legacy.analysis(legacy.row(obj.key, "a.pdf", at(1)), None, at(2))
    plan = legacy.plan()

    assert (plan.users[ALICE].legacy_objects, plan.users[ALICE].legacy_objects_deleted) == (1, 1)
    assert plan.users[ALICE].analyses_to_carry == 1


def _mixed() -> Legacy:
    legacy = Legacy()
    job = legacy.job(ALICE, "Developer")
    other = legacy.job(BOB, "Analyst")
    for n, user in enumerate([ALICE, ALICE, BOB, ALICE, BOB]):
        folder = in_job(user, job if user == ALICE else other, f"cv{n}.pdf")
        obj = legacy.obj(folder, [SHA_A, SHA_B][n % 2], modified=at(n))
        row = legacy.row(obj.key, f"cv {n}.pdf", at(n % 3))
        legacy.analysis(row, job if user == ALICE else other, at(n))
        legacy.analysis(row, None, at(10 - n), None if n == 3 else Decimal(n * 10))
    legacy.row(general(ALICE, "gone.pdf"), "gone.pdf", at(1))
    legacy.obj(general(BOB, "stray.txt"), "c" * 64, extension=".txt")
    return legacy


def test_every_legacy_analysis_is_carried_failed_folded_or_not_carried() -> None:
    plan = _mixed().plan()

    assert plan.users[ALICE].analyses == 6 and plan.users[BOB].analyses == 4
    assert all(accounted(plan, user) for user in plan.users)


def test_the_plan_does_not_depend_on_the_order_the_survey_was_read_in() -> None:
    legacy = _mixed()
    expected = report("dry-run", legacy.survey, legacy.plan())
    shuffled = replace(
        legacy.survey,
        rows=random.Random(1).sample(legacy.survey.rows, len(legacy.survey.rows)),
        analyses=list(reversed(legacy.survey.analyses)),
        objects=dict(reversed(list(legacy.survey.objects.items()))),
    )
    again = build_plan(shuffled)

    assert report("dry-run", shuffled, again) == expected
    assert {k: (c.file_name, c.created_at) for k, c in again.contents.items()} == {
        k: (c.file_name, c.created_at) for k, c in legacy.plan().contents.items()
    }
    assert {sid: [k.analysis.id for k in s.kept] for sid, s in again.sessions.items()} == {
        sid: [k.analysis.id for k in s.kept] for sid, s in legacy.plan().sessions.items()
    }
