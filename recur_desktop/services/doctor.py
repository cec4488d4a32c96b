"""Consistency between the rows and the objects of one user, repair of what is safe, and a check
that the database server really checks passwords."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, create_engine, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from recur_desktop.domain import CancelToken, Progress, no_progress
from recur_desktop.domain.models import IntegrityProblem
from recur_desktop.persistence.audit import add_event
from recur_desktop.persistence.tables import ResumeRow, utcnow
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
#: Seconds each probe connection may take; a server that slow is reported as "can't tell".
PROBE_TIMEOUT_S = 5
#: Server messages that mean "the login was refused", i.e. authentication is being checked.
_REFUSED = (
    "password authentication failed",
    "no password supplied",
    "fe_sendauth",
    "authentication failed",
    "pg_hba.conf rejects",
    "no pg_hba.conf entry",
)


#: Flags are written in groups of this many ids (SQLite's old limit is 999 parameters).
_FLAG_CHUNK = 500


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
        sessions: sessionmaker[Session],
        store: ObjectStore,
        owner_id: uuid.UUID,
        *,
        clock: Callable[[], datetime] = utcnow,
        database_url: str | URL | None = None,
    ) -> None:
        """``database_url`` is the address the app connects with; by default the one of the
        engine ``sessions`` is bound to."""
        self._sessions = sessions
        self._store = store
        self.owner_id = owner_id
        self._clock = clock
        if database_url is None:
            bind = sessions.kw.get("bind")
            database_url = bind.url if isinstance(bind, Engine) else None
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
        with self._sessions() as session:
            rows = {
                key: (rid, sha, flag)
                for rid, key, sha, flag in session.execute(
                    select(
                        ResumeRow.id,
                        ResumeRow.s3_resume_key,
                        ResumeRow.content_sha256,
                        ResumeRow.integrity_problem,
                    ).where(ResumeRow.user_id == self.owner_id)
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
        with self._sessions() as session:
            for start in range(0, len(ids), _FLAG_CHUNK):
                chunk = ids[start : start + _FLAG_CHUNK]
                for row in session.execute(
                    select(
                        ResumeRow.id,
                        ResumeRow.file_name,
                        ResumeRow.candidate_name,
                        ResumeRow.s3_resume_key,
                        ResumeRow.deleted_at,
                    ).where(ResumeRow.user_id == self.owner_id, ResumeRow.id.in_(chunk))
                ):
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
        with self._sessions() as session:
            for value, ids in changes.items():
                for start in range(0, len(ids), _FLAG_CHUNK):
                    session.execute(
                        update(ResumeRow)
                        .where(
                            ResumeRow.user_id == self.owner_id,
                            ResumeRow.id.in_(ids[start : start + _FLAG_CHUNK]),
                        )
                        .values(integrity_problem=value)
                    )
            session.commit()
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
            with self._sessions() as session:
                add_event(
                    session,
                    owner_id=self.owner_id,
                    action="repair",
                    detail={"orphaned_files_removed": report.repaired},
                )
                session.commit()
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


def _is_refusal(exc: OperationalError) -> bool:
    detail = str(exc.orig or exc).lower()
    return any(phrase in detail for phrase in _REFUSED)


def _probe(url: URL) -> str | None | bool:
    """Connect with ``url``: False when refused (or unreachable), else the server's
    ``SYSTEM_USER`` (PostgreSQL 16+: NULL under trust, ``method:identity`` otherwise) or None
    on older servers, which can't say."""
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": PROBE_TIMEOUT_S}
    )
    try:
        with engine.connect() as conn:
            version = int(conn.scalar(text("SHOW server_version_num")) or 0)
            if version >= 160000:
                return conn.scalar(text("SELECT SYSTEM_USER"))
            return None
    finally:
        engine.dispose()


def password_checked(database_url: str | URL) -> bool | None:
    """Does the server behind ``database_url`` check the password of its login?

    It connects as the same login to the same database twice: without a password, and with a
    deliberately wrong one (which libpq sends instead of ``PGPASSWORD`` or ``~/.pgpass``, so a
    stored password can't make the probe succeed). A server that lets both in is not checking
    passwords: ``trust`` in ``pg_hba.conf``. On PostgreSQL 16 and later ``SYSTEM_USER`` tells
    a login authenticated another way (a client certificate) from trust; older servers can't
    tell, and are reported as trust.

    Returns False (passwords not checked), True (refused), or None: not PostgreSQL, a local
    socket (no network to worry about), or the server didn't answer either way.
    """
    try:
        parsed = make_url(database_url)
    except SQLAlchemyError:
        return None
    if parsed.get_backend_name() != "postgresql":
        return None
    host = parsed.host or parsed.query.get("host")
    if not host or not isinstance(host, str) or host.startswith("/"):
        return None
    # The same address with every password taken out (user:pw@ and ?password= alike).
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={k: v for k, v in parsed.query.items() if "password" not in k.lower()},
    )
    wrong = bare.set(password=f"recur-doctor-wrong-{uuid.uuid4().hex}")
    identity: str | None | bool = None
    for attempt in (wrong, bare):
        try:
            identity = _probe(attempt)
        except OperationalError as exc:
            if _is_refusal(exc):
                return True
            log.info("password check: no answer from %s (%s)", bare, exc.__class__.__name__)
            return None
        except SQLAlchemyError as exc:
            log.info("password check: can't tell (%s)", exc.__class__.__name__)
            return None
    if isinstance(identity, str) and identity:
        return True  # authenticated by other means (a certificate, peer): not trust
    log.warning("the database at %s let a login in with a wrong password and with none", bare)
    return False
