"""The job dialog's view-model: create or edit one job posting, and propose its skills and
minimum years from the pasted description (the vocabulary is read from disk: off the GUI
thread, like the save)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from recur_desktop.domain import JobPosting
from recur_desktop.services import JobService
from recur_desktop.services.jobs import ProposedRequirements
from recur_desktop.ui.errors import describe
from recur_desktop.ui.tasks import TaskHandle, TaskRunner

__all__ = ["JobDraft", "JobEditorViewModel", "ProposedRequirements", "save_job"]


@dataclass(frozen=True)
class JobDraft:
    """What the job dialog collects; the service validates it."""

    title: str
    company: str = ""
    description: str = ""
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    min_years: float | None = None

    @classmethod
    def of(cls, job: JobPosting) -> JobDraft:
        return cls(
            title=job.title,
            company=job.company,
            description=job.description,
            required_skills=tuple(job.required_skills),
            preferred_skills=tuple(job.preferred_skills),
            min_years=job.min_years,
        )


def save_job(jobs: JobService, job: JobPosting | None, draft: JobDraft) -> JobPosting:
    fields = dict(
        title=draft.title,
        company=draft.company,
        description=draft.description,
        required_skills=draft.required_skills,
        preferred_skills=draft.preferred_skills,
        min_years=draft.min_years,
    )
    if job is None:
        return jobs.create(**fields)  # type: ignore[arg-type]
    return jobs.update(job.id, **fields)  # type: ignore[arg-type]


def describe_proposal(proposal: ProposedRequirements) -> str:
    if not (proposal.required or proposal.preferred or proposal.min_years):
        return "No known skills found in the description; type them in."
    parts = [f"{len(proposal.required)} required", f"{len(proposal.preferred)} preferred skills"]
    if proposal.min_years:
        parts.append(f"{proposal.min_years:g}+ years")
    return "Found " + ", ".join(parts) + ". Check and edit them before saving."


class JobEditorViewModel(QObject):
    #: ProposedRequirements read from the description, for the fields.
    proposed = Signal(object)
    #: A line for the dialog: what was found, or why nothing was.
    proposal_note = Signal(str)
    proposing_changed = Signal(bool)
    #: The job was stored (created or edited).
    saved = Signal(object)  # JobPosting
    #: Why it was not stored (the dialog stays open to fix it).
    failed = Signal(str)
    saving_changed = Signal(bool)

    def __init__(
        self,
        jobs: JobService,
        runner: TaskRunner,
        job: JobPosting | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._runner = runner
        self.job = job
        self._proposing: TaskHandle | None = None
        self._saving: TaskHandle | None = None

    @property
    def is_edit(self) -> bool:
        return self.job is not None

    @property
    def draft(self) -> JobDraft:
        """What the dialog starts from."""
        return JobDraft.of(self.job) if self.job is not None else JobDraft(title="")

    @property
    def is_busy(self) -> bool:
        return self._proposing is not None or self._saving is not None

    def propose(self, description: str) -> None:
        if not description.strip():
            self.proposal_note.emit("Paste the job description first.")
            return
        if self._proposing is not None:
            self._proposing.cancel()
        self._proposing = self._runner.submit(
            partial(self._jobs.propose_requirements, description),
            name="jobs.propose",
            on_done=self._proposal_done,
            on_failed=self._proposal_failed,
            on_cancelled=self._proposal_cancelled,
        )
        self.proposing_changed.emit(True)

    @Slot(object, object)
    def _proposal_done(self, task: TaskHandle, proposal: ProposedRequirements) -> None:
        if task is not self._proposing:
            return
        self._proposing = None
        self.proposing_changed.emit(False)
        self.proposed.emit(proposal)
        self.proposal_note.emit(describe_proposal(proposal))

    @Slot(object, object)
    def _proposal_failed(self, task: TaskHandle, exc: BaseException) -> None:
        if task is not self._proposing:
            return
        self._proposing = None
        self.proposing_changed.emit(False)
        message = describe(exc, doing="reading skills from a description").message
        self.proposal_note.emit(f"The skills couldn't be read: {message}")

    @Slot(object)
    def _proposal_cancelled(self, task: TaskHandle) -> None:
        if task is self._proposing:
            self._proposing = None
            self.proposing_changed.emit(False)

    def save(self, draft: JobDraft) -> None:
        if self._saving is not None:
            return
        self._saving = self._runner.submit(
            partial(save_job, self._jobs, self.job, draft),
            name="jobs.update" if self.job else "jobs.create",
            on_done=self._saved,
            on_failed=self._save_failed,
        )
        self.saving_changed.emit(True)

    @Slot(object, object)
    def _saved(self, task: TaskHandle, job: JobPosting) -> None:
        self._saving = None
        self.job = job
        self.saving_changed.emit(False)
        self.saved.emit(job)

    @Slot(object, object)
    def _save_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._saving = None
        self.saving_changed.emit(False)
        self.failed.emit(describe(exc, doing="saving a job").message)

    def shutdown(self) -> None:
        if self._proposing is not None:
            self._proposing.cancel()
