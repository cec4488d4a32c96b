"""Profiles: embedded (SQLite + a local folder) by default, server (Postgres + S3) when configured.

Settings come from ``settings.json`` in the platform config directory, then environment
variables override them so scripts and CI need no file. Secrets are never part of settings:
they live in the keyring (``recur_desktop.credentials``).
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from recur_desktop.extraction import DEFAULT_MAX_BYTES

APP_NAME = "recur-desktop"

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        # A settings object in a traceback or a debug line must not show an environment
        # variable's password.
        from recur_desktop.logs import mask

        parts = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return mask(f"Settings({parts})")


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
    """Write the settings file, never with a password in it.

    A password inside the database address, in any form (``user:pw@``, ``?password=``,
    ``&password=``, a libpq ``password=`` keyword), or inside the S3 endpoint or LLM address, is
    left out of the file: secrets belong in the keyring. Callers that want to keep such a
    password (the settings dialog) take it out with :func:`without_password` first and store it
    with ``recur_desktop.credentials``; an address from the environment keeps working from the
    environment.
    """
    path = settings_path(env)
    data: dict[str, Any] = {}
    for name, value in asdict(settings).items():
        if name not in _ENV or value is None:
            continue
        if name in _ADDRESSES and isinstance(value, str):
            value, password = without_password(value)
            if password is not None:
                # Never the value, not even masked: its length is a hint too.
                log.warning(
                    "not writing the password in %s to %s; it belongs in the keyring", name, path
                )
        data[name] = value
    data["data_dir"] = str(settings.data_dir)
    data["max_upload_mb"] = settings.max_upload_bytes / (1024 * 1024)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
    return path


#: Settings that hold an address, which might carry a password.
_ADDRESSES = ("database_url", "s3_endpoint_url", "llm_base_url")


def _is_password_key(key: str) -> bool:
    """A query parameter or DSN keyword that carries a password (``password``, ``sslpassword``,
    ``passwd``, ``pwd``)."""
    lowered = key.strip().lower()
    return "password" in lowered or lowered in ("passwd", "pwd")


# key = value pairs of a libpq keyword DSN ("host=h user=u password='a b'"); values may be
# single-quoted with backslash escapes.
_DSN_PAIR = re.compile(r"(?P<key>[\w.-]+)\s*=\s*(?:'(?P<quoted>(?:[^'\\]|\\.)*)'|(?P<bare>\S*))")


def _dsn_without_password(dsn: str) -> tuple[str, str | None]:
    password: str | None = None
    kept: list[str] = []
    for pair in _DSN_PAIR.finditer(dsn):
        if _is_password_key(pair["key"]):
            if password is None:
                quoted = pair["quoted"]
                password = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else pair["bare"]
            continue
        kept.append(pair.group(0))
    if password is None:
        return dsn, None
    return " ".join(kept), password


def _url_without_password(url: str) -> tuple[str, str | None]:
    """Any URL (an S3 endpoint, an LLM address) without a password in it."""
    parts = urlsplit(url)
    password = parts.password
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _is_password_key(k)]
    if password is None:
        password = next((v for k, v in query if _is_password_key(k)), None)
    if password is None:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username is not None:
        netloc = f"{parts.netloc.rpartition('@')[0].split(':', 1)[0]}@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(kept))), password


def without_password(url: str) -> tuple[str, str | None]:
    """Split an address into the address without any password and the password (None when it
    had none). Every form counts: ``user:pw@``, ``?password=`` and ``&password=`` (also
    ``sslpassword``), and the ``password=`` keyword of a libpq DSN."""
    if "://" not in url:
        return _dsn_without_password(url)
    if not url.startswith(("postgresql", "sqlite")):
        return _url_without_password(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return _url_without_password(url)
    password = None if parsed.password is None else str(parsed.password)
    keys = [key for key in parsed.query if _is_password_key(key)]
    if password is None and keys:
        value = parsed.query[keys[0]]
        password = value if isinstance(value, str) else value[0]
    if password is None:
        return url, None
    # ``URL.set(password=None)`` leaves the password in place (None means "unchanged"), so the
    # address is built again without it.
    clean = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={k: v for k, v in parsed.query.items() if k not in keys},
    )
    return clean.render_as_string(hide_password=False), password


__all__ = [
    "Settings",
    "SettingsError",
    "load_settings",
    "save_settings",
    "settings_path",
    "without_password",
]
