"""Secrets go to a real keyring backend, or stay in memory for this run; never to a file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from recur_desktop.credentials import DATABASE_PASSWORD, S3_SECRET_KEY, SERVICE, SecretStore


@pytest.fixture(autouse=True)
def restore_keyring_backend() -> Iterator[None]:
    """Leave the process's keyring as each test found it, whatever order the suite runs in.

    Defining a ``KeyringBackend`` subclass registers it with keyring for good, and keyring picks
    its default backend lazily: a fake backend made here (the plaintext one below) would become
    part of the default chain of every later test that builds a ``SecretStore`` without a backend
    (the server-profile UI tests). So the backend in use, keyring's registry of backend classes
    and its cached list of backends are put back after each test.
    """
    previous = keyring.get_keyring()  # resolved now, before this test registers any fake
    registered = set(keyring.backend.KeyringBackend._classes)
    all_keyrings = keyring.backend.get_all_keyring
    was_cached = hasattr(all_keyrings, "saved_result")
    try:
        yield
    finally:
        classes = keyring.backend.KeyringBackend._classes
        classes.intersection_update(registered)
        if not was_cached and hasattr(all_keyrings, "saved_result"):
            all_keyrings.reset()
        keyring.set_keyring(previous)


def secret_service_backend():
    try:
        from keyring.backends.SecretService import Keyring
    except Exception as exc:  # pragma: no cover - the backend ships with keyring
        pytest.skip(f"SecretService backend unavailable: {exc}")
    backend = Keyring()
    try:
        backend.get_password(SERVICE, f"probe-{uuid.uuid4()}")
    except Exception as exc:
        message = f"no Secret Service running (./dev test starts one): {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return backend


def test_round_trip_through_the_secret_service():
    backend = secret_service_backend()
    store = SecretStore(f"test-{uuid.uuid4().hex[:8]}", backend=backend, env={})
    assert store.secure
    assert store.set(DATABASE_PASSWORD, "pa$$ wörd") == "keyring"
    assert SecretStore(store.profile, backend=backend, env={}).get(DATABASE_PASSWORD) == (
        "pa$$ wörd"
    )
    assert backend.get_password(SERVICE, f"{store.profile}:{DATABASE_PASSWORD}") == "pa$$ wörd"
    assert store.delete(DATABASE_PASSWORD)
    assert store.get(DATABASE_PASSWORD) is None


def test_without_a_keyring_the_secret_stays_in_memory_and_says_why():
    store = SecretStore("p", backend=fail.Keyring(), env={})
    assert not store.secure
    assert "no keyring" in store.insecure_reason
    assert store.set(S3_SECRET_KEY, "s3cr3t") == "memory"
    assert store.get(S3_SECRET_KEY) == "s3cr3t"
    assert SecretStore("p", backend=fail.Keyring(), env={}).get(S3_SECRET_KEY) is None


def test_a_plaintext_keyring_is_treated_as_no_keyring():
    class PlaintextKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            raise AssertionError("must not be read")

        def set_password(self, service, username, password):
            raise AssertionError("must not be written")

        def delete_password(self, service, username):
            raise AssertionError("must not be touched")

    store = SecretStore("p", backend=PlaintextKeyring(), env={})
    assert not store.secure and "plain file" in store.insecure_reason
    assert store.set(DATABASE_PASSWORD, "x") == "memory"


def test_environment_overrides_for_scripts():
    store = SecretStore("p", backend=fail.Keyring(), env={"RECUR_DATABASE_PASSWORD": "from-env"})
    assert store.get(DATABASE_PASSWORD) == "from-env"


def test_secrets_handed_out_are_masked_in_logs(caplog):
    import logging

    from recur_desktop.logs import SecretFilter

    store = SecretStore(
        "p", backend=fail.Keyring(), env={"RECUR_DATABASE_PASSWORD": "zq-9f83-secret"}
    )
    assert store.get(DATABASE_PASSWORD) == "zq-9f83-secret"
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "login with %s", ("zq-9f83-secret",), None
    )
    SecretFilter().filter(record)
    assert "zq-9f83-secret" not in record.getMessage()
