"""The history pane's view-model: one resume's analysis timeline (newest first), the detail of
the picked entry, the points of the score chart, and a preview of the document."""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from recur_desktop.domain import HistoryItem, ResultStatus, ResumeRecord
from recur_desktop.domain.provenance import describe_analyzer, split_analyzer
from recur_desktop.services import AnalysisService, LibraryService, NotFound
from recur_desktop.services.analysis import plain_session_name
from recur_desktop.services.preview import PageImage, PreviewService
from recur_desktop.text_safety import visible, visible_text
from recur_desktop.ui.tasks import TaskHandle, TaskRunner
from recur_desktop.ui.viewmodels.base import ViewModel
from recur_desktop.ui.viewmodels.library import type_label, unreadable_note
from recur_desktop.ui.viewmodels.tables import (
    RIGHT,
    Column,
    RecordTableModel,
    human_size,
    local_time,
    score_text,
)

#: Longest side of the rendered first page, in pixels: sharp at 2x in a half-screen pane.
PREVIEW_PIXELS = 1400
#: Text previews are cut here; the whole text is in the original file.
PREVIEW_CHARS = 20_000

TIMELINE_COLUMNS: list[Column[HistoryItem]] = [
    Column("When", lambda h: local_time(h.created_at), lambda h: h.created_at, width_chars=14),
    Column(
        "Job · session",
        # The When column has the date: a default session name's stamp would repeat it.
        lambda h: f"{h.context_label} · {plain_session_name(h.session_name)}",
        width_chars=24,
    ),
    Column(
        "Fit",
        lambda h: score_text(h.overall_fit_score) if h.status == ResultStatus.OK else "failed",
        lambda h: h.overall_fit_score,
        RIGHT,
        None,
        3,
    ),
    Column("Skills", lambda h: score_text(h.skill_match_score), None, RIGHT, None, 3),
]


@dataclass(frozen=True)
class ScorePoint:
    when: datetime
    overall: float
    skill_match: float
    #: The job (or "General"), as shown.
    label: str
    #: Which series the point belongs to: scores for different jobs are not comparable, so
    #: the chart never joins them. None is general analysis.
    job_id: uuid.UUID | None = None

    @property
    def day(self) -> str:
        """The local date, as the timeline shows it."""
        return local_time(self.when)[:10]


@dataclass(frozen=True)
class Preview:
    """Exactly one of ``image`` or ``text`` is set."""

    resume_id: uuid.UUID
    image: QImage | None = None
    text: str | None = None
    note: str = ""


def page_image(page: PageImage) -> QImage:
    """The rendered page's pixels as an image (made on the worker thread that rendered it)."""
    return QImage(
        page.pixels,
        page.width,
        page.height,
        page.stride,
        QImage.Format.Format_RGBA8888 if page.channels == 4 else QImage.Format.Format_RGB888,
    ).copy()  # own the pixels


def _load_preview(
    library: LibraryService, previews: PreviewService, resume_id: uuid.UUID
) -> Preview:
    resume = library.get(resume_id)
    if previews.has_page(resume):
        image = page_image(previews.first_page(resume_id, PREVIEW_PIXELS))
        return Preview(resume_id, image=image, note="First page")
    text = library.text_of(resume_id)
    note = "Extracted text"
    if not text.strip() and resume.extraction_error:
        return Preview(resume_id, text=visible(unreadable_note(resume)), note="No text")
    if len(text) > PREVIEW_CHARS:
        text, note = text[:PREVIEW_CHARS] + "\n…", f"First {PREVIEW_CHARS:,} characters"
    # The resume's text as its sender wrote it, except that no control or bidi character acts.
    return Preview(resume_id, text=visible_text(text), note=note)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def lines(text: str) -> str:
    """Escaped, with the analyzer's line breaks kept (and control or bidi characters shown)."""
    return "<br>".join(html.escape(visible(line)) for line in text.strip().splitlines())


