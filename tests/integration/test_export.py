"""Exports that are safe to open: a session's results as CSV or XLSX, through one service, with
names that are attacker-controlled (spreadsheet formula injection, control characters)."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recur_desktop.app import AppContext
from recur_desktop.domain import AnalysisOutcome, AnalysisResult, ResultStatus, SessionRecord
from recur_desktop.domain import SessionStatus as Status
from recur_desktop.persistence.tables import ResumeRow
from recur_desktop.services.errors import InvalidInput
from recur_desktop.services.export import (
    HEADER,
    ExportExists,
    ExportFormat,
    csv_cell,
    export_session,
    format_for,
)
from tests import samples, sheets

#: Names a spreadsheet program would run as formulas (or DDE), from the issue.
FORMULA_NAMES = ['=HYPERLINK("http://x","y").pdf', "+1", "-2", "@SUM(1)", "\tfoo", "\rbar"]
FILE_COLUMN, OVERALL_COLUMN, SKILL_COLUMN = 1, 4, 5


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads accents only with the BOM
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def hostile_session(ctx: AppContext, tmp_path: Path) -> uuid.UUID:
    """A completed general session over resumes whose file names are formulas, plus one with a
    control character in its name."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    paths = []
    for i, name in enumerate([*FORMULA_NAMES, "ok\x01name.pdf"]):
        path = folder / str(i)
        path.mkdir()
        path = path / name.replace("/", "_")  # no file system allows "/" in a name
        text = samples.sample_resume_text(f"Person Number{i}", ["Python", "SQL"][: 1 + i % 2])
        path.write_bytes(samples.make_pdf(text))
        paths.append(path)
    report = ctx.library.import_paths(paths)
    assert sorted(a.file_name for a in report.added) == sorted(p.name for p in paths)
    # The name with "/" arrives another way (a legacy library, another platform's import).
    [link] = [a.resume.id for a in report.added if a.file_name.startswith("=HYPERLINK")]
    with ctx.sessions() as session:
        session.get(ResumeRow, link).file_name = FORMULA_NAMES[0]
        session.commit()
    run = ctx.analysis.analyze(None)
    assert run.session.status == Status.COMPLETED and len(run.outcomes) == len(paths)
    return run.session.id


def test_csv_neutralises_formula_cells_and_keeps_scores_numbers(
    ctx: AppContext, hostile_session: uuid.UUID, tmp_path: Path
):
    out = tmp_path / "shortlist.csv"
    report = export_session(ctx.analysis, hostile_session, out)
    assert report.format is ExportFormat.CSV and report.rows == len(FORMULA_NAMES) + 1
    header, *rows = read_csv(out)
    assert header == HEADER
    by_name = {row[FILE_COLUMN].removeprefix("'"): row for row in rows}
    for name in FORMULA_NAMES:
        cell = by_name[name][FILE_COLUMN]
        assert cell == "'" + name, f"{name!r} was written as {cell!r}"
    for row in rows:
        for column in (OVERALL_COLUMN, SKILL_COLUMN):
            assert not row[column].startswith("'")
            assert 0 <= float(row[column]) <= 100  # a number, not text
        assert int(row[0]) >= 1
    fits = [float(row[OVERALL_COLUMN]) for row in rows]
    assert fits == sorted(fits, reverse=True)  # best first, ranked
    assert by_name["ok\ufffdname.pdf"]  # the control character is replaced, not kept


def test_xlsx_writes_names_as_text_never_as_formulas(
    ctx: AppContext, hostile_session: uuid.UUID, tmp_path: Path
):
    out = tmp_path / "shortlist.xlsx"
    report = export_session(ctx.analysis, hostile_session, out)
    assert report.format is ExportFormat.XLSX
    cells = sheets.read_sheet(out)  # parses every XML part of the package
    assert not any(cell.has_formula for row in cells for cell in row)
    names = {}
    for row in cells[1:]:
        [file_cell] = [c for c in row if sheets.column_index(c.ref) == FILE_COLUMN]
        assert file_cell.kind in ("s", "inlineStr", "str")  # a string cell
        names[file_cell.value] = row
        [score] = [c for c in row if sheets.column_index(c.ref) == OVERALL_COLUMN]
        assert score.kind == "n" and 0 <= score.value <= 100
    # The text is exact (a string cell is never evaluated, so nothing is prefixed).
    assert set(FORMULA_NAMES) <= set(names)
    assert "ok\ufffdname.pdf" in names


