"""With a store that blocks, the window keeps painting and Cancel still works."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot

from recur_desktop.app import AppContext, build_store
from recur_desktop.settings import Settings
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import drop_files

BLOCK_SECONDS = 2.0


class BlockingStore:
    """The real store, but every put waits (up to 2 s) for the test to release it, the way a
    slow network would. The waiting happens in the worker thread that called put."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.description = real.description
        self.entered = threading.Event()
        self.release = threading.Event()
        self.puts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def put(self, *args: Any, **kwargs: Any) -> bool:
        self.puts += 1
        self.entered.set()
        self.release.wait(BLOCK_SECONDS)
        return self._real.put(*args, **kwargs)


class Ticker(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.ticks = 0

    @Slot()
    def tick(self) -> None:
        self.ticks += 1


def test_gui_thread_stays_responsive_while_the_store_blocks_and_cancel_works(
    qtbot,
    make_ctx: Callable[..., AppContext],
    embedded_settings: Settings,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
):
    store = BlockingStore(build_store(embedded_settings))
    ctx = make_ctx(embedded_settings, store=store)
    window = make_window(ctx)
    ticker = Ticker()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(ticker.tick)
    timer.start()
    try:
        drop_files(window, good_files)  # returns at once: the drop only hands over paths
        qtbot.waitUntil(store.entered.is_set)
        before = ticker.ticks
        # The worker sits in put(); the event loop keeps running timers meanwhile.
        qtbot.waitUntil(lambda: ticker.ticks >= before + 10, timeout=1500)
        assert not store.release.is_set()
        assert window.import_progress.isVisible()
        qtbot.waitUntil(lambda: "Importing:" in window.import_progress.label.text())
        with qtbot.waitSignal(window.vm.library.import_finished, timeout=10_000) as finished:
            qtbot.mouseClick(window.import_progress.cancel, Qt.MouseButton.LeftButton)
            assert window.import_progress.cancel.text() == "Cancelling…"
            store.release.set()
    finally:
        store.release.set()
        timer.stop()
    summary = finished.args[0]
    assert summary.cancelled
    assert len(summary.added) == 1 and store.puts == 1  # stopped after the file in flight
    assert summary.headline.startswith("Import stopped: 1 added")
    qtbot.waitUntil(lambda: window.library_pane.table.model().rowCount() == 1)
    assert not window.import_progress.isVisible()
