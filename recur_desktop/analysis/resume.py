"""Reading a resume the way a recruiter does: sections, dated roles, and where each skill is used.

The result, a :class:`ResumeProfile`, is what the scoring reads. It is built from the resume text
alone, after the candidate's name, e-mail, links and personal details (birth date, age, gender,
nationality, marital status, pronouns) have been blanked out, so no score can depend on them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from recur_desktop.analysis.dates import DateRange, find_date_ranges, merged_months, month_index
from recur_desktop.analysis.skills import BREAK, SkillVocabulary, TokenisedText
from recur_desktop.extraction.contacts import guess_name
from recur_desktop.extraction.extract import normalise_text

# --- sections -----------------------------------------------------------------------------------

HEADER, UNSECTIONED = "header", "unsectioned"
SUMMARY, EXPERIENCE, EDUCATION, SKILLS = "summary", "experience", "education", "skills"
PROJECTS, CERTIFICATIONS, OTHER = "projects", "certifications", "other"

_HEADINGS: dict[str, tuple[str, ...]] = {
    SUMMARY: (
        "summary", "professional summary", "profile", "professional profile", "career summary",
        "objective", "career objective", "about", "about me", "overview", "executive summary",
        "personal statement", "introduction", "career profile", "summary of qualifications",
        "highlights", "profile summary", "personal profile",
    ),
    EXPERIENCE: (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "professional background", "career", "positions held", "internships",
        "internship experience", "professional history", "military experience",
        "clinical experience", "teaching experience", "research experience", "work",
        "volunteer experience", "leadership experience", "experience highlights",
        "professional experience highlights", "industry experience", "employment record",
        "selected experience", "recent experience", "work experience and projects",
    ),
    EDUCATION: (
        "education", "academic background", "education and training", "academic qualifications",
        "degrees", "academics", "education history", "educational background",
        "education and certifications", "academic history", "studies",
    ),
    SKILLS: (
        "skills", "technical skills", "core skills", "key skills", "skills summary",
        "core competencies", "competencies", "areas of expertise", "expertise", "technologies",
        "tech stack", "technical proficiencies", "tools", "tools and technologies",
        "skills and tools", "skills and abilities", "languages and technologies",
        "programming languages", "technical expertise", "proficiencies", "skill set", "skillset",
        "strengths", "qualifications", "key qualifications", "technical summary",
        "skills and competencies", "professional skills", "software", "computer skills",
        "technical competencies", "stack", "toolbox", "keywords", "additional skills",
        "clinical skills", "hard skills", "soft skills", "it skills",
    ),
    PROJECTS: (
        "projects", "personal projects", "key projects", "selected projects", "side projects",
        "academic projects", "open source", "open source contributions", "portfolio",
        "project experience", "notable projects", "research projects",
    ),
    CERTIFICATIONS: (
        "certifications", "certificates", "licenses", "licenses and certifications",
        "certifications and licenses", "professional development", "courses", "training",
        "accreditations", "licences", "licences and certifications", "certification",
        "courses and certifications", "continuing education",
    ),
    OTHER: (
        "languages", "interests", "hobbies", "awards", "honors", "honours", "achievements",
        "publications", "references", "volunteering", "activities", "additional information",
        "personal details", "personal information", "contact", "contact information",
        "awards and honors", "hobbies and interests", "extracurricular activities", "other",
        "memberships", "affiliations", "patents", "conferences", "talks",
    ),
}  # fmt: skip
_HEADING_KIND = {phrase: kind for kind, phrases in _HEADINGS.items() for phrase in phrases}
#: Punctuation that may decorate a heading ("— Skills —", "SKILLS:", "Skills & Tools").
_HEADING_PUNCT = str.maketrans(
    dict.fromkeys("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~\u2013\u2014\u2022\u00b7", " ")
)
_INLINE_HEADING = re.compile(r"^\s*([A-Za-z][A-Za-z &/]{1,40}?)\s*:\s*(\S.*)$")


def heading_kind(line: str) -> str | None:
    """The section a heading line opens ("WORK EXPERIENCE", "Skills:", "— Projects —")."""
    if len(line) > 60:
        return None
    words = line.lower().replace("&", " and ").translate(_HEADING_PUNCT).split()
    if not words or len(words) > 6:
        return None
    return _HEADING_KIND.get(" ".join(words))


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    start: int  # first character after the heading
    end: int


def find_sections(text: str) -> list[Section]:
    """Sections in text order; text before the first heading is the header (name, contacts)."""
    marks: list[tuple[int, int, str, str]] = []  # (heading start, content start, kind, heading)
    offset = 0
    for line in text.split("\n"):
        kind = None
        if 0 < len(line) <= 70:
            stripped = line.strip().strip("-\u2013\u2014=*#_\u2022:").strip()
            kind = heading_kind(stripped) if stripped and ":" not in stripped else None
            if kind:
                marks.append((offset, offset + len(line), kind, stripped))
        if not kind and ":" in line[:45]:
            inline = _INLINE_HEADING.match(line)
            kind = heading_kind(inline.group(1)) if inline else None
            if inline and kind:
                marks.append((offset, offset + inline.start(2), kind, inline.group(1).strip()))
        offset += len(line) + 1
    if not marks:
        return [Section(UNSECTIONED, "", 0, len(text))]
    sections = [Section(HEADER, "", 0, marks[0][0])] if marks[0][0] > 0 else []
    for index, (_, content_start, kind, heading) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        sections.append(Section(kind, heading, content_start, end))
    return sections


# --- roles --------------------------------------------------------------------------------------

#: Words that make a phrase a job title ("Platform Engineer", "Staff Nurse", "Account Executive").
TITLE_WORDS = frozenset(
    [
        "engineer",
        "engineers",
        "developer",
        "developers",
        "programmer",
        "manager",
        "analyst",
        "scientist",
        "designer",
        "architect",
        "consultant",
        "director",
        "lead",
        "head",
        "officer",
        "specialist",
        "administrator",
        "nurse",
        "accountant",
        "intern",
        "assistant",
        "associate",
        "representative",
        "coordinator",
        "technician",
        "teacher",
        "recruiter",
        "executive",
        "vp",
        "president",
        "founder",
        "cofounder",
        "co-founder",
        "owner",
        "researcher",
        "auditor",
        "controller",
        "clerk",
        "agent",
        "advisor",
        "adviser",
        "therapist",
        "physician",
        "pharmacist",
        "editor",
        "writer",
        "marketer",
        "strategist",
        "sre",
        "devops",
        "partner",
        "principal",
        "staff",
        "trainee",
        "apprentice",
        "tutor",
        "instructor",
        "professor",
        "lecturer",
        "supervisor",
        "buyer",
        "planner",
        "paralegal",
        "attorney",
        "lawyer",
        "counsel",
        "bookkeeper",
        "cashier",
        "chef",
        "cook",
        "driver",
        "operator",
        "technologist",
        "hygienist",
        "paramedic",
        "midwife",
        "surgeon",
        "doctor",
        "dentist",
        "receptionist",
        "secretary",
        "cto",
        "ceo",
        "cfo",
        "coo",
        "cio",
        "ciso",
        "expert",
        "fellow",
        "postdoc",
        "student",
        "contractor",
        "freelancer",
        "freelance",
        "volunteer",
        "mechanic",
        "electrician",
        "inspector",
        "producer",
    ]
)
_EDUCATION_WORDS = re.compile(
    r"\b(?:university|college|school|academy|institute|bachelor'?s?|master'?s?|b\.?\s?sc|"
    r"m\.?\s?sc|ph\.?\s?d|mba|degree|diploma|b\.?\s?tech|m\.?\s?tech|b\.?a\.|m\.?a\.|"
    r"b\.?s\.|m\.?s\.|gpa|coursework|graduated|major in)\b",
    re.IGNORECASE,
)
_HEADER_SPLIT = re.compile(r"\s*[,|\u2022\u00b7]\s*|\s+[-\u2013\u2014]\s+|\t")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


@dataclass(frozen=True)
class Role:
    """A dated stint: a job in the experience section, or a dated project."""

    title: str
    company: str
    dates: DateRange
    kind: str  # EXPERIENCE or PROJECTS
    start: int
    end: int
    company_span: tuple[int, int] = (0, 0)  # where the employer's name is, so "Acme Robotics"
    # is not read as the skill Robotics

    def label(self) -> str:
        """ "Platform Engineer at Acme, 2019–present": how the reasoning cites this role."""
        where = f"{self.title} at {self.company}" if self.company else (self.title or "a role")
        return f"{where}, {self.dates.label()}"


def _title_and_company(header: str) -> tuple[str, str]:
    """Split "Platform Engineer at Acme, Berlin" or "Acme | Platform Engineer" into both parts."""
    at = re.split(r"\s+(?:at|@)\s+", header, maxsplit=1)
    if len(at) == 2:
        title = _tidy(_HEADER_SPLIT.split(at[0])[-1])
        company = _tidy(_HEADER_SPLIT.split(at[1])[0])
        return title[:80], company[:80]
    parts = [_tidy(p) for p in _HEADER_SPLIT.split(header)]
    parts = [p for p in parts if p]
    if not parts:
        return "", ""
    for index, part in enumerate(parts):
        if is_title_text(part):
            if index == 0:
                return part[:80], (parts[1][:80] if len(parts) > 1 else "")
            return part[:80], parts[index - 1][:80]
    return parts[0][:80], (parts[1][:80] if len(parts) > 1 else "")


def _tidy(part: str) -> str:
    part = part.strip(" .;:\t")
    if part.count("(") != part.count(")"):
        part = part.strip("()").strip()
    return part


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _has_words(fragment: str, minimum: int = 1) -> bool:
    return len([w for w in _WORD.findall(fragment) if len(w) > 1]) >= minimum


def _looks_like_header(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped.split()) <= 14
        and not stripped.endswith(".")
        and stripped[0] not in "-\u2022*\u25cf\u25aa\u2013"
        and _has_words(stripped)
    )


def _roles_in(text: str, section: Section, ranges: list[DateRange], kind: str) -> list[Role]:
    """Each date range in the section opens a role that runs to the next one.

    The role's header is the rest of the date's line, or (when the dates stand alone) the line
    just above when it looks like a title line and the line below otherwise, which covers the
    common layouts: "2019 - 2024 Engineer, Acme", "Engineer, Acme, Jan 2019 - Present",
    "Engineer | Acme" over "Jan 2019 - Present", and "June 2020 -" / "Present" / "Engineer, Acme".
    """
    found: list[tuple[int, str, int, DateRange]] = []  # (role start, header, its offset, dates)
    last_end = section.start
    for dates in ranges:
        line_start, line_end = _line_bounds(text, dates.text_start)
        _, last_line_end = _line_bounds(text, dates.text_end)
        rest = text[line_start : dates.text_start] + " " + text[dates.text_end : last_line_end]
        rest = rest.strip(" \t,;:|()[]-\u2013\u2014")
        role_start = line_start
        header_at = line_start
        if _has_words(rest, 1) and not re.fullmatch(r"[\W\d]*", rest):
            header = rest
        else:
            above_end = line_start - 1
            above_start = text.rfind("\n", 0, max(above_end, 0)) + 1
            above = text[above_start:above_end] if above_end > section.start else ""
            below_start = last_line_end + 1
            below_end = text.find("\n", below_start)
            below = text[below_start : (len(text) if below_end < 0 else below_end)]
            if above_start >= max(last_end, section.start) and _looks_like_header(above):
                header, role_start, header_at = above, above_start, above_start
            elif below_start < section.end:
                header, header_at = below, below_start
            else:
                header, header_at = above, above_start
        if kind == EXPERIENCE and _EDUCATION_WORDS.search(header) and not is_title_text(header):
            continue  # a degree listed among the jobs
        found.append((max(role_start, section.start), header.strip(), header_at, dates))
        last_end = last_line_end
    roles = []
    for index, (start, header, header_at, dates) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else section.end
        title, company = _title_and_company(header)
        span = (0, 0)
        if company:
            line_end = text.find("\n", header_at)
            at = text.find(company, header_at, len(text) if line_end < 0 else line_end)
            if at >= 0:
                span = (at, at + len(company))
        roles.append(Role(title, company, dates, kind, start, max(end, dates.text_end), span))
    return roles


def is_title_text(text: str) -> bool:
    """Does ``text`` contain a job-title word (engineer, nurse, manager...)?"""
    return any(w.lower() in TITLE_WORDS for w in _WORD.findall(text))


# --- education ----------------------------------------------------------------------------------

EDUCATION_LEVELS = {
    0: "none stated",
    1: "associate/diploma",
    2: "bachelor's",
    3: "master's",
    4: "doctorate",
}
_DEGREES = (
    (4, re.compile(r"\b(?:ph\.?\s?d|doctorate|doctor of philosophy|d\.?phil|md|m\.d\.)\b", re.I)),
    (
        3,
        re.compile(
            r"\b(?:master'?s?|m\.?\s?sc|msc|m\.s\.|ms in|mba|m\.?\s?eng|meng|m\.a\.|ma in|mphil|"
            r"llm|m\.?\s?tech|mpa|mph)\b",
            re.I,
        ),
    ),
    (
        2,
        re.compile(
            r"\b(?:bachelor'?s?|b\.?\s?sc|bsc|b\.s\.|bs in|b\.a\.|ba in|b\.?\s?tech|btech|"
            r"b\.?\s?eng|beng|bba|llb|bsn|b\.?\s?com|undergraduate degree|ba \(hons\)|"
            r"bsc \(hons\))",
            re.I,
        ),
    ),
    (1, re.compile(r"\b(?:associate'?s? degree|associate of|a\.a\.s?\.|diploma|hnd|adn)\b", re.I)),
)


def education_level(text: str) -> int:
    """Highest degree named in ``text``: 0 none, 1 associate, 2 bachelor, 3 master, 4 doctorate."""
    for level, pattern in _DEGREES:
        if pattern.search(text):
            return level
    return 0


# --- copying ------------------------------------------------------------------------------------

RUN_WORDS = 6


def word_runs(tokens: TokenisedText) -> frozenset[tuple[str, ...]]:
    """Every run of RUN_WORDS consecutive words (one-letter words and punctuation skipped)."""
    words = [w for w in tokens.lower if w != BREAK and len(w) > 1]
    return frozenset(zip(*(words[i:] for i in range(RUN_WORDS)), strict=False))


# --- privacy ------------------------------------------------------------------------------------

_PERSONAL_LINE = re.compile(
    r"^[ \t\-\u2022*]*(?:date of birth|d\.?o\.?b\.?|birth\s?date|birthday|born|age|gender|sex|"
    r"nationality|citizenship|marital status|family status|religion|place of birth|pronouns|"
    r"ethnicity|race|photo|children|spouse)\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
_PRONOUNS = re.compile(r"\b(?:he/him|she/her|they/them|he/they|she/they)(?:/\w+)?\b", re.I)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_URL_MARKS = ("http", "www.", ".com/", ".io/", ".dev/", ".me/", ".org/", ".net/")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w\-]+\.(?:com|io|dev|me|org|net)/\S*", re.I)


def _blank(match: re.Match[str]) -> str:
    found = match.group()
    return " " * len(found) if "\n" not in found else re.sub(r"[^\n]", " ", found)


def _blank_phrase(text: str, phrase: str) -> str:
    """Blank every case-insensitive, whole-word occurrence of ``phrase``."""
    lower, target = text.lower(), phrase.lower()
    pieces, last, at = [], 0, lower.find(target)
    while at >= 0:
        end = at + len(target)
        if (at == 0 or not lower[at - 1].isalnum()) and (
            end == len(lower) or not lower[end].isalnum()
        ):
            pieces += [text[last:at], " " * len(target)]
            last = end
        at = lower.find(target, end)
    return "".join(pieces) + text[last:] if pieces else text


def mask_personal_details(text: str) -> str:
    """Blank (same length, so offsets hold) what a score must never read: the candidate's name,
    e-mail, links, birth date, age, gender, nationality, marital status, pronouns."""
    name = guess_name(text)
    lower = text.lower()
    if "@" in text:
        text = _EMAIL.sub(_blank, text)
    if any(mark in lower for mark in _URL_MARKS):
        text = _URL.sub(_blank, text)
    text = _PERSONAL_LINE.sub(_blank, text)
    if "he/" in lower or "they/" in lower:
        text = _PRONOUNS.sub(_blank, text)
    if name:
        text = _blank_phrase(text, " ".join(name.split()))
    return text


# --- the profile --------------------------------------------------------------------------------

#: Where a mention sits, strongest evidence first (the weights live in scoring.py).
IN_ROLE, IN_PROJECT, IN_PROSE, IN_CERTIFICATION, IN_LIST, IN_EDUCATION, IN_HEADER = (
    "role", "project", "prose", "certification", "list", "education", "header",
)  # fmt: skip
_LIST_LINE = re.compile(r"^[^.!?]*(?:,[^,.!?]*){2,}$")


@dataclass
class SkillEvidence:
    skill: str
    category: str
    places: set[str] = field(default_factory=set)
    roles: list[Role] = field(default_factory=list)
    months: int = 0
    last_used: int | None = None  # month index just after the latest role using it
    mentions: int = 0

    @property
    def years(self) -> float:
        return self.months / 12.0


@dataclass
class ResumeProfile:
    text: str
    tokens: TokenisedText
    sections: list[Section]
    roles: list[Role]
    projects: list[Role]
    experience_months: int
    skills: dict[str, SkillEvidence]
    education: int
    today: int
    section_starts: list[int] = field(default_factory=list)

    @cached_property
    def word_runs(self) -> frozenset[tuple[str, ...]]:
        """Every run of RUN_WORDS words, to tell how much of a job ad the resume copies."""
        return word_runs(self.tokens)

    @property
    def years(self) -> float:
        return round(self.experience_months / 12.0, 1)

    @property
    def latest_role(self) -> Role | None:
        if not self.roles:
            return None
        return max(self.roles, key=lambda r: (r.dates.end, r.dates.start))

    @property
    def headline(self) -> str:
        """The title line under the name ("Senior Platform Engineer"), if there is one."""
        for section in self.sections:
            if section.kind != HEADER:
                continue
            for line in self.text[section.start : section.end].split("\n"):
                if len(line.split()) <= 8 and is_title_text(line):
                    return line.strip()
        return ""


def _section_at(profile: ResumeProfile, pos: int) -> Section:
    index = max(0, bisect.bisect_right(profile.section_starts, pos) - 1)
    return profile.sections[index]


def _role_at(roles: list[Role], pos: int) -> Role | None:
    for role in roles:
        if role.start <= pos < role.end:
            return role
    return None


def place_of(profile: ResumeProfile, pos: int) -> tuple[str, Role | None]:
    """Where the text at ``pos`` sits: inside a dated role, a project, a skills list, ..."""
    role = _role_at(profile.roles, pos)
    if role is not None:
        return IN_ROLE, role
    project = _role_at(profile.projects, pos)
    if project is not None:
        return IN_PROJECT, project
    kind = _section_at(profile, pos).kind
    if kind == PROJECTS:
        return IN_PROJECT, None
    if kind in (SKILLS,):
        return IN_LIST, None
    if kind == CERTIFICATIONS:
        return IN_CERTIFICATION, None
    if kind == EDUCATION:
        return IN_EDUCATION, None
    if kind == HEADER:
        return IN_HEADER, None
    if kind in (SUMMARY, EXPERIENCE, UNSECTIONED, OTHER):
        line_start, line_end = _line_bounds(profile.text, pos)
        line = profile.text[line_start:line_end].strip()
        return (IN_LIST if _LIST_LINE.match(line) and kind != EXPERIENCE else IN_PROSE), None
    return IN_PROSE, None


#: Characters extract.normalise_text replaces or drops that would change what the analyzer reads
#: (line breaks, NUL, ligatures, soft hyphens, odd spaces, zero-width characters).
_ASCII_MARKS = "\r\x00\v\f"
_UNICODE_MARKS = (
    "\x85\u2028\u2029\u00ad\ufffe\uffff\ufeff\u200b\u2060\u00a0\u202f\u2007"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)


def _needs_normalising(text: str) -> bool:
    """Stored text was normalised at import; only text from elsewhere pays for it again."""
    if any(mark in text for mark in _ASCII_MARKS):
        return True
    return not text.isascii() and any(mark in text for mark in _UNICODE_MARKS)


def profile_resume(text: str, vocabulary: SkillVocabulary, today: date) -> ResumeProfile:
    """Everything the scoring needs from one resume, computed once per resume."""
    if _needs_normalising(text):
        text = normalise_text(text)  # stored text is normalised at import; pasted text may not be
    clean = mask_personal_details(text)
    sections = find_sections(clean)
    ranges = find_date_ranges(clean, today)
    roles: list[Role] = []
    projects: list[Role] = []
    for section in sections:
        inside = [r for r in ranges if section.start <= r.text_start < section.end]
        if not inside:
            continue
        if section.kind in (EXPERIENCE, UNSECTIONED):
            roles.extend(_roles_in(clean, section, inside, EXPERIENCE))
        elif section.kind == PROJECTS:
            projects.extend(_roles_in(clean, section, inside, PROJECTS))
    tokens = TokenisedText(clean)
    education_text = "\n".join(clean[s.start : s.end] for s in sections if s.kind == EDUCATION)
    profile = ResumeProfile(
        text=clean,
        tokens=tokens,
        sections=sections,
        roles=roles,
        projects=projects,
        experience_months=merged_months(r.dates for r in roles),
        skills={},
        education=education_level(education_text or clean),
        today=month_index(today),
        section_starts=[s.start for s in sections],
    )
    employers = [r.company_span for r in roles if r.company_span[1]]
    for mention in vocabulary.scan(tokens):
        if any(start <= mention.start < end for start, end in employers):
            continue  # "Northwind Logistics" names an employer, not a skill
        evidence = profile.skills.get(mention.skill)
        if evidence is None:
            evidence = profile.skills[mention.skill] = SkillEvidence(
                mention.skill, vocabulary.category_of[mention.skill]
            )
        place, role = place_of(profile, mention.start)
        evidence.places.add(place)
        evidence.mentions += 1
        if role is not None and role.kind == EXPERIENCE and role not in evidence.roles:
            evidence.roles.append(role)
    for evidence in profile.skills.values():
        if evidence.roles:
            evidence.months = merged_months(r.dates for r in evidence.roles)
            evidence.last_used = max(r.dates.end for r in evidence.roles)
    return profile
