"""Consistency between the rows and the objects of one user, repair of what is safe, and a check
that the database server really checks passwords."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.domain.clock import utcnow
from recur_desktop.domain.models import IntegrityProblem
from recur_desktop.persistence.ports import UnitOfWorkFactory
from recur_desktop.persistence.probes import password_checked as password_checked
from recur_desktop.storage import (
    ObjectNotFound,
    ObjectStore,
    StorageError,
    delete_owned,
    user_prefix,
)

log = logging.getLogger(__name__)

#: An object younger than this may belong to an import still writing its row elsewhere.
ORPHAN_GRACE = timedelta(hours=1)

#: What doctor (and the About dialog) says when the server lets anyone in as anyone.
TRUST_WARNING = (
    "The database accepts logins without checking passwords (trust authentication): anyone on "
    "the network who can reach it can connect as any recruiter. Ask the administrator to switch "
    "pg_hba.conf to scram-sha-256."
)


@dataclass(frozen=True)
class FileProblem:
    """One resume whose stored file is missing or changed: what a recruiter needs to find the
    original (file and candidate) and what an administrator needs to look (the key)."""

    resume_id: uuid.UUID
    problem: IntegrityProblem
    file_name: str
    candidate_name: str | None
    s3_resume_key: str
    in_trash: bool = False

    @property
    def label(self) -> str:
        """“file” (candidate), for sentences; names are the caller's to escape for display."""
        who = f" ({self.candidate_name})" if self.candidate_name else ""
        return f"“{self.file_name}”{who}"


