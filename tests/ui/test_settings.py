"""Settings: Test connection runs off the GUI thread and says what failed; secrets go to the
keyring only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings, Qt

from recur_desktop.app import AppContext, build_profile_service
from recur_desktop.credentials import DATABASE_PASSWORD, SecretStore
from recur_desktop.settings import Settings
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.settings import SettingsViewModel
from recur_desktop.ui.views.main_window import MainWindow
from recur_desktop.ui.views.settings_dialog import SettingsDialog

SECRET = "hunter2-not-for-files"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


def test_test_connection_against_a_dead_port_says_so_without_blocking(
    qtbot,
    ui_ctx: AppContext,
    make_window: Callable[..., MainWindow],
    qsettings: QSettings,
):
    window = make_window(ui_ctx)
    dialog = window.open_settings()
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.db_host.setText("127.0.0.1")
    dialog.db_port.setValue(1)  # nothing listens there
    dialog.db_name.setText("recur")
    dialog.db_login.setText("alice")
    dialog.database_password.setText(SECRET)
    with qtbot.waitSignal(dialog.vm.tested, timeout=20_000) as tested:
        qtbot.mouseClick(dialog.test, Qt.MouseButton.LeftButton)
        assert dialog.test_outcome.text() == "Testing…" and not dialog.test.isEnabled()
    ok, message = tested.args
    assert not ok
    assert "Can't reach the library database at postgresql+psycopg://alice@127.0.0.1:1/recur" in (
        message
    )
    assert SECRET not in message and SECRET not in dialog.test_outcome.text()
    assert dialog.test.isEnabled()
    window.save_state()
    assert SECRET.encode() not in Path(qsettings.fileName()).read_bytes()


@pytest.mark.postgres
@pytest.mark.s3
def test_test_connection_reports_success_on_a_live_server(
    qtbot, server_settings: Settings, runner: TaskRunner
):
    vm = SettingsViewModel(server_settings, runner, profiles=build_profile_service())
    dialog = SettingsDialog(vm)
    qtbot.addWidget(dialog)
    assert dialog.server.isChecked() and dialog.db_host.text() == "127.0.0.1"
    with qtbot.waitSignal(vm.tested, timeout=20_000) as tested:
        dialog.test.click()
    assert tested.args[0] is True, tested.args[1]
    assert tested.args[1].startswith("Connected to postgresql")
    dialog.bucket.setText("no-such-bucket-here")
    with qtbot.waitSignal(vm.tested, timeout=20_000) as missing:
        dialog.test.click()
    assert missing.args[0] is False and "File storage" in missing.args[1]


def test_saving_puts_names_in_the_file_and_the_password_in_the_keyring_only(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    embedded_settings: Settings,
    runner: TaskRunner,
):
    monkeypatch.setenv("RECUR_CONFIG_DIR", str(tmp_path / "config"))
    keyring = MemoryKeyring()
    vm = SettingsViewModel(
        embedded_settings,
        runner,
        profiles=build_profile_service(lambda p: SecretStore(p, backend=keyring, env={})),
    )
    dialog = SettingsDialog(vm)
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.db_host.setText("db.example")
    dialog.db_name.setText("recur")
    dialog.db_login.setText("alice")
    dialog.database_password.setText(SECRET)
    dialog.bucket.setText("team-resumes")
    with qtbot.waitSignal(vm.saved, timeout=10_000) as saved:
        dialog.buttons.accepted.emit()
    assert "Restart Recur Desktop" in saved.args[0]
    written = (tmp_path / "config" / "settings.json").read_text()
    assert SECRET not in written
    assert json.loads(written)["database_url"] == "postgresql+psycopg://alice@db.example:5432/recur"
    assert keyring.stored == {("recur-desktop", f"server:{DATABASE_PASSWORD}"): SECRET}
