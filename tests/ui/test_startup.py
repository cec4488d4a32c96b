"""Start-up: the library opens off the GUI thread; a failure shows why, with Retry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from recur_desktop.app import AppContext, StartupError
from recur_desktop.settings import Settings
from recur_desktop.ui import main as ui_main


@pytest.fixture
def launcher(qapp: QApplication, qsettings: QSettings) -> Iterator[ui_main.Launcher]:
    launcher = ui_main.Launcher(qapp, qsettings)
    yield launcher
    if launcher.window is not None:
        launcher.window.close()
    launcher.startup.close()
    launcher.close()


def test_the_window_appears_once_the_library_is_open(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    launcher: ui_main.Launcher,
):
    monkeypatch.setattr(ui_main, "_open_library", lambda: make_ctx(embedded_settings))
    launcher.open()
    assert launcher.startup.isVisible()  # shown at once, while the worker opens the library
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.isVisible())
    assert not launcher.startup.isVisible()
    qtbot.waitUntil(lambda: launcher.window.library_pane.showing_empty_state)


def test_a_library_that_cannot_be_opened_says_why_and_retry_tries_again(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    launcher: ui_main.Launcher,
):
    attempts: list[int] = []

    def unreachable() -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise StartupError("Can't reach the library database at postgresql://db.example/x.")
        return make_ctx(embedded_settings)

    monkeypatch.setattr(ui_main, "_open_library", unreachable)
    launcher.open()
    qtbot.waitUntil(launcher.startup.retry.isVisible)
    assert "Can't reach the library database" in launcher.startup.message.text()
    assert launcher.window is None
    launcher.startup.retry.click()
    qtbot.waitUntil(lambda: launcher.window is not None)
    assert len(attempts) == 2
