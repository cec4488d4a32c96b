"""A watched folder (issue 12): files that appear are imported once each; a file still being
written waits until its size and mtime settle; a file turned away is remembered by its content
hash and not read again until it changes; files copied in while the app was closed are imported
on the next start; one failing file doesn't stop the others. ``recur watch``. Both profiles.

No test sleeps: the watcher's clock is injected and file mtimes are set with ``os.utime``. Reads
are counted where they happen: the watcher's hasher and the library's ``import_paths``.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from recur_desktop.cli import run
from recur_desktop.domain import CancelToken
from recur_desktop.services.watch import (
    STATE_FILE_NAME,
    FolderWatcher,
    file_sha256,
    state_path,
)
from tests import samples
from tests.integration.test_cli import settings_env

GATE = Path(__file__).resolve().parents[1] / "data" / "gate"
README_TEXT = (GATE / "readme" / "contributing.txt").read_text(encoding="utf-8")
README_REASON = "This looks like a README or software documentation, not a resume."

NOW = 1_800_000_000.0  # the injected clock (seconds since the epoch)
OLD = NOW - 3600  # settled on the first look (older than the settle time)


def resume_pdf(name: str) -> bytes:
    return samples.make_pdf(samples.sample_resume_text(name, ["Python", "SQL"]))


def put(path: Path, data: bytes, mtime: float = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(int(mtime * 1e9), int(mtime * 1e9)))
    return path


class Reads:
    """Counts what is read: files hashed by the watcher, files handed to the import."""

    def __init__(self, library: Any) -> None:
        self.library = library
        self.hashed: list[str] = []
        self.imported: list[str] = []
        self.fail_import: set[str] = set()
        self.unreadable: set[str] = set()

    # the importer the watcher sees
    @property
    def owner_id(self) -> Any:
        return self.library.owner_id

    def import_paths(self, paths: list[Path], **kwargs: Any) -> Any:
        self.imported += [Path(p).name for p in paths]
        if any(Path(p).name in self.fail_import for p in paths):
            raise RuntimeError("boom")
        return self.library.import_paths(paths, **kwargs)

    def hasher(self, path: Path) -> str:
        self.hashed.append(path.name)
        if path.name in self.unreadable:
            raise PermissionError(13, "Permission denied")
        return file_sha256(path)

    def reset(self) -> None:
        self.hashed.clear()
        self.imported.clear()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return inbox


@pytest.fixture
def reads(ctx) -> Reads:
    return Reads(ctx.library)


def watcher_for(ctx, reads: Reads, clock: list[float] | None = None) -> FolderWatcher:
    now = clock if clock is not None else [NOW]
    return FolderWatcher(
        reads,
        state_path(ctx.settings.data_dir),
        settle_seconds=10,
        clock=lambda: now[0],
        hasher=reads.hasher,
    )


def test_a_file_that_appears_is_imported_once_and_not_read_again(ctx, reads, folder):
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    put(folder / "sub" / "grace.pdf", resume_pdf("Grace Hopper"))  # recursive, like import
    watcher = watcher_for(ctx, reads)

    first = watcher.scan_once(folder)

    assert sorted(f.path for f in first.imported) == ["ada.pdf", "sub/grace.pdf"]
    assert first.did_something
    assert ctx.library.page().total == 2
    reads.reset()

    second = watcher.scan_once(folder)

    assert second.imported == [] and second.duplicates == [] and second.failed == []
    assert second.unchanged == 2
    assert not second.did_something
    assert reads.hashed == [] and reads.imported == []  # not read at all
    assert ctx.library.page().total == 2
    # The folder's files stay where they are.
    assert (folder / "ada.pdf").exists() and (folder / "sub" / "grace.pdf").exists()


def test_a_touched_file_is_hashed_but_not_imported_again(ctx, reads, folder):
    path = put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    watcher = watcher_for(ctx, reads)
    watcher.scan_once(folder)
    reads.reset()
    os.utime(path, ns=(int((OLD + 5) * 1e9),) * 2)

    report = watcher.scan_once(folder)

    assert reads.hashed == ["ada.pdf"] and reads.imported == []
    assert report.unchanged == 1 and not report.did_something


def test_a_file_still_being_written_waits_until_its_size_settles(ctx, reads, folder):
    clock = [NOW]
    watcher = watcher_for(ctx, reads, clock)
    data = resume_pdf("Ada Lovelace")
    path = put(folder / "ada.pdf", data[:100], mtime=NOW)

    first = watcher.scan_once(folder)
    assert first.waiting == ["ada.pdf"] and first.imported == []

    clock[0] = NOW + 1
    put(path, data, mtime=NOW + 1)  # it grew between the two passes
    second = watcher.scan_once(folder)
    assert second.waiting == ["ada.pdf"] and second.imported == []
    assert reads.hashed == [] and reads.imported == []  # a waiting file is not read
    assert ctx.library.page().total == 0

    clock[0] = NOW + 2  # still fresh by its mtime, but unchanged since the last look
    third = watcher.scan_once(folder)
    assert [f.path for f in third.imported] == ["ada.pdf"]
    assert third.waiting == []
    assert reads.imported == ["ada.pdf"]


def test_a_readme_is_turned_away_once_and_read_again_only_after_it_changes(ctx, reads, folder):
    readme = put(folder / "README.md", README_TEXT.encode())
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    watcher = watcher_for(ctx, reads)

    first = watcher.scan_once(folder)
    assert [(f.path, f.reason, f.gate_kind) for f in first.turned_away] == [
        ("README.md", README_REASON, "readme")
    ]
    assert [f.path for f in first.imported] == ["ada.pdf"]
    reads.reset()

    second = watcher.scan_once(folder)
    assert second.turned_away == [] and second.unchanged == 2
    assert reads.hashed == [] and reads.imported == []

    # A copy under another name: the content was turned away before, so it is hashed, not
    # imported (not extracted or judged again).
    put(folder / "docs" / "README-copy.md", README_TEXT.encode())
    third = watcher.scan_once(folder)
    assert [f.path for f in third.known_turned_away] == ["docs/README-copy.md"]
    assert reads.hashed == ["README-copy.md"] and reads.imported == []
    reads.reset()

    # It changes: read and judged again.
    put(readme, (README_TEXT + "\n## Releases\nTag the release and push the tag.\n").encode())
    fourth = watcher.scan_once(folder)
    assert [f.path for f in fourth.turned_away] == ["README.md"]
    assert reads.hashed == ["README.md"] and reads.imported == ["README.md"]
    assert ctx.library.page().total == 1


def test_files_added_while_the_app_was_closed_are_imported_on_the_next_start(ctx, folder):
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    before = Reads(ctx.library)
    assert [f.path for f in watcher_for(ctx, before).scan_once(folder).imported] == ["ada.pdf"]

    # "Closed": another watcher, later, over the same state file.
    put(folder / "grace.pdf", resume_pdf("Grace Hopper"), mtime=NOW + 100)
    put(folder / "linus.pdf", resume_pdf("Linus Torvalds"), mtime=NOW + 200)
    after = Reads(ctx.library)
    report = watcher_for(ctx, after, [NOW + 3600]).scan_once(folder)

    assert sorted(f.path for f in report.imported) == ["grace.pdf", "linus.pdf"]
    assert report.unchanged == 1
    assert sorted(after.hashed) == ["grace.pdf", "linus.pdf"]  # ada.pdf was not read
    assert ctx.library.page().total == 3


def test_a_pending_observation_survives_a_restart(ctx, folder):
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"), mtime=NOW)
    assert watcher_for(ctx, Reads(ctx.library)).scan_once(folder).waiting == ["ada.pdf"]

    report = watcher_for(ctx, Reads(ctx.library), [NOW + 1]).scan_once(folder)

    assert [f.path for f in report.imported] == ["ada.pdf"]


def test_one_failing_file_does_not_stop_the_others(ctx, reads, folder):
    put(folder / "a-locked.pdf", resume_pdf("Ada Lovelace"))
    put(folder / "b-boom.pdf", resume_pdf("Barbara Liskov"))
    put(folder / "c-grace.pdf", resume_pdf("Grace Hopper"))
    reads.unreadable = {"a-locked.pdf"}
    reads.fail_import = {"b-boom.pdf"}
    watcher = watcher_for(ctx, reads)

    first = watcher.scan_once(folder)

    assert [f.path for f in first.imported] == ["c-grace.pdf"]
    failed = {f.path: (f.reason, f.repeated) for f in first.failed}
    assert failed == {
        "a-locked.pdf": ("You don't have permission to read it.", False),
        "b-boom.pdf": ("It couldn't be imported (RuntimeError).", False),
    }
    assert first.did_something

    # Failures are not remembered: tried again on the next pass (quietly when they repeat).
    reads.reset()
    second = watcher.scan_once(folder)
    assert sorted(reads.hashed) == ["a-locked.pdf", "b-boom.pdf"]
    assert {f.path: f.repeated for f in second.failed} == {
        "a-locked.pdf": True,
        "b-boom.pdf": True,
    }
    assert not second.did_something

    reads.unreadable = set()
    reads.fail_import = set()
    third = watcher.scan_once(folder)
    assert sorted(f.path for f in third.imported) == ["a-locked.pdf", "b-boom.pdf"]
    assert ctx.library.page().total == 3


def test_a_file_imported_elsewhere_is_a_duplicate_and_remembered(ctx, reads, folder):
    path = put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    ctx.library.import_paths([path])
    watcher = watcher_for(ctx, reads)

    first = watcher.scan_once(folder)
    assert [f.path for f in first.duplicates] == ["ada.pdf"] and first.imported == []
    reads.reset()
    assert watcher.scan_once(folder).unchanged == 1
    assert reads.hashed == [] and reads.imported == []


def test_cancelled_before_the_first_file_imports_nothing(ctx, reads, folder):
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    cancel = CancelToken()
    cancel.cancel()
    progress: list[tuple[int, int, str]] = []

    report = watcher_for(ctx, reads).scan_once(
        folder, cancel=cancel, progress=lambda *a: progress.append(a)
    )

    assert report.cancelled and report.imported == []
    assert progress[0] == (0, 1, "ada.pdf")
    assert ctx.library.page().total == 0
    # Not remembered: the next pass imports it.
    assert [f.path for f in watcher_for(ctx, reads).scan_once(folder).imported] == ["ada.pdf"]


def test_the_state_file_holds_no_text_and_is_replaced_whole(ctx, reads, folder):
    put(folder / "README.md", README_TEXT.encode())
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"))
    watcher_for(ctx, reads).scan_once(folder)

    data_dir = ctx.settings.data_dir
    state = json.loads((data_dir / STATE_FILE_NAME).read_text(encoding="utf-8"))
    entry = state["folders"][str(folder.resolve())]
    assert entry["owner"] == str(ctx.owner_id)
    assert set(entry["files"]) == {"README.md", "ada.pdf"}
    assert entry["files"]["README.md"]["outcome"] == "turned_away"
    assert entry["files"]["ada.pdf"]["outcome"] == "imported"
    raw = (data_dir / STATE_FILE_NAME).read_text(encoding="utf-8")
    assert "Ada Lovelace" not in raw and "pull request" not in raw.lower()
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".watch-")]  # no temp left

    # A file gone from the folder leaves the state.
    (folder / "README.md").unlink()
    watcher_for(ctx, reads).scan_once(folder)
    state = json.loads((data_dir / STATE_FILE_NAME).read_text(encoding="utf-8"))
    assert set(state["folders"][str(folder.resolve())]["files"]) == {"ada.pdf"}


# --------------------------------------------------------------------------- recur watch
@pytest.fixture
def cli(settings, monkeypatch, capsys):
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)

    def invoke(*argv: str, expect: int = 0) -> tuple[str, str]:
        code = run(list(argv))
        out, err = capsys.readouterr()
        assert code == expect, f"exit {code}, stdout: {out} stderr: {err}"
        return out, err

    return invoke


def test_recur_watch_once_json_and_readable(cli, folder):
    # The command uses the real clock: an hour old is settled, a day ahead is still "fresh".
    old, ahead = time.time() - 3600, time.time() + 86400
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"), mtime=old)
    put(folder / "README.md", README_TEXT.encode(), mtime=old)
    put(folder / ".hidden.pdf", resume_pdf("Hidden Person"), mtime=old)
    put(folder / "fresh.pdf", resume_pdf("Grace Hopper"), mtime=ahead)

    out, _ = cli("watch", str(folder), "--once", "--json")
    doc = json.loads(out)

    assert doc["folder"] == str(folder.resolve())
    assert [f["path"] for f in doc["imported"]] == ["ada.pdf"]
    assert doc["turned_away"] == [
        {"path": "README.md", "reason": README_REASON, "gate_kind": "readme"}
    ]
    assert doc["waiting"] == ["fresh.pdf"]
    assert doc["hidden_skipped"] == 1
    assert doc["failed"] == [] and doc["duplicates"] == [] and doc["cancelled"] is False

    # The next run: fresh.pdf has the same size and mtime as at the last look (kept in the
    # state file), so it is settled now; the other two are not read again.
    out, _ = cli("watch", str(folder), "--once")
    assert out.splitlines() == [
        f"{folder.resolve()}: 1 imported, 2 unchanged, 1 hidden skipped",
        "  imported        fresh.pdf",
    ]


def test_recur_watch_of_a_missing_folder_is_one_line_exit_1(cli, tmp_path):
    _, err = cli("watch", str(tmp_path / "nowhere"), "--once", expect=1)
    assert err.startswith("recur: ") and "doesn't exist" in err


def test_recur_watch_loops_until_ctrl_c_then_exits_0(cli, folder, monkeypatch):
    put(folder / "ada.pdf", resume_pdf("Ada Lovelace"), mtime=time.time() - 3600)
    passes: list[int] = []
    real = FolderWatcher.scan_once

    def scan_then_interrupt(self: FolderWatcher, *args: Any, **kwargs: Any) -> Any:
        report = real(self, *args, **kwargs)
        passes.append(len(report.imported))
        if len(passes) == 2:
            signal.raise_signal(signal.SIGINT)  # Ctrl+C
        return report

    monkeypatch.setattr(FolderWatcher, "scan_once", scan_then_interrupt)
    before = signal.getsignal(signal.SIGINT)

    out, _ = cli("watch", str(folder), "--interval", "0")

    assert passes == [1, 0]
    lines = out.splitlines()
    # One line for the pass that did something (none for the idle one), then the summary.
    assert len(lines) == 2
    assert lines[0].endswith(": 1 imported")
    assert lines[1].startswith("Stopped watching") and "1 imported" in lines[1]
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back
