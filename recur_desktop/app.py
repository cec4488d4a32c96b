"""Composition root: reads the settings, builds the engine, store, analyzer and services once.

Nothing else in the package reaches for globals; the CLI, the GUI and the tests all start here.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from recur_desktop.analysis import Analyzer, SkillCoverageAnalyzer
from recur_desktop.persistence.engine import make_engine, masked_url, session_factory, upgrade
from recur_desktop.services import (
    AnalysisService,
    DoctorService,
    JobService,
    LibraryService,
    ServiceError,
    ensure_user,
)
from recur_desktop.settings import Settings, load_settings
from recur_desktop.storage import ObjectStore

log = logging.getLogger(__name__)


class StartupError(ServiceError):
    """The app cannot start with these settings; the message says what to check."""


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    analyzer: Analyzer
    owner_id: uuid.UUID
    library: LibraryService
    jobs: JobService
    analysis: AnalysisService
    doctor: DoctorService

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings) -> ObjectStore:
    if settings.s3_bucket:
        from recur_desktop.storage.s3 import S3ObjectStore, make_s3_client

        client = make_s3_client(
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            request_checksum_calculation=settings.s3_checksum_calculation,
        )
        return S3ObjectStore(client, settings.s3_bucket)
    from recur_desktop.storage.local import LocalObjectStore

    # The embedded profile owns its folder; creating it here (and only here) is what makes a
    # first start work with nothing configured.
    settings.local_store_root.mkdir(parents=True, exist_ok=True)
    return LocalObjectStore(settings.local_store_root)


def build_context(
    settings: Settings | None = None,
    *,
    store: ObjectStore | None = None,
    analyzer: Analyzer | None = None,
) -> AppContext:
    """Wire everything for the acting user: upgrade the schema, create the user on first use,
    and mark sessions a crashed run left ``running`` as interrupted."""
    settings = settings or load_settings()
    url = settings.effective_database_url
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = session_factory(engine)
        owner_id = ensure_user(sessions, settings.user)
    except OperationalError as exc:
        engine.dispose()
        log.warning("database unreachable url=%s: %s", masked_url(url), exc.orig)
        raise StartupError(
            f"Can't reach the library database at {masked_url(url)}. "
            "Check that the server is running and the address is right."
        ) from exc
    store = store or build_store(settings)
    analyzer = analyzer or SkillCoverageAnalyzer()
    analysis = AnalysisService(sessions, analyzer, owner_id)
    analysis.recover_interrupted()
    return AppContext(
        settings=settings,
        engine=engine,
        sessions=sessions,
        store=store,
        analyzer=analyzer,
        owner_id=owner_id,
        library=LibraryService(sessions, store, owner_id, max_bytes=settings.max_upload_bytes),
        jobs=JobService(sessions, owner_id),
        analysis=analysis,
        doctor=DoctorService(sessions, store, owner_id),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``recur`` / ``python -m recur_desktop``: the window without arguments, else the CLI."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] == "gui":
        try:
            from recur_desktop.ui.main import run_gui
        except ImportError:  # the window is not part of this build: fall back to the CLI help
            pass
        else:
            return run_gui(args[1:])
    from recur_desktop.cli import run

    return run(args)
