"""Small widgets the panes share: tables, the outage banner, task progress, the import summary."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.icons import icon as icon  # re-exported for the views
from recur_desktop.ui.viewmodels.library import ImportSummary


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def make_table(
    model: QAbstractItemModel, name: str, *, multi: bool = False, stretch: int | None = 0
) -> QTableView:
    """A read-only, row-selecting table sized from the model's column hints; the ``stretch``
    column takes what is left, so a narrow pane shortens names instead of scrolling."""
    view = QTableView()
    view.setModel(model)
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().hide()
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    widths = getattr(model, "column_width_chars", None)
    if widths is not None:
        metrics = view.fontMetrics()
        digit = metrics.horizontalAdvance("0")  # dates and sizes are digits, wider than average
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(widths(column) * digit, metrics.horizontalAdvance(title) + 12)
            header.resizeSection(column, width + 10)
    if stretch is not None and stretch < model.columnCount():
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def picked_row(view: QTableView) -> int | None:
    """The row the user is on: the current one when it is selected, else the first selected."""
    selection = view.selectionModel()
    current = selection.currentIndex()
    if current.isValid() and selection.isRowSelected(current.row()):
        return current.row()
    rows = sorted(index.row() for index in selection.selectedRows())
    return rows[0] if rows else None


class Banner(QFrame):
    """A strip above the panes for outages: what happened, and Retry."""

    retry_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName("Connection problem")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = QPushButton("Retry")
        self.retry.setAccessibleName("Retry the failed action")
        self.retry.clicked.connect(self.retry_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry)
        self.hide()

    def showEvent(self, event: object) -> None:  # colours follow a light or dark palette
        background, border = ("#5c2b29", "#a04844") if is_dark(self) else ("#fdecea", "#f0a9a4")
        self.setStyleSheet(
            f"#banner {{ background: {background}; border: 1px solid {border}; "
            "border-radius: 4px; }"
        )
        super().showEvent(event)  # type: ignore[arg-type]

    @Slot(str)
    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.setVisible(bool(message))


class TaskProgress(QWidget):
    """Progress of one long task in the status bar: count, current file and Cancel."""

    cancel_clicked = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.label.setMinimumWidth(220)
        self.label.setMaximumWidth(420)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(f"{what} progress")
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName(f"Cancel {what.lower()}")
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    @Slot()
    def start(self) -> None:
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.label.setText(f"{self._what}…")
        self.cancel.setEnabled(True)
        self.cancel.setText("Cancel")
        self.show()

    @Slot(int, int, str)
    def update_progress(self, done: int, total: int, note: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{min(done, total)} / {total}")
        current = self.label.fontMetrics().elidedText(
            note, Qt.TextElideMode.ElideMiddle, self.label.maximumWidth() - 110
        )
        self.label.setText(f"{self._what}: {current}" if note else f"{self._what}…")

    @Slot()
    def _cancel(self) -> None:
        self.cancel.setEnabled(False)
        self.cancel.setText("Cancelling…")
        self.cancel_clicked.emit()

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        if running:
            self.start()
        else:
            self.hide()


class ImportSummaryDialog(QDialog):
    """Non-modal: the recruiter keeps working while reading (or copying) the rejections.

    "Import anyway" shows when the resume gate turned files away, and asks (by
    :attr:`import_anyway_requested`, with their paths) for exactly those to be imported past it.
    """

    import_anyway_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import summary")
        self.setObjectName("importSummary")
        self.setModal(False)
        # It reports on work done in the background: it must not take the keyboard away.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Import details")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setAccessibleName("Copy the import summary")
        self.copy.clicked.connect(self.copy_to_clipboard)
        # Only for the files the resume gate turned away; the size and text limits still apply.
        self.import_anyway = buttons.addButton(
            "Import anyway", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_anyway.setObjectName("importAnyway")
        self.import_anyway.setAccessibleName("Import anyway the files that don't look like resumes")
        self.import_anyway.clicked.connect(self._import_anyway_clicked)
        self.import_anyway.hide()
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self._summary: ImportSummary | None = None

    def sizeHint(self) -> QSize:
        return QSize(560, 360)

    @property
    def summary(self) -> ImportSummary | None:
        return self._summary

    def show_summary(self, summary: ImportSummary) -> None:
        self._summary = summary
        self.headline.setText(summary.headline)
        self.details.setPlainText(summary.as_text())
        turned_away = len(summary.turned_away)
        self.import_anyway.setVisible(turned_away > 0)
        self.import_anyway.setEnabled(turned_away > 0)
        files = "file" if turned_away == 1 else f"{turned_away} files"
        self.import_anyway.setToolTip(
            f"Import the {files} that don't look like resumes all the same." if turned_away else ""
        )
        self.show()

    @Slot()
    def _import_anyway_clicked(self) -> None:
        if self._summary is None or not self._summary.turned_away:
            return
        self.import_anyway.setEnabled(False)  # once per summary: the next summary says how it went
        self.import_anyway_requested.emit(list(self._summary.turned_away))

    @Slot()
    def copy_to_clipboard(self) -> None:
        if self._summary is not None:
            QGuiApplication.clipboard().setText(self._summary.as_text())


def muted(label: QLabel) -> QLabel:
    palette = label.palette()
    color: QColor = palette.color(QPalette.ColorRole.PlaceholderText)
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)
    return label
