"""A watched folder (issue 12): files that appear in a folder are imported once each, over
:meth:`LibraryService.import_paths` (hidden files, the resume gate, duplicates by content hash and
the outcomes are the import's own). Plain Python, no Qt: the window and ``recur watch`` share it.

One pass (:meth:`FolderWatcher.scan_once`) walks the folder (recursively, as an import does) and
for each file compares its size and modification time with what the state remembers:

* **Unchanged** (same size and mtime as when it was last handled): skipped, not read.
* **Settling rule.** A new or changed file is imported only once it is *settled*: its size and
  mtime are the same as on the previous pass (the observation is kept in the state, so it holds
  across runs too), or its mtime is at least ``settle_seconds`` older than the clock (a file
  copied in while the app was closed is imported on the first pass). Otherwise it is *waiting*
  (a file still being written) and its observation is stored for the next pass.
* A settled file is hashed first (one read). Same content as last time (only touched), or a
  content the watcher turned away before (a renamed or copied README): nothing more is read.
  Otherwise it is imported; the outcome is remembered with the size, mtime and SHA-256:
  *imported*, *duplicate* (the library holds it: duplicate, restored or repaired) or *turned
  away* (the gate or the extraction refused its content: remembered by hash, not read again
  until it changes).
* A *failure* (the file can't be read, storage or the database didn't answer, an unexpected
  error) is logged and reported, nothing is remembered, and the next file goes on; the file is
  tried again on the next pass (a repeat of the same failure is logged at debug level only).

The state is one small JSON file in the user's data directory (:data:`STATE_FILE_NAME`), keyed
by the folder's absolute path, then by each file's path relative to it: size, mtime, hash,
outcome and (for files turned away) the reason. Never the files' text. It is written atomically
(a temporary file, then ``os.replace``) at the end of every pass; entries of files no longer in
the folder are dropped then. It also names the library's owner: a different user (or another
library) starts from an empty state for that folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from recur_desktop.domain import CancelToken, ImportReport, Progress, no_progress
from recur_desktop.services.errors import (
    DatabaseTimeout,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
)
from recur_desktop.services.intake import walk_paths

log = logging.getLogger(__name__)

#: The state file, in ``Settings.data_dir``.
STATE_FILE_NAME = "watched-folders.json"
STATE_VERSION = 1

#: A new file whose mtime is at least this old is settled on the first look.
DEFAULT_SETTLE_SECONDS = 10.0
DEFAULT_INTERVAL_SECONDS = 5.0

Outcome = Literal["pending", "imported", "duplicate", "turned_away"]

#: Rejections that say nothing about the file's content: tried again on the next pass.
_TRANSIENT_PREFIXES = (
    "You don't have permission",
    "It couldn't be read",
    "It couldn't be saved",
    "It doesn't exist",
)
_TRANSIENT_REASONS = frozenset({DatabaseUnavailable.DOWN, DatabaseTimeout.DOWN})

_CHUNK = 1 << 20


class Importer(Protocol):
    """What the watcher needs of :class:`~recur_desktop.services.library.LibraryService`."""

    owner_id: uuid.UUID

    def import_paths(
        self,
        paths: list[Path],
        *,
        progress: Progress = ...,
        cancel: CancelToken | None = ...,
    ) -> ImportReport: ...


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks, without following a symlink swapped in."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class WatchedFile:
    """One file a pass handled: ``path`` relative to the folder (``/``-separated)."""

    path: str
    resume_id: uuid.UUID | None = None
    reason: str = ""
    gate_kind: str | None = None


@dataclass(frozen=True)
class WatchFailure:
    path: str
    reason: str
    #: The same failure as on the previous pass of this watcher (logged at debug level only).
    repeated: bool = False


@dataclass
class WatchPassReport:
    """What one pass did. Every file of the folder lands in one list (or count)."""

    folder: str
    imported: list[WatchedFile] = field(default_factory=list)
    #: The library holds the content already (a duplicate; restored from the trash; repaired).
    duplicates: list[WatchedFile] = field(default_factory=list)
    #: Turned away now, by the gate or the extraction (read once).
    turned_away: list[WatchedFile] = field(default_factory=list)
    #: A new file with the content of one turned away before: not imported, not read again.
    known_turned_away: list[WatchedFile] = field(default_factory=list)
    #: Still changing (size or mtime differ from the last look): imported once settled.
    waiting: list[str] = field(default_factory=list)
    failed: list[WatchFailure] = field(default_factory=list)
    #: Files handled on an earlier pass and not changed since: not read.
    unchanged: int = 0
    hidden_skipped: int = 0
    cancelled: bool = False

    @property
    def did_something(self) -> bool:
        """Anything a person watching would want a line for (not waiting, not a repeat)."""
        return bool(
            self.imported
            or self.duplicates
            or self.turned_away
            or self.known_turned_away
            or any(not f.repeated for f in self.failed)
        )


@dataclass
class _Entry:
    size: int
    mtime_ns: int
    outcome: Outcome
    sha256: str = ""
    reason: str = ""
    gate_kind: str | None = None

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "outcome": self.outcome,
        }
        if self.sha256:
            doc["sha256"] = self.sha256
        if self.reason:
            doc["reason"] = self.reason
        if self.gate_kind:
            doc["gate_kind"] = self.gate_kind
        return doc

    @staticmethod
    def from_json(doc: Any) -> _Entry | None:
        try:
            outcome = doc["outcome"]
            if outcome not in ("pending", "imported", "duplicate", "turned_away"):
                return None
            gate_kind = doc.get("gate_kind")
            return _Entry(
                size=int(doc["size"]),
                mtime_ns=int(doc["mtime_ns"]),
                outcome=outcome,
                sha256=str(doc.get("sha256", "")),
                reason=str(doc.get("reason", "")),
                gate_kind=str(gate_kind) if gate_kind else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


class WatchState:
    """The state file: ``{"version": 1, "folders": {ABSOLUTE_PATH: {"owner": ID, "files":
    {RELATIVE_PATH: ENTRY}}}}``. Loaded whole, written whole and atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load_all(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # Starting afresh costs one read per file: the import knows them as duplicates.
            log.warning("watch state unreadable, starting afresh: %s", exc)
            return {}
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return {}
        folders = raw.get("folders")
        return folders if isinstance(folders, dict) else {}

    def load(self, folder: str, owner_id: uuid.UUID) -> dict[str, _Entry]:
        doc = self._load_all().get(folder)
        if not isinstance(doc, dict) or doc.get("owner") != str(owner_id):
            return {}
        files = doc.get("files")
        if not isinstance(files, dict):
            return {}
        entries = {}
        for name, value in files.items():
            entry = _Entry.from_json(value)
            if entry is not None and isinstance(name, str):
                entries[name] = entry
        return entries

    def save(self, folder: str, owner_id: uuid.UUID, entries: dict[str, _Entry]) -> None:
        """Replace this folder's part (other folders are kept), atomically."""
        folders = self._load_all()
        folders[folder] = {
            "owner": str(owner_id),
            "files": {name: entry.to_json() for name, entry in sorted(entries.items())},
        }
        text = json.dumps({"version": STATE_VERSION, "folders": folders}, indent=1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".watch-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE_NAME


def _is_transient(reason: str, report: ImportReport) -> bool:
    return (
        bool(report.stopped and reason == report.stopped)
        or reason in _TRANSIENT_REASONS
        or reason.startswith(_TRANSIENT_PREFIXES)
    )


class FolderWatcher:
    """Passes over one or more watched folders for one library.

    ``clock`` (seconds since the epoch, as file mtimes are) and ``hasher`` are injectable for
    tests; the previous observation of every file is in the state file.
    """

    def __init__(
        self,
        library: Importer,
        state_file: Path,
        *,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
        clock: Callable[[], float] = time.time,
        hasher: Callable[[Path], str] = file_sha256,
    ) -> None:
        self._library = library
        self._state = WatchState(state_file)
        self._settle_ns = int(settle_seconds * 1e9)
        self._clock = clock
        self._hasher = hasher
        #: Failures of the previous pass per folder, to log a repeat quietly.
        self._failing: dict[str, dict[str, str]] = {}

    @staticmethod
    def folder_key(folder: str | os.PathLike[str]) -> Path:
        """The folder's absolute path (symlinks resolved): the state's key."""
        path = Path(folder).expanduser().resolve()
        if not path.exists():
            raise NotFound(f"The folder {path} doesn't exist.")
        if not path.is_dir():
            raise InvalidInput(f"{path} is not a folder.")
        return path

    def scan_once(
        self,
        folder: str | os.PathLike[str],
        *,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> WatchPassReport:
        """One pass over ``folder`` (see the module's description); the state is saved at the
        end, also when cancelled (files handled so far stay remembered)."""
        root = self.folder_key(folder)
        key = str(root)
        owner = self._library.owner_id
        entries = self._state.load(key, owner)
        report = WatchPassReport(folder=key)
        failing_before = self._failing.get(key, {})
        failing_now: dict[str, str] = {}
        seen: set[str] = set()
        known_bad = {e.sha256: e for e in entries.values() if e.outcome == "turned_away"}
        now_ns = int(self._clock() * 1e9)

        def fail(rel: str, reason: str, detail: str = "") -> None:
            repeated = failing_before.get(rel) == reason
            failing_now[rel] = reason
            report.failed.append(WatchFailure(rel, reason, repeated=repeated))
            level = logging.DEBUG if repeated else logging.WARNING
            log.log(level, "watch failed file=%s: %s %s", rel, reason, detail)

        ready: list[tuple[str, Path, int, int]] = []
        for candidate in walk_paths([root]):
            rel = _relative(candidate.path, root)
            if candidate.hidden:
                report.hidden_skipped += 1
                continue
            seen.add(rel)
            if candidate.rejection:
                fail(rel, candidate.rejection)
                continue
            try:
                info = candidate.path.stat()
            except OSError as exc:
                fail(rel, f"It couldn't be read ({exc.strerror or 'input/output error'}).")
                continue
            size, mtime_ns = info.st_size, info.st_mtime_ns
            entry = entries.get(rel)
            if entry is not None and entry.outcome != "pending" and entry.same_stat(size, mtime_ns):
                report.unchanged += 1
                continue
            stable = entry is not None and entry.outcome == "pending"
            stable = stable and entry is not None and entry.same_stat(size, mtime_ns)
            if not (stable or now_ns - mtime_ns >= self._settle_ns):
                entries[rel] = _Entry(size, mtime_ns, "pending")
                report.waiting.append(rel)
                continue
            ready.append((rel, candidate.path, size, mtime_ns))

        total = len(ready)
        done = 0
        for rel, path, size, mtime_ns in ready:
            progress(done, total, path.name)
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            done += 1
            previous = entries.get(rel)
            try:
                sha256 = self._hasher(path)
            except OSError as exc:
                reason = (
                    "You don't have permission to read it."
                    if isinstance(exc, PermissionError)
                    else f"It couldn't be read ({exc.strerror or 'input/output error'})."
                )
                fail(rel, reason)
                continue
            if previous is not None and previous.outcome != "pending" and previous.sha256 == sha256:
                # Touched, not changed: same outcome, new size and mtime; nothing reported.
                entries[rel] = _Entry(
                    size, mtime_ns, previous.outcome, sha256, previous.reason, previous.gate_kind
                )
                report.unchanged += 1
                continue
            bad = known_bad.get(sha256)
            if bad is not None:
                entries[rel] = _Entry(
                    size, mtime_ns, "turned_away", sha256, bad.reason, bad.gate_kind
                )
                report.known_turned_away.append(
                    WatchedFile(rel, reason=bad.reason, gate_kind=bad.gate_kind)
                )
                continue
            outcome = self._import_one(rel, path, sha256, report, fail, cancel)
            if outcome is None:
                if report.cancelled:
                    break
                entries.pop(rel, None)
                continue
            try:
                after = path.stat()
            except OSError:
                entries.pop(rel, None)
                continue
            if not (after.st_size == size and after.st_mtime_ns == mtime_ns):
                # Changed while it was read: handled again once it settles.
                entries[rel] = _Entry(after.st_size, after.st_mtime_ns, "pending")
                continue
            entries[rel] = _Entry(size, mtime_ns, *outcome)
            if outcome[0] == "turned_away":
                known_bad[sha256] = entries[rel]
        progress(done, total, "")

        if not report.cancelled:
            # Entries of files gone from the folder (only after a complete walk).
            for rel in list(entries):
                if rel not in seen:
                    del entries[rel]
        self._failing[key] = failing_now
        self._state.save(key, owner, entries)
        return report

    def _import_one(
        self,
        rel: str,
        path: Path,
        sha256: str,
        report: WatchPassReport,
        fail: Callable[..., None],
        cancel: CancelToken | None,
    ) -> tuple[Outcome, str, str, str | None] | None:
        """Import one file: its outcome, hash, reason and gate kind to remember, or None (a
        failure, reported; or the import was cancelled)."""
        try:
            result = self._library.import_paths([path], cancel=cancel)
        except Exception as exc:  # one file's failure never stops the pass
            fail(rel, f"It couldn't be imported ({exc.__class__.__name__}).", repr(exc))
            return None
        if result.cancelled:
            report.cancelled = True
            return None
        if result.added:
            resume = result.added[0].resume
            report.imported.append(WatchedFile(rel, resume_id=resume.id))
            return ("imported", resume.content_sha256, "", None)
        for same in (*result.duplicates, *result.restored):
            report.duplicates.append(WatchedFile(rel, resume_id=same.existing_id))
            return ("duplicate", sha256, "", None)
        for repaired in result.repaired:
            report.duplicates.append(WatchedFile(rel, resume_id=repaired.existing_id))
            return ("duplicate", sha256, "", None)
        if result.rejected:
            rejected = result.rejected[0]
            if _is_transient(rejected.reason, result):
                fail(rel, rejected.reason)
                return None
            report.turned_away.append(
                WatchedFile(rel, reason=rejected.reason, gate_kind=rejected.gate_kind)
            )
            log.info("watch turned away file=%s kind=%s", rel, rejected.gate_kind)
            return ("turned_away", sha256, rejected.reason, rejected.gate_kind)
        fail(rel, "It was not imported (no outcome).")
        return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = [
    "DEFAULT_INTERVAL_SECONDS",
    "DEFAULT_SETTLE_SECONDS",
    "STATE_FILE_NAME",
    "FolderWatcher",
    "Importer",
    "WatchFailure",
    "WatchPassReport",
    "WatchState",
    "WatchedFile",
    "file_sha256",
    "state_path",
]
