"""``recur watch DIR [--once] [--interval SECONDS]``: import the files that appear in a folder
(:mod:`recur_desktop.services.watch`). ``--once`` does one pass and prints it; without it the
command passes over the folder every ``--interval`` seconds, printing one line (``--json``: one
JSON document per line) for each pass that did something, until Ctrl+C, which stops it cleanly
(after the file in hand) with exit 0 and a summary."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from recur_desktop.cli.common import Renderer
from recur_desktop.cli.output import json_text, shown, visible_lines
from recur_desktop.domain import CancelToken
from recur_desktop.services.watch import FolderWatcher, WatchPassReport, state_path

if TYPE_CHECKING:  # for the checker only: the entry points alone import the composition root
    from recur_desktop.app import AppContext


def _pass_doc(report: WatchPassReport) -> dict[str, Any]:
    return {
        "folder": report.folder,
        "imported": [{"path": f.path, "id": f.resume_id} for f in report.imported],
        "duplicates": [{"path": f.path, "id": f.resume_id} for f in report.duplicates],
        "turned_away": [
            {"path": f.path, "reason": f.reason, "gate_kind": f.gate_kind}
            for f in report.turned_away
        ],
        "known_turned_away": [
            {"path": f.path, "reason": f.reason, "gate_kind": f.gate_kind}
            for f in report.known_turned_away
        ],
        "waiting": report.waiting,
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
        "unchanged": report.unchanged,
        "hidden_skipped": report.hidden_skipped,
        "cancelled": report.cancelled,
    }


def _headline(d: dict[str, Any]) -> str:
    parts = [f"{len(d['imported'])} imported"]
    if d["duplicates"]:
        parts.append(f"{len(d['duplicates'])} already in the library")
    turned = len(d["turned_away"]) + len(d["known_turned_away"])
    if turned:
        parts.append(f"{turned} turned away")
    if d["waiting"]:
        parts.append(f"{len(d['waiting'])} still being written")
    if d["failed"]:
        parts.append(f"{len(d['failed'])} failed")
    if d["unchanged"]:
        parts.append(f"{d['unchanged']} unchanged")
    if d["hidden_skipped"]:
        parts.append(f"{d['hidden_skipped']} hidden skipped")
    return ", ".join(parts)


def _render_pass(d: dict[str, Any]) -> str:
    lines = [f"{d['folder']}: {_headline(d)}" + (" (stopped)" if d["cancelled"] else "")]
    lines += [f"  imported        {f['path']}" for f in d["imported"]]
    lines += [f"  in the library  {f['path']}" for f in d["duplicates"]]
    lines += [f"  turned away     {f['path']}: {f['reason']}" for f in d["turned_away"]]
    lines += [
        f"  turned away     {f['path']}: {f['reason']} (seen before)"
        for f in d["known_turned_away"]
    ]
    lines += [f"  waiting         {path}" for path in d["waiting"]]
    lines += [f"  failed          {f['path']}: {f['reason']}" for f in d["failed"]]
    return "\n".join(lines)


def _render_pass_line(d: dict[str, Any]) -> str:
    return f"{d['folder']}: {_headline(d)}"


def _render_summary(d: dict[str, Any]) -> str:
    return (
        f"Stopped watching {d['folder']} after {d['passes']} passes: "
        f"{d['imported']} imported, {d['turned_away']} turned away, {d['failed']} failed."
    )


def _cmd_watch(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    watcher = FolderWatcher(ctx.library, state_path(ctx.settings.data_dir))
    folder = FolderWatcher.folder_key(args.folder)  # a missing folder fails before any pass
    if args.once:
        return _pass_doc(watcher.scan_once(folder)), _render_pass
    return _watch_until_interrupted(watcher, str(folder), args.interval, as_json=args.json)


def _watch_until_interrupted(
    watcher: FolderWatcher, folder: str, interval: float, *, as_json: bool
) -> tuple[Any, Renderer]:
    stop = threading.Event()
    cancel = CancelToken()

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():  # a second Ctrl+C: stop now
            raise KeyboardInterrupt
        stop.set()
        cancel.cancel()  # the pass in hand ends after its current file

    previous: Callable[[int, FrameType | None], Any] | int | None = signal.signal(
        signal.SIGINT, on_sigint
    )
    totals = {"passes": 0, "imported": 0, "turned_away": 0, "failed": 0}
    try:
        while not stop.is_set():
            report = watcher.scan_once(folder, cancel=cancel)
            totals["passes"] += 1
            totals["imported"] += len(report.imported)
            totals["turned_away"] += len(report.turned_away) + len(report.known_turned_away)
            totals["failed"] += sum(1 for f in report.failed if not f.repeated)
            if report.did_something:
                doc = _pass_doc(report)
                text = json_text(doc) if as_json else visible_lines(_render_pass_line(shown(doc)))
                sys.stdout.write(text.rstrip("\n") + "\n")
                sys.stdout.flush()
            stop.wait(interval)
    finally:
        signal.signal(signal.SIGINT, previous)
    return {"folder": folder, **totals}, _render_summary
