"""Settings: embedded or server profile, addresses and names; secrets go to the keyring."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.settings import ProfileDraft, SettingsViewModel
from recur_desktop.ui.views.widgets import muted


def _field(name: str, placeholder: str = "", *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SettingsDialog(QDialog):
    def __init__(self, vm: SettingsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setWindowTitle("Settings")
        self.embedded = QRadioButton("Embedded: a library on this computer (no set-up)")
        self.server = QRadioButton("Server: a team library on PostgreSQL and S3")
        self.embedded.setAccessibleName("Embedded profile")
        self.server.setAccessibleName("Server profile")

        self.db_host = _field("Database server", "db.example.com")
        self.db_port = QSpinBox()
        self.db_port.setAccessibleName("Database port")
        self.db_port.setRange(1, 65535)
        self.db_port.setValue(5432)
        self.db_name = _field("Database name", "recur")
        self.db_login = _field("Database login", "your database login")
        self.database_password = _field("Database password", "kept in the keyring", secret=True)
        self.user = _field("Recruiter name", "the name your library is kept under")
        server_row = QHBoxLayout()
        server_row.addWidget(self.db_host, 1)
        server_row.addWidget(QLabel("Port"))
        server_row.addWidget(self.db_port)
        self.bucket = _field("S3 bucket", "resumes-team")
        self.region = _field("S3 region", "eu-central-1")
        self.endpoint = _field("S3 endpoint", "https://s3.example.com (S3-compatible stores)")
        self.access_key = _field("S3 access key id", "empty: the usual AWS credentials")
        self.secret_key = _field("S3 secret key", "kept in the keyring", secret=True)
        form = QFormLayout()
        server_label = QLabel("Database &server")
        server_label.setBuddy(self.db_host)  # a row holding a layout gets no buddy by itself
        form.addRow(server_label, server_row)
        form.addRow("Database &name", self.db_name)
        form.addRow("Database &login", self.db_login)
        form.addRow("Database &password", self.database_password)
        form.addRow("&User", self.user)
        form.addRow("S3 &bucket", self.bucket)
        form.addRow("S3 &region", self.region)
        form.addRow("S3 &endpoint", self.endpoint)
        form.addRow("S3 access &key id", self.access_key)
        form.addRow("S3 secre&t key", self.secret_key)
        self.server_box = QGroupBox("Server")
        self.server_box.setLayout(form)

        self.test = QPushButton("Test connection")
        self.test.setAccessibleName("Test connection")
        self.test_outcome = QLabel()
        self.test_outcome.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.test_outcome.setObjectName("settingsResult")
        self.test_outcome.setWordWrap(True)
        self.test_outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test)
        test_row.addWidget(self.test_outcome, 1)
        note = muted(
            QLabel("Passwords are stored in the system keyring, never in a settings file.")
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.embedded)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(560, 480)

        self._load(vm.draft())
        self.server.toggled.connect(self.server_box.setEnabled)
        self.test.clicked.connect(self._test)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        vm.testing_changed.connect(self._testing)
        vm.tested.connect(self._tested)
        vm.saved.connect(self._saved)
        vm.save_failed.connect(self._show_error)

    def _load(self, draft: ProfileDraft) -> None:
        (self.server if draft.server else self.embedded).setChecked(True)
        self.server_box.setEnabled(draft.server)
        self.db_host.setText(draft.db_host)
        self.db_port.setValue(draft.db_port)
        self.db_name.setText(draft.db_name)
        self.db_login.setText(draft.db_login)
        self.user.setText(draft.user)
        self.bucket.setText(draft.s3_bucket)
        self.region.setText(draft.s3_region)
        self.endpoint.setText(draft.s3_endpoint_url)
        self.access_key.setText(draft.s3_access_key_id)

    def draft(self) -> ProfileDraft:
        return ProfileDraft(
            server=self.server.isChecked(),
            db_host=self.db_host.text(),
            db_port=self.db_port.value(),
            db_name=self.db_name.text(),
            db_login=self.db_login.text(),
            database_password=self.database_password.text(),
            s3_bucket=self.bucket.text(),
            s3_region=self.region.text(),
            s3_endpoint_url=self.endpoint.text(),
            s3_access_key_id=self.access_key.text(),
            s3_secret_access_key=self.secret_key.text(),
            user=self.user.text(),
        )

    @Slot()
    def _test(self) -> None:
        self.vm.test_connection(self.draft())

    @Slot(bool)
    def _testing(self, testing: bool) -> None:
        self.test.setEnabled(not testing)
        if testing:
            self.test_outcome.setText("Testing…")

    @Slot(bool, str)
    def _tested(self, ok: bool, message: str) -> None:
        self.test_outcome.setText(("✔ " if ok else "✘ ") + message)

    @Slot()
    def _save(self) -> None:
        self.buttons.setEnabled(False)
        self.vm.save(self.draft())

    @Slot(str)
    def _saved(self, message: str) -> None:
        self.test_outcome.setText(message)
        self.buttons.setEnabled(True)
        self.accept()

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.test_outcome.setText(message)