def test_a_control_character_in_a_name_still_gives_a_valid_workbook(
    ctx: AppContext, hostile_session: uuid.UUID, tmp_path: Path
):
    out = tmp_path / "shortlist.xlsx"
    export_session(ctx.analysis, hostile_session, out)
    table = sheets.values(out, width=len(HEADER))
    assert table[0] == HEADER
    assert any(row[FILE_COLUMN] == "ok\ufffdname.pdf" for row in table[1:])


def test_an_existing_file_is_kept_unless_replacing_is_asked_for(
    ctx: AppContext, hostile_session: uuid.UUID, tmp_path: Path
):
    out = tmp_path / "shortlist.csv"
    out.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportExists):
        export_session(ctx.analysis, hostile_session, out)
    assert out.read_text(encoding="utf-8") == "mine"
    export_session(ctx.analysis, hostile_session, out, overwrite=True)
    assert read_csv(out)[0] == HEADER
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_another_users_session_is_not_found(
    other_ctx: AppContext, hostile_session: uuid.UUID, tmp_path: Path
):
    from recur_desktop.services.errors import NotFound

    with pytest.raises(NotFound):
        export_session(other_ctx.analysis, hostile_session, tmp_path / "theirs.csv")
    assert not (tmp_path / "theirs.csv").exists()


# ------------------------------------------------------------------ without a database
class FakeResults:
    def __init__(self, outcomes: list[AnalysisOutcome]) -> None:
        self.outcomes = outcomes
        self.session = SessionRecord(
            id=uuid.uuid4(),
            user_id=uuid.uuid4(),
            session_name="Fake",
            job_posting_id=None,
            status=Status.COMPLETED,
            analyzer="builtin 2",
            created_at=datetime.now(UTC),
            finished_at=None,
            error=None,
        )

    def results(self, session_id: uuid.UUID) -> tuple[SessionRecord, list[AnalysisOutcome]]:
        return self.session, self.outcomes


def outcome(file_name: str, *, summary: str = "fine", ok: bool = True) -> AnalysisOutcome:
    return AnalysisOutcome(
        resume_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        status=ResultStatus.OK if ok else ResultStatus.FAILED,
        error=None if ok else "-boom",
        result=AnalysisResult(80.0, 70.0, summary, "why", ("=A1",), ()) if ok else None,
        analyzer="builtin 2",
        created_at=datetime.now(UTC),
        file_name=file_name,
        candidate_name="@cand",
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_undecodable_names_and_xml_illegal_characters_never_break_the_file(kind, tmp_path):
    # A lone surrogate is what an undecodable byte in a file name becomes (surrogateescape);
    # U+FFFF and \x1f are legal in a Python string but not in XML.
    fake = FakeResults([outcome("cv\udcff.pdf", summary="a\uffffb\x1fc"), outcome("x", ok=False)])
    out = tmp_path / f"list.{kind}"
    export_session(fake, fake.session.id, out)
    rows = read_csv(out) if kind == "csv" else sheets.values(out, width=len(HEADER))
    assert rows[1][FILE_COLUMN] == "cv\ufffd.pdf"
    assert rows[1][-1] == "a\ufffdb\ufffdc"
    assert rows[1][6].lstrip("'") == "=A1"  # matched skills are text too
    failed = rows[2]
    assert failed[3] == "failed" and failed[OVERALL_COLUMN] in ("", None)
    assert failed[-1] in ("'-boom", "-boom")  # the reason, defused in CSV


def test_csv_cells_are_defused_only_when_text():
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("-2") == "'-2"
    assert csv_cell("\r\nx") == "'\r\nx"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(-2.5) == -2.5 and csv_cell(3) == 3
    assert csv_cell(None) == ""


def test_the_format_comes_from_the_suffix_unless_given():
    assert format_for(Path("a.CSV")) is ExportFormat.CSV
    assert format_for(Path("a.xlsx")) is ExportFormat.XLSX
    assert format_for(Path("a.txt"), "xlsx") is ExportFormat.XLSX
    with pytest.raises(InvalidInput, match="name it .csv or .xlsx"):
        format_for(Path("shortlist"))
