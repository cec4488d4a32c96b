"""Does this text look like a resume? The gate an import passes after extraction.

:func:`judge_resume` weighs the evidence that a text is a resume (contact details, section headings
such as experience or education in several languages, dated roles like ``2019 – 2022`` or
``2021 – present``, personal details, a name on top) against the cues of the documents that end up
in a recruiter's folders by mistake: job advertisements, READMEs, cover letters, invoices, meeting
notes, e-mails, recipes, placeholder text and files too short to say anything.

The rule is lopsided on purpose: a resume turned away is worse than a stray file let in (the
recruiter can delete it), so a text is rejected only when

- it is too short to be a resume (fewer than :data:`MIN_WORDS` words, or fewer than
  :data:`SHORT_TEXT_WORDS` with next to no evidence), or it is a template (*lorem ipsum*,
  ``[Your Name]``); or
- the cues of one other kind of document are strong (at least :data:`MIN_KIND_SCORE`) and
  outweigh the resume evidence, unless the resume evidence is decisive on its own (two dated
  roles and two resume sections: a resume with a cover letter in front, or one that quotes a job
  ad, stays a resume); or
- it shows no resume evidence at all and hardly a word of a career, in the Latin alphabet (the
  vocabulary here covers English, French, German, Spanish, Portuguese, Dutch and a little more,
  so a text in another script is not turned away for want of it).

Everything is Qt-free, database-free and pure. Work is bounded whatever the text: one regex
search finds the first non-blank character, the signals are computed on a sample of at most
:data:`SAMPLE_CHARS` characters from there, the phrase cues on its first :data:`CUE_CHARS`, the
line-shaped signals on at most :data:`MAX_LINES` lines of at most :data:`MAX_LINE_CHARS`
characters, and no pattern has ambiguous nested repetition, so the cost grows linearly with the
(bounded) sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from recur_desktop.extraction.contacts import find_email, find_phone, guess_name

# Headings, cues and patterns live in gate_vocabulary: the part that grows with the files
# recruiters really see. ``_Cue`` is named here too: the hostile-text test counts its searches.
from recur_desktop.extraction.gate_vocabulary import (
    _AMOUNT_LINE,
    _BILLING_ADDRESS,
    _CAREER,
    _CONTACT_LABEL,
    _DATE_RANGE,
    _DATE_TIME,
    _HEADING_FILLER,
    _HIRING_ADDRESS,
    _I_MY,
    _KIND_HEADING,
    _LOREM,
    _MONEY,
    _NAME_KIND,
    _NAME_RESUME,
    _NAME_TOKEN,
    _NEEDS_CONTENT,
    _PERSONAL,
    _PHRASE_CUES,
    _PLACEHOLDER,
    _PROFILE_LINK,
    _RECIPE_MEASURE,
    _ROLE_ADDRESS,
    _SECTION_PHRASE,
    _SECTION_WORD,
    _SHARED_WITH_JOB_ADS,
    _SINCE,
    _TITLE_LINES,
    _YOU_WE,
    _fold,
)
from recur_desktop.extraction.gate_vocabulary import _Cue as _Cue

__all__ = [
    "CUE_CHARS",
    "GATE_KINDS",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MIN_KIND_SCORE",
    "MIN_WORDS",
    "SAMPLE_CHARS",
    "GateVerdict",
    "judge_resume",
]

# --- limits -------------------------------------------------------------------------------------

#: Characters of the text (after leading blanks) the gate looks at. Long resumes are 30,000.
SAMPLE_CHARS = 50_000
#: The phrases, amounts and measures of other kinds of documents are looked for in this many
#: characters of the sample: those documents show what they are on their first pages.
CUE_CHARS = 20_000
#: Lines of the sample looked at one by one (headings, labels, markdown).
MAX_LINES = 3_000
#: Characters of a line looked at for a heading or a label.
MAX_LINE_CHARS = 160
#: Fewer words than this is never a resume.
MIN_WORDS = 15
#: Fewer words than this is a resume only with some evidence (:data:`SHORT_TEXT_EVIDENCE`).
SHORT_TEXT_WORDS = 40
SHORT_TEXT_EVIDENCE = 4
#: A kind of document other than a resume needs at least this score to turn a text away.
MIN_KIND_SCORE = 4
#: Placeholder text: this many distinct lorem-ipsum words, and this share of all words.
LOREM_MIN_DISTINCT = 8
LOREM_SHARE = 0.15
#: Above this share of lorem ipsum even a resume-shaped text is a template.
LOREM_SHARE_ALWAYS = 0.30

# --- the verdict --------------------------------------------------------------------------------

#: Every :attr:`GateVerdict.kind`.
GATE_KINDS = (
    "resume",
    "job_ad",
    "readme",
    "cover_letter",
    "invoice",
    "notes",
    "email",
    "recipe",
    "too_short",
    "placeholder_text",
    "other",
)

#: The kinds whose cues are scored (the others come from length and word counts).
_SCORED_KINDS = ("job_ad", "readme", "cover_letter", "invoice", "notes", "email", "recipe")

_REASONS = {
    "resume": "This looks like a resume.",
    "job_ad": "This looks like a job advertisement, not a resume.",
    "readme": "This looks like a README or software documentation, not a resume.",
    "cover_letter": (
        "This looks like a cover letter or another letter, not a resume. If the resume came as a "
        "separate file, import that file."
    ),
    "invoice": "This looks like an invoice, not a resume.",
    "notes": "This looks like meeting notes or a to-do list, not a resume.",
    "email": "This looks like an e-mail message, not a resume.",
    "recipe": "This looks like a recipe, not a resume.",
    "placeholder_text": (
        "This is a template with placeholder text (lorem ipsum, [Your Name]), not a resume."
    ),
    "other": (
        "This doesn't look like a resume: it has no contact details, no sections such as "
        "experience or education, and no dates of jobs or studies."
    ),
}


@dataclass(frozen=True)
class GateVerdict:
    """What the gate decided about one text, and why."""

    is_resume: bool
    kind: str
    """One of :data:`GATE_KINDS`: ``"resume"`` when accepted, else what the text looks like."""
    reason: str
    """A sentence a recruiter understands, e.g. "This looks like a job advertisement, not a
    resume." """
    score: int
    """The resume evidence, in points (contact details, sections, dated roles, ...)."""
    signals: Mapping[str, int] = field(default_factory=dict, hash=False)
    """Every count the decision used: the resume signals, a score per kind of document
    (``kind:job_ad`` ...), word counts and ``examined_chars``. For tests and the benchmark."""
    cues: tuple[str, ...] = ()
    """The cues found for :attr:`kind` when rejected (e.g. ``"we are looking for"``)."""


