"""Before Qt starts, a missing display or X11 library is explained instead of an abort."""

from recur_desktop.ui.preflight import display_problem


def found(_name: str) -> str:
    return "libfound.so"


def test_no_display_is_explained():
    problem = display_problem({}, platform="linux", find_library=found)
    assert problem and "No display found" in problem and "recur --help" in problem


def test_missing_x11_libraries_are_named_with_their_packages():
    def missing_cursor(name: str) -> str | None:
        return None if name == "xcb-cursor" else "lib.so"

    problem = display_problem({"DISPLAY": ":0"}, platform="linux", find_library=missing_cursor)
    assert problem and "libxcb-cursor0" in problem and "apt install libxcb-cursor0" in problem


def test_a_working_desktop_or_a_chosen_platform_passes():
    assert display_problem({"DISPLAY": ":0"}, platform="linux", find_library=found) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux") is None
    assert display_problem({}, platform="win32") is None
