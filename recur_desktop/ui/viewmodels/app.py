"""The window's root view-model: builds the pane view-models over one bundle of services and
keeps them in step (an import refreshes what is available, a run refreshes the history...)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from recur_desktop.logs import mask
from recur_desktop.services.bundle import Services
from recur_desktop.settings import Settings
from recur_desktop.text_safety import visible
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.about import HelpViewModel
from recur_desktop.ui.viewmodels.base import ViewModel
from recur_desktop.ui.viewmodels.history import HistoryViewModel
from recur_desktop.ui.viewmodels.legacy import LegacyViewModel
from recur_desktop.ui.viewmodels.library import LibraryViewModel
from recur_desktop.ui.viewmodels.session import RunSummary, SessionViewModel
from recur_desktop.ui.viewmodels.settings import SettingsViewModel


def describe_profile(settings: Settings) -> str:
    """Where the library lives, for the status bar (no password ever shows)."""
    if settings.profile == "embedded":
        return visible(f"Embedded library · {settings.data_dir}")
    # mask() hides user:pw@ (to the last "@") and a ?password= (which the split would keep).
    place = mask(settings.effective_database_url).split("@")[-1]
    bucket = f" · s3://{settings.s3_bucket}" if settings.s3_bucket else ""
    return visible(f"Server · {settings.user}@{place}{bucket}")


class AppViewModel(QObject):
    #: An outage message for the banner; "" hides it.
    banner_changed = Signal(str)
    #: A message about the user's last action (not an outage): shown, not kept.
    message = Signal(str)
    notice = Signal(str)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        *,
        page_size: int = LibraryViewModel.PAGE_SIZE,
        search_delay_ms: int = LibraryViewModel.SEARCH_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = services.settings
        self.profile = describe_profile(services.settings)
        self._profiles = services.profiles
        self.library = LibraryViewModel(
            services.library,
            runner,
            page_size=page_size,
            search_delay_ms=search_delay_ms,
            parent=self,
        )
        self.session = SessionViewModel(
            services.analysis,
            services.jobs,
            services.library,
            runner,
            page_size=page_size,
            parent=self,
        )
        self.history = HistoryViewModel(
            services.analysis, services.library, services.previews, runner, parent=self
        )
        self.help = HelpViewModel(
            services.settings,
            runner,
            parent=self,
            security_warnings=services.doctor.security_warnings,
        )
        self.legacy = LegacyViewModel(services.legacy, services.owner_id, runner, parent=self)
        self._banner = ""
        self._panes: list[ViewModel] = [
            self.library,
            self.session,
            self.history,
            self.help,
            self.legacy,
        ]
        for pane in self._panes:
            pane.problem.connect(self._on_problem)
            pane.notice.connect(self.notice)
        self.library.library_changed.connect(self._library_changed)
        self.session.run_finished.connect(self._run_finished)
        self.legacy.migrated.connect(self._migrated)

    @property
    def banner(self) -> str:
        return self._banner

    def settings_editor(self) -> SettingsViewModel:
        """A view-model for the settings dialog, over the settings this window started with."""
        return SettingsViewModel(self.settings, self.runner, profiles=self._profiles)

    def start(self) -> None:
        """First loads, all off the GUI thread."""
        self.library.refresh()
        self.session.load_jobs()
        self.legacy.check()

    @Slot(str, bool)
    def _on_problem(self, message: str, outage: bool) -> None:
        if outage:
            self._set_banner(message)
        else:
            self.message.emit(message)

    def _set_banner(self, message: str) -> None:
        if message != self._banner:
            self._banner = message
            self.banner_changed.emit(message)

    @Slot()
    def retry(self) -> None:
        """Hide the banner and run again what failed; a new failure shows it again."""
        self._set_banner("")
        for pane in self._panes:
            pane.retry()

    @Slot()
    def _library_changed(self) -> None:
        self.session.refresh()
        self.history.reload()

    @Slot(object)
    def _run_finished(self, summary: RunSummary) -> None:
        self.notice.emit(summary.message)
        if summary.resume_ids:
            self.library.refresh()  # the analysis counts changed
            self.history.refresh_if_shown(summary.resume_ids)

    @Slot()
    def _migrated(self) -> None:
        """The old folders' resumes, jobs and analyses arrived."""
        self.library.refresh()
        self.session.reload_all()
        self.history.reload()

    def shutdown(self) -> None:
        self.library.shutdown()
        self.session.shutdown()
        self.legacy.shutdown()
