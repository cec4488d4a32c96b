"""Session pane and history pane: pick a job, analyse, watch the lists follow."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from recur_desktop.app import AppContext
from recur_desktop.domain import SessionStatus
from recur_desktop.settings import Settings
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread, select_rows


def import_all(qtbot, window: MainWindow, files: list[Path]) -> None:
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        window.vm.library.import_files(files)
    qtbot.waitUntil(lambda: window.vm.library.model.rowCount() == len(files))
    window.activateWindow()  # offscreen, the import summary took the focus
    qtbot.waitUntil(window.isActiveWindow)


def pick_job(qtbot, window: MainWindow, title: str | None) -> None:
    """Choose in the picker as a click would (``activated``), then wait for the lists."""
    picker = window.session_pane.job_picker
    session = window.vm.session
    qtbot.waitUntil(
        lambda: any((c.job.title if c.job else None) == title for c in session.jobs.rows)
    )
    row = next(
        i for i, c in enumerate(session.jobs.rows) if (c.job.title if c.job else None) == title
    )
    picker.setCurrentIndex(row)
    picker.activated.emit(row)
    qtbot.waitUntil(lambda: not session.is_loading)


def available_ids(window: MainWindow) -> set[Any]:
    return {r.id for r in window.vm.session.available.rows}


def test_picking_a_job_shows_exactly_the_resumes_available_for_it(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    backend = call_off_thread(
        qtbot, runner, ui_ctx.jobs.create, title="Backend", required_skills=["Python", "SQL"]
    )
    call_off_thread(qtbot, runner, ui_ctx.jobs.create, title="Frontend", required_skills=["React"])
    everyone = {r.id for r in window.vm.library.model.rows}
    done = [r.id for r in window.vm.library.model.rows[:2]]
    call_off_thread(qtbot, runner, ui_ctx.analysis.analyze, backend.id, resume_ids=done)
    window.vm.session.load_jobs()

    pick_job(qtbot, window, "Backend")
    assert available_ids(window) == everyone - set(done)
    assert window.session_pane.available_title.text().startswith("2 resumes not yet analysed")
    pick_job(qtbot, window, "Frontend")
    assert available_ids(window) == everyone
    pick_job(qtbot, window, None)
    assert available_ids(window) == everyone
    assert window.session_pane.analyze_all.text() == "Analyze all (4)"

    # Ctrl+R with nothing selected starts nothing: a whole library takes "Analyze all".
    window.session_pane.available.clearSelection()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not window.vm.session.is_running
    assert window.statusBar().currentMessage() == "Select resumes to analyse first."


def test_analyze_selected_moves_them_to_the_results_and_the_history_shows_it_first(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    session = window.vm.session
    # A first, general run for one resume gives the history an older entry.
    first = window.vm.library.model.rows[0].id
    call_off_thread(qtbot, runner, ui_ctx.analysis.analyze, None, resume_ids=[first])
    call_off_thread(
        qtbot, runner, ui_ctx.jobs.create, title="Data", required_skills=["Python", "SQL", "Go"]
    )
    session.load_jobs()
    pick_job(qtbot, window, "Data")
    assert len(available_ids(window)) == 4

    rows = [i for i, r in enumerate(session.available.rows) if r.id == first] + [
        i for i, r in enumerate(session.available.rows) if r.id != first
    ][:1]
    select_rows(window.session_pane.available, rows)
    chosen = {session.available.rows[i].id for i in rows}
    with qtbot.waitSignal(session.run_finished, timeout=20_000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    summary = finished.args[0]
    assert summary.status == SessionStatus.COMPLETED and set(summary.resume_ids) == chosen

    qtbot.waitUntil(lambda: len(available_ids(window)) == 2 and not session.is_loading)
    assert not chosen & available_ids(window)
    qtbot.waitUntil(lambda: session.results.rowCount() == 2)
    scores = [r.overall for r in session.results.rows]
    assert {r.resume_id for r in session.results.rows} == chosen
    assert scores == sorted(scores, reverse=True)
    assert session.sessions.rowCount() == 1
    assert "Completed" in window.session_pane.results_title.text()

    # Pick the resume that was analysed twice: its newest analysis (this run) comes first.
    results_view = window.session_pane.results
    row = next(i for i, r in enumerate(session.results.rows) if r.resume_id == first)
    select_rows(results_view, [row])
    history = window.vm.history
    qtbot.waitUntil(lambda: history.resume_id == first and history.timeline.rowCount() == 2)
    newest, older = history.timeline.rows
    assert newest.session_id == summary.session_id and newest.context_label == "Data"
    assert older.context_label == "General" and newest.created_at >= older.created_at
    assert "Data" in window.history_pane.detail.toPlainText()
    assert len(window.history_pane.chart.points) == 2


class GatedAnalyzer:
    """The real analyzer, but each resume waits for the test to open the gate."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.name, self.version = real.name, real.version
        self.entered = threading.Event()
        self.gate = threading.Event()

    def check_job(self, job: Any) -> None:
        self._real.check_job(job)

    def analyze(self, text: str, job: Any) -> Any:
        self.entered.set()
        self.gate.wait(10)  # inside the worker thread only
        return self._real.analyze(text, job)


