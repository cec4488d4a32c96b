"""In-memory stand-ins for the database and the object store, for service tests that need
neither: a :class:`FakeDatabase` whose units of work follow the protocols of
``recur_desktop.persistence.ports`` (commit only when told, roll back otherwise, unique keys
checked at commit as :class:`Conflict`), and a :class:`FakeObjectStore` that checks the SHA-256
of what it is given, as the real stores do.

Rows are plain dicts keyed by the real column names. A unit of work reads the committed rows
with its own changes laid over them (like READ COMMITTED), and writes only what it changed.
Failures are injected by name: ``db.fail("commit", DatabaseUnavailable())``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from types import SimpleNamespace, TracebackType
from typing import Any, Self

from recur_desktop.domain import (
    AnalysisOutcome,
    AnalysisResult,
    AuditEvent,
    HistoryItem,
    JobPosting,
    Page,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)
from recur_desktop.domain.clock import utcnow
from recur_desktop.domain.errors import Conflict
from recur_desktop.persistence.ports import (
    CopiedTable,
    FileCheck,
    FileDescription,
    NewJob,
    NewResult,
    NewSession,
    ResumeFile,
    ResumeValues,
    UnfinishedSession,
)
from recur_desktop.persistence.records import (
    job_record,
    outcome_record,
    resume_record,
    session_record,
)
from recur_desktop.storage import ObjectInfo, ObjectNotFound, StorageError

Row = dict[str, Any]
TABLES = (
    "users",
    "job_postings",
    "resumes",
    "analysis_sessions",
    "resume_analyses",
    "audit_events",
    "legacy_migration_journal",
)
#: Unique keys checked at commit, as the schema's constraints are.
UNIQUE = {
    "users": [("login_name",)],
    "resumes": [("user_id", "content_sha256")],
    "resume_analyses": [("resume_id", "analysis_session_id")],
}
_DELETED = object()


def _ns(row: Row) -> Any:
    """A row as the record builders of persistence read it (attributes)."""
    return SimpleNamespace(**row)


# ------------------------------------------------------------------------------------ database
class FakeDatabase:
    """The committed state every unit of work of one test shares."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Row]] = {name: {} for name in TABLES}
        self.commits = 0
        self._failures: dict[str, list[Exception]] = defaultdict(list)
        self._lock = threading.Lock()

    def unit_of_work(self) -> FakeUnitOfWork:
        """The factory services are handed: ``LibraryService(db.unit_of_work, ...)``."""
        return FakeUnitOfWork(self)

    def fail(self, operation: str, error: Exception, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``operation`` ("commit", "resumes.by_content"...)
        raise ``error``, after rolling their unit of work back as the SQL one does."""
        self._failures[operation] += [error] * times

    def take_failure(self, operation: str) -> Exception | None:
        with self._lock:
            queued = self._failures.get(operation)
            return queued.pop(0) if queued else None

    def rows(self, table: str) -> list[Row]:
        return list(self.tables[table].values())

    def apply(self, pending: Mapping[str, Mapping[Any, Any]]) -> None:
        with self._lock:
            merged = {name: dict(rows) for name, rows in self.tables.items()}
            for table, changes in pending.items():
                for key, row in changes.items():
                    if row is _DELETED:
                        merged[table].pop(key, None)
                    else:
                        merged[table][key] = row
            for table, keys in UNIQUE.items():
                for columns in keys:
                    seen: set[tuple[Any, ...]] = set()
                    for row in merged[table].values():
                        value = tuple(row[c] for c in columns)
                        if value in seen:
                            raise Conflict(f"duplicate {table} {columns}")
                        seen.add(value)
            self.tables = merged
            self.commits += 1


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.committed = False
        self._pending: dict[str, dict[Any, Any]] = {name: {} for name in TABLES}
        self.resumes = FakeResumes(self)
        self.jobs = FakeJobs(self)
        self.sessions = FakeAnalysisSessions(self)
        self.results = FakeAnalysisResults(self)
        self.availability = FakeAvailability(self)
        self.users = FakeUsers(self)
        self.audit = FakeAuditTrail(self)
        self.rows = FakeLibraryRows(self)
        self.legacy_journal = FakeLegacyJournal(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()  # no commit, no change

    def commit(self) -> None:
        self.check("commit")
        try:
            self.db.apply(self._pending)
        except Conflict:
            self.rollback()
            raise
        self._pending = {name: {} for name in TABLES}
        self.committed = True

    def rollback(self) -> None:
        self._pending = {name: {} for name in TABLES}

    # -- what the repositories share
    def check(self, operation: str) -> None:
        error = self.db.take_failure(operation)
        if error is not None:
            self.rollback()
            raise error

    def table(self, name: str) -> dict[Any, Row]:
        """Committed rows with this unit of work's changes laid over them (read only)."""
        merged = dict(self.db.tables[name])
        for key, row in self._pending[name].items():
            if row is _DELETED:
                merged.pop(key, None)
            else:
                merged[key] = row
        return merged

    def put(self, name: str, key: Any, row: Row) -> None:
        self._pending[name][key] = row

    def change(self, name: str, key: Any, **values: Any) -> Row:
        row = {**self.table(name)[key], **values}
        self.put(name, key, row)
        return row

    def delete(self, name: str, key: Any) -> None:
        self._pending[name][key] = _DELETED


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def _check(self, method: str) -> None:
        self.uow.check(f"{type(self).__name__.removeprefix('Fake').lower()}.{method}")


# ------------------------------------------------------------------------------------ resumes
class FakeResumes(_Repository):
    def _owned(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> Row | None:
        row = self.uow.table("resumes").get(resume_id)
        return row if row is not None and row["user_id"] == owner_id else None

    def add(self, values: ResumeValues) -> ResumeRecord:
        self._check("add")
        row = asdict(values)
        row["created_at"] = values.created_at or utcnow()
        self.uow.put("resumes", values.id, row)
        return resume_record(_ns(row))

    def by_content(self, owner_id: uuid.UUID, sha256: str) -> ResumeFile | None:
        self._check("by_content")
        for row in self.uow.table("resumes").values():
            if row["user_id"] == owner_id and row["content_sha256"] == sha256:
                return ResumeFile(
                    id=row["id"],
                    file_name=row["file_name"],
                    s3_resume_key=row["s3_resume_key"],
                    content_sha256=row["content_sha256"],
                    media_type=row["media_type"],
                    deleted_at=row["deleted_at"],
                    integrity_problem=row["integrity_problem"],
                )
        return None

    def exists(self, resume_id: uuid.UUID) -> bool:
        return resume_id in self.uow.table("resumes")

    def get(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRecord | None:
        self._check("get")
        row = self._owned(owner_id, resume_id)
        return None if row is None else resume_record(_ns(row))

    def analysis_count(self, resume_id: uuid.UUID) -> int:
        return sum(
            1 for r in self.uow.table("resume_analyses").values() if r["resume_id"] == resume_id
        )

    def text_of(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> str | None:
        row = self._owned(owner_id, resume_id)
        return None if row is None else row["text_content"]

    def text_by_id(self, resume_id: uuid.UUID) -> str | None:
        row = self.uow.table("resumes").get(resume_id)
        return None if row is None else row["text_content"]

    def set_deleted_at(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID, deleted_at: datetime | None
    ) -> None:
        assert self._owned(owner_id, resume_id) is not None
        self.uow.change("resumes", resume_id, deleted_at=deleted_at)

    def remove(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> None:
        assert self._owned(owner_id, resume_id) is not None
        self.uow.delete("resumes", resume_id)
        # ON DELETE CASCADE: a resume's analyses go with it.
        for key, result in self.uow.table("resume_analyses").items():
            if result["resume_id"] == resume_id:
                self.uow.delete("resume_analyses", key)

    def clear_problem(self, owner_id: uuid.UUID, resume_id: uuid.UUID, *, restore: bool) -> bool:
        self._check("clear_problem")
        if self._owned(owner_id, resume_id) is None:
            return False
        values: dict[str, Any] = {"integrity_problem": None}
        if restore:
            values["deleted_at"] = None
        self.uow.change("resumes", resume_id, **values)
        return True

    def trashed_before(self, owner_id: uuid.UUID, cutoff: datetime) -> list[ResumeRecord]:
        return [
            resume_record(_ns(r))
            for r in self.uow.table("resumes").values()
            if r["user_id"] == owner_id
            and r["deleted_at"] is not None
            and r["deleted_at"] <= cutoff
        ]

    def page(
        self,
        owner_id: uuid.UUID,
        *,
        search: str | None,
        limit: int,
        offset: int,
        trashed: bool,
        sort: str,
        descending: bool,
        after: tuple[Any, uuid.UUID] | None,
        with_total: bool,
    ) -> Page[ResumeRecord]:
        """Substring search over the name, candidate, e-mail and text, as on Postgres."""
        self._check("page")
        column = {"added": "created_at", "file_name": "file_name", "size": "size_bytes"}[sort]
        term = (search or "").strip().casefold()
        rows = [
            r
            for r in self.uow.table("resumes").values()
            if r["user_id"] == owner_id
            and (r["deleted_at"] is not None) == trashed
            and (
                not term
                or any(
                    term in (r[c] or "").casefold()
                    for c in ("file_name", "candidate_name", "candidate_email", "text_content")
                )
            )
        ]
        total = len(rows) if with_total else None

        def key(r: Row) -> tuple[Any, str]:
            return (r[column], str(r["id"]))

        rows.sort(key=key, reverse=descending)
        if after is not None:
            mark = (after[0], str(after[1]))
            rows = [r for r in rows if (key(r) < mark if descending else key(r) > mark)]
        chosen = rows[offset : offset + limit]
        items = [resume_record(_ns(r), self.analysis_count(r["id"])) for r in chosen]
        next_after = (chosen[-1][column], chosen[-1]["id"]) if len(chosen) == limit else None
        return Page(total=total, items=items, next_after=next_after)

    def file_checks(self, owner_id: uuid.UUID) -> list[FileCheck]:
        return [
            FileCheck(r["id"], r["s3_resume_key"], r["content_sha256"], r["integrity_problem"])
            for r in self.uow.table("resumes").values()
            if r["user_id"] == owner_id
        ]

    def describe(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> list[FileDescription]:
        rows = [self._owned(owner_id, i) for i in resume_ids]
        return [
            FileDescription(
                r["id"], r["file_name"], r["candidate_name"], r["s3_resume_key"], r["deleted_at"]
            )
            for r in rows
            if r is not None
        ]

    def set_problem(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID], problem: str | None
    ) -> None:
        for resume_id in resume_ids:
            if self._owned(owner_id, resume_id) is not None:
                self.uow.change("resumes", resume_id, integrity_problem=problem)

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str | None, datetime | None]]:
        rows = sorted(
            (r for r in self.uow.table("resumes").values() if r["user_id"] == owner_id),
            key=lambda r: r["id"],
        )
        return [
            (r["id"], r["file_name"], r["candidate_name"], r["deleted_at"])
            for r in rows
            if low <= r["id"] <= high
        ][:limit]


# ------------------------------------------------------------------------------------ jobs
class FakeJobs(_Repository):
    def _owned(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> Row | None:
        row = self.uow.table("job_postings").get(job_id)
        return row if row is not None and row["user_id"] == owner_id else None

    def add(self, job: NewJob) -> JobPosting:
        row = {**asdict(job), "archived_at": None}
        self.uow.put("job_postings", job.id, row)
        return job_record(_ns(row))

    def get(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> JobPosting | None:
        row = self._owned(owner_id, job_id)
        return None if row is None else job_record(_ns(row))

    def exists(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> bool:
        return self._owned(owner_id, job_id) is not None

    def update(self, owner_id: uuid.UUID, job_id: uuid.UUID, **changes: Any) -> JobPosting:
        assert self._owned(owner_id, job_id) is not None
        return job_record(_ns(self.uow.change("job_postings", job_id, **changes)))

    def listed(self, owner_id: uuid.UUID, *, include_archived: bool) -> list[JobPosting]:
        rows = [
            r
            for r in self.uow.table("job_postings").values()
            if r["user_id"] == owner_id and (include_archived or r["archived_at"] is None)
        ]
        rows.sort(key=lambda r: (r["created_at"], str(r["id"])), reverse=True)
        return [job_record(_ns(r)) for r in rows]

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str, datetime | None]]:
        rows = sorted(
            (r for r in self.uow.table("job_postings").values() if r["user_id"] == owner_id),
            key=lambda r: r["id"],
        )
        return [
            (r["id"], r["title"], r["company"], r["archived_at"])
            for r in rows
            if low <= r["id"] <= high
        ][:limit]


# ------------------------------------------------------------------------------------ analyses
def _analyzed(uow: FakeUnitOfWork, owner_id: uuid.UUID, job_id: uuid.UUID | None) -> set[Any]:
    """The rule: resumes with an ok result in a completed session of the owner's context."""
    runs = {
        s["id"]
        for s in uow.table("analysis_sessions").values()
        if s["user_id"] == owner_id
        and s["status"] == SessionStatus.COMPLETED.value
        and s["job_posting_id"] == job_id
    }
    return {
        r["resume_id"]
        for r in uow.table("resume_analyses").values()
        if r["analysis_session_id"] in runs and r["status"] == ResultStatus.OK.value
    }


def _newest_first(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r["created_at"], str(r["id"])), reverse=True)


class FakeAvailability(_Repository):
    def _live(self, owner_id: uuid.UUID) -> list[Row]:
        return [
            r
            for r in self.uow.table("resumes").values()
            if r["user_id"] == owner_id and r["deleted_at"] is None
        ]

    def page(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, limit: int, offset: int
    ) -> Page[ResumeRecord] | None:
        if job_id is not None and not self.uow.jobs.exists(owner_id, job_id):
            return None
        done = _analyzed(self.uow, owner_id, job_id)
        rows = _newest_first(r for r in self._live(owner_id) if r["id"] not in done)
        return Page(
            total=len(rows),
            items=[resume_record(_ns(r)) for r in rows[offset : offset + limit]],
        )

    def live_names(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, str]:
        return {r["id"]: r["file_name"] for r in self._live(owner_id) if r["id"] in resume_ids}

    def analyzed_among(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, resume_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        return _analyzed(self.uow, owner_id, job_id) & set(resume_ids)

    def waiting(
        self, owner_id: uuid.UUID, job_id: uuid.UUID | None, *, include_analyzed: bool
    ) -> list[tuple[uuid.UUID, str]]:
        done = set() if include_analyzed else _analyzed(self.uow, owner_id, job_id)
        return [
            (r["id"], r["file_name"])
            for r in _newest_first(self._live(owner_id))
            if r["id"] not in done
        ]


class FakeAnalysisSessions(_Repository):
    def add(self, session: NewSession) -> uuid.UUID:
        self._check("add")
        row = {**asdict(session), "status": session.status.value}
        row.update(error=None, finished_at=None)
        self.uow.put("analysis_sessions", session.id, row)
        return session.id

    def heartbeat(self, session_id: uuid.UUID, at: datetime) -> None:
        self._check("heartbeat")
        self.uow.change("analysis_sessions", session_id, heartbeat_at=at)

    def finish(
        self, session_id: uuid.UUID, status: SessionStatus, error: str | None, at: datetime
    ) -> None:
        self._check("finish")
        self.uow.change(
            "analysis_sessions", session_id, status=status.value, error=error, finished_at=at
        )

    def _records(self, rows: list[Row]) -> list[SessionRecord]:
        results = list(self.uow.table("resume_analyses").values())
        records = []
        for row in rows:
            mine = [r for r in results if r["analysis_session_id"] == row["id"]]
            first: dict[str, tuple[datetime, str]] = {}
            for r in mine:
                label = f"{r['analyzer_name']} {r['analyzer_version']}"
                first[label] = min(
                    first.get(label, (r["created_at"], label)), (r["created_at"], label)
                )
            used = tuple(label for _, label in sorted(first.values()))
            records.append(replace(session_record(_ns(row), len(mine)), analyzers=used))
        return records

    def record(self, session_id: uuid.UUID) -> SessionRecord:
        return self._records([self.uow.table("analysis_sessions")[session_id]])[0]

    def unfinished(self, owner_id: uuid.UUID) -> list[UnfinishedSession]:
        return [
            UnfinishedSession(s["id"], s["runner"], s["heartbeat_at"])
            for s in self.uow.table("analysis_sessions").values()
            if s["user_id"] == owner_id
            and s["status"] in (SessionStatus.RUNNING.value, SessionStatus.PENDING.value)
        ]

    def mark_failed(self, session_ids: Sequence[uuid.UUID], error: str, at: datetime) -> None:
        for session_id in session_ids:
            self.uow.change(
                "analysis_sessions",
                session_id,
                status=SessionStatus.FAILED.value,
                error=error,
                finished_at=at,
            )

    def listed(
        self, owner_id: uuid.UUID, *, job_id: uuid.UUID | None, general: bool
    ) -> list[SessionRecord]:
        rows = [
            s
            for s in self.uow.table("analysis_sessions").values()
            if s["user_id"] == owner_id
            and (job_id is None or s["job_posting_id"] == job_id)
            and (job_id is not None or not general or s["job_posting_id"] is None)
        ]
        return self._records(_newest_first(rows))

    def results(
        self, owner_id: uuid.UUID, session_id: uuid.UUID
    ) -> tuple[SessionRecord, list[AnalysisOutcome]] | None:
        row = self.uow.table("analysis_sessions").get(session_id)
        if row is None or row["user_id"] != owner_id:
            return None
        resumes = self.uow.table("resumes")
        mine = [
            r
            for r in self.uow.table("resume_analyses").values()
            if r["analysis_session_id"] == session_id and r["resume_id"] in resumes
        ]
        mine.sort(
            key=lambda r: (
                r["overall_fit_score"] is None,
                -(r["overall_fit_score"] or 0),
                r["created_at"],
            )
        )
        return self._records([row])[0], [
            outcome_record(
                _ns(r),
                file_name=resumes[r["resume_id"]]["file_name"],
                candidate_name=resumes[r["resume_id"]]["candidate_name"],
            )
            for r in mine
        ]

    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str]]:
        rows = sorted(
            (s for s in self.uow.table("analysis_sessions").values() if s["user_id"] == owner_id),
            key=lambda s: s["id"],
        )
        return [(s["id"], s["session_name"], s["status"]) for s in rows if low <= s["id"] <= high][
            :limit
        ]


class FakeAnalysisResults(_Repository):
    def add(self, result: NewResult) -> AnalysisOutcome:
        self._check("add")
        row = {**asdict(result), "id": uuid.uuid4()}
        self.uow.put("resume_analyses", row["id"], row)
        return outcome_record(_ns(row))

    def history(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID
    ) -> tuple[ResumeRecord, list[HistoryItem]] | None:
        resume = self.uow.table("resumes").get(resume_id)
        if resume is None or resume["user_id"] != owner_id:
            return None
        runs = self.uow.table("analysis_sessions")
        jobs = self.uow.table("job_postings")
        rows = _newest_first(
            r
            for r in self.uow.table("resume_analyses").values()
            if r["resume_id"] == resume_id and runs[r["analysis_session_id"]]["user_id"] == owner_id
        )
        items = []
        for r in rows:
            run = runs[r["analysis_session_id"]]
            job = jobs.get(run["job_posting_id"]) if run["job_posting_id"] else None
            items.append(
                HistoryItem(
                    session_id=run["id"],
                    session_name=run["session_name"],
                    job_posting_id=run["job_posting_id"],
                    job_title=job["title"] if job else None,
                    session_status=SessionStatus(run["status"]),
                    status=ResultStatus(r["status"]),
                    error=r["error"],
                    overall_fit_score=r["overall_fit_score"],
                    skill_match_score=r["skill_match_score"],
                    summary=r["summary"],
                    reasoning=r["reasoning"],
                    matched_skills=tuple(r["matched_skills"]),
                    missing_skills=tuple(r["missing_skills"]),
                    analyzer=f"{r['analyzer_name']} {r['analyzer_version']}",
                    created_at=r["created_at"],
                    analyzer_name=r["analyzer_name"],
                    analyzer_version=r["analyzer_version"],
                    fallback_reason=r["fallback_reason"],
                )
            )
        return resume_record(_ns(resume), len(items)), items


# ------------------------------------------------------------------------------------ the rest
class FakeUsers(_Repository):
    def id_by_login(self, login_name: str) -> uuid.UUID | None:
        return next(
            (u["id"] for u in self.uow.table("users").values() if u["login_name"] == login_name),
            None,
        )

    def id_by_role(self, db_role: str) -> uuid.UUID | None:
        return next(
            (u["id"] for u in self.uow.table("users").values() if u["db_role"] == db_role), None
        )

    def add(self, login_name: str, display_name: str) -> uuid.UUID:
        user_id = uuid.uuid4()
        self.uow.put(
            "users",
            user_id,
            {
                "id": user_id,
                "login_name": login_name,
                "display_name": display_name,
                "email": None,
                "db_role": None,
                "created_at": utcnow(),
            },
        )
        return user_id


class FakeAuditTrail(_Repository):
    def add(
        self,
        *,
        owner_id: uuid.UUID,
        action: str,
        subject_id: uuid.UUID | None = None,
        detail: Mapping[str, Any] | None = None,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> None:
        event_id = uuid.uuid4()
        self.uow.put(
            "audit_events",
            event_id,
            {
                "id": event_id,
                "user_id": owner_id,
                "actor": actor or "",
                "action": action,
                "subject_id": subject_id,
                "detail": json.dumps(dict(detail or {}), sort_keys=True, default=str),
                "created_at": at or utcnow(),
            },
        )

    def events(
        self, owner_id: uuid.UUID, *, since: datetime | None, limit: int
    ) -> list[AuditEvent]:
        rows = _newest_first(
            e
            for e in self.uow.table("audit_events").values()
            if e["user_id"] == owner_id and (since is None or e["created_at"] >= since)
        )
        return [
            AuditEvent(
                id=e["id"],
                action=e["action"],
                actor=e["actor"],
                subject_id=e["subject_id"],
                detail=json.loads(e["detail"]),
                created_at=e["created_at"],
            )
            for e in rows[:limit]
        ]


class FakeLibraryRows(_Repository):
    def owned(self, table: CopiedTable, owner_id: uuid.UUID) -> list[dict[str, Any]]:
        return [dict(r) for r in self.uow.table(table).values() if r["user_id"] == owner_id]

    def results_of(self, session_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.uow.table("resume_analyses").values()
            if r["analysis_session_id"] in session_ids
        ]

    def existing_ids(self, table: CopiedTable, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        present = self.uow.table(table)
        return {i for i in ids if i in present}

    def insert(self, table: CopiedTable, values: Mapping[str, Any]) -> None:
        self.uow.put(table, values["id"], dict(values))

    def result_pairs(self, session_ids: Sequence[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
        return {
            (r["resume_id"], r["analysis_session_id"])
            for r in self.uow.table("resume_analyses").values()
            if r["analysis_session_id"] in session_ids
        }


class FakeLegacyJournal(_Repository):
    def upsert(self, entries: Sequence[Mapping[str, Any]]) -> None:
        for entry in entries:
            self.uow.put("legacy_migration_journal", entry["key"], dict(entry))


# ------------------------------------------------------------------------------------ store
class FakeObjectStore:
    """Objects in a dict. ``down`` (a StorageError code, "timeout" or "unreachable") makes every
    call fail as a store that stopped answering does; ``calls`` lists what was asked."""

    description = "memory"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.metadata: dict[str, dict[str, str]] = {}
        self.modified: dict[str, datetime] = {}
        self.calls: list[str] = []
        self.down: str | None = None
        self._lock = threading.Lock()

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if self.down is not None:
            raise StorageError(
                "File storage didn't answer in time. Nothing was lost; try again.",
                detail=f"{name} code={self.down}",
                code=self.down,
            )

    def put(
        self,
        key: str,
        data: bytes,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
        overwrite: bool = False,
    ) -> bool:
        self._call("put")
        if hashlib.sha256(data).hexdigest() != sha256_hex:
            raise StorageError("The file changed on its way to storage.", code="bad_digest")
        with self._lock:
            if key in self.objects and not overwrite:
                return False
            self.objects[key] = data
            self.metadata[key] = {"media-type": media_type, **metadata}
            self.modified[key] = datetime.now(UTC)
        return True

    def copy(
        self,
        src_key: str,
        dst_key: str,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
    ) -> bool:
        self._call("copy")
        data = self.get(src_key)
        if dst_key in self.objects:
            return False
        return self.put(
            dst_key, data, sha256_hex=sha256_hex, media_type=media_type, metadata=metadata
        )

    def get(self, key: str) -> bytes:
        self._call("get")
        try:
            return self.objects[key]
        except KeyError:
            raise ObjectNotFound(f"No stored file {key}.", code="not_found") from None

    def exists(self, key: str) -> bool:
        return key in self.objects

    def sha256_of(self, key: str) -> str:
        return hashlib.sha256(self.get(key)).hexdigest()

    def delete(self, key: str) -> None:
        self._call("delete")
        with self._lock:
            self.objects.pop(key, None)
            self.metadata.pop(key, None)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        for key in sorted(self.objects):
            if key.startswith(prefix):
                yield ObjectInfo(key, len(self.objects[key]), self.modified[key])


# ------------------------------------------------------------------------------------ analyzer
class FakeAnalyzer:
    """Scores every resume 80/70, except those whose text contains ``fail_on``."""

    name = "fake"
    version = "1"

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on = fail_on

    def check_job(self, job: JobPosting | None) -> None:
        return None

    def analyze(self, resume_text: str, job: JobPosting | None) -> AnalysisResult:
        from recur_desktop.analysis import AnalysisError

        if self.fail_on and self.fail_on in resume_text:
            raise AnalysisError("The resume could not be scored.")
        return AnalysisResult(
            overall_fit_score=80.0, skill_match_score=70.0, summary="fits", reasoning="because"
        )
