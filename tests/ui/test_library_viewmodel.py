"""The library view-model without any widget: paging, search, import summary, trash and undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from recur_desktop.app import AppContext
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.library import LibraryViewModel, samples_folder
from tests.ui.conftest import write_resume


def loaded(vm: LibraryViewModel) -> bool:
    return vm.is_empty is not None and not vm.is_loading


def make_vm(qtbot, ctx: AppContext, runner: TaskRunner, **kwargs) -> LibraryViewModel:
    vm = LibraryViewModel(ctx.library, runner, search_delay_ms=10, **kwargs)
    vm.refresh()
    qtbot.waitUntil(lambda: loaded(vm))
    return vm


def test_first_start_is_empty(qtbot, ui_ctx: AppContext, runner: TaskRunner, qtmodeltester):
    vm = make_vm(qtbot, ui_ctx, runner)
    assert vm.is_empty is True
    assert vm.model.rowCount() == 0
    qtmodeltester.check(vm.model)


def test_import_summary_names_added_duplicates_and_rejections(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path], bad_files: list[Path]
):
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as first:
        vm.import_files(good_files[:2])
    assert sorted(first.args[0].added) == sorted(p.name for p in good_files[:2])

    copy = good_files[0].parent / "copy_of_ada.pdf"
    copy.write_bytes(good_files[0].read_bytes())
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as second:
        vm.import_files([copy, *good_files[2:], *bad_files])
    summary = second.args[0]
    assert sorted(summary.added) == sorted(p.name for p in good_files[2:])
    [dup] = summary.duplicates
    assert (dup.file_name, dup.existing_name) == ("copy_of_ada.pdf", good_files[0].name)
    assert {r.file_name for r in summary.rejected} == {p.name for p in bad_files}
    assert all(r.reason for r in summary.rejected)
    text = summary.as_text()
    assert "copy_of_ada.pdf (as ada_lovelace.pdf)" in text
    assert "locked.pdf: The PDF is password-protected" in text
    qtbot.waitUntil(lambda: vm.model.rowCount() == len(good_files))
    assert vm.is_empty is False


def test_rows_page_in_as_the_view_asks_and_match_the_service(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, tmp_path: Path
):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(7):
        write_resume(folder, f"person_{i}.txt", f"Person Number{i}", ["Python", f"Skill{i}"])
    vm = make_vm(qtbot, ui_ctx, runner, page_size=3)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files([folder])
    qtbot.waitUntil(lambda: vm.model.total == 7 and not vm.is_loading)
    assert vm.model.rowCount() == 3  # only the first page: nothing else was asked for
    while vm.model.canFetchMore(QModelIndex()):
        rows = vm.model.rowCount()
        vm.model.fetchMore(QModelIndex())
        vm.model.fetchMore(QModelIndex())  # a second ask for the same page is ignored
        qtbot.waitUntil(lambda rows=rows: vm.model.rowCount() > rows)
    assert vm.model.rowCount() == 7
    assert [r.id for r in vm.model.rows] == [r.id for r in _all_in_service(qtbot, ui_ctx, runner)]


def _all_in_service(qtbot, ctx: AppContext, runner: TaskRunner):
    """The service's own listing, fetched off the GUI thread like everything else."""
    from tests.ui.helpers import call_off_thread

    return call_off_thread(qtbot, runner, ctx.library.page, limit=100).items


def test_search_is_debounced_and_runs_off_the_gui_thread(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files(good_files)
    qtbot.waitUntil(lambda: vm.model.rowCount() == len(good_files))
    for partial_text in ("H", "Ho", "Hop", "Hopper"):
        vm.set_search(partial_text)
    with qtbot.waitSignal(vm.total_changed, timeout=5000) as found:
        pass
    assert found.args == [1]
    assert vm.model.record(0).candidate_name == "Grace Hopper"
    vm.set_search("kubernetes")  # full text, case-insensitive
    qtbot.waitUntil(
        lambda: vm.model.rowCount() == 1 and vm.model.record(0).file_name == "alan_turing.txt"
    )
    vm.set_search("")
    qtbot.waitUntil(lambda: vm.model.rowCount() == len(good_files))


def test_delete_moves_to_trash_and_undo_restores(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files(good_files[:2])
    qtbot.waitUntil(lambda: vm.model.rowCount() == 2)
    victim = vm.model.record(0)
    with qtbot.waitSignal(vm.trash_changed) as trashed:
        vm.delete([victim.id])
    assert trashed.args == [f"Moved “{victim.file_name}” to the trash.", True]
    qtbot.waitUntil(lambda: vm.model.rowCount() == 1)
    assert vm.can_undo
    with qtbot.waitSignal(vm.trash_changed) as restored:
        vm.undo_delete()
    assert restored.args[1] is False
    qtbot.waitUntil(lambda: vm.model.rowCount() == 2)


def test_sample_resumes_ship_with_the_app_and_import_cleanly(
    qtbot, ui_ctx: AppContext, runner: TaskRunner
):
    shipped = sorted(p.name for p in samples_folder().iterdir() if not p.name.startswith("."))
    assert len(shipped) >= 3
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as done:
        vm.load_samples()
    summary = done.args[0]
    assert sorted(summary.added) == shipped and not summary.rejected


def test_the_paged_model_passes_qt_model_checks_while_pages_arrive(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, tmp_path: Path, qtmodeltester
):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        write_resume(folder, f"person_{i}.txt", f"Person Number{i}", ["Python", f"Skill{i}"])
    vm = make_vm(qtbot, ui_ctx, runner, page_size=2)
    qtmodeltester.check(vm.model)  # stays attached: every later insert and reset is checked
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files([folder])
    qtbot.waitUntil(lambda: vm.model.total == 5 and not vm.is_loading)
    while vm.model.canFetchMore(QModelIndex()):
        rows = vm.model.rowCount()
        vm.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda rows=rows: vm.model.rowCount() > rows)
    with qtbot.waitSignal(vm.model.modelReset):
        vm.model.sort(0)  # the file name column: the service sorts, the list reloads
    qtbot.waitUntil(lambda: not vm.is_loading)
    while vm.model.canFetchMore(QModelIndex()):
        rows = vm.model.rowCount()
        vm.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda rows=rows: vm.model.rowCount() > rows)
    assert [r.file_name for r in vm.model.rows] == [f"person_{i}.txt" for i in range(5)]
    assert vm.sort_order == ("file_name", False)
    vm.model.sort(6, Qt.SortOrder.DescendingOrder)  # analyses: in memory, all rows are loaded
    assert vm.sort_order == ("file_name", False) and vm.model.rowCount() == 5
    qtmodeltester.check(vm.model)


