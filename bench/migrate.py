"""Legacy migration benchmark: ``recur migrate-legacy --apply`` over 5,000 legacy objects
against a bare loop of ``get_object`` + ``copy_object`` over the same objects, same concurrency.

    python bench/migrate.py            # 5,000 legacy objects (about 3,400 distinct contents)
    python bench/migrate.py --quick    # 500 objects, well under a minute (CI smoke run)

The legacy world comes from ``tests/legacy_fixture.py`` (duplicates across folders, PDF, DOCX and
text files, missing and unreferenced objects, analyses). S3 is a moto server in its own process,
as a real bucket would be on another machine; Postgres is a throwaway database on 127.0.0.1.

Prints the baseline (the bare loop, run before and after the migration, mean of the two), the
migration's time and their ratio (target <= 1.5), then verify's time and the peak RSS.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from typing import Any  # noqa: E402

from bench._common import (  # noqa: E402
    REGION,
    bench_engine,
    dummy_aws_env,
    machine_description,
    peak_rss_mb,
    throwaway_database,
    verdict,
)

TARGET_RATIO = 1.5
USERS = 10


@contextlib.contextmanager
def moto_process() -> Iterator[str]:
    """``python -m moto.server`` on a free port of 127.0.0.1, in its own process (its own
    interpreter lock, like a remote bucket); yields its URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the moto server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def contents_for(objects: int, users: int) -> int:
    """Contents per user so that the fixture holds at least ``objects`` objects."""
    per_user = -(-objects // users)
    contents, placed = 0, 3  # 3 unreferenced objects per user
    while placed < per_user:
        placed += 1 + (contents % 3 == 0) + (contents % 7 == 0)
        contents += 1
    return max(contents, 21)


def bare_loop(client: Any, bucket: str, target: str, keys: list[str], workers: int) -> float:
    """The floor: read each object, then copy it server-side with a SHA-256 checksum."""

    def one(key: str) -> None:
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
        try:
            body.read()
        finally:
            body.close()
        client.copy_object(
            Bucket=target,
            Key=key,
            CopySource={"Bucket": bucket, "Key": key},
            ChecksumAlgorithm="SHA256",
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, keys))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 objects instead of 5,000")
    parser.add_argument("--objects", type=int, default=None, help="legacy objects (about)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they come, even piped
    target_objects = args.objects or (500 if args.quick else 5000)

    from recur_desktop.persistence.engine import session_factory, upgrade
    from recur_desktop.services.legacy import LegacyMigrationService
    from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client
    from tests.legacy_fixture import build_legacy_data, install_legacy, s3_put

    print(f"Machine: {machine_description()}")
    started = time.perf_counter()
    data = build_legacy_data(
        seed=2026, users=USERS, contents_per_user=contents_for(target_objects, USERS)
    )
    expected = data.expected()
    contents = sum(e.distinct_contents for e in expected.values())
    print(
        f"Legacy world: {len(data.objects)} objects, {contents} distinct contents, "
        f"{len(data.rows)} rows, {len(data.analyses)} analyses, {USERS} users "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    with dummy_aws_env(), moto_process() as endpoint, throwaway_database() as url:
        # install_legacy bulk-loads rows and analyses: no 60 s statement deadline.
        engine = bench_engine(url)
        upgrade(engine)
        client = make_s3_client(
            region=REGION, endpoint_url=endpoint, max_pool_connections=max(16, args.workers * 2)
        )
        bucket, copies = "recur-bench-legacy", "recur-bench-bare"
        client.create_bucket(Bucket=bucket)
        client.create_bucket(Bucket=copies)
        started = time.perf_counter()
        install_legacy(data, engine, s3_put(client, bucket), workers=16)
        print(f"Installed in {time.perf_counter() - started:.1f} s")
        keys = sorted(data.objects)

        before = bare_loop(client, bucket, copies, keys, args.workers)
        print(f"Bare get + copy_object loop ({args.workers} threads): {before:.2f} s")

        service = LegacyMigrationService(
            session_factory(engine), S3ObjectStore(client, bucket), workers=args.workers
        )
        started = time.perf_counter()
        report = service.apply()
        ours = time.perf_counter() - started
        assert not report.failures, report.failures
        assert report.created_resumes == contents, (report.created_resumes, contents)
        print(
            f"migrate-legacy --apply ({args.workers} workers): {ours:.2f} s: "
            f"{report.created_resumes} resumes, {report.written_sessions} sessions, "
            f"{report.written_analyses} analyses"
        )

        after = bare_loop(client, bucket, copies, keys, args.workers)
        print(f"Bare loop again: {after:.2f} s")
        baseline = (before + after) / 2
        ratio = ours / baseline
        print(
            f"\nBaseline {baseline:.2f} s (mean of the two bare loops), migration {ours:.2f} s: "
            f"ratio {ratio:.2f} (target <= {TARGET_RATIO}): {verdict(ratio <= TARGET_RATIO)}"
        )

        started = time.perf_counter()
        again = service.apply()
        print(
            f"Rerun of --apply: {time.perf_counter() - started:.2f} s, "
            f"{again.created_resumes} resumes and {again.written_analyses} analyses written"
        )
        started = time.perf_counter()
        verified = service.verify()
        print(
            f"--verify: {time.perf_counter() - started:.2f} s, "
            f"{'passed' if verified.ok else 'FAILED: ' + '; '.join(verified.unaccounted[:5])}"
        )
        print(f"Peak RSS: {peak_rss_mb():.0f} MB (pid {os.getpid()})")
        engine.dispose()
    return 0 if ratio <= TARGET_RATIO and verified.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
