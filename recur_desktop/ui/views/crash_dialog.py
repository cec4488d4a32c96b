"""The dialog an unexpected error opens: what happened, a copyable report, keep working."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.views.widgets import icon, muted

if TYPE_CHECKING:  # the handler opens this dialog: a runtime import back would be a cycle
    from recur_desktop.ui.crash import CrashReport

SEPARATOR = "\n\n" + "-" * 72 + "\n\n"


class CrashDialog(QDialog):
    """Non-modal and on top: the window behind it keeps working."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("Recur Desktop hit a problem")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        picture = QLabel()
        picture.setPixmap(icon("warning").pixmap(40, 40))
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.headline.setObjectName("crashHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        explanation = QLabel(
            "Something went wrong that the app didn't expect. Your library is safe and you can "
            "keep working. If it happens again, copy the report below and send it to whoever "
            "supports Recur Desktop for you; it holds no passwords."
        )
        explanation.setWordWrap(True)
        self.count = muted(QLabel())
        self.count.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.count.setObjectName("crashCount")
        self.report = QPlainTextEdit()
        self.report.setObjectName("crashReport")
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Error report")
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox()
        self.copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setAccessibleName("Copy the error report")
        self.quit = buttons.addButton("Quit Recur", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.keep = buttons.addButton("Keep working", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep.setDefault(True)
        self.copy.clicked.connect(self.copy_report)
        self.quit.clicked.connect(self._quit)
        self.keep.clicked.connect(self.close)
        head = QHBoxLayout()
        head.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(explanation)
        head.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.count)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def show_reports(self, reports: Sequence[CrashReport], count: int) -> None:
        if not reports:
            return
        self.headline.setText(reports[0].headline)
        self.count.setText(
            f"This happened {count} times since this window opened." if count > 1 else ""
        )
        self.count.setVisible(count > 1)
        self.report.setPlainText(self.report_text(reports))
        self.show()
        self.raise_()

    @staticmethod
    def report_text(reports: Sequence[CrashReport]) -> str:
        return SEPARATOR.join(r.text for r in reports)

    @Slot()
    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())

    @Slot()
    def _quit(self) -> None:
        self.close()
        QCoreApplication.quit()
