"""The SQL unit of work: no commit, no change; the driver's errors leave it as service errors,
and it stays usable after one (both profiles, and a server that refuses connections)."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from recur_desktop.domain.errors import (
    Conflict,
    DatabaseError,
    DatabaseTimeout,
    DatabaseUnavailable,
)
from recur_desktop.persistence.engine import make_engine
from recur_desktop.persistence.errors import translate
from recur_desktop.persistence.ports import ResumeValues
from recur_desktop.persistence.uow import SqlUnitOfWorkFactory


def _resume(owner: uuid.UUID, sha: str = "a" * 64) -> ResumeValues:
    return ResumeValues(
        user_id=owner,
        file_name="cv.txt",
        s3_resume_key=f"{owner}/resumes/shared/{sha}.txt",
        content_sha256=sha,
        size_bytes=3,
        media_type="text/plain",
    )


def test_no_commit_no_change(ctx):
    with ctx.uow() as uow:
        uow.resumes.add(_resume(ctx.owner_id))
    with ctx.uow() as uow:
        assert uow.resumes.by_content(ctx.owner_id, "a" * 64) is None
        record = uow.resumes.add(_resume(ctx.owner_id))
        uow.commit()
    assert ctx.library.get(record.id).file_name == "cv.txt"


def test_the_same_bytes_twice_is_a_conflict_and_the_unit_of_work_goes_on(ctx):
    with ctx.uow() as uow:
        uow.resumes.add(_resume(ctx.owner_id))
        uow.commit()
    with ctx.uow() as uow:
        uow.resumes.add(_resume(ctx.owner_id))
        with pytest.raises(Conflict) as raised:
            uow.commit()
        assert isinstance(raised.value.__cause__, IntegrityError)
        # Rolled back, not broken: the next statement works.
        assert uow.resumes.by_content(ctx.owner_id, "a" * 64) is not None


def test_a_server_that_refuses_connections_is_database_unavailable():
    engine = make_engine("postgresql+psycopg://x@127.0.0.1:1/x", connect_timeout=2)
    try:
        with (
            pytest.raises(DatabaseUnavailable) as raised,
            SqlUnitOfWorkFactory.for_engine(engine)() as uow,
        ):
            uow.jobs.listed(uuid.uuid4(), include_archived=True)
        assert str(raised.value) == DatabaseUnavailable.DOWN
        assert isinstance(raised.value.__cause__, OperationalError)
    finally:
        engine.dispose()


class _Driver(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (
            OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked")),
            DatabaseTimeout,
        ),
        (OperationalError("SELECT", {}, _Driver("canceling statement", "57014")), DatabaseTimeout),
        (ProgrammingError("LOCK", {}, _Driver("lock timeout", "55P03")), DatabaseTimeout),
        (OperationalError("SELECT", {}, _Driver("connection refused")), DatabaseUnavailable),
        (IntegrityError("INSERT", {}, _Driver("duplicate key")), Conflict),
        (ProgrammingError("SELECT", {}, _Driver("permission denied")), DatabaseError),
    ],
    ids=["sqlite-locked", "statement-timeout", "lock-timeout", "refused", "unique", "other"],
)
def test_driver_errors_are_translated_once(error, kind):
    translated = translate(error)
    assert type(translated) is kind
    assert translated.detail  # the driver's words, for the log
    if kind is DatabaseError:
        assert str(translated) == (
            "The library database refused the request (ProgrammingError). Nothing was changed."
        )
