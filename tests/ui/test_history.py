"""The history pane's preview: PDFs rendered off the GUI thread under the PDFium lock, text
for everything else."""

from __future__ import annotations

from pathlib import Path

from recur_desktop.app import AppContext
from recur_desktop.extraction.extract import PDFIUM_LOCK
from recur_desktop.services.preview import PreviewService
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.history import HistoryViewModel, Preview
from recur_desktop.ui.viewmodels.library import LibraryViewModel


def imported(qtbot, ctx: AppContext, runner: TaskRunner, files: list[Path]) -> dict[str, object]:
    library = LibraryViewModel(ctx.library, runner)
    with qtbot.waitSignal(library.import_finished, timeout=20_000):
        library.import_files(files)
    qtbot.waitUntil(lambda: library.model.rowCount() == len(files))
    return {r.file_name: r.id for r in library.model.rows}


def test_a_pdf_preview_is_its_first_page_rendered_under_the_pdfium_lock(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    ids = imported(qtbot, ui_ctx, runner, good_files)
    vm = HistoryViewModel(ui_ctx.analysis, ui_ctx.library, PreviewService(ui_ctx.library), runner)
    previews: list[Preview] = []
    vm.preview_ready.connect(previews.append)
    with PDFIUM_LOCK:  # while the GUI thread holds it, no page can be rendered
        with qtbot.waitSignal(vm.timeline_loaded):
            vm.set_resume(ids["ada_lovelace.pdf"])
        assert not previews
    qtbot.waitUntil(lambda: bool(previews))
    [preview] = previews
    assert preview.image is not None and not preview.image.isNull()
    assert preview.image.height() > preview.image.width() > 500  # an A4 page, portrait
    assert preview.text is None


def test_docx_and_text_previews_show_the_extracted_text(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    ids = imported(qtbot, ui_ctx, runner, good_files)
    vm = HistoryViewModel(ui_ctx.analysis, ui_ctx.library, PreviewService(ui_ctx.library), runner)
    for name, person in (("grace_hopper.docx", "Grace Hopper"), ("alan_turing.txt", "Alan Turing")):
        with qtbot.waitSignal(vm.preview_ready) as ready:
            vm.set_resume(ids[name])
        preview = ready.args[0]
        assert preview.image is None and person in (preview.text or "")
    with qtbot.waitSignal(vm.resume_changed) as heading:
        vm.set_resume(None)
    assert heading.args == [""]


def test_the_pane_shows_the_preview_and_a_chart_without_scores(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    from recur_desktop.ui.views.history_pane import HistoryPane

    ids = imported(qtbot, ui_ctx, runner, good_files)
    vm = HistoryViewModel(ui_ctx.analysis, ui_ctx.library, PreviewService(ui_ctx.library), runner)
    pane = HistoryPane(vm)
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    vm.set_resume(ids["katherine_johnson.pdf"])
    qtbot.waitUntil(lambda: pane.preview.image is not None)
    assert pane.preview.page.pixmap() is not None and not pane.preview.page.pixmap().isNull()
    assert pane.heading.text().startswith("katherine_johnson.pdf · Katherine Johnson · PDF")
    assert "No analysis yet" in pane.detail.toPlainText()
    assert pane.chart.points == []
    pane.chart.grab()  # paints the empty chart without error
