"""Composition root: reads the settings, builds the engine, store, analyzer and services once.

Nothing else in the package reaches for globals; the CLI, the GUI and the tests all start here.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recur_desktop.analysis import Analyzer, SkillCoverageAnalyzer
from recur_desktop.credentials import DATABASE_PASSWORD, LLM_API_KEY, S3_SECRET_KEY, SecretStore
from recur_desktop.persistence.engine import (
    current_revision,
    head_revision,
    make_engine,
    session_factory,
    upgrade,
)
from recur_desktop.persistence.probes import (
    connection_problem,
    probe_database,
)
from recur_desktop.persistence.security import team_login
from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
from recur_desktop.persistence.urls import has_password, with_password
from recur_desktop.services import (
    AnalysisService,
    DoctorService,
    JobService,
    LibraryService,
    ServiceError,
    ensure_user,
)
from recur_desktop.services.audit import AuditService
from recur_desktop.services.bundle import Services
from recur_desktop.services.legacy import LegacyMigrationService
from recur_desktop.services.preview import PreviewService
from recur_desktop.services.profile import ProfileService
from recur_desktop.settings import Settings, load_settings
from recur_desktop.storage import ObjectStore

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


class StartupError(ServiceError):
    """The app cannot start with these settings; the message says what to check."""


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    #: What the services are handed: units of work over ``sessions``.
    uow: SqlUnitOfWorkFactory
    store: ObjectStore
    analyzer: Analyzer
    owner_id: uuid.UUID
    library: LibraryService
    jobs: JobService
    analysis: AnalysisService
    doctor: DoctorService
    legacy: LegacyMigrationService
    audit: AuditService

    def services(self) -> Services:
        """What the window's view-models are built over (no engine, sessions or store)."""
        return Services(
            settings=self.settings,
            owner_id=self.owner_id,
            library=self.library,
            jobs=self.jobs,
            analysis=self.analysis,
            doctor=self.doctor,
            legacy=self.legacy,
            previews=PreviewService(self.library),
            profiles=build_profile_service(),
        )

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings, secrets: SecretStore | None = None) -> ObjectStore:
    if settings.s3_bucket:
        from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client

        secret_key = secrets.get(S3_SECRET_KEY) if secrets else None
        explicit = bool(settings.s3_access_key_id and secret_key)
        client = make_s3_client(
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            request_checksum_calculation=settings.s3_checksum_calculation,
            # Without both parts from our settings and keyring, boto3's usual chain applies.
            aws_access_key_id=settings.s3_access_key_id if explicit else None,
            aws_secret_access_key=secret_key if explicit else None,
        )
        return S3ObjectStore(client, settings.s3_bucket)
    from recur_desktop.storage.local import LocalObjectStore

    # The embedded profile owns its folder; creating it here (and only here) is what makes a
    # first start work with nothing configured.
    settings.local_store_root.mkdir(parents=True, exist_ok=True)
    return LocalObjectStore(settings.local_store_root)


def build_analyzer(settings: Settings, secrets: SecretStore | None) -> Analyzer:
    """The built-in analyzer, or the LLM one (with the built-in as fallback) when configured."""
    builtin = SkillCoverageAnalyzer()
    if not (settings.llm_base_url and settings.llm_model):
        return builtin
    from recur_desktop.analysis import LLMAnalyzer, LLMConfig

    def api_key() -> str | None:  # read per call: never kept on the analyzer
        return secrets.get(LLM_API_KEY) if secrets else None

    return LLMAnalyzer(
        LLMConfig(base_url=settings.llm_base_url, model=settings.llm_model),
        api_key,
        fallback=builtin,
    )


def build_profile_service(
    secret_store: Callable[[str], SecretStore] = SecretStore,
) -> ProfileService:
    """Testing and saving profiles, with this app's way to reach a database and a store."""
    return ProfileService(
        probe_database=probe_database,
        open_store=build_store,  # type: ignore[arg-type]  # reads only .get(S3_SECRET_KEY)
        secret_store=secret_store,
    )


def _connect_url(settings: Settings, secrets: SecretStore | None) -> str:
    url = settings.effective_database_url
    if url.startswith("postgresql") and secrets is not None and not has_password(url):
        password = secrets.get(DATABASE_PASSWORD)
        if password:
            return with_password(url, password)
    return url


def _team_user(engine: Engine, uow: SqlUnitOfWorkFactory) -> uuid.UUID | None:
    """On a team database, the recruiter is the row tied to the login role; else None."""
    role = team_login(engine)
    if role is None:
        return None
    revision, head = current_revision(engine), head_revision()
    if revision != head:
        direction = "older" if revision is None or revision < head else "newer"
        raise StartupError(
            f"The team database's schema ({revision or 'none'}) is {direction} than this app "
            f"({head}). Ask your administrator to run: recur admin upgrade"
            if direction == "older"
            else f"The team database's schema ({revision}) is newer than this app ({head}). "
            "Install the newer version of Recur Desktop."
        )
    with uow() as work:
        owner = work.users.id_by_role(role)
    if owner is None:
        raise StartupError(
            f"The database login {role} is not registered as a recruiter. Ask your "
            f"administrator to run: recur admin add-user NAME"
        )
    return owner


def build_context(
    settings: Settings | None = None,
    *,
    store: ObjectStore | None = None,
    analyzer: Analyzer | None = None,
    secrets: SecretStore | None = None,
) -> AppContext:
    """Wire everything for the acting user: upgrade the schema, create the user on first use,
    and mark sessions a crashed run left ``running`` as interrupted.

    On a team database (row-level security, one login per recruiter) the acting user is the row
    of the connected login, and the schema is never changed here: ``recur admin upgrade`` does.
    """
    settings = settings or load_settings()
    if secrets is None and (settings.profile == "server" or settings.llm_base_url):
        secrets = SecretStore(settings.profile)
    url = _connect_url(settings, secrets)
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        uow = SqlUnitOfWorkFactory(sessions)
        owner_id = _team_user(engine, uow)
        if owner_id is None:
            upgrade(engine)
            owner_id = ensure_user(uow, settings.user)
    except StartupError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        reason = connection_problem(exc, url)  # logs what the driver said
        if reason is None:
            raise
        raise StartupError(reason) from exc
    store = store or build_store(settings, secrets)
    analyzer = analyzer or build_analyzer(settings, secrets)
    analysis = AnalysisService(uow, analyzer, owner_id)
    analysis.recover_interrupted()
    return AppContext(
        settings=settings,
        engine=engine,
        sessions=sessions,
        uow=uow,
        store=store,
        analyzer=analyzer,
        owner_id=owner_id,
        library=LibraryService(uow, store, owner_id, max_bytes=settings.max_upload_bytes),
        jobs=JobService(uow, owner_id),
        analysis=analysis,
        doctor=DoctorService(uow, store, owner_id),
        legacy=LegacyMigrationService(sessions, store, max_bytes=settings.max_upload_bytes),
        audit=AuditService(uow, owner_id),
    )
