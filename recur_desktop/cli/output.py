"""Documents and tables: what a command prints, exact in JSON and escaped for people."""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from recur_desktop.analysis import (
    describe_analyzer,
)
from recur_desktop.domain import (
    AnalysisOutcome,
    HistoryItem,
    JobPosting,
    Page,
    ResumeRecord,
    SessionRecord,
)
from recur_desktop.text_safety import is_hidden, visible


# --------------------------------------------------------------------------- output
def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def resume_doc(r: ResumeRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "file_name": r.file_name,
        "s3_resume_key": r.s3_resume_key,
        "content_sha256": r.content_sha256,
        "size_bytes": r.size_bytes,
        "media_type": r.media_type,
        "created_at": r.created_at,
        "job_posting_id": r.job_posting_id,
        "candidate_name": r.candidate_name,
        "candidate_email": r.candidate_email,
        "analysis_count": r.analysis_count,
        "deleted_at": r.deleted_at,
    }


def job_doc(j: JobPosting) -> dict[str, Any]:
    return {
        "id": j.id,
        "title": j.title,
        "company": j.company,
        "description": j.description,
        "required_skills": list(j.required_skills),
        "preferred_skills": list(j.preferred_skills),
        "min_years": j.min_years,
        "created_at": j.created_at,
        "archived_at": j.archived_at,
    }


def session_doc(s: SessionRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "session_name": s.session_name,
        "job_posting_id": s.job_posting_id,
        "status": s.status,
        "created_at": s.created_at,
        "finished_at": s.finished_at,
        "analyzer": s.analyzer,
        # Every analyzer that scored one of its results (a fallback adds the built-in one).
        "analyzers": list(s.analyzers),
        "result_count": s.result_count,
        "error": s.error,
    }


def _provenance(name: str, version: str, reason: str | None) -> dict[str, Any]:
    """The analyzer that produced a result, stored fields and the words the window uses."""
    return {
        "analyzer_name": name,
        "analyzer_version": version,
        "fallback_reason": reason,
        "scored_by": describe_analyzer(name, version, reason),
    }


def outcome_doc(o: AnalysisOutcome) -> dict[str, Any]:
    r = o.result
    return {
        "resume_id": o.resume_id,
        "file_name": o.file_name,
        "candidate_name": o.candidate_name,
        "status": o.status,
        "error": o.error,
        "overall_fit_score": r.overall_fit_score if r else None,
        "skill_match_score": r.skill_match_score if r else None,
        "summary": r.summary if r else None,
        "reasoning": r.reasoning if r else None,
        "matched_skills": list(r.matched_skills) if r else [],
        "missing_skills": list(r.missing_skills) if r else [],
        "analyzer": o.analyzer,
        **_provenance(o.analyzer_name, o.analyzer_version, o.fallback_reason),
    }


def history_doc(h: HistoryItem) -> dict[str, Any]:
    return {
        "session_id": h.session_id,
        "session_name": h.session_name,
        "job_posting_id": h.job_posting_id,
        "job_title": h.job_title if h.job_posting_id else "General",
        "session_status": h.session_status,
        "status": h.status,
        "error": h.error,
        "overall_fit_score": h.overall_fit_score,
        "skill_match_score": h.skill_match_score,
        "summary": h.summary,
        "reasoning": h.reasoning,
        "matched_skills": list(h.matched_skills),
        "missing_skills": list(h.missing_skills),
        "analyzer": h.analyzer,
        **_provenance(h.analyzer_name, h.analyzer_version, h.fallback_reason),
        "created_at": h.created_at,
    }


def _page_doc(page: Page[ResumeRecord]) -> dict[str, Any]:
    return {"total": page.total, "items": [resume_doc(r) for r in page.items]}


def _cell(value: Any) -> str:
    return visible(_cell_text(value))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(_jsonable(value)) if isinstance(value, uuid.UUID | Enum) else str(value)


