"""What every view-model shares: the task bridge, problem reporting and Retry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from recur_desktop.ui.errors import describe
from recur_desktop.ui.tasks import TaskRunner


class ViewModel(QObject):
    #: (message, outage). An outage (database or storage unreachable) deserves a Retry banner;
    #: anything else is a message about the action the user just took.
    problem = Signal(str, bool)
    #: A short, transient note for the status bar.
    notice = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._retry: dict[str, Callable[[], None]] = {}

    def report(self, exc: BaseException, *, doing: str, retry: Callable[[], None] | None) -> None:
        """Show what failed; remember how to try again when it was an outage."""
        problem = describe(exc, doing=doing)
        if problem.outage and retry is not None:
            self._retry[doing] = retry
        self.problem.emit(problem.message, problem.outage)

    def retry(self) -> None:
        """Run again every load that failed for lack of a connection."""
        pending, self._retry = self._retry, {}
        for again in pending.values():
            again()