def _e(text: str) -> str:
    """HTML-escaped, with control and bidi characters shown as escapes: job titles, session
    names and skills come from users and resumes."""
    return html.escape(visible(text))


#: Shown instead of a trashed resume's analyses (they come back with it).
IN_TRASH = "This resume is in the trash. Restore it to see its analyses."
#: Shown when the resume was erased while the pane showed it.
GONE = "This resume is no longer in the library."


def scored_by(item: HistoryItem) -> str:
    """The analyzer that produced the entry, in words (the CLI says the same)."""
    name, version = item.analyzer_name, item.analyzer_version
    if not name:  # a record from before the fields existed carries only "name version"
        name, version = split_analyzer(item.analyzer)
    return describe_analyzer(name, version, item.fallback_reason)


def detail_html(item: HistoryItem) -> str:
    """The picked entry in full: scores, skills, summary and reasoning. The date appears once
    (in local time): a default session name's UTC stamp is left out."""
    e = _e
    head = (
        f"<h3 style='margin:0'>{e(item.context_label)}</h3>"
        f"<p style='margin-top:2px'>{e(plain_session_name(item.session_name))}"
        f" · {e(local_time(item.created_at))}</p>"
        f"<p><b>{'Scored by' if item.status == ResultStatus.OK else 'Analyzer'}:</b> "
        f"{e(scored_by(item))}.</p>"
    )
    if item.status != ResultStatus.OK:
        return head + f"<p><b>Not scored:</b> {e(item.error or 'no reason recorded')}</p>"
    matched = ", ".join(item.matched_skills) or "none"
    missing = ", ".join(item.missing_skills) or "none"
    return (
        head + f"<p><b>Overall fit {score_text(item.overall_fit_score)}</b> · "
        f"skill match {score_text(item.skill_match_score)}</p>"
        f"<p><b>Matched:</b> {e(matched)}<br><b>Missing:</b> {e(missing)}</p>"
        f"<p>{lines(item.summary or '')}</p>"
        f"<p><b>Why:</b><br>{lines(item.reasoning or '')}</p>"
    )


