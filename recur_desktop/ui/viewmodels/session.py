"""The session pane's view-model: the job picker, the resumes available for the picked context,
analysis runs with progress and Cancel, past sessions and their results (best first)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from recur_desktop.domain import (
    AnalysisOutcome,
    CancelToken,
    JobPosting,
    Page,
    Progress,
    ResultStatus,
    ResumeRecord,
    SessionRecord,
    SessionStatus,
)
from recur_desktop.domain.provenance import describe_analyzers
from recur_desktop.services import AnalysisRun, AnalysisService, JobService, LibraryService
from recur_desktop.services.errors import InvalidInput
from recur_desktop.services.export import ExportFailed, ExportReport, export_session
from recur_desktop.text_safety import visible
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.base import ViewModel
from recur_desktop.ui.viewmodels.job_editor import JobDraft, JobEditorViewModel, save_job
from recur_desktop.ui.viewmodels.library import type_label
from recur_desktop.ui.viewmodels.tables import (
    RIGHT,
    Column,
    RecordTableModel,
    local_time,
    score_text,
)

GENERAL = "General"


@dataclass(frozen=True)
class JobChoice:
    """One entry of the job picker; ``job`` None is general analysis."""

    job: JobPosting | None

    @property
    def job_id(self) -> uuid.UUID | None:
        return self.job.id if self.job else None

    @property
    def label(self) -> str:
        """For the picker and headings: job title and company as typed, but with control and
        bidi characters shown as escapes."""
        if self.job is None:
            return f"{GENERAL} (no job)"
        title = visible(self.job.title)
        return f"{title} — {visible(self.job.company)}" if self.job.company else title

    @property
    def context(self) -> str:
        return f"“{visible(self.job.title)}”" if self.job else "general analysis"


@dataclass(frozen=True)
class ResultRow:
    rank: int
    file_name: str
    candidate: str
    outcome: AnalysisOutcome

    @property
    def resume_id(self) -> uuid.UUID:
        return self.outcome.resume_id

    @property
    def overall(self) -> float | None:
        return self.outcome.result.overall_fit_score if self.outcome.result else None

    @property
    def skill_match(self) -> float | None:
        return self.outcome.result.skill_match_score if self.outcome.result else None

    @property
    def matched(self) -> str:
        return ", ".join(self.outcome.result.matched_skills) if self.outcome.result else ""

    @property
    def missing(self) -> str:
        return ", ".join(self.outcome.result.missing_skills) if self.outcome.result else ""

    @property
    def summary(self) -> str:
        if self.outcome.status != ResultStatus.OK:
            return self.outcome.error or "Not analysed."
        return self.outcome.result.summary if self.outcome.result else ""


@dataclass(frozen=True)
class SessionResults:
    session: SessionRecord
    rows: list[ResultRow]


@dataclass(frozen=True)
class RunSummary:
    """How a run ended, in words, plus what other panes need to refresh."""

    message: str
    session_id: uuid.UUID
    resume_ids: list[uuid.UUID]
    status: SessionStatus


JOB_COLUMNS: list[Column[JobChoice]] = [Column("Job", lambda c: c.label, width_chars=30)]

AVAILABLE_COLUMNS: list[Column[ResumeRecord]] = [
    Column("File", lambda r: r.file_name, width_chars=24),
    Column("Candidate", lambda r: r.candidate_name or "", width_chars=16),
    Column("Type", lambda r: type_label(r.media_type), width_chars=5),
    Column("Added", lambda r: local_time(r.created_at), lambda r: r.created_at, width_chars=14),
]

_STATUS_LABELS = {
    SessionStatus.PENDING: "Waiting",
    SessionStatus.RUNNING: "Running",
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.FAILED: "Failed",
    SessionStatus.CANCELLED: "Cancelled",
}

SESSION_COLUMNS: list[Column[SessionRecord]] = [
    Column("Session", lambda s: s.session_name, width_chars=28),
    Column("Status", lambda s: _STATUS_LABELS.get(s.status, s.status.value), width_chars=9),
    Column("Started", lambda s: local_time(s.created_at), lambda s: s.created_at, width_chars=14),
    Column("Results", lambda s: str(s.result_count), lambda s: s.result_count, RIGHT, None, 7),
]

RESULT_COLUMNS: list[Column[ResultRow]] = [
    Column("#", lambda r: str(r.rank), lambda r: r.rank, RIGHT, None, 3),
    Column("File", lambda r: r.file_name, width_chars=22, tooltip=lambda r: r.summary),
    Column("Candidate", lambda r: r.candidate, width_chars=12),
    Column("Fit", lambda r: score_text(r.overall), lambda r: r.overall, RIGHT, None, 3),
    Column("Skills", lambda r: score_text(r.skill_match), lambda r: r.skill_match, RIGHT, None, 3),
    Column("Matched", lambda r: r.matched, width_chars=16),
    Column("Missing", lambda r: r.missing, width_chars=14),
]


# ------------------------------------------------------------------ worker functions
REMOVED = "(removed from the library)"


def _load_results(analysis: AnalysisService, session_id: uuid.UUID) -> SessionResults:
    """One query: the outcomes carry their resume's file and candidate names."""
    session, outcomes = analysis.results(session_id)
    rows = [
        ResultRow(rank, outcome.file_name or REMOVED, outcome.candidate_name or "", outcome)
        for rank, outcome in enumerate(outcomes, start=1)
    ]
    return SessionResults(session, rows)