# --- text helpers -------------------------------------------------------------------------------

_NON_SPACE = re.compile(r"\S")
#: Scripts written without blanks between words: each character counts as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:'[^\W_{_CJK}]+)?")
_LATIN_LETTER = re.compile(r"[a-z]")
_LETTER = re.compile(r"[^\W\d_]")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")


def _lines(sample: str) -> Iterable[str]:
    """At most :data:`MAX_LINES` lines of ``sample``, each cut to :data:`MAX_LINE_CHARS`."""
    start = 0
    for count, brk in enumerate(_LINE_BREAK.finditer(sample), 1):
        yield sample[start : min(brk.start(), start + MAX_LINE_CHARS)]
        start = brk.end()
        if count >= MAX_LINES:
            return
    if start < len(sample):
        yield sample[start : start + MAX_LINE_CHARS]


# --- the gate -----------------------------------------------------------------------------------


def judge_resume(text: str, *, file_name: str = "") -> GateVerdict:
    """Decide whether ``text`` (extracted from a file) looks like a resume.

    ``file_name`` may nudge the decision (a name with "cv" or "resume" in it counts as resume
    evidence; "invoice" or "README" only strengthens cues the text already shows); it never turns
    a text away on its own. Bounded work: see the module documentation.
    """
    first = _NON_SPACE.search(text)
    start = first.start() if first else len(text)
    sample = str(text[start : start + SAMPLE_CHARS])
    folded = _fold(sample)
    signals: dict[str, int] = {"chars": len(text), "examined_chars": len(sample)}

    tokens = [m.group(0) for m in _WORD.finditer(folded)]
    words = len(tokens)
    signals["words"] = words

    if words < MIN_WORDS:
        return _verdict("too_short", signals, 0, words=words)

    # --- resume evidence ---
    lines = _analyse_lines(sample)
    sections: set[str] = lines.sections
    signals["lines_examined"] = lines.examined
    signals["sections"] = len(sections)
    signals["shared_sections_only"] = int(bool(sections) and sections <= _SHARED_WITH_JOB_ADS)
    section_points = min(10, 2 * len(sections - _SHARED_WITH_JOB_ADS)) + min(
        4, len(sections & _SHARED_WITH_JOB_ADS) + (1 if sections & _SHARED_WITH_JOB_ADS else 0)
    )
    signals["section_points"] = section_points

    email = find_email(sample)
    phone = find_phone(sample)
    if phone and _DATE_TIME.match(phone):
        phone = None  # "2025-03-14 08" from a log line is a time stamp, not a phone
    role_address = bool(email and _ROLE_ADDRESS.match(email))
    contact = 0
    if email and not role_address:
        contact += 2
    if phone:
        contact += 2
    if _PROFILE_LINK.search(folded):
        contact += 1
    if contact < 2 and _CONTACT_LABEL.search(folded):
        contact += 1
    contact = min(contact, 4)
    signals.update(email=int(bool(email)), phone=int(bool(phone)), contact_points=contact)

    ranges = _count_ranges(folded)
    signals["dated_ranges"] = ranges
    date_points = 0 if ranges == 0 else 2 if ranges == 1 else 4 if ranges == 2 else 5
    signals["date_points"] = date_points

    personal = 1 if _PERSONAL.search(folded) else 0
    title = 3 if lines.title else 0
    name = 1 if guess_name(sample) else 0
    signals.update(personal=personal, resume_title=title, name=name)

    evidence = section_points + contact + date_points + personal + title
    name_hint = _resume_file_name(file_name)
    signals["file_name_hint"] = name_hint
    score = evidence + name + name_hint
    signals["evidence"] = evidence
    signals["resume_score"] = score

    # --- placeholder text ---
    lorem = [t for t in tokens if t in _LOREM]
    distinct_lorem = len(set(lorem))
    share = len(lorem) / words
    signals["lorem_words"] = len(lorem)
    if distinct_lorem >= LOREM_MIN_DISTINCT and (
        share >= LOREM_SHARE_ALWAYS or (share >= LOREM_SHARE and score < 10)
    ):
        return _verdict("placeholder_text", signals, score, cues=("lorem ipsum",))
    placeholders = len(_PLACEHOLDER.findall(folded, 0, CUE_CHARS))
    signals["placeholders"] = placeholders
    if placeholders >= 3 and ranges == 0 and not email:
        return _verdict("placeholder_text", signals, score, cues=("[placeholders]",))

    # --- other kinds ---
    kinds, found = _score_kinds(folded, tokens, lines, email, file_name)
    for kind in _SCORED_KINDS:
        signals[f"kind:{kind}"] = kinds[kind]
    best = max(_SCORED_KINDS, key=lambda k: kinds[k])
    best_score = kinds[best]

    decisive = ranges >= 2 and len(sections) >= 2
    signals["decisive"] = int(decisive)
    if not decisive and best_score >= MIN_KIND_SCORE and best_score > score:
        return _verdict(best, signals, score, cues=found[best])

    if words < SHORT_TEXT_WORDS and evidence < SHORT_TEXT_EVIDENCE:
        return _verdict("too_short", signals, score, words=words)

    career = _count_career_words(folded)
    signals["career_words"] = career
    # Folding leaves Latin letters as a-z; a text mostly in other scripts (Cyrillic, Greek,
    # Arabic, Hebrew, CJK) is beyond the vocabulary here, so it is not turned away for want of it.
    latin = len(_LATIN_LETTER.findall(folded, 0, CUE_CHARS))
    letters = len(_LETTER.findall(folded, 0, CUE_CHARS))
    signals["latin_share_pct"] = 100 * latin // max(1, letters)
    if evidence == 0 and name_hint == 0 and career < 3 and signals["latin_share_pct"] >= 50:
        return _verdict("other", signals, score)

    return _verdict("resume", signals, score)


