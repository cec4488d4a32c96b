"""The session pane: pick a job (or General), see what is still available for it, analyse,
and read past sessions' results, best first."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelection, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.folders import EXPORT, FolderMemory
from recur_desktop.ui.viewmodels.job_editor import (
    JobDraft,
    JobEditorViewModel,
    ProposedRequirements,
)
from recur_desktop.ui.viewmodels.session import SessionViewModel
from recur_desktop.ui.views.widgets import icon, make_table, muted, picked_row


def split_skills(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def skills_text(skills: tuple[str, ...] | list[str]) -> str:
    return ", ".join(skills)


class JobDialog(QDialog):
    """Create or edit a job posting. The view-model saves it (the service checks the values)
    and reads skills from the description; the dialog stays open to fix what was refused."""

    def __init__(self, vm: JobEditorViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("jobDialog")
        self.setWindowTitle("Edit job" if vm.is_edit else "New job")
        self.title = QLineEdit()
        self.title.setAccessibleName("Job title")
        self.title.setPlaceholderText("e.g. Senior Backend Engineer")
        self.company = QLineEdit()
        self.company.setAccessibleName("Company")
        self.required = QLineEdit()
        self.required.setAccessibleName("Required skills")
        self.required.setPlaceholderText("Python, PostgreSQL, Docker")
        self.preferred = QLineEdit()
        self.preferred.setAccessibleName("Preferred skills")
        self.preferred.setPlaceholderText("Kubernetes, AWS")
        self.min_years = QDoubleSpinBox()
        self.min_years.setAccessibleName("Minimum years of experience")
        self.min_years.setRange(0, 60)
        self.min_years.setDecimals(1)
        self.min_years.setSpecialValueText("No minimum")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Job description")
        self.description.setPlaceholderText(
            "Paste the job description, then “Read skills from description” to fill the skills "
            "and minimum years for you to check."
        )
        self.description.setTabChangesFocus(True)
        self.propose = QPushButton("Read skills from description")
        self.propose.setObjectName("proposeSkills")
        self.propose.setAccessibleName("Read skills from the description")
        self.propose.setToolTip("Fill the skills and minimum years from the description")
        self.note = muted(QLabel())
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.note.setObjectName("jobNote")
        self.note.setWordWrap(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.error.setObjectName("jobError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Why the job wasn't saved")
        self.error.setStyleSheet("color: #c0392b")
        self.error.hide()
        propose_row = QHBoxLayout()
        propose_row.addWidget(self.propose)
        propose_row.addWidget(self.note, 1)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Company", self.company)
        form.addRow("&Description", self.description)
        form.addRow("", propose_row)
        form.addRow("&Required skills", self.required)
        form.addRow("&Preferred skills", self.preferred)
        form.addRow("Minimum &years", self.min_years)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Save changes" if vm.is_edit else "Create job")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._validate)
        self.propose.clicked.connect(self._propose)
        vm.proposed.connect(self.apply_proposal)
        vm.proposal_note.connect(self.note.setText)
        vm.proposing_changed.connect(self._proposing)
        vm.saving_changed.connect(self._saving)
        vm.saved.connect(self._saved)
        vm.failed.connect(self._failed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 500)
        self.fill(vm.draft)
        self._validate()

    def fill(self, draft: JobDraft) -> None:
        self.title.setText(draft.title)
        self.company.setText(draft.company)
        self.description.setPlainText(draft.description)
        self.required.setText(skills_text(draft.required_skills))
        self.preferred.setText(skills_text(draft.preferred_skills))
        self.min_years.setValue(draft.min_years or 0)

    @Slot(object)
    def apply_proposal(self, proposal: ProposedRequirements) -> None:
        """The skills read from the description, in the fields, for the recruiter to edit."""
        self.required.setText(skills_text(proposal.required))
        self.preferred.setText(skills_text(proposal.preferred))
        if proposal.min_years:
            self.min_years.setValue(proposal.min_years)

    @Slot()
    def _propose(self) -> None:
        self.vm.propose(self.description.toPlainText())

    @Slot(bool)
    def _proposing(self, busy: bool) -> None:
        self.propose.setEnabled(not busy)
        if busy:
            self.note.setText("Reading the description…")

    @Slot()
    def _validate(self) -> None:
        self.ok.setEnabled(bool(self.title.text().strip()) and not self.vm.is_busy)

    @Slot()
    def _save(self) -> None:
        self.error.hide()
        self.vm.save(self.draft())

    @Slot(bool)
    def _saving(self, busy: bool) -> None:
        self._validate()

    @Slot(object)
    def _saved(self, job: object) -> None:
        self.accept()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def done(self, result: int) -> None:
        self.vm.shutdown()
        super().done(result)

    def draft(self) -> JobDraft:
        years = self.min_years.value()
        return JobDraft(
            title=self.title.text().strip(),
            company=self.company.text().strip(),
            description=self.description.toPlainText(),
            required_skills=split_skills(self.required.text()),
            preferred_skills=split_skills(self.preferred.text()),
            min_years=years if years > 0 else None,
        )


class SessionPane(QWidget):
    #: A resume picked in the available list or the results: show its history.
    resume_picked = Signal(object)

    def __init__(
        self,
        vm: SessionViewModel,
        parent: QWidget | None = None,
        *,
        folders: FolderMemory | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.folders = folders if folders is not None else FolderMemory(QSettings())
        self.setObjectName("sessionPane")

        self.job_picker = QComboBox()
        self.job_picker.setObjectName("jobPicker")
        self.job_picker.setAccessibleName("Job")
        self.job_picker.setModel(vm.jobs)
        self.job_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.job_picker.setMinimumContentsLength(24)
        job_label = QLabel("&Job:")
        job_label.setBuddy(self.job_picker)
        self.new_job = QPushButton(icon("job"), "New job…")
        self.new_job.setAccessibleName("New job")
        self.edit_job = QPushButton("Edit…")
        self.edit_job.setObjectName("editJob")
        self.edit_job.setAccessibleName("Edit the picked job")
        self.edit_job.setToolTip("Edit the picked job's title, description and skills")
        self.edit_job.setEnabled(False)
        picker = QHBoxLayout()
        picker.addWidget(job_label)
        picker.addWidget(self.job_picker, 1)
        picker.addWidget(self.edit_job)
        picker.addWidget(self.new_job)

        self.available_title = QLabel()
        self.available_title.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.available_title.setObjectName("availableTitle")
        self.available = make_table(vm.available, "Available resumes", multi=True)
        self.analyze_selected = QPushButton(icon("analyze"), "Analyze selected")
        self.analyze_selected.setAccessibleName("Analyze selected resumes")
        self.analyze_selected.setToolTip("Analyze the selected resumes (Ctrl+R)")
        self.analyze_all = QPushButton("Analyze all")
        self.analyze_all.setAccessibleName("Analyze all available resumes")
        actions = QHBoxLayout()
        actions.addWidget(self.available_title, 1)
        actions.addWidget(self.analyze_selected)
        actions.addWidget(self.analyze_all)
        available_box = QGroupBox("Available for this job")
        available_layout = QVBoxLayout(available_box)
        available_layout.addLayout(actions)
        available_layout.addWidget(self.available, 1)

        self.sessions = make_table(vm.sessions, "Past sessions")
        self.results_title = muted(QLabel("No session yet for this job."))
        self.results_title.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.results_title.setObjectName("resultsTitle")
        self.results_title.setWordWrap(True)
        self.results = make_table(vm.results, "Session results", multi=True, stretch=1)
        self.export = QPushButton("Export…")
        self.export.setAccessibleName("Export the shortlist as XLSX or CSV")
        self.export.setEnabled(False)
        self.reanalyze = QPushButton("Re-analyze")
        self.reanalyze.setAccessibleName("Analyze the selected results again")
        self.reanalyze.setToolTip("Score the selected resumes again for this job")
        self.reanalyze.setEnabled(False)
        results_head = QHBoxLayout()
        results_head.addWidget(self.results_title, 1)
        results_head.addWidget(self.reanalyze)
        results_head.addWidget(self.export)
        results_box = QWidget()
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addLayout(results_head)
        results_layout.addWidget(self.results, 1)
        # Past sessions above their results, both full width: results have many columns.
        self.sessions_split = QSplitter(Qt.Orientation.Vertical)
        self.sessions_split.setObjectName("sessionsSplit")
        self.sessions_split.addWidget(self.sessions)
        self.sessions_split.addWidget(results_box)
        self.sessions_split.setChildrenCollapsible(False)
        self.sessions_split.setSizes([110, 300])
        sessions_box = QGroupBox("Sessions for this job")
        sessions_layout = QVBoxLayout(sessions_box)
        sessions_layout.addWidget(self.sessions_split)

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("sessionSplit")
        self.split.addWidget(available_box)
        self.split.addWidget(sessions_box)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([280, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(picker)
        layout.addWidget(self.split, 1)

        self.job_picker.activated.connect(vm.select_row)
        vm.current_job_row_changed.connect(self.job_picker.setCurrentIndex)
        vm.context_changed.connect(self._context_changed)
        vm.available_total_changed.connect(self._available_total)
        vm.results_changed.connect(self._results_changed)
        vm.running_changed.connect(self._running_changed)
        self.new_job.clicked.connect(self.open_job_dialog)
        self.edit_job.clicked.connect(self.open_edit_job_dialog)
        self.analyze_selected.clicked.connect(self.analyze)
        self.analyze_all.clicked.connect(self.analyze_everything)
        self.export.clicked.connect(self.export_results)
        self.reanalyze.clicked.connect(self.reanalyze_selected)
        self.sessions.selectionModel().selectionChanged.connect(self._session_picked)
        self.available.selectionModel().selectionChanged.connect(self._available_picked)
        self.results.selectionModel().selectionChanged.connect(self._result_picked)
        self._total = 0

    # ------------------------------------------------------------- commands
    def selected_available(self) -> list[uuid.UUID]:
        rows = sorted({i.row() for i in self.available.selectionModel().selectedRows()})
        records = (self.vm.available.record(row) for row in rows)
        return [r.id for r in records if r is not None]

    @Slot()
    def analyze(self) -> None:
        """Ctrl+R: the selected resumes. Everything takes the explicit "Analyze all" button:
        a stray shortcut must not start a run over a whole library."""
        self.vm.start_analysis(self.selected_available())

    @Slot()
    def analyze_everything(self) -> None:
        self.vm.start_analysis(None)

    @Slot()
    def open_job_dialog(self) -> JobDialog:
        """Window-modal without a nested event loop; closes itself once the job is saved."""
        return self._open_dialog(self.vm.job_editor())

    @Slot()
    def open_edit_job_dialog(self) -> JobDialog | None:
        if not self.vm.can_edit_job:
            return None
        return self._open_dialog(self.vm.job_editor(edit=True))

    def _open_dialog(self, editor: JobEditorViewModel) -> JobDialog:
        dialog = JobDialog(editor, self)
        editor.setParent(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @Slot()
    def export_results(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export shortlist",
            self.folders.suggest(EXPORT, "shortlist.xlsx"),
            "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)",
        )
        if path:
            self.folders.remember(EXPORT, path)
            if not path.lower().endswith((".xlsx", ".csv")):
                path += ".csv" if "csv" in chosen.lower() else ".xlsx"
            self.vm.export(path)

    def selected_results(self) -> list[uuid.UUID]:
        rows = sorted({i.row() for i in self.results.selectionModel().selectedRows()})
        records = (self.vm.results.record(row) for row in rows)
        return [r.resume_id for r in records if r is not None]

    @Slot()
    def reanalyze_selected(self) -> None:
        self.vm.reanalyze(self.selected_results())

    # ------------------------------------------------------------- bindings
    @Slot(str)
    def _context_changed(self, label: str) -> None:
        self.edit_job.setEnabled(self.vm.can_edit_job)
        self.available_title.setText(f"Loading what is available for {label}…")

    @Slot(int)
    def _available_total(self, total: int) -> None:
        self._total = total
        noun = "resume" if total == 1 else "resumes"
        self.available_title.setText(
            f"{total:,} {noun} not yet analysed for {self.vm.current.context}"
        )
        self.analyze_all.setText(f"Analyze all ({total:,})")
        self._update_buttons()

    @Slot(str)
    def _results_changed(self, title: str) -> None:
        self.results_title.setText(title or "No session yet for this job.")
        self.export.setEnabled(bool(title) and self.vm.results.rowCount() > 0)
        self._update_buttons()

    @Slot(bool)
    def _running_changed(self, running: bool) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.vm.is_running
        # Enabled only with a selection: clicking it with none did nothing but a notice.
        picked = self.available.selectionModel().hasSelection()
        self.analyze_selected.setEnabled(idle and self._total > 0 and picked)
        self.analyze_all.setEnabled(idle and self._total > 0)
        self.reanalyze.setEnabled(idle and self.vm.results.rowCount() > 0)

    @Slot(QItemSelection, QItemSelection)
    def _session_picked(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        row = picked_row(self.sessions)
        record = self.vm.sessions.record(row) if row is not None else None
        if record is not None and record.id != self.vm.shown_session_id:
            self.vm.open_session(record.id)

    @Slot(QItemSelection, QItemSelection)
    def _available_picked(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._update_buttons()
        row = picked_row(self.available)
        record = self.vm.available.record(row) if row is not None else None
        if record is not None:
            self.resume_picked.emit(record.id)

    @Slot(QItemSelection, QItemSelection)
    def _result_picked(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        row = picked_row(self.results)
        result = self.vm.results.record(row) if row is not None else None
        if result is not None:
            self.resume_picked.emit(result.resume_id)
