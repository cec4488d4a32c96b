"""Render the main window with the sample resumes, offscreen, to docs/screenshots/*.png.

    python scripts/screenshots.py [OUT_DIR]

Uses a throwaway embedded library in a temporary folder; nothing of yours is read or changed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from recur_desktop.app import AppContext, build_context  # noqa: E402
from recur_desktop.settings import Settings  # noqa: E402
from recur_desktop.ui.tasks import TaskRunner  # noqa: E402
from recur_desktop.ui.viewmodels.app import AppViewModel  # noqa: E402
from recur_desktop.ui.viewmodels.library import samples_folder  # noqa: E402
from recur_desktop.ui.views.main_window import MainWindow  # noqa: E402

SIZE = (1360, 820)
SHOWN_PROFILE = "Embedded library · ~/.local/share/recur-desktop"

JOBS = [
    dict(
        title="Senior Backend Engineer",
        company="Larkspur Payments",
        required_skills=["Python", "PostgreSQL", "Docker", "Kubernetes"],
        preferred_skills=["AWS", "Terraform"],
        min_years=5,
    ),
    dict(
        title="Front-End Engineer",
        company="Brightwell Health",
        required_skills=["TypeScript", "React", "CSS"],
        preferred_skills=["Cypress"],
        min_years=3,
    ),
]


JOB_DESCRIPTION = """We are hiring a Data Engineer to build our analytics platform.

Requirements:
- 4+ years of experience with Python and SQL
- Airflow or a similar scheduler; Spark for large batch jobs
- PostgreSQL in production

Nice to have:
- Kafka
- Terraform and AWS
"""


def spin(done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run the event loop until ``done()`` (a script may wait; the tests never sleep)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        QCoreApplication.processEvents()
        time.sleep(0.005)
    for _ in range(10):
        QCoreApplication.processEvents()


def save(widget: QWidget, path: Path) -> None:
    image = widget.grab().toImage()
    image.save(str(path), "PNG", 0)  # 0: smallest file
    try:  # a 256-colour palette makes the PNG a third of the size; Pillow is optional
        from PIL import Image
    except ImportError:
        pass
    else:
        with Image.open(path) as full:
            small = full.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def seed(ctx: AppContext) -> None:
    """Sample resumes, two jobs and a few sessions, through the services (no window yet)."""
    ctx.library.import_paths([samples_folder()])
    jobs = [ctx.jobs.create(**spec) for spec in JOBS]  # type: ignore[arg-type]
    ctx.analysis.analyze(None, name="General screening")
    ctx.analysis.analyze(jobs[1].id, name="Front-end shortlist")
    ctx.analysis.analyze(jobs[0].id, name="Backend shortlist")


def make_window(ctx: AppContext, runner: TaskRunner, settings: QSettings) -> MainWindow:
    vm = AppViewModel(ctx.services(), runner)
    window = MainWindow(vm, settings)
    window.profile_label.setText(SHOWN_PROFILE)
    window.resize(*SIZE)
    window.show()
    vm.start()
    spin(
        lambda: vm.library.is_empty is not None and not vm.session.is_loading and vm.legacy.checked
    )
    return window


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs/screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["recur-screenshots"])
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as tmp:
        ui = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        empty_ctx = build_context(Settings(data_dir=Path(tmp) / "empty", user="recruiter"))
        window = make_window(empty_ctx, runner, ui)
        save(window, out / "empty-state.png")
        window.close()
        runner.shutdown()
        empty_ctx.close()

        runner = TaskRunner()
        ctx = build_context(Settings(data_dir=Path(tmp) / "demo", user="recruiter"))
        seed(ctx)
        window = make_window(ctx, runner, ui)
        vm = window.vm
        backend = next(
            i for i, c in enumerate(vm.session.jobs.rows) if c.job and "Backend" in c.job.title
        )
        window.session_pane.job_picker.setCurrentIndex(backend)
        vm.session.select_row(backend)
        spin(lambda: not vm.session.is_loading and vm.session.results.rowCount() > 0)
        window.session_pane.results.selectRow(0)
        window.show_session()
        spin(lambda: vm.history.timeline.rowCount() > 0)
        save(window, out / "session.png")

        pdf_row = next(
            i for i, r in enumerate(vm.library.model.rows) if r.file_name.endswith(".pdf")
        )
        window.library_pane.table.selectRow(pdf_row)
        spin(
            lambda: (
                window.history_pane.preview.image is not None
                and vm.history.timeline.rowCount() >= 3
            )
        )
        save(window, out / "history.png")

        window.vm.library.import_files([samples_folder(), Path(tmp) / "missing.pdf"])
        spin(lambda: window.summary.isVisible())
        save(window.summary, out / "import-summary.png")
        window.summary.close()

        window.show_session()
        dialog = window.session_pane.open_job_dialog()
        dialog.title.setText("Data Engineer")
        dialog.company.setText("Northwind Analytics")
        dialog.description.setPlainText(JOB_DESCRIPTION)
        proposed: list[object] = []
        dialog.vm.proposed.connect(proposed.append)
        dialog.propose.click()
        spin(lambda: bool(proposed))
        save(dialog, out / "job-dialog.png")
        dialog.reject()

        about = window.about()
        # The real facts, with a neutral data folder in the picture.
        about.text.setHtml(
            about.text.toHtml().replace(str(Path(tmp) / "demo"), "~/.local/share/recur-desktop")
        )
        spin(about.isVisible)
        save(about, out / "about.png")
        about.close()
        window.close()
        runner.shutdown()
        ctx.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
