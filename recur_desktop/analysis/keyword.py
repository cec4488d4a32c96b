"""A plain keyword-overlap analyzer: the baseline the built-in analyzer is measured against.

It does what popular open-source resume matchers show: the share of the job's keywords that occur
anywhere in the resume text, case-insensitively, with no notion of where or how a skill is used,
and years as the span of every year range in the text. ``bench/quality.py`` reports its figures
beside the built-in analyzer's in the same run. It is not used by the app.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from recur_desktop.analysis.base import AnalysisError
from recur_desktop.analysis.skills import SkillVocabulary, load_vocabulary
from recur_desktop.domain import AnalysisResult, JobPosting

MIN_TEXT_CHARS = 80
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_POINT = rf"(?:(?:{_MONTHS})\.?\s+|\d{{1,2}}/)?((?:19|20)\d\d)"
_RANGE = re.compile(
    rf"{_POINT}\s*(?:-|\u2013|\u2014|to|until)\s*(?:{_POINT}|(present|current|now|today))",
    re.IGNORECASE,
)


def experience_years(text: str, *, today: datetime | None = None) -> float:
    """Years covered by every year range in ``text`` (education included), overlaps merged."""
    now_year = (today or datetime.now(UTC)).year
    spans = sorted(
        (int(m.group(1)), now_year if m.group(3) else int(m.group(2)))
        for m in _RANGE.finditer(text)
    )
    total, current = 0, None
    for start, end in spans:
        if not 1950 <= start <= end <= now_year:
            continue
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += current[1] - current[0]
        current = (start, end)
    if current:
        total += current[1] - current[0]
    return float(total)


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def keyword_present(text: str, keyword: str) -> bool:
    return _pattern(keyword).search(text) is not None


def keyword_skills(text: str, vocabulary: SkillVocabulary) -> set[str]:
    """Every vocabulary skill whose name or an alias occurs anywhere, in any case."""
    return {
        skill.name
        for skill in vocabulary.skills.values()
        if any(keyword_present(text, t) for t in vocabulary.terms_for(skill.name))
    }


class KeywordOverlapAnalyzer:
    name = "keyword-overlap"
    version = "1"

    def __init__(self, vocabulary: SkillVocabulary | None = None) -> None:
        self._vocabulary = vocabulary or load_vocabulary()

    def _keywords(self, job: JobPosting) -> list[str]:
        names = [*job.required_skills, *job.preferred_skills]
        if not any(n.strip() for n in names):
            names = sorted(self._vocabulary.find_all(f"{job.title}\n{job.description}"))
        return list(dict.fromkeys(n.strip() for n in names if n.strip()))

    def check_job(self, job: JobPosting | None) -> None:
        if job is not None and not self._keywords(job):
            raise AnalysisError(
                f"The job \u201c{job.title}\u201d lists no skills to match against."
            )

    def analyze(self, resume_text: str, job: JobPosting | None) -> AnalysisResult:
        if len("".join(resume_text.split())) < MIN_TEXT_CHARS:
            raise AnalysisError("The resume has too little readable text to analyse.")
        if job is None:
            found = sorted(keyword_skills(resume_text, self._vocabulary))
            score = round(100.0 * min(1.0, len(found) / 12), 1)
            return AnalysisResult(score, score, f"{len(found)} keywords found.", "", tuple(found))
        keywords = self._keywords(job)
        if not keywords:
            raise AnalysisError(
                f"The job \u201c{job.title}\u201d lists no skills to match against."
            )
        found = [k for k in keywords if keyword_present(resume_text, k)]
        missing = tuple(k for k in keywords if k not in found)
        score = round(100.0 * len(found) / len(keywords), 1)
        return AnalysisResult(
            overall_fit_score=score,
            skill_match_score=score,
            summary=f"{len(found)} of {len(keywords)} job keywords found ({score:g}%).",
            reasoning=(
                f"Found: {', '.join(found) or 'none'}. Missing: {', '.join(missing) or 'none'}."
            ),
            matched_skills=tuple(found),
            missing_skills=missing,
        )
