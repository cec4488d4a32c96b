"""The crash handler: an exception nobody caught (on the GUI thread, in a slot, in a worker
thread) is logged and shown in a dialog with a report the recruiter can copy into a ticket;
the window keeps running.

Qt calls slots and event handlers from C++; an exception escaping one of them cannot unwind
into Qt, so PySide6 hands it to :data:`sys.excepthook` and returns. Whatever the slot was doing
is abandoned, but the state the view-models keep is changed only when a task's answer arrives,
so carrying on is the safe choice; the dialog still offers Quit.

Reports carry versions, the OS and the traceback, never secrets: passwords in URLs and
``password=...``-style values are masked before the text is logged or shown, and control or
bidi characters (from a hostile file name in a message) are shown escaped.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot

import recur_desktop
from recur_desktop.logs import mask
from recur_desktop.text_safety import visible, visible_text

log = logging.getLogger(__name__)

#: Distinct problems kept in one dialog; more only raise the count.
MAX_REPORTS = 5


def scrub(text: str) -> str:
    """``text`` with every password, secret key or token it visibly carries replaced by ***
    (:func:`recur_desktop.logs.mask`: one rule for logs, the CLI and the window)."""
    return mask(text)


def _qt_versions() -> str:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    except Exception:  # the report must come out even when Qt is the problem
        return "Qt unknown"


@dataclass(frozen=True)
class CrashReport:
    #: One line for the dialog: the exception's type and message.
    headline: str
    #: The whole copyable report.
    text: str
    #: What identifies "the same problem again" (type and where it was raised).
    signature: str


def build_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str = "",
    when: datetime | None = None,
) -> CrashReport:
    when = when or datetime.now().astimezone()
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    # One line, shown in a label: a newline or a bidi override in the message (a file name)
    # is written out, not obeyed.
    message = visible(scrub(str(exc))) if exc is not None else ""
    headline = f"{exc_type.__name__}: {message}" if message else exc_type.__name__
    body = "".join(traceback.format_exception(exc_type, exc, tb))
    lines = [
        f"Recur Desktop {recur_desktop.__version__}",
        f"When: {when.isoformat(timespec='seconds')}",
        f"OS: {platform.platform()} ({platform.machine()})",
        f"Python: {platform.python_implementation()} {platform.python_version()}",
        f"{_qt_versions()}",
        f"Thread: {thread or threading.current_thread().name}",
        "",
        body.rstrip(),
    ]
    return CrashReport(
        headline=headline[:300],
        text=visible_text(scrub("\n".join(lines))),
        signature=f"{exc_type}@{where}",
    )


class CrashHandler(QObject):
    """Installs itself as :data:`sys.excepthook` and :data:`threading.excepthook`.

    The dialog is always shown through a queued signal, so it opens from the event loop and
    never from inside the code that failed (a paint, a half-done layout, a worker thread).
    """

    #: A report, from any thread; handled on the GUI thread.
    crashed = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        show: Callable[[CrashReport, int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.reports: list[CrashReport] = []
        self.count = 0
        self._show = show
        self._dialog: object | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._installed = False
        self.crashed.connect(self._present, Qt.ConnectionType.QueuedConnection)

    def install(self) -> CrashHandler:
        if self._installed:
            return self
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._installed = True
        return self

    def uninstall(self) -> None:
        if self._installed:
            sys.excepthook = self._previous_hook
            threading.excepthook = self._previous_thread_hook
            self._installed = False

    # ------------------------------------------------------------- hooks (any thread)
    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal still stops the app
            self._previous_hook(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a worker thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, thread=name)

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        *,
        thread: str = "",
    ) -> CrashReport:
        try:
            report = build_report(exc_type, exc, tb, thread=thread)
            log.critical("unexpected error (the app keeps running)\n%s", report.text)
            self.crashed.emit(report)
            return report
        except Exception:  # never let the handler itself fail loudly
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            raise

    # ------------------------------------------------------------- GUI thread
    @Slot(object)
    def _present(self, report: CrashReport) -> None:
        from recur_desktop.ui.views.crash_dialog import CrashDialog

        dialog = self._dialog
        showing = isinstance(dialog, CrashDialog) and dialog.isVisible()
        if not showing and self._show is None:
            self.reports, self.count = [], 0  # a closed dialog's problems were seen
        self.count += 1
        # The same failure again (a paint that fails on every repaint) only raises the count.
        if len(self.reports) < MAX_REPORTS and all(
            r.signature != report.signature for r in self.reports
        ):
            self.reports.append(report)
        if self._show is not None:
            self._show(report, self.count)
            return
        if not isinstance(dialog, CrashDialog) or not showing:
            dialog = CrashDialog()
            self._dialog = dialog
        dialog.show_reports(self.reports, self.count)

    @property
    def dialog(self) -> object | None:
        return self._dialog


_handler: CrashHandler | None = None


def install_crash_handler(app: QObject | None = None) -> CrashHandler:
    """Show unexpected exceptions in a dialog instead of losing them (idempotent)."""
    global _handler
    if _handler is None:
        _handler = CrashHandler(app)
    return _handler.install()
