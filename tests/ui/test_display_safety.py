"""Hostile names and secrets in the window: tables show escapes, Open and Save write files named
by the sniffed type, errors never show a password, and About warns about a server that doesn't
check passwords."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from recur_desktop.app import AppContext, build_profile_service
from recur_desktop.credentials import DATABASE_PASSWORD, SecretStore
from recur_desktop.services import ServiceError
from recur_desktop.services.doctor import TRUST_WARNING
from recur_desktop.settings import Settings
from recur_desktop.storage import StorageError
from recur_desktop.text_safety import HIDDEN_CATEGORIES
from recur_desktop.ui.tasks import TaskRunner
from recur_desktop.ui.viewmodels.library import LibraryViewModel
from recur_desktop.ui.viewmodels.settings import ProfileDraft, SettingsViewModel
from recur_desktop.ui.views.main_window import MainWindow
from tests import samples
from tests.ui.test_settings import MemoryKeyring

HOSTILE = "a\x1b[31mred\u202eexe.pdf\nx"
HOSTILE_SHOWN = "a\\x1b[31mred\\u202eexe.pdf\\nx"
PASSWORD = "pw-Secret-4471"

#: (name the sender chose, bytes' type, extension the copy must carry)
SENT = [
    ("cv.bat", "text", ".txt"),
    ("cv.hta", "text", ".txt"),
    ("cv\u202efdp.js", "text", ".txt"),
    ("evil\u202efdp.exe", "pdf", ".pdf"),
    (HOSTILE, "pdf", ".pdf"),
]


def _write(folder: Path, name: str, kind: str, person: str) -> Path:
    text = samples.sample_resume_text(person, ["Python", "SQL"])
    path = folder / name
    path.write_bytes(samples.make_pdf(text) if kind == "pdf" else samples.make_text(text))
    return path


@pytest.fixture
def sent(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return {
        name: (_write(folder, name, kind, f"Person {n}"), extension)
        for n, (name, kind, extension) in enumerate(SENT)
    }


@pytest.fixture
def library_vm(qtbot, ui_ctx: AppContext, runner: TaskRunner, sent) -> LibraryViewModel:
    vm = LibraryViewModel(ui_ctx.library, runner, search_delay_ms=10)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as imported:
        vm.import_files([path for path, _ in sent.values()])
    assert len(imported.args[0].added) == len(SENT)
    qtbot.waitUntil(lambda: vm.model.rowCount() == len(SENT) and not vm.is_loading)
    return vm


def _record(vm: LibraryViewModel, name: str):
    return next(r for r in vm.model.rows if r.file_name == name)


def _hidden(text: str) -> bool:
    return any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in text)


def test_the_library_table_shows_a_hostile_name_escaped(library_vm: LibraryViewModel):
    model = library_vm.model
    row = next(i for i, r in enumerate(model.rows) if r.file_name == HOSTILE)
    index = model.index(row, 0)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == HOSTILE_SHOWN
    assert model.data(index, Qt.ItemDataRole.AccessibleTextRole) == HOSTILE_SHOWN
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == HOSTILE_SHOWN
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            shown = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            assert not _hidden(shown), (r, c, shown)


@pytest.mark.parametrize(("name", "kind", "extension"), SENT)
def test_open_writes_a_copy_named_by_the_sniffed_type(
    qtbot, library_vm: LibraryViewModel, sent, name, kind, extension, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # no copies left in /tmp
    record = _record(library_vm, name)
    with qtbot.waitSignal(library_vm.file_ready, timeout=10_000) as opened:
        library_vm.open_original(record.id)
    path, open_it = opened.args
    written = Path(path)
    assert open_it
    assert written.name.endswith(extension) and not _hidden(written.name)
    assert written.parent.parent == tmp_path  # a fresh folder of its own
    assert written.read_bytes() == sent[name][0].read_bytes()


def test_save_a_copy_offers_the_safe_name_and_appends_the_sniffed_extension(
    qtbot, library_vm: LibraryViewModel, tmp_path: Path
):
    record = _record(library_vm, "evil\u202efdp.exe")
    assert library_vm.save_copy_suggestion(record.id) == ("evilfdp.exe.pdf", "PDF (*.pdf)")
    typed = tmp_path / "cv.exe"
    with qtbot.waitSignal(library_vm.file_ready, timeout=10_000) as saved:
        library_vm.save_copy(record.id, typed)
    assert saved.args == [str(tmp_path / "cv.exe.pdf"), False]
    assert not typed.exists() and (tmp_path / "cv.exe.pdf").exists()


def test_the_import_summary_and_trash_messages_show_escapes(
    qtbot, ui_ctx: AppContext, runner: TaskRunner, sent
):
    vm = LibraryViewModel(ui_ctx.library, runner, search_delay_ms=10)
    with qtbot.waitSignal(vm.import_finished, timeout=20_000) as imported:
        vm.import_files([sent[HOSTILE][0]])
    text = imported.args[0].as_text()
    assert HOSTILE_SHOWN in text and not _hidden(text.replace("\n", ""))
    qtbot.waitUntil(lambda: vm.model.rowCount() == 1 and not vm.is_loading)
    with qtbot.waitSignal(vm.trash_changed) as trashed:
        vm.delete([vm.model.record(0).id])
    assert trashed.args[0] == f"Moved “{HOSTILE_SHOWN}” to the trash."


@pytest.mark.parametrize(
    "address",
    [
        f"postgresql+psycopg://alice:{PASSWORD}@db.example/recur",
        f"postgresql+psycopg://alice@db.example/recur?password={PASSWORD}",
        f"host=db.example user=alice password='{PASSWORD}' dbname=recur",
    ],
)
def test_messages_and_the_outage_banner_never_show_a_password(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow], address: str
):
    window = make_window(ui_ctx)
    library = window.vm.library
    with qtbot.waitSignal(window.vm.message) as shown:
        library.report(ServiceError(f"can't use {address} \u202e"), doing="test", retry=None)
    assert PASSWORD not in shown.args[0] and "***" in shown.args[0]
    assert shown.args[0].endswith("\\u202e")  # shown, not obeyed
    with qtbot.waitSignal(window.vm.banner_changed):
        library.report(StorageError(f"no answer from {address}"), doing="test", retry=None)
    assert window.banner.isVisible()
    assert PASSWORD not in window.banner.text.text() and "***" in window.banner.text.text()


def test_a_password_inside_the_address_moves_to_the_keyring_not_the_file(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: TaskRunner
):
    monkeypatch.setenv("RECUR_CONFIG_DIR", str(tmp_path / "config"))
    current = Settings(
        data_dir=tmp_path / "data",
        database_url=f"postgresql+psycopg://alice@db.example:5432/recur?password={PASSWORD}",
    )
    keyring = MemoryKeyring()
    vm = SettingsViewModel(
        current,
        runner,
        profiles=build_profile_service(lambda p: SecretStore(p, backend=keyring, env={})),
    )
    draft = replace(vm.draft(), database_password="")
    assert isinstance(draft, ProfileDraft) and draft.server
    with qtbot.waitSignal(vm.saved, timeout=10_000):
        vm.save(draft)
    written = (tmp_path / "config" / "settings.json").read_text(encoding="utf-8")
    assert PASSWORD not in written
    assert json.loads(written)["database_url"] == "postgresql+psycopg://alice@db.example:5432/recur"
    assert keyring.stored == {("recur-desktop", f"server:{DATABASE_PASSWORD}"): PASSWORD}


# ------------------------------------------------------------------ About: trust authentication
@pytest.fixture
def pg_settings(tmp_path: Path, pg_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=pg_url, user="alice")


@pytest.mark.postgres
def test_about_warns_when_the_server_does_not_check_passwords(
    qtbot, make_ctx, pg_settings: Settings, make_window: Callable[..., MainWindow]
):
    window = make_window(make_ctx(pg_settings))
    with qtbot.waitSignal(window.vm.help.security_checked, timeout=20_000) as checked:
        dialog = window.about()
    assert checked.args == [[TRUST_WARNING]]
    assert TRUST_WARNING in dialog.text.toPlainText()
    dialog.copy_details()
    from PySide6.QtGui import QGuiApplication

    assert f"Warning: {TRUST_WARNING}" in QGuiApplication.clipboard().text()
    dialog.close()


def test_about_has_no_password_warning_for_the_embedded_library(
    qtbot, ui_ctx: AppContext, make_window: Callable[..., MainWindow]
):
    window = make_window(ui_ctx)
    with qtbot.waitSignal(window.vm.help.security_checked, timeout=20_000) as checked:
        dialog = window.about()
    assert checked.args == [[]]
    assert "Warning" not in dialog.text.toPlainText()
    dialog.close()
