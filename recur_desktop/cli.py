"""``recur``: the headless command line over the same services the desktop window uses.

Contract: ``--json`` (before or after the subcommand) prints exactly one JSON document on
stdout. Exit 0 when the command did its job, 2 for usage errors, 1 for anything else with one
clear line on stderr (a traceback only with ``--debug``).

What reaches the terminal is safe to show: every readable line passes through
:func:`recur_desktop.text_safety.visible` (a file name's ESC sequence, newline or bidi override
prints as ``\\x1b``, ``\\n``, ``\\u202e``), and every error line and traceback through
:func:`recur_desktop.logs.mask` (no password in any form). ``--json`` keeps the exact strings;
JSON escapes the control characters, and the output escapes format characters as ``\\uXXXX``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from recur_desktop import __version__
from recur_desktop.analysis import (
    describe_analyzer,
    describe_analyzers,
    split_analyzer,
)
from recur_desktop.credentials import CredentialError
from recur_desktop.domain import (
    AnalysisOutcome,
    HistoryItem,
    JobPosting,
    Page,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)
from recur_desktop.domain.media import SHORT_LABELS, short_label
from recur_desktop.logs import SecretFilter, mask
from recur_desktop.services import ServiceError
from recur_desktop.services.export import ExportExists, export_session, format_for
from recur_desktop.services.ids import AmbiguousId, IdKind, IdResolver, normalise_prefix
from recur_desktop.services.jobs import read_description_file
from recur_desktop.services.library import hidden_skipped_note
from recur_desktop.settings import SettingsError
from recur_desktop.storage import StorageError
from recur_desktop.text_safety import is_hidden, visible

log = logging.getLogger("recur_desktop.cli")


class UsageError(Exception):
    """The command line asks for something that can't be done as asked (exit 2, like argparse's
    own errors): an ambiguous id prefix, an export file of unknown type..."""


class CommandFailed(Exception):
    """The command ran but did not do its job (e.g. a session that ended ``failed``)."""

    def __init__(self, message: str, document: Any) -> None:
        super().__init__(message)
        self.document = document


# --------------------------------------------------------------------------- parsing
def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an id (a UUID)") from None


@dataclass(frozen=True)
class IdRef:
    """An id as typed: a whole UUID or a prefix of at least 8 hex digits, resolved to one of
    the user's ids once the library is open (:func:`resolve_ids`)."""

    kind: IdKind
    digits: str


def _id_of(kind: IdKind) -> Callable[[str], IdRef]:
    def parse(value: str) -> IdRef:
        try:
            return IdRef(kind, normalise_prefix(value))
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = f"{kind.value}_id"
    return parse


_resume_id = _id_of(IdKind.RESUME)
_job_id = _id_of(IdKind.JOB)
_session_id = _id_of(IdKind.SESSION)


def resolve_ids(ctx: Any, args: argparse.Namespace) -> None:
    """Replace every :class:`IdRef` in ``args`` (alone or in a list) by the id it names, looked
    up among this user's rows: :class:`~recur_desktop.services.ids.AmbiguousId` or
    ``NotFound`` otherwise."""
    resolver = IdResolver(ctx.uow, ctx.owner_id)
    for name, value in vars(args).items():
        if isinstance(value, IdRef):
            setattr(args, name, resolver.resolve(value.kind, value.digits))
        elif isinstance(value, list) and any(isinstance(v, IdRef) for v in value):
            resolved = [
                resolver.resolve(v.kind, v.digits) if isinstance(v, IdRef) else v for v in value
            ]
            setattr(args, name, resolved)


def _non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def _positive_int(value: str) -> int:
    number = _non_negative_int(value)
    if number == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number >= 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def _date(value: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-12-31") from None
    return day.replace(tzinfo=UTC)


def _skills(value: str) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()]


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Subcommands use SUPPRESS so a flag given before the subcommand is not reset after it.
    default = False if top else argparse.SUPPRESS
    parser.add_argument("--json", action="store_true", default=default, help="print JSON")
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks and debug logs"
    )


