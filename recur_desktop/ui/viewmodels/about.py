"""What the About dialog and the Help menu show: version, where the library lives (never a
secret), licenses of what the app bundles, the getting-started guide and the log folder, and
a warning when the database server doesn't check passwords."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import PySide6
from PySide6.QtCore import QObject, Signal, Slot, qVersion

import recur_desktop
from recur_desktop.logs import log_dir, mask
from recur_desktop.resources import resources_dir
from recur_desktop.settings import Settings
from recur_desktop.text_safety import visible
from recur_desktop.ui.crash import scrub
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.base import ViewModel

#: (component, license) of what a bundle ships.
LICENSES: tuple[tuple[str, str], ...] = (
    ("Qt 6 / PySide6", "LGPL-3.0"),
    ("SQLAlchemy", "MIT"),
    ("Alembic", "MIT"),
    ("psycopg", "LGPL-3.0"),
    ("boto3 / botocore", "Apache-2.0"),
    ("pypdfium2", "Apache-2.0 or BSD-3-Clause"),
    ("PDFium", "Apache-2.0 and BSD-3-Clause"),
    ("pypdf", "BSD-3-Clause"),
    ("XlsxWriter", "BSD-2-Clause"),
    ("keyring", "MIT"),
    ("platformdirs", "MIT"),
    ("Python", "PSF-2.0"),
)

GUIDE = Path("help") / "guide.html"


@dataclass(frozen=True)
class AboutInfo:
    version: str
    profile: str
    user: str
    database: str
    storage: str
    runtime: str
    licenses: tuple[tuple[str, str], ...] = LICENSES
    #: Risks in how the library is reached (the server not checking passwords), one sentence
    #: each; filled in once the check, run off the GUI thread, answers.
    warnings: tuple[str, ...] = ()


def about_info(settings: Settings) -> AboutInfo:
    """Only names and addresses: the database URL's password is masked, keys never read."""
    qt = f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    if settings.s3_bucket:
        where = scrub(settings.s3_endpoint_url or "") or (
            f"AWS {settings.s3_region}" if settings.s3_region else "AWS"
        )
        storage = f"s3://{settings.s3_bucket} ({where})"
    else:
        storage = f"Local folder {settings.local_store_root}"
    return AboutInfo(
        version=recur_desktop.__version__,
        profile="Server (team)" if settings.profile == "server" else "Embedded (this computer)",
        user=visible(settings.user),
        # mask() hides user:pw@, the ?password= and keyword forms (every form a password takes).
        database=visible(mask(settings.effective_database_url)),
        storage=visible(storage),
        runtime=(
            f"Python {platform.python_version()}, {qt}, {platform.system()} {platform.release()}"
        ),
    )


def log_folder() -> Path:
    """Where the rotating log files are written (``recur_desktop.logs.log_dir`` decides)."""
    return Path(log_dir())


def _ensure_log_folder() -> Path:
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)  # opening a folder that isn't there shows nothing
    return folder


def _read_guide() -> str:
    return (resources_dir() / GUIDE).read_text(encoding="utf-8")


class HelpViewModel(ViewModel):
    """The Help menu's commands; the disk is read on a worker like everywhere else."""

    #: The guide's HTML.
    guide_ready = Signal(str)
    #: The log folder, created when missing: the view opens it with the file manager.
    log_folder_ready = Signal(str)

    #: The security warnings for the About dialog (a list of sentences; empty when none).
    security_checked = Signal(list)

    def __init__(
        self,
        settings: Settings,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        security_warnings: Callable[[], list[str]] | None = None,
    ):
        """``security_warnings`` is the doctor's check (``DoctorService.security_warnings``);
        it connects to the server, so it only ever runs on a worker."""
        super().__init__(runner, parent)
        self._settings = settings
        self._security_warnings = security_warnings
        self._warnings: list[str] | None = None
        self._checking = False

    def about(self) -> AboutInfo:
        return about_info(self._settings)

    @property
    def warnings(self) -> list[str] | None:
        """The last check's warnings; None until one answered."""
        return None if self._warnings is None else list(self._warnings)

    def check_security(self) -> None:
        """Ask the server whether it checks passwords, off the GUI thread; the answer comes as
        :attr:`security_checked`. Asked once per run: the server's setup doesn't change under
        a running app often enough to connect twice per About."""
        if self._warnings is not None:
            self.security_checked.emit(list(self._warnings))
            return
        if self._security_warnings is None or self._checking:
            return
        self._checking = True
        self._runner.submit(
            self._security_warnings,
            name="help.security",
            on_done=self._security_done,
            on_failed=self._security_failed,
        )

    @Slot(object, object)
    def _security_done(self, task: TaskHandle, warnings: list[str]) -> None:
        self._checking = False
        self._warnings = [visible(w) for w in warnings]
        self.security_checked.emit(list(self._warnings))

    @Slot(object, object)
    def _security_failed(self, task: TaskHandle, exc: BaseException) -> None:
        # Not knowing is not a risk to shout about; the doctor command says more.
        self._checking = False
        self.security_checked.emit([])

    def load_guide(self) -> None:
        self._runner.submit(
            _read_guide, name="help.guide", on_done=self._guide_read, on_failed=self._failed
        )

    @Slot(object, object)
    def _guide_read(self, task: TaskHandle, html: str) -> None:
        self.guide_ready.emit(html)

    def open_log_folder(self) -> None:
        self._runner.submit(
            partial(_ensure_log_folder),
            name="help.logs",
            on_done=self._log_folder,
            on_failed=self._failed,
        )

    @Slot(object, object)
    def _log_folder(self, task: TaskHandle, folder: Path) -> None:
        self.log_folder_ready.emit(str(folder))

    @Slot(object, object)
    def _failed(self, task: TaskHandle, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            what = "the guide" if task.name == "help.guide" else "the log folder"
            self.problem.emit(f"Couldn't open {what}: {exc.strerror or exc}.", False)
        else:
            self.report(exc, doing=task.name, retry=None)
