"""An import's outcome as the recruiter reads it in the summary (and copies it into a ticket):
the lines per file, the headline, the text, and the files "Import anyway" would take. Plain
data built from the service's :class:`~recur_desktop.domain.ImportReport`; no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from recur_desktop.domain import ImportReport
from recur_desktop.services.library import hidden_skipped_note
from recur_desktop.text_safety import visible


@dataclass(frozen=True)
class DuplicateLine:
    file_name: str
    existing_name: str
    restored_from_trash: bool


@dataclass(frozen=True)
class RejectedLine:
    file_name: str
    reason: str
    path: str
    #: The resume gate's kind when the gate turned the file away ("Import anyway" takes it).
    gate_kind: str | None = None


@dataclass(frozen=True)
class RepairedLine:
    file_name: str
    existing_name: str
    #: What doctor had found: "missing" or "changed".
    problem: str


def _as_known(file_name: str, existing_name: str) -> str:
    return "" if existing_name == file_name else f" (as {existing_name})"


@dataclass(frozen=True)
class ImportSummary:
    """One import's outcome as the recruiter reads it (and copies it into a ticket)."""

    added: list[str] = field(default_factory=list)
    duplicates: list[DuplicateLine] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)
    cancelled: bool = False
    #: Files whose resume was in the trash: brought back.
    restored: list[DuplicateLine] = field(default_factory=list)
    #: Files whose stored copy doctor found missing or changed: put back.
    repaired: list[RepairedLine] = field(default_factory=list)
    #: Names of hidden and temporary files passed over inside folders.
    hidden_skipped: list[str] = field(default_factory=list)
    #: Why the import stopped early (storage or the database stopped answering), or "".
    stopped: str = ""

    @property
    def turned_away(self) -> list[str]:
        """Paths of the files the resume gate turned away: what "Import anyway" imports."""
        return [r.path for r in self.rejected if r.gate_kind is not None and r.path]

    @property
    def headline(self) -> str:
        parts = [f"{len(self.added)} added"]
        if self.restored:
            parts.append(f"{len(self.restored)} restored from the trash")
        if self.repaired:
            parts.append(f"{len(self.repaired)} repaired")
        parts += [
            f"{len(self.duplicates)} already in the library",
            f"{len(self.rejected)} not imported",
        ]
        if self.hidden_skipped:
            parts.append(hidden_skipped_note(len(self.hidden_skipped)))
        counts = ", ".join(parts) + "."
        if self.stopped:
            # The outage sentence once, here; the files it left out are only listed below.
            return f"Import stopped: {self.stopped} {counts}"
        prefix = "Import stopped: " if self.cancelled else "Import finished: "
        return prefix + counts

    def as_text(self) -> str:
        """The summary as the dialog shows it (and Copy copies it): one line per file, every
        name with its control and bidi characters escaped so a name can't forge a line."""
        lines = [self.headline]
        if self.added:
            lines += ["", "Added:"] + [f"  {name}" for name in self.added]
        if self.restored:
            lines += ["", "Restored from the trash:"]
            lines += [
                f"  {d.file_name}{_as_known(d.file_name, d.existing_name)}" for d in self.restored
            ]
        if self.repaired:
            lines += ["", "Repaired (the stored file is back):"]
            for r in self.repaired:
                was = "was missing" if r.problem == "missing" else "had changed"
                known = _as_known(r.file_name, r.existing_name)
                lines.append(f"  {r.file_name}{known}: its stored file {was}")
        if self.duplicates:
            lines += ["", "Already in the library:"]
            for dup in self.duplicates:
                back = ", restored from the trash" if dup.restored_from_trash else ""
                lines.append(
                    f"  {dup.file_name}{_as_known(dup.file_name, dup.existing_name)}{back}"
                )
        tried = [r for r in self.rejected if not self.stopped or r.reason != self.stopped]
        left_out = [r for r in self.rejected if self.stopped and r.reason == self.stopped]
        if tried:
            lines += ["", "Not imported:"]
            lines += [f"  {r.file_name}: {r.reason}" for r in tried]
        if left_out:
            lines += ["", "Not tried (the import stopped):"]
            lines += [f"  {r.file_name}" for r in left_out]
        if self.hidden_skipped:
            lines += ["", "Skipped (hidden or temporary files):"]
            lines += [f"  {name}" for name in self.hidden_skipped]
        return "\n".join(visible(line) for line in lines)


def summarize(report: ImportReport) -> ImportSummary:
    return ImportSummary(
        added=[a.file_name for a in report.added],
        duplicates=[
            DuplicateLine(d.file_name, d.existing_file_name or d.file_name, d.restored_from_trash)
            for d in report.duplicates
        ],
        rejected=[
            RejectedLine(r.file_name, r.reason, r.path, r.gate_kind) for r in report.rejected
        ],
        cancelled=report.cancelled,
        restored=[
            DuplicateLine(d.file_name, d.existing_file_name or d.file_name, True)
            for d in report.restored
        ],
        repaired=[
            RepairedLine(r.file_name, r.existing_file_name or r.file_name, str(r.problem))
            for r in report.repaired
        ],
        hidden_skipped=[Path(path).name for path in report.hidden_skipped],
        stopped=report.stopped,
    )
