"""The analyzer contract every scoring engine implements."""

from __future__ import annotations

from typing import Protocol

from recur_desktop.domain import AnalysisResult, JobPosting


class AnalysisError(Exception):
    """This resume (or job) cannot be analysed; ``str()`` says why in a recruiter's words."""


class Analyzer(Protocol):
    name: str
    version: str

    def check_job(self, job: JobPosting | None) -> None:
        """Raise AnalysisError when no resume can be scored against ``job`` (None = general)."""
        ...

    def analyze(self, resume_text: str, job: JobPosting | None) -> AnalysisResult:
        """Score one resume; raise AnalysisError rather than return made-up numbers."""
        ...
