"""Issue #11 in the window: Erase names the candidate and waits for a typed confirmation; the
import summary tells restored, repaired and skipped files apart, and says once why it stopped.

Every service call runs off the GUI thread (the ``violations`` fixture fails a test otherwise);
tests wait on signals and conditions, never on time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from recur_desktop.app import AppContext, build_store
from recur_desktop.domain import ImportReport
from recur_desktop.domain.models import RejectedFile
from recur_desktop.services import NotFound
from recur_desktop.settings import Settings
from recur_desktop.storage import StorageError
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.library import LibraryViewModel, summarize
from recur_desktop.ui.views.erase_dialog import EraseDialog
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.conftest import write_resume
from tests.ui.helpers import call_off_thread, select_rows


def _import(qtbot: Any, vm: LibraryViewModel, paths: list[Path]) -> Any:
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as done:
        vm.import_files(paths)
    return done.args[0]


def _row_of(vm: LibraryViewModel, candidate: str) -> int:
    return next(i for i, r in enumerate(vm.model.rows) if r.candidate_name == candidate)


@pytest.fixture
def window_with_two(
    qtbot: Any, ui_ctx: AppContext, make_window: Callable[..., MainWindow], good_files: list[Path]
) -> MainWindow:
    window = make_window(ui_ctx)
    _import(qtbot, window.vm.library, good_files[:2])
    window.summary.close()
    qtbot.waitUntil(lambda: window.library_pane.table.model().rowCount() == 2)
    return window


def _open_erase_dialog(qtbot: Any, window: MainWindow, candidate: str) -> EraseDialog:
    select_rows(window.library_pane.table, [_row_of(window.vm.library, candidate)])
    window.erase_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(EraseDialog) is not None)
    dialog = window.findChild(EraseDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_erase_is_offered_in_the_edit_menu_and_the_library_context_menu(window_with_two):
    window = window_with_two
    assert window.erase_action in window.library_pane.table.actions()
    edit = next(m for m in window.menuBar().actions() if m.text() == "&Edit").menu()
    assert window.erase_action in edit.actions()
    assert window.erase_action.text() == "&Erase for good…"


def test_the_erase_dialog_names_the_candidate_and_waits_for_the_typed_name(
    qtbot: Any, ui_ctx: AppContext, runner: TaskRunner, window_with_two: MainWindow
):
    window = window_with_two
    vm = window.vm.library
    ada = vm.model.rows[_row_of(vm, "Ada Lovelace")]
    dialog = _open_erase_dialog(qtbot, window, "Ada Lovelace")

    assert "Ada Lovelace" in dialog.question.text()
    assert "ada_lovelace.pdf" in dialog.question.text()
    assert "can't be brought back" in dialog.consequence.text()
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirmation, "Grace Hopper")  # another candidate's name
    assert not dialog.erase_button.isEnabled()
    dialog.confirmation.clear()
    qtbot.keyClicks(dialog.confirmation, "ada  lovelace")  # case and spacing aside
    assert dialog.erase_button.isEnabled()

    with qtbot.waitSignal(vm.erased, timeout=10_000) as erased:
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert erased.args == [ada.id]
    qtbot.waitUntil(lambda: window.library_pane.table.model().rowCount() == 1)
    assert window.statusBar().currentMessage() == "Erased “ada_lovelace.pdf” for good."
    with pytest.raises(NotFound):
        call_off_thread(qtbot, runner, ui_ctx.library.get, ada.id)
    events = call_off_thread(qtbot, runner, ui_ctx.audit.events)
    assert [(e.action, e.subject_id) for e in events] == [("erase", ada.id)]


def test_typing_erase_also_confirms_and_cancel_erases_nothing(
    qtbot: Any, ui_ctx: AppContext, runner: TaskRunner, window_with_two: MainWindow
):
    window = window_with_two
    vm = window.vm.library
    grace = vm.model.rows[_row_of(vm, "Grace Hopper")]
    dialog = _open_erase_dialog(qtbot, window, "Grace Hopper")
    qtbot.keyClicks(dialog.confirmation, "erase")
    assert dialog.erase_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.erase_confirmed):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert call_off_thread(qtbot, runner, ui_ctx.library.get, grace.id).deleted_at is None


def test_erase_without_a_selection_says_what_to_do(
    qtbot: Any, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    window.erase_action.trigger()
    assert window.findChild(EraseDialog) is None
    assert window.statusBar().currentMessage() == "Select the resume to erase first."


def test_the_summary_tells_restored_repaired_and_hidden_files_apart(
    qtbot: Any, ui_ctx: AppContext, runner: TaskRunner, tmp_path: Path
):
    vm = LibraryViewModel(ui_ctx.library, runner, search_delay_ms=10)
    vm.refresh()
    folder = tmp_path / "drop"
    folder.mkdir()
    ada = write_resume(folder, "ada.txt", "Ada Lovelace", ["Python"])
    grace = write_resume(folder, "grace.txt", "Grace Hopper", ["COBOL"])
    first = _import(qtbot, vm, [folder])
    assert sorted(first.added) == ["ada.txt", "grace.txt"]
    rows = call_off_thread(qtbot, runner, ui_ctx.library.page).items
    by_name = {r.file_name: r for r in rows}
    call_off_thread(qtbot, runner, ui_ctx.library.delete, by_name["ada.txt"].id)
    call_off_thread(qtbot, runner, ui_ctx.store.delete, by_name["grace.txt"].s3_resume_key)
    call_off_thread(qtbot, runner, ui_ctx.doctor.check)
    for name in (".DS_Store", "Thumbs.db"):
        (folder / name).write_bytes(b"not a resume")

    with qtbot.waitSignal(vm.library_changed, timeout=20_000):
        summary = _import(qtbot, vm, [folder])

    assert [d.file_name for d in summary.restored] == [ada.name]
    assert [(r.file_name, r.problem) for r in summary.repaired] == [(grace.name, "missing")]
    assert summary.duplicates == [] and summary.rejected == []
    assert sorted(summary.hidden_skipped) == [".DS_Store", "Thumbs.db"]
    assert summary.headline == (
        "Import finished: 0 added, 1 restored from the trash, 1 repaired, "
        "0 already in the library, 0 not imported, 2 hidden files skipped."
    )
    text = summary.as_text()
    assert "Restored from the trash:\n  ada.txt" in text
    assert "Repaired (the stored file is back):\n  grace.txt: its stored file was missing" in text
    assert "Skipped (hidden or temporary files):" in text and "Thumbs.db" in text
    assert call_off_thread(qtbot, runner, ui_ctx.store.exists, by_name["grace.txt"].s3_resume_key)
    assert call_off_thread(qtbot, runner, ui_ctx.doctor.check).clean


STOPPED = (
    "File storage isn't answering; the remaining 2 files were not imported. "
    "Nothing was lost; try again later."
)


def test_a_stopped_import_says_why_once():
    report = ImportReport(
        rejected=[
            RejectedFile("a.pdf", "It couldn't be saved: File storage didn't answer."),
            RejectedFile("b.pdf", STOPPED),
            RejectedFile("c.pdf", STOPPED),
        ],
        stopped=STOPPED,
    )
    summary = summarize(report)
    assert summary.headline == (
        f"Import stopped: {STOPPED} 0 added, 0 already in the library, 3 not imported."
    )
    text = summary.as_text()
    assert text.count(STOPPED) == 1
    assert "Not tried (the import stopped):\n  b.pdf\n  c.pdf" in text
    assert "a.pdf: It couldn't be saved" in text


class DownStore:
    """The real store, except that uploads time out: storage stopped answering."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.description = real.description

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def put(self, *args: Any, **kwargs: Any) -> bool:
        raise StorageError("File storage didn't answer in time.", code="timeout")


def test_the_window_headline_says_why_the_import_stopped(
    qtbot: Any,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    ctx = make_ctx(embedded_settings, store=DownStore(build_store(embedded_settings)))
    window = make_window(ctx)
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000):
        window.vm.library.import_files(good_files)  # four files: three fail, one left out
    qtbot.waitUntil(window.summary.isVisible)
    headline = window.summary.headline.text()
    sentence = "File storage isn't answering; the remaining file was not imported."
    assert headline.startswith(f"Import stopped: {sentence}")
    details = window.summary.details.toPlainText()
    assert details.count(sentence) == 1  # the headline's, not once per file
