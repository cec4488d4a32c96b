"""The one bridge between the GUI thread and the services: run a call on a thread pool and hand
its progress, result, error or cancellation back to the GUI thread as queued signals.

A ``QRunnable`` is not a ``QObject``, so each task gets a small signals object created here, on
the GUI thread, and connected to *bound slots of GUI-thread objects*: Qt then queues every
emission from the worker to the receiver's thread. A lambda has no receiver object, so Qt would
call it directly in the worker; :meth:`TaskRunner.submit` refuses one.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from recur_desktop.domain import Cancelled, CancelToken

log = logging.getLogger(__name__)

#: Progress signals closer together than this are dropped (except the last one of a run):
#: a folder of 10,000 files must not flood the GUI thread's event queue.
PROGRESS_INTERVAL_S = 1 / 30


class TaskHandle:
    """What a caller keeps of a running task: its name, its cancel token and any tag it needs
    to recognise the task's answer later (a search term, an offset, a resume id...)."""

    def __init__(self, name: str, tag: Any = None) -> None:
        self.name = name
        self.tag = tag
        self.token = CancelToken()
        self.finished = False

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def __repr__(self) -> str:
        return f"<TaskHandle {self.name} tag={self.tag!r}>"


class _TaskSignals(QObject):
    """Created on the GUI thread, emitted from the worker; arguments start with the handle."""

    progress = Signal(object, int, int, str)
    succeeded = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)
    settled = Signal(object)


class _Task(QRunnable):
    def __init__(
        self,
        fn: Callable[..., Any],
        handle: TaskHandle,
        signals: _TaskSignals,
        *,
        long: bool,
    ) -> None:
        super().__init__()
        self._fn = fn
        self._handle = handle
        self._signals = signals
        self._long = long
        self._last_progress = 0.0

    def _progress(self, done: int, total: int, note: str) -> None:
        now = time.monotonic()
        final = total >= 0 and done >= total
        if final or now - self._last_progress >= PROGRESS_INTERVAL_S:
            self._last_progress = now
            self._signals.progress.emit(self._handle, done, total, note)

    def run(self) -> None:
        handle, signals = self._handle, self._signals
        try:
            if self._long:
                result = self._fn(progress=self._progress, cancel=handle.token)
            else:
                handle.token.raise_if_cancelled()
                result = self._fn()
        except Cancelled:
            signals.cancelled.emit(handle)
        except Exception as exc:  # every failure goes to the GUI as a value, none is lost
            log.debug("task %s failed", handle.name, exc_info=True)
            signals.failed.emit(handle, exc)
        else:
            signals.succeeded.emit(handle, result)
        finally:
            signals.settled.emit(handle)


def _require_bound_slot(callback: Callable[..., Any] | None, what: str) -> None:
    if callback is None:
        return
    owner = getattr(callback, "__self__", None)
    if not (inspect.ismethod(callback) and isinstance(owner, QObject)):
        raise TypeError(
            f"{what} must be a bound method of a QObject living on the GUI thread "
            f"(got {callback!r}); a lambda or plain function would run in the worker thread"
        )


class TaskRunner(QObject):
    """Owns the thread pool every view-model shares; create it on the GUI thread."""

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._active: dict[TaskHandle, _TaskSignals] = {}
        self._lock = threading.Lock()

    def submit(
        self,
        fn: Callable[..., Any],
        *,
        name: str = "",
        tag: Any = None,
        long: bool = False,
        on_done: Callable[[TaskHandle, Any], None] | None = None,
        on_failed: Callable[[TaskHandle, BaseException], None] | None = None,
        on_progress: Callable[[TaskHandle, int, int, str], None] | None = None,
        on_cancelled: Callable[[TaskHandle], None] | None = None,
    ) -> TaskHandle:
        """Run ``fn()`` (or ``fn(progress=..., cancel=...)`` when ``long``) on the pool.

        Every callback is a bound slot and receives the handle first; all of them run on the
        GUI thread. Exactly one of done, failed or cancelled follows, after all progress.
        """
        for callback, what in (
            (on_done, "on_done"),
            (on_failed, "on_failed"),
            (on_progress, "on_progress"),
            (on_cancelled, "on_cancelled"),
        ):
            _require_bound_slot(callback, what)
        handle = TaskHandle(name or getattr(fn, "__name__", "task"), tag)
        signals = _TaskSignals()  # on the GUI thread: its slots are queued to this thread
        if on_progress is not None:
            signals.progress.connect(on_progress)
        if on_done is not None:
            signals.succeeded.connect(on_done)
        if on_failed is not None:
            signals.failed.connect(on_failed)
        if on_cancelled is not None:
            signals.cancelled.connect(on_cancelled)
        signals.settled.connect(self._settle)
        with self._lock:
            self._active[handle] = signals
        self._pool.start(_Task(fn, handle, signals, long=long))
        return handle

    @Slot(object)
    def _settle(self, handle: TaskHandle) -> None:
        handle.finished = True
        with self._lock:
            signals = self._active.pop(handle, None)
        if signals is not None:
            signals.deleteLater()

    @property
    def active_count(self) -> int:
        with self._lock:
            return len(self._active)

    def cancel_all(self) -> None:
        with self._lock:
            handles = list(self._active)
        for handle in handles:
            handle.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Ask every task to stop and wait for the workers; True when all of them ended."""
        self.cancel_all()
        self._pool.clear()  # tasks not started yet never start
        return self._pool.waitForDone(timeout_ms)
