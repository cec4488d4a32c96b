"""The one-time banner offering to move the old per-job folders into the library."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.legacy import LegacyViewModel, MigrationOutcome
from recur_desktop.ui.views.widgets import icon, is_dark


class TextDialog(QDialog):
    """A read-only, copyable text (the plan, or what is left to do)."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("legacyDetails")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(title)
        font = self.text.font()
        font.setStyleHint(font.StyleHint.Monospace)
        font.setFamily("monospace")
        self.text.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._copy)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 460)

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())


class LegacyBanner(QFrame):
    def __init__(self, vm: LegacyViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("legacyBanner")
        self.setAccessibleName("Old folders found")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        picture = QLabel()
        picture.setPixmap(icon("import").pixmap(24, 24))
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.text.setObjectName("legacyText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Moving progress")
        self.bar.setFixedWidth(160)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.note.setMaximumWidth(260)
        self.details = QPushButton("Show plan…")
        self.details.setAccessibleName("Show what the move will do")
        self.migrate = QPushButton("Move them now")
        self.migrate.setObjectName("legacyMigrate")
        self.migrate.setAccessibleName("Move the old folders into the library")
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Stop moving")
        self.dismiss = QPushButton("Not now")
        self.dismiss.setAccessibleName("Hide this until the next start")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.bar)
        for button in (self.details, self.migrate, self.cancel, self.dismiss):
            layout.addWidget(button)
        self.details.clicked.connect(self.show_details)
        self.migrate.clicked.connect(vm.migrate)
        self.cancel.clicked.connect(self._cancel)
        self.dismiss.clicked.connect(vm.dismiss)
        vm.offer_changed.connect(self._offer)
        vm.busy_changed.connect(self._busy)
        vm.progress.connect(self._progress)
        vm.finished.connect(self._finished)
        self._dialog: TextDialog | None = None
        self.hide()

    def showEvent(self, event: object) -> None:  # follows a light or dark palette
        background, border = ("#1f3a57", "#3d6a99") if is_dark(self) else ("#e8f1fb", "#a9c7ea")
        self.setStyleSheet(
            f"#legacyBanner {{ background: {background}; border: 1px solid {border}; "
            "border-radius: 4px; }"
        )
        super().showEvent(event)  # type: ignore[arg-type]

    @Slot(str)
    def _offer(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(bool(text))
        self._buttons()

    def _buttons(self) -> None:
        busy = self.vm.is_busy
        outcome = self.vm.outcome
        done = outcome is not None and outcome.ok
        self.bar.setVisible(busy)
        self.note.setVisible(busy)
        self.cancel.setVisible(busy)
        self.cancel.setEnabled(busy)
        self.migrate.setVisible(not busy and not done and self.vm.plan is not None)
        self.migrate.setText("Try again" if outcome is not None else "Move them now")
        has_details = self.vm.plan is not None or (outcome is not None and bool(outcome.details))
        self.details.setVisible(not busy and has_details)
        self.details.setText("Details…" if outcome is not None else "Show plan…")
        self.dismiss.setVisible(not busy)
        self.dismiss.setText("Close" if done else "Not now")

    @Slot(bool)
    def _busy(self, busy: bool) -> None:
        if busy:
            self.bar.setRange(0, 0)
            self.note.setText("")
        self._buttons()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, note: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.note.setText(
            self.note.fontMetrics().elidedText(note, Qt.TextElideMode.ElideMiddle, 250)
        )

    @Slot(object)
    def _finished(self, outcome: MigrationOutcome) -> None:
        self._buttons()

    @Slot()
    def _cancel(self) -> None:
        self.cancel.setEnabled(False)
        self.vm.cancel()

    @Slot()
    def show_details(self) -> TextDialog | None:
        outcome = self.vm.outcome
        if outcome is not None and outcome.details:
            title, text = "Moving the old folders", outcome.details
        elif self.vm.plan is not None:
            title, text = "What the move will do", self.vm.plan.details
        else:
            return None
        self._dialog = TextDialog(title, text, self)
        self._dialog.show()
        return self._dialog
