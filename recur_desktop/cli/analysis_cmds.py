"""Commands over jobs and analyses: jobs, available, analyze, sessions, results, export,
history, migrate-legacy."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from recur_desktop.analysis import (
    describe_analyzer,
    describe_analyzers,
    split_analyzer,
)
from recur_desktop.cli.common import (
    CommandFailed,
    Renderer,
    UsageError,
)
from recur_desktop.cli.library_cmds import (
    _day,
    _render_resume_page,
)
from recur_desktop.cli.output import (
    _cell,
    _fit,
    _page_doc,
    _table_width,
    history_doc,
    job_doc,
    outcome_doc,
    resume_doc,
    session_doc,
    table,
)
from recur_desktop.domain import (
    SessionStatus,
)
from recur_desktop.services import ServiceError
from recur_desktop.services.export import ExportExists, export_session, format_for
from recur_desktop.services.jobs import read_description_file

if TYPE_CHECKING:  # for the checker only: the entry points alone import the composition root
    from recur_desktop.app import AppContext


def _cmd_jobs(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    columns = ["id", "title", "company", "required_skills", "min_years"]
    if args.jobs_command == "add":
        description = args.description or ""
        if args.description_file is not None:
            description = read_description_file(args.description_file)
        required, preferred, min_years = args.required, args.preferred, args.min_years
        proposed = False
        if description.strip() and not (required or preferred):
            # Read the skills from the pasted description; the user edits the job if needed.
            proposal = ctx.jobs.propose_requirements(description, title=args.title)
            required, preferred = list(proposal.required), list(proposal.preferred)
            if min_years is None:
                min_years = proposal.min_years
            proposed = True
        job = ctx.jobs.create(
            title=args.title,
            company=args.company,
            description=description,
            required_skills=required,
            preferred_skills=preferred,
            min_years=min_years,
        )
        doc = {**job_doc(job), "skills_proposed_from_description": proposed}

        def render(d: dict[str, Any]) -> str:
            note = (
                "\nSkills and minimum years were read from the description; "
                "check them with `recur jobs list`."
                if d["skills_proposed_from_description"]
                else ""
            )
            return table([d], columns) + note

        return doc, render
    if args.jobs_command == "archive":
        job = ctx.jobs.archive(args.id)
        return job_doc(job), lambda d: f"Archived {d['title']} ({d['id']})."
    if args.jobs_command == "edit":
        return _edit_job(ctx, args), lambda d: "Saved.\n" + table([d], columns)
    items = [job_doc(j) for j in ctx.jobs.list(include_archived=args.all)]
    if not args.all:
        return {"items": items}, lambda d: table(d["items"], columns)

    def render_all(d: dict[str, Any]) -> str:
        rows = [
            {**j, "state": f"archived {_day(j['archived_at'])}" if j["archived_at"] else "open"}
            for j in d["items"]
        ]
        return table(rows, [*columns, "state"])

    return {"items": items}, render_all


def _edit_job(ctx: AppContext, args: argparse.Namespace) -> dict[str, Any]:
    """``jobs edit``: only the options given change (a job's skills are not re-read from a new
    description: what the recruiter set stays theirs)."""
    description = args.description
    if args.description_file is not None:
        description = read_description_file(args.description_file)
    changes: dict[str, Any] = {
        "title": args.title,
        "company": args.company,
        "description": description,
        "required_skills": args.required,
        "preferred_skills": args.preferred,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.no_min_years:
        changes["min_years"] = None
    elif args.min_years is not None:
        changes["min_years"] = args.min_years
    if not changes:
        raise UsageError(
            "Nothing to change: give --title, --company, --description(-file), --required, "
            "--preferred, --min-years or --no-min-years."
        )
    return job_doc(ctx.jobs.edit(args.id, **changes))


def _cmd_available(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    page = ctx.analysis.available(args.job, limit=args.limit, offset=args.offset)
    return _page_doc(page), _render_resume_page


def _render_results(d: dict[str, Any]) -> str:
    head = f"Session {d['session_id']}: {d['status']}"
    if d.get("error"):
        head += f" ({d['error']})"
    # A failed result has no summary but a reason: one column for either saves the width.
    rows = [{**r, "summary": r.get("summary") or r.get("error")} for r in d["results"]]
    body = table(
        rows,
        [
            "resume_id",
            "file_name",
            "candidate_name",
            "status",
            "overall_fit_score",
            "skill_match_score",
            "summary",
        ],
    )
    return f"{head}\n\n{body}{_scored_by(d['results'], _result_file, 'result', 'results')}"


def _result_file(row: dict[str, Any]) -> str:
    return _cell(row.get("file_name") or row["resume_id"])


def _history_entry(row: dict[str, Any]) -> str:
    return f"{_cell(row['created_at'])} {_cell(row['job_title'])}"


def _scored_by(
    rows: Sequence[dict[str, Any]],
    name: Callable[[dict[str, Any]], str],
    one: str,
    many: str,
    *,
    named: Callable[[dict[str, Any]], bool] = lambda row: bool(row.get("fallback_reason")),
) -> str:
    """Which analyzer scored the rows, once per analyzer, in full (a table cell would be cut
    to fit the terminal); a fallback also names its rows. Rows are usually all scored alike,
    so a column would only repeat one sentence."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("scored_by"):
            groups.setdefault(row["scored_by"], []).append(row)
    lines = []
    for words, members in groups.items():
        count = f"{len(members)} {one if len(members) == 1 else many}"
        if named(members[0]):
            count += ": " + ", ".join(name(r) for r in members)
        lines.append(f"  {_cell(words)} ({count})")
    return "\n\nScored by:\n" + "\n".join(lines) if lines else ""


