"""The window tells the truth about what it shows: where files go, what is in the trash, which
resumes a button acts on, which job a score belongs to, and which analyzer produced it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from recur_desktop.analysis import EvidenceAnalyzer, LLMAnalyzer, LLMConfig
from recur_desktop.app import AppContext
from recur_desktop.settings import Settings
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.folders import IMPORT, FolderMemory
from recur_desktop.ui.viewmodels.history import IN_TRASH
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread, select_rows
from tests.unit.test_analysis_llm import Endpoint


def import_all(qtbot, window: MainWindow, files: list[Path]) -> None:
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        window.vm.library.import_files(files)
    qtbot.waitUntil(lambda: window.vm.library.model.rowCount() == len(files))
    window.summary.close()


# ------------------------------------------------------------------ file dialogs
class FakeDialog:
    """Stands in for QFileDialog's static functions: records where each dialog would open and
    answers what the test scripted."""

    calls: list[tuple[str, str]] = []
    answers: list[Any] = []

    @classmethod
    def _ask(cls, kind: str, directory: str) -> Any:
        cls.calls.append((kind, directory))
        return cls.answers.pop(0)

    @classmethod
    def getOpenFileNames(cls, parent, caption, directory="", filter="", *rest):  # noqa: N802
        return cls._ask("open", directory)

    @classmethod
    def getExistingDirectory(cls, parent, caption="", directory="", *rest):  # noqa: N802
        return cls._ask("folder", directory)

    @classmethod
    def getSaveFileName(cls, parent, caption, directory="", filter="", *rest):  # noqa: N802
        return cls._ask("save", directory)


@pytest.fixture
def dialogs(monkeypatch, tmp_path: Path) -> Iterator[type[FakeDialog]]:
    FakeDialog.calls, FakeDialog.answers = [], []
    monkeypatch.setattr("recur_desktop.ui.views.main_window.QFileDialog", FakeDialog)
    monkeypatch.setattr("recur_desktop.ui.views.session_pane.QFileDialog", FakeDialog)
    yield FakeDialog


@pytest.fixture
def documents(monkeypatch, tmp_path: Path) -> Path:
    """A home folder with a Documents folder, and a working directory that is neither."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return home / "Documents"


def test_file_dialogs_open_in_documents_then_where_the_user_last_was(
    qtbot,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    dialogs: type[FakeDialog],
    documents: Path,
    qsettings: QSettings,
    tmp_path: Path,
):
    window = make_window(ui_ctx)
    downloads = good_files[0].parent

    # Import: documents first, never the working directory.
    dialogs.answers = [([str(good_files[0])], ""), ""]
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        window.choose_files()
    window.summary.close()
    window.choose_folder()  # the folder dialog of the same purpose, cancelled
    assert dialogs.calls == [("open", str(documents)), ("folder", str(downloads))]

    # Save a copy: its own memory, so it starts in documents with the offered name.
    qtbot.waitUntil(lambda: window.vm.library.model.rowCount() == 1)
    select_rows(window.library_pane.table, [0])
    copies = tmp_path / "copies"
    copies.mkdir()
    dialogs.calls.clear()
    dialogs.answers = [(str(copies / "one.pdf"), ""), ("", "")]
    with qtbot.waitSignal(window.vm.library.file_ready, timeout=20_000):
        window.save_selected_copy()
    window.save_selected_copy()
    [(kind, first), (_, second)] = dialogs.calls
    assert kind == "save" and Path(first).parent == documents
    assert Path(second).parent == copies and Path(second).name == Path(first).name

    # Export: documents, with the default name.
    dialogs.calls.clear()
    dialogs.answers = [("", "")]
    window.session_pane.export_results()
    assert dialogs.calls == [("save", str(documents / "shortlist.xlsx"))]

    # Remembered in the window's settings (a folder, nothing else), for the next start; a
    # folder that has gone since falls back to documents.
    assert FolderMemory(qsettings).folder(IMPORT) == str(downloads)
    for _, directory in dialogs.calls:
        assert not directory.startswith(str(Path.cwd()))
    qsettings.setValue("dialogs/import_folder", str(tmp_path / "gone"))
    assert FolderMemory(qsettings).folder(IMPORT) == str(documents)


