"""The window's Export goes through the export service: the same defused CSV and well-formed
XLSX as ``recur export``, built off the GUI thread (the guarded context fails the test if the
service is called on it)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from recur_desktop.app import AppContext
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.views.main_window import MainWindow
from tests import samples, sheets
from tests.ui.helpers import call_off_thread

HOSTILE = "=cmd|' -C calc'!A0 \x01.pdf"


def test_the_window_exports_hostile_names_defused_and_well_formed(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
):
    path = tmp_path / HOSTILE
    path.write_bytes(samples.make_pdf(samples.sample_resume_text("Mallory Evil", ["Python"])))
    call_off_thread(qtbot, runner, ui_ctx.library.import_paths, [path])
    window = make_window(ui_ctx)
    session = window.vm.session
    with qtbot.waitSignal(session.run_finished, timeout=20_000):
        session.start_analysis(None)
    qtbot.waitUntil(lambda: session.results.rowCount() == 1 and not session.is_loading)

    with qtbot.waitSignal(session.exported) as saved:
        session.export(tmp_path / "out.csv")
    assert "1 result(s)" in saved.args[0]
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8-sig") as handle:
        [header, row] = list(csv.reader(handle))
    assert row[1] == "'" + HOSTILE.replace("\x01", "\ufffd")
    assert float(row[4]) == session.results.rows[0].overall

    with qtbot.waitSignal(session.exported):
        session.export(tmp_path / "out.xlsx")
    cells = sheets.read_sheet(tmp_path / "out.xlsx")  # parses: the \x01 did not corrupt it
    assert not any(c.has_formula for line in cells for c in line)
    assert cells[1][1].value == HOSTILE.replace("\x01", "\ufffd")


def test_an_export_that_cannot_be_written_says_so(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    tmp_path: Path,
):
    call_off_thread(qtbot, runner, ui_ctx.library.import_paths, good_files[:1])
    window = make_window(ui_ctx)
    session = window.vm.session
    with qtbot.waitSignal(session.run_finished, timeout=20_000):
        session.start_analysis(None)
    qtbot.waitUntil(lambda: session.results.rowCount() == 1 and not session.is_loading)
    with qtbot.waitSignal(session.problem) as problem:
        session.export(tmp_path / "no such folder" / "out.csv")
    message, outage = problem.args
    assert message.startswith("The shortlist couldn't be saved.") and "out.csv" in message
    assert outage is False
