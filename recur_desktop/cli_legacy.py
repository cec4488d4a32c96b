"""``recur migrate-legacy``: the legacy-layout migration on the command line.

Kept out of ``cli.py`` so the main command table stays small; ``cli.py`` only registers the
parser (:func:`add_parser`) and the handler (:func:`command`). The contract is the CLI's:
``--json`` prints exactly one JSON document, exit 0 when the mode did its job, 1 when it did
not (a failed verify, copies that failed, a cancelled run), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from recur_desktop.domain import CancelToken, Progress
from recur_desktop.services.legacy import (
    DEFAULT_WORKERS,
    LegacyMigrationService,
)
from recur_desktop.services.legacy.documents import (
    delete_doc,
    report_doc,
    verify_doc,
)
from recur_desktop.text_safety import visible

if TYPE_CHECKING:  # for the checker only: the entry points alone import the composition root
    from recur_desktop.app import AppContext

#: Problems listed per kind in the text output; ``--json`` has all of them.
SHOWN_PER_KIND = 10
MAX_CLI_WORKERS = 16  # the S3 client keeps 16 connections; more threads would only queue


def _workers(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= MAX_CLI_WORKERS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_CLI_WORKERS}")
    return number


def add_parser(sub: Any, common: Callable[..., None]) -> argparse.ArgumentParser:
    """Register ``migrate-legacy`` on ``recur``'s subparsers; ``common`` adds --json/--debug."""
    text = "move the legacy per-job folders and tables to the shared layout"
    parser = sub.add_parser("migrate-legacy", help=text, description=text.capitalize() + ".")
    common(parser, top=False)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run",
        dest="legacy_mode",
        action="store_const",
        const="dry-run",
        help="print the plan and change nothing (the default)",
    )
    mode.add_argument(
        "--apply", dest="legacy_mode", action="store_const", const="apply", help="migrate"
    )
    mode.add_argument(
        "--verify",
        dest="legacy_mode",
        action="store_const",
        const="verify",
        help="check that everything was migrated; exit 1 with the list otherwise",
    )
    parser.add_argument(
        "--delete-legacy",
        action="store_true",
        help="after a passing verify in the same run, delete the legacy files",
    )
    parser.add_argument(
        "--drop-legacy-tables",
        action="store_true",
        help="with --delete-legacy: also drop the legacy tables (only the user's rows with --user)",
    )
    parser.add_argument(
        "--user", metavar="NAME", default=None, help="only this user (login name or id)"
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"parallel transfers (default {DEFAULT_WORKERS}, at most {MAX_CLI_WORKERS})",
    )
    parser.set_defaults(legacy_mode="dry-run", legacy_parser=parser)
    return parser


# --------------------------------------------------------------------------- the handler
def command(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Callable[[Any], str]]:
    """Run the chosen mode over the app's database and bucket (the legacy data lives there)."""
    from recur_desktop.cli.common import CommandFailed

    if args.delete_legacy and args.legacy_mode == "dry-run":
        args.legacy_parser.error("--delete-legacy needs --apply or --verify (it runs a verify)")
    if args.drop_legacy_tables and not args.delete_legacy:
        args.legacy_parser.error("--drop-legacy-tables needs --delete-legacy")
    service = LegacyMigrationService(
        ctx.sessions,
        ctx.store,
        max_bytes=ctx.settings.max_upload_bytes,
        workers=args.workers,
    )
    user = service.resolve_user(args.user) if args.user else None
    cancel = CancelToken()
    with _stop_on_interrupt(cancel), _progress_printer() as progress:
        document = _run(service, args, user, progress, cancel)
    failure = _failure(document)
    if failure:
        error = CommandFailed(failure, document)
        error.render = render  # type: ignore[attr-defined]  # cli.run prints it with this
        raise error
    return document, render


def _run(
    service: LegacyMigrationService,
    args: argparse.Namespace,
    user: uuid.UUID | None,
    progress: Progress,
    cancel: CancelToken,
) -> dict[str, Any]:
    mode = args.legacy_mode
    if mode == "dry-run":
        return report_doc(service.plan(user=user, progress=progress, cancel=cancel))
    document: dict[str, Any]
    if mode == "apply":
        applied = service.apply(user=user, progress=progress, cancel=cancel)
        document = report_doc(applied)
        if applied.cancelled or applied.failures or not args.delete_legacy:
            return document
    verified = service.verify(user=user, progress=progress, cancel=cancel)
    if mode == "verify":
        assert verified.plan is not None
        document = report_doc(verified.plan)
    document["mode"] = mode
    document["verify"] = verify_doc(verified)
    if args.delete_legacy and verified.ok:
        deleted = service.delete_legacy(
            verified, drop_tables=args.drop_legacy_tables, progress=progress, cancel=cancel
        )
        document["deleted"] = delete_doc(deleted)
    return document


def _failure(document: dict[str, Any]) -> str | None:
    """Why the run did not do its job (exit 1), or None."""
    if document.get("cancelled") or document.get("verify", {}).get("cancelled"):
        return "Stopped before the end; run the same command again to continue."
    if document.get("failures"):
        count = len(document["failures"])
        if document["mode"] == "dry-run":
            return f"{count} file(s) could not be read; the plan is incomplete."
        return f"{count} file(s) could not be migrated; run --apply again to retry them."
    verify = document.get("verify")
    if verify is not None and not verify["ok"]:
        return f"Verify failed: {len(verify['unaccounted'])} item(s) unaccounted for."
    deleted = document.get("deleted")
    if deleted is not None and (deleted["failures"] or deleted["cancelled"]):
        return f"{len(deleted['failures'])} legacy file(s) could not be deleted."
    return None