@dataclass
class DoctorReport:
    orphans: list[str] = field(default_factory=list)
    missing: list[uuid.UUID] = field(default_factory=list)
    mismatched: list[uuid.UUID] = field(default_factory=list)
    #: Every missing or changed file with its resume's names and key, in key order.
    problems: list[FileProblem] = field(default_factory=list)
    #: Orphans removed by ``repair`` (``repaired`` is their number).
    removed: list[str] = field(default_factory=list)
    repaired: int = 0
    unrepaired: list[str] = field(default_factory=list)
    #: False when the server let this login in without a password and with a wrong one (trust
    #: authentication); True when it refused; None for SQLite, a local socket, or no answer.
    password_checked: bool | None = None
    #: Risks in how the library is set up, one sentence each (:data:`TRUST_WARNING`).
    warnings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Nothing was found wrong (before any repair)."""
        return not (self.orphans or self.missing or self.mismatched)

    @property
    def problems_remaining(self) -> int:
        """What is still wrong after this run's repairs: every missing or changed file (only
        importing the original fixes those) and every orphan not removed."""
        return len(self.problems) + len(self.orphans) - len(self.removed)


class DoctorService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: ObjectStore,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
        database_url: str | None = None,
    ) -> None:
        """``database_url`` is the address the app connects with; by default the one the unit
        of work factory names (``database_url``; no password is needed: the probe sends none)."""
        self._uow = uow
        self._store = store
        self.owner_id = owner_id
        self._clock = clock
        if database_url is None:
            database_url = getattr(uow, "database_url", None)
        self._database_url = database_url

    def password_checked(self) -> bool | None:
        """Whether the server checks this login's password (see :func:`password_checked`)."""
        if self._database_url is None:
            return None
        return password_checked(self._database_url)

    def security_warnings(self) -> list[str]:
        """Sentences about risks in how the library is reached (empty when none is known).

        Connects twice to a server database; call it off the GUI thread."""
        return [TRUST_WARNING] if self.password_checked() is False else []

    def check(
        self,
        *,
        repair: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> DoctorReport:
        """Compare this user's objects with this user's rows; never looks at another prefix.

        What it finds on each resume it checked is written to ``resumes.integrity_problem``
        (and cleared on a resume that is fine again): importing the original of a flagged
        resume then puts its file back, and only flagged resumes cost a store call on import.
        """
        shared = f"{user_prefix(self.owner_id)}shared/"
        with self._uow() as uow:
            rows = {
                check.s3_resume_key: (check.id, check.content_sha256, check.integrity_problem)
                for check in uow.resumes.file_checks(self.owner_id)
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
        found: dict[uuid.UUID, IntegrityProblem | None] = {}
        flags: dict[uuid.UUID, str | None] = {}
        for done, (key, (resume_id, sha, flag)) in enumerate(sorted(rows.items())):
            if cancel is not None and cancel.cancelled:
                break
            progress(done, total, key)
            flags[resume_id] = flag
            found[resume_id] = self._problem_of(key, sha, seen)
        progress(total, total, "")
        for resume_id, problem in found.items():
            if problem is IntegrityProblem.MISSING:
                report.missing.append(resume_id)
            elif problem is IntegrityProblem.CHANGED:
                report.mismatched.append(resume_id)
        report.problems = self._described(found)
        self._record_flags(found, flags)
        if repair:
            self._repair(report, orphan_ages)
        report.password_checked = self.password_checked()
        if report.password_checked is False:
            report.warnings.append(TRUST_WARNING)
        return report

    def _problem_of(self, key: str, sha: str, listed: set[str]) -> IntegrityProblem | None:
        if key not in listed:
            return IntegrityProblem.MISSING
        try:
            return IntegrityProblem.CHANGED if self._store.sha256_of(key) != sha else None
        except ObjectNotFound:
            return IntegrityProblem.MISSING

    def _described(self, found: dict[uuid.UUID, IntegrityProblem | None]) -> list[FileProblem]:
        """The flagged resumes with their names, read only for them (usually none)."""
        ids = [resume_id for resume_id, problem in found.items() if problem is not None]
        described: dict[uuid.UUID, FileProblem] = {}
        with self._uow() as uow:
            for row in uow.resumes.describe(self.owner_id, ids):
                problem = found[row.id]
                assert problem is not None
                described[row.id] = FileProblem(
                    resume_id=row.id,
                    problem=problem,
                    file_name=row.file_name,
                    candidate_name=row.candidate_name,
                    s3_resume_key=row.s3_resume_key,
                    in_trash=row.deleted_at is not None,
                )
        # A row erased since the first read has nothing left to fix.
        return [described[i] for i in ids if i in described]

    def _record_flags(
        self,
        found: dict[uuid.UUID, IntegrityProblem | None],
        flags: dict[uuid.UUID, str | None],
    ) -> None:
        """Write what changed since the last run: usually nothing, so usually no statement."""
        changes: dict[str | None, list[uuid.UUID]] = {}
        for resume_id, problem in found.items():
            value = problem.value if problem is not None else None
            if flags.get(resume_id) != value:
                changes.setdefault(value, []).append(resume_id)
        if not changes:
            return
        with self._uow() as uow:
            for value, ids in changes.items():
                uow.resumes.set_problem(self.owner_id, ids, value)
            uow.commit()
        log.info(
            "doctor flags: %s",
            ", ".join(f"{value or 'cleared'}={len(ids)}" for value, ids in changes.items()),
        )

    def _repair(self, report: DoctorReport, orphan_ages: dict[str, datetime]) -> None:
        cutoff = self._clock() - ORPHAN_GRACE
        for key in report.orphans:
            if orphan_ages[key] > cutoff:
                report.unrepaired.append(
                    f"{key}: less than an hour old (an import may still be saving it); left alone."
                )
                continue
            try:
                delete_owned(self._store, self.owner_id, key)
                report.removed.append(key)
                report.repaired += 1
            except StorageError as exc:
                report.unrepaired.append(f"{key}: could not be removed ({exc}).")
        if report.repaired:
            with self._uow() as uow:
                uow.audit.add(
                    owner_id=self.owner_id,
                    action="repair",
                    detail={"orphaned_files_removed": report.repaired},
                )
                uow.commit()
        # Only the original can restore these: doctor has no copy of the bytes, and the key
        # promises exactly those bytes.
        for problem in report.problems:
            what = (
                "its stored file is missing"
                if problem.problem is IntegrityProblem.MISSING
                else "its stored file differs from what was imported"
            )
            report.unrepaired.append(
                f"{problem.label}, resume {problem.resume_id}: {what}, and doctor has no copy "
                "to put back. Import the original file again (it is then reported as "
                f"repaired), or erase the resume with `recur erase {problem.resume_id}`."
            )