def test_an_analysis_can_be_cancelled_from_the_status_bar(
    qtbot,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    from recur_desktop.analysis import SkillCoverageAnalyzer

    analyzer = GatedAnalyzer(SkillCoverageAnalyzer())
    ctx = make_ctx(embedded_settings, analyzer=analyzer)
    window = make_window(ctx)
    import_all(qtbot, window, good_files)
    session = window.vm.session
    pick_job(qtbot, window, None)
    try:
        with qtbot.waitSignal(session.run_started):
            qtbot.mouseClick(window.session_pane.analyze_all, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(analyzer.entered.is_set)
        progress = window.analysis_progress
        assert progress.isVisible() and not window.session_pane.analyze_all.isEnabled()
        qtbot.mouseClick(progress.cancel, Qt.MouseButton.LeftButton)
        assert progress.cancel.text() == "Cancelling…"
    finally:
        analyzer.gate.set()
    with qtbot.waitSignal(session.run_finished, timeout=20_000) as finished:
        pass
    summary = finished.args[0]
    assert summary.status == SessionStatus.CANCELLED
    assert len(summary.resume_ids) == 1  # the one in progress finished; nothing after it
    # A cancelled session counts for nothing: every resume is still available.
    qtbot.waitUntil(lambda: not session.is_loading and session.sessions.rowCount() == 1)
    assert len(available_ids(window)) == len(good_files)
    assert "Cancelled" in window.session_pane.results_title.text()
    assert not progress.isVisible()
    assert "stopped" in window.statusBar().currentMessage()


def test_every_item_model_passes_qt_model_checks(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    qtmodeltester,
):
    window = make_window(ui_ctx)
    vm = window.vm
    models = [
        vm.library.model,
        vm.session.jobs,
        vm.session.available,
        vm.session.sessions,
        vm.session.results,
        vm.history.timeline,
    ]
    for model in models:
        qtmodeltester.check(model)  # empty
    import_all(qtbot, window, good_files)
    call_off_thread(qtbot, runner, ui_ctx.jobs.create, title="QA", required_skills=["Python"])
    vm.session.load_jobs()
    pick_job(qtbot, window, "QA")
    with qtbot.waitSignal(vm.session.run_finished, timeout=20_000):
        vm.session.start_analysis(None)
    qtbot.waitUntil(lambda: vm.session.results.rowCount() == len(good_files))
    vm.history.set_resume(vm.session.results.rows[0].resume_id)
    qtbot.waitUntil(lambda: vm.history.timeline.rowCount() == 1)
    for model in models:
        assert model.rowCount() > 0 or model is vm.session.available
        qtmodeltester.check(model)  # filled
    vm.session.results.sort(3, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(vm.session.results)


def test_results_export_to_xlsx_and_csv_and_can_be_re_analyzed(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    tmp_path: Path,
):
    import csv

    from tests import sheets

    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    session = window.vm.session
    with qtbot.waitSignal(session.run_finished, timeout=20_000):
        session.start_analysis(None)
    qtbot.waitUntil(lambda: session.results.rowCount() == len(good_files))
    best = session.results.rows[0]

    with qtbot.waitSignal(session.exported):
        session.export(tmp_path / "shortlist.xlsx")
    rows = sheets.values(tmp_path / "shortlist.xlsx", width=9)  # strings may be shared
    assert len(rows) == 1 + len(good_files)
    assert rows[1][1] == best.file_name
    assert rows[1][4] == best.overall

    with qtbot.waitSignal(session.exported):
        session.export(tmp_path / "shortlist.csv")
    raw = (tmp_path / "shortlist.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][:3] == ["rank", "file_name", "candidate"]
    assert lines[1][1] == best.file_name

    first_session = session.shown_session_id
    select_rows(window.session_pane.results, [0])
    with qtbot.waitSignal(session.run_finished, timeout=20_000) as again:
        qtbot.mouseClick(window.session_pane.reanalyze, Qt.MouseButton.LeftButton)
    assert again.args[0].resume_ids == [best.resume_id]
    qtbot.waitUntil(lambda: session.sessions.rowCount() == 2 and not session.is_loading)
    assert session.shown_session_id not in (None, first_session)
