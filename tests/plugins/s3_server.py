"""S3 fixtures: one moto server over real HTTP per test session, a fresh bucket per test.

Loaded as a pytest plugin (``pytest_plugins = ["tests.plugins.s3_server"]``). Going through
HTTP rather than ``mock_aws`` exercises what the app really sends: headers, retries, checksums.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client

REGION = "us-east-1"

_DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
# Anything that could make boto3 use a real profile, endpoint or credential source.
_CLEARED_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


@pytest.fixture(scope="session")
def aws_test_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Dummy credentials and empty config files, so boto3 never reads a real ``~/.aws``.

    Session-wide because the S3 client is; restored when the session ends.
    """
    no_aws_dir = tmp_path_factory.mktemp("no-aws")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in _DUMMY_ENV.items():
            patch.setenv(name, value)
        for name in _CLEARED_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("AWS_CONFIG_FILE", str(no_aws_dir / "config"))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(no_aws_dir / "credentials"))
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture(scope="session")
def s3_endpoint(aws_test_env: None) -> Iterator[str]:
    """Start moto on a free port of 127.0.0.1 and yield its URL."""
    from moto.server import ThreadedMotoServer  # import only when an S3 test runs

    werkzeug_log = logging.getLogger("werkzeug")
    old_level = werkzeug_log.level
    # One log line per request (412s and 404s are expected here) would drown failures.
    werkzeug_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        werkzeug_log.setLevel(old_level)


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str) -> Any:
    """One client for the session, as the app builds one at start-up."""
    return make_s3_client(
        region=REGION,
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def s3_bucket(s3_client: Any) -> Iterator[str]:
    """A bucket no other test touches, so tests stay independent on a shared server."""
    name = f"recur-test-{uuid.uuid4().hex}"
    s3_client.create_bucket(Bucket=name)
    yield name
    # Keep the server's memory flat over a long session; a failure here must not fail the test.
    try:
        for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", ()):
                s3_client.delete_object(Bucket=name, Key=item["Key"])
        s3_client.delete_bucket(Bucket=name)
    except Exception:  # noqa: BLE001 - cleanup is best effort
        pass


@pytest.fixture
def s3_store(s3_client: Any, s3_bucket: str) -> S3ObjectStore:
    return S3ObjectStore(s3_client, s3_bucket)
