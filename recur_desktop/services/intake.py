"""What an import reads and how it knows to stop: walking dropped files and folders (hidden and
temporary files counted, symlinks and devices reported, never followed), reading a file within
the size limit, staging rows for group commits, and counting the files in a row lost to an
outage of storage or of the database. Plain Python, no I/O beyond the files dropped."""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from recur_desktop.services.errors import DatabaseTimeout, DatabaseUnavailable

T = TypeVar("T")

# Files the desktop and office suites leave beside documents; importing a folder skips them
# (and counts them, so a recruiter who wonders where a file went can see it was passed over).
_SKIPPED_PREFIXES = (".", "~$")
_SKIPPED_NAMES = frozenset({"thumbs.db", "desktop.ini"})  # compared case-folded, as Windows does


def is_hidden_name(name: str) -> bool:
    """Hidden or temporary: dot-files, Office ``~$`` lock files, Thumbs.db, desktop.ini."""
    return name.startswith(_SKIPPED_PREFIXES) or name.casefold() in _SKIPPED_NAMES


def hidden_skipped_note(count: int) -> str:
    """The words the window's and the command line's summaries use (3 hidden files skipped)."""
    return f"{count} hidden {'file' if count == 1 else 'files'} skipped"


@dataclass(frozen=True)
class Candidate:
    path: Path
    rejection: str | None = None
    #: A hidden or temporary file inside a folder: counted, never read.
    hidden: bool = False


def walk_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Candidate]:
    """Every file under ``paths``, lazily: symlinks and special files are reported, not followed."""
    for raw in paths:
        yield from _walk(Path(raw), explicit=True)


def _walk(path: Path, *, explicit: bool) -> Iterator[Candidate]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        yield Candidate(path, "It doesn't exist (it may have been moved or deleted).")
        return
    except PermissionError:
        yield Candidate(path, "You don't have permission to read it.")
        return
    except OSError as exc:
        yield Candidate(path, f"It couldn't be read ({os.strerror(exc.errno or errno.EIO)}).")
        return
    if stat.S_ISLNK(info.st_mode):
        yield Candidate(
            path, "It is a shortcut (symbolic link); import the file it points to instead."
        )
    elif stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if is_hidden_name(entry.name):
                        # A hidden folder (.git) is passed over whole, and counted once.
                        yield Candidate(Path(entry.path), hidden=True)
                        continue
                    yield from _walk(Path(entry.path), explicit=False)
        except PermissionError:
            yield Candidate(path, "You don't have permission to open this folder.")
        except OSError as exc:
            yield Candidate(path, f"The folder couldn't be read ({exc.strerror}).")
    elif stat.S_ISREG(info.st_mode):
        yield Candidate(path)
    else:
        yield Candidate(path, "It is not a regular file (a device, pipe or socket).")


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes, without following a symlink swapped in after the walk."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit + 1)


#: An import stops after this many files in a row were lost to an outage of storage or of the
#: database: with storage frozen each file costs up to ~50 s (storage/s3.py CALL_BUDGET_S), with
#: the database locked up to a lock or statement timeout, so a 200-file drop would take hours
#: to fail file by file. Any file that gets through resets the count.
OUTAGE_STOP_AFTER = 3

# Storage codes that say the store itself is down, not that this one file had a problem
# (bad_digest, access_denied, busy ... come back quickly, so they don't cost the batch).
_STORAGE_OUTAGE_CODES = frozenset({"timeout", "unreachable"})


def _files(count: int) -> str:
    return "the remaining file was" if count == 1 else f"the remaining {count} files were"


def storage_stopped_reason(count: int) -> str:
    """The one sentence every file left out by a storage outage is reported with."""
    return (
        f"File storage isn't answering; {_files(count)} not imported. "
        "Nothing was lost; try again later."
    )


def database_stopped_reason(count: int, *, timed_out: bool) -> str:
    """The one sentence every file left out by a database outage is reported with."""
    cause = "The database didn't answer in time" if timed_out else "The database isn't answering"
    return f"{cause}; {_files(count)} not imported. Nothing was lost; try again later."


class Outages:
    """Counts the files in a row lost to an outage; past OUTAGE_STOP_AFTER the import stops.

    The storage count is written only on the upload thread (uploads run there in file order),
    the database count only on the import thread; each side reads the other's to stop early.
    """

    def __init__(self, limit: int = OUTAGE_STOP_AFTER) -> None:
        self.limit = limit
        self.storage = 0
        self.storage_code = ""
        self.database = 0
        self.database_timed_out = False
        #: Files left out once the import stopped: never uploaded, or uploaded with no row.
        self.left_out: list[Path] = []

    def storage_answered(self) -> None:
        # Any answer, even a per-file refusal, proves the store is up.
        self.storage = 0

    def storage_failed(self, code: str) -> None:
        if code in _STORAGE_OUTAGE_CODES:
            self.storage += 1
            self.storage_code = code
        else:
            self.storage = 0

    def database_wrote(self) -> None:
        # Only a commit resets: lookups can pass while inserts wait on a lock.
        self.database = 0

    def database_failed(self, files: int, error: DatabaseUnavailable) -> None:
        self.database += files
        self.database_timed_out = isinstance(error, DatabaseTimeout)

    @property
    def storage_down(self) -> bool:
        return self.storage >= self.limit

    @property
    def database_down(self) -> bool:
        return self.database >= self.limit

    @property
    def stopping(self) -> bool:
        return self.storage_down or self.database_down

    def reason(self) -> str:
        count = len(self.left_out)
        if self.storage_down:
            return storage_stopped_reason(count)
        return database_stopped_reason(count, timed_out=self.database_timed_out)


class Batch(Generic[T]):
    """Rows whose objects are stored, waiting for their commit (one transaction per group)."""

    def __init__(self) -> None:
        self._staged: list[T] = []
        self.started = time.monotonic()

    def __len__(self) -> int:
        return len(self._staged)

    def add(self, prepared: T) -> None:
        if not self._staged:
            self.started = time.monotonic()
        self._staged.append(prepared)

    def take(self) -> list[T]:
        staged, self._staged = self._staged, []
        return staged
