"""The one-time banner for the old per-job folders: plan, move with progress, verify."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt

from recur_desktop.app import AppContext
from recur_desktop.ui.views.main_window import MainWindow
from tests.samples import make_pdf, sample_resume_text


def _legacy_folders(ctx: AppContext) -> None:
    owner, job = ctx.owner_id, uuid.uuid4()
    ada = sample_resume_text("Ada Lovelace", ["Python", "SQL"]).encode()
    files = {
        f"{owner}/resumes/general/ada.txt": ada,
        f"{owner}/resumes/job_{job}/ada again.txt": ada,
        f"{owner}/resumes/job_{job}/grace.pdf": make_pdf(
            sample_resume_text("Grace Hopper", ["Java"])
        ),
        f"{owner}/resumes/job_{job}/scan.pdf": b"%PDF-1.4 not really a pdf",
    }
    for age, (key, body) in enumerate(files.items()):
        path = ctx.store.root.joinpath(*key.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        stamp = 1_700_000_000 - 3600 * age
        os.utime(path, (stamp, stamp))


def test_no_banner_without_legacy_data(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    assert window.vm.legacy.checked and not window.legacy_banner.isVisible()


def test_the_banner_shows_the_plan_and_moves_the_old_folders_into_the_library(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    _legacy_folders(ui_ctx)
    window = make_window(ui_ctx)
    banner, legacy = window.legacy_banner, window.vm.legacy
    qtbot.waitUntil(lambda: legacy.plan is not None and not legacy.is_busy, timeout=20_000)
    assert banner.isVisible() and banner.migrate.isVisible()
    assert "4 files" in banner.text.text() and "3 distinct resumes" in banner.text.text()
    dialog = banner.show_details()
    plan = dialog.text.toPlainText()
    assert "nothing has changed yet" in plan and "scan.pdf" in plan
    dialog.close()
    assert window.vm.library.model.rowCount() == 0  # the dry run changed nothing

    with qtbot.waitSignal(legacy.finished, timeout=30_000) as finished:
        qtbot.mouseClick(banner.migrate, Qt.MouseButton.LeftButton)
        assert banner.cancel.isVisible()
    outcome = finished.args[0]
    assert outcome.ok, outcome.details
    assert "Moved 3 resumes" in banner.text.text() and banner.dismiss.text() == "Close"
    assert not banner.migrate.isVisible()
    library = window.vm.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 3 and not library.is_loading)
    flagged = [r.file_name for r in library.model.rows if r.extraction_error]
    assert flagged == ["scan.pdf"]
    qtbot.mouseClick(banner.dismiss, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_a_second_start_after_the_move_shows_no_banner(
    qtbot, ui_ctx: AppContext, runner, make_window: Callable[..., MainWindow]
):
    from tests.ui.helpers import call_off_thread

    _legacy_folders(ui_ctx)
    call_off_thread(qtbot, runner, lambda: ui_ctx.legacy.apply(user=ui_ctx.owner_id))
    window = make_window(ui_ctx)
    assert not window.legacy_banner.isVisible()
    assert window.vm.legacy.plan is None


def test_not_now_hides_the_banner_and_cancel_stops_planning(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    _legacy_folders(ui_ctx)
    window = make_window(ui_ctx)
    banner, legacy = window.legacy_banner, window.vm.legacy
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=20_000)
    if legacy.is_busy and banner.cancel.isVisible():
        # Still planning: Cancel stops it and hides the offer.
        qtbot.mouseClick(banner.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not legacy.is_busy, timeout=20_000)
    if banner.isVisible():
        # The plan arrived first (or before the click landed): "Not now" hides the offer.
        assert banner.dismiss.isVisible()
        qtbot.mouseClick(banner.dismiss, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20_000)
