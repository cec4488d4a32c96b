"""Use cases over the database and the object store. Plain Python: no Qt here."""

from recur_desktop.services.analysis import AnalysisRun, AnalysisService
from recur_desktop.services.doctor import DoctorReport, DoctorService
from recur_desktop.services.errors import InvalidInput, NotFound, ServiceError
from recur_desktop.services.jobs import JobService
from recur_desktop.services.library import LibraryService
from recur_desktop.services.users import ensure_user

__all__ = [
    "AnalysisRun",
    "AnalysisService",
    "DoctorReport",
    "DoctorService",
    "InvalidInput",
    "JobService",
    "LibraryService",
    "NotFound",
    "ServiceError",
    "ensure_user",
]