def _verdict(
    kind: str,
    signals: dict[str, int],
    score: int,
    *,
    words: int = 0,
    cues: Iterable[str] = (),
) -> GateVerdict:
    if kind == "too_short":
        if words == 0:
            reason = "The file holds no readable words, so it can't be a resume."
        else:
            noun = "word" if words == 1 else "words"
            reason = f"The file holds only {words} {noun}, too little to be a resume."
    else:
        reason = _REASONS[kind]
    return GateVerdict(
        is_resume=kind == "resume",
        kind=kind,
        reason=reason,
        score=score,
        signals=MappingProxyType(dict(signals)),
        cues=tuple(cues),
    )


# --- signals ------------------------------------------------------------------------------------


@dataclass
class _Lines:
    sections: set[str] = field(default_factory=set)
    title: bool = False
    kind_headings: dict[str, dict[str, int]] = field(default_factory=dict)
    markdown_headings: int = 0
    code_fences: int = 0
    bullets_checkbox: int = 0
    examined: int = 0


_DECORATION = re.compile(r"^[\W\d_]{0,8}?(?=[^\W\d_])|[\W_]+$")
_NUMBERING = re.compile(r"^(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)][ \t]+")
_HEADING_TOKEN = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*|[&#]")
_LABEL = re.compile(r"^([^:\n]{1,40}?)[ \t]*[:：](.*)$")
_PARENTHESES = re.compile(r"\([^()]{0,40}\)")
_TRAILING_FIGURES = re.compile(r"[\d\W_]+$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+\S")
_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)")
_CHECKBOX = re.compile(r"^[ \t]*[-*][ \t]+\[[ xX]\]")


