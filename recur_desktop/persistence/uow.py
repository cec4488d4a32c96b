"""The unit of work over SQLAlchemy: one session, its repositories, one transaction at a time.

``with uow: ...; uow.commit()`` writes; leaving the block without a commit rolls back (no
commit, no change). The session, the dialect (FTS5 or pg_trgm, ``ON CONFLICT`` flavours) and the
driver's errors stay in here: a failure leaves as one of :mod:`recur_desktop.domain.errors`.

The composition root builds one :class:`SqlUnitOfWorkFactory` per database and hands it to the
services; each call gives a fresh unit of work, to be used on one thread.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.persistence.engine import session_factory
from recur_desktop.persistence.errors import rolled_back, translate
from recur_desktop.persistence.repositories.analyses import (
    SqlAnalysisResults,
    SqlAnalysisSessions,
    SqlAvailability,
)
from recur_desktop.persistence.repositories.audit import SqlAuditTrail
from recur_desktop.persistence.repositories.copies import SqlLibraryRows
from recur_desktop.persistence.repositories.jobs import SqlJobs
from recur_desktop.persistence.repositories.journal import SqlLegacyJournal
from recur_desktop.persistence.repositories.resumes import SqlResumes
from recur_desktop.persistence.repositories.users import SqlUsers


class SqlUnitOfWork:
    """Implements :class:`recur_desktop.persistence.ports.UnitOfWork`."""

    resumes: SqlResumes
    jobs: SqlJobs
    sessions: SqlAnalysisSessions
    results: SqlAnalysisResults
    availability: SqlAvailability
    users: SqlUsers
    audit: SqlAuditTrail
    rows: SqlLibraryRows
    legacy_journal: SqlLegacyJournal

    def __init__(self, sessions: sessionmaker[Session], dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is entered once; ask the factory for another")
        session = self._session = self._sessions()
        dialect = self._dialect
        self.resumes = SqlResumes(session, dialect)
        self.jobs = SqlJobs(session, dialect)
        self.sessions = SqlAnalysisSessions(session, dialect)
        self.results = SqlAnalysisResults(session, dialect)
        self.availability = SqlAvailability(session, dialect)
        self.users = SqlUsers(session, dialect)
        self.audit = SqlAuditTrail(session, dialect)
        self.rows = SqlLibraryRows(session, dialect)
        self.legacy_journal = SqlLegacyJournal(session, dialect)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        assert session is not None
        try:
            if isinstance(exc, SQLAlchemyError):
                # Raised outside a repository call (the repositories translate their own).
                raise rolled_back(session, exc) from exc
            try:
                session.rollback()  # no commit, no change
            except SQLAlchemyError as failed:
                if exc is None:
                    raise translate(failed) from failed
        finally:
            session.close()

    def commit(self) -> None:
        session = self._session
        assert session is not None, "commit inside the with block"
        try:
            session.commit()
        except SQLAlchemyError as exc:
            raise rolled_back(session, exc) from exc

    def rollback(self) -> None:
        session = self._session
        assert session is not None, "rollback inside the with block"
        try:
            session.rollback()
        except SQLAlchemyError as exc:
            raise translate(exc) from exc


class SqlUnitOfWorkFactory:
    """Builds units of work over one engine's sessions; the dialect is read once, here."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        bind = sessions.kw.get("bind")
        if not isinstance(bind, Engine):
            raise TypeError("the sessions must be bound to an engine")
        self.sessions = sessions
        self.dialect = bind.dialect.name
        #: The address, password hidden: what ``doctor`` probes (it never sends a password).
        self.database_url = bind.url.render_as_string(hide_password=True)

    @classmethod
    def for_engine(cls, engine: Engine) -> SqlUnitOfWorkFactory:
        return cls(session_factory(engine))

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.dialect)


__all__ = ["SqlUnitOfWork", "SqlUnitOfWorkFactory"]
