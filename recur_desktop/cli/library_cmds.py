"""Commands over the library: import, list, trash, erase, audit, doctor."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from recur_desktop.cli.common import (
    CommandFailed,
    Renderer,
    UsageError,
)
from recur_desktop.cli.output import (
    _page_doc,
    resume_doc,
    table,
    visible_lines,
)
from recur_desktop.domain import (
    ResumeRecord,
)
from recur_desktop.domain.media import SHORT_LABELS, short_label
from recur_desktop.services import ServiceError
from recur_desktop.services.library import hidden_skipped_note

if TYPE_CHECKING:  # for the checker only: the entry points alone import the composition root
    from recur_desktop.app import AppContext


def _cmd_import(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    report = ctx.library.import_paths(
        args.paths, job_posting_id=args.job, accept_any=args.accept_any
    )
    doc = {
        "added": [
            {
                "id": a.resume.id,
                "file_name": a.file_name,
                "s3_resume_key": a.resume.s3_resume_key,
                "content_sha256": a.resume.content_sha256,
            }
            for a in report.added
        ],
        "duplicates": [
            {
                "file_name": d.file_name,
                "id": d.existing_id,
                # Kept for scripts; always false here now: those files are in "restored".
                "restored_from_trash": d.restored_from_trash,
            }
            for d in report.duplicates
        ],
        "restored": [{"file_name": d.file_name, "id": d.existing_id} for d in report.restored],
        "repaired": [
            {
                "file_name": r.file_name,
                "id": r.existing_id,
                "problem": r.problem,
                "restored_from_trash": r.restored_from_trash,
            }
            for r in report.repaired
        ],
        "rejected": [
            {"file_name": r.file_name, "reason": r.reason, "gate_kind": r.gate_kind}
            for r in report.rejected
        ],
        "hidden_skipped": report.hidden_skipped,
        "stopped": report.stopped,
    }
    return doc, _render_import


def _render_import(d: dict[str, Any]) -> str:
    counts = [f"{len(d['added'])} added"]
    if d["restored"]:
        counts.append(f"{len(d['restored'])} restored from the trash")
    if d["repaired"]:
        counts.append(f"{len(d['repaired'])} repaired")
    counts += [
        f"{len(d['duplicates'])} already in the library",
        f"{len(d['rejected'])} not imported",
    ]
    line = ", ".join(counts) + "."
    if d["hidden_skipped"]:
        line += f" {hidden_skipped_note(len(d['hidden_skipped']))}."
    # The outage sentence once, not once per file it left out.
    parts = [f"Import stopped: {d['stopped']}", line] if d["stopped"] else [line]
    if d["added"]:
        parts.append(table(d["added"], ["id", "file_name"]))
    if d["restored"]:
        parts.append("Restored from the trash:\n" + table(d["restored"], ["file_name", "id"]))
    if d["repaired"]:
        rows = [{**r, "stored_file_was": r["problem"]} for r in d["repaired"]]
        parts.append(
            "Repaired (the stored file is back):\n"
            + table(rows, ["file_name", "id", "stored_file_was"])
        )
    if d["duplicates"]:
        parts.append("Already in the library:\n" + table(d["duplicates"], ["file_name", "id"]))
    tried = [r for r in d["rejected"] if not d["stopped"] or r["reason"] != d["stopped"]]
    left_out = [r for r in d["rejected"] if d["stopped"] and r["reason"] == d["stopped"]]
    not_resumes = [r for r in tried if r.get("gate_kind")]
    tried = [r for r in tried if not r.get("gate_kind")]
    if tried:
        parts.append("Not imported:\n" + table(tried, ["file_name", "reason"]))
    if not_resumes:
        # Lines, not a table: a table cuts long reasons, and the way past the gate must show.
        parts.append(
            "Not imported (not resumes):\n"
            + "\n".join(f"  {r['file_name']}: {r['reason']} {ACCEPT_ANY_HINT}" for r in not_resumes)
        )
    if left_out:
        parts.append(
            "Not tried (the import stopped):\n" + "\n".join(f"  {r['file_name']}" for r in left_out)
        )
    return "\n\n".join(parts)


#: Appended to a rejection by the resume gate in the readable output.
ACCEPT_ANY_HINT = "(use --accept-any to import it anyway)"


#: Short type names, the ones the window shows (``--json`` keeps the media type).
SHORT_TYPES = SHORT_LABELS
short_type = short_label


def _day(value: Any) -> Any:
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime) else value


def _render_resume_page(d: dict[str, Any]) -> str:
    rows = [
        {**r, "type": short_type(r["media_type"]), "added": _day(r["created_at"])}
        for r in d["items"]
    ]
    body = table(rows, ["id", "file_name", "candidate_name", "type", "added"])
    return f"{body}\n\n{len(d['items'])} shown of {d['total']}."


def _cmd_resumes(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.library.page(search=args.search, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _cmd_trash(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.library.page(trashed=True, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _cmd_delete(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    doc = resume_doc(ctx.library.delete(args.id))
    return doc, lambda d: f"Moved {d['file_name']} to the trash."


def _cmd_restore(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    doc = resume_doc(ctx.library.restore(args.id))
    return doc, lambda d: f"Restored {d['file_name']}."


def _cmd_audit(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    found = ctx.audit.events(since=args.since, limit=args.limit)
    items = [
        {
            "created_at": e.created_at.isoformat(timespec="seconds"),
            "action": e.action,
            "actor": e.actor or "(this computer)",
            "subject_id": e.subject_id,
            "detail": e.detail,
        }
        for e in found
    ]

    def render(d: dict[str, Any]) -> str:
        if not d["events"]:
            return "Nothing erased, purged or repaired" + (" since then." if args.since else ".")
        rows = [
            {**e, "detail": ", ".join(f"{k}={v}" for k, v in sorted(e["detail"].items()))}
            for e in d["events"]
        ]
        return table(rows, ["created_at", "action", "actor", "subject_id", "detail"])

    return {"events": items}, render


def _cmd_purge(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    purged = ctx.library.purge(older_than_days=args.older_than_days, resume_id=args.id)
    doc = {"purged": purged}
    return doc, lambda d: f"Removed {len(d['purged'])} resume(s) from the trash for good."


def _named(resume: ResumeRecord) -> str:
    """“file” (candidate), as the erase prompt and its confirmation name a resume."""
    who = f" ({resume.candidate_name})" if resume.candidate_name else ""
    return f"“{resume.file_name}”{who}"


def _cmd_erase(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    """Says what it is about to erase, then asks; a script must say --yes (no terminal, no
    silent erasure: a usage error, exit 2)."""
    resume = ctx.library.get(args.id)
    where = "in the trash" if resume.deleted_at is not None else "in the library"
    count = resume.analysis_count
    history = f" and its {count} analysis result(s)" if count else ""
    # On stderr: stdout stays one JSON document with --json.
    sys.stderr.write(
        visible_lines(
            f"This erases {_named(resume)}, resume {resume.id} ({where}), with its stored "
            f"file{history}, for good. It can't be brought back.\n"
        )
    )
    if not args.yes:
        stdin_isatty = getattr(sys.stdin, "isatty", None)
        if stdin_isatty is None or not stdin_isatty():
            raise UsageError(
                "Nothing was erased: erase asks before it erases, and standard input is not a "
                "terminal. Add --yes to erase without asking."
            )
        sys.stderr.write("Erase it? Type yes to erase: ")
        sys.stderr.flush()
        try:
            answer = sys.stdin.readline()
        except (EOFError, OSError):
            answer = ""
        if answer.strip().lower() not in ("yes", "y"):
            raise ServiceError("Nothing was erased.")
    erased = ctx.library.erase(resume.id)
    doc = {"erased": resume_doc(erased)}

    def render(d: dict[str, Any]) -> str:
        count = d["erased"]["analysis_count"]
        return f"Erased {_named_doc(d['erased'])} and its {count} analysis result(s) for good."

    return doc, render


def _named_doc(resume: dict[str, Any]) -> str:
    who = f" ({resume['candidate_name']})" if resume["candidate_name"] else ""
    return f"“{resume['file_name']}”{who}"


def _problem_doc(problem: Any) -> dict[str, Any]:
    return {
        "id": problem.resume_id,
        "file_name": problem.file_name,
        "candidate_name": problem.candidate_name,
        "s3_resume_key": problem.s3_resume_key,
        "in_trash": problem.in_trash,
    }


def _cmd_doctor(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    """Every problem by resume id, file, candidate and key, in both outputs; exit 1 while any
    remains (after ``--repair``), so a script can tell a clean library from a damaged one."""
    report = ctx.doctor.check(repair=args.repair)
    checked = report.password_checked
    by_kind: dict[str, list[dict[str, Any]]] = {"missing": [], "changed": []}
    for problem in report.problems:
        by_kind[problem.problem.value].append(_problem_doc(problem))
    doc = {
        "orphans": report.orphans,
        "missing": by_kind["missing"],
        "mismatched": by_kind["changed"],
        "repaired": report.repaired,
        "unrepaired": report.unrepaired,
        # True: the server let this login in with no password and with a wrong one.
        "trust_authentication": None if checked is None else not checked,
        "warnings": report.warnings,
    }

    def render(d: dict[str, Any]) -> str:
        warnings = [f"Warning: {warning}" for warning in d["warnings"]]
        if not (d["orphans"] or d["missing"] or d["mismatched"]):
            return "\n".join(
                [
                    "Everything is consistent: every resume has its file and every file a resume.",
                    *warnings,
                ]
            )
        lines = [
            f"{len(d['missing'])} resume(s) without their file, {len(d['mismatched'])} "
            f"file(s) changed since import, {len(d['orphans'])} file(s) without a resume; "
            f"{d['repaired']} repaired."
        ]
        for key, heading in (
            ("missing", "Resumes whose file is missing from storage:"),
            ("mismatched", "Resumes whose stored file changed since import:"),
        ):
            if d[key]:
                lines += ["", heading]
                for r in d[key]:
                    names = " — ".join(str(n) for n in (r["file_name"], r["candidate_name"]) if n)
                    trash = ", in the trash" if r["in_trash"] else ""
                    lines += [f"  {r['id']}  {names}{trash}", f"      key {r['s3_resume_key']}"]
        if d["missing"] or d["mismatched"]:
            lines += [
                "  To fix one: import its original file again (recur import FILE) and it is "
                "reported as repaired; or erase the resume (recur erase ID)."
            ]
        if d["orphans"]:
            removed = set(report.removed)
            lines += ["", "Files without a resume:"]
            lines += [f"  {key}{'  (removed)' if key in removed else ''}" for key in d["orphans"]]
            if not args.repair:
                lines += ["  recur doctor --repair removes those older than an hour."]
        if d["unrepaired"]:
            lines += ["", "Not repaired:"] + [f"  {note}" for note in d["unrepaired"]]
        return "\n".join(lines + warnings)

    remaining = report.problems_remaining
    if remaining:
        failed = CommandFailed(
            f"{remaining} problem(s) remain; see the list above.",
            doc,
        )
        failed.render = render  # type: ignore[attr-defined]
        raise failed
    return doc, render
