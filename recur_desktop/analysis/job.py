"""The job side: proposing requirements from a pasted description, and preparing a job to score.

A proposal is only a starting point the recruiter edits (the job dialog and
``recur jobs add --description-file`` show it); scoring then uses what the job stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from recur_desktop.analysis.resume import education_level, heading_kind, word_runs
from recur_desktop.analysis.skills import SkillVocabulary, TokenisedText, load_vocabulary
from recur_desktop.domain import JobPosting
from recur_desktop.extraction.extract import normalise_text

#: Soft skills are never proposed as requirements: every resume claims them.
_NOT_PROPOSED_CATEGORIES = frozenset({"soft"})
MAX_PROPOSED_REQUIRED = 15

_PREFERRED_HEADINGS = re.compile(
    r"^(?:nice[ -]to[ -]haves?|preferred(?: qualifications| skills| experience)?|bonus(?: points)?|"
    r"pluses|desirable|good[ -]to[ -]haves?|extra credit|additional (?:skills|qualifications)|"
    r"it would be great if|even better if|optional)\W*$",
    re.IGNORECASE,
)
_IGNORED_HEADINGS = re.compile(
    r"^(?:about (?:us|the company|the team|[a-z]+)|benefits|perks|what we offer|why join us|"
    r"how to apply|compensation|salary|equal opportunity|our values|our mission|who we are|"
    r"company|location)\W*$",
    re.IGNORECASE,
)
_REQUIRED_HEADINGS = re.compile(
    r"^(?:requirements|required(?: skills| qualifications)?|qualifications|must[ -]haves?|"
    r"minimum qualifications|basic qualifications|what you(?:'ll| will)? bring|"
    r"what we(?:'re| are) looking for|you have|who you are|about you|your profile|skills|"
    r"technical skills|experience|required experience|tech stack|our stack)\W*$",
    re.IGNORECASE,
)
#: Skills named only among the duties are proposed as preferred: duties describe the team's
#: work, requirements describe the person.
_DUTY_HEADINGS = re.compile(
    r"^(?:responsibilities|key responsibilities|what you(?:'ll| will) do|the role|duties|"
    r"day[ -]to[ -]day|your role|your mission|in this role(?: you will)?|job description|"
    r"role description|the job|about the role|you will)\W*$",
    re.IGNORECASE,
)
_PREFERRED_MARKERS = re.compile(
    r"nice[ -]to[ -]have|preferred|\ba plus\b|is a plus|are a plus|\bbonus\b|desirable|\bideally\b|"
    r"familiarity with|exposure to|good[ -]to[ -]have|not required|advantageous|would be great|"
    r"\bplus\b",
    re.IGNORECASE,
)
#: "languages such as Python, Ruby, Java, PHP" asks for one of them, not all.
_ANY_OF = re.compile(r"\b(?:such as|e\.g\.|for example|like|one or more of|any of)\b", re.I)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_YEARS = re.compile(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen)"
    r"\s*\+?\s*(?:(?:-|\u2013|to)\s*\d{1,2}\s*\+?\s*)?(?:\(\d+\)\s*)?(?:years?|yrs?)\b"
    r"(?P<after>[^.\n]{0,60})",
    re.IGNORECASE,
)
_MIN_YEARS_CONTEXT = re.compile(
    r"experience|professional|industry|working|developing|building", re.I
)
#: Degrees a job "asks for" only when the line does not call them optional.
_DEGREE_ASK = re.compile(
    r"degree|bachelor|master|ph\.?d|doctorate|b\.?s\.?c?|m\.?s\.?c?|mba|diploma", re.IGNORECASE
)


@dataclass(frozen=True)
class ProposedRequirements:
    """Skills and minimum years read from a job description, for the recruiter to edit."""

    required: tuple[str, ...]
    preferred: tuple[str, ...]
    min_years: float | None


def _numbers(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word.lower()]


def minimum_years(description: str) -> float | None:
    """The largest "N+ years of experience" the description asks for (capped at 20)."""
    best: int | None = None
    for match in _YEARS.finditer(description):
        context = match.group("after") + description[max(0, match.start() - 40) : match.start()]
        if not _MIN_YEARS_CONTEXT.search(context):
            continue
        years = _numbers(match.group("n"))
        if 0 < years <= 20 and (best is None or years > best):
            best = years
    return float(best) if best is not None else None


def required_education(description: str) -> int:
    """The lowest degree the description requires (0 when it asks for none, or only prefers one)."""
    wanted: list[int] = []
    for line in re.split(r"[\n.;]", description):
        if not _DEGREE_ASK.search(line) or _PREFERRED_MARKERS.search(line):
            continue
        if re.search(r"\bor equivalent (?:practical )?experience\b", line, re.I):
            continue
        level = education_level(line)
        if level == 0 and re.search(r"\bdegree\b", line, re.I):
            level = 2  # "a degree in Computer Science or similar field"
        if level:
            wanted.append(level)
    return min(wanted) if wanted else 0


def propose_job_requirements(
    description: str, vocabulary: SkillVocabulary | None = None
) -> ProposedRequirements:
    """Required and preferred skills and the minimum years a pasted job description asks for.

    Sections headed "Nice to have", "Preferred", "Bonus" (or lines saying "a plus",
    "familiarity with") give preferred skills; "About us" and "Benefits" are ignored; everything
    else gives required ones, except long "such as A, B, C, D" lists, which ask for any one of
    them and so are proposed as preferred.
    """
    vocabulary = vocabulary or load_vocabulary()
    text = normalise_text(description)
    required: list[str] = []
    preferred: list[str] = []
    block = "required"
    for raw in text.split("\n"):
        line = raw.strip().strip("\u2022*-\u25cf ").strip()
        if not line:
            continue
        bare = line.rstrip(":").strip()
        if len(bare) <= 50:
            if _PREFERRED_HEADINGS.match(bare):
                block = "preferred"
                continue
            if _IGNORED_HEADINGS.match(bare):
                block = "ignore"
                continue
            if _DUTY_HEADINGS.match(bare):
                block = "duties"
                continue
            if _REQUIRED_HEADINGS.match(bare) or heading_kind(bare):
                block = "required"
                continue
        if block == "ignore":
            continue
        found = [
            m.skill
            for m in vocabulary.scan(line)
            if vocabulary.category_of[m.skill] not in _NOT_PROPOSED_CATEGORIES
        ]
        if not found:
            continue
        optional = block in ("preferred", "duties") or _PREFERRED_MARKERS.search(line)
        target = preferred if optional else required
        any_of = _ANY_OF.search(line)
        options = line[any_of.end() :] if any_of else ""
        if (
            target is required
            and any_of
            and (len(set(found)) >= 4 or re.search(r"\bor\b", options))
        ):
            # The skills before "such as" are asked for; the examples after it are options.
            head = {m.skill for m in vocabulary.scan(line[: any_of.start()])}
            required.extend(s for s in found if s in head)
            preferred.extend(s for s in found if s not in head)
            continue
        target.extend(found)
    required_unique = list(dict.fromkeys(required))[:MAX_PROPOSED_REQUIRED]
    preferred_unique = [s for s in dict.fromkeys(preferred) if s not in required_unique]
    return ProposedRequirements(
        required=tuple(required_unique),
        preferred=tuple(preferred_unique),
        min_years=minimum_years(text),
    )


# --- titles -------------------------------------------------------------------------------------

_SENIORITY = {
    "intern": 0, "internship": 0, "trainee": 0, "apprentice": 0, "student": 0,
    "junior": 1, "jr": 1, "entry": 1, "associate": 1, "graduate": 1, "i": 1,
    "ii": 2, "mid": 2, "intermediate": 2,
    "senior": 3, "sr": 3, "iii": 3, "experienced": 3,
    "lead": 4, "staff": 4, "principal": 4, "architect": 4, "manager": 4, "iv": 4,
    "head": 5, "director": 5, "vp": 5, "chief": 5, "cto": 5, "ceo": 5, "cfo": 5,
}  # fmt: skip
_TITLE_STOP = frozenset(
    [
        "of",
        "and",
        "the",
        "for",
        "in",
        "with",
        "to",
        "a",
        "an",
        "at",
        "on",
        "level",
        "role",
        "position",
        "team",
        "remote",
        "hybrid",
        "years",
        "year",
        "yrs",
        "experience",
        "exp",
        "plus",
    ]
)
_TITLE_SYNONYMS = {
    "developer": "engineer", "programmer": "engineer", "dev": "engineer", "swe": "engineer",
    "engineering": "engineer", "sde": "engineer", "fullstack": "fullstack",
    "frontend": "frontend", "backend": "backend", "sw": "software", "ml": "machine-learning",
    "ai": "machine-learning", "rn": "nurse", "nursing": "nurse", "accounting": "accountant",
    "analytics": "analyst", "analysis": "analyst", "marketer": "marketing",
    "recruiting": "recruiter",
    "mern": "fullstack", "mean": "fullstack", "designer": "design", "devops": "devops",
    "sre": "devops", "reliability": "devops", "platform": "platform", "infrastructure": "platform",
    "scientist": "science", "qa": "quality", "tester": "quality", "sdet": "quality",
}  # fmt: skip
_TITLE_PHRASES = (
    (re.compile(r"front[\s\-]?end", re.I), "frontend"),
    (re.compile(r"back[\s\-]?end", re.I), "backend"),
    (re.compile(r"full[\s\-]?stack", re.I), "fullstack"),
    (re.compile(r"machine learning", re.I), "ml"),
    (re.compile(r"site reliability", re.I), "sre"),
    (re.compile(r"quality assurance", re.I), "qa"),
)


@lru_cache(maxsize=8192)
def title_terms(title: str) -> frozenset[str]:
    """The function words of a title ("Senior Backend Developer" -> {"backend", "engineer"})."""
    for pattern, word in _TITLE_PHRASES:
        title = pattern.sub(f" {word} ", title)
    words = re.findall(r"[a-z][a-z+#.]*", title.lower())
    return frozenset(
        _TITLE_SYNONYMS.get(w, w)
        for w in words
        if w not in _TITLE_STOP and w not in _SENIORITY and len(w) > 1
    )


@lru_cache(maxsize=8192)
def seniority(title: str) -> int | None:
    """0 intern ... 3 senior, 4 lead/staff/manager, 5 head/director; None when unstated."""
    levels = [_SENIORITY[w] for w in re.findall(r"[a-z]+", title.lower()) if w in _SENIORITY]
    return max(levels) if levels else None


# --- a job ready to score -----------------------------------------------------------------------


@dataclass(frozen=True)
class JobRequirements:
    title: str
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    min_years: float | None
    min_years_source: str  # "job", "description" or ""
    education: int
    title_terms: frozenset[str]
    level: int | None
    shingles: frozenset[tuple[str, ...]]  # the description's word runs
    inferred_skills: bool


@lru_cache(maxsize=256)
def prepare_job(job: JobPosting, vocabulary: SkillVocabulary) -> JobRequirements:
    """The job as the scoring reads it, computed once per job (a session scores many resumes)."""
    required = _canonical(vocabulary, job.required_skills)
    preferred = [p for p in _canonical(vocabulary, job.preferred_skills) if p not in required]
    inferred = False
    description = normalise_text(job.description or "")
    if not required and not preferred:
        proposal = propose_job_requirements(f"{job.title}\n{description}", vocabulary)
        required, preferred = list(proposal.required), list(proposal.preferred)
        inferred = bool(required or preferred)
    min_years, source = job.min_years, "job" if job.min_years else ""
    if not min_years:
        min_years = minimum_years(f"{job.title}\n{description}")
        source = "description" if min_years else ""
    return JobRequirements(
        title=job.title,
        required=tuple(required),
        preferred=tuple(preferred),
        min_years=min_years or None,
        min_years_source=source,
        education=required_education(description),
        title_terms=title_terms(job.title),
        level=seniority(job.title),
        shingles=word_runs(TokenisedText(description)) if description else frozenset(),
        inferred_skills=inferred,
    )


def _canonical(vocabulary: SkillVocabulary, names: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(vocabulary.canonical(n) for n in names if n.strip()))