def _cmd_analyze(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    if args.job is not None:
        ctx.jobs.require_open(args.job)  # an archived job gets no new scores
    run = ctx.analysis.analyze(
        args.job,
        resume_ids=args.resume or None,
        include_analyzed=args.include_analyzed,
        name=args.name,
    )
    # Best first, with the file and candidate of each (what `results` shows for the session).
    outcomes = ctx.analysis.results(run.session.id)[1] if run.outcomes else run.outcomes
    doc = {
        "session_id": run.session.id,
        "session_name": run.session.session_name,
        "job_posting_id": run.session.job_posting_id,
        "status": run.session.status,
        "error": run.session.error,
        "analyzer": run.session.analyzer,
        "results": [outcome_doc(o) for o in outcomes],
    }
    if run.session.status == SessionStatus.FAILED:
        raise CommandFailed(f"The analysis session failed: {run.session.error}", doc)
    return doc, _render_results


def _cmd_sessions(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    items = [session_doc(s) for s in ctx.analysis.sessions(job_id=args.job, general=args.general)]
    columns = ["id", "session_name", "status", "result_count", "created_at"]

    def render(d: dict[str, Any]) -> str:
        # Words for people, below the table (a cell would be cut); --json keeps the stored
        # "name version" list. Sessions where another analyzer than the one asked for scored
        # (a fallback) are named.
        rows = [
            {
                **item,
                "scored_by": describe_analyzers(item["analyzers"])
                or describe_analyzer(*split_analyzer(item["analyzer"])),
                "mixed": item["analyzers"] not in ([], [item["analyzer"]]),
            }
            for item in d["items"]
        ]
        notes = _scored_by(
            rows, lambda row: _cell(row["id"]), "session", "sessions", named=lambda r: r["mixed"]
        )
        return table(rows, columns) + notes

    return {"items": items}, render


def _cmd_results(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    session, outcomes = ctx.analysis.results(args.id)
    doc = {
        "session_id": session.id,
        "session": session_doc(session),
        "status": session.status,
        "error": session.error,
        "results": [outcome_doc(o) for o in outcomes],
    }
    return doc, _render_results


def _cmd_export(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    try:
        kind = format_for(args.output, args.format)
    except ServiceError as exc:
        raise UsageError(f"{exc} (--format csv or --format xlsx)") from exc
    try:
        report = export_session(
            ctx.analysis, args.id, args.output, format=kind, overwrite=args.force
        )
    except ExportExists as exc:
        raise ServiceError(f"{exc.path} already exists; add --force to replace it.") from exc
    doc = {
        "path": report.path.resolve(),
        "format": report.format,
        "rows": report.rows,
        "session_id": report.session_id,
        "session_name": report.session_name,
    }

    def render(d: dict[str, Any]) -> str:
        kind = str(d["format"]).upper()
        return f"Saved {d['rows']} result(s) of {d['session_name']} to {d['path']} ({kind})."

    return doc, render


def _cmd_history(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    resume, items = ctx.analysis.history(args.id)
    doc = {"resume": resume_doc(resume), "items": [history_doc(h) for h in items]}

    def render(d: dict[str, Any]) -> str:
        resume = d["resume"]
        who = f" — {resume['candidate_name']}" if resume["candidate_name"] else ""
        room = _table_width() - len(f"{who} ({resume['id']})")  # the file name gives way
        title = f"{_fit(resume['file_name'], max(room, 12))}{who} ({resume['id']})"
        if not d["items"]:
            return f"{title}\n\nNot analysed yet."
        columns = [
            "created_at",
            "job_title",
            "session_name",
            "status",
            "overall_fit_score",
            "skill_match_score",
            "summary",
        ]
        body = table(d["items"], columns)
        return f"{title}\n\n{body}{_scored_by(d['items'], _history_entry, 'analysis', 'analyses')}"

    return doc, render


def _cmd_migrate_legacy(ctx: AppContext, args: argparse.Namespace) -> tuple[Any, Renderer]:
    from recur_desktop import cli_legacy

    return cli_legacy.command(ctx, args)
