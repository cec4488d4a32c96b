"""The built-in analyzer: evidence-weighted skill match, experience, recency, title, education.

Deterministic and offline. It reads only the resume text (with the candidate's name, contacts
and personal details blanked out) and the job, and it refuses (AnalysisError) rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

from recur_desktop.analysis.base import AnalysisError
from recur_desktop.analysis.job import JobRequirements, prepare_job
from recur_desktop.analysis.resume import ResumeProfile, profile_resume
from recur_desktop.analysis.scoring import WEIGHTS, Breakdown, explain_job, score_general, score_job
from recur_desktop.analysis.skills import SkillVocabulary, load_vocabulary
from recur_desktop.domain import AnalysisResult, JobPosting

MIN_TEXT_CHARS = 80
#: Parsed resumes kept per analyzer: a session scores each resume once per job, and benchmarks
#: and re-runs score the same texts again.
PROFILE_CACHE = 1024


class EvidenceAnalyzer:
    """Scores what a resume shows, not what it lists: see docs/scoring.md."""

    name = "builtin-evidence"
    version = "2"

    def __init__(
        self,
        vocabulary: SkillVocabulary | None = None,
        *,
        today: date | Callable[[], date] | None = None,
    ) -> None:
        self._vocabulary = vocabulary or load_vocabulary()
        self._today = today
        self._profile = lru_cache(maxsize=PROFILE_CACHE)(self._build_profile)

    @property
    def vocabulary(self) -> SkillVocabulary:
        return self._vocabulary

    def today(self) -> date:
        """The date "present" means; fixed in tests so results can be reproduced."""
        if self._today is None:
            return date.today()
        return self._today() if callable(self._today) else self._today

    def _build_profile(self, text: str, today: date) -> ResumeProfile:
        return profile_resume(text, self._vocabulary, today)

    def profile(self, resume_text: str) -> ResumeProfile:
        """The parsed resume (sections, dated roles, skills and where each is used)."""
        if len("".join(resume_text.split())) < MIN_TEXT_CHARS:
            raise AnalysisError("The resume has too little readable text to analyse.")
        return self._profile(resume_text, self.today())

    def requirements(self, job: JobPosting) -> JobRequirements:
        return prepare_job(job, self._vocabulary)

    def check_job(self, job: JobPosting | None) -> None:
        if job is None:
            return
        requirements = self.requirements(job)
        if not requirements.required and not requirements.preferred:
            raise AnalysisError(
                f"The job \u201c{job.title}\u201d lists no skills to match against, and none were "
                "found in its description. Add required skills to the job, then analyse again."
            )

    def breakdown(self, resume_text: str, job: JobPosting) -> Breakdown:
        """The score components for one pair (benchmarks and tests read these)."""
        self.check_job(job)
        return score_job(self.profile(resume_text), self.requirements(job), self._vocabulary)

    def analyze(self, resume_text: str, job: JobPosting | None) -> AnalysisResult:
        profile = self.profile(resume_text)
        if job is None:
            return score_general(profile, self._vocabulary)
        self.check_job(job)
        requirements = self.requirements(job)
        result = score_job(profile, requirements, self._vocabulary, WEIGHTS)
        return explain_job(profile, requirements, result, WEIGHTS)


#: The name the app's composition root and older code use.
SkillCoverageAnalyzer = EvidenceAnalyzer
