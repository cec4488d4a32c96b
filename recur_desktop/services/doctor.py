"""Consistency between the rows and the objects of one user, and repair of what is safe."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.persistence.tables import ResumeRow, utcnow
from recur_desktop.storage import ObjectNotFound, ObjectStore, StorageError, user_prefix

log = logging.getLogger(__name__)

#: An object younger than this may belong to an import still writing its row elsewhere.
ORPHAN_GRACE = timedelta(hours=1)


@dataclass
class DoctorReport:
    orphans: list[str] = field(default_factory=list)
    missing: list[uuid.UUID] = field(default_factory=list)
    mismatched: list[uuid.UUID] = field(default_factory=list)
    repaired: int = 0
    unrepaired: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.orphans or self.missing or self.mismatched)


class DoctorService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: ObjectStore,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self.owner_id = owner_id
        self._clock = clock

    def check(
        self,
        *,
        repair: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> DoctorReport:
        """Compare this user's objects with this user's rows; never looks at another prefix."""
        shared = f"{user_prefix(self.owner_id)}shared/"
        with self._sessions() as session:
            rows = {
                key: (rid, sha)
                for rid, key, sha in session.execute(
                    select(ResumeRow.id, ResumeRow.s3_resume_key, ResumeRow.content_sha256).where(
                        ResumeRow.user_id == self.owner_id
                    )
                )
            }
        report = DoctorReport()
        seen: set[str] = set()
        orphan_ages: dict[str, datetime] = {}
        for info in self._store.list(shared):
            seen.add(info.key)
            if info.key not in rows:
                report.orphans.append(info.key)
                orphan_ages[info.key] = info.last_modified
        total = len(rows)
        for done, (key, (resume_id, sha)) in enumerate(sorted(rows.items())):
            if cancel is not None and cancel.cancelled:
                break
            progress(done, total, key)
            if key not in seen:
                report.missing.append(resume_id)
                continue
            try:
                if self._store.sha256_of(key) != sha:
                    report.mismatched.append(resume_id)
            except ObjectNotFound:
                report.missing.append(resume_id)
        progress(total, total, "")
        if repair:
            self._repair(report, orphan_ages)
        return report

    def _repair(self, report: DoctorReport, orphan_ages: dict[str, datetime]) -> None:
        cutoff = self._clock() - ORPHAN_GRACE
        for key in report.orphans:
            if orphan_ages[key] > cutoff:
                report.unrepaired.append(
                    f"{key}: less than an hour old (an import may still be saving it); left alone."
                )
                continue
            try:
                self._store.delete(key)
                report.repaired += 1
            except StorageError as exc:
                report.unrepaired.append(f"{key}: could not be removed ({exc}).")
        for resume_id in report.missing:
            report.unrepaired.append(
                f"{resume_id}: the file is missing from storage; import the original again "
                "or delete this resume."
            )
        for resume_id in report.mismatched:
            report.unrepaired.append(
                f"{resume_id}: the stored file differs from what was imported; import the "
                "original again or delete this resume."
            )
