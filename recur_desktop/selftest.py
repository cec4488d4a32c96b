"""``recur self-test``: proves an installation works end to end, without touching the user's data.

It builds a temporary embedded profile (its own data, config and settings folders), imports the
bundled sample resumes, creates a job, analyses, reads a resume's history, then opens the main
window offscreen through the same launcher as ``recur gui`` and closes it. Every step is timed
and reported; the command exits 0 only when every step passed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recur_desktop import __version__

Renderer = Callable[[Any], str]

#: Environment variables that could point the test at a real library; cleared while it runs.
_PROFILE_VARIABLES = (
    "RECUR_DATABASE_URL",
    "RECUR_S3_BUCKET",
    "RECUR_S3_ENDPOINT_URL",
    "RECUR_S3_REGION",
    "RECUR_S3_ACCESS_KEY_ID",
    "RECUR_DATABASE_PASSWORD",
    "RECUR_S3_SECRET_ACCESS_KEY",
)
WINDOW_TIMEOUT_S = 60.0


class SelfTestFailed(Exception):
    pass


@dataclass
class Step:
    name: str
    ok: bool = False
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    @contextmanager
    def step(self, name: str) -> Iterator[Step]:
        step = Step(name)
        self.steps.append(step)
        started = time.perf_counter()
        try:
            yield step
            step.ok = True
        except Exception as exc:
            step.ok = False
            step.detail = f"{type(exc).__name__}: {exc}"
            step.trace = traceback.format_exc()  # type: ignore[attr-defined]
            raise SelfTestFailed(name) from exc
        finally:
            step.seconds = round(time.perf_counter() - started, 3)


@contextmanager
def _temporary_profile() -> Iterator[Path]:
    """A throwaway data/config/settings home; the environment is restored afterwards."""
    root = Path(tempfile.mkdtemp(prefix="recur-selftest-"))
    saved = {name: os.environ.get(name) for name in (*_PROFILE_VARIABLES, "RECUR_DATA_DIR")}
    saved["RECUR_CONFIG_DIR"] = os.environ.get("RECUR_CONFIG_DIR")
    try:
        for name in _PROFILE_VARIABLES:
            os.environ.pop(name, None)
        os.environ["RECUR_DATA_DIR"] = str(root / "data")
        os.environ["RECUR_CONFIG_DIR"] = str(root / "config")
        yield root
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)


def _wait_until(app: Any, predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Run the Qt event loop until ``predicate()`` holds; fail after ``timeout_s``."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    deadline.stop()
    if not predicate():
        raise TimeoutError(f"{what} did not happen within {timeout_s:g} s")


def _open_window(root: Path, expected_resumes: int) -> str:
    """Launch the window the way ``recur gui`` does, over the temporary profile; then close it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from recur_desktop.ui import main as ui_main

    app = QApplication.instance()
    if app is None:
        # Always offscreen: the check must pass on a machine with no display, and must not
        # flash a window on one that has.
        previous = os.environ.get("QT_QPA_PLATFORM")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        try:
            app = QApplication([sys.argv[0] if sys.argv else "recur"])
        finally:
            if previous is None:
                os.environ.pop("QT_QPA_PLATFORM", None)
            else:
                os.environ["QT_QPA_PLATFORM"] = previous
    assert isinstance(app, QApplication)
    qsettings = QSettings(str(root / "window.ini"), QSettings.Format.IniFormat)
    launcher = ui_main.Launcher(app, qsettings)
    try:
        launcher.open()
        _wait_until(
            app,
            lambda: (
                (launcher.window is not None and launcher.window.isVisible())
                or launcher.startup.retry.isVisible()
            ),
            WINDOW_TIMEOUT_S,
            "the main window showing",
        )
        if launcher.window is None:
            raise RuntimeError(f"the library did not open: {launcher.startup.message.text()}")
        window = launcher.window
        assert window is not None
        model = window.vm.library.model
        _wait_until(
            app,
            lambda: model.rowCount() >= expected_resumes,
            WINDOW_TIMEOUT_S,
            f"the library listing {expected_resumes} resumes",
        )
        detail = f"{platform_name(app)}; {model.rowCount()} resumes listed"
        window.close()
        _wait_until(app, lambda: not window.isVisible(), 10, "the window closing")
        return detail
    finally:
        if launcher.window is not None:
            launcher.window.close()
        launcher.startup.close()
        launcher.close()
        app.processEvents()


def platform_name(app: Any) -> str:
    return f"Qt platform {app.platformName()}"


def run_self_test() -> Report:
    report = Report()
    with suppress(SelfTestFailed):
        _run(report)
    return report


