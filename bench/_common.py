"""Shared plumbing for the benchmarks: a throwaway Postgres database, a local moto S3 server,
dummy AWS credentials, and a few formatting helpers.

Nothing here touches a database it did not create (names start with ``recur_bench_``) or any
address other than 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Admin connection used only to CREATE / DROP the benchmark's own database.
ADMIN_URL = os.environ.get(
    "RECUR_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DB_PREFIX = "recur_bench_"
REGION = "us-east-1"

_DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Anything that could make boto3 use a real profile, endpoint or credential source.
_CLEARED_AWS_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


def _admin_engine() -> Engine:
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


def bench_engine(url: str, **kwargs: Any) -> Engine:
    """The app's engine (``make_engine``) without its statement deadline.

    Benchmarks bulk-load their throwaway database with single statements (INSERT ... SELECT
    generate_series, VACUUM, the legacy fixture's inserts) that can run past the app's 60 s
    ``statement_timeout`` at full size. The other deadlines (connect, lock, idle) stay on.
    """
    from recur_desktop.persistence.engine import make_engine

    return make_engine(url, statement_timeout=0, **kwargs)


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """Create ``recur_bench_<random>`` and yield its URL; drop it (forcefully) afterwards."""
    admin = _admin_engine()
    name = f"{DB_PREFIX}{uuid.uuid4().hex[:16]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def dummy_aws_env() -> Iterator[None]:
    """Dummy credentials and empty config files so boto3 never reads a real ``~/.aws``."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="recur-bench-noaws-") as no_aws:
        for name in _CLEARED_AWS_ENV:
            os.environ.pop(name, None)
        os.environ.update(_DUMMY_AWS_ENV)
        os.environ["AWS_CONFIG_FILE"] = str(Path(no_aws) / "config")
        os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(Path(no_aws) / "credentials")
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto S3 server on a free port of 127.0.0.1, in its own process; yields its URL.

    A separate process, as a real bucket would be: the server's CPU time and memory are not
    charged to the code being measured (both sides of every ratio use the same server).
    """
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def machine_description() -> str:
    model = "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def load_average() -> str:
    """Other work on the machine skews timings; say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"
