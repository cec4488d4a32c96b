"""Best-effort candidate contacts from resume text: e-mail, phone and name.

Every function returns ``None`` when unsure; a wrong contact is worse than a missing one.

The patterns run over bounded windows of the text (:func:`_windows`, at most
:data:`MAX_CONTACT_WINDOW` characters each) and the name is looked for in a few short lines only,
so a hostile text costs time linear in its length whatever the patterns do inside a window.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# --- windows ------------------------------------------------------------------------------------

#: E-mail and phone patterns see at most this many characters at a time: a line, or a stretch of
#: a longer line cut after a blank.
MAX_CONTACT_WINDOW = 4096
_BLANK = re.compile(r"[ \t]")


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` stretches of ``text`` to search: each line, long lines cut after a blank.

    Neither pattern matches across a line break and an address holds no blank, so the cuts change
    no e-mail match (a phone number written with blanks may, in a line over 4,096 characters).
    A run of more than MAX_CONTACT_WINDOW characters without a blank is skipped: no contact is
    that long, and taking it apart could make one up.
    """
    size = len(text)
    start = 0
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        while end - start > MAX_CONTACT_WINDOW:
            limit = start + MAX_CONTACT_WINDOW
            cut = max(text.rfind(" ", start, limit), text.rfind("\t", start, limit))
            if cut >= 0:
                yield start, cut + 1
                start = cut + 1
            else:  # skip to the blank (or line end) that ends this run
                blank = _BLANK.search(text, limit, end)
                start = end if blank is None else blank.start()
        if start < end:
            yield start, end
        start = end + 1


# --- e-mail -------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])"
    r"([A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9\-])"
)
#: "logo@2x.png" and friends are file names, not addresses.
_NOT_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "pdf", "docx"})


def find_email(text: str) -> str | None:
    """The first plausible e-mail address in ``text``, lower-cased, or ``None``."""
    for start, end in _windows(text):
        # pos/endpos, not a slice: the look-behind still sees the character before the window.
        for match in _EMAIL.finditer(text, start, end):
            address = match.group(1).rstrip(".")
            local, _, domain = address.rpartition("@")
            if ".." in address or local.endswith(".") or local.startswith("."):
                continue
            if domain.rsplit(".", 1)[-1].lower() in _NOT_TLDS:
                continue
            return address.lower()
    return None


# --- phone --------------------------------------------------------------------------------------

#: A run of digits with the separators people put in phone numbers, on one line.
_PHONE = re.compile(r"(?<![\w+])(?:\+|\b00)?\(?\d[\d \t().\-/]{5,24}\d(?![\w])")
_LABEL = re.compile(
    r"(?:\b(?:phone|tel|telephone|telefon|mobile|mobil|mob|cell|cellphone|handy|ph|whatsapp)"
    r"\b|\b[TMPH]\b|[\u260e\u2706\U0001f4de\U0001f4f1])[^\n\w]{0,6}$",
    re.IGNORECASE,
)
_FAX_LABEL = re.compile(r"\bfax\b[^\n\w]{0,6}$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")
_MIN_DIGITS, _MAX_DIGITS = 7, 15
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
#: Dates, times of day and year ranges: never part of a phone number, even next to a label.
#: ``find_phone`` blanks them out before looking, so "2025-03-14 08" (a date and an hour in a log
#: line) leaves only "08" behind. A year range right after digits, a bracket or a "+" is left
#: alone: "(555) 2019-2020" may be a number.
_DATE_OR_TIME = re.compile(
    rf"(?<!\d)(?:19|20)\d\d(?P<iso>[./\-]){_MONTH}(?P=iso){_DAY}(?!\d)"  # 2025-03-14
    rf"|(?<![\d.])(?:{_DAY}(?P<dmy>[./\-]){_DAY}(?P=dmy))(?:19|20)\d\d(?![\d])"  # 14.03.2025
    r"|(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,6})?)?(?![\d:])"  # 08:15:02
    r"|(?<![\d()+.\-/])(?<![\d()+.\-/][ \t])"
    r"(?:19|20)\d\d[ \t]{0,3}[\-\u2013\u2014][ \t]{0,3}(?:19|20)\d\d(?!\d)"  # 2019 - 2022
)
_MASK = "\x00"  # neither a digit, a separator nor a word character: it ends any phone match


def find_phone(text: str) -> str | None:
    """The most phone-like number in ``text`` (at least 7 digits), as written, or ``None``.

    A number counts when it is labelled (``Phone:``, ``Tel``, ``M:``, a phone icon), written in
    international form (``+49 …``, ``0044 …``), has a bracketed area code, or is grouped the way
    phone numbers are (``555-123-4567``). Year ranges, dates and bare digit runs are skipped.
    """
    best: tuple[int, int, str] | None = None
    for match in _phone_matches(text):
        candidate = match.group(0)
        if candidate.count("(") != candidate.count(")"):
            candidate = candidate.strip("()")
            if candidate.count("(") != candidate.count(")"):
                continue
        groups = re.findall(r"\d+", candidate)
        digits = sum(len(group) for group in groups)
        if not _MIN_DIGITS <= digits <= _MAX_DIGITS:
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if _FAX_LABEL.search(before):
            continue
        labelled = bool(_LABEL.search(before))
        if not labelled and _looks_like_dates(candidate, groups):
            continue
        score = 0
        if labelled:
            score += 3
        if candidate.startswith(("+", "00")):
            score += 2
        if re.match(r"(?:\+\d{1,3}[ \t]*)?\(\d{1,5}\)", candidate):
            score += 1
        if len(groups) >= 2 and all(2 <= len(g) <= 5 for g in groups[1:]):
            score += 1
        if score == 0:
            continue
        if best is None or score > best[0]:
            best = (score, match.start(), " ".join(candidate.split()))
    return None if best is None else best[2]