# ------------------------------------------------------------------ the history pane
def test_the_history_pane_says_its_resume_is_in_the_trash_and_comes_back_with_it(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    resume = next(r for r in window.vm.library.model.rows if r.file_name == "alan_turing.txt")
    call_off_thread(qtbot, runner, ui_ctx.analysis.analyze, None, resume_ids=[resume.id])
    history, pane = window.vm.history, window.history_pane
    history.set_resume(resume.id)
    qtbot.waitUntil(
        lambda: history.timeline.rowCount() == 1 and bool(pane.preview.text.toPlainText())
    )
    assert len(pane.chart.points) == 1

    window.vm.library.delete([resume.id])
    qtbot.waitUntil(lambda: history.timeline.rowCount() == 0)
    assert history.is_hidden
    assert IN_TRASH in pane.detail.toPlainText()
    assert pane.preview.currentWidget() is pane.preview.message
    assert pane.preview.message.text() == IN_TRASH
    assert pane.chart.points == []
    assert pane.heading.text() == "alan_turing.txt · in the trash"

    window.vm.library.undo_delete()
    qtbot.waitUntil(lambda: history.timeline.rowCount() == 1 and not history.is_hidden)
    qtbot.waitUntil(lambda: pane.preview.currentWidget() is pane.preview.text)
    assert "Alan Turing" in pane.preview.text.toPlainText()
    assert len(pane.chart.points) == 1

    # Erased for good while shown: the pane says so (no error banner, nothing left shown).
    window.vm.library.delete([resume.id])
    qtbot.waitUntil(lambda: history.is_hidden)
    with qtbot.waitSignal(window.vm.library.trash_changed, timeout=20_000):
        window.vm.library.empty_trash()
    qtbot.waitUntil(lambda: "no longer in the library" in pane.detail.toPlainText())
    assert history.timeline.rowCount() == 0 and window.vm.banner == ""


def test_analyze_selected_is_disabled_while_nothing_is_selected(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow], good_files: list[Path]
):
    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    pane, session = window.session_pane, window.vm.session
    session.refresh()
    qtbot.waitUntil(lambda: session.available.rowCount() == len(good_files))
    qtbot.waitUntil(lambda: not session.is_loading)
    pane.available.clearSelection()
    assert pane.analyze_all.isEnabled()
    assert not pane.analyze_selected.isEnabled()
    select_rows(pane.available, [0, 1])
    assert pane.analyze_selected.isEnabled()
    pane.available.clearSelection()
    assert not pane.analyze_selected.isEnabled()
    # A reload empties the selection without a click: the button follows.
    select_rows(pane.available, [0])
    assert pane.analyze_selected.isEnabled()
    with qtbot.waitSignal(session.available_total_changed, timeout=20_000):
        session.refresh()
    assert not pane.available.selectionModel().hasSelection()
    assert not pane.analyze_selected.isEnabled()


def test_the_score_chart_draws_each_job_as_its_own_series(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    import_all(qtbot, window, good_files)
    resume = window.vm.library.model.rows[0]
    backend = call_off_thread(
        qtbot, runner, ui_ctx.jobs.create, title="Backend", required_skills=["Python", "SQL"]
    )
    design = call_off_thread(
        qtbot, runner, ui_ctx.jobs.create, title="Design", required_skills=["Figma"]
    )
    for job in (backend, design, backend):  # interleaved in time
        call_off_thread(
            qtbot,
            runner,
            ui_ctx.analysis.analyze,
            job.id,
            resume_ids=[resume.id],
            include_analyzed=True,
        )
    history, chart = window.vm.history, window.history_pane.chart
    history.set_resume(resume.id)
    qtbot.waitUntil(lambda: len(chart.points) == 3)

    series = {s.label: s for s in chart.series}
    assert set(series) == {"Backend", "Design"}
    assert series["Backend"].slots == (0, 2) and series["Design"].slots == (1,)
    assert series["Backend"].color != series["Design"].color
    window.history_pane.resize(800, 600)
    plot = chart.plot_area()
    xs = {slot: None for slot in range(3)}
    for s, metric, points in chart.lines(plot):
        # Each line runs through its own job's points only: Backend skips Design's slot.
        assert len(points) == len(s.slots)
        for slot, point in zip(s.slots, points, strict=True):
            xs[slot] = point.x()
        assert metric in ("overall", "skill_match")
    assert xs[0] < xs[1] < xs[2]  # one time axis, oldest left
    assert len(chart.lines(plot)) == 4  # two jobs, two measures each
    chart.grab()  # paints without error


@pytest.fixture
def failing_endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    server.script = ["500"]
    yield server
    server.close()


def test_the_history_detail_shows_the_date_once_and_the_analyzer_in_words(
    qtbot,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    failing_endpoint: Endpoint,
):
    analyzer = LLMAnalyzer(
        LLMConfig(base_url=failing_endpoint.url, model="test-model", attempts=2, backoff=0.0),
        api_key=lambda: None,
        fallback=EvidenceAnalyzer(),
        sleep=lambda seconds: None,
    )
    window = make_window(make_ctx(embedded_settings, analyzer=analyzer))
    import_all(qtbot, window, good_files[:1])
    session = window.vm.session
    with qtbot.waitSignal(session.run_finished, timeout=20_000) as finished:
        session.start_analysis(None)
    qtbot.waitUntil(lambda: session.results.rowCount() == 1 and not session.is_loading)
    words = "Built-in analyzer v2, used because the LLM endpoint failed 2 times (HTTP 500)"
    assert window.session_pane.results_title.text().endswith("scored by Built-in analyzer v2")

    history, pane = window.vm.history, window.history_pane
    history.set_resume(finished.args[0].resume_ids[0])
    qtbot.waitUntil(lambda: "Scored by" in pane.detail.toPlainText())
    detail = pane.detail.toPlainText()
    assert f"Scored by: {words}." in detail
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", detail)) == 1  # the date, once
    assert "General analysis ·" in detail  # the session, without its stamp
    assert "llm-chat" not in detail
