"""The small window shown while the library opens, and when it cannot be opened."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.views.widgets import icon


class StartupWindow(QWidget):
    retry_clicked = Signal()
    quit_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recur Desktop")
        self.setWindowIcon(icon("app"))
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel("Opening your resume library…")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.retry = QPushButton("Retry")
        self.retry.setAccessibleName("Retry opening the library")
        self.quit = QPushButton("Quit")
        self.retry.clicked.connect(self.retry_clicked)
        self.quit.clicked.connect(self.quit_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry)
        buttons.addWidget(self.quit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.addWidget(logo)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
        self.show_busy()

    @Slot()
    def show_busy(self) -> None:
        self.message.setText("Opening your resume library…")
        self.busy.show()
        self.retry.hide()
        self.quit.hide()

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.message.setText(message)
        self.busy.hide()
        self.retry.show()
        self.quit.show()
