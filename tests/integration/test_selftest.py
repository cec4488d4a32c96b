"""``recur self-test``: the installation check runs end to end and reports every step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recur_desktop import selftest
from recur_desktop.cli import run

ROOT = Path(__file__).resolve().parents[2]
STEPS = [
    "resources",
    "profile",
    "import samples",
    "create job",
    "analyze",
    "history",
    "main window",
    "clean up",
]


def test_self_test_passes_in_process_and_leaves_no_trace(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "my-library"
    monkeypatch.setenv("RECUR_DATA_DIR", str(data))
    monkeypatch.setenv("RECUR_DATABASE_URL", "postgresql+psycopg://nobody@unreachable.invalid/x")
    assert run(["self-test", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True
    assert [s["name"] for s in doc["steps"]] == STEPS
    assert all(s["ok"] for s in doc["steps"])
    # The user's own profile was neither used nor created, and is back in the environment.
    assert not data.exists()
    assert os.environ["RECUR_DATA_DIR"] == str(data)
    assert os.environ["RECUR_DATABASE_URL"].startswith("postgresql")


def test_a_failing_step_stops_the_test_and_exits_1(
    qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from recur_desktop.services import LibraryService

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(LibraryService, "import_paths", broken)
    assert run(["self-test", "--json"]) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["ok"] is False
    assert [(s["name"], s["ok"]) for s in doc["steps"]][-1] == ("import samples", False)
    assert "disk full" in doc["steps"][-1]["detail"]
    assert captured.err.strip().splitlines() == [
        "recur: self-test failed at 'import samples': OSError: disk full"
    ]


def test_self_test_as_a_command(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECUR_", "QT_QPA"))}
    env["RECUR_LOG_DIR"] = str(tmp_path / "logs")
    env["RECUR_CONFIG_DIR"] = str(tmp_path / "config")
    done = subprocess.run(
        [sys.executable, "-m", "recur_desktop", "self-test", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ok"] is True and [s["name"] for s in doc["steps"]] == STEPS
    assert (tmp_path / "logs" / "recur.log").exists()
    assert not (tmp_path / "config" / "settings.json").exists()


def test_self_test_is_listed_in_help(tmp_path: Path):
    parser_help = subprocess.run(
        [sys.executable, "-m", "recur_desktop", "--help"],
        cwd=ROOT,
        env={**os.environ, "RECUR_LOG_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "self-test" in parser_help
    assert selftest.STANDALONE["self-test"] is selftest.cmd_self_test
