"""Whole rows as plain values, for a transfer that copies a library to another database with
its ids (so a rerun skips what is there already)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, select

from recur_desktop.persistence.errors import SqlRepository
from recur_desktop.persistence.ports import CopiedTable
from recur_desktop.persistence.tables import (
    AnalysisSessionRow,
    Base,
    JobPostingRow,
    ResumeAnalysisRow,
    ResumeRow,
)

_MODELS: dict[str, type[Base]] = {
    "job_postings": JobPostingRow,
    "resumes": ResumeRow,
    "analysis_sessions": AnalysisSessionRow,
    "resume_analyses": ResumeAnalysisRow,
}
#: Ids go to ``IN (...)`` lists this many at a time (SQLite's parameter limit).
CHUNK = 500


def _values(row: Any, table: Table) -> dict[str, Any]:
    return {column.name: getattr(row, column.key) for column in table.columns}


class SqlLibraryRows(SqlRepository):
    def owned(self, table: CopiedTable, owner_id: uuid.UUID) -> list[dict[str, Any]]:
        model: Any = _MODELS[table]
        return [
            _values(row, model.__table__)
            for row in self.session.scalars(select(model).where(model.user_id == owner_id))
        ]

    def results_of(self, session_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
        if not session_ids:
            return []
        table = ResumeAnalysisRow.__table__
        assert isinstance(table, Table)
        return [
            _values(row, table)
            for row in self.session.scalars(
                select(ResumeAnalysisRow).where(
                    ResumeAnalysisRow.analysis_session_id.in_(list(session_ids))
                )
            )
        ]

    def existing_ids(self, table: CopiedTable, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        model: Any = _MODELS[table]
        wanted = list(ids)
        found: set[uuid.UUID] = set()
        for start in range(0, len(wanted), CHUNK):
            found.update(
                self.session.scalars(
                    select(model.id).where(model.id.in_(wanted[start : start + CHUNK]))
                )
            )
        return found

    def insert(self, table: CopiedTable, values: Mapping[str, Any]) -> None:
        model: Any = _MODELS[table]
        self.session.execute(model.__table__.insert().values(dict(values)))

    def result_pairs(self, session_ids: Sequence[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
        return {
            (r, s)
            for r, s in self.session.execute(
                select(ResumeAnalysisRow.resume_id, ResumeAnalysisRow.analysis_session_id).where(
                    ResumeAnalysisRow.analysis_session_id.in_(list(session_ids) or [uuid.uuid4()])
                )
            )
        }