def _analyse_lines(sample: str) -> _Lines:
    out = _Lines()
    for raw in _lines(sample):
        out.examined += 1
        stripped = raw.strip()
        if not stripped:
            continue
        if _MARKDOWN_HEADING.match(stripped):
            out.markdown_headings += 1
        if _FENCE.match(raw):
            out.code_fences += 1
        if _CHECKBOX.match(raw):
            out.bullets_checkbox += 1
        folded = _fold(stripped)
        label_match = _LABEL.match(folded)
        candidates: list[tuple[str, bool]] = []  # (phrase, whole line?)
        head = label_match.group(1) if label_match else folded
        if label_match:
            candidates.append((_clean(head), not label_match.group(2).strip()))
        else:
            candidates.append((_clean(head), True))
        caps = _leading_capitals(stripped)
        if caps:
            candidates.append((_clean(_fold(caps)), False))
        bare = _clean(_TRAILING_FIGURES.sub("", _PARENTHESES.sub(" ", head)))
        if bare and bare != candidates[0][0]:
            candidates.append((bare, False))
        for phrase, whole in candidates:
            if not phrase:
                continue
            if whole and phrase in _TITLE_LINES:
                out.title = True
            category = _section_of(phrase)
            if category:
                out.sections.add(category)
            hit = _KIND_HEADING.get(phrase)
            if hit:
                kind, weight = hit
                if phrase in _NEEDS_CONTENT and (whole or not label_match):
                    continue  # "To:" alone is not a header; "To: Ann" is
                out.kind_headings.setdefault(kind, {})[phrase] = weight
    return out


def _clean(phrase: str) -> str:
    phrase = _NUMBERING.sub("", phrase.strip())
    phrase = _DECORATION.sub("", phrase)
    return " ".join(phrase.split())


def _leading_capitals(line: str) -> str:
    """The leading run of ALL-CAPS words of a line ("WORK EXPERIENCE Tanndu ..." -> "WORK
    EXPERIENCE"), or ``""``."""
    taken: list[str] = []
    for token in line.split()[:5]:
        letters = [ch for ch in token if ch.isalpha()]
        capitals = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        if capitals or token in ("&", "and", "und", "et"):
            taken.append(token)
        else:
            break
    if len(taken) == len(line.split()):
        return ""  # the whole line: already looked at as a whole
    return " ".join(taken)


def _section_of(phrase: str) -> str | None:
    """The resume section a heading phrase names, or ``None``."""
    if phrase in _SECTION_PHRASE:
        return _SECTION_PHRASE[phrase]
    tokens = _HEADING_TOKEN.findall(phrase)
    if not 1 <= len(tokens) <= 6:
        return None
    if phrase in _SECTION_WORD:
        return _SECTION_WORD[phrase]
    kept = [t for t in tokens if t not in _HEADING_FILLER and t != "#"]
    if not kept:
        return None
    joined = " ".join(kept)
    if joined in _SECTION_PHRASE:
        return _SECTION_PHRASE[joined]
    categories = {_SECTION_WORD.get(t) for t in kept}
    if None in categories:
        return None
    # "Skills & Expertise" -> skills; "Education & Certifications" -> the first named
    return _SECTION_WORD[kept[0]]


