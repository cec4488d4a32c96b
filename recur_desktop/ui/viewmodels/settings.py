"""The settings dialog's view-model: edit a profile, test it off the GUI thread, save it.

Names and addresses go to the settings file; passwords go to the keyring only (and never into
QSettings, a settings file or a log).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from recur_desktop.app import build_store, explain_connection_error
from recur_desktop.credentials import DATABASE_PASSWORD, S3_SECRET_KEY, SecretStore
from recur_desktop.logs import mask
from recur_desktop.persistence.engine import make_engine, masked_url
from recur_desktop.settings import Settings, SettingsError, save_settings, without_password
from recur_desktop.storage import StorageError
from recur_desktop.text_safety import visible
from recur_desktop.ui.tasks import TaskHandle, TaskRunner

#: Seconds a connection attempt may take before the test reports the server as unreachable.
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ProfileDraft:
    """What the dialog holds; secrets travel in it only as far as the keyring."""

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
        url = URL.create(
            "postgresql+psycopg",
            username=self.db_login.strip() or None,
            host=host,
            port=self.db_port,
            database=self.db_name.strip(),
        )
        return url.render_as_string(hide_password=False)

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


def _check_database(settings: Settings, password: str) -> str | None:
    """None when the database answers; else the reason in plain words."""
    url = settings.effective_database_url
    connect = url
    if password and url.startswith("postgresql"):
        connect = make_url(url).set(password=password).render_as_string(hide_password=False)
    kwargs = {}
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        engine = make_engine(connect, **kwargs)
    except ArgumentError:
        return f"The database address {masked_url(url)} is not a valid address."
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return explain_connection_error(exc, url)
    finally:
        engine.dispose()
    return None


class _TypedSecret:
    """The secret typed in the dialog, handed to ``build_store`` without touching the keyring."""

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key

    def get(self, name: str) -> str | None:
        return self._secret_key or None if name == S3_SECRET_KEY else None


def _check_store(settings: Settings, secret_key: str) -> str | None:
    if not settings.s3_bucket:
        return None
    try:
        store = build_store(settings, _TypedSecret(secret_key))  # type: ignore[arg-type]
        next(iter(store.list("connection-test/")), None)  # lists: a missing bucket shows
    except StorageError as exc:
        return f"File storage: {exc}"
    except Exception as exc:  # a malformed endpoint URL and the like
        return f"File storage at {settings.s3_bucket} can't be used ({exc.__class__.__name__})."
    return None


def check_profile(draft: ProfileDraft, base: Settings) -> CheckResult:
    """Connect to what the draft names, read-only. Runs on a worker thread."""
    try:
        settings = draft.apply_to(base)
    except SettingsError as exc:
        return CheckResult(False, [str(exc)])
    problems = [
        p
        for p in (
            _check_database(settings, draft.database_password),
            _check_store(settings, draft.s3_secret_access_key),
        )
        if p
    ]
    if problems:
        return CheckResult(False, [visible(mask(p)) for p in problems])
    where = visible(mask(masked_url(settings.effective_database_url)))
    bucket = f" and the bucket {settings.s3_bucket}" if settings.s3_bucket else ""
    return CheckResult(True, [f"Connected to {where}{bucket}."])


def _embedded_password(*urls: str | None) -> str:
    """The first password found inside these addresses (any form), or ""."""
    for url in urls:
        if url:
            password = without_password(url)[1]
            if password:
                return password
    return ""


def _save(draft: ProfileDraft, base: Settings, secret_store: Callable[[str], SecretStore]) -> str:
    settings = draft.apply_to(base)
    # save_settings leaves any password out of the file; one that arrived inside an address
    # (``?password=`` in RECUR_DATABASE_URL, say) moves to the keyring instead of being lost.
    database_password = draft.database_password or _embedded_password(
        settings.database_url, base.database_url
    )
    path: Path = save_settings(settings)
    secrets = secret_store(settings.profile)
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


class SettingsViewModel(QObject):
    testing_changed = Signal(bool)
    tested = Signal(bool, str)
    saved = Signal(str)
    save_failed = Signal(str)

    def __init__(
        self,
        current: Settings,
        runner: TaskRunner,
        *,
        secret_store: Callable[[str], SecretStore] = SecretStore,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.current = current
        self._runner = runner
        self._secret_store = secret_store
        self._test: TaskHandle | None = None

    def draft(self) -> ProfileDraft:
        """The current settings as the dialog starts (no secret is read back)."""
        s = self.current
        url = make_url(s.database_url) if s.database_url else None
        return ProfileDraft(
            server=s.profile == "server",
            db_host=url.host or "" if url else "",
            db_port=url.port or 5432 if url else 5432,
            db_name=url.database or "" if url else "",
            db_login=url.username or "" if url else "",
            s3_bucket=s.s3_bucket or "",
            s3_region=s.s3_region or "",
            s3_endpoint_url=s.s3_endpoint_url or "",
            s3_access_key_id=s.s3_access_key_id or "",
            user=s.user,
        )

    @property
    def is_testing(self) -> bool:
        return self._test is not None

    def test_connection(self, draft: ProfileDraft) -> None:
        if self._test is not None:
            return
        self._test = self._runner.submit(
            partial(check_profile, draft, self.current),
            name="settings.test",
            on_done=self._tested,
            on_failed=self._test_failed,
        )
        self.testing_changed.emit(True)

    @Slot(object, object)
    def _tested(self, task: TaskHandle, result: CheckResult) -> None:
        self._test = None
        self.testing_changed.emit(False)
        self.tested.emit(result.ok, "\n".join(result.lines))

    @Slot(object, object)
    def _test_failed(self, task: TaskHandle, exc: BaseException) -> None:
        self._test = None
        self.testing_changed.emit(False)
        self.tested.emit(False, f"The test itself failed ({exc.__class__.__name__}).")

    def save(self, draft: ProfileDraft) -> None:
        self._runner.submit(
            partial(_save, draft, self.current, self._secret_store),
            name="settings.save",
            on_done=self._saved,
            on_failed=self._save_error,
        )

    @Slot(object, object)
    def _saved(self, task: TaskHandle, message: str) -> None:
        self.saved.emit(message)

    @Slot(object, object)
    def _save_error(self, task: TaskHandle, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, SettingsError | OSError) else exc.__class__.__name__
        self.save_failed.emit(visible(mask(f"The settings were not saved: {reason}")))
