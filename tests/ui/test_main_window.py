"""The main window as a recruiter meets it: empty state, drops, summary, trash, outages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from recur_desktop.app import AppContext
from recur_desktop.services.errors import DatabaseUnavailable
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread, drag_enter_event, drop_files, select_rows


def test_first_start_shows_the_empty_state_and_loads_the_samples(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    pane = window.library_pane
    assert pane.showing_empty_state
    assert (
        pane.empty.isVisible()
        and "Drop resumes here" in pane.empty.findChild(type(pane.count), "emptyTitle").text()
    )
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        qtbot.mouseClick(pane.empty.samples_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pane.showing_empty_state)
    assert window.summary.isVisible()
    assert window.summary.headline.text().startswith("Import finished: 4 added")
    qtbot.waitUntil(lambda: pane.table.model().rowCount() == 4)
    assert pane.count.text() == "4 resumes"


def test_dropping_good_and_bad_files_imports_them_and_shows_the_summary(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    bad_files: list[Path],
):
    window = make_window(ui_ctx)
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        drop_files(window, [*good_files, *bad_files])
    summary = window.summary.summary
    assert summary is not None and window.summary.isVisible()
    assert sorted(summary.added) == sorted(p.name for p in good_files)
    assert {r.file_name for r in summary.rejected} == {p.name for p in bad_files}
    details = window.summary.details.toPlainText()
    for bad in bad_files:
        assert f"{bad.name}: " in details  # each rejection with its reason, in one list
    window.summary.copy_to_clipboard()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == summary.as_text()

    model = window.library_pane.table.model()
    qtbot.waitUntil(lambda: model.rowCount() == len(good_files))
    in_service = call_off_thread(qtbot, runner, ui_ctx.library.page, limit=100)
    assert model.rowCount() == in_service.total == len(good_files)
    assert {r.id for r in model.rows} == {r.id for r in in_service.items}

    # The same folder again: everything is a duplicate, nothing new is stored.
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000) as again:
        drop_files(window, [good_files[0].parent])
    assert not again.args[0].added and len(again.args[0].duplicates) == len(good_files)


def test_a_drag_without_files_is_refused(qtbot, ui_ctx: AppContext, make_window):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtWidgets import QApplication

    window = make_window(ui_ctx)
    mime = QMimeData()
    mime.setText("just text")
    event = drag_enter_event(QPointF(10, 10), mime)
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()


def test_delete_key_trashes_the_selection_and_undo_in_the_status_bar_restores_it(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow], good_files: list[Path]
):
    window = make_window(ui_ctx)
    library = window.vm.library
    with qtbot.waitSignal(library.import_finished, timeout=20_000):
        library.import_files(good_files[:3])
    table = window.library_pane.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    window.activateWindow()  # the offscreen platform gives the summary the focus; click back
    qtbot.waitUntil(window.isActiveWindow)
    select_rows(table, [0, 1])
    table.setFocus()
    with qtbot.waitSignal(library.trash_changed):
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert window.undo_button.isVisible()
    assert "Moved 2 resumes to the trash" in window.statusBar().currentMessage()
    with qtbot.waitSignal(library.trash_changed):
        qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    assert not window.undo_button.isVisible()


def test_delete_in_the_search_box_edits_text_and_trashes_nothing(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    library = window.vm.library
    with qtbot.waitSignal(library.import_finished, timeout=20_000):
        library.import_files(good_files[:1])
    qtbot.waitUntil(lambda: window.library_pane.table.model().rowCount() == 1)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    select_rows(window.library_pane.table, [0])
    search = window.library_pane.search
    search.setFocus()
    qtbot.waitUntil(lambda: runner.active_count == 0)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    assert runner.active_count == 0  # a delete would have started a task right away
    assert not library.can_undo


class FlakyLibrary:
    """The real library, except that listing fails while ``down`` is set (a lost database)."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.down = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def page(self, **kwargs: Any) -> Any:
        if self.down:
            raise DatabaseUnavailable()  # what persistence makes of a refused connection
        return self._real.page(**kwargs)


def test_a_lost_database_shows_a_banner_and_retry_recovers(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    flaky = FlakyLibrary(ui_ctx.library)
    window = make_window(replace(ui_ctx, library=flaky), ready=False)
    qtbot.waitUntil(window.banner.isVisible)
    assert "isn't answering" in window.banner.text.text()
    assert window.isEnabled()  # the window keeps working on what it has
    flaky.down = False
    qtbot.mouseClick(window.banner.retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.banner.isVisible())
    qtbot.waitUntil(lambda: window.vm.library.is_empty is True)


def test_layout_is_remembered_and_nothing_secret_is_written(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow], qsettings: QSettings
):
    window = make_window(ui_ctx)
    window.split.setSizes([700, 500])
    window.tabs.setCurrentIndex(1)
    window.save_state()
    keys = qsettings.allKeys()
    assert set(keys) >= {"window/geometry", "window/tab", "splitters/mainSplit"}
    assert all(k.split("/")[0] in {"window", "splitters"} for k in keys)
    raw = Path(qsettings.fileName()).read_bytes().lower()
    for secret_ish in (b"password", b"postgresql", b"secret", b"sqlite", b"s3://"):
        assert secret_ish not in raw
    again = MainWindow(window.vm, qsettings)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 1


def test_shortcuts_and_accessible_names(qtbot, ui_ctx: AppContext, make_window):
    window = make_window(ui_ctx)
    shortcuts = {
        window.import_action: QKeySequence(QKeySequence.StandardKey.Open),
        window.find_action: QKeySequence(QKeySequence.StandardKey.Find),
        window.delete_action: QKeySequence(QKeySequence.StandardKey.Delete),
        window.analyze_action: QKeySequence("Ctrl+R"),
    }
    for action, keys in shortcuts.items():
        assert action.shortcut() == keys, action.text()
    assert window.import_action.shortcut().toString() == "Ctrl+O"
    window.find_action.trigger()
    qtbot.waitUntil(window.library_pane.search.hasFocus)
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    unnamed = [
        w.objectName() or w.text() if hasattr(w, "text") else repr(w)
        for kind in (QLineEdit, QComboBox, QTableView)
        for w in window.findChildren(kind)
        if not w.accessibleName()
        and w.isVisibleTo(window)
        and w.parent() is not None
        and not isinstance(w.parent(), QComboBox)
    ]
    assert not unnamed
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    assert all(b.accessibleName() or b.text() or b.toolTip() for b in buttons)
