"""A session's results (the shortlist) as a file a recruiter can open safely: CSV or XLSX.

The window and ``recur export`` both come here, so there is one rule for what a shortlist holds
and how it is made safe. File names, candidate names and summaries come from whoever sent the
resume, so:

* CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, DDE): it is
  written with a leading ``'``, which those programs take as "this is text". Scores stay
  numbers (they are ours, not the sender's). UTF-8 with a BOM, which Excel needs for accents.
* XLSX: XlsxWriter, with every text cell written as a string (never a formula, URL or number),
  and characters XML 1.0 forbids (``\\x01``, lone surrogates from undecodable names, U+FFFF)
  replaced by U+FFFD so the workbook always opens.

Plain Python: no Qt here.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from recur_desktop.domain import AnalysisOutcome, ResultStatus, SessionRecord
from recur_desktop.services.errors import InvalidInput, ServiceError

#: The columns of a shortlist, as the window has always exported them.
HEADER = [
    "rank",
    "file_name",
    "candidate",
    "status",
    "overall_fit",
    "skill_match",
    "matched_skills",
    "missing_skills",
    "summary",
]
#: Shown for a result whose resume was removed after the session ran.
REMOVED = "(removed from the library)"

#: A text cell starting with one of these is a formula to a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Everything XML 1.0 does not allow in a document (and so not in an XLSX part).
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The longest string an Excel cell holds.
_EXCEL_CELL_MAX = 32_767

Cell = str | int | float | None


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportExists(ServiceError):
    """The target file exists and the caller did not ask to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; nothing was written.")
        self.path = path


class ExportFailed(ServiceError):
    """The file could not be written (a full disk, a folder without write access, the file
    open in Excel on Windows)."""


@dataclass(frozen=True)
class ExportReport:
    path: Path
    format: ExportFormat
    rows: int
    session_id: uuid.UUID
    session_name: str


class SessionResults(Protocol):
    """What the export needs from the analysis service (a fake in tests)."""

    def results(self, session_id: uuid.UUID) -> tuple[SessionRecord, list[AnalysisOutcome]]: ...


def format_for(path: Path, requested: ExportFormat | str | None = None) -> ExportFormat:
    """The format asked for, or the one the file name's suffix says."""
    if requested is not None:
        return ExportFormat(requested)
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise InvalidInput(
            f"Can't tell the format from the name {path.name}: name it .csv or .xlsx, "
            "or give the format."
        ) from None


def shortlist(outcomes: Sequence[AnalysisOutcome]) -> list[list[Cell]]:
    """The rows of a shortlist, in the order given (the service gives best fit first)."""
    rows: list[list[Cell]] = []
    for rank, outcome in enumerate(outcomes, start=1):
        result = outcome.result
        if outcome.status != ResultStatus.OK:
            summary = outcome.error or "Not analysed."
        else:
            summary = result.summary if result else ""
        rows.append(
            [
                rank,
                outcome.file_name or REMOVED,
                outcome.candidate_name or "",
                outcome.status.value,
                result.overall_fit_score if result else None,
                result.skill_match_score if result else None,
                ", ".join(result.matched_skills) if result else "",
                ", ".join(result.missing_skills) if result else "",
                summary,
            ]
        )
    return rows


def export_session(
    analysis: SessionResults,
    session_id: uuid.UUID,
    path: Path,
    *,
    format: ExportFormat | str | None = None,
    overwrite: bool = False,
) -> ExportReport:
    """Write one session's results, best fit first, to ``path``.

    The file is written next to ``path`` under a temporary name and moved into place at the
    end, so a failed export never leaves half a file (nor destroys the one it was to replace).
    Without ``overwrite`` an existing file is refused with :class:`ExportExists`.
    """
    path = Path(path)
    kind = format_for(path, format)
    if not overwrite and path.exists():
        raise ExportExists(path)
    session, outcomes = analysis.results(session_id)
    rows = shortlist(outcomes)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.stem[:40]}-", suffix=".partial", dir=path.parent
        )
    except OSError as exc:
        raise _failed(path, exc) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        if kind is ExportFormat.XLSX:
            _write_xlsx(temp, HEADER, rows)
        else:
            _write_csv(temp, HEADER, rows)
        if not overwrite and path.exists():  # appeared while we were writing
            raise ExportExists(path)
        os.replace(temp, path)
    except OSError as exc:
        raise _failed(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return ExportReport(path, kind, len(rows), session.id, session.session_name)


def _failed(path: Path, exc: OSError) -> ExportFailed:
    return ExportFailed(f"Couldn't write {path}: {exc.strerror or exc}.")


# ------------------------------------------------------------------ cells
def clean_text(text: str) -> str:
    """``text`` with the characters an XML document can't hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def csv_cell(value: Cell) -> str | int | float:
    """A cell as CSV writes it: numbers as they are, text defused (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(v) for v in header])
        writer.writerows([csv_cell(v) for v in row] for row in rows)


def _write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    import xlsxwriter  # only an XLSX export pays for loading it
    from xlsxwriter.exceptions import XlsxWriterException

    book = xlsxwriter.Workbook(
        str(path),
        {
            # Text is text: never turned into a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet("Shortlist")
    bold = book.add_format({"bold": True})
    widths = [len(h) for h in header]
    for c, title in enumerate(header):
        sheet.write_string(0, c, title, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                text = clean_text(str(value))[:_EXCEL_CELL_MAX]
                sheet.write_string(r, c, text)
                widths[c] = max(widths[c], min(len(text), 60))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width + 2)
    sheet.freeze_panes(1, 0)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(header) - 1)
    try:
        book.close()
    except XlsxWriterException as exc:  # FileCreateError carries the OSError
        cause = exc.args[0] if exc.args else None
        raise (cause if isinstance(cause, OSError) else OSError(str(exc))) from exc
