"""A command line for people: ids by prefix, tables that name things and fit a terminal, job
editing and archived jobs, job descriptions from PDF/DOCX, and ``recur export``."""

from __future__ import annotations

import argparse
import csv
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recur_desktop.app import build_context
from recur_desktop.cli import IdRef, build_parser, run
from recur_desktop.persistence.tables import JobPostingRow
from recur_desktop.services.jobs import JobArchived
from tests import samples, sheets
from tests.integration.test_cli import cli, settings_env

__all__ = ["cli", "settings_env"]  # the CLI fixture, shared

PEOPLE = [
    ("Ada Lovelace", ["Python", "PostgreSQL"]),
    ("Grace Hopper", ["COBOL"]),
    ("Linus Torvalds", ["C", "Linux", "Python"]),
]


@pytest.fixture
def library(cli, tmp_path: Path) -> dict[str, dict]:
    """Three resumes (a PDF, a DOCX and a text file), by candidate first name."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    makers = {
        "pdf": lambda text: samples.make_pdf(text),
        "docx": lambda text: samples.make_docx(text.split("\n"), table_rows=()),
        "txt": lambda text: samples.make_text(text),
    }
    for (name, skills), ext in zip(PEOPLE, makers, strict=True):
        text = samples.sample_resume_text(name, skills)
        (folder / f"{name.split()[0].lower()}.{ext}").write_bytes(makers[ext](text))
    doc, _ = cli("import", str(folder), "--json")
    assert len(doc["added"]) == 3
    resumes, _ = cli("resumes", "--json")
    return {r["file_name"].split(".")[0]: r for r in resumes["items"]}


def add_job(cli, title: str = "Data Engineer", *extra: str) -> dict:
    job, _ = cli(
        "jobs", "add", "--title", title, "--required", "Python,PostgreSQL", *extra, "--json"
    )
    return job


# ------------------------------------------------------------------ ids
def test_every_id_argument_accepts_a_prefix():
    """Pins the rule for every command, those added later included: an argument named *_ID
    is parsed into an id reference resolved against the library, not a bare UUID."""

    def actions(parser: argparse.ArgumentParser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    yield from actions(child)
            else:
                yield action

    id_actions = [a for a in actions(build_parser()) if str(a.metavar or "").endswith("_ID")]
    assert len(id_actions) >= 10
    for action in id_actions:
        parsed = action.type("0B6F12AB")
        assert isinstance(parsed, IdRef), action.option_strings or action.dest
        assert parsed.digits == "0b6f12ab"


def test_a_unique_prefix_of_8_characters_names_resumes_jobs_and_sessions(cli, library):
    ada = library["ada"]
    job = add_job(cli)
    run_doc, _ = cli("analyze", "--job", job["id"][:8], "--resume", ada["id"][:8], "--json")
    assert [r["resume_id"] for r in run_doc["results"]] == [ada["id"]]
    results, _ = cli("results", run_doc["session_id"][:8], "--json")
    assert results["session_id"] == run_doc["session_id"]
    history, _ = cli("history", ada["id"][:13], "--json")  # with the dash, as copied
    assert history["resume"]["id"] == ada["id"]
    cli("delete", ada["id"][:8].upper())
    restored, _ = cli("restore", ada["id"][:8], "--json")  # trashed resumes resolve too
    assert restored["id"] == ada["id"]
    archived, _ = cli("jobs", "archive", job["id"][:10], "--json")
    assert archived["id"] == job["id"]


def test_a_short_or_malformed_id_is_a_usage_error(cli):
    for bad in ("0b6f12a", "not-hex-at-all", "0" * 33):
        with pytest.raises(SystemExit) as exit_info:
            run(["history", bad])
        assert exit_info.value.code == 2


def test_an_unknown_prefix_is_not_found(cli, library):
    unused = next(
        p
        for p in ("00000000", "ffffffff", "12345678")
        if not any(r["id"].startswith(p) for r in library.values())
    )
    doc, err = cli("history", unused, "--json", expect=1)
    assert doc["error"] == f"No resume of yours has an id starting with {unused}."
    assert err.count("\n") == 1


def test_another_users_ids_are_not_found_by_prefix(cli, library, settings):
    bob = build_context(replace(settings, user="bob"))
    try:
        theirs = bob.jobs.create(title="Bob's job", required_skills=["Go"])
    finally:
        bob.close()
    _, err = cli("jobs", "archive", str(theirs.id)[:8], expect=1)
    assert "No job posting of yours" in err


def test_an_ambiguous_prefix_is_a_usage_error_that_lists_the_matches(cli, library, settings):
    ctx = build_context(settings)
    twins = [
        uuid.UUID("deadbeef-0000-4000-8000-000000000001"),
        uuid.UUID("deadbeef-ffff-4000-8000-000000000002"),
    ]
    try:
        with ctx.sessions() as session:
            for n, job_id in enumerate(twins):
                session.add(
                    JobPostingRow(
                        id=job_id,
                        user_id=ctx.owner_id,
                        title=f"Twin {n}",
                        company="Initech",
                        description="",
                        required_skills=["Python"],
                        preferred_skills=[],
                        created_at=datetime.now(UTC),
                    )
                )
            session.commit()
    finally:
        ctx.close()
    out, err = cli("jobs", "archive", "deadbeef", expect=2)
    assert out == ""
    assert "ambiguous" in err and "Type more" in err
    for n, job_id in enumerate(twins):
        assert f"{job_id}  Twin {n}, Initech" in err
    doc, _ = cli("jobs", "archive", "deadbeef", "--json", expect=2)
    assert {m["id"] for m in doc["matches"]} == {str(t) for t in twins}
    archived, _ = cli("jobs", "archive", "deadbeefffff", "--json")  # one more digit: unique
    assert archived["id"] == str(twins[1])
    jobs, _ = cli("jobs", "list", "--json")
    assert [j["id"] for j in jobs["items"]] == [str(twins[0])]


# ------------------------------------------------------------------ tables
def lines_fit(out: str, width: int = 100) -> None:
    too_wide = [line for line in out.splitlines() if len(line) > width]
    assert not too_wide, too_wide


def test_analyze_lists_results_best_first_with_file_and_candidate(cli, library):
    job = add_job(cli)
    doc, _ = cli("analyze", "--job", job["id"], "--json")
    fits = [r["overall_fit_score"] for r in doc["results"]]
    assert len(fits) == 3 and fits == sorted(fits, reverse=True)
    assert {r["file_name"] for r in doc["results"]} == {"ada.pdf", "grace.docx", "linus.txt"}
    assert {r["candidate_name"] for r in doc["results"]} == {name for name, _ in PEOPLE}

    ids = {r["id"][:8] for r in library.values()}
    cli("jobs", "add", "--title", "Mainframe", "--required", "COBOL", "--json")
    jobs, _ = cli("jobs", "list", "--json")
    mainframe = next(j for j in jobs["items"] if j["title"] == "Mainframe")
    out, _ = cli("analyze", "--job", mainframe["id"])
    assert "FILE" in out and "CANDIDATE" in out
    [first, *_] = [line for line in out.splitlines() if line[:8] in ids]
    assert "grace.docx" in first and "Grace Hopper" in first  # the COBOL one leads
    lines_fit(out)

    session_id = out.split()[1].rstrip(":")
    out, _ = cli("results", session_id)
    [first, *_] = [line for line in out.splitlines() if line[:8] in ids]
    assert "grace.docx" in first and "Grace Hopper" in first
    lines_fit(out)


def test_history_names_the_file_and_the_candidate(cli, library):
    ada = library["ada"]
    cli("analyze", "--general", "--resume", ada["id"])
    out, _ = cli("history", ada["id"][:8])
    assert out.splitlines()[0] == f"ada.pdf — Ada Lovelace ({ada['id']})"
    lines_fit(out)


def test_resumes_show_short_types_and_fit_100_columns(cli, library, tmp_path):
    long_name = "Curriculum vitae of a candidate with a very long file name " * 3 + ".pdf"
    path = tmp_path / long_name
    path.write_bytes(samples.make_pdf(samples.sample_resume_text("Kate Long", ["Rust"])))
    cli("import", str(path))
    out, _ = cli("resumes")
    lines_fit(out)
    by_file = {line.split()[1]: line for line in out.splitlines()[1:] if line.strip()}
    assert by_file["ada.pdf"].split()[-2] == "PDF"
    assert by_file["grace.docx"].split()[-2] == "DOCX"
    assert by_file["linus.txt"].split()[-2] == "Text"
    [long_row] = [line for line in out.splitlines() if "Curriculum" in line]
    assert "…" in long_row and long_name not in out
    for resume in library.values():
        assert resume["id"] in out  # ids are never cut
    doc, _ = cli("resumes", "--json")
    assert long_name in {r["file_name"] for r in doc["items"]}  # --json stays complete


# ------------------------------------------------------------------ jobs
def test_jobs_list_all_marks_archived_jobs(cli):
    old = add_job(cli, "Old role")
    add_job(cli, "New role")
    cli("jobs", "archive", old["id"])
    out, _ = cli("jobs", "list")
    assert "Old role" not in out
    out, _ = cli("jobs", "list", "--all")
    [old_row] = [line for line in out.splitlines() if "Old role" in line]
    [new_row] = [line for line in out.splitlines() if "New role" in line]
    assert "archived 20" in old_row and "archived" not in new_row and new_row.endswith("open")


def test_analysing_an_archived_job_is_refused(cli, library, ctx):
    job = add_job(cli, "Closed role")
    cli("jobs", "archive", job["id"])
    doc, err = cli("analyze", "--job", job["id"], "--json", expect=1)
    assert "archived" in doc["error"] and "Closed role" in doc["error"]
    assert "Traceback" not in err
    sessions, _ = cli("sessions", "--json")
    assert sessions["items"] == []  # nothing was started
    with pytest.raises(JobArchived):
        ctx.jobs.require_open(uuid.UUID(job["id"]))


def test_jobs_edit_changes_only_what_is_given(cli, tmp_path):
    job = add_job(cli, "Data Engineer", "--company", "Initech", "--min-years", "3")
    edited, _ = cli(
        "jobs", "edit", job["id"][:8], "--title", "Senior Data Engineer",
        "--required", "Python,Spark", "--preferred", "Airflow", "--min-years", "5", "--json",
    )  # fmt: skip
    assert edited["title"] == "Senior Data Engineer"
    assert edited["company"] == "Initech"  # kept
    assert edited["required_skills"] == ["Python", "Spark"]
    assert edited["preferred_skills"] == ["Airflow"]
    assert edited["min_years"] == 5
    description = tmp_path / "role.txt"
    description.write_text("Build pipelines in Spark.", encoding="utf-8")
    edited, _ = cli(
        "jobs", "edit", job["id"], "--description-file", str(description), "--company", "",
        "--no-min-years", "--json",
    )  # fmt: skip
    assert edited["description"] == "Build pipelines in Spark."
    assert edited["company"] == "" and edited["min_years"] is None
    assert edited["required_skills"] == ["Python", "Spark"]  # not re-read from the text
    jobs, _ = cli("jobs", "list", "--json")
    assert jobs["items"] == [edited]
    _, err = cli("jobs", "edit", job["id"], expect=2)
    assert "Nothing to change" in err
    _, err = cli("jobs", "edit", job["id"], "--title", " ", expect=1)
    assert "needs a title" in err


JOB_TEXT = (
    "We are hiring a backend engineer.\n"
    "Requirements:\n"
    "- 5+ years of experience with Python and PostgreSQL\n"
    "- Docker and Kubernetes in production\n"
    "Nice to have:\n"
    "- Terraform\n"
)


@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
def test_a_job_description_file_is_read_like_a_resume(cli, tmp_path, kind):
    data = {
        "pdf": lambda: samples.make_pdf(JOB_TEXT),
        "docx": lambda: samples.make_docx(JOB_TEXT.split("\n"), table_rows=()),
        "txt": lambda: samples.make_text(JOB_TEXT, "utf-16"),
    }[kind]()
    path = tmp_path / f"job.{kind}"
    path.write_bytes(data)
    job, _ = cli("jobs", "add", "--title", "Backend", "--description-file", str(path), "--json")
    assert "Kubernetes in production" in job["description"]
    assert {"Python", "PostgreSQL", "Docker", "Kubernetes"} <= set(job["required_skills"])
    assert job["min_years"] == 5


def test_an_unreadable_job_description_file_is_one_clear_line(cli, tmp_path):
    path = tmp_path / "job.png"
    path.write_bytes(samples.make_png())
    doc, err = cli(
        "jobs", "add", "--title", "X", "--description-file", str(path), "--json", expect=1
    )
    assert doc["error"].startswith("Can't use job.png as the description:")
    assert "codec" not in doc["error"] and err.count("\n") == 1
    _, err = cli(
        "jobs", "add", "--title", "X", "--description-file", str(tmp_path / "no"), expect=1
    )
    assert "Can't read the description file" in err


# ------------------------------------------------------------------ export
def test_export_writes_csv_and_xlsx_and_never_overwrites_without_force(cli, library, tmp_path):
    job = add_job(cli)
    run_doc, _ = cli("analyze", "--job", job["id"], "--json")
    session = run_doc["session_id"]
    best = run_doc["results"][0]

    out_csv = tmp_path / "short.csv"
    doc, _ = cli("export", session[:8], "--output", str(out_csv), "--json")
    assert doc["format"] == "csv" and doc["rows"] == 3 and doc["path"] == str(out_csv)
    with out_csv.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][1] == best["file_name"] and float(rows[1][4]) == best["overall_fit_score"]

    out_xlsx = tmp_path / "short.sheet"
    text, _ = cli("export", session, "-o", str(out_xlsx), "--format", "xlsx")
    assert text.startswith("Saved 3 result(s)") and "(XLSX)" in text
    table = sheets.values(out_xlsx, width=9)
    assert table[1][1] == best["file_name"] and table[1][4] == best["overall_fit_score"]

    out_csv.write_text("keep me", encoding="utf-8")
    _, err = cli("export", session, "--output", str(out_csv), expect=1)
    assert "already exists" in err and "--force" in err
    assert out_csv.read_text(encoding="utf-8") == "keep me"
    cli("export", session, "--output", str(out_csv), "--force")
    assert out_csv.read_text(encoding="utf-8-sig").startswith("rank,file_name")

    _, err = cli("export", session, "--output", str(tmp_path / "short.txt"), expect=2)
    assert "--format" in err
    assert not (tmp_path / "short.txt").exists()


def test_tables_cut_long_text_but_never_ids_dates_or_scores():
    from datetime import datetime as dt

    from recur_desktop.cli import table

    row = {
        "id": str(uuid.uuid4()),
        "file_name": "x" * 80,
        "candidate_name": "漢字" * 20,  # wide characters take two columns each
        "created_at": dt(2026, 1, 2, 3, 4),
        "overall_fit_score": 87.5,
        "state": "archived 2026-01-02",
    }
    columns = list(row)
    out = table([row], columns, width=100)
    header, line = out.splitlines()
    assert row["id"] in line and "2026-01-02 03:04" in line and "87.5" in line
    assert "archived 2026-01-02" in line
    assert "…" in line and "x" * 80 not in line
    wide = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line)
    assert wide <= 100 and len(header) <= 100
    assert table([row], columns, width=400).splitlines()[1].count("…") == 0  # room: no cut