def _count_ranges(folded: str) -> int:
    count = 0
    for match in _DATE_RANGE.finditer(folded):
        first, second = match.group(1), match.group(2)
        if second is not None:
            span = int(second) - int(first)
            if not 0 <= span <= 45:
                continue
            if span == 0 and match.group(0)[4:5] not in "./-":
                continue  # "2019 2019" is not a range; "2019-03 – 2019-09" is
        count += 1
        if count >= 50:
            break
    if count < 50:
        count += min(5, len(_SINCE.findall(folded)))
    return count


def _count_career_words(folded: str) -> int:
    seen: set[str] = set()
    for match in _CAREER.finditer(folded):
        seen.add(match.group(0)[:7])
        if len(seen) >= 10:
            break
    return len(seen)


def _score_kinds(
    folded: str,
    tokens: list[str],
    lines: _Lines,
    email: str | None,
    file_name: str,
) -> tuple[dict[str, int], dict[str, list[str]]]:
    scores = dict.fromkeys(_SCORED_KINDS, 0)
    found: dict[str, list[str]] = {kind: [] for kind in _SCORED_KINDS}

    cues_text = folded[:CUE_CHARS]

    def add(kind: str, weight: int, label: str) -> None:
        scores[kind] += weight
        found[kind].append(label)

    # headings, capped per kind so a long list of one kind's headings can't run away
    for kind, phrases in lines.kind_headings.items():
        total = 0
        for phrase, weight in phrases.items():
            if total >= 8:
                break
            total += weight
            found[kind].append(f"heading: {phrase}")
        scores[kind] += min(total, 8)

    for cue in _PHRASE_CUES:
        if cue.found_in(cues_text):
            add(cue.kind, cue.weight, cue.label)

    # pronouns: a job ad speaks to "you" about "us"; a letter speaks as "I"
    you_we = sum(1 for t in tokens if t in _YOU_WE)
    i_my = sum(1 for t in tokens if t in _I_MY)
    if you_we >= 6 and you_we >= 2 * (i_my + 1):
        add("job_ad", 2, f"speaks to 'you' ({you_we}) more than as 'I' ({i_my})")
    if i_my >= 8 and i_my * 40 >= len(tokens):
        add("cover_letter", 1, f"written as 'I' ({i_my} times)")

    # markdown and code
    if lines.code_fences >= 2:
        add("readme", 3, "code blocks")
    if lines.markdown_headings >= 3:
        add("readme", 1, "markdown headings")
    if lines.bullets_checkbox >= 3:
        add("notes", 4, "a checklist")
    elif lines.bullets_checkbox:
        add("notes", 1, "a checkbox")

    # amounts and measures
    money = len(_MONEY.findall(cues_text))
    if money >= 3:
        add("invoice", 2, f"{money} amounts of money")
    column = len(_AMOUNT_LINE.findall(cues_text))
    if column >= 4:
        add("invoice", 2, f"{column} lines ending in an amount")
    measures = len(_RECIPE_MEASURE.findall(cues_text))
    if measures >= 3:
        add("recipe", 2, f"{measures} measures")

    if email and _HIRING_ADDRESS.match(email):
        add("job_ad", 2, f"a hiring address ({email.split('@')[0]}@)")
    elif email and _BILLING_ADDRESS.match(email):
        add("invoice", 1, f"a billing address ({email.split('@')[0]}@)")

    for kind in _file_name_kinds(file_name):
        if scores[kind] > 0:
            add(kind, 1, "file name")
    return scores, found


def _resume_file_name(file_name: str) -> int:
    words = {_fold(t) for t in _NAME_TOKEN.findall(file_name[:255])}
    return 3 if words & _NAME_RESUME else 0


def _file_name_kinds(file_name: str) -> set[str]:
    words = {_fold(t) for t in _NAME_TOKEN.findall(file_name[:255])}
    if words & _NAME_RESUME:
        return set()
    return {_NAME_KIND[w] for w in words if w in _NAME_KIND}