# --------------------------------------------------------------------------- documents
_TITLES = {
    "dry-run": "Legacy migration plan (dry run: nothing was changed)",
    "apply": "Legacy migration applied",
    "verify": "Legacy migration verified",
}


def render(d: dict[str, Any]) -> str:
    """The document for a person: totals, one line per user, problems grouped by kind."""
    from recur_desktop.cli.output import table

    t = d["totals"]
    lines = [_TITLES.get(d["mode"], "Legacy migration")]
    if not d["legacy_tables"]:
        lines.append("(No legacy tables in this database; only legacy files were looked at.)")
    lines += [
        "",
        f"Users: {t['users']} ({t['users_to_create']} to create)   "
        f"Jobs: {t['jobs']} ({t['jobs_to_create']} to create)",
        f"Legacy files: {t['legacy_objects']} for {t['legacy_rows']} legacy rows"
        + (
            f" ({t['legacy_objects_deleted']} already deleted)"
            if t["legacy_objects_deleted"]
            else ""
        )
        + "; "
        f"{t['distinct_contents']} distinct contents ({t['duplicates_folded']} duplicates "
        f"folded, {t['contents_to_migrate']} still to migrate)",
        f"Analyses: {t['analyses']}: {t['analyses_to_carry']} carried, "
        f"{t['analyses_invalid_scores']} carried as failed (no valid score), "
        f"{t['analyses_folded']} folded into a newer one, {t['analyses_not_carried']} "
        f"can't be carried; {t['sessions']} migrated sessions",
    ]
    if d["users"]:
        columns = [
            "login_name",
            "legacy_objects",
            "distinct_contents",
            "duplicates_folded",
            "analyses_to_carry",
            "analyses_folded",
            "sessions",
        ]
        lines += ["", table(d["users"], columns)]
    if "done" in d:
        done = d["done"]
        lines += [
            "",
            f"This run: {done['created_resumes']} resumes created ({done['copied_objects']} "
            f"files copied, {done['renamed_resumes']} renamed), {done['written_sessions']} "
            f"sessions and {done['written_analyses']} analyses written, "
            f"{done['created_users']} users and {done['created_jobs']} jobs created.",
        ]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for problem in d["problems"]:
        by_kind.setdefault(problem["kind"], []).append(problem)
    if by_kind:
        lines += ["", "Problems:"]
    for kind, problems in by_kind.items():
        lines.append(f"  {kind.replace('_', ' ')} ({len(problems)}):")
        for problem in problems[:SHOWN_PER_KIND]:
            where = problem["key"] or problem["file_name"] or ""
            lines.append(
                f"    {where}: {problem['message']}" if where else f"    {problem['message']}"
            )
        if len(problems) > SHOWN_PER_KIND:
            lines.append(f"    ... and {len(problems) - SHOWN_PER_KIND} more (--json lists all)")
    verify = d.get("verify")
    if verify is not None:
        lines.append("")
        if verify["ok"]:
            lines.append(
                f"Verify passed: {verify['checked_objects']} legacy files, "
                f"{verify['checked_contents']} contents, {verify['checked_sessions']} sessions "
                f"and {verify['checked_analyses']} analyses accounted for."
            )
        else:
            lines.append(f"Verify FAILED: {len(verify['unaccounted'])} item(s) unaccounted for:")
            lines += [f"  {item}" for item in verify["unaccounted"]]
    deleted = d.get("deleted")
    if deleted is not None:
        lines += [
            "",
            f"Deleted {deleted['deleted_objects']} legacy files"
            + (f" and {deleted['deleted_rows']} legacy rows" if deleted["deleted_rows"] else "")
            + (
                f"; dropped {', '.join(deleted['dropped_tables'])}"
                if deleted["dropped_tables"]
                else ""
            )
            + ".",
        ]
        lines += [f"  {failure}" for failure in deleted["failures"]]
    if d.get("cancelled"):
        lines += ["", "Stopped before the end; run the same command again to continue."]
    return "\n".join(lines)


# --------------------------------------------------------------------------- plumbing
@contextlib.contextmanager
def _stop_on_interrupt(cancel: CancelToken) -> Iterator[None]:
    """Ctrl-C asks the service to stop between files (work done so far is kept) instead of
    tearing the worker threads down mid-copy. A second Ctrl-C interrupts as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _progress_printer() -> Iterator[Progress]:
    """Progress on stderr when it is a terminal (stdout stays for the result), ~10 a second."""
    stream = sys.stderr
    if not stream.isatty():
        yield lambda done, total, note: None
        return
    last = 0.0
    shown = False

    def show(done: int, total: int, note: str) -> None:
        nonlocal last, shown
        now = time.monotonic()
        if now - last < 0.1 and done != total:
            return
        last = now
        count = f"{done}/{total}" if total >= 0 else "..."
        # Keys and names come from the bucket: escaped, or a name could drive the terminal.
        stream.write(f"\r\x1b[K{count} {visible(note)[-60:]}")
        stream.flush()
        shown = True

    try:
        yield show
    finally:
        if shown:
            stream.write("\r\x1b[K")
            stream.flush()
