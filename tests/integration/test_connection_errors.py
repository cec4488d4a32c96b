"""Each connection failure is one clear sentence, never a traceback or a secret."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from recur_desktop.app import StartupError, build_context
from recur_desktop.credentials import SecretStore
from recur_desktop.settings import Settings
from tests import samples

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def password_cluster() -> Iterator[int]:
    """A throwaway cluster that checks passwords (the shared one trusts local connections)."""
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries are needed for the password test")
        pytest.skip("no PostgreSQL server binaries")
    data = Path(tempfile.mkdtemp(prefix="recur-pwpg-"))
    pwfile = data.parent / f"{data.name}.pw"
    pwfile.write_text("right-password\n")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(data, "postgres")
        shutil.chown(pwfile, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [
            *run_as,
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [
            *run_as,
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-h 127.0.0.1 -p {port} -k {data}",
            "start",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        yield port
    finally:
        subprocess.run(
            [*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(data, ignore_errors=True)
        pwfile.unlink(missing_ok=True)


def test_wrong_password_is_one_sentence_without_the_password(password_cluster, tmp_path):
    from keyring.backends import fail

    url = f"postgresql+psycopg://postgres@127.0.0.1:{password_cluster}/postgres"
    settings = Settings(data_dir=tmp_path, database_url=url, user="alice")
    wrong = SecretStore("server", backend=fail.Keyring(), env={})
    wrong.set("database-password", "not-the-password")
    with pytest.raises(StartupError) as error:
        build_context(settings, secrets=wrong)
    message = str(error.value)
    assert "refused the password" in message and "recur login" in message
    assert "not-the-password" not in message
    right = SecretStore("server", backend=fail.Keyring(), env={})
    right.set("database-password", "right-password")
    ctx = build_context(replace(settings, s3_bucket=None), secrets=right)
    ctx.close()


def test_database_that_does_not_exist(pg_url, tmp_path):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(database="recur_no_such_db").render_as_string(False)
    with pytest.raises(StartupError, match="does not exist"):
        build_context(Settings(data_dir=tmp_path, database_url=url))


def test_missing_bucket_rejects_files_with_a_clear_reason(server_settings, tmp_path):
    ctx = build_context(replace(server_settings, s3_bucket="recur-no-such-bucket"))
    try:
        path = tmp_path / "a.txt"
        path.write_bytes(samples.make_text(samples.sample_resume_text("Ann Bee", ["SQL"])))
        report = ctx.library.import_paths([path])
        assert report.added == []
        assert "bucket" in report.rejected[0].reason and "exist" in report.rejected[0].reason
        assert ctx.library.page().total == 0
    finally:
        ctx.close()