class HistoryViewModel(ViewModel):
    #: Heading for the pane: file name, candidate, type and size ("" when nothing is picked).
    resume_changed = Signal(str)
    #: Why the picked resume can't be analysed (its text couldn't be read), or "".
    warning_changed = Signal(str)
    timeline_loaded = Signal(int)
    detail_changed = Signal(str)
    chart_changed = Signal(list)  # list[ScorePoint], oldest first
    preview_ready = Signal(object)  # Preview
    preview_failed = Signal(str)

    def __init__(
        self,
        analysis: AnalysisService,
        library: LibraryService,
        previews: PreviewService,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._analysis = analysis
        self._library = library
        self._previews = previews
        self.timeline: RecordTableModel[HistoryItem] = RecordTableModel(TIMELINE_COLUMNS, self)
        self._resume_id: uuid.UUID | None = None
        self._pending = 0
        #: The shown resume is in the trash (or gone): its preview was replaced by a message,
        #: so a restore must load the preview again.
        self._hidden = False
        #: A preview that arrived while hidden, shown if the history says it's back.
        self._held_preview: Preview | None = None

    @property
    def resume_id(self) -> uuid.UUID | None:
        return self._resume_id

    @property
    def is_loading(self) -> bool:
        return self._pending > 0

    @property
    def is_hidden(self) -> bool:
        """The picked resume is in the trash or no longer exists: nothing of it is shown."""
        return self._hidden

    def set_resume(self, resume_id: uuid.UUID | None) -> None:
        if resume_id == self._resume_id:
            return
        self._resume_id = resume_id
        self._hidden = False
        if resume_id is None:
            self.timeline.set_rows([])
            self.resume_changed.emit("")
            self.warning_changed.emit("")
            self.detail_changed.emit("")
            self.chart_changed.emit([])
            self.preview_failed.emit("Pick a resume to see its preview and analyses.")
            return
        self.reload(with_preview=True)

    @Slot()
    def reload(self, with_preview: bool = False) -> None:
        """Load the timeline again (after an import, a delete, a restore, a purge...)."""
        resume_id = self._resume_id
        if resume_id is None:
            return
        with_preview = with_preview or self._hidden
        self._pending += 1
        self._runner.submit(
            partial(self._analysis.history, resume_id),
            name="analysis.history",
            tag=resume_id,
            on_done=self._history_loaded,
            on_failed=self._history_failed,
        )
        if with_preview:
            self._pending += 1
            self._runner.submit(
                partial(_load_preview, self._library, self._previews, resume_id),
                name="library.preview",
                tag=resume_id,
                on_done=self._preview_loaded,
                on_failed=self._preview_failed,
            )

    def refresh_if_shown(self, resume_ids: list[uuid.UUID]) -> None:
        """After a run: reload when the shown resume was part of it."""
        if self._resume_id is not None and self._resume_id in resume_ids:
            self.reload()

    @Slot(object, object)
    def _history_loaded(
        self, task: TaskHandle, loaded: tuple[ResumeRecord, list[HistoryItem]]
    ) -> None:
        self._pending -= 1
        if task.tag != self._resume_id:
            return
        resume, items = loaded
        if resume.deleted_at is not None:
            # Trashed while shown (or picked from the trash view): its analyses are not for
            # use until it is restored, so the pane says where it is instead of showing them.
            self._hide(f"{visible(resume.file_name)} · in the trash", IN_TRASH)
            return
        self._hidden = False
        held, self._held_preview = self._held_preview, None
        if held is not None and held.resume_id == resume.id:
            self.preview_ready.emit(held)  # the preview of a restore beat its history
        self.timeline.set_rows(items)
        who = f" · {visible(resume.candidate_name)}" if resume.candidate_name else ""
        self.resume_changed.emit(
            f"{visible(resume.file_name)}{who} · {type_label(resume.media_type)}, "
            f"{human_size(resume.size_bytes)} · {plural(len(items), 'analysis', 'analyses')}"
        )
        self.chart_changed.emit(
            [
                ScorePoint(
                    item.created_at,
                    item.overall_fit_score or 0.0,
                    item.skill_match_score or 0.0,
                    visible(item.context_label),
                    item.job_posting_id,
                )
                for item in reversed(items)
                if item.status == ResultStatus.OK
            ]
        )
        self.warning_changed.emit(visible(unreadable_note(resume)))
        self.timeline_loaded.emit(len(items))
        self.select_entry(0)

    def _hide(self, heading: str, message: str) -> None:
        self._hidden = True
        self.timeline.set_rows([])
        self.resume_changed.emit(heading)
        self.warning_changed.emit("")
        self.chart_changed.emit([])
        self.detail_changed.emit(f"<p>{html.escape(message)}</p>")
        self.preview_failed.emit(message)
        self.timeline_loaded.emit(0)

    @Slot(object, object)
    def _history_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._pending -= 1
        if task.tag != self._resume_id:
            return
        if isinstance(exc, NotFound):  # erased (purged) while shown: not an error to report
            self._hide("", GONE)
            return
        self.report(exc, doing="loading the history", retry=self.reload)

    def select_entry(self, row: int) -> None:
        if self._hidden:
            return
        item = self.timeline.record(row)
        if item is None:
            self.detail_changed.emit(
                "<p>No analysis yet. Pick a job in the Session tab and run Analyze.</p>"
                if self._resume_id
                else ""
            )
            return
        self.detail_changed.emit(detail_html(item))

    @Slot(object, object)
    def _preview_loaded(self, task: TaskHandle, preview: Preview) -> None:
        self._pending -= 1
        if task.tag != self._resume_id:
            return
        if self._hidden:
            self._held_preview = preview
        else:
            self.preview_ready.emit(preview)

    @Slot(object, object)
    def _preview_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._pending -= 1
        if task.tag != self._resume_id or self._hidden:
            return
        from recur_desktop.ui.errors import describe

        self.preview_failed.emit(f"No preview: {describe(exc, doing='preview').message}")
