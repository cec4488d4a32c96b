"""Small operating-system checks that behave the same on Linux, macOS and Windows.

No Qt, no third-party package: services may use them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

# Windows API constants (winnt.h, winerror.h, minwinbase.h).
_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_ERROR_ACCESS_DENIED = 5
_STILL_ACTIVE = 259


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine now.

    Never signals the process. ``os.kill(pid, 0)`` is the POSIX idiom, but on Windows signal 0
    is ``CTRL_C_EVENT``: it would interrupt the process (and its console group) instead of
    asking about it, so Windows asks ``OpenProcess``/``GetExitCodeProcess`` instead. Ids of 0
    or less name no single process (on POSIX they address process groups) and are never alive.
    """
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        return _windows_pid_alive(pid, kernel32, ctypes.get_last_error)
    return _posix_pid_alive(pid)


def _posix_pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    except OverflowError:  # larger than a pid_t: no such process
        return False
    return True


def _windows_pid_alive(pid: int, kernel32: Any, last_error: Callable[[], int]) -> bool:
    """``kernel32`` and ``last_error`` are the Windows DLL and ``ctypes.get_last_error``
    (stand-ins in the tests on other systems)."""
    import ctypes
    from ctypes import wintypes

    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    if pid > 0xFFFFFFFF:
        return False
    handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # Access denied: the process exists but belongs to someone else (or is protected).
        # Anything else (ERROR_INVALID_PARAMETER above all) means there is no such process.
        return last_error() == _ERROR_ACCESS_DENIED
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # it exists; we only could not read its state
        # An exited process whose handle someone still holds opens fine: its exit code says.
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
