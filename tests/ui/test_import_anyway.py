"""The resume gate in the window (issue 12): the import summary offers "Import anyway" for the
files the gate turned away, and only for those; it imports exactly them, off the GUI thread
(the ``violations`` fixture fails a test that calls a service on it). Tests wait on signals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from recur_desktop.app import AppContext
from recur_desktop.ui.viewmodels.library import ImportSummary
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.conftest import write_resume

GATE = Path(__file__).resolve().parents[1] / "data" / "gate"


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Two resumes, a README and a job ad (turned away by the gate), and an empty file
    (turned away before the gate: "Import anyway" must not offer it)."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_resume(folder, "ada_lovelace.pdf", "Ada Lovelace", ["Python", "SQL"])
    write_resume(folder, "grace_hopper.docx", "Grace Hopper", ["Java"])
    readme = (GATE / "readme" / "contributing.txt").read_text(encoding="utf-8")
    (folder / "README.md").write_text(readme, encoding="utf-8")
    job_ad = (GATE / "job_ad" / "en_backend_long.txt").read_text(encoding="utf-8")
    (folder / "job-ad.txt").write_text(job_ad, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _import(qtbot: Any, window: MainWindow, paths: list[Path]) -> ImportSummary:
    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000) as done:
        window.vm.library.import_files(paths)
    summary: ImportSummary = done.args[0]
    return summary


def test_import_anyway_imports_exactly_the_files_the_gate_turned_away(
    qtbot: Any,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    mixed_folder: Path,
):
    window = make_window(ui_ctx)
    first = _import(qtbot, window, [mixed_folder])

    assert sorted(first.added) == ["ada_lovelace.pdf", "grace_hopper.docx"]
    kinds = {r.file_name: r.gate_kind for r in first.rejected}
    assert kinds == {"README.md": "readme", "job-ad.txt": "job_ad", "empty.txt": None}
    assert sorted(first.turned_away) == sorted(
        [str(mixed_folder / "README.md"), str(mixed_folder / "job-ad.txt")]
    )
    dialog = window.summary
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.import_anyway.isVisible() and dialog.import_anyway.isEnabled()
    assert "2 files" in dialog.import_anyway.toolTip()

    with qtbot.waitSignal(window.vm.library.import_finished, timeout=20_000) as done:
        qtbot.mouseClick(dialog.import_anyway, Qt.MouseButton.LeftButton)
    second: ImportSummary = done.args[0]

    assert sorted(second.added) == ["README.md", "job-ad.txt"]
    # The empty file was not tried again, nor were the resumes already imported.
    assert second.rejected == [] and second.duplicates == []
    assert not dialog.import_anyway.isVisible()  # the new summary has nothing turned away
    events = [e for e in ui_ctx.audit.events() if e.action == "import_accept_any"]
    assert sorted(e.detail["gate_kind"] for e in events) == ["job_ad", "readme"]
    qtbot.waitUntil(lambda: window.library_pane.table.model().rowCount() == 4)


def test_no_import_anyway_when_the_gate_turned_nothing_away(
    qtbot: Any,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    mixed_folder: Path,
):
    window = make_window(ui_ctx)
    summary = _import(
        qtbot, window, [mixed_folder / "ada_lovelace.pdf", mixed_folder / "empty.txt"]
    )

    assert [r.file_name for r in summary.rejected] == ["empty.txt"]
    assert summary.turned_away == []
    qtbot.waitUntil(window.summary.isVisible)
    assert not window.summary.import_anyway.isVisible()


def test_import_anyway_waits_its_turn_behind_a_running_import(
    qtbot: Any,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    mixed_folder: Path,
    good_files: list[Path],
):
    window = make_window(ui_ctx)
    vm = window.vm.library
    readme = str(mixed_folder / "README.md")
    summaries: list[ImportSummary] = []
    vm.import_finished.connect(summaries.append)

    vm.import_files(good_files)
    vm.import_anyway([readme])  # queued with its override, not merged into the running one
    qtbot.waitUntil(lambda: len(summaries) == 2, timeout=20_000)

    assert sorted(summaries[0].added) == sorted(p.name for p in good_files)
    assert summaries[1].added == ["README.md"] and summaries[1].rejected == []