def _phone_matches(text: str) -> Iterator[re.Match[str]]:
    """Phone-shaped runs in ``text``, with dates, times and year ranges blanked out first.

    The match positions are those of ``text`` (the blanking keeps every length), and so is
    ``match.group(0)``: it never overlaps a blanked stretch.
    """
    masked = _DATE_OR_TIME.sub(lambda m: _MASK * len(m.group(0)), text)
    for start, end in _windows(text):
        yield from _PHONE.finditer(masked, start, end)


def _looks_like_dates(candidate: str, groups: list[str]) -> bool:
    if len(groups) >= 2 and all(len(g) == 4 and _YEAR.fullmatch(g) for g in groups):
        return True  # "2018 - 2022", "2019. 2020"
    if _DATE.fullmatch(candidate.strip()):
        return True
    return "/" in candidate  # "2019/2020", "9.5/10 12345"; unlabelled slashes are not phones


# --- name ---------------------------------------------------------------------------------------

#: Lines we look at for a name: resumes open with it.
NAME_LINES = 6
#: A longer line is not where a name is (it is still counted as one of the NAME_LINES).
MAX_NAME_LINE = 1000
#: The line breaks of ``str.splitlines``, so lines can be taken one at a time.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_NAME_LABEL = re.compile(r"^(?:full\s+)?name\s*[:\-]\s*", re.IGNORECASE)
_SEGMENT_SPLIT = re.compile(r"\s*[|•·,;/]\s*|\s+[-\u2013\u2014]\s+|\t")
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*\.?")
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "bin", "al"}
)
#: Words that mark a line as a heading, a job title, an address or an organisation.
_NOT_NAME_TEXT = """
    resume résumé curriculum vitae cv biodata profile summary objective about me contact
    contacts details information personal professional experience experiences work employment
    history education skills skill projects project references certifications certificates
    languages interests hobbies achievements awards publications career overview core
    competencies qualifications technical address phone email mail mobile linkedin github
    manager engineer developer designer analyst consultant director specialist senior junior
    principal software product data scientist officer assistant intern architect administrator
    coordinator executive president technician accountant associate representative recruiter
    programmer full stack frontend backend front web devops cloud machine learning sales
    marketing business finance human resources operations job description position role vacancy
    team company solutions technologies technology services group inc ltd llc gmbh corp
    corporation university college school institute academy street st avenue ave road rd city
    usa uk india germany remote hybrid dear sir madam confidential draft updated engineering
    professor lecturer student graduate internship freelance portfolio website
"""
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())


def guess_name(text: str) -> str | None:
    """A person's name from the first few lines of ``text``, or ``None`` when none looks like one.

    A name is 2 to 4 capitalised words (plus particles such as "van" or "de"), no digits or "@",
    and none of the words of a heading, job title, address or company. All-caps names are
    returned in title case ("JOHN DOE" -> "John Doe").
    """
    seen = 0
    for raw in _lines(text):  # lazily: splitlines() would split the whole text for 6 lines
        if len(raw) > MAX_NAME_LINE:
            if raw.isspace():
                continue
            seen += 1
            if seen > NAME_LINES:
                break
            continue
        line = " ".join(raw.split())
        if not line:
            continue
        seen += 1
        if seen > NAME_LINES:
            break
        name = _name_in_line(line)
        if name:
            return name
    return None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``text.splitlines()`` gives them, one at a time."""
    start = 0
    for brk in _LINE_BREAK.finditer(text):
        yield text[start : brk.start()]
        start = brk.end()
    if start < len(text):
        yield text[start:]


def _name_in_line(line: str) -> str | None:
    if "@" in line or any(ch.isdigit() for ch in line):
        return None
    line = _NAME_LABEL.sub("", line)
    segment = _SEGMENT_SPLIT.split(line, maxsplit=1)[0].strip()
    tokens = segment.split()
    if not 2 <= len(tokens) <= 5:
        return None
    real = 0
    for index, token in enumerate(tokens):
        if not _TOKEN.fullmatch(token):
            return None
        bare = token.rstrip(".").lower()
        if bare in _NOT_NAME_WORDS:
            return None
        if bare in _PARTICLES and 0 < index < len(tokens) - 1:
            continue
        if not token[0].isupper():
            return None
        if token.endswith(".") and len(token) > 2:
            return None  # "Inc.", "Dr." style abbreviations, not initials
        real += 1
    if not 2 <= real <= 4:
        return None
    if sum(len(t.rstrip(".")) >= 2 for t in tokens) < 2:
        return None
    if all(t.isupper() for t in tokens if len(t.rstrip(".")) > 1):
        last = len(tokens) - 1
        tokens = [
            t.lower() if t.lower() in _PARTICLES and 0 < i < last else t.title()
            for i, t in enumerate(tokens)
        ]
    return " ".join(tokens)
