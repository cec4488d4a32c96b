"""Testing and saving a profile (embedded, or a Postgres server and an S3 bucket).

Names and addresses go to the settings file; passwords go to the secret store only (and never
into a settings file or a log). Connecting is the composition root's business: it hands in how
to reach a database and how to open a store, so this module knows no driver and no Qt, and the
settings dialog and a test on fakes use the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from recur_desktop.credentials import DATABASE_PASSWORD, S3_SECRET_KEY, SecretStore
from recur_desktop.logs import mask

# Addresses are built and read as recur_desktop.settings reads them (no engine, no driver), so
# that the file holds what the app later connects with.
from recur_desktop.persistence.urls import server_url, url_parts
from recur_desktop.settings import Settings, SettingsError, save_settings, without_password
from recur_desktop.storage import ObjectStore, StorageError
from recur_desktop.text_safety import visible

__all__ = ["CheckResult", "DatabaseProbe", "ProfileDraft", "ProfileService", "StoreOpener"]


class SecretSource(Protocol):
    def get(self, name: str) -> str | None: ...


#: Connects to a database address with a typed password (read-only): None when it answers, else
#: the reason in a recruiter's words (never with the password).
DatabaseProbe = Callable[[str, str], "str | None"]
#: Opens the object store the settings name, its secret key read from the source.
StoreOpener = Callable[[Settings, SecretSource], ObjectStore]


@dataclass(frozen=True)
class ProfileDraft:
    """What the dialog holds; secrets travel in it only as far as the secret store."""

    server: bool
    db_host: str = ""
    db_port: int = 5432
    db_name: str = ""
    db_login: str = ""
    database_password: str = ""
    s3_bucket: str = ""
    s3_region: str = ""
    s3_endpoint_url: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    user: str = ""

    @classmethod
    def of(cls, settings: Settings) -> ProfileDraft:
        """The settings as the dialog starts (no secret is read back)."""
        s = settings
        url = url_parts(s.database_url) if s.database_url else None
        return cls(
            server=s.profile == "server",
            db_host=url.host if url else "",
            db_port=url.port or 5432 if url else 5432,
            db_name=url.database if url else "",
            db_login=url.username if url else "",
            s3_bucket=s.s3_bucket or "",
            s3_region=s.s3_region or "",
            s3_endpoint_url=s.s3_endpoint_url or "",
            s3_access_key_id=s.s3_access_key_id or "",
            user=s.user,
        )

    @property
    def database_url(self) -> str | None:
        """The Postgres URL the parts make (never with the password), or None without a host."""
        host = self.db_host.strip()
        if not host:
            return None
        if not self.db_name.strip():
            raise SettingsError("Name the database on the server (for example: recur).")
        if not 0 < self.db_port < 65536:
            raise SettingsError("The port must be a number from 1 to 65535.")
        return server_url(
            username=self.db_login.strip() or None,
            host=host,
            port=self.db_port,
            database=self.db_name.strip(),
        )

    def apply_to(self, base: Settings) -> Settings:
        if not self.server:
            return replace(base, database_url=None, s3_bucket=None, s3_endpoint_url=None)
        url = self.database_url
        return replace(
            base,
            database_url=url,
            s3_bucket=self.s3_bucket.strip() or None,
            s3_region=self.s3_region.strip() or None,
            s3_endpoint_url=self.s3_endpoint_url.strip() or None,
            s3_access_key_id=self.s3_access_key_id.strip() or None,
            user=self.user.strip() or base.user,
        )


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    lines: list[str]


class _TypedSecret:
    """The secret typed in the dialog, handed to the store opener without touching the keyring."""

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key

    def get(self, name: str) -> str | None:
        return self._secret_key or None if name == S3_SECRET_KEY else None


def _embedded_password(*urls: str | None) -> str:
    """The first password found inside these addresses (any form), or ""."""
    for url in urls:
        if url:
            password = without_password(url)[1]
            if password:
                return password
    return ""


class ProfileService:
    """Both calls do I/O (the network, the settings file, the keyring): run them off the GUI
    thread."""

    def __init__(
        self,
        *,
        probe_database: DatabaseProbe,
        open_store: StoreOpener,
        secret_store: Callable[[str], SecretStore] = SecretStore,
        save: Callable[[Settings], Path] = save_settings,
    ) -> None:
        self._probe_database = probe_database
        self._open_store = open_store
        self._secret_store = secret_store
        self._save = save

    def check(self, draft: ProfileDraft, base: Settings) -> CheckResult:
        """Connect to what the draft names, read-only."""
        try:
            settings = draft.apply_to(base)
        except SettingsError as exc:
            return CheckResult(False, [str(exc)])
        problems = [
            p
            for p in (
                self._probe_database(settings.effective_database_url, draft.database_password),
                self._check_store(settings, draft.s3_secret_access_key),
            )
            if p
        ]
        if problems:
            return CheckResult(False, [visible(mask(p)) for p in problems])
        where = visible(mask(settings.effective_database_url))
        bucket = f" and the bucket {settings.s3_bucket}" if settings.s3_bucket else ""
        return CheckResult(True, [f"Connected to {where}{bucket}."])

    def _check_store(self, settings: Settings, secret_key: str) -> str | None:
        if not settings.s3_bucket:
            return None
        try:
            store = self._open_store(settings, _TypedSecret(secret_key))
            next(iter(store.list("connection-test/")), None)  # lists: a missing bucket shows
        except StorageError as exc:
            return f"File storage: {exc}"
        except Exception as exc:  # a malformed endpoint URL and the like
            kind = exc.__class__.__name__
            return f"File storage at {settings.s3_bucket} can't be used ({kind})."
        return None

    def save(self, draft: ProfileDraft, base: Settings) -> str:
        """Write the settings file and the secrets; the sentence says where, and what to do."""
        settings = draft.apply_to(base)
        # save_settings leaves any password out of the file; one that arrived inside an address
        # (``?password=`` in RECUR_DATABASE_URL, say) moves to the keyring instead of being lost.
        database_password = draft.database_password or _embedded_password(
            settings.database_url, base.database_url
        )
        path = self._save(settings)
        secrets = self._secret_store(settings.profile)
        kept = []
        for name, value in (
            (DATABASE_PASSWORD, database_password),
            (S3_SECRET_KEY, draft.s3_secret_access_key),
        ):
            if draft.server and value:
                kept.append(secrets.set(name, value))
        note = ""
        if "memory" in kept:
            note = " No keyring is available, so the password is kept until the app closes."
        return f"Saved to {path}. Restart Recur Desktop to use these settings.{note}"
