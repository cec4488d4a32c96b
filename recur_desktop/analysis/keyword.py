"""The built-in analyzer: skill coverage against the job, plus years of experience.

Deterministic and offline. It reads only the resume text and the job; it never looks at the
candidate's name, photo or any personal detail, and it refuses (AnalysisError) rather than guess.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from recur_desktop.analysis.base import AnalysisError
from recur_desktop.analysis.skills import SkillVocabulary, load_vocabulary
from recur_desktop.domain import AnalysisResult, JobPosting

# Weights in one place; changing any of them means bumping VERSION.
REQUIRED_WEIGHT = 2.0
PREFERRED_WEIGHT = 1.0
JOB_SKILL_SHARE = 0.75  # of the overall fit when the job states a minimum of years
GENERAL_BREADTH_SKILLS = 12  # distinct skills that earn a full breadth score
GENERAL_FULL_YEARS = 10.0
MIN_TEXT_CHARS = 80

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_POINT = rf"(?:(?:{_MONTHS})\.?\s+|\d{{1,2}}/)?((?:19|20)\d\d)"
_RANGE = re.compile(
    rf"{_POINT}\s*(?:-|–|—|to|until)\s*(?:{_POINT}|(present|current|now|today))",
    re.IGNORECASE,
)


def experience_years(text: str, *, today: datetime | None = None) -> float:
    """Years covered by the date ranges in ``text``, overlapping ranges merged."""
    now_year = (today or datetime.now(UTC)).year
    spans: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        start = int(match.group(1))
        end = now_year if match.group(3) else int(match.group(2))
        if 1950 <= start <= end <= now_year:
            spans.append((start, end))
    spans.sort()
    total = 0
    current: tuple[int, int] | None = None
    for start, end in spans:
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
        else:
            if current:
                total += current[1] - current[0]
            current = (start, end)
    if current:
        total += current[1] - current[0]
    return float(total)


class SkillCoverageAnalyzer:
    name = "builtin-skill-coverage"
    version = "1"

    def __init__(self, vocabulary: SkillVocabulary | None = None) -> None:
        self._vocabulary = vocabulary or load_vocabulary()

    def _job_skills(self, job: JobPosting) -> tuple[list[str], list[str]]:
        required = [self._vocabulary.canonical(s) for s in job.required_skills if s.strip()]
        preferred = [self._vocabulary.canonical(s) for s in job.preferred_skills if s.strip()]
        if not required and not preferred:
            required = sorted(self._vocabulary.find_all(f"{job.title}\n{job.description}"))
        return list(dict.fromkeys(required)), [
            p for p in dict.fromkeys(preferred) if p not in required
        ]

    def check_job(self, job: JobPosting | None) -> None:
        if job is None:
            return
        required, preferred = self._job_skills(job)
        if not required and not preferred:
            raise AnalysisError(
                f"The job “{job.title}” lists no skills to match against. "
                "Add required skills to the job, then analyse again."
            )

    def analyze(self, resume_text: str, job: JobPosting | None) -> AnalysisResult:
        if len("".join(resume_text.split())) < MIN_TEXT_CHARS:
            raise AnalysisError("The resume has too little readable text to analyse.")
        years = experience_years(resume_text)
        if job is None:
            return self._general(resume_text, years)
        return self._for_job(resume_text, job, years)

    def _for_job(self, text: str, job: JobPosting, years: float) -> AnalysisResult:
        required, preferred = self._job_skills(job)
        if not required and not preferred:
            raise AnalysisError(f"The job “{job.title}” lists no skills to match against.")
        found_required = [s for s in required if self._vocabulary.mentions(text, s)]
        found_preferred = [s for s in preferred if self._vocabulary.mentions(text, s)]
        missing = [s for s in required + preferred if s not in found_required + found_preferred]
        weight_total = REQUIRED_WEIGHT * len(required) + PREFERRED_WEIGHT * len(preferred)
        weight_found = REQUIRED_WEIGHT * len(found_required) + PREFERRED_WEIGHT * len(
            found_preferred
        )
        skill_score = round(100.0 * weight_found / weight_total, 1)
        if job.min_years:
            years_score = min(1.0, years / job.min_years) * 100.0
            overall = JOB_SKILL_SHARE * skill_score + (1 - JOB_SKILL_SHARE) * years_score
            years_note = (
                f"{years:g} years of dated experience found against a minimum of {job.min_years:g}."
            )
        else:
            overall = skill_score
            years_note = f"{years:g} years of dated experience found; the job sets no minimum."
        overall = round(overall, 1)
        reasoning = [
            f"Required skills found: {', '.join(found_required) or 'none'} "
            f"({len(found_required)} of {len(required)}).",
        ]
        if preferred:
            reasoning.append(
                f"Preferred skills found: {', '.join(found_preferred) or 'none'} "
                f"({len(found_preferred)} of {len(preferred)})."
            )
        if missing:
            reasoning.append(f"Not found in the resume: {', '.join(missing)}.")
        reasoning.append(years_note)
        summary = (
            f"Matches {len(found_required)} of {len(required)} required skills"
            + (f" and {len(found_preferred)} of {len(preferred)} preferred" if preferred else "")
            + f" for {job.title}; overall fit {overall:g}/100."
        )
        return AnalysisResult(
            overall_fit_score=overall,
            skill_match_score=skill_score,
            summary=summary,
            reasoning=" ".join(reasoning),
            matched_skills=tuple(found_required + found_preferred),
            missing_skills=tuple(missing),
        )

    def _general(self, text: str, years: float) -> AnalysisResult:
        skills = sorted(self._vocabulary.find_all(text))
        breadth = round(100.0 * min(1.0, len(skills) / GENERAL_BREADTH_SKILLS), 1)
        depth = 100.0 * min(1.0, years / GENERAL_FULL_YEARS)
        overall = round(0.6 * breadth + 0.4 * depth, 1)
        return AnalysisResult(
            overall_fit_score=overall,
            skill_match_score=breadth,
            summary=(
                f"General profile: {len(skills)} recognised skills and {years:g} years of dated "
                f"experience; overall {overall:g}/100."
            ),
            reasoning=(
                f"Skills recognised: {', '.join(skills) or 'none'}. Breadth scores full marks at "
                f"{GENERAL_BREADTH_SKILLS} distinct skills; experience at "
                f"{GENERAL_FULL_YEARS:g} years ({years:g} found from date ranges)."
            ),
            matched_skills=tuple(skills),
            missing_skills=(),
        )
