"""The crash handler, the About dialog and the Help menu."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication

import recur_desktop
from recur_desktop.app import AppContext
from recur_desktop.ui.crash import CrashHandler, build_report, install_crash_handler, scrub
from recur_desktop.ui.views.crash_dialog import CrashDialog
from recur_desktop.ui.views.main_window import MainWindow

SECRET = "s3cr3t-Pa55"


def test_scrub_masks_passwords_keys_and_tokens():
    text = (
        f"postgresql+psycopg://recruiter:{SECRET}@db.example:5432/recur "
        f"aws_secret_access_key={SECRET} password: '{SECRET}' Authorization: Bearer {SECRET}"
        f" token={SECRET}&x=1"
    )
    cleaned = scrub(text)
    assert SECRET not in cleaned
    assert "postgresql+psycopg://recruiter:***@db.example:5432/recur" in cleaned
    assert scrub("no secrets at /home/ada/cv.pdf line 3") == "no secrets at /home/ada/cv.pdf line 3"


def _raise_and_report():
    try:
        raise RuntimeError(f"could not connect to postgresql://u:{SECRET}@host/db")
    except RuntimeError as exc:
        return build_report(type(exc), exc, exc.__traceback__, thread="MainThread")


def test_a_report_has_versions_os_and_traceback_and_no_secret():
    report = _raise_and_report()
    assert report.text.startswith(f"Recur Desktop {recur_desktop.__version__}")
    for part in ("OS: ", "Python: ", "Qt ", "PySide6 ", "Traceback (most recent call last)"):
        assert part in report.text
    assert "_raise_and_report" in report.text and SECRET not in report.text
    assert report.headline.startswith("RuntimeError: could not connect")


class _Boom(QObject):
    @Slot()
    def fail(self) -> None:
        raise ValueError(f"broken slot password={SECRET}")


@pytest.fixture
def handler(qapp) -> Iterator[CrashHandler]:
    crash = CrashHandler()
    crash.install()
    yield crash
    crash.uninstall()
    dialog = crash.dialog
    if isinstance(dialog, CrashDialog):
        dialog.close()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_the_app_keeps_running(
    qtbot, handler: CrashHandler
):
    boom = _Boom()
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    QTimer.singleShot(0, boom.fail)
    qtbot.waitUntil(lambda: isinstance(handler.dialog, CrashDialog) and handler.dialog.isVisible())
    dialog = handler.dialog
    assert isinstance(dialog, CrashDialog)
    assert dialog.headline.text().startswith("ValueError: broken slot")
    report = dialog.report.toPlainText()
    assert "Traceback" in report and "fail" in report and SECRET not in report
    dialog.copy_report()
    assert QGuiApplication.clipboard().text() == report
    # The same failure again only counts; the event loop never stopped.
    QTimer.singleShot(0, boom.fail)
    qtbot.waitUntil(lambda: handler.count == 2)
    assert "2 times" in dialog.count.text() and len(handler.reports) == 1
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > seen + 3)
    timer.stop()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_worker_thread_reaches_the_gui_thread(qtbot, handler: CrashHandler):
    shown: list[tuple[str, str]] = []

    def show(report, count):
        shown.append((report.headline, threading.current_thread().name))

    handler._show = show  # record instead of opening a dialog

    def work() -> None:
        raise KeyError("lost")

    worker = threading.Thread(target=work, name="import-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [("KeyError: 'lost'", threading.main_thread().name)]
    assert "Thread: import-worker" in handler.reports[0].text


def test_install_crash_handler_hooks_both_and_is_idempotent(qapp):
    before = (sys.excepthook, threading.excepthook)
    try:
        first = install_crash_handler(qapp)
        assert install_crash_handler(qapp) is first
        assert sys.excepthook == first.excepthook
        assert threading.excepthook == first.thread_excepthook
    finally:
        first.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_about_shows_version_profile_masked_database_and_licenses(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    ctx = replace(
        ui_ctx,
        settings=replace(
            ui_ctx.settings,
            database_url=f"postgresql+psycopg://ada:{SECRET}@db.example:5432/recur",
            s3_bucket="team-resumes",
            s3_region="eu-west-1",
        ),
    )
    window = make_window(ctx)
    dialog = window.about()
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.text.toPlainText()
    assert recur_desktop.__version__ in text
    assert "db.example" in text and SECRET not in text and "***" in text
    assert "s3://team-resumes" in text
    for component in ("PySide6", "SQLAlchemy", "psycopg", "boto3", "PDFium", "pypdf", "keyring"):
        assert component in text
    assert "LGPL-3.0" in text and "Apache-2.0" in text
    dialog.copy_details()
    assert recur_desktop.__version__ in QGuiApplication.clipboard().text()
    assert SECRET not in QGuiApplication.clipboard().text()
    dialog.close()


def test_help_shows_the_guide_and_opens_the_log_folder(
    qtbot,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    from recur_desktop.ui.viewmodels import about

    logs = tmp_path / "logs" / "recur"
    monkeypatch.setattr(about, "log_folder", lambda: logs)
    window = make_window(ui_ctx)
    titles = [a.text() for a in window.menuBar().actions()]
    help_menu = window.menuBar().actions()[titles.index("&Help")].menu()
    names = [a.text() for a in help_menu.actions() if a.text()]
    assert names == ["&Getting started", "Open &log folder", "&About Recur Desktop"]
    with qtbot.waitSignal(window.vm.help.guide_ready):
        guide = window.show_guide()
    assert "Getting started" in guide.browser.toPlainText()
    assert "Read skills from description" in guide.browser.toPlainText()
    assert window.show_guide() is guide  # one guide window
    guide.close()
    opened: list[str] = []
    monkeypatch.setattr(window, "_open_folder", lambda path: opened.append(path))
    with qtbot.waitSignal(window.vm.help.log_folder_ready) as ready:
        window.log_folder_action.trigger()
    assert ready.args == [str(logs)] and logs.is_dir()


def test_the_log_folder_is_where_the_logs_module_writes():
    from recur_desktop.logs import log_dir
    from recur_desktop.ui.viewmodels.about import log_folder

    assert log_folder() == log_dir()
