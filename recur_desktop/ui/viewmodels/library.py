"""The library pane's view-model: the paged resume table, search, import, trash, undo and
erasure."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from recur_desktop.domain import CancelToken, Page, Progress, ResumeRecord
from recur_desktop.domain.media import short_label
from recur_desktop.resources import resources_dir
from recur_desktop.services import LibraryService
from recur_desktop.text_safety import (
    extension_for,
    safe_file_name,
    visible,
    with_safe_extension,
)
from recur_desktop.ui.icons import icon
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.base import ViewModel
from recur_desktop.ui.viewmodels.import_summary import ImportSummary, summarize
from recur_desktop.ui.viewmodels.tables import (
    RIGHT,
    Column,
    RecordTableModel,
    human_size,
    local_time,
)


def type_label(media_type: str) -> str:
    """PDF, DOCX, Text: the one map of short labels, as the command line shows them."""
    return short_label(media_type)


def unreadable_note(record: ResumeRecord) -> str:
    """Why a resume's text is missing (a migrated file the app couldn't read), or ""."""
    if not record.extraction_error:
        return ""
    return (
        f"Its text couldn't be read ({record.extraction_error.rstrip('.')}), so analyses of it "
        "fail. Open the original to read it."
    )


def _file_tooltip(record: ResumeRecord) -> str:
    note = unreadable_note(record)
    name = visible(record.file_name)  # the model keeps line breaks in tooltips: escape here
    return f"{name}\n{visible(note)}" if note else name


RESUME_COLUMNS: list[Column[ResumeRecord]] = [
    Column(
        "File",
        lambda r: r.file_name,
        width_chars=22,
        tooltip=_file_tooltip,
        decoration=lambda r: icon("warning") if r.extraction_error else None,
    ),
    Column("Candidate", lambda r: r.candidate_name or "", width_chars=13),
    Column("Email", lambda r: r.candidate_email or "", width_chars=18),
    Column("Type", lambda r: type_label(r.media_type), width_chars=4),
    Column("Size", lambda r: human_size(r.size_bytes), lambda r: r.size_bytes, RIGHT, None, 5),
    Column(
        "Added",
        lambda r: local_time(r.created_at)[:10],
        lambda r: r.created_at,
        tooltip=lambda r: local_time(r.created_at),
        width_chars=10,
    ),
    Column("Analyses", lambda r: str(r.analysis_count), lambda r: r.analysis_count, RIGHT, None, 3),
]
ADDED_COLUMN = 5
#: Columns the service orders by (an index each): sorting them reloads from the service.
SERVICE_SORTS = {0: "file_name", 4: "size", ADDED_COLUMN: "added"}
#: The service's default order when nothing else is asked for.
DEFAULT_SORT = ("added", True)


def _run_import(
    library: LibraryService,
    paths: Sequence[str],
    accept_any: bool = False,
    *,
    progress: Progress,
    cancel: CancelToken,
) -> ImportSummary:
    """Worker side of an import: the service call, summarized for the recruiter."""
    report = library.import_paths(paths, accept_any=accept_any, progress=progress, cancel=cancel)
    return summarize(report)


#: What the Erase dialog accepts besides the candidate's name (and the only word when the
#: resume names no candidate).
ERASE_WORD = "ERASE"


def _typed(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class EraseRequest:
    """What the Erase dialog says, and what the recruiter must type before it erases.

    Names are escaped for display (:func:`visible`). Typing the candidate's name (spaces and
    case aside) or ERASE confirms: a deliberate act, not a reflex click on a Yes button.
    """

    resume_id: uuid.UUID
    file_name: str
    candidate_name: str
    analysis_count: int
    in_trash: bool

    def confirmed_by(self, typed: str) -> bool:
        answer = _typed(typed)
        if not answer:
            return False
        return answer == _typed(ERASE_WORD) or (
            bool(self.candidate_name) and answer == _typed(self.candidate_name)
        )


def _delete_all(library: LibraryService, ids: Sequence[uuid.UUID]) -> list[ResumeRecord]:
    return [library.delete(resume_id) for resume_id in ids]


def _restore_all(library: LibraryService, ids: Sequence[uuid.UUID]) -> list[ResumeRecord]:
    return [library.restore(resume_id) for resume_id in ids]


def _empty_trash(
    library: LibraryService, *, progress: Progress, cancel: CancelToken
) -> list[uuid.UUID]:
    return library.purge(older_than_days=0, progress=progress, cancel=cancel)


def copy_name(record: ResumeRecord) -> str:
    """The name a copy of ``record`` gets (Open) or is offered under (Save a copy): the
    original name cleaned of control and bidi characters, ending in the extension of the type
    sniffed at import (:func:`recur_desktop.text_safety.safe_file_name`)."""
    return safe_file_name(record.file_name, record.media_type)


def _write_copy(library: LibraryService, resume_id: uuid.UUID, target: Path | None) -> Path:
    """The original bytes (from the store: a download for S3) written to ``target``, or to a
    fresh temporary folder under a safe name when ``target`` is None (for opening).

    Either way the file ends in the sniffed type's extension: a resume sent as ``cv.hta`` or
    ``cv\u202efdp.exe`` is a text file or a PDF to us, and the desktop must open it as one. A
    name typed in the Save dialog with another ending gets the right one appended (``cv.exe``
    becomes ``cv.exe.pdf``) rather than being refused: the recruiter sees it in the notice.
    """
    record = library.get(resume_id)
    data = library.read_bytes(resume_id)
    if target is None:
        folder = Path(tempfile.mkdtemp(prefix="recur-open-"))
        target = folder / copy_name(record)
    else:
        target = target.with_name(with_safe_extension(target.name, record.media_type))
    target.write_bytes(data)
    return target


def samples_folder() -> Path:
    return resources_dir() / "samples"


class LibraryViewModel(ViewModel):
    total_changed = Signal(int)
    #: The library holds no resume at all (not merely none matching a search).
    empty_changed = Signal(bool)
    loading_changed = Signal(bool)
    import_started = Signal()
    import_progress = Signal(int, int, str)
    import_finished = Signal(object)  # ImportSummary
    importing_changed = Signal(bool)
    #: Resumes were added, trashed, restored or erased: other panes' lists may be stale.
    library_changed = Signal()
    #: (message, can_undo) after a delete or an undo.
    trash_changed = Signal(str, bool)
    #: The list shows the trash (True) or the library (False).
    trash_mode_changed = Signal(bool)
    #: A copy of an original file was written: (path, open_it).
    file_ready = Signal(str, bool)
    #: A resume was erased for good: its id.
    erased = Signal(object)

    PAGE_SIZE = 200
    SEARCH_DELAY_MS = 250

    def __init__(
        self,
        library: LibraryService,
        runner: TaskRunner,
        *,
        page_size: int = PAGE_SIZE,
        search_delay_ms: int = SEARCH_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._library = library
        self._page_size = page_size
        self.model: RecordTableModel[ResumeRecord] = RecordTableModel(
            RESUME_COLUMNS,
            self,
            natural_order=(ADDED_COLUMN, Qt.SortOrder.DescendingOrder),
            server_sorts=SERVICE_SORTS,
        )
        self.model.more_requested.connect(self._fetch_more)
        self.model.server_sort_requested.connect(self.set_sort)
        self.model.sort_deferred.connect(self.notice)
        self.model.reload_requested.connect(self.refresh)
        self._search = ""
        self._sort: tuple[str, bool] = DEFAULT_SORT
        #: Keyset of the next page (the service's ``next_after``), None at the end.
        self._next_after: tuple[Any, uuid.UUID] | None = None
        self._generation = 0
        self._loading = 0
        self._empty: bool | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(search_delay_ms)
        self._search_timer.timeout.connect(self.refresh)
        self._import: TaskHandle | None = None
        #: Drops waiting for the running import: (paths, accept_any).
        self._queued_imports: list[tuple[list[str], bool]] = []
        self._last_deleted: list[uuid.UUID] = []
        self._trash_mode = False

    # ------------------------------------------------------------- listing
    @property
    def search_text(self) -> str:
        return self._search

    @property
    def is_empty(self) -> bool | None:
        """None until the first page arrived."""
        return self._empty

    @property
    def is_loading(self) -> bool:
        return self._loading > 0

    def set_search(self, text: str) -> None:
        """Debounced: the query runs once typing pauses, off the GUI thread."""
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self._search_timer.start()

    @property
    def sort_order(self) -> tuple[str, bool]:
        """The service order the list is in: (key, descending)."""
        return self._sort

    @Slot(str, bool)
    def set_sort(self, key: str, descending: bool) -> None:
        """Order by a column the service indexes ("added", "file_name", "size"): reloads."""
        if (key, descending) != self._sort:
            self._sort = (key, descending)
            self.refresh()

    def _page_call(
        self,
        *,
        offset: int | None = None,
        after: tuple[Any, uuid.UUID] | None = None,
        with_total: bool | None = None,
    ) -> partial[Page[ResumeRecord]]:
        """The service call for a page; arguments left None are left to the service."""
        key, descending = self._sort
        call = partial(
            self._library.page,
            search=self._search or None,
            limit=self._page_size,
            trashed=self._trash_mode,
            sort=key,
            descending=descending,
        )
        if offset is not None:
            call = partial(call, offset=offset)
        if after is not None:
            call = partial(call, after=after)
        if with_total is not None:
            call = partial(call, with_total=with_total)
        return call

    @Slot()
    def refresh(self) -> None:
        """Reload the first page for the current search; older answers are ignored."""
        self._search_timer.stop()
        self._generation += 1
        self._set_loading(+1)
        self._runner.submit(
            self._page_call(),
            name="library.page",
            tag=(self._generation, 0),
            on_done=self._first_page_loaded,
            on_failed=self._page_failed,
        )

    @Slot(object, object)
    def _first_page_loaded(self, task: TaskHandle, page: Page[ResumeRecord]) -> None:
        self._set_loading(-1)
        if task.tag[0] != self._generation:
            return
        self._next_after = page.next_after
        total = page.total if page.total is not None else len(page.items)
        self.model.set_rows(page.items, total)
        self.total_changed.emit(total)
        if not self._search and not self._trash_mode:
            empty = total == 0
            if empty != self._empty:
                self._empty = empty
                self.empty_changed.emit(empty)

    @Slot(int)
    def _fetch_more(self, offset: int) -> None:
        """The next page after the last row shown: a keyset page (read from an index, however
        deep the scroll), without counting again."""
        self._set_loading(+1)
        if self._next_after is not None:
            call = self._page_call(after=self._next_after, with_total=False)
        else:  # the shown rows did not come from a keyset page: fall back to the offset
            call = self._page_call(offset=offset, with_total=False)
        self._runner.submit(
            call,
            name="library.page",
            tag=(self._generation, offset),
            on_done=self._next_page_loaded,
            on_failed=self._page_failed,
        )

    @Slot(object, object)
    def _next_page_loaded(self, task: TaskHandle, page: Page[ResumeRecord]) -> None:
        self._set_loading(-1)
        generation, offset = task.tag
        if generation != self._generation:
            return
        # The last page (no next keyset) says where the list ends.
        total = offset + len(page.items) if page.next_after is None else page.total
        # Set before inserting: the view may ask for the following page from inside the insert.
        previous, self._next_after = self._next_after, page.next_after
        if not self.model.append_page(offset, page.items, total):
            self._next_after = previous  # a stale page: nothing changed

    @Slot(object, object)
    def _page_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._set_loading(-1)
        generation, offset = task.tag
        if generation != self._generation:
            return
        self.model.page_failed(offset)
        self.report(exc, doing="loading the library", retry=self.refresh)

    def _set_loading(self, delta: int) -> None:
        was = self._loading > 0
        self._loading += delta
        if was != (self._loading > 0):
            self.loading_changed.emit(self._loading > 0)

    # ------------------------------------------------------------- import
    @property
    def is_importing(self) -> bool:
        return self._import is not None

    def import_files(self, paths: Iterable[str | Path], *, accept_any: bool = False) -> None:
        """Import files and folders; a drop during a running import waits its turn.

        ``accept_any`` lets in what the resume gate would turn away (never what the size, page
        and text limits refuse): "Import anyway" in the summary.
        """
        batch = [str(p) for p in paths]
        if not batch:
            return
        if self._import is not None:
            self._queued_imports.append((batch, accept_any))
            self.notice.emit(f"{len(batch)} more item(s) will be imported next.")
            return
        self._start_import(batch, accept_any)

    @Slot(list)
    def import_anyway(self, paths: Sequence[str]) -> None:
        """Import exactly these files (the ones the gate turned away) past the resume gate."""
        self.import_files(paths, accept_any=True)

    def load_samples(self) -> None:
        self.import_files([samples_folder()])

    def cancel_import(self) -> None:
        """Stop after the current file; queued drops are dropped too."""
        self._queued_imports.clear()
        if self._import is not None:
            self._import.cancel()

    def _start_import(self, paths: list[str], accept_any: bool = False) -> None:
        self._import = self._runner.submit(
            partial(_run_import, self._library, paths, accept_any),
            name="library.import",
            long=True,
            on_progress=self._import_progressed,
            on_done=self._import_done,
            on_failed=self._import_failed,
        )
        self.import_started.emit()
        self.importing_changed.emit(True)

    @Slot(object, int, int, str)
    def _import_progressed(self, task: TaskHandle, done: int, total: int, note: str) -> None:
        self.import_progress.emit(done, total, visible(note))  # the note is a file name

    @Slot(object, object)
    def _import_done(self, task: TaskHandle, summary: ImportSummary) -> None:
        self._import_ended()
        self.import_finished.emit(summary)
        if summary.added or summary.duplicates or summary.restored or summary.repaired:
            self.library_changed.emit()
        self.refresh()
        self._next_import()

    @Slot(object, object)
    def _import_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._import_ended()
        self.report(exc, doing="importing", retry=None)
        self.refresh()
        self._next_import()

    def _import_ended(self) -> None:
        self._import = None
        self.importing_changed.emit(False)

    def _next_import(self) -> None:
        if self._queued_imports and self._import is None:
            self._start_import(*self._queued_imports.pop(0))

    # ------------------------------------------------------------- trash
    @property
    def can_undo(self) -> bool:
        return bool(self._last_deleted)

    def delete(self, ids: Sequence[uuid.UUID]) -> None:
        """Move to the trash (history kept); Undo brings them back."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return
        self._runner.submit(
            partial(_delete_all, self._library, ids),
            name="library.delete",
            on_done=self._deleted,
            on_failed=self._trash_failed,
        )

    def undo_delete(self) -> None:
        ids, self._last_deleted = self._last_deleted, []
        if not ids:
            return
        self._runner.submit(
            partial(_restore_all, self._library, ids),
            name="library.restore",
            on_done=self._restored,
            on_failed=self._trash_failed,
        )

    @Slot(object, object)
    def _deleted(self, task: TaskHandle, records: list[ResumeRecord]) -> None:
        self._last_deleted = [r.id for r in records]
        what = (
            f"“{visible(records[0].file_name)}”" if len(records) == 1 else f"{len(records)} resumes"
        )
        self.trash_changed.emit(f"Moved {what} to the trash.", True)
        self.library_changed.emit()
        self.refresh()

    @Slot(object, object)
    def _restored(self, task: TaskHandle, records: list[ResumeRecord]) -> None:
        what = (
            f"“{visible(records[0].file_name)}”" if len(records) == 1 else f"{len(records)} resumes"
        )
        self.trash_changed.emit(f"Restored {what}.", False)
        self.library_changed.emit()
        self.refresh()

    @Slot(object, object)
    def _trash_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self.report(exc, doing="moving to the trash", retry=None)
        self.refresh()

    @property
    def trash_mode(self) -> bool:
        return self._trash_mode

    def set_trash_mode(self, on: bool) -> None:
        """Show the trash (to restore or empty it) instead of the library."""
        if on == self._trash_mode:
            return
        self._trash_mode = on
        self.trash_mode_changed.emit(on)
        self.refresh()

    def restore(self, ids: Sequence[uuid.UUID]) -> None:
        ids = list(dict.fromkeys(ids))
        if ids:
            self._runner.submit(
                partial(_restore_all, self._library, ids),
                name="library.restore",
                on_done=self._restored,
                on_failed=self._trash_failed,
            )

    def empty_trash(self) -> None:
        """Erase everything in the trash for good: rows first, then the stored files."""
        self._runner.submit(
            partial(_empty_trash, self._library),
            name="library.purge",
            long=True,
            on_done=self._trash_emptied,
            on_failed=self._trash_failed,
        )

    @Slot(object, object)
    def _trash_emptied(self, task: TaskHandle, purged: list[uuid.UUID]) -> None:
        self._last_deleted = [i for i in self._last_deleted if i not in set(purged)]
        noun = "resume" if len(purged) == 1 else "resumes"
        self.trash_changed.emit(f"Erased {len(purged)} {noun} for good.", False)
        # Their analyses went with them: the history and session results must not show them.
        self.library_changed.emit()
        self.refresh()

    # ------------------------------------------------------------- erasure
    def erase_request(self, resume_id: uuid.UUID) -> EraseRequest | None:
        """What the Erase dialog shows for a listed resume (library or trash), or None when
        it isn't listed. Read from the rows already loaded: no service call."""
        record = next((r for r in self.model.rows if r.id == resume_id), None)
        if record is None:
            return None
        return EraseRequest(
            resume_id=record.id,
            file_name=visible(record.file_name),
            candidate_name=visible(record.candidate_name or ""),
            analysis_count=record.analysis_count,
            in_trash=record.deleted_at is not None,
        )

    @Slot(object)
    def erase(self, resume_id: uuid.UUID) -> None:
        """Erase one resume for good (an erasure request): rows, then its stored file, off
        the GUI thread. Only after the recruiter confirmed in the Erase dialog."""
        self._runner.submit(
            partial(self._library.erase, resume_id),
            name="library.erase",
            on_done=self._erased,
            on_failed=self._erase_failed,
        )

    @Slot(object, object)
    def _erased(self, task: TaskHandle, record: ResumeRecord) -> None:
        self._last_deleted = [i for i in self._last_deleted if i != record.id]
        self.trash_changed.emit(f"Erased “{visible(record.file_name)}” for good.", False)
        self.erased.emit(record.id)
        # Its analyses went with it: the history and session results must not show them.
        self.library_changed.emit()
        self.refresh()

    @Slot(object, object)
    def _erase_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self.report(exc, doing="erasing the resume", retry=None)
        self.refresh()

    # ------------------------------------------------------------- originals
    def open_original(self, resume_id: uuid.UUID) -> None:
        """Fetch the original (downloading it from S3) to a temporary file, then open it."""
        self._runner.submit(
            partial(_write_copy, self._library, resume_id, None),
            name="library.open",
            tag=True,
            on_done=self._copy_written,
            on_failed=self._copy_failed,
        )

    def save_copy(self, resume_id: uuid.UUID, target: str | Path) -> None:
        self._runner.submit(
            partial(_write_copy, self._library, resume_id, Path(target)),
            name="library.save_copy",
            tag=False,
            on_done=self._copy_written,
            on_failed=self._copy_failed,
        )

    @Slot(object, object)
    def _copy_written(self, task: TaskHandle, path: Path) -> None:
        if not task.tag:
            self.notice.emit(f"Saved a copy as {visible(str(path))}.")
        self.file_ready.emit(str(path), bool(task.tag))

    @Slot(object, object)
    def _copy_failed(self, task: TaskHandle, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            reason = visible(str(exc.strerror or exc))
            self.problem.emit(f"The file couldn't be written: {reason}.", False)
        else:
            self.report(exc, doing="fetching the original", retry=None)

    # ------------------------------------------------------------- helpers for views
    def record_at(self, row: int) -> ResumeRecord | None:
        return self.model.record(row)

    def save_copy_suggestion(self, resume_id: uuid.UUID) -> tuple[str, str] | None:
        """(file name, dialog filter) to offer in the Save dialog for a listed resume, or None
        when it isn't listed. Both follow the sniffed type, never the sender's name."""
        record = next((r for r in self.model.rows if r.id == resume_id), None)
        if record is None:
            return None
        extension = extension_for(record.media_type)
        label = type_label(record.media_type)
        return copy_name(record), f"{label} (*{extension})"

    def shutdown(self) -> None:
        self._search_timer.stop()
        self.cancel_import()
