"""Deciding: which resume each content becomes, under which name, and which analyses are kept.

:func:`build_plan` is a pure function of the :class:`~.survey.Survey` (no database, no store,
no clock): an interrupted run and a clean one decide the same, and the rules of
``docs/legacy-layout.md`` are tested without either (``tests/unit/test_legacy_plan.py``).
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from recur_desktop.services.legacy.records import (
    GENERAL_NAME,
    MIGRATED_SUFFIX,
    PROBLEM_KINDS,
    MigrationReport,
    Problem,
    UserPlan,
    legacy_login_name,
    session_id_for,
)
from recur_desktop.services.legacy.survey import (
    LegacyAnalysis,
    LegacyObject,
    LegacyRow,
    Survey,
    parse_key,
)
from recur_desktop.storage import resume_key

ContentKey = tuple[uuid.UUID, str]
"""(user, sha256): one resume per distinct content per user."""
UserPlanOf = Callable[[uuid.UUID], UserPlan]


@dataclass
class Content:
    """One distinct content of one user: the objects and rows that have it, and the name,
    date and upload context its resume takes."""

    user_id: uuid.UUID
    sha256: str
    extension: str
    media_type: str
    objects: list[LegacyObject] = field(default_factory=list)
    rows: list[LegacyRow] = field(default_factory=list)
    file_name: str = ""
    created_at: datetime | None = None
    job_posting_id: uuid.UUID | None = None


@dataclass
class KeptAnalysis:
    """The legacy analysis kept for one content and context; ``valid`` when both scores are."""

    analysis: LegacyAnalysis
    content: ContentKey
    valid: bool


@dataclass
class SessionPlan:
    """The one completed session of a user and context, and the analyses it receives."""

    id: uuid.UUID
    user_id: uuid.UUID
    job_posting_id: uuid.UUID | None
    name: str
    kept: list[KeptAnalysis] = field(default_factory=list)


@dataclass
class Plan:
    contents: dict[ContentKey, Content]
    sessions: dict[uuid.UUID, SessionPlan]
    #: User -> legacy analyses folded into a newer one of the same content and context.
    folded: dict[uuid.UUID, int]
    users: dict[uuid.UUID, UserPlan]
    problems: list[Problem]


# ------------------------------------------------------------------------------------ the rules
def score(value: Decimal | float | None) -> float | None:
    """A legacy score as a float when it is a real number from 0 to 100, else None."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not 0 <= number <= 100:
        return None
    return number


def invalid_reason(analysis: LegacyAnalysis) -> str:
    """The error of a ``failed`` row carried from an analysis without valid scores."""

    def shown(value: Decimal | float | None) -> str:
        return "none" if value is None else f"{value}"

    return (
        "The old system kept no valid score for this analysis (overall fit: "
        f"{shown(analysis.overall)}, skill match: {shown(analysis.skill)}); it was migrated as "
        "failed rather than guessed."
    )


def file_name(name: str | None, fallback: str) -> str:
    """The legacy name as the library shows it: never empty, at most the column's 1024."""
    cleaned = (name or "").strip() or fallback
    return cleaned[:1024]


def job_title(title: str) -> str:
    cleaned = " ".join(title.split()) or "Untitled job"
    return cleaned[:300]


def session_name(title: str) -> str:
    """The job's title (or "General") marked as migrated: "Senior Developer (migrated)"."""
    cleaned = " ".join(title.split()) or "Untitled job"
    return cleaned[: 300 - len(MIGRATED_SUFFIX)] + MIGRATED_SUFFIX


def own_job(survey: Survey, user_id: uuid.UUID, job_id: uuid.UUID | None) -> uuid.UUID | None:
    """``job_id`` when it is a job of this user in the new tables, else None."""
    if job_id is None:
        return None
    job = survey.jobs.get(job_id)
    if job is None or job.user_id != user_id:
        return None
    if survey.existing_jobs.get(job_id, user_id) != user_id:
        return None
    return job_id


def upload_rank(row: LegacyRow) -> tuple[datetime, str]:
    """The oldest upload represents a content; ties go to the smallest legacy id."""
    return (row.uploaded_at, str(row.id))


def _retried_ok(survey: Survey, problem: Problem) -> bool:
    """A failed copy whose content another object of it brought in after all."""
    if problem.kind != "copy_failed" or problem.key is None:
        return False
    obj = survey.objects.get(problem.key)
    return (
        obj is not None and obj.sha256 is not None and (obj.user_id, obj.sha256) in survey.present
    )


def _row_problem(
    row: LegacyRow, analysis_ids: tuple[uuid.UUID, ...], kind: str, message: str
) -> Problem:
    return Problem(
        kind,
        row.user_id,
        message,
        key=row.s3_key,
        file_name=row.file_name,
        legacy_resume_id=row.id,
        legacy_analysis_ids=analysis_ids,
    )


def _analyses(count: int) -> str:
    return "1 analysis" if count == 1 else f"{count} analyses"


