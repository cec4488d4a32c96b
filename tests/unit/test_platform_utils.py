"""pid_alive: a liveness check that never signals the process, on every platform."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from recur_desktop import platform_utils
from recur_desktop.platform_utils import pid_alive


def test_this_process_is_alive() -> None:
    assert pid_alive(os.getpid())


def test_a_finished_child_is_not_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the id names no process any more
    assert not pid_alive(child.pid)


def test_a_running_child_is_alive_and_not_disturbed() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert pid_alive(child.pid)
        assert child.poll() is None  # asking did not interrupt it
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize("pid", [0, -1, -os.getpid(), 2**40])
def test_ids_that_name_no_single_process(pid: int) -> None:
    assert not pid_alive(pid)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX path")
def test_posix_never_sends_a_real_signal(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[int, int]] = []

    def kill(pid: int, sig: int) -> None:
        sent.append((pid, sig))
        if pid == 4242:
            raise PermissionError  # exists, another user's

    monkeypatch.setattr(os, "kill", kill)
    assert pid_alive(4242)
    assert sent == [(4242, 0)]


# ------------------------------------------------------------------ Windows, through a stand-in
class _Function:
    """Stands in for a ctypes foreign function: takes restype/argtypes, calls a Python body."""

    def __init__(self, body: Callable[..., Any]) -> None:
        self.body = body
        self.restype: Any = None
        self.argtypes: Any = None

    def __call__(self, *args: Any) -> Any:
        return self.body(*args)


class _Kernel32:
    def __init__(self, *, opens: bool, exit_code: int = 259, readable: bool = True) -> None:
        self.closed: list[int] = []
        self.opened: list[tuple[int, bool, int]] = []

        def open_process(access: int, inherit: bool, pid: int) -> int:
            self.opened.append((access, inherit, pid))
            return 77 if opens else 0

        def get_exit_code(handle: int, code_ref: Any) -> bool:
            if not readable:
                return False
            ctypes.cast(code_ref, ctypes.POINTER(ctypes.c_ulong)).contents.value = exit_code
            return True

        self.OpenProcess = _Function(open_process)
        self.GetExitCodeProcess = _Function(get_exit_code)
        self.CloseHandle = _Function(self.closed.append)


def test_windows_running_process_is_alive_and_handle_closed() -> None:
    kernel32 = _Kernel32(opens=True, exit_code=259)  # STILL_ACTIVE
    assert platform_utils._windows_pid_alive(1234, kernel32, lambda: 0)
    assert kernel32.opened == [(0x1000, False, 1234)]  # query-only access, no signal, no kill
    assert kernel32.closed == [77]


def test_windows_exited_process_still_referenced_is_not_alive() -> None:
    kernel32 = _Kernel32(opens=True, exit_code=0)
    assert not platform_utils._windows_pid_alive(1234, kernel32, lambda: 0)
    assert kernel32.closed == [77]


def test_windows_unreadable_state_counts_as_alive() -> None:
    kernel32 = _Kernel32(opens=True, readable=False)
    assert platform_utils._windows_pid_alive(1234, kernel32, lambda: 0)
    assert kernel32.closed == [77]


def test_windows_no_such_process() -> None:
    kernel32 = _Kernel32(opens=False)
    assert not platform_utils._windows_pid_alive(1234, kernel32, lambda: 87)  # INVALID_PARAMETER
    assert kernel32.closed == []


def test_windows_another_users_process_is_alive() -> None:
    kernel32 = _Kernel32(opens=False)
    assert platform_utils._windows_pid_alive(1234, kernel32, lambda: 5)  # ACCESS_DENIED


def test_windows_id_too_large_for_a_dword() -> None:
    kernel32 = _Kernel32(opens=True)
    assert not platform_utils._windows_pid_alive(2**33, kernel32, lambda: 0)
    assert kernel32.opened == []
