"""The one-time offer to move files from the old per-job folder layout into the library.

At start a worker asks the migration service whether this recruiter has legacy data that was
never migrated; if so it reads the plan (the dry run: it hashes every legacy file, so it runs
with progress) and the banner offers it. "Move them now" runs apply then verify through the
same service as ``recur migrate-legacy``, with progress and Cancel; the journal makes a
cancelled or failed run resumable, so the offer simply stays until a run verifies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from recur_desktop.domain import CancelToken, Progress
from recur_desktop.services.legacy import (
    LegacyMigrationService,
    LegacyStatus,
    MigrationReport,
    VerifyReport,
)
from recur_desktop.services.legacy.documents import report_doc
from recur_desktop.text_safety import visible
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.base import ViewModel

#: Problems listed in the plan's text; the rest are counted.
MAX_PROBLEMS_SHOWN = 200

_PROBLEM_LABELS = {
    "missing_object": "rows whose file is missing",
    "unreferenced_object": "files no row mentions (migrated all the same)",
    "unreadable_file": "files whose text can't be read (migrated, flagged)",
    "invalid_scores": "analyses with invalid scores (not carried)",
    "unknown_job": "analyses or files for a job that doesn't exist",
    "foreign_object": "files in another user's folder",
    "outside_layout": "files outside the old layout",
    "job_conflict": "jobs whose id is taken by another user",
    "read_failed": "files that couldn't be read this time (retried on the next run)",
    "copy_failed": "files that couldn't be copied this time (retried on the next run)",
}


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class LegacyPlan:
    """What the dry run found, in words."""

    headline: str
    details: str
    document: dict[str, Any]

    @property
    def has_work(self) -> bool:
        totals = self.document["totals"]
        return bool(
            totals.get("contents_to_migrate")
            or totals.get("analyses_to_carry")
            or totals.get("jobs_to_create")
            or totals.get("legacy_objects")
        )


def describe_plan(report: MigrationReport) -> LegacyPlan:
    doc = report_doc(report)
    t = doc["totals"]
    headline = (
        f"Recur found {_plural(t['legacy_objects'], 'file')} in the old per-job folders "
        f"({_plural(t['distinct_contents'], 'distinct resume')}) and "
        f"{_plural(t['analyses'], 'past analysis', 'past analyses')}. Move them into your "
        "library? Nothing is deleted."
    )
    lines = [
        "What the move will do (a dry run; nothing has changed yet):",
        "",
        f"  Files in the old folders:            {t['legacy_objects']:,}",
        f"  Distinct resumes:                    {t['distinct_contents']:,}",
        f"  Copies folded into one:              {t['duplicates_folded']:,}",
        f"  Resumes to add to the library:       {t['contents_to_migrate']:,}",
        f"  Jobs to create:                      {t['jobs_to_create']:,}",
        f"  Analyses to carry over:              {t['analyses_to_carry']:,}",
        f"  Older analyses folded (newest kept): {t['analyses_folded']:,}",
        f"  Files whose text can't be read:      {t['unreadable_files']:,}",
        f"  Rows whose file is missing:          {t['missing_objects']:,}",
    ]
    counts = doc["problem_counts"]
    if counts:
        lines += ["", "Things to know:"]
        for kind, count in sorted(counts.items()):
            lines.append(f"  {count:,} {_PROBLEM_LABELS.get(kind, kind)}")
        lines += [""]
        for problem in doc["problems"][:MAX_PROBLEMS_SHOWN]:
            name = problem.get("file_name") or problem.get("key") or ""
            line = f"  - {name}: {problem['message']}" if name else f"  - {problem['message']}"
            lines.append(visible(line))  # old file names: shown, never obeyed
        hidden = len(doc["problems"]) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(f"  … and {hidden:,} more (see `recur migrate-legacy --json`).")
    return LegacyPlan(headline=headline, details="\n".join(lines), document=doc)


@dataclass(frozen=True)
class MigrationOutcome:
    ok: bool
    message: str
    details: str
    cancelled: bool = False


def _status(legacy: LegacyMigrationService, owner: uuid.UUID) -> LegacyStatus:
    return legacy.status(owner)


def _plan(
    legacy: LegacyMigrationService, owner: uuid.UUID, *, progress: Progress, cancel: CancelToken
) -> LegacyPlan | None:
    report = legacy.plan(user=owner, progress=progress, cancel=cancel)
    return None if report.cancelled else describe_plan(report)


def _migrate(
    legacy: LegacyMigrationService, owner: uuid.UUID, *, progress: Progress, cancel: CancelToken
) -> MigrationOutcome:
    def step(name: str) -> Progress:
        return lambda done, total, note: progress(done, total, f"{name}: {note}" if note else name)

    applied = legacy.apply(user=owner, progress=step("Moving"), cancel=cancel)
    if applied.cancelled:
        return MigrationOutcome(
            False,
            "The move was stopped. What was moved stays; “Move them now” finishes the rest.",
            "",
            cancelled=True,
        )
    verified = legacy.verify(user=owner, progress=step("Checking"), cancel=cancel)
    return describe_outcome(applied, verified)


def describe_outcome(applied: MigrationReport, verified: VerifyReport) -> MigrationOutcome:
    done = (
        f"Moved {_plural(applied.created_resumes, 'resume')} and "
        f"{_plural(applied.written_analyses, 'analysis', 'analyses')}"
    )
    if verified.ok and not applied.failures:
        return MigrationOutcome(
            True,
            f"{done} from the old folders; every file and analysis checked.",
            describe_plan(applied).details,
        )
    problems = [visible(f"  - {p.file_name or p.key or ''}: {p.message}") for p in applied.failures]
    problems += [visible(f"  - {item}") for item in verified.unaccounted]
    if verified.cancelled:
        problems.append("  - The check was stopped before it finished.")
    return MigrationOutcome(
        False,
        f"{done}, but {_plural(len(problems), 'item')} still need attention. Try again; the "
        "move picks up where it stopped.",
        "\n".join(["Not finished:", *problems]),
    )


class LegacyViewModel(ViewModel):
    #: The banner's text ("" hides it).
    offer_changed = Signal(str)
    #: The dry run's plan, in words (for "Show plan").
    plan_ready = Signal(object)  # LegacyPlan
    #: Planning or migrating is running (the banner shows progress and Cancel).
    busy_changed = Signal(bool)
    progress = Signal(int, int, str)
    #: How the move ended.
    finished = Signal(object)  # MigrationOutcome
    #: Resumes, jobs or analyses were added: the panes should reload.
    migrated = Signal()

    def __init__(
        self,
        legacy: LegacyMigrationService,
        owner_id: uuid.UUID,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._legacy = legacy
        self._owner = owner_id
        self._task: TaskHandle | None = None
        self.plan: LegacyPlan | None = None
        self.outcome: MigrationOutcome | None = None
        self._dismissed = False
        self.checked = False

    @property
    def is_busy(self) -> bool:
        return self._task is not None

    def check(self) -> None:
        """At start: is there legacy data never migrated? (A worker lists the store.)"""
        if self._task is None:
            self._task = self._runner.submit(
                partial(_status, self._legacy, self._owner),
                name="legacy.status",
                on_done=self._status_known,
                on_failed=self._failed,
            )

    @Slot(object, object)
    def _status_known(self, task: TaskHandle, status: LegacyStatus) -> None:
        self._task = None
        self.checked = True
        if status.pending and not self._dismissed:
            self.offer_changed.emit(
                "Recur found files from the old per-job folders. Reading them to plan the move…"
            )
            self._start(_plan, "legacy.plan", self._planned)

    def _start(self, fn: Any, name: str, on_done: Any) -> None:
        self._task = self._runner.submit(
            partial(fn, self._legacy, self._owner),
            name=name,
            long=True,
            on_progress=self._progressed,
            on_done=on_done,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
        )
        self.busy_changed.emit(True)

    @Slot(object, int, int, str)
    def _progressed(self, task: TaskHandle, done: int, total: int, note: str) -> None:
        self.progress.emit(done, total, visible(note))

    @Slot(object, object)
    def _planned(self, task: TaskHandle, plan: LegacyPlan | None) -> None:
        self._task = None
        self.busy_changed.emit(False)
        if plan is None or self._dismissed:  # cancelled or "Not now"
            self.offer_changed.emit("")
            return
        self.plan = plan
        self.plan_ready.emit(plan)
        self.offer_changed.emit(plan.headline if plan.has_work else "")

    def migrate(self) -> None:
        """Apply, then verify, with progress; Cancel stops between files."""
        if self._task is None:
            self.outcome = None
            self._start(_migrate, "legacy.migrate", self._migrated)
            self.offer_changed.emit("Moving the old folders into your library…")

    @Slot(object, object)
    def _migrated(self, task: TaskHandle, outcome: MigrationOutcome) -> None:
        self._task = None
        self.outcome = outcome
        self.busy_changed.emit(False)
        self.migrated.emit()
        self.finished.emit(outcome)
        self.offer_changed.emit(outcome.message)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot(object)
    def _cancelled(self, task: TaskHandle) -> None:
        self._task = None
        self.busy_changed.emit(False)
        if task.name == "legacy.migrate":
            outcome = MigrationOutcome(
                False, "The move was stopped. “Move them now” finishes the rest.", "", True
            )
            self.outcome = outcome
            self.migrated.emit()
            self.finished.emit(outcome)
            self.offer_changed.emit(outcome.message)
        else:
            self.offer_changed.emit("")

    @Slot(object, object)
    def _failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._task = None
        self.busy_changed.emit(False)
        if task.name == "legacy.status":
            self.checked = True
            return  # no offer is better than a confusing one; the CLI can still migrate
        self.report(exc, doing=task.name, retry=None)
        if task.name == "legacy.migrate":
            self.migrated.emit()  # part of it may be done

    def dismiss(self) -> None:
        """Not now: hidden until the next start."""
        self._dismissed = True
        self.cancel()
        self.offer_changed.emit("")

    def shutdown(self) -> None:
        self.cancel()
