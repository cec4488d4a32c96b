"""The ``recur`` command-line contract, driven as a user (or a script) would drive it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from recur_desktop.cli import main as cli_module
from recur_desktop.cli import run
from recur_desktop.services import ServiceError
from recur_desktop.settings import Settings
from tests import samples


def settings_env(settings: Settings) -> dict[str, str]:
    env = {"RECUR_DATA_DIR": str(settings.data_dir), "RECUR_USER": settings.user}
    if settings.database_url:
        env["RECUR_DATABASE_URL"] = settings.database_url
    if settings.s3_bucket:
        env["RECUR_S3_BUCKET"] = settings.s3_bucket
        env["RECUR_S3_ENDPOINT_URL"] = settings.s3_endpoint_url or ""
        env["RECUR_S3_REGION"] = settings.s3_region or ""
    return env


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)

    def invoke(*argv: str, expect: int = 0):
        code = run(list(argv))
        out, err = capsys.readouterr()
        assert code == expect, f"exit {code}, stdout: {out} stderr: {err}"
        return (json.loads(out) if "--json" in argv else out), err

    return invoke


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, skills in [
        ("Ada Lovelace", ["Python", "PostgreSQL"]),
        ("Grace Hopper", ["COBOL"]),
        ("Linus Torvalds", ["C", "Linux"]),
    ]:
        text = samples.sample_resume_text(name, skills)
        (folder / f"{name.split()[0].lower()}.pdf").write_bytes(samples.make_pdf(text))
    (folder / "empty.docx").write_bytes(b"")
    (folder / "locked.pdf").write_bytes(samples.make_encrypted_pdf("secret " * 50))
    return folder


def test_full_flow_through_the_cli(cli, inbox):
    imported, _ = cli("import", str(inbox), "--json")
    assert len(imported["added"]) == 3
    assert {r["file_name"] for r in imported["rejected"]} == {"empty.docx", "locked.pdf"}
    assert all(r["reason"].endswith(".") for r in imported["rejected"])
    for added in imported["added"]:
        uuid.UUID(added["id"])
        assert added["s3_resume_key"].endswith(added["content_sha256"] + ".pdf")

    again, _ = cli("--json", "import", str(inbox / "ada.pdf"))
    ada_id = next(a["id"] for a in imported["added"] if a["file_name"] == "ada.pdf")
    assert again["duplicates"] == [
        {"file_name": "ada.pdf", "id": ada_id, "restored_from_trash": False}
    ]

    job, _ = cli(
        "jobs",
        "add",
        "--title",
        "Data Engineer",
        "--required",
        "Python,PostgreSQL",
        "--preferred",
        "Docker",
        "--min-years",
        "3",
        "--json",
    )
    assert job["required_skills"] == ["Python", "PostgreSQL"]
    jobs, _ = cli("jobs", "list", "--json")
    assert [j["id"] for j in jobs["items"]] == [job["id"]]

    available, _ = cli("available", "--job", job["id"], "--json")
    assert available["total"] == 3
    assert set(available["items"][0]) >= {
        "id",
        "file_name",
        "s3_resume_key",
        "content_sha256",
        "size_bytes",
        "media_type",
        "created_at",
    }

    analysed, _ = cli("analyze", "--job", job["id"], "--resume", ada_id, "--json")
    assert analysed["status"] == "completed"
    [result] = analysed["results"]
    assert result["resume_id"] == ada_id and result["status"] == "ok"
    assert 0 <= result["overall_fit_score"] <= 100
    assert set(result["matched_skills"]) == {"Python", "PostgreSQL"}
    assert result["missing_skills"] == ["Docker"]

    available, _ = cli("available", "--job", job["id"], "--json")
    assert available["total"] == 2 and ada_id not in {r["id"] for r in available["items"]}
    general, _ = cli("available", "--general", "--limit", "1", "--json")
    assert general["total"] == 3 and len(general["items"]) == 1

    cli("analyze", "--general", "--name", "First pass", "--json")
    sessions, _ = cli("sessions", "--json")
    assert [s["session_name"] for s in sessions["items"]][0] == "First pass"
    assert {s["result_count"] for s in sessions["items"]} == {1, 3}
    only_job, _ = cli("sessions", "--job", job["id"], "--json")
    assert [s["status"] for s in only_job["items"]] == ["completed"]

    history, _ = cli("history", ada_id, "--json")
    assert history["resume"]["id"] == ada_id
    assert [h["job_title"] for h in history["items"]] == ["General", "Data Engineer"]
    assert history["items"][1]["job_posting_id"] == job["id"]

    cli("delete", ada_id)
    trash, _ = cli("trash", "--json")
    assert [r["id"] for r in trash["items"]] == [ada_id]
    resumes, _ = cli("resumes", "--json")
    assert resumes["total"] == 2
    cli("restore", ada_id)
    found, _ = cli("resumes", "--search", "lovelace", "--json")
    assert [r["id"] for r in found["items"]] == [ada_id]

    doctor, _ = cli("doctor", "--json")
    consistency = {k: v for k, v in doctor.items() if k not in ("trust_authentication", "warnings")}
    assert consistency == {
        "orphans": [],
        "missing": [],
        "mismatched": [],
        "repaired": 0,
        "unrepaired": [],
    }
    cli("erase", ada_id, "--yes")
    resumes, _ = cli("resumes", "--json")
    assert resumes["total"] == 2
    cli("jobs", "archive", job["id"])
    jobs, _ = cli("jobs", "list", "--json")
    assert jobs["items"] == []


def test_readable_tables_without_json(cli, inbox):
    out, _ = cli("import", str(inbox))
    assert "3 added" in out and "password-protected" in out
    out, _ = cli("resumes")
    assert "ada.pdf" in out and "3 shown of 3" in out


def test_unknown_ids_exit_1_with_one_clear_line(cli):
    missing = str(uuid.uuid4())
    doc, err = cli("history", missing, "--json", expect=1)
    assert "No resume" in doc["error"]
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    _, err = cli("available", "--job", missing, expect=1)
    assert "No job posting" in err


def test_failed_session_exits_1_and_still_reports_it(cli, inbox):
    cli("import", str(inbox))
    job, _ = cli("jobs", "add", "--title", "Vague", "--json")
    doc, err = cli("analyze", "--job", job["id"], "--json", expect=1)
    assert doc["status"] == "failed" and "lists no skills" in doc["error"]
    assert "failed" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["available", "--job", str(uuid.uuid4()), "--general"],
        ["available"],
        ["analyze", "--general", "--resume", "not-a-uuid"],
        ["resumes", "--limit", "0"],
        ["jobs", "add"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().out == ""


def test_unreachable_database_is_one_line_exit_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RECUR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(
        "RECUR_DATABASE_URL", "postgresql+psycopg://someone:hunter2@127.0.0.1:1/nowhere"
    )
    code = run(["resumes", "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Can't reach the library database" in err
    assert "hunter2" not in err + out
    assert json.loads(out)["error"].startswith("Can't reach")


def test_module_entry_point_and_json_before_subcommand(tmp_path):
    env = {
        **os.environ,  # RECUR_* already isolated by the autouse fixture
        "RECUR_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "recur_desktop", "--json", "jobs", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"items": []}
    usage = subprocess.run(
        [
            sys.executable,
            "-m",
            "recur_desktop",
            "available",
            "--general",
            "--job",
            str(uuid.uuid4()),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert usage.returncode == 2 and usage.stdout == ""


def test_job_skills_are_proposed_from_a_pasted_description(cli, tmp_path):
    description = tmp_path / "job.txt"
    description.write_text(
        "We are hiring a backend engineer.\n"
        "Requirements:\n- 5+ years of experience with Python and PostgreSQL\n"
        "- Docker and Kubernetes in production\n"
        "Nice to have:\n- Terraform\n",
        encoding="utf-8",
    )
    job, _ = cli(
        "jobs",
        "add",
        "--title",
        "Backend Engineer",
        "--description-file",
        str(description),
        "--json",
    )
    assert job["skills_proposed_from_description"] is True
    assert {"Python", "PostgreSQL", "Docker", "Kubernetes"} <= set(job["required_skills"])
    assert "Terraform" in job["preferred_skills"]
    assert job["min_years"] == 5
    given, _ = cli(
        "jobs", "add", "--title", "X", "--description", "Python, Go", "--required", "Rust", "--json"
    )
    assert given["required_skills"] == ["Rust"] and not given["skills_proposed_from_description"]


# ------------------------------------------------------------------ secrets and hostile names
PASSWORD = "pw-Secret-9137"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://someone:{PASSWORD}@127.0.0.1:1/nowhere",
        f"postgresql+psycopg://someone@127.0.0.1:1/nowhere?password={PASSWORD}",
        f"postgresql+psycopg://someone@127.0.0.1:1/nowhere?connect_timeout=5&password={PASSWORD}",
    ],
)
@pytest.mark.parametrize("flags", [[], ["--json"], ["--debug"], ["--json", "--debug"]])
def test_a_dead_database_with_a_password_in_its_address_never_prints_it(
    url, flags, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("RECUR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RECUR_DATABASE_URL", url)
    code = run(["resumes", *flags])
    out, err = capsys.readouterr()
    assert code == 1
    assert PASSWORD not in out and PASSWORD not in err
    assert "Can't reach the library database at postgresql+psycopg://someone" in err
    if "--json" in flags:
        assert json.loads(out)["error"].startswith("Can't reach")


@pytest.mark.parametrize(
    "address",
    [
        f"postgresql+psycopg://alice:{PASSWORD}@db.example/recur",
        f"postgresql+psycopg://alice@db.example/recur?password={PASSWORD}",
        f"postgresql+psycopg://alice@db.example/recur?sslmode=require&password={PASSWORD}",
        f"host=db.example user=alice password={PASSWORD} dbname=recur",
        f"host=db.example user=alice password='{PASSWORD} x' dbname=recur",
    ],
)
@pytest.mark.parametrize("error", [ServiceError, RuntimeError])
def test_a_password_in_a_commands_error_is_masked_in_text_json_and_traceback(
    address, error, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("RECUR_DATA_DIR", str(tmp_path))

    def fails(ctx, args):
        raise error(f"could not use {address}")

    monkeypatch.setitem(cli_module.COMMANDS, "resumes", fails)
    for flags in ([], ["--json"], ["--debug"], ["--json", "--debug"]):
        code = run(["resumes", *flags])
        out, err = capsys.readouterr()
        assert code == 1
        assert PASSWORD not in out and PASSWORD not in err, flags
        if "--json" in flags:
            assert PASSWORD not in json.loads(out)["error"]
        if error is ServiceError and "--json" not in flags:
            assert "could not use" in err and "***" in err  # masked, not dropped
        if "--debug" in flags:
            assert "Traceback" in err


HOSTILE = "a\x1b[31mred\u202eexe.pdf\nx"
HOSTILE_SHOWN = "a\\x1b[31mred\\u202eexe.pdf\\nx"


def test_a_hostile_file_name_is_escaped_in_tables_and_exact_in_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RECUR_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / HOSTILE
    path.write_bytes(samples.make_pdf(samples.sample_resume_text("Eve Mallory", ["SQL"])))

    assert run(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert HOSTILE_SHOWN in out and "\x1b" not in out and "\u202e" not in out

    assert run(["resumes"]) == 0
    out = capsys.readouterr().out
    [row] = [line for line in out.splitlines() if HOSTILE_SHOWN in line]
    assert "\x1b" not in out and "\u202e" not in out
    assert out.splitlines()[1] == row  # the row follows the header: no forged line before it

    assert run(["resumes", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["items"][0]["file_name"] == HOSTILE
    assert "\x1b" not in out and "\u202e" not in out


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    """`recur resumes | head`: no traceback when the reader stops early."""
    env = {**os.environ, "RECUR_DATA_DIR": str(tmp_path / "data"), "RECUR_USER": "alice"}
    env["RECUR_CONFIG_DIR"] = str(tmp_path / "config")
    proc = subprocess.Popen(
        [sys.executable, "-m", "recur_desktop", "--json", "jobs", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # the reader leaves before the first byte
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err