def shown(value: Any) -> Any:
    """``value`` (a command's document) with every string in it escaped by :func:`visible`,
    for the readable renderers: a name holding a newline can't add a line, and an ESC
    sequence can't recolour the terminal. Types are kept where nothing needed escaping (a
    ``SessionStatus`` stays one)."""
    if isinstance(value, str):
        escaped = visible(value)
        return value if escaped == value else escaped
    if isinstance(value, Path):
        escaped = visible(str(value))
        return value if escaped == str(value) else escaped
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shown(v) for v in value]
    if isinstance(value, tuple):
        return tuple(shown(v) for v in value)
    return value


def visible_lines(text: str) -> str:
    """A rendered text, line by line, with anything :func:`visible` escapes escaped (the
    renderers' own line breaks stay): the net under every readable output."""
    return "\n".join(visible(line) for line in text.split("\n"))


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: Any) -> str:
    """``document`` as JSON, exact: a parser gets every string back as it was. Control
    characters are escaped by JSON itself; format characters (bidi overrides), line separators
    and lone surrogates are written as ``\\uXXXX`` too, so the raw output is safe in a terminal
    and always encodes."""
    text = json.dumps(document, default=_jsonable, ensure_ascii=False)
    if text.isascii():
        return text
    return "".join(_json_escape(ch) if is_hidden(ch) else ch for ch in text)


#: Readable tables fit a terminal this wide (or the terminal's own width when stdout is one);
#: long cells are cut with an ellipsis, ids never. ``--json`` is always complete.
TABLE_WIDTH = 100

#: Short headings for long keys (the JSON keeps the keys).
HEADINGS = {
    "file_name": "FILE",
    "candidate_name": "CANDIDATE",
    "media_type": "TYPE",
    "created_at": "CREATED",
    "overall_fit_score": "FIT",
    "skill_match_score": "SKILLS",
    "required_skills": "REQUIRED",
    "preferred_skills": "PREFERRED",
    "min_years": "YEARS",
    "session_name": "SESSION",
    "result_count": "RESULTS",
    "job_title": "JOB",
}


def _table_width() -> int:
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        return max(shutil.get_terminal_size((TABLE_WIDTH, 24)).columns, 40)
    return TABLE_WIDTH


def _width(text: str) -> int:
    """Terminal columns ``text`` takes (wide CJK characters two, combining marks none)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, an ellipsis marking the cut."""
    if _width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > width - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"


#: Columns whose values are short and only useful whole (dates, states, scores): never cut.
WHOLE_COLUMNS = frozenset(
    {
        "created_at",
        "finished_at",
        "added",
        "status",
        "state",
        "type",
        "overall_fit_score",
        "skill_match_score",
        "result_count",
        "min_years",
    }
)


def _never_cut(column: str) -> bool:
    return column == "id" or column.endswith("_id") or column in WHOLE_COLUMNS


def _column_widths(
    natural: list[int], floors: list[int], flexible: list[bool], room: int
) -> list[int]:
    """Shrink the widest flexible columns first (to a common cap, never below their floor)
    until the row fits ``room`` columns, or nothing is left to shrink."""
    if sum(natural) <= room or not any(flexible):
        return natural

    def at(cap: int) -> list[int]:
        return [
            min(n, max(cap, f)) if flex else n
            for n, f, flex in zip(natural, floors, flexible, strict=True)
        ]

    low, high = 0, max(n for n, flex in zip(natural, flexible, strict=True) if flex)
    while low < high:  # the widest cap that fits
        mid = (low + high + 1) // 2
        if sum(at(mid)) <= room:
            low = mid
        else:
            high = mid - 1
    return at(low)


def table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, width: int | None = None
) -> str:
    """Rows as aligned columns that fit ``width`` (default: :func:`_table_width`): long text
    cells are cut with an ellipsis, widest first; ids, dates, states and scores never are."""
    headings = [HEADINGS.get(c, c.upper()) for c in columns]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    natural = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headings)]
    floors = [min(n, max(_width(h), 6)) for n, h in zip(natural, headings, strict=True)]
    room = (width or _table_width()) - 2 * (len(columns) - 1)
    widths = _column_widths(natural, floors, [not _never_cut(c) for c in columns], room)

    def line(values: Sequence[str]) -> str:
        fitted = [_fit(v, w) for v, w in zip(values, widths, strict=True)]
        padded = [v + " " * (w - _width(v)) for v, w in zip(fitted, widths, strict=True)]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headings)] + [line(r) for r in cells])
