"""The migration's use cases, as the CLI and the desktop call them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.extraction import DEFAULT_MAX_BYTES
from recur_desktop.persistence.errors import translating
from recur_desktop.persistence.tables import UserRow, utcnow
from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
from recur_desktop.services.errors import InvalidInput, NotFound
from recur_desktop.services.legacy import apply as applying
from recur_desktop.services.legacy.context import Context
from recur_desktop.services.legacy.delete import delete_legacy
from recur_desktop.services.legacy.objects import process_objects
from recur_desktop.services.legacy.plan import build_plan, report
from recur_desktop.services.legacy.records import (
    DEFAULT_WORKERS,
    MAX_WORKERS,
    DeleteReport,
    LegacyStatus,
    MigrationReport,
    VerifyReport,
)
from recur_desktop.services.legacy.survey import read_status, read_survey
from recur_desktop.services.legacy.verify import verify_analyses, verify_contents
from recur_desktop.storage import ObjectStore

log = logging.getLogger(__name__)


@translating  # driver errors leave as service errors, as from a unit of work
class LegacyMigrationService:
    """Dry-run, apply, verify and clean up the migration from the legacy layout.

    Safe to call from a worker thread (the GUI's task bridge) and the CLI alike: every long
    call takes a progress callback and a cancel token, and uses ``workers`` threads of its own
    with one database session per task.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: ObjectStore,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        workers: int = DEFAULT_WORKERS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if not 1 <= workers <= MAX_WORKERS:
            raise InvalidInput(f"The number of workers must be from 1 to {MAX_WORKERS}.")
        uow = SqlUnitOfWorkFactory(sessions)
        self._ctx = Context(
            sessions=sessions,
            uow=uow,
            store=store,
            max_bytes=max_bytes,
            workers=workers,
            clock=clock,
            dialect=uow.dialect,
        )

    def resolve_user(self, name: str) -> uuid.UUID:
        """``--user NAME``: a login name of the ``users`` table, or a user id (a UUID)."""
        text = name.strip()
        try:
            return uuid.UUID(text)
        except ValueError:
            pass
        with self._ctx.sessions() as session:
            found = session.scalar(select(UserRow.id).where(UserRow.login_name == text))
        if found is None:
            raise NotFound(f"No user called {text!r}. Give a login name or a user id.")
        return found

    def status(self, user_id: uuid.UUID) -> LegacyStatus:
        """Whether the user has legacy data and a finished migration run; a few cheap queries.

        What the desktop banner asks at start-up (on a worker thread: it lists the store). A
        login that may not read the legacy tables or the journal (a recruiter on a team
        database, where the administrator migrates) sees no legacy data: it could not migrate.
        """
        try:
            return read_status(self._ctx, user_id)
        except ProgrammingError as exc:
            log.warning("legacy status unavailable for user %s: %s", user_id, exc.orig)
            return LegacyStatus(has_legacy_data=False, last_run=None)

    def plan(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> MigrationReport:
        """The dry run: reads every legacy row and object (hashing and reading each distinct
        content) and says what ``apply`` would do. Writes nothing at all."""
        survey = read_survey(self._ctx, user, progress)
        cancelled = process_objects(self._ctx, survey, "plan", progress, cancel)
        result = report("dry-run", survey, build_plan(survey))
        result.cancelled = cancelled
        return result

    def apply(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> MigrationReport:
        """Migrate: users, jobs, one resume per distinct content, sessions and analyses.

        Resumable: a rerun after a crash or a cancel picks up where the journal says and ends
        in the state an uninterrupted run reaches. Storage failures are listed in
        ``failures`` (a rerun retries them); database failures raise.
        """
        ctx = self._ctx
        survey = read_survey(ctx, user, progress)
        counts = applying.ensure_users_and_jobs(ctx, survey)
        created = applying.Created()
        cancelled = process_objects(ctx, survey, "apply", progress, cancel, created)
        plan = build_plan(survey)
        result = report("apply", survey, plan)
        result.created_users, result.created_jobs = counts
        result.created_resumes = created.resumes
        result.copied_objects = created.copies
        if cancelled:
            result.cancelled = True
            return result
        result.renamed_resumes = applying.fix_representatives(ctx, survey, plan)
        sessions, analyses, cancelled = applying.write_sessions(ctx, survey, plan, progress, cancel)
        result.written_sessions, result.written_analyses = sessions, analyses
        result.cancelled = cancelled
        if not cancelled and not result.failures:
            applying.journal_applied(ctx, list(plan.users), result)
        return result

    def verify(
        self,
        *,
        user: uuid.UUID | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> VerifyReport:
        """Check the migration without trusting the journal: every legacy object is hashed
        again and must have a shared object with the same SHA-256 (as the store recorded it),
        every legacy analysis must be carried (the row is there, with the legacy scores),
        folded or reported as not carriable, and the counts must match. Writes nothing."""
        survey = read_survey(self._ctx, user, progress)
        result = VerifyReport(user_scope=user)
        result.cancelled = process_objects(self._ctx, survey, "verify", progress, cancel)
        plan = build_plan(survey)
        result.plan = report("verify", survey, plan)
        if result.cancelled:
            return result
        verify_contents(self._ctx, survey, plan, result, cancel)
        verify_analyses(self._ctx, survey, plan, result)
        return result

    def delete_legacy(
        self,
        verified: VerifyReport,
        *,
        drop_tables: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> DeleteReport:
        """After a passing :meth:`verify`: delete the legacy objects it proved copied, and with
        ``drop_tables`` the legacy tables (only the user's rows when the verify was scoped to
        one user; the tables go once empty).

        Each object's journal entry becomes ``deleted`` (keeping its SHA-256) before the object
        goes, so later plans and verifies still account for it.
        """
        return delete_legacy(
            self._ctx, verified, drop_tables=drop_tables, progress=progress, cancel=cancel
        )
