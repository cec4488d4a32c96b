"""The legacy migration's reports as JSON-ready documents, for the command line and the window.

Qt-free and below both: the window's banner and ``recur migrate-legacy --json`` show the same
document.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from recur_desktop.services.legacy.records import (
    DeleteReport,
    MigrationReport,
    Problem,
    VerifyReport,
)

COUNT_NAMES = (
    "jobs",
    "jobs_to_create",
    "legacy_rows",
    "legacy_objects",
    "legacy_objects_deleted",
    "distinct_contents",
    "duplicates_folded",
    "contents_to_migrate",
    "unreadable_files",
    "unreferenced_objects",
    "missing_objects",
    "analyses",
    "analyses_to_carry",
    "analyses_invalid_scores",
    "analyses_folded",
    "analyses_not_carried",
    "sessions",
)


def problem_doc(p: Problem) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "user_id": p.user_id,
        "message": p.message,
        "key": p.key,
        "file_name": p.file_name,
        "legacy_resume_id": p.legacy_resume_id,
        "legacy_analysis_ids": list(p.legacy_analysis_ids),
    }


def report_doc(report: MigrationReport) -> dict[str, Any]:
    """The plan (dry-run) or outcome (apply) as one JSON-ready document."""
    users = [
        {
            "user_id": u.user_id,
            "login_name": u.login_name,
            "create_user": u.create_user,
            **{name: getattr(u, name) for name in COUNT_NAMES},
        }
        for u in report.users
    ]
    totals = {name: report.total(name) for name in COUNT_NAMES}
    totals["users"] = len(report.users)
    totals["users_to_create"] = sum(1 for u in report.users if u.create_user)
    document: dict[str, Any] = {
        "mode": report.mode,
        "user": report.user_scope,
        "legacy_tables": report.tables_present,
        "totals": totals,
        "users": users,
        "problem_counts": dict(Counter(p.kind for p in report.problems)),
        "problems": [problem_doc(p) for p in report.problems],
        "failures": [problem_doc(p) for p in report.failures],
        "cancelled": report.cancelled,
    }
    if report.mode == "apply":
        document["done"] = {
            "created_users": report.created_users,
            "created_jobs": report.created_jobs,
            "created_resumes": report.created_resumes,
            "copied_objects": report.copied_objects,
            "renamed_resumes": report.renamed_resumes,
            "written_sessions": report.written_sessions,
            "written_analyses": report.written_analyses,
        }
    return document


def verify_doc(report: VerifyReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "checked_objects": report.checked_objects,
        "checked_contents": report.checked_contents,
        "checked_sessions": report.checked_sessions,
        "checked_analyses": report.checked_analyses,
        "unaccounted": list(report.unaccounted),
        "cancelled": report.cancelled,
    }


def delete_doc(report: DeleteReport) -> dict[str, Any]:
    return {
        "deleted_objects": report.deleted_objects,
        "already_gone": report.already_gone,
        "deleted_rows": report.deleted_rows,
        "dropped_tables": list(report.dropped_tables),
        "failures": list(report.failures),
        "cancelled": report.cancelled,
    }


# --------------------------------------------------------------------------- text output
