"""The job dialog: create, edit, and read the skills from a pasted description."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from recur_desktop.app import AppContext
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.views.main_window import MainWindow
from tests.ui.helpers import call_off_thread

DESCRIPTION = """Senior Backend Engineer

Requirements:
- 5+ years of experience building services in Python
- PostgreSQL and Docker in production

Nice to have:
- Kubernetes
- AWS
"""


def test_create_a_job_with_skills_read_from_its_description_then_edit_it(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    pane = window.session_pane
    assert not pane.edit_job.isEnabled()  # "General" has nothing to edit
    dialog = pane.open_job_dialog()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "New job" and not dialog.ok.isEnabled()
    dialog.description.setPlainText(DESCRIPTION)
    with qtbot.waitSignal(dialog.vm.proposed, timeout=10_000):
        qtbot.mouseClick(dialog.propose, Qt.MouseButton.LeftButton)
    required = [s.strip() for s in dialog.required.text().split(",")]
    preferred = [s.strip() for s in dialog.preferred.text().split(",")]
    assert {"Python", "PostgreSQL", "Docker"} <= set(required)
    assert {"Kubernetes", "AWS"} <= set(preferred)
    assert dialog.min_years.value() == 5
    assert dialog.note.text().startswith("Found ")
    dialog.required.setText(dialog.required.text() + ", Go")  # the recruiter edits the proposal
    dialog.title.setText("Backend Engineer")
    with qtbot.waitSignal(window.vm.session.job_created, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    session = window.vm.session
    qtbot.waitUntil(lambda: session.current.job is not None and not session.is_loading)
    job = session.current.job
    assert job.title == "Backend Engineer" and "Go" in job.required_skills
    assert pane.edit_job.isEnabled() and window.edit_job_action.isEnabled()

    editor = pane.open_edit_job_dialog()
    assert editor is not None and editor.windowTitle() == "Edit job"
    assert editor.title.text() == "Backend Engineer" and "Go" in editor.required.text()
    editor.title.setText("")
    assert not editor.ok.isEnabled()
    editor.title.setText("Staff Backend Engineer")
    editor.min_years.setValue(7)
    with qtbot.waitSignal(editor.vm.saved, timeout=10_000):
        qtbot.mouseClick(editor.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            session.current.job is not None
            and session.current.job.title == "Staff Backend Engineer"
        )
    )
    stored = call_off_thread(qtbot, runner, ui_ctx.jobs.get, job.id)
    assert stored.title == "Staff Backend Engineer" and stored.min_years == 7
    assert len(session.jobs.rows) == 2  # General + the one job: edited, not added
    assert "Staff Backend Engineer" in pane.job_picker.currentText()


def test_a_refused_job_keeps_the_dialog_open_with_the_reason(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    dialog = window.session_pane.open_job_dialog()
    dialog.title.setText("x" * 1000)
    with qtbot.waitSignal(dialog.vm.failed, timeout=10_000) as failed:
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == failed.args[0] and failed.args[0]


def test_reading_skills_from_an_empty_description_asks_for_one(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    dialog = window.session_pane.open_job_dialog()
    qtbot.mouseClick(dialog.propose, Qt.MouseButton.LeftButton)
    assert dialog.note.text() == "Paste the job description first."
    dialog.reject()
