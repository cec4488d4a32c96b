"""Profiles: embedded (SQLite + a local folder) by default, server (Postgres + S3) when configured.

Environment variables override everything so scripts and CI need no settings file. Secrets never
live here: S3 credentials come from boto3's usual chain (the keyring comes later).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from recur_desktop.extraction import DEFAULT_MAX_BYTES

APP_NAME = "recur-desktop"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_checksum_calculation: str = "when_required"
    user: str = "recruiter"
    max_upload_bytes: int = DEFAULT_MAX_BYTES

    @property
    def profile(self) -> str:
        return "server" if self.database_url or self.s3_bucket else "embedded"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'library.sqlite3'}"

    @property
    def local_store_root(self) -> Path:
        """The folder laid out exactly like the bucket (embedded profile)."""
        return self.data_dir / "objects"


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): any stable name will do
        return "recruiter"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("RECUR_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
    max_mb = env.get("RECUR_MAX_UPLOAD_MB")
    try:
        max_bytes = int(float(max_mb) * 1024 * 1024) if max_mb else DEFAULT_MAX_BYTES
    except ValueError as exc:
        raise SettingsError(
            f"RECUR_MAX_UPLOAD_MB must be a number of megabytes, not {max_mb!r}"
        ) from exc
    if max_bytes <= 0:
        raise SettingsError("RECUR_MAX_UPLOAD_MB must be greater than zero")
    database_url = env.get("RECUR_DATABASE_URL") or None
    if database_url and not database_url.startswith(("postgresql", "sqlite")):
        raise SettingsError(
            "RECUR_DATABASE_URL must be a postgresql+psycopg://... (or sqlite:///...) URL"
        )
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        s3_bucket=env.get("RECUR_S3_BUCKET") or None,
        s3_endpoint_url=env.get("RECUR_S3_ENDPOINT_URL") or None,
        s3_region=env.get("RECUR_S3_REGION") or None,
        s3_checksum_calculation=env.get("RECUR_S3_CHECKSUM_CALCULATION") or "when_required",
        user=env.get("RECUR_USER") or _default_user(),
        max_upload_bytes=max_bytes,
    )
