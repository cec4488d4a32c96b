"""After a whole working session, no secret rests anywhere we write: settings, output, logs,
the database or the bucket."""

from __future__ import annotations

import logging
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from recur_desktop.cli import run
from recur_desktop.settings import load_settings, save_settings, settings_path
from tests import samples


def test_no_secret_lands_in_settings_output_database_or_bucket(
    server_settings, s3_client, monkeypatch, capsys, caplog, tmp_path
):
    password = f"pw-{uuid.uuid4().hex}"
    secret_key = f"sk-{uuid.uuid4().hex}"
    monkeypatch.setenv("RECUR_DATABASE_PASSWORD", password)
    monkeypatch.setenv("RECUR_S3_SECRET_ACCESS_KEY", secret_key)
    monkeypatch.setenv("RECUR_DATA_DIR", str(server_settings.data_dir))
    monkeypatch.setenv("RECUR_DATABASE_URL", server_settings.database_url)
    monkeypatch.setenv("RECUR_S3_BUCKET", server_settings.s3_bucket)
    monkeypatch.setenv("RECUR_S3_ENDPOINT_URL", server_settings.s3_endpoint_url)
    monkeypatch.setenv("RECUR_S3_REGION", "us-east-1")
    monkeypatch.setenv("RECUR_S3_ACCESS_KEY_ID", "AKIATESTRECUR")
    save_settings(load_settings())
    caplog.set_level(logging.DEBUG)

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(samples.make_pdf(samples.sample_resume_text("Ada X", ["SQL"])))
    (inbox / "bad.pdf").write_bytes(samples.make_encrypted_pdf("secret " * 40))
    outputs = []
    for argv in (
        ["import", str(inbox), "--json"],
        ["jobs", "add", "--title", "DBA", "--required", "SQL", "--json"],
        ["analyze", "--general", "--json"],
        ["resumes", "--debug"],
        ["doctor", "--json"],
        ["history", str(uuid.uuid4()), "--debug"],
    ):
        run(argv)
        outputs.append(capsys.readouterr())
    # Errors provoked with the secrets in play: a dead database and a missing bucket.
    bad_url = make_url(server_settings.database_url).set(port=1)
    monkeypatch.setenv("RECUR_DATABASE_URL", bad_url.render_as_string(hide_password=False))
    assert run(["resumes", "--debug"]) == 1
    outputs.append(capsys.readouterr())
    monkeypatch.setenv("RECUR_DATABASE_URL", server_settings.database_url)
    monkeypatch.setenv("RECUR_S3_BUCKET", "no-such-bucket-recur")
    run(["import", str(inbox / "a.pdf"), "--debug"])
    outputs.append(capsys.readouterr())

    places: dict[str, str] = {"settings file": settings_path().read_text()}
    places["stdout/stderr"] = "\n".join(o.out + o.err for o in outputs)
    places["log records"] = "\n".join(r.getMessage() for r in caplog.records)
    places["data dir"] = (
        "\n".join(
            p.read_bytes().decode("latin-1")
            for p in Path(server_settings.data_dir).rglob("*")
            if p.is_file()
        )
        if Path(server_settings.data_dir).exists()
        else ""
    )
    if shutil.which("pg_dump"):
        url = make_url(server_settings.database_url)
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                url.host,
                "-p",
                str(url.port or 5432),
                "-U",
                url.username,
                url.database,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        places["database dump"] = dump.stdout
        assert "resumes" in dump.stdout
    else:  # pragma: no cover - the client ships with the server on our machines
        pytest.fail("pg_dump is needed to scan the database")
    bucket_text = []
    for page in s3_client.get_paginator("list_objects_v2").paginate(
        Bucket=server_settings.s3_bucket
    ):
        for item in page.get("Contents", []):
            head = s3_client.head_object(Bucket=server_settings.s3_bucket, Key=item["Key"])
            body = s3_client.get_object(Bucket=server_settings.s3_bucket, Key=item["Key"])
            bucket_text.append(str(head.get("Metadata")) + body["Body"].read().decode("latin-1"))
    assert bucket_text, "the session stored at least one object"
    places["bucket"] = "\n".join(bucket_text)

    for where, content in places.items():
        assert password not in content, f"database password found in {where}"
        assert secret_key not in content, f"S3 secret key found in {where}"
    assert "AKIATESTRECUR" in places["settings file"]  # names are fine, and are there
