"""Migration from the legacy per-job folder layout to the shared, content-addressed one.

The old system stored a resume under the folder of the job it was uploaded for
(``{user}/resumes/general/{name}``, ``{user}/resumes/job_{job}/{name}``), often several times,
and described it in ``legacy_resumes`` / ``legacy_analyses`` / ``legacy_job_postings``
(see ``docs/legacy-layout.md``). The migration moves all of it to the app's layout: one resume
per distinct content per user at :func:`~recur_desktop.storage.resume_key`, copied inside the
store, and the old analyses as ``resume_analyses`` rows of one completed session per user and
context, so availability and history answer correctly afterwards.

- :mod:`.survey` reads everything first (tables, objects, journal, what the app holds);
  :mod:`.objects` hashes each object and, in apply, copies each new content;
- :mod:`.plan` decides deterministically from the survey alone (the representative name,
  the kept analyses, the ids): an interrupted run and a clean one end in the same state;
- :mod:`.apply` writes idempotently, object first and then the row with its journal entry;
- :mod:`.verify` trusts nothing apply wrote; :mod:`.delete` is ``--delete-legacy``;
- :mod:`.journal` is the progress journal that makes every mode resumable.

Everything is scoped per user, and ``user=`` limits every mode to one.
"""

from recur_desktop.persistence.legacy_tables import (
    LEGACY_ANALYSES,
    LEGACY_JOB_POSTINGS,
    LEGACY_RESUMES,
    LEGACY_TABLES,
)
from recur_desktop.services.legacy.records import (
    ANALYZER_NAME,
    ANALYZER_VERSION,
    DEFAULT_WORKERS,
    DeleteReport,
    LegacyStatus,
    MigrationReport,
    Problem,
    UserPlan,
    VerifyReport,
    analysis_id_for,
    legacy_login_name,
    session_id_for,
)
from recur_desktop.services.legacy.service import LegacyMigrationService

__all__ = [
    "ANALYZER_NAME",
    "ANALYZER_VERSION",
    "DEFAULT_WORKERS",
    "LEGACY_ANALYSES",
    "LEGACY_JOB_POSTINGS",
    "LEGACY_RESUMES",
    "LEGACY_TABLES",
    "DeleteReport",
    "LegacyMigrationService",
    "LegacyStatus",
    "MigrationReport",
    "Problem",
    "UserPlan",
    "VerifyReport",
    "analysis_id_for",
    "legacy_login_name",
    "session_id_for",
]
