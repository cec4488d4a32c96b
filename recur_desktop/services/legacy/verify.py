"""Checking the migration without trusting what apply wrote: every legacy object hashed again
against the shared object's SHA-256 as the store recorded it, every kept analysis row, every
session, and carried + failed + folded + not carried = all legacy analyses."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from recur_desktop.domain import CancelToken, ResultStatus, SessionStatus, no_progress
from recur_desktop.persistence.tables import AnalysisSessionRow, ResumeAnalysisRow
from recur_desktop.services.legacy.context import Context, chunks
from recur_desktop.services.legacy.plan import Content, KeptAnalysis, Plan, score
from recur_desktop.services.legacy.records import VerifyReport, analysis_id_for
from recur_desktop.services.legacy.survey import PresentResume, Survey
from recur_desktop.services.workers import run_pool
from recur_desktop.storage import StorageError


def verify_contents(
    ctx: Context,
    survey: Survey,
    plan: Plan,
    result: VerifyReport,
    cancel: CancelToken | None,
) -> None:
    """Each content has its resume and shared object with the legacy SHA-256; users and jobs
    exist. Fills ``verified_objects``/``verified_owners``: what ``delete_legacy`` may remove."""
    unaccounted: list[str] = []
    shared: dict[uuid.UUID, set[str]] = {}
    for uid in sorted({uid for uid, _ in plan.contents}, key=str):
        shared[uid] = {info.key for info in ctx.store.list(f"{uid}/resumes/shared/")}
    to_check: list[tuple[Content, PresentResume]] = []
    for (uid, sha), content in sorted(plan.contents.items(), key=lambda kv: kv[0][1]):
        present = survey.present.get((uid, sha))
        result.checked_contents += 1
        if present is None:
            for obj in content.objects:
                unaccounted.append(f"{obj.key}: no resume with its SHA-256 ({sha}) for user {uid}.")
            continue
        if present.s3_resume_key not in shared[uid]:
            unaccounted.append(
                f"{present.s3_resume_key}: the shared file of resume {present.resume_id} "
                "is missing."
            )
            continue
        to_check.append((content, present))

    stored_sha = getattr(ctx.store, "stored_sha256", None)

    def check(item: tuple[Content, PresentResume]) -> None:
        content, present = item
        try:
            # The checksum the store recorded (a HEAD on S3), else the bytes hashed again.
            actual = stored_sha(present.s3_resume_key) if stored_sha else None
            if actual is None:
                actual = ctx.store.sha256_of(present.s3_resume_key)
        except StorageError as exc:
            failures[present.s3_resume_key] = f"could not be checked ({exc})."
            return
        if actual != content.sha256:
            failures[present.s3_resume_key] = (
                f"its SHA-256 is {actual}, not {content.sha256} like the legacy file."
            )

    failures: dict[str, str] = {}
    result.cancelled = run_pool(
        to_check,
        check,
        workers=ctx.workers,
        progress=no_progress,
        cancel=cancel,
        note=lambda item: item[1].s3_resume_key,
        thread_name_prefix="legacy",
    )
    unaccounted += [f"{key}: {message}" for key, message in sorted(failures.items())]
    for content, present in to_check:
        if present.s3_resume_key in failures:
            continue
        for obj in content.objects:
            if not obj.deleted:
                assert obj.sha256 is not None
                result.verified_objects[obj.key] = obj.sha256
                result.verified_owners[obj.key] = content.user_id
    result.checked_objects = sum(len(c.objects) for c in plan.contents.values())
    for problem in plan.problems:
        if problem.kind in ("read_failed", "copy_failed"):
            unaccounted.append(f"{problem.key}: {problem.message}")
    for uid, login in sorted(survey.users.items(), key=lambda kv: str(kv[0])):
        if login is None:
            unaccounted.append(f"user {uid}: no users row.")
    for job in survey.jobs.values():
        if survey.existing_jobs.get(job.id) is None:
            unaccounted.append(f"job {job.id} ({job.title}): not in job_postings.")
    result.unaccounted.extend(unaccounted)


def verify_analyses(ctx: Context, survey: Survey, plan: Plan, result: VerifyReport) -> None:
    """Every planned session is completed, every kept analysis carried with the legacy values,
    nothing unplanned in a migrated session, and every legacy analysis accounted for."""
    expected: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, KeptAnalysis]] = {}
    for planned in plan.sessions.values():
        for kept in planned.kept:
            present = survey.present.get(kept.content)
            if present is None:
                result.unaccounted.append(
                    f"legacy analysis {kept.analysis.id}: its resume was not migrated."
                )
                continue
            expected[analysis_id_for(kept.analysis.id)] = (present.resume_id, planned.id, kept)
    session_ids = sorted(plan.sessions, key=str)
    found_sessions: dict[uuid.UUID, str] = {}
    found: dict[uuid.UUID, ResumeAnalysisRow] = {}
    with ctx.sessions() as session:
        for chunk in chunks(session_ids, 500):
            found_sessions.update(
                session.execute(
                    select(AnalysisSessionRow.id, AnalysisSessionRow.status).where(
                        AnalysisSessionRow.id.in_(chunk)
                    )
                ).all()
            )
            for row in session.scalars(
                select(ResumeAnalysisRow).where(ResumeAnalysisRow.analysis_session_id.in_(chunk))
            ):
                found[row.id] = row
    for sid in session_ids:
        result.checked_sessions += 1
        status = found_sessions.get(sid)
        if status != SessionStatus.COMPLETED.value:
            planned = plan.sessions[sid]
            result.unaccounted.append(
                f"session {sid} ({planned.name}): "
                + ("missing." if status is None else f"is {status}, not completed.")
            )
    for aid, (resume_id, sid, kept) in sorted(expected.items(), key=lambda kv: str(kv[0])):
        result.checked_analyses += 1
        carried = found.get(aid)
        label = f"legacy analysis {kept.analysis.id}"
        if carried is None:
            result.unaccounted.append(f"{label}: not carried.")
            continue
        want_status = (ResultStatus.OK if kept.valid else ResultStatus.FAILED).value
        scores = (score(kept.analysis.overall), score(kept.analysis.skill))
        if kept.valid:
            same = carried.status == want_status and _close(
                (carried.overall_fit_score, carried.skill_match_score), scores
            )
        else:
            same = carried.status == want_status and carried.overall_fit_score is None
        if not same or carried.resume_id != resume_id or carried.analysis_session_id != sid:
            result.unaccounted.append(f"{label}: carried with different values.")
    extra = sorted(str(i) for i in found if i not in expected)
    result.unaccounted.extend(
        f"analysis {i}: in a migrated session but not planned." for i in extra
    )
    # Every legacy analysis is carried, folded or reported; the sums must agree.
    for user in plan.users.values():
        accounted = (
            user.analyses_to_carry
            + user.analyses_invalid_scores
            + user.analyses_folded
            + user.analyses_not_carried
        )
        if accounted != user.analyses:
            result.unaccounted.append(
                f"user {user.user_id}: {user.analyses} legacy analyses but {accounted} "
                "accounted for."
            )
    result.checked_analyses += sum(plan.folded.values())


def _close(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> bool:
    return all(
        x is not None and y is not None and abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True)
    )
