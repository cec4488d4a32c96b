"""Profiles: embedded (SQLite + a local folder) by default, server (Postgres + S3) when configured.

Settings come from ``settings.json`` in the platform config directory, then environment
variables override them so scripts and CI need no file. Secrets are never part of settings:
they live in the keyring (``recur_desktop.credentials``).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy.engine import make_url

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
    s3_access_key_id: str | None = None
    s3_checksum_calculation: str = "when_required"
    user: str = "recruiter"
    max_upload_bytes: int = DEFAULT_MAX_BYTES
    #: Optional OpenAI-compatible endpoint; the built-in analyzer is used without it.
    llm_base_url: str | None = None
    llm_model: str | None = None

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


#: Settings a file or the environment may set, with their environment variable.
_ENV = {
    "data_dir": "RECUR_DATA_DIR",
    "database_url": "RECUR_DATABASE_URL",
    "s3_bucket": "RECUR_S3_BUCKET",
    "s3_endpoint_url": "RECUR_S3_ENDPOINT_URL",
    "s3_region": "RECUR_S3_REGION",
    "s3_access_key_id": "RECUR_S3_ACCESS_KEY_ID",
    "s3_checksum_calculation": "RECUR_S3_CHECKSUM_CALCULATION",
    "user": "RECUR_USER",
    "llm_base_url": "RECUR_LLM_BASE_URL",
    "llm_model": "RECUR_LLM_MODEL",
}


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): any stable name will do
        return "recruiter"


def settings_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    override = env.get("RECUR_CONFIG_DIR")
    return Path(override or platformdirs.user_config_dir(APP_NAME)) / "settings.json"


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"The settings file {path} can't be read ({exc}).") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"The settings file {path} is not a JSON object.")
    return data


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    stored = _read_file(settings_path(env))
    for name in _ENV:
        if stored.get(name):
            values[name] = stored[name]
    for name, variable in _ENV.items():
        if env.get(variable):
            values[name] = env[variable]
    max_mb = env.get("RECUR_MAX_UPLOAD_MB") or stored.get("max_upload_mb")
    try:
        max_bytes = int(float(max_mb) * 1024 * 1024) if max_mb else DEFAULT_MAX_BYTES
    except ValueError as exc:
        raise SettingsError(
            f"RECUR_MAX_UPLOAD_MB must be a number of megabytes, not {max_mb!r}"
        ) from exc
    if max_bytes <= 0:
        raise SettingsError("RECUR_MAX_UPLOAD_MB must be greater than zero")
    url = values.get("database_url")
    if url and not str(url).startswith(("postgresql", "sqlite")):
        raise SettingsError(
            "RECUR_DATABASE_URL must be a postgresql+psycopg://... (or sqlite:///...) URL"
        )
    return Settings(
        data_dir=Path(values.pop("data_dir", None) or platformdirs.user_data_dir(APP_NAME)),
        user=values.pop("user", None) or _default_user(),
        max_upload_bytes=max_bytes,
        **values,
    )


def save_settings(settings: Settings, env: Mapping[str, str] | None = None) -> Path:
    """Write the settings file. A password inside the database URL is refused, never written."""
    if settings.database_url and make_url(settings.database_url).password:
        raise SettingsError(
            "The database address must not contain a password; it is kept in the keyring."
        )
    path = settings_path(env)
    data = {k: v for k, v in asdict(settings).items() if k in _ENV and v is not None}
    data["data_dir"] = str(settings.data_dir)
    data["max_upload_mb"] = settings.max_upload_bytes / (1024 * 1024)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
    return path


def without_password(url: str) -> tuple[str, str | None]:
    """Split a database URL into the URL without its password and the password."""
    parsed = make_url(url)
    if parsed.password is None:
        return url, None
    return parsed.set(password=None).render_as_string(hide_password=False), str(parsed.password)


__all__ = [
    "Settings",
    "SettingsError",
    "load_settings",
    "save_settings",
    "settings_path",
    "without_password",
]