class _Recording:
    """Records every ``page`` call's keyword arguments (calls run on the workers)."""

    def __init__(self, library) -> None:
        self._library = library
        self.calls: list[dict] = []

    def page(self, **kwargs):
        self.calls.append(kwargs)
        return self._library.page(**kwargs)

    def __getattr__(self, name):
        return getattr(self._library, name)


def test_later_pages_are_keyset_pages_without_a_count_and_sorting_goes_to_the_service(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, tmp_path: Path
):
    folder = tmp_path / "many"
    folder.mkdir()
    sizes = {}
    for i in range(7):
        path = write_resume(folder, f"p{i}.txt", f"Person Number{i}", ["Python"] * (i + 1))
        sizes[path.name] = path.stat().st_size
    library = _Recording(ui_ctx.library)
    vm = LibraryViewModel(library, runner, search_delay_ms=10, page_size=3)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files([folder])
    qtbot.waitUntil(lambda: vm.model.total == 7 and not vm.is_loading)
    # Largest first, by the service: the first page is right before the rest is loaded.
    with qtbot.waitSignal(vm.model.modelReset):
        vm.model.sort(4, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not vm.is_loading)
    by_size = sorted(sizes, key=lambda name: (-sizes[name], name))
    assert vm.model.rowCount() == 3 and vm.sort_order == ("size", True)
    assert [r.size_bytes for r in vm.model.rows] == sorted(sizes.values(), reverse=True)[:3]
    library.calls.clear()
    while vm.model.canFetchMore(QModelIndex()):
        rows = vm.model.rowCount()
        vm.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda rows=rows: vm.model.rowCount() > rows and not vm.is_loading)
    assert vm.model.rowCount() == 7
    assert [r.size_bytes for r in vm.model.rows] == [sizes[n] for n in by_size]
    assert library.calls and all(
        c["after"] is not None and c["with_total"] is False and c["sort"] == "size"
        for c in library.calls
    )
    assert "offset" not in library.calls[0]
    # A search keeps the order.
    vm.set_search("python")
    qtbot.waitUntil(lambda: not vm.is_loading and library.calls[-1].get("search") == "python")
    assert library.calls[-1]["sort"] == "size" and library.calls[-1]["descending"] is True


def test_the_trash_lists_deleted_resumes_to_restore_or_erase(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path]
):
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files(good_files[:3])
    qtbot.waitUntil(lambda: vm.model.rowCount() == 3)
    first, second = vm.model.record(0), vm.model.record(1)
    with qtbot.waitSignal(vm.trash_changed):
        vm.delete([first.id, second.id])
    vm.set_trash_mode(True)
    qtbot.waitUntil(
        lambda: not vm.is_loading and {r.id for r in vm.model.rows} == {first.id, second.id}
    )
    assert vm.is_empty is False  # the trash view never turns the library "empty"
    with qtbot.waitSignal(vm.trash_changed) as restored:
        vm.restore([first.id])
    assert restored.args == [f"Restored “{first.file_name}”.", False]
    qtbot.waitUntil(lambda: [r.id for r in vm.model.rows] == [second.id])
    with qtbot.waitSignal(vm.trash_changed, timeout=10_000) as erased:
        vm.empty_trash()
    assert erased.args == ["Erased 1 resume for good.", False]
    qtbot.waitUntil(lambda: vm.model.rowCount() == 0 and not vm.is_loading)
    vm.set_trash_mode(False)
    qtbot.waitUntil(lambda: vm.model.rowCount() == 2 and not vm.is_loading)


def test_the_original_file_comes_back_byte_for_byte(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, good_files: list[Path], tmp_path: Path
):
    vm = make_vm(qtbot, ui_ctx, runner)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000):
        vm.import_files(good_files[:1])
    qtbot.waitUntil(lambda: vm.model.rowCount() == 1)
    record = vm.model.record(0)
    with qtbot.waitSignal(vm.file_ready) as opened:
        vm.open_original(record.id)
    path, open_it = opened.args
    assert open_it and Path(path).name == record.file_name
    assert Path(path).read_bytes() == good_files[0].read_bytes()
    target = tmp_path / "copy.pdf"
    with qtbot.waitSignal(vm.file_ready) as saved:
        vm.save_copy(record.id, target)
    assert saved.args == [str(target), False]
    assert target.read_bytes() == good_files[0].read_bytes()


def test_a_stored_name_becomes_a_safe_file_name():
    from recur_desktop.text_safety import safe_file_name

    assert safe_file_name('cv: "final"/v2?.pdf', "application/pdf") == "cv_ _final__v2_.pdf"
    assert safe_file_name(" .. ", "text/plain") == "resume.txt"
