"""Log files: rotating, in the platform log directory, with secrets masked before they are written.

``setup_logging()`` is called once per process by ``recur_desktop.app.main`` (window and command
line alike) and may be called again safely: it replaces only the handlers it installed itself.
Every handler it installs carries a :class:`SecretFilter`, so a password inside a database URL
(``postgresql+psycopg://user:***@host/db``, ``...?password=***``), a libpq ``password=***``
keyword, or any value given to :func:`register_secret` never reaches a file or the console,
whichever logger the record came from. :func:`mask` is also what the command line and the
window pass their error messages through.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import re
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import platformdirs

APP_NAME = "recur-desktop"
LOG_FILE = "recur.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5
MASK = "***"
FILE_FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"
CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"
#: Shorter values are not masked: hiding every "ab" in a log would make it unreadable.
MIN_SECRET_LENGTH = 4

# scheme://user:password@host -> scheme://user:***@host (the user part may be empty). The
# password runs to the last "@" of the address, so one with an unencoded "@" or "/" is hidden
# whole.
_URL_PASSWORD = re.compile(
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)(?P<pw>\S+)@"
    r"(?=[^\s@/?#]*(?:[/?#\s'\"),;\]}>]|$))"
)
# Authorization: Bearer ... (an HTTP header in a botocore or httpx debug line): to the line end.
_AUTH_HEADER = re.compile(r"(?i)(?P<head>\bauthorization['\"]?\s*[=:]\s*['\"]?)[^'\"\n]+")
# password=..., ?password=...&, "password": "...", PGPASSWORD=..., sslpassword='a b' (libpq
# keyword DSNs quote values with spaces), aws_secret_access_key=..., api_key=..., token=...
_KEY_VALUE = re.compile(
    r"(?i)(?P<head>\b[\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|credential)[\w-]*"
    r"['\"]?\s*[=:]\s*)"
    r"(?:'(?P<single>[^'\\]*(?:\\.[^'\\]*)*)'|\"(?P<double>[^\"\\]*(?:\\.[^\"\\]*)*)\""
    r"|(?P<bare>[^\s'\",;&)}\]]+))"
)


def _mask_value(match: re.Match[str]) -> str:
    if match["single"] is not None:
        return f"{match['head']}'{MASK}'"
    if match["double"] is not None:
        return f'{match["head"]}"{MASK}"'
    return f"{match['head']}{MASK}"


_secrets: set[str] = set()
_lock = threading.Lock()


def log_dir() -> Path:
    """Where the log files go: ``RECUR_LOG_DIR``, else the platform's user log directory
    (``~/.local/state/recur-desktop/log`` on Linux)."""
    override = os.environ.get("RECUR_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME))


def log_file() -> Path:
    return log_dir() / LOG_FILE


def register_secret(value: str | None) -> None:
    """Mask ``value`` (and its URL-encoded form) in every log record from now on."""
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets.add(value)
        encoded = quote(value, safe="")
        if encoded != value:
            _secrets.add(encoded)


def forget_secrets() -> None:
    """Drop every registered secret (tests; a logout)."""
    with _lock:
        _secrets.clear()


def mask(text: str) -> str:
    """``text`` with every password it visibly carries hidden: a URL's ``user:pw@``, its
    ``?password=`` / ``&password=`` parameters, a libpq ``password=`` keyword (quoted or not),
    ``"password": "..."``, secret keys, tokens, Authorization headers, and every value given to
    :func:`register_secret`.

    The one masking rule for log files, the command line's errors and the window's messages.
    """
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m['head']}{MASK}", text)
    return _KEY_VALUE.sub(_mask_value, text)


class SecretFilter(logging.Filter):
    """Rewrites each record's message, traceback and stack with secrets masked.

    It sits on handlers (not loggers) so records propagated from any library are covered.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what we have, masked
            message = str(record.msg)
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def _ours(handler: logging.Handler) -> bool:
    return bool(getattr(handler, "_recur_handler", False))


def setup_logging(
    level: int = logging.INFO,
    console: bool = False,
    console_level: int = logging.WARNING,
    directory: Path | None = None,
) -> Path | None:
    """Log ``level`` and above to a rotating file (1 MB × 5) in :func:`log_dir`, and
    ``console_level`` and above to stderr when ``console`` is true.

    Returns the log file, or None when the folder cannot be written (the app still runs).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(handler)
        handler.close()
    secret_filter = SecretFilter()
    handlers: list[logging.Handler] = []
    path: Path | None = (directory or log_dir()) / LOG_FILE
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
        file_handler.setLevel(level)
        file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
        handlers.append(file_handler)
    except OSError as exc:
        sys.stderr.write(f"recur: not writing a log file ({exc})\n")
        path = None
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(console_level)
        stream.setFormatter(logging.Formatter(CONSOLE_FORMAT))
        handlers.append(stream)
    for handler in handlers:
        handler.addFilter(secret_filter)
        handler._recur_handler = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(min([level, console_level] if console else [level]))
    logging.captureWarnings(True)
    logging.getLogger(__name__).info(
        "recur %s starting: python %s, %s, %s",
        _version(),
        platform.python_version(),
        platform.platform(),
        "bundle" if getattr(sys, "frozen", False) else "source",
    )
    return path


def _version() -> str:
    from recur_desktop import __version__

    return __version__


__all__ = [
    "SecretFilter",
    "forget_secrets",
    "log_dir",
    "log_file",
    "mask",
    "register_secret",
    "setup_logging",
]
