"""A bounded thread pool for services that move many files (the legacy migration; the import
can share it): plain threads, no Qt, progress reported from the calling thread only."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from recur_desktop.domain import CancelToken, Progress

T = TypeVar("T")
R = TypeVar("R")


def run_pool(
    items: Sequence[T],
    fn: Callable[[T], R],
    *,
    workers: int,
    progress: Progress,
    cancel: CancelToken | None,
    note: Callable[[T], str],
    thread_name_prefix: str = "recur-worker",
) -> bool:
    """Run ``fn`` over ``items`` on ``workers`` threads with at most twice that many queued.

    Progress is reported from the calling thread only (the GUI bridge expects one thread).
    Cancellation stops queueing new items and waits for the running ones. The first
    unexpected exception stops the queue too and is raised once the running items are done.
    Returns True when cancelled.
    """
    total = len(items)
    if total == 0:
        return bool(cancel is not None and cancel.cancelled)
    iterator: Iterator[T] = iter(items)
    pending: dict[Future[R], T] = {}
    done = 0
    error: BaseException | None = None
    cancelled = False
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name_prefix) as pool:

        def fill() -> None:
            nonlocal cancelled
            while len(pending) < workers * 2 and error is None:
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    return
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                pending[pool.submit(fn, item)] = item

        fill()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                item = pending.pop(future)
                exc = future.exception()
                if exc is not None and error is None:
                    error = exc
                done += 1
                progress(done, total, note(item))
            fill()
    if error is not None:
        raise error
    return cancelled


__all__ = ["run_pool"]