def _context(parser: argparse.ArgumentParser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--job", type=_job_id, metavar="JOB_ID", help="a job posting's id")
    group.add_argument("--general", action="store_true", help="general analysis (no job)")


def _paging(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=_positive_int, default=50)
    parser.add_argument("--offset", type=_non_negative_int, default=0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recur",
        description="Recur Desktop: a resume library scored against your job postings.",
        epilog="Ids: give a whole id or its first 8 or more characters, like git (0b6f12ab).",
    )
    parser.add_argument("--version", action="version", version=f"recur {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        return p

    p = command("import", "import resume files and folders (PDF, DOCX, TXT)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--job", type=_job_id, metavar="JOB_ID", help="upload context (optional)")

    p = command("resumes", "list the library")
    p.add_argument("--search", metavar="TEXT", help="file name, candidate or text")
    _paging(p)

    p = command("jobs", "job postings")
    jobs = p.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    add = jobs.add_parser("add", help="create a job posting")
    _common(add, top=False)
    add.add_argument("--title", required=True)
    add.add_argument("--company", default="")
    text = add.add_mutually_exclusive_group()
    text.add_argument("--description", default=None)
    text.add_argument(
        "--description-file", type=Path, default=None, metavar="FILE", help="PDF, DOCX or TXT"
    )
    add.add_argument("--required", type=_skills, default=[], metavar="a,b,c")
    add.add_argument("--preferred", type=_skills, default=[], metavar="a,b,c")
    add.add_argument("--min-years", type=_non_negative_float, default=None, metavar="N")
    edit_help = "change the fields given of a job posting (past results keep their scores)"
    edit = jobs.add_parser("edit", help=edit_help, description=edit_help)
    _common(edit, top=False)
    edit.add_argument("id", type=_job_id, metavar="JOB_ID")
    edit.add_argument("--title", default=None)
    edit.add_argument("--company", default=None)
    text = edit.add_mutually_exclusive_group()
    text.add_argument("--description", default=None)
    text.add_argument(
        "--description-file", type=Path, default=None, metavar="FILE", help="PDF, DOCX or TXT"
    )
    edit.add_argument("--required", type=_skills, default=None, metavar="a,b,c")
    edit.add_argument("--preferred", type=_skills, default=None, metavar="a,b,c")
    years = edit.add_mutually_exclusive_group()
    years.add_argument("--min-years", type=_non_negative_float, default=None, metavar="N")
    years.add_argument("--no-min-years", action="store_true", help="remove the minimum")
    listing = jobs.add_parser("list", help="list job postings")
    _common(listing, top=False)
    listing.add_argument("--all", action="store_true", help="include archived jobs (marked)")
    archive = jobs.add_parser("archive", help="archive a job posting (its history stays)")
    _common(archive, top=False)
    archive.add_argument("id", type=_job_id, metavar="JOB_ID")

    p = command("available", "resumes not yet analysed for a job (or for general analysis)")
    _context(p, required=True)
    _paging(p)

    p = command("analyze", "score resumes against a job (or a general analysis)")
    _context(p, required=True)
    p.add_argument("--name", default=None, help="session name")
    p.add_argument("--resume", type=_resume_id, action="append", default=[], metavar="RESUME_ID")
    p.add_argument(
        "--include-analyzed", action="store_true", help="also re-analyse already analysed resumes"
    )

    p = command("sessions", "analysis sessions, newest first")
    _context(p, required=False)

    p = command("results", "one session's results, best fit first")
    p.add_argument("id", type=_session_id, metavar="SESSION_ID")

    p = command("export", "save one session's results, best fit first, as CSV or XLSX")
    p.add_argument("id", type=_session_id, metavar="SESSION_ID")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--format", choices=["csv", "xlsx"], default=None, help="default: from FILE's suffix"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = command("history", "every analysis of one resume, newest first")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")

    p = command("delete", "move a resume to the trash")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p = command("restore", "bring a resume back from the trash")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p = command("trash", "list the trash")
    _paging(p)
    p = command(
        "purge",
        "remove resumes from the trash for good (rows, then files); never touches the library",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--older-than-days",
        type=_non_negative_float,
        default=None,
        metavar="N",
        help="trashed more than N days ago (default 30)",
    )
    which.add_argument(
        "--id",
        type=_resume_id,
        default=None,
        metavar="RESUME_ID",
        help="one trashed resume now (to remove a resume in the library, use erase)",
    )
    p = command(
        "erase",
        "erase one resume for good, in the library or the trash, with its file and history "
        "(a candidate's erasure request); asks first",
    )
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p.add_argument(
        "--yes", action="store_true", help="don't ask (needed when input is not a terminal)"
    )

    p = command("audit", "erasures, purges and repairs of your library, newest first")
    p.add_argument("--since", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=_positive_int, default=1000)

    p = command(
        "doctor",
        "check that every resume has its file and no file lacks a resume; lists each problem "
        "and exits 1 while any remains",
    )
    p.add_argument(
        "--repair",
        action="store_true",
        help="remove files without a resume older than 1 h (a missing or changed file comes "
        "back by importing its original again)",
    )

    from recur_desktop import cli_admin

    cli_admin.add_parsers(sub, _common)
    from recur_desktop import cli_legacy

    cli_legacy.add_parser(sub, _common)
    from recur_desktop import selftest

    selftest.add_parser(sub, _common)
    return parser


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


# --------------------------------------------------------------------------- commands
Renderer = Callable[[Any], str]


def _cmd_import(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    report = ctx.library.import_paths(args.paths, job_posting_id=args.job)
    doc = {
        "added": [
            {
                "id": a.resume.id,
                "file_name": a.file_name,
                "s3_resume_key": a.resume.s3_resume_key,
                "content_sha256": a.resume.content_sha256,
            }
            for a in report.added
        ],
        "duplicates": [
            {
                "file_name": d.file_name,
                "id": d.existing_id,
                # Kept for scripts; always false here now: those files are in "restored".
                "restored_from_trash": d.restored_from_trash,
            }
            for d in report.duplicates
        ],
        "restored": [{"file_name": d.file_name, "id": d.existing_id} for d in report.restored],
        "repaired": [
            {
                "file_name": r.file_name,
                "id": r.existing_id,
                "problem": r.problem,
                "restored_from_trash": r.restored_from_trash,
            }
            for r in report.repaired
        ],
        "rejected": [{"file_name": r.file_name, "reason": r.reason} for r in report.rejected],
        "hidden_skipped": report.hidden_skipped,
        "stopped": report.stopped,
    }
    return doc, _render_import


def _render_import(d: dict[str, Any]) -> str:
    counts = [f"{len(d['added'])} added"]
    if d["restored"]:
        counts.append(f"{len(d['restored'])} restored from the trash")
    if d["repaired"]:
        counts.append(f"{len(d['repaired'])} repaired")
    counts += [
        f"{len(d['duplicates'])} already in the library",
        f"{len(d['rejected'])} not imported",
    ]
    line = ", ".join(counts) + "."
    if d["hidden_skipped"]:
        line += f" {hidden_skipped_note(len(d['hidden_skipped']))}."
    # The outage sentence once, not once per file it left out.
    parts = [f"Import stopped: {d['stopped']}", line] if d["stopped"] else [line]
    if d["added"]:
        parts.append(table(d["added"], ["id", "file_name"]))
    if d["restored"]:
        parts.append("Restored from the trash:\n" + table(d["restored"], ["file_name", "id"]))
    if d["repaired"]:
        rows = [{**r, "stored_file_was": r["problem"]} for r in d["repaired"]]
        parts.append(
            "Repaired (the stored file is back):\n"
            + table(rows, ["file_name", "id", "stored_file_was"])
        )
    if d["duplicates"]:
        parts.append("Already in the library:\n" + table(d["duplicates"], ["file_name", "id"]))
    tried = [r for r in d["rejected"] if not d["stopped"] or r["reason"] != d["stopped"]]
    left_out = [r for r in d["rejected"] if d["stopped"] and r["reason"] == d["stopped"]]
    if tried:
        parts.append("Not imported:\n" + table(tried, ["file_name", "reason"]))
    if left_out:
        parts.append(
            "Not tried (the import stopped):\n" + "\n".join(f"  {r['file_name']}" for r in left_out)
        )
    return "\n\n".join(parts)


#: Short type names, the ones the window shows (``--json`` keeps the media type).
SHORT_TYPES = SHORT_LABELS
short_type = short_label


def _day(value: Any) -> Any:
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime) else value


def _render_resume_page(d: dict[str, Any]) -> str:
    rows = [
        {**r, "type": short_type(r["media_type"]), "added": _day(r["created_at"])}
        for r in d["items"]
    ]
    body = table(rows, ["id", "file_name", "candidate_name", "type", "added"])
    return f"{body}\n\n{len(d['items'])} shown of {d['total']}."


def _cmd_resumes(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.library.page(search=args.search, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _cmd_trash(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.library.page(trashed=True, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _cmd_jobs(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    columns = ["id", "title", "company", "required_skills", "min_years"]
    if args.jobs_command == "add":
        description = args.description or ""
        if args.description_file is not None:
            description = read_description_file(args.description_file)
        required, preferred, min_years = args.required, args.preferred, args.min_years
        proposed = False
        if description.strip() and not (required or preferred):
            # Read the skills from the pasted description; the user edits the job if needed.
            proposal = ctx.jobs.propose_requirements(description, title=args.title)
            required, preferred = list(proposal.required), list(proposal.preferred)
            if min_years is None:
                min_years = proposal.min_years
            proposed = True
        job = ctx.jobs.create(
            title=args.title,
            company=args.company,
            description=description,
            required_skills=required,
            preferred_skills=preferred,
            min_years=min_years,
        )
        doc = {**job_doc(job), "skills_proposed_from_description": proposed}

        def render(d: dict[str, Any]) -> str:
            note = (
                "\nSkills and minimum years were read from the description; "
                "check them with `recur jobs list`."
                if d["skills_proposed_from_description"]
                else ""
            )
            return table([d], columns) + note

        return doc, render
    if args.jobs_command == "archive":
        job = ctx.jobs.archive(args.id)
        return job_doc(job), lambda d: f"Archived {d['title']} ({d['id']})."
    if args.jobs_command == "edit":
        return _edit_job(ctx, args), lambda d: "Saved.\n" + table([d], columns)
    items = [job_doc(j) for j in ctx.jobs.list(include_archived=args.all)]
    if not args.all:
        return {"items": items}, lambda d: table(d["items"], columns)

    def render_all(d: dict[str, Any]) -> str:
        rows = [
            {**j, "state": f"archived {_day(j['archived_at'])}" if j["archived_at"] else "open"}
            for j in d["items"]
        ]
        return table(rows, [*columns, "state"])

    return {"items": items}, render_all


def _edit_job(ctx: Any, args: argparse.Namespace) -> dict[str, Any]:
    """``jobs edit``: only the options given change (a job's skills are not re-read from a new
    description: what the recruiter set stays theirs)."""
    description = args.description
    if args.description_file is not None:
        description = read_description_file(args.description_file)
    changes: dict[str, Any] = {
        "title": args.title,
        "company": args.company,
        "description": description,
        "required_skills": args.required,
        "preferred_skills": args.preferred,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.no_min_years:
        changes["min_years"] = None
    elif args.min_years is not None:
        changes["min_years"] = args.min_years
    if not changes:
        raise UsageError(
            "Nothing to change: give --title, --company, --description(-file), --required, "
            "--preferred, --min-years or --no-min-years."
        )
    return job_doc(ctx.jobs.edit(args.id, **changes))


def _cmd_available(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.analysis.available(args.job, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _render_results(d: dict[str, Any]) -> str:
    head = f"Session {d['session_id']}: {d['status']}"
    if d.get("error"):
        head += f" ({d['error']})"
    # A failed result has no summary but a reason: one column for either saves the width.
    rows = [{**r, "summary": r.get("summary") or r.get("error")} for r in d["results"]]
    body = table(
        rows,
        [
            "resume_id",
            "file_name",
            "candidate_name",
            "status",
            "overall_fit_score",
            "skill_match_score",
            "summary",
        ],
    )
    return f"{head}\n\n{body}{_scored_by(d['results'], _result_file, 'result', 'results')}"


def _result_file(row: dict[str, Any]) -> str:
    return _cell(row.get("file_name") or row["resume_id"])


def _history_entry(row: dict[str, Any]) -> str:
    return f"{_cell(row['created_at'])} {_cell(row['job_title'])}"


def _scored_by(
    rows: Sequence[dict[str, Any]],
    name: Callable[[dict[str, Any]], str],
    one: str,
    many: str,
    *,
    named: Callable[[dict[str, Any]], bool] = lambda row: bool(row.get("fallback_reason")),
) -> str:
    """Which analyzer scored the rows, once per analyzer, in full (a table cell would be cut
    to fit the terminal); a fallback also names its rows. Rows are usually all scored alike,
    so a column would only repeat one sentence."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("scored_by"):
            groups.setdefault(row["scored_by"], []).append(row)
    lines = []
    for words, members in groups.items():
        count = f"{len(members)} {one if len(members) == 1 else many}"
        if named(members[0]):
            count += ": " + ", ".join(name(r) for r in members)
        lines.append(f"  {_cell(words)} ({count})")
    return "\n\nScored by:\n" + "\n".join(lines) if lines else ""


def _cmd_analyze(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    if args.job is not None:
        ctx.jobs.require_open(args.job)  # an archived job gets no new scores
    run = ctx.analysis.analyze(
        args.job,
        resume_ids=args.resume or None,
        include_analyzed=args.include_analyzed,
        name=args.name,
    )
    # Best first, with the file and candidate of each (what `results` shows for the session).
    outcomes = ctx.analysis.results(run.session.id)[1] if run.outcomes else run.outcomes
    doc = {
        "session_id": run.session.id,
        "session_name": run.session.session_name,
        "job_posting_id": run.session.job_posting_id,
        "status": run.session.status,
        "error": run.session.error,
        "analyzer": run.session.analyzer,
        "results": [outcome_doc(o) for o in outcomes],
    }
    if run.session.status == SessionStatus.FAILED:
        raise CommandFailed(f"The analysis session failed: {run.session.error}", doc)
    return doc, _render_results


def _cmd_sessions(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    items = [session_doc(s) for s in ctx.analysis.sessions(job_id=args.job, general=args.general)]
    columns = ["id", "session_name", "status", "result_count", "created_at"]

    def render(d: dict[str, Any]) -> str:
        # Words for people, below the table (a cell would be cut); --json keeps the stored
        # "name version" list. Sessions where another analyzer than the one asked for scored
        # (a fallback) are named.
        rows = [
            {
                **item,
                "scored_by": describe_analyzers(item["analyzers"])
                or describe_analyzer(*split_analyzer(item["analyzer"])),
                "mixed": item["analyzers"] not in ([], [item["analyzer"]]),
            }
            for item in d["items"]
        ]
        notes = _scored_by(
            rows, lambda row: _cell(row["id"]), "session", "sessions", named=lambda r: r["mixed"]
        )
        return table(rows, columns) + notes

    return {"items": items}, render


def _cmd_results(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    session, outcomes = ctx.analysis.results(args.id)
    doc = {
        "session_id": session.id,
        "session": session_doc(session),
        "status": session.status,
        "error": session.error,
        "results": [outcome_doc(o) for o in outcomes],
    }
    return doc, _render_results


def _cmd_export(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    try:
        kind = format_for(args.output, args.format)
    except ServiceError as exc:
        raise UsageError(f"{exc} (--format csv or --format xlsx)") from exc
    try:
        report = export_session(
            ctx.analysis, args.id, args.output, format=kind, overwrite=args.force
        )
    except ExportExists as exc:
        raise ServiceError(f"{exc.path} already exists; add --force to replace it.") from exc
    doc = {
        "path": report.path.resolve(),
        "format": report.format,
        "rows": report.rows,
        "session_id": report.session_id,
        "session_name": report.session_name,
    }

    def render(d: dict[str, Any]) -> str:
        kind = str(d["format"]).upper()
        return f"Saved {d['rows']} result(s) of {d['session_name']} to {d['path']} ({kind})."

    return doc, render


def _cmd_history(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    resume, items = ctx.analysis.history(args.id)
    doc = {"resume": resume_doc(resume), "items": [history_doc(h) for h in items]}

    def render(d: dict[str, Any]) -> str:
        resume = d["resume"]
        who = f" — {resume['candidate_name']}" if resume["candidate_name"] else ""
        room = _table_width() - len(f"{who} ({resume['id']})")  # the file name gives way
        title = f"{_fit(resume['file_name'], max(room, 12))}{who} ({resume['id']})"
        if not d["items"]:
            return f"{title}\n\nNot analysed yet."
        columns = [
            "created_at",
            "job_title",
            "session_name",
            "status",
            "overall_fit_score",
            "skill_match_score",
            "summary",
        ]
        body = table(d["items"], columns)
        return f"{title}\n\n{body}{_scored_by(d['items'], _history_entry, 'analysis', 'analyses')}"

    return doc, render


def _cmd_delete(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    doc = resume_doc(ctx.library.delete(args.id))
    return doc, lambda d: f"Moved {d['file_name']} to the trash."


def _cmd_restore(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    doc = resume_doc(ctx.library.restore(args.id))
    return doc, lambda d: f"Restored {d['file_name']}."


def _cmd_audit(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    found = ctx.audit.events(since=args.since, limit=args.limit)
    items = [
        {
            "created_at": e.created_at.isoformat(timespec="seconds"),
            "action": e.action,
            "actor": e.actor or "(this computer)",
            "subject_id": e.subject_id,
            "detail": e.detail,
        }
        for e in found
    ]

    def render(d: dict[str, Any]) -> str:
        if not d["events"]:
            return "Nothing erased, purged or repaired" + (" since then." if args.since else ".")
        rows = [
            {**e, "detail": ", ".join(f"{k}={v}" for k, v in sorted(e["detail"].items()))}
            for e in d["events"]
        ]
        return table(rows, ["created_at", "action", "actor", "subject_id", "detail"])

    return {"events": items}, render


def _cmd_purge(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    purged = ctx.library.purge(older_than_days=args.older_than_days, resume_id=args.id)
    doc = {"purged": purged}
    return doc, lambda d: f"Removed {len(d['purged'])} resume(s) from the trash for good."


def _named(resume: ResumeRecord) -> str:
    """“file” (candidate), as the erase prompt and its confirmation name a resume."""
    who = f" ({resume.candidate_name})" if resume.candidate_name else ""
    return f"“{resume.file_name}”{who}"


def _cmd_erase(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    """Says what it is about to erase, then asks; a script must say --yes (no terminal, no
    silent erasure: a usage error, exit 2)."""
    resume = ctx.library.get(args.id)
    where = "in the trash" if resume.deleted_at is not None else "in the library"
    count = resume.analysis_count
    history = f" and its {count} analysis result(s)" if count else ""
    # On stderr: stdout stays one JSON document with --json.
    sys.stderr.write(
        visible_lines(
            f"This erases {_named(resume)}, resume {resume.id} ({where}), with its stored "
            f"file{history}, for good. It can't be brought back.\n"
        )
    )
    if not args.yes:
        stdin_isatty = getattr(sys.stdin, "isatty", None)
        if stdin_isatty is None or not stdin_isatty():
            raise UsageError(
                "Nothing was erased: erase asks before it erases, and standard input is not a "
                "terminal. Add --yes to erase without asking."
            )
        sys.stderr.write("Erase it? Type yes to erase: ")
        sys.stderr.flush()
        try:
            answer = sys.stdin.readline()
        except (EOFError, OSError):
            answer = ""
        if answer.strip().lower() not in ("yes", "y"):
            raise ServiceError("Nothing was erased.")
    erased = ctx.library.erase(resume.id)
    doc = {"erased": resume_doc(erased)}

    def render(d: dict[str, Any]) -> str:
        count = d["erased"]["analysis_count"]
        return f"Erased {_named_doc(d['erased'])} and its {count} analysis result(s) for good."

    return doc, render


def _named_doc(resume: dict[str, Any]) -> str:
    who = f" ({resume['candidate_name']})" if resume["candidate_name"] else ""
    return f"“{resume['file_name']}”{who}"


def _problem_doc(problem: Any) -> dict[str, Any]:
    return {
        "id": problem.resume_id,
        "file_name": problem.file_name,
        "candidate_name": problem.candidate_name,
        "s3_resume_key": problem.s3_resume_key,
        "in_trash": problem.in_trash,
    }


def _cmd_doctor(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    """Every problem by resume id, file, candidate and key, in both outputs; exit 1 while any
    remains (after ``--repair``), so a script can tell a clean library from a damaged one."""
    report = ctx.doctor.check(repair=args.repair)
    checked = report.password_checked
    by_kind: dict[str, list[dict[str, Any]]] = {"missing": [], "changed": []}
    for problem in report.problems:
        by_kind[problem.problem.value].append(_problem_doc(problem))
    doc = {
        "orphans": report.orphans,
        "missing": by_kind["missing"],
        "mismatched": by_kind["changed"],
        "repaired": report.repaired,
        "unrepaired": report.unrepaired,
        # True: the server let this login in with no password and with a wrong one.
        "trust_authentication": None if checked is None else not checked,
        "warnings": report.warnings,
    }

    def render(d: dict[str, Any]) -> str:
        warnings = [f"Warning: {warning}" for warning in d["warnings"]]
        if not (d["orphans"] or d["missing"] or d["mismatched"]):
            return "\n".join(
                [
                    "Everything is consistent: every resume has its file and every file a resume.",
                    *warnings,
                ]
            )
        lines = [
            f"{len(d['missing'])} resume(s) without their file, {len(d['mismatched'])} "
            f"file(s) changed since import, {len(d['orphans'])} file(s) without a resume; "
            f"{d['repaired']} repaired."
        ]
        for key, heading in (
            ("missing", "Resumes whose file is missing from storage:"),
            ("mismatched", "Resumes whose stored file changed since import:"),
        ):
            if d[key]:
                lines += ["", heading]
                for r in d[key]:
                    names = " — ".join(str(n) for n in (r["file_name"], r["candidate_name"]) if n)
                    trash = ", in the trash" if r["in_trash"] else ""
                    lines += [f"  {r['id']}  {names}{trash}", f"      key {r['s3_resume_key']}"]
        if d["missing"] or d["mismatched"]:
            lines += [
                "  To fix one: import its original file again (recur import FILE) and it is "
                "reported as repaired; or erase the resume (recur erase ID)."
            ]
        if d["orphans"]:
            removed = set(report.removed)
            lines += ["", "Files without a resume:"]
            lines += [f"  {key}{'  (removed)' if key in removed else ''}" for key in d["orphans"]]
            if not args.repair:
                lines += ["  recur doctor --repair removes those older than an hour."]
        if d["unrepaired"]:
            lines += ["", "Not repaired:"] + [f"  {note}" for note in d["unrepaired"]]
        return "\n".join(lines + warnings)

    remaining = report.problems_remaining
    if remaining:
        failed = CommandFailed(
            f"{remaining} problem(s) remain; see the list above.",
            doc,
        )
        failed.render = render  # type: ignore[attr-defined]
        raise failed
    return doc, render


def _cmd_migrate_legacy(ctx: Any, args: argparse.Namespace) -> tuple[Any, Renderer]:
    from recur_desktop import cli_legacy

    return cli_legacy.command(ctx, args)


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], tuple[Any, Renderer]]] = {
    "import": _cmd_import,
    "resumes": _cmd_resumes,
    "jobs": _cmd_jobs,
    "available": _cmd_available,
    "analyze": _cmd_analyze,
    "sessions": _cmd_sessions,
    "results": _cmd_results,
    "export": _cmd_export,
    "history": _cmd_history,
    "delete": _cmd_delete,
    "restore": _cmd_restore,
    "trash": _cmd_trash,
    "purge": _cmd_purge,
    "erase": _cmd_erase,
    "audit": _cmd_audit,
    "doctor": _cmd_doctor,
    "migrate-legacy": _cmd_migrate_legacy,
}


def _emit(document: Any, render: Renderer, as_json: bool) -> None:
    """The one way a command's document reaches stdout (every command, the admin and legacy
    ones included): exact JSON, or the readable rendering of its escaped strings."""
    text = json_text(document) if as_json else visible_lines(render(shown(document)))
    sys.stdout.write(text + "\n")


def _error_doc(message: str) -> dict[str, str]:
    return {"error": mask(message)}


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Only when nothing set logging up (``recur_desktop.app.main`` does, with secrets masked):
    # this stderr handler masks them too.
    console = logging.StreamHandler(sys.stderr)
    console.addFilter(SecretFilter())
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=[console],
    )
    if not args.command:
        parser.print_help()
        return 0
    from recur_desktop import selftest
    from recur_desktop.app import build_context
    from recur_desktop.cli_admin import STANDALONE as ADMIN

    standalone = {**ADMIN, **selftest.STANDALONE}

    ctx = None
    try:
        if args.command in standalone:
            document, render = standalone[args.command](args)
        else:
            ctx = build_context()
            resolve_ids(ctx, args)
            document, render = COMMANDS[args.command](ctx, args)
        _emit(document, render, args.json)
        return 0
    except AmbiguousId as exc:  # a usage error: the user picks one of the matches
        if args.json:
            matches = [{"id": m.id, "label": m.label} for m in exc.matches]
            _emit({**_error_doc(exc.headline), "matches": matches}, str, True)
        code = _fail(exc.headline, args, code=2)
        for match in exc.matches:  # one per line, to copy the one meant
            sys.stderr.write(f"  {match.id}  {visible(match.label)}\n")
        return code
    except UsageError as exc:
        if args.json:
            _emit(_error_doc(str(exc)), str, True)
        return _fail(str(exc), args, code=2)
    except CommandFailed as exc:
        _emit(exc.document, getattr(exc, "render", _render_results), args.json)
        return _fail(str(exc), args)
    except (ServiceError, SettingsError, StorageError, CredentialError) as exc:
        # A database that stopped answering is a ServiceError too (DatabaseUnavailable):
        # persistence translated the driver's error, whose words are in ``detail``.
        log.debug("%s: %s", exc.__class__.__name__, getattr(exc, "detail", ""))
        if args.json:
            _emit(_error_doc(str(exc)), str, True)
        return _fail(str(exc), args)
    except KeyboardInterrupt:
        return _fail("Stopped.", args, code=130)
    except Exception as exc:  # the last line of defence: one clear line, details on request
        message = (
            f"Unexpected error ({exc.__class__.__name__}); run again with --debug for details."
        )
        if args.json:
            _emit(_error_doc(message), str, True)
        return _fail(message, args)
    finally:
        if ctx is not None:
            ctx.close()


def _fail(message: str, args: argparse.Namespace, *, code: int = 1) -> int:
    """One line on stderr (and the traceback with ``--debug``), passwords masked and control
    characters escaped: an error may quote an address or a file name."""
    if args.debug:
        import traceback

        sys.stderr.write(visible_lines(mask(traceback.format_exc())))
    sys.stderr.write(f"recur: {visible(mask(message))}\n")
    return code
