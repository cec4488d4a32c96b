"""Checks made before Qt starts: without a display or the X11 libraries Qt aborts the process
with a message about plugins that a recruiter cannot act on."""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

#: Libraries Qt's X11 plugin loads at start, with the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_problem(
    env: Mapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> str | None:
    """Why the window can't open here, in words a person can act on; None when it can."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return None  # offscreen, wayland...: the user (or a test) chose it
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not chosen:
            return None
        return (
            "No display found: the Recur Desktop window needs a graphical session. "
            "The command line works anywhere: recur --help"
        )
    missing = [package for lib, package in XCB_LIBRARIES.items() if find_library(lib) is None]
    if missing:
        return (
            "The window needs these system libraries, which are not installed: "
            f"{', '.join(missing)} (Debian/Ubuntu: sudo apt install {' '.join(missing)})."
        )
    return None