def _run_analysis(
    analysis: AnalysisService,
    job_id: uuid.UUID | None,
    resume_ids: Sequence[uuid.UUID] | None,
    include_analyzed: bool,
    *,
    progress: Progress,
    cancel: CancelToken,
) -> AnalysisRun:
    return analysis.analyze(
        job_id,
        resume_ids=list(resume_ids) if resume_ids else None,
        include_analyzed=include_analyzed,
        progress=progress,
        cancel=cancel,
    )


def describe_run(run: AnalysisRun, context: str) -> str:
    session = run.session
    scored = sum(1 for o in run.outcomes if o.status == ResultStatus.OK)
    failed = len(run.outcomes) - scored
    tail = f" ({failed} could not be scored)" if failed else ""
    if session.status == SessionStatus.COMPLETED:
        return f"Analysed {len(run.outcomes)} resume(s) for {context}: {scored} scored{tail}."
    if session.status == SessionStatus.CANCELLED:
        return f"Analysis stopped: {len(run.outcomes)} resume(s) done for {context}{tail}."
    return f"Analysis for {context} failed: {visible(session.error or 'no reason given')}"


class SessionViewModel(ViewModel):
    context_changed = Signal(str)
    available_total_changed = Signal(int)
    run_started = Signal(str)
    run_progress = Signal(int, int, str)
    run_finished = Signal(object)  # RunSummary
    running_changed = Signal(bool)
    #: The results table shows this session now (a heading for it).
    results_changed = Signal(str)
    job_created = Signal(str)
    #: The job picker's current row changed (after reloads, a job creation...).
    current_job_row_changed = Signal(int)
    exported = Signal(str)

    PAGE_SIZE = 200

    def __init__(
        self,
        analysis: AnalysisService,
        jobs: JobService,
        library: LibraryService,
        runner: TaskRunner,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._analysis = analysis
        self._jobs = jobs
        self._library = library
        self._page_size = page_size
        self.jobs: RecordTableModel[JobChoice] = RecordTableModel(JOB_COLUMNS, self)
        self.jobs.set_rows([JobChoice(None)])
        self.available: RecordTableModel[ResumeRecord] = RecordTableModel(AVAILABLE_COLUMNS, self)
        self.available.more_requested.connect(self._fetch_more_available)
        self.sessions: RecordTableModel[SessionRecord] = RecordTableModel(SESSION_COLUMNS, self)
        self.results: RecordTableModel[ResultRow] = RecordTableModel(RESULT_COLUMNS, self)
        self._choice = JobChoice(None)
        self._generation = 0
        self._loading = 0
        self._run: TaskHandle | None = None
        self._run_context = ""
        self._select_job_after_load: uuid.UUID | None = None
        self._results_session: uuid.UUID | None = None

    # ------------------------------------------------------------- state
    @property
    def current(self) -> JobChoice:
        return self._choice

    @property
    def is_running(self) -> bool:
        return self._run is not None

    @property
    def is_loading(self) -> bool:
        return self._loading > 0

    @property
    def shown_session_id(self) -> uuid.UUID | None:
        return self._results_session

    def _busy(self, delta: int) -> None:
        self._loading += delta

    # ------------------------------------------------------------- jobs
    @Slot()
    def load_jobs(self) -> None:
        self._busy(+1)
        self._runner.submit(
            self._jobs.list, name="jobs.list", on_done=self._jobs_loaded, on_failed=self._failed
        )

    @Slot(object, object)
    def _jobs_loaded(self, task: TaskHandle, jobs: list[JobPosting]) -> None:
        self._busy(-1)
        choices = [JobChoice(None)] + [JobChoice(job) for job in jobs]
        self.jobs.set_rows(choices)
        wanted = self._select_job_after_load or self._choice.job_id
        self._select_job_after_load = None
        row = next((i for i, c in enumerate(choices) if c.job_id == wanted), 0)
        self.current_job_row_changed.emit(row)
        if choices[row] != self._choice or (row == 0 and self._generation == 0):
            self.select_row(row)

    def select_row(self, row: int) -> None:
        """Pick a context by its row in :attr:`jobs` (row 0 is general analysis)."""
        choice = self.jobs.record(row)
        if choice is None:
            return
        self._choice = choice
        self.context_changed.emit(choice.label)
        self.refresh()

    def select_job(self, job_id: uuid.UUID | None) -> None:
        for row, choice in enumerate(self.jobs.rows):
            if choice.job_id == job_id:
                self.current_job_row_changed.emit(row)
                self.select_row(row)
                return
        raise KeyError(f"no job {job_id} in the picker")

    def create_job(self, draft: JobDraft) -> None:
        self._runner.submit(
            partial(save_job, self._jobs, None, draft),
            name="jobs.create",
            on_done=self._job_created,
            on_failed=self._job_failed,
        )

    def job_editor(self, *, edit: bool = False) -> JobEditorViewModel:
        """The view-model of a job dialog: a new job, or (``edit``) the picked one."""
        job = self._choice.job if edit else None
        if edit and job is None:
            raise ValueError("general analysis has no job to edit")
        editor = JobEditorViewModel(self._jobs, self._runner, job)
        editor.saved.connect(self._job_added if job is None else self._job_edited)
        return editor

    @property
    def can_edit_job(self) -> bool:
        return self._choice.job is not None

    @Slot(object, object)
    def _job_created(self, task: TaskHandle, job: JobPosting) -> None:
        self._job_added(job)

    @Slot(object)
    def _job_added(self, job: JobPosting) -> None:
        self._select_job_after_load = job.id
        self.job_created.emit(visible(job.title))
        self.load_jobs()

    @Slot(object)
    def _job_edited(self, job: JobPosting) -> None:
        self._select_job_after_load = job.id
        self.notice.emit(f"Saved the job “{visible(job.title)}”. Past results keep their scores.")
        self.load_jobs()

    @Slot(object, object)
    def _job_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self.report(exc, doing="creating a job", retry=None)

    # ------------------------------------------------------------- available + sessions
    @Slot()
    def refresh(self) -> None:
        """Reload the available list and the past sessions of the current context."""
        self._generation += 1
        job_id = self._choice.job_id
        self._busy(+2)
        self._runner.submit(
            partial(self._analysis.available, job_id, limit=self._page_size),
            name="analysis.available",
            tag=(self._generation, 0),
            on_done=self._available_loaded,
            on_failed=self._page_failed,
        )
        self._runner.submit(
            partial(self._analysis.sessions, job_id=job_id, general=job_id is None),
            name="analysis.sessions",
            tag=(self._generation, None),
            on_done=self._sessions_loaded,
            on_failed=self._failed,
        )

    @Slot(object, object)
    def _available_loaded(self, task: TaskHandle, page: Page[ResumeRecord]) -> None:
        self._busy(-1)
        if task.tag[0] != self._generation:
            return
        self.available.set_rows(page.items, page.total)
        self.available_total_changed.emit(page.total)

    @Slot(int)
    def _fetch_more_available(self, offset: int) -> None:
        self._busy(+1)
        self._runner.submit(
            partial(
                self._analysis.available,
                self._choice.job_id,
                limit=self._page_size,
                offset=offset,
            ),
            name="analysis.available",
            tag=(self._generation, offset),
            on_done=self._more_available_loaded,
            on_failed=self._page_failed,
        )

    @Slot(object, object)
    def _more_available_loaded(self, task: TaskHandle, page: Page[ResumeRecord]) -> None:
        self._busy(-1)
        generation, offset = task.tag
        if generation == self._generation:
            self.available.append_page(offset, page.items, page.total)

    @Slot(object, object)
    def _page_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._busy(-1)
        generation, offset = task.tag
        if generation != self._generation:
            return
        self.available.page_failed(offset)
        self.report(exc, doing="loading available resumes", retry=self.refresh)

    @Slot(object, object)
    def _sessions_loaded(self, task: TaskHandle, sessions: list[SessionRecord]) -> None:
        self._busy(-1)
        if task.tag[0] != self._generation:
            return
        self.sessions.set_rows(sessions)
        shown = self._results_session
        if shown is None or all(s.id != shown for s in sessions):
            if sessions:
                self.open_session(sessions[0].id)
            else:
                self._results_session = None
                self.results.set_rows([])
                self.results_changed.emit("")

    @Slot(object, object)
    def _failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._busy(-1)
        self.report(exc, doing=task.name, retry=self.reload_all)

    @Slot()
    def reload_all(self) -> None:
        self.load_jobs()
        self.refresh()

    # ------------------------------------------------------------- results
    def open_session(self, session_id: uuid.UUID) -> None:
        self._results_session = session_id
        self._busy(+1)
        self._runner.submit(
            partial(_load_results, self._analysis, session_id),
            name="analysis.results",
            tag=session_id,
            on_done=self._results_loaded,
            on_failed=self._failed,
        )

    @Slot(object, object)
    def _results_loaded(self, task: TaskHandle, loaded: SessionResults) -> None:
        self._busy(-1)
        if task.tag != self._results_session:
            return
        self.results.set_rows(loaded.rows)
        session = loaded.session
        status = _STATUS_LABELS.get(session.status, session.status.value)
        # Every analyzer that scored a result: a fallback's scores are not the LLM's.
        scorers = describe_analyzers(session.analyzers)
        self.results_changed.emit(
            f"{visible(session.session_name)} · {status} · {len(loaded.rows)} result(s), best first"
            + (f" · scored by {visible(scorers)}" if scorers else "")
        )

    def export(self, path: str | Path) -> None:
        """Write the shown session's results (the shortlist, best first) to a .csv or .xlsx
        file through the export service, off the GUI thread. The save dialog has already
        asked before replacing a file."""
        session_id = self._results_session
        if session_id is None:
            self.notice.emit("Open a session with results to export first.")
            return
        self._runner.submit(
            partial(export_session, self._analysis, session_id, Path(path), overwrite=True),
            name="results.export",
            on_done=self._exported,
            on_failed=self._export_failed,
        )

    @Slot(object, object)
    def _exported(self, task: TaskHandle, report: ExportReport) -> None:
        self.exported.emit(
            f"Saved the shortlist ({report.rows} result(s)) to {visible(str(report.path))}."
        )

    @Slot(object, object)
    def _export_failed(self, task: TaskHandle, exc: BaseException) -> None:
        if isinstance(exc, ExportFailed | InvalidInput):  # a sentence about the file itself
            self.problem.emit(f"The shortlist couldn't be saved. {visible(str(exc))}", False)
        else:
            self.report(exc, doing="exporting results", retry=None)

    # ------------------------------------------------------------- analysis runs
    def start_analysis(
        self, resume_ids: Sequence[uuid.UUID] | None = None, *, include_analyzed: bool = False
    ) -> bool:
        """Analyse the given resumes (None: everything available) for the current context.

        False when a run is already going (one at a time keeps progress readable).
        """
        if self._run is not None:
            self.notice.emit("An analysis is already running; wait for it or cancel it.")
            return False
        if resume_ids is not None and not resume_ids:
            self.notice.emit("Select resumes to analyse first.")
            return False
        choice = self._choice
        self._run_context = choice.context
        self._run = self._runner.submit(
            partial(_run_analysis, self._analysis, choice.job_id, resume_ids, include_analyzed),
            name="analysis.analyze",
            tag=choice,
            long=True,
            on_progress=self._run_progressed,
            on_done=self._run_done,
            on_failed=self._run_failed,
        )
        self.run_started.emit(choice.context)
        self.running_changed.emit(True)
        return True

    def reanalyze(self, resume_ids: Sequence[uuid.UUID]) -> bool:
        """Score these resumes again for the current context, analysed before or not."""
        return self.start_analysis(resume_ids, include_analyzed=True)

    def cancel_analysis(self) -> None:
        if self._run is not None:
            self._run.cancel()

    @Slot(object, int, int, str)
    def _run_progressed(self, task: TaskHandle, done: int, total: int, note: str) -> None:
        self.run_progress.emit(done, total, visible(note))  # the note names a resume

    @Slot(object, object)
    def _run_done(self, task: TaskHandle, run: AnalysisRun) -> None:
        self._run = None
        self.running_changed.emit(False)
        summary = RunSummary(
            message=describe_run(run, self._run_context),
            session_id=run.session.id,
            resume_ids=[o.resume_id for o in run.outcomes],
            status=run.session.status,
        )
        if task.tag == self._choice:
            self._results_session = run.session.id
            self.refresh()
            self.open_session(run.session.id)
        self.run_finished.emit(summary)

    @Slot(object, object)
    def _run_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._run = None
        self.running_changed.emit(False)
        self.report(exc, doing="analysing", retry=None)
        self.refresh()

    def shutdown(self) -> None:
        self.cancel_analysis()
