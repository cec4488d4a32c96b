"""The whole path on the server profile: Postgres and S3 (moto over HTTP) behind the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from recur_desktop.app import AppContext
from recur_desktop.domain import SessionStatus
from recur_desktop.settings import Settings
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.session import JobDraft
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread, drop_files, select_rows
from tests.ui.test_session import available_ids, pick_job

pytestmark = [pytest.mark.postgres, pytest.mark.s3]


def test_import_analyze_and_read_the_history_on_postgres_and_s3(
    qtbot,
    make_ctx: Callable[..., AppContext],
    server_settings: Settings,
    runner: TaskRunner,
    make_window: Callable[..., MainWindow],
    good_files: list[Path],
    bad_files: list[Path],
):
    ctx = make_ctx(server_settings)
    window = make_window(ctx)
    assert window.profile_label.text().startswith("Server · alice@")
    assert window.library_pane.showing_empty_state

    with qtbot.waitSignal(window.vm.library.import_finished, timeout=30_000) as imported:
        drop_files(window, [*good_files, bad_files[0]])
    assert len(imported.args[0].added) == len(good_files)
    assert len(imported.args[0].rejected) == 1
    qtbot.waitUntil(lambda: window.vm.library.model.rowCount() == len(good_files))
    keys = call_off_thread(qtbot, runner, stored_keys, ctx)
    assert len(keys) == len(good_files)  # one object per file in the bucket

    session = window.vm.session
    session.create_job(JobDraft(title="Platform", required_skills=("Python", "Kubernetes")))
    qtbot.waitUntil(lambda: session.current.job is not None and not session.is_loading)
    assert session.current.job.title == "Platform"
    pick_job(qtbot, window, "Platform")
    assert len(available_ids(window)) == len(good_files)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    select_rows(window.session_pane.available, [0, 1])
    chosen = set(window.session_pane.selected_available())
    with qtbot.waitSignal(session.run_finished, timeout=30_000) as finished:
        window.analyze_action.trigger()
    assert finished.args[0].status == SessionStatus.COMPLETED
    qtbot.waitUntil(lambda: len(available_ids(window)) == len(good_files) - 2)
    qtbot.waitUntil(lambda: session.results.rowCount() == 2)
    assert {r.resume_id for r in session.results.rows} == chosen

    select_rows(window.session_pane.results, [0])
    history = window.vm.history
    top = session.results.rows[0]
    qtbot.waitUntil(lambda: history.resume_id == top.resume_id and history.timeline.rowCount() == 1)
    assert history.timeline.rows[0].session_id == finished.args[0].session_id
    assert history.timeline.rows[0].context_label == "Platform"
    qtbot.waitUntil(
        lambda: (
            window.history_pane.preview.image is not None
            or window.history_pane.preview.text.toPlainText() != ""
        )
    )


def stored_keys(ctx: AppContext) -> list[str]:
    """Keys in this user's prefix of the bucket (runs on a worker: it is network I/O)."""
    from recur_desktop.storage import user_prefix

    return [info.key for info in ctx.store.list(user_prefix(ctx.owner_id))]
