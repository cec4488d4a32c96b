"""Small helpers for the window tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Slot

from recur_desktop.ui.tasks import TaskHandle, TaskRunner


class _Answer(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.value: Any = None
        self.error: BaseException | None = None
        self.ready = False

    @Slot(object, object)
    def done(self, task: TaskHandle, value: Any) -> None:
        self.value, self.ready = value, True

    @Slot(object, object)
    def failed(self, task: TaskHandle, exc: BaseException) -> None:
        self.error, self.ready = exc, True


def call_off_thread(
    qtbot: Any, runner: TaskRunner, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Call a (guarded) service from a test through the same bridge the window uses."""
    answer = _Answer()
    runner.submit(partial(fn, *args, **kwargs), on_done=answer.done, on_failed=answer.failed)
    qtbot.waitUntil(lambda: answer.ready, timeout=20_000)
    if answer.error is not None:
        raise answer.error
    return answer.value


def drag_enter_event(where: Any, mime: Any) -> Any:
    """Qt 6.12 takes a QPointF (and deprecates QPoint); earlier releases take only QPoint."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QDragEnterEvent

    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        return QDragEnterEvent(where, *args)
    except TypeError:
        return QDragEnterEvent(where.toPoint(), *args)


def drop_files(widget: Any, paths: list[Any]) -> None:
    """What a file manager does: an accepted drag-enter, then the drop, with file URLs."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    where = QPointF(widget.width() / 2, widget.height() / 2)
    copy, left, none = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = drag_enter_event(where, mime)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the window refused the drag"
    drop = QDropEvent(where, copy, mime, left, none)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted(), "the window refused the drop"


def select_rows(view: Any, rows: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    selection = view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(view.model().index(row, 0), flags)
    if rows:
        selection.setCurrentIndex(
            view.model().index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
        )
