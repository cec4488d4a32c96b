"""Storage failing mid-batch, and two processes importing the same files at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from recur_desktop.app import build_context
from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client
from tests import samples


def make_resumes(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"resume-{i:03d}.txt"
        text = samples.sample_resume_text(f"Candidate Number{i}", ["Python", "SQL"])
        path.write_bytes(samples.make_text(f"{text}\nReference {i}\n"))
        paths.append(path)
    return paths


def test_storage_going_away_mid_batch_loses_nothing(server_settings, aws_test_env, tmp_path):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # One attempt: the failure is the point here, not botocore's patience.
    client = make_s3_client(region="us-east-1", endpoint_url=endpoint, max_attempts=1)
    client.create_bucket(Bucket="flaky-bucket")
    store = S3ObjectStore(client, "flaky-bucket")
    ctx = build_context(replace(server_settings, s3_endpoint_url=endpoint), store=store)
    paths = make_resumes(tmp_path / "in", 6)
    try:

        def pull_the_plug(done: int, total: int, note: str) -> None:
            if done == 3 and note:
                server.stop()

        report = ctx.library.import_paths(paths, progress=pull_the_plug)
        # Three rows were written before the plug was pulled; the upload already in flight
        # may have made it. Everything else is reported, and nothing half-stored remains.
        stored = len(report.added)
        assert 3 <= stored <= 4
        assert len(report.rejected) == 6 - stored
        assert all("File storage didn't answer" in r.reason for r in report.rejected)
        assert ctx.library.page().total == stored

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        for added in report.added:
            assert (
                ctx.store.get(added.resume.s3_resume_key)
                == Path(tmp_path / "in" / added.file_name).read_bytes()
            )
        assert ctx.doctor.check().clean

        rerun = ctx.library.import_paths(paths)
        assert len(rerun.added) == 6 - stored and len(rerun.duplicates) == stored
        assert ctx.library.page().total == 6
        assert ctx.doctor.check().clean
    finally:
        ctx.close()
        server.stop()


def _env_for(settings) -> dict[str, str]:
    env = dict(os.environ)  # RECUR_* already isolated by the autouse fixture
    env.update(RECUR_DATA_DIR=str(settings.data_dir), RECUR_USER=settings.user)
    if settings.database_url:
        env["RECUR_DATABASE_URL"] = settings.database_url
    if settings.s3_bucket:
        env.update(
            RECUR_S3_BUCKET=settings.s3_bucket,
            RECUR_S3_ENDPOINT_URL=settings.s3_endpoint_url or "",
            RECUR_S3_REGION=settings.s3_region or "",
        )
    return env


def test_two_processes_importing_the_same_files_store_each_once(settings, tmp_path):
    make_resumes(tmp_path / "in", 200)
    # Create the schema and the user first, as the app would on its first start.
    build_context(settings).close()
    command = [sys.executable, "-m", "recur_desktop", "import", str(tmp_path / "in"), "--json"]
    env = _env_for(settings)
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        reports.append(json.loads(out))

    added = [a["id"] for r in reports for a in r["added"]]
    duplicates = [d["id"] for r in reports for d in r["duplicates"]]
    assert all(r["rejected"] == [] for r in reports)
    assert len(added) == len(set(added)) == 200
    assert sorted(duplicates) == sorted(added)

    ctx = build_context(settings)
    try:
        assert ctx.library.page().total == 200
        objects = list(ctx.store.list(f"{ctx.owner_id}/resumes/"))
        assert len(objects) == 200
        assert ctx.doctor.check().clean
    finally:
        ctx.close()
