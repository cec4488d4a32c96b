"""Start the window: open the library off the GUI thread, then show the main window.

Opening the library upgrades the schema and, on the server profile, connects to Postgres; a
slow or dead server must not freeze a window that has not even appeared yet, so a small startup
window shows progress and, on failure, the reason with Retry.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtWidgets import QApplication

from recur_desktop.app import AppContext, build_context
from recur_desktop.logs import mask, setup_logging
from recur_desktop.settings import SettingsError, load_settings
from recur_desktop.text_safety import visible
from recur_desktop.ui.crash import install_crash_handler
from recur_desktop.ui.errors import describe
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.app import AppViewModel
from recur_desktop.ui.views.main_window import MainWindow
from recur_desktop.ui.views.startup import StartupWindow
from recur_desktop.ui.views.widgets import icon

log = logging.getLogger(__name__)

ORGANIZATION = "Recur"
APPLICATION = "Recur Desktop"


def _open_library() -> AppContext:
    return build_context(load_settings())


class Launcher(QObject):
    """Owns the runner, the context and the windows for the life of the process."""

    def __init__(self, app: QApplication, settings: QSettings | None = None) -> None:
        super().__init__()
        self._app = app
        self._settings = settings
        self.runner = TaskRunner(parent=self)
        self.ctx: AppContext | None = None
        self.vm: AppViewModel | None = None
        self.window: MainWindow | None = None
        self.startup = StartupWindow()
        self.startup.retry_clicked.connect(self.open)
        self.startup.quit_clicked.connect(app.quit)
        app.aboutToQuit.connect(self.close)

    @Slot()
    def open(self) -> None:
        self.startup.show_busy()
        self.startup.show()
        self.runner.submit(
            _open_library, name="open library", on_done=self._opened, on_failed=self._failed
        )

    @Slot(object, object)
    def _opened(self, task: TaskHandle, ctx: AppContext) -> None:
        self.ctx = ctx
        self.vm = AppViewModel(ctx.services(), self.runner, parent=self)
        self.window = MainWindow(self.vm, self._settings)
        self.window.show()
        self.startup.close()
        self.vm.start()

    @Slot(object, object)
    def _failed(self, task: TaskHandle, exc: BaseException) -> None:
        if isinstance(exc, SettingsError):
            message = visible(mask(f"The settings are not valid: {exc}"))
        else:
            message = describe(exc, doing="opening the library").message
        self.startup.show_error(message)

    @Slot()
    def close(self) -> None:
        if not self.runner.shutdown(15_000):
            log.warning("background tasks still running at exit")
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None


def _setup_logging() -> None:
    """Rotating files in the platform log folder (``recur_desktop.logs``, secrets masked), and
    warnings on stderr."""
    try:
        setup_logging(console=True)
    except Exception:  # logging must never keep the window from opening
        logging.basicConfig(level=logging.WARNING)
        log.warning("log files unavailable", exc_info=True)


def run_gui(argv: Sequence[str] = ()) -> int:
    """``recur`` / ``recur gui``: the desktop window."""
    from recur_desktop.ui.preflight import display_problem

    problem = display_problem()
    if problem:
        sys.stderr.write(f"recur: {problem}\n")
        return 1
    _setup_logging()
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    install_crash_handler(app)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setWindowIcon(icon("app"))
    launcher = Launcher(app)
    launcher.open()
    return app.exec()
