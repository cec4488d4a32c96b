"""The IAM policy printed by ``recur admin s3-policy`` really confines a recruiter's keys.

Runs its own moto server in a separate process with IAM enforcement switched on, so the shared
server of the other tests keeps accepting any key.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from recur_desktop.services.team import s3_policy_document
from recur_desktop.storage import user_prefix


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def enforcing_s3(aws_test_env):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait for the condition "the server answers", bounded
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("moto server did not start")
            time.sleep(0.05)
    try:
        yield endpoint
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _client(service: str, endpoint: str, key: str = "admin", secret: str = "admin"):
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
    ).client(service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def test_printed_policy_stops_bob_reading_alices_objects(enforcing_s3):
    bucket = "team-bucket"
    alice_id, bob_id = uuid.uuid4(), uuid.uuid4()
    admin_s3 = _client("s3", enforcing_s3)
    iam = _client("iam", enforcing_s3)
    admin_s3.create_bucket(Bucket=bucket)
    alice_key = f"{user_prefix(alice_id)}shared/{'a' * 64}.pdf"
    admin_s3.put_object(Bucket=bucket, Key=alice_key, Body=b"alice's resume")
    keys = {}
    for name, user_id in (("alice", alice_id), ("bob", bob_id)):
        iam.create_user(UserName=name)
        iam.put_user_policy(
            UserName=name,
            PolicyName="recur",
            PolicyDocument=json.dumps(s3_policy_document(bucket, user_prefix(user_id))),
        )
        created = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = (created["AccessKeyId"], created["SecretAccessKey"])
    # From now on every request must be signed by a user whose policy allows it.
    request = urllib.request.Request(
        f"{enforcing_s3}/moto-api/reset-auth",
        data=b"0",
        method="POST",
        headers={"Content-Type": "text/plain"},  # a form content type would hide the body
    )
    urllib.request.urlopen(request, timeout=5)

    alice = _client("s3", enforcing_s3, *keys["alice"])
    bob = _client("s3", enforcing_s3, *keys["bob"])
    assert alice.get_object(Bucket=bucket, Key=alice_key)["Body"].read() == b"alice's resume"
    with pytest.raises(ClientError) as denied:
        bob.get_object(Bucket=bucket, Key=alice_key)
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError):
        bob.put_object(Bucket=bucket, Key=f"{user_prefix(alice_id)}shared/evil.pdf", Body=b"x")
    with pytest.raises(ClientError):
        bob.delete_object(Bucket=bucket, Key=alice_key)
    bob_key = f"{user_prefix(bob_id)}shared/{'b' * 64}.pdf"
    bob.put_object(Bucket=bucket, Key=bob_key, Body=b"bob's resume")
    assert bob.get_object(Bucket=bucket, Key=bob_key)["Body"].read() == b"bob's resume"
