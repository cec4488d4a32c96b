"""The library pane: search, the resume table, and the first-start empty state."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.library import ADDED_COLUMN, LibraryViewModel
from recur_desktop.ui.views.widgets import icon, make_table, muted, picked_row


class EmptyState(QWidget):
    """What a first start shows instead of an empty table."""

    import_clicked = Signal()
    samples_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        picture = QLabel()
        picture.setPixmap(icon("drop").pixmap(96, 96))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Drop resumes here or Import…")
        title.setObjectName("emptyTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = muted(
            QLabel(
                "PDF, Word (.docx) and text files, or whole folders. Each file is stored once, "
                "however many jobs you analyse it for."
            )
        )
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setFixedWidth(420)
        self.import_button = QPushButton(icon("import"), "Import resumes…")
        self.import_button.setAccessibleName("Import resumes")
        self.import_button.setDefault(True)
        self.samples_button = QPushButton("Load sample resumes")
        self.samples_button.setAccessibleName("Load sample resumes")
        self.samples_button.setToolTip("Four fictional resumes to try the app with")
        self.import_button.clicked.connect(self.import_clicked)
        self.samples_button.clicked.connect(self.samples_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.samples_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(picture)
        layout.addSpacing(8)
        layout.addWidget(title)
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)


class LibraryPane(QWidget):
    #: The picked resume.
    resume_picked = Signal(object)
    import_clicked = Signal()
    #: Open the original of this resume with the system's viewer.
    open_requested = Signal(object)

    def __init__(self, vm: LibraryViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("libraryPane")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search file name, candidate, email or text  (Ctrl+F)")
        self.search.setAccessibleName("Search resumes")
        self.search.setClearButtonEnabled(True)
        self.count = muted(QLabel())
        self.count.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.count.setObjectName("libraryCount")
        self.trash_toggle = QToolButton()
        self.trash_toggle.setText("Trash")
        self.trash_toggle.setIcon(icon("delete"))
        self.trash_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.trash_toggle.setCheckable(True)
        self.trash_toggle.setAccessibleName("Show the trash")
        self.trash_toggle.setToolTip("Show the trash to restore resumes or empty it")
        self.restore_button = QPushButton("Restore")
        self.restore_button.setAccessibleName("Restore the selected resumes")
        self.empty_trash_button = QPushButton("Empty trash…")
        self.empty_trash_button.setAccessibleName("Empty the trash")
        self.trash_bar = QWidget()
        trash_layout = QHBoxLayout(self.trash_bar)
        trash_layout.setContentsMargins(0, 0, 0, 0)
        trash_layout.addWidget(muted(QLabel("Resumes in the trash keep their history.")), 1)
        trash_layout.addWidget(self.restore_button)
        trash_layout.addWidget(self.empty_trash_button)
        self.trash_bar.hide()
        self.table = make_table(vm.model, "Resumes", multi=True)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(ADDED_COLUMN, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)  # the service's order: nothing moves
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.trash_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.trash_bar)
        layout.addWidget(self.stack, 1)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.search.textChanged.connect(vm.set_search)
        vm.total_changed.connect(self._show_total)
        vm.empty_changed.connect(self._show_empty)
        self.empty.import_clicked.connect(self.import_clicked)
        self.empty.samples_clicked.connect(vm.load_samples)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        vm.model.modelAboutToBeReset.connect(self._remember_current)
        vm.model.modelReset.connect(self._restore_current)
        self.trash_toggle.toggled.connect(vm.set_trash_mode)
        vm.trash_mode_changed.connect(self._trash_mode_changed)
        self.restore_button.clicked.connect(self._restore_selected)
        self.empty_trash_button.clicked.connect(self._confirm_empty_trash)
        self.table.doubleClicked.connect(self._double_clicked)
        self._current: uuid.UUID | None = None
        self._keep: uuid.UUID | None = None

    # ------------------------------------------------------------- bindings
    @Slot(int)
    def _show_total(self, total: int) -> None:
        noun = "resume" if total == 1 else "resumes"
        matching = " matching" if self.vm.search_text else ""
        where = " in the trash" if self.vm.trash_mode else ""
        self.count.setText(f"{total:,}{matching} {noun}{where}")

    @Slot(bool)
    def _show_empty(self, empty: bool) -> None:
        self.stack.setCurrentWidget(self.empty if empty else self.table)

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentWidget() is self.empty

    def selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [r.id for r in (self.vm.record_at(row) for row in rows) if r is not None]

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        row = picked_row(self.table)
        record = self.vm.record_at(row) if row is not None else None
        if record is not None and record.id != self._current:
            self._current = record.id
            self.resume_picked.emit(record.id)

    @Slot()
    def _remember_current(self) -> None:
        self._keep = self._current

    @Slot()
    def _restore_current(self) -> None:
        """A refresh resets the model; keep the picked resume picked when it is still listed."""
        if self._keep is None:
            return
        for row, record in enumerate(self.vm.model.rows):
            if record.id == self._keep:
                self.table.selectRow(row)
                break

    def picked_id(self) -> uuid.UUID | None:
        row = picked_row(self.table)
        record = self.vm.record_at(row) if row is not None else None
        return record.id if record is not None else None

    @Slot(bool)
    def _trash_mode_changed(self, on: bool) -> None:
        self.trash_toggle.setChecked(on)
        self.trash_bar.setVisible(on)
        if on:
            self.stack.setCurrentWidget(self.table)
        elif self.vm.is_empty:
            self.stack.setCurrentWidget(self.empty)

    @Slot()
    def _restore_selected(self) -> None:
        self.vm.restore(self.selected_ids())

    @Slot()
    def _confirm_empty_trash(self) -> None:
        answer = QMessageBox.question(
            self,
            "Empty the trash",
            f"Erase {self.vm.model.total:,} resume(s) in the trash for good? Their files and "
            "analysis history are removed and can't be brought back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.vm.empty_trash()

    @Slot(QModelIndex)
    def _double_clicked(self, index: QModelIndex) -> None:
        record = self.vm.record_at(index.row())
        if record is not None:
            self.open_requested.emit(record.id)

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
