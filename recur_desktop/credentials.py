"""The only module that reads or writes secrets: the Postgres password and the S3 secret key.

Secrets live in the operating system's keyring (Secret Service, Keychain, Credential Locker)
under one service name, per profile. Where no secure keyring exists (a headless Linux box), the
secret is kept in memory for this run only and the caller is told so; a plaintext file is never
used. Scripts and CI may pass secrets by environment variable instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Literal

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from recur_desktop.logs import register_secret

log = logging.getLogger(__name__)

SERVICE = "recur-desktop"
DATABASE_PASSWORD = "database-password"
S3_SECRET_KEY = "s3-secret-access-key"
LLM_API_KEY = "llm-api-key"

#: Environment variables that override the keyring (for scripts and CI).
ENV_NAMES = {
    DATABASE_PASSWORD: "RECUR_DATABASE_PASSWORD",
    S3_SECRET_KEY: "RECUR_S3_SECRET_ACCESS_KEY",
    LLM_API_KEY: "RECUR_LLM_API_KEY",
}

Where = Literal["keyring", "memory"]


class CredentialError(Exception):
    """A secret could not be stored or read; ``str()`` says what to do."""


def _insecure(backend: KeyringBackend) -> str | None:
    """Why ``backend`` must not hold secrets, or None when it is a real keyring."""
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith("keyring.backends.fail") or name == "Keyring" and "null" in module:
        return "no keyring service is running on this computer"
    if module.startswith("keyrings.alt") or "Plaintext" in name or "Null" in name:
        return f"the only keyring available ({name}) would store secrets in a plain file"
    if module.startswith("keyring.backends.chainer") and not getattr(backend, "backends", None):
        return "no keyring service is running on this computer"
    return None


class SecretStore:
    """Secrets for one profile: environment first, then the keyring, then this run's memory."""

    def __init__(
        self,
        profile: str = "default",
        *,
        backend: KeyringBackend | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self._backend = backend or keyring.get_keyring()
        self._env = os.environ if env is None else env
        self._memory: dict[str, str] = {}

    @property
    def insecure_reason(self) -> str | None:
        return _insecure(self._backend)

    @property
    def secure(self) -> bool:
        return self.insecure_reason is None

    def _account(self, name: str) -> str:
        return f"{self.profile}:{name}"

    def get(self, name: str) -> str | None:
        value = self._env.get(ENV_NAMES.get(name, ""), "") or self._memory.get(name)
        if value:
            register_secret(value)  # whatever we hand out, logs mask from now on
            return value
        if not self.secure:
            return None
        try:
            value = self._backend.get_password(SERVICE, self._account(name))
            register_secret(value)
            return value
        except keyring.errors.KeyringError as exc:
            log.warning("keyring read failed for %s: %s", name, exc.__class__.__name__)
            raise CredentialError(
                "The system keyring could not be read (it may be locked). Unlock it and retry."
            ) from exc

    def set(self, name: str, value: str) -> Where:
        """Store ``value``; returns where it went so the caller can tell the user."""
        if not value:
            raise CredentialError("An empty secret can't be stored.")
        register_secret(value)  # from now on, logs mask it wherever it appears
        if not self.secure:
            self._memory[name] = value
            return "memory"
        try:
            self._backend.set_password(SERVICE, self._account(name), value)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring write failed for %s: %s", name, exc.__class__.__name__)
            raise CredentialError(
                "The system keyring refused to store the secret (it may be locked)."
            ) from exc
        self._memory.pop(name, None)
        return "keyring"

    def delete(self, name: str) -> bool:
        """Forget a secret everywhere we keep it; True when something was removed."""
        removed = self._memory.pop(name, None) is not None
        if self.secure:
            try:
                self._backend.delete_password(SERVICE, self._account(name))
                removed = True
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                raise CredentialError("The system keyring could not be changed.") from exc
        return removed
