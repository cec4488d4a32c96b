"""Fixtures for the window tests: a real context (embedded unless a test asks for the server),
with every service wrapped so that a call made on the GUI thread fails the test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from recur_desktop.app import AppContext, build_context
from recur_desktop.settings import Settings
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.app import AppViewModel
from recur_desktop.ui.views.main_window import MainWindow
from tests.samples import (
    OLD_FORMATS,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_scanned_pdf,
    make_text,
    sample_resume_text,
)


class GuiThreadViolation(AssertionError):
    pass


class OffGuiThread:
    """Proxy for a service or store: any method called on the main (GUI) thread is recorded
    and refused, which is how the suite proves the window never waits on I/O."""

    def __init__(self, target: Any, name: str, violations: list[str]) -> None:
        self._target = target
        self._name = name
        self._violations = violations

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._target, attr)
        if not callable(value):
            return value

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                call = f"{self._name}.{attr}"
                self._violations.append(call)
                raise GuiThreadViolation(f"{call} called on the GUI thread")
            return value(*args, **kwargs)

        return guarded


def guard(ctx: AppContext, violations: list[str]) -> AppContext:
    return replace(
        ctx,
        library=OffGuiThread(ctx.library, "library", violations),
        jobs=OffGuiThread(ctx.jobs, "jobs", violations),
        analysis=OffGuiThread(ctx.analysis, "analysis", violations),
        doctor=OffGuiThread(ctx.doctor, "doctor", violations),
        legacy=OffGuiThread(ctx.legacy, "legacy", violations),
        store=OffGuiThread(ctx.store, "store", violations),
    )


@pytest.fixture
def violations() -> Iterator[list[str]]:
    found: list[str] = []
    yield found
    assert not found, f"service calls on the GUI thread: {found}"


@pytest.fixture
def make_ctx(violations: list[str]) -> Iterator[Callable[..., AppContext]]:
    """Build a guarded context from settings (and an optional store); closed at teardown."""
    built: list[AppContext] = []

    def make(settings: Settings, **kwargs: Any) -> AppContext:
        ctx = build_context(settings, **kwargs)
        built.append(ctx)
        return guard(ctx, violations)

    yield make
    for ctx in built:
        ctx.close()


@pytest.fixture
def ui_ctx(make_ctx: Callable[..., AppContext], embedded_settings: Settings) -> AppContext:
    return make_ctx(embedded_settings)


@pytest.fixture
def runner(qapp: Any, make_ctx: Callable[..., AppContext]) -> Iterator[TaskRunner]:
    """Set up after (so torn down before) the contexts: no task outlives its engine."""
    tasks = TaskRunner()
    yield tasks
    assert tasks.shutdown(10_000), "background tasks still running after the test"


@pytest.fixture
def make_window(
    qtbot: Any, runner: TaskRunner, qsettings: QSettings
) -> Iterator[Callable[..., MainWindow]]:
    """A shown main window over a context, its first loads done."""
    windows: list[MainWindow] = []

    def make(ctx: AppContext, *, ready: bool = True, **kwargs: Any) -> MainWindow:
        vm = AppViewModel(ctx.services(), runner, search_delay_ms=10, **kwargs)
        window = MainWindow(vm, qsettings)
        windows.append(window)
        window.show()
        window.activateWindow()  # shortcuts reach only the active window
        qtbot.waitUntil(window.isActiveWindow)
        vm.start()
        if ready:
            qtbot.waitUntil(
                lambda: (
                    vm.library.is_empty is not None
                    and not vm.session.is_loading
                    and vm.legacy.checked
                )
            )
        return window

    yield make
    for window in windows:
        window.summary.close()
        window.close()
        window.deleteLater()
    runner.shutdown(10_000)


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


# ------------------------------------------------------------------ files on disk
RESUMES = {
    "ada_lovelace.pdf": ("Ada Lovelace", ["Python", "SQL", "Docker", "PostgreSQL"]),
    "grace_hopper.docx": ("Grace Hopper", ["Java", "Kotlin", "SQL"]),
    "alan_turing.txt": ("Alan Turing", ["Python", "Go", "Kubernetes", "AWS"]),
    "katherine_johnson.pdf": ("Katherine Johnson", ["Python", "React", "TypeScript"]),
}


def write_resume(folder: Path, file_name: str, person: str, skills: list[str]) -> Path:
    text = sample_resume_text(person, skills)
    path = folder / file_name
    if file_name.endswith(".pdf"):
        path.write_bytes(make_pdf(text))
    elif file_name.endswith(".docx"):
        path.write_bytes(make_docx(text.split("\n")))
    else:
        path.write_bytes(make_text(text))
    return path


@pytest.fixture
def good_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "good"
    folder.mkdir()
    return [write_resume(folder, name, *spec) for name, spec in RESUMES.items()]


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    files = {
        "locked.pdf": make_encrypted_pdf(sample_resume_text("Lock Smith", ["Python"])),
        "scan.pdf": make_scanned_pdf(),
        "old.doc": OLD_FORMATS[".doc"],
        "empty.txt": b"",
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
