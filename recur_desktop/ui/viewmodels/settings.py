"""The settings dialog's view-model: edit a profile, test it off the GUI thread, save it.

The rules (names and addresses to the settings file, passwords to the keyring only, never into
QSettings, a settings file or a log) are :mod:`recur_desktop.services.profile`'s.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from recur_desktop.logs import mask
from recur_desktop.services.profile import CheckResult, ProfileDraft, ProfileService
from recur_desktop.settings import Settings, SettingsError
from recur_desktop.text_safety import visible
from recur_desktop.ui.tasks import TaskHandle, TaskRunner

__all__ = ["CheckResult", "ProfileDraft", "SettingsViewModel"]


class SettingsViewModel(QObject):
    testing_changed = Signal(bool)
    tested = Signal(bool, str)
    saved = Signal(str)
    save_failed = Signal(str)

    def __init__(
        self,
        current: Settings,
        runner: TaskRunner,
        *,
        profiles: ProfileService,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.current = current
        self._runner = runner
        self._profiles = profiles
        self._test: TaskHandle | None = None

    def draft(self) -> ProfileDraft:
        """The current settings as the dialog starts (no secret is read back)."""
        return ProfileDraft.of(self.current)

    @property
    def is_testing(self) -> bool:
        return self._test is not None

    def test_connection(self, draft: ProfileDraft) -> None:
        if self._test is not None:
            return
        self._test = self._runner.submit(
            partial(self._profiles.check, draft, self.current),
            name="settings.test",
            on_done=self._tested,
            on_failed=self._test_failed,
        )
        self.testing_changed.emit(True)

    @Slot(object, object)
    def _tested(self, task: TaskHandle, result: CheckResult) -> None:
        self._test = None
        self.testing_changed.emit(False)
        self.tested.emit(result.ok, "\n".join(result.lines))

    @Slot(object, object)
    def _test_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._test = None
        self.testing_changed.emit(False)
        self.tested.emit(False, f"The test itself failed ({exc.__class__.__name__}).")

    def save(self, draft: ProfileDraft) -> None:
        self._runner.submit(
            partial(self._profiles.save, draft, self.current),
            name="settings.save",
            on_done=self._saved,
            on_failed=self._save_error,
        )

    @Slot(object, object)
    def _saved(self, task: TaskHandle, message: str) -> None:
        self.saved.emit(message)

    @Slot(object, object)
    def _save_error(self, task: TaskHandle, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, SettingsError | OSError) else exc.__class__.__name__
        self.save_failed.emit(visible(mask(f"The settings were not saved: {reason}")))