# ------------------------------------------------------------------------------------ the plan
def build_plan(survey: Survey) -> Plan:
    """Decide everything from the survey and the hashes: deterministic by construction."""
    problems = [p for p in survey.problems if not _retried_ok(survey, p)]
    users = {
        uid: UserPlan(
            user_id=uid,
            login_name=login or legacy_login_name(uid),
            create_user=login is None,
        )
        for uid, login in survey.users.items()
    }

    def user_plan(uid: uuid.UUID) -> UserPlan:
        if uid not in users:
            users[uid] = UserPlan(uid, survey.users.get(uid) or legacy_login_name(uid))
        return users[uid]

    for job in survey.jobs.values():
        plan = user_plan(job.user_id)
        plan.jobs += 1
        owner = survey.existing_jobs.get(job.id)
        if owner is None:
            plan.jobs_to_create += 1
        elif owner != job.user_id:
            problems.append(
                Problem(
                    "job_conflict",
                    job.user_id,
                    f"A job with the id {job.id} already belongs to another user; "
                    "analyses for it are not carried.",
                )
            )

    contents = _group_contents(survey, user_plan)
    carried_rows, rows_by_id, referenced = _attach_rows(survey, contents, user_plan, problems)

    for obj in sorted(survey.objects.values(), key=lambda o: o.key):
        if obj.key in referenced:
            continue
        user_plan(obj.user_id).unreferenced_objects += 1
        problems.append(
            Problem(
                "unreferenced_object",
                obj.user_id,
                "No legacy row mentions this file; it is migrated under its own name.",
                key=obj.key,
                file_name=obj.name,
            )
        )

    for (uid, sha), content in sorted(contents.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        plan = user_plan(uid)
        plan.distinct_contents += 1
        plan.duplicates_folded += len(content.objects) - 1
        _settle_representative(survey, content)
        present = survey.present.get((uid, sha))
        if present is None:
            plan.contents_to_migrate += 1
            error = survey.extraction_errors.get((uid, sha))
        else:
            error = present.extraction_error
        if error:
            plan.unreadable_files += 1
            problems.append(
                Problem(
                    "unreadable_file",
                    uid,
                    f"Its text can't be read ({error}) It is migrated all the same, with "
                    "empty text; analysing it will fail until a readable copy is imported.",
                    key=resume_key(uid, sha, content.extension),
                    file_name=content.file_name,
                )
            )

    sessions, folded = _plan_sessions(survey, carried_rows, rows_by_id, user_plan, problems)
    return Plan(contents, sessions, folded, users, problems)


def _group_contents(survey: Survey, user_plan: UserPlanOf) -> dict[ContentKey, Content]:
    """Objects by (user, sha256); a content already in the library keeps its extension."""
    contents: dict[ContentKey, Content] = {}
    for obj in sorted(survey.objects.values(), key=lambda o: o.key):
        user_plan(obj.user_id).legacy_objects += 1
        user_plan(obj.user_id).legacy_objects_deleted += int(obj.deleted)
        if obj.sha256 is None:
            continue
        content = contents.get((obj.user_id, obj.sha256))
        if content is None:
            present = survey.present.get((obj.user_id, obj.sha256))
            extension, media = obj.extension, obj.media_type
            if present is not None:
                # A resume exists already: its key says which extension was settled on.
                extension = "." + present.s3_resume_key.rsplit(".", 1)[-1]
            content = contents[(obj.user_id, obj.sha256)] = Content(
                obj.user_id, obj.sha256, extension, media
            )
        content.objects.append(obj)
    return contents


def _attach_rows(
    survey: Survey,
    contents: dict[ContentKey, Content],
    user_plan: UserPlanOf,
    problems: list[Problem],
) -> tuple[dict[uuid.UUID, ContentKey], dict[uuid.UUID, LegacyRow], set[str]]:
    """Each row joins the content of its object, or is a problem. Returns the content of each
    carried row, the rows by id and the keys rows mention."""
    carried_rows: dict[uuid.UUID, ContentKey] = {}
    rows_by_id: dict[uuid.UUID, LegacyRow] = {}
    analyses_by_row: dict[uuid.UUID, list[LegacyAnalysis]] = defaultdict(list)
    for analysis in survey.analyses:
        analyses_by_row[analysis.legacy_resume_id].append(analysis)
    referenced: set[str] = set()
    for row in sorted(survey.rows, key=upload_rank):
        rows_by_id[row.id] = row
        plan = user_plan(row.user_id)
        plan.legacy_rows += 1
        referenced.add(row.s3_key)
        obj = survey.objects.get(row.s3_key)
        ids = tuple(sorted((a.id for a in analyses_by_row[row.id]), key=str))
        parsed = parse_key(row.s3_key)
        if parsed is None:
            problems.append(
                _row_problem(
                    row,
                    ids,
                    "outside_layout",
                    "Its key is not in the legacy layout ({user}/resumes/general|job_{id}/"
                    f"...), so its file was not migrated; {_analyses(len(ids))} not carried.",
                )
            )
            continue
        if parsed[0] != row.user_id:
            problems.append(
                _row_problem(
                    row,
                    ids,
                    "foreign_object",
                    "Its file sits in another user's folder, so it was not copied into "
                    f"this user's library; {_analyses(len(ids))} not carried.",
                )
            )
            continue
        if obj is None:
            plan.missing_objects += 1
            problems.append(
                _row_problem(
                    row,
                    ids,
                    "missing_object",
                    "Its file is missing from storage, so there is nothing to migrate; "
                    f"{_analyses(len(ids))} can't be carried.",
                )
            )
            continue
        if obj.sha256 is None:
            continue  # read_failed, already listed
        contents[(row.user_id, obj.sha256)].rows.append(row)
        carried_rows[row.id] = (row.user_id, obj.sha256)
    return carried_rows, rows_by_id, referenced


def _settle_representative(survey: Survey, content: Content) -> None:
    """Name, date and upload context of the content's resume: from its oldest upload (ties:
    the smallest legacy id); without rows, from its oldest object (ties: the key), an object
    of unknown date counting as read when the survey was taken."""
    uid = content.user_id
    if content.rows:
        best = min(content.rows, key=upload_rank)
        content.file_name = file_name(best.file_name, best.s3_key.rsplit("/", 1)[-1])
        content.created_at = best.uploaded_at
        content.job_posting_id = own_job(survey, uid, best.job_posting_id)
    else:
        best_obj = min(content.objects, key=lambda o: (o.last_modified or survey.taken_at, o.key))
        content.file_name = file_name(best_obj.name, best_obj.name)
        content.created_at = best_obj.last_modified
        content.job_posting_id = own_job(survey, uid, best_obj.folder_job)


def _plan_sessions(
    survey: Survey,
    carried_rows: dict[uuid.UUID, ContentKey],
    rows_by_id: dict[uuid.UUID, LegacyRow],
    user_plan: UserPlanOf,
    problems: list[Problem],
) -> tuple[dict[uuid.UUID, SessionPlan], dict[uuid.UUID, int]]:
    """One session per user and context; per content and context the newest analysis is
    kept (ties: the largest legacy id) and the others are folded."""
    groups: dict[tuple[uuid.UUID, str, uuid.UUID | None], list[LegacyAnalysis]] = defaultdict(list)
    for analysis in sorted(survey.analyses, key=lambda a: str(a.id)):
        row = rows_by_id.get(analysis.legacy_resume_id)
        if row is None:
            continue
        plan = user_plan(row.user_id)
        plan.analyses += 1
        target = carried_rows.get(row.id)
        if target is None:
            plan.analyses_not_carried += 1
            continue
        context = analysis.job_posting_id
        if context is not None and own_job(survey, row.user_id, context) is None:
            plan.analyses_not_carried += 1
            problems.append(
                Problem(
                    "unknown_job",
                    row.user_id,
                    f"The analysis is for a job ({context}) this user has no legacy "
                    "posting for, so it can't be carried.",
                    key=row.s3_key,
                    file_name=row.file_name,
                    legacy_resume_id=row.id,
                    legacy_analysis_ids=(analysis.id,),
                )
            )
            continue
        groups[(target[0], target[1], context)].append(analysis)

    sessions: dict[uuid.UUID, SessionPlan] = {}
    folded: dict[uuid.UUID, int] = defaultdict(int)
    for (uid, sha, context), group in sorted(
        groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1], str(kv[0][2]))
    ):
        plan = user_plan(uid)
        kept = max(group, key=lambda a: (a.analyzed_at, str(a.id)))
        plan.analyses_folded += len(group) - 1
        folded[uid] += len(group) - 1
        valid = score(kept.overall) is not None and score(kept.skill) is not None
        if valid:
            plan.analyses_to_carry += 1
        else:
            plan.analyses_invalid_scores += 1
            row = rows_by_id[kept.legacy_resume_id]
            problems.append(
                Problem(
                    "invalid_scores",
                    uid,
                    invalid_reason(kept),
                    key=row.s3_key,
                    file_name=row.file_name,
                    legacy_resume_id=kept.legacy_resume_id,
                    legacy_analysis_ids=(kept.id,),
                )
            )
        sid = session_id_for(uid, context)
        session = sessions.get(sid)
        if session is None:
            title = survey.jobs[context].title if context is not None else GENERAL_NAME
            session = sessions[sid] = SessionPlan(sid, uid, context, session_name(title))
            plan.sessions += 1
        session.kept.append(KeptAnalysis(kept, (uid, sha), valid))
    return sessions, folded


def report(mode: str, survey: Survey, plan: Plan) -> MigrationReport:
    """The plan as a report: users by login name, problems by kind, user and key."""
    users = sorted(plan.users.values(), key=lambda u: (u.login_name, str(u.user_id)))
    order = {kind: i for i, kind in enumerate(PROBLEM_KINDS)}
    problems = sorted(
        plan.problems,
        key=lambda p: (order.get(p.kind, 99), str(p.user_id), p.key or "", p.file_name or ""),
    )
    return MigrationReport(
        mode=mode,
        user_scope=survey.scope,
        tables_present=survey.tables_present,
        users=users,
        problems=problems,
    )
