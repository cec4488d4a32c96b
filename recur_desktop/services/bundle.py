"""The services the window's view-models are built over, as one plain value.

The composition root (``recur_desktop.app``) fills it; view-models take it instead of the
application context, so they never see the engine, the sessions or the object store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from recur_desktop.services.analysis import AnalysisService
from recur_desktop.services.doctor import DoctorService
from recur_desktop.services.jobs import JobService
from recur_desktop.services.legacy import LegacyMigrationService
from recur_desktop.services.library import LibraryService
from recur_desktop.services.preview import PreviewService
from recur_desktop.services.profile import ProfileService
from recur_desktop.settings import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    owner_id: uuid.UUID
    library: LibraryService
    jobs: JobService
    analysis: AnalysisService
    doctor: DoctorService
    legacy: LegacyMigrationService
    previews: PreviewService
    profiles: ProfileService
