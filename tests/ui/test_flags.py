"""What the window says about a resume beyond its columns: unreadable text (a migrated file),
the name a duplicate is already known by, the names in session results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import update

from recur_desktop.app import AppContext
from recur_desktop.persistence.tables import ResumeRow
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread

UNREADABLE = "The PDF has no text layer."


def _mark_unreadable(ctx: AppContext, file_name: str) -> None:
    with ctx.sessions() as session:
        session.execute(
            update(ResumeRow)
            .where(ResumeRow.file_name == file_name)
            .values(extraction_error=UNREADABLE, text_content="")
        )
        session.commit()


def test_a_resume_whose_text_could_not_be_read_is_flagged_in_the_library_and_history(
    qtbot,
    ui_ctx: AppContext,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    library = window.vm.library
    with qtbot.waitSignal(library.import_finished, timeout=20_000):
        library.import_files(good_files)
    qtbot.waitUntil(lambda: library.model.rowCount() == len(good_files) and not library.is_loading)
    call_off_thread(qtbot, runner, _mark_unreadable, ui_ctx, "alan_turing.txt")
    library.refresh()
    qtbot.waitUntil(
        lambda: any(r.extraction_error for r in library.model.rows) and not library.is_loading
    )
    model = library.model
    for row, record in enumerate(model.rows):
        index = model.index(row, 0)
        decoration = model.data(index, Qt.ItemDataRole.DecorationRole)
        tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        if record.file_name == "alan_turing.txt":
            assert decoration is not None and not decoration.isNull()
            assert "couldn't be read" in tooltip and "no text layer" in tooltip
            flagged = row
        else:
            assert decoration is None and tooltip == record.file_name
    window.library_pane.table.selectRow(flagged)
    pane = window.history_pane
    qtbot.waitUntil(lambda: pane.warning_row.isVisibleTo(window))
    assert "couldn't be read" in pane.warning.text()
    qtbot.waitUntil(lambda: "couldn't be read" in pane.preview.text.toPlainText())
    window.library_pane.table.selectRow(0 if flagged else 1)
    qtbot.waitUntil(lambda: not pane.warning_row.isVisibleTo(window))


def test_a_duplicate_names_the_resume_it_matched(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow], good_files: list[Path]
):
    window = make_window(ui_ctx)
    library = window.vm.library
    with qtbot.waitSignal(library.import_finished, timeout=20_000):
        library.import_files(good_files[:1])
    renamed = good_files[0].parent / "copy_of_ada.pdf"
    renamed.write_bytes(good_files[0].read_bytes())
    with qtbot.waitSignal(library.import_finished, timeout=20_000) as done:
        library.import_files([renamed])
    (duplicate,) = done.args[0].duplicates
    assert duplicate.file_name == "copy_of_ada.pdf"
    assert duplicate.existing_name == good_files[0].name
    assert f"copy_of_ada.pdf (as {good_files[0].name})" in done.args[0].as_text()
