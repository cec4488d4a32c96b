"""``--delete-legacy``: remove what a passing verify proved copied, and with
``--drop-legacy-tables`` the old system's tables (only one user's rows under ``--user``).

The legacy data is never modified before this step, so the old system keeps working during
a gradual migration.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select

from recur_desktop.domain import CancelToken, Progress
from recur_desktop.persistence.legacy_tables import (
    LEGACY_ANALYSES,
    LEGACY_JOB_POSTINGS,
    LEGACY_RESUMES,
    LEGACY_TABLES,
    legacy_table,
    legacy_tables_present,
)
from recur_desktop.services.errors import InvalidInput
from recur_desktop.services.legacy import journal
from recur_desktop.services.legacy.context import Context
from recur_desktop.services.legacy.records import DeleteReport, VerifyReport
from recur_desktop.storage import StorageError, delete_owned, owns_key

log = logging.getLogger(__name__)


def delete_legacy(
    ctx: Context,
    verified: VerifyReport,
    *,
    drop_tables: bool,
    progress: Progress,
    cancel: CancelToken | None,
) -> DeleteReport:
    """See :meth:`~recur_desktop.services.legacy.LegacyMigrationService.delete_legacy`."""
    if not verified.ok:
        raise InvalidInput("The legacy data can only be deleted after a passing verify.")
    report = DeleteReport()
    keys = sorted(verified.verified_objects)
    with ctx.sessions() as session:
        details = journal.object_details(session, keys)
    for done, key in enumerate(keys):
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        progress(done, len(keys), key)
        detail = details.get(key)
        if detail is None:
            report.failures.append(f"{key}: not in the journal; run --apply first.")
            continue
        owner = verified.verified_owners.get(key)
        if owner is None or not owns_key(owner, key):
            # An administrator acts for every user: a key is deleted only inside the prefix
            # of the user whose shared copy proved it, whatever the legacy tables claim.
            report.failures.append(f"{key}: not in its owner's folder; left alone.")
            continue
        # The journal first: an object deleted but not marked would read as never seen.
        detail["sha256"] = verified.verified_objects[key]
        journal.write(ctx, journal.deleted_object_entry(key, detail, ctx.clock()))
        try:
            if ctx.store.exists(key):
                delete_owned(ctx.store, owner, key)
                report.deleted_objects += 1
            else:
                report.already_gone += 1
        except StorageError as exc:
            log.warning("legacy delete failed key=%s: %s", key, exc.detail)
            report.failures.append(f"{key}: {exc}")
    progress(len(keys), len(keys), "")
    if drop_tables and not report.cancelled and not report.failures:
        drop_legacy_tables(ctx, verified.user_scope, report)
    if not report.cancelled and not report.failures and verified.plan is not None:
        journal.write_runs(
            ctx, [u.user_id for u in verified.plan.users], "deleted", {"objects": len(keys)}
        )
    return report


def drop_legacy_tables(ctx: Context, scope: uuid.UUID | None, report: DeleteReport) -> None:
    """Drop the legacy tables; with ``scope``, delete that user's rows and drop the tables
    only once they are empty."""
    with ctx.sessions() as session:
        present = legacy_tables_present(session.connection())
        if scope is not None:
            if "legacy_analyses" in present and "legacy_resumes" in present:
                own = select(LEGACY_RESUMES.c.id).where(LEGACY_RESUMES.c.user_id == scope)
                # A DELETE's result is a CursorResult (the only kind with a rowcount).
                result = cast(
                    CursorResult[Any],
                    session.execute(
                        delete(LEGACY_ANALYSES).where(LEGACY_ANALYSES.c.legacy_resume_id.in_(own))
                    ),
                )
                report.deleted_rows += max(result.rowcount, 0)
            for table in (LEGACY_RESUMES, LEGACY_JOB_POSTINGS):
                if table.name in present:
                    result = cast(
                        CursorResult[Any],
                        session.execute(delete(table).where(table.c.user_id == scope)),
                    )
                    report.deleted_rows += max(result.rowcount, 0)
            session.commit()
            remaining = 0
            for name in present:
                table = legacy_table(name)
                remaining += int(session.scalar(select(func.count()).select_from(table)) or 0)
            if remaining:
                return
        for name in LEGACY_TABLES:
            if name in present:
                legacy_table(name).drop(session.connection())
                report.dropped_tables.append(name)
        session.commit()
