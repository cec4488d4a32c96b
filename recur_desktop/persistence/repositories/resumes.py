"""Resumes: rows of one owner's library and trash, its paging and search, and doctor's flags.

Search uses each database's own index, chosen here once per unit of work: FTS5 word prefixes
on SQLite, trigram-indexed substrings (``pg_trgm``) on Postgres.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TextClause, false, func, or_, select, text, tuple_, update

from recur_desktop.domain import Page, ResumeRecord
from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.ports import (
    FileCheck,
    FileDescription,
    ResumeFile,
    ResumeValues,
)
from recur_desktop.persistence.queries import live_resume_count
from recur_desktop.persistence.records import resume_record
from recur_desktop.persistence.tables import ResumeAnalysisRow, ResumeRow, utcnow

# What FTS5's unicode61 tokenizer treats as one word; everything else separates words.
_FTS_WORD = re.compile(r"\w+")

#: Library orders the paging indexes support (revision 0004).
SORT_COLUMNS = {
    "added": ResumeRow.created_at,
    "file_name": ResumeRow.file_name,
    "size": ResumeRow.size_bytes,
}

#: Ids go to ``IN (...)`` lists this many at a time (SQLite's old limit is 999 parameters).
CHUNK = 500


class SqlResumes(SqlRepository):
    # ----------------------------------------------------------------- writing
    def add(self, values: ResumeValues) -> ResumeRecord:
        fields = asdict(values)
        fields["created_at"] = values.created_at or utcnow()
        row = ResumeRow(**fields)
        self.session.add(row)
        return resume_record(row)

    def set_deleted_at(
        self, owner_id: uuid.UUID, resume_id: uuid.UUID, deleted_at: datetime | None
    ) -> None:
        self._row(owner_id, resume_id).deleted_at = deleted_at

    def remove(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> None:
        self.session.delete(self._row(owner_id, resume_id))

    def clear_problem(self, owner_id: uuid.UUID, resume_id: uuid.UUID, *, restore: bool) -> bool:
        values: dict[str, Any] = {"integrity_problem": None}
        if restore:
            values["deleted_at"] = None
        cleared = self.session.execute(
            update(ResumeRow)
            .where(ResumeRow.id == resume_id, ResumeRow.user_id == owner_id)
            .values(**values)
        )
        return bool(getattr(cleared, "rowcount", 0))

    def set_problem(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID], problem: str | None
    ) -> None:
        for start in range(0, len(resume_ids), CHUNK):
            self.session.execute(
                update(ResumeRow)
                .where(
                    ResumeRow.user_id == owner_id,
                    ResumeRow.id.in_(resume_ids[start : start + CHUNK]),
                )
                .values(integrity_problem=problem)
            )

    def _row(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRow:
        """A row this unit of work read already (the identity map answers, no statement)."""
        row = self.session.get(ResumeRow, resume_id)
        if row is None or row.user_id != owner_id:
            raise LookupError(f"resume {resume_id} was not read in this unit of work")
        return row

    # ----------------------------------------------------------------- reading
    def by_content(self, owner_id: uuid.UUID, sha256: str) -> ResumeFile | None:
        row = self.session.scalar(
            select(ResumeRow).where(
                ResumeRow.user_id == owner_id, ResumeRow.content_sha256 == sha256
            )
        )
        if row is None:
            return None
        return ResumeFile(
            id=row.id,
            file_name=row.file_name,
            s3_resume_key=row.s3_resume_key,
            content_sha256=row.content_sha256,
            media_type=row.media_type,
            deleted_at=row.deleted_at,
            integrity_problem=row.integrity_problem,
        )

    def exists(self, resume_id: uuid.UUID) -> bool:
        return self.session.get(ResumeRow, resume_id) is not None

    def get(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRecord | None:
        row = self._owned(owner_id, resume_id)
        return None if row is None else resume_record(row)

    def analysis_count(self, resume_id: uuid.UUID) -> int:
        count = self.session.scalar(
            select(func.count(ResumeAnalysisRow.id)).where(ResumeAnalysisRow.resume_id == resume_id)
        )
        return count or 0

    def text_of(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> str | None:
        row = self._owned(owner_id, resume_id)
        return None if row is None else row.text_content

    def text_by_id(self, resume_id: uuid.UUID) -> str | None:
        return self.session.scalar(select(ResumeRow.text_content).where(ResumeRow.id == resume_id))

    def trashed_before(self, owner_id: uuid.UUID, cutoff: datetime) -> list[ResumeRecord]:
        return [
            resume_record(row)
            for row in self.session.scalars(
                select(ResumeRow).where(
                    ResumeRow.user_id == owner_id,
                    ResumeRow.deleted_at.is_not(None),
                    ResumeRow.deleted_at <= cutoff,
                )
            )
        ]

    def _owned(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> ResumeRow | None:
        return self.session.scalar(
            select(ResumeRow).where(ResumeRow.id == resume_id, ResumeRow.user_id == owner_id)
        )

    # ----------------------------------------------------------------- paging and search
    def _analysis_count(self) -> ColumnElement[int]:
        return (
            select(func.count(ResumeAnalysisRow.id))
            .where(ResumeAnalysisRow.resume_id == ResumeRow.id)
            .correlate(ResumeRow)
            .scalar_subquery()
        )

    def _conditions(
        self, owner_id: uuid.UUID, *, trashed: bool, search: str | None
    ) -> list[ColumnElement[bool] | TextClause]:
        conditions: list[ColumnElement[bool] | TextClause] = [
            ResumeRow.user_id == owner_id,
            ResumeRow.deleted_at.is_not(None) if trashed else ResumeRow.deleted_at.is_(None),
        ]
        if search and search.strip():
            conditions.append(self._matches(search.strip()))
        return conditions

    def _matches(self, term: str) -> ColumnElement[bool] | TextClause:
        """Search in the database's own index: FTS5 word prefixes on SQLite, trigram-indexed
        substrings on Postgres."""
        if self.dialect == "sqlite":
            words = _FTS_WORD.findall(term)
            if not words:
                return false()
            query = " AND ".join(f'"{word}"*' for word in words)
            return text(
                "resumes.rowid IN (SELECT rowid FROM resumes_fts WHERE resumes_fts MATCH :fts)"
            ).bindparams(fts=query)
        return or_(
            ResumeRow.file_name.icontains(term, autoescape=True),
            ResumeRow.candidate_name.icontains(term, autoescape=True),
            ResumeRow.candidate_email.icontains(term, autoescape=True),
            ResumeRow.text_content.icontains(term, autoescape=True),
        )

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
        column = SORT_COLUMNS[sort]
        conditions = self._conditions(owner_id, trashed=trashed, search=search)
        stmt = select(ResumeRow, self._analysis_count()).where(*conditions)
        if after is not None:
            key = tuple_(column, ResumeRow.id)
            stmt = stmt.where(key < tuple(after) if descending else key > tuple(after))
        order = (column.desc(), ResumeRow.id.desc()) if descending else (column, ResumeRow.id)
        session = self.session
        total = None
        if with_total and not trashed and not (search and search.strip()):
            total = session.scalar(select(live_resume_count(owner_id))) or 0
        elif with_total:
            total = (
                session.scalar(select(func.count()).select_from(ResumeRow).where(*conditions)) or 0
            )
        rows = session.execute(stmt.order_by(*order).limit(limit).offset(offset)).all()
        items = [resume_record(row, count) for row, count in rows]
        next_after = None
        if len(rows) == limit:
            last = rows[-1][0]
            next_after = (getattr(last, column.key), last.id)
        return Page(total=total, items=items, next_after=next_after)

    # ----------------------------------------------------------------- doctor
    def file_checks(self, owner_id: uuid.UUID) -> list[FileCheck]:
        return [
            FileCheck(id=rid, s3_resume_key=key, content_sha256=sha, integrity_problem=flag)
            for rid, key, sha, flag in self.session.execute(
                select(
                    ResumeRow.id,
                    ResumeRow.s3_resume_key,
                    ResumeRow.content_sha256,
                    ResumeRow.integrity_problem,
                ).where(ResumeRow.user_id == owner_id)
            )
        ]

    def describe(
        self, owner_id: uuid.UUID, resume_ids: Sequence[uuid.UUID]
    ) -> list[FileDescription]:
        described: list[FileDescription] = []
        for start in range(0, len(resume_ids), CHUNK):
            chunk = resume_ids[start : start + CHUNK]
            described += [
                FileDescription(
                    id=row.id,
                    file_name=row.file_name,
                    candidate_name=row.candidate_name,
                    s3_resume_key=row.s3_resume_key,
                    deleted_at=row.deleted_at,
                )
                for row in self.session.execute(
                    select(
                        ResumeRow.id,
                        ResumeRow.file_name,
                        ResumeRow.candidate_name,
                        ResumeRow.s3_resume_key,
                        ResumeRow.deleted_at,
                    ).where(ResumeRow.user_id == owner_id, ResumeRow.id.in_(chunk))
                )
            ]
        return described

    # ----------------------------------------------------------------- ids
    def ids_between(
        self, owner_id: uuid.UUID, low: uuid.UUID, high: uuid.UUID, limit: int
    ) -> list[tuple[uuid.UUID, str, str | None, datetime | None]]:
        stmt = (
            select(
                ResumeRow.id, ResumeRow.file_name, ResumeRow.candidate_name, ResumeRow.deleted_at
            )
            .where(ResumeRow.user_id == owner_id, ResumeRow.id >= low, ResumeRow.id <= high)
            .order_by(ResumeRow.id)
            .limit(limit)
        )
        return [(r[0], r[1], r[2], r[3]) for r in self.session.execute(stmt)]
