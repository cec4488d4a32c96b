"""The task bridge: answers arrive on the GUI thread, in order, exactly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, Slot

from recur_desktop.domain import CancelToken, Progress
from recur_desktop.ui.tasks import TaskHandle, TaskRunner


class Recorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, Any]] = []
        self.threads: set[bool] = set()

    def _seen(self, kind: str, value: Any) -> None:
        self.threads.add(threading.current_thread() is threading.main_thread())
        self.events.append((kind, value))

    @Slot(object, object)
    def done(self, task: TaskHandle, result: Any) -> None:
        self._seen("done", result)

    @Slot(object, object)
    def failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._seen("failed", exc)

    @Slot(object)
    def cancelled(self, task: TaskHandle) -> None:
        self._seen("cancelled", None)

    @Slot(object, int, int, str)
    def progress(self, task: TaskHandle, done: int, total: int, note: str) -> None:
        self._seen("progress", (done, total, note))

    @property
    def settled(self) -> bool:
        return any(kind != "progress" for kind, _ in self.events)


def counting(*, progress: Progress, cancel: CancelToken) -> str:
    for i in range(3):
        progress(i, 3, f"item {i}")
    progress(3, 3, "")
    return threading.current_thread().name


def test_result_and_progress_arrive_on_the_gui_thread_in_order(qtbot, runner: TaskRunner) -> None:
    rec = Recorder()
    runner.submit(counting, long=True, on_done=rec.done, on_progress=rec.progress)
    qtbot.waitUntil(lambda: rec.settled)
    assert rec.threads == {True}
    kinds = [kind for kind, _ in rec.events]
    assert kinds[-1] == "done" and kinds.count("done") == 1
    assert rec.events[-1][1] != threading.main_thread().name
    assert ("progress", (3, 3, "")) in rec.events  # the final progress is never dropped


def boom() -> None:
    raise ValueError("broken")


def test_an_exception_is_delivered_as_a_value(qtbot, runner: TaskRunner) -> None:
    rec = Recorder()
    runner.submit(boom, on_done=rec.done, on_failed=rec.failed)
    qtbot.waitUntil(lambda: rec.settled)
    [(kind, exc)] = rec.events
    assert kind == "failed" and isinstance(exc, ValueError)
    qtbot.waitUntil(lambda: runner.active_count == 0)


def wait_for_cancel(gate: threading.Event, *, progress: Progress, cancel: CancelToken) -> None:
    gate.set()
    while True:
        cancel.raise_if_cancelled()
        threading.Event().wait(0.005)  # polling inside the worker, never in the test


def test_cancel_reaches_a_running_task(qtbot, runner: TaskRunner) -> None:
    from functools import partial

    rec = Recorder()
    started = threading.Event()
    handle = runner.submit(partial(wait_for_cancel, started), long=True, on_cancelled=rec.cancelled)
    qtbot.waitUntil(started.is_set)
    handle.cancel()
    qtbot.waitUntil(lambda: rec.settled)
    assert rec.events == [("cancelled", None)]


def test_a_lambda_slot_is_refused_because_it_would_run_in_the_worker(runner: TaskRunner) -> None:
    with pytest.raises(TypeError, match="bound method of a QObject"):
        runner.submit(boom, on_done=lambda task, result: None)
