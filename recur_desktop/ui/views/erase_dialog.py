"""The Erase dialog: names the candidate and the file, and erases only after a typed answer.

Erasing is for a candidate's erasure request; it can't be undone, unlike the trash. A Yes button
is clicked by reflex, so the Erase button stays disabled until the candidate's name (or ERASE)
is typed. The decision of what counts as typed right is the view-model's
(:meth:`EraseRequest.confirmed_by`); this module only lays it out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.library import ERASE_WORD, EraseRequest


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
    label.setWordWrap(True)
    return label


class EraseDialog(QDialog):
    """Window-modal; emits :attr:`erase_confirmed` with the resume's id once, on Erase."""

    erase_confirmed = Signal(object)

    def __init__(self, request: EraseRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setObjectName("eraseDialog")
        self.setWindowTitle("Erase for good")
        self.setModal(True)
        who = request.candidate_name or "an unnamed candidate"
        self.question = _plain(f"Erase the resume of {who}, “{request.file_name}”, for good?")
        self.question.setObjectName("eraseQuestion")
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        results = (
            f" and its {request.analysis_count} analysis result(s)"
            if request.analysis_count
            else ""
        )
        where = " It is in the trash now." if request.in_trash else ""
        self.consequence = _plain(
            f"The stored file{results} are removed now and can't be brought back. Use this for "
            "a candidate's request to be erased; to only put a resume aside, move it to the "
            f"trash instead.{where}"
        )
        if request.candidate_name:
            name = request.candidate_name
            ask = f"To confirm, type the candidate's name ({name}) or {ERASE_WORD}:"
        else:
            ask = f"To confirm, type {ERASE_WORD}:"
        self.prompt = _plain(ask)
        self.confirmation = QLineEdit()
        self.confirmation.setObjectName("eraseConfirmation")
        self.confirmation.setAccessibleName("Type the candidate's name or ERASE to confirm")
        self.prompt.setBuddy(self.confirmation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton("Erase for good")
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAccessibleName("Erase the resume for good")
        self.erase_button.setEnabled(False)
        self.erase_button.setAutoDefault(False)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)  # Enter cancels unless Erase is clicked
        buttons.rejected.connect(self.reject)
        self.erase_button.clicked.connect(self._erase)
        self.confirmation.textChanged.connect(self._typed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.consequence)
        layout.addSpacing(6)
        layout.addWidget(self.prompt)
        layout.addWidget(self.confirmation)
        layout.addWidget(buttons)
        self.confirmation.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _typed(self, text: str) -> None:
        self.erase_button.setEnabled(self.request.confirmed_by(text))

    @Slot()
    def _erase(self) -> None:
        if not self.request.confirmed_by(self.confirmation.text()):
            return  # the button is disabled then; this only guards a programmatic click
        self.erase_confirmed.emit(self.request.resume_id)
        self.accept()