def _run(report: Report) -> None:
    from recur_desktop.app import build_context
    from recur_desktop.domain import SessionStatus
    from recur_desktop.persistence.engine import current_revision, head_revision
    from recur_desktop.resources import resources_dir
    from recur_desktop.settings import load_settings

    with _temporary_profile() as root:
        with report.step("resources") as step:
            resources = resources_dir()
            samples = sorted((resources / "samples").iterdir())
            if not samples:
                raise RuntimeError(f"no sample resumes in {resources / 'samples'}")
            skills = (resources / "skills.txt").read_text(encoding="utf-8").splitlines()
            step.detail = f"{len(samples)} samples, {len(skills)} skills in {resources}"

        with report.step("profile") as step:
            settings = load_settings()
            if settings.profile != "embedded" or not str(settings.data_dir).startswith(str(root)):
                raise RuntimeError(f"not a temporary embedded profile: {settings.data_dir}")
            ctx = build_context(settings)
            revision = current_revision(ctx.engine)
            if revision != head_revision():
                raise RuntimeError(f"schema at {revision}, expected {head_revision()}")
            step.detail = f"embedded profile in {settings.data_dir}, schema {revision}"

        try:
            with report.step("import samples") as step:
                imported = ctx.library.import_paths([resources / "samples"])
                if imported.rejected or len(imported.added) != len(samples):
                    reasons = "; ".join(f"{r.file_name}: {r.reason}" for r in imported.rejected)
                    raise RuntimeError(
                        f"{len(imported.added)} of {len(samples)} added. {reasons}".strip()
                    )
                step.detail = f"{len(imported.added)} added"

            with report.step("create job") as step:
                job = ctx.jobs.create(
                    title="Backend engineer",
                    company="Self-test",
                    required_skills=["python", "postgresql"],
                    preferred_skills=["docker", "aws"],
                    min_years=3,
                )
                step.detail = f"job {job.id}"

            with report.step("analyze") as step:
                if ctx.analysis.available(job.id).total != len(samples):
                    raise RuntimeError("not every sample is available for the new job")
                run = ctx.analysis.analyze(job.id, name="self-test")
                scored = [o for o in run.outcomes if o.result is not None]
                if run.session.status != SessionStatus.COMPLETED or len(scored) != len(samples):
                    raise RuntimeError(
                        f"session {run.session.status}: {len(scored)} of {len(samples)} scored"
                        + (f" ({run.session.error})" if run.session.error else "")
                    )
                best = max(o.result.overall_fit_score for o in scored if o.result is not None)
                step.detail = f"{len(scored)} scored, best fit {best:g}"

            with report.step("history") as step:
                resume_id = imported.added[0].resume.id
                _resume, items = ctx.analysis.history(resume_id)
                if len(items) != 1 or items[0].session_id != run.session.id:
                    raise RuntimeError(f"expected one analysis in the history, got {len(items)}")
                if ctx.analysis.available(job.id).total != 0:
                    raise RuntimeError("analysed resumes are still listed as available")
                step.detail = f"{len(items)} analysis for {imported.added[0].file_name}"
        finally:
            ctx.close()

        with report.step("main window") as step:
            step.detail = _open_window(root, len(samples))

    with report.step("clean up") as step:
        if root.exists():
            raise RuntimeError(f"{root} was not removed")
        step.detail = "temporary profile removed"


# --------------------------------------------------------------------------- command line
def add_parser(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    p = sub.add_parser(
        "self-test",
        help="check this installation end to end on a temporary library",
        description="Check this installation end to end on a temporary library (yours is "
        "never touched): import the samples, analyse, read history, open the window offscreen.",
    )
    common(p, top=False)


def document(report: Report, seconds: float) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "seconds": round(seconds, 3),
        "steps": [
            {"name": s.name, "ok": s.ok, "seconds": s.seconds, "detail": s.detail}
            for s in report.steps
        ],
    }


def render(doc: dict[str, Any]) -> str:
    lines = [f"Recur Desktop {doc['version']} self-test ({doc['platform']})"]
    for s in doc["steps"]:
        mark = "ok  " if s["ok"] else "FAIL"
        lines.append(f"  {mark} {s['name']:<15} {s['seconds']:7.2f} s  {s['detail']}")
    verdict = "passed" if doc["ok"] else "FAILED"
    lines.append(f"Self-test {verdict} in {doc['seconds']:.2f} s.")
    return "\n".join(lines)


def cmd_self_test(args: argparse.Namespace) -> tuple[Any, Renderer]:
    started = time.perf_counter()
    report = run_self_test()
    doc = document(report, time.perf_counter() - started)
    if not report.ok:
        from recur_desktop.cli.common import CommandFailed

        failed = next(s for s in report.steps if not s.ok)
        if getattr(args, "debug", False):
            from recur_desktop.logs import mask

            sys.stderr.write(mask(getattr(failed, "trace", "")))
        error = CommandFailed(f"self-test failed at '{failed.name}': {failed.detail}", doc)
        error.render = render  # type: ignore[attr-defined]
        raise error
    return doc, render


STANDALONE: dict[str, Callable[[argparse.Namespace], tuple[Any, Renderer]]] = {
    "self-test": cmd_self_test,
}
