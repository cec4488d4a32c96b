"""The argument parser: every command, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path

from recur_desktop import __version__
from recur_desktop.cli.common import (
    _common,
    _context,
    _date,
    _job_id,
    _non_negative_float,
    _paging,
    _positive_int,
    _resume_id,
    _session_id,
    _skills,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recur",
        description="Recur Desktop: a resume library scored against your job postings.",
        epilog="Ids: give a whole id or its first 8 or more characters, like git (0b6f12ab).",
    )
    parser.add_argument("--version", action="version", version=f"recur {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        return p

    p = command("import", "import resume files and folders (PDF, DOCX, TXT)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--job", type=_job_id, metavar="JOB_ID", help="upload context (optional)")
    p.add_argument(
        "--accept-any",
        action="store_true",
        help="import files the resume gate turns away (a README, a job ad, a note) too; the "
        "size, page and text limits still apply",
    )

    p = command(
        "watch",
        "import the files that appear in a folder, once each, until Ctrl+C (files being written "
        "wait until their size settles; files turned away are not read again until they change)",
    )
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument("--once", action="store_true", help="one pass, then print what it did")
    p.add_argument(
        "--interval",
        type=_non_negative_float,
        default=5.0,
        metavar="SECONDS",
        help="between passes (default 5)",
    )

    p = command("resumes", "list the library")
    p.add_argument("--search", metavar="TEXT", help="file name, candidate or text")
    _paging(p)

    p = command("jobs", "job postings")
    jobs = p.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    add = jobs.add_parser("add", help="create a job posting")
    _common(add, top=False)
    add.add_argument("--title", required=True)
    add.add_argument("--company", default="")
    text = add.add_mutually_exclusive_group()
    text.add_argument("--description", default=None)
    text.add_argument(
        "--description-file", type=Path, default=None, metavar="FILE", help="PDF, DOCX or TXT"
    )
    add.add_argument("--required", type=_skills, default=[], metavar="a,b,c")
    add.add_argument("--preferred", type=_skills, default=[], metavar="a,b,c")
    add.add_argument("--min-years", type=_non_negative_float, default=None, metavar="N")
    edit_help = "change the fields given of a job posting (past results keep their scores)"
    edit = jobs.add_parser("edit", help=edit_help, description=edit_help)
    _common(edit, top=False)
    edit.add_argument("id", type=_job_id, metavar="JOB_ID")
    edit.add_argument("--title", default=None)
    edit.add_argument("--company", default=None)
    text = edit.add_mutually_exclusive_group()
    text.add_argument("--description", default=None)
    text.add_argument(
        "--description-file", type=Path, default=None, metavar="FILE", help="PDF, DOCX or TXT"
    )
    edit.add_argument("--required", type=_skills, default=None, metavar="a,b,c")
    edit.add_argument("--preferred", type=_skills, default=None, metavar="a,b,c")
    years = edit.add_mutually_exclusive_group()
    years.add_argument("--min-years", type=_non_negative_float, default=None, metavar="N")
    years.add_argument("--no-min-years", action="store_true", help="remove the minimum")
    listing = jobs.add_parser("list", help="list job postings")
    _common(listing, top=False)
    listing.add_argument("--all", action="store_true", help="include archived jobs (marked)")
    archive = jobs.add_parser("archive", help="archive a job posting (its history stays)")
    _common(archive, top=False)
    archive.add_argument("id", type=_job_id, metavar="JOB_ID")

    p = command("available", "resumes not yet analysed for a job (or for general analysis)")
    _context(p, required=True)
    _paging(p)

    p = command("analyze", "score resumes against a job (or a general analysis)")
    _context(p, required=True)
    p.add_argument("--name", default=None, help="session name")
    p.add_argument("--resume", type=_resume_id, action="append", default=[], metavar="RESUME_ID")
    p.add_argument(
        "--include-analyzed", action="store_true", help="also re-analyse already analysed resumes"
    )

    p = command("sessions", "analysis sessions, newest first")
    _context(p, required=False)

    p = command("results", "one session's results, best fit first")
    p.add_argument("id", type=_session_id, metavar="SESSION_ID")

    p = command("export", "save one session's results, best fit first, as CSV or XLSX")
    p.add_argument("id", type=_session_id, metavar="SESSION_ID")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--format", choices=["csv", "xlsx"], default=None, help="default: from FILE's suffix"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = command("history", "every analysis of one resume, newest first")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")

    p = command("delete", "move a resume to the trash")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p = command("restore", "bring a resume back from the trash")
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p = command("trash", "list the trash")
    _paging(p)
    p = command(
        "purge",
        "remove resumes from the trash for good (rows, then files); never touches the library",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--older-than-days",
        type=_non_negative_float,
        default=None,
        metavar="N",
        help="trashed more than N days ago (default 30)",
    )
    which.add_argument(
        "--id",
        type=_resume_id,
        default=None,
        metavar="RESUME_ID",
        help="one trashed resume now (to remove a resume in the library, use erase)",
    )
    p = command(
        "erase",
        "erase one resume for good, in the library or the trash, with its file and history "
        "(a candidate's erasure request); asks first",
    )
    p.add_argument("id", type=_resume_id, metavar="RESUME_ID")
    p.add_argument(
        "--yes", action="store_true", help="don't ask (needed when input is not a terminal)"
    )

    p = command("audit", "erasures, purges and repairs of your library, newest first")
    p.add_argument("--since", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=_positive_int, default=1000)

    p = command(
        "doctor",
        "check that every resume has its file and no file lacks a resume; lists each problem "
        "and exits 1 while any remains",
    )
    p.add_argument(
        "--repair",
        action="store_true",
        help="remove files without a resume older than 1 h (a missing or changed file comes "
        "back by importing its original again)",
    )

    from recur_desktop import cli_admin

    cli_admin.add_parsers(sub, _common)
    from recur_desktop import cli_legacy

    cli_legacy.add_parser(sub, _common)
    from recur_desktop import selftest

    selftest.add_parser(sub, _common)
    return parser
